// Package kb is tendo's clinical knowledge base: the model file
// (model.yaml, embedded and versioned) that describes a Bayesian network for
// posterior heel, Achilles and calf pain, with the provenance of every
// number; the mapping from each field of the assessment contract to the
// network; and the plan library. It compiles the model to a bn.Network and
// checks it (Check): every probability cites a source from the evidence file
// or is marked as an estimate with its reason. validation.yaml (embedded,
// read by LoadValidation) lists the published figures the model must
// reproduce beyond its cited accuracy: implied odds and risk ratios, combined
// likelihood ratios, the AUC of patients sampled from the network, and the
// share of extreme probabilities (Validation.Run, and assess for the last).
//
// # Fields and derived paths
//
// A finding names the assessment field it reads by its contract path
// ("exam.slump", "exam.neuro.left.kneeReflex"). The accessors are derived
// from the root package's field index (tendo.Fields), so every field of
// the contract, v1 and v1.1, is readable (FieldPaths lists them): a bool,
// an enum or a number; exam.heelRaiseReps as the pair affected of
// unaffected; an outcome measure or an array as given or not.
//
// Three v1 fields read their effective value (the contract's mapping
// table): exam.ankleReflex, exam.plantarflexionStrengthMrc and
// exam.s1SensoryDeficit are the field when given, else derived from
// exam.neuro on the side named by side (with side bilateral, the more
// abnormal of the legs given): see tendo.Assessment.EffectiveAnkleReflex
// and the others.
//
// Besides the contract's fields, these derived paths are readable
// (DerivedPaths lists them):
//
//   - exam.neuro.affected.<f> and exam.neuro.other.<f>, where <f> is
//     ankleReflex, kneeReflex, plantarflexionMrc, ankleDorsiflexionMrc,
//     greatToeExtensionMrc, halluxVibration or sensation.<key> (medialShin,
//     lateralShin, posteriorCalf, dorsalFoot, lateralFoot, sole,
//     medialHeel): the finding on the leg named by side and on the other
//     leg; with side bilateral, the more and the less abnormal leg for
//     that finding (tendo.Assessment.NeuroAffected, NeuroOther). Absent
//     without side.
//   - history.legPainAreas.<area> and history.paresthesiaAreas.<area>,
//     for each tendo.Area value (lateral-foot, sole, ...): true when the
//     area is listed, false when the list is given without it, absent when
//     the list is absent.
//   - imaging.lumbarMri.rootCompression.<root>, for L4, L5 and S1: true
//     when an entry names that root on the symptomatic side, or bilateral,
//     or side is bilateral (or absent); false when the list is given
//     without such an entry; absent when it is not given
//     (tendo.Assessment.RootCompressed).
//
// Evidence.Field is the finding's path (a contract field or a derived
// path), the key the explanation shows; Evidence.Path is the contract
// path the value was actually read from, for display: the field itself,
// exam.neuro.left.kneeReflex for exam.neuro.affected.kneeReflex, or
// exam.neuro.right.ankleReflex for an exam.ankleReflex derived from it.
//
// It imports bn, the domain root (tendo) for the assessment type, the YAML
// library and the standard library. It knows nothing of HTTP or storage.
package kb

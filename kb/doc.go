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
// It imports bn, the domain root (tendo) for the assessment type, the YAML
// library and the standard library. It knows nothing of HTTP or storage.
package kb

package tendo

import (
	"slices"
	"strings"
)

// issue 10: safety. What the pages and reports need to show the red
// flags everywhere: their names in words, the questions that screen for
// each (to say which were never asked), and which plan elements a red
// flag makes wrong.

// RedFlagInfo describes a red-flag rule for display. The rules themselves
// are the assess package's (assess.Rules); its tests check that this
// table names every rule as the rule does and that Screen lists every
// input a rule needs to fire.
type RedFlagInfo struct {
	Code string
	// Name is the flag in plain words ("suspected cauda equina syndrome").
	Name    string
	Urgency Urgency
	// Screen lists the contract paths of the questions and examination
	// findings that screen for the flag: the rule cannot fire while every
	// one of them is unanswered.
	Screen []string
}

var redFlagInfos = []RedFlagInfo{
	{"cauda-equina-syndrome", "suspected cauda equina syndrome", Emergency, []string{
		"history.saddleAnesthesia", "history.bladderOrBowelDysfunction", "history.bilateralLegSymptoms"}},
	{"suspected-dvt", "suspected deep vein thrombosis", Emergency, []string{
		"exam.calfSwellingWarmthOrRedness", "exam.calfCircumferenceDifferenceCm", "exam.pittingEdema",
		"history.recentImmobilisationOrSurgery", "history.previousDvt", "history.historyOfCancer"}},
	{"suspected-achilles-rupture", "suspected Achilles rupture or partial tear", Urgent, []string{
		"exam.calfSqueezeTest", "exam.palpableGap", "history.popOrKickSensation", "history.onsetDuringLoading",
		"imaging.ultrasound.tear", "imaging.ankleMri.tendon"}},
	{"suspected-infection", "suspected infection", Urgent, []string{
		"exam.posteriorHeelWarmth", "exam.posteriorHeelRedness"}},
	{"critical-limb-ischaemia", "suspected critical limb ischaemia", Urgent, []string{
		"history.ischaemicRestPain"}},
	{"progressive-neurological-deficit", "progressive or severe neurological deficit", Urgent, []string{
		"history.progressiveWeakness", "exam.plantarflexionStrengthMrc", "exam.neuro.left.plantarflexionMrc",
		"exam.neuro.right.plantarflexionMrc", "exam.neuro.left.ankleDorsiflexionMrc", "exam.neuro.right.ankleDorsiflexionMrc",
		"exam.neuro.left.greatToeExtensionMrc", "exam.neuro.right.greatToeExtensionMrc"}},
	{"serious-spinal-pathology", "possible serious spinal pathology", Urgent, []string{
		"history.lowBackPain"}},
	{"calcaneal-stress-fracture", "suspected calcaneal stress or insufficiency fracture", Urgent, []string{
		"exam.heelSqueezePain", "imaging.ankleMri.calcanealFractureLine", "imaging.radiograph.calcanealFractureLine"}},
	{"inflammatory-enthesitis", "possible inflammatory enthesitis", Soon, []string{
		"history.inflammatoryArthritis", "history.morningStiffnessMinutes", "side"}},
	{"fluoroquinolone-tendon-risk", "fluoroquinolone tendon risk", Soon, []string{
		"history.fluoroquinoloneLast6Months"}},
}

// RedFlagInfos returns the red-flag rules' descriptions, in the order the
// rules are checked. The slice is a copy; its Screen slices are shared.
func RedFlagInfos() []RedFlagInfo { return slices.Clone(redFlagInfos) }

// RedFlagName is a red flag's name in plain words; an unknown code is
// written with spaces for its hyphens, never shown as a code.
func RedFlagName(code string) string {
	for _, f := range redFlagInfos {
		if f.Code == code {
			return f.Name
		}
	}
	return strings.ReplaceAll(code, "-", " ")
}

// UrgentFlag reports whether a flag of urgency u makes the result an
// urgent referral (emergency or urgent; soon flags do not).
func UrgentFlag(u Urgency) bool { return u == Emergency || u == Urgent }

// ScreenGap is a red flag some of whose screening questions were not
// answered.
type ScreenGap struct {
	Code    string
	Name    string
	Urgency Urgency
	// Unanswered are the questions left empty, each in words (the
	// contract's description of the field).
	Unanswered []string
	// None is true when not one of the flag's questions was answered:
	// the flag was not screened for at all.
	None bool
}

// RedFlagScreen lists, for every red flag, the screening questions a
// left unanswered, in the order of the rules; a flag all of whose
// questions were answered is left out. (Where a rule reads a left/right
// pair, as the neurological examination does, each side is a question.)
func RedFlagScreen(a *Assessment) []ScreenGap {
	var out []ScreenGap
	for _, f := range redFlagInfos {
		g := ScreenGap{Code: f.Code, Name: f.Name, Urgency: f.Urgency}
		for _, path := range f.Screen {
			fi, ok := LookupField(path)
			if !ok {
				continue // the tests keep the table and the contract in step
			}
			if _, given := fi.Get(a); !given {
				g.Unanswered = append(g.Unanswered, screenQuestion(fi))
			}
		}
		if len(g.Unanswered) > 0 {
			g.None = len(g.Unanswered) == len(f.Screen)
			out = append(out, g)
		}
	}
	return out
}

// screenLabels word the screening questions whose contract description
// does not read as a question on its own; the others use the description.
var screenLabels = map[string]string{
	"history.bladderOrBowelDysfunction":        "new bladder or bowel dysfunction (retention, incontinence or a change in control)",
	"exam.calfCircumferenceDifferenceCm":       "calf circumference difference, affected minus unaffected, 10 cm below the tibial tuberosity (cm)",
	"exam.calfSqueezeTest":                     "calf squeeze (Thompson/Simmonds) test",
	"history.onsetDuringLoading":               "onset, or a sudden worsening, at a definite moment of loading (sprint, jump, lunge, push-off)",
	"imaging.ultrasound.tear":                  "a tear on ultrasound",
	"imaging.ankleMri.tendon":                  "the Achilles tendon on MRI",
	"imaging.ankleMri.calcanealFractureLine":   "a calcaneal fracture line on MRI",
	"imaging.radiograph.calcanealFractureLine": "a calcaneal fracture line or sclerotic band on a radiograph",
	"history.morningStiffnessMinutes":          "duration of morning stiffness (minutes)",
	"side":                                     "side of the symptoms (left, right or both)",
	"exam.plantarflexionStrengthMrc":           "plantarflexion strength, MRC grade (symptomatic side)",
}

// screenQuestion is a field's question in words: its label or its
// description, with the side for the neurological examination's left
// and right.
func screenQuestion(fi FieldInfo) string {
	q := screenLabels[fi.Path]
	if q == "" {
		q = fi.Doc
	}
	if q == "" {
		q = fi.Name
	}
	switch {
	case strings.HasPrefix(fi.Path, "exam.neuro.left."):
		q += " (left)"
	case strings.HasPrefix(fi.Path, "exam.neuro.right."):
		q += " (right)"
	}
	return q
}

// Plan elements that an emergency or urgent red flag contradicts: the
// "no routine imaging" advice, referral only after 12 weeks of
// treatment, and every loading, stretching, running and exercise
// progression element. These are the plan library's elements tagged
// no-routine-imaging, late-referral, loading, heavy, stretch,
// keep-running, return-to-running and continues-loading (kb/plan.yaml; the
// assess tests check the list against the tags).
var contradictedByUrgentFlag = map[string]bool{
	"imaging-spine": true, "non-response": true,
	"load-management": true, "loading-midportion": true, "loading-conservative": true, "loading-insertional": true,
	"stretching": true, "stretching-insertional": true, "calf-strength": true,
	"return-running": true, "maintenance-loading": true,
}

// ContradictedByUrgentFlag reports whether the plan element id is one an
// emergency or urgent red flag contradicts.
func ContradictedByUrgentFlag(id string) bool { return contradictedByUrgentFlag[id] }

// SafePlan is the plan as it may be shown beside the result's red flags.
// With an emergency or urgent flag it leaves out the elements the flag
// contradicts (a stored result from an older model may still carry them)
// and returns why, in one line; with none it returns the plan unchanged
// and "".
func SafePlan(res *Result) (Plan, string) {
	if res == nil {
		return Plan{}, ""
	}
	var names []string
	for _, f := range res.RedFlags {
		if UrgentFlag(f.Urgency) {
			names = append(names, RedFlagName(f.Code))
		}
	}
	if len(names) == 0 {
		return res.Plan, ""
	}
	p := res.Plan
	keep := func(items []PlanItem) []PlanItem {
		var out []PlanItem
		for _, it := range items {
			if !contradictedByUrgentFlag[it.ID] {
				out = append(out, it)
			}
		}
		return out
	}
	p.Referral = keep(p.Referral)
	p.Phases = make([]Phase, len(res.Plan.Phases))
	for i, ph := range res.Plan.Phases {
		ph.Components = keep(ph.Components)
		p.Phases[i] = ph
	}
	why := "Not part of the plan until " + strings.Join(names, " and ") +
		" is excluded or treated: tendon loading, stretching, running and exercise progression, \"no routine imaging\" and referral only after 12 weeks."
	return p, why
}

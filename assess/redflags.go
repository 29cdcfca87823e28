package assess

import (
	"fmt"
	"sort"
	"strings"

	"github.com/tendo-health/tendo"
)

// Rule is a red-flag rule: it reads the assessment directly and fires
// regardless of any probability.
type Rule struct {
	Code string
	// Name is the flag in plain words ("suspected cauda equina syndrome").
	Name    string
	Urgency tendo.Urgency
	// Trigger says in words when the rule fires (for the model card).
	Trigger string
	Action  string
	Sources string // source keys
	check   func(a *tendo.Assessment) (reasons []string)
}

func isTrue(p *bool) bool { return p != nil && *p }

// Rules returns the red-flag rules in the order they are checked.
func Rules() []Rule { return rules }

var rules = []Rule{
	{
		Code:    "cauda-equina-syndrome",
		Urgency: tendo.Emergency,
		Trigger: "saddle anaesthesia, new bladder or bowel dysfunction, or radicular symptoms in both legs",
		Action:  "Emergency: same-day emergency MRI and spinal surgical assessment. Do not wait for the symptoms to progress.",
		Sources: "cesreview",
		check: func(a *tendo.Assessment) []string {
			var r []string
			h := a.History
			if isTrue(h.SaddleAnesthesia) {
				r = append(r, "saddle anaesthesia")
			}
			if isTrue(h.BladderOrBowelDysfunction) {
				r = append(r, "new bladder or bowel dysfunction")
			}
			if isTrue(h.BilateralLegSymptoms) {
				r = append(r, "radicular symptoms in both legs")
			}
			return r
		},
	},
	{
		Code:    "suspected-dvt",
		Urgency: tendo.Emergency,
		Trigger: "Wells-type score of 2 or more, one point each for calf swelling, warmth or redness; calf circumference 3 cm or more above the other side; pitting oedema; recent immobilisation or surgery; previous DVT; history of cancer",
		Action:  "Emergency: same-day duplex ultrasound (DVT likely on the Wells score). If it cannot be done within 4 hours, discuss interim anticoagulation with the medical team.",
		Sources: "wells",
		check: func(a *tendo.Assessment) []string {
			r := dvtCriteria(a)
			if len(r) >= 2 {
				return r
			}
			return nil
		},
	},
	{
		Code:    "suspected-achilles-rupture",
		Urgency: tendo.Urgent,
		Trigger: "an abnormal calf squeeze test, a palpable gap, or sudden onset with a snap or kick sensation and loss of push-off (no heel raise, plantarflexion MRC 3 or less, or reduced push-off)",
		Action:  "Same-day orthopaedic or emergency assessment. Protect the ankle in plantarflexion; no tendon loading until a rupture is excluded. The diagnosis is clinical; ultrasound when a partial tear or the gap matters.",
		Sources: "maffulli1998, choosingwisely",
		check: func(a *tendo.Assessment) []string {
			var r []string
			e, h := a.Exam, a.History
			if e.CalfSqueezeTest != nil && *e.CalfSqueezeTest == tendo.SqueezeAbnormal {
				r = append(r, "abnormal calf squeeze test (no plantarflexion)")
			}
			if isTrue(e.PalpableGap) {
				r = append(r, "palpable gap in the tendon")
			}
			lostPushOff := isTrue(a.Gait.ReducedPushOff) ||
				(e.HeelRaiseReps != nil && e.HeelRaiseReps.Affected != nil && *e.HeelRaiseReps.Affected == 0) ||
				(e.PlantarflexionStrengthMRC != nil && *e.PlantarflexionStrengthMRC <= 3)
			if h.Onset != nil && *h.Onset == tendo.OnsetSudden && isTrue(h.PopOrKickSensation) && lostPushOff {
				r = append(r, "sudden onset with a snap or kick sensation and loss of push-off")
			}
			return r
		},
	},
	{
		Code:    "progressive-neurological-deficit",
		Urgency: tendo.Urgent,
		Trigger: "weakness that is getting worse, or plantarflexion MRC 3 or less with a radicular sign (positive straight leg raise, slump or crossed straight leg raise, S1 sensory loss, absent ankle reflex, or leg pain below the knee)",
		Action:  "Urgent spinal surgical referral (within days). Record muscle grades to track change.",
		Sources: "rcgppathway",
		check: func(a *tendo.Assessment) []string {
			var r []string
			e := a.Exam
			if isTrue(a.History.ProgressiveWeakness) {
				r = append(r, "weakness that is getting worse")
			}
			if e.PlantarflexionStrengthMRC != nil && *e.PlantarflexionStrengthMRC <= 3 {
				if signs := radicularSigns(a); len(signs) > 0 {
					r = append(r, fmt.Sprintf("plantarflexion MRC %d with %s", *e.PlantarflexionStrengthMRC, strings.Join(signs, ", ")))
				}
			}
			return r
		},
	},
	{
		Code:    "serious-spinal-pathology",
		Urgency: tendo.Urgent,
		Trigger: "back or radicular leg pain with a history of cancer, unexplained weight loss, fever, or significant trauma",
		Action:  "Urgent medical assessment for malignancy, infection or fracture (a history of cancer raises the probability of spinal malignancy to about 33%); imaging and blood tests by the local pathway.",
		Sources: "downie2013, verhagen2016",
		check: func(a *tendo.Assessment) []string {
			h := a.History
			if !isTrue(h.LowBackPain) && !isTrue(h.LegPainBelowKnee) {
				return nil
			}
			var r []string
			if isTrue(h.HistoryOfCancer) {
				r = append(r, "history of cancer")
			}
			if isTrue(h.UnexplainedWeightLoss) {
				r = append(r, "unexplained weight loss")
			}
			if isTrue(h.Fever) {
				r = append(r, "fever")
			}
			if isTrue(h.RecentSignificantTrauma) {
				r = append(r, "significant trauma")
			}
			if len(r) > 0 {
				r = append(r, "with back or leg pain")
			}
			return r
		},
	},
	{
		Code:    "calcaneal-stress-fracture",
		Urgency: tendo.Urgent,
		Trigger: "pain on calcaneal squeeze after a rise in training load",
		Action:  "Offload (protected weight-bearing) and image: early X-rays detect only 12–56%, so MRI or a bone scan.",
		Sources: "aafp2004",
		check: func(a *tendo.Assessment) []string {
			if isTrue(a.Exam.HeelSqueezePain) && isTrue(a.History.TrainingLoadIncrease) {
				return []string{"pain on calcaneal squeeze after a rise in training load"}
			}
			return nil
		},
	},
	{
		Code:    "inflammatory-enthesitis",
		Urgency: tendo.Soon,
		Trigger: "known inflammatory arthritis, morning stiffness over 30 minutes, or insertional pain on both sides",
		Action:  "Rheumatology review; screen for spondyloarthritis and psoriatic arthritis.",
		Sources: "australiandoctor2021",
		check: func(a *tendo.Assessment) []string {
			var r []string
			h := a.History
			if isTrue(h.InflammatoryArthritis) {
				r = append(r, "known inflammatory arthritis")
			}
			if h.MorningStiffnessMinutes != nil && *h.MorningStiffnessMinutes > 30 {
				r = append(r, fmt.Sprintf("morning stiffness of %g minutes (over 30)", *h.MorningStiffnessMinutes))
			}
			if a.Side != nil && *a.Side == tendo.SideBilateral && h.PainSite != nil && *h.PainSite == tendo.PainSiteInsertion {
				r = append(r, "insertional pain on both sides")
			}
			return r
		},
	},
	{
		Code:    "fluoroquinolone-tendon-risk",
		Urgency: tendo.Soon,
		Trigger: "a fluoroquinolone in the last 6 months (risk higher at 60 or over and with corticosteroids)",
		Action:  "Review with the prescriber: stop or avoid fluoroquinolones where possible; keep loading conservative and check for rupture signs at each visit.",
		Sources: "vanderlinden2003, morales2019",
		check: func(a *tendo.Assessment) []string {
			h := a.History
			if !isTrue(h.FluoroquinoloneLast6Months) {
				return nil
			}
			r := []string{"fluoroquinolone in the last 6 months"}
			if a.Patient.AgeYears != nil && *a.Patient.AgeYears >= 60 {
				r = append(r, fmt.Sprintf("age %d (OR 6.4 at 60–79)", *a.Patient.AgeYears))
			}
			if isTrue(h.SystemicCorticosteroids) {
				r = append(r, "with systemic corticosteroids (aIRR 19.4)")
			}
			return r
		},
	},
}

// dvtCriteria lists the Wells-type criteria present.
func dvtCriteria(a *tendo.Assessment) []string {
	var r []string
	e, h := a.Exam, a.History
	if isTrue(e.CalfSwellingWarmthOrRedness) {
		r = append(r, "calf swelling, warmth or redness")
	}
	if e.CalfCircumferenceDifferenceCm != nil && *e.CalfCircumferenceDifferenceCm >= 3 {
		r = append(r, fmt.Sprintf("calf circumference %g cm larger", *e.CalfCircumferenceDifferenceCm))
	}
	if isTrue(e.PittingEdema) {
		r = append(r, "pitting oedema")
	}
	if isTrue(h.RecentImmobilisationOrSurgery) {
		r = append(r, "recent immobilisation or surgery")
	}
	if isTrue(h.PreviousDVT) {
		r = append(r, "previous DVT")
	}
	if isTrue(h.HistoryOfCancer) {
		r = append(r, "history of cancer")
	}
	return r
}

func radicularSigns(a *tendo.Assessment) []string {
	var r []string
	e := a.Exam
	if e.StraightLegRaise != nil && *e.StraightLegRaise == tendo.Positive {
		r = append(r, "a positive straight leg raise")
	}
	if e.Slump != nil && *e.Slump == tendo.Positive {
		r = append(r, "a positive slump test")
	}
	if e.CrossedStraightLegRaise != nil && *e.CrossedStraightLegRaise == tendo.DichotomousPositive {
		r = append(r, "a positive crossed straight leg raise")
	}
	if isTrue(e.S1SensoryDeficit) {
		r = append(r, "S1 sensory loss")
	}
	if e.AnkleReflex != nil && *e.AnkleReflex == tendo.ReflexAbsent {
		r = append(r, "an absent ankle reflex")
	}
	if isTrue(a.History.LegPainBelowKnee) {
		r = append(r, "leg pain below the knee")
	}
	return r
}

// redFlags evaluates every rule, most urgent first.
func (e *Engine) redFlags(a *tendo.Assessment) []tendo.RedFlag {
	out := make([]tendo.RedFlag, 0, 2)
	for _, r := range rules {
		reasons := r.check(a)
		if len(reasons) == 0 {
			continue
		}
		out = append(out, tendo.RedFlag{
			Code:    r.Code,
			Urgency: r.Urgency,
			Reason:  strings.Join(reasons, "; "),
			Action:  r.Action,
			Source:  e.cites[r.Sources],
		})
	}
	rank := map[tendo.Urgency]int{tendo.Emergency: 0, tendo.Urgent: 1, tendo.Soon: 2}
	sort.SliceStable(out, func(i, j int) bool { return rank[out[i].Urgency] < rank[out[j].Urgency] })
	return out
}

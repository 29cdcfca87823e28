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
		Name:    "suspected cauda equina syndrome",
		Urgency: tendo.Emergency,
		Trigger: "saddle anaesthesia, new bladder or bowel dysfunction, or radicular symptoms in both legs (symmetrical reflex or sensory loss of a neuropathy is not a radicular symptom)",
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
		Name:    "suspected deep vein thrombosis",
		Urgency: tendo.Emergency,
		Trigger: "Wells-type score of 2 or more, one point each for calf swelling, warmth or redness; calf circumference 3 cm or more above the other side; pitting oedema; recent immobilisation or surgery; previous DVT; history of cancer",
		Action:  "Emergency: same-day duplex ultrasound (DVT likely on the Wells score). If it cannot be done within 4 hours, discuss interim anticoagulation with the medical team. No calf or tendon loading until DVT is excluded.",
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
		Name:    "suspected Achilles rupture or partial tear",
		Urgency: tendo.Urgent,
		Trigger: "an abnormal calf squeeze test, a palpable gap, or sudden onset with a snap or kick sensation and loss of push-off; or a suspected partial tear: onset at a moment of loading with a weak push-off (heel raises on the affected side at most half the other side's, plantarflexion MRC 4 or less, or reduced push-off) and the tendon as the site (tenderness or pain at the midportion or insertion, or new focal tendon swelling); or a tear on ultrasound or MRI",
		Action:  "Same-day orthopaedic or emergency assessment. Protect the ankle in plantarflexion; no tendon loading, stretching or heel raises until a rupture is excluded. The diagnosis of a complete rupture is clinical; a normal calf squeeze test does not exclude a partial tear, so image (ultrasound, or MRI if unclear) when one is suspected.",
		Sources: "maffulli1998, choosingwisely, gatz2020, kayser2005",
		check:   ruptureReasons,
	},
	{
		Code:    "suspected-infection",
		Name:    "suspected infection",
		Urgency: tendo.Urgent,
		Trigger: "a warm or red posterior heel with fever, a skin breach or procedure at the heel, immunosuppression, long-term corticosteroids or diabetes",
		Action:  "Same-day medical assessment to exclude septic bursitis or arthritis and calcaneal osteomyelitis (bloods including inflammatory markers, aspiration or imaging as the local pathway says). Do not inject or load the heel until infection is excluded.",
		Sources: "margaretten2007, couderc2015, nice19",
		check: func(a *tendo.Assessment) []string {
			x, h := a.Exam, a.History
			if !isTrue(x.PosteriorHeelWarmth) && !isTrue(x.PosteriorHeelRedness) {
				return nil
			}
			var risk []string
			if isTrue(h.Fever) {
				risk = append(risk, "fever")
			}
			if isTrue(h.HeelSkinBreachOrProcedure) {
				risk = append(risk, "a skin breach or procedure at the heel")
			}
			if isTrue(h.Immunosuppression) {
				risk = append(risk, "immunosuppression")
			}
			if isTrue(h.LongTermCorticosteroids) {
				risk = append(risk, "long-term corticosteroids")
			}
			if isTrue(h.Diabetes) {
				risk = append(risk, "diabetes (a red, warm, swollen diabetic foot is active Charcot foot or infection until proven otherwise)")
			}
			if len(risk) == 0 {
				return nil
			}
			var local []string
			if isTrue(x.PosteriorHeelWarmth) {
				local = append(local, "warmth")
			}
			if isTrue(x.PosteriorHeelRedness) {
				local = append(local, "redness")
			}
			return []string{"posterior heel " + strings.Join(local, " and ") + " with " + strings.Join(risk, ", ")}
		},
	},
	{
		Code:    "critical-limb-ischaemia",
		Name:    "suspected critical limb ischaemia",
		Urgency: tendo.Urgent,
		Trigger: "ischaemic rest pain with arterial disease on the symptomatic side: ABPI under 0.90, or the dorsalis pedis and posterior tibial pulses both absent",
		Action:  "Urgent vascular referral (within days; same day with tissue loss, or if the foot is cold, pale and numb — acute ischaemia is an emergency and outside tendo's scope). ABPI must not delay referral. No loading or compression.",
		Sources: "cli, khan2006",
		check: func(a *tendo.Assessment) []string {
			x := a.Exam
			if !isTrue(a.History.IschaemicRestPain) {
				return nil
			}
			var r []string
			if x.ABPI != nil && *x.ABPI < 0.90 {
				r = append(r, fmt.Sprintf("ischaemic rest pain with ABPI %.2f (under 0.90)", *x.ABPI))
			}
			if x.DorsalisPedisPulse != nil && *x.DorsalisPedisPulse == tendo.PulseAbsent &&
				x.PosteriorTibialPulse != nil && *x.PosteriorTibialPulse == tendo.PulseAbsent {
				r = append(r, "ischaemic rest pain with both foot pulses absent")
			}
			return r
		},
	},
	{
		Code:    "progressive-neurological-deficit",
		Name:    "progressive or severe neurological deficit",
		Urgency: tendo.Urgent,
		Trigger: "weakness that is getting worse, or MRC 3 or less in plantarflexion, ankle dorsiflexion or great-toe extension on the symptomatic side (for example foot drop) with a radicular sign (positive straight leg raise, slump or crossed straight leg raise, dermatomal sensory loss, an absent ankle reflex, or radiating leg pain below the knee)",
		Action:  "Urgent spinal surgical referral (within days). Record muscle grades to track change.",
		Sources: "rcgppathway",
		check: func(a *tendo.Assessment) []string {
			var r []string
			if isTrue(a.History.ProgressiveWeakness) {
				r = append(r, "weakness that is getting worse")
			}
			weak := severeWeakness(a)
			if len(weak) > 0 {
				if signs := radicularSigns(a); len(signs) > 0 {
					r = append(r, fmt.Sprintf("%s with %s", strings.Join(weak, ", "), strings.Join(signs, ", ")))
				}
			}
			return r
		},
	},
	{
		Code:    "serious-spinal-pathology",
		Name:    "possible serious spinal pathology",
		Urgency: tendo.Urgent,
		Trigger: "low back pain with a history of cancer, unexplained weight loss, fever, or significant trauma (without back pain these point to a local cause instead)",
		Action:  "Urgent medical assessment for malignancy, infection or fracture (a history of cancer raises the probability of spinal malignancy to about 33%); imaging and blood tests by the local pathway.",
		Sources: "downie2013, verhagen2016",
		check: func(a *tendo.Assessment) []string {
			h := a.History
			if !isTrue(h.LowBackPain) {
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
				r = append(r, "with low back pain")
			}
			return r
		},
	},
	{
		Code:    "calcaneal-stress-fracture",
		Name:    "suspected calcaneal stress or insufficiency fracture",
		Urgency: tendo.Urgent,
		Trigger: "in an adult, pain on calcaneal squeeze after a rise in training load, or with long-term corticosteroids, osteoporosis or a fragility fracture, or with systemic corticosteroids and night pain; a calcaneal fracture line on MRI or a radiograph; in a skeletally immature patient (or, when not recorded, under 14 years), heel squeeze pain only with night pain, fever, posterior heel swelling or warmth",
		Action:  "Offload (protected weight-bearing, no running or jumping) and image: early X-rays detect only 12–56%, so MRI (or a bone scan). With corticosteroids or osteoporosis, review bone health.",
		Sources: "aafp2004, wright2016, vanstaa2000",
		check:   fractureReasons,
	},
	{
		Code:    "inflammatory-enthesitis",
		Name:    "possible inflammatory enthesitis",
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
		Name:    "fluoroquinolone tendon risk",
		Urgency: tendo.Soon,
		Trigger: "a fluoroquinolone in the last 6 months (risk higher at 60 or over and with corticosteroids)",
		Action:  "Review with the prescriber: stop or avoid fluoroquinolones where possible. Keep loading conservative — body weight, slow, within the pain rules, no heavy slow resistance, no added weight and no plyometrics — for 3 months from the last dose (the excess rupture risk is greatest in the first weeks and persists for about 2 months), and check for rupture signs at each visit.",
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

// ruptureReasons is the suspected-achilles-rupture rule: the v1 triggers
// and the v1.1 partial-tear and imaging triggers.
func ruptureReasons(a *tendo.Assessment) []string {
	var r []string
	x, h := a.Exam, a.History
	if x.CalfSqueezeTest != nil && *x.CalfSqueezeTest == tendo.SqueezeAbnormal {
		r = append(r, "abnormal calf squeeze test (no plantarflexion)")
	}
	if isTrue(x.PalpableGap) {
		r = append(r, "palpable gap in the tendon")
	}
	mrc, _, hasMRC := a.EffectivePlantarflexionMRC()
	lostPushOff := isTrue(a.Gait.ReducedPushOff) ||
		(x.HeelRaiseReps != nil && x.HeelRaiseReps.Affected != nil && *x.HeelRaiseReps.Affected == 0) ||
		(hasMRC && mrc <= 3)
	if h.Onset != nil && *h.Onset == tendo.OnsetSudden && isTrue(h.PopOrKickSensation) && lostPushOff {
		r = append(r, "sudden onset with a snap or kick sensation and loss of push-off")
	}
	if isTrue(h.OnsetDuringLoading) {
		var weak []string
		if hr := x.HeelRaiseReps; hr != nil && hr.Affected != nil && hr.Unaffected != nil && 2*(*hr.Affected) <= *hr.Unaffected {
			weak = append(weak, fmt.Sprintf("%d heel raises against %d", *hr.Affected, *hr.Unaffected))
		}
		if hasMRC && mrc <= 4 {
			weak = append(weak, fmt.Sprintf("plantarflexion MRC %d", mrc))
		}
		if isTrue(a.Gait.ReducedPushOff) {
			weak = append(weak, "reduced push-off")
		}
		var site []string
		if x.Tenderness != nil && (*x.Tenderness == tendo.TendernessMidportion || *x.Tenderness == tendo.TendernessInsertion) {
			site = append(site, "tenderness at the "+string(*x.Tenderness))
		} else if h.PainSite != nil && (*h.PainSite == tendo.PainSiteMidportion || *h.PainSite == tendo.PainSiteInsertion) {
			site = append(site, "pain at the "+string(*h.PainSite))
		}
		if isTrue(x.FocalTendonSwelling) {
			site = append(site, "new focal tendon swelling")
		}
		if len(weak) > 0 && len(site) > 0 {
			r = append(r, fmt.Sprintf("suspected partial tear: onset at a moment of loading, weak push-off (%s) and the tendon as the site (%s); a normal calf squeeze test does not exclude a partial tear",
				strings.Join(weak, ", "), strings.Join(site, ", ")))
		}
	}
	if us := a.Imaging.Ultrasound; us != nil && us.Tear != nil && *us.Tear != tendo.TearNone {
		r = append(r, "a "+string(*us.Tear)+" tear on ultrasound")
	}
	if mri := a.Imaging.AnkleMRI; mri != nil && mri.Tendon != nil &&
		(*mri.Tendon == tendo.MRITendonPartialTear || *mri.Tendon == tendo.MRITendonFullThicknessTear) {
		r = append(r, "a "+strings.TrimSuffix(string(*mri.Tendon), "-tear")+" tear on MRI")
	}
	return r
}

// Immature reports whether the patient is skeletally immature: the field
// when given, else an age under 14 (the contract's rule).
func Immature(a *tendo.Assessment) bool {
	if a.Patient.SkeletallyImmature != nil {
		return *a.Patient.SkeletallyImmature
	}
	return a.Patient.AgeYears != nil && *a.Patient.AgeYears < 14
}

// fractureReasons is the calcaneal-stress-fracture rule, with the
// skeletally immature exception (calcaneal apophysitis).
func fractureReasons(a *tendo.Assessment) []string {
	var r []string
	x, h := a.Exam, a.History
	if isTrue(x.HeelSqueezePain) {
		if Immature(a) {
			var also []string
			if isTrue(h.NightPain) {
				also = append(also, "night pain")
			}
			if isTrue(h.Fever) {
				also = append(also, "fever")
			}
			if isTrue(x.PosteriorHeelSwelling) {
				also = append(also, "posterior heel swelling")
			}
			if isTrue(x.PosteriorHeelWarmth) {
				also = append(also, "posterior heel warmth")
			}
			if len(also) > 0 {
				r = append(r, "heel squeeze pain in a growing heel with "+strings.Join(also, ", ")+" (not the usual picture of Sever's disease)")
			}
		} else {
			if isTrue(h.TrainingLoadIncrease) {
				r = append(r, "pain on calcaneal squeeze after a rise in training load")
			}
			var weak []string
			if isTrue(h.LongTermCorticosteroids) {
				weak = append(weak, "long-term corticosteroids")
			}
			if isTrue(h.OsteoporosisOrFragilityFracture) {
				weak = append(weak, "osteoporosis or a fragility fracture")
			}
			if isTrue(h.SystemicCorticosteroids) && isTrue(h.NightPain) && !isTrue(h.LongTermCorticosteroids) {
				weak = append(weak, "systemic corticosteroids and night pain")
			}
			if len(weak) > 0 {
				r = append(r, "pain on calcaneal squeeze with "+strings.Join(weak, ", ")+" (insufficiency fracture)")
			}
		}
	}
	if mri := a.Imaging.AnkleMRI; mri != nil && isTrue(mri.CalcanealFractureLine) {
		r = append(r, "a calcaneal fracture line on MRI")
	}
	if xr := a.Imaging.Radiograph; xr != nil && isTrue(xr.CalcanealFractureLine) {
		r = append(r, "a calcaneal fracture line on the radiograph")
	}
	return r
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

// severeWeakness lists MRC grades of 3 or less on the symptomatic side.
func severeWeakness(a *tendo.Assessment) []string {
	var r []string
	if mrc, _, ok := a.EffectivePlantarflexionMRC(); ok && mrc <= 3 {
		r = append(r, fmt.Sprintf("plantarflexion MRC %d", mrc))
	}
	for _, f := range []struct{ field, name string }{
		{"ankleDorsiflexionMrc", "ankle dorsiflexion"}, {"greatToeExtensionMrc", "great-toe extension"},
	} {
		if v, ok := a.NeuroAffected(f.field); ok && v.IsMRC && v.MRC <= 3 {
			r = append(r, fmt.Sprintf("%s MRC %d", f.name, v.MRC))
		}
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
	if d, _, ok := a.EffectiveS1SensoryDeficit(); ok && d {
		r = append(r, "S1 sensory loss")
	} else {
		for _, k := range []string{"sensation.medialShin", "sensation.lateralShin", "sensation.dorsalFoot"} {
			if v, ok := a.NeuroAffected(k); ok && v.Grade != tendo.ReflexNormal {
				r = append(r, "dermatomal sensory loss")
				break
			}
		}
	}
	if g, _, ok := a.EffectiveAnkleReflex(); ok && g == tendo.ReflexAbsent {
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

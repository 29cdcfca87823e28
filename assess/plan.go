package assess

import (
	"fmt"
	"math"
	"sort"
	"strings"

	"github.com/tendo-health/tendo"
)

// facts is what the plan's predicates read.
type facts struct {
	a   *tendo.Assessment
	res *tendo.Result
	e   *Engine
}

func (f facts) flag(code string) bool {
	for _, r := range f.res.RedFlags {
		if r.Code == code {
			return true
		}
	}
	return false
}

// noLoading reports whether loading is contraindicated (the noLoading
// predicate).
func (f facts) noLoading() bool {
	u := f.e.unlike
	return f.flag("suspected-achilles-rupture") || f.res.Probabilities.AchillesRupture >= u || f.diff("partial-achilles-tear") >= u ||
		f.flag("calcaneal-stress-fracture") || f.diff("calcaneal-stress-fracture") >= u ||
		f.flag("suspected-infection") || f.diff("infection") >= u ||
		f.flag("suspected-dvt") || f.diff("dvt") >= u ||
		f.flag("critical-limb-ischaemia") || f.flag("cauda-equina-syndrome")
}

// diff is the probability of a differential condition (0 when below the
// listing floor).
func (f facts) diff(code string) float64 {
	for _, d := range f.res.Differential {
		if d.Code == code {
			return d.Probability
		}
	}
	return 0
}

func (f facts) site() string {
	if s := f.res.TendinopathySite; s != nil {
		return *s
	}
	p := f.res.Probabilities
	if p.AchillesTendinopathy < f.e.unlike {
		return ""
	}
	if p.InsertionalTendinopathy > p.MidportionTendinopathy {
		return "insertional"
	}
	return "midportion"
}

func positive(r *tendo.TestResult) bool {
	return r != nil && (*r == tendo.Positive || *r == tendo.Equivocal)
}

// Predicate is a named condition of the plan library, with its definition
// in words for the model card.
type Predicate struct {
	Name       string
	Definition string
	test       func(f facts) bool
}

var predicates = []Predicate{
	{"always", "always true", func(f facts) bool { return true }},
	{"urgentReferral", "the classification is urgent-referral (an emergency or urgent red flag)", func(f facts) bool {
		return f.res.Classification == tendo.UrgentReferral
	}},
	{"ruptureSuspected", "the suspected-achilles-rupture red flag fired, or the probability of a complete rupture or of a partial tear is at least the 'unlikely' threshold (0.3)", func(f facts) bool {
		return f.flag("suspected-achilles-rupture") || f.res.Probabilities.AchillesRupture >= f.e.unlike || f.diff("partial-achilles-tear") >= f.e.unlike
	}},
	{"fractureSuspected", "the calcaneal-stress-fracture red flag fired, or its probability is at least 0.3", func(f facts) bool {
		return f.flag("calcaneal-stress-fracture") || f.diff("calcaneal-stress-fracture") >= f.e.unlike
	}},
	{"infectionSuspected", "the suspected-infection red flag fired, or the probability of infection is at least 0.3", func(f facts) bool {
		return f.flag("suspected-infection") || f.diff("infection") >= f.e.unlike
	}},
	{"dvtSuspected", "the suspected-dvt red flag fired, or the probability of a DVT is at least 0.3", func(f facts) bool {
		return f.flag("suspected-dvt") || f.diff("dvt") >= f.e.unlike
	}},
	{"ischaemiaFlag", "the critical-limb-ischaemia red flag fired", func(f facts) bool { return f.flag("critical-limb-ischaemia") }},
	{"noLoading", "loading is contraindicated: a suspected rupture or partial tear, fracture, infection, DVT, critical ischaemia or cauda equina syndrome", func(f facts) bool {
		return f.noLoading()
	}},
	{"fluoroquinoloneFlag", "the fluoroquinolone-tendon-risk red flag fired", func(f facts) bool { return f.flag("fluoroquinolone-tendon-risk") }},
	{"inflammatoryFlag", "the inflammatory-enthesitis red flag fired", func(f facts) bool { return f.flag("inflammatory-enthesitis") }},
	{"tendonInvolved", "the probability of tendinopathy is at least the 'unlikely' threshold (0.3)", func(f facts) bool {
		return f.res.Probabilities.AchillesTendinopathy >= f.e.unlike
	}},
	{"lumbarInvolved", "the probability of a lumbar contribution is at least the 'unlikely' threshold (0.3)", func(f facts) bool {
		return f.res.Probabilities.LumbarContribution >= f.e.unlike
	}},
	{"uncertain", "the classification is uncertain", func(f facts) bool { return f.res.Classification == tendo.Uncertain }},
	{"otherOrUncertain", "the classification is other-cause or uncertain", func(f facts) bool {
		return f.res.Classification == tendo.OtherCause || f.res.Classification == tendo.Uncertain
	}},
	{"insertional", "the tendinopathy is insertional (the reported site, or the more probable site when tendinopathy is at least possible)", func(f facts) bool {
		return f.site() == "insertional"
	}},
	{"runner", "the patient runs regularly", func(f facts) bool { return isTrue(f.a.Patient.Runner) }},
	{"runnerOrLoadRise", "the patient runs, plays competitive sport, or raised their training load", func(f facts) bool {
		return isTrue(f.a.Patient.Runner) || isTrue(f.a.History.TrainingLoadIncrease) ||
			(f.a.Patient.ActivityLevel != nil && *f.a.Patient.ActivityLevel == tendo.ActivityCompetitive)
	}},
	{"tendonRiskDrug", "a fluoroquinolone, systemic corticosteroids or a corticosteroid injection near the Achilles", func(f facts) bool {
		h := f.a.History
		return isTrue(h.FluoroquinoloneLast6Months) || isTrue(h.SystemicCorticosteroids) || isTrue(h.CorticosteroidInjectionAchilles)
	}},
	{"neuralSigns", "a positive or equivocal straight leg raise or slump test, or a positive crossed straight leg raise", func(f facts) bool {
		e := f.a.Exam
		return positive(e.StraightLegRaise) || positive(e.Slump) ||
			(e.CrossedStraightLegRaise != nil && *e.CrossedStraightLegRaise == tendo.DichotomousPositive)
	}},
	{"reducedDorsiflexion", "knee-to-wall lunge under 9 cm", func(f facts) bool {
		return f.a.Exam.KneeToWallCm != nil && *f.a.Exam.KneeToWallCm < 9
	}},
	{"calfDeficit", "heel raises on the affected side under 90% of the other, plantarflexion MRC 4 or less, or calf weakness probable (0.5 or more)", func(f facts) bool {
		e := f.a.Exam
		if r := e.HeelRaiseReps; r != nil && r.Affected != nil && r.Unaffected != nil && *r.Unaffected > 0 &&
			float64(*r.Affected) < 0.9*float64(*r.Unaffected) {
			return true
		}
		if e.PlantarflexionStrengthMRC != nil && *e.PlantarflexionStrengthMRC <= 4 {
			return true
		}
		return f.res.Probabilities.CalfWeakness >= 0.5
	}},
	{"gaitFocus", "the patient runs, an antalgic gait, trunk lean or reduced push-off was seen, or a compensatory gait is probable (0.5 or more)", func(f facts) bool {
		g := f.a.Gait
		return isTrue(f.a.Patient.Runner) || isTrue(g.Antalgic) || isTrue(g.TrunkLean) || isTrue(g.ReducedPushOff) ||
			f.res.Probabilities.CompensatoryGait >= 0.5
	}},
}

// leadPrefix names the predicates "lead:CODE": CODE is the leading
// differential (not a lumbar root) of an other-cause or uncertain result
// with probability at least 0.3, or of an other-cause result at any
// probability.
const leadPrefix = "lead:"

// PredicateNames lists the predicates the plan library may use, including
// one "lead:CODE" per differential code.
func PredicateNames() []string {
	out := make([]string, 0, len(predicates)+18)
	for _, p := range predicates {
		out = append(out, p.Name)
	}
	for _, c := range tendo.DifferentialCodes() {
		out = append(out, leadPrefix+c)
	}
	return out
}

// Predicates returns the predicates with their definitions.
func Predicates() []Predicate { return predicates }

func (e *Engine) holds(name string, f facts) bool {
	if code, ok := strings.CutPrefix(name, leadPrefix); ok {
		lead, has := f.res.LeadingDifferential()
		if !has || lead.Code != code {
			return false
		}
		switch f.res.Classification {
		case tendo.OtherCause:
			return true
		case tendo.Uncertain:
			return lead.Probability >= e.unlike
		}
		return false
	}
	for _, p := range predicates {
		if p.Name == name {
			return p.test(f)
		}
	}
	return false // unreachable: LoadPlan checks the names
}

// buildPlan chooses the plan's elements from the library.
func (e *Engine) buildPlan(a *tendo.Assessment, res *tendo.Result) tendo.Plan {
	f := facts{a: a, res: res, e: e}
	plan := tendo.Plan{Referral: []tendo.PlanItem{}}
	byPhase := map[string][]tendo.PlanItem{}
	for _, it := range e.plan.Items {
		ok := true
		for _, c := range it.When {
			ok = ok && e.holds(c, f)
		}
		for _, c := range it.Unless {
			ok = ok && !e.holds(c, f)
		}
		if !ok {
			continue
		}
		item := e.items[it.ID]
		if it.Section == "referral" {
			plan.Referral = append(plan.Referral, item)
		} else {
			byPhase[it.Phase] = append(byPhase[it.Phase], item)
		}
	}
	for _, ph := range e.plan.Phases {
		comps := byPhase[ph.ID]
		if comps == nil {
			comps = []tendo.PlanItem{}
		}
		plan.Phases = append(plan.Phases, tendo.Phase{ID: ph.ID, Title: ph.Title, Weeks: ph.Weeks, Goal: ph.Goal, Components: comps})
	}
	plan.Summary = summary(res)
	if res.Classification == tendo.OtherCause || res.Classification == tendo.Uncertain {
		for _, d := range res.Differential {
			plan.Differentials = append(plan.Differentials, fmt.Sprintf("%s: %s", tendo.DifferentialPhrase(d.Code), tendo.PercentRange(d.Probability, d.Range)))
		}
		if len(plan.Differentials) == 0 {
			plan.Differentials = []string{"no condition of the differential reaches 2%: examine the heel, tendon, back and circulation"}
		}
	}
	plan.Reassessment = e.reassessment(res)
	return plan
}

func summary(res *tendo.Result) string {
	switch res.Classification {
	case tendo.UrgentReferral:
		return "Refer now for the red flag(s); the rest of the plan waits until the serious cause is excluded or treated."
	case tendo.LocalTendinopathy:
		return "Local Achilles tendinopathy: progressive tendon loading within the pain rules, load management and a heel-lift trial, over 12 weeks."
	case tendo.Mixed:
		return "Tendon and lower back together (the kinetic chain): load the tendon and, at the same time, treat the lumbar driver (neural mobilisation, trunk and hip exercise, gait)."
	case tendo.LumbarReferred:
		root := "a lumbar"
		if res.NerveRoot != nil {
			root = "the " + *res.NerveRoot
		}
		return "Symptoms referred from " + root + " nerve root: manage the sciatica (NICE NG59) and do not treat the tendon as the source."
	case tendo.OtherCause:
		if d, ok := res.LeadingDifferential(); ok {
			return fmt.Sprintf("Neither the tendon nor the back explains the symptoms. Leading alternative: %s, %s; its next step is in the referral list.", tendo.DifferentialPhrase(d.Code), tendo.PercentRange(d.Probability, d.Range))
		}
		return "Neither the tendon nor the back explains the symptoms: work through the differential diagnoses before treating."
	}
	return "The source is not yet clear: do the next tests, start only what is safe for every possible source, and review soon."
}

// reassessment sets the review schedule and the outcome targets from the
// scores given (MCIDs from the evidence file).
func (e *Engine) reassessment(res *tendo.Result) tendo.Reassessment {
	r := tendo.Reassessment{Targets: []tendo.OutcomeTarget{}}
	if res.Classification == tendo.UrgentReferral {
		r.Schedule = "After the referral: review once the serious cause is excluded or treated, then as below."
	} else {
		r.Schedule = "Review at 2 weeks (response to loading and the pain rules), 6 weeks and 12 weeks; repeat the outcome measures at 6 and 12 weeks."
	}
	add := func(s *tendo.Score, target string, by, source string) {
		t := tendo.OutcomeTarget{Measure: "", Target: target, By: by, Source: source}
		if s != nil {
			v := s.Rounded
			t.Baseline = &v
			t.Measure = s.Name
		}
		r.Targets = append(r.Targets, t)
	}
	sc := res.Scores
	tendon := res.Probabilities.AchillesTendinopathy >= e.unlike
	lumbar := res.Probabilities.LumbarContribution >= e.unlike
	// The MCIDs, scales and their citations are the table's (tendo.Facts).
	visaA, odi, nprs, lefs := tendo.Facts(tendo.MeasureVISAA), tendo.Facts(tendo.MeasureODI), tendo.Facts(tendo.MeasureNPRS), tendo.Facts(tendo.MeasureLEFS)
	if sc.VISAA != nil || tendon {
		target := fmt.Sprintf("an improvement of %g points or more", visaA.MCID)
		if sc.VISAA != nil {
			target = fmt.Sprintf("%g or more (+%g, the MCID)", math.Min(visaA.Max, sc.VISAA.Rounded+visaA.MCID), visaA.MCID)
		}
		add(sc.VISAA, target, visaA.MCIDOver, e.cites[visaA.MCIDCite])
		r.Targets[len(r.Targets)-1].Measure = visaA.Name
	}
	if sc.ODI != nil || lumbar {
		target := fmt.Sprintf("a fall of %g points or %g%%", odi.MCID, odi.MCIDPercent)
		if sc.ODI != nil {
			v := sc.ODI.Value
			target = fmt.Sprintf("%.1f or less (−%g points or −%g%%, the MCID)", math.Max(odi.Min, math.Max(v-odi.MCID, (1-odi.MCIDPercent/100)*v)), odi.MCID, odi.MCIDPercent)
		}
		add(sc.ODI, target, "12 weeks", e.cites[odi.MCIDCite])
		r.Targets[len(r.Targets)-1].Measure = odi.Name
	}
	if sc.NPRS != nil {
		v := sc.NPRS.Value
		add(sc.NPRS, fmt.Sprintf("%g or less (−%g points or −%g%%)", math.Max(nprs.Min, math.Floor(math.Max(v-nprs.MCID, (1-nprs.MCIDPercent/100)*v))), nprs.MCID, nprs.MCIDPercent), "6 weeks", e.cites[nprs.MCIDCite])
	}
	if sc.LEFS != nil {
		add(sc.LEFS, fmt.Sprintf("%g or more (+%g, the MCID)", math.Min(lefs.Max, sc.LEFS.Value+lefs.MCID), lefs.MCID), "12 weeks", e.cites[lefs.MCIDCite])
	}
	sort.SliceStable(r.Targets, func(i, j int) bool { return strings.Compare(r.Targets[i].Measure, r.Targets[j].Measure) < 0 })
	return r
}

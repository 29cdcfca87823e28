package tendo

// This file checks the cross-field rules of contract v1.1: fields that
// must agree with each other. The package intake reports each broken rule
// as an error naming every path involved.

import (
	"fmt"
	"strconv"
	"strings"
)

// A Conflict is a broken cross-field rule.
type Conflict struct {
	// Paths are the fields involved, the one to report first: e.g.
	// history.legPainBelowKnee, history.legPainAreas.
	Paths []string
	// Msg says what disagrees, naming the other paths; it follows the
	// value of Paths[0] ("true disagrees with history.legPainAreas, ...").
	Msg string
}

// Conflicts checks the cross-field rules of contract v1.1 and returns the
// broken ones, in the order of the contract:
//
//   - history.legPainBelowKnee is true if and only if history.legPainAreas
//     holds a below-knee area (every Area but the thighs);
//   - history.paresthesia is none if and only if history.paresthesiaAreas
//     is []; lateral-foot requires lateral-foot in the list, sole requires
//     sole, other requires an area other than those two;
//   - history.diabetesYears requires history.diabetes true;
//   - history.longTermCorticosteroids true with
//     history.systemicCorticosteroids false is an error;
//   - history.claudicationDistanceM requires history.exertionalCalfPain
//     true;
//   - a detail that contradicts the answer it details (issue 10; v1 files
//     may give the detail alone, so the answer must be given as false):
//     history.morningStiffnessMinutes above 0 with
//     history.morningStiffness false, history.lowBackPainWeeks above 0
//     with history.lowBackPain false, history.reliefOnStandingStill true
//     with history.exertionalCalfPain false, history.paresthesiaBothFeet
//     true with history.paresthesia none;
//   - exam.neuro requires side;
//   - exam.ankleReflex, exam.plantarflexionStrengthMrc and
//     exam.s1SensoryDeficit, when given with the matching findings of
//     exam.neuro, must equal the value derived from them (see
//     EffectiveAnkleReflex and the others; with side bilateral, the more
//     abnormal of the legs given).
//
// Each rule needs all its fields present; a field absent is never in
// conflict.
func (a *Assessment) Conflicts() []Conflict {
	var out []Conflict
	add := func(msg string, paths ...string) { out = append(out, Conflict{Paths: paths, Msg: msg}) }
	h := &a.History

	if h.LegPainBelowKnee != nil && h.LegPainAreas != nil {
		var below []string
		for _, ar := range h.LegPainAreas {
			if ar.BelowKnee() {
				below = append(below, string(ar))
			}
		}
		switch {
		case *h.LegPainBelowKnee && len(below) == 0:
			add("disagrees with history.legPainAreas, which holds no area below the knee "+listed(h.LegPainAreas),
				"history.legPainBelowKnee", "history.legPainAreas")
		case !*h.LegPainBelowKnee && len(below) > 0:
			add("disagrees with history.legPainAreas, which holds "+strings.Join(below, ", ")+", below the knee",
				"history.legPainBelowKnee", "history.legPainAreas")
		}
	}

	if h.Paresthesia != nil && h.ParesthesiaAreas != nil {
		p, areas := *h.Paresthesia, h.ParesthesiaAreas
		const other = "history.paresthesiaAreas"
		has := func(x Area) bool { return oneOf(x, areas) }
		switch {
		case p == ParesthesiaNone && len(areas) > 0:
			add("disagrees with "+other+", which is not empty "+listed(areas)+"; none requires []", "history.paresthesia", other)
		case p != ParesthesiaNone && len(areas) == 0:
			add("disagrees with "+other+", which is [] (no numbness or tingling)", "history.paresthesia", other)
		case p == ParesthesiaLateralFoot && !has(AreaLateralFoot):
			add("requires lateral-foot in "+other+" "+listed(areas), "history.paresthesia", other)
		case p == ParesthesiaSole && !has(AreaSole):
			add("requires sole in "+other+" "+listed(areas), "history.paresthesia", other)
		case p == ParesthesiaOther && !hasOtherThan(areas, AreaLateralFoot, AreaSole):
			add("requires an area other than lateral-foot and sole in "+other+" "+listed(areas), "history.paresthesia", other)
		}
	}

	requireTrue := func(given bool, path string, cond *bool, condPath string) {
		if !given || (cond != nil && *cond) {
			return
		}
		state := "which is absent"
		if cond != nil {
			state = "which is false"
		}
		add("requires "+condPath+": true, "+state, path, condPath)
	}
	requireTrue(h.DiabetesYears != nil, "history.diabetesYears", h.Diabetes, "history.diabetes")
	if h.LongTermCorticosteroids != nil && *h.LongTermCorticosteroids && h.SystemicCorticosteroids != nil && !*h.SystemicCorticosteroids {
		add("disagrees with history.systemicCorticosteroids: false; long-term corticosteroids are systemic corticosteroids",
			"history.longTermCorticosteroids", "history.systemicCorticosteroids")
	}
	requireTrue(h.ClaudicationDistanceM != nil, "history.claudicationDistanceM", h.ExertionalCalfPain, "history.exertionalCalfPain")

	// A detail that contradicts the answer it details: each needs the
	// answer given as false (a v1 file may give the detail alone).
	positiveWithFalse := func(v *float64, path string, cond *bool, condPath string) {
		if v != nil && *v > 0 && cond != nil && !*cond {
			add("disagrees with "+condPath+": false; a duration above 0 needs "+condPath+": true", path, condPath)
		}
	}
	positiveWithFalse(h.MorningStiffnessMinutes, "history.morningStiffnessMinutes", h.MorningStiffness, "history.morningStiffness")
	positiveWithFalse(h.LowBackPainWeeks, "history.lowBackPainWeeks", h.LowBackPain, "history.lowBackPain")
	if h.ReliefOnStandingStill != nil && *h.ReliefOnStandingStill && h.ExertionalCalfPain != nil && !*h.ExertionalCalfPain {
		add("disagrees with history.exertionalCalfPain: false; relief on standing still is relief of the exertional calf pain",
			"history.reliefOnStandingStill", "history.exertionalCalfPain")
	}
	if h.ParesthesiaBothFeet != nil && *h.ParesthesiaBothFeet && h.Paresthesia != nil && *h.Paresthesia == ParesthesiaNone {
		add("disagrees with history.paresthesia: \"none\" (no numbness or tingling)", "history.paresthesiaBothFeet", "history.paresthesia")
	}

	if a.Exam.Neuro != nil && a.Side == nil {
		add("requires side, the side of the symptoms, to relate each leg to the symptomatic side", "exam.neuro", "side")
	}
	if a.Exam.Neuro != nil && a.Side != nil {
		x := &a.Exam
		how := "the side named by side, " + string(*a.Side)
		if *a.Side == SideBilateral {
			how = "with side bilateral, the more abnormal of the legs given"
		}
		if x.AnkleReflex != nil {
			if v, ok := a.NeuroAffected("ankleReflex"); ok && v.Grade != *x.AnkleReflex {
				add(fmt.Sprintf("disagrees with %s, which is %q (%s)", v.Path, v.Grade, how), "exam.ankleReflex", v.Path)
			}
		}
		if x.PlantarflexionStrengthMRC != nil {
			if v, ok := a.NeuroAffected("plantarflexionMrc"); ok && v.MRC != *x.PlantarflexionStrengthMRC {
				add(fmt.Sprintf("disagrees with %s, which is %d (%s)", v.Path, v.MRC, how), "exam.plantarflexionStrengthMrc", v.Path)
			}
		}
		if x.S1SensoryDeficit != nil {
			if d, path, ok := a.NeuroS1SensoryDeficit(); ok && d != *x.S1SensoryDeficit {
				why := "sensation on the lateral foot and sole is normal"
				if d {
					why = "reduced or absent sensation on the lateral foot or sole is a deficit"
				}
				add(fmt.Sprintf("disagrees with %s: %s (%s)", path, why, how), "exam.s1SensoryDeficit", path)
			}
		}
	}
	return out
}

func hasOtherThan(list []Area, not ...Area) bool {
	for _, x := range list {
		if !oneOf(x, not) {
			return true
		}
	}
	return false
}

// listed shows an area list as the contract writes it: ["a", "b"].
func listed(list []Area) string {
	s := make([]string, len(list))
	for i, x := range list {
		s[i] = strconv.Quote(string(x))
	}
	return "([" + strings.Join(s, ", ") + "])"
}

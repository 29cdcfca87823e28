package tendo

// This file derives values the model reads from the v1.1 fields: the v1
// single-side neurological findings from exam.neuro (the contract's
// mapping table), each neurological finding on the affected and the other
// leg, the body-area lists as yes/no per area, and root compression on
// lumbar MRI on the symptomatic side. Each value comes with the contract
// path it was read from, for display.

import "strconv"

// NeuroFieldNames lists the findings of one leg in exam.neuro by their
// path below the side: the reflexes, the MRC grades, the vibration sense
// and "sensation.<key>" for each sensation key.
func NeuroFieldNames() []string {
	return []string{
		"ankleReflex", "kneeReflex", "plantarflexionMrc", "ankleDorsiflexionMrc", "greatToeExtensionMrc",
		"halluxVibration",
		"sensation.medialShin", "sensation.lateralShin", "sensation.posteriorCalf", "sensation.dorsalFoot",
		"sensation.lateralFoot", "sensation.sole", "sensation.medialHeel",
	}
}

// A NeuroValue is one finding of exam.neuro, on one leg.
type NeuroValue struct {
	// Path is the contract path it was read from:
	// "exam.neuro.left.kneeReflex".
	Path string
	// Side is the leg, SideLeft or SideRight.
	Side Side
	// Grade is the value of a reflex, sensation or vibration finding; ""
	// for an MRC grade.
	Grade ReflexGrade
	// MRC is the value of an MRC grade (0–5), when IsMRC.
	MRC   int
	IsMRC bool
}

// severity orders values from normal to most abnormal: a grade normal <
// reduced < absent, an MRC grade by weakness (5 − grade).
func (v NeuroValue) severity() int {
	if v.IsMRC {
		return 5 - v.MRC
	}
	switch v.Grade {
	case ReflexReduced:
		return 1
	case ReflexAbsent:
		return 2
	}
	return 0
}

// NeuroOn returns a finding of exam.neuro on one leg (field as in
// NeuroFieldNames), reporting false when it is not given or the name is
// unknown.
func (a *Assessment) NeuroOn(s Side, field string) (NeuroValue, bool) {
	if a == nil {
		return NeuroValue{}, false
	}
	ns := a.Exam.Neuro.Of(s)
	if ns == nil {
		return NeuroValue{}, false
	}
	v := NeuroValue{Path: "exam.neuro." + string(s) + "." + field, Side: s}
	var g *ReflexGrade
	var m *int
	switch field {
	case "ankleReflex":
		g = ns.AnkleReflex
	case "kneeReflex":
		g = ns.KneeReflex
	case "halluxVibration":
		g = ns.HalluxVibration
	case "plantarflexionMrc":
		m = ns.PlantarflexionMRC
	case "ankleDorsiflexionMrc":
		m = ns.AnkleDorsiflexionMRC
	case "greatToeExtensionMrc":
		m = ns.GreatToeExtensionMRC
	default:
		key, ok := cutPrefix(field, "sensation.")
		if !ok {
			return NeuroValue{}, false
		}
		for _, ar := range AreaValues() {
			if SensationKey(ar) == key && key != "" {
				g = ns.Sensation.Grade(ar)
			}
		}
	}
	switch {
	case g != nil:
		v.Grade = *g
	case m != nil:
		v.MRC, v.IsMRC = *m, true
	default:
		return NeuroValue{}, false
	}
	return v, true
}

func cutPrefix(s, prefix string) (string, bool) {
	if len(s) >= len(prefix) && s[:len(prefix)] == prefix {
		return s[len(prefix):], true
	}
	return s, false
}

// NeuroAffected returns a finding of exam.neuro on the affected leg: the
// side named by Side; with Side bilateral, the more abnormal of the two
// legs for this finding (absent > reduced > normal, the lower MRC grade;
// the left leg on a tie), or the only leg it was given for. It reports
// false when Side or the finding is not given.
func (a *Assessment) NeuroAffected(field string) (NeuroValue, bool) {
	aff, _, ok := a.neuroPair(field)
	return aff, ok
}

// NeuroOther returns a finding of exam.neuro on the other leg: the side
// opposite to Side; with Side bilateral, the less abnormal of the two legs
// (the right leg on a tie), only when the finding is given for both. It
// reports false when Side or the finding is not given.
func (a *Assessment) NeuroOther(field string) (NeuroValue, bool) {
	_, other, _ := a.neuroPair(field)
	return other, other.Path != ""
}

func (a *Assessment) neuroPair(field string) (affected, other NeuroValue, ok bool) {
	if a == nil || a.Side == nil || a.Exam.Neuro == nil {
		return NeuroValue{}, NeuroValue{}, false
	}
	l, lok := a.NeuroOn(SideLeft, field)
	r, rok := a.NeuroOn(SideRight, field)
	switch *a.Side {
	case SideLeft:
		return l, r, lok
	case SideRight:
		return r, l, rok
	case SideBilateral:
		switch {
		case lok && rok:
			if r.severity() > l.severity() {
				return r, l, true
			}
			return l, r, true
		case lok:
			return l, NeuroValue{}, true
		case rok:
			return r, NeuroValue{}, true
		}
	}
	return NeuroValue{}, NeuroValue{}, false
}

// EffectiveAnkleReflex is the v1 value of exam.ankleReflex the model
// reads: the field itself when given, else exam.neuro's ankle reflex on
// the affected side (NeuroAffected). It returns the grade and the contract
// path it was read from, or false when neither is given.
func (a *Assessment) EffectiveAnkleReflex() (ReflexGrade, string, bool) {
	if a == nil {
		return "", "", false
	}
	if a.Exam.AnkleReflex != nil {
		return *a.Exam.AnkleReflex, "exam.ankleReflex", true
	}
	v, ok := a.NeuroAffected("ankleReflex")
	return v.Grade, v.Path, ok
}

// EffectivePlantarflexionMRC is the v1 value of
// exam.plantarflexionStrengthMrc the model reads: the field itself when
// given, else exam.neuro's plantarflexionMrc on the affected side (the
// lower grade with Side bilateral). It returns the grade and the contract
// path it was read from, or false when neither is given.
func (a *Assessment) EffectivePlantarflexionMRC() (int, string, bool) {
	if a == nil {
		return 0, "", false
	}
	if a.Exam.PlantarflexionStrengthMRC != nil {
		return *a.Exam.PlantarflexionStrengthMRC, "exam.plantarflexionStrengthMrc", true
	}
	v, ok := a.NeuroAffected("plantarflexionMrc")
	return v.MRC, v.Path, ok
}

// EffectiveS1SensoryDeficit is the v1 value of exam.s1SensoryDeficit the
// model reads: the field itself when given, else NeuroS1SensoryDeficit.
func (a *Assessment) EffectiveS1SensoryDeficit() (bool, string, bool) {
	if a == nil {
		return false, "", false
	}
	if a.Exam.S1SensoryDeficit != nil {
		return *a.Exam.S1SensoryDeficit, "exam.s1SensoryDeficit", true
	}
	return a.NeuroS1SensoryDeficit()
}

// NeuroS1SensoryDeficit derives exam.s1SensoryDeficit from exam.neuro on
// the side named by Side: true when sensation.lateralFoot or
// sensation.sole is reduced or absent, false when both are normal, not
// given otherwise. With Side bilateral it is true when either leg has a
// deficit, false when a leg has both normal and neither a deficit. The
// path is that of the abnormal key, or of the sensation object when both
// are normal.
func (a *Assessment) NeuroS1SensoryDeficit() (bool, string, bool) {
	if a == nil || a.Side == nil || a.Exam.Neuro == nil {
		return false, "", false
	}
	switch *a.Side {
	case SideLeft, SideRight:
		return a.s1Deficit(*a.Side)
	case SideBilateral:
		ld, lp, lok := a.s1Deficit(SideLeft)
		rd, rp, rok := a.s1Deficit(SideRight)
		switch {
		case lok && ld:
			return true, lp, true
		case rok && rd:
			return true, rp, true
		case lok:
			return false, lp, true
		case rok:
			return false, rp, true
		}
	}
	return false, "", false
}

func (a *Assessment) s1Deficit(s Side) (bool, string, bool) {
	lf, lok := a.NeuroOn(s, "sensation.lateralFoot")
	so, sok := a.NeuroOn(s, "sensation.sole")
	switch {
	case lok && lf.Grade != ReflexNormal:
		return true, lf.Path, true
	case sok && so.Grade != ReflexNormal:
		return true, so.Path, true
	case lok && sok:
		return false, "exam.neuro." + string(s) + ".sensation", true
	}
	return false, "", false
}

// AreaListed reports whether area is in an area list
// (History.LegPainAreas, History.ParesthesiaAreas): in is true when it is
// listed, given is false when the list is not given (nil).
func AreaListed(list []Area, area Area) (in, given bool) {
	if list == nil {
		return false, false
	}
	return oneOf(area, list), true
}

// RootCompressed reports whether lumbar MRI shows the root compressed on
// the symptomatic side: true when an entry of
// imaging.lumbarMri.rootCompression names the root on the side named by
// Side, or bilateral, or when Side is bilateral or not given (any side
// then counts); false when the list is given without such an entry;
// given is false when the list is not given. The path is the matching
// entry's ("imaging.lumbarMri.rootCompression[0]") or the list's.
func (a *Assessment) RootCompressed(r Root) (compressed bool, path string, given bool) {
	const list = "imaging.lumbarMri.rootCompression"
	if a == nil || a.Imaging.LumbarMRI == nil || a.Imaging.LumbarMRI.RootCompression == nil {
		return false, "", false
	}
	for i, rc := range a.Imaging.LumbarMRI.RootCompression {
		if rc.Root != r {
			continue
		}
		if a.Side == nil || *a.Side == SideBilateral || rc.Side == RootSideBilateral || string(rc.Side) == string(*a.Side) {
			return true, list + "[" + strconv.Itoa(i) + "]", true
		}
	}
	return false, list, true
}

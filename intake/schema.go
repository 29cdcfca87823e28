package intake

// This file is the schema table: every field of the assessment contract
// (../shared/spec/assessment-v1.md), its type, range or allowed values, unit
// and meaning, and where its value goes in a tendo.Assessment. The decoder
// walks documents against it and Fields exports it, so the field list lives
// here and nowhere else.

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/tendo-health/tendo"
)

// A Field describes one field of the assessment contract.
type Field struct {
	// Path names the field as errors do: "exam.arcSign",
	// "proms.visaA.answers[7].points". Array elements are listed one by
	// one with their index.
	Path string `json:"path"`
	// Type is one of "object", "array", "string", "date" (YYYY-MM-DD),
	// "bool", "integer", "number" and "enum" (a string from Values).
	Type string `json:"type"`
	// Required is true only for schema, and for the branch and points of
	// VISA-A item 8 when that item is given. Every other field may be left
	// out, which means "not assessed".
	Required bool `json:"required,omitempty"`
	// Values lists the allowed values: the strings of an enum, or the
	// numbers allowed for an item scored in steps (VISA-A item 7).
	Values []string `json:"values,omitempty"`
	// Min and Max bound a number or integer (inclusive); nil is unbounded.
	Min *float64 `json:"min,omitempty"`
	Max *float64 `json:"max,omitempty"`
	// Length is the number of elements an array must have.
	Length int `json:"length,omitempty"`
	// Nullable is true where null is a value of its own rather than
	// "absent": an unanswered ODI section.
	Nullable bool `json:"nullable,omitempty"`
	// Unit is the unit of a quantity ("cm", "kg", "weeks"), or "".
	Unit string `json:"unit,omitempty"`
	// Description says what the field means.
	Description string `json:"description"`
}

// Fields returns the schema table in contract order, objects before their
// fields. The result is a fresh copy on each call.
func Fields() []Field {
	out := make([]Field, len(fieldList))
	for i, f := range fieldList {
		f.Values = append([]string(nil), f.Values...)
		out[i] = f
	}
	return out
}

// Lookup returns the field with the given path ("exam.arcSign").
func Lookup(path string) (Field, bool) {
	for _, f := range fieldList {
		if f.Path == path {
			f.Values = append([]string(nil), f.Values...)
			return f, true
		}
	}
	return Field{}, false
}

type kind uint8

const (
	kindObject kind = iota + 1
	kindArray
	kindString
	kindDate
	kindBool
	kindInteger
	kindNumber
	kindEnum
)

var kindNames = [...]string{
	kindObject: "object", kindArray: "array", kindString: "string", kindDate: "date",
	kindBool: "bool", kindInteger: "integer", kindNumber: "number", kindEnum: "enum",
}

// A field is one node of the schema tree.
type field struct {
	name     string
	kind     kind
	desc     string
	unit     string
	min, max *float64
	values   []string
	required bool
	// want is added to the "required" message ("want \"tendo/...\"").
	want     string
	nullable bool
	length   int

	children []*field          // fields of an object, in contract order
	byName   map[string]*field // children by name
	index    int               // position among its siblings
	elems    []*field          // elements of an array (descriptive, except VISA-A item 8)
	path     string            // full path, set by init

	// set decodes a present, non-null value of a leaf (or of a field with
	// its own decoding, like the answers arrays) into the assessment.
	set func(d *decoder, n *node, at loc)
	// open is called when an object is present, before its fields; post
	// after them.
	open func(d *decoder)
	post func(d *decoder, n *node, path string)
}

func ptr(f float64) *float64 { return &f }

func object(name, desc string, children ...*field) *field {
	return &field{name: name, kind: kindObject, desc: desc, children: children}
}

func boolean(name, desc string, p func(*tendo.Assessment) **bool) *field {
	f := &field{name: name, kind: kindBool, desc: desc}
	f.set = func(d *decoder, n *node, at loc) {
		if n.kind != nBool {
			d.wrongType(n, at, "must be true or false")
			return
		}
		b := n.b
		*p(d.a) = &b
	}
	return f
}

func integer(name, unit, desc string, min, max float64, p func(*tendo.Assessment) **int) *field {
	f := &field{name: name, kind: kindInteger, unit: unit, desc: desc, min: ptr(min), max: ptr(max)}
	f.set = func(d *decoder, n *node, at loc) {
		if v, ok := d.integer(n, at, f.min, f.max); ok {
			*p(d.a) = &v
		}
	}
	return f
}

func number(name, unit, desc string, min, max *float64, p func(*tendo.Assessment) **float64) *field {
	f := &field{name: name, kind: kindNumber, unit: unit, desc: desc, min: min, max: max}
	f.set = func(d *decoder, n *node, at loc) {
		if v, ok := d.number(n, at, f.min, f.max); ok {
			*p(d.a) = &v
		}
	}
	return f
}

func enum[T ~string](name, desc string, values []T, p func(*tendo.Assessment) **T) *field {
	f := &field{name: name, kind: kindEnum, desc: desc, values: strs(values)}
	f.set = func(d *decoder, n *node, at loc) {
		if s, ok := d.enum(n, at, f.values); ok {
			v := T(s)
			*p(d.a) = &v
		}
	}
	return f
}

func text(name, desc string, p func(*tendo.Assessment) *string) *field {
	f := &field{name: name, kind: kindString, desc: desc}
	f.set = func(d *decoder, n *node, at loc) {
		if n.kind != nString {
			d.wrongType(n, at, "must be a string")
			return
		}
		*p(d.a) = n.text
	}
	return f
}

func strs[T ~string](v []T) []string {
	out := make([]string, len(v))
	for i, s := range v {
		out[i] = string(s)
	}
	return out
}

func ints(v []int) []string {
	out := make([]string, len(v))
	for i, n := range v {
		out[i] = strconv.Itoa(n)
	}
	return out
}

// Accessors for the optional objects inside sections; the object's open
// hook has allocated them before their fields are decoded.
func hrr(a *tendo.Assessment) *tendo.HeelRaiseReps { return a.Exam.HeelRaiseReps }

// Units.
const (
	unitCm      = "cm"
	unitKg      = "kg"
	unitWeeks   = "weeks"
	unitMinutes = "minutes"
	unitDeg     = "deg"
	unitYears   = "years"
)

var (
	// root is the schema tree; fieldList is it flattened for Fields.
	root      *field
	fieldList []Field
	// byLeafName indexes every field by lower-cased name, to suggest a
	// field written at the wrong level ("ageYears" at the top).
	byLeafName map[string][]*field
)

func init() {
	root = schema()
	byLeafName = map[string][]*field{}
	prepare(root, "")
}

// prepare fills in paths and lookup maps, and flattens the tree.
func prepare(f *field, path string) {
	f.path = path
	if path != "" {
		fieldList = append(fieldList, f.export())
	}
	if len(f.children) > 64 {
		panic("intake: an object has more than 64 fields") // the decoder tracks them in a uint64
	}
	if f.children != nil {
		f.byName = make(map[string]*field, len(f.children))
	}
	for i, c := range f.children {
		if _, dup := f.byName[c.name]; dup {
			panic("intake: duplicate field " + join(path, c.name))
		}
		c.index = i
		f.byName[c.name] = c
		key := strings.ToLower(c.name)
		byLeafName[key] = append(byLeafName[key], c)
		prepare(c, join(path, c.name))
	}
	for i, e := range f.elems {
		prepare(e, path+"["+strconv.Itoa(i)+"]")
	}
}

func (f *field) export() Field {
	return Field{
		Path: f.path, Type: kindNames[f.kind], Required: f.required, Values: f.values,
		Min: f.min, Max: f.max, Length: f.length, Nullable: f.nullable, Unit: f.unit, Description: f.desc,
	}
}

func join(parent, name string) string {
	if parent == "" {
		return name
	}
	return parent + "." + name
}

// schema builds the table. Ranges are the contract's; where the contract
// gives none (gait), the bounds are tendo's physical plausibility limits
// and say so.
func schema() *field {
	schemaField := &field{name: "schema", kind: kindString, required: true, want: fmt.Sprintf("want %q", tendo.SchemaV1),
		values: []string{tendo.SchemaV1}, desc: "contract version; required"}
	schemaField.set = func(d *decoder, n *node, at loc) {
		if n.kind != nString {
			d.wrongType(n, at, fmt.Sprintf("must be the string %q", tendo.SchemaV1))
			return
		}
		if n.text != tendo.SchemaV1 {
			d.fail(n.pos, at, show(n), fmt.Sprintf("is not supported; want %q", tendo.SchemaV1))
			return
		}
		d.a.Schema = n.text
	}
	dateField := &field{name: "date", kind: kindDate, desc: "date of assessment, YYYY-MM-DD"}
	dateField.set = func(d *decoder, n *node, at loc) {
		if s, ok := d.date(n, at); ok {
			d.a.Date = s
		}
	}

	nonNeg := ptr(0)

	patient := object("patient", "the patient",
		text("id", "caller's patient identifier", func(a *tendo.Assessment) *string { return &a.Patient.ID }),
		integer("ageYears", unitYears, "age in whole years", 10, 110, func(a *tendo.Assessment) **int { return &a.Patient.AgeYears }),
		enum("sex", "sex", tendo.SexValues(), func(a *tendo.Assessment) **tendo.Sex { return &a.Patient.Sex }),
		number("heightCm", unitCm, "height", ptr(100), ptr(250), func(a *tendo.Assessment) **float64 { return &a.Patient.HeightCm }),
		number("weightKg", unitKg, "body mass", ptr(25), ptr(300), func(a *tendo.Assessment) **float64 { return &a.Patient.WeightKg }),
		enum("activityLevel", "usual level of physical activity", tendo.ActivityLevelValues(), func(a *tendo.Assessment) **tendo.ActivityLevel { return &a.Patient.ActivityLevel }),
		boolean("runner", "runs regularly", func(a *tendo.Assessment) **bool { return &a.Patient.Runner }),
	)

	h := func(a *tendo.Assessment) *tendo.History { return &a.History }
	history := object("history", "history of the complaint, lumbar screen, risk factors and red-flag questions",
		enum("onset", "how the symptoms began", tendo.OnsetValues(), func(a *tendo.Assessment) **tendo.Onset { return &h(a).Onset }),
		number("symptomWeeks", unitWeeks, "duration of heel/Achilles symptoms", nonNeg, nil, func(a *tendo.Assessment) **float64 { return &h(a).SymptomWeeks }),
		boolean("popOrKickSensation", "felt a snap, or as if kicked in the calf, at onset", func(a *tendo.Assessment) **bool { return &h(a).PopOrKickSensation }),
		enum("painSite", "where the heel/Achilles pain is; midportion = 2–6 cm above the insertion", tendo.PainSiteValues(), func(a *tendo.Assessment) **tendo.PainSite { return &h(a).PainSite }),
		boolean("morningStiffness", "morning stiffness", func(a *tendo.Assessment) **bool { return &h(a).MorningStiffness }),
		number("morningStiffnessMinutes", unitMinutes, "duration of morning stiffness", nonNeg, nil, func(a *tendo.Assessment) **float64 { return &h(a).MorningStiffnessMinutes }),
		boolean("painWithLoading", "pain with running, hopping, stairs", func(a *tendo.Assessment) **bool { return &h(a).PainWithLoading }),
		boolean("lowBackPain", "current low back pain", func(a *tendo.Assessment) **bool { return &h(a).LowBackPain }),
		number("lowBackPainWeeks", unitWeeks, "duration of low back pain", nonNeg, nil, func(a *tendo.Assessment) **float64 { return &h(a).LowBackPainWeeks }),
		boolean("legPainBelowKnee", "radiating pain below the knee", func(a *tendo.Assessment) **bool { return &h(a).LegPainBelowKnee }),
		boolean("legPainWorseThanBackPain", "leg pain worse than back pain", func(a *tendo.Assessment) **bool { return &h(a).LegPainWorseThanBackPain }),
		enum("paresthesia", "numbness or tingling and where", tendo.ParesthesiaValues(), func(a *tendo.Assessment) **tendo.Paresthesia { return &h(a).Paresthesia }),
		boolean("painWorseSittingOrCoughing", "pain worse sitting or coughing", func(a *tendo.Assessment) **bool { return &h(a).PainWorseSittingOrCoughing }),
		boolean("nightPain", "pain at night or at rest", func(a *tendo.Assessment) **bool { return &h(a).NightPain }),
		boolean("trainingLoadIncrease", "a clear rise in training load (distance, intensity, frequency) in the last 4–6 weeks", func(a *tendo.Assessment) **bool { return &h(a).TrainingLoadIncrease }),
		boolean("footwearChange", "new or different shoes (e.g. lower drop, minimalist) in the last 3 months", func(a *tendo.Assessment) **bool { return &h(a).FootwearChange }),
		boolean("previousAchillesTendinopathy", "previous Achilles tendinopathy", func(a *tendo.Assessment) **bool { return &h(a).PreviousAchillesTendinopathy }),
		boolean("fluoroquinoloneLast6Months", "fluoroquinolone antibiotic in the last 6 months", func(a *tendo.Assessment) **bool { return &h(a).FluoroquinoloneLast6Months }),
		boolean("systemicCorticosteroids", "oral or systemic corticosteroid use in the last 6 months", func(a *tendo.Assessment) **bool { return &h(a).SystemicCorticosteroids }),
		boolean("corticosteroidInjectionAchilles", "corticosteroid injection at the Achilles", func(a *tendo.Assessment) **bool { return &h(a).CorticosteroidInjectionAchilles }),
		boolean("diabetes", "diabetes", func(a *tendo.Assessment) **bool { return &h(a).Diabetes }),
		boolean("hypercholesterolemia", "hypercholesterolaemia", func(a *tendo.Assessment) **bool { return &h(a).Hypercholesterolemia }),
		boolean("inflammatoryArthritis", "spondyloarthritis, psoriatic or rheumatoid arthritis, or psoriasis with joint symptoms", func(a *tendo.Assessment) **bool { return &h(a).InflammatoryArthritis }),
		boolean("bladderOrBowelDysfunction", "new retention, incontinence or change in control", func(a *tendo.Assessment) **bool { return &h(a).BladderOrBowelDysfunction }),
		boolean("saddleAnesthesia", "numbness in the saddle or perineal area", func(a *tendo.Assessment) **bool { return &h(a).SaddleAnesthesia }),
		boolean("bilateralLegSymptoms", "radicular pain, numbness or weakness in both legs", func(a *tendo.Assessment) **bool { return &h(a).BilateralLegSymptoms }),
		boolean("progressiveWeakness", "weakness that is getting worse", func(a *tendo.Assessment) **bool { return &h(a).ProgressiveWeakness }),
		boolean("historyOfCancer", "history of cancer", func(a *tendo.Assessment) **bool { return &h(a).HistoryOfCancer }),
		boolean("unexplainedWeightLoss", "unexplained weight loss", func(a *tendo.Assessment) **bool { return &h(a).UnexplainedWeightLoss }),
		boolean("fever", "fever", func(a *tendo.Assessment) **bool { return &h(a).Fever }),
		boolean("recentSignificantTrauma", "recent significant trauma", func(a *tendo.Assessment) **bool { return &h(a).RecentSignificantTrauma }),
		boolean("recentImmobilisationOrSurgery", "bedridden ≥ 3 days, major surgery within 12 weeks, or a cast", func(a *tendo.Assessment) **bool { return &h(a).RecentImmobilisationOrSurgery }),
		boolean("previousDvt", "previous deep-vein thrombosis", func(a *tendo.Assessment) **bool { return &h(a).PreviousDVT }),
	)

	x := func(a *tendo.Assessment) *tendo.Exam { return &a.Exam }
	heelRaiseReps := object("heelRaiseReps", "single-leg heel raises to fatigue",
		integer("affected", "", "repetitions on the affected side", 0, 200, func(a *tendo.Assessment) **int { return &hrr(a).Affected }),
		integer("unaffected", "", "repetitions on the unaffected side", 0, 200, func(a *tendo.Assessment) **int { return &hrr(a).Unaffected }),
	)
	heelRaiseReps.open = func(d *decoder) { d.a.Exam.HeelRaiseReps = &tendo.HeelRaiseReps{} }
	exam := object("exam", "physical examination",
		enum("tenderness", "site of Achilles/calf tenderness on palpation", tendo.TendernessValues(), func(a *tendo.Assessment) **tendo.Tenderness { return &x(a).Tenderness }),
		boolean("tendonThickeningOrNodule", "tendon thickening or nodule", func(a *tendo.Assessment) **bool { return &x(a).TendonThickeningOrNodule }),
		enum("arcSign", "arc sign", tendo.TestResultValues(), func(a *tendo.Assessment) **tendo.TestResult { return &x(a).ArcSign }),
		enum("royalLondonTest", "Royal London Hospital test", tendo.TestResultValues(), func(a *tendo.Assessment) **tendo.TestResult { return &x(a).RoyalLondonTest }),
		boolean("crepitus", "crepitus", func(a *tendo.Assessment) **bool { return &x(a).Crepitus }),
		enum("calfSqueezeTest", "Thompson/Simmonds test: abnormal = no plantarflexion", tendo.SqueezeResultValues(), func(a *tendo.Assessment) **tendo.SqueezeResult { return &x(a).CalfSqueezeTest }),
		boolean("palpableGap", "palpable gap in the tendon", func(a *tendo.Assessment) **bool { return &x(a).PalpableGap }),
		heelRaiseReps,
		boolean("heelRaisePain", "pain on heel raising", func(a *tendo.Assessment) **bool { return &x(a).HeelRaisePain }),
		enum("ankleReflex", "ankle reflex on the symptomatic side", tendo.ReflexGradeValues(), func(a *tendo.Assessment) **tendo.ReflexGrade { return &x(a).AnkleReflex }),
		enum("straightLegRaise", "straight-leg raise reproduces leg pain", tendo.TestResultValues(), func(a *tendo.Assessment) **tendo.TestResult { return &x(a).StraightLegRaise }),
		number("straightLegRaiseDeg", unitDeg, "angle at which symptoms appear", ptr(0), ptr(110), func(a *tendo.Assessment) **float64 { return &x(a).StraightLegRaiseDeg }),
		enum("crossedStraightLegRaise", "crossed straight-leg raise (no equivocal)", tendo.DichotomousResultValues(), func(a *tendo.Assessment) **tendo.DichotomousResult { return &x(a).CrossedStraightLegRaise }),
		enum("slump", "slump test", tendo.TestResultValues(), func(a *tendo.Assessment) **tendo.TestResult { return &x(a).Slump }),
		boolean("s1SensoryDeficit", "reduced sensation in the S1 dermatome (lateral foot, sole)", func(a *tendo.Assessment) **bool { return &x(a).S1SensoryDeficit }),
		integer("plantarflexionStrengthMrc", "", "plantarflexion strength, MRC grade", 0, 5, func(a *tendo.Assessment) **int { return &x(a).PlantarflexionStrengthMRC }),
		number("kneeToWallCm", unitCm, "weight-bearing dorsiflexion lunge", ptr(0), ptr(25), func(a *tendo.Assessment) **float64 { return &x(a).KneeToWallCm }),
		enum("footPosture", "standing foot posture", tendo.FootPostureValues(), func(a *tendo.Assessment) **tendo.FootPosture { return &x(a).FootPosture }),
		boolean("calfSwellingWarmthOrRedness", "calf swelling, warmth or redness", func(a *tendo.Assessment) **bool { return &x(a).CalfSwellingWarmthOrRedness }),
		number("calfCircumferenceDifferenceCm", unitCm, "affected minus unaffected, 10 cm below the tibial tuberosity", ptr(0), ptr(15), func(a *tendo.Assessment) **float64 { return &x(a).CalfCircumferenceDifferenceCm }),
		boolean("pittingEdema", "pitting oedema", func(a *tendo.Assessment) **bool { return &x(a).PittingEdema }),
		boolean("heelSqueezePain", "pain on medial–lateral compression of the calcaneus", func(a *tendo.Assessment) **bool { return &x(a).HeelSqueezePain }),
	)

	g := func(a *tendo.Assessment) *tendo.Gait { return &a.Gait }
	gait := object("gait", "instrumented or observed gait",
		enum("source", "how the gait findings were obtained", tendo.GaitSourceValues(), func(a *tendo.Assessment) **tendo.GaitSource { return &g(a).Source }),
		boolean("antalgic", "antalgic gait (observed)", func(a *tendo.Assessment) **bool { return &g(a).Antalgic }),
		boolean("reducedPushOff", "reduced push-off (observed or derived)", func(a *tendo.Assessment) **bool { return &g(a).ReducedPushOff }),
		boolean("trunkLean", "observed lateral trunk shift or lean", func(a *tendo.Assessment) **bool { return &g(a).TrunkLean }),
		number("cadenceStepsPerMin", "steps/min", "cadence (range is tendo's plausibility bound)", ptr(0), ptr(300), func(a *tendo.Assessment) **float64 { return &g(a).CadenceStepsPerMin }),
		number("stanceTimeAsymmetryPct", "%", "|L−R| / mean × 100 (200 is the arithmetic maximum)", ptr(0), ptr(200), func(a *tendo.Assessment) **float64 { return &g(a).StanceTimeAsymmetryPct }),
		number("peakAnklePlantarflexorMomentNmPerKg", "N·m/kg", "affected side, stance (range is tendo's plausibility bound)", ptr(0), ptr(10), func(a *tendo.Assessment) **float64 { return &g(a).PeakAnklePlantarflexorMomentNmPerKg }),
		number("peakAchillesForceBw", "body weights", "affected side (range is tendo's plausibility bound)", ptr(0), ptr(20), func(a *tendo.Assessment) **float64 { return &g(a).PeakAchillesForceBW }),
		number("pelvicRotationRangeDeg", unitDeg, "transverse plane, over a gait cycle (range is tendo's plausibility bound)", ptr(0), ptr(90), func(a *tendo.Assessment) **float64 { return &g(a).PelvicRotationRangeDeg }),
	)

	proms := object("proms", "patient-reported outcome measures",
		visaASchema(),
		odiSchema(),
		integer("nprs", "", "current pain, numeric rating scale 0–10", 0, tendo.NPRSMax, func(a *tendo.Assessment) **int { return &a.PROMs.NPRS }),
		lefsSchema(),
	)

	return object("", "an assessment",
		schemaField,
		text("id", "caller's identifier, echoed in the output", func(a *tendo.Assessment) *string { return &a.ID }),
		dateField,
		enum("side", "side of the heel/Achilles symptoms", tendo.SideValues(), func(a *tendo.Assessment) **tendo.Side { return &a.Side }),
		patient, history, exam, proms, gait,
	)
}

// VISA-A item content, paraphrased from the evidence file (to be checked
// against the official form).
var visaAItems = [tendo.VISAAItems]string{
	"item 1: duration of morning stiffness",
	"item 2: pain stretching the tendon over a step edge",
	"item 3: pain after about 30 min of walking on flat ground",
	"item 4: pain walking down stairs",
	"item 5: pain with 10 single-leg heel raises",
	"item 6: number of pain-free single-leg hops",
	"item 7: current sport or physical activity participation",
	"item 8: Achilles-loading sport: training duration and pain",
}

func visaASchema() *field {
	elems := make([]*field, tendo.VISAAItems)
	for i := range 6 {
		elems[i] = &field{kind: kindInteger, min: ptr(0), max: ptr(tendo.VISAAItemMax), desc: visaAItems[i] + " (10 = best)"}
	}
	elems[6] = &field{kind: kindInteger, values: ints(tendo.VISAAItem7Points()), desc: visaAItems[6] + " (10 = best)"}
	branches := make([]string, 0, 3)
	for _, b := range tendo.VISAABranchValues() {
		branches = append(branches, string(b)+": "+strings.Join(ints(tendo.VISAAItem8Points(b)), ", "))
	}
	item8 := object("", visaAItems[7]+"; answer one branch",
		&field{name: "branch", kind: kindEnum, required: true, values: strs(tendo.VISAABranchValues()),
			desc: "A: no pain during Achilles-loading sport; B: pain but completes it; C: pain stops completion",
			set: func(d *decoder, n *node, at loc) {
				if s, ok := d.enum(n, at, strs(tendo.VISAABranchValues())); ok {
					d.m.item8.Branch = tendo.VISAABranch(s)
				}
			}},
		&field{name: "points", kind: kindInteger, required: true, min: ptr(0), max: ptr(30),
			desc: "points for training duration nil, 1–10, 11–20, 21–30, > 30 min; by branch " + strings.Join(branches, "; "),
			set: func(d *decoder, n *node, at loc) {
				if v, ok := d.integer(n, at, nil, nil); ok {
					d.m.item8.Points = v
				}
			}},
	)
	elems[7] = item8
	answers := &field{name: "answers", kind: kindArray, length: tendo.VISAAItems, elems: elems,
		desc: "the 8 VISA-A items: items 1–6 are 0–10, item 7 is 0, 4, 7 or 10, item 8 is {branch, points}; all 8 are required"}
	answers.set = func(d *decoder, n *node, at loc) { d.visaAAnswers(n, at, item8) }
	score := &field{name: "score", kind: kindInteger, min: ptr(0), max: ptr(tendo.VISAAMax),
		desc: "VISA-A total computed elsewhere; must equal the sum of the answers when both are given"}
	score.set = func(d *decoder, n *node, at loc) {
		if v, ok := d.integer(n, at, score.min, score.max); ok {
			d.a.PROMs.VISAA.Score = &v
		} else {
			d.m.partBad = true
		}
	}
	f := object("visaA", "VISA-A (Victorian Institute of Sport Assessment – Achilles): answers or score; 0–100, higher is better", answers, score)
	f.open = func(d *decoder) { d.a.PROMs.VISAA = &tendo.VISAA{}; d.m.reset() }
	f.post = func(d *decoder, n *node, path string) {
		v := *d.a.PROMs.VISAA
		if d.m.anyBad {
			v.Score = nil
		}
		_, err := tendo.ScoreVISAA(&v)
		d.scoreErrors(n, path, err)
	}
	return f
}

// ODI v2.1a sections, from the evidence file.
var odiSections = [tendo.ODISections]string{
	"pain intensity", "personal care", "lifting", "walking", "sitting",
	"standing", "sleeping", "sex life (if applicable)", "social life", "travelling",
}

func odiSchema() *field {
	elems := make([]*field, tendo.ODISections)
	for i, s := range odiSections {
		elems[i] = &field{kind: kindInteger, min: ptr(0), max: ptr(tendo.ODISectionMax), nullable: true,
			desc: fmt.Sprintf("section %d: %s (0–5, higher worse; null if unanswered)", i+1, s)}
	}
	answers := &field{name: "answers", kind: kindArray, length: tendo.ODISections, elems: elems,
		desc: "the 10 ODI sections, each 0–5 or null if unanswered; at most 2 may be unanswered"}
	answers.set = func(d *decoder, n *node, at loc) { d.odiAnswers(n, at) }
	percent := &field{name: "percent", kind: kindNumber, unit: "%", min: ptr(0), max: ptr(100),
		desc: "ODI percentage computed elsewhere; must be within 0.05 of the answers' score when both are given"}
	percent.set = func(d *decoder, n *node, at loc) {
		if v, ok := d.number(n, at, percent.min, percent.max); ok {
			d.a.PROMs.ODI.Percent = &v
		} else {
			d.m.partBad = true
		}
	}
	f := object("odi", "Oswestry Disability Index v2.1a: answers or percent; 0–100, higher is worse", answers, percent)
	f.open = func(d *decoder) { d.a.PROMs.ODI = &tendo.ODI{}; d.m.reset() }
	f.post = func(d *decoder, n *node, path string) {
		v := *d.a.PROMs.ODI
		if d.m.anyBad {
			v.Percent = nil
		}
		_, err := tendo.ScoreODI(&v)
		d.scoreErrors(n, path, err)
	}
	return f
}

func lefsSchema() *field {
	elems := make([]*field, tendo.LEFSItems)
	for i := range elems {
		elems[i] = &field{kind: kindInteger, min: ptr(0), max: ptr(tendo.LEFSItemMax),
			desc: fmt.Sprintf("item %d: 0 = extreme difficulty or unable, 4 = no difficulty", i+1)}
	}
	answers := &field{name: "answers", kind: kindArray, length: tendo.LEFSItems, elems: elems,
		desc: "the 20 LEFS items, each 0–4; all 20 are required"}
	answers.set = func(d *decoder, n *node, at loc) { d.lefsAnswers(n, at) }
	score := &field{name: "score", kind: kindInteger, min: ptr(0), max: ptr(tendo.LEFSMax),
		desc: "LEFS total computed elsewhere; must equal the sum of the answers when both are given"}
	score.set = func(d *decoder, n *node, at loc) {
		if v, ok := d.integer(n, at, score.min, score.max); ok {
			d.a.PROMs.LEFS.Score = &v
		} else {
			d.m.partBad = true
		}
	}
	f := object("lefs", "Lower Extremity Functional Scale: answers or score; 0–80, higher is better", answers, score)
	f.open = func(d *decoder) { d.a.PROMs.LEFS = &tendo.LEFS{}; d.m.reset() }
	f.post = func(d *decoder, n *node, path string) {
		v := *d.a.PROMs.LEFS
		if d.m.anyBad {
			v.Score = nil
		}
		_, err := tendo.ScoreLEFS(&v)
		d.scoreErrors(n, path, err)
	}
	return f
}

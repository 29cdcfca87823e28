package web

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"github.com/tendo-health/tendo"
	"github.com/tendo-health/tendo/intake"
)

// The assessment form follows the contract section by section. Every
// input is named by its contract path ("exam.slump"); an empty input means
// "not assessed". The submitted values become a contract document that
// the intake parser validates, so the form and the API share one set of
// rules and the errors name the same fields.

type formSection struct {
	ID     string
	Title  string
	Fields []formField
}

// A formField is one input, or one block of inputs that the contract
// writes as a list or an object: Type "areas" is a group of checkboxes
// (one per Area value, and "none" for the empty list), "roots" the root
// compressions of a lumbar MRI (a checkbox and a side per root, and
// "none"), "neuro" the left/right table of exam.neuro (Rows), "heading"
// the title of a part of a section (an imaging study).
type formField struct {
	Path    string
	Label   string
	Type    string // bool, enum, integer, number, string, date; areas, roots, neuro, heading
	Choices []string
	Options []formOption // areas, roots: the checkboxes
	Sides   []string     // roots: the sides a compression can have
	Rows    []neuroRow   // neuro
	Side    string       // a cell of the neuro table: "left" or "right"
	Flag    string       // a red-flag question: the condition it screens for
	Hint    string       // meaning, unit and range
	Unit    string
	Min     string
	Max     string
	Step    string
}

// Wide reports whether the field takes the whole width of the grid.
func (f formField) Wide() bool {
	switch f.Type {
	case "areas", "roots", "neuro", "heading":
		return true
	}
	return false
}

// A formOption is one checkbox of a group.
type formOption struct {
	Value string
	Label string
	Note  string // e.g. the root of an area's dermatome
}

// A neuroRow is one finding of exam.neuro, for each leg.
type neuroRow struct {
	Label       string
	Hint        string
	Left, Right formField
}

var sectionTitles = []struct{ id, title string }{
	{"visit", "Visit"},
	{"patient", "Patient"},
	{"history", "Red-flag questions and history"},
	{"exam", "Examination"},
	{"imaging", "Imaging already done"},
	{"proms", "Outcome scores"},
	{"gait", "Gait"},
}

const (
	neuroPath = "exam.neuro"
	rootsPath = "imaging.lumbarMri.rootCompression"
	noneValue = "none" // the checkbox for the empty list
)

// placeAfter moves a field next to the one it qualifies (the v1.1
// fields come last in the contract's order).
var placeAfter = map[string]string{
	"history.legPainAreas":            "history.legPainBelowKnee",
	"history.paresthesia":             "history.legPainAreas",
	"history.paresthesiaAreas":        "history.paresthesia",
	"history.paresthesiaBothFeet":     "history.paresthesiaAreas",
	"history.diabetesYears":           "history.diabetes",
	"history.longTermCorticosteroids": "history.systemicCorticosteroids",
	neuroPath:                         "exam.plantarflexionStrengthMrc",
}

// buildForm derives the form from the intake schema. Item-level
// questionnaire answers are left to the patient's questionnaire links;
// the form takes the scores.
func buildForm() []formSection {
	bySection := map[string]*formSection{}
	var order []*formSection
	for _, st := range sectionTitles {
		sec := &formSection{ID: st.id, Title: st.title}
		bySection[st.id] = sec
		order = append(order, sec)
	}
	// The neuro table, found by position: the slice may grow after it.
	var neuroSec *formSection
	neuroIdx := -1
	neuroRows := map[string]int{} // row by the path below the side
	for _, f := range intake.Fields() {
		sec := "visit"
		if i := strings.IndexByte(f.Path, '.'); i > 0 {
			sec = f.Path[:i]
		}
		s, ok := bySection[sec]
		if !ok {
			continue
		}
		switch {
		case f.Path == neuroPath:
			s.Fields = append(s.Fields, formField{Path: f.Path, Type: "neuro", Label: "Neurological examination, each leg",
				Hint: "Reflexes, strength (MRC 0–5) and sensation of both legs; leave a cell empty when it was not tested. Needs the side of the symptoms."})
			neuroSec, neuroIdx = s, len(s.Fields)-1
			continue
		case strings.HasPrefix(f.Path, neuroPath+".") && f.Type != "object":
			// exam.neuro.left.sensation.sole: side "left", row "sensation.sole".
			rest := strings.TrimPrefix(f.Path, neuroPath+".")
			side, row, _ := strings.Cut(rest, ".")
			if neuroSec == nil {
				continue
			}
			neuro := &neuroSec.Fields[neuroIdx]
			ff := scalarField(f, label(neuroPath+".left."+row, f.Unit))
			ff.Side = side
			i, ok := neuroRows[row]
			if !ok {
				i = len(neuro.Rows)
				neuroRows[row] = i
				neuro.Rows = append(neuro.Rows, neuroRow{Label: ff.Label, Hint: ff.Hint})
			}
			switch side {
			case "left":
				neuro.Rows[i].Left = ff
			case "right":
				neuro.Rows[i].Right = ff
			}
			continue
		case strings.HasPrefix(f.Path, neuroPath+"."):
			continue // the sides and their sensation objects
		case f.Type == "array" && f.Path == rootsPath:
			ff := formField{Path: f.Path, Type: "roots", Label: label(f.Path, ""), Hint: hintFor(f)}
			if root, ok := intake.Lookup(f.Path + "[].root"); ok {
				for _, v := range root.Values {
					ff.Options = append(ff.Options, formOption{Value: v, Label: v})
				}
			}
			if side, ok := intake.Lookup(f.Path + "[].side"); ok {
				ff.Sides = side.Values
			}
			s.Fields = append(s.Fields, ff)
			continue
		case f.Type == "array":
			el, ok := intake.Lookup(f.Path + "[]")
			if !ok || el.Type != "enum" {
				continue // the questionnaires' answers
			}
			ff := formField{Path: f.Path, Type: "areas", Label: label(f.Path, ""), Hint: hintFor(f)}
			for _, v := range el.Values {
				a := areaNames[v]
				if a.name == "" {
					a.name = v
				}
				ff.Options = append(ff.Options, formOption{Value: v, Label: a.name, Note: a.root})
			}
			s.Fields = append(s.Fields, ff)
			continue
		case f.Type == "object" && sec == "imaging" && strings.Count(f.Path, ".") == 1:
			s.Fields = append(s.Fields, formField{Path: f.Path, Type: "heading", Label: label(f.Path, "")})
			continue
		case f.Type == "object" || strings.Contains(f.Path, "["):
			continue
		case f.Path == "schema" || f.Path == "id" || f.Path == "patient.id":
			continue // set by the server
		case strings.HasPrefix(f.Path, "proms.") && !isPromScore(f.Path):
			continue
		}
		s.Fields = append(s.Fields, scalarField(f, label(f.Path, f.Unit)))
	}
	out := make([]formSection, 0, len(order))
	for _, s := range order {
		if len(s.Fields) > 0 {
			s.Fields = reorder(s.Fields)
			if s.ID == "history" {
				s.Fields = redFlagsFirst(s.Fields)
			}
			out = append(out, *s)
		}
	}
	return out
}

// Headings of the history's two parts (not contract paths: a colon never
// appears in one).
const (
	redFlagHeading = "history:red-flags"
	historyHeading = "history:complaint"
)

// redFlagQuestions are the history's red-flag questions, shown first
// and in this order, each with the condition it screens for (the red-flag
// rules of assess/redflags.go).
var redFlagQuestions = []struct{ path, flag string }{
	{"history.saddleAnesthesia", "cauda equina"},
	{"history.bladderOrBowelDysfunction", "cauda equina"},
	{"history.bilateralLegSymptoms", "cauda equina"},
	{"history.progressiveWeakness", "progressive neurological deficit"},
	{"history.recentImmobilisationOrSurgery", "DVT"},
	{"history.previousDvt", "DVT"},
	{"history.popOrKickSensation", "Achilles rupture"},
	{"history.historyOfCancer", "serious spinal pathology"},
	{"history.unexplainedWeightLoss", "serious spinal pathology"},
	{"history.fever", "infection, serious spinal pathology"},
	{"history.recentSignificantTrauma", "fracture, serious spinal pathology"},
	{"history.heelSkinBreachOrProcedure", "infection"},
	{"history.immunosuppression", "infection"},
	{"history.ischaemicRestPain", "critical limb ischaemia"},
}

// redFlagsFirst puts the red-flag questions at the top of the history,
// under a heading of their own, and the rest under a second heading.
func redFlagsFirst(fields []formField) []formField {
	flags := map[string]string{}
	for _, q := range redFlagQuestions {
		flags[q.path] = q.flag
	}
	byPath := map[string]formField{}
	rest := []formField{{Path: historyHeading, Type: "heading", Label: "The complaint, the back and risk factors"}}
	for _, f := range fields {
		if _, ok := flags[f.Path]; ok {
			byPath[f.Path] = f
			continue
		}
		rest = append(rest, f)
	}
	out := []formField{{Path: redFlagHeading, Type: "heading", Label: "Red-flag questions",
		Hint: "Ask these first: a yes to any of them can mean an emergency or an urgent referral, whatever else is found. Leave one unanswered only if it was not asked; the result lists the questions left unanswered."}}
	for _, q := range redFlagQuestions {
		if f, ok := byPath[q.path]; ok {
			f.Flag = q.flag
			out = append(out, f)
		}
	}
	return append(out, rest...)
}

// scalarField is the input of one contract value.
func scalarField(f intake.Field, lbl string) formField {
	ff := formField{Path: f.Path, Label: lbl, Type: f.Type, Choices: f.Values, Unit: f.Unit, Hint: hintFor(f)}
	if f.Min != nil {
		ff.Min = strconv.FormatFloat(*f.Min, 'g', -1, 64)
	}
	if f.Max != nil {
		ff.Max = strconv.FormatFloat(*f.Max, 'g', -1, 64)
	}
	ff.Step = "any"
	if f.Type == "integer" {
		ff.Step = "1"
	}
	return ff
}

// hintFor is the field's meaning (the hints table, or the contract's
// description) with its range and unit. A right-leg cell of the neuro
// table has the hint of the left one.
func hintFor(f intake.Field) string {
	key := f.Path
	if rest, ok := strings.CutPrefix(key, neuroPath+".right."); ok {
		key = neuroPath + ".left." + rest
	}
	hint, ok := hints[key]
	if !ok {
		hint = f.Description
	}
	if f.Min != nil || f.Max != nil {
		if r := rangeText(f.Min, f.Max, f.Unit); r != "" {
			hint = strings.TrimSuffix(hint, ".") + " (" + r + ")"
		}
	}
	return hint
}

// reorder applies placeAfter.
func reorder(fields []formField) []formField {
	var moved []formField
	rest := make([]formField, 0, len(fields))
	for _, f := range fields {
		if _, ok := placeAfter[f.Path]; ok {
			moved = append(moved, f)
			continue
		}
		rest = append(rest, f)
	}
	for len(moved) > 0 {
		progress := false
		for i := 0; i < len(moved); i++ {
			after := placeAfter[moved[i].Path]
			for j := range rest {
				if rest[j].Path == after {
					rest = append(rest[:j+1], append([]formField{moved[i]}, rest[j+1:]...)...)
					moved = append(moved[:i], moved[i+1:]...)
					i--
					progress = true
					break
				}
			}
		}
		if !progress {
			rest = append(rest, moved...) // the anchor is in another section
			break
		}
	}
	return rest
}

// inputs lists every input of the form in order: the scalar fields, the
// cells of the neuro table and the checkbox groups.
func inputs(sections []formSection) []formField {
	var out []formField
	for _, sec := range sections {
		for _, f := range sec.Fields {
			switch f.Type {
			case "heading":
			case "neuro":
				for _, r := range f.Rows {
					out = append(out, r.Left, r.Right)
				}
			default:
				out = append(out, f)
			}
		}
	}
	return out
}

func isPromScore(path string) bool {
	switch path {
	case "proms.visaA.score", "proms.odi.percent", "proms.nprs", "proms.lefs.score":
		return true
	}
	return false
}

func rangeText(lo, hi *float64, unit string) string {
	f := func(x *float64) string { return strconv.FormatFloat(*x, 'g', -1, 64) }
	u := ""
	if unit != "" {
		u = " " + unit
	}
	switch {
	case lo != nil && hi != nil:
		return f(lo) + "–" + f(hi) + u
	case lo != nil:
		return "at least " + f(lo) + u
	case hi != nil:
		return "at most " + f(hi) + u
	}
	return ""
}

// labels names fields whose path does not read well on its own.
var labels = map[string]string{
	"date":                                     "Date of assessment",
	"side":                                     "Side of the symptoms",
	"patient.ageYears":                         "Age",
	"patient.heightCm":                         "Height",
	"patient.weightKg":                         "Weight",
	"history.symptomWeeks":                     "Duration of heel/Achilles symptoms",
	"history.popOrKickSensation":               "Snap or kick sensation at onset",
	"history.lowBackPainWeeks":                 "Duration of low back pain",
	"history.legPainBelowKnee":                 "Leg pain radiating below the knee",
	"history.painWorseSittingOrCoughing":       "Pain worse sitting or coughing",
	"history.fluoroquinoloneLast6Months":       "Fluoroquinolone in the last 6 months",
	"history.corticosteroidInjectionAchilles":  "Corticosteroid injection near the Achilles",
	"history.recentImmobilisationOrSurgery":    "Recent immobilisation or surgery",
	"history.previousDvt":                      "Previous DVT",
	"exam.royalLondonTest":                     "Royal London Hospital test",
	"exam.calfSqueezeTest":                     "Calf squeeze (Thompson) test",
	"exam.heelRaiseReps.affected":              "Single-leg heel raises, affected side",
	"exam.heelRaiseReps.unaffected":            "Single-leg heel raises, other side",
	"exam.straightLegRaiseDeg":                 "Straight leg raise angle",
	"exam.s1SensoryDeficit":                    "Reduced sensation in the S1 dermatome",
	"exam.plantarflexionStrengthMrc":           "Plantarflexion strength (MRC 0–5)",
	"exam.kneeToWallCm":                        "Knee-to-wall lunge",
	"exam.calfSwellingWarmthOrRedness":         "Calf swelling, warmth or redness",
	"exam.calfCircumferenceDifferenceCm":       "Calf circumference difference",
	"exam.heelSqueezePain":                     "Pain on calcaneal squeeze",
	"proms.visaA.score":                        "VISA-A score",
	"proms.odi.percent":                        "Oswestry Disability Index",
	"proms.nprs":                               "Pain now (NPRS 0–10)",
	"proms.lefs.score":                         "LEFS score",
	"gait.cadenceStepsPerMin":                  "Cadence",
	"gait.stanceTimeAsymmetryPct":              "Stance-time asymmetry",
	"gait.peakAnklePlantarflexorMomentNmPerKg": "Peak ankle plantarflexor moment",
	"gait.peakAchillesForceBw":                 "Peak Achilles force",
	"gait.pelvicRotationRangeDeg":              "Pelvic rotation range",

	// v1.1
	"patient.skeletallyImmature":                      "Skeletally immature",
	"patient.endRangePlantarflexionSport":             "Sport with forced full plantarflexion",
	"patient.smoking":                                 "Smoking",
	"history.onsetDuringLoading":                      "Began at a moment of loading",
	"history.legPainAreas":                            "Where the leg pain is felt",
	"history.paresthesiaAreas":                        "Where numbness or tingling is felt",
	"history.paresthesiaBothFeet":                     "Numbness or tingling in both feet",
	"history.diabetesYears":                           "Years since diabetes was diagnosed",
	"history.shoeCounterPain":                         "Pain from the shoe's heel counter",
	"history.painOnEndRangePlantarflexion":            "Pain on full plantarflexion",
	"history.firstStepPain":                           "First-step heel pain",
	"history.goutOrCrystalArthritis":                  "Gout or crystal arthritis before",
	"history.maximalPainWithin24Hours":                "Worst within 24 hours of onset",
	"history.heelSkinBreachOrProcedure":               "Heel wound or procedure (last 3 months)",
	"history.immunosuppression":                       "Immunosuppression",
	"history.longTermCorticosteroids":                 "Long-term oral corticosteroids",
	"history.osteoporosisOrFragilityFracture":         "Osteoporosis or fragility fracture",
	"history.exertionalCalfPain":                      "Calf pain on walking",
	"history.claudicationDistanceM":                   "Walking distance before calf pain",
	"history.reliefOnStandingStill":                   "Calf pain eases standing still",
	"history.reliefNeedsSittingOrBendingForward":      "Leg pain eases only sitting or bending forward",
	"history.ischaemicRestPain":                       "Foot pain at rest, eased leg hanging down",
	"exam.stockingSensoryLoss":                        "Stocking sensory loss, both feet",
	"exam.focalTendonSwelling":                        "New focal tendon swelling",
	"exam.retrocalcanealSqueezePain":                  "Retrocalcaneal squeeze pain",
	"exam.posterosuperiorCalcanealProminence":         "Haglund prominence",
	"exam.posteriorHeelSwelling":                      "Swelling around the insertion",
	"exam.posteriorHeelWarmth":                        "Posterior heel warmer than the other",
	"exam.posteriorHeelRedness":                       "Posterior heel redness",
	"exam.forcedPlantarflexionTest":                   "Forced plantarflexion test",
	"exam.posterolateralTenderness":                   "Posterolateral ankle tenderness",
	"exam.posteromedialMass":                          "Posteromedial soft mass",
	"exam.plantarHeelTenderness":                      "Plantar heel tenderness",
	"exam.tarsalTunnelTinel":                          "Tinel sign, tarsal tunnel",
	"exam.dorsiflexionEversionTest":                   "Dorsiflexion–eversion test",
	"exam.suralNerveTinel":                            "Tinel sign, sural nerve",
	"exam.dorsalisPedisPulse":                         "Dorsalis pedis pulse",
	"exam.posteriorTibialPulse":                       "Posterior tibial pulse",
	"exam.abpi":                                       "Ankle–brachial index (ABPI)",
	"exam.neuro.left.ankleReflex":                     "Ankle reflex (S1)",
	"exam.neuro.left.kneeReflex":                      "Knee reflex (L4)",
	"exam.neuro.left.plantarflexionMrc":               "Plantarflexion strength (S1)",
	"exam.neuro.left.ankleDorsiflexionMrc":            "Ankle dorsiflexion strength (L4–L5)",
	"exam.neuro.left.greatToeExtensionMrc":            "Great-toe extension strength (L5)",
	"exam.neuro.left.sensation.medialShin":            "Sensation: medial shin (L4)",
	"exam.neuro.left.sensation.lateralShin":           "Sensation: anterolateral leg (L5)",
	"exam.neuro.left.sensation.posteriorCalf":         "Sensation: back of the calf (S1–S2)",
	"exam.neuro.left.sensation.dorsalFoot":            "Sensation: dorsum of the foot (L5)",
	"exam.neuro.left.sensation.lateralFoot":           "Sensation: lateral heel and foot (S1)",
	"exam.neuro.left.sensation.sole":                  "Sensation: sole (S1)",
	"exam.neuro.left.sensation.medialHeel":            "Sensation: medial heel (S1)",
	"exam.neuro.left.halluxVibration":                 "Vibration at the great toe",
	"imaging.ultrasound":                              "Achilles ultrasound",
	"imaging.ankleMri":                                "Ankle MRI",
	"imaging.lumbarMri":                               "Lumbar spine MRI",
	"imaging.radiograph":                              "Lateral ankle or heel radiograph",
	"imaging.ultrasound.tendonThicknessMm.affected":   "Tendon thickness, affected side",
	"imaging.ultrasound.tendonThicknessMm.unaffected": "Tendon thickness, other side",
	"imaging.ultrasound.hypoechoicArea":               "Hypoechoic area",
	"imaging.ultrasound.neovascularisation":           "Neovascularisation (Doppler)",
	"imaging.ultrasound.tear":                         "Tear on ultrasound",
	"imaging.ultrasound.retrocalcanealBursalFluid":    "Retrocalcaneal bursal fluid",
	"imaging.ultrasound.urateDeposits":                "Urate deposits",
	"imaging.ankleMri.tendon":                         "Achilles tendon on MRI",
	"imaging.ankleMri.calcanealBoneOedema":            "Calcaneal bone oedema",
	"imaging.ankleMri.calcanealFractureLine":          "Calcaneal fracture line on MRI",
	"imaging.ankleMri.posteriorTalarOedema":           "Posterior talar oedema",
	"imaging.ankleMri.retrocalcanealBursitis":         "Retrocalcaneal bursitis on MRI",
	"imaging.ankleMri.accessorySoleus":                "Accessory soleus",
	"imaging.lumbarMri.rootCompression":               "Nerve roots compressed",
	"imaging.radiograph.calcanealFractureLine":        "Calcaneal fracture line on X-ray",
	"imaging.radiograph.osTrigonumOrStiedaProcess":    "Os trigonum or Stieda process",
}

// hints replaces the contract's description where it speaks of the
// contract rather than the patient (the range and unit are added).
var hints = map[string]string{
	"history.legPainAreas":                 "Radiating leg pain, not the local heel pain. Tick every area, or \u201cnone\u201d for no radiating leg pain; leave all empty if not asked. Must agree with \u201cleg pain below the knee\u201d.",
	"history.paresthesiaAreas":             "Tick every area, or \u201cnone\u201d for no numbness or tingling; leave all empty if not asked. Must agree with \u201cparesthesia\u201d.",
	"history.diabetesYears":                "Needs diabetes: yes",
	"history.claudicationDistanceM":        "Distance walked before the calf pain starts; needs calf pain on walking: yes",
	"history.longTermCorticosteroids":      "Oral glucocorticoid for 3 months or more, now or stopped within 6 months; implies systemic corticosteroids: yes",
	"history.onsetDuringLoading":           "Began or suddenly worsened at a definite moment of sprint, jump, lunge or push-off",
	"exam.abpi":                            "Higher ankle systolic ÷ higher brachial systolic pressure, that side; above 1.30 the arteries may be incompressible",
	"exam.neuro.left.ankleReflex":          "Normal, reduced or absent",
	"exam.neuro.left.kneeReflex":           "Normal, reduced or absent (L4, L3)",
	"exam.neuro.left.plantarflexionMrc":    "Gastrocnemius–soleus, MRC grade",
	"exam.neuro.left.ankleDorsiflexionMrc": "Tibialis anterior, MRC grade",
	"exam.neuro.left.greatToeExtensionMrc": "Extensor hallucis longus, MRC grade",
	"exam.neuro.left.halluxVibration":      "128-Hz tuning fork on the great toe",
	"imaging.lumbarMri.rootCompression":    "Roots contacted, displaced or compressed by a disc or stenosis; give the side of each. Tick \u201cnone\u201d when the MRI showed no root compression (a bulge alone is not recorded).",
}

// areaNames are the contract's Area values in the words of its Area
// table ("where"), with the root of the dermatome.
var areaNames = map[string]struct{ name, root string }{
	"anterior-thigh":  {"Front of the thigh", "L2–L4"},
	"posterior-thigh": {"Back of the thigh", "S1–S2"},
	"medial-shin":     {"Medial leg down to the medial ankle", "L4"},
	"lateral-shin":    {"Anterolateral leg", "L5"},
	"posterior-calf":  {"Back of the calf", "S1–S2"},
	"dorsal-foot":     {"Dorsum of the foot, first web space, dorsum of the great toe", "L5"},
	"lateral-foot":    {"Lateral heel, lateral border of the foot, little toe", "S1"},
	"sole":            {"Plantar surface of the foot", "S1"},
	"medial-heel":     {"Medial and plantar-medial heel", "S1"},
}

// label turns a contract path into words: the labels table, or the last
// segment split at its capitals ("tendonThickeningOrNodule" → "Tendon
// thickening or nodule"), with the unit.
func label(path, unit string) string {
	l, ok := labels[path]
	if !ok {
		last := path[strings.LastIndexByte(path, '.')+1:]
		var b strings.Builder
		for i, r := range last {
			if i > 0 && unicode.IsUpper(r) {
				b.WriteByte(' ')
				b.WriteRune(unicode.ToLower(r))
				continue
			}
			if i == 0 {
				r = unicode.ToUpper(r)
			}
			b.WriteRune(r)
		}
		l = b.String()
	}
	if unit != "" {
		l += " (" + unit + ")"
	}
	return l
}

// formValues is what the user typed, by input name (the contract path;
// a checkbox group has one value per ticked box).
type formValues = url.Values

// fieldErrors are messages by contract path (or by the key of a block of
// the form: "exam.neuro", "imaging.ultrasound", a root compression row
// "imaging.lumbarMri.rootCompression.L5"); "" holds messages about the
// whole document.
type fieldErrors map[string]string

func (e fieldErrors) add(key, msg string) {
	if prev := e[key]; prev != "" {
		if prev == msg || strings.Contains(prev, "; "+msg) || strings.HasPrefix(prev, msg+"; ") {
			return
		}
		msg = prev + "; " + msg
	}
	e[key] = msg
}

// formProblem names a field with an error, for the list at the top of the
// form.
type formProblem struct {
	Key     string
	Label   string
	Message string
}

// parseAssessmentForm turns the form into an assessment, or returns the
// errors by field. Nothing typed is lost: the values come back for the
// form to show again.
func (s *Server) parseAssessmentForm(form url.Values, patient tendo.PatientRecord) (*tendo.Assessment, formValues, fieldErrors) {
	doc, values, errs, roots := formDocument(s.form, form)
	if patient.ExternalID != "" {
		setPath(doc, "patient.id", patient.ExternalID)
	}
	doc["id"] = patientLabel(patient)
	data, err := json.Marshal(doc)
	if err != nil {
		return nil, values, fieldErrors{"": "The form could not be read."}
	}
	a, err := intake.ParseJSON(data)
	if err != nil {
		var fe tendo.Errors
		if errors.As(err, &fe) {
			for _, e := range fe {
				msg := e.Message
				if e.Value != "" {
					msg = e.Value + " " + msg
				}
				key := s.errorKey(e.Field, roots)
				switch {
				case key == e.Field:
				case key == "":
					msg = e.Error() // name the field
				default:
					// A part of a root compression: "side: required".
					if m := elementPath.FindStringSubmatch(e.Field); m != nil {
						if rest := strings.TrimPrefix(e.Field[len(m[0]):], "."); rest != "" {
							msg = rest + ": " + msg
						}
					}
				}
				errs.add(key, msg)
				// A broken cross-field rule is shown next to every field
				// it names.
				for _, p := range e.Paths {
					if p != e.Field {
						errs.add(s.errorKey(p, roots), e.Error())
					}
				}
			}
		} else {
			errs.add("", err.Error())
		}
	}
	if len(errs) > 0 {
		return nil, values, errs
	}
	if _, err := a.PROMs.Scores(); err != nil {
		errs := fieldErrors{}
		var se tendo.ScoreErrors
		if errors.As(err, &se) {
			for _, e := range se {
				errs[""] = strings.TrimPrefix(errs[""]+"; "+e.Error(), "; ")
			}
		}
		return nil, values, errs
	}
	return a, values, nil
}

// formDocument turns the submitted form into a contract document: a
// value at its path for every input that is not empty; a list for a
// checkbox group with a box ticked ([] for "none"); nothing for a part of
// the form left empty. It returns what was typed, the problems only the
// form can see (a "none" ticked with an area), and the root of each
// element of the root compressions, in order, to name errors.
func formDocument(sections []formSection, form url.Values) (doc map[string]any, values formValues, errs fieldErrors, roots []string) {
	values = formValues{}
	errs = fieldErrors{}
	doc = map[string]any{"schema": "tendo/assessment/v1"}
	for _, f := range inputs(sections) {
		switch f.Type {
		case "areas", "roots":
			var ticked []string
			for _, v := range form[f.Path] {
				if v = strings.TrimSpace(v); v != "" {
					ticked = append(ticked, v)
				}
			}
			var sides []string
			if f.Type == "roots" {
				for _, o := range f.Options {
					side := strings.TrimSpace(form.Get(rootSideName(f.Path, o.Value)))
					if side != "" {
						values.Set(rootSideName(f.Path, o.Value), side)
						if !slices.Contains(ticked, o.Value) {
							errs.add(f.Path+"."+o.Value, "A side is chosen but "+o.Value+" is not ticked: tick it or clear the side")
						}
					}
					sides = append(sides, side)
				}
			}
			if len(ticked) == 0 {
				continue
			}
			values[f.Path] = ticked
			list := []any{}
			if slices.Contains(ticked, noneValue) {
				if len(ticked) > 1 {
					errs.add(f.Path, "\u201cnone\u201d is ticked together with other boxes: tick one or the other")
				}
				setPath(doc, f.Path, list)
				continue
			}
			for _, v := range ticked {
				if f.Type == "areas" {
					list = append(list, v)
					continue
				}
				el := map[string]any{"root": v}
				if i := slices.IndexFunc(f.Options, func(o formOption) bool { return o.Value == v }); i >= 0 && sides[i] != "" {
					el["side"] = sides[i]
				}
				roots = append(roots, v)
				list = append(list, el)
			}
			setPath(doc, f.Path, list)
		default:
			v := strings.TrimSpace(form.Get(f.Path))
			if v == "" {
				continue
			}
			values.Set(f.Path, v)
			var val any = v
			switch f.Type {
			case "bool":
				switch v {
				case "true":
					val = true
				case "false":
					val = false
				}
			case "integer", "number":
				if _, err := strconv.ParseFloat(v, 64); err == nil && !strings.ContainsAny(v, "xXpP_") {
					val = json.Number(v)
				}
			}
			setPath(doc, f.Path, val)
		}
	}
	return doc, values, errs, roots
}

// rootSideName is the name of the side select of a root compression.
func rootSideName(path, root string) string { return path + "." + root + ".side" }

// errorKey is where the form shows an error about a contract path: at
// the input of that path; for an element of a list, at the list (a root
// compression at its root's row); for an object, at its block or
// heading, or at the enclosing one; else at the top ("").
func (s *Server) errorKey(path string, roots []string) string {
	keys := s.keys
	if m := elementPath.FindStringSubmatch(path); m != nil {
		base := m[1]
		if base == rootsPath {
			if i, err := strconv.Atoi(m[2]); err == nil && i < len(roots) && keys[base+"."+roots[i]] {
				return base + "." + roots[i]
			}
		}
		path = base
	}
	for p := path; p != ""; {
		if keys[p] {
			return p
		}
		i := strings.LastIndexByte(p, '.')
		if i < 0 {
			break
		}
		p = p[:i]
	}
	return ""
}

var elementPath = regexp.MustCompile(`^(.*?)\[(\d+)\]`)

// notePath is the name of the clinical note's input (not a contract
// path: the note is kept with the visit, beside the assessment).
const notePath = "note"

// errorKeys are the places of the form that can show an error.
func errorKeys(sections []formSection) map[string]bool {
	keys := map[string]bool{notePath: true}
	for _, sec := range sections {
		for _, f := range sec.Fields {
			keys[f.Path] = true
			for _, r := range f.Rows {
				keys[r.Left.Path] = true
				keys[r.Right.Path] = true
			}
			if f.Type == "roots" {
				for _, o := range f.Options {
					keys[f.Path+"."+o.Value] = true
				}
			}
		}
	}
	return keys
}

// problems lists the fields with an error, in the order of the form.
func (s *Server) problems(errs fieldErrors) []formProblem {
	var out []formProblem
	seen := map[string]bool{}
	addP := func(key, lbl string) {
		if errs[key] != "" && !seen[key] {
			seen[key] = true
			out = append(out, formProblem{Key: key, Label: lbl, Message: errs[key]})
		}
	}
	for _, sec := range s.form {
		for _, f := range sec.Fields {
			addP(f.Path, f.Label)
			for _, r := range f.Rows {
				addP(r.Left.Path, r.Label+", left leg")
				addP(r.Right.Path, r.Label+", right leg")
			}
			for _, o := range f.Options {
				if f.Type == "roots" {
					addP(f.Path+"."+o.Value, f.Label+": "+o.Value)
				}
			}
		}
	}
	addP(notePath, "Clinical note")
	return out
}

// setPath sets doc[a][b][c] = v for the path "a.b.c".
func setPath(doc map[string]any, path string, v any) {
	parts := strings.Split(path, ".")
	m := doc
	for _, p := range parts[:len(parts)-1] {
		next, ok := m[p].(map[string]any)
		if !ok {
			next = map[string]any{}
			m[p] = next
		}
		m = next
	}
	m[parts[len(parts)-1]] = v
}

// patientLabel is the assessment's "id" for a patient entered through the
// form: the name the clinic gave, with its own identifier when there is
// one, so a printed report says whose it is.
func patientLabel(p tendo.PatientRecord) string {
	label := strings.TrimSpace(p.Name)
	if label == "" {
		label = fmt.Sprintf("patient %d", p.ID)
	}
	if p.ExternalID != "" {
		label += " (" + p.ExternalID + ")"
	}
	return label
}

// formInput is what the "input" template needs to draw one input.
type formInput struct {
	F formField
	V string // the value typed
	E string // the error shown next to it
}

// formFuncs are the assessment form's template functions.
var formFuncs = map[string]any{
	// input is one input with its value and error.
	"input": func(f formField, vals formValues, errs fieldErrors) formInput {
		return formInput{F: f, V: vals.Get(f.Path), E: errs[f.Path]}
	},
	// checked reports whether a box of a group was ticked.
	"checked": func(vals formValues, name, value string) bool { return slices.Contains(vals[name], value) },
	// rootSide is the name of the side select of a root compression.
	"rootSide": rootSideName,
	// join makes the key of a row of a group ("PATH.L5").
	"join": func(a, b string) string { return a + "." + b },
	// sectionOpen reports whether a section is drawn unfolded: the
	// sections most visits fill, and any other with a value or an error.
	"sectionOpen": func(sec formSection, vals formValues, errs fieldErrors) bool {
		if openSections[sec.ID] || filledIn(sec, vals) > 0 {
			return true
		}
		for _, f := range sectionKeys(sec) {
			if errs[f] != "" {
				return true
			}
		}
		return false
	},
	// filled counts the inputs of a section holding a value.
	"filled": filledIn,
}

// openSections are unfolded on a blank form; the others (imaging, gait)
// are folded until they hold a value or an error.
var openSections = map[string]bool{"visit": true, "patient": true, "history": true, "exam": true, "proms": true}

// filledIn counts the inputs of a section with a value.
func filledIn(sec formSection, vals formValues) int {
	n := 0
	for _, f := range inputs([]formSection{sec}) {
		if len(vals[f.Path]) > 0 && vals.Get(f.Path) != "" {
			n++
		}
	}
	return n
}

// sectionKeys are the places of a section that can show an error.
func sectionKeys(sec formSection) []string {
	keys := errorKeys([]formSection{sec})
	delete(keys, notePath)
	out := make([]string, 0, len(keys))
	for k := range keys {
		out = append(out, k)
	}
	return out
}

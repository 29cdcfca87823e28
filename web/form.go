package web

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
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

type formField struct {
	Path    string
	Label   string
	Type    string // bool, enum, integer, number, string, date
	Choices []string
	Hint    string // meaning, unit and range
	Unit    string
	Min     string
	Max     string
	Step    string
}

var sectionTitles = []struct{ id, title string }{
	{"visit", "Visit"},
	{"patient", "Patient"},
	{"history", "History and red-flag questions"},
	{"exam", "Examination"},
	{"proms", "Outcome scores"},
	{"gait", "Gait"},
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
	for _, f := range intake.Fields() {
		switch {
		case f.Type == "object" || f.Type == "array" || strings.Contains(f.Path, "["):
			continue
		case f.Path == "schema" || f.Path == "id" || f.Path == "patient.id":
			continue // set by the server
		case strings.HasPrefix(f.Path, "proms.") && !isPromScore(f.Path):
			continue
		}
		sec := "visit"
		if i := strings.IndexByte(f.Path, '.'); i > 0 {
			sec = f.Path[:i]
		}
		s, ok := bySection[sec]
		if !ok {
			continue
		}
		ff := formField{Path: f.Path, Label: label(f.Path, f.Unit), Type: f.Type, Choices: f.Values, Unit: f.Unit}
		hint := f.Description
		if f.Min != nil || f.Max != nil {
			r := rangeText(f.Min, f.Max, f.Unit)
			if r != "" {
				hint = strings.TrimSuffix(hint, ".") + " (" + r + ")"
			}
			if f.Min != nil {
				ff.Min = strconv.FormatFloat(*f.Min, 'g', -1, 64)
			}
			if f.Max != nil {
				ff.Max = strconv.FormatFloat(*f.Max, 'g', -1, 64)
			}
		}
		ff.Step = "any"
		if f.Type == "integer" {
			ff.Step = "1"
		}
		ff.Hint = hint
		s.Fields = append(s.Fields, ff)
	}
	out := make([]formSection, 0, len(order))
	for _, s := range order {
		if len(s.Fields) > 0 {
			out = append(out, *s)
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

// formValues is what the user typed, by contract path.
type formValues map[string]string

// fieldErrors are messages by contract path; "" holds messages about the
// whole document.
type fieldErrors map[string]string

// parseAssessmentForm turns the form into an assessment, or returns the
// errors by field. Nothing typed is lost: the values come back for the
// form to show again.
func (s *Server) parseAssessmentForm(form url.Values, patient tendo.PatientRecord) (*tendo.Assessment, formValues, fieldErrors) {
	values := formValues{}
	doc := map[string]any{"schema": "tendo/assessment/v1", "id": patientLabel(patient)}
	for _, sec := range s.form {
		for _, f := range sec.Fields {
			v := strings.TrimSpace(form.Get(f.Path))
			if v == "" {
				continue
			}
			values[f.Path] = v
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
	if patient.ExternalID != "" {
		setPath(doc, "patient.id", patient.ExternalID)
	}
	data, err := json.Marshal(doc)
	if err != nil {
		return nil, values, fieldErrors{"": "The form could not be read."}
	}
	a, err := intake.ParseJSON(data)
	if err != nil {
		errs := fieldErrors{}
		var fe intake.Errors
		if errors.As(err, &fe) {
			for _, e := range fe {
				key := e.Path
				if _, ok := values[key]; !ok && !s.hasField(key) {
					key = "" // a whole-document or nested problem
				}
				msg := e.Msg
				if e.Value != "" {
					msg = e.Value + " " + msg
				}
				if prev := errs[key]; prev != "" {
					msg = prev + "; " + msg
				}
				errs[key] = msg
			}
		} else {
			errs[""] = err.Error()
		}
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

func (s *Server) hasField(path string) bool {
	for _, sec := range s.form {
		for _, f := range sec.Fields {
			if f.Path == path {
				return true
			}
		}
	}
	return false
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

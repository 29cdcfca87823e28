package report

import (
	"fmt"
	"io"
	"reflect"
	"strconv"
	"strings"
	"unicode"

	"github.com/tendo-health/tendo"
)

// issue 10: report. A Document is a result as a clinical document: whose
// it is (the header printed on every page), what was found (the findings
// summary) and the result itself. The clinic fills the header from its
// records; the command line fills it from what the assessment holds.

// Header names the patient and the visit on every printed page. An empty
// field is not shown.
type Header struct {
	// Patient is the patient's name (the command line: the assessment's
	// id).
	Patient string
	// Born is the date or year of birth.
	Born string
	// Identifier is the clinic's own identifier (an MRN).
	Identifier string
	// Side is the side of the symptoms: "left", "right" or "bilateral".
	Side string
	// VisitDate is the date of the visit, YYYY-MM-DD.
	VisitDate string
	// Clinic is the clinic's name.
	Clinic string
	// Clinician is the clinician responsible for the visit, who signs.
	Clinician string
	// Status, when not "", says the record was corrected: amended since,
	// or entered in error. It heads every printed page.
	Status string
}

// SideText is the side in words ("Right", "Both sides"), or "".
func (h Header) SideText() string { return sideText(h.Side) }

func sideText(s string) string {
	switch s {
	case "":
		return ""
	case string(tendo.SideBilateral):
		return "Both sides"
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// A Finding is one entered finding in words: "Knee-to-wall lunge", "9 cm".
type Finding struct {
	Label string
	Value string
}

// A FindingGroup is the findings of one part of the assessment.
type FindingGroup struct {
	Title    string
	Findings []Finding
}

// Document is what the printable report shows.
type Document struct {
	Header   Header
	Findings []FindingGroup
	Result   *tendo.Result
	// Screen lists the red flags not raised whose screening questions
	// were left unanswered (tendo.RedFlagScreen), printed after the
	// findings; nil prints nothing.
	Screen []tendo.ScreenGap
}

// NewDocument is the document of an assessment and its result as the
// command line knows them: the header holds the assessment's id, side
// and date, and the findings are labelled from the contract's names.
func NewDocument(a *tendo.Assessment, res *tendo.Result) Document {
	d := Document{Result: res, Findings: Findings(a, nil)}
	d.Header.VisitDate = res.Date
	if d.Header.VisitDate == "" && a != nil {
		d.Header.VisitDate = a.Date
	}
	d.Header.Patient = res.ID
	if a != nil && a.Side != nil {
		d.Header.Side = string(*a.Side)
	}
	return d
}

// groupTitles are the findings' groups, in order, by the first segment of
// the contract path.
var groupTitles = []struct{ key, title string }{
	{"patient", "Patient"},
	{"history", "History"},
	{"exam", "Examination"},
	{"imaging", "Imaging"},
	{"gait", "Gait"},
	{"proms", "Outcome scores"},
}

// extraUnits are the units of counts and grades the contract gives none.
var extraUnits = map[string]string{
	"exam.heelRaiseReps.affected":   "repetitions",
	"exam.heelRaiseReps.unaffected": "repetitions",
	"history.diabetesYears":         "years",
}

// outOf are the scales whose value reads "4 of 5".
var outOf = map[string]string{
	"exam.plantarflexionStrengthMrc": "5",
	"proms.visaA.score":              "100",
	"proms.nprs":                     "10",
	"proms.lefs.score":               "80",
}

// Findings lists the entered findings of an assessment in words, grouped
// by part (patient, history, examination, imaging, gait, outcome scores),
// in the contract's order. label names a field by its contract path; nil,
// or a label of "", names it from the path itself. The visit's date and side are in the
// header, and questionnaire answers are summed up in the scores.
func Findings(a *tendo.Assessment, label func(path string) string) []FindingGroup {
	if a == nil {
		return nil
	}
	if label == nil {
		label = pathLabel
	}
	byKey := map[string][]Finding{}
	fields := tendo.Fields()
	for i := range fields {
		f := &fields[i]
		if f.InArray || f.Custom || f.Kind == tendo.KindObject {
			continue
		}
		key, _, nested := strings.Cut(f.Path, ".")
		if !nested || f.Path == "patient.id" {
			continue // schema, id, date, side: the header
		}
		if f.Kind == tendo.KindArray && f.Path == "proms.odi.answers" {
			continue
		}
		v, ok := f.Get(a)
		if !ok {
			continue
		}
		val := findingValue(f, v)
		if val == "" {
			continue
		}
		l := label(f.Path)
		if l == "" {
			l = pathLabel(f.Path)
		}
		byKey[key] = append(byKey[key], Finding{Label: l, Value: val})
	}
	var out []FindingGroup
	for _, g := range groupTitles {
		if fs := byKey[g.key]; len(fs) > 0 {
			out = append(out, FindingGroup{Title: g.title, Findings: fs})
		}
	}
	return out
}

// findingValue writes a field's value in words with its unit.
func findingValue(f *tendo.FieldInfo, v reflect.Value) string {
	unit := f.Unit
	if u, ok := extraUnits[f.Path]; ok {
		unit = u
	}
	withUnit := func(s string) string {
		if of, ok := outOf[f.Path]; ok {
			return s + " of " + of
		}
		switch unit {
		case "":
			return s
		case "%":
			return s + "%"
		case "deg":
			return s + "°"
		}
		return s + " " + unit
	}
	switch v.Kind() {
	case reflect.Bool:
		if v.Bool() {
			return "yes"
		}
		return "no"
	case reflect.Int, reflect.Int64, reflect.Int32:
		return withUnit(strconv.FormatInt(v.Int(), 10))
	case reflect.Float64, reflect.Float32:
		return withUnit(strconv.FormatFloat(v.Float(), 'f', -1, 64))
	case reflect.String:
		return enumWords(v.String())
	case reflect.Slice:
		if v.Len() == 0 {
			return "none"
		}
		parts := make([]string, 0, v.Len())
		for i := range v.Len() {
			parts = append(parts, elementWords(v.Index(i)))
		}
		return strings.Join(parts, "; ")
	}
	return ""
}

// elementWords writes an array element: an enum value, or an object's
// fields ("L5, left").
func elementWords(e reflect.Value) string {
	for e.Kind() == reflect.Pointer {
		if e.IsNil() {
			return ""
		}
		e = e.Elem()
	}
	if e.Kind() != reflect.Struct {
		return enumWords(fmt.Sprint(e.Interface()))
	}
	var parts []string
	for i := range e.NumField() {
		fv := e.Field(i)
		for fv.Kind() == reflect.Pointer {
			if fv.IsNil() {
				break
			}
			fv = fv.Elem()
		}
		if fv.Kind() == reflect.Pointer || !fv.IsValid() || fv.IsZero() {
			continue
		}
		parts = append(parts, enumWords(fmt.Sprint(fv.Interface())))
	}
	return strings.Join(parts, ", ")
}

// enumWords writes a contract value in words: "not-tested" → "not tested".
func enumWords(s string) string { return strings.ReplaceAll(s, "-", " ") }

// pathLabel names a field from its contract path: the last segment split
// at its capitals, after its parent's when the parent is not a part of
// the assessment ("exam.heelRaiseReps.affected" → "Heel raise reps,
// affected"), without a trailing unit ("Age years" → "Age").
func pathLabel(path string) string {
	segs := strings.Split(path, ".")
	words := func(s string) string {
		var b strings.Builder
		for i, r := range s {
			switch {
			case i == 0:
				r = unicode.ToUpper(r)
			case unicode.IsUpper(r):
				b.WriteByte(' ')
				r = unicode.ToLower(r)
			}
			b.WriteRune(r)
		}
		return b.String()
	}
	if n, ok := measureNames[segs[len(segs)-1]]; ok {
		return n
	}
	last := words(segs[len(segs)-1])
	if i := strings.LastIndexByte(last, ' '); i > 0 {
		if w, ok := unitWords[last[i+1:]]; ok {
			// "Age years" → "Age", "Symptom weeks" → "Symptom duration":
			// the value carries the unit.
			last = strings.TrimSpace(last[:i] + " " + w)
		}
	}
	if len(segs) < 3 {
		return last
	}
	parent := segs[len(segs)-2]
	if n, ok := measureNames[parent]; ok {
		if last == "Score" || last == "Percent" {
			return n
		}
		parent = n
	} else {
		parent = words(parent)
	}
	return parent + ", " + strings.ToLower(last[:1]) + last[1:]
}

// unitWords are the units a contract name ends with.
// the word that replaces each ("" for none).
var unitWords = map[string]string{
	"years": "", "cm": "", "kg": "", "mm": "", "m": "", "pct": "", "mrc": "(MRC grade)",
	"weeks": "duration", "minutes": "duration", "deg": "angle",
}

// measureNames are the outcome measures by their contract names.
var measureNames = map[string]string{"visaA": "VISA-A", "odi": "ODI", "lefs": "LEFS", "nprs": "NPRS (pain now)"}

// Print writes the document as a standalone printable HTML page: the
// header on every printed page with its page number, the findings, the
// result and a signature line, the disclaimer in every page's footer.
func Print(w io.Writer, d Document) error {
	return templates.ExecuteTemplate(w, "document", withDefaults(d))
}

// withDefaults names a document without a patient by its result's id, and
// dates it by the result's date.
func withDefaults(d Document) Document {
	if d.Header.Patient == "" {
		d.Header.Patient = d.Result.ID
	}
	if d.Header.VisitDate == "" {
		d.Header.VisitDate = d.Result.Date
	}
	return d
}

// PageStyle is the document's own stylesheet: the page's margin boxes
// (the header and the footer of every printed page), which name the
// patient. The web application allows it by its hash.
func PageStyle(d Document) string {
	h := withDefaults(d).Header
	var left, right []string
	if h.Patient != "" {
		left = append(left, h.Patient)
	}
	if h.Born != "" {
		left = append(left, "born "+h.Born)
	}
	if h.Identifier != "" {
		left = append(left, "ID "+h.Identifier)
	}
	if s := sideText(h.Side); s != "" {
		left = append(left, "side: "+strings.ToLower(s))
	}
	if h.Status != "" {
		left = append([]string{h.Status}, left...)
	}
	if h.VisitDate != "" {
		right = append(right, "visit "+h.VisitDate)
	}
	if h.Clinic != "" {
		right = append(right, h.Clinic)
	}
	if h.Clinician != "" {
		right = append(right, h.Clinician)
	}
	disclaimer := ""
	model := ""
	if d.Result != nil {
		disclaimer = d.Result.Disclaimer
		model = d.Result.ModelVersion
	}
	if model != "" {
		disclaimer = strings.TrimSpace(disclaimer + " Model " + model + ".")
	}
	var b strings.Builder
	b.WriteString("@page {\n")
	fmt.Fprintf(&b, "  @top-left { content: %s; }\n", cssString(strings.Join(left, " · ")))
	fmt.Fprintf(&b, "  @top-right { content: %s; }\n", cssString(strings.Join(right, " · ")))
	fmt.Fprintf(&b, "  @bottom-left { content: %s; }\n", cssString(disclaimer))
	b.WriteString("  @bottom-right { content: \"Page \" counter(page) \" of \" counter(pages); }\n}\n")
	return b.String()
}

// cssString quotes s as a CSS string; every character that could end the
// string or the style element is escaped.
func cssString(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"' || r == '\\' || r == '<' || r == '>' || r == '&' || r == '\'' || r < 0x20 || r == 0x7f:
			fmt.Fprintf(&b, "\\%x ", r)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}

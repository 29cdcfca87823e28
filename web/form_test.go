package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"os"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/tendo-health/tendo"
	"github.com/tendo-health/tendo/intake"
	"github.com/tendo-health/tendo/internal/shared"
)

// rootsPath is the one list of objects the form takes: a checkbox per
// root (name = the path, value = the root) and a side select per root
// (name = PATH.ROOT.side).
const rootsPath = "imaging.lumbarMri.rootCompression"

// caseFormValues walks an assessment contract document and returns what
// a clinician enters in the assessment form to give it, by input name
// (the contract path): booleans as "true"/"false", numbers as written,
// strings as they are; a list of areas as one ticked checkbox per value
// and an empty list as the "none" box; a root compression as its root's
// checkbox and side.
//
// The form has no item-level questionnaire answers (the patient answers
// those from a link), so the answers of VISA-A, ODI and LEFS go in as the
// score they give (proms.odi.percent is 46.7 for the s1-mimic case),
// computed by the contract's scoring rules. proms.nprs is a plain score
// and goes in as it is.
// "schema" and "id" are set by the server, not typed.
func caseFormValues(t testing.TB, doc map[string]any) url.Values {
	t.Helper()
	out := url.Values{}
	var walk func(path string, v any)
	walk = func(path string, v any) {
		switch v := v.(type) {
		case map[string]any:
			for k, x := range v {
				p := k
				if path != "" {
					p = path + "." + k
				}
				walk(p, x)
			}
		case []any:
			if len(v) == 0 {
				out.Add(path, "none")
			}
			for _, x := range v {
				switch x := x.(type) {
				case string:
					out.Add(path, x)
				case map[string]any:
					if path != rootsPath {
						t.Fatalf("%s: a list of objects has no form input", path)
					}
					root, _ := x["root"].(string)
					out.Add(path, root)
					if side, ok := x["side"].(string); ok {
						out.Set(path+"."+root+".side", side)
					}
				default:
					t.Fatalf("%s: a list of %T has no form input", path, x)
				}
			}
		case bool:
			out.Set(path, strconv.FormatBool(v))
		case json.Number:
			out.Set(path, v.String())
		case string:
			out.Set(path, v)
		case nil:
			// JSON null: not assessed, the input stays empty.
		default:
			t.Fatalf("%s: a %T has no form input", path, v)
		}
	}
	for k, v := range doc {
		switch k {
		case "schema", "id":
			continue
		case "proms":
			proms, ok := v.(map[string]any)
			if !ok {
				t.Fatalf("proms is a %T", v)
			}
			for name, x := range proms {
				m, ok := x.(map[string]any)
				if answers, has := m["answers"]; ok && has {
					// The score the answers give, in the form's score input.
					input := map[string]string{"visaA": "proms.visaA.score", "odi": "proms.odi.percent", "lefs": "proms.lefs.score"}[name]
					if input == "" {
						t.Fatalf("proms.%s: answers have no form input", name)
					}
					out.Set(input, answersScore(t, name, answers))
					for k, y := range m {
						if k != "answers" {
							walk("proms."+name+"."+k, y)
						}
					}
					continue
				}
				walk("proms."+name, x)
			}
		default:
			walk(k, v)
		}
	}
	return out
}

// answersScore is the rounded score of a measure's answers, by the
// contract's scoring rules.
func answersScore(t testing.TB, measure string, answers any) string {
	t.Helper()
	raw, err := json.Marshal(map[string]any{"schema": "tendo/assessment/v1", "proms": map[string]any{measure: map[string]any{"answers": answers}}})
	if err != nil {
		t.Fatal(err)
	}
	a, err := intake.ParseJSON(raw)
	if err != nil {
		t.Fatalf("proms.%s.answers: %v", measure, err)
	}
	scores, err := a.PROMs.Scores()
	if err != nil || len(scores) != 1 {
		t.Fatalf("proms.%s.answers score %v, %v", measure, scores, err)
	}
	return strconv.FormatFloat(scores[0].Rounded, 'f', -1, 64)
}

// readCase reads a case of the shared folder as a generic document, with
// its numbers as written.
func readCase(t testing.TB, dir, name string) ([]byte, map[string]any) {
	t.Helper()
	data, err := os.ReadFile(shared.Path(t, dir, name+".json"))
	if err != nil {
		t.Fatal(err)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var doc map[string]any
	if err := dec.Decode(&doc); err != nil {
		t.Fatal(err)
	}
	return data, doc
}

// TestFormV11RoundTrip enters the v1.1 cases through the assessment form
// (every field as a clinician would) and checks that the assessment
// stored is the one intake reads from the case file. The form sets the
// identifiers from the patient record and takes the ODI as its score, so
// those are compared apart.
func TestFormV11RoundTrip(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	b := a.login("clinicianA")
	for _, name := range []string{"l4-radiculopathy", "mixed-l5-midportion-runner", "tarsal-tunnel", "septic-bursitis-diabetic", "accessory-soleus-footballer", "medial-gastrocnemius-strain"} {
		t.Run(name, func(t *testing.T) {
			data, doc := readCase(t, "cases-v11", name)
			want, err := intake.ParseJSON(data)
			if err != nil {
				t.Fatal(err)
			}
			before, err := a.store.Assessments(context.Background(), a.patA.ID)
			if err != nil {
				t.Fatal(err)
			}
			code, body, loc := b.post("/patients/"+itoa(a.patA.ID)+"/assessments", caseFormValues(t, doc))
			if code != http.StatusSeeOther {
				t.Fatalf("status %d, want 303; form errors: %s", code, strings.Join(fieldErrRe.FindAllString(body, -1), "\n"))
			}
			id, err := strconv.ParseInt(loc[strings.LastIndexByte(loc, '/')+1:], 10, 64)
			if err != nil {
				t.Fatalf("redirected to %q", loc)
			}
			st, err := a.store.Assessment(context.Background(), id)
			if err != nil {
				t.Fatal(err)
			}
			after, _ := a.store.Assessments(context.Background(), a.patA.ID)
			if len(after) != len(before)+1 {
				t.Errorf("%d assessments stored, want %d", len(after), len(before)+1)
			}
			got, err := intake.ParseJSON(st.Input)
			if err != nil {
				t.Fatalf("the stored input does not parse: %v\n%s", err, st.Input)
			}
			if got.ID != "Alice Alpha (A-1)" || got.Patient.ID != "A-1" {
				t.Errorf("id %q, patient.id %q; want the patient record's", got.ID, got.Patient.ID)
			}
			gotScores, err1 := got.PROMs.Scores()
			wantScores, err2 := want.PROMs.Scores()
			if err1 != nil || err2 != nil || !reflect.DeepEqual(roundedScores(gotScores), roundedScores(wantScores)) {
				t.Errorf("scores %v (%v), want %v (%v)", roundedScores(gotScores), err1, roundedScores(wantScores), err2)
			}
			got.ID, got.Patient.ID, want.ID, want.Patient.ID = "", "", "", ""
			got.PROMs, want.PROMs = tendo.PROMs{}, tendo.PROMs{}
			if !reflect.DeepEqual(got, want) {
				g, _ := intake.Marshal(got)
				w, _ := intake.Marshal(want)
				t.Errorf("the form gives\n%s\nthe case file\n%s", g, w)
			}
		})
	}
}

// roundedScores are the rounded outcome scores, by measure.
func roundedScores(s []tendo.Score) map[string]float64 {
	out := map[string]float64{}
	for _, sc := range s {
		out[sc.Measure] = sc.Rounded
	}
	return out
}

// TestFormV11Errors posts bad v1.1 values: each error is shown next to
// the field its contract path names (a broken cross-field rule next to
// both), and the boxes ticked and values typed come back.
func TestFormV11Errors(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	b := a.login("clinicianA")
	p := "/patients/" + itoa(a.patA.ID) + "/assessments"
	tests := []struct {
		name   string
		form   url.Values
		errors map[string]string // e-KEY → message substring
		echoed []string
	}{
		{"unknown area", url.Values{"history.legPainAreas": {"medial-shin", "knee"}},
			map[string]string{"e-history.legPainAreas": `"knee" is not allowed; allowed anterior-thigh`},
			[]string{`name="history.legPainAreas" value="medial-shin" checked`}},
		{"MRC of 6", url.Values{"side": {"left"}, "exam.neuro.left.plantarflexionMrc": {"6"}, "exam.neuro.right.kneeReflex": {"reduced"}},
			map[string]string{"e-exam.neuro.left.plantarflexionMrc": "6 is out of range; allowed 0–5"},
			[]string{`id="f-exam.neuro.left.plantarflexionMrc" name="exam.neuro.left.plantarflexionMrc" inputmode="decimal" value="6"`, `value="reduced" selected`}},
		{"leg pain below the knee against the areas", url.Values{"history.legPainBelowKnee": {"false"}, "history.legPainAreas": {"medial-shin"}},
			map[string]string{
				"e-history.legPainBelowKnee": "false disagrees with history.legPainAreas",
				"e-history.legPainAreas":     "history.legPainBelowKnee: false disagrees with history.legPainAreas"},
			[]string{`name="history.legPainAreas" value="medial-shin" checked`}},
		{"paresthesia none against the areas", url.Values{"history.paresthesia": {"none"}, "history.paresthesiaAreas": {"sole"}},
			map[string]string{"e-history.paresthesia": "none requires []", "e-history.paresthesiaAreas": "none requires []"}, nil},
		{"long-term steroids without systemic steroids", url.Values{"history.systemicCorticosteroids": {"false"}, "history.longTermCorticosteroids": {"true"}},
			map[string]string{"e-history.longTermCorticosteroids": "disagrees with history.systemicCorticosteroids", "e-history.systemicCorticosteroids": "disagrees"}, nil},
		{"neuro without the side", url.Values{"exam.neuro.right.ankleReflex": {"absent"}},
			map[string]string{"e-exam.neuro": "requires side"}, []string{`value="absent" selected`}},
		{"none with an area", url.Values{"history.paresthesiaAreas": {"none", "sole"}},
			map[string]string{"e-history.paresthesiaAreas": "“none” is ticked together with other boxes"},
			[]string{`value="none" checked`, `value="sole" checked`}},
		{"root without its side, and a side without its root", url.Values{rootsPath: {"L5"}, rootsPath + ".S1.side": {"right"}},
			map[string]string{"e-" + rootsPath + ".L5": "side: required", "e-" + rootsPath + ".S1": "S1 is not ticked"},
			[]string{`name="` + rootsPath + `" value="L5" checked`, `value="right" selected`}},
		{"ultrasound thickness out of range", url.Values{"imaging.ultrasound.tendonThicknessMm.affected": {"45"}, "imaging.ultrasound.tear": {"partial"}},
			map[string]string{"e-imaging.ultrasound.tendonThicknessMm.affected": "out of range"},
			[]string{`value="45"`, `value="partial" selected`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, body, _ := b.post(p, tt.form)
			if code != http.StatusUnprocessableEntity {
				t.Fatalf("status %d, want 422", code)
			}
			for field, msg := range tt.errors {
				got := errorFor(body, field)
				if got == "" {
					t.Errorf("no message next to %s (errors: %q)", field, fieldErrRe.FindAllString(body, -1))
					continue
				}
				if !strings.Contains(got, msg) {
					t.Errorf("message next to %s is %q, want it to contain %q", field, got, msg)
				}
				// The list at the top links to the field.
				if !strings.Contains(body, `href="#f-`+strings.TrimPrefix(field, "e-")+`"`) {
					t.Errorf("the list of problems does not link to %s", field)
				}
			}
			for _, v := range tt.echoed {
				if !strings.Contains(body, v) {
					t.Errorf("the typed value %s is not shown again", v)
				}
			}
		})
	}
}

// TestFormV11Sections checks the blank form: the imaging section, one
// checkbox per area with its plain name and a "none" box, the neuro
// table with a left and a right input per row, and no script.
func TestFormV11Sections(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	code, body, _ := a.login("clinicianA").get("/patients/" + itoa(a.patA.ID) + "/assessments/new")
	if code != http.StatusOK {
		t.Fatalf("status %d", code)
	}
	for _, want := range []string{
		`<span class="section-title" id="st-imaging">Imaging already done</span>`, `Achilles ultrasound`, `Lumbar spine MRI`,
		`name="history.legPainAreas" value="medial-shin"`, `Medial leg down to the medial ankle`, `name="history.legPainAreas" value="none"`,
		`name="history.paresthesiaAreas" value="lateral-foot"`, `Lateral heel, lateral border of the foot, little toe`,
		`name="` + rootsPath + `" value="L4"`, `name="` + rootsPath + `.S1.side"`,
		`name="exam.neuro.left.sensation.medialHeel"`, `name="exam.neuro.right.greatToeExtensionMrc"`,
		`Tendon thickness, affected side (mm)`, `Ankle–brachial index (ABPI)`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("the form lacks %s", want)
		}
	}
	// Every row of the neuro table holds the left then the right input.
	rows := strings.Split(body, `<div class="neuro-row">`)[1:]
	if len(rows) != 13 {
		t.Errorf("the neuro table has %d rows, want 13", len(rows))
	}
	for _, r := range rows {
		l, rt := strings.Index(r, `name="exam.neuro.left.`), strings.Index(r, `name="exam.neuro.right.`)
		if l < 0 || rt < l {
			t.Errorf("a neuro row lacks its left and right inputs: %.200s", r)
		}
	}
	if strings.Contains(body, "<script") {
		t.Error("the form has a script")
	}
	// Every leaf of the v1.1 contract has an input.
	for _, f := range intake.Fields() {
		if f.Since != "1.1" || f.Type == "object" || f.Type == "array" || strings.Contains(f.Path, "[") {
			continue
		}
		if !strings.Contains(body, `name="`+f.Path+`"`) {
			t.Errorf("no input for %s", f.Path)
		}
	}
}

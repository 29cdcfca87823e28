package intake_test

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/tendo-health/tendo"
	"github.com/tendo-health/tendo/intake"
	"github.com/tendo-health/tendo/internal/shared"
)

// sharedV11Cases returns the public v1.1 cases (../shared/cases-v11).
func sharedV11Cases(tb testing.TB) map[string][]byte {
	tb.Helper()
	files, err := filepath.Glob(shared.Path(tb, "cases-v11", "*.json"))
	if err != nil {
		tb.Fatal(err)
	}
	out := map[string][]byte{}
	for _, f := range files {
		name := strings.TrimSuffix(filepath.Base(f), ".json")
		if name == "expected" {
			continue
		}
		data, err := os.ReadFile(f)
		if err != nil {
			tb.Fatal(err)
		}
		out[name] = data
	}
	if len(out) != 6 {
		tb.Fatalf("found %d v1.1 cases; want 6", len(out))
	}
	return out
}

// TestParseV11Cases parses every public v1.1 case without error, and
// checks that writing it back and reading it again gives the same
// assessment, with the empty area lists still written as [].
func TestParseV11Cases(t *testing.T) {
	t.Parallel()
	for name, data := range sharedV11Cases(t) {
		t.Run(name, func(t *testing.T) {
			a := mustParse(t, data)
			out := mustMarshal(t, a)
			b := mustParse(t, out)
			if !reflect.DeepEqual(a, b) {
				t.Errorf("round trip changed the assessment:\n%s", out)
			}
			if a.History.LegPainAreas != nil && len(a.History.LegPainAreas) == 0 && !strings.Contains(string(out), `"legPainAreas":[]`) {
				t.Errorf("an empty legPainAreas was not written as []:\n%s", out)
			}
			// Every field of the input is in the output: compare the
			// documents as generic JSON.
			var in, again any
			mustUnmarshal(t, data, &in)
			mustUnmarshal(t, out, &again)
			if !reflect.DeepEqual(in, again) {
				t.Errorf("the written document differs from the input:\nin  %v\nout %v", in, again)
			}
		})
	}
}

// TestV11Values checks a few values of the v1.1 cases as decoded.
func TestV11Values(t *testing.T) {
	t.Parallel()
	cases := sharedV11Cases(t)
	l4 := mustParse(t, cases["l4-radiculopathy"])
	if got := l4.History.LegPainAreas; !slices.Equal(got, []tendo.Area{tendo.AreaAnteriorThigh, tendo.AreaMedialShin}) {
		t.Errorf("legPainAreas = %v", got)
	}
	if g := l4.Exam.Neuro.Left.Sensation.MedialShin; g == nil || *g != tendo.ReflexReduced {
		t.Errorf("exam.neuro.left.sensation.medialShin = %v", g)
	}
	if l4.Exam.Neuro.Right.Sensation.LateralShin != nil {
		t.Error("an untested sensation key is not nil")
	}
	soleus := mustParse(t, cases["accessory-soleus-footballer"])
	if soleus.History.LegPainAreas == nil || len(soleus.History.LegPainAreas) != 0 {
		t.Errorf("legPainAreas [] decoded as %#v; want an empty non-nil slice", soleus.History.LegPainAreas)
	}
	if us := soleus.Imaging.Ultrasound; us == nil || *us.TendonThicknessMm.Affected != 5.4 || *us.Tear != tendo.TearNone {
		t.Errorf("imaging.ultrasound = %+v", us)
	}
	if p := soleus.Patient.Smoking; p == nil || *p != tendo.SmokingNever {
		t.Errorf("patient.smoking = %v", p)
	}
	strain := mustParse(t, cases["medial-gastrocnemius-strain"])
	if strain.History.ParesthesiaAreas == nil || strain.Imaging.LumbarMRI != nil {
		t.Error("medial-gastrocnemius-strain: areas or imaging decoded wrongly")
	}
	mri := mustParse(t, []byte(hdr+`"side": "left", "imaging": {"lumbarMri": {"rootCompression": [{"root": "S1", "side": "left"}, {"root": "L5", "side": "bilateral"}]}}}`))
	want := []tendo.RootCompression{{Root: tendo.RootS1, Side: tendo.RootSideLeft}, {Root: tendo.RootL5, Side: tendo.RootSideBilateral}}
	if got := mri.Imaging.LumbarMRI.RootCompression; !slices.Equal(got, want) {
		t.Errorf("rootCompression = %v", got)
	}
	none := mustParse(t, []byte(hdr+`"imaging": {"lumbarMri": {"rootCompression": []}, "radiograph": {}}}`))
	if rc := none.Imaging.LumbarMRI.RootCompression; rc == nil || len(rc) != 0 {
		t.Errorf("rootCompression [] = %#v", rc)
	}
	out := string(mustMarshal(t, none))
	if !strings.Contains(out, `"imaging":{"lumbarMri":{"rootCompression":[]},"radiograph":{}}`) {
		t.Errorf("Marshal = %s", out)
	}
	absent := string(mustMarshal(t, mustParse(t, []byte(hdr+`"history": {"legPainAreas": null}}`))))
	if absent != `{"schema":"tendo/assessment/v1"}` {
		t.Errorf("an absent list was written: %s", absent)
	}
}

func mustUnmarshal(t *testing.T, data []byte, v any) {
	t.Helper()
	if err := json.Unmarshal(data, v); err != nil {
		t.Fatal(err)
	}
}

// TestV11FieldErrors checks the new enumerations and ranges: each bad
// value is an error at its path naming the value and what is allowed.
func TestV11FieldErrors(t *testing.T) {
	t.Parallel()
	areas := "allowed anterior-thigh, posterior-thigh, medial-shin, lateral-shin, posterior-calf, dorsal-foot, lateral-foot, sole, medial-heel"
	tests := []struct {
		name, doc, path, msg string
	}{
		{"MRC 6", `"side": "left", "exam": {"neuro": {"left": {"plantarflexionMrc": 6}}}`, "exam.neuro.left.plantarflexionMrc", "6 is out of range; allowed 0–5"},
		{"MRC not whole", `"side": "left", "exam": {"neuro": {"right": {"greatToeExtensionMrc": 4.5}}}`, "exam.neuro.right.greatToeExtensionMrc", "4.5 must be an integer"},
		{"MRC negative", `"side": "left", "exam": {"neuro": {"right": {"ankleDorsiflexionMrc": -1}}}`, "exam.neuro.right.ankleDorsiflexionMrc", "-1 is out of range; allowed 0–5"},
		{"ABPI 4", `"exam": {"abpi": 4}`, "exam.abpi", "4 is out of range; allowed 0–3"},
		{"ABPI negative", `"exam": {"abpi": -0.1}`, "exam.abpi", "-0.1 is out of range; allowed 0–3"},
		{"ABPI a string", `"exam": {"abpi": "0.9"}`, "exam.abpi", `"0.9" must be a number`},
		{"tendon thickness too thin", `"imaging": {"ultrasound": {"tendonThicknessMm": {"affected": 0.9}}}`, "imaging.ultrasound.tendonThicknessMm.affected", "0.9 is out of range; allowed 1–30"},
		{"tendon thickness too thick", `"imaging": {"ultrasound": {"tendonThicknessMm": {"unaffected": 30.5}}}`, "imaging.ultrasound.tendonThicknessMm.unaffected", "30.5 is out of range; allowed 1–30"},
		{"diabetes years", `"history": {"diabetes": true, "diabetesYears": 101}`, "history.diabetesYears", "101 is out of range; allowed 0–100"},
		{"claudication distance", `"history": {"exertionalCalfPain": true, "claudicationDistanceM": 0.5}`, "history.claudicationDistanceM", "0.5 is out of range; allowed 1–10000"},
		{"claudication distance high", `"history": {"exertionalCalfPain": true, "claudicationDistanceM": 10001}`, "history.claudicationDistanceM", "10001 is out of range; allowed 1–10000"},
		{"unknown area", `"history": {"legPainAreas": ["medial-shin", "knee"]}`, "history.legPainAreas[1]", `"knee" is not allowed; ` + areas},
		{"area not a string", `"history": {"paresthesiaAreas": [3]}`, "history.paresthesiaAreas[0]", "3 must be one of anterior-thigh"},
		{"areas not an array", `"history": {"paresthesiaAreas": "sole"}`, "history.paresthesiaAreas", `"sole" must be an array`},
		{"smoking", `"patient": {"smoking": "sometimes"}`, "patient.smoking", `"sometimes" is not allowed; allowed never, former, current`},
		{"pulse", `"exam": {"dorsalisPedisPulse": "weak"}`, "exam.dorsalisPedisPulse", `"weak" is not allowed; allowed present, reduced, absent`},
		{"tear", `"imaging": {"ultrasound": {"tear": "complete"}}`, "imaging.ultrasound.tear", `"complete" is not allowed; allowed none, partial, full-thickness`},
		{"MRI tendon", `"imaging": {"ankleMri": {"tendon": "torn"}}`, "imaging.ankleMri.tendon", `"torn" is not allowed; allowed normal, tendinopathy, partial-tear, full-thickness-tear`},
		{"root", `"imaging": {"lumbarMri": {"rootCompression": [{"root": "L3", "side": "left"}]}}`, "imaging.lumbarMri.rootCompression[0].root", `"L3" is not allowed; allowed L4, L5, S1`},
		{"root side", `"imaging": {"lumbarMri": {"rootCompression": [{"root": "S1", "side": "both"}]}}`, "imaging.lumbarMri.rootCompression[0].side", `"both" is not allowed; allowed left, right, bilateral`},
		{"root side missing", `"imaging": {"lumbarMri": {"rootCompression": [{"root": "S1"}]}}`, "imaging.lumbarMri.rootCompression[0].side", "required"},
		{"root compression not an object", `"imaging": {"lumbarMri": {"rootCompression": ["S1"]}}`, "imaging.lumbarMri.rootCompression[0]", `"S1" must be an object`},
		{"sensation grade", `"side": "left", "exam": {"neuro": {"left": {"sensation": {"sole": "numb"}}}}`, "exam.neuro.left.sensation.sole", `"numb" is not allowed; allowed normal, reduced, absent`},
		{"sensation key", `"side": "left", "exam": {"neuro": {"left": {"sensation": {"heel": "normal"}}}}`, "exam.neuro.left.sensation.heel", "unknown field"},
		{"sensation of a thigh", `"side": "left", "exam": {"neuro": {"left": {"sensation": {"anteriorThigh": "normal"}}}}`, "exam.neuro.left.sensation.anteriorThigh", "unknown field"},
		{"neuro side", `"side": "left", "exam": {"neuro": {"middle": {}}}`, "exam.neuro.middle", "unknown field; allowed left, right"},
		{"hallux vibration", `"side": "left", "exam": {"neuro": {"left": {"halluxVibration": "equivocal"}}}`, "exam.neuro.left.halluxVibration", `"equivocal" is not allowed`},
		{"forced plantarflexion", `"exam": {"forcedPlantarflexionTest": "maybe"}`, "exam.forcedPlantarflexionTest", `"maybe" is not allowed; allowed positive, negative, equivocal`},
		{"skeletally immature", `"patient": {"skeletallyImmature": "yes"}`, "patient.skeletallyImmature", `"yes" must be true or false`},
		{"imaging unknown", `"imaging": {"ultrasond": {}}`, "imaging.ultrasond", "unknown field; did you mean imaging.ultrasound?"},
		{"neuro field at the wrong level", `"exam": {"kneeReflex": "normal"}`, "exam.kneeReflex", "unknown field"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := intake.Parse([]byte(hdr + tt.doc + "}"))
			var es intake.Errors
			if !errors.As(err, &es) {
				t.Fatalf("Parse = %v; want Errors", err)
			}
			for _, e := range es {
				if e.Field == tt.path && strings.Contains(strings.TrimPrefix(e.Error(), e.Field+": "), tt.msg) {
					return
				}
			}
			t.Errorf("no error at %s containing %q; got %v", tt.path, tt.msg, err)
		})
	}
}

// TestCrossFieldRules checks every cross-field rule of contract v1.1: a
// broken rule is one error at the first path whose message names the
// second, with both in Paths; a document that keeps the rule parses.
func TestCrossFieldRules(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		doc   string
		paths []string // nil: the document is valid
		msg   string
	}{
		{"leg pain below knee without a below-knee area", `"history": {"legPainBelowKnee": true, "legPainAreas": ["anterior-thigh"]}`,
			[]string{"history.legPainBelowKnee", "history.legPainAreas"}, "true disagrees with history.legPainAreas, which holds no area below the knee"},
		{"leg pain below knee with no leg pain", `"history": {"legPainBelowKnee": true, "legPainAreas": []}`,
			[]string{"history.legPainBelowKnee", "history.legPainAreas"}, "no area below the knee"},
		{"no leg pain below knee with a below-knee area", `"history": {"legPainBelowKnee": false, "legPainAreas": ["posterior-thigh", "posterior-calf"]}`,
			[]string{"history.legPainBelowKnee", "history.legPainAreas"}, "false disagrees with history.legPainAreas, which holds posterior-calf, below the knee"},
		{"leg pain agrees", `"history": {"legPainBelowKnee": true, "legPainAreas": ["posterior-thigh", "sole"]}`, nil, ""},
		{"leg pain thigh only agrees", `"history": {"legPainBelowKnee": false, "legPainAreas": ["anterior-thigh", "posterior-thigh"]}`, nil, ""},
		{"leg pain list alone", `"history": {"legPainAreas": ["medial-heel"]}`, nil, ""},
		{"paresthesia none with areas", `"history": {"paresthesia": "none", "paresthesiaAreas": ["sole"]}`,
			[]string{"history.paresthesia", "history.paresthesiaAreas"}, `"none" disagrees with history.paresthesiaAreas, which is not empty`},
		{"paresthesia with no areas", `"history": {"paresthesia": "other", "paresthesiaAreas": []}`,
			[]string{"history.paresthesia", "history.paresthesiaAreas"}, `"other" disagrees with history.paresthesiaAreas, which is []`},
		{"paresthesia lateral foot", `"history": {"paresthesia": "lateral-foot", "paresthesiaAreas": ["sole"]}`,
			[]string{"history.paresthesia", "history.paresthesiaAreas"}, `"lateral-foot" requires lateral-foot in history.paresthesiaAreas`},
		{"paresthesia sole", `"history": {"paresthesia": "sole", "paresthesiaAreas": ["lateral-foot", "medial-heel"]}`,
			[]string{"history.paresthesia", "history.paresthesiaAreas"}, `"sole" requires sole in history.paresthesiaAreas`},
		{"paresthesia other", `"history": {"paresthesia": "other", "paresthesiaAreas": ["sole", "lateral-foot"]}`,
			[]string{"history.paresthesia", "history.paresthesiaAreas"}, `"other" requires an area other than lateral-foot and sole in history.paresthesiaAreas`},
		{"paresthesia none agrees", `"history": {"paresthesia": "none", "paresthesiaAreas": []}`, nil, ""},
		{"paresthesia sole agrees", `"history": {"paresthesia": "sole", "paresthesiaAreas": ["sole", "medial-heel"]}`, nil, ""},
		{"paresthesia other agrees", `"history": {"paresthesia": "other", "paresthesiaAreas": ["dorsal-foot"]}`, nil, ""},
		{"diabetes years without diabetes", `"history": {"diabetes": false, "diabetesYears": 4}`,
			[]string{"history.diabetesYears", "history.diabetes"}, "4 requires history.diabetes: true, which is false"},
		{"diabetes years with diabetes absent", `"history": {"diabetesYears": 4}`,
			[]string{"history.diabetesYears", "history.diabetes"}, "4 requires history.diabetes: true, which is absent"},
		{"diabetes years agrees", `"history": {"diabetes": true, "diabetesYears": 0}`, nil, ""},
		{"long-term corticosteroids not systemic", `"history": {"longTermCorticosteroids": true, "systemicCorticosteroids": false}`,
			[]string{"history.longTermCorticosteroids", "history.systemicCorticosteroids"}, "true disagrees with history.systemicCorticosteroids: false"},
		{"long-term corticosteroids alone", `"history": {"longTermCorticosteroids": true}`, nil, ""},
		{"claudication distance without exertional pain", `"history": {"exertionalCalfPain": false, "claudicationDistanceM": 200}`,
			[]string{"history.claudicationDistanceM", "history.exertionalCalfPain"}, "200 requires history.exertionalCalfPain: true, which is false"},
		{"claudication distance alone", `"history": {"claudicationDistanceM": 200}`,
			[]string{"history.claudicationDistanceM", "history.exertionalCalfPain"}, "which is absent"},
		{"claudication agrees", `"history": {"exertionalCalfPain": true, "claudicationDistanceM": 200}`, nil, ""},
		// Issue 10: a detail that contradicts its yes/no answer.
		{"morning stiffness minutes without morning stiffness", `"history": {"morningStiffness": false, "morningStiffnessMinutes": 45}`,
			[]string{"history.morningStiffnessMinutes", "history.morningStiffness"}, "45 disagrees with history.morningStiffness: false"},
		{"morning stiffness of 0 minutes denied agrees", `"history": {"morningStiffness": false, "morningStiffnessMinutes": 0}`, nil, ""},
		{"morning stiffness minutes alone (v1)", `"history": {"morningStiffnessMinutes": 45}`, nil, ""},
		{"back pain weeks without back pain", `"history": {"lowBackPain": false, "lowBackPainWeeks": 12}`,
			[]string{"history.lowBackPainWeeks", "history.lowBackPain"}, "12 disagrees with history.lowBackPain: false"},
		{"back pain weeks agree", `"history": {"lowBackPain": true, "lowBackPainWeeks": 12}`, nil, ""},
		{"relief on standing still without exertional pain", `"history": {"exertionalCalfPain": false, "reliefOnStandingStill": true}`,
			[]string{"history.reliefOnStandingStill", "history.exertionalCalfPain"}, "true disagrees with history.exertionalCalfPain: false"},
		{"no relief without exertional pain agrees", `"history": {"exertionalCalfPain": false, "reliefOnStandingStill": false}`, nil, ""},
		{"tingling in both feet with no paresthesia", `"history": {"paresthesia": "none", "paresthesiaBothFeet": true}`,
			[]string{"history.paresthesiaBothFeet", "history.paresthesia"}, `true disagrees with history.paresthesia: "none"`},
		{"tingling in both feet with sole paresthesia agrees", `"history": {"paresthesia": "sole", "paresthesiaBothFeet": true}`, nil, ""},
		{"neuro without side", `"exam": {"neuro": {"left": {"ankleReflex": "normal"}}}`,
			[]string{"exam.neuro", "side"}, "requires side"},
		{"ankle reflex disagrees", `"side": "left", "exam": {"ankleReflex": "normal", "neuro": {"left": {"ankleReflex": "reduced"}, "right": {"ankleReflex": "normal"}}}`,
			[]string{"exam.ankleReflex", "exam.neuro.left.ankleReflex"}, `"normal" disagrees with exam.neuro.left.ankleReflex, which is "reduced"`},
		{"ankle reflex on the other side does not count", `"side": "right", "exam": {"ankleReflex": "normal", "neuro": {"left": {"ankleReflex": "absent"}}}`, nil, ""},
		{"ankle reflex bilateral takes the more abnormal", `"side": "bilateral", "exam": {"ankleReflex": "reduced", "neuro": {"left": {"ankleReflex": "reduced"}, "right": {"ankleReflex": "absent"}}}`,
			[]string{"exam.ankleReflex", "exam.neuro.right.ankleReflex"}, `"reduced" disagrees with exam.neuro.right.ankleReflex, which is "absent" (with side bilateral`},
		{"ankle reflex bilateral agrees", `"side": "bilateral", "exam": {"ankleReflex": "absent", "neuro": {"left": {"ankleReflex": "reduced"}, "right": {"ankleReflex": "absent"}}}`, nil, ""},
		{"plantarflexion disagrees", `"side": "right", "exam": {"plantarflexionStrengthMrc": 5, "neuro": {"right": {"plantarflexionMrc": 4}}}`,
			[]string{"exam.plantarflexionStrengthMrc", "exam.neuro.right.plantarflexionMrc"}, "5 disagrees with exam.neuro.right.plantarflexionMrc, which is 4"},
		{"plantarflexion bilateral takes the lower", `"side": "bilateral", "exam": {"plantarflexionStrengthMrc": 4, "neuro": {"left": {"plantarflexionMrc": 3}, "right": {"plantarflexionMrc": 4}}}`,
			[]string{"exam.plantarflexionStrengthMrc", "exam.neuro.left.plantarflexionMrc"}, "which is 3"},
		{"plantarflexion bilateral agrees", `"side": "bilateral", "exam": {"plantarflexionStrengthMrc": 3, "neuro": {"left": {"plantarflexionMrc": 3}, "right": {"plantarflexionMrc": 4}}}`, nil, ""},
		{"S1 deficit denied but the sole is reduced", `"side": "left", "exam": {"s1SensoryDeficit": false, "neuro": {"left": {"sensation": {"sole": "reduced"}}}}`,
			[]string{"exam.s1SensoryDeficit", "exam.neuro.left.sensation.sole"}, "false disagrees with exam.neuro.left.sensation.sole"},
		{"S1 deficit but lateral foot and sole normal", `"side": "left", "exam": {"s1SensoryDeficit": true, "neuro": {"left": {"sensation": {"sole": "normal", "lateralFoot": "normal"}}}}`,
			[]string{"exam.s1SensoryDeficit", "exam.neuro.left.sensation"}, "true disagrees with exam.neuro.left.sensation: sensation on the lateral foot and sole is normal"},
		{"S1 deficit with one key normal is undecided", `"side": "left", "exam": {"s1SensoryDeficit": true, "neuro": {"left": {"sensation": {"sole": "normal"}}}}`, nil, ""},
		{"S1 deficit bilateral on either side", `"side": "bilateral", "exam": {"s1SensoryDeficit": false, "neuro": {"left": {"sensation": {"sole": "normal", "lateralFoot": "normal"}}, "right": {"sensation": {"lateralFoot": "absent"}}}}`,
			[]string{"exam.s1SensoryDeficit", "exam.neuro.right.sensation.lateralFoot"}, "disagrees with exam.neuro.right.sensation.lateralFoot"},
		{"S1 deficit agrees", `"side": "right", "exam": {"s1SensoryDeficit": true, "neuro": {"right": {"sensation": {"lateralFoot": "absent", "sole": "normal"}}}}`, nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			a, err := intake.Parse([]byte(hdr + tt.doc + "}"))
			if tt.paths == nil {
				if err != nil {
					t.Fatalf("Parse = %v; want no error", err)
				}
				if c := a.Conflicts(); len(c) != 0 {
					t.Errorf("Conflicts = %v", c)
				}
				return
			}
			var es intake.Errors
			if !errors.As(err, &es) || len(es) != 1 {
				t.Fatalf("Parse = %v; want one error", err)
			}
			e := es[0]
			if e.Field != tt.paths[0] || !slices.Equal(e.Paths, tt.paths) {
				t.Errorf("error at %s, paths %v; want %v", e.Field, e.Paths, tt.paths)
			}
			msg := e.Error()
			for _, p := range tt.paths {
				if !strings.Contains(msg, p) {
					t.Errorf("message %q does not name %s", msg, p)
				}
			}
			if !strings.Contains(msg, tt.msg) {
				t.Errorf("message %q does not contain %q", msg, tt.msg)
			}
			if e.Line != 1 {
				t.Errorf("line %d; want 1", e.Line)
			}
		})
	}
}

// TestCrossFieldRuleLines checks that a broken rule is reported on the
// line of its first field, in YAML and JSON.
func TestCrossFieldRuleLines(t *testing.T) {
	t.Parallel()
	yamlDoc := "schema: tendo/assessment/v1\nhistory:\n  legPainAreas: [sole]\n  fever: true\n  legPainBelowKnee: false\n"
	jsonDoc := "{\"schema\": \"tendo/assessment/v1\",\n\"side\": \"left\",\n\"exam\": {\n  \"neuro\": {\"left\": {\"ankleReflex\": \"absent\"}},\n  \"ankleReflex\": \"normal\"}}"
	for _, tt := range []struct {
		doc  string
		line int
		path string
	}{{yamlDoc, 5, "history.legPainBelowKnee"}, {jsonDoc, 5, "exam.ankleReflex"}} {
		_, err := intake.Parse([]byte(tt.doc))
		var es intake.Errors
		if !errors.As(err, &es) || len(es) != 1 || es[0].Line != tt.line || es[0].Field != tt.path {
			t.Errorf("Parse = %v (%+v); want one error at %s on line %d", err, es, tt.path, tt.line)
		}
	}
	// A rule is checked even when other fields are wrong, and a field that
	// failed its own check is not used by a rule.
	_, err := intake.Parse([]byte(hdr + `"history": {"legPainBelowKnee": true, "legPainAreas": ["knee"], "diabetesYears": 2, "diabetes": "yes"}}`))
	var es intake.Errors
	errors.As(err, &es)
	var paths []string
	for _, e := range es {
		paths = append(paths, e.Field)
	}
	if want := []string{"history.legPainAreas[0]", "history.diabetes", "history.diabetesYears"}; !slices.Equal(paths, want) {
		t.Errorf("errors at %v; want %v (%v)", paths, want, err)
	}
}

// TestV11Fields checks that Fields and Lookup list the v1.1 fields, with
// the version that added them.
func TestV11Fields(t *testing.T) {
	t.Parallel()
	for path, typ := range map[string]string{
		"patient.skeletallyImmature":                    "bool",
		"history.legPainAreas":                          "array",
		"history.legPainAreas[]":                        "enum",
		"exam.neuro.left.sensation.medialHeel":          "enum",
		"exam.neuro.right.greatToeExtensionMrc":         "integer",
		"imaging.ultrasound.tendonThicknessMm.affected": "number",
		"imaging.lumbarMri.rootCompression[].root":      "enum",
		"imaging.radiograph.osTrigonumOrStiedaProcess":  "bool",
		"exam.abpi":                                       "number",
		"history.claudicationDistanceM":                   "number",
		"imaging.ankleMri.tendon":                         "enum",
		"exam.neuro":                                      "object",
		"imaging":                                         "object",
		"imaging.lumbarMri.rootCompression":               "array",
		"imaging.lumbarMri.rootCompression[].side":        "enum",
		"exam.neuro.left.halluxVibration":                 "enum",
		"history.paresthesiaBothFeet":                     "bool",
		"imaging.ultrasound.tendonThicknessMm.unaffected": "number",
	} {
		f, ok := intake.Lookup(path)
		if !ok || f.Type != typ || f.Since != "1.1" || f.Description == "" {
			t.Errorf("Lookup(%q) = %+v, %v; want a v1.1 %s", path, f, ok, typ)
		}
	}
	if f, _ := intake.Lookup("exam.arcSign"); f.Since != "1.0" {
		t.Errorf("exam.arcSign since %q", f.Since)
	}
	if f, _ := intake.Lookup("proms.visaA.answers[7].points"); f.Since != "1.0" {
		t.Errorf("VISA-A item 8 points since %q", f.Since)
	}
	if f, _ := intake.Lookup("imaging.lumbarMri.rootCompression[].root"); !f.Required || !slices.Equal(f.Values, []string{"L4", "L5", "S1"}) {
		t.Errorf("root = %+v", f)
	}
	if f, _ := intake.Lookup("exam.abpi"); *f.Min != 0 || *f.Max != 3 {
		t.Errorf("abpi = %+v", f)
	}
}

// TestIndexAgreesWithSchema checks that the schema intake decodes with
// says what the root package's field index says, for every field the
// index describes (the outcome measures' parts are written by hand in
// intake and must agree too).
func TestIndexAgreesWithSchema(t *testing.T) {
	t.Parallel()
	for _, fi := range tendo.Fields() {
		f, ok := intake.Lookup(fi.Path)
		if !ok {
			t.Errorf("%s is in the index but not in intake's schema", fi.Path)
			continue
		}
		if f.Type != string(fi.Kind) || f.Required != fi.Required || f.Unit != fi.Unit || !eqf(f.Min, fi.Min) || !eqf(f.Max, fi.Max) {
			t.Errorf("%s: intake %+v, index %+v", fi.Path, f, fi)
		}
		if fi.Kind == tendo.KindEnum && !slices.Equal(f.Values, fi.Values) {
			t.Errorf("%s: values %v, index %v", fi.Path, f.Values, fi.Values)
		}
	}
}

func eqf(a, b *float64) bool { return (a == nil) == (b == nil) && (a == nil || *a == *b) }

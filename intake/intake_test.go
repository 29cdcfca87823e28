package intake_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
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

// sharedCases returns the public cases (../shared/cases/*.json beside the
// repository, without expected.json) by name. A missing folder fails the
// test.
func sharedCases(tb testing.TB) map[string][]byte {
	tb.Helper()
	dir := shared.Path(tb, "cases")
	files, err := filepath.Glob(filepath.Join(dir, "*.json"))
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
	if len(out) < 6 {
		tb.Fatalf("found %d cases in %s; want at least 6", len(out), dir)
	}
	return out
}

func mustParse(tb testing.TB, data []byte) *tendo.Assessment {
	tb.Helper()
	a, err := intake.Parse(data)
	if err != nil {
		tb.Fatalf("Parse: %v", err)
	}
	return a
}

func TestParseSharedCases(t *testing.T) {
	t.Parallel()
	for name, data := range sharedCases(t) {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			a := mustParse(t, data)
			if got, want := a.Schema, tendo.SchemaV1; got != want {
				t.Errorf("Schema = %q, want %q", got, want)
			}
			if got, want := a.ID, name; got != want {
				t.Errorf("ID = %q, want %q", got, want)
			}
			// The JSON reader must agree with encoding/json on every value.
			var std tendo.Assessment
			if err := json.Unmarshal(data, &std); err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(a, &std) {
				t.Errorf("Parse and encoding/json differ:\n got %+v\nwant %+v", a, &std)
			}
		})
	}
}

func TestYAMLEqualsJSON(t *testing.T) {
	t.Parallel()
	cases := sharedCases(t)
	files, err := filepath.Glob("testdata/*.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if len(files) < 2 {
		t.Fatalf("found %d YAML files in testdata; want at least 2", len(files))
	}
	for _, f := range files {
		name := strings.TrimSuffix(filepath.Base(f), ".yaml")
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			jsonData, ok := cases[name]
			if !ok {
				t.Fatalf("no shared case %s.json", name)
			}
			got, err := intake.ParseYAML(data)
			if err != nil {
				t.Fatalf("ParseYAML: %v", err)
			}
			if want := mustParse(t, jsonData); !reflect.DeepEqual(got, want) {
				t.Errorf("YAML and JSON differ:\n got %s\nwant %s", mustMarshal(t, got), mustMarshal(t, want))
			}
			if a := mustParse(t, data); !reflect.DeepEqual(a, got) {
				t.Error("Parse did not detect YAML")
			}
		})
	}
}

func mustMarshal(tb testing.TB, a *tendo.Assessment) []byte {
	tb.Helper()
	data, err := intake.Marshal(a)
	if err != nil {
		tb.Fatal(err)
	}
	return data
}

// TestSharedCaseScores checks the scores of the shared cases against
// expected.json exactly (ODI to one decimal).
func TestSharedCaseScores(t *testing.T) {
	t.Parallel()
	cases := sharedCases(t)
	raw, err := os.ReadFile(shared.Path(t, "cases", "expected.json"))
	if err != nil {
		t.Fatal(err)
	}
	var expected map[string]json.RawMessage
	if err := json.Unmarshal(raw, &expected); err != nil {
		t.Fatal(err)
	}
	checked := 0
	for name, msg := range expected {
		if strings.HasPrefix(name, "_") {
			continue
		}
		var e struct {
			Scores map[string]float64 `json:"scores"`
		}
		if err := json.Unmarshal(msg, &e); err != nil {
			t.Fatal(err)
		}
		data, ok := cases[name]
		if !ok {
			t.Errorf("expected.json names %s, which is not a case", name)
			continue
		}
		a := mustParse(t, data)
		scores, err := a.PROMs.Scores()
		if err != nil {
			t.Errorf("%s: Scores: %v", name, err)
			continue
		}
		byMeasure := map[string]tendo.Score{}
		for _, s := range scores {
			byMeasure[s.Measure] = s
		}
		for measure, want := range e.Scores {
			s, ok := byMeasure[measure]
			if !ok {
				t.Errorf("%s: no %s score", name, measure)
				continue
			}
			if s.Rounded != want {
				t.Errorf("%s: %s = %v (exact %v), want %v", name, measure, s.Rounded, s.Value, want)
			}
			checked++
		}
	}
	// runner-midportion VISA-A, insertional-older VISA-A, mixed VISA-A and
	// ODI, s1-mimic ODI.
	if checked < 5 {
		t.Errorf("checked %d scores; want at least 5", checked)
	}
}

func TestRoundTrip(t *testing.T) {
	t.Parallel()
	inputs := sharedCases(t)
	files, _ := filepath.Glob("testdata/*.yaml")
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		inputs[filepath.Base(f)] = data
	}
	for name, data := range inputs {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			a := mustParse(t, data)
			out := mustMarshal(t, a)
			b := mustParse(t, out)
			if !reflect.DeepEqual(a, b) {
				t.Errorf("round trip changed the assessment:\n%s\n%s", out, mustMarshal(t, b))
			}
			if again := mustMarshal(t, b); !bytes.Equal(out, again) {
				t.Errorf("Marshal is not stable:\n%s\n%s", out, again)
			}
		})
	}
}

type wantErr struct {
	path string
	msg  string // substring of Msg
	line int    // 0: not checked
}

const (
	hdr  = `{"schema": "tendo/assessment/v1", `
	yhdr = "schema: tendo/assessment/v1\n"
)

func TestParseErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		input string
		want  []wantErr
	}{
		{"string for an integer", hdr + `"patient": {"ageYears": "45"}}`,
			[]wantErr{{"patient.ageYears", `"45" must be an integer`, 0}}},
		{"fraction for an integer", hdr + `"patient": {"ageYears": 45.5}}`,
			[]wantErr{{"patient.ageYears", "45.5 must be an integer", 0}}},
		{"age below range", hdr + `"patient": {"ageYears": 7}}`,
			[]wantErr{{"patient.ageYears", "7 is out of range; allowed 10–110", 0}}},
		{"height below range", hdr + `"patient": {"heightCm": 99.5}}`,
			[]wantErr{{"patient.heightCm", "99.5 is out of range; allowed 100–250", 0}}},
		{"negative duration", hdr + `"history": {"symptomWeeks": -1}}`,
			[]wantErr{{"history.symptomWeeks", "-1 is out of range; allowed ≥ 0", 0}}},
		{"number too large for a float", hdr + `"history": {"lowBackPainWeeks": 1e999}}`,
			[]wantErr{{"history.lowBackPainWeeks", "1e999 is out of range", 0}}},
		{"string for a bool", hdr + `"history": {"diabetes": "yes"}}`,
			[]wantErr{{"history.diabetes", `"yes" must be true or false`, 0}}},
		{"number for a bool", hdr + `"patient": {"runner": 1}}`,
			[]wantErr{{"patient.runner", "1 must be true or false", 0}}},
		{"value not in the enumeration", hdr + `"exam": {"arcSign": "maybe"}}`,
			[]wantErr{{"exam.arcSign", `"maybe" is not allowed; allowed positive, negative, equivocal`, 0}}},
		{"equivocal crossed straight-leg raise", hdr + `"exam": {"crossedStraightLegRaise": "equivocal"}}`,
			[]wantErr{{"exam.crossedStraightLegRaise", `"equivocal" is not allowed; allowed positive, negative`, 0}}},
		{"number for an enumeration", hdr + `"side": 1}`,
			[]wantErr{{"side", "1 must be one of left, right, bilateral", 0}}},
		{"enumeration is case sensitive", hdr + `"patient": {"sex": "Female"}}`,
			[]wantErr{{"patient.sex", `"Female" is not allowed; allowed female, male, other, unknown`, 0}}},
		{"unknown top-level field with suggestion", hdr + `"pateint": {}}`,
			[]wantErr{{"pateint", "unknown field; did you mean patient?", 0}}},
		{"unknown nested field with suggestion", hdr + `"exam": {"slupm": "positive"}}`,
			[]wantErr{{"exam.slupm", "unknown field; did you mean exam.slump?", 0}}},
		{"unknown field differing in case", hdr + `"patient": {"AgeYears": 40}}`,
			[]wantErr{{"patient.AgeYears", "unknown field; did you mean patient.ageYears?", 0}}},
		{"field at the wrong level", hdr + `"ageYears": 40}`,
			[]wantErr{{"ageYears", "unknown field; did you mean patient.ageYears?", 0}}},
		{"prefix of a field name", hdr + `"exam": {"royalLondon": "positive"}}`,
			[]wantErr{{"exam.royalLondon", "unknown field; did you mean exam.royalLondonTest?", 0}}},
		{"unknown field with nothing close", hdr + `"exam": {"bloodPressure": 120}}`,
			[]wantErr{{"exam.bloodPressure", "unknown field", 0}}},
		{"unknown field in a small object lists the fields", hdr + `"exam": {"heelRaiseReps": {"left": 3}}}`,
			[]wantErr{{"exam.heelRaiseReps.left", "unknown field; allowed affected, unaffected", 0}}},
		{"missing schema", `{"id": "x"}`,
			[]wantErr{{"schema", `required; want "tendo/assessment/v1"`, 0}}},
		{"null schema", `{"schema": null}`,
			[]wantErr{{"schema", `required; want "tendo/assessment/v1"`, 0}}},
		{"wrong schema", `{"schema": "tendo/assessment/v2"}`,
			[]wantErr{{"schema", `"tendo/assessment/v2" is not supported; want "tendo/assessment/v1"`, 0}}},
		{"invalid calendar date", hdr + `"date": "2026-02-30"}`,
			[]wantErr{{"date", `"2026-02-30" is not a valid date; want YYYY-MM-DD`, 0}}},
		{"date in another format", hdr + `"date": "02/10/2026"}`,
			[]wantErr{{"date", `"02/10/2026" is not a valid date; want YYYY-MM-DD`, 0}}},
		{"duplicate key", hdr + `"exam": {"arcSign": "positive", "arcSign": "negative"}}`,
			[]wantErr{{"exam.arcSign", "duplicate key", 0}}},
		{"duplicate key in YAML", yhdr + "exam:\n  slump: positive\n  slump: negative\n",
			[]wantErr{{"exam.slump", "duplicate key", 4}}},
		{"YAML yes for a bool", yhdr + "history:\n  diabetes: yes\n",
			[]wantErr{{"history.diabetes", `"yes" must be true or false`, 3}}},
		{"YAML on for a bool", yhdr + "patient:\n  runner: on\n",
			[]wantErr{{"patient.runner", `"on" must be true or false`, 3}}},
		{"YAML quoted true for a bool", yhdr + "patient:\n  runner: \"true\"\n",
			[]wantErr{{"patient.runner", `"true" must be true or false`, 3}}},
		{"YAML leading-zero number", yhdr + "patient:\n  ageYears: 045\n",
			[]wantErr{{"patient.ageYears", "045 must be a plain decimal number", 3}}},
		{"YAML hexadecimal number", yhdr + "exam:\n  kneeToWallCm: 0x0A\n",
			[]wantErr{{"exam.kneeToWallCm", "0x0A must be a plain decimal number", 3}}},
		{"YAML infinity", yhdr + "history:\n  symptomWeeks: .inf\n",
			[]wantErr{{"history.symptomWeeks", ".inf must be a plain decimal number", 3}}},
		{"YAML alias", yhdr + "patient: &p {ageYears: 40}\nexam: *p\n",
			[]wantErr{{"exam", "*p is a YAML alias; aliases are not supported", 3}}},
		{"YAML bare date with time", yhdr + "date: 2026-10-02T10:00:00Z\n",
			[]wantErr{{"date", `"2026-10-02T10:00:00Z" is not a valid date; want YYYY-MM-DD`, 2}}},
		{"string where an object is expected", hdr + `"patient": "John Smith"}`,
			[]wantErr{{"patient", `"John Smith" must be an object`, 0}}},
		{"array where an object is expected", hdr + `"exam": []}`,
			[]wantErr{{"exam", "[…] must be an object", 0}}},
		{"number where a measure object is expected", hdr + `"proms": {"visaA": 50}}`,
			[]wantErr{{"proms.visaA", "50 must be an object", 0}}},
		{"ODI with three sections unanswered", hdr + `"proms": {"odi": {"answers": [1, null, 2, null, 2, 2, null, 1, 1, 2]}}}`,
			[]wantErr{{"proms.odi.answers", "3 sections are unanswered; at most 2 may be", 0}}},
		{"ODI section out of range", hdr + `"proms": {"odi": {"answers": [1, 1, 6, 1, 1, 1, 1, 1, 1, 1]}}}`,
			[]wantErr{{"proms.odi.answers[2]", "6 is out of range; allowed 0–5", 0}}},
		{"ODI with nine answers", hdr + `"proms": {"odi": {"answers": [1, 1, 1, 1, 1, 1, 1, 1, 1]}}}`,
			[]wantErr{{"proms.odi.answers", "9 answers given; want 10", 0}}},
		{"ODI percent disagrees with the answers", hdr + `"proms": {"odi": {"answers": [2, 1, 2, 1, 3, 2, 2, 1, 1, 2], "percent": 34.1}}}`,
			[]wantErr{{"proms.odi.percent", "34.1 does not match the answers, which give 34.0", 0}}},
		{"ODI fractional answer", hdr + `"proms": {"odi": {"answers": [2, 1, 2.5, 1, 3, 2, 2, 1, 1, 2], "percent": 34}}}`,
			[]wantErr{{"proms.odi.answers[2]", "2.5 must be an integer", 0}}},
		{"VISA-A points not allowed for the branch", hdr + `"proms": {"visaA": {"answers": [6, 5, 7, 6, 4, 5, 7, {"branch": "B", "points": 6}]}}}`,
			[]wantErr{{"proms.visaA.answers[7].points", "6 is not allowed for branch B; allowed 0, 4, 10, 14, 20", 0}}},
		{"VISA-A unknown branch", hdr + `"proms": {"visaA": {"answers": [6, 5, 7, 6, 4, 5, 7, {"branch": "D", "points": 10}]}}}`,
			[]wantErr{{"proms.visaA.answers[7].branch", `"D" is not allowed; allowed A, B, C`, 0}}},
		{"VISA-A item 8 without points", hdr + `"proms": {"visaA": {"answers": [6, 5, 7, 6, 4, 5, 7, {"branch": "A"}]}}}`,
			[]wantErr{{"proms.visaA.answers[7].points", "required", 0}}},
		{"VISA-A item 8 misspelt key", hdr + `"proms": {"visaA": {"answers": [6, 5, 7, 6, 4, 5, 7, {"brnach": "A", "points": 7}]}}}`,
			[]wantErr{{"proms.visaA.answers[7].brnach", "unknown field; did you mean proms.visaA.answers[7].branch?", 0},
				{"proms.visaA.answers[7].branch", "required", 0}}},
		{"VISA-A item 7 not allowed", hdr + `"proms": {"visaA": {"answers": [6, 5, 7, 6, 4, 5, 5, {"branch": "A", "points": 7}]}}}`,
			[]wantErr{{"proms.visaA.answers[6]", "5 is not allowed; allowed 0, 4, 7, 10", 0}}},
		{"VISA-A with seven answers", hdr + `"proms": {"visaA": {"answers": [6, 5, 7, 6, 4, 5, 7]}}}`,
			[]wantErr{{"proms.visaA.answers", "7 answers given; all 8 items are required", 0}}},
		{"VISA-A item 8 as a number", hdr + `"proms": {"visaA": {"answers": [6, 5, 7, 6, 4, 5, 7, 10]}}}`,
			[]wantErr{{"proms.visaA.answers[7]", `10 must be an object {"branch": "A"|"B"|"C", "points": n}`, 0}}},
		{"VISA-A item as a string", hdr + `"proms": {"visaA": {"answers": [6, 5, "7", 6, 4, 5, 7, {"branch": "A", "points": 7}], "score": 47}}}`,
			[]wantErr{{"proms.visaA.answers[2]", `"7" must be a number, or for item 8 an object`, 0}}},
		{"VISA-A score disagrees with the answers", hdr + `"proms": {"visaA": {"answers": [6, 5, 7, 6, 4, 5, 7, {"branch": "B", "points": 10}], "score": 48}}}`,
			[]wantErr{{"proms.visaA.score", "48 does not match the answers, which sum to 50", 0}}},
		{"VISA-A score out of range", hdr + `"proms": {"visaA": {"score": 101}}}`,
			[]wantErr{{"proms.visaA.score", "101 is out of range; allowed 0–100", 0}}},
		{"VISA-A empty", hdr + `"proms": {"visaA": {}}}`,
			[]wantErr{{"proms.visaA", "needs answers or a score", 0}}},
		{"LEFS with nineteen answers", hdr + `"proms": {"lefs": {"answers": [4,4,4,4,4,4,4,4,4,4,4,4,4,4,4,4,4,4,4]}}}`,
			[]wantErr{{"proms.lefs.answers", "19 answers given; all 20 items are required", 0}}},
		{"LEFS score disagrees", hdr + `"proms": {"lefs": {"answers": [4,4,4,4,4,4,4,4,4,4,4,4,4,4,4,4,4,4,4,3], "score": 80}}}`,
			[]wantErr{{"proms.lefs.score", "80 does not match the answers, which sum to 79", 0}}},
		{"NPRS out of range", hdr + `"proms": {"nprs": 11}}`,
			[]wantErr{{"proms.nprs", "11 is out of range; allowed 0–10", 0}}},
		{"not JSON", `{"schema": tendo}`,
			[]wantErr{{"", "invalid JSON", 1}}},
		{"invalid UTF-8 in a JSON string", hdr + "\"id\": \"caf\xe9\"}",
			[]wantErr{{"", "invalid JSON: invalid UTF-8 in a string", 1}}},
		{"lone surrogate in a JSON string", hdr + `"id": "\ud800x"}`,
			[]wantErr{{"", "invalid JSON: lone surrogate in a string", 1}}},
		{"YAML key that is not a name", yhdr + "patient:\n  ? [a, b]\n  : 1\n",
			[]wantErr{{"patient", "has a key that is not a plain name", 0}}},
		{"trailing comma", "{\n\"schema\": \"tendo/assessment/v1\",\n}",
			[]wantErr{{"", "invalid JSON", 3}}},
		{"two JSON values", hdr + `"id": "a"} {}`,
			[]wantErr{{"", "after the top-level value", 0}}},
		{"top-level array", `[1, 2]`,
			[]wantErr{{"", "[…] is not an assessment; the document must be an object", 0}}},
		{"empty input", "",
			[]wantErr{{"", "empty document", 0}}},
		{"invalid YAML", "schema: [\n",
			[]wantErr{{"", "invalid YAML", 0}}},
		{"two YAML documents", yhdr + "---\n" + yhdr,
			[]wantErr{{"", "more than one document", 2}}},
		{"YAML custom tag", yhdr + "id: !patient 12\n",
			[]wantErr{{"id", "has an unsupported YAML tag", 2}}},
		{"several errors in one document",
			"{\n" +
				`"schema": "tendo/assessment/v1",` + "\n" +
				`"patient": {"ageYears": 7, "sex": "f"},` + "\n" +
				`"history": {"diabetes": "yes", "diabetis": true},` + "\n" +
				`"exam": {"arcSign": "maybe", "slupm": "positive", "heelRaiseReps": {"affected": -1}},` + "\n" +
				`"proms": {"odi": {"answers": [1, null, null, null, 2, 2, 2, 2, 2, 2]}, "nprs": "5"}` + "\n" +
				"}",
			[]wantErr{
				{"patient.ageYears", "7 is out of range; allowed 10–110", 3},
				{"patient.sex", `"f" is not allowed`, 3},
				{"history.diabetes", `"yes" must be true or false`, 4},
				{"history.diabetis", "unknown field; did you mean history.diabetes?", 4},
				{"exam.arcSign", `"maybe" is not allowed`, 5},
				{"exam.slupm", "unknown field; did you mean exam.slump?", 5},
				{"exam.heelRaiseReps.affected", "-1 is out of range; allowed 0–200", 5},
				{"proms.odi.answers", "3 sections are unanswered; at most 2 may be", 6},
				{"proms.nprs", `"5" must be an integer`, 6},
			}},
		{"several errors in one YAML document",
			"id: 12\nside: up\npatient:\n  weightKg: 20\nexam:\n  heelRaiseReps: [1, 2]\n",
			[]wantErr{
				{"id", "12 must be a string", 1},
				{"side", `"up" is not allowed; allowed left, right, bilateral`, 2},
				{"patient.weightKg", "20 is out of range; allowed 25–300", 4},
				{"exam.heelRaiseReps", "[…] must be an object", 6},
				{"schema", "required", 1},
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			a, err := intake.Parse([]byte(tt.input))
			if err == nil {
				t.Fatalf("Parse succeeded (%+v); want errors", a)
			}
			if a != nil {
				t.Errorf("Parse returned an assessment with an error")
			}
			var es intake.Errors
			if !errors.As(err, &es) {
				t.Fatalf("error %v (%T) is not an intake.Errors", err, err)
			}
			for _, w := range tt.want {
				if !hasError(es, w) {
					t.Errorf("no error at %q containing %q (line %d); got:\n%s", w.path, w.msg, w.line, list(es))
				}
			}
			if len(es) != len(tt.want) {
				t.Errorf("got %d errors, want %d:\n%s", len(es), len(tt.want), list(es))
			}
		})
	}
}

func hasError(es intake.Errors, w wantErr) bool {
	for _, e := range es {
		full := e.Message
		if e.Value != "" {
			full = e.Value + " " + e.Message
		}
		if e.Field == w.path && strings.Contains(full, w.msg) && (w.line == 0 || e.Line == w.line) {
			return true
		}
	}
	return false
}

func list(es intake.Errors) string {
	var b strings.Builder
	for _, e := range es {
		fmt.Fprintf(&b, "\tline %d: %v\n", e.Line, e)
	}
	return b.String()
}

func TestFieldErrorFormat(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		input string
		want  string
	}{
		{"unknown field", hdr + `"exam": {"slupm": "positive"}}`, "exam.slupm: unknown field; did you mean exam.slump?"},
		{"range", hdr + `"patient": {"ageYears": 7}}`, "patient.ageYears: 7 is out of range; allowed 10–110"},
		{"enumeration", hdr + `"exam": {"arcSign": "maybe"}}`, `exam.arcSign: "maybe" is not allowed; allowed positive, negative, equivocal`},
		{"integer", hdr + `"patient": {"ageYears": 45.5}}`, "patient.ageYears: 45.5 must be an integer"},
		{"bool", hdr + `"history": {"diabetes": "yes"}}`, `history.diabetes: "yes" must be true or false`},
		{"ODI", hdr + `"proms": {"odi": {"answers": [1, null, null, null, 2, 2, 2, 2, 2, 2]}}}`, "proms.odi.answers: 3 sections are unanswered; at most 2 may be"},
		{"VISA-A branch", hdr + `"proms": {"visaA": {"answers": [6, 5, 7, 6, 4, 5, 7, {"branch": "B", "points": 6}]}}}`, "proms.visaA.answers[7].points: 6 is not allowed for branch B; allowed 0, 4, 10, 14, 20"},
		{"schema", `{}`, `schema: required; want "tendo/assessment/v1"`},
		{"two errors", `{"schema": "tendo/assessment/v1", "side": "up", "id": 3}`, `side: "up" is not allowed; allowed left, right, bilateral; id: 3 must be a string`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := intake.Parse([]byte(tt.input))
			if err == nil {
				t.Fatal("no error")
			}
			if got := err.Error(); got != tt.want {
				t.Errorf("error = %q\nwant    %q", got, tt.want)
			}
			var fe *intake.FieldError
			if !errors.As(err, &fe) {
				t.Errorf("errors.As cannot find a *FieldError in %T", err)
			}
		})
	}
}

// TestYAMLBooleans checks that yaml.v3 reads YAML 1.2 booleans: only
// true/false (three spellings each) are booleans, the YAML 1.1 words are
// strings.
func TestYAMLBooleans(t *testing.T) {
	t.Parallel()
	tests := []struct {
		word string
		want *bool // nil: an error
	}{
		{"true", ptr(true)}, {"True", ptr(true)}, {"TRUE", ptr(true)},
		{"false", ptr(false)}, {"False", ptr(false)}, {"FALSE", ptr(false)},
		{"yes", nil}, {"no", nil}, {"on", nil}, {"off", nil}, {"y", nil}, {"n", nil}, {"Yes", nil}, {"NO", nil},
		{"1", nil}, {"0", nil}, {`"true"`, nil},
	}
	for _, tt := range tests {
		t.Run(tt.word, func(t *testing.T) {
			t.Parallel()
			a, err := intake.ParseYAML([]byte(yhdr + "patient:\n  runner: " + tt.word + "\n"))
			if tt.want == nil {
				if err == nil {
					t.Fatalf("runner: %s parsed as %v; want an error", tt.word, *a.Patient.Runner)
				}
				if !strings.Contains(err.Error(), "must be true or false") {
					t.Errorf("error = %v; want a type error", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if a.Patient.Runner == nil || *a.Patient.Runner != *tt.want {
				t.Errorf("runner = %v, want %v", a.Patient.Runner, *tt.want)
			}
		})
	}
}

func ptr[T any](v T) *T { return &v }

func TestParseValues(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		input string
		check func(*tendo.Assessment) bool
	}{
		{"null means absent", hdr + `"patient": {"ageYears": null}, "exam": {"arcSign": null}}`,
			func(a *tendo.Assessment) bool { return a.Patient.AgeYears == nil && a.Exam.ArcSign == nil }},
		{"null ODI section is unanswered", hdr + `"proms": {"odi": {"answers": [1, null, 1, 1, 1, 1, 1, 1, 1, 1]}}}`,
			func(a *tendo.Assessment) bool {
				ans := a.PROMs.ODI.Answers
				return len(ans) == 10 && ans[1] == nil && ans[0] != nil && *ans[0] == 1
			}},
		{"whole number with a zero fraction", hdr + `"patient": {"ageYears": 45.0}}`,
			func(a *tendo.Assessment) bool { return *a.Patient.AgeYears == 45 }},
		{"exponent", hdr + `"patient": {"heightCm": 1.8e2}}`,
			func(a *tendo.Assessment) bool { return *a.Patient.HeightCm == 180 }},
		{"range bounds are inclusive", hdr + `"patient": {"ageYears": 110, "weightKg": 25}}`,
			func(a *tendo.Assessment) bool { return *a.Patient.AgeYears == 110 && *a.Patient.WeightKg == 25 }},
		{"equivocal is kept", hdr + `"exam": {"slump": "equivocal"}}`,
			func(a *tendo.Assessment) bool { return *a.Exam.Slump == tendo.Equivocal }},
		{"negative is not absent", hdr + `"exam": {"palpableGap": false}}`,
			func(a *tendo.Assessment) bool { return a.Exam.PalpableGap != nil && !*a.Exam.PalpableGap }},
		{"empty section", hdr + `"gait": {}}`,
			func(a *tendo.Assessment) bool { return reflect.ValueOf(a.Gait).IsZero() }},
		{"empty heel raise object", hdr + `"exam": {"heelRaiseReps": {}}}`,
			func(a *tendo.Assessment) bool {
				return a.Exam.HeelRaiseReps != nil && a.Exam.HeelRaiseReps.Affected == nil
			}},
		{"string escapes", hdr + `"id": "a\u00e9\n\ud83d\ude00"}`,
			func(a *tendo.Assessment) bool { return a.ID == "aé\n😀" }},
		{"byte-order mark", "\xef\xbb\xbf" + hdr + `"id": "x"}`,
			func(a *tendo.Assessment) bool { return a.ID == "x" }},
		{"YAML bare date", yhdr + "date: 2024-02-29\n",
			func(a *tendo.Assessment) bool { return a.Date == "2024-02-29" }},
		{"YAML date-like id stays text", yhdr + "id: 2026-10-02\n",
			func(a *tendo.Assessment) bool { return a.ID == "2026-10-02" }},
		{"YAML explicit plus sign", yhdr + "patient:\n  ageYears: +40\n",
			func(a *tendo.Assessment) bool { return *a.Patient.AgeYears == 40 }},
		{"VISA-A score only", hdr + `"proms": {"visaA": {"score": 48}}}`,
			func(a *tendo.Assessment) bool { return *a.PROMs.VISAA.Score == 48 && a.PROMs.VISAA.Answers == nil }},
		{"VISA-A answers and matching score", hdr + `"proms": {"visaA": {"answers": [6, 5, 7, 6, 4, 5, 7, {"branch": "B", "points": 10}], "score": 50}}}`,
			func(a *tendo.Assessment) bool { return a.PROMs.VISAA.Answers[7].Item8.Branch == tendo.VISAABranchB }},
		{"ODI percent rounded to one decimal agrees", hdr + `"proms": {"odi": {"answers": [3, 1, 3, 2, 3, 2, 2, null, 2, 3], "percent": 46.7}}}`,
			func(a *tendo.Assessment) bool { return *a.PROMs.ODI.Percent == 46.7 }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			a := mustParse(t, []byte(tt.input))
			if !tt.check(a) {
				t.Errorf("unexpected result: %s", mustMarshal(t, a))
			}
		})
	}
}

func TestTooManyErrors(t *testing.T) {
	t.Parallel()
	var b strings.Builder
	b.WriteString(hdr + `"exam": {`)
	for i := range 1500 {
		fmt.Fprintf(&b, `"unknown%d": 1, `, i)
	}
	b.WriteString(`"slump": "positive"}}`)
	_, err := intake.Parse([]byte(b.String()))
	var es intake.Errors
	if !errors.As(err, &es) {
		t.Fatalf("err = %v", err)
	}
	if got, want := len(es), 1001; got != want {
		t.Fatalf("got %d errors, want %d", got, want)
	}
	if last := es[len(es)-1]; last.Field != "" || !strings.Contains(last.Message, "too many problems; only the first 1000 are listed") {
		t.Errorf("last error = %v", last)
	}
}

func TestReadLimit(t *testing.T) {
	t.Parallel()
	big := append([]byte(hdr+`"id": "`), bytes.Repeat([]byte("x"), intake.MaxSize)...)
	big = append(big, `"}`...)
	if _, err := intake.Read(bytes.NewReader(big)); err == nil || !strings.Contains(err.Error(), "larger than 1 MiB") {
		t.Errorf("Read of %d bytes: err = %v; want the size error", len(big), err)
	}
	if _, err := intake.Parse(big); err == nil || !strings.Contains(err.Error(), "larger than 1 MiB") {
		t.Errorf("Parse of %d bytes: err = %v; want the size error", len(big), err)
	}
	// An endless reader is cut off, not read to the end.
	if _, err := intake.Read(endless{}); err == nil {
		t.Error("Read of an endless stream succeeded")
	}
	a, err := intake.Read(strings.NewReader(yhdr + "id: ok\n"))
	if err != nil || a.ID != "ok" {
		t.Errorf("Read = %v, %v", a, err)
	}
}

type endless struct{}

func (endless) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = ' '
	}
	return len(p), nil
}

func TestLineReader(t *testing.T) {
	t.Parallel()
	good := hdr + `"id": "a"}`
	long := hdr + `"id": "` + strings.Repeat("y", intake.MaxSize) + `"}`
	input := good + "\n" +
		hdr + `"id": 3}` + "\n" +
		"\n" +
		"not json\n" +
		long + "\n" +
		strings.Replace(good, `"a"`, `"b"`, 1) + "\r\n" +
		strings.Replace(good, `"a"`, `"c"`, 1) // no final newline
	type result struct {
		line int
		id   string
		err  string
	}
	want := []result{
		{1, "a", ""},
		{2, "", "id: 3 must be a string"},
		{4, "", "invalid JSON"},
		{5, "", "line is longer than 1 MiB"},
		{6, "b", ""},
		{7, "c", ""},
	}
	lr := intake.NewLineReader(strings.NewReader(input))
	for i, w := range want {
		line, a, err := lr.Next()
		if line != w.line {
			t.Errorf("record %d: line = %d, want %d", i, line, w.line)
		}
		if w.err != "" {
			if err == nil || !strings.Contains(err.Error(), w.err) {
				t.Errorf("line %d: err = %v, want %q", line, err, w.err)
			}
			var es intake.Errors
			if errors.As(err, &es) && es[0].Line != w.line {
				t.Errorf("line %d: FieldError.Line = %d", line, es[0].Line)
			}
			continue
		}
		if err != nil {
			t.Errorf("line %d: %v", line, err)
			continue
		}
		if a.ID != w.id {
			t.Errorf("line %d: id = %q, want %q", line, a.ID, w.id)
		}
	}
	for range 2 {
		if _, _, err := lr.Next(); err != io.EOF {
			t.Errorf("at the end: err = %v, want io.EOF", err)
		}
	}
}

func TestLineReaderReadError(t *testing.T) {
	t.Parallel()
	boom := errors.New("disk on fire")
	lr := intake.NewLineReader(io.MultiReader(strings.NewReader(hdr+`"id": "a"}`+"\n"), errReader{boom}))
	if _, a, err := lr.Next(); err != nil || a.ID != "a" {
		t.Fatalf("first line: %v, %v", a, err)
	}
	for range 2 {
		if _, _, err := lr.Next(); !errors.Is(err, boom) {
			t.Errorf("err = %v, want %v", err, boom)
		}
	}
}

type errReader struct{ err error }

func (r errReader) Read([]byte) (int, error) { return 0, r.err }

func TestMarshal(t *testing.T) {
	t.Parallel()
	data, err := intake.Marshal(&tendo.Assessment{})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := string(data), `{"schema":"tendo/assessment/v1"}`; got != want {
		t.Errorf("Marshal(empty) = %s, want %s", got, want)
	}
	if _, err := intake.Marshal(&tendo.Assessment{Schema: "tendo/assessment/v9"}); err == nil {
		t.Error("Marshal wrote an unknown schema")
	}
	if _, err := intake.Marshal(nil); err == nil {
		t.Error("Marshal(nil) succeeded")
	}
	// Every field set: the names written are the contract's.
	a := mustParse(t, sharedCases(t)["mixed-kinetic-chain"])
	out := string(mustMarshal(t, a))
	for _, name := range []string{`"heelRaiseReps":{"affected":9,"unaffected":24}`, `"plantarflexionStrengthMrc":4`, `"visaA":{"score":48}`, `"royalLondonTest":"equivocal"`} {
		if !strings.Contains(out, name) {
			t.Errorf("Marshal output lacks %s:\n%s", name, out)
		}
	}
}

// TestFieldsMatchAssessment checks the schema table against the struct:
// every JSON name in tendo.Assessment is a field and every field is a JSON
// name, and enumerations list the root package's values.
func TestFieldsMatchAssessment(t *testing.T) {
	t.Parallel()
	fromStruct := map[string]bool{}
	var walk func(reflect.Type, string)
	walk = func(typ reflect.Type, prefix string) {
		for i := range typ.NumField() {
			f := typ.Field(i)
			name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			path := name
			if prefix != "" {
				path = prefix + "." + name
			}
			fromStruct[path] = true
			ft := f.Type
			if ft.Kind() == reflect.Pointer {
				ft = ft.Elem()
			}
			if ft.Kind() == reflect.Struct {
				walk(ft, path)
			}
		}
	}
	walk(reflect.TypeFor[tendo.Assessment](), "")
	fields := intake.Fields()
	fromTable := map[string]intake.Field{}
	for _, f := range fields {
		if strings.Contains(f.Path, "[") {
			continue // array elements
		}
		if _, dup := fromTable[f.Path]; dup {
			t.Errorf("field %s listed twice", f.Path)
		}
		fromTable[f.Path] = f
	}
	for p := range fromStruct {
		if _, ok := fromTable[p]; !ok {
			t.Errorf("struct field %s is not in the schema table", p)
		}
	}
	for p := range fromTable {
		if !fromStruct[p] {
			t.Errorf("schema field %s is not in tendo.Assessment", p)
		}
	}
	enums := map[string][]string{
		"side":                         strs(tendo.SideValues()),
		"exam.arcSign":                 strs(tendo.TestResultValues()),
		"exam.crossedStraightLegRaise": {"positive", "negative"},
		"history.paresthesia":          {"none", "lateral-foot", "sole", "other"},
		"history.painSite":             {"midportion", "insertion", "calf", "diffuse", "plantar-heel"},
		"exam.tenderness":              {"none", "midportion", "insertion", "calf"},
		"gait.source":                  {"observed", "instrumented"},
	}
	for p, want := range enums {
		if got := fromTable[p]; got.Type != "enum" || !slices.Equal(got.Values, want) {
			t.Errorf("%s: %s %v, want enum %v", p, got.Type, got.Values, want)
		}
	}
	for _, f := range fields {
		if f.Description == "" {
			t.Errorf("%s has no description", f.Path)
		}
		if f.Type == "" {
			t.Errorf("%s has no type", f.Path)
		}
	}
	// Elements of the answer arrays are described one by one.
	for _, p := range []string{"proms.visaA.answers[6]", "proms.visaA.answers[7].points", "proms.odi.answers[9]", "proms.lefs.answers[19]"} {
		if _, ok := intake.Lookup(p); !ok {
			t.Errorf("Lookup(%q) found nothing", p)
		}
	}
	if f, _ := intake.Lookup("proms.visaA.answers[6]"); !slices.Equal(f.Values, []string{"0", "4", "7", "10"}) {
		t.Errorf("VISA-A item 7 values = %v", f.Values)
	}
	if f, _ := intake.Lookup("patient.ageYears"); f.Type != "integer" || *f.Min != 10 || *f.Max != 110 || f.Unit != "years" {
		t.Errorf("patient.ageYears = %+v", f)
	}
	if f, _ := intake.Lookup("schema"); !f.Required {
		t.Error("schema is not required")
	}
	// Fields returns a copy.
	fields[0].Values = append(fields[0].Values, "mutated")
	if slices.Contains(intake.Fields()[0].Values, "mutated") {
		t.Error("Fields shares its slices with the caller")
	}
}

func strs[T ~string](v []T) []string {
	out := make([]string, len(v))
	for i, s := range v {
		out[i] = string(s)
	}
	return out
}

// TestScoresAgreeWithParse checks that a document Parse accepts always
// scores without error, over the cases and a few hand-made measures.
func TestScoresAgreeWithParse(t *testing.T) {
	t.Parallel()
	inputs := sharedCases(t)
	inputs["lefs"] = []byte(hdr + `"proms": {"lefs": {"answers": [4,4,4,4,4,4,4,4,4,4,4,4,4,4,4,4,4,4,3,3], "score": 78}}}`)
	inputs["odi-two-missing"] = []byte(hdr + `"proms": {"odi": {"answers": [5, null, 5, 5, 5, 5, null, 5, 5, 5], "percent": 100}}}`)
	for name, data := range inputs {
		a := mustParse(t, data)
		scores, err := a.PROMs.Scores()
		if err != nil {
			t.Errorf("%s: %v", name, err)
		}
		for _, s := range scores {
			if math.IsNaN(s.Value) || s.Value < 0 || s.Value > s.Max {
				t.Errorf("%s: %s = %v out of 0–%v", name, s.Measure, s.Value, s.Max)
			}
		}
	}
}

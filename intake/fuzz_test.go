package intake

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/tendo-health/tendo/internal/shared"
)

// fuzzSeeds are malformed documents, one or more of each kind of error.
var fuzzSeeds = []string{
	`{"schema": "tendo/assessment/v1", "patient": {"ageYears": "45"}}`,
	`{"schema": "tendo/assessment/v1", "patient": {"ageYears": 45.5, "AgeYears": 7}}`,
	`{"schema": "tendo/assessment/v1", "exam": {"slupm": "positive", "arcSign": "maybe", "arcSign": 1}}`,
	`{"schema": "tendo/assessment/v1", "history": {"diabetes": "yes", "symptomWeeks": 1e999}}`,
	`{"schema": "tendo/assessment/v1", "proms": {"odi": {"answers": [1, null, null, null, 2, 2, 2, 2, 2, 2], "percent": 3}}}`,
	`{"schema": "tendo/assessment/v1", "proms": {"visaA": {"answers": [6, 5, "7", 6, 4, 5, 7, {"branch": "B", "points": 6}], "score": 50}}}`,
	`{"schema": "tendo/assessment/v1", "proms": {"lefs": {"answers": [4, 4, 4], "score": 12}, "nprs": 11}}`,
	`{"schema": "tendo/assessment/v2", "date": "2026-02-30", "id": "\ud800\u00e9"}`,
	`{"id": "x"} {}`,
	`[{"schema": 1}]`,
	"schema: tendo/assessment/v1\nhistory:\n  diabetes: yes\n  fever: no\npatient: &p {ageYears: 045}\nexam: *p\n",
	"schema: tendo/assessment/v1\n---\nschema: x\n",
	"schema: !!binary aGVsbG8=\nid: !x 3\ndate: 2026-10-02T10:00:00Z\n",
	"",
	// v1.1: arrays of areas, exam.neuro, imaging, cross-field rules.
	`{"schema": "tendo/assessment/v1", "side": "left", "history": {"legPainBelowKnee": true, "legPainAreas": ["anterior-thigh", "knee", 3]}, "exam": {"ankleReflex": "normal", "neuro": {"left": {"ankleReflex": "absent", "plantarflexionMrc": 6, "sensation": {"sole": "reduced", "heel": "normal"}}}}}`,
	`{"schema": "tendo/assessment/v1", "history": {"paresthesia": "other", "paresthesiaAreas": [], "diabetesYears": 4, "longTermCorticosteroids": true, "systemicCorticosteroids": false, "claudicationDistanceM": 200}}`,
	`{"schema": "tendo/assessment/v1", "side": "bilateral", "exam": {"s1SensoryDeficit": false, "plantarflexionStrengthMrc": 4, "abpi": 3.5, "neuro": {"left": {"sensation": {"lateralFoot": "absent"}, "plantarflexionMrc": 3}, "right": {}}}}`,
	`{"schema": "tendo/assessment/v1", "side": "right", "imaging": {"ultrasound": {"tendonThicknessMm": {"affected": 0.5, "unaffected": 31}, "tear": "partial"}, "lumbarMri": {"rootCompression": [{"root": "S1", "side": "right"}, {"root": "L3"}, null, []]}, "radiograph": {}}}`,
	`{"schema": "tendo/assessment/v1", "side": "left", "history": {"legPainAreas": [], "paresthesiaAreas": ["sole"], "paresthesia": "sole"}, "exam": {"neuro": {"left": {"sensation": {}}}}, "imaging": {"lumbarMri": {"rootCompression": []}}}`,
	"schema: tendo/assessment/v1\nside: right\nhistory:\n  legPainAreas: [dorsal-foot, lateral-shin]\n  legPainBelowKnee: true\nexam:\n  neuro:\n    right: {greatToeExtensionMrc: 4, sensation: {dorsalFoot: reduced}}\nimaging:\n  lumbarMri:\n    rootCompression:\n      - {root: L5, side: right}\n",
}

func FuzzParse(f *testing.F) {
	files, _ := filepath.Glob(shared.Path(f, "cases", "*.json"))
	v11, _ := filepath.Glob(shared.Path(f, "cases-v11", "*.json"))
	files = append(files, v11...)
	yamls, _ := filepath.Glob("testdata/*.yaml")
	for _, name := range append(files, yamls...) {
		data, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	for _, s := range fuzzSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		checkJSONReader(t, data)

		a, err := Parse(data)
		if err != nil {
			if a != nil {
				t.Fatal("Parse returned an assessment and an error")
			}
			var es Errors
			if !errors.As(err, &es) || len(es) == 0 {
				t.Fatalf("error %v (%T) is not a non-empty Errors", err, err)
			}
			for _, e := range es {
				if e.Message == "" {
					t.Fatalf("error without a message: %+v", e)
				}
			}
			return
		}
		out, err := Marshal(a)
		if err != nil {
			t.Fatalf("Marshal: %v", err)
		}
		b, err := Parse(out)
		if err != nil {
			t.Fatalf("Parse(Marshal(a)): %v\n%s", err, out)
		}
		if !reflect.DeepEqual(a, b) {
			t.Fatalf("round trip changed the assessment:\n%s", out)
		}
		if _, err := a.PROMs.Scores(); err != nil {
			t.Fatalf("an accepted document does not score: %v", err)
		}
		if c := a.Conflicts(); len(c) != 0 {
			t.Fatalf("an accepted document breaks a cross-field rule: %v", c)
		}
	})
}

// checkJSONReader compares tendo's JSON reader with encoding/json: it
// accepts exactly the documents json.Valid accepts (but for its depth
// limit and its stricter strings), and reads the same values.
func checkJSONReader(t *testing.T, data []byte) {
	tree, err := jsonTree(data)
	if err != nil {
		// Deliberate differences: a lower depth limit, and no U+FFFD
		// replacement of invalid UTF-8 or lone surrogates.
		for _, s := range []string{"nested too deeply", "invalid UTF-8", "lone surrogate"} {
			if strings.Contains(err.Error(), s) {
				return
			}
		}
	}
	if valid := json.Valid(data); valid != (err == nil) {
		t.Fatalf("json.Valid = %v but jsonTree error = %v", valid, err)
	}
	if err != nil {
		return
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var want any
	if err := dec.Decode(&want); err != nil {
		t.Fatalf("encoding/json: %v", err)
	}
	if got := toAny(&tree); !reflect.DeepEqual(got, want) {
		t.Fatalf("jsonTree read %#v; encoding/json read %#v", got, want)
	}
}

// toAny converts a tree as encoding/json would decode it into any with
// UseNumber: the last of duplicate keys wins.
func toAny(n *node) any {
	switch n.kind {
	case nBool:
		return n.b
	case nNumber:
		return json.Number(n.text)
	case nString:
		return n.text
	case nObject:
		m := make(map[string]any, len(n.members))
		for i := range n.members {
			m[n.members[i].key] = toAny(&n.members[i].val)
		}
		return m
	case nArray:
		s := make([]any, len(n.items))
		for i := range n.items {
			s[i] = toAny(&n.items[i])
		}
		return s
	}
	return nil
}

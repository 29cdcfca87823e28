package fhir_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/tendo-health/tendo/fhir"
)

// FuzzDecode feeds arbitrary bytes to Unmarshal. Input must give either an
// *fhir.Error or a resource that writes back to the same JSON value, reads
// again, and writes the same bytes a second time; never a panic. Seeds: the
// official examples in testdata/seed plus hand-made hostile inputs.
func FuzzDecode(f *testing.F) {
	seeds, err := filepath.Glob(filepath.Join("testdata", "seed", "*.json"))
	if err != nil || len(seeds) == 0 {
		f.Fatalf("no seeds in testdata/seed (%v)", err)
	}
	for _, p := range seeds {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	for _, s := range []string{
		`{"resourceType":"Patient","name":[{"given":["A",null]}]}`,
		`{"resourceType":"Bundle","entry":[{"resource":{"resourceType":"Bundle","entry":[{"resource":{"resourceType":"Flag"}}]}}]}`,
		`{"resourceType":"Observation","valueQuantity":{"value":1.50e+3},"valueInteger":-0}`,
		`{"resourceType":"Patient","gender":"male","gender":"male"}`,
		`{"resourceType":"QuestionnaireResponse","item":[{"linkId":"\ud800","item":[{"linkId":"x"}]}]}`,
		`[[[[[[[[[[]]]]]]]]]]`,
		`{"resourceType":"Patient","name":[{"given":["A",null],"_given":[null,{"extension":[{"url":"u","valueCode":"unknown"}]}]}]}`,
		`{"resourceType":"CarePlan","activity":[{"detail":{"scheduledTiming":{"event":[null],"_event":[{"id":"e"}],"repeat":{"period":1.50,"when":["MORN"]}}}}]}`,
		`{"resourceType":"RiskAssessment","prediction":[{"probabilityDecimal":0.62,"probabilityRange":{"low":{"value":0.1}}}]}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := fhir.Unmarshal(data)
		if err != nil {
			var fe *fhir.Error
			if !errors.As(err, &fe) {
				t.Fatalf("error %T (%v), want *fhir.Error", err, err)
			}
			return
		}
		out, err := fhir.Marshal(r)
		if err != nil {
			t.Fatalf("read but cannot write: %v", err)
		}
		if !sameJSON(t, data, out) {
			t.Fatalf("written back differs:\n%s\n%s", data, out)
		}
		r2, err := fhir.Unmarshal(out)
		if err != nil {
			t.Fatalf("cannot read its own output: %v\n%s", err, out)
		}
		out2, err := fhir.Marshal(r2)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(out, out2) {
			t.Fatalf("second write differs:\n%s\n%s", out, out2)
		}
	})
}

// sameJSON reports whether a and b are the same JSON value, numbers
// compared by value (an integer's -0 is written 0).
func sameJSON(t *testing.T, a, b []byte) bool {
	t.Helper()
	return equalJSON(generic(t, a), generic(t, b))
}

func equalJSON(a, b any) bool {
	switch a := a.(type) {
	case map[string]any:
		bm, ok := b.(map[string]any)
		if !ok || len(a) != len(bm) {
			return false
		}
		for k, v := range a {
			w, ok := bm[k]
			if !ok || !equalJSON(v, w) {
				return false
			}
		}
		return true
	case []any:
		bs, ok := b.([]any)
		if !ok || len(a) != len(bs) {
			return false
		}
		for i := range a {
			if !equalJSON(a[i], bs[i]) {
				return false
			}
		}
		return true
	case json.Number:
		bn, ok := b.(json.Number)
		if !ok {
			return false
		}
		if a == bn {
			return true
		}
		// Only integers are rewritten (-0 as 0); their text is short, so
		// float64 compares them exactly.
		x, errx := strconv.ParseFloat(string(a), 64)
		y, erry := strconv.ParseFloat(string(bn), 64)
		return errx == nil && erry == nil && x == y
	}
	return a == b
}

package resultjson_test

import (
	"bytes"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/tendo-health/tendo"
	"github.com/tendo-health/tendo/assess"
	"github.com/tendo-health/tendo/intake"
	"github.com/tendo-health/tendo/internal/resultjson"
	"github.com/tendo-health/tendo/internal/shared"
)

// sameJSON compares the bytes with encoding/json's (HTML escaping off),
// then decodes both documents and compares them.
func sameJSON(t *testing.T, name string, fast, std []byte) {
	t.Helper()
	var a, b any
	if err := json.Unmarshal(fast, &a); err != nil {
		t.Fatalf("%s: Append wrote invalid JSON: %v\n%s", name, err, fast)
	}
	if err := json.Unmarshal(std, &b); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(a, b) {
		t.Errorf("%s: Append and encoding/json differ:\n%s\n%s", name, fast, std)
	}
}

// TestAppendMatchesEncodingJSON checks the fast encoder against
// encoding/json on every shared case and on awkward hand-made values.
func TestAppendMatchesEncodingJSON(t *testing.T) {
	t.Parallel()
	eng, err := assess.New()
	if err != nil {
		t.Fatal(err)
	}
	files, _ := filepath.Glob(shared.Path(t, "cases", "*.json"))
	n := 0
	for _, f := range files {
		if strings.HasSuffix(f, "expected.json") {
			continue
		}
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		a, err := intake.Parse(data)
		if err != nil {
			t.Fatal(err)
		}
		res, err := eng.Assess(a)
		if err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		enc := json.NewEncoder(&buf)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(res); err != nil {
			t.Fatal(err)
		}
		std := bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
		if fast := resultjson.Append(nil, res); !bytes.Equal(fast, std) {
			t.Errorf("%s: bytes differ:\n%s\n%s", filepath.Base(f), fast, std)
		}
		sameJSON(t, filepath.Base(f), resultjson.Append(nil, res), std)
		n++
	}
	if n < 6 {
		t.Fatalf("compared %d cases", n)
	}
	site := "insertional"
	base := 12.5
	odd := &tendo.Result{
		ID:               "quote\" back\\slash <tag> & tab\t nl\n ctrl\x01 uni é \u2028 bad\xff",
		TendinopathySite: &site,
		Probabilities:    tendo.Probabilities{AchillesTendinopathy: 1e-7, S1Radiculopathy: 0.1 + 0.2, AchillesRupture: 3.691252020838084e-06, LumbarContribution: 1e21},
		RedFlags:         []tendo.RedFlag{{Code: "x", Urgency: tendo.Soon}},
		Explanation:      []tendo.Explanation{{Finding: "f", Effects: tendo.Effects{AchillesTendinopathy: tendo.Effect{LogOdds: -27.631, LikelihoodRatio: 1e-12}}}},
		NextTests:        []tendo.NextTest{},
		Plan: tendo.Plan{
			Phases:       []tendo.Phase{{ID: "load", Components: []tendo.PlanItem{{ID: "a", Dosage: "3 × 15"}}}, {ID: "empty", Components: []tendo.PlanItem{}}},
			Reassessment: tendo.Reassessment{Targets: []tendo.OutcomeTarget{{Measure: "VISA-A", Baseline: &base}}},
		},
		Notes:  []string{"one"},
		Scores: tendo.Scores{NPRS: &tendo.Score{Name: "NPRS", Value: 6, MCIDPercent: 30}},
	}
	std, err := json.Marshal(odd)
	if err != nil {
		t.Fatal(err)
	}
	sameJSON(t, "odd values", resultjson.Append(nil, odd), std)
	empty := &tendo.Result{}
	std, _ = json.Marshal(empty)
	sameJSON(t, "empty result", resultjson.Append(nil, empty), std)
	nan := &tendo.Result{Probabilities: tendo.Probabilities{AchillesRupture: math.NaN()}}
	if got := resultjson.Append(nil, nan); !strings.Contains(string(got), `"achillesRupture":null`) {
		t.Errorf("NaN written as %s", got)
	}
}

// TestFloatFormat checks the fast number path against encoding/json on
// values with up to four decimals and on others.
func TestFloatFormat(t *testing.T) {
	t.Parallel()
	vals := []float64{0, 1, -1, 0.5, 0.1235, -2.5301, 12345.0001, 1e10 + 0.5, 0.0001, -0.0001, 99999.9999,
		math.Round(0.30000000000000004*1e4) / 1e4, 0.1 + 0.2, 1e-7, 3.691252020838084e-06, 1e21, 123456789012.3456, 7.2e14}
	for i := -20000; i <= 20000; i += 7 {
		vals = append(vals, float64(i)/1e4, float64(i)/1e4*1000)
	}
	for _, v := range vals {
		res := &tendo.Result{Probabilities: tendo.Probabilities{AchillesRupture: v}}
		var buf bytes.Buffer
		enc := json.NewEncoder(&buf)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(res); err != nil {
			t.Fatal(err)
		}
		if got, want := string(resultjson.Append(nil, res)), strings.TrimSuffix(buf.String(), "\n"); got != want {
			t.Fatalf("%v: got\n%s\nwant\n%s", v, got, want)
		}
	}
}

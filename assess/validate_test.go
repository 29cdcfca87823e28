package assess_test

import (
	"os"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/tendo-health/tendo/assess"
	"github.com/tendo-health/tendo/internal/shared"
	"github.com/tendo-health/tendo/kb"
)

// TestReadVignettes reads the shared cases (six assessments and
// expected.json, which is not one) and the v1.1 cases, which this contract
// version does not parse: every file that fails is skipped and named.
func TestReadVignettes(t *testing.T) {
	t.Parallel()
	set, err := assess.ReadVignettes(os.DirFS(shared.Path(t, "cases")))
	if err != nil {
		t.Fatal(err)
	}
	if len(set.Assessments) != 6 || len(set.Names) != 6 || len(set.Skipped) != 1 || !strings.HasPrefix(set.Skipped[0], "expected.json (") {
		t.Errorf("%d assessments %v, skipped %v; want 6 and expected.json", len(set.Assessments), set.Names, set.Skipped)
	}
	v11, err := assess.ReadVignettes(os.DirFS(shared.Path(t, "cases-v11")))
	if err != nil {
		t.Fatal(err)
	}
	if len(v11.Assessments)+len(v11.Skipped) != 7 {
		t.Errorf("cases-v11: %d parsed, %d skipped; want 7 files in all", len(v11.Assessments), len(v11.Skipped))
	}
	// Nested directories count; other extensions do not.
	mem := fstest.MapFS{
		"a/one.json": {Data: mustRead(t, shared.Path(t, "cases", "s1-mimic.json"))},
		"b/bad.json": {Data: []byte(`{"schema": "tendo/assessment/v1", "patient": 3}`)},
		"README.md":  {Data: []byte("not a vignette")},
	}
	set, err = assess.ReadVignettes(mem)
	if err != nil {
		t.Fatal(err)
	}
	if len(set.Assessments) != 1 || set.Names[0] != "a/one.json" || len(set.Skipped) != 1 || !strings.HasPrefix(set.Skipped[0], "b/bad.json") {
		t.Errorf("names %v, skipped %v", set.Names, set.Skipped)
	}
}

func mustRead(tb testing.TB, path string) []byte {
	tb.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

// TestExtremeShare counts the extreme probabilities of the shared cases by
// hand from their results and compares.
func TestExtremeShare(t *testing.T) {
	t.Parallel()
	e := mustEngine(t)
	set, err := assess.ReadVignettes(os.DirFS(shared.Path(t, "cases")))
	if err != nil {
		t.Fatal(err)
	}
	var want assess.ExtremeCount
	for _, a := range set.Assessments {
		res, err := e.Assess(a)
		if err != nil {
			t.Fatal(err)
		}
		want.Assessed++
		if res.Classification == "urgent-referral" {
			want.Urgent++
			continue
		}
		p := res.Probabilities
		for k, x := range []float64{p.AchillesTendinopathy, p.S1Radiculopathy, p.LumbarContribution, p.AchillesRupture} {
			want.Probabilities++
			if x < 0.01 || x > 0.99 {
				want.Extreme++
				want.ByKey[k]++
			}
		}
	}
	got := e.ExtremeShare(set.Assessments, 0.01, 0.99)
	if got != want || want.Urgent == 0 || want.Probabilities == 0 {
		t.Errorf("ExtremeShare %+v, want %+v", got, want)
	}
	if s := got.Share(); s != float64(want.Extreme)/float64(want.Probabilities) {
		t.Errorf("share %v", s)
	}
	if (assess.ExtremeCount{}).Share() != 0 {
		t.Error("the share of nothing is not 0")
	}
}

// TestValidateVignettes: without a vignette set the extremes row is
// skipped, not passed; with one it is counted, and skipped files are named
// in the notes.
func TestValidateVignettes(t *testing.T) {
	t.Parallel()
	e := mustEngine(t)
	v, err := kb.LoadValidation(e.Model())
	if err != nil {
		t.Fatal(err)
	}
	last := func(r *kb.ValidationReport) kb.Figure { return r.Figures[len(r.Figures)-1] }
	r, err := e.Validate(v, nil)
	if err != nil {
		t.Fatal(err)
	}
	if f := last(r); f.Kind != "extremes" || f.Status != kb.StatusSkipped {
		t.Errorf("no set: %+v", f)
	}
	r, err = e.Validate(v, os.DirFS(shared.Path(t, "cases")))
	if err != nil {
		t.Fatal(err)
	}
	if f := last(r); f.Kind != "extremes" || (f.Status != kb.StatusOK && f.Status != kb.StatusFail && f.Status != kb.StatusNotMet) || len(f.Values) != 1 {
		t.Errorf("shared cases: %+v", f)
	}
	if notes := strings.Join(r.Notes, "\n"); !strings.Contains(notes, "1 file(s) skipped because they did not parse: expected.json") {
		t.Errorf("notes do not name the skipped file:\n%s", notes)
	}
}

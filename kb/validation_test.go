package kb_test

import (
	"bytes"
	"math"
	"strings"
	"testing"

	"github.com/tendo-health/tendo/bn"
	"github.com/tendo-health/tendo/bn/bif"
	"github.com/tendo-health/tendo/kb"
)

// TestValidationFileLoads checks the embedded validation.yaml against the
// embedded model and runs it: every figure is computed, and the accuracy
// rows are the model's own targets (which the model reproduces).
func TestValidationFileLoads(t *testing.T) {
	t.Parallel()
	m := mustModel(t)
	v, err := kb.LoadValidation(m)
	if err != nil {
		t.Fatal(err)
	}
	figs, err := v.Run()
	if err != nil {
		t.Fatal(err)
	}
	kinds := map[string]int{}
	for _, f := range figs {
		kinds[f.Kind]++
		if f.Status == kb.StatusSkipped {
			t.Errorf("%s: skipped", f.Check)
		}
		if f.Kind == "accuracy" && f.Status != kb.StatusOK {
			t.Errorf("%s: %s against %s", f.Check, f.Figure, f.Target)
		}
		for _, x := range f.Values {
			if math.IsNaN(x) || math.IsInf(x, 0) || x < 0 {
				t.Errorf("%s: value %v", f.Check, x)
			}
		}
	}
	if kinds["effect"] != len(v.Effects) || kinds["likelihoodRatio"] != len(v.LikelihoodRatios) || kinds["auc"] != len(v.AUC.Rows) || kinds["accuracy"] == 0 {
		t.Errorf("figures by kind: %v", kinds)
	}
	// Sampling is seeded: the same run gives the same table.
	again, err := v.Run()
	if err != nil {
		t.Fatal(err)
	}
	var a, b bytes.Buffer
	_ = (&kb.ValidationReport{Figures: figs}).WriteText(&a)
	_ = (&kb.ValidationReport{Figures: again}).WriteText(&b)
	if a.String() != b.String() {
		t.Errorf("two runs differ:\n%s\n%s", a.String(), b.String())
	}
}

// TestValidationProblems breaks a copy of the file in named ways and checks
// that the error names each problem.
func TestValidationProblems(t *testing.T) {
	t.Parallel()
	m := mustModel(t)
	src := string(kb.ValidationYAML())
	tests := []struct {
		name string
		edit func(string) string
		want string
	}{
		{"an unknown key", func(s string) string {
			return strings.Replace(s, "    measure: OR\n", "    measure: OR\n    meassure: RR\n", 1)
		}, "field meassure not found"},
		{"an unknown node", func(s string) string {
			return strings.Replace(s, "{node: diabetes, state:", "{node: diabetis, state:", 1)
		}, `effects[0], factor 1: node "diabetis" does not exist in the model (did you mean "diabetes"?)`},
		{"an unknown state", func(s string) string {
			return strings.Replace(s, "{node: achillesRupture, states: [present]}", "{node: achillesRupture, states: [yes]}", 1)
		}, `effects[2]: node "achillesRupture" has no state "yes" (its states: absent, present)`},
		{"an unknown finding in a set", func(s string) string {
			return strings.Replace(s, "history: [lowBackPain,", "history: [lowBackPian,", 1)
		}, `auc, set history: node "lowBackPian" does not exist`},
		{"an undefined set", func(s string) string {
			return strings.Replace(s, "sets: [history, examination]", "sets: [history, exam]", 1)
		}, `finding set "exam" is not defined`},
		{"an unknown source", func(s string) string {
			return strings.Replace(s, "source: ranger2016", "source: ranger2017", 1)
		}, `effects[0]: cites unknown source "ranger2017"`},
		{"an interval without its estimate", func(s string) string {
			return strings.Replace(s, "ci: [2.71, 4.97]", "ci: [3.71, 4.97]", 1)
		}, "must be positive and contain the estimate 3.67"},
		{"an unknown measure", func(s string) string {
			return strings.Replace(s, "measure: RR", "measure: HR", 1)
		}, `measure "HR" is not OR or RR`},
		{"a source also in the model", func(s string) string {
			return strings.Replace(s, "effects:\n", "sources:\n  - {key: lagas2020, kind: COH, cite: \"x\"}\n\neffects:\n", 1)
		}, `key "lagas2020" is also in model.yaml`},
		{"a target among its findings", func(s string) string {
			return strings.Replace(s, "target: {node: s1Radiculopathy, states: [present]}", "target: {node: sex, states: [male]}", 1)
		}, `the target "sex" is also a finding`},
		{"a wrong schema", func(s string) string {
			return strings.Replace(s, "tendo/validation/v1", "tendo/validation/v0", 1)
		}, "want tendo/validation/v1"},
		{"extremes out of order", func(s string) string {
			return strings.Replace(s, "low: 0.01", "low: 0.995", 1)
		}, "needs 0 < low < high < 1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			edited := tt.edit(src)
			if edited == src {
				t.Fatal("the edit did not apply")
			}
			_, err := kb.ParseValidation([]byte(edited), m)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %v, want it to contain %q", err, tt.want)
			}
		})
	}
}

// tiny is a hand-made network with known answers: age → drug, age and drug
// → outcome, and a second drug.
const tiny = `network tiny {}
variable old { type discrete [ 2 ] { no, yes }; }
variable drug { type discrete [ 2 ] { no, yes }; }
variable other { type discrete [ 2 ] { no, yes }; }
variable out { type discrete [ 3 ] { none, mild, severe }; }
probability ( old ) { table 0.5, 0.5; }
probability ( drug | old ) { (no) 0.8, 0.2; (yes) 0.4, 0.6; }
probability ( other ) { table 0.9, 0.1; }
probability ( out | old, drug, other ) {
  (no, no, no) 0.9, 0.05, 0.05;
  (yes, no, no) 0.8, 0.1, 0.1;
  (no, yes, no) 0.7, 0.2, 0.1;
  (yes, yes, no) 0.5, 0.3, 0.2;
  (no, no, yes) 0.6, 0.2, 0.2;
  (yes, no, yes) 0.6, 0.2, 0.2;
  (no, yes, yes) 0.2, 0.4, 0.4;
  (yes, yes, yes) 0.1, 0.45, 0.45; }`

func TestImpliedEffect(t *testing.T) {
	t.Parallel()
	net, err := bif.Read(strings.NewReader(tiny))
	if err != nil {
		t.Fatal(err)
	}
	jt, err := bn.Compile(net, bn.CompileOptions{})
	if err != nil {
		t.Fatal(err)
	}
	anyOut := kb.Ref{Node: "out", States: []string{"mild", "severe"}}
	drug := []kb.Factor{{Node: "drug", State: "yes"}}
	// P(old | drug): yes 0.3/0.4 = 0.75; no: 0.5·0.8 / (0.4+0.2) = 2/3 young.
	// P(out | drug=yes) = Σ_old P(old | drug) Σ_other P(other) P(out | …).
	pDrugYes := 0.25*(0.9*0.3+0.1*0.8) + 0.75*(0.9*0.5+0.1*0.9)
	pDrugNo := (2.0/3)*(0.9*0.1+0.1*0.4) + (1.0/3)*(0.9*0.2+0.1*0.4)
	odds := func(p float64) float64 { return p / (1 - p) }
	tests := []struct {
		name   string
		e      kb.Effect
		p1, p0 float64
		want   float64
	}{
		{"RR, confounded by age (no adjustment)", kb.Effect{Factors: drug, Outcome: anyOut, Measure: "RR"}, pDrugYes, pDrugNo, pDrugYes / pDrugNo},
		{"OR", kb.Effect{Factors: drug, Outcome: anyOut, Measure: "OR"}, pDrugYes, pDrugNo, odds(pDrugYes) / odds(pDrugNo)},
		{"OR given old (a stratum)", kb.Effect{Factors: drug, Outcome: anyOut, Measure: "OR", Given: []kb.Ref{{Node: "old", States: []string{"yes"}}}},
			0.9*0.5 + 0.1*0.9, 0.9*0.2 + 0.1*0.4, odds(0.54) / odds(0.22)},
		{"RR of one outcome state", kb.Effect{Factors: drug, Outcome: kb.Ref{Node: "out", States: []string{"severe"}}, Measure: "RR", Given: []kb.Ref{{Node: "old", States: []string{"no"}}}},
			0.9*0.1 + 0.1*0.4, 0.9*0.05 + 0.1*0.2, (0.9*0.1 + 0.1*0.4) / (0.9*0.05 + 0.1*0.2)},
		{"combination: both true against both false, given old", kb.Effect{Factors: []kb.Factor{{Node: "drug", State: "yes"}, {Node: "other", State: "yes"}}, Outcome: anyOut, Measure: "RR", Given: []kb.Ref{{Node: "old", States: []string{"yes"}}}},
			0.9, 0.2, 4.5},
		{"explicit against", kb.Effect{Factors: []kb.Factor{{Node: "other", State: "yes", Against: []string{"no"}}}, Outcome: anyOut, Measure: "RR", Given: []kb.Ref{{Node: "old", States: []string{"no"}}, {Node: "drug", States: []string{"no"}}}},
			0.4, 0.1, 4},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p1, p0, got, err := kb.ImpliedEffect(jt, tt.e)
			if err != nil {
				t.Fatal(err)
			}
			if math.Abs(p1-tt.p1) > 1e-12 || math.Abs(p0-tt.p0) > 1e-12 || math.Abs(got-tt.want) > 1e-9 {
				t.Errorf("p1 %v, p0 %v, %s %v; want %v, %v, %v", p1, p0, tt.e.Measure, got, tt.p1, tt.p0, tt.want)
			}
		})
	}
}

func TestOddsAndRiskRatio(t *testing.T) {
	t.Parallel()
	tests := []struct {
		p1, p0, or, rr float64
	}{
		{0.5, 0.5, 1, 1},
		{0.3, 0.1, (0.3 / 0.7) / (0.1 / 0.9), 3},
		{0.1, 0.3, (0.1 / 0.9) / (0.3 / 0.7), 1.0 / 3},
		{0.02, 0.01, (0.02 / 0.98) / (0.01 / 0.99), 2},
		{0.5, 0, math.Inf(1), math.Inf(1)},
	}
	for _, tt := range tests {
		if got := kb.OddsRatio(tt.p1, tt.p0); !(math.Abs(got-tt.or) < 1e-12 || got == tt.or) {
			t.Errorf("OddsRatio(%v, %v) = %v, want %v", tt.p1, tt.p0, got, tt.or)
		}
		if got := kb.RiskRatio(tt.p1, tt.p0); !(math.Abs(got-tt.rr) < 1e-12 || got == tt.rr) {
			t.Errorf("RiskRatio(%v, %v) = %v, want %v", tt.p1, tt.p0, got, tt.rr)
		}
	}
}

func TestImpliedLikelihoodRatio(t *testing.T) {
	t.Parallel()
	// Two conditionally independent tests: the combined LR+ is the product
	// of sens/(1−spec).
	net, err := bif.Read(strings.NewReader(`network lr {}
variable d { type discrete [ 2 ] { absent, present }; }
variable a { type discrete [ 2 ] { negative, positive }; }
variable b { type discrete [ 3 ] { none, some, marked }; }
probability ( d ) { table 0.8, 0.2; }
probability ( a | d ) { (absent) 0.9, 0.1; (present) 0.4, 0.6; }
probability ( b | d ) { (absent) 0.7, 0.2, 0.1; (present) 0.2, 0.3, 0.5; }`))
	if err != nil {
		t.Fatal(err)
	}
	jt, err := bn.Compile(net, bn.CompileOptions{})
	if err != nil {
		t.Fatal(err)
	}
	got, err := kb.ImpliedLikelihoodRatio(jt, kb.LikelihoodRatio{
		Findings:  []kb.Ref{{Node: "a", States: []string{"positive"}}, {Node: "b", States: []string{"some", "marked"}}},
		Condition: kb.Ref{Node: "d", States: []string{"present"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	if want := (0.6 / 0.1) * (0.8 / 0.3); math.Abs(got-want) > 1e-9 {
		t.Errorf("LR+ %v, want %v", got, want)
	}
}

func TestAUC(t *testing.T) {
	t.Parallel()
	// Hanley & McNeil 1982 (Radiology 143:29–36), table 1: ratings 1–5 of
	// 58 normal and 51 abnormal images; AUC 0.893.
	var hmScores []float64
	var hmTruth []bool
	for r, n := range []int{33, 6, 6, 11, 2} {
		for range n {
			hmScores, hmTruth = append(hmScores, float64(r+1)), append(hmTruth, false)
		}
	}
	for r, n := range []int{3, 2, 2, 11, 33} {
		for range n {
			hmScores, hmTruth = append(hmScores, float64(r+1)), append(hmTruth, true)
		}
	}
	tests := []struct {
		name   string
		scores []float64
		truth  []bool
		want   float64
	}{
		{"perfect separation", []float64{0.1, 0.2, 0.8, 0.9}, []bool{false, false, true, true}, 1},
		{"perfectly wrong", []float64{0.9, 0.8, 0.2, 0.1}, []bool{false, false, true, true}, 0},
		{"identical scores", []float64{0.5, 0.5, 0.5, 0.5, 0.5}, []bool{true, false, true, false, false}, 0.5},
		{"one tie across classes", []float64{0.9, 0.8, 0.6, 0.7, 0.5, 0.4, 0.6}, []bool{true, true, true, false, false, false, false}, 10.5 / 12},
		{"Hanley and McNeil 1982", hmScores, hmTruth, 0.8931710615280595},
	}
	for _, tt := range tests {
		got, err := kb.AUC(tt.scores, tt.truth)
		if err != nil || math.Abs(got-tt.want) > 1e-12 {
			t.Errorf("%s: AUC %v (%v), want %v", tt.name, got, err, tt.want)
		}
	}
	if _, err := kb.AUC([]float64{1, 2}, []bool{true, true}); err == nil {
		t.Error("AUC with no negative case: no error")
	}
}

// TestSampleAUC samples a one-test network, where the AUC of the posterior
// given the test is (sens + spec)/2, and checks it within sampling error;
// with no findings every posterior ties and the AUC is 0.5.
func TestSampleAUC(t *testing.T) {
	t.Parallel()
	net, err := bif.Read(strings.NewReader(`network one {}
variable d { type discrete [ 2 ] { absent, present }; }
variable t { type discrete [ 2 ] { negative, positive }; }
variable u { type discrete [ 2 ] { no, yes }; }
probability ( d ) { table 0.7, 0.3; }
probability ( t | d ) { (absent) 0.85, 0.15; (present) 0.2, 0.8; }
probability ( u ) { table 0.5, 0.5; }`))
	if err != nil {
		t.Fatal(err)
	}
	jt, err := bn.Compile(net, bn.CompileOptions{})
	if err != nil {
		t.Fatal(err)
	}
	patients := kb.SamplePatients(net, 20000, 1)
	d := kb.Ref{Node: "d", States: []string{"present"}}
	got, err := kb.SampleAUC(jt, patients, d, []string{"t", "u"})
	if err != nil {
		t.Fatal(err)
	}
	// SE of the AUC here is about 0.004.
	if want := (0.8 + 0.85) / 2; math.Abs(got-want) > 0.02 {
		t.Errorf("AUC %v, want about %v", got, want)
	}
	again, _ := kb.SampleAUC(jt, kb.SamplePatients(net, 20000, 1), d, []string{"t", "u"})
	if again != got {
		t.Errorf("the same seed gave AUC %v, then %v", got, again)
	}
	if none, err := kb.SampleAUC(jt, patients, d, nil); err != nil || none != 0.5 {
		t.Errorf("no findings: AUC %v (%v), want 0.5", none, err)
	}
}

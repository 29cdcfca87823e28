package assess_test

import (
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/tendo-health/tendo"
	"github.com/tendo-health/tendo/intake"
	"github.com/tendo-health/tendo/internal/shared"
)

// merge sets each dotted path of set in the document (objects created as
// needed).
func merge(tb testing.TB, doc map[string]any, set map[string]any) {
	tb.Helper()
	for path, v := range set {
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
}

// TestRedFlagsGovernPlan adds each red flag's trigger to a runner with
// midportion tendinopathy (whose plan loads the tendon) and checks that
// the flag fires, that the plan lint finds no contradiction, and that the
// elements the flag contradicts are gone: no loading, stretching or
// running with a suspected rupture, fracture, infection, DVT, ischaemia or
// cauda equina syndrome; no heavy loading with the fluoroquinolone flag.
func TestRedFlagsGovernPlan(t *testing.T) {
	t.Parallel()
	e := mustEngine(t)
	base, err := os.ReadFile(shared.Path(t, "cases", "runner-midportion.json"))
	if err != nil {
		t.Fatal(err)
	}
	loading := []string{"loading-midportion", "loading-insertional", "loading-conservative", "stretching", "stretching-insertional",
		"calf-strength", "load-management", "return-running", "maintenance-loading", "gait-retraining", "heel-lift", "pain-monitoring"}
	tests := []struct {
		name    string
		flag    string
		set     map[string]any
		without []string
		with    []string
	}{
		{"complete rupture", "suspected-achilles-rupture", map[string]any{"exam.calfSqueezeTest": "abnormal"}, loading, []string{"urgent-referral", "protect-rupture"}},
		{"partial tear", "suspected-achilles-rupture", map[string]any{"history.onsetDuringLoading": true, "exam.heelRaiseReps": map[string]any{"affected": 3, "unaffected": 18}}, loading, []string{"urgent-referral", "protect-rupture"}},
		{"tear on ultrasound", "suspected-achilles-rupture", map[string]any{"imaging.ultrasound.tear": "partial"}, loading, []string{"protect-rupture"}},
		{"stress fracture", "calcaneal-stress-fracture", map[string]any{"exam.heelSqueezePain": true, "history.trainingLoadIncrease": true}, loading, []string{"urgent-referral", "protect-fracture"}},
		{"insufficiency fracture", "calcaneal-stress-fracture", map[string]any{"exam.heelSqueezePain": true, "history.systemicCorticosteroids": true, "history.longTermCorticosteroids": true}, loading, []string{"protect-fracture"}},
		{"infection", "suspected-infection", map[string]any{"exam.posteriorHeelRedness": true, "history.fever": true}, loading, []string{"urgent-referral", "protect-infection"}},
		{"dvt", "suspected-dvt", map[string]any{"exam.calfSwellingWarmthOrRedness": true, "exam.pittingEdema": true}, loading, []string{"urgent-referral", "protect-dvt"}},
		{"critical ischaemia", "critical-limb-ischaemia", map[string]any{"history.ischaemicRestPain": true, "exam.abpi": 0.6}, loading, []string{"urgent-referral", "protect-ischaemia"}},
		{"cauda equina", "cauda-equina-syndrome", map[string]any{"history.saddleAnesthesia": true}, append(append([]string{}, loading...), "non-response", "imaging-spine", "education"), []string{"urgent-referral"}},
		{"spinal pathology", "serious-spinal-pathology", map[string]any{"history.lowBackPain": true, "history.historyOfCancer": true}, []string{"non-response", "imaging-spine", "loading-midportion"}, []string{"urgent-referral"}},
		{"foot drop", "progressive-neurological-deficit", map[string]any{"history.progressiveWeakness": true}, []string{"non-response", "loading-midportion"}, []string{"urgent-referral"}},
		{"fluoroquinolone", "fluoroquinolone-tendon-risk", map[string]any{"history.fluoroquinoloneLast6Months": true}, []string{"loading-midportion", "calf-strength"}, []string{"loading-conservative", "medication-review"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var doc map[string]any
			if err := json.Unmarshal(base, &doc); err != nil {
				t.Fatal(err)
			}
			merge(t, doc, tt.set)
			data, _ := json.Marshal(doc)
			a, err := intake.Parse(data)
			if err != nil {
				t.Fatal(err)
			}
			res, err := e.Assess(a)
			if err != nil {
				t.Fatal(err)
			}
			fired := false
			for _, f := range res.RedFlags {
				fired = fired || f.Code == tt.flag
			}
			if !fired {
				t.Fatalf("%s did not fire: %v", tt.flag, res.RedFlags)
			}
			if problems := e.Lint(res); len(problems) > 0 {
				t.Errorf("plan lint: %v", problems)
			}
			has := planIDs(res)
			for _, id := range tt.without {
				if has[id] {
					t.Errorf("the plan keeps %s", id)
				}
			}
			for _, id := range tt.with {
				if !has[id] {
					t.Errorf("the plan lacks %s", id)
				}
			}
		})
	}
}

// TestLintCatchesContradictions checks that the lint is not vacuous: each
// contradiction planted in a consistent plan is reported.
func TestLintCatchesContradictions(t *testing.T) {
	t.Parallel()
	e := mustEngine(t)
	runner, err := e.Assess(loadCase(t, "runner-midportion"))
	if err != nil {
		t.Fatal(err)
	}
	if p := e.Lint(runner); len(p) > 0 {
		t.Fatalf("the runner's plan: %v", p)
	}
	mimic, err := e.Assess(loadCase(t, "s1-mimic"))
	if err != nil {
		t.Fatal(err)
	}
	item := func(res *tendo.Result, id string) tendo.PlanItem {
		for _, it := range res.Plan.Referral {
			if it.ID == id {
				return it
			}
		}
		for _, ph := range res.Plan.Phases {
			for _, it := range ph.Components {
				if it.ID == id {
					return it
				}
			}
		}
		t.Fatalf("no %s", id)
		return tendo.PlanItem{}
	}
	tests := []struct {
		name  string
		plant func(r *tendo.Result)
		want  string
	}{
		{"loading beside a rupture", func(r *tendo.Result) {
			r.RedFlags = append(r.RedFlags, tendo.RedFlag{Code: "suspected-achilles-rupture", Urgency: tendo.Urgent})
		}, "contradicts a suspected rupture"},
		{"no routine imaging beside an urgent flag", func(r *tendo.Result) {
			r.RedFlags = append(r.RedFlags, tendo.RedFlag{Code: "serious-spinal-pathology", Urgency: tendo.Urgent})
			r.Plan.Referral = append(r.Plan.Referral, item(mimic, "imaging-spine"))
		}, "no routine imaging"},
		{"neural mobilisation without a lumbar source", func(r *tendo.Result) {
			r.Plan.Phases[1].Components = append(r.Plan.Phases[1].Components, item(mimic, "neural-mobilisation"))
		}, "neural mobilisation"},
		{"keep running and return to running", func(r *tendo.Result) {
			r.Plan.Phases[3].Components = append(r.Plan.Phases[3].Components, tendo.PlanItem{ID: "return-running"})
		}, "return to running"},
		{"continue loading without loading", func(r *tendo.Result) {
			r.Plan.Phases[1].Components = nil
			r.Plan.Phases[2].Components = nil
		}, "continue loading"},
		{"heavy loading with the fluoroquinolone flag", func(r *tendo.Result) {
			r.RedFlags = append(r.RedFlags, tendo.RedFlag{Code: "fluoroquinolone-tendon-risk", Urgency: tendo.Soon})
		}, "heavy loading"},
		{"a lumbar source without safety-netting", func(r *tendo.Result) {
			r.Probabilities.LumbarContribution = 0.5
		}, "safety-netting"},
		{"other-cause without a next step", func(r *tendo.Result) {
			r.Classification = tendo.OtherCause
			r.Differential = []tendo.DifferentialEntry{{Code: "tarsal-tunnel", Probability: 0.7}}
		}, "next step"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := e.Assess(loadCase(t, "runner-midportion"))
			if err != nil {
				t.Fatal(err)
			}
			tt.plant(r)
			found := false
			for _, p := range e.Lint(r) {
				found = found || strings.Contains(p, tt.want)
			}
			if !found {
				t.Errorf("lint missed it: %v", e.Lint(r))
			}
		})
	}
}

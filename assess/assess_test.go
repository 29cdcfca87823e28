package assess_test

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/tendo-health/tendo"
	"github.com/tendo-health/tendo/assess"
	"github.com/tendo-health/tendo/intake"
	"github.com/tendo-health/tendo/internal/shared"
)

var (
	engineOnce sync.Once
	engine     *assess.Engine
	engineErr  error
)

func mustEngine(tb testing.TB) *assess.Engine {
	tb.Helper()
	engineOnce.Do(func() { engine, engineErr = assess.New() })
	if engineErr != nil {
		tb.Fatal(engineErr)
	}
	return engine
}

func loadCase(tb testing.TB, name string) *tendo.Assessment {
	tb.Helper()
	data, err := os.ReadFile(shared.Path(tb, "cases", name+".json"))
	if err != nil {
		tb.Fatal(err)
	}
	a, err := intake.Parse(data)
	if err != nil {
		tb.Fatalf("%s: %v", name, err)
	}
	return a
}

// TestSharedCases checks every case in ../shared/cases against
// expected.json: classification, site, red-flag codes (extra ones only
// where allowed) and exact scores.
func TestSharedCases(t *testing.T) {
	t.Parallel()
	e := mustEngine(t)
	data, err := os.ReadFile(shared.Path(t, "cases", "expected.json"))
	if err != nil {
		t.Fatal(err)
	}
	var expected map[string]json.RawMessage
	if err := json.Unmarshal(data, &expected); err != nil {
		t.Fatal(err)
	}
	files, err := filepath.Glob(shared.Path(t, "cases", "*.json"))
	if err != nil {
		t.Fatal(err)
	}
	checked := 0
	for _, f := range files {
		name := strings.TrimSuffix(filepath.Base(f), ".json")
		if name == "expected" {
			continue
		}
		raw, ok := expected[name]
		if !ok {
			t.Errorf("%s: no entry in expected.json", name)
			continue
		}
		var want struct {
			Classification       string             `json:"classification"`
			TendinopathySite     *string            `json:"tendinopathySite"`
			RedFlags             []string           `json:"redFlags"`
			AllowedExtraRedFlags []string           `json:"allowedExtraRedFlags"`
			Scores               map[string]float64 `json:"scores"`
		}
		if err := json.Unmarshal(raw, &want); err != nil {
			t.Fatal(err)
		}
		checked++
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			res, err := e.Assess(loadCase(t, name))
			if err != nil {
				t.Fatal(err)
			}
			if string(res.Classification) != want.Classification {
				t.Errorf("classification %s, want %s (%s)", res.Classification, want.Classification, res.ClassificationReason)
			}
			if want.TendinopathySite != nil {
				if res.TendinopathySite == nil || *res.TendinopathySite != *want.TendinopathySite {
					t.Errorf("site %v, want %s", res.TendinopathySite, *want.TendinopathySite)
				}
			}
			got := map[string]bool{}
			for _, f := range res.RedFlags {
				got[f.Code] = true
			}
			for _, code := range want.RedFlags {
				if !got[code] {
					t.Errorf("red flag %s missing (got %v)", code, res.RedFlags)
				}
				delete(got, code)
			}
			for _, code := range want.AllowedExtraRedFlags {
				delete(got, code)
			}
			for code := range got {
				t.Errorf("unexpected red flag %s", code)
			}
			for measure, v := range want.Scores {
				var s *tendo.Score
				switch measure {
				case "visaA":
					s = res.Scores.VISAA
				case "odi":
					s = res.Scores.ODI
				case "nprs":
					s = res.Scores.NPRS
				case "lefs":
					s = res.Scores.LEFS
				}
				if s == nil || s.Rounded != v {
					t.Errorf("score %s = %v, want %v", measure, s, v)
				}
			}
			if res.ModelVersion == "" || !strings.Contains(res.Disclaimer, "supports clinical judgement") {
				t.Errorf("model version %q / disclaimer %q", res.ModelVersion, res.Disclaimer)
			}
		})
	}
	if checked < 6 {
		t.Fatalf("checked %d cases, want at least 6", checked)
	}
}

// TestDirections changes one finding of a case and checks that the
// probabilities move the way the evidence says.
func TestDirections(t *testing.T) {
	t.Parallel()
	e := mustEngine(t)
	pos, neg := tendo.Positive, tendo.Negative
	normal, abnormal := tendo.SqueezeNormal, tendo.SqueezeAbnormal
	absent := tendo.ReflexAbsent
	tru, fls := true, false
	tests := []struct {
		name   string
		base   string
		change func(a *tendo.Assessment)
		prob   func(p tendo.Probabilities) float64
		up     bool
	}{
		{"a positive slump raises S1 radiculopathy", "runner-midportion", func(a *tendo.Assessment) { a.Exam.Slump = &pos }, s1, true},
		{"a negative slump lowers S1 radiculopathy", "mixed-kinetic-chain", func(a *tendo.Assessment) { a.Exam.Slump = &neg }, s1, false},
		{"a positive Royal London test raises tendinopathy", "s1-mimic", func(a *tendo.Assessment) { a.Exam.RoyalLondonTest = &pos }, at, true},
		{"a negative Royal London test lowers tendinopathy", "runner-midportion", func(a *tendo.Assessment) { a.Exam.RoyalLondonTest = &neg }, at, false},
		{"a normal calf squeeze test lowers rupture", "rupture-after-ciprofloxacin", func(a *tendo.Assessment) { a.Exam.CalfSqueezeTest = &normal }, rupt, false},
		{"an abnormal calf squeeze test raises rupture", "runner-midportion", func(a *tendo.Assessment) { a.Exam.CalfSqueezeTest = &abnormal }, rupt, true},
		{"a positive straight leg raise raises a lumbar contribution", "insertional-older", func(a *tendo.Assessment) { a.Exam.StraightLegRaise = &pos }, lc, true},
		{"an absent ankle reflex raises S1 radiculopathy", "runner-midportion", func(a *tendo.Assessment) { a.Exam.AnkleReflex = &absent }, s1, true},
		{"low back pain raises a lumbar contribution", "runner-midportion", func(a *tendo.Assessment) { a.History.LowBackPain = &tru }, lc, true},
		{"no morning stiffness lowers tendinopathy", "insertional-older", func(a *tendo.Assessment) { a.History.MorningStiffness = &fls }, at, false},
		{"a fluoroquinolone raises rupture", "runner-midportion", func(a *tendo.Assessment) { a.History.FluoroquinoloneLast6Months = &tru }, rupt, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			a := loadCase(t, tt.base)
			before, err := e.Assess(a)
			if err != nil {
				t.Fatal(err)
			}
			tt.change(a)
			after, err := e.Assess(a)
			if err != nil {
				t.Fatal(err)
			}
			b, c := tt.prob(before.Probabilities), tt.prob(after.Probabilities)
			if tt.up && !(c > b) || !tt.up && !(c < b) {
				t.Errorf("probability went from %.6g to %.6g", b, c)
			}
		})
	}
}

func s1(p tendo.Probabilities) float64   { return p.S1Radiculopathy }
func at(p tendo.Probabilities) float64   { return p.AchillesTendinopathy }
func lc(p tendo.Probabilities) float64   { return p.LumbarContribution }
func rupt(p tendo.Probabilities) float64 { return p.AchillesRupture }

// TestEveryOutputKey checks the output contract: every required key is
// present, probabilities are in [0, 1], the explanation covers every
// observed mapped finding, and the next tests are unobserved.
func TestEveryOutputKey(t *testing.T) {
	t.Parallel()
	e := mustEngine(t)
	res, err := e.Assess(loadCase(t, "mixed-kinetic-chain"))
	if err != nil {
		t.Fatal(err)
	}
	data, err := json.Marshal(res)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"id", "modelVersion", "classification", "tendinopathySite", "probabilities", "redFlags", "scores", "explanation", "nextTests", "plan"} {
		if _, ok := m[k]; !ok {
			t.Errorf("output lacks %q", k)
		}
	}
	probs := m["probabilities"].(map[string]any)
	for _, k := range []string{"achillesTendinopathy", "s1Radiculopathy", "lumbarContribution", "achillesRupture"} {
		p, ok := probs[k].(float64)
		if !ok || p < 0 || p > 1 || math.IsNaN(p) {
			t.Errorf("probabilities.%s = %v", k, probs[k])
		}
	}
	if len(res.Explanation) < 20 {
		t.Errorf("only %d findings explained", len(res.Explanation))
	}
	seen := map[string]bool{}
	for _, x := range res.Explanation {
		seen[x.Finding] = true
	}
	for _, f := range []string{"exam.slump", "exam.arcSign", "history.lowBackPain", "exam.heelRaiseReps", "exam.royalLondonTest"} {
		if !seen[f] {
			t.Errorf("explanation lacks %s", f)
		}
	}
	phases := []string{}
	for _, ph := range res.Plan.Phases {
		phases = append(phases, ph.ID)
	}
	if strings.Join(phases, ",") != "settle,load,strengthen,return" {
		t.Errorf("phases %v", phases)
	}
	ids := planIDs(res)
	for _, want := range []string{"loading-midportion", "neural-mobilisation", "core-hip", "gait-retraining", "pain-back"} {
		if !ids[want] {
			t.Errorf("mixed plan lacks %s (has %v)", want, keys(ids))
		}
	}
}

func planIDs(res *tendo.Result) map[string]bool {
	ids := map[string]bool{}
	for _, ph := range res.Plan.Phases {
		for _, c := range ph.Components {
			ids[c.ID] = true
		}
	}
	for _, c := range res.Plan.Referral {
		ids[c.ID] = true
	}
	return ids
}

func keys(m map[string]bool) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// TestPlanRules checks plan choices the issue names: no loading while a
// rupture is suspected; insertional loading without dorsiflexion past
// neutral; stretching only with reduced dorsiflexion; a medication review
// with a fluoroquinolone.
func TestPlanRules(t *testing.T) {
	t.Parallel()
	e := mustEngine(t)
	tests := []struct {
		name   string
		cas    string
		has    []string
		hasNot []string
	}{
		{"rupture: protect, no loading", "rupture-after-ciprofloxacin", []string{"protect-rupture", "urgent-referral", "medication-review"}, []string{"loading-midportion", "loading-insertional", "stretching", "heel-lift"}},
		{"insertional: floor-level loading", "insertional-older", []string{"loading-insertional", "stretching-insertional"}, []string{"loading-midportion", "stretching"}},
		{"runner: midportion loading, keep running within the pain rules", "runner-midportion", []string{"loading-midportion", "stretching", "load-management", "pain-monitoring", "maintenance-loading"}, []string{"neural-mobilisation", "core-hip", "return-running"}},
		{"mimic: treat the back, not the tendon; safety-net", "s1-mimic", []string{"neural-mobilisation", "pain-back", "core-hip", "imaging-spine", "ces-safety-net"}, []string{"loading-midportion", "loading-insertional", "heel-lift", "maintenance-loading"}},
		{"cauda equina: refer first", "cauda-equina", []string{"urgent-referral"}, []string{"loading-midportion", "neural-mobilisation", "education"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			res, err := e.Assess(loadCase(t, tt.cas))
			if err != nil {
				t.Fatal(err)
			}
			ids := planIDs(res)
			for _, id := range tt.has {
				if !ids[id] {
					t.Errorf("plan lacks %s (has %v)", id, keys(ids))
				}
			}
			for _, id := range tt.hasNot {
				if ids[id] {
					t.Errorf("plan has %s", id)
				}
			}
			for _, ph := range res.Plan.Phases {
				for _, c := range ph.Components {
					if c.Rationale == "" || c.Source == "" || c.Dosage == "" {
						t.Errorf("%s lacks a dosage, rationale or source", c.ID)
					}
				}
			}
		})
	}
}

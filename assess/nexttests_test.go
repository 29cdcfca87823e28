package assess_test

import (
	"strings"
	"testing"

	"github.com/tendo-health/tendo/intake"
)

// TestNextTestsServeTheDecision checks the rules of the next tests: with
// no examination recorded the examination (gait observation included)
// comes first; tests that load
// the tendon are never suggested when a rupture is suspected; v1.1 paths
// may be named; each test says how likely it is to change the decision.
func TestNextTestsServeTheDecision(t *testing.T) {
	t.Parallel()
	e := mustEngine(t)
	tests := []struct {
		name  string
		doc   string
		check func(t *testing.T, first string, all []string)
	}{
		{"history only: examine first", `{"schema":"tendo/assessment/v1","side":"left","patient":{"ageYears":41},
			"history":{"onset":"gradual","painSite":"midportion","painWithLoading":true,"morningStiffness":true}}`,
			func(t *testing.T, first string, all []string) {
				if !strings.HasPrefix(first, "exam.") && !strings.HasPrefix(first, "gait.") {
					t.Errorf("first next test %s, want an examination finding (all: %v)", first, all)
				}
			}},
		{"suspected rupture: no heel raises", `{"schema":"tendo/assessment/v1","side":"right","patient":{"ageYears":44},
			"history":{"onset":"sudden","popOrKickSensation":true,"painSite":"midportion"},"exam":{"tenderness":"midportion"}}`,
			func(t *testing.T, first string, all []string) {
				for _, f := range all {
					if f == "exam.heelRaiseReps" || f == "exam.heelRaisePain" {
						t.Errorf("suggests %s with a rupture possible (all: %v)", f, all)
					}
				}
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			a, err := intake.Parse([]byte(tt.doc))
			if err != nil {
				t.Fatal(err)
			}
			res, err := e.Assess(a)
			if err != nil {
				t.Fatal(err)
			}
			if len(res.NextTests) == 0 {
				t.Fatal("no next tests")
			}
			var all []string
			for _, nt := range res.NextTests {
				all = append(all, nt.Finding)
				if nt.DecisionChange < 0 || nt.DecisionChange > 1 {
					t.Errorf("%s: decisionChange %v", nt.Finding, nt.DecisionChange)
				}
			}
			tt.check(t, all[0], all)
		})
	}
}

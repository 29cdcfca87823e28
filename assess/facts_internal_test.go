package assess

import (
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/tendo-health/tendo"
)

// TestReassessmentTargetsFromFacts checks that the plan's outcome targets
// follow the table of facts (tendo.Facts), like the scores and the
// chart's MCID bands: for every baseline on every scale the target
// written is the table's target (clamped to the scale; ODI to one
// decimal; NPRS to a whole point it must reach), and the MCID and the
// citation are the table's.
func TestReassessmentTargetsFromFacts(t *testing.T) {
	t.Parallel()
	e, err := New()
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range tendo.AllFacts() {
		step := 1.0
		if f.Measure == tendo.MeasureODI {
			step = 100.0 / 45 // one point of nine answered sections
		}
		for n := 0; float64(n)*step <= f.Max+1e-9; n++ {
			v := float64(n) * step
			base := tendo.Score{Measure: f.Measure, Name: f.Name, Value: v, Rounded: math.Round(v*10) / 10, Max: f.Max}
			res := &tendo.Result{Classification: tendo.Mixed}
			res.Probabilities.AchillesTendinopathy, res.Probabilities.LumbarContribution = 0.9, 0.9
			switch f.Measure {
			case tendo.MeasureVISAA:
				res.Scores.VISAA = &base
			case tendo.MeasureODI:
				res.Scores.ODI = &base
			case tendo.MeasureNPRS:
				res.Scores.NPRS = &base
			case tendo.MeasureLEFS:
				res.Scores.LEFS = &base
			}
			var target *tendo.OutcomeTarget
			targets := e.reassessment(res).Targets
			for i := range targets {
				if targets[i].Measure == f.Name {
					target = &targets[i]
				}
			}
			if target == nil {
				t.Fatalf("%s %v: no target", f.Measure, v)
			}
			var got float64
			if _, err := fmt.Sscanf(target.Target, "%g", &got); err != nil {
				t.Fatalf("%s %v: target %q: %v", f.Measure, v, target.Target, err)
			}
			want, _ := f.Target(v)
			switch f.Measure {
			case tendo.MeasureODI:
				want = math.Round(want*10) / 10
			case tendo.MeasureNPRS:
				want = math.Floor(want + 1e-9)
			}
			if f.Higher == tendo.HigherBetter {
				want = math.Min(want, f.Max)
			}
			if got != want {
				t.Errorf("%s %v: target %q, the table gives %v", f.Measure, v, target.Target, want)
			}
			mcid := fmt.Sprintf("%g", f.MCID)
			if !strings.Contains(target.Target, mcid) || target.Source != e.cites[f.MCIDCite] || target.Source == "" {
				t.Errorf("%s %v: target %q [%s] does not state the table's MCID %s or cite %s", f.Measure, v, target.Target, target.Source, mcid, f.MCIDCite)
			}
		}
	}
}

package gait_test

import (
	"math"
	"testing"

	"github.com/tendo-health/tendo/gait"
)

// TestSpatiotemporalSubject01 checks the timing of OpenSim's subject01 walk
// against the figures stated in tendo issue 9 (item 4): cadence 97 ± 1
// steps/min and stance-time asymmetry 2.6 ± 0.5 %. They were written here
// before the test was first run; they are the figures, not ours.
func TestSpatiotemporalSubject01(t *testing.T) {
	t.Parallel()
	const (
		wantCadence, cadenceTol     = 97.0, 1.0 // steps/min; source: issue 9
		wantAsymmetry, asymmetryTol = 2.6, 0.5  // %; source: issue 9
	)
	s := mustSubject01(t)
	th, hy := gait.DefaultContactThreshold, gait.DefaultContactHysteresis
	right := gait.ContactEvents(s.right, s.rate, th, hy)
	left := gait.ContactEvents(s.left, s.rate, th, hy)
	tm := gait.Spatiotemporal(right, left, s.rate)
	for _, side := range []struct {
		name string
		s    gait.Side
	}{{"right", tm.Right}, {"left", tm.Left}} {
		t.Logf("%s: stance %.4f s %v, swing %.4f s %v, stride %.4f s %v, stance %.1f %% of stride %v",
			side.name, side.s.StanceTime, side.s.Stance, side.s.SwingTime, side.s.Swing,
			side.s.StrideTime, side.s.Stride, side.s.StancePct, side.s.StancePercent)
	}
	t.Logf("steps %v s, mean %.4f s, cadence %.2f steps/min", tm.Steps, tm.StepTime, tm.Cadence)
	t.Logf("stance-time asymmetry (Robinson SI) %.2f %%", tm.StanceAsymmetry)
	// Alternative definitions, for the report: cadence from strides
	// (2 steps per stride) and from the steps between complete contacts only.
	strides := append(append([]float64(nil), tm.Right.Stride...), tm.Left.Stride...)
	t.Logf("cadence from mean stride (120 / stride): %.2f steps/min", 120/meanOf(strides))
	completeOnly := func(cs []gait.Contact) []gait.Contact {
		var out []gait.Contact
		for _, c := range cs {
			if c.Complete() {
				out = append(out, c)
			}
		}
		return out
	}
	strict := gait.Spatiotemporal(completeOnly(right), completeOnly(left), s.rate)
	t.Logf("complete contacts only: steps %v s, cadence %.2f steps/min", strict.Steps, strict.Cadence)

	if math.Abs(tm.Cadence-wantCadence) > cadenceTol {
		t.Errorf("cadence %.2f steps/min, issue 9 states %v ± %v", tm.Cadence, wantCadence, cadenceTol)
	}
	if math.Abs(tm.StanceAsymmetry-wantAsymmetry) > asymmetryTol {
		t.Errorf("stance-time asymmetry %.2f %%, issue 9 states %v ± %v %%", tm.StanceAsymmetry, wantAsymmetry, asymmetryTol)
	}
}

func meanOf(x []float64) float64 {
	var s float64
	for _, v := range x {
		s += v
	}
	return s / float64(len(x))
}

func TestSpatiotemporalSynthetic(t *testing.T) {
	t.Parallel()
	// 100 Hz; right strikes at 0.10, 1.10, 2.10 s, off 0.70, 1.70 s; left
	// strikes at 0.60, 1.60 s, off 1.22, 2.22 s; left already on at the start.
	right := []gait.Contact{{10, 70}, {110, 170}, {210, -1}}
	left := []gait.Contact{{-1, 22}, {60, 122}, {160, -1}}
	tm := gait.Spatiotemporal(right, left, 100)
	const tol = 1e-12
	for _, c := range []struct {
		name      string
		got, want float64
	}{
		{"right stance", tm.Right.StanceTime, 0.6},
		{"right swing", tm.Right.SwingTime, 0.4},
		{"right stride", tm.Right.StrideTime, 1.0},
		{"right stance %", tm.Right.StancePct, 60},
		{"left stance", tm.Left.StanceTime, 0.62},
		{"left swing", tm.Left.SwingTime, 0.38}, // 0.22→0.60 and 1.22→1.60
		{"left stride", tm.Left.StrideTime, 1.0},
		{"step time", tm.StepTime, 0.5},
		{"cadence", tm.Cadence, 120},
		{"asymmetry", tm.StanceAsymmetry, 0.02 / 0.61 * 100},
	} {
		if math.Abs(c.got-c.want) > tol {
			t.Errorf("%s = %v, want %v", c.name, c.got, c.want)
		}
	}
	if got := len(tm.Steps); got != 4 {
		t.Errorf("%d steps %v, want 4", got, tm.Steps)
	}
	empty := gait.Spatiotemporal(nil, nil, 100)
	if !math.IsNaN(empty.Cadence) || !math.IsNaN(empty.StanceAsymmetry) {
		t.Errorf("no contacts: cadence %v, asymmetry %v; want NaN", empty.Cadence, empty.StanceAsymmetry)
	}
}

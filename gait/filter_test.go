package gait_test

import (
	"math"
	"testing"

	"github.com/tendo-health/tendo/gait"
)

const rate = 600.0 // Hz; the sampling rate of the OpenSim subject01 forces

func mustFilter(tb testing.TB, order int, cutoff, fs float64) *gait.Filter {
	tb.Helper()
	f, err := gait.Butterworth(order, cutoff, fs)
	if err != nil {
		tb.Fatal(err)
	}
	return f
}

func sine(n int, freq, fs, phase float64) []float64 {
	x := make([]float64, n)
	for i := range x {
		x[i] = math.Sin(2*math.Pi*freq*float64(i)/fs + phase)
	}
	return x
}

// amplitude fits a·sin + b·cos at freq over x[lo:hi] (a whole number of
// periods) and returns √(a²+b²).
func amplitude(x []float64, freq, fs float64, lo, hi int) float64 {
	var s, c float64
	for i := lo; i < hi; i++ {
		w := 2 * math.Pi * freq * float64(i) / fs
		s += x[i] * math.Sin(w)
		c += x[i] * math.Cos(w)
	}
	n := float64(hi - lo)
	return 2 * math.Hypot(s, c) / n
}

func TestFiltFiltDCGain(t *testing.T) {
	t.Parallel()
	for _, order := range []int{1, 2, 3, 4, 5, 8} {
		f := mustFilter(t, order, gait.MarkerCutoff, rate)
		x := make([]float64, 500)
		for i := range x {
			x[i] = 742.5
		}
		for i, v := range f.FiltFilt(x) {
			if math.Abs(v-742.5) > 1e-9 {
				t.Fatalf("order %d: y[%d]=%v, want 742.5", order, i, v)
			}
		}
	}
}

func TestFiltFiltGainAtCutoff(t *testing.T) {
	t.Parallel()
	for _, order := range []int{1, 2, 4, 5} {
		for _, fc := range []float64{gait.MarkerCutoff, 50} {
			f := mustFilter(t, order, fc, rate)
			n := 60 * int(rate) // 60 s
			y := f.FiltFilt(sine(n, fc, rate, 0.3))
			// The middle 20 s hold a whole number of periods for 6 and 50 Hz.
			lo, hi := n/2-10*int(rate), n/2+10*int(rate)
			g := amplitude(y, fc, rate, lo, hi)
			t.Logf("order %d, cut-off %v Hz: forward-backward gain %.6f", order, fc, g)
			if math.Abs(g-0.5) > 1e-3 {
				t.Errorf("order %d, cut-off %v Hz: gain %v, want 0.5 ± 1e-3", order, fc, g)
			}
		}
	}
}

func TestFiltFiltPassBand(t *testing.T) {
	t.Parallel()
	const fc = gait.MarkerCutoff
	f := mustFilter(t, 4, fc, rate)
	n := 10 * int(rate)
	x := sine(n, fc/5, rate, 0.3)
	y := f.FiltFilt(x)
	lo, hi := n/2-5*int(rate)/2, n/2+5*int(rate)/2 // 5 s: 6 periods of 1.2 Hz
	g := amplitude(y, fc/5, rate, lo, hi)
	t.Logf("gain at %v Hz: %.6f", fc/5, g)
	if g <= 0.99 {
		t.Errorf("gain at a fifth of the cut-off %v, want > 0.99", g)
	}
	// Peaks in the middle: same sample in input and output, within 1.
	px, py := peaks(x, lo, hi), peaks(y, lo, hi)
	if len(px) == 0 || len(px) != len(py) {
		t.Fatalf("peaks: input %v, output %v", px, py)
	}
	for i := range px {
		if d := px[i] - py[i]; d < -1 || d > 1 {
			t.Errorf("peak %d at sample %d in input, %d in output", i, px[i], py[i])
		}
	}
	t.Logf("peaks (input, output): %v %v", px, py)
}

func peaks(x []float64, lo, hi int) []int {
	var p []int
	for i := lo + 1; i < hi-1; i++ {
		if x[i] > 0.5 && x[i] >= x[i-1] && x[i] > x[i+1] {
			p = append(p, i)
		}
	}
	return p
}

func TestFiltFiltStopBand(t *testing.T) {
	t.Parallel()
	const fc = gait.MarkerCutoff
	f := mustFilter(t, 4, fc, rate)
	n := 20 * int(rate)
	y := f.FiltFilt(sine(n, 5*fc, rate, 0.3))
	g := amplitude(y, 5*fc, rate, n/2-5*int(rate), n/2+5*int(rate))
	t.Logf("order 4, gain at %v Hz: %.3g", 5*fc, g)
	if g >= 0.01 {
		t.Errorf("gain at 5× the cut-off %v, want < 0.01", g)
	}
}

func TestFiltFiltEdges(t *testing.T) {
	t.Parallel()
	f := mustFilter(t, 4, gait.MarkerCutoff, rate)
	// A ramp passes a zero-phase low-pass unchanged away from the ends.
	// Odd reflection keeps the padded signal on the ramp, but each pass
	// starts from the steady state for a constant input, so a transient
	// remains at the ends: it must stay below one sample's rise and die out.
	const slope = 0.01 // per sample
	x := make([]float64, 600)
	for i := range x {
		x[i] = 2 + slope*float64(i)
	}
	y := f.FiltFilt(x)
	var worstEnd, worstMid float64
	for i, v := range y {
		d := math.Abs(v - x[i])
		if i < 200 || i >= len(x)-200 {
			worstEnd = max(worstEnd, d)
		} else {
			worstMid = max(worstMid, d)
		}
	}
	t.Logf("ramp of %v per sample: largest error %.3g within 200 samples of an end, %.3g elsewhere", slope, worstEnd, worstMid)
	if worstEnd > slope || worstMid > 1e-6 {
		t.Errorf("ramp: errors %v at the ends, %v in the middle; want < %v and < 1e-6", worstEnd, worstMid, slope)
	}
	for _, n := range []int{0, 1, 2, 5} {
		x := make([]float64, n)
		for i := range x {
			x[i] = 1
		}
		y := f.FiltFilt(x)
		if len(y) != n {
			t.Fatalf("len %d: got %d samples", n, len(y))
		}
		for i, v := range y {
			if math.Abs(v-1) > 1e-9 {
				t.Errorf("len %d: y[%d]=%v, want 1", n, i, v)
			}
		}
	}
}

func TestButterworthInvalid(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name       string
		order      int
		cutoff, fs float64
	}{
		{"OrderZero", 0, 6, 600},
		{"OrderNegative", -2, 6, 600},
		{"CutoffAtNyquist", 4, 300, 600},
		{"CutoffAboveNyquist", 4, 400, 600},
		{"CutoffZero", 4, 0, 600},
		{"CutoffNegative", 4, -6, 600},
		{"CutoffNaN", 4, math.NaN(), 600},
		{"RateZero", 4, 6, 0},
		{"RateInf", 4, 6, math.Inf(1)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if f, err := gait.Butterworth(tc.order, tc.cutoff, tc.fs); err == nil {
				t.Errorf("Butterworth(%d, %v, %v) = %v, want an error", tc.order, tc.cutoff, tc.fs, f)
			}
		})
	}
}

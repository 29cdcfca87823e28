package gait

import (
	"fmt"
	"math"
)

// Default cut-off frequencies, in hertz.
const (
	// MarkerCutoff is the low-pass cut-off for marker trajectories of
	// walking. Source: D. A. Winter, Biomechanics and Motor Control of Human
	// Movement, 4th ed., Wiley, 2009, on digital filtering of marker
	// data: residual analysis of walking trials gives cut-offs near 6 Hz.
	MarkerCutoff = 6.0

	// ForceCutoff is the cut-off applied to ground reaction forces before
	// contact detection: 0 means no filtering. Filtering smears the sharp
	// rise of the force at heel strike and so moves the detected event; the
	// threshold with hysteresis of ContactEvents already rejects noise.
	// When forces feed inverse dynamics, filter them with the same cut-off
	// as the markers instead (E. Kristianslund, T. Krosshaug, A. J. van den
	// Bogert, "Effect of low pass filtering on joint moments from inverse
	// dynamics: implications for injury prevention", J. Biomech. 45(4):
	// 666–671, 2012). This choice is a convention of this package.
	ForceCutoff = 0.0
)

// A Filter is a digital low-pass Butterworth filter held as a cascade of
// sections. It is immutable and safe for concurrent use.
type Filter struct {
	order    int
	cutoff   float64 // Hz
	rate     float64 // Hz
	sections []section
}

// section is a biquad b0 + b1 z⁻¹ + b2 z⁻² over 1 + a1 z⁻¹ + a2 z⁻²; a
// first-order section has b2 = a2 = 0. Each section has a DC gain of 1.
type section struct {
	b0, b1, b2, a1, a2 float64
}

// Butterworth designs a low-pass Butterworth filter of the given order
// (number of poles, ≥ 1) with a −3 dB cut-off of cutoffHz for data sampled at
// sampleHz. It returns an error if order < 1, if either frequency is not a
// positive finite number, or if cutoffHz is not below the Nyquist frequency
// sampleHz/2.
//
// The gain of a single pass is 1/√2 at cutoffHz; FiltFilt applies the filter
// twice, so its gain at cutoffHz is 1/2. No correction of the cut-off for
// the number of passes is applied.
func Butterworth(order int, cutoffHz, sampleHz float64) (*Filter, error) {
	if order < 1 {
		return nil, fmt.Errorf("gait: filter order %d, want ≥ 1", order)
	}
	if !(sampleHz > 0) || math.IsInf(sampleHz, 0) {
		return nil, fmt.Errorf("gait: sample rate %v Hz, want a positive finite number", sampleHz)
	}
	if !(cutoffHz > 0) || math.IsInf(cutoffHz, 0) {
		return nil, fmt.Errorf("gait: cut-off %v Hz, want a positive finite number", cutoffHz)
	}
	if cutoffHz >= sampleHz/2 {
		return nil, fmt.Errorf("gait: cut-off %v Hz is not below the Nyquist frequency %v Hz", cutoffHz, sampleHz/2)
	}
	// Pre-warp: the analog cut-off that the bilinear transform maps onto
	// cutoffHz, with the transform's 2·fs factor folded in (s = (z−1)/(K(z+1))
	// on the prototype normalised to a cut-off of 1 rad/s).
	k := math.Tan(math.Pi * cutoffHz / sampleHz)
	k2 := k * k
	f := &Filter{order: order, cutoff: cutoffHz, rate: sampleHz}
	// The prototype's poles come in conjugate pairs at angles
	// θ = (2i+1)π/(2n) from the imaginary axis; the pair gives
	// s² + 2 sin θ s + 1.
	for i := 0; i < order/2; i++ {
		c := 2 * math.Sin(float64(2*i+1)*math.Pi/float64(2*order))
		d := 1 + c*k + k2
		b0 := k2 / d
		f.sections = append(f.sections, section{
			b0: b0, b1: 2 * b0, b2: b0,
			a1: 2 * (k2 - 1) / d,
			a2: (1 - c*k + k2) / d,
		})
	}
	if order%2 == 1 { // the real pole s = −1
		d := 1 + k
		f.sections = append(f.sections, section{b0: k / d, b1: k / d, a1: (k - 1) / d})
	}
	return f, nil
}

// Order returns the number of poles of f.
func (f *Filter) Order() int { return f.order }

// Cutoff returns the −3 dB cut-off of a single pass of f, in hertz.
func (f *Filter) Cutoff() float64 { return f.cutoff }

// SampleRate returns the sampling rate f was designed for, in hertz.
func (f *Filter) SampleRate() float64 { return f.rate }

// FiltFilt returns x filtered forwards and then backwards by f: a zero-phase
// low-pass whose gain is the square of a single pass's (1/2 at the cut-off).
// x is not modified.
//
// Edge handling: before filtering, x is extended at each end by samples
// reflected through the end sample (odd reflection, 2·x[0] − x[i]), which
// continues the signal's level and slope, and each pass starts from the
// filter's steady state for its first input value. The padding is the
// larger of 3 × order samples and three periods of the cut-off, but at
// most len(x) − 1. Three periods let the start-up transient decay before
// the data begin: its slowest time constant, 1/(2π fc sin(π/(2·order))),
// is under one period of the cut-off up to order 9.
// The padding is removed from the result. A slice of fewer than two samples
// is returned as a copy. NaN values propagate.
func (f *Filter) FiltFilt(x []float64) []float64 {
	n := len(x)
	if n < 2 {
		return append([]float64(nil), x...)
	}
	pad := min(max(3*f.order, int(math.Ceil(3*f.rate/f.cutoff))), n-1)
	y := make([]float64, n+2*pad)
	for i := 0; i < pad; i++ {
		y[i] = 2*x[0] - x[pad-i]
		y[n+pad+i] = 2*x[n-1] - x[n-2-i]
	}
	copy(y[pad:], x)
	f.pass(y)
	reverse(y)
	f.pass(y)
	reverse(y)
	return y[pad : pad+n : pad+n]
}

// pass filters y in place, starting each section in its steady state for
// the constant input y[0].
func (f *Filter) pass(y []float64) {
	for _, s := range f.sections {
		// Transposed direct form II; with input and output both u (DC
		// gain 1) the state is z1 = u(1−b0), z2 = u(b2−a2).
		u := y[0]
		z1, z2 := u*(1-s.b0), u*(s.b2-s.a2)
		for i, in := range y {
			out := s.b0*in + z1
			z1 = s.b1*in - s.a1*out + z2
			z2 = s.b2*in - s.a2*out
			y[i] = out
		}
	}
}

func reverse(y []float64) {
	for i, j := 0, len(y)-1; i < j; i, j = i+1, j-1 {
		y[i], y[j] = y[j], y[i]
	}
}

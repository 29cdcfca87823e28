package gait

import (
	"errors"
	"fmt"
	"math"
)

// LoadingRateFrom and LoadingRateTo are the fractions of the first peak of
// the vertical ground reaction force between which VerticalLoadingRate
// averages the rate of rise: the common "20–80 %" average loading rate of
// running research.
const (
	LoadingRateFrom = 0.2
	LoadingRateTo   = 0.8
)

// FirstPeakMinFraction and FirstPeakProminence define the first peak of a
// contact's vertical force (see FirstPeak), as fractions of the contact's
// largest force. They are conventions of this package, not cited
// standards: a walking impact (weight-acceptance) peak is about as high as
// the push-off peak and a running impact peak well above half of the
// active peak, so 0.5 excludes the small wobbles of the first milliseconds;
// and the dip after a real first peak (to about 0.7–0.8 of the peak in
// walking) is far deeper than 2 % of the largest force, while ripples of
// plate noise on the rising edge are far shallower.
const (
	FirstPeakMinFraction = 0.5
	FirstPeakProminence  = 0.02
)

// FirstPeak returns the index of the first peak of the vertical force fz
// in contact c: the first sample i of the contact with
//
//   - fz[i] ≥ FirstPeakMinFraction × the contact's largest force M,
//   - fz[i] > fz[i−1] (a plateau counts at its first sample), and
//   - the force, after i, falls to fz[i] − FirstPeakProminence × M before
//     it ever exceeds fz[i], or the contact ends before it exceeds fz[i].
//
// So a ripple on the rising edge that the force climbs past without a
// dip of 2 % of M is not a peak, and when the force has no distinct first
// (impact) peak — as in many forefoot strikes — the first peak is the
// contact's main peak. The contact runs from c.Start to c.End (to the end
// of fz when c.End is −1). It returns an error if c.Start is −1 (the
// strike is not observed), if the contact lies outside fz or holds fewer
// than three samples, or if a sample up to the peak is not finite.
func FirstPeak(fz []float64, c Contact) (int, error) {
	from, to, err := contactSpan(len(fz), c)
	if err != nil {
		return -1, err
	}
	_, m := Peak(fz, from, to)
	if !(m > 0) {
		return -1, errors.New("gait: no positive vertical force in the contact")
	}
	drop := FirstPeakProminence * m
	for i := from + 1; i < to; i++ {
		v := fz[i]
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return -1, fmt.Errorf("gait: vertical force at sample %d is %v", i, v)
		}
		if v < FirstPeakMinFraction*m || !(v > fz[i-1]) {
			continue
		}
		peak := true
		for j := i + 1; j < to; j++ {
			if fz[j] > v {
				peak = false
				break
			}
			if fz[j] <= v-drop {
				break
			}
		}
		if peak {
			return i, nil
		}
	}
	return -1, errors.New("gait: no first peak in the contact")
}

// contactSpan returns the half-open sample range of c in a signal of n
// samples.
func contactSpan(n int, c Contact) (from, to int, err error) {
	if c.Start < 0 {
		return 0, 0, errors.New("gait: the foot strike of the contact is not observed")
	}
	to = c.End
	if to < 0 {
		to = n
	}
	if to > n || c.Start >= to {
		return 0, 0, fmt.Errorf("gait: contact [%d, %d) outside %d samples", c.Start, c.End, n)
	}
	if to-c.Start < 3 {
		return 0, 0, fmt.Errorf("gait: contact [%d, %d) has fewer than three samples", c.Start, to)
	}
	return c.Start, to, nil
}

// VerticalLoadingRate returns the average loading rate of the vertical
// ground reaction force fz (N, sampled at rate Hz) in contact c, in body
// weights per second, and the index of the first peak it refers to.
//
// Definition: with P the force at the first peak after the foot strike
// (FirstPeak: the impact peak of a rearfoot strike, the weight-acceptance
// peak of walking), the rate is the slope of the straight line between
// the instants at which the rising force crosses LoadingRateFrom·P and
// LoadingRateTo·P:
//
//	rate = (0.8 P − 0.2 P) / (t80 − t20) / bodyWeightN.
//
// This 20–80 % average vertical loading rate is the common definition in
// running research; as the ISB 2019 abstract "A novel method for
// evaluating loading rate during running regardless of impact peak"
// (United States Military Academy) notes, it presumes an impact peak,
// which forefoot strikes may lack (FirstPeak then takes the main peak, and
// the rate compares poorly with a rearfoot strike's). Each crossing is the last upward crossing of its level
// before the peak, with its instant interpolated linearly between the two
// samples on either side, so the result does not depend on the phase of
// the sampling. The force is used as given: filter it first if it is
// noisy.
//
// It returns an error if rate or bodyWeightN is not positive and finite,
// if FirstPeak fails, or if the rise from 20 % to 80 % takes no time.
func VerticalLoadingRate(fz []float64, rate float64, c Contact, bodyWeightN float64) (bwPerS float64, peak int, err error) {
	if !(rate > 0) || math.IsInf(rate, 0) {
		return math.NaN(), -1, fmt.Errorf("gait: sample rate %v Hz, want a positive finite number", rate)
	}
	if !(bodyWeightN > 0) || math.IsInf(bodyWeightN, 0) {
		return math.NaN(), -1, fmt.Errorf("gait: body weight %v N, want a positive finite number", bodyWeightN)
	}
	peak, err = FirstPeak(fz, c)
	if err != nil {
		return math.NaN(), -1, err
	}
	p := fz[peak]
	lo, hi := LoadingRateFrom*p, LoadingRateTo*p
	t20 := upCrossing(fz, c.Start, peak, lo)
	t80 := upCrossing(fz, c.Start, peak, hi)
	if !(t80 > t20) {
		return math.NaN(), peak, errors.New("gait: the force rises from 20 % to 80 % of its first peak in no time")
	}
	return (hi - lo) / ((t80 - t20) / rate) / bodyWeightN, peak, nil
}

// upCrossing returns the fractional sample index at which x last rises
// through level before sample peak, searching no earlier than from; from
// itself if x is already at or above level there.
func upCrossing(x []float64, from, peak int, level float64) float64 {
	for i := peak; i > from; i-- {
		if x[i-1] < level && x[i] >= level {
			return float64(i-1) + (level-x[i-1])/(x[i]-x[i-1])
		}
	}
	return float64(from)
}

// A StrikePattern is the part of the foot that meets the ground first.
type StrikePattern string

// The foot-strike patterns of Cavanagh and Lafortune (1980), by thirds of
// the strike index (see StrikeIndex).
const (
	Rearfoot StrikePattern = "rearfoot"
	Midfoot  StrikePattern = "midfoot"
	Forefoot StrikePattern = "forefoot"
)

// InitialCOPWindow is the time, in seconds, over which InitialCOP averages
// the centre of pressure after the foot strike. It is a convention of this
// package, not a cited standard: the centre of pressure of the first one
// or two samples rests on a few newtons and is noisy, while 10 ms is short
// against the time the centre of pressure takes to travel along the foot
// (a few hundred milliseconds in walking).
const InitialCOPWindow = 0.010

// InitialCOP returns the centre of pressure at the foot strike of contact
// c: the mean of the finite samples of cop (one position per sample, at
// rate Hz, NaN where undefined) over the first window seconds of the
// contact, starting at the first finite sample at or after c.Start (at
// least one sample is always used). Pass InitialCOPWindow for window
// unless there is reason not to. It returns an error if c.Start is −1 or
// outside cop, if rate is not positive, or if the contact has no finite
// centre of pressure.
func InitialCOP(cop [][3]float64, rate float64, c Contact, window float64) ([3]float64, error) {
	var out [3]float64
	if !(rate > 0) || math.IsInf(rate, 0) {
		return out, fmt.Errorf("gait: sample rate %v Hz, want a positive finite number", rate)
	}
	if c.Start < 0 || c.Start >= len(cop) {
		return out, fmt.Errorf("gait: foot strike %d outside %d samples", c.Start, len(cop))
	}
	to := c.End
	if to < 0 || to > len(cop) {
		to = len(cop)
	}
	first := -1
	for i := c.Start; i < to; i++ {
		if finite3(cop[i]) {
			first = i
			break
		}
	}
	if first < 0 {
		return out, errors.New("gait: no finite centre of pressure in the contact")
	}
	n := max(1, int(math.Round(window*rate)))
	used := 0
	for i := first; i < min(first+n, to); i++ {
		if !finite3(cop[i]) {
			continue
		}
		for k := range 3 {
			out[k] += cop[i][k]
		}
		used++
	}
	for k := range 3 {
		out[k] /= float64(used)
	}
	return out, nil
}

// StrikeIndex returns the strike index of Cavanagh and Lafortune — the
// position of the centre of pressure cop at initial contact along the
// foot's long axis, as a percentage of foot length from the heel — and the
// strike pattern it gives (ClassifyStrike). Source: P. R. Cavanagh, M. A.
// Lafortune, "Ground reaction forces in distance running", J. Biomech.
// 13:397–406, 1980.
//
// The foot's long axis runs from the heel marker to the toe marker at the
// instant of contact; all three points are projected onto the horizontal
// plane (vertical is AxisY or AxisZ, as for MarkerEvents), and the foot
// length is the horizontal distance from heel to toe marker. Markers sit
// on the skin or shoe, so that length is an approximation of the foot's:
// place the heel marker at the back of the heel and the toe marker at the
// tip of the longest toe (or of the shoe) for the index to mean what it
// says. The index is not clamped: a centre of pressure behind the heel
// marker gives a negative index, one beyond the toe marker more than 100.
//
// It returns an error if vertical is not 0, 1 or 2, if a coordinate is not
// finite, or if the heel and toe markers coincide horizontally.
func StrikeIndex(cop, heel, toe [3]float64, vertical int) (float64, StrikePattern, error) {
	if vertical < 0 || vertical > 2 {
		return math.NaN(), "", fmt.Errorf("gait: vertical axis %d, want 0, 1 or 2", vertical)
	}
	if !finite3(cop) || !finite3(heel) || !finite3(toe) {
		return math.NaN(), "", errors.New("gait: non-finite centre of pressure or marker")
	}
	axis := sub(toe, heel)
	c := sub(cop, heel)
	axis[vertical], c[vertical] = 0, 0
	length := math.Sqrt(dot(axis, axis))
	if !(length > 0) {
		return math.NaN(), "", errors.New("gait: heel and toe markers coincide horizontally")
	}
	si := 100 * (dot(c, axis) / length) / length
	return si, ClassifyStrike(si), nil
}

// ClassifyStrike returns the strike pattern of a strike index si (percent
// of foot length from the heel), by the thirds of Cavanagh and Lafortune
// (1980): rearfoot below 100/3 %, forefoot above 200/3 %, midfoot in
// between, both limits included. It returns "" for NaN.
func ClassifyStrike(si float64) StrikePattern {
	switch {
	case math.IsNaN(si):
		return ""
	case si < 100.0/3:
		return Rearfoot
	case si > 200.0/3:
		return Forefoot
	default:
		return Midfoot
	}
}

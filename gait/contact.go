package gait

import "math"

// DefaultContactThreshold is the vertical force, in newtons, above which a
// foot is taken to be on a force plate. It is a convention of this
// package, not a cited standard: 20 N is about 3 % of the body weight of a
// 70 kg adult, above the few newtons of noise and offset drift of a zeroed
// force plate and far below the loads of stance, so it moves foot strike
// and foot off by only a few milliseconds. Change it when a plate's noise
// floor is higher.
const DefaultContactThreshold = 20.0

// DefaultContactHysteresis is the width, in newtons, of the band around the
// threshold that a force must cross completely to start or end a contact
// (see ContactEvents). It is a convention of this package, chosen as half
// the default threshold so that noise of a few newtons around the
// threshold does not split one contact into several.
const DefaultContactHysteresis = 10.0

// A Contact is one foot's contact with a force plate, as a half-open range
// of sample indices [Start, End): Start is the foot strike, the first
// sample of the contact; End is the foot off, the first sample after it.
//
// Start is −1 when the foot was already in contact at the first sample (the
// strike is not observed); End is −1 when the foot is still in contact at
// the last sample (the foot off is not observed).
type Contact struct {
	Start, End int
}

// Complete reports whether both the foot strike and the foot off of c lie
// inside the recording.
func (c Contact) Complete() bool { return c.Start >= 0 && c.End >= 0 }

// ContactEvents returns the foot contacts found in fz, the vertical ground
// reaction force under one foot in newtons (positive upwards on the foot),
// sampled at rate hertz, in time order. rate is used only to document the
// indices' time base and may be 0.
//
// The rule, with lo = threshold − hysteresis/2 and hi = threshold +
// hysteresis/2:
//
//   - The foot is in contact at the first sample if fz[0] ≥ threshold; that
//     contact has Start −1.
//   - A contact is detected when, out of contact, the force exceeds hi. It
//     starts at the first sample of the run of samples ≥ threshold that
//     leads up to the detection: the sample just after the last one below
//     threshold.
//   - A contact ends when the force falls below lo. Its End is the first
//     sample after the last sample ≥ threshold before that fall.
//   - A contact still open at the last sample has End −1.
//
// So events sit on the plain threshold crossings, and the band only decides
// which crossings count: a wobble around the threshold that never reaches
// hi or lo neither starts nor ends a contact. NaN samples count as below
// every level. hysteresis < 0 is treated as 0.
func ContactEvents(fz []float64, rate, threshold, hysteresis float64) []Contact {
	if hysteresis < 0 || math.IsNaN(hysteresis) {
		hysteresis = 0
	}
	lo, hi := threshold-hysteresis/2, threshold+hysteresis/2
	var out []Contact
	in := false
	start := -1
	lastBelow := -1 // last sample < threshold (or NaN)
	lastAbove := -1 // last sample ≥ threshold
	for i, v := range fz {
		if v >= threshold {
			lastAbove = i
		} else {
			lastBelow = i
		}
		switch {
		case i == 0 && v >= threshold:
			in, start = true, -1
		case !in && v > hi:
			in, start = true, lastBelow+1
		case in && !(v >= lo): // also NaN
			out = append(out, Contact{Start: start, End: lastAbove + 1})
			in = false
		}
	}
	if in {
		out = append(out, Contact{Start: start, End: -1})
	}
	return out
}

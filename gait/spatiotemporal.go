package gait

import (
	"math"
	"slices"
)

// Side holds the timing of one foot, in seconds unless stated. The slices
// list every instance observed in the recording, in time order; the means
// are NaN when there is none.
type Side struct {
	// Stance lists the durations of complete contacts (strike and foot off
	// both inside the recording), End − Start.
	Stance []float64
	// Swing lists the times from a foot off to the next foot strike of the
	// same foot, when both are observed.
	Swing []float64
	// Stride lists the times between consecutive observed foot strikes of
	// the same foot.
	Stride []float64
	// StancePercent lists stance as a percentage of stride (0–100), for
	// each stride whose first contact is complete.
	StancePercent []float64

	StanceTime, SwingTime, StrideTime, StancePct float64 // means of the above
}

// Timing holds the spatiotemporal parameters of a walk.
type Timing struct {
	Right, Left Side

	// Steps lists the times between each observed foot strike and the next
	// observed foot strike, when they belong to opposite feet, in seconds.
	Steps []float64
	// StepTime is the mean of Steps, in seconds (NaN if none).
	StepTime float64
	// Cadence is 60 / StepTime, in steps per minute (NaN if no step).
	Cadence float64
	// StanceAsymmetry is the symmetry index of the mean stance times,
	// SI = |R − L| / (0.5 (R + L)) × 100, in percent (NaN unless both feet
	// have a complete contact). Source: R. O. Robinson, W. Herzog, B. M.
	// Nigg, "Use of force platform variables to quantify the effects of
	// chiropractic manipulation on gait symmetry", J. Manipulative Physiol.
	// Ther. 10(4):172–176, 1987 (defined there as a signed difference; the
	// absolute value is taken here).
	StanceAsymmetry float64
}

// Spatiotemporal derives the timing of a walk from the contacts of the
// right and left feet (as returned by ContactEvents, in time order) on
// signals sampled at rate hertz.
//
// Only events that lie inside the recording are used: stance comes from
// complete contacts only; swing, stride and step times need both of their
// events observed, so a strike whose contact runs past the end of the
// recording still ends a stride or a step. Step times are taken between
// consecutive strikes of all observed strikes merged in time order, and only
// where the two strikes are of opposite feet (two strikes of the same foot
// in a row mean a missed contact of the other foot, e.g. off the plates).
//
// It panics if rate is not positive.
func Spatiotemporal(right, left []Contact, rate float64) Timing {
	if !(rate > 0) {
		panic("gait: Spatiotemporal: rate must be positive")
	}
	t := Timing{Right: side(right, rate), Left: side(left, rate)}
	type strike struct {
		at    int
		right bool
	}
	var strikes []strike
	for _, c := range right {
		if c.Start >= 0 {
			strikes = append(strikes, strike{c.Start, true})
		}
	}
	for _, c := range left {
		if c.Start >= 0 {
			strikes = append(strikes, strike{c.Start, false})
		}
	}
	slices.SortFunc(strikes, func(a, b strike) int { return a.at - b.at })
	for i := 1; i < len(strikes); i++ {
		if strikes[i].right != strikes[i-1].right {
			t.Steps = append(t.Steps, float64(strikes[i].at-strikes[i-1].at)/rate)
		}
	}
	t.StepTime = mean(t.Steps)
	t.Cadence = 60 / t.StepTime

	t.StanceAsymmetry = SymmetryIndex(t.Right.StanceTime, t.Left.StanceTime)
	return t
}

// SymmetryIndex returns |r − l| / (0.5 (r + l)) × 100, in percent: 0 for
// perfect symmetry. Source: Robinson, Herzog and Nigg 1987 (see
// Timing.StanceAsymmetry).
func SymmetryIndex(r, l float64) float64 {
	return math.Abs(r-l) / (0.5 * (r + l)) * 100
}

func side(cs []Contact, rate float64) Side {
	var s Side
	for i, c := range cs {
		if c.Complete() {
			s.Stance = append(s.Stance, float64(c.End-c.Start)/rate)
		}
		if i+1 >= len(cs) {
			continue
		}
		next := cs[i+1]
		if next.Start < 0 {
			continue
		}
		if c.End >= 0 {
			s.Swing = append(s.Swing, float64(next.Start-c.End)/rate)
		}
		if c.Start >= 0 {
			stride := float64(next.Start-c.Start) / rate
			s.Stride = append(s.Stride, stride)
			if c.Complete() {
				s.StancePercent = append(s.StancePercent, float64(c.End-c.Start)/rate/stride*100)
			}
		}
	}
	s.StanceTime, s.SwingTime = mean(s.Stance), mean(s.Swing)
	s.StrideTime, s.StancePct = mean(s.Stride), mean(s.StancePercent)
	return s
}

func mean(x []float64) float64 {
	if len(x) == 0 {
		return math.NaN()
	}
	var sum float64
	for _, v := range x {
		sum += v
	}
	return sum / float64(len(x))
}

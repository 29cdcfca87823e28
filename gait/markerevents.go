package gait

import (
	"errors"
	"fmt"
	"math"
)

// Axes of a lab frame, as indices into a [3]float64 position. Pass the
// vertical one to MarkerEvents and PelvicRotationRange: Y for OpenSim's
// lab frame (X forward, Y up, Z right), Z for most C3D labs (Plug-in Gait).
const (
	AxisX = 0
	AxisY = 1
	AxisZ = 2
)

// MarkerFilterOrder is the order of the Butterworth low-pass that
// MarkerEvents applies, forwards and backwards, at MarkerCutoff. Source:
// D. A. Winter, Biomechanics and Motor Control of Human Movement, 4th ed.,
// Wiley, 2009, on digital filtering of marker data: a second-order filter
// run twice in opposite directions, cancelling the phase shift.
const MarkerFilterOrder = 2

// MinEventSeparation is the shortest time, in seconds, between two events
// of the same kind (two strikes, or two foot offs) of one foot that
// MarkerEvents accepts; of two closer extrema the more extreme is kept. It
// is a convention of this package, not a cited standard: events of one
// kind recur once per stride, and 0.4 s is half of the stride time of a
// fast walk (about 0.8 s at 150 steps per minute), so real strides are
// never merged while ripples of the filtered signal — a few frames apart —
// are.
const MinEventSeparation = 0.4

// MarkerEvents returns the foot strikes and foot offs of one foot, as
// frame indices in time order, found from the heel, toe and sacrum marker
// trajectories sampled at rate hertz, with vertical the index of the lab's
// vertical axis (AxisY or AxisZ) and forward the direction of progression
// in lab coordinates (any length; the zero vector to take it from the
// sacrum's displacement). It needs no force plate.
//
// The method is that of J. A. Zeni Jr, J. G. Richards, J. S. Higginson,
// "Two simple methods for determining gait events during treadmill and
// overground walking using kinematic data", Gait Posture 27(4):710–714,
// 2008 (the coordinate-based method): a foot strike is a local maximum of
// the heel's position relative to the sacrum along the direction of
// progression — the heel furthest ahead of the pelvis — and a foot off is
// a local minimum of the toe's relative position — the toe furthest
// behind it.
//
// Overground, forward may be left zero: the direction of progression is
// then the horizontal direction of the sacrum's displacement from the
// first to the last frame used, so walking along −X, or along Y, needs no
// option. On a treadmill the sacrum hardly moves and its drift may point
// backwards, so forward must be given: with forward zero, MarkerEvents
// returns an error when the sacrum's horizontal displacement is shorter
// than the horizontal range of the heel about the sacrum. That test is a
// convention of this package: overground, the pelvis travels a full
// stride between two strikes of one foot, more than the heel's excursion
// about it, while on a treadmill it travels a few centimetres. Only the
// horizontal part of forward is used. Each coordinate of the three
// markers is first low-pass filtered with FiltFilt, a Butterworth of order
// MarkerFilterOrder at MarkerCutoff. A sacrum marker is for example
// OpenSim's V.Sacral, Plug-in Gait's SACR or the mean of LPSI and RPSI.
//
// Only the longest run of frames in which all three markers have finite
// coordinates (missing ones being NaN) is used. Extrema at the ends of
// that run are not events: whether they are turning points is unknown.
// Of two extrema of the same kind closer than MinEventSeparation, only the
// more extreme is kept.
//
// MarkerEvents returns an error if the slices differ in length, if
// vertical is not 0, 1 or 2, if rate is not a valid sample rate for the
// filter (above 2 × MarkerCutoff), if fewer than three frames are usable,
// if forward has no horizontal part, or, with forward zero, if the sacrum
// travels too little to give the direction of progression (see above).
func MarkerEvents(heel, toe, sacrum [][3]float64, rate float64, vertical int, forward [3]float64) (strikes, offs []int, err error) {
	n := len(sacrum)
	if len(heel) != n || len(toe) != n {
		return nil, nil, fmt.Errorf("gait: marker lengths %d (heel), %d (toe), %d (sacrum) differ", len(heel), len(toe), n)
	}
	if vertical < 0 || vertical > 2 {
		return nil, nil, fmt.Errorf("gait: vertical axis %d, want 0, 1 or 2", vertical)
	}
	f, err := Butterworth(MarkerFilterOrder, MarkerCutoff, rate)
	if err != nil {
		return nil, nil, err
	}
	from, to := longestFinite(n, func(i int) bool {
		return finite3(heel[i]) && finite3(toe[i]) && finite3(sacrum[i])
	})
	if to-from < 3 {
		return nil, nil, errors.New("gait: fewer than three frames with all markers present")
	}
	h := filter3(f, heel[from:to])
	t := filter3(f, toe[from:to])
	s := filter3(f, sacrum[from:to])

	dir, err := progression(forward, vertical, h, s)
	if err != nil {
		return nil, nil, err
	}
	heelRel := make([]float64, to-from)
	toeRel := make([]float64, to-from)
	for i := range heelRel {
		for k := range 3 {
			d := dir[k]
			heelRel[i] += (h[k][i] - s[k][i]) * d
			toeRel[i] += (t[k][i] - s[k][i]) * d
		}
	}
	sep := int(math.Ceil(MinEventSeparation * rate))
	strikes = extrema(heelRel, sep, 1)
	offs = extrema(toeRel, sep, -1)
	for i := range strikes {
		strikes[i] += from
	}
	for i := range offs {
		offs[i] += from
	}
	return strikes, offs, nil
}

// progression returns the unit horizontal direction of progression: that
// of forward, or if forward is zero that of the sacrum's displacement,
// checked against the heel's range about the sacrum (see MarkerEvents).
func progression(forward [3]float64, vertical int, h, s [3][]float64) ([3]float64, error) {
	given := forward != [3]float64{}
	dir := forward
	if !given {
		for k := range 3 {
			dir[k] = s[k][len(s[k])-1] - s[k][0]
		}
	}
	dir[vertical] = 0
	norm := math.Hypot(math.Hypot(dir[0], dir[1]), dir[2])
	if !(norm > 0) || math.IsInf(norm, 0) {
		if given {
			return dir, fmt.Errorf("gait: forward %v has no finite horizontal part", forward)
		}
		return dir, errors.New("gait: the sacrum does not move horizontally; give the direction of progression")
	}
	for k := range 3 {
		dir[k] /= norm
	}
	if given {
		return dir, nil
	}
	lo, hi := math.Inf(1), math.Inf(-1)
	for i := range s[0] {
		var v float64
		for k := range 3 {
			v += (h[k][i] - s[k][i]) * dir[k]
		}
		lo, hi = min(lo, v), max(hi, v)
	}
	if norm < hi-lo {
		return dir, fmt.Errorf("gait: the sacrum travels %.4g, less than the heel's range %.4g about it (treadmill?); give the direction of progression", norm, hi-lo)
	}
	return dir, nil
}

// extrema returns the interior local maxima of sign·x (sign ±1), in time
// order, keeping of any two closer than sep samples the more extreme. A
// plateau counts once, at its first sample.
func extrema(x []float64, sep int, sign float64) []int {
	var out []int
	for i := 1; i+1 < len(x); i++ {
		v := sign * x[i]
		if !(v > sign*x[i-1]) {
			continue
		}
		j := i + 1
		for j < len(x) && sign*x[j] == v {
			j++
		}
		if j == len(x) || !(v > sign*x[j]) {
			continue
		}
		if k := len(out) - 1; k >= 0 && i-out[k] < sep {
			if v > sign*x[out[k]] {
				out[k] = i
			}
			continue
		}
		out = append(out, i)
	}
	return out
}

// filter3 returns the three coordinates of p, each filtered by f.
func filter3(f *Filter, p [][3]float64) [3][]float64 {
	var out [3][]float64
	x := make([]float64, len(p))
	for k := range 3 {
		for i := range p {
			x[i] = p[i][k]
		}
		out[k] = f.FiltFilt(x)
	}
	return out
}

func finite3(p [3]float64) bool {
	for _, v := range p {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return false
		}
	}
	return true
}

// longestFinite returns the longest run [from, to) of indices below n for
// which ok holds; the first such run on ties.
func longestFinite(n int, ok func(int) bool) (from, to int) {
	start := -1
	for i := 0; i <= n; i++ {
		if i < n && ok(i) {
			if start < 0 {
				start = i
			}
			continue
		}
		if start >= 0 && i-start > to-from {
			from, to = start, i
		}
		start = -1
	}
	return from, to
}

// PelvicRotationRange returns the range (maximum − minimum), in degrees, of
// the pelvis's rotation about the vertical axis over frames [from, to):
// the angle, in the horizontal plane, of the vector from the right to the
// left anterior superior iliac spine marker (rasis → lasis). vertical is
// the index of the lab's vertical axis (AxisY for OpenSim, AxisZ for most
// C3D labs). The angle is unwrapped from frame to frame, so a pelvis
// facing across the ±180° cut gives no spurious jump.
//
// The markers are used as given: filter them first (FiltFilt at
// MarkerCutoff) so that noise does not widen the range. Frames where
// either marker has a non-finite coordinate are skipped. from and to are
// clipped to the slices; the result is NaN when no frame is usable or
// vertical is not 0, 1 or 2. It is SegmentRotationRange(rasis, lasis, …).
func PelvicRotationRange(lasis, rasis [][3]float64, from, to int, vertical int) float64 {
	return SegmentRotationRange(rasis, lasis, from, to, vertical)
}

// SegmentRotationRange returns the range (maximum − minimum), in degrees,
// of a body segment's rotation about the vertical axis over frames
// [from, to): the angle, in the horizontal plane, of the line from marker
// trajectory a to marker trajectory b, both fixed on the segment. vertical
// is the index of the lab's vertical axis (AxisY or AxisZ). The angle is
// unwrapped from frame to frame, so a line pointing across the ±180° cut
// gives no spurious jump.
//
// Any line of the segment that is not vertical will do, and the range does
// not depend on which: two lines of one rigid segment turn together, so
// an anteroposterior line gives the same range as a mediolateral one
// turned by 90°. For the pelvis take the anterior superior iliac spines
// (see PelvicRotationRange); for the thorax take the midpoint of the back
// markers to that of the front ones, e.g. Midpoints(C7, T10) →
// Midpoints(CLAV, STRN) (see ThoraxRotationRange), or the acromia LSHO →
// RSHO, which also move with the shoulder girdle.
//
// The markers are used as given: filter them first (FiltFilt at
// MarkerCutoff) so that noise does not widen the range. Frames where
// either marker has a non-finite coordinate are skipped. from and to are
// clipped to the slices; the result is NaN when no frame is usable or
// vertical is not 0, 1 or 2.
func SegmentRotationRange(a, b [][3]float64, from, to int, vertical int) float64 {
	if vertical < 0 || vertical > 2 {
		return math.NaN()
	}
	h1, h2 := (vertical+1)%3, (vertical+2)%3 // right-handed horizontal pair
	from = max(from, 0)
	to = min(to, len(a), len(b))
	lo, hi := math.Inf(1), math.Inf(-1)
	prev, have := 0.0, false
	for i := from; i < to; i++ {
		if !finite3(a[i]) || !finite3(b[i]) {
			continue
		}
		ang := math.Atan2(b[i][h2]-a[i][h2], b[i][h1]-a[i][h1])
		if have {
			ang -= 2 * math.Pi * math.Round((ang-prev)/(2*math.Pi))
		}
		prev, have = ang, true
		lo, hi = min(lo, ang), max(hi, ang)
	}
	if !have {
		return math.NaN()
	}
	return (hi - lo) * 180 / math.Pi
}

// ThoraxRotationRange returns the range, in degrees, of the thorax's
// rotation about the vertical axis over frames [from, to), from the
// Plug-in Gait trunk markers: the angle of the anteroposterior line from
// the midpoint of C7 and T10 to the midpoint of CLAV and STRN
// (SegmentRotationRange of Midpoints(c7, t10) and Midpoints(clav, strn)).
// The markers are used as given; filter them first.
func ThoraxRotationRange(c7, t10, clav, strn [][3]float64, from, to int, vertical int) float64 {
	return SegmentRotationRange(Midpoints(c7, t10), Midpoints(clav, strn), from, to, vertical)
}

// Midpoints returns the midpoint of a and b at each frame, for frames both
// have; a non-finite coordinate gives a non-finite midpoint.
func Midpoints(a, b [][3]float64) [][3]float64 {
	out := make([][3]float64, min(len(a), len(b)))
	for i := range out {
		for k := range 3 {
			out[i][k] = (a[i][k] + b[i][k]) / 2
		}
	}
	return out
}

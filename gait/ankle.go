package gait

import (
	"fmt"
	"math"
)

// Gravity is the acceleration due to gravity, in m/s², used to express
// forces in body weights. It is a convention of this package: 9.81 is the
// value tendo issue 9 uses for its body-weight figures; standard gravity
// (9.80665 m/s², 3rd CGPM, 1901) differs from it by 0.03 %.
const Gravity = 9.81

// DefaultMomentArm is the Achilles tendon moment arm about the ankle joint
// centre, in metres, used when no subject-specific value is known.
//
// The choice: 0.037 m, the rounded midpoint of the moment arms measured
// during maximum voluntary plantarflexion by K. Manal, J. D. Cowder,
// T. S. Buchanan, "Subject-specific measures of Achilles tendon moment arm
// using ultrasound and video-based motion capture", Physiol. Rep. 1(6):
// e00139, 2013 (10 healthy men, 20° dorsiflexion to 20° plantarflexion:
// 35.7–38.1 mm in contraction, 34.6–36.9 mm at rest). It is preferred
// because it is a direct in vivo measurement, taken under load (as in
// stance, when the triceps surae is active) and over the ankle angles of
// walking. Moment arms from magnetic-resonance images about a centre of
// rotation are longer: 4.3–5.6 cm at rest and 22–27 % more in contraction
// (C. N. Maganaris, V. Baltzopoulos, A. J. Sargeant, "In vivo
// measurement-based estimations of the human Achilles tendon moment arm",
// Eur. J. Appl. Physiol. 83(4–5): 363–369, 2000). The force is inversely
// proportional to the moment arm, so the choice is the largest single
// source of error in AchillesForce: 5 cm instead of 3.7 cm lowers the
// force by 26 %. Use a subject's own moment arm when one is measured
// (D. Holzer et al., Sci. Rep. 10: 19559, 2020, show force estimates
// depend strongly on the moment arm used).
const DefaultMomentArm = 0.037

// AnkleCentre returns the ankle joint centre of each frame as the midpoint
// of the lateral and medial malleolus markers. It panics if the lengths
// differ.
func AnkleCentre(lateral, medial [][3]float64) [][3]float64 {
	if len(lateral) != len(medial) {
		panic(fmt.Sprintf("gait: AnkleCentre: %d lateral and %d medial frames", len(lateral), len(medial)))
	}
	c := make([][3]float64, len(lateral))
	for i := range lateral {
		for k := range 3 {
			c[i][k] = (lateral[i][k] + medial[i][k]) / 2
		}
	}
	return c
}

// SegmentPoint returns, for each frame, the lab position of a point fixed
// in a rigid segment that three markers a, b and c track. la, lb and lc are
// the markers' positions in the segment's own frame and lp the point's, in
// the same length unit as a, b and c. Use it for a joint centre that no
// marker sits on, such as the ankle centre from foot markers when the
// malleoli were not recorded.
//
// In both frames an orthonormal basis is built from the markers: origin at
// a, first axis towards b, third axis normal to the plane of a, b and c,
// second axis completing a right-handed set. The point's coordinates in the
// local basis are carried to the lab basis. Markers that move on the skin
// relative to each other move the result; the method is exact only for a
// rigid marker set. A frame with collinear markers or a NaN gives NaN.
// It panics if a, b and c differ in length.
func SegmentPoint(a, b, c [][3]float64, la, lb, lc, lp [3]float64) [][3]float64 {
	if len(a) != len(b) || len(a) != len(c) {
		panic(fmt.Sprintf("gait: SegmentPoint: %d, %d and %d frames", len(a), len(b), len(c)))
	}
	lu := basis(la, lb, lc)
	d := sub(lp, la)
	local := [3]float64{dot(d, lu[0]), dot(d, lu[1]), dot(d, lu[2])}
	out := make([][3]float64, len(a))
	for i := range a {
		u := basis(a[i], b[i], c[i])
		for k := range 3 {
			out[i][k] = a[i][k] + local[0]*u[0][k] + local[1]*u[1][k] + local[2]*u[2][k]
		}
	}
	return out
}

// basis returns the orthonormal axes of SegmentPoint for markers a, b, c.
func basis(a, b, c [3]float64) [3][3]float64 {
	x := unit(sub(b, a))
	z := unit(cross(x, sub(c, a)))
	return [3][3]float64{x, cross(z, x), z}
}

func sub(p, q [3]float64) [3]float64 { return [3]float64{p[0] - q[0], p[1] - q[1], p[2] - q[2]} }

func dot(p, q [3]float64) float64 { return p[0]*q[0] + p[1]*q[1] + p[2]*q[2] }

func cross(p, q [3]float64) [3]float64 {
	return [3]float64{p[1]*q[2] - p[2]*q[1], p[2]*q[0] - p[0]*q[2], p[0]*q[1] - p[1]*q[0]}
}

// unit returns p scaled to length 1; a zero vector gives NaN.
func unit(p [3]float64) [3]float64 {
	n := math.Sqrt(dot(p, p))
	if n == 0 {
		return [3]float64{math.NaN(), math.NaN(), math.NaN()}
	}
	return [3]float64{p[0] / n, p[1] / n, p[2] / n}
}

// FiltFilt3 returns each coordinate of xyz filtered by f.FiltFilt. xyz is
// not modified.
func (f *Filter) FiltFilt3(xyz [][3]float64) [][3]float64 {
	out := make([][3]float64, len(xyz))
	col := make([]float64, len(xyz))
	for k := range 3 {
		for i := range xyz {
			col[i] = xyz[i][k]
		}
		for i, v := range f.FiltFilt(col) {
			out[i][k] = v
		}
	}
	return out
}

// Resample3 returns xyz, sampled at times t (seconds, increasing),
// linearly interpolated at the times tq. Times before t[0] or after the
// last time take the end value. It is meant for carrying low-pass filtered
// marker trajectories to the force plates' rate: markers band-limited to a
// few hertz (MarkerCutoff) change little between frames, so linear
// interpolation adds little error, whereas decimating the forces would
// throw away the sharp rise of the force at foot strike. It panics if
// len(t) != len(xyz) or t is empty.
func Resample3(t []float64, xyz [][3]float64, tq []float64) [][3]float64 {
	if len(t) != len(xyz) || len(t) == 0 {
		panic(fmt.Sprintf("gait: Resample3: %d times and %d frames", len(t), len(xyz)))
	}
	out := make([][3]float64, len(tq))
	j := 0
	for i, q := range tq {
		switch {
		case q <= t[0]:
			out[i] = xyz[0]
			continue
		case q >= t[len(t)-1]:
			out[i] = xyz[len(t)-1]
			continue
		}
		if q < t[j] {
			j = 0 // tq not increasing: search again from the start
		}
		for t[j+1] < q {
			j++
		}
		w := (q - t[j]) / (t[j+1] - t[j])
		for k := range 3 {
			out[i][k] = xyz[j][k] + w*(xyz[j+1][k]-xyz[j][k])
		}
	}
	return out
}

// PlantarflexorMoment returns, for each sample, the ankle plantarflexor
// moment in newton-metres estimated quasi-statically from the ground
// reaction force under one foot.
//
// All vectors are in the lab frame and in SI units: grf is the ground
// reaction force on the foot (N), cop its point of application, the centre
// of pressure (m), free the free moment of the plate (N·m; nil for none)
// and ankle the ankle joint centre (m), all at the same rate. The lab frame
// is OpenSim's ground frame: X forward (the direction of walking), Y up and
// Z to the subject's right. The moment of the force about the ankle is
// M = r × F + free, with r = cop − ankle, and its Z component is returned:
// Mz = rx·Fy − ry·Fx + freeZ. A positive value is a plantarflexor moment:
// with the force ahead of the ankle (rx > 0) the ground pushes the forefoot
// up, and the muscles must hold it with an equal plantarflexor moment (the
// moment the joint exerts on the foot is −M, about −Z, which turns the toes
// down). The Z axis is medio-lateral for both feet, so the sign holds for
// the left foot too. If the subject walks towards −X, negate the result.
//
// Quasi-static means the foot's weight and inertia are ignored: the joint
// moment balances the ground reaction alone. In stance the foot's terms
// are small beside the ground reaction's (an estimate of this package, a
// few per cent of the peak for walking). Against OpenSim's inverse
// dynamics, which includes them, the peak of OpenSim's subject01 walk is
// 1.5 % lower and the stance RMS difference 2 N·m (ankle_test.go). The
// estimate is poor in swing, where the ground reaction is zero and only
// those terms remain; it then returns values near 0.
//
// It panics if the lengths of grf, cop, ankle and (when not nil) free
// differ.
func PlantarflexorMoment(grf, cop, free, ankle [][3]float64) []float64 {
	n := len(grf)
	if len(cop) != n || len(ankle) != n || (free != nil && len(free) != n) {
		panic(fmt.Sprintf("gait: PlantarflexorMoment: %d forces, %d centres of pressure, %d free moments, %d ankle centres",
			n, len(cop), len(free), len(ankle)))
	}
	m := make([]float64, n)
	for i := range grf {
		r := sub(cop[i], ankle[i])
		m[i] = r[0]*grf[i][1] - r[1]*grf[i][0]
		if free != nil {
			m[i] += free[i][2]
		}
	}
	return m
}

// PlantarflexorFromID returns the plantarflexor moment, in newton-metres,
// from an inverse-dynamics ankle moment such as OpenSim's
// ankle_angle_r_moment: OpenSim's ankle coordinate is positive in
// dorsiflexion, so the plantarflexor moment is its negative. The result is
// a new slice.
func PlantarflexorFromID(ankleAngleMoment []float64) []float64 {
	m := make([]float64, len(ankleAngleMoment))
	for i, v := range ankleAngleMoment {
		m[i] = -v
	}
	return m
}

// AchillesForce returns the Achilles tendon force, in newtons, that
// produces the plantarflexor moment (N·m) about a moment arm of momentArm
// metres (see DefaultMomentArm): F = M / momentArm. The triceps surae is
// taken to carry the whole plantarflexor moment (other plantarflexors and
// co-contraction are ignored, so this is a lower bound when the
// antagonists are active). A tendon only pulls, so a dorsiflexor (negative)
// moment gives 0. NaN propagates. It panics unless momentArm is a positive
// finite number.
func AchillesForce(moment []float64, momentArm float64) []float64 {
	if !(momentArm > 0) || math.IsInf(momentArm, 0) {
		panic(fmt.Sprintf("gait: AchillesForce: moment arm %v m, want a positive finite number", momentArm))
	}
	f := make([]float64, len(moment))
	for i, m := range moment {
		f[i] = max(m, 0) / momentArm // max keeps NaN
	}
	return f
}

// BodyWeights returns the forces f (N) divided by the body weight of a
// subject of massKg kilograms, massKg·Gravity. It panics unless massKg is a
// positive finite number.
func BodyWeights(f []float64, massKg float64) []float64 {
	if !(massKg > 0) || math.IsInf(massKg, 0) {
		panic(fmt.Sprintf("gait: BodyWeights: mass %v kg, want a positive finite number", massKg))
	}
	bw := make([]float64, len(f))
	for i, v := range f {
		bw[i] = v / (massKg * Gravity)
	}
	return bw
}

// Peak returns the index and value of the largest sample of x in the
// half-open range [from, to), skipping NaN. It returns −1 and NaN if the
// range holds no number. from and to are clamped to the slice.
func Peak(x []float64, from, to int) (int, float64) {
	from, to = max(from, 0), min(to, len(x))
	at, v := -1, math.NaN()
	for i := from; i < to; i++ {
		if !math.IsNaN(x[i]) && (at < 0 || x[i] > v) {
			at, v = i, x[i]
		}
	}
	return at, v
}

// LoadingRate returns the largest rate of rise of x, in units of x per
// second, between samples from and to (inclusive; to is usually the index
// of the peak): the maximum over that range of the forward difference
// (x[i+1] − x[i])·rate. For the Achilles force in body weights it is in
// BW/s. The finite difference amplifies noise, so pass filtered data. It
// returns NaN if the range holds fewer than two samples.
func LoadingRate(x []float64, rate float64, from, to int) float64 {
	from, to = max(from, 0), min(to, len(x)-1)
	best := math.NaN()
	for i := from; i < to; i++ {
		s := (x[i+1] - x[i]) * rate
		if math.IsNaN(best) || s > best {
			best = s
		}
	}
	return best
}

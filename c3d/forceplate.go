package c3d

import (
	"errors"
	"fmt"
	"math"
)

// DefaultMinFz is the normal force (in the units of the force channels,
// usually N) below which [File.ForcePlates] leaves the centre of pressure
// undefined.
const DefaultMinFz = 10

// ErrNoForcePlates is returned by [File.ForcePlates] for a file without a
// FORCE_PLATFORM group.
var ErrNoForcePlates = errors.New("c3d: no FORCE_PLATFORM group")

// A ForcePlate is one force platform of the FORCE_PLATFORM group with its
// wrench computed at every analog sample.
//
// Two frames are involved. The lab frame is that of the points. The plate
// frame has its axes from CORNERS as the C3D specification numbers them:
// x runs from corner 2 to corner 1, y from corner 4 to corner 1, and z
// (x × y) points into the plate, away from the foot. Lengths are in the
// units of the points (usually mm) and forces in those of the analog
// channels.
//
// Force is the force of the channels (after CAL_MATRIX for type 4)
// rotated from the plate frame to the lab frame, with no change of sign.
// Plates commonly report the reaction on the subject (Fz negative along
// the plate's downward z under load), so for a plate on the floor of a lab
// whose vertical axis points up the vertical component is positive under
// load; this is so for the AMTI plates of OpenSim's walking trials and the
// type-1 plate of c3d.org's sample28, and it matches OpenSim's .sto
// files.
type ForcePlate struct {
	Type     int           // FORCE_PLATFORM:TYPE: 1, 2, 3 or 4
	Corners  [4][3]float64 // lab frame, in the order stored
	Centre   [3]float64    // lab frame: the mean of the corners (the centre of the top surface)
	Axes     [3][3]float64 // lab frame: the unit x, y and z axes of the plate
	Origin   [3]float64    // plate frame: from the centre of the top surface to the sensor origin (z ≥ 0)
	Channels []int         // analog channel indices (0-based) that the plate reads

	// Per analog sample, in the lab frame:
	Force  [][3]float64 // force applied to the plate
	Moment [][3]float64 // moment about Centre
	// COP is the centre of pressure on the top surface; NaN where the
	// normal force is below the threshold.
	COP [][3]float64
	// FreeMoment is the moment about the COP, along the plate's normal:
	// Moment = (COP - Centre) × Force + FreeMoment. NaN with COP.
	FreeMoment [][3]float64
}

// ForcePlates returns the force plates of f with the centre of pressure
// defined where the normal force is at least DefaultMinFz.
func (f *File) ForcePlates() ([]ForcePlate, error) {
	return f.ForcePlatesMinFz(DefaultMinFz)
}

// ForcePlatesMinFz is like ForcePlates with a threshold of minFz on the
// magnitude of the normal force for the centre of pressure.
//
// It reads FORCE_PLATFORM:USED, TYPE, CORNERS, ORIGIN, CHANNEL and, for type
// 4, CAL_MATRIX. The channels hold, in the plate frame:
//
//   - type 1: Fx, Fy, Fz, COPx, COPy (on the top surface, from its centre)
//     and Tz (the free moment);
//   - types 2 and 4: Fx, Fy, Fz, Mx, My, Mz about the sensor origin; for
//     type 4 they are first multiplied by the 6×6 CAL_MATRIX;
//   - type 3 (Kistler): fx12, fx34, fy14, fy23, fz1, fz2, fz3, fz4, with
//     ORIGIN holding the sensor offsets a, b and az0.
//
// ORIGIN is stored with either sign convention for types 1, 2 and 4 (from the
// sensor to the surface, as the specification says, or the reverse, as
// many systems write it); the returned Origin always points from the
// surface into the plate.
//
// A plate without data (no analog samples) has empty per-sample slices;
// FORCE_PLATFORM:USED = 0 gives no plates and no error. A file without a
// FORCE_PLATFORM group yields ErrNoForcePlates; missing or inconsistent
// parameters (too few values, channels out of range, corners that do not
// span a plane, a CAL_MATRIX that is not 6×6 per plate) yield other errors.
func (f *File) ForcePlatesMinFz(minFz float64) ([]ForcePlate, error) {
	g := f.Group("FORCE_PLATFORM")
	if g == nil {
		return nil, ErrNoForcePlates
	}
	used := g.Param("USED").Ints()
	if len(used) == 0 {
		return nil, errors.New("c3d: no FORCE_PLATFORM:USED")
	}
	n := used[0]
	if n < 0 {
		return nil, fmt.Errorf("c3d: FORCE_PLATFORM:USED is %d", n)
	}
	if n == 0 {
		return nil, nil
	}
	types := g.Param("TYPE").Ints()
	corners := g.Param("CORNERS").Floats()
	origins := g.Param("ORIGIN").Floats()
	chans := g.Param("CHANNEL")
	switch {
	case len(types) < n:
		return nil, fmt.Errorf("c3d: FORCE_PLATFORM:TYPE has %d values for %d plates", len(types), n)
	case len(corners) < 12*n:
		return nil, fmt.Errorf("c3d: FORCE_PLATFORM:CORNERS has %d values for %d plates", len(corners), n)
	case len(origins) < 3*n:
		return nil, fmt.Errorf("c3d: FORCE_PLATFORM:ORIGIN has %d values for %d plates", len(origins), n)
	case chans == nil:
		return nil, errors.New("c3d: no FORCE_PLATFORM:CHANNEL")
	}
	chv := chans.Ints()
	stride := len(chv) // channels per plate as stored
	if len(chans.Dims) > 0 {
		stride = chans.Dims[0]
	}
	if len(chans.Dims) < 2 && n > 1 {
		stride = len(chv) / n
	}
	var cal []float64
	calStride := 0
	if p := g.Param("CAL_MATRIX"); p != nil {
		cal = p.Floats()
		if len(p.Dims) >= 2 {
			calStride = p.Dims[0] * p.Dims[1]
		}
	}

	plates := make([]ForcePlate, n)
	for i := range plates {
		fp := &plates[i]
		fp.Type = types[i]
		nc := 0
		switch fp.Type {
		case 1, 2, 4:
			nc = 6
		case 3:
			nc = 8
		default:
			return nil, fmt.Errorf("c3d: force plate %d: unsupported type %d", i+1, fp.Type)
		}
		if stride < nc || (i+1)*stride > len(chv) {
			return nil, fmt.Errorf("c3d: force plate %d: FORCE_PLATFORM:CHANNEL has %d values, want %d per plate", i+1, len(chv), nc)
		}
		fp.Channels = make([]int, nc)
		for k := range nc {
			c := chv[i*stride+k]
			if c < 1 || c > len(f.Analog) {
				return nil, fmt.Errorf("c3d: force plate %d: channel %d is out of range 1-%d", i+1, c, len(f.Analog))
			}
			fp.Channels[k] = c - 1
		}
		for k := range 4 {
			copy(fp.Corners[k][:], corners[12*i+3*k:])
		}
		for k := range 4 {
			for j := range 3 {
				fp.Centre[j] += fp.Corners[k][j] / 4
			}
		}
		if err := fp.axes(); err != nil {
			return nil, fmt.Errorf("c3d: force plate %d: %w", i+1, err)
		}
		copy(fp.Origin[:], origins[3*i:])
		var m *[36]float64
		if fp.Type == 4 {
			if calStride != 36 || len(cal) < 36*(i+1) {
				return nil, fmt.Errorf("c3d: force plate %d: FORCE_PLATFORM:CAL_MATRIX has %d values, want 6×6 per plate", i+1, len(cal))
			}
			m = (*[36]float64)(cal[36*i : 36*(i+1)])
		}
		fp.compute(f.Analog, m, minFz)
	}
	return plates, nil
}

// axes sets the plate axes from the corners.
func (fp *ForcePlate) axes() error {
	c := fp.Corners
	x := sub(c[0], c[1])
	y := sub(c[0], c[3])
	z := cross(x, y)
	y = cross(z, x)
	for k, v := range [][3]float64{x, y, z} {
		l := math.Sqrt(dot(v, v))
		if !(l > 0) || math.IsInf(l, 0) {
			return errors.New("FORCE_PLATFORM:CORNERS do not span a plane")
		}
		for j := range v {
			fp.Axes[k][j] = v[j] / l
		}
	}
	return nil
}

// compute fills the per-sample slices from the analog channels a.
func (fp *ForcePlate) compute(a [][]float64, cal *[36]float64, minFz float64) {
	ns := len(a[fp.Channels[0]])
	stored := fp.Origin
	o := stored
	switch fp.Type {
	case 1, 2, 4:
		if o[2] < 0 { // the specification's sign: from the sensor to the surface
			o = [3]float64{-o[0], -o[1], -o[2]}
		}
	case 3:
		// Kistler: ORIGIN is (a, b, az0), az0 ≤ 0 the depth of the sensor
		// plane below the surface; the moments are about the centre of
		// that plane.
		o = [3]float64{0, 0, math.Abs(o[2])}
	}
	fp.Origin = o
	fp.Force = make([][3]float64, ns)
	fp.Moment = make([][3]float64, ns)
	fp.COP = make([][3]float64, ns)
	fp.FreeMoment = make([][3]float64, ns)
	var raw [8]float64
	for s := range ns {
		for k, c := range fp.Channels {
			raw[k] = a[c][s]
		}
		var F, M [3]float64 // plate frame, M about the sensor origin
		switch fp.Type {
		case 1:
			F = [3]float64{raw[0], raw[1], raw[2]}
			// The COP and Tz give the moment about the sensor origin.
			p := [3]float64{raw[3] - o[0], raw[4] - o[1], -o[2]}
			M = cross(p, F)
			M[2] += raw[5]
		case 2:
			F = [3]float64{raw[0], raw[1], raw[2]}
			M = [3]float64{raw[3], raw[4], raw[5]}
		case 4:
			var v [6]float64
			for r := range 6 {
				for c := range 6 {
					v[r] += cal[r+6*c] * raw[c]
				}
			}
			F = [3]float64{v[0], v[1], v[2]}
			M = [3]float64{v[3], v[4], v[5]}
		case 3:
			ka, kb := math.Abs(stored[0]), math.Abs(stored[1])
			F = [3]float64{raw[0] + raw[1], raw[2] + raw[3], raw[4] + raw[5] + raw[6] + raw[7]}
			M = [3]float64{
				kb * (raw[4] + raw[5] - raw[6] - raw[7]),
				ka * (-raw[4] + raw[5] + raw[6] - raw[7]),
				kb*(-raw[0]+raw[1]) + ka*(raw[2]-raw[3]),
			}
		}
		// Moment about the centre of the surface: the sensor origin is at
		// o from it.
		Mc := add(M, cross(o, F))
		fp.Force[s] = fp.toLab(F)
		fp.Moment[s] = fp.toLab(Mc)
		if math.Abs(F[2]) < minFz || F[2] == 0 {
			nan := math.NaN()
			fp.COP[s] = [3]float64{nan, nan, nan}
			fp.FreeMoment[s] = [3]float64{nan, nan, nan}
			continue
		}
		// COP p on the surface (z = 0 from the centre): Mc = p × F + Tz ẑ.
		p := [3]float64{-Mc[1] / F[2], Mc[0] / F[2], 0}
		tz := Mc[2] - (p[0]*F[1] - p[1]*F[0])
		lp := fp.toLab(p)
		fp.COP[s] = add(fp.Centre, lp)
		fp.FreeMoment[s] = fp.toLab([3]float64{0, 0, tz})
	}
}

// toLab rotates v from the plate frame to the lab frame.
func (fp *ForcePlate) toLab(v [3]float64) [3]float64 {
	var r [3]float64
	for k := range 3 {
		for j := range 3 {
			r[j] += v[k] * fp.Axes[k][j]
		}
	}
	return r
}

func add(a, b [3]float64) [3]float64 { return [3]float64{a[0] + b[0], a[1] + b[1], a[2] + b[2]} }
func sub(a, b [3]float64) [3]float64 { return [3]float64{a[0] - b[0], a[1] - b[1], a[2] - b[2]} }
func dot(a, b [3]float64) float64    { return a[0]*b[0] + a[1]*b[1] + a[2]*b[2] }
func cross(a, b [3]float64) [3]float64 {
	return [3]float64{a[1]*b[2] - a[2]*b[1], a[2]*b[0] - a[0]*b[2], a[0]*b[1] - a[1]*b[0]}
}

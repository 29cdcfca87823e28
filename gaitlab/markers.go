package gaitlab

import (
	"math"
	"strings"

	"github.com/tendo-health/tendo/c3d"
	"github.com/tendo-health/tendo/gait"
)

// markerNames lists, for each landmark tendo uses, the labels it is known
// by, in order of preference: Plug-in Gait's (Vicon) and those of
// OpenSim's walking trials (walking2.c3d, walking5.c3d).
var markerNames = map[string][]string{
	"RHEE": {"RHEE", "RCAL"}, "LHEE": {"LHEE", "LCAL"},
	"RTOE": {"RTOE", "RMT2", "RMT1", "RMT5"}, "LTOE": {"LTOE", "LMT2", "LMT1", "LMT5"},
	"RASI": {"RASI"}, "LASI": {"LASI"},
	"RPSI": {"RPSI"}, "LPSI": {"LPSI"}, "SACR": {"SACR", "SACRUM"},
	// Ankle joint centre when the lab computed one; otherwise the
	// malleoli.
	"RAJC": {"RAJC"}, "LAJC": {"LAJC"},
	"RLMAL": {"RLMAL", "RANK", "RLMA"}, "LLMAL": {"LLMAL", "LANK", "LLMA"},
	"RMMAL": {"RMMAL", "RMED", "RMMA"}, "LMMAL": {"LMMAL", "LMED", "LMMA"},
	// Thorax: the shoulders, or the spine and sternum markers.
	"RSHO": {"RSHO"}, "LSHO": {"LSHO"},
	"C7": {"C7"}, "T10": {"T10"}, "CLAV": {"CLAV"}, "STRN": {"STRN"},
}

// markers holds a file's marker trajectories in metres.
type markers struct {
	rate  float64
	n     int
	index map[string]int // upper-case label without a subject prefix → point
	pts   [][]c3d.Point
	scale float64 // file length unit → metres
	cache map[string][][3]float64
	lp    *gait.Filter // nil when the trial is too short to filter
}

func newMarkers(f *c3d.File, scale float64) *markers {
	m := &markers{rate: f.FrameRate, n: len(f.Points), index: map[string]int{}, pts: f.Points, scale: scale, cache: map[string][][3]float64{}}
	for i, l := range f.PointLabels {
		if j := strings.LastIndexByte(l, ':'); j >= 0 {
			l = l[j+1:]
		}
		l = strings.ToUpper(strings.TrimSpace(l))
		if _, dup := m.index[l]; !dup {
			m.index[l] = i
		}
	}
	if lp, err := gait.Butterworth(gait.MarkerFilterOrder, gait.MarkerCutoff, m.rate); err == nil {
		m.lp = lp
	}
	return m
}

// get returns the landmark's trajectory in metres, low-pass filtered
// (each run of valid frames on its own), NaN where the marker was not
// seen; nil when the file has none of its labels or never saw it.
func (m *markers) get(landmark string) [][3]float64 {
	if p, ok := m.cache[landmark]; ok {
		return p
	}
	var out [][3]float64
	for _, name := range markerNames[landmark] {
		i, ok := m.index[name]
		if !ok {
			continue
		}
		p := make([][3]float64, m.n)
		seen := false
		for f := range m.n {
			q := m.pts[f][i]
			if q.Valid() && finite(q.X) && finite(q.Y) && finite(q.Z) && !(q.X == 0 && q.Y == 0 && q.Z == 0) {
				p[f] = [3]float64{q.X * m.scale, q.Y * m.scale, q.Z * m.scale}
				seen = true
			} else {
				p[f] = [3]float64{math.NaN(), math.NaN(), math.NaN()}
			}
		}
		if seen {
			out = m.filter(p)
			break
		}
	}
	m.cache[landmark] = out
	return out
}

// minFilterRun is the shortest run of valid frames that is filtered;
// shorter runs are kept as measured.
const minFilterRun = 16

func (m *markers) filter(p [][3]float64) [][3]float64 {
	if m.lp == nil {
		return p
	}
	for from := 0; from < len(p); {
		if !finite3(p[from]) {
			from++
			continue
		}
		to := from
		for to < len(p) && finite3(p[to]) {
			to++
		}
		if to-from >= minFilterRun {
			copy(p[from:to], m.lp.FiltFilt3(p[from:to]))
		}
		from = to
	}
	return p
}

// mid returns the midpoint of two trajectories frame by frame; nil when
// either is nil.
func mid(a, b [][3]float64) [][3]float64 {
	if a == nil || b == nil {
		return nil
	}
	out := make([][3]float64, len(a))
	for i := range a {
		for k := range 3 {
			out[i][k] = (a[i][k] + b[i][k]) / 2
		}
	}
	return out
}

func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }

func finite3(p [3]float64) bool { return finite(p[0]) && finite(p[1]) && finite(p[2]) }

func dot(a, b [3]float64) float64 { return a[0]*b[0] + a[1]*b[1] + a[2]*b[2] }

func cross(a, b [3]float64) [3]float64 {
	return [3]float64{a[1]*b[2] - a[2]*b[1], a[2]*b[0] - a[0]*b[2], a[0]*b[1] - a[1]*b[0]}
}

func sub(a, b [3]float64) [3]float64 { return [3]float64{a[0] - b[0], a[1] - b[1], a[2] - b[2]} }

func scale3(a [3]float64, s float64) [3]float64 { return [3]float64{a[0] * s, a[1] * s, a[2] * s} }

func norm(a [3]float64) float64 { return math.Sqrt(dot(a, a)) }

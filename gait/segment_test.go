package gait_test

import (
	"math"
	"testing"

	"github.com/tendo-health/tendo/c3d"
	"github.com/tendo-health/tendo/gait"
	"github.com/tendo-health/tendo/internal/shared"
)

// turned returns n frames of the point p (lab coordinates relative to a
// centre at height 1000 on the vertical axis) rotated about the vertical
// by heading + amp·sin(2π i/n) degrees.
func turned(p [3]float64, vertical int, heading, amp float64, n int) [][3]float64 {
	a, b := (vertical+1)%3, (vertical+2)%3
	out := make([][3]float64, n)
	for i := range out {
		ang := (heading + amp*math.Sin(2*math.Pi*float64(i)/float64(n))) * math.Pi / 180
		c, s := math.Cos(ang), math.Sin(ang)
		out[i][a] = c*p[a] - s*p[b]
		out[i][b] = s*p[a] + c*p[b]
		out[i][vertical] = 1000 + p[vertical]
	}
	return out
}

// TestSegmentRotationRangeSynthetic turns a rigid thorax and pelvis by
// known amplitudes, with lines across and along the segment, including
// headings across the ±180° cut of atan2.
func TestSegmentRotationRangeSynthetic(t *testing.T) {
	t.Parallel()
	const n = 200
	for _, tc := range []struct {
		name     string
		vertical int
		heading  float64 // degrees
		amp      float64 // degrees, so the range is 2·amp
	}{
		{"Z up, facing X", gait.AxisZ, 0, 4},
		{"Z up, across the cut", gait.AxisZ, 180, 6.5},
		{"Y up, facing −Z", gait.AxisY, -90, 3},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			a, b := (tc.vertical+1)%3, (tc.vertical+2)%3
			pt := func(fwd, left, up float64) [3]float64 {
				var p [3]float64
				p[a], p[b], p[tc.vertical] = fwd, left, up
				return p
			}
			tr := func(p [3]float64) [][3]float64 { return turned(p, tc.vertical, tc.heading, tc.amp, n) }
			want := 2 * tc.amp
			// Thorax: C7 and T10 at the back, CLAV and STRN at the front,
			// at different heights; shoulders across.
			c7, t10 := tr(pt(-60, 0, 450)), tr(pt(-80, 5, 250))
			clav, strn := tr(pt(90, 0, 420)), tr(pt(110, -5, 280))
			lsho, rsho := tr(pt(0, 180, 430)), tr(pt(0, -180, 430))
			lasi, rasi := tr(pt(60, 120, 0)), tr(pt(60, -120, 0))
			for _, got := range []struct {
				what string
				v    float64
			}{
				{"thorax back → front", gait.ThoraxRotationRange(c7, t10, clav, strn, 0, n, tc.vertical)},
				{"thorax front → back", gait.SegmentRotationRange(gait.Midpoints(clav, strn), gait.Midpoints(c7, t10), 0, n, tc.vertical)},
				{"shoulders", gait.SegmentRotationRange(lsho, rsho, 0, n, tc.vertical)},
				{"pelvis", gait.SegmentRotationRange(rasi, lasi, 0, n, tc.vertical)},
				{"PelvicRotationRange", gait.PelvicRotationRange(lasi, rasi, 0, n, tc.vertical)},
			} {
				if math.Abs(got.v-want) > 1e-6 {
					t.Errorf("%s: range %v°, want %v°", got.what, got.v, want)
				}
			}
		})
	}
}

// TestSegmentRotationRangeEdges checks the window, missing frames and bad
// arguments.
func TestSegmentRotationRangeEdges(t *testing.T) {
	t.Parallel()
	const n = 100
	a := turned([3]float64{-100, 0, 0}, gait.AxisZ, 0, 5, n)
	b := turned([3]float64{100, 0, 0}, gait.AxisZ, 0, 5, n)
	nan := math.NaN()
	holed := append([][3]float64(nil), b...)
	holed[n/4] = [3]float64{nan, nan, nan} // the frame of the +5° extreme
	for _, tc := range []struct {
		name     string
		a, b     [][3]float64
		from, to int
		vertical int
		want     float64 // NaN for no result
	}{
		{"whole", a, b, 0, n, gait.AxisZ, 10},
		{"first quarter", a, b, 0, n/4 + 1, gait.AxisZ, 5},
		{"window clipped", a, b, -10, 10 * n, gait.AxisZ, 10},
		{"extreme missing", a, holed, 0, n, gait.AxisZ, 5 + 5*math.Sin(2*math.Pi*float64(n/4-1)/n)},
		{"empty window", a, b, 50, 50, gait.AxisZ, nan},
		{"bad axis", a, b, 0, n, 3, nan},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got := gait.SegmentRotationRange(tc.a, tc.b, tc.from, tc.to, tc.vertical)
			if math.IsNaN(tc.want) {
				if !math.IsNaN(got) {
					t.Errorf("range %v°, want NaN", got)
				}
				return
			}
			if math.Abs(got-tc.want) > 1e-9 {
				t.Errorf("range %v°, want %v°", got, tc.want)
			}
		})
	}
}

// TestSegmentRotationWalking2 measures the pelvis and thorax of OpenSim's
// walking2.c3d (Vicon, Z up) over the longest run of frames in which the
// trunk and pelvis markers are all present (about 1.7 s, more than one
// stride), filtered as MarkerEvents filters. Expectations written before
// running: PelvicRotationRange and SegmentRotationRange agree exactly; the
// back → front thorax line and its reverse agree; and a healthy walker's
// thorax and pelvis ranges lie in the reference bands trunkRotationRangeDeg
// (Chung et al. 2010, mean ± 2 SD) and pelvicRotationRangeDeg (estimate).
func TestSegmentRotationWalking2(t *testing.T) {
	t.Parallel()
	f, err := c3d.Open(shared.Path(t, "data", "c3d", "opensim-core", "walking2.c3d"))
	if err != nil {
		t.Fatal(err)
	}
	names := []string{"C7", "T10", "CLAV", "STRN", "LASI", "RASI"}
	tracks := make(map[string][][3]float64, len(names))
	var all [][][3]float64
	for _, name := range names {
		tr, ok := pointTrack(f, name)
		if !ok {
			t.Fatalf("walking2: no marker %s", name)
		}
		tracks[name] = tr
		all = append(all, tr)
	}
	from, to := validSpan(all...)
	if to-from < 20 {
		t.Fatalf("walking2: only frames [%d, %d) have all trunk and pelvis markers", from, to)
	}
	filt, err := gait.Butterworth(gait.MarkerFilterOrder, gait.MarkerCutoff, f.FrameRate)
	if err != nil {
		t.Fatal(err)
	}
	m := make(map[string][][3]float64, len(names))
	for _, name := range names {
		m[name] = filterTrack(filt, tracks[name][from:to])
	}
	n := to - from
	pelvis := gait.PelvicRotationRange(m["LASI"], m["RASI"], 0, n, gait.AxisZ)
	if seg := gait.SegmentRotationRange(m["RASI"], m["LASI"], 0, n, gait.AxisZ); seg != pelvis {
		t.Errorf("SegmentRotationRange %v° ≠ PelvicRotationRange %v°", seg, pelvis)
	}
	thorax := gait.ThoraxRotationRange(m["C7"], m["T10"], m["CLAV"], m["STRN"], 0, n, gait.AxisZ)
	back, front := gait.Midpoints(m["C7"], m["T10"]), gait.Midpoints(m["CLAV"], m["STRN"])
	if rev := gait.SegmentRotationRange(front, back, 0, n, gait.AxisZ); math.Abs(rev-thorax) > 1e-9 {
		t.Errorf("reversed thorax line %v° ≠ %v°", rev, thorax)
	}
	t.Logf("walking2 frames [%d, %d) (%.2f s): pelvis %.2f°, thorax %.2f°", from, to, float64(n)/f.FrameRate, pelvis, thorax)
	for _, c := range []struct {
		key string
		v   float64
	}{{"trunkRotationRangeDeg", thorax}, {"pelvicRotationRangeDeg", pelvis}} {
		band, _ := gait.Reference(c.key)
		if !band.Contains(c.v) {
			t.Errorf("%s %.2f° outside [%v, %v]", c.key, c.v, band.Low, band.High)
		}
	}
}

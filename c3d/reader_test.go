package c3d_test

import (
	"bytes"
	"errors"
	"math"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/tendo-health/tendo/c3d"
	"github.com/tendo-health/tendo/internal/shared"
	"github.com/tendo-health/tendo/osim"
)

func mustOpen(tb testing.TB, elem ...string) *c3d.File {
	tb.Helper()
	f, err := c3d.Open(shared.Path(tb, append([]string{"data", "c3d"}, elem...)...))
	if err != nil {
		tb.Fatal(err)
	}
	return f
}

func TestReadShared(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		path        string
		proc        c3d.Processor
		points      int
		first, last int
		rate        float64
		channels    int
		analogRate  float64
		float       bool
	}{
		{"opensim-core/walking2.c3d", c3d.Intel, 44, 1, 1249, 250, 12, 2000, true},
		{"opensim-core/walking5.c3d", c3d.Intel, 40, 1, 1103, 250, 12, 2000, true},
		{"btkdata/PiG/PiG_Motion3_FF.c3d", c3d.Intel, 97, 725, 1017, 100, 34, 1000, true},
		{"btkdata/c3d.org/sample09/PlugInC3D.c3d", c3d.DEC, 86, 1, 281, 60, 36, 1200, false},
		{"btkdata/c3d.org/sample01/Eb015pr.c3d", c3d.Intel, 26, 1, 450, 50, 16, 200, true},
		{"btkdata/c3d.org/sample10/TYPE-2.C3D", c3d.DEC, 13, 1, 199, 60, 6, 1200, false},
		{"btkdata/c3d.org/sample10/TYPE-4.C3D", c3d.DEC, 13, 1, 199, 60, 6, 1200, false},
		{"btkdata/c3d.org/sample28/type1.C3D", c3d.Intel, 28, 1, 296, 100, 6, 100, true},
	} {
		t.Run(tt.path, func(t *testing.T) {
			t.Parallel()
			f := mustOpen(t, strings.Split(tt.path, "/")...)
			if got, want := f.Processor, tt.proc; got != want {
				t.Errorf("Processor=%v, want %v", got, want)
			}
			if got, want := f.NumPoints, tt.points; got != want {
				t.Errorf("NumPoints=%d, want %d", got, want)
			}
			if f.FirstFrame != tt.first || f.LastFrame != tt.last {
				t.Errorf("frames %d-%d, want %d-%d", f.FirstFrame, f.LastFrame, tt.first, tt.last)
			}
			if got, want := f.FrameRate, tt.rate; got != want {
				t.Errorf("FrameRate=%g, want %g", got, want)
			}
			if got, want := f.AnalogRate, tt.analogRate; got != want {
				t.Errorf("AnalogRate=%g, want %g", got, want)
			}
			if got, want := f.Scale < 0, tt.float; got != want {
				t.Errorf("float storage=%v, want %v", got, want)
			}
			if got, want := len(f.Points), tt.last-tt.first+1; got != want {
				t.Errorf("len(Points)=%d, want %d", got, want)
			}
			if got, want := len(f.PointLabels), tt.points; got != want {
				t.Errorf("len(PointLabels)=%d, want %d", got, want)
			}
			if got, want := len(f.Analog), tt.channels; got != want {
				t.Fatalf("channels=%d, want %d", got, want)
			}
			if got, want := len(f.Analog[0]), len(f.Points)*int(tt.analogRate/tt.rate); got != want {
				t.Errorf("analog samples=%d, want %d", got, want)
			}
			if got := f.Param("POINT", "LABELS").Strings(); len(got) == 0 || got[0] != f.PointLabels[0] {
				t.Errorf("POINT:LABELS=%q, PointLabels[0]=%q", got, f.PointLabels[0])
			}
		})
	}
}

// readTRC reads an OpenSim marker file with package osim (its own
// tests check it against the same files).
func readTRC(tb testing.TB, path string) (names []string, times []float64, rows [][]float64) {
	tb.Helper()
	f, err := os.Open(path)
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	trc, err := osim.ReadTRC(f)
	if err != nil {
		tb.Fatal(err)
	}
	return trc.Markers, trc.Times, trc.Data
}

// readSTO reads an OpenSim storage file with package osim.
func readSTO(tb testing.TB, path string) (cols []string, rows [][]float64) {
	tb.Helper()
	f, err := os.Open(path)
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	t, err := osim.ReadTable(f)
	if err != nil {
		tb.Fatal(err)
	}
	return t.Columns, t.Rows
}

// TestMarkersOpenSim compares the points with the marker files that
// OpenSim's C3DFileAdapter test takes as its standard. The TRC (written by
// Mokka) keeps five significant digits, not five decimals (-2552.2,
// 300.46), so a point must round to the TRC's value: it may differ by half
// a unit in the fifth significant digit (0.05 mm at 1000 mm; see tol); 1e-4 mm
// cannot be checked against this file. The TRC lists the
// markers in the order of POINT:LABELS, in the C3D's own axes and units
// (mm): no rotation is applied. Its rows are every tenth frame and the
// last; Frame# renumbers the kept rows 1, 2, 3, ..., so the frame is found
// from the Time column (frame index = Time × POINT:RATE).
func TestMarkersOpenSim(t *testing.T) {
	t.Parallel()
	for _, name := range []string{"walking2", "walking5"} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			f := mustOpen(t, "opensim-core", name+".c3d")
			names, times, rows := readTRC(t, shared.Path(t, "data", "c3d", "opensim-core", "reference", "std_"+name+"_markers.trc"))
			if got, want := len(names), f.NumPoints; got != want {
				t.Fatalf("TRC has %d markers, C3D %d", got, want)
			}
			var compared, missing int
			var worst float64 // largest error as a fraction of the tolerance
			var fr int
			for r, tm := range times {
				fr = int(math.Round(tm * f.FrameRate))
				pts := f.Points[fr]
				for m, label := range names {
					i := f.PointIndex(label)
					if i < 0 {
						t.Fatalf("marker %s not in POINT:LABELS", label)
					}
					p := pts[i]
					for c, got := range []float64{p.X, p.Y, p.Z} {
						want := rows[r][3*m+c]
						if math.IsNaN(want) != math.IsNaN(got) {
							t.Fatalf("frame %d %s[%d]=%v, want %v", fr, label, c, got, want)
						}
						if math.IsNaN(want) {
							missing++
							continue
						}
						compared++
						// Half a unit in the fifth significant digit, plus
						// one float32 ulp: Mokka rounded from single
						// precision values that sit on a tie.
						tol := 0.5*math.Pow(10, math.Floor(math.Log10(math.Abs(want)))-4) + math.Abs(want)*0x1p-23
						if d := math.Abs(got - want); d > tol {
							t.Fatalf("frame %d %s[%d]=%v, want %v (off by %g > %g)", fr, label, c, got, want, d, tol)
						} else if d/tol > worst {
							worst = d / tol
						}
					}
				}
			}
			t.Logf("%d rows: %d coordinates round to the TRC's 5 significant digits (worst %.2f of half a digit), %d missing (NaN) in both", len(times), compared, worst, missing)
			if got, want := fr, len(f.Points)-1; got != want {
				t.Errorf("last TRC frame %d, want %d", got, want)
			}
		})
	}
}

// TestAnalogOpenSim compares the analog channels with OpenSim's raw
// analog standard, whose rows are every 1000th sample.
func TestAnalogOpenSim(t *testing.T) {
	t.Parallel()
	for _, name := range []string{"walking2", "walking5"} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			f := mustOpen(t, "opensim-core", name+".c3d")
			cols, rows := readSTO(t, shared.Path(t, "data", "c3d", "opensim-core", "reference", "std_"+name+"_analog.sto"))
			n := 0
			for _, row := range rows {
				k := int(math.Round(row[0] * f.AnalogRate))
				for j, label := range cols[1:] {
					c := f.AnalogIndex(label)
					if c < 0 {
						t.Fatalf("channel %s not in ANALOG:LABELS", label)
					}
					got, want := f.Analog[c][k], row[j+1]
					if math.Abs(got-want) > 1e-6 {
						t.Fatalf("t=%g %s=%v, want %v", row[0], label, got, want)
					}
					n++
				}
			}
			t.Logf("%d rows, %d values equal within 1e-6", len(rows), n)
		})
	}
}

// TestPlugInAnkleMoment checks the right ankle moment that Plug-in Gait
// stored in the DEC integer file: its largest-magnitude component is the
// sagittal (plantarflexion) one, the first (X) component in Plug-in Gait's
// output, and peaks at 1683.8 N·mm/kg near 1.77 s.
func TestPlugInAnkleMoment(t *testing.T) {
	t.Parallel()
	f := mustOpen(t, "btkdata", "c3d.org", "sample09", "PlugInC3D.c3d")
	i := f.PointIndex("RAnkleMoment")
	if i < 0 {
		t.Fatal("no RAnkleMoment")
	}
	var peak float64
	var axis, frame int
	for fr, pts := range f.Points {
		p := pts[i]
		if !p.Valid() {
			continue
		}
		for c, v := range []float64{p.X, p.Y, p.Z} {
			if math.Abs(v) > math.Abs(peak) {
				peak, axis, frame = v, c, fr
			}
		}
	}
	tm := float64(frame) / f.FrameRate
	t.Logf("peak %.2f on axis %d at frame %d (%.3f s)", peak, axis, frame+f.FirstFrame, tm)
	if axis != 0 {
		t.Errorf("peak on axis %d, want 0 (X, sagittal)", axis)
	}
	if math.Abs(math.Abs(peak)-1683.8) > 0.1 {
		t.Errorf("peak |moment|=%.2f, want 1683.8±0.1", math.Abs(peak))
	}
	if math.Abs(tm-1.77) > 0.02 {
		t.Errorf("peak at %.3f s, want near 1.77 s", tm)
	}
}

func TestEvents(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		path   []string
		header []c3d.Event // Time compared within 1e-6
		group  int         // EVENT group events
		first  c3d.Event
	}{
		{
			path:  []string{"btkdata", "c3d.org", "sample09", "PlugInC3D.c3d"},
			group: 8,
			first: c3d.Event{Label: "Foot Strike", Context: "Right", Time: 1.1166667},
		},
		{
			path:  []string{"btkdata", "PiG", "PiG_Motion3_FF.c3d"},
			group: 12,
			first: c3d.Event{Label: "Foot Strike", Context: "Left", Time: 7.85},
		},
		{
			path: []string{"btkdata", "c3d.org", "sample01", "Eb015pr.c3d"},
			header: []c3d.Event{
				{Label: "RIC", Time: 2.72},
				{Label: "RHS", Time: 5.40},
				{Label: "RTO", Time: 7.32},
			},
		},
	} {
		t.Run(tt.path[len(tt.path)-1], func(t *testing.T) {
			t.Parallel()
			f := mustOpen(t, tt.path...)
			if got, want := len(f.Header.Events), len(tt.header); got != want {
				t.Fatalf("header events %v, want %d", f.Header.Events, want)
			}
			for i, want := range tt.header {
				got := f.Header.Events[i]
				if got.Label != want.Label || math.Abs(got.Time-want.Time) > 1e-6 {
					t.Errorf("header event %d=%+v, want %+v", i, got, want)
				}
			}
			if got, want := len(f.Events), tt.group; got != want {
				t.Fatalf("EVENT group has %d events, want %d", got, want)
			}
			if tt.group > 0 {
				got := f.Events[0]
				if got.Label != tt.first.Label || got.Context != tt.first.Context || math.Abs(got.Time-tt.first.Time) > 1e-6 {
					t.Errorf("first event %+v, want %+v", got, tt.first)
				}
			}
		})
	}
}

func TestSynthetic(t *testing.T) {
	t.Parallel()
	for _, proc := range []c3d.Processor{c3d.Intel, c3d.DEC, c3d.MIPS} {
		for _, float := range []bool{false, true} {
			name := proc.String() + map[bool]string{false: "/int", true: "/float"}[float]
			t.Run(name, func(t *testing.T) {
				t.Parallel()
				b := newSynth(proc).build(float)
				f, err := c3d.Read(bytes.NewReader(b), int64(len(b)))
				if err != nil {
					t.Fatal(err)
				}
				if got, want := f.Processor, proc; got != want {
					t.Errorf("Processor=%v, want %v", got, want)
				}
				if got, want := f.PointLabels, []string{"P1", "P2"}; !equal(got, want) {
					t.Errorf("PointLabels=%q, want %q", got, want)
				}
				if got, want := f.AnalogLabels, []string{"A1", "A2"}; !equal(got, want) {
					t.Errorf("AnalogLabels=%q, want %q", got, want)
				}
				for fr := range synthFrames {
					for p := range synthPoints {
						got := f.Points[fr][p]
						if fr == 1 && p == 1 {
							if got.Valid() || !math.IsNaN(got.X) {
								t.Errorf("frame %d point %d=%+v, want invalid", fr, p, got)
							}
							continue
						}
						want := c3d.Point{X: synthPoint(fr, p, 0) * 0.5, Y: synthPoint(fr, p, 1) * 0.5, Z: synthPoint(fr, p, 2) * 0.5, Residual: 1.5, Cameras: 2}
						if got != want {
							t.Errorf("frame %d point %d=%+v, want %+v", fr, p, got, want)
						}
					}
				}
				for k := range synthFrames * synthSamples {
					want := []float64{float64(synthAnalog(k, 0)-2048) * 0.25 * 2, float64(synthAnalog(k, 1)-2000) * -2 * 2}
					for c := range want {
						if got := f.Analog[c][k]; got != want[c] {
							t.Errorf("analog[%d][%d]=%g, want %g", c, k, got, want[c])
						}
					}
				}
				if got, want := f.AnalogRate, 100.0; got != want {
					t.Errorf("AnalogRate=%g, want %g", got, want)
				}
				if got, want := f.Header.Events, []c3d.Event{{Label: "HS", Time: float64(float32(0.04)), Display: true}}; len(got) != 1 || got[0] != want[0] {
					t.Errorf("header events %+v, want %+v", got, want)
				}
				wantEv := []c3d.Event{{Label: "Foot Strike", Context: "Left", Time: float64(float32(0.02))}, {Label: "Foot Off", Context: "Right", Time: 60.5}}
				if got := f.Events; len(got) != 2 || got[0] != wantEv[0] || got[1] != wantEv[1] {
					t.Errorf("events %+v, want %+v", got, wantEv)
				}
				p := f.Param("ANALOG", "SCALE")
				if got, want := p.Floats(), []float64{0.25, -2}; len(got) != 2 || got[0] != want[0] || got[1] != want[1] {
					t.Errorf("ANALOG:SCALE=%v, want %v", got, want)
				}
				if got, want := f.Param("analog", "offset").Ints(), []int{2048, 2000}; len(got) != 2 || got[0] != want[0] || got[1] != want[1] {
					t.Errorf("ANALOG:OFFSET=%v, want %v", got, want)
				}
				if p := f.Param("EVENT", "LABELS"); len(p.Dims) != 2 || p.Dims[0] != 11 || p.Dims[1] != 2 || p.Description != "desc" {
					t.Errorf("EVENT:LABELS Dims=%v Description=%q", p.Dims, p.Description)
				}
				if f.Param("NOPE", "X") != nil || f.Param("POINT", "NOPE").Strings() != nil {
					t.Error("missing parameter is not nil")
				}
			})
		}
	}
}

func equal(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// TestBadInput reads mutated copies of a synthetic file: each must fail
// with a *FormatError, without panicking.
func TestBadInput(t *testing.T) {
	t.Parallel()
	s := newSynth(c3d.Intel)
	good := s.build(false)
	const ps = c3d.BlockSize // parameter section offset
	for _, tt := range []struct {
		name   string
		mutate func(b []byte) []byte
	}{
		{"Empty", func(b []byte) []byte { return nil }},
		{"TruncatedHeader", func(b []byte) []byte { return b[:100] }},
		{"TruncatedParams", func(b []byte) []byte { return b[:ps+40] }},
		{"TruncatedData", func(b []byte) []byte { return b[:len(b)-1] }},
		{"BadKey", func(b []byte) []byte { b[1] = 0; return b }},
		{"ParamPointerZero", func(b []byte) []byte { b[0] = 0; return b }},
		{"ParamPointerPastEnd", func(b []byte) []byte { b[0] = 200; return b }},
		{"ParamPointerAtData", func(b []byte) []byte { b[0] = 3; return b }},
		{"BadProcessor", func(b []byte) []byte { b[ps+3] = 99; return b }},
		{"NegativeFrameCount", func(b []byte) []byte { copy(b[6:], s.i16(5)); return b }},
		{"HugeFrameCount", func(b []byte) []byte { copy(b[8:], s.i16(-1)); return b }},
		{"HugePointCount", func(b []byte) []byte { copy(b[2:], s.i16(-1)); return b }},
		{"AnalogNotDivisible", func(b []byte) []byte { copy(b[4:], s.i16(5)); return b }},
		{"DataBlockPastEnd", func(b []byte) []byte { copy(b[16:], s.i16(30000)); return b }},
		{"NextPointerPastSection", func(b []byte) []byte { copy(b[ps+4+2+5:], s.i16(30000)); return b }},
		{"NegativeNextPointer", func(b []byte) []byte { copy(b[ps+4+2+5:], s.i16(-8)); return b }},
		{"HugeDimensions", func(b []byte) []byte {
			i := bytes.Index(b[ps:], []byte("LABELS")) + ps + 6 + 2 // type byte
			b[i+1] = 7                                              // 7 dimensions
			for k := range 7 {
				b[i+2+k] = 255
			}
			return b
		}},
		{"BadParamType", func(b []byte) []byte {
			i := bytes.Index(b[ps:], []byte("USED")) + ps + 4 + 2
			b[i] = 3
			return b
		}},
		{"DescriptionPastEntry", func(b []byte) []byte {
			i := bytes.Index(b[ps:], []byte("desc")) + ps - 1
			b[i] = 200
			return b
		}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			b := tt.mutate(bytes.Clone(good))
			_, err := c3d.Read(bytes.NewReader(b), int64(len(b)))
			var fe *c3d.FormatError
			if !errors.As(err, &fe) {
				t.Fatalf("err=%v, want *FormatError", err)
			}
			if !strings.Contains(err.Error(), "offset "+strconv.FormatInt(fe.Offset, 10)) {
				t.Errorf("Error()=%q lacks the offset", err)
			}
			t.Log(err)
		})
	}
}

// TestShortReader checks that a reader shorter than the size it claims
// yields io.ErrUnexpectedEOF.
func TestShortReader(t *testing.T) {
	t.Parallel()
	b := newSynth(c3d.MIPS).build(true)
	_, err := c3d.Read(bytes.NewReader(b[:len(b)-4]), int64(len(b)))
	if err == nil {
		t.Fatal("no error")
	}
}

func BenchmarkRead(b *testing.B) {
	data, err := os.ReadFile(shared.Path(b, "data", "c3d", "opensim-core", "walking2.c3d"))
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	r := bytes.NewReader(data)
	for b.Loop() {
		if _, err := c3d.Read(r, int64(len(data))); err != nil {
			b.Fatal(err)
		}
	}
}

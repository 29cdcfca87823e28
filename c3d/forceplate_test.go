package c3d_test

import (
	"bytes"
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/tendo-health/tendo/c3d"
	"github.com/tendo-health/tendo/internal/shared"
)

// TestForcePlatesOpenSim compares the force plates of walking2 and
// walking5 (two AMTI type-2 plates) with OpenSim's C3DFileAdapter
// standards. Both files have, per plate n, columns fn_1..3 (force), pn_1..3
// (point) and mn_1..3 (moment), in the C3D's lab frame and units (N, mm,
// N·mm), with the force as the channels give it (the reaction on the
// subject: the vertical force is positive under load). They differ in the
// point:
//
//   - std_<name>_grfs.sto: p is the centre of the plate's top surface (the
//     mean of its corners, z = 0) and m the full moment about that point,
//     i.e. ForcePlate.Centre and ForcePlate.Moment;
//   - std_cop_<name>_grfs.sto: p is the centre of pressure and m the free
//     moment (0, 0, Tz) about it, i.e. ForcePlate.COP and
//     ForcePlate.FreeMoment.
//
// The rows are every 0.05 s; the analog sample is time × ANALOG:RATE.
// OpenSim computes the COP at every sample, with no threshold: at
// walking2 t=3.25 s plate 1 carries Fz = 2.8 N and OpenSim puts its COP at
// (1530.9, -120.2) mm, off the plate. Rows where |Fz| is below
// DefaultMinFz (NaN here) are counted and skipped.
func TestForcePlatesOpenSim(t *testing.T) {
	t.Parallel()
	for _, name := range []string{"walking2", "walking5"} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			f := mustOpen(t, "opensim-core", name+".c3d")
			fps, err := f.ForcePlates()
			if err != nil {
				t.Fatal(err)
			}
			if got, want := len(fps), 2; got != want {
				t.Fatalf("%d plates, want %d", got, want)
			}
			for _, tt := range []struct {
				file  string
				point func(fp *c3d.ForcePlate, k int) [3]float64
				mom   func(fp *c3d.ForcePlate, k int) [3]float64
			}{
				{"std_" + name + "_grfs.sto",
					func(fp *c3d.ForcePlate, k int) [3]float64 { return fp.Centre },
					func(fp *c3d.ForcePlate, k int) [3]float64 { return fp.Moment[k] }},
				{"std_cop_" + name + "_grfs.sto",
					func(fp *c3d.ForcePlate, k int) [3]float64 { return fp.COP[k] },
					func(fp *c3d.ForcePlate, k int) [3]float64 { return fp.FreeMoment[k] }},
			} {
				cols, rows := readSTO(t, shared.Path(t, "data", "c3d", "opensim-core", "reference", tt.file))
				var worst [3]float64 // largest relative error of force, point, moment
				var n, skipped int
				for _, row := range rows {
					k := int(math.Round(row[0] * f.AnalogRate))
					for i := range fps {
						fp := &fps[i]
						base := 1 + 9*i
						if got, want := cols[base], "f"+string(rune('1'+i))+"_1"; got != want {
							t.Fatalf("column %d is %s, want %s", base, got, want)
						}
						p := tt.point(fp, k)
						if math.IsNaN(p[0]) {
							skipped++
							continue
						}
						for q, got := range [3][3]float64{fp.Force[k], p, tt.mom(fp, k)} {
							for c := range 3 {
								want := row[base+3*q+c]
								d := math.Abs(got[c] - want)
								rel := d / math.Max(math.Abs(want), 1)
								if rel > 1e-6 {
									t.Fatalf("%s t=%g plate %d %s=%v, want %v", tt.file, row[0], i+1, cols[base+3*q+c], got[c], want)
								}
								worst[q] = math.Max(worst[q], rel)
								n++
							}
						}
					}
				}
				t.Logf("%s: %d rows, %d values; worst relative error force %.2g, point %.2g, moment %.2g; %d plate-rows below %g N skipped",
					tt.file, len(rows), n, worst[0], worst[1], worst[2], skipped, float64(c3d.DefaultMinFz))
			}
		})
	}
}

// TestForcePlatesType2Type4 reads the c3d.org sample10 trial stored twice:
// with a type-2 plate (channels scaled to N and N·mm) and with a type-4
// plate (raw channels and a CAL_MATRIX). The forces must agree within
// 10 N at every sample.
func TestForcePlatesType2Type4(t *testing.T) {
	t.Parallel()
	var plates [2]c3d.ForcePlate
	for i, name := range []string{"TYPE-2.C3D", "TYPE-4.C3D"} {
		f := mustOpen(t, "btkdata", "c3d.org", "sample10", name)
		fps, err := f.ForcePlates()
		if err != nil {
			t.Fatal(err)
		}
		if len(fps) != 1 {
			t.Fatalf("%s: %d plates, want 1", name, len(fps))
		}
		if got, want := fps[0].Type, []int{2, 4}[i]; got != want {
			t.Fatalf("%s: type %d, want %d", name, got, want)
		}
		plates[i] = fps[0]
	}
	p2, p4 := plates[0], plates[1]
	if len(p2.Force) != len(p4.Force) || len(p2.Force) == 0 {
		t.Fatalf("%d and %d samples", len(p2.Force), len(p4.Force))
	}
	var worst, worstM, peak, peakM float64
	for k := range p2.Force {
		for c := range 3 {
			worst = math.Max(worst, math.Abs(p2.Force[k][c]-p4.Force[k][c]))
			worstM = math.Max(worstM, math.Abs(p2.Moment[k][c]-p4.Moment[k][c]))
			peak = math.Max(peak, math.Abs(p2.Force[k][c]))
			peakM = math.Max(peakM, math.Abs(p2.Moment[k][c]))
		}
	}
	t.Logf("%d samples: forces differ by at most %.3g N (peak |F| %.1f N); moments by %.3g N·mm (peak |M| %.3g N·mm)", len(p2.Force), worst, peak, worstM, peakM)
	if worst > 10 {
		t.Errorf("forces differ by %.3g N, want ≤ 10", worst)
	}
	if peak < 100 {
		t.Errorf("peak force %.3g N: no load on the plate?", peak)
	}
}

// TestForcePlatesType1 reads c3d.org sample28's type-1 plate (channels Fx,
// Fy, Fz, Px, Py, Tz). Its lab's vertical axis is Y (the corners lie in the
// XZ plane). The force is the channels' force rotated to the lab: here the
// vertical (Y) component under load is positive, the reaction on the
// subject, as for the OpenSim files.
func TestForcePlatesType1(t *testing.T) {
	t.Parallel()
	f := mustOpen(t, "btkdata", "c3d.org", "sample28", "type1.C3D")
	fps, err := f.ForcePlates()
	if err != nil {
		t.Fatal(err)
	}
	if len(fps) != 1 || fps[0].Type != 1 {
		t.Fatalf("plates %+v, want one of type 1", fps)
	}
	fp := fps[0]
	t.Logf("axes %v", fp.Axes)
	var peak float64
	var at int
	for k, F := range fp.Force {
		if math.Abs(F[1]) > math.Abs(peak) {
			peak, at = F[1], k
		}
	}
	cop := fp.COP[at]
	t.Logf("peak vertical force %.1f N at sample %d; COP %.1f", peak, at, cop)
	if peak < 200 || peak > 3000 {
		t.Errorf("peak vertical force %.1f N, want a body weight's order (200-3000 N, positive)", peak)
	}
	// The COP lies within the plate's corners (X 0-590, Z 0-405 mm).
	if !(cop[0] > -20 && cop[0] < 600 && cop[2] > -20 && cop[2] < 410) {
		t.Errorf("COP %v outside the plate", cop)
	}
}

// plateParams returns FORCE_PLATFORM parameters of one plate of type typ
// over the two channels of a synthetic file: CHANNEL repeats 1, 2.
func plateParams(s synth, typ int) []synthParam {
	nc := 6
	if typ == 3 {
		nc = 8
	}
	ch := make([]int, nc)
	for k := range ch {
		ch[k] = 1 + k%2
	}
	p := []synthParam{
		{"USED", 2, nil, s.i16(1)},
		{"TYPE", 2, []byte{1}, s.i16(typ)},
		// Plate x, y, z along the lab's X, Y, Z; centre (200, 300, 0).
		{"CORNERS", 4, []byte{3, 4, 1}, s.f32s(400, 600, 0, 0, 600, 0, 0, 0, 0, 400, 0, 0)},
		{"ORIGIN", 4, []byte{3, 1}, s.f32s(0, 0, -40)},
		{"CHANNEL", 2, []byte{byte(nc), 1}, s.i16s(ch...)},
	}
	if typ == 3 {
		p[3].data = s.f32s(120, 200, -40)
	}
	if typ == 4 {
		cal := make([]float32, 36)
		for k := range 6 {
			cal[7*k] = 1
		}
		p = append(p, synthParam{"CAL_MATRIX", 4, []byte{6, 6, 1}, s.f32s(cal...)})
	}
	return p
}

func readSynth(tb testing.TB, s synth) *c3d.File {
	tb.Helper()
	b := s.build(true)
	f, err := c3d.Read(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		tb.Fatal(err)
	}
	return f
}

// TestForcePlatesSynthetic checks on synthetic plates of each type that
// the force is the channels' force in the lab frame, that the moment
// about the centre decomposes into the COP's moment and the free moment,
// that the COP lies on the top surface, and that a type-4 plate with an
// identity CAL_MATRIX equals the same type-2 plate.
func TestForcePlatesSynthetic(t *testing.T) {
	t.Parallel()
	byType := map[int]c3d.ForcePlate{}
	for _, typ := range []int{1, 2, 3, 4} {
		s := newSynth(c3d.Intel)
		s.plate = plateParams(s, typ)
		f := readSynth(t, s)
		fps, err := f.ForcePlatesMinFz(1)
		if err != nil {
			t.Fatalf("type %d: %v", typ, err)
		}
		fp := fps[0]
		byType[typ] = fp
		if got, want := fp.Origin, [3]float64{0, 0, 40}; got != want {
			t.Errorf("type %d: Origin=%v, want %v", typ, got, want)
		}
		a1, a2 := f.Analog[0], f.Analog[1]
		var defined int
		for k := range fp.Force {
			want := [3]float64{a1[k], a2[k], a1[k]}
			if typ == 3 {
				want = [3]float64{a1[k] + a2[k], a1[k] + a2[k], 2 * (a1[k] + a2[k])}
			}
			if typ != 1 && fp.Force[k] != want {
				t.Errorf("type %d sample %d: Force=%v, want %v", typ, k, fp.Force[k], want)
			}
			cop := fp.COP[k]
			if math.IsNaN(cop[0]) {
				if math.Abs(fp.Force[k][2]) >= 1 {
					t.Errorf("type %d sample %d: COP undefined with Fz=%g", typ, k, fp.Force[k][2])
				}
				continue
			}
			defined++
			if cop[2] != 0 {
				t.Errorf("type %d sample %d: COP %v off the surface z=0", typ, k, cop)
			}
			r := [3]float64{cop[0] - fp.Centre[0], cop[1] - fp.Centre[1], cop[2] - fp.Centre[2]}
			F, T := fp.Force[k], fp.FreeMoment[k]
			m := [3]float64{r[1]*F[2] - r[2]*F[1] + T[0], r[2]*F[0] - r[0]*F[2] + T[1], r[0]*F[1] - r[1]*F[0] + T[2]}
			for c := range 3 {
				if d := math.Abs(m[c] - fp.Moment[k][c]); d > 1e-9*math.Max(1, math.Abs(m[c])) {
					t.Errorf("type %d sample %d: (COP-Centre)×F+T=%v, Moment=%v", typ, k, m, fp.Moment[k])
					break
				}
			}
			if T[0] != 0 || T[1] != 0 {
				t.Errorf("type %d sample %d: FreeMoment %v not along the normal", typ, k, T)
			}
		}
		if defined == 0 {
			t.Errorf("type %d: no sample with a COP", typ)
		}
	}
	p2, p4 := byType[2], byType[4]
	for k := range p2.Force {
		if p2.Force[k] != p4.Force[k] || p2.Moment[k] != p4.Moment[k] {
			t.Fatalf("sample %d: type 4 with identity CAL_MATRIX gives %v %v, type 2 %v %v", k, p4.Force[k], p4.Moment[k], p2.Force[k], p2.Moment[k])
		}
	}
}

// TestForcePlatesBadInput checks that missing or inconsistent
// FORCE_PLATFORM parameters yield errors, not panics.
func TestForcePlatesBadInput(t *testing.T) {
	t.Parallel()
	s := newSynth(c3d.Intel)
	set := func(typ int, name string, p synthParam) []synthParam {
		ps := plateParams(s, typ)
		for i := range ps {
			if ps[i].name == name {
				if p.name == "" {
					return append(ps[:i:i], ps[i+1:]...)
				}
				ps[i] = p
				return ps
			}
		}
		return append(ps, p)
	}
	for _, tt := range []struct {
		name  string
		plate []synthParam
		want  string
	}{
		{"NoGroup", nil, "no FORCE_PLATFORM group"},
		{"NoUsed", set(2, "USED", synthParam{}), "USED"},
		{"NoType", set(2, "TYPE", synthParam{}), "TYPE"},
		{"NoCorners", set(2, "CORNERS", synthParam{}), "CORNERS"},
		{"ShortCorners", set(2, "CORNERS", synthParam{"CORNERS", 4, []byte{3, 3}, s.f32s(1, 2, 3, 4, 5, 6, 7, 8, 9)}), "CORNERS"},
		{"FlatCorners", set(2, "CORNERS", synthParam{"CORNERS", 4, []byte{3, 4, 1}, make([]byte, 48)}), "plane"},
		{"NoOrigin", set(2, "ORIGIN", synthParam{}), "ORIGIN"},
		{"NoChannel", set(2, "CHANNEL", synthParam{}), "CHANNEL"},
		{"ShortChannel", set(2, "CHANNEL", synthParam{"CHANNEL", 2, []byte{5, 1}, s.i16s(1, 2, 1, 2, 1)}), "CHANNEL"},
		{"ChannelZero", set(2, "CHANNEL", synthParam{"CHANNEL", 2, []byte{6, 1}, s.i16s(1, 2, 0, 2, 1, 2)}), "out of range"},
		{"ChannelPastEnd", set(2, "CHANNEL", synthParam{"CHANNEL", 2, []byte{6, 1}, s.i16s(1, 2, 3, 2, 1, 2)}), "out of range"},
		{"UsedTwo", set(2, "USED", synthParam{"USED", 2, nil, s.i16(2)}), "for 2 plates"},
		{"UnknownType", set(2, "TYPE", synthParam{"TYPE", 2, []byte{1}, s.i16(5)}), "type 5"},
		{"NoCalMatrix", set(4, "CAL_MATRIX", synthParam{}), "CAL_MATRIX"},
		{"CalMatrix5x6", set(4, "CAL_MATRIX", synthParam{"CAL_MATRIX", 4, []byte{5, 6, 1}, make([]byte, 4*30)}), "CAL_MATRIX"},
		{"CalMatrixFlat", set(4, "CAL_MATRIX", synthParam{"CAL_MATRIX", 4, []byte{36}, make([]byte, 4*36)}), "CAL_MATRIX"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := newSynth(c3d.Intel)
			s.plate = tt.plate
			f := readSynth(t, s)
			fps, err := f.ForcePlates()
			if err == nil {
				t.Fatalf("got %d plates, want an error", len(fps))
			}
			if got, want := errors.Is(err, c3d.ErrNoForcePlates), tt.plate == nil; got != want {
				t.Errorf("errors.Is(err, ErrNoForcePlates)=%v, want %v", got, want)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err=%q, want it to mention %q", err, tt.want)
			}
			t.Log(err)
		})
	}
}

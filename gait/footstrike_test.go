package gait_test

import (
	"math"
	"testing"

	"github.com/tendo-health/tendo/gait"
)

// ramp appends to fz the samples after its last one up to value v, n
// samples later, on a straight line.
func ramp(fz []float64, v float64, n int) []float64 {
	last := fz[len(fz)-1]
	for i := 1; i <= n; i++ {
		fz = append(fz, last+(v-last)*float64(i)/float64(n))
	}
	return fz
}

// TestVerticalLoadingRateSynthetic builds contacts from straight segments
// at 1000 Hz whose rise from 20 % to 80 % of the first peak has a known
// slope, so the average loading rate is known exactly.
func TestVerticalLoadingRateSynthetic(t *testing.T) {
	t.Parallel()
	const rate, bw = 1000.0, 700.0 // Hz, N
	for _, tc := range []struct {
		name     string
		fz       func() []float64
		wantPeak int
		wantBWs  float64 // BW/s
	}{
		{
			// Walking-like: 1000 N in 50 ms (20 000 N/s), dip to 700 N,
			// an equal second peak: the first one counts.
			name: "two equal peaks",
			fz: func() []float64 {
				fz := ramp([]float64{0, 0}, 1000, 50) // peak at index 51
				fz = ramp(fz, 700, 100)
				fz = ramp(fz, 1000, 100)
				return ramp(fz, 0, 50)
			},
			wantPeak: 51, wantBWs: 20000 / bw,
		},
		{
			// A ripple at 55–60 % of the peak with a 1 % dip (below the
			// 2 % prominence) is not the first peak.
			name: "ripple on the rise",
			fz: func() []float64 {
				fz := ramp([]float64{0, 0}, 600, 30) // 20 000 N/s to 600 N at index 31
				fz = ramp(fz, 590, 2)
				fz = ramp(fz, 1000, 20) // 20 500 N/s from 590 N at index 33
				fz = ramp(fz, 700, 100)
				fz = ramp(fz, 1100, 100)
				return ramp(fz, 0, 50)
			},
			// 200 N is reached at index 11 on the first line, 800 N at
			// index 33 + 210/20.5 on the third.
			wantPeak: 53, wantBWs: (800 - 200) / ((33 + 210/20.5 - 11) / rate) / bw,
		},
		{
			// A heel transient to 30 % of the largest force that falls
			// back is below FirstPeakMinFraction; with no dip after the
			// main rise the first peak is the contact's maximum.
			name: "transient below half, single hump",
			fz: func() []float64 {
				fz := ramp([]float64{0, 0}, 300, 5) // to index 6
				fz = ramp(fz, 100, 5)               // to index 11
				fz = ramp(fz, 1000, 90)             // 10 000 N/s, peak at 101
				fz = ramp(fz, 995, 10)              // a 0.5 % sag
				fz = ramp(fz, 999, 10)              // not above the peak
				return ramp(fz, 0, 100)
			},
			// On the main rise (100 N at index 11, +10 N a sample) 200 N
			// is reached at index 21 and 800 N at index 81.
			wantPeak: 101, wantBWs: 600 / (60 / rate) / bw,
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			fz := tc.fz()
			c := gait.Contact{Start: 2, End: len(fz) - 1}
			got, peak, err := gait.VerticalLoadingRate(fz, rate, c, bw)
			if err != nil {
				t.Fatal(err)
			}
			if peak != tc.wantPeak {
				t.Errorf("first peak at %d, want %d", peak, tc.wantPeak)
			}
			if math.Abs(got-tc.wantBWs) > 1e-9*tc.wantBWs {
				t.Errorf("loading rate %.6f BW/s, want %.6f", got, tc.wantBWs)
			}
		})
	}
}

// TestVerticalLoadingRateErrors checks the refusals.
func TestVerticalLoadingRateErrors(t *testing.T) {
	t.Parallel()
	fz := ramp(ramp([]float64{0}, 1000, 50), 0, 50)
	for _, tc := range []struct {
		name string
		fz   []float64
		c    gait.Contact
		rate float64
		bw   float64
	}{
		{"unobserved strike", fz, gait.Contact{Start: -1, End: 80}, 1000, 700},
		{"zero rate", fz, gait.Contact{Start: 0, End: 100}, 0, 700},
		{"zero body weight", fz, gait.Contact{Start: 0, End: 100}, 1000, 0},
		{"contact past the end", fz, gait.Contact{Start: 0, End: 500}, 1000, 700},
		{"two samples", fz, gait.Contact{Start: 10, End: 12}, 1000, 700},
		{"no force", make([]float64, 20), gait.Contact{Start: 0, End: 20}, 1000, 700},
		{"NaN on the rise", append([]float64{0, 100, math.NaN()}, fz[3:]...), gait.Contact{Start: 0, End: 100}, 1000, 700},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if v, _, err := gait.VerticalLoadingRate(tc.fz, tc.rate, tc.c, tc.bw); err == nil {
				t.Errorf("rate %v, want an error", v)
			}
		})
	}
}

// TestVerticalLoadingRateSubject01 applies the loading rate to the
// complete contacts of OpenSim's subject01 (72.6 kg). Expectation, written
// before running: the first peak of walking is the weight-acceptance peak
// in the first half of stance, and the rate lies in the (estimated)
// reference band verticalLoadingRateBwPerS.
func TestVerticalLoadingRateSubject01(t *testing.T) {
	t.Parallel()
	s := mustSubject01(t)
	band, _ := gait.Reference("verticalLoadingRateBwPerS")
	bw := subject01Mass * gait.Gravity
	for _, side := range []struct {
		name string
		fz   []float64
	}{{"right", s.right}, {"left", s.left}} {
		t.Run(side.name, func(t *testing.T) {
			t.Parallel()
			n := 0
			for _, c := range gait.ContactEvents(side.fz, s.rate, gait.DefaultContactThreshold, gait.DefaultContactHysteresis) {
				if !c.Complete() {
					continue
				}
				n++
				r, peak, err := gait.VerticalLoadingRate(side.fz, s.rate, c, bw)
				if err != nil {
					t.Fatal(err)
				}
				frac := float64(peak-c.Start) / float64(c.End-c.Start)
				t.Logf("contact [%d, %d): first peak %.0f N at %.0f %% of stance, loading rate %.2f BW/s", c.Start, c.End, side.fz[peak], 100*frac, r)
				if frac > 0.5 {
					t.Errorf("first peak at %.0f %% of stance, want the weight-acceptance peak in the first half", 100*frac)
				}
				if !band.Contains(r) {
					t.Errorf("loading rate %.2f BW/s outside the reference band [%v, %v]", r, band.Low, band.High)
				}
			}
			if n == 0 {
				t.Fatal("no complete contact")
			}
		})
	}
}

// TestStrikeIndex puts a foot 250 mm long, heading 30° from X in the
// horizontal plane, and the centre of pressure at known fractions of its
// length, off the axis sideways and above the floor (both ignored).
func TestStrikeIndex(t *testing.T) {
	t.Parallel()
	const length = 250.0
	h := math.Pi / 6
	for _, tc := range []struct {
		name     string
		vertical int
		frac     float64
		want     gait.StrikePattern
	}{
		{"heel, Z up", gait.AxisZ, 0.10, gait.Rearfoot},
		{"behind the heel marker", gait.AxisZ, -0.05, gait.Rearfoot},
		{"midfoot, Z up", gait.AxisZ, 0.50, gait.Midfoot},
		{"forefoot, Z up", gait.AxisZ, 0.90, gait.Forefoot},
		{"heel, Y up", gait.AxisY, 0.20, gait.Rearfoot},
		{"forefoot, Y up", gait.AxisY, 0.80, gait.Forefoot},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			// Horizontal unit vectors u (along the foot) and w (across it).
			a, b := (tc.vertical+1)%3, (tc.vertical+2)%3
			var u, w, up [3]float64
			u[a], u[b] = math.Cos(h), math.Sin(h)
			w[a], w[b] = -math.Sin(h), math.Cos(h)
			up[tc.vertical] = 1
			heel := [3]float64{100, 40, 60}
			var toe, cop [3]float64
			for k := range 3 {
				toe[k] = heel[k] + length*u[k] - 25*up[k] // toe marker lower than the heel's
				cop[k] = heel[k] + tc.frac*length*u[k] + 30*w[k] - 60*up[k]
			}
			si, p, err := gait.StrikeIndex(cop, heel, toe, tc.vertical)
			if err != nil {
				t.Fatal(err)
			}
			if math.Abs(si-100*tc.frac) > 1e-9 {
				t.Errorf("strike index %v %%, want %v", si, 100*tc.frac)
			}
			if p != tc.want {
				t.Errorf("pattern %q, want %q", p, tc.want)
			}
		})
	}
}

// TestClassifyStrike checks the boundaries of the thirds: 100/3 and 200/3
// are midfoot, the nearest numbers outside are not.
func TestClassifyStrike(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		si   float64
		want gait.StrikePattern
	}{
		{"zero", 0, gait.Rearfoot},
		{"just below a third", math.Nextafter(100.0/3, 0), gait.Rearfoot},
		{"a third", 100.0 / 3, gait.Midfoot},
		{"half", 50, gait.Midfoot},
		{"two thirds", 200.0 / 3, gait.Midfoot},
		{"just above two thirds", math.Nextafter(200.0/3, 100), gait.Forefoot},
		{"toe", 100, gait.Forefoot},
		{"NaN", math.NaN(), ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if got := gait.ClassifyStrike(tc.si); got != tc.want {
				t.Errorf("ClassifyStrike(%v) = %q, want %q", tc.si, got, tc.want)
			}
		})
	}
}

// TestStrikeIndexErrors checks the refusals.
func TestStrikeIndexErrors(t *testing.T) {
	t.Parallel()
	heel := [3]float64{0, 0, 0}
	for _, tc := range []struct {
		name     string
		cop, toe [3]float64
		vertical int
	}{
		{"toe above the heel", [3]float64{1, 0, 0}, [3]float64{0, 0, 100}, gait.AxisZ},
		{"bad axis", [3]float64{1, 0, 0}, [3]float64{250, 0, 0}, 3},
		{"NaN", [3]float64{math.NaN(), 0, 0}, [3]float64{250, 0, 0}, gait.AxisZ},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if si, _, err := gait.StrikeIndex(tc.cop, heel, tc.toe, tc.vertical); err == nil {
				t.Errorf("index %v, want an error", si)
			}
		})
	}
}

// TestInitialCOP averages the first 10 ms of valid centre of pressure
// after the strike, skipping the undefined samples before it.
func TestInitialCOP(t *testing.T) {
	t.Parallel()
	const rate = 1000.0
	nan := math.NaN()
	cop := make([][3]float64, 100)
	for i := range cop {
		if i < 7 {
			cop[i] = [3]float64{nan, nan, nan}
			continue
		}
		cop[i] = [3]float64{float64(i), 2 * float64(i), 0}
	}
	// Samples 7..16: mean 11.5.
	got, err := gait.InitialCOP(cop, rate, gait.Contact{Start: 5, End: 90}, gait.InitialCOPWindow)
	if err != nil {
		t.Fatal(err)
	}
	if want := [3]float64{11.5, 23, 0}; got != want {
		t.Errorf("initial COP %v, want %v", got, want)
	}
	if _, err := gait.InitialCOP(cop, rate, gait.Contact{Start: 0, End: 7}, gait.InitialCOPWindow); err == nil {
		t.Error("no finite COP in the contact: want an error")
	}
	if _, err := gait.InitialCOP(cop, rate, gait.Contact{Start: -1, End: 7}, gait.InitialCOPWindow); err == nil {
		t.Error("unobserved strike: want an error")
	}
}

// TestStrikeIndexSubject01 classifies the strikes of OpenSim's subject01
// from the force plates' centre of pressure (metres, ground frame, Y up)
// and the heel and toe-tip markers (millimetres, same frame) at the
// marker frame nearest the strike. Expectation, written before running:
// healthy walking strikes with the heel, so every observed strike is
// rearfoot (strike index below 33.3 %).
func TestStrikeIndexSubject01(t *testing.T) {
	t.Parallel()
	grf := mustTable(t, "ExperimentalData", "subject01_walk_grf.mot")
	time := grf.Time()
	rate := math.Round(float64(len(time)-1) / (time[len(time)-1] - time[0]))
	trc := subject01Markers(t)
	if trc.Units != "mm" {
		t.Fatalf("marker units %q, want mm", trc.Units)
	}
	for _, side := range []struct{ name, prefix, marker string }{
		{"right", "", "R."}, {"left", "1_", "L."},
	} {
		t.Run(side.name, func(t *testing.T) {
			t.Parallel()
			force := mustVec(t, grf, side.prefix+"ground_force_v")
			cop := mustVec(t, grf, side.prefix+"ground_force_p")
			fz := make([]float64, len(force))
			for i := range force {
				fz[i] = force[i][gait.AxisY]
				for k := range 3 {
					cop[i][k] *= 1000 // m → mm
				}
			}
			heel, toe := mustMarker(t, trc, side.marker+"Heel"), mustMarker(t, trc, side.marker+"Toe.Tip")
			n := 0
			for _, c := range gait.ContactEvents(fz, rate, gait.DefaultContactThreshold, gait.DefaultContactHysteresis) {
				if c.Start < 0 {
					continue
				}
				k := int(math.Round((time[c.Start] - trc.Times[0]) * trc.DataRate))
				if k < 0 || k >= len(heel) {
					continue
				}
				p, err := gait.InitialCOP(cop, rate, c, gait.InitialCOPWindow)
				if err != nil {
					t.Fatal(err)
				}
				si, pattern, err := gait.StrikeIndex(p, heel[k], toe[k], gait.AxisY)
				if err != nil {
					t.Fatal(err)
				}
				n++
				t.Logf("strike at %.3f s: strike index %.1f %% (%s)", time[c.Start], si, pattern)
				if pattern != gait.Rearfoot {
					t.Errorf("strike at %.3f s: %s (index %.1f %%), want rearfoot", time[c.Start], pattern, si)
				}
			}
			if n == 0 {
				t.Fatal("no observed strike with markers")
			}
		})
	}
}

package gait_test

import (
	"fmt"
	"math"
	"os"
	"testing"

	"github.com/tendo-health/tendo/gait"
	"github.com/tendo-health/tendo/internal/shared"
	"github.com/tendo-health/tendo/osim"
)

// subject01 holds the vertical ground reaction forces of OpenSim's
// Gait10dof18musc subject01 walk (72.6 kg): ground_force_vy is applied to
// calcn_r and 1_ground_force_vy to calcn_l (subject01_walk_grf.xml).
type subject01 struct {
	time        []float64
	right, left []float64
	rate        float64
}

func mustSubject01(tb testing.TB) subject01 {
	tb.Helper()
	f, err := os.Open(shared.Path(tb, "data", "gait-reference", "opensim-models", "Gait10dof18musc", "ExperimentalData", "subject01_walk_grf.mot"))
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	tab, err := osim.ReadTable(f)
	if err != nil {
		tb.Fatal(err)
	}
	var s subject01
	var ok1, ok2 bool
	s.time = tab.Time()
	s.right, ok1 = tab.Column("ground_force_vy")
	s.left, ok2 = tab.Column("1_ground_force_vy")
	if !ok1 || !ok2 || len(s.time) < 2 {
		tb.Fatalf("subject01: columns %v", tab.Columns)
	}
	// The time column is rounded to 0.1 ms; take the rate from its span.
	s.rate = math.Round(float64(len(s.time)-1) / (s.time[len(s.time)-1] - s.time[0]))
	return s
}

// plainCrossings returns the indices of the first sample ≥ threshold after
// a sample below it (rises) and the first sample below it after one ≥ it
// (falls).
func plainCrossings(fz []float64, threshold float64) (rises, falls []int) {
	for i := 1; i < len(fz); i++ {
		if fz[i] >= threshold && fz[i-1] < threshold {
			rises = append(rises, i)
		}
		if fz[i] < threshold && fz[i-1] >= threshold {
			falls = append(falls, i)
		}
	}
	return rises, falls
}

func near(a, b int) bool { return a-b <= 1 && b-a <= 1 }

func TestContactEventsSubject01(t *testing.T) {
	t.Parallel()
	s := mustSubject01(t)
	t.Logf("subject01: %d samples, %v–%v s, %v Hz", len(s.time), s.time[0], s.time[len(s.time)-1], s.rate)
	if s.rate != 600 {
		t.Errorf("rate %v Hz, want 600", s.rate)
	}
	for _, side := range []struct {
		name string
		fz   []float64
	}{{"right", s.right}, {"left", s.left}} {
		cs := gait.ContactEvents(side.fz, s.rate, gait.DefaultContactThreshold, gait.DefaultContactHysteresis)
		rises, falls := plainCrossings(side.fz, gait.DefaultContactThreshold)
		var starts, ends []int
		for _, c := range cs {
			at := func(i int) string {
				if i < 0 {
					return "outside the trial"
				}
				return fmtSeconds(s.time[i])
			}
			t.Logf("%s contact: strike %s, foot off %s", side.name, at(c.Start), at(c.End))
			if c.Start >= 0 {
				starts = append(starts, c.Start)
			}
			if c.End >= 0 {
				ends = append(ends, c.End)
			}
		}
		if len(starts) != len(rises) || len(ends) != len(falls) {
			t.Fatalf("%s: strikes %v and offs %v; plain crossings: rises %v, falls %v", side.name, starts, ends, rises, falls)
		}
		for i := range starts {
			if !near(starts[i], rises[i]) {
				t.Errorf("%s strike %d at sample %d, plain rise at %d", side.name, i, starts[i], rises[i])
			}
		}
		for i := range ends {
			if !near(ends[i], falls[i]) {
				t.Errorf("%s foot off %d at sample %d, plain fall at %d", side.name, i, ends[i], falls[i])
			}
		}
	}
}

func fmtSeconds(v float64) string { return fmt.Sprintf("%.4f s", v) }

func TestContactEventsHysteresis(t *testing.T) {
	t.Parallel()
	// Noise around the threshold: a wobble between 18 and 23 N must not
	// start a contact; a dip to 17 N inside a contact must not end it.
	fz := []float64{0, 5, 18, 21, 19, 23, 18, 2, 0, 10, 21, 40, 300, 600, 17, 400, 100, 24, 19, 12, 0}
	cs := gait.ContactEvents(fz, 1000, 20, 10)
	want := []gait.Contact{{Start: 10, End: 18}}
	if len(cs) != len(want) || cs[0] != want[0] {
		t.Errorf("got %v, want %v", cs, want)
	}
	// Contacts cut by the ends of the recording.
	cs = gait.ContactEvents([]float64{50, 60, 10, 0, 0, 30, 80}, 1000, 20, 10)
	want = []gait.Contact{{Start: -1, End: 2}, {Start: 5, End: -1}}
	if len(cs) != 2 || cs[0] != want[0] || cs[1] != want[1] {
		t.Errorf("got %v, want %v", cs, want)
	}
	if cs[0].Complete() || cs[1].Complete() {
		t.Errorf("cut contacts reported complete")
	}
}

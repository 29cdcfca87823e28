package gaitlab_test

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/tendo-health/tendo/gait"
	"github.com/tendo-health/tendo/gaitlab"
	"github.com/tendo-health/tendo/internal/golden"
	"github.com/tendo-health/tendo/internal/shared"
	"github.com/tendo-health/tendo/osim"
)

// subject01Mass is the body mass of OpenSim's subject01, kg (the masses of
// subject01.osim's bodies sum to it; issue 9).
const subject01Mass = 72.6

func readTable(tb testing.TB, elem ...string) *osim.Table {
	tb.Helper()
	f, err := os.Open(shared.Path(tb, append([]string{"data", "gait-reference", "opensim-models", "Gait10dof18musc"}, elem...)...))
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	t, err := osim.ReadTable(f)
	if err != nil {
		tb.Fatal(err)
	}
	return t
}

func column(tb testing.TB, t *osim.Table, name string) []float64 {
	tb.Helper()
	c, ok := t.Column(name)
	if !ok {
		tb.Fatalf("no column %q", name)
	}
	return c
}

// atTime interpolates x, sampled at times ts, at time q.
func atTime(ts, x []float64, q float64) float64 {
	if q <= ts[0] {
		return x[0]
	}
	for i := 1; i < len(ts); i++ {
		if ts[i] >= q {
			w := (q - ts[i-1]) / (ts[i] - ts[i-1])
			return x[i-1] + w*(x[i]-x[i-1])
		}
	}
	return x[len(x)-1]
}

// subject01Cycles returns subject01's curves over each foot's first whole
// gait cycle: the vertical force (body weights) from the force table, and
// the ankle plantarflexor moment (N·m/kg) and the Achilles force at
// gait.DefaultMomentArm (body weights) from OpenSim's inverse dynamics.
func subject01Cycles(tb testing.TB) map[string][][]float64 {
	tb.Helper()
	grf := readTable(tb, "ExperimentalData", "subject01_walk_grf.mot")
	id := readTable(tb, "OutputReference", "ID", "Results", "subject01_walk_ID.sto")
	gt, it := grf.Time(), id.Time()
	rate := math.Round(float64(len(gt)-1) / (gt[len(gt)-1] - gt[0]))
	bw := subject01Mass * gait.Gravity
	out := map[string][][]float64{}
	for _, side := range []struct{ force, moment string }{{"ground_force_vy", "ankle_angle_r_moment"}, {"1_ground_force_vy", "ankle_angle_l_moment"}} {
		fz := column(tb, grf, side.force)
		pf := gait.PlantarflexorFromID(column(tb, id, side.moment))
		cs := gait.ContactEvents(fz, rate, gait.DefaultContactThreshold, gait.DefaultContactHysteresis)
		for i := 1; i < len(cs); i++ {
			if !cs[i-1].Complete() || cs[i].Start < 0 {
				continue
			}
			t0, t1 := gt[cs[i-1].Start], gt[cs[i].Start]
			var vf, am, af []float64
			for p := range 101 {
				q := t0 + float64(p)/100*(t1-t0)
				m := atTime(it, pf, q)
				vf = append(vf, atTime(gt, fz, q)/bw)
				am = append(am, m/subject01Mass)
				af = append(af, m/gait.DefaultMomentArm/bw)
			}
			out["vertical-force"] = append(out["vertical-force"], vf)
			out["ankle-moment"] = append(out["ankle-moment"], am)
			out["achilles-force"] = append(out["achilles-force"], af)
			break
		}
	}
	return out
}

// TestReferenceCurves rebuilds reference_curves.json, the band behind the
// plot's curves, from the healthy reference walks in ../shared, and checks
// the committed copy against it. Where a walk has no value (the
// quasi-static moment is not computed in swing, when the foot carries no
// ground reaction) the band takes 0, the moment of a foot in the air
// without its own weight.
func TestReferenceCurves(t *testing.T) {
	t.Parallel()
	curves := subject01Cycles(t)
	walks := 2 // subject01's two feet
	data, err := os.ReadFile(c3dPath(t, "btkdata", "PiG", "PiG_Motion3_FF.c3d"))
	if err != nil {
		t.Fatal(err)
	}
	r, err := gaitlab.New().AnalyzeGait("PiG_Motion3_FF.c3d", data, 0, "")
	if err != nil {
		t.Fatal(err)
	}
	sides := map[string]bool{}
	for _, c := range r.Curves {
		v := make([]float64, len(c.Values))
		for i, p := range c.Values {
			if p != nil {
				v[i] = *p
			}
		}
		curves[c.Key] = append(curves[c.Key], v)
		sides[c.Side] = true
	}
	walks += len(sides)
	if walks != 4 {
		t.Fatalf("%d gait cycles, want 4 (subject01 and PiG_Motion3_FF, both feet)", walks)
	}
	source := fmt.Sprintf("lowest to highest of %d healthy gait cycles, both feet of two adults: OpenSim's subject01 walk (inverse dynamics) and Vicon's PiG_Motion3_FF (quasi-static); the walks tendo was checked on, not a population norm", walks)
	ref := gaitlab.ReferenceCurves{}
	for key, cs := range curves {
		b := gaitlab.ReferenceCurve{Low: make([]float64, 101), High: make([]float64, 101), Source: source}
		for p := range 101 {
			lo, hi := math.Inf(1), math.Inf(-1)
			for _, c := range cs {
				lo, hi = min(lo, c[p]), max(hi, c[p])
			}
			b.Low[p], b.High[p] = math.Round(lo*1000)/1000, math.Round(hi*1000)/1000
		}
		ref[key] = b
	}
	got, err := json.MarshalIndent(ref, "", " ")
	if err != nil {
		t.Fatal(err)
	}
	got = append(got, '\n')
	golden.Check(t, filepath.Join(".", "reference_curves.json"), got)
	// Every band brackets both sides' peaks as the figures state them: the
	// ankle moment's high reaches subject01's 1.79 N·m/kg.
	if hi := ref["ankle-moment"].High; maxOf(hi) < 1.79 {
		t.Errorf("ankle-moment band peaks at %.3f N·m/kg, below subject01's 1.79", maxOf(hi))
	}
}

func maxOf(x []float64) float64 {
	m := math.Inf(-1)
	for _, v := range x {
		m = max(m, v)
	}
	return m
}

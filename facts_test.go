package tendo_test

import (
	"fmt"
	"math"
	"testing"

	"github.com/tendo-health/tendo"
)

// TestFactsFigures pins the figures of the table to the evidence file
// (section 4), so that a change to one is deliberate.
func TestFactsFigures(t *testing.T) {
	t.Parallel()
	type fig struct {
		name               string
		max                float64
		higher             string
		mcid, pct          float64
		over               string
		later, laterWeeks  float64
		cite, bandsWritten string
	}
	want := map[string]fig{
		tendo.MeasureVISAA: {"VISA-A", 100, tendo.HigherBetter, 14, 0, "12 weeks", 7, 24, "visaamcid2021", "0–44 45–64 65–89 90–100"},
		tendo.MeasureODI:   {"ODI", 100, tendo.HigherWorse, 10, 30, "", 0, 0, "ostelo2008", "0–20 21–40 41–60 61–80 81–100"},
		tendo.MeasureNPRS:  {"NPRS", 10, tendo.HigherWorse, 2, 30, "", 0, 0, "ostelo2008", "0 1–3 4–6 7–10"},
		tendo.MeasureLEFS:  {"LEFS", 80, tendo.HigherBetter, 9, 0, "", 0, 0, "binkley1999", "0–67 68–76 77–80"},
	}
	all := tendo.AllFacts()
	if len(all) != 4 {
		t.Fatalf("%d measures in the table, want 4", len(all))
	}
	for i, key := range []string{tendo.MeasureVISAA, tendo.MeasureODI, tendo.MeasureNPRS, tendo.MeasureLEFS} {
		f, w := all[i], want[key]
		if f.Measure != key {
			t.Errorf("measure %d is %q, want %q", i, f.Measure, key)
		}
		bands := ""
		for j, b := range f.Bands {
			if j > 0 {
				bands += " "
			}
			bands += b.Range
		}
		got := fig{f.Name, f.Max, f.Higher, f.MCID, f.MCIDPercent, f.MCIDOver, f.LaterMCID, f.LaterWeeks, f.MCIDCite, bands}
		if got != w {
			t.Errorf("%s: %+v\nwant %+v", key, got, w)
		}
		if f.Min != 0 || f.Source == "" || f.MCIDNote == "" || f.BandNote == "" {
			t.Errorf("%s: min %v, or a note or source is missing: %+v", key, f.Min, f)
		}
	}
	if f := tendo.Facts("sf36"); f.Measure != "" {
		t.Errorf("Facts of an unknown measure = %+v", f)
	}
	f := tendo.Facts(tendo.MeasureODI)
	f.Bands[0].Name = "changed"
	if tendo.Facts(tendo.MeasureODI).Bands[0].Name == "changed" {
		t.Error("a caller changed the table")
	}
}

// TestFactsBands checks that the bands tile the scale: each written range
// matches its bounds, and the next band starts one point above.
func TestFactsBands(t *testing.T) {
	t.Parallel()
	for _, f := range tendo.AllFacts() {
		for i, b := range f.Bands {
			r := fmt.Sprintf("%g–%g", b.Lo, b.Hi)
			if b.Lo == b.Hi {
				r = fmt.Sprintf("%g", b.Lo)
			}
			if b.Range != r || b.Lo > b.Hi {
				t.Errorf("%s band %q: range %q, bounds %v–%v", f.Measure, b.Name, b.Range, b.Lo, b.Hi)
			}
			if i == 0 && b.Lo != f.Min || i == len(f.Bands)-1 && b.Hi != f.Max || i > 0 && b.Lo != f.Bands[i-1].Hi+1 {
				t.Errorf("%s band %q (%s) does not continue the bands before it", f.Measure, b.Name, b.Range)
			}
		}
	}
}

// score scores value v of a measure through its scoring function.
func score(t *testing.T, measure string, v float64) tendo.Score {
	t.Helper()
	var (
		s   tendo.Score
		err error
	)
	switch measure {
	case tendo.MeasureVISAA:
		s, err = tendo.ScoreVISAA(&tendo.VISAA{Score: ptr(int(v))})
	case tendo.MeasureODI:
		s, err = tendo.ScoreODI(&tendo.ODI{Percent: ptr(v)})
	case tendo.MeasureNPRS:
		s, err = tendo.ScoreNPRS(int(v))
	case tendo.MeasureLEFS:
		s, err = tendo.ScoreLEFS(&tendo.LEFS{Score: ptr(int(v))})
	}
	if err != nil {
		t.Fatalf("%s %v: %v", measure, v, err)
	}
	return s
}

// TestFactsAgree checks that the scores, their bands and the MCID targets
// all follow the one table: every score on every scale (ODI in steps of
// 0.1) gets the table's facts and band, and the table's target is exactly
// the edge of an important improvement (improves, below).
func TestFactsAgree(t *testing.T) {
	t.Parallel()
	for _, f := range tendo.AllFacts() {
		step := 1.0
		if f.Measure == tendo.MeasureODI {
			step = 0.1
		}
		for n := 0; float64(n)*step <= f.Max+1e-9; n++ {
			v := math.Round(float64(n)*step*10) / 10
			s := score(t, f.Measure, v)
			b := f.Band(v)
			if s.Name != f.Name || s.Max != f.Max || s.Higher != f.Higher || s.MCID != f.MCID || s.MCIDPercent != f.MCIDPercent ||
				s.MCIDNote != f.MCIDNote || s.BandNote != f.BandNote || s.Source != f.Source || s.Band != b.Name || s.BandRange != b.Range {
				t.Fatalf("%s %v: score %+v disagrees with the table %+v (band %+v)", f.Measure, v, s, f, b)
			}
			target, ok := f.Target(v)
			improved := func(x float64) bool { return improves(f, v, x) }
			best := f.Max
			if f.Higher == tendo.HigherWorse {
				best = f.Min
			}
			short := 0.01
			if f.Higher == tendo.HigherBetter {
				short = -0.01
			}
			switch {
			case !ok && improved(best):
				t.Errorf("%s %v: no target, but %v improves", f.Measure, v, best)
			case ok && (!improved(target) || improved(target+short)):
				t.Errorf("%s %v: target %v is not the edge of an important improvement", f.Measure, v, target)
			}
		}
	}
}

// improves restates the MCID rule of section 4 of the clinical evidence
// independently of MeasureFacts.Target: over 12 weeks, a follow-up improves
// on the baseline when the change in the measure's better direction
// reaches the MCID in points or, for a measure with a relative MCID (ODI,
// NPRS) and a baseline above 0, that percentage of the baseline. Scores
// are sums of whole points, so a change equal to the MCID on paper must
// not miss it by rounding error.
func improves(f tendo.MeasureFacts, baseline, followUp float64) bool {
	const eps = 1e-9
	gain := followUp - baseline
	if f.Higher == tendo.HigherWorse {
		gain = -gain
	}
	if gain >= f.MCIDFor(12)-eps {
		return true
	}
	return f.MCIDPercent > 0 && baseline > 0 && gain/baseline*100 >= f.MCIDPercent-eps
}

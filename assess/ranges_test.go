package assess_test

import (
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/tendo-health/tendo"
	"github.com/tendo-health/tendo/assess"
	"github.com/tendo-health/tendo/intake"
	"github.com/tendo-health/tendo/internal/shared"
)

type namedCase struct {
	name string
	a    *tendo.Assessment
}

// publicCases returns every public case (../shared/cases and
// ../shared/cases-v11) that this intake parses.
func publicCases(tb testing.TB) []namedCase {
	tb.Helper()
	var out []namedCase
	for _, dir := range []string{"cases", "cases-v11"} {
		files, err := filepath.Glob(shared.Path(tb, dir, "*.json"))
		if err != nil {
			tb.Fatal(err)
		}
		for _, f := range files {
			name := strings.TrimSuffix(filepath.Base(f), ".json")
			if name == "expected" {
				continue
			}
			data, err := os.ReadFile(f)
			if err != nil {
				tb.Fatal(err)
			}
			a, err := intake.Parse(data)
			if err != nil {
				tb.Logf("%s/%s does not parse yet: %.80s…", dir, name, firstLine(err.Error()))
				continue
			}
			out = append(out, namedCase{dir + "/" + name, a})
		}
	}
	return out
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}

// rangeTolerance is how far a bound of the fast option's intervals may be
// from the reference's. The contract allows 0.02 for a method used by
// default; with model 2.0 the first-order method strays up to 0.26 on the
// public cases, so the default is the reference method itself and the
// fast method is an option (tendo assess --ranges fast) whose documented
// error this guards against getting worse.
const rangeTolerance = 0.30

// TestRangesMatchReference checks the fast option's intervals against the
// contract's reference (Monte Carlo, 1,000 draws from a fixed seed) on
// every public case that parses, for every probability key, and logs
// every bound beyond the contract's 0.02.
func TestRangesMatchReference(t *testing.T) {
	e := mustEngine(t)
	targets := e.ProbabilityTargets()
	keys := assess.ProbabilityKeys()
	worst, worstAt := 0.0, ""
	worstRaw := 0.0
	for _, c := range publicCases(t) {
		fast, err := e.RangesFor(c.a, targets)
		if err != nil {
			t.Fatal(err)
		}
		ref, err := e.ReferenceRangesFor(c.a, targets, assess.ReferenceDraws, assess.ReferenceSeed)
		if err != nil {
			t.Fatal(err)
		}
		res, err := e.Assess(c.a)
		if err != nil {
			t.Fatal(err)
		}
		points := pointsOf(&res.Probabilities)
		for i, k := range keys {
			p := points[i]
			clamped := tendo.Range{math.Min(ref[i][0], p), math.Max(ref[i][1], p)}
			d := math.Max(math.Abs(fast[i][0]-clamped[0]), math.Abs(fast[i][1]-clamped[1]))
			dRaw := math.Max(math.Abs(fast[i][0]-ref[i][0]), math.Abs(fast[i][1]-ref[i][1]))
			worstRaw = math.Max(worstRaw, dRaw)
			if d > worst {
				worst, worstAt = d, c.name+" "+k
			}
			mark := ""
			if d > 0.02 {
				mark = "  <-- beyond 0.02"
				t.Logf("beyond the contract's 0.02: %s %s: fast [%.4f, %.4f], reference [%.4f, %.4f] (point %.4f)", c.name, k, fast[i][0], fast[i][1], ref[i][0], ref[i][1], p)
			}
			if d > rangeTolerance {
				t.Errorf("%s %s: fast [%.4f, %.4f], reference [%.4f, %.4f] (point %.4f): %.4f apart", c.name, k, fast[i][0], fast[i][1], ref[i][0], ref[i][1], p, d)
			}
			if testing.Verbose() {
				fmt.Printf("%-40s %-24s p %.4f  fast [%.4f %.4f]  ref [%.4f %.4f]  diff %.4f%s\n", c.name, k, p, fast[i][0], fast[i][1], ref[i][0], ref[i][1], d, mark)
			}
		}
	}
	t.Logf("largest difference from the reference (contained the point): %.4f (%s); from the raw percentiles: %.4f", worst, worstAt, worstRaw)
}

func pointsOf(p *tendo.Probabilities) []float64 {
	return []float64{
		p.AchillesTendinopathy, p.S1Radiculopathy, p.LumbarContribution, p.AchillesRupture,
		p.MidportionTendinopathy, p.InsertionalTendinopathy,
		p.CompensatoryGait, p.CalfWeakness, p.TendonOverload, p.TendonVulnerability,
	}
}

// TestRangesDeterministic: two engines give the same intervals, fast and
// reference, for the same input; every interval lies in [0, 1] and
// contains its point; with ranges off every interval is the point.
func TestRangesDeterministic(t *testing.T) {
	e1 := mustEngine(t)
	e2, err := assess.New()
	if err != nil {
		t.Fatal(err)
	}
	off, err := assess.NewWithOptions(assess.Options{Ranges: false})
	if err != nil {
		t.Fatal(err)
	}
	cases := publicCases(t)
	targets1, targets2 := e1.ProbabilityTargets(), e2.ProbabilityTargets()
	for i, c := range cases {
		r1, err := e1.Assess(c.a)
		if err != nil {
			t.Fatal(err)
		}
		r2, err := e2.Assess(c.a)
		if err != nil {
			t.Fatal(err)
		}
		if r1.ProbabilityRanges != r2.ProbabilityRanges {
			t.Errorf("%s: two engines gave %v and %v", c.name, r1.ProbabilityRanges, r2.ProbabilityRanges)
		}
		again, err := e1.Assess(c.a)
		if err != nil {
			t.Fatal(err)
		}
		if again.ProbabilityRanges != r1.ProbabilityRanges {
			t.Errorf("%s: the same engine gave %v, then %v", c.name, r1.ProbabilityRanges, again.ProbabilityRanges)
		}
		points := pointsOf(&r1.Probabilities)
		ranges := rangesOf(&r1.ProbabilityRanges)
		for k, key := range assess.ProbabilityKeys() {
			r, p := ranges[k], points[k]
			if !(0 <= r[0] && r[0] <= p && p <= r[1] && r[1] <= 1) {
				t.Errorf("%s %s: range %v does not contain %g within [0, 1]", c.name, key, r, p)
			}
		}
		if i == 0 {
			exact, err := assess.NewWithOptions(assess.Options{Ranges: true, ReferenceRanges: true})
			if err != nil {
				t.Fatal(err)
			}
			rx, err := exact.Assess(c.a)
			if err != nil {
				t.Fatal(err)
			}
			ref, err := e1.ReferenceRangesFor(c.a, targets1, assess.ReferenceDraws, assess.ReferenceSeed)
			if err != nil {
				t.Fatal(err)
			}
			for k, r := range rangesOf(&rx.ProbabilityRanges) {
				p := points[k]
				if want := (tendo.Range{math.Min(ref[k][0], p), math.Max(ref[k][1], p)}); r != want {
					t.Errorf("%s: with ReferenceRanges, range %d is %v, want %v", c.name, k, r, want)
				}
			}
		}
		ro, err := off.Assess(c.a)
		if err != nil {
			t.Fatal(err)
		}
		for k, r := range rangesOf(&ro.ProbabilityRanges) {
			if p := pointsOf(&ro.Probabilities)[k]; r != (tendo.Range{p, p}) {
				t.Errorf("%s: with ranges off, range %v for point %g", c.name, r, p)
			}
		}
		if ro.Classification != r1.Classification || ro.Probabilities != r1.Probabilities {
			t.Errorf("%s: the ranges changed the classification or the probabilities", c.name)
		}
		if i < 2 { // the reference reproduces itself (same seed, new engine)
			ref1, err := e1.ReferenceRangesFor(c.a, targets1, assess.ReferenceDraws, assess.ReferenceSeed)
			if err != nil {
				t.Fatal(err)
			}
			ref2, err := e2.ReferenceRangesFor(c.a, targets2, assess.ReferenceDraws, assess.ReferenceSeed)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(ref1, ref2) {
				t.Errorf("%s: the reference gave %v, then %v", c.name, ref1, ref2)
			}
			for k, r := range ref1 {
				if !(0 <= r[0] && r[0] <= r[1] && r[1] <= 1) {
					t.Errorf("%s: reference range %d is %v", c.name, k, r)
				}
			}
		}
	}
}

// TestRangesFor: targets by name, including one that is not a key of
// probabilities, agree with the probability ranges.
func TestRangesFor(t *testing.T) {
	e := mustEngine(t)
	a := loadCase(t, "s1-mimic")
	res, err := e.Assess(a)
	if err != nil {
		t.Fatal(err)
	}
	s1, err := e.Target("s1Radiculopathy", "present")
	if err != nil {
		t.Fatal(err)
	}
	pain, err := e.Target("tendonLoadPain", "yes")
	if err != nil {
		t.Fatal(err)
	}
	rs, err := e.RangesFor(a, []assess.Target{s1, pain})
	if err != nil {
		t.Fatal(err)
	}
	if rs[0] != res.ProbabilityRanges.S1Radiculopathy {
		t.Errorf("RangesFor(s1Radiculopathy present) = %v, probabilityRanges has %v", rs[0], res.ProbabilityRanges.S1Radiculopathy)
	}
	if !(0 <= rs[1][0] && rs[1][0] <= rs[1][1] && rs[1][1] <= 1) {
		t.Errorf("tendonLoadPain range %v", rs[1])
	}
	if _, err := e.Target("noSuchNode", "x"); err == nil {
		t.Error("Target accepted an unknown node")
	}
	if _, err := e.Target("painSite", "knee"); err == nil {
		t.Error("Target accepted an unknown state")
	}
}

func rangesOf(r *tendo.ProbabilityRanges) []tendo.Range {
	return []tendo.Range{
		r.AchillesTendinopathy, r.S1Radiculopathy, r.LumbarContribution, r.AchillesRupture,
		r.MidportionTendinopathy, r.InsertionalTendinopathy,
		r.CompensatoryGait, r.CalfWeakness, r.TendonOverload, r.TendonVulnerability,
	}
}

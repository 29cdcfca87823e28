package assess_test

import (
	"fmt"
	"math"
	"os"
	"path/filepath"
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

// TestRangesMatchReference checks the engine's fast intervals against the
// contract's reference (Monte Carlo, 1,000 draws from a fixed seed) on
// every public case that parses: every bound within 0.02.
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
				t.Errorf("%s %s: fast [%.4f, %.4f], reference [%.4f, %.4f] (point %.4f)", c.name, k, fast[i][0], fast[i][1], ref[i][0], ref[i][1], p)
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
		p.CompensatoryGait, p.CalfWeakness, p.TendonOverload, p.TendonVulnerability, p.OtherHeelPathology,
	}
}

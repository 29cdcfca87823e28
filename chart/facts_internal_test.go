package chart

import (
	"reflect"
	"testing"

	"github.com/tendo-health/tendo"
)

// TestMeasuresFromFacts checks that the chart's measures, and so its MCID
// bands, are the table's (tendo.Facts).
func TestMeasuresFromFacts(t *testing.T) {
	t.Parallel()
	for _, m := range measures {
		f := tendo.Facts(string(m.instrument))
		if !reflect.DeepEqual(m.facts, f) || m.max != f.Max || m.higherBetter != (f.Higher == tendo.HigherBetter) {
			t.Errorf("%s: chart measure %+v disagrees with the table %+v", m.instrument, m, f)
		}
		for b := 0.0; b <= m.max; b += m.max / 40 {
			got, gotOK := m.target(b)
			want, wantOK := f.Target(b)
			if got != want || gotOK != wantOK {
				t.Errorf("%s baseline %v: chart target %v, %v; table %v, %v", m.instrument, b, got, gotOK, want, wantOK)
			}
		}
	}
}

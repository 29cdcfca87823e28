package assess

import (
	"os"
	"testing"

	"github.com/tendo-health/tendo/intake"
	"github.com/tendo-health/tendo/internal/shared"
)

func BenchmarkXRanges(b *testing.B) {
	e, _ := New()
	data, _ := os.ReadFile(shared.Path(b, "cases", "mixed-kinetic-chain.json"))
	a, _ := intake.Parse(data)
	tg := e.probabilityTargets()
	for b.Loop() {
		e.RangesFor(a, tg)
	}
}

package assess_test

import (
	"os"
	"testing"

	"github.com/tendo-health/tendo/intake"
	"github.com/tendo-health/tendo/internal/resultjson"
	"github.com/tendo-health/tendo/internal/shared"
)

// BenchmarkPhases splits one assessment (mixed-kinetic-chain) into its
// three stages: parsing the JSON, the assessment itself, and writing the
// result's JSON.
func BenchmarkPhases(b *testing.B) {
	e := mustEngine(b)
	data, _ := os.ReadFile(shared.Path(b, "cases", "mixed-kinetic-chain.json"))
	a, _ := intake.ParseJSON(data)
	res, _ := e.Assess(a)
	b.Run("parse", func(b *testing.B) {
		for b.Loop() {
			_, _ = intake.ParseJSON(data)
		}
	})
	b.Run("assess", func(b *testing.B) {
		for b.Loop() {
			_, _ = e.Assess(a)
		}
	})
	b.Run("json", func(b *testing.B) {
		var out []byte
		for b.Loop() {
			out = resultjson.Append(out[:0], res)
		}
		b.ReportMetric(float64(len(out)), "bytes")
	})
}

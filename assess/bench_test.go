package assess_test

import (
	"os"
	"testing"

	"github.com/tendo-health/tendo/assess"
	"github.com/tendo-health/tendo/intake"
	"github.com/tendo-health/tendo/internal/resultjson"
	"github.com/tendo-health/tendo/internal/shared"
)

// BenchmarkAssess measures one typical assessment end to end on one
// goroutine, with the default options (credible intervals by the
// contract's reference method): parse the JSON, score, red flags,
// inference, differential, explanation, next tests, ranges, plan, and the
// JSON output (internal/resultjson, as batch mode writes it).
func BenchmarkAssess(b *testing.B) {
	e := mustEngine(b)
	for _, name := range []string{"mixed-kinetic-chain", "runner-midportion", "s1-mimic"} {
		b.Run(name, func(b *testing.B) {
			data, err := os.ReadFile(shared.Path(b, "cases", name+".json"))
			if err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			var out []byte
			for b.Loop() {
				a, err := intake.ParseJSON(data)
				if err != nil {
					b.Fatal(err)
				}
				res, err := e.Assess(a)
				if err != nil {
					b.Fatal(err)
				}
				out = resultjson.Append(out[:0], res)
			}
		})
	}
}

// BenchmarkAssessNoRanges is BenchmarkAssess with the credible intervals
// off (assess.Options{Ranges: false}).
func BenchmarkAssessNoRanges(b *testing.B) {
	benchOptions(b, assess.Options{Ranges: false})
}

// BenchmarkAssessFastRanges is BenchmarkAssess with the fast approximate
// intervals (assess.Options{Ranges: true}; tendo assess --ranges fast).
func BenchmarkAssessFastRanges(b *testing.B) {
	benchOptions(b, assess.Options{Ranges: true})
}

func benchOptions(b *testing.B, opts assess.Options) {
	e, err := assess.NewWithOptions(opts)
	if err != nil {
		b.Fatal(err)
	}
	for _, name := range []string{"mixed-kinetic-chain", "runner-midportion", "s1-mimic"} {
		b.Run(name, func(b *testing.B) {
			data, err := os.ReadFile(shared.Path(b, "cases", name+".json"))
			if err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			var out []byte
			for b.Loop() {
				a, err := intake.ParseJSON(data)
				if err != nil {
					b.Fatal(err)
				}
				res, err := e.Assess(a)
				if err != nil {
					b.Fatal(err)
				}
				out = resultjson.Append(out[:0], res)
			}
		})
	}
}

package intake_test

import (
	"os"
	"testing"

	"github.com/tendo-health/tendo/intake"
	"github.com/tendo-health/tendo/internal/shared"
)

// BenchmarkParse parses a typical assessment (mixed-kinetic-chain.json:
// every section, ODI answers) from JSON.
func BenchmarkParse(b *testing.B) {
	data, err := os.ReadFile(shared.Path(b, "cases", "mixed-kinetic-chain.json"))
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := intake.Parse(data); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkParseYAML parses the same assessment written in YAML.
func BenchmarkParseYAML(b *testing.B) {
	data, err := os.ReadFile("testdata/mixed-kinetic-chain.yaml")
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := intake.Parse(data); err != nil {
			b.Fatal(err)
		}
	}
}

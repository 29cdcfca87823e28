package fhircheck_test

import (
	"testing"

	"github.com/tendo-health/tendo/internal/fhircheck"
)

// BenchmarkCheck times one Check of every official example of the types
// tendo reads or writes (one node run: start, loading the schema and
// StructureDefinitions, then all three checks on each resource).
//
//	go test ./internal/fhircheck -run '^$' -bench Check -benchtime 3x
func BenchmarkCheck(b *testing.B) {
	examples := officialExamples(b, exampleTypes...)
	var startup, checks float64
	for b.Loop() {
		rep := fhircheck.Check(b, examples)
		if len(rep.Resources) != len(examples) {
			b.Fatalf("%d results for %d resources", len(rep.Resources), len(examples))
		}
		startup += rep.CPUMilliseconds["startup"]
		checks += rep.CPUMilliseconds["schema"] + rep.CPUMilliseconds["fhirjs"] + rep.CPUMilliseconds["invariants"]
	}
	b.ReportMetric(float64(len(examples)), "resources/op")
	// node's own CPU time, which the machine's load does not change.
	b.ReportMetric(startup/float64(b.N), "startup-cpu-ms/op")
	b.ReportMetric(checks/float64(b.N)/float64(len(examples)), "check-cpu-ms/resource")
}

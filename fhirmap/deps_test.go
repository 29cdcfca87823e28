package fhirmap_test

import (
	"testing"

	"github.com/tendo-health/tendo/internal/deptest"
)

// TestDependencies keeps fhirmap a mapping: the domain, the wire format and
// the questionnaire forms, no engine, store, service or web.
func TestDependencies(t *testing.T) {
	t.Parallel()
	m := deptest.Module
	deptest.Check(t, m+"/fhirmap", m, m+"/fhir", m+"/questionnaire")
}

package fhir_test

import (
	"testing"

	"github.com/tendo-health/tendo/internal/deptest"
)

// TestDependencies keeps fhir a wire format: it imports only the standard
// library, not the domain (the mapping to tendo's types comes later, in its
// own step) nor any third-party code.
func TestDependencies(t *testing.T) {
	t.Parallel()
	deptest.Check(t, deptest.Module+"/fhir")
}

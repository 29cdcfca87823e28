package cdshooks_test

import (
	"testing"

	"github.com/tendo-health/tendo/internal/deptest"
)

// TestDependencies keeps cdshooks a protocol adapter: the domain root, the
// FHIR wire format and its mapping, go-jose; no clinic, web, store or
// engine.
func TestDependencies(t *testing.T) {
	t.Parallel()
	m := deptest.Module
	deptest.Check(t, m+"/cdshooks", m, m+"/fhir", m+"/fhirmap", m+"/questionnaire",
		"github.com/go-jose/go-jose/v4", "github.com/go-jose/go-jose/v4/...")
}

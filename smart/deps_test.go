package smart_test

import (
	"testing"

	"github.com/tendo-health/tendo/internal/deptest"
)

// TestDependencies keeps smart a client of the EHR: OAuth, the FHIR wire
// format and the domain's nouns, but no web, service or store.
func TestDependencies(t *testing.T) {
	t.Parallel()
	m := deptest.Module
	deptest.Check(t, m+"/smart", m, m+"/fhir", "golang.org/x/oauth2", "golang.org/x/oauth2/...")
}

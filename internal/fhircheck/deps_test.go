package fhircheck_test

import (
	"testing"

	"github.com/tendo-health/tendo/internal/deptest"
)

// TestDependencies keeps the harness small: the standard library and the
// helper that finds the shared data, nothing of tendo's own.
func TestDependencies(t *testing.T) {
	t.Parallel()
	m := deptest.Module
	deptest.Check(t, m+"/internal/fhircheck", m+"/internal/shared")
}

package gait_test

import (
	"testing"

	"github.com/tendo-health/tendo/internal/deptest"
)

// TestDependencies keeps the derivations free of the domain, of the file
// readers and of third-party code: gait imports only the standard library.
func TestDependencies(t *testing.T) {
	t.Parallel()
	deptest.Check(t, deptest.Module+"/gait")
}

package bn_test

import (
	"testing"

	"github.com/tendo-health/tendo/internal/deptest"
)

// TestDependencies keeps the engine free of the domain and of third-party
// code: bn imports only the standard library; its readers import only bn.
func TestDependencies(t *testing.T) {
	t.Parallel()
	deptest.Check(t, deptest.Module+"/bn")
	deptest.Check(t, deptest.Module+"/bn/bif", deptest.Module+"/bn")
	deptest.Check(t, deptest.Module+"/bn/uai", deptest.Module+"/bn")
}

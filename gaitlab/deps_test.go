package gaitlab_test

import (
	"testing"

	"github.com/tendo-health/tendo/internal/deptest"
)

// TestDependencies keeps gaitlab to the domain root, the C3D reader, the
// gait derivations and the standard library: no storage, web, command,
// knowledge-base or third-party code.
func TestDependencies(t *testing.T) {
	t.Parallel()
	deptest.Check(t, deptest.Module+"/gaitlab", deptest.Module, deptest.Module+"/c3d", deptest.Module+"/gait")
}

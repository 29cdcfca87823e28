package resultjson_test

import (
	"testing"

	"github.com/tendo-health/tendo/internal/deptest"
)

// TestDependencies: the encoder reads the domain root's types and nothing
// else (its tests use assess and intake to make results).
func TestDependencies(t *testing.T) {
	t.Parallel()
	deptest.Check(t, deptest.Module+"/internal/resultjson", deptest.Module)
}

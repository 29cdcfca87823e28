package report_test

import (
	"testing"

	"github.com/tendo-health/tendo/internal/deptest"
)

// TestDependencies keeps report a renderer of results: the domain root
// only, never the engine (the model card, which needs it, is
// report/modelcard), storage, HTTP or the commands.
func TestDependencies(t *testing.T) {
	t.Parallel()
	deptest.Check(t, deptest.Module+"/report", deptest.Module)
}

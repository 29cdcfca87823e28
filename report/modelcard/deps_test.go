package modelcard_test

import (
	"testing"

	"github.com/tendo-health/tendo/internal/deptest"
)

// TestDependencies keeps the model card a renderer of the engine's data:
// the root, assess and what it imports; never storage, HTTP or the
// commands.
func TestDependencies(t *testing.T) {
	t.Parallel()
	m := deptest.Module
	deptest.Check(t, m+"/report/modelcard", m, m+"/assess", m+"/kb", m+"/bn", m+"/intake", "go.yaml.in/yaml/v3")
}

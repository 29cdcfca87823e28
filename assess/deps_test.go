package assess_test

import (
	"testing"

	"github.com/tendo-health/tendo/internal/deptest"
)

// TestDependencies keeps the reasoning pipeline free of storage, HTTP,
// rendering and the commands: it imports the domain root, the knowledge
// base (kb, with its YAML parser), the engine (bn) and intake (for the
// vignette set of the model's validation), and nothing else.
func TestDependencies(t *testing.T) {
	t.Parallel()
	deptest.Check(t, deptest.Module+"/assess",
		deptest.Module, deptest.Module+"/kb", deptest.Module+"/bn", deptest.Module+"/intake",
		"go.yaml.in/yaml/v3")
}

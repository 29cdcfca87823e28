package intake_test

import (
	"testing"

	"github.com/tendo-health/tendo/internal/deptest"
)

// TestDependencies keeps intake an adapter: it imports the domain root,
// the YAML parser and the standard library, nothing else.
func TestDependencies(t *testing.T) {
	t.Parallel()
	deptest.Check(t, deptest.Module+"/intake", deptest.Module, "go.yaml.in/yaml/v3")
}

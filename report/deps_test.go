package report_test

import (
	"testing"

	"github.com/tendo-health/tendo/internal/deptest"
)

// TestDependencies keeps report a renderer: the domain root, and for the
// model card assess and what it imports; never storage, HTTP or the
// commands.
func TestDependencies(t *testing.T) {
	t.Parallel()
	deptest.Check(t, deptest.Module+"/report",
		deptest.Module, deptest.Module+"/assess", deptest.Module+"/kb", deptest.Module+"/bn", deptest.Module+"/intake",
		"go.yaml.in/yaml/v3")
}

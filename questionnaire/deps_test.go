package questionnaire_test

import (
	"testing"

	"github.com/tendo-health/tendo/internal/deptest"
)

// TestDependencies keeps questionnaire small: the domain root and the
// standard library only.
func TestDependencies(t *testing.T) {
	t.Parallel()
	deptest.Check(t, deptest.Module+"/questionnaire", deptest.Module)
}

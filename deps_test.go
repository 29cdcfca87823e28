package tendo_test

import (
	"testing"

	"github.com/tendo-health/tendo/internal/deptest"
)

// TestDependencies keeps the domain root at the centre: it imports the
// standard library only, so every other package may import it and it
// imports none of them.
func TestDependencies(t *testing.T) {
	t.Parallel()
	deptest.Check(t, deptest.Module)
}

package clinic_test

import (
	"testing"

	"github.com/tendo-health/tendo/internal/deptest"
)

// TestDependencies keeps the services on the root's Store interface: no
// database driver, no web, no command.
func TestDependencies(t *testing.T) {
	t.Parallel()
	m := deptest.Module
	deptest.Check(t, m+"/clinic", m, m+"/passwd", m+"/questionnaire", "golang.org/x/crypto/...", "golang.org/x/sys/...")
}

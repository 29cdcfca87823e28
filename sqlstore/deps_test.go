package sqlstore

import (
	"testing"

	"github.com/tendo-health/tendo/internal/deptest"
)

// TestDependencies keeps the store to tendo's domain, the two drivers
// (with what they need) and the standard library: never the web server or
// the engines. The suite depends on the domain only.
func TestDependencies(t *testing.T) {
	deptest.Check(t, deptest.Module+"/sqlstore",
		deptest.Module,
		"modernc.org/...",
		"github.com/jackc/...",
		"golang.org/x/...",
		// modernc.org/sqlite's own dependencies.
		"github.com/dustin/go-humanize",
		"github.com/google/uuid",
		"github.com/mattn/go-isatty",
		"github.com/ncruces/go-strftime",
		"github.com/remyoudompheng/bigfft",
	)
	deptest.Check(t, deptest.Module+"/storetest", deptest.Module)
}

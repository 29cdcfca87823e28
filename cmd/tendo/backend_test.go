package main

import (
	"database/sql"
	"fmt"
	"math/rand/v2"
	"net/url"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tendo-health/tendo/internal/dbtest"
)

// serveBackend is a database 'tendo serve --db' runs on in the end-to-end
// tests and benchmarks of the real binary.
type serveBackend struct {
	name string
	// db returns the --db value of a new, empty database of tb's own. It
	// skips tb when the backend is not available (and fails it under
	// CI, TENDO_CI set, where it must be).
	db func(tb testing.TB) string
}

// serveBackends are SQLite (a file in a temporary directory) and Postgres
// (a schema of its own on the server named by TENDO_TEST_POSTGRES_DSN).
var serveBackends = []serveBackend{
	{name: "SQLite", db: func(tb testing.TB) string { return filepath.Join(tb.TempDir(), "tendo.db") }},
	{name: "Postgres", db: postgresServeDB},
}

// postgresServeDB creates an empty schema of tb's own on the server named
// by TENDO_TEST_POSTGRES_DSN, dropped at cleanup (after the servers the
// test starts later are killed), and returns a DSN whose connections use
// it. Without TENDO_TEST_POSTGRES_DSN it skips tb, or fails it under CI.
func postgresServeDB(tb testing.TB) string {
	tb.Helper()
	base := dbtest.PostgresDSN(tb)
	admin, err := sql.Open("pgx", base) // the driver sqlstore registers
	if err != nil {
		tb.Fatal(err)
	}
	schema := fmt.Sprintf("tendo_e2e_%016x", rand.Uint64())
	if _, err := admin.Exec("CREATE SCHEMA " + schema); err != nil {
		admin.Close()
		tb.Fatalf("create schema: %v", err)
	}
	tb.Cleanup(func() {
		if _, err := admin.Exec("DROP SCHEMA " + schema + " CASCADE"); err != nil {
			tb.Errorf("drop schema %s: %v", schema, err)
		}
		admin.Close()
	})
	// pgx passes parameters it does not know, search_path among them, to
	// the server as settings of each connection.
	if !strings.HasPrefix(base, "postgres://") && !strings.HasPrefix(base, "postgresql://") {
		tb.Fatalf("TENDO_TEST_POSTGRES_DSN must be a postgres:// URL for 'tendo serve --db', not %q", base)
	}
	u, err := url.Parse(base)
	if err != nil {
		tb.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

// Package dbtest opens throwaway stores for tests: SQLite in a temporary
// directory, and Postgres in a schema of the test's own on the server
// named by TENDO_TEST_POSTGRES_DSN (skipped without it, except under CI,
// TENDO_CI set, where a missing server fails the test).
package dbtest

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"net/url"
	"os"
	"path/filepath"
	"testing"

	"github.com/tendo-health/tendo/sqlstore"
)

// SQLite opens a new SQLite store in t's temporary directory, closed at
// cleanup.
func SQLite(t testing.TB) *sqlstore.DB {
	t.Helper()
	db, err := sqlstore.OpenSQLite(context.Background(), filepath.Join(t.TempDir(), "tendo.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// PostgresDSN is the server the Postgres tests use; it skips the test
// without one (fails it under CI).
func PostgresDSN(t testing.TB) string {
	t.Helper()
	dsn := os.Getenv("TENDO_TEST_POSTGRES_DSN")
	if dsn == "" {
		if os.Getenv("TENDO_CI") != "" {
			t.Fatal("TENDO_TEST_POSTGRES_DSN is not set, and CI (TENDO_CI) must run the Postgres tests")
		}
		t.Skip("TENDO_TEST_POSTGRES_DSN is not set: skipping Postgres")
	}
	return dsn
}

// Postgres opens a store in a new schema of its own, dropped at cleanup.
func Postgres(t testing.TB) *sqlstore.DB {
	t.Helper()
	base := PostgresDSN(t)
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatal(err)
	}
	schema := fmt.Sprintf("tendo_test_%016x", rand.Uint64())
	if _, err := admin.Exec("CREATE SCHEMA " + schema); err != nil {
		admin.Close()
		t.Fatalf("create schema: %v", err)
	}
	t.Cleanup(func() {
		if _, err := admin.Exec("DROP SCHEMA " + schema + " CASCADE"); err != nil {
			t.Errorf("drop schema %s: %v", schema, err)
		}
		admin.Close()
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	db, err := sqlstore.OpenPostgres(context.Background(), u.String())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// Each runs fn as a subtest on SQLite and on Postgres.
func Each(t *testing.T, fn func(t *testing.T, db *sqlstore.DB)) {
	t.Run("SQLite", func(t *testing.T) { t.Parallel(); fn(t, SQLite(t)) })
	t.Run("Postgres", func(t *testing.T) { t.Parallel(); fn(t, Postgres(t)) })
}

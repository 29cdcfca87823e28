package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"net/url"
	"os"
	"strings"
	"testing"

	"github.com/tendo-health/tendo"
	"github.com/tendo-health/tendo/storetest"
)

// postgresDSN returns the server the Postgres tests use. Without one they
// skip, except in CI (TENDO_CI set), where they must run.
func postgresDSN(t testing.TB) string {
	t.Helper()
	dsn := os.Getenv("TENDO_TEST_POSTGRES_DSN")
	if dsn == "" {
		if os.Getenv("TENDO_CI") != "" {
			t.Fatal("TENDO_TEST_POSTGRES_DSN is not set, and CI (TENDO_CI) must run the Postgres tests")
		}
		t.Skip("TENDO_TEST_POSTGRES_DSN is not set (e.g. postgres://user:pass@localhost:5432/db?sslmode=disable): skipping Postgres")
	}
	return dsn
}

// postgresSchema creates an empty schema of the test's own, dropped at
// cleanup, and returns a DSN whose connections use it.
func postgresSchema(t testing.TB) string {
	t.Helper()
	base := postgresDSN(t)
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
	// pgx sends parameters it does not know, search_path among them, to
	// the server as settings of the connection.
	if strings.HasPrefix(base, "postgres://") || strings.HasPrefix(base, "postgresql://") {
		u, err := url.Parse(base)
		if err != nil {
			t.Fatal(err)
		}
		q := u.Query()
		q.Set("search_path", schema)
		u.RawQuery = q.Encode()
		return u.String()
	}
	return base + " search_path=" + schema
}

// openPostgres opens a store in a new schema, closed at cleanup.
func openPostgres(t testing.TB) *DB {
	t.Helper()
	return openPostgresDSN(t, postgresSchema(t))
}

func openPostgresDSN(t testing.TB, dsn string) *DB {
	t.Helper()
	d, err := OpenPostgres(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := d.Close(); err != nil {
			t.Errorf("close: %v", err)
		}
	})
	return d
}

func TestPostgres(t *testing.T) {
	postgresDSN(t)
	storetest.Run(t, func(t *testing.T) tendo.Store { return openPostgres(t) })
}

func TestPostgresMigrationsIdempotent(t *testing.T) {
	dsn := postgresSchema(t)
	testMigrationsIdempotent(t, func(t *testing.T) *DB { return openPostgresDSN(t, dsn) })
}

// TestPostgresConcurrentFirstOpen opens a new database from several
// handles at once: the advisory lock lets one apply each migration.
func TestPostgresConcurrentFirstOpen(t *testing.T) {
	dsn := postgresSchema(t)
	errs := make(chan error, 6)
	for range cap(errs) {
		go func() {
			d, err := OpenPostgres(t.Context(), dsn)
			if err == nil {
				d.Close()
			}
			errs <- err
		}()
	}
	for range cap(errs) {
		if err := <-errs; err != nil {
			t.Errorf("open: %v", err)
		}
	}
	d := openPostgresDSN(t, dsn)
	var n int
	if err := d.r.QueryRowContext(t.Context(), "SELECT count(*) FROM migrations").Scan(&n); err != nil {
		t.Fatal(err)
	}
	ms, _ := d.migrations()
	if n != len(ms) {
		t.Errorf("%d migrations recorded, want %d", n, len(ms))
	}
}

func TestOpenChoosesPostgres(t *testing.T) {
	dsn := postgresSchema(t)
	d, err := Open(t.Context(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	if d.dialect != dialectPostgres {
		t.Errorf("%s: not Postgres", dsn)
	}
}

func TestLastUsedPostgres(t *testing.T) { testLastUsed(t, openPostgres(t)) }

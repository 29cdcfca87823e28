package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tendo-health/tendo/sqlstore"
)

// TestDBFromEnvironment checks that tendo user and tendo serve take the
// database from $TENDO_DB when --db is not given, and --db when it is.
// (Not parallel: it sets the environment and the working directory.)
func TestDBFromEnvironment(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir) // so that a stray tendo.db would land here, and be seen
	envDB := filepath.Join(dir, "env.db")
	t.Setenv("TENDO_DB", envDB)

	code, out, errOut := run(t, "", "user", "add", "--email", "admin@clinic.test", "--name", "Admin", "--role", "admin")
	if code != exitOK {
		t.Fatalf("user add: exit %d, stdout %q, stderr %q", code, out, errOut)
	}
	if _, err := os.Stat("tendo.db"); err == nil {
		t.Error("user add without --db created tendo.db despite TENDO_DB")
	}
	store, err := sqlstore.Open(context.Background(), envDB)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := store.UserByEmail(context.Background(), "admin@clinic.test"); err != nil {
		t.Errorf("the user is not in $TENDO_DB: %v", err)
	}
	store.Close()

	if code, out, errOut := run(t, "", "user", "token", "--email", "admin@clinic.test"); code != exitOK || len(strings.TrimSpace(out)) < 20 {
		t.Errorf("user token with TENDO_DB: exit %d, stdout %q, stderr %q", code, out, errOut)
	}
	// --db wins over the environment: this database has no such user.
	other := filepath.Join(dir, "other.db")
	if code, _, errOut := run(t, "", "user", "token", "--email", "admin@clinic.test", "--db", other); code != exitBadInput || !strings.Contains(errOut, "no user") {
		t.Errorf("user token --db other.db: exit %d, stderr %q; want no user", code, errOut)
	}

	// serve reads it too (it binds the port, opens the database, then
	// fails at once on a missing TLS certificate; issue 10: small).
	served := filepath.Join(dir, "served.db")
	t.Setenv("TENDO_DB", served)
	missing := filepath.Join(dir, "missing.pem")
	if code, _, errOut := run(t, "", "serve", "--addr", "127.0.0.1:0", "--ranges", "off", "--tls-cert", missing, "--tls-key", missing); code == exitOK {
		t.Errorf("serve on a bad address: exit 0, stderr %q", errOut)
	}
	if _, err := os.Stat(served); err != nil {
		t.Errorf("serve without --db did not open $TENDO_DB: %v", err)
	}

	// The help says so.
	for _, cmd := range [][]string{{"serve"}, {"user", "add"}, {"user", "token"}} {
		_, out, _ := run(t, "", append(cmd, "--help")...)
		if !strings.Contains(out, "$TENDO_DB") {
			t.Errorf("tendo %s --help does not mention $TENDO_DB:\n%s", strings.Join(cmd, " "), out)
		}
	}
}

// TestDBPasswordNeverShown checks F13: a Postgres password, given with --db
// or in $TENDO_DB, appears neither on stdout nor on stderr, whether the
// connection fails or help is asked for.
func TestDBPasswordNeverShown(t *testing.T) {
	t.Chdir(t.TempDir())
	const dsn = "postgres://tendo:SECRETPW@127.0.0.1:1/tendo"
	check := func(what string, code int, out, errOut string) {
		t.Helper()
		if strings.Contains(out+errOut, "SECRETPW") {
			t.Errorf("%s: the password is shown:\nstdout %q\nstderr %q", what, out, errOut)
		}
	}

	code, out, errOut := run(t, "", "serve", "--addr", "127.0.0.1:0", "--db", dsn)
	if code != exitFailure || !strings.Contains(errOut, "tendo:xxxxx@127.0.0.1:1") {
		t.Errorf("serve --db %s: exit %d, stderr %q; want a failure naming the redacted DSN", dsn, code, errOut)
	}
	check("serve --db", code, out, errOut)

	for _, args := range [][]string{
		{"user", "add", "--email", "a@clinic.test", "--name", "A", "--db", dsn},
		{"user", "token", "--email", "a@clinic.test", "--db", dsn},
	} {
		code, out, errOut := run(t, "", args...)
		if code == exitOK {
			t.Errorf("%s: exit 0 without a database", strings.Join(args[:2], " "))
		}
		check(strings.Join(args[:2], " "), code, out, errOut)
	}

	t.Setenv("TENDO_DB", dsn)
	code, out, errOut = run(t, "", "serve", "--addr", "127.0.0.1:0")
	if code != exitFailure {
		t.Errorf("serve with TENDO_DB=%s: exit %d, stderr %q", dsn, code, errOut)
	}
	check("serve with TENDO_DB", code, out, errOut)
	for _, cmd := range [][]string{{"serve"}, {"user", "add"}, {"user", "token"}} {
		code, out, errOut := run(t, "", append(cmd, "--help")...)
		if !strings.Contains(out, "tendo:xxxxx@127.0.0.1:1") {
			t.Errorf("tendo %s --help with TENDO_DB set: want the redacted default in\n%s", strings.Join(cmd, " "), out)
		}
		check(strings.Join(cmd, " ")+" --help", code, out, errOut)
	}
}

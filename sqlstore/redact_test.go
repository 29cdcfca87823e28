package sqlstore

import (
	"context"
	"errors"
	"io/fs"
	"strings"
	"testing"
	"time"
)

func TestRedact(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, dsn, want string
	}{
		{"URL with password",
			"postgres://tendo:SECRET@db.example:5432/tendo?sslmode=require",
			"postgres://tendo:xxxxx@db.example:5432/tendo?sslmode=require"},
		{"postgresql scheme",
			"postgresql://tendo:SECRET@db.example/tendo",
			"postgresql://tendo:xxxxx@db.example/tendo"},
		{"URL without password",
			"postgres://tendo@127.0.0.1:5432/tendo_test?sslmode=disable",
			"postgres://tendo@127.0.0.1:5432/tendo_test?sslmode=disable"},
		{"URL without user",
			"postgres://db.example/tendo",
			"postgres://db.example/tendo"},
		{"escaped characters in the password",
			"postgres://tendo:S%40E%2FC%3AR@db.example/tendo",
			"postgres://tendo:xxxxx@db.example/tendo"},
		{"unescaped @ in the password",
			"postgres://tendo:SE@CRET@db.example/tendo",
			"postgres://tendo:xxxxx@db.example/tendo"},
		{"unescaped / in the password",
			"postgres://tendo:SE/CRET@db.example/tendo",
			"postgres://tendo:xxxxx@db.example/tendo"},
		{"unescaped ? and # in the password",
			"postgres://tendo:S?E#CRET@db.example/tendo",
			"postgres://tendo:xxxxx@db.example/tendo"},
		{"password query parameter",
			"postgres://tendo@db.example/tendo?sslmode=require&password=SECRET&application_name=tendo",
			"postgres://tendo@db.example/tendo?sslmode=require&password=xxxxx&application_name=tendo"},
		{"sslpassword query parameter",
			"postgres://db.example/tendo?sslpassword=SECRET",
			"postgres://db.example/tendo?sslpassword=xxxxx"},
		{"password in both places",
			"postgres://tendo:SECRET@db.example/tendo?password=SECRET2",
			"postgres://tendo:xxxxx@db.example/tendo?password=xxxxx"},
		{"key=value",
			"host=db.example user=tendo password=SECRET dbname=tendo sslmode=require",
			"host=db.example user=tendo password=xxxxx dbname=tendo sslmode=require"},
		{"key=value, quoted password with spaces and escapes",
			`host=db.example password='SE CR\'ET' dbname=tendo`,
			`host=db.example password=xxxxx dbname=tendo`},
		{"key=value, spaces around =",
			"password = SECRET host=db.example",
			"password = xxxxx host=db.example"},
		{"key=value, upper-case key",
			"host=db.example PASSWORD=SECRET",
			"host=db.example PASSWORD=xxxxx"},
		{"key=value, sslpassword",
			"host=db.example sslpassword=SECRET sslkey=/etc/tendo/key.pem",
			"host=db.example sslpassword=xxxxx sslkey=/etc/tendo/key.pem"},
		{"key=value, malformed after a pair",
			"host=db.example password SECRET",
			"host=db.example password xxxxx"},
		{"key=value without password",
			"host=/var/run/postgresql dbname=tendo",
			"host=/var/run/postgresql dbname=tendo"},
		{"SQLite file", "tendo.db", "tendo.db"},
		{"SQLite path with spaces", "/srv/my clinic/tendo.db", "/srv/my clinic/tendo.db"},
		{"SQLite path naming passwords", "/srv/password-store/tendo.db", "/srv/password-store/tendo.db"},
		{"SQLite file URI", "file:/srv/tendo.db?_pragma=busy_timeout(5000)", "file:/srv/tendo.db?_pragma=busy_timeout(5000)"},
		{"SQLite memory", ":memory:", ":memory:"},
		{"empty", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Redact(tt.dsn); got != tt.want {
				t.Errorf("Redact(%q)\n got %q\nwant %q", tt.dsn, got, tt.want)
			}
		})
	}
}

// TestOpenPostgresErrorHidesPassword checks F13: a failed connection's
// error names the server but not the password.
func TestOpenPostgresErrorHidesPassword(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	for _, dsn := range []string{
		"postgres://tendo:SECRETPW@127.0.0.1:1/tendo?connect_timeout=5",
		"postgres://tendo:SECRET@PW2@127.0.0.1:1/tendo?connect_timeout=5",
		"host=127.0.0.1 port=1 user=tendo password=SECRETPW dbname=tendo connect_timeout=5",
	} {
		var err error
		if strings.HasPrefix(dsn, "postgres://") {
			_, err = Open(ctx, dsn)
		} else {
			_, err = OpenPostgres(ctx, dsn)
		}
		if err == nil {
			t.Fatalf("%s: connected to port 1", Redact(dsn))
		}
		if msg := err.Error(); strings.Contains(msg, "SECRET") || strings.Contains(msg, "PW2") || !strings.Contains(msg, "open postgres") {
			t.Errorf("error %q: want the password hidden", msg)
		}
	}
}

// TestRedactErr checks the guard around driver errors: a password that a
// driver put in its message is hidden there, and the error still unwraps.
func TestRedactErr(t *testing.T) {
	t.Parallel()
	dsn := "postgres://tendo:SE%2FCRET@db.example/tendo?sslpassword=KEYPASS"
	inner := &fs.PathError{Op: "dial", Path: dsn, Err: errors.New("user tendo, password SE/CRET, key KEYPASS: refused")}
	err := redactErr(inner, dsn)
	want := "dial postgres://tendo:xxxxx@db.example/tendo?sslpassword=xxxxx: user tendo, password xxxxx, key xxxxx: refused"
	if got := err.Error(); got != want {
		t.Errorf("message\n got %q\nwant %q", got, want)
	}
	var pe *fs.PathError
	if !errors.As(err, &pe) || pe != inner {
		t.Error("the redacted error does not unwrap to the driver's error")
	}
	// pgx reads the host of this URL as "RET@127.0.0.1".
	dsn = "postgres://tendo:SEC@RET@127.0.0.1:1/tendo"
	err = redactErr(errors.New("hostname resolving error: lookup RET@127.0.0.1: no such host"), dsn)
	if got, want := err.Error(), "hostname resolving error: lookup xxxxx@127.0.0.1: no such host"; got != want {
		t.Errorf("message\n got %q\nwant %q", got, want)
	}
	if plain := errors.New("no route to host"); redactErr(plain, "tendo.db") != plain {
		t.Error("an error about a DSN without a password was wrapped")
	}
}

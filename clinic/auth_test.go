package clinic_test

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/tendo-health/tendo"
	"github.com/tendo-health/tendo/clinic"
	"github.com/tendo-health/tendo/internal/dbtest"
	"github.com/tendo-health/tendo/passwd"
)

const password = "correct horse battery staple"

// fixture is a service over a new SQLite store with a clock, a clinic
// and one clinician.
type fixture struct {
	svc    *clinic.Service
	now    time.Time
	mu     sync.Mutex
	user   tendo.User
	checks atomic.Int64
}

func (f *fixture) Now() time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.now
}

func (f *fixture) advance(d time.Duration) {
	f.mu.Lock()
	f.now = f.now.Add(d)
	f.mu.Unlock()
}

// openStore opens a new store: SQLite in a temporary file, or Postgres
// in a schema of the test's own (skipped without
// TENDO_TEST_POSTGRES_DSN, except in CI).
func openStore(t *testing.T, backend string) tendo.Store {
	t.Helper()
	if backend == "SQLite" {
		return dbtest.SQLite(t)
	}
	return dbtest.Postgres(t)
}

// eachStore runs fn on SQLite and on Postgres.
func eachStore(t *testing.T, fn func(t *testing.T, f *fixture)) {
	for _, b := range []string{"SQLite", "Postgres"} {
		t.Run(b, func(t *testing.T) {
			t.Parallel()
			fn(t, newFixture(t, openStore(t, b)))
		})
	}
}

func newFixture(t *testing.T, store tendo.Store) *fixture {
	t.Helper()
	f := &fixture{now: time.Now()}
	f.svc = clinic.New(store, nil, nil)
	f.svc.Now = f.Now
	f.svc.CheckPassword = func(hash, pw string) error {
		f.checks.Add(1)
		return passwd.Check(hash, pw)
	}
	sys := tendo.SystemContext(t.Context(), "test")
	c, err := f.svc.CreateClinic(sys, "Main")
	if err != nil {
		t.Fatal(err)
	}
	if f.user, err = f.svc.CreateUser(sys, tendo.NewUser{Email: "Ann@Example.com", Name: "Ann", Role: tendo.RoleClinician, ClinicIDs: []int64{c.ID}, Password: password}); err != nil {
		t.Fatal(err)
	}
	return f
}

func wantCode(t *testing.T, what string, err error, want string) {
	t.Helper()
	if got := tendo.ErrorCode(err); got != want {
		t.Errorf("%s: %v (code %q), want %q", what, err, got, want)
	}
}

// as is a context acting as the user from an address, with a session.
func as(u tendo.User, sessionID string) context.Context {
	return tendo.NewContext(context.Background(), tendo.Actor{User: &u, SessionID: sessionID, Addr: "192.0.2.1"})
}

func TestLogin(t *testing.T) {
	eachStore(t, func(t *testing.T, f *fixture) {
		anon := tendo.NewContext(t.Context(), tendo.Actor{Addr: "192.0.2.1", UserAgent: "test"})
		login, err := f.svc.Login(anon, tendo.Credentials{Email: " ann@example.COM ", Password: password})
		if err != nil {
			t.Fatal(err)
		}
		if login.Token == "" || login.Device == "" || login.User.ID != f.user.ID {
			t.Fatalf("login %+v", login)
		}
		u, sess, err := f.svc.AuthenticateSession(t.Context(), login.Token)
		if err != nil || u.ID != f.user.ID || sess.ID != passwd.TokenHash(login.Token) {
			t.Fatalf("authenticate: %v %+v", err, sess)
		}
		_, err = f.svc.Login(anon, tendo.Credentials{Email: "ann@example.com", Password: "wrong password"})
		wantCode(t, "wrong password", err, tendo.EUNAUTHORIZED)
		_, err = f.svc.Login(anon, tendo.Credentials{Email: "nobody@example.com", Password: password})
		wantCode(t, "unknown account", err, tendo.EUNAUTHORIZED)
		before := f.checks.Load()
		_, err = f.svc.Login(anon, tendo.Credentials{Email: "ann@example.com", Password: string(make([]byte, 1025))})
		wantCode(t, "long password", err, tendo.EINVALID)
		if f.checks.Load() != before {
			t.Error("a refused password was checked")
		}
		if got := f.checks.Load(); got != 3 {
			t.Errorf("%d password checks, want 3 (the unknown account's too)", got)
		}

		// Idle: 29 minutes pass, then 31.
		f.advance(29 * time.Minute)
		if _, _, err := f.svc.AuthenticateSession(t.Context(), login.Token); err != nil {
			t.Fatalf("after 29 minutes: %v", err)
		}
		f.advance(31 * time.Minute)
		_, _, err = f.svc.AuthenticateSession(t.Context(), login.Token)
		wantCode(t, "after 31 idle minutes", err, tendo.EUNAUTHORIZED)
	})
}

func TestLoginDisabledAndPrune(t *testing.T) {
	eachStore(t, func(t *testing.T, f *fixture) {
		sys := tendo.SystemContext(t.Context(), "test")
		login, err := f.svc.Login(sys, tendo.Credentials{Email: "ann@example.com", Password: password})
		if err != nil {
			t.Fatal(err)
		}
		yes := true
		if _, err := f.svc.UpdateUser(sys, f.user.ID, tendo.UserUpdate{Disabled: &yes}); err != nil {
			t.Fatal(err)
		}
		_, _, err = f.svc.AuthenticateSession(t.Context(), login.Token)
		wantCode(t, "disabled user's session", err, tendo.EUNAUTHORIZED)
		_, err = f.svc.Login(sys, tendo.Credentials{Email: "ann@example.com", Password: password})
		wantCode(t, "disabled user's login", err, tendo.EUNAUTHORIZED)

		wantCode(t, "prune as a clinician", f.svc.Prune(as(f.user, "")), tendo.EFORBIDDEN)
		if err := f.svc.Prune(sys); err != nil {
			t.Fatal(err)
		}
	})
}

func TestTokens(t *testing.T) {
	eachStore(t, func(t *testing.T, f *fixture) {
		ctx := as(f.user, "")
		tok, secret, err := f.svc.CreateToken(ctx, 0, "laptop", 0)
		if err != nil {
			t.Fatal(err)
		}
		if d := tok.ExpiresAt.Sub(tok.CreatedAt); d != tendo.DefaultTokenTTL {
			t.Errorf("lifetime %v", d)
		}
		_, _, err = f.svc.CreateToken(ctx, 0, " ", 0)
		wantCode(t, "no name", err, tendo.EINVALID)
		_, _, err = f.svc.CreateToken(ctx, 0, "x", 400*24*time.Hour)
		wantCode(t, "too long", err, tendo.EINVALID)
		_, _, err = f.svc.CreateToken(ctx, f.user.ID+1, "x", 0)
		wantCode(t, "for another user", err, tendo.EFORBIDDEN)
		_, _, err = f.svc.CreateToken(context.Background(), 0, "x", 0)
		wantCode(t, "anonymous", err, tendo.EUNAUTHORIZED)

		if _, _, err := f.svc.AuthenticateToken(t.Context(), secret); err != nil {
			t.Fatal(err)
		}
		ts, err := f.svc.FindTokens(ctx, 0)
		if err != nil || len(ts) != 1 || ts[0].LastUsedAt == nil {
			t.Fatalf("tokens %+v %v", ts, err)
		}
		if err := f.svc.RevokeToken(ctx, tok.ID); err != nil {
			t.Fatal(err)
		}
		_, _, err = f.svc.AuthenticateToken(t.Context(), secret)
		wantCode(t, "revoked", err, tendo.EUNAUTHORIZED)
		wantCode(t, "revoke unknown", f.svc.RevokeToken(ctx, tok.ID+100), tendo.ENOTFOUND)

		_, short, err := f.svc.CreateToken(ctx, 0, "short", time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		f.advance(time.Hour)
		_, _, err = f.svc.AuthenticateToken(t.Context(), short)
		wantCode(t, "expired", err, tendo.EUNAUTHORIZED)
	})
}

func TestChangePassword(t *testing.T) {
	eachStore(t, func(t *testing.T, f *fixture) {
		sys := tendo.SystemContext(t.Context(), "test")
		l1, err := f.svc.Login(sys, tendo.Credentials{Email: "ann@example.com", Password: password})
		if err != nil {
			t.Fatal(err)
		}
		l2, err := f.svc.Login(sys, tendo.Credentials{Email: "ann@example.com", Password: password})
		if err != nil {
			t.Fatal(err)
		}
		ctx := as(l1.User, l1.Session.ID)
		wantCode(t, "wrong current", f.svc.ChangePassword(ctx, "nope", "a new long password"), tendo.EINVALID)
		wantCode(t, "weak new", f.svc.ChangePassword(ctx, password, "short"), tendo.EINVALID)
		if err := f.svc.ChangePassword(ctx, password, "a new long password"); err != nil {
			t.Fatal(err)
		}
		if _, _, err := f.svc.AuthenticateSession(t.Context(), l1.Token); err != nil {
			t.Errorf("own session ended: %v", err)
		}
		_, _, err = f.svc.AuthenticateSession(t.Context(), l2.Token)
		wantCode(t, "other session", err, tendo.EUNAUTHORIZED)
		if err := f.svc.LogoutEverywhere(ctx); err != nil {
			t.Fatal(err)
		}
		_, _, err = f.svc.AuthenticateSession(t.Context(), l1.Token)
		wantCode(t, "after logging out everywhere", err, tendo.EUNAUTHORIZED)
		wantCode(t, "non-admin reset", f.svc.SetPassword(ctx, f.user.ID, "another long password"), tendo.EFORBIDDEN)
		if err := f.svc.SetPassword(sys, f.user.ID, "another long password"); err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.Login(sys, tendo.Credentials{Email: "ann@example.com", Password: "another long password"}); err != nil {
			t.Fatal(err)
		}
	})
}

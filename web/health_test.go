package web_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tendo-health/tendo"
	"github.com/tendo-health/tendo/sqlstore"
	"github.com/tendo-health/tendo/web"
)

// fakePingStore is a store whose Ping is replaced.
type fakePingStore struct {
	tendo.Store
	ping func(ctx context.Context) error
}

func (s fakePingStore) Ping(ctx context.Context) error { return s.ping(ctx) }

// openHealthStore opens a SQLite store in a temporary directory.
func openHealthStore(tb testing.TB) *sqlstore.DB {
	tb.Helper()
	store, err := sqlstore.OpenSQLite(context.Background(), filepath.Join(tb.TempDir(), "tendo.db"))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { store.Close() })
	return store
}

// healthProbe sends GET path to a server on store and assessor, and returns the
// status, the body and what the server logged.
func healthProbe(t *testing.T, store tendo.Store, assessor tendo.Assessor, path string) (int, string, string) {
	t.Helper()
	var log bytes.Buffer
	srv, err := web.New(store, assessor, slog.New(slog.NewTextHandler(&log, nil)))
	if err != nil {
		t.Fatal(err)
	}
	rec := httptest.NewRecorder()
	srv.ServeHTTP(rec, httptest.NewRequest("GET", path, nil))
	if got := rec.Header().Get("Cache-Control"); got != "no-store" {
		t.Errorf("GET %s: Cache-Control %q, want no-store", path, got)
	}
	return rec.Code, rec.Body.String(), log.String()
}

// TestHealth checks F12: /healthz and /readyz answer 200 only while the
// database answers, and a failure shows the prober no internal detail.
func TestHealth(t *testing.T) {
	t.Parallel()
	const cause = "dial tcp 10.0.0.5:5432: connect: connection refused"
	refused := func(context.Context) error { return errors.New(cause) }

	t.Run("OK", func(t *testing.T) {
		t.Parallel()
		store := openHealthStore(t)
		for path, want := range map[string]string{"/healthz": "ok\n", "/readyz": "ready\n"} {
			if code, body, _ := healthProbe(t, store, engine(t), path); code != http.StatusOK || body != want {
				t.Errorf("GET %s: %d %q, want 200 %q", path, code, body, want)
			}
		}
	})

	t.Run("PingFails", func(t *testing.T) {
		t.Parallel()
		store := fakePingStore{openHealthStore(t), refused}
		for _, path := range []string{"/healthz", "/readyz"} {
			code, body, log := healthProbe(t, store, engine(t), path)
			if code != http.StatusServiceUnavailable || body != "database unavailable\n" {
				t.Errorf("GET %s: %d %q, want 503 \"database unavailable\"", path, code, body)
			}
			if !strings.Contains(log, cause) {
				t.Errorf("GET %s: the cause is not logged: %q", path, log)
			}
		}
	})

	t.Run("ClosedStore", func(t *testing.T) {
		t.Parallel()
		store := openHealthStore(t)
		if err := store.Close(); err != nil {
			t.Fatal(err)
		}
		for _, path := range []string{"/healthz", "/readyz"} {
			code, body, _ := healthProbe(t, store, engine(t), path)
			if code != http.StatusServiceUnavailable || body != "database unavailable\n" {
				t.Errorf("GET %s: %d %q, want 503 \"database unavailable\" and nothing more", path, code, body)
			}
		}
	})

	t.Run("PingHangs", func(t *testing.T) {
		t.Parallel()
		hang := func(ctx context.Context) error { <-ctx.Done(); return ctx.Err() }
		start := time.Now()
		code, body, _ := healthProbe(t, fakePingStore{openHealthStore(t), hang}, engine(t), "/healthz")
		if code != http.StatusServiceUnavailable || body != "database unavailable\n" {
			t.Errorf("GET /healthz: %d %q, want 503", code, body)
		}
		if d := time.Since(start); d > 5*time.Second {
			t.Errorf("GET /healthz took %v; want the 2 s timeout", d)
		}
	})

	t.Run("NoAssessor", func(t *testing.T) {
		t.Parallel()
		store := openHealthStore(t)
		if code, body, _ := healthProbe(t, store, nil, "/readyz"); code != http.StatusServiceUnavailable || body != "not ready\n" {
			t.Errorf("GET /readyz: %d %q, want 503 \"not ready\"", code, body)
		}
		if code, _, _ := healthProbe(t, store, nil, "/healthz"); code != http.StatusOK {
			t.Errorf("GET /healthz: %d, want 200 (alive, if not ready)", code)
		}
	})
}

// TestHealthServing checks the probes over a real listener.
func TestHealthServing(t *testing.T) {
	t.Parallel()
	srv, err := web.New(openHealthStore(t), engine(t), nil)
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv)
	defer ts.Close()
	for path, want := range map[string]string{"/healthz": "ok\n", "/readyz": "ready\n"} {
		resp, err := http.Get(ts.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		var body bytes.Buffer
		_, _ = body.ReadFrom(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK || body.String() != want {
			t.Errorf("GET %s: %d %q, want 200 %q", path, resp.StatusCode, body.String(), want)
		}
	}
}

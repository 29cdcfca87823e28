package storetest

import (
	"sync"
	"testing"
	"time"

	"github.com/tendo-health/tendo"
)

// Authentication: the store methods of issue 8 (idle sessions, disabled
// users, expiring and revocable tokens, login-attempt reservations,
// devices).

func testSessionLastSeen(t *testing.T, s tendo.Store) {
	ctx := t.Context()
	u := user(t, s, "s@example.com", tendo.RoleClinician)
	t0 := time.Date(2031, 2, 3, 4, 5, 6, 0, time.UTC)
	must(t, "create", s.CreateSession(ctx, tendo.Session{ID: "a", UserID: u.ID, CSRF: "c", CreatedAt: t0, ExpiresAt: t0.Add(12 * time.Hour)}))
	got, err := s.Session(ctx, "a", t0)
	must(t, "session", err)
	utc(t, "last seen starts at creation", got.LastSeenAt, t0)
	must(t, "touch", s.TouchSession(ctx, "a", t0.Add(10*time.Minute)))
	got, err = s.Session(ctx, "a", t0.Add(11*time.Minute))
	must(t, "session", err)
	utc(t, "last seen after touch", got.LastSeenAt, t0.Add(10*time.Minute))
	must(t, "touch unknown", s.TouchSession(ctx, "unknown", t0))

	must(t, "create b", s.CreateSession(ctx, tendo.Session{ID: "b", UserID: u.ID, CSRF: "c", CreatedAt: t0, ExpiresAt: t0.Add(12 * time.Hour)}))
	// At t0+40m with a 30-minute idle limit, b (seen t0) is idle and a
	// (seen t0+10m) is not.
	must(t, "delete idle", s.DeleteIdleSessions(ctx, t0.Add(10*time.Minute)))
	_, err = s.Session(ctx, "b", t0)
	wantCode(t, "idle session", err, tendo.ENOTFOUND)
	_, err = s.Session(ctx, "a", t0)
	must(t, "session seen at the limit is kept", err)
}

func testDeleteUserSessions(t *testing.T, s tendo.Store) {
	ctx := t.Context()
	u := user(t, s, "u@example.com", tendo.RoleClinician)
	other := user(t, s, "o@example.com", tendo.RoleClinician)
	exp := time.Now().Add(time.Hour)
	for _, id := range []string{"u1", "u2", "u3"} {
		must(t, "create "+id, s.CreateSession(ctx, tendo.Session{ID: id, UserID: u.ID, CSRF: "c", ExpiresAt: exp}))
	}
	must(t, "create o1", s.CreateSession(ctx, tendo.Session{ID: "o1", UserID: other.ID, CSRF: "c", ExpiresAt: exp}))
	n, err := s.DeleteUserSessions(ctx, u.ID, "u2")
	must(t, "delete but u2", err)
	eq(t, "deleted", n, 2)
	for id, want := range map[string]string{"u1": tendo.ENOTFOUND, "u2": "", "u3": tendo.ENOTFOUND, "o1": ""} {
		_, err := s.Session(ctx, id, time.Now())
		wantCode(t, "session "+id, err, want)
	}
	n, err = s.DeleteUserSessions(ctx, u.ID, "")
	must(t, "delete all", err)
	eq(t, "deleted", n, 1)
}

func testUserDisable(t *testing.T, s tendo.Store) {
	ctx := t.Context()
	c := clinic(t, s, "A")
	u := user(t, s, "d@example.com", tendo.RoleClinician, c.ID)
	if u.DisabledAt != nil {
		t.Fatalf("new user disabled at %v", u.DisabledAt)
	}
	at := time.Date(2031, 4, 5, 6, 7, 8, 0, time.UTC)
	u.DisabledAt, u.Name, u.Role = &at, "Renamed", tendo.RoleAdmin
	must(t, "update", s.UpdateUser(ctx, u))
	got, err := s.User(ctx, u.ID)
	must(t, "user", err)
	if got.DisabledAt == nil {
		t.Fatal("not disabled")
	}
	utc(t, "disabled at", *got.DisabledAt, at)
	eq(t, "name", got.Name, "Renamed")
	eq(t, "role", got.Role, tendo.RoleAdmin)
	eq(t, "clinics kept", got.ClinicIDs, []int64{c.ID})
	got.DisabledAt = nil
	must(t, "enable", s.UpdateUser(ctx, got))
	got, err = s.UserByEmail(ctx, "d@example.com")
	must(t, "user by e-mail", err)
	if got.DisabledAt != nil {
		t.Errorf("enabled user disabled at %v", got.DisabledAt)
	}
	got.ID += 1000
	wantCode(t, "unknown user", s.UpdateUser(ctx, got), tendo.ENOTFOUND)
	got.ID, got.Role = u.ID, "boss"
	wantCode(t, "bad role", s.UpdateUser(ctx, got), tendo.EINVALID)
}

func testAPITokenLifecycle(t *testing.T, s tendo.Store) {
	ctx := t.Context()
	u := user(t, s, "t@example.com", tendo.RoleClinician)
	t0 := time.Date(2031, 6, 1, 12, 0, 0, 0, time.UTC)
	old, err := s.IssueAPIToken(ctx, tendo.APIToken{UserID: u.ID, Name: "old", CreatedAt: t0, ExpiresAt: t0.Add(24 * time.Hour)}, "h-old")
	must(t, "issue old", err)
	utc(t, "expires", old.ExpiresAt, t0.Add(24*time.Hour))
	newer, err := s.IssueAPIToken(ctx, tendo.APIToken{UserID: u.ID, Name: "new", CreatedAt: t0.Add(time.Hour), ExpiresAt: t0.Add(48 * time.Hour)}, "h-new")
	must(t, "issue new", err)
	_, err = s.IssueAPIToken(ctx, tendo.APIToken{UserID: u.ID, Name: "x"}, "h-x")
	wantCode(t, "no expiry", err, tendo.EINVALID)
	_, err = s.IssueAPIToken(ctx, tendo.APIToken{UserID: u.ID, Name: "dup", ExpiresAt: t0}, "h-old")
	wantCode(t, "duplicate hash", err, tendo.ECONFLICT)

	def, err := s.CreateAPIToken(ctx, u.ID, "default", "h-def")
	must(t, "create with the default lifetime", err)
	if d := def.ExpiresAt.Sub(def.CreatedAt); d != tendo.DefaultTokenTTL {
		t.Errorf("default lifetime %v", d)
	}

	list, err := s.APITokens(ctx, u.ID)
	must(t, "list", err)
	// Newest by creation time: the 2031 ones, then the one made now.
	if len(list) != 3 || list[0].ID != newer.ID || list[1].ID != old.ID || list[2].ID != def.ID {
		t.Fatalf("tokens newest first: %+v", list)
	}

	// Use within the lifetime is recorded; use after it is not.
	tok, owner, err := s.APITokenByHash(ctx, "h-old", t0.Add(time.Hour))
	must(t, "by hash", err)
	eq(t, "owner", owner.ID, u.ID)
	if tok.LastUsedAt == nil {
		t.Fatal("use not recorded")
	}
	utc(t, "last used", *tok.LastUsedAt, t0.Add(time.Hour))
	tok, _, err = s.APITokenByHash(ctx, "h-old", t0.Add(25*time.Hour))
	must(t, "expired by hash", err)
	utc(t, "last used of an expired token", *tok.LastUsedAt, t0.Add(time.Hour))
	_, _, err = s.APITokenByHash(ctx, "h-none", t0)
	wantCode(t, "unknown hash", err, tendo.ENOTFOUND)

	must(t, "revoke", s.RevokeAPIToken(ctx, newer.ID, t0.Add(2*time.Hour)))
	must(t, "revoke again", s.RevokeAPIToken(ctx, newer.ID, t0.Add(3*time.Hour)))
	got, err := s.APITokenByID(ctx, newer.ID)
	must(t, "by ID", err)
	if got.RevokedAt == nil {
		t.Fatal("not revoked")
	}
	utc(t, "first revocation kept", *got.RevokedAt, t0.Add(2*time.Hour))
	tok, _, err = s.APITokenByHash(ctx, "h-new", t0.Add(4*time.Hour))
	must(t, "revoked by hash", err)
	if tok.LastUsedAt != nil {
		t.Errorf("use of a revoked token recorded at %v", tok.LastUsedAt)
	}
	wantCode(t, "revoke unknown", s.RevokeAPIToken(ctx, newer.ID+1000, t0), tendo.ENOTFOUND)
	_, err = s.APITokenByID(ctx, newer.ID+1000)
	wantCode(t, "unknown ID", err, tendo.ENOTFOUND)
}

func testLoginReservation(t *testing.T, s tendo.Store) {
	ctx := t.Context()
	t0 := time.Date(2031, 7, 1, 9, 0, 0, 0, time.UTC)
	since := t0.Add(-15 * time.Minute)
	limits := []tendo.LoginLimit{{Key: "account:a@x", Max: 3}, {Key: "addr:192.0.2.1", Max: 10}}
	var ids []int64
	for i := range 3 {
		id, err := s.ReserveLoginAttempt(ctx, limits, since, t0.Add(time.Duration(i)*time.Second))
		must(t, "reserve", err)
		ids = append(ids, id)
	}
	_, err := s.ReserveLoginAttempt(ctx, limits, since, t0.Add(5*time.Second))
	wantCode(t, "fourth reservation", err, tendo.ETOOMANY)
	// A refused reservation records nothing; the others count as failures.
	n, err := s.LoginFailures(ctx, "addr:192.0.2.1", since)
	must(t, "count", err)
	eq(t, "address count", n, 3)
	// A success frees its place.
	must(t, "release", s.ReleaseLoginAttempt(ctx, ids[1]))
	n, err = s.LoginFailures(ctx, "account:a@x", since)
	must(t, "count", err)
	eq(t, "account count after release", n, 2)
	_, err = s.ReserveLoginAttempt(ctx, limits, since, t0.Add(6*time.Second))
	must(t, "reserve after release", err)
	// Recorded failures count too, and a window that has moved on
	// forgets them.
	must(t, "record", s.RecordLoginFailure(ctx, "account:b@x", t0))
	_, err = s.ReserveLoginAttempt(ctx, []tendo.LoginLimit{{Key: "account:b@x", Max: 1}}, since, t0)
	wantCode(t, "over a recorded failure", err, tendo.ETOOMANY)
	_, err = s.ReserveLoginAttempt(ctx, []tendo.LoginLimit{{Key: "account:b@x", Max: 1}}, t0.Add(time.Second), t0.Add(16*time.Minute))
	must(t, "after the window", err)
	// Pruning deletes what is older than the window.
	must(t, "prune", s.DeleteLoginFailures(ctx, t0.Add(3*time.Second)))
	n, err = s.LoginFailures(ctx, "account:a@x", since)
	must(t, "count", err)
	eq(t, "account count after pruning", n, 1)
	_, err = s.ReserveLoginAttempt(ctx, nil, since, t0)
	wantCode(t, "no limits", err, tendo.EINVALID)
}

// testLoginReservationConcurrent: of 40 simultaneous reservations under
// a limit of 5, exactly 5 succeed.
func testLoginReservationConcurrent(t *testing.T, s tendo.Store) {
	ctx := t.Context()
	now := time.Now()
	limits := []tendo.LoginLimit{{Key: "account:victim@x", Max: 5}, {Key: "addr:198.51.100.9", Max: 1000}}
	var wg sync.WaitGroup
	var mu sync.Mutex
	codes := map[string]int{}
	for range 40 {
		wg.Go(func() {
			_, err := s.ReserveLoginAttempt(ctx, limits, now.Add(-time.Minute), now)
			mu.Lock()
			codes[tendo.ErrorCode(err)]++
			mu.Unlock()
		})
	}
	wg.Wait()
	eq(t, "outcomes", codes, map[string]int{"": 5, tendo.ETOOMANY: 35})
}

func testDevices(t *testing.T, s tendo.Store) {
	ctx := t.Context()
	u := user(t, s, "dev@example.com", tendo.RoleClinician)
	t0 := time.Date(2031, 8, 1, 0, 0, 0, 0, time.UTC)
	must(t, "create", s.CreateDevice(ctx, "dev-hash", u.ID, t0.Add(time.Hour)))
	wantCode(t, "duplicate", s.CreateDevice(ctx, "dev-hash", u.ID, t0.Add(time.Hour)), tendo.ECONFLICT)
	wantCode(t, "unknown user", s.CreateDevice(ctx, "other", u.ID+1000, t0.Add(time.Hour)), tendo.EINVALID)
	id, err := s.DeviceUser(ctx, "dev-hash", t0)
	must(t, "device user", err)
	eq(t, "user", id, u.ID)
	_, err = s.DeviceUser(ctx, "dev-hash", t0.Add(time.Hour))
	wantCode(t, "expired device", err, tendo.ENOTFOUND)
	_, err = s.DeviceUser(ctx, "nope", t0)
	wantCode(t, "unknown device", err, tendo.ENOTFOUND)
	must(t, "delete expired", s.DeleteExpiredDevices(ctx, t0.Add(2*time.Hour)))
	_, err = s.DeviceUser(ctx, "dev-hash", t0)
	wantCode(t, "deleted device", err, tendo.ENOTFOUND)
}

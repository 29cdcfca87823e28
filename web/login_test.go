package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"runtime"
	"runtime/metrics"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/tendo-health/tendo"
	"github.com/tendo-health/tendo/internal/dbtest"
	"github.com/tendo-health/tendo/passwd"
	"github.com/tendo-health/tendo/web"
)

// clock is a settable clock shared by the web server and its services.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// authApp is an app (two clinics, an admin and a clinician in each, a
// patient in each, an API token each) whose server and clock the test
// holds. Its assA and link are not set.
type authApp struct {
	*app
	web    *web.Server
	clock  *clock
	checks atomic.Int64 // password checks (argon2id) made
}

// openSQLite opens a store in a file of the test's own.
func openSQLite(t *testing.T) tendo.Store { return dbtest.SQLite(t) }

// openPostgres opens a store in a schema of the test's own on the server
// TENDO_TEST_POSTGRES_DSN names; it skips without one (fails in CI).
func openPostgres(t *testing.T) tendo.Store { return dbtest.Postgres(t) }

// newAuthApp builds an authApp on the store; configure, when not nil,
// adjusts the server before it starts.
func newAuthApp(t *testing.T, store tendo.Store, configure func(*web.Server)) *authApp {
	t.Helper()
	srv, err := web.New(store, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	a := &authApp{app: &app{t: t, store: store, users: map[string]tendo.User{}, tokens: map[string]string{}}, web: srv, clock: &clock{t: time.Now()}}
	srv.Now = a.clock.Now // the services read the server's clock
	svc := srv.Clinic()
	svc.CheckPassword = func(hash, password string) error {
		a.checks.Add(1)
		return passwd.Check(hash, password)
	}
	if configure != nil {
		configure(srv)
	}
	a.seed(testHash(t))
	a.srv = newServer(t, srv)
	return a
}

// newServer serves h until the test ends.
func newServer(t *testing.T, h http.Handler) *httptest.Server {
	s := httptest.NewServer(h)
	t.Cleanup(s.Close)
	return s
}

var (
	hashOnce sync.Once
	hash     string
)

// testHash is the hash of testPassword, made once.
func testHash(t *testing.T) string {
	hashOnce.Do(func() {
		var err error
		if hash, err = passwd.Hash(testPassword); err != nil {
			t.Fatal(err)
		}
	})
	return hash
}

// postLogin posts the login form from a client ("" X-Forwarded-For:
// none) and returns the status.
func postLogin(t *testing.T, c *http.Client, base, email, password, forwardedFor string) int {
	form := url.Values{"email": {email}, "password": {password}}
	req, err := http.NewRequest("POST", base+"/login", strings.NewReader(form.Encode()))
	if err != nil {
		t.Error(err)
		return 0
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if forwardedFor != "" {
		req.Header.Set("X-Forwarded-For", forwardedFor)
	}
	resp, err := c.Do(req)
	if err != nil {
		t.Error(err)
		return 0
	}
	resp.Body.Close()
	return resp.StatusCode
}

var noRedirects = &http.Client{
	CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	Transport:     &http.Transport{MaxIdleConnsPerHost: 300},
}

// TestLoginConcurrentFailures sends 100 wrong passwords for one account
// at once: the failure count is checked and recorded atomically, so at
// most 5 reach the password check and the rest get 429.
func TestLoginConcurrentFailures(t *testing.T) {
	for _, tc := range []struct {
		name string
		open func(t *testing.T) tendo.Store
	}{{"SQLite", openSQLite}, {"Postgres", openPostgres}} {
		t.Run(tc.name, func(t *testing.T) {
			a := newAuthApp(t, tc.open(t), func(s *web.Server) { s.Clinic().HashWait = 30 * time.Second })
			var wg sync.WaitGroup
			var mu sync.Mutex
			codes := map[int]int{}
			for range 100 {
				wg.Go(func() {
					code := postLogin(t, noRedirects, a.srv.URL, "a@a.test", "wrong password!", "")
					mu.Lock()
					codes[code]++
					mu.Unlock()
				})
			}
			wg.Wait()
			checks := a.checks.Load()
			t.Logf("%s: %d password checks; statuses %v", tc.name, checks, codes)
			if checks > 5 || checks < 1 {
				t.Errorf("%d password checks, want 1 to 5", checks)
			}
			if codes[http.StatusUnauthorized] != int(checks) || codes[http.StatusTooManyRequests] != 100-int(checks) {
				t.Errorf("statuses %v: want %d × 401 and the rest 429", codes, checks)
			}
			// The limit holds afterwards too, for the right password
			// from a browser the account has not used.
			if code := postLogin(t, noRedirects, a.srv.URL, "a@a.test", testPassword, ""); code != http.StatusTooManyRequests {
				t.Errorf("right password after the burst: %d, want 429", code)
			}
		})
	}
}

// peakHeapBound is the documented bound on the heap while logins are
// flooded: HashSlots × 64 MiB of argon2id memory plus the rest of the
// program, far under 1 GiB on any machine with up to 8 cores.
const peakHeapBound = 1 << 30

// TestLoginBurstMemory sends 200 logins for unknown accounts at once,
// each from its own address (behind a trusted proxy): the dummy hashes
// go through the same bounded slots, so the heap stays under
// peakHeapBound, and /healthz answers 200 throughout. It does not run in
// parallel, so that the heap it measures is its own.
func TestLoginBurstMemory(t *testing.T) {
	prefixes, err := web.ParseTrustedProxies("127.0.0.1, ::1")
	if err != nil {
		t.Fatal(err)
	}
	a := newAuthApp(t, openSQLite(t), func(s *web.Server) { s.TrustedProxies = prefixes })
	runtime.GC()

	samples := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}, {Name: "/memory/classes/heap/unused:bytes"}}
	var peakAlloc, peakInuse uint64
	stop := make(chan struct{})
	var sampler, poller sync.WaitGroup
	sampler.Go(func() {
		tick := time.NewTicker(2 * time.Millisecond)
		defer tick.Stop()
		for {
			metrics.Read(samples)
			alloc := samples[0].Value.Uint64()
			peakAlloc = max(peakAlloc, alloc)
			peakInuse = max(peakInuse, alloc+samples[1].Value.Uint64())
			select {
			case <-stop:
				return
			case <-tick.C:
			}
		}
	})
	var health, healthBad atomic.Int64
	poller.Go(func() {
		c := &http.Client{Timeout: 2 * time.Second}
		for {
			select {
			case <-stop:
				return
			default:
			}
			resp, err := c.Get(a.srv.URL + "/healthz")
			health.Add(1)
			if err != nil || resp.StatusCode != http.StatusOK {
				healthBad.Add(1)
			}
			if err == nil {
				resp.Body.Close()
			}
			time.Sleep(20 * time.Millisecond)
		}
	})

	start := time.Now()
	var wg sync.WaitGroup
	var mu sync.Mutex
	codes := map[int]int{}
	for i := range 200 {
		wg.Go(func() {
			code := postLogin(t, noRedirects, a.srv.URL, fmt.Sprintf("nobody%d@unknown.test", i), "some password", fmt.Sprintf("203.0.113.%d, 127.0.0.1", i%250+1))
			mu.Lock()
			codes[code]++
			mu.Unlock()
		})
	}
	wg.Wait()
	took := time.Since(start)
	close(stop)
	sampler.Wait()
	poller.Wait()

	t.Logf("200 unknown-account logins in %v: statuses %v, %d password checks (slots %d); peak heap: %.1f MiB allocated, %.1f MiB in use (bound %d MiB); /healthz polled %d times, %d not 200",
		took.Round(time.Millisecond), codes, a.checks.Load(), a.web.Clinic().HashSlots,
		float64(peakAlloc)/(1<<20), float64(peakInuse)/(1<<20), peakHeapBound>>20, health.Load(), healthBad.Load())
	if peakInuse > peakHeapBound {
		t.Errorf("peak heap in use %d MiB, over the bound of %d MiB", peakInuse>>20, peakHeapBound>>20)
	}
	if health.Load() == 0 || healthBad.Load() > 0 {
		t.Errorf("/healthz: %d of %d polls not 200", healthBad.Load(), health.Load())
	}
	if codes[http.StatusUnauthorized]+codes[http.StatusTooManyRequests] != 200 {
		t.Errorf("statuses %v: want only 401 and 429", codes)
	}
	if codes[http.StatusUnauthorized] == 0 {
		t.Errorf("no login was checked at all: %v", codes)
	}
}

// TestLoginLockoutResistance: an attacker's failures lock the account
// for browsers it has not been used from, but its owner, on a browser
// that logged in before (the device cookie), still logs in; failures
// from that device are counted under the device.
func TestLoginLockoutResistance(t *testing.T) {
	t.Parallel()
	a := newAuthApp(t, openSQLite(t), nil)
	victim := a.login("clinicianA") // gets the device cookie
	other := a.login("clinicianA")  // another known device
	if code, _, _ := victim.post("/logout", url.Values{}); code != http.StatusSeeOther {
		t.Fatalf("logout: %d", code)
	}
	attacker := a.login("")
	for i := range 7 {
		code, _, _ := attacker.post("/login", url.Values{"email": {"a@a.test"}, "password": {"guess " + fmt.Sprint(i)}})
		if want := http.StatusUnauthorized; i >= 5 {
			if code != http.StatusTooManyRequests {
				t.Errorf("attacker's attempt %d: %d, want 429", i+1, code)
			}
		} else if code != want {
			t.Errorf("attacker's attempt %d: %d, want %d", i+1, code, want)
		}
	}
	if code, _, _ := attacker.post("/login", url.Values{"email": {"a@a.test"}, "password": {testPassword}}); code != http.StatusTooManyRequests {
		t.Errorf("attacker with the right password: %d, want 429", code)
	}
	code, _, loc := victim.post("/login", url.Values{"email": {"a@a.test"}, "password": {testPassword}})
	if code != http.StatusSeeOther || loc != "/" {
		t.Fatalf("victim from a known device: %d → %q, want 303 → /", code, loc)
	}
	// The device is limited on its own: five failures from it stop it,
	// not another known device.
	for range 5 {
		victim.post("/login", url.Values{"email": {"a@a.test"}, "password": {"typo typo typo"}})
	}
	if code, _, _ := victim.post("/login", url.Values{"email": {"a@a.test"}, "password": {testPassword}}); code != http.StatusTooManyRequests {
		t.Errorf("device after its own five failures: %d, want 429", code)
	}
	if code, _, _ := other.post("/login", url.Values{"email": {"a@a.test"}, "password": {testPassword}}); code != http.StatusSeeOther {
		t.Errorf("another known device: %d, want 303", code)
	}
	// A device cookie of another account is no key to this one.
	b := a.login("clinicianB")
	if code, _, _ := b.post("/login", url.Values{"email": {"a@a.test"}, "password": {testPassword}}); code != http.StatusTooManyRequests {
		t.Errorf("clinician B's device for account A: %d, want 429", code)
	}
}

// TestLoginInputLimits: an e-mail address over 254 bytes or a password
// over 1,024 is refused before any password check, on the login page.
func TestLoginInputLimits(t *testing.T) {
	t.Parallel()
	a := newAuthApp(t, openSQLite(t), nil)
	b := a.login("")
	for _, tc := range []struct {
		name, email, password, msg string
	}{
		{"long e-mail", strings.Repeat("x", 250) + "@a.test", testPassword, "at most 254"},
		{"long password", "a@a.test", strings.Repeat("p", 1025), "at most 1024"},
	} {
		code, body, _ := b.post("/login", url.Values{"email": {tc.email}, "password": {tc.password}})
		if code != http.StatusUnprocessableEntity || !strings.Contains(body, tc.msg) {
			t.Errorf("%s: %d, want 422 with %q", tc.name, code, tc.msg)
		}
	}
	if n := a.checks.Load(); n != 0 {
		t.Errorf("%d password checks for refused input", n)
	}
	code, _, _ := b.post("/login", url.Values{"email": {"a@a.test"}, "password": {strings.Repeat("x", 64<<10)}})
	if code != http.StatusRequestEntityTooLarge {
		t.Errorf("64 KiB form: %d, want 413", code)
	}
}

// TestLoginAudited checks that logins, refusals, logouts, password and
// token changes reach the audit log with the client's address and user
// agent.
func TestLoginAudited(t *testing.T) {
	t.Parallel()
	a := newAuthApp(t, openSQLite(t), nil)
	b := a.login("")
	b.post("/login", url.Values{"email": {"a@a.test"}, "password": {"wrong wrong wrong"}})
	c := a.login("clinicianA")
	c.post("/account/tokens", url.Values{"tokenName": {"script"}})
	c.post("/account/password", url.Values{"current": {testPassword}, "password": {"a brand new password"}, "confirm": {"a brand new password"}})
	c.post("/logout", url.Values{})
	a.api("", "GET", "/api/me", nil)
	entries, err := a.store.AuditLog(context.Background(), tendo.AuditFilter{Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]tendo.AuditEntry{}
	for _, e := range entries {
		seen[e.Action] = e
	}
	for _, action := range []string{tendo.ActionLoginFailure, tendo.ActionLoginSuccess, tendo.ActionTokenCreate, tendo.ActionUserPassword, tendo.ActionLogout, tendo.ActionDenied} {
		e, ok := seen[action]
		if !ok {
			t.Errorf("no %s entry", action)
			continue
		}
		if e.Addr != "127.0.0.1" || !strings.Contains(e.UserAgent, "Go-http-client") {
			t.Errorf("%s entry without the address and user agent: %+v", action, e)
		}
	}
	if e := seen[tendo.ActionLoginSuccess]; e.UserID != a.users["clinicianA"].ID {
		t.Errorf("login success by user %d", e.UserID)
	}
}

// loginWith returns a browser logged in as the user with a password.
func (a *authApp) loginWith(user, password string) *browser {
	a.t.Helper()
	jar, _ := cookiejar.New(nil)
	b := &browser{a: a.app, c: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
	code, _, loc := b.post("/login", url.Values{"email": {a.users[user].Email}, "password": {password}})
	if code != http.StatusSeeOther || loc != "/" {
		a.t.Fatalf("login %s: %d → %q", user, code, loc)
	}
	_, page, _ := b.get("/account")
	m := csrfRe.FindStringSubmatch(page)
	if m == nil {
		a.t.Fatalf("no CSRF token on the account page")
	}
	b.csrf = m[1]
	return b
}

package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/tendo-health/tendo"
	"github.com/tendo-health/tendo/assess"
	"github.com/tendo-health/tendo/internal/shared"
	"github.com/tendo-health/tendo/passwd"
	"github.com/tendo-health/tendo/sqlstore"
	"github.com/tendo-health/tendo/web"
)

var (
	engOnce sync.Once
	eng     *assess.Engine
	engErr  error
)

func engine(t testing.TB) *assess.Engine {
	engOnce.Do(func() { eng, engErr = assess.New() })
	if engErr != nil {
		t.Fatal(engErr)
	}
	return eng
}

// app is a running server with two clinics and people in each.
type app struct {
	t      *testing.T
	srv    *httptest.Server
	store  tendo.Store
	clinA  tendo.Clinic
	clinB  tendo.Clinic
	users  map[string]tendo.User // "admin", "clinicianA", "clinicianB"
	tokens map[string]string     // API tokens by user key
	patA   tendo.PatientRecord   // in clinic A
	patB   tendo.PatientRecord   // in clinic B
	assA   int64                 // an assessment of patA
	link   string                // a valid questionnaire token for patA
	trialA int64                 // a gait trial of assA (fakeGait's report); 0 without gait
	// clock is the server's time: now, or a fixed time a test sets
	// (Server.Now reads it).
	clock atomic.Pointer[time.Time]
}

// now is the app's clock.
func (a *app) now() time.Time {
	if t := a.clock.Load(); t != nil {
		return *t
	}
	return time.Now()
}

// setClock fixes the server's time.
func (a *app) setClock(t time.Time) { a.clock.Store(&t) }

const testPassword = "correct horse battery staple"

func newApp(t *testing.T) *app {
	t.Helper()
	return newAppWith(t, engine(t))
}

// newAppWith is newApp with another assessor.
func newAppWith(t *testing.T, assessor tendo.Assessor) *app {
	t.Helper()
	return newAppGait(t, assessor, true)
}

// newAppGait is newAppWith, with the fake gait analysis and plot and a
// trial of assA, or (gait false) with neither and no trial.
func newAppGait(t *testing.T, assessor tendo.Assessor, gait bool) *app {
	t.Helper()
	ctx := context.Background()
	store, err := sqlstore.OpenSQLite(ctx, filepath.Join(t.TempDir(), "tendo.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	srv, err := web.New(store, assessor, nil)
	if err != nil {
		t.Fatal(err)
	}
	a := &app{t: t, store: store, users: map[string]tendo.User{}, tokens: map[string]string{}}
	srv.Now = a.now
	if gait {
		srv.Clinic().GaitAnalyzer = fakeGait{}
		srv.GaitPlot = fakePlot
	}
	a.srv = httptest.NewServer(srv)
	t.Cleanup(a.srv.Close)
	// issue 11: cds-clinic
	if err := srv.EnableCDS(web.CDSOptions{PublicURL: a.srv.URL}); err != nil {
		t.Fatal(err)
	}
	// end issue 11: cds-clinic
	a.seed(testHash(t))
	// One stored assessment of patient A, through the API.
	code, body := a.api("clinicianA", "POST", "/api/patients/"+itoa(a.patA.ID)+"/assessments", caseJSON(t, "runner-midportion"))
	if code != http.StatusCreated {
		t.Fatalf("seed assessment: %d %s", code, body)
	}
	var created struct {
		Assessment tendo.StoredAssessment `json:"assessment"`
	}
	if err := json.Unmarshal(body, &created); err != nil {
		t.Fatal(err)
	}
	a.assA = created.Assessment.ID
	if gait {
		a.trialA = a.seedTrial()
	}
	code, body = a.api("clinicianA", "POST", "/api/patients/"+itoa(a.patA.ID)+"/links", []byte(`{"instrument":"visaA"}`))
	if code != http.StatusCreated {
		t.Fatalf("seed link: %d %s", code, body)
	}
	var link struct {
		URL string `json:"url"`
	}
	if err := json.Unmarshal(body, &link); err != nil {
		t.Fatal(err)
	}
	a.link = link.URL[strings.LastIndex(link.URL, "/")+1:]
	return a
}

// seed creates the two clinics, the three users (password testPassword,
// hashed as hash) with an API token each, and a patient in each clinic.
func (a *app) seed(hash string) {
	t, store, ctx := a.t, a.store, context.Background()
	t.Helper()
	var err error
	if a.clinA, err = store.CreateClinic(ctx, "Clinic A"); err != nil {
		t.Fatal(err)
	}
	if a.clinB, err = store.CreateClinic(ctx, "Clinic B"); err != nil {
		t.Fatal(err)
	}
	for key, u := range map[string]tendo.User{
		"admin":      {Email: "admin@a.test", Name: "Admin", Role: tendo.RoleAdmin},
		"clinicianA": {Email: "a@a.test", Name: "Clinician A", Role: tendo.RoleClinician, ClinicIDs: []int64{a.clinA.ID}},
		"clinicianB": {Email: "b@b.test", Name: "Clinician B", Role: tendo.RoleClinician, ClinicIDs: []int64{a.clinB.ID}},
	} {
		u.PasswordHash = hash
		created, err := store.CreateUser(ctx, u)
		if err != nil {
			t.Fatal(err)
		}
		a.users[key] = created
		tok := passwd.Token()
		if _, err := store.CreateAPIToken(ctx, created.ID, "test", passwd.TokenHash(tok)); err != nil {
			t.Fatal(err)
		}
		a.tokens[key] = tok
	}
	// issue 11: cds-clinic: a CDS client of clinic A whose user has the
	// test password's hash and a token planted in the store (the
	// services refuse both: it cannot log in or use the token).
	cc, err := store.CreateCDSClient(ctx, tendo.CDSClient{ClinicID: a.clinA.ID, Name: "EHR A", Issuer: "https://ehr-a.test",
		JWKS: json.RawMessage(`{"keys":[{"kty":"EC","crv":"P-384","kid":"k","x":"AAAA","y":"BBBB"}]}`)},
		tendo.User{Email: "cds@cds-client.invalid", Name: "EHR A", Role: tendo.RoleCDSClient, PasswordHash: hash, ClinicIDs: []int64{a.clinA.ID}})
	if err != nil {
		t.Fatal(err)
	}
	if a.users["cdsClient"], err = store.User(ctx, cc.UserID); err != nil {
		t.Fatal(err)
	}
	cdsTok := passwd.Token()
	if _, err := store.CreateAPIToken(ctx, cc.UserID, "planted", passwd.TokenHash(cdsTok)); err != nil {
		t.Fatal(err)
	}
	a.tokens["cdsClient"] = cdsTok
	// end issue 11: cds-clinic
	if a.patA, err = store.CreatePatient(ctx, tendo.PatientRecord{ClinicID: a.clinA.ID, Name: "Alice Alpha", ExternalID: "A-1"}); err != nil {
		t.Fatal(err)
	}
	if a.patB, err = store.CreatePatient(ctx, tendo.PatientRecord{ClinicID: a.clinB.ID, Name: "Bob Bravo", ExternalID: "B-1"}); err != nil {
		t.Fatal(err)
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func jsonNum(n int64) string { return strconv.FormatInt(n, 10) }

func caseJSON(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(shared.Path(t, "cases", name+".json"))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// api calls the JSON API as a user ("" for no token).
func (a *app) api(user, method, path string, body []byte) (int, []byte) {
	a.t.Helper()
	req, err := http.NewRequest(method, a.srv.URL+path, bytes.NewReader(body))
	if err != nil {
		a.t.Fatal(err)
	}
	if user != "" {
		req.Header.Set("Authorization", "Bearer "+a.tokens[user])
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		a.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, b
}

// browser is a cookie-keeping client that does not follow redirects.
type browser struct {
	a    *app
	c    *http.Client
	csrf string
}

var csrfRe = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// login returns a browser logged in as the user ("" for an anonymous one).
func (a *app) login(user string) *browser {
	a.t.Helper()
	jar, _ := cookiejar.New(nil)
	b := &browser{a: a, c: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
	if user == "" {
		return b
	}
	// issue 11: cds-clinic: a CDS client's user cannot log in (with the
	// right password too: TestCDSClientCannotLogIn); its browser stays
	// anonymous.
	if a.users[user].Role == tendo.RoleCDSClient {
		return b
	}
	// end issue 11: cds-clinic
	code, _, loc := b.post("/login", url.Values{"email": {a.users[user].Email}, "password": {testPassword}})
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

func (b *browser) get(path string) (int, string, string) {
	b.a.t.Helper()
	resp, err := b.c.Get(b.a.srv.URL + path)
	if err != nil {
		b.a.t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body), resp.Header.Get("Location")
}

// post sends a form, adding the session's CSRF token when there is one.
func (b *browser) post(path string, form url.Values) (int, string, string) {
	b.a.t.Helper()
	if b.csrf != "" && form.Get("csrf") == "" {
		form.Set("csrf", b.csrf)
	}
	resp, err := b.c.PostForm(b.a.srv.URL+path, form)
	if err != nil {
		b.a.t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body), resp.Header.Get("Location")
}

func TestLoginRateLimit(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	b := a.login("")
	for i := 0; i < 5; i++ {
		code, _, _ := b.post("/login", url.Values{"email": {"a@a.test"}, "password": {"wrong password"}})
		if code != http.StatusUnauthorized {
			t.Fatalf("attempt %d: %d", i+1, code)
		}
	}
	// The right password is refused too while the account is throttled.
	code, body, _ := b.post("/login", url.Values{"email": {"a@a.test"}, "password": {testPassword}})
	if code != http.StatusTooManyRequests || !strings.Contains(body, "Too many failed attempts") {
		t.Fatalf("sixth attempt: %d", code)
	}
	// Another account from elsewhere is not affected.
	if got := a.login("clinicianB"); got.csrf == "" {
		t.Fatal("clinician B could not log in")
	}
}

func TestSessionCookieAndHeaders(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	noFollow := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := noFollow.PostForm(a.srv.URL+"/login", url.Values{"email": {"a@a.test"}, "password": {testPassword}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	var cookie *http.Cookie
	for _, c := range resp.Cookies() {
		if c.Name == "tendo_session" {
			cookie = c
		}
	}
	if cookie == nil || !cookie.HttpOnly || cookie.SameSite != http.SameSiteLaxMode {
		t.Fatalf("session cookie %+v: want HttpOnly and SameSite=Lax", cookie)
	}
	h := resp.Header
	csp := h.Get("Content-Security-Policy")
	if !strings.Contains(csp, "script-src 'none'") || !strings.Contains(csp, "frame-ancestors 'none'") {
		t.Errorf("CSP %q", csp)
	}
	for k, v := range map[string]string{"X-Content-Type-Options": "nosniff", "X-Frame-Options": "DENY", "Referrer-Policy": "no-referrer", "Cache-Control": "no-store"} {
		if h.Get(k) != v {
			t.Errorf("%s = %q, want %q", k, h.Get(k), v)
		}
	}
	// A form posted without the CSRF token is refused.
	b := a.login("clinicianA")
	code, body, _ := b.post("/patients", url.Values{"csrf": {"wrong"}, "clinicId": {itoa(a.clinA.ID)}, "name": {"X"}})
	if code != http.StatusForbidden || !strings.Contains(body, "did not come from this site") {
		t.Errorf("wrong CSRF token: %d", code)
	}
	// A cross-site form post is refused before it reaches the handler.
	req, _ := http.NewRequest("POST", a.srv.URL+"/patients", strings.NewReader("name=X"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	resp2, err := b.c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp2.Body.Close()
	if resp2.StatusCode != http.StatusForbidden {
		t.Errorf("cross-site post: %d, want 403", resp2.StatusCode)
	}
	// After logging out the session is gone from the store.
	if code, _, _ := b.post("/logout", url.Values{}); code != http.StatusSeeOther {
		t.Fatalf("logout: %d", code)
	}
	if code, _, loc := b.get("/"); code != http.StatusSeeOther || !strings.HasPrefix(loc, "/login") {
		t.Errorf("after logout: %d %q", code, loc)
	}
}

// TestAuditLog checks that reads and changes of a patient's data are
// recorded with who and when.
func TestAuditLog(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	b := a.login("clinicianA")
	// The reads happen at a time of the test's choosing (the server's
	// injected clock), so they are told from the set-up's writes without
	// comparing wall-clock times.
	readAt := time.Now().UTC().Add(time.Minute).Truncate(time.Millisecond)
	a.setClock(readAt)
	b.get("/patients/" + itoa(a.patA.ID))
	b.get("/patients/" + itoa(a.patA.ID) + "/assessments/" + jsonNum(a.assA))
	a.api("clinicianA", "GET", "/api/patients/"+itoa(a.patA.ID)+"/timeline", nil)
	entries, err := a.store.AuditLog(context.Background(), tendo.AuditFilter{PatientID: a.patA.ID})
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, e := range entries {
		if e.UserID != a.users["clinicianA"].ID {
			continue
		}
		read := strings.HasSuffix(e.Action, ".read") || strings.HasSuffix(e.Action, ".list")
		if read != e.At.Equal(readAt) {
			t.Errorf("%s entry at %v; the reads were at %v, the set-up before", e.Action, e.At, readAt)
		}
		seen[e.Action] = true
	}
	for _, action := range []string{"patient.read", "assessment.read", "gait.list", "timeline.read", "assessment.create", "link.create", "gait.create"} {
		if !seen[action] {
			t.Errorf("no %s entry by clinician A (entries: %+v)", action, entries)
		}
	}
	// The admin reads the log over the API; a clinician may not.
	if code, _ := a.api("admin", "GET", "/api/audit?patientId="+itoa(a.patA.ID), nil); code != http.StatusOK {
		t.Errorf("admin audit: %d", code)
	}
	if code, _ := a.api("clinicianA", "GET", "/api/audit", nil); code != http.StatusForbidden {
		t.Errorf("clinician audit: %d", code)
	}
}

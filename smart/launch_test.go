package smart_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tendo-health/tendo"
	"github.com/tendo-health/tendo/internal/smarttest"
	"github.com/tendo-health/tendo/smart"
)

// clock is a settable clock.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// launcher is a Launcher for the fake EHR's iss, clinic 7.
func launcher(e *smarttest.EHR, now *clock) *smart.Launcher {
	return &smart.Launcher{
		Issuers:    []smart.Issuer{{ISS: e.ISS(), ClinicID: 7, ClientID: e.ClientID, RedirectURL: "http://127.0.0.1/smart/callback"}},
		HTTPClient: e.Server.Client(),
		Now:        now.Now,
	}
}

// follow requests the authorization URL as the browser would and returns
// the query tendo's callback would receive.
func follow(t *testing.T, e *smarttest.EHR, authURL string) url.Values {
	t.Helper()
	c := e.Server.Client()
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	resp, err := c.Get(authURL)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusFound {
		t.Fatalf("authorization endpoint answered %s", resp.Status)
	}
	loc, err := url.Parse(resp.Header.Get("Location"))
	if err != nil {
		t.Fatal(err)
	}
	if got := loc.Scheme + "://" + loc.Host + loc.Path; got != "http://127.0.0.1/smart/callback" {
		t.Fatalf("redirected to %s, want the registered redirect URL", got)
	}
	return loc.Query()
}

func wantErr(t *testing.T, what string, err error, code, field string) {
	t.Helper()
	if got := tendo.ErrorCode(err); got != code {
		t.Fatalf("%s: error %v (code %q), want code %q", what, err, got, code)
	}
	var te *tendo.Error
	if field != "" {
		if !asError(err, &te) || te.Field != field {
			t.Fatalf("%s: error %v does not name the field %q", what, err, field)
		}
	}
}

func asError(err error, te **tendo.Error) bool {
	e, ok := err.(*tendo.Error)
	*te = e
	return ok
}

// TestLaunch runs a whole EHR launch against the fake EHR: the
// authorization request carries what SMART requires, the token endpoint
// accepts the code_verifier only because it matches the challenge, and
// the launch context and the patient come back.
func TestLaunch(t *testing.T) {
	t.Parallel()
	e := smarttest.New(t)
	no := false
	e.NeedPatientBanner = &no
	now := &clock{t: time.Date(2026, 12, 3, 10, 0, 0, 0, time.UTC)}
	l := launcher(e, now)
	authURL, state, err := l.Begin(t.Context(), e.ISS()+"/", "xyz", "browser-1")
	if err != nil {
		t.Fatal(err)
	}
	back := follow(t, e, authURL)
	q := e.LastAuthorize()
	for k, want := range map[string]string{
		"response_type": "code", "client_id": "tendo-test", "redirect_uri": "http://127.0.0.1/smart/callback",
		"scope": "launch openid fhirUser patient/*.read", "aud": e.ISS(), "launch": "xyz",
		"code_challenge_method": "S256", "state": state,
	} {
		if got := q.Get(k); got != want {
			t.Errorf("authorization request %s = %q, want %q", k, got, want)
		}
	}
	if back.Get("state") != state || back.Get("code") == "" {
		t.Fatalf("callback query %v: want the state and a code", back)
	}
	now.Add(9 * time.Minute) // within the state's 10 minutes
	c, err := l.Complete(t.Context(), back.Get("state"), back.Get("code"), "browser-1")
	if err != nil {
		t.Fatal(err)
	}
	if tokens, fails, _ := e.Counts(); tokens != 1 || fails != 0 {
		t.Errorf("token requests %d, verifier failures %d; want 1 and 0", tokens, fails)
	}
	if c.Patient != "smart-1" || c.Encounter != "enc-1" || c.ClinicID != 7 || c.ISS != e.ISS() || c.IDToken == "" {
		t.Errorf("context %+v", c)
	}
	if c.NeedPatientBanner == nil || *c.NeedPatientBanner || c.ShowBanner() {
		t.Errorf("need_patient_banner false: got %v, ShowBanner %v", c.NeedPatientBanner, c.ShowBanner())
	}
	p, err := l.FetchPatient(t.Context(), c)
	if err != nil {
		t.Fatal(err)
	}
	if want := (tendo.EHRPatient{Name: "Alice Example", BirthDate: "1981-04-12", MRN: "12345"}); p != want {
		t.Errorf("patient %+v, want %+v", p, want)
	}
	// The state is spent: the same callback again is refused.
	_, err = l.Complete(t.Context(), back.Get("state"), back.Get("code"), "browser-1")
	wantErr(t, "a reused state", err, tendo.EINVALID, "state")
}

// TestTokenEndpointChecksVerifier shows the fake EHR's check is real: a
// code presented with another verifier's request is refused by the
// token endpoint (here: a state from one launch with the code of
// another).
func TestTokenEndpointChecksVerifier(t *testing.T) {
	t.Parallel()
	e := smarttest.New(t)
	now := &clock{t: time.Date(2026, 12, 3, 10, 0, 0, 0, time.UTC)}
	l := launcher(e, now)
	u1, s1, err := l.Begin(t.Context(), e.ISS(), "a", "b")
	if err != nil {
		t.Fatal(err)
	}
	u2, _, err := l.Begin(t.Context(), e.ISS(), "a", "b")
	if err != nil {
		t.Fatal(err)
	}
	follow(t, e, u1)
	code2 := follow(t, e, u2).Get("code")
	_, err = l.Complete(t.Context(), s1, code2, "b") // launch 1's verifier, launch 2's code
	wantErr(t, "a code of another launch", err, tendo.EINVALID, "")
	if _, fails, _ := e.Counts(); fails != 1 {
		t.Errorf("verifier failures %d, want 1", fails)
	}
}

// TestBeginRefuses refuses an iss not on the allow-list and a server
// that does not offer PKCE S256, naming the field.
func TestBeginRefuses(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name    string
		methods []string
		iss     func(e *smarttest.EHR) string
		launch  string
		field   string
	}{
		{"only plain", []string{"plain"}, nil, "x", "code_challenge_methods_supported"},
		{"no methods listed", nil, nil, "x", "code_challenge_methods_supported"},
		{"an empty list", []string{}, nil, "x", "code_challenge_methods_supported"},
		{"S256 in the wrong case", []string{"s256", "plain"}, nil, "x", "code_challenge_methods_supported"},
		{"iss not allowed", []string{"S256"}, func(e *smarttest.EHR) string { return e.Server.URL + "/other" }, "x", "iss"},
		{"iss missing", []string{"S256"}, func(*smarttest.EHR) string { return "" }, "x", "iss"},
		{"launch missing", []string{"S256"}, nil, "", "launch"},
		{"launch too long", []string{"S256"}, nil, strings.Repeat("l", smart.MaxLaunchLength+1), "launch"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			e := smarttest.New(t)
			e.Methods = tt.methods
			l := launcher(e, &clock{t: time.Unix(0, 0)})
			iss := e.ISS()
			if tt.iss != nil {
				iss = tt.iss(e)
			}
			_, _, err := l.Begin(t.Context(), iss, tt.launch, "b")
			wantErr(t, tt.name, err, tendo.EINVALID, tt.field)
			if q := e.LastAuthorize(); q != nil {
				t.Errorf("the browser was sent to the EHR: %v", q)
			}
		})
	}
}

// TestCompleteRefusesState refuses a state that does not match, was
// issued to another browser, has expired or is reused.
func TestCompleteRefusesState(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name    string
		state   func(good string) string
		browser string
		wait    time.Duration
	}{
		{"unknown state", func(string) string { return "not-a-state" }, "b", 0},
		{"empty state", func(string) string { return "" }, "b", 0},
		{"a changed state", func(s string) string { return s[:len(s)-1] + "A" }, "b", 0},
		{"another browser", func(s string) string { return s }, "other", 0},
		{"expired", func(s string) string { return s }, "b", smart.StateTTL},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			e := smarttest.New(t)
			now := &clock{t: time.Date(2026, 12, 3, 10, 0, 0, 0, time.UTC)}
			l := launcher(e, now)
			u, state, err := l.Begin(t.Context(), e.ISS(), "x", "b")
			if err != nil {
				t.Fatal(err)
			}
			code := follow(t, e, u).Get("code")
			now.Add(tt.wait)
			_, err = l.Complete(t.Context(), tt.state(state), code, tt.browser)
			wantErr(t, tt.name, err, tendo.EINVALID, "state")
			if tokens, _, _ := e.Counts(); tokens != 0 {
				t.Errorf("the code was exchanged (%d token requests) despite the bad state", tokens)
			}
		})
	}
}

// TestAuthorizationError: an EHR that sends error= back has no code to
// exchange; Complete says the code is missing.
func TestAuthorizationError(t *testing.T) {
	t.Parallel()
	e := smarttest.New(t)
	e.AuthorizeError = "access_denied"
	l := launcher(e, &clock{t: time.Unix(0, 0)})
	u, state, err := l.Begin(t.Context(), e.ISS(), "x", "b")
	if err != nil {
		t.Fatal(err)
	}
	back := follow(t, e, u)
	if back.Get("error") != "access_denied" || back.Get("code") != "" {
		t.Fatalf("callback %v", back)
	}
	_, err = l.Complete(t.Context(), state, back.Get("code"), "b")
	wantErr(t, "no code", err, tendo.EINVALID, "code")
}

// TestDiscover checks the discovery client's refusals: http to a
// host that is not loopback, a wrong status or type, a document too
// large, a member of the wrong type, endpoints that are not https.
func TestDiscover(t *testing.T) {
	t.Parallel()
	serve := func(t *testing.T, ctype, body string, status int) string {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path != "/fhir/.well-known/smart-configuration" {
				http.NotFound(w, r)
				return
			}
			w.Header().Set("Content-Type", ctype)
			w.WriteHeader(status)
			_, _ = w.Write([]byte(body))
		}))
		t.Cleanup(srv.Close)
		return srv.URL + "/fhir"
	}
	good := `{"authorization_endpoint":"https://ehr.example/auth","token_endpoint":"https://ehr.example/token","code_challenge_methods_supported":["S256"]}`
	for _, tt := range []struct {
		name, ctype, body string
		status            int
		iss               string
		code, field       string
	}{
		{"good", "application/json", good, 200, "", "", ""},
		{"json with a charset", "application/json; charset=utf-8", good, 200, "", "", ""},
		{"not found", "application/json", good, 404, "", tendo.EINTERNAL, ""},
		{"html", "text/html", good, 200, "", tendo.EINTERNAL, ""},
		{"too large", "application/json", `{"x":"` + strings.Repeat("a", smart.MaxConfigurationBytes) + `"}`, 200, "", tendo.EINTERNAL, ""},
		{"methods not a list", "application/json", `{"code_challenge_methods_supported":"S256"}`, 200, "", tendo.EINVALID, "code_challenge_methods_supported"},
		{"not an object", "application/json", `[1]`, 200, "", tendo.EINVALID, ""},
		{"http token endpoint elsewhere", "application/json", `{"authorization_endpoint":"https://ehr.example/auth","token_endpoint":"http://ehr.example/token","code_challenge_methods_supported":["S256"]}`, 200, "", tendo.EINVALID, "token_endpoint"},
		{"no authorization endpoint", "application/json", `{"token_endpoint":"https://ehr.example/token","code_challenge_methods_supported":["S256"]}`, 200, "", tendo.EINVALID, "authorization_endpoint"},
		{"no code response type", "application/json", `{"authorization_endpoint":"https://ehr.example/auth","token_endpoint":"https://ehr.example/token","code_challenge_methods_supported":["S256"],"response_types_supported":["token"]}`, 200, "", tendo.EINVALID, "response_types_supported"},
		{"http iss not loopback", "", "", 0, "http://ehr.example/fhir", tendo.EINVALID, "iss"},
		{"iss with user information", "", "", 0, "https://u:p@ehr.example/fhir", tendo.EINVALID, "iss"},
		{"iss not a URL", "", "", 0, "ehr.example", tendo.EINVALID, "iss"},
		{"ftp iss", "", "", 0, "ftp://ehr.example/fhir", tendo.EINVALID, "iss"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			iss := tt.iss
			if iss == "" {
				iss = serve(t, tt.ctype, tt.body, tt.status)
			}
			c, err := smart.Discover(t.Context(), nil, iss)
			if tt.code == "" {
				if err != nil {
					t.Fatal(err)
				}
				if c.TokenEndpoint != "https://ehr.example/token" {
					t.Errorf("token endpoint %q", c.TokenEndpoint)
				}
				return
			}
			wantErr(t, tt.name, err, tt.code, tt.field)
		})
	}
}

// TestDiscoverTimeout gives up on an EHR that does not answer within
// the caller's deadline.
func TestDiscoverTimeout(t *testing.T) {
	t.Parallel()
	block := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { <-block }))
	t.Cleanup(func() { close(block); srv.Close() })
	ctx, cancel := context.WithTimeout(t.Context(), 50*time.Millisecond)
	defer cancel()
	_, err := smart.Discover(ctx, nil, srv.URL+"/fhir")
	wantErr(t, "a silent EHR", err, tendo.EINTERNAL, "")
}

// TestBeginBounded refuses launches beyond MaxPending until the oldest
// expire.
func TestBeginBounded(t *testing.T) {
	t.Parallel()
	e := smarttest.New(t)
	now := &clock{t: time.Date(2026, 12, 3, 10, 0, 0, 0, time.UTC)}
	l := launcher(e, now)
	l.MaxPending = 3
	for i := range 3 {
		if _, _, err := l.Begin(t.Context(), e.ISS(), "x", "b"); err != nil {
			t.Fatalf("launch %d: %v", i, err)
		}
	}
	_, _, err := l.Begin(t.Context(), e.ISS(), "x", "b")
	wantErr(t, "a fourth launch in flight", err, tendo.ETOOMANY, "")
	now.Add(smart.StateTTL)
	if _, _, err := l.Begin(t.Context(), e.ISS(), "x", "b"); err != nil {
		t.Fatalf("a launch once the others expired: %v", err)
	}
}

package web_test

// issue 11: smart. The EHR launch through HTTP: a fake EHR and
// authorization server (internal/smarttest) and tendo's pages.

import (
	"html"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/tendo-health/tendo"
	"github.com/tendo-health/tendo/internal/dbtest"
	"github.com/tendo-health/tendo/internal/smarttest"
	"github.com/tendo-health/tendo/smart"
	"github.com/tendo-health/tendo/web"
)

// smartApp is a tendo server whose SMART allow-list has the fake EHR,
// for clinic A.
func smartApp(t *testing.T, e *smarttest.EHR) *authApp {
	t.Helper()
	l := &smart.Launcher{HTTPClient: e.Server.Client()}
	a := newAuthApp(t, dbtest.SQLite(t), func(s *web.Server) { s.SMART = l })
	l.Now = a.clock.Now
	l.Issuers = []smart.Issuer{{ISS: e.ISS(), ClinicID: a.clinA.ID, ClientID: e.ClientID, RedirectURL: a.srv.URL + "/smart/callback"}}
	return a
}

// toEHR follows tendo's redirect to the authorization endpoint and
// returns the path and query of the EHR's redirect back to tendo.
func toEHR(t *testing.T, e *smarttest.EHR, authURL string) string {
	t.Helper()
	c := e.Server.Client()
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	resp, err := c.Get(authURL)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusFound {
		t.Fatalf("the EHR's authorization endpoint answered %s", resp.Status)
	}
	u, err := url.Parse(resp.Header.Get("Location"))
	if err != nil {
		t.Fatal(err)
	}
	return u.RequestURI()
}

func launchPath(iss, launch string) string {
	return "/smart/launch?" + url.Values{"iss": {iss}, "launch": {launch}}.Encode()
}

var (
	patientPathRe = regexp.MustCompile(`^/patients/(\d+)$`)
	continueRe    = regexp.MustCompile(`id="smart-continue" href="([^"]+)"`)
)

// authorizeURL is the EHR's authorization URL a launch page sends the
// browser to (its Refresh header, and its link, which must agree); ""
// when the page sends it nowhere.
func authorizeURL(t *testing.T, code int, page string, h http.Header) string {
	t.Helper()
	m := continueRe.FindStringSubmatch(page)
	refresh, ok := strings.CutPrefix(h.Get("Refresh"), "0;url=")
	if code != http.StatusOK || m == nil || !ok {
		return ""
	}
	if link := html.UnescapeString(m[1]); link != refresh {
		t.Fatalf("the page links to %q, its Refresh header to %q", link, refresh)
	}
	return refresh
}

// launch opens the launch URL in b and returns the authorization URL
// it is sent on to.
func (b *browser) launch(t *testing.T, path string) string {
	t.Helper()
	resp, err := b.c.Get(b.a.srv.URL + path)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	u := authorizeURL(t, resp.StatusCode, string(body), resp.Header)
	if u == "" {
		t.Fatalf("launch %s: %s\n%s", path, resp.Status, body)
	}
	return u
}

// TestSmartLaunchHTTP: a signed-in clinician launched from the EHR lands
// on the EHR patient's page (made at the first launch, found at the
// next), with tendo's banner; the launch is audited; the access token is
// in no page.
func TestSmartLaunchHTTP(t *testing.T) {
	t.Parallel()
	e := smarttest.New(t)
	a := smartApp(t, e)
	b := a.loginWith("clinicianA", testPassword)
	var first string
	for i := range 2 {
		authURL := b.launch(t, launchPath(e.ISS(), "xyz"))
		if !strings.HasPrefix(authURL, e.Server.URL+"/auth/authorize?") {
			t.Fatalf("launch %d: sent to %q", i, authURL)
		}
		code, _, loc := b.get(toEHR(t, e, authURL))
		if code != http.StatusSeeOther || !patientPathRe.MatchString(loc) {
			t.Fatalf("callback %d: %d → %q", i, code, loc)
		}
		if i == 0 {
			first = loc
		} else if loc != first {
			t.Errorf("the second launch opened %s, the first %s", loc, first)
		}
		code, page, _ := b.get(loc)
		if code != http.StatusOK || !strings.Contains(page, `<div id="patient-banner"><h1>Alice Example</h1>`) || !strings.Contains(page, "12345") {
			t.Fatalf("patient page %d: %d\n%s", i, code, page)
		}
		for _, tok := range e.AccessTokens() {
			if strings.Contains(page, tok) {
				t.Fatal("the access token is in the patient page")
			}
		}
	}
	if _, _, reads := e.Counts(); reads != 1 {
		t.Errorf("the EHR's Patient was read %d times, want once", reads)
	}
	es, err := a.store.AuditLog(t.Context(), tendo.AuditFilter{Action: tendo.ActionSMARTLaunch})
	if err != nil {
		t.Fatal(err)
	}
	if len(es) != 2 || es[0].UserID != a.users["clinicianA"].ID || !strings.Contains(es[0].Detail, e.ISS()) || !strings.Contains(es[0].Detail, "smart-1") {
		t.Errorf("smart.launch entries %+v", es)
	}
}

// TestSmartLaunchBanner: need_patient_banner false hides tendo's banner
// on the launched patient's page for this session only; true or absent
// shows it.
func TestSmartLaunchBanner(t *testing.T) {
	t.Parallel()
	no, yes := false, true
	for _, tt := range []struct {
		name string
		need *bool
		hide bool
	}{
		{"false", &no, true},
		{"true", &yes, false},
		{"absent", nil, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			e := smarttest.New(t)
			e.NeedPatientBanner = tt.need
			a := smartApp(t, e)
			b := a.loginWith("clinicianA", testPassword)
			_, _, loc := b.get(toEHR(t, e, b.launch(t, launchPath(e.ISS(), "xyz"))))
			_, page, _ := b.get(loc)
			if got := !strings.Contains(page, `id="patient-banner"`); got != tt.hide {
				t.Errorf("banner hidden: %v, want %v", got, tt.hide)
			}
			if got := strings.Contains(page, `id="ehr-banner-note"`); got != tt.hide {
				t.Errorf("the note that the EHR shows the banner: %v, want %v", got, tt.hide)
			}
			// Another patient, and another session, keep the banner.
			if _, other, _ := b.get("/patients/" + itoa(a.patA.ID)); !strings.Contains(other, `<div id="patient-banner"><h1>Alice Alpha</h1>`) {
				t.Error("another patient's page lost its banner")
			}
			b2 := a.loginWith("clinicianA", testPassword)
			if _, again, _ := b2.get(loc); !strings.Contains(again, `id="patient-banner"`) {
				t.Error("a session that was not launched lost the banner")
			}
		})
	}
}

// TestSmartLaunchRefusedHTTP: the refusals a clinician sees, each a
// plain page naming the field, and the patient never opened.
func TestSmartLaunchRefusedHTTP(t *testing.T) {
	t.Parallel()
	t.Run("only plain PKCE", func(t *testing.T) {
		t.Parallel()
		e := smarttest.New(t)
		e.Methods = []string{"plain"}
		b := smartApp(t, e).loginWith("clinicianA", testPassword)
		code, page, loc := b.get(launchPath(e.ISS(), "xyz"))
		if code != http.StatusBadRequest || loc != "" || strings.Contains(page, "smart-continue") || !strings.Contains(page, "code_challenge_methods_supported") || !strings.Contains(page, "never plain") {
			t.Errorf("%d → %q\n%s", code, loc, page)
		}
	})
	t.Run("unknown iss", func(t *testing.T) {
		t.Parallel()
		e := smarttest.New(t)
		a := smartApp(t, e)
		b := a.loginWith("clinicianA", testPassword)
		code, page, loc := b.get(launchPath("https://evil.example/fhir", "xyz"))
		if code != http.StatusBadRequest || loc != "" || strings.Contains(page, "smart-continue") || !strings.Contains(page, "<strong>iss</strong>") || !strings.Contains(page, "not an EHR tendo is registered with") {
			t.Errorf("%d → %q\n%s", code, loc, page)
		}
		es, _ := a.store.AuditLog(t.Context(), tendo.AuditFilter{Action: tendo.ActionDenied})
		found := false
		for _, e := range es {
			found = found || strings.Contains(e.Detail, "evil.example")
		}
		if !found {
			t.Error("the launch from an unknown EHR was not audited as a denial")
		}
	})
	t.Run("bad state", func(t *testing.T) {
		t.Parallel()
		e := smarttest.New(t)
		b := smartApp(t, e).loginWith("clinicianA", testPassword)
		back, _ := url.Parse(toEHR(t, e, b.launch(t, launchPath(e.ISS(), "xyz"))))
		q := back.Query()
		q.Set("state", "forged")
		code, page, loc := b.get(back.Path + "?" + q.Encode())
		if code != http.StatusBadRequest || loc != "" || !strings.Contains(page, "<strong>state</strong>") {
			t.Errorf("%d → %q\n%s", code, loc, page)
		}
		if tokens, _, _ := e.Counts(); tokens != 0 {
			t.Errorf("the code was exchanged despite the bad state")
		}
	})
	t.Run("state of another session", func(t *testing.T) {
		t.Parallel()
		e := smarttest.New(t)
		a := smartApp(t, e)
		b := a.loginWith("clinicianA", testPassword)
		back := toEHR(t, e, b.launch(t, launchPath(e.ISS(), "xyz")))
		other := a.loginWith("clinicianA", testPassword) // another browser, same person
		code, page, _ := other.get(back)
		if code != http.StatusBadRequest || !strings.Contains(page, "another browser") {
			t.Errorf("%d\n%s", code, page)
		}
	})
	t.Run("the EHR refuses", func(t *testing.T) {
		t.Parallel()
		e := smarttest.New(t)
		e.AuthorizeError = "access_denied"
		b := smartApp(t, e).loginWith("clinicianA", testPassword)
		code, page, _ := b.get(toEHR(t, e, b.launch(t, launchPath(e.ISS(), "xyz"))))
		if code != http.StatusBadRequest || !strings.Contains(page, "The EHR did not authorise tendo: access_denied (The user declined the request.)") {
			t.Errorf("%d\n%s", code, page)
		}
	})
	t.Run("clinician of another clinic", func(t *testing.T) {
		t.Parallel()
		e := smarttest.New(t)
		b := smartApp(t, e).loginWith("clinicianB", testPassword)
		code, page, loc := b.get(toEHR(t, e, b.launch(t, launchPath(e.ISS(), "xyz"))))
		if code != http.StatusNotFound || loc != "" || strings.Contains(page, "Alice Example") {
			t.Errorf("%d → %q\n%s", code, loc, page)
		}
	})
	t.Run("a Patient without a name", func(t *testing.T) {
		t.Parallel()
		e := smarttest.New(t)
		e.PatientJSON = `{"resourceType":"Patient","id":"smart-1"}`
		a := smartApp(t, e)
		b := a.loginWith("clinicianA", testPassword)
		code, page, _ := b.get(toEHR(t, e, b.launch(t, launchPath(e.ISS(), "xyz"))))
		if code != http.StatusBadRequest || !strings.Contains(page, "<strong>Patient.name</strong>") {
			t.Errorf("%d\n%s", code, page)
		}
		if ps, _ := a.store.Patients(t.Context(), []int64{a.clinA.ID}); len(ps) != 1 {
			t.Errorf("clinic A has %d patients, want 1: the nameless one was created", len(ps))
		}
	})
	t.Run("the EHR's FHIR server fails", func(t *testing.T) {
		t.Parallel()
		e := smarttest.New(t)
		e.PatientStatus = http.StatusServiceUnavailable
		b := smartApp(t, e).loginWith("clinicianA", testPassword)
		code, page, _ := b.get(toEHR(t, e, b.launch(t, launchPath(e.ISS(), "xyz"))))
		if code != http.StatusBadGateway || !strings.Contains(page, "could not reach your EHR") {
			t.Errorf("%d\n%s", code, page)
		}
	})
	t.Run("the EHR cannot be reached", func(t *testing.T) {
		t.Parallel()
		e := smarttest.New(t)
		b := smartApp(t, e).loginWith("clinicianA", testPassword)
		iss := e.ISS()
		e.Server.Close()
		code, page, _ := b.get(launchPath(iss, "xyz"))
		if code != http.StatusBadGateway || !strings.Contains(page, "could not reach your EHR") || strings.Contains(page, "smart-continue") {
			t.Errorf("%d\n%s", code, page)
		}
	})
	t.Run("not signed in", func(t *testing.T) {
		t.Parallel()
		e := smarttest.New(t)
		a := smartApp(t, e)
		path := launchPath(e.ISS(), "xyz")
		code, _, loc := a.login("").get(path)
		if code != http.StatusSeeOther || loc != "/login?next="+url.QueryEscape(path) {
			t.Errorf("%d → %q", code, loc)
		}
		if q := e.LastAuthorize(); q != nil {
			t.Error("the browser was sent to the EHR before signing in")
		}
	})
}

// TestSmartNotConfigured: without an allow-list the launch is 404.
func TestSmartNotConfigured(t *testing.T) {
	t.Parallel()
	a := newAuthApp(t, dbtest.SQLite(t), nil)
	b := a.loginWith("clinicianA", testPassword)
	if code, _, _ := b.get(launchPath("https://ehr.example/fhir", "x")); code != http.StatusNotFound {
		t.Errorf("launch without SMART configured: %d, want 404", code)
	}
}

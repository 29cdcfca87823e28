package web_test

// issue 11: smart. The EHR launch in a real browser.

import (
	"context"
	"strconv"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/tendo-health/tendo"
	"github.com/tendo-health/tendo/internal/smarttest"
	"github.com/tendo-health/tendo/smart"
	"github.com/tendo-health/tendo/web"
)

// TestBrowserSmartLaunch: the EHR opens tendo at its launch URL in a
// browser that is not signed in; the clinician signs in, is taken on to
// the EHR's authorization endpoint (the fake EHR, which redirects back
// with a code and the state), tendo exchanges the code (the fake token
// endpoint checks the PKCE verifier) and the browser lands on the page of
// the EHR's patient, made for the launch; the audit log records
// "smart.launch".
func TestBrowserSmartLaunch(t *testing.T) {
	e := smarttest.New(t)
	l := &smart.Launcher{HTTPClient: e.Server.Client()}
	env := newChromeEnv(t, func(s *web.Server) { s.SMART = l })
	l.Issuers = []smart.Issuer{{ISS: e.ISS(), ClinicID: env.Clinic.ID, ClientID: e.ClientID, RedirectURL: env.URL + "/smart/callback"}}
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	tab := chromeStart(t, ctx)

	chromeDo(t, tab, "the EHR launches tendo", chromedp.Navigate(env.URL+launchPath(e.ISS(), "xyz")), chromedp.WaitVisible(chromedp.ID("login")))
	chromeDo(t, tab, "fill the login form",
		chromedp.SendKeys(chromedp.CSS(`input[name=email]`), env.User.Email),
		chromedp.SendKeys(chromedp.CSS(`input[name=password]`), env.Password))
	if st := chromeSubmit(t, tab, "sign in", chromedp.Click(chromedp.ID("login"))); st != 200 {
		t.Fatalf("sign in and launch: status %d", st)
	}
	chromeDo(t, tab, "the patient's page", chromedp.WaitVisible(chromedp.CSS("#patient-banner h1")))
	heading := chromeRun(t, tab, "the heading", chromedp.Text(chromedp.CSS("#patient-banner h1"), chromedp.NodeVisible))
	if heading != "Alice Example" {
		t.Errorf("heading %q, want the EHR patient's name", heading)
	}
	loc := chromeRun(t, tab, "the address", chromedp.Location())
	m := chromePatientPath.FindStringSubmatch(loc)
	if m == nil {
		t.Fatalf("landed on %s, not a patient's page", loc)
	}
	id, _ := strconv.ParseInt(m[1], 10, 64)
	if q := e.LastAuthorize(); q.Get("launch") != "xyz" || q.Get("code_challenge_method") != "S256" || q.Get("aud") != e.ISS() {
		t.Errorf("authorization request %v", q)
	}
	if tokens, fails, reads := e.Counts(); tokens != 1 || fails != 0 || reads != 1 {
		t.Errorf("token requests %d, verifier failures %d, patient reads %d; want 1, 0, 1", tokens, fails, reads)
	}
	es, err := env.Store.AuditLog(context.Background(), tendo.AuditFilter{Action: tendo.ActionSMARTLaunch})
	if err != nil {
		t.Fatal(err)
	}
	if len(es) != 1 || es[0].PatientID != id || es[0].UserID != env.User.ID {
		t.Errorf("smart.launch entries %+v, want one for patient %d by user %d", es, id, env.User.ID)
	}
	p, err := env.Store.Patient(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	if p.Name != "Alice Example" || p.ExternalID != "12345" || p.BirthDate != "1981-04-12" || p.ClinicID != env.Clinic.ID {
		t.Errorf("patient made for the launch: %+v", p)
	}
	chromeScreenshot(t, tab, "smart-launch")
}

package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/tendo-health/tendo"
	"github.com/tendo-health/tendo/passwd"
)

// TestBrowserPhoneWidth opens the clinician's pages in a 390 px wide
// window, for a patient whose name and identifier are long unbroken
// words, and checks that none scrolls sideways (issue 10: small): long
// words wrap and wide tables scroll in their own box.
func TestBrowserPhoneWidth(t *testing.T) {
	env := newChromeEnv(t)
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	tab := chromeStart(t, ctx)

	p, err := env.Store.CreatePatient(ctx, tendo.PatientRecord{ClinicID: env.Clinic.ID,
		Name:       "Wolfeschlegelsteinhausenbergerdorff-Konstantinopoulou",
		ExternalID: "MRN-000000000000000000000000000042"})
	if err != nil {
		t.Fatal(err)
	}
	tok := passwd.Token()
	if _, err := env.Store.CreateAPIToken(ctx, env.User.ID, "phone", passwd.TokenHash(tok)); err != nil {
		t.Fatal(err)
	}
	patient := "/patients/" + strconv.FormatInt(p.ID, 10)
	req, _ := http.NewRequestWithContext(ctx, "POST", env.URL+"/api"+patient+"/assessments", bytes.NewReader(caseJSON(t, "mixed-kinetic-chain")))
	req.Header.Set("Authorization", "Bearer "+tok)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var created struct {
		Assessment tendo.StoredAssessment `json:"assessment"`
	}
	err = json.NewDecoder(resp.Body).Decode(&created)
	resp.Body.Close()
	if err != nil || resp.StatusCode != http.StatusCreated {
		t.Fatalf("save an assessment: %d %v", resp.StatusCode, err)
	}
	visit := patient + "/assessments/" + strconv.FormatInt(created.Assessment.ID, 10)

	chromeDo(t, tab, "a phone-sized window", chromedp.EmulateViewport(390, 844))
	width := func(what, path string) {
		t.Helper()
		chromeDo(t, tab, "open "+what, chromedp.Navigate(env.URL+path), chromedp.WaitReady(chromedp.CSS("footer")))
		w := chromeRun(t, tab, "measure "+what, chromedp.Evaluate[int](`document.documentElement.scrollWidth`))
		if w > 390 {
			t.Errorf("%s (%s) is %d px wide at 390 px", what, path, w)
		}
	}
	width("the login page", "/login")
	chromeLogin(t, tab, env)
	chromeDo(t, tab, "a phone-sized window", chromedp.EmulateViewport(390, 844))
	for _, pg := range []struct{ what, path string }{
		{"the patient list", "/"},
		{"the patient page", patient},
		{"the assessment form", patient + "/assessments/new"},
		{"the result page", visit},
		{"the printable report", visit + "/report"},
		{"the account page", "/account"},
		{"the page not found", "/no/such/page"},
	} {
		width(pg.what, pg.path)
	}
}

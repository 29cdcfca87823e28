package web_test

// issue 10: safety. The red-flag badge on the dashboard, in a real
// browser.

import (
	"context"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/tendo-health/tendo"
	"github.com/tendo-health/tendo/intake"
	"github.com/tendo-health/tendo/internal/shared"
	"github.com/tendo-health/tendo/web"
)

// TestBrowserRedFlagBadge: a patient whose last visit is the shared
// cauda equina case (saved through the clinic's service) shows an
// emergency red-flag badge, by name, on the dashboard; a search by the
// identifier finds the patient with the badge, and the row leads to the
// visit, whose red-flag screen and headline follow the rules.
func TestBrowserRedFlagBadge(t *testing.T) {
	var srv *web.Server
	env := newChromeEnv(t, func(s *web.Server) { srv = s })
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()

	data, err := os.ReadFile(shared.Path(t, "cases", "cauda-equina.json"))
	if err != nil {
		t.Fatal(err)
	}
	a, err := intake.Parse(data)
	if err != nil {
		t.Fatal(err)
	}
	u := env.User
	actx := tendo.NewContext(ctx, tendo.Actor{User: &u})
	p, err := srv.Clinic().CreatePatient(actx, tendo.NewPatient{ClinicID: env.Clinic.ID, Name: "Cora Equina", ExternalID: "MRN-CES-1"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := srv.Clinic().CreatePatient(actx, tendo.NewPatient{ClinicID: env.Clinic.ID, Name: "Quiet Patient", ExternalID: "MRN-Q-1"}); err != nil {
		t.Fatal(err)
	}
	visit, _, err := srv.Clinic().CreateVisit(actx, tendo.NewVisit{PatientID: p.ID, Assessment: a, Input: data})
	if err != nil {
		t.Fatal(err)
	}

	tab := chromeStart(t, ctx)
	chromeLogin(t, tab, env)
	row := "#patient-" + strconv.FormatInt(p.ID, 10)
	chromeDo(t, tab, "the patient's row", chromedp.WaitVisible(chromedp.CSS(row+" .badge.flag-emergency")))
	badge := chromeRun(t, tab, "the badge", chromedp.Text(chromedp.CSS(row+" .badge.flag-emergency")))
	if badge != "suspected cauda equina syndrome (emergency)" {
		t.Errorf("badge %q, want the flag by name and urgency", badge)
	}
	class := chromeRun(t, tab, "the row's class", chromedp.Evaluate[string](`document.querySelector('`+row+`').className`))
	if class != "urgent" {
		t.Errorf("the row's class is %q, want urgent", class)
	}
	// The badge is drawn in white on dark red, not left as plain text.
	colours := chromeRun(t, tab, "the badge's colours", chromedp.Evaluate[[]string](`(() => { const s = getComputedStyle(document.querySelector('`+row+` .badge.flag-emergency')); return [s.color, s.backgroundColor]; })()`))
	if len(colours) != 2 || colours[0] != "rgb(255, 255, 255)" || colours[1] == "rgba(0, 0, 0, 0)" {
		t.Errorf("badge colours %q, want white on a filled background", colours)
	}
	others := chromeRun(t, tab, "badges of other patients", chromedp.Evaluate[int](`document.querySelectorAll('#patients .badge.flag-emergency').length`))
	if others != 1 {
		t.Errorf("%d emergency badges on the dashboard, want 1 (the quiet patient has none)", others)
	}
	chromeScreenshot(t, tab, "browser-dashboard-red-flag.png")

	// Search by identifier.
	chromeDo(t, tab, "search", chromedp.SendKeys(chromedp.ID("q"), "mrn-ces"))
	if st := chromeSubmit(t, tab, "submit the search", chromedp.Submit(chromedp.ID("q"))); st != 200 {
		t.Fatalf("search: status %d", st)
	}
	chromeDo(t, tab, "the found row", chromedp.WaitVisible(chromedp.CSS(row+" .badge.flag-emergency")))
	if n := chromeRun(t, tab, "rows found", chromedp.Evaluate[int](`document.querySelectorAll('#patients tr[id^="patient-"]').length`)); n != 1 {
		t.Errorf("the search found %d patients, want 1", n)
	}

	// The last visit's link opens the result: the headline has no site
	// and names no code.
	if st := chromeSubmit(t, tab, "open the last visit", chromedp.Click(chromedp.CSS(row+` a[href$="/assessments/`+strconv.FormatInt(visit.ID, 10)+`"]`))); st != 200 {
		t.Fatalf("open the visit: status %d", st)
	}
	chromeDo(t, tab, "the result", chromedp.WaitVisible(chromedp.ID("red-flag-screen")))
	head := chromeRun(t, tab, "the headline", chromedp.Text(chromedp.CSS(".conclusion .class")))
	if head != "Urgent referral" {
		t.Errorf("headline %q, want %q", head, "Urgent referral")
	}
	if body := chromeRun(t, tab, "the page", chromedp.Text(chromedp.CSS("main"))); strings.Contains(body, "cauda-equina-syndrome") {
		t.Error("the result page shows the flag's code")
	}
	chromeScreenshot(t, tab, "browser-result-red-flag.png")
}

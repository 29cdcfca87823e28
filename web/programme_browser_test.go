package web_test

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/tendo-health/tendo"
	"github.com/tendo-health/tendo/intake"
	"github.com/tendo-health/tendo/web"
)

// TestBrowserHomeProgramme (issue 10, item 5): the clinician chooses a
// home programme from a visit's plan (Alfredson, 12 repetitions, heel
// lifts) and gets its link; the patient opens it on a 390 × 844 phone in
// a browser context of their own, sees a drawing per exercise and no
// sideways scroll, and logs a session; the clinician sees the session on
// the patient page beside the timeline, with the review's proposal.
func TestBrowserHomeProgramme(t *testing.T) {
	var srv *web.Server
	env := newChromeEnv(t, func(s *web.Server) { srv = s })
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()

	// A patient with a midportion visit (its plan offers both loading
	// protocols and heel lifts), made through the services.
	sys := tendo.SystemContext(ctx, "browser test")
	p, err := srv.Clinic().CreatePatient(sys, tendo.NewPatient{ClinicID: env.Clinic.ID, Name: "Robin Phone-Tester", ExternalID: "MRN-PHONE-1"})
	if err != nil {
		t.Fatal(err)
	}
	a, err := intake.Read(bytes.NewReader(caseJSON(t, "runner-midportion")))
	if err != nil {
		t.Fatal(err)
	}
	input, err := intake.Marshal(a)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := srv.Clinic().CreateVisit(sys, tendo.NewVisit{PatientID: p.ID, Assessment: a, Input: input}); err != nil {
		t.Fatal(err)
	}

	tab := chromeStart(t, ctx)
	chromeLogin(t, tab, env)
	patientURL := fmt.Sprintf("%s/patients/%d", env.URL, p.ID)
	chromeDo(t, tab, "open the patient page", chromedp.Navigate(patientURL), chromedp.WaitVisible(chromedp.ID("programmes")))
	chromeDo(t, tab, "open the programme page", chromedp.Click(chromedp.ID("programmes")), chromedp.WaitVisible(chromedp.ID("create-programme")))
	chromeDo(t, tab, "choose Alfredson, 12 repetitions, twice a day, heel lifts",
		chromedp.Click(chromedp.ID("protocol-alfredson")),
		chromedp.Clear(chromedp.ID("dose-reps")), chromedp.SendKeys(chromedp.ID("dose-reps"), "12"),
		chromedp.Clear(chromedp.ID("dose-perweek")), chromedp.SendKeys(chromedp.ID("dose-perweek"), "14"),
		chromedp.Click(chromedp.ID("element-heel-lift")))
	if st := chromeSubmit(t, tab, "create the programme", chromedp.Click(chromedp.ID("create-programme"))); st != 200 {
		body := chromeRun(t, tab, "page text", chromedp.Text(chromedp.CSS("main")))
		t.Fatalf("create the programme: status %d: %s", st, body)
	}
	link := strings.TrimSpace(chromeRun(t, tab, "read the link", chromedp.Text(chromedp.ID("programme-url"))))
	if !strings.HasPrefix(link, env.URL+"/h/") {
		t.Fatalf("programme link %q, want %s/h/<token>", link, env.URL)
	}
	chromeScreenshot(t, tab, "browser-programme-clinician.png")

	// The patient, on a phone, in a browser context of their own.
	phone, cancelPhone := chromedp.NewContext(tab, chromedp.WithNewBrowserContext())
	defer cancelPhone()
	chromeDo(t, phone, "a phone-sized window", chromedp.EmulateViewport(390, 844))
	chromeDo(t, phone, "open the programme", chromedp.Navigate(link), chromedp.WaitVisible(chromedp.ID("log-session")))
	page := chromeRun(t, phone, "measure the page", chromedp.Evaluate[map[string]any](`({
		scrollWidth: document.documentElement.scrollWidth,
		figures: document.querySelectorAll('svg.exercise-figure').length,
		dose: document.getElementById('dose').innerText,
		text: document.querySelector('main').innerText})`))
	if w, _ := page["scrollWidth"].(float64); w > 390 {
		t.Errorf("the programme page is %v px wide on a 390 px phone: it scrolls sideways", w)
	}
	if n, _ := page["figures"].(float64); n != 2 {
		t.Errorf("%v drawings, want 2 (knee straight and knee bent)", n)
	}
	if d, _ := page["dose"].(string); !strings.Contains(d, "3 sets of 12") || !strings.Contains(d, "twice a day") {
		t.Errorf("dose %q, want 3 sets of 12, twice a day", d)
	}
	text, _ := page["text"].(string)
	for _, bad := range []string{"Phone-Tester", "MRN-PHONE-1", "Alfredson", "Source", "NSAID", "paracetamol"} {
		if strings.Contains(text, bad) {
			t.Errorf("the patient's page shows %q", bad)
		}
	}
	if !strings.Contains(text, "Robin") || !strings.Contains(text, "Heel lifts") || !strings.Contains(text, "5 out of 10") {
		t.Errorf("the patient's page lacks the first name, the heel lifts or the pain rule:\n%s", text)
	}
	chromeScreenshot(t, phone, "browser-programme-phone-390.png")
	chromeDo(t, phone, "log pain 4 during and 2 the next morning",
		chromedp.Click(chromedp.ID("during-4")), chromedp.Click(chromedp.ID("morning-2")))
	if st := chromeSubmit(t, phone, "save the session", chromedp.Click(chromedp.ID("log-session"))); st != 200 {
		body := chromeRun(t, phone, "page text", chromedp.Text(chromedp.CSS("main")))
		t.Fatalf("save the session: status %d: %s", st, body)
	}
	chromeDo(t, phone, "saved", chromedp.WaitVisible(chromedp.ID("saved")))
	today := time.Now().UTC().Format(time.DateOnly)
	mine := chromeRun(t, phone, "the patient's log", chromedp.Evaluate[[][]string](`Array.from(document.querySelectorAll('#my-log tr')).slice(1).map(tr => Array.from(tr.cells, td => td.innerText.trim()))`))
	if len(mine) != 1 || mine[0][0] != today || mine[0][1] != "4" || mine[0][2] != "2" {
		t.Errorf("the patient's log %q, want [[%s 4 2]]", mine, today)
	}
	cancelPhone()

	// The clinician sees the session beside the timeline.
	chromeDo(t, tab, "reload the patient page", chromedp.Navigate(patientURL), chromedp.WaitVisible(chromedp.CSS(".programme-log")))
	rows := chromeRun(t, tab, "the programme log", chromedp.Evaluate[[][]string](`Array.from(document.querySelectorAll('.programme-log tr')).slice(1).map(tr => Array.from(tr.cells, td => td.innerText.trim()))`))
	if len(rows) != 1 || rows[0][0] != today || rows[0][1] != "4" || rows[0][2] != "2" {
		t.Errorf("the clinician's programme log %q, want [[%s 4 2]]", rows, today)
	}
	proposal := chromeRun(t, tab, "the proposal", chromedp.Text(chromedp.CSS(".proposal")))
	if !strings.Contains(proposal, "Review proposal: too few sessions to judge") {
		t.Errorf("proposal %q, want too-few after one session", proposal)
	}
	if w := chromeRun(t, tab, "the log chart", chromedp.Evaluate[int](`(() => { const i = document.querySelector('.programme-log img'); return i.complete ? i.naturalWidth : -1 })()`)); w <= 0 {
		t.Errorf("the pain-log chart did not load (natural width %d)", w)
	}
	chromeScreenshot(t, tab, "browser-programme-patient-page.png")
}

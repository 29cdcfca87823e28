package web_test

// Issue 10: amending an assessment in a real browser, and its audit entry.

import (
	"context"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/tendo-health/tendo"
)

// TestBrowserAmendAssessment: a clinician saves an assessment with the
// wrong pain site, opens "Amend" from its result page, finds the form
// filled in with the visit, is asked for a reason, gives one, and lands
// on the new version; the old one is kept, marked amended and linked to
// the new one; the timeline shows the new one only; and the audit log
// holds the amendment with its reason.
func TestBrowserAmendAssessment(t *testing.T) {
	env := newChromeEnv(t)
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	tab := chromeStart(t, ctx)

	chromeLogin(t, tab, env)
	patientPage, patientID := chromeNewPatient(t, ctx, tab, env, "Amend Browser", "MRN-AMEND-1")
	date := time.Now().UTC().Format("2006-01-02")
	chromeEnterAssessment(t, tab, url.Values{"date": {date}, "patient.ageYears": {"52"}, "history.painSite": {"midportion"}, "exam.arcSign": {"positive"}}, "an assessment with the wrong pain site")
	oldID := chromeSubmitAssessment(t, tab, patientID)
	oldPage := patientPage + "/assessments/" + strconv.FormatInt(oldID, 10)

	// From the result page to the amend form, filled in with the visit.
	chromeDo(t, tab, "open the corrections", chromedp.Click(chromedp.CSS("#correct summary")), chromedp.WaitVisible(chromedp.ID("amend")))
	chromeDo(t, tab, "open the amend form", chromedp.Click(chromedp.ID("amend")), chromedp.WaitVisible(chromedp.ID("amend-reason")))
	prefilled := chromeRun(t, tab, "read the amend form", chromedp.Evaluate[map[string]string](`(() => {
		const v = n => document.querySelector('form.assessment [name="' + n + '"]').value;
		return {date: v('date'), age: v('patient.ageYears'), site: v('history.painSite'), arc: v('exam.arcSign'), reason: v('reason')};
	})()`))
	want := map[string]string{"date": date, "age": "52", "site": "midportion", "arc": "positive", "reason": ""}
	for k, w := range want {
		if prefilled[k] != w {
			t.Errorf("amend form: %s is %q, want %q (the visit's)", k, prefilled[k], w)
		}
	}

	// Without a reason the form comes back, with the change kept.
	chromeDo(t, tab, "correct the pain site", chromedp.SetValue(chromedp.CSS(`form.assessment [name="history.painSite"]`), "insertion"))
	if st := chromeSubmit(t, tab, "amend without a reason", chromedp.Click(chromedp.ID("submit-assessment"))); st != 422 {
		t.Fatalf("amend without a reason: status %d, want 422", st)
	}
	msg := chromeRun(t, tab, "the reason's error", chromedp.Text(chromedp.ID("e-reason"), chromedp.NodeVisible))
	if !strings.Contains(msg, "Say why") {
		t.Errorf("the reason's error says %q", msg)
	}
	if site := chromeRun(t, tab, "the kept pain site", chromedp.Evaluate[string](`document.querySelector('form.assessment [name="history.painSite"]').value`)); site != "insertion" {
		t.Errorf("after the refusal the pain site is %q, want the corrected insertion", site)
	}
	const reason = "Pain site entered as midportion; it is at the insertion"
	chromeDo(t, tab, "give the reason", chromedp.SendKeys(chromedp.ID("amend-reason"), reason))
	if st := chromeSubmit(t, tab, "save the amendment", chromedp.Click(chromedp.ID("submit-assessment"))); st != 200 {
		body := chromeRun(t, tab, "page text", chromedp.Text(chromedp.CSS("main")))
		t.Fatalf("save the amendment: status %d: %s", st, body)
	}
	chromeDo(t, tab, "the new version", chromedp.WaitVisible(chromedp.ID("previous-version")))
	loc := chromeRun(t, tab, "location", chromedp.Location())
	m := chromeResultPath.FindStringSubmatch(strings.SplitN(loc, "?", 2)[0])
	if m == nil || m[2] == strconv.FormatInt(oldID, 10) {
		t.Fatalf("after the amendment the browser is at %s, not a new version", loc)
	}
	newID, _ := strconv.ParseInt(m[2], 10, 64)
	if text := chromeRun(t, tab, "the amendment note", chromedp.Text(chromedp.ID("amendment"))); !strings.Contains(text, reason) {
		t.Errorf("the new version's note says %q, want the reason", text)
	}
	chromeScreenshot(t, tab, "browser-amended-new-version.png")

	// The stored versions.
	old, err := env.Store.Assessment(ctx, oldID)
	if err != nil || old.SupersededBy != newID || !strings.Contains(string(old.Input), `"painSite":"midportion"`) {
		t.Errorf("the old version: superseded by %d (want %d), input %s, %v", old.SupersededBy, newID, old.Input, err)
	}
	next, err := env.Store.Assessment(ctx, newID)
	if err != nil || next.Amends != oldID || next.AmendReason != reason || !strings.Contains(string(next.Input), `"painSite":"insertion"`) {
		t.Errorf("the new version: %+v, %v", next, err)
	}

	// The audit entry of the amendment, by this clinician, with the
	// reason.
	es, err := env.Store.AuditLog(ctx, tendo.AuditFilter{Action: tendo.ActionAssessmentAmend})
	if err != nil {
		t.Fatal(err)
	}
	if len(es) != 1 {
		t.Fatalf("%d assessment.amend entries, want 1: %+v", len(es), es)
	}
	e := es[0]
	wantDetail := "assessment " + strconv.FormatInt(oldID, 10) + " amended by assessment " + strconv.FormatInt(newID, 10) + "; reason: " + reason
	if e.Detail != wantDetail || e.UserID != env.User.ID || e.PatientID != patientID || e.Addr == "" || !strings.Contains(e.UserAgent, "Chrome") {
		t.Errorf("amend entry %+v, want detail %q by user %d for patient %d from the browser", e, wantDetail, env.User.ID, patientID)
	}

	// The old version stays readable, marked amended, linking to the new.
	chromeDo(t, tab, "open the old version", chromedp.Navigate(oldPage), chromedp.WaitVisible(chromedp.ID("amended")))
	href := chromeRun(t, tab, "the link to the new version", chromedp.Evaluate[string](`document.getElementById('latest-version').getAttribute('href')`))
	if want := patientPage[strings.Index(patientPage, "/patients/"):] + "/assessments/" + strconv.FormatInt(newID, 10); href != want {
		t.Errorf("the old version links to %q, want %q", href, want)
	}
	chromeScreenshot(t, tab, "browser-amended-old-version.png")

	// The timeline lists the new version only; the old one is among the
	// corrected assessments.
	chromeDo(t, tab, "open the patient page", chromedp.Navigate(patientPage), chromedp.WaitVisible(chromedp.ID("corrected-table")))
	links := chromeRun(t, tab, "the timeline's assessments", chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll('#timeline-table a'), a => a.getAttribute('href'))`))
	if len(links) != 1 || !strings.HasSuffix(links[0], "/assessments/"+strconv.FormatInt(newID, 10)) {
		t.Errorf("the timeline links %q, want the new version only", links)
	}
}

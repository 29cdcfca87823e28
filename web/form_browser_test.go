package web_test

// The quick and forgiving form in a real browser (issue 10: form): an
// error near the bottom of the form leaves the focus on the summary at
// the top; a new visit starts from the last one.

import (
	"context"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/tendo-health/tendo"
	"github.com/tendo-health/tendo/passwd"
)

// chromeUnfold opens every folded section of the assessment form, as a
// clinician does by clicking its title.
func chromeUnfold(t *testing.T, tab context.Context) {
	t.Helper()
	ids := chromeRun(t, tab, "list the folded sections", chromedp.Evaluate[[]string](
		`Array.from(document.querySelectorAll('form.assessment details:not([open])'), d => d.id)`))
	for _, id := range ids {
		chromeDo(t, tab, "unfold "+id, chromedp.Click(chromedp.CSS(fmt.Sprintf(`#%s > summary`, id))))
	}
	if n := chromeRun(t, tab, "count the folded sections", chromedp.Evaluate[int](`document.querySelectorAll('form.assessment details:not([open])').length`)); n != 0 {
		t.Fatalf("%d sections still folded", n)
	}
}

// TestBrowserFormErrorSummary enters a visit with one bad value in the
// gait section, at the bottom of the form: the answer opens with the
// focus on the error summary at the top, the field is marked invalid and
// described by its message, the summary's link leads to it, and
// everything typed (buttons pressed, the note) is still there.
func TestBrowserFormErrorSummary(t *testing.T) {
	env := newChromeEnv(t)
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	tab := chromeStart(t, ctx)
	chromeLogin(t, tab, env)
	_, patientID := chromeNewPatient(t, ctx, tab, env, "Erin Error", "MRN-ERR-1")

	today := time.Now().UTC().Format(time.DateOnly)
	chromeEnterAssessment(t, tab, url.Values{
		"date": {today}, "patient.ageYears": {"52"}, "side": {"left"},
		"history.saddleAnesthesia": {"false"}, "history.fever": {"true"}, "exam.arcSign": {"positive"},
		"gait.cadenceStepsPerMin": {"fast"},
	}, "a visit with a bad cadence")
	chromeDo(t, tab, "write a note", chromedp.SendKeys(chromedp.ID("f-note"), "Hops 6/10.\nReview in two weeks."))
	// The submit button is below the gait section: the clinician is at
	// the bottom of the page.
	if st := chromeSubmit(t, tab, "submit", chromedp.Click(chromedp.ID("submit-assessment"))); st != 422 {
		t.Fatalf("submit: status %d, want 422", st)
	}
	chromeDo(t, tab, "the error summary", chromedp.WaitVisible(chromedp.ID("error-summary")))

	type state struct {
		Active    string  `json:"active"`
		SummaryY  float64 `json:"summaryY"`
		ViewportH float64 `json:"viewportH"`
		Invalid   string  `json:"invalid"`
		Described string  `json:"described"`
		Message   string  `json:"message"`
		Fever     string  `json:"fever"`
		Saddle    string  `json:"saddle"`
		Note      string  `json:"note"`
	}
	got := chromeRun(t, tab, "read the page", chromedp.Evaluate[state](`(() => {
		const f = document.getElementById('f-gait.cadenceStepsPerMin');
		const checked = n => (document.querySelector('input[name="' + n + '"]:checked') || {}).value;
		return {
			active: document.activeElement ? document.activeElement.id : '',
			summaryY: document.getElementById('error-summary').getBoundingClientRect().top,
			viewportH: window.innerHeight,
			invalid: f.getAttribute('aria-invalid') || '',
			described: f.getAttribute('aria-describedby') || '',
			message: (document.getElementById('e-gait.cadenceStepsPerMin') || {}).textContent || '',
			fever: checked('history.fever'), saddle: checked('history.saddleAnesthesia'),
			note: document.getElementById('f-note').value,
		};
	})()`))
	if got.Active != "error-summary" {
		t.Errorf("the focus is on %q, want the error summary", got.Active)
	}
	if got.SummaryY < 0 || got.SummaryY > got.ViewportH {
		t.Errorf("the summary is at %.0f px, outside the %.0f px viewport", got.SummaryY, got.ViewportH)
	}
	if got.Invalid != "true" || !strings.Contains(got.Described, "e-gait.cadenceStepsPerMin") || !strings.Contains(got.Message, "fast") {
		t.Errorf("the cadence input: aria-invalid %q, aria-describedby %q, message %q", got.Invalid, got.Described, got.Message)
	}
	if got.Fever != "true" || got.Saddle != "false" || got.Note != "Hops 6/10.\nReview in two weeks." {
		t.Errorf("what was typed came back as fever %q, saddle anaesthesia %q, note %q", got.Fever, got.Saddle, got.Note)
	}
	chromeScreenshot(t, tab, "browser-form-error-summary.png")

	// The summary's link leads to the field.
	chromeDo(t, tab, "follow the summary's link", chromedp.Click(chromedp.CSS(`#error-summary a[href="#f-gait.cadenceStepsPerMin"]`)))
	y := chromeRun(t, tab, "where the field is", chromedp.Evaluate[float64](`document.getElementById('f-gait.cadenceStepsPerMin').getBoundingClientRect().top`))
	if h := chromeRun(t, tab, "viewport", chromedp.Evaluate[float64](`window.innerHeight`)); y < 0 || y > h {
		t.Errorf("after the summary's link the field is at %.0f px, outside the %.0f px viewport", y, h)
	}

	// Corrected, the visit saves with its note.
	cadence := chromedp.CSS(`input[name="gait.cadenceStepsPerMin"]`) // an id with a dot is no #selector
	chromeDo(t, tab, "correct the cadence", chromedp.Clear(cadence), chromedp.SendKeys(cadence, "170"))
	aid := chromeSubmitAssessment(t, tab, patientID)
	st, err := env.Store.Assessment(ctx, aid)
	if err != nil || st.Note != "Hops 6/10.\nReview in two weeks." {
		t.Errorf("stored note %q, %v", st.Note, err)
	}
	if note := chromeRun(t, tab, "the note on the result page", chromedp.Text(chromedp.CSS("#clinical-note .note-text"))); !strings.Contains(note, "Review in two weeks.") {
		t.Errorf("the result page's note is %q", note)
	}
}

// TestBrowserStartFromLastVisit saves a visit, has the patient answer a
// VISA-A link, and starts the next visit from the last one: the side,
// sex, height, weight, activity, conditions and drugs are filled in, the
// VISA-A the patient sent is offered as the outcome score, the complaint
// is blank, and the visit saves.
func TestBrowserStartFromLastVisit(t *testing.T) {
	env := newChromeEnv(t)
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	tab := chromeStart(t, ctx)
	chromeLogin(t, tab, env)
	patientURL, patientID := chromeNewPatient(t, ctx, tab, env, "Lee Again", "MRN-AGAIN-1")

	stable := url.Values{
		"side": {"right"}, "patient.sex": {"male"}, "patient.heightCm": {"182"}, "patient.weightKg": {"79"},
		"patient.activityLevel": {"recreational"}, "patient.runner": {"true"},
		"history.diabetes": {"false"}, "history.systemicCorticosteroids": {"false"}, "history.fluoroquinoloneLast6Months": {"true"},
	}
	first := url.Values{"date": {time.Now().UTC().AddDate(0, 0, -14).Format(time.DateOnly)}, "patient.ageYears": {"52"},
		"history.painSite": {"midportion"}, "exam.arcSign": {"positive"}}
	for k, v := range stable {
		first[k] = v
	}
	chromeEnterAssessment(t, tab, first, "the first visit")
	chromeSubmitAssessment(t, tab, patientID)

	// The patient answers a VISA-A link after the visit.
	token := passwd.Token()
	now := time.Now()
	if _, err := env.Store.CreateLink(ctx, tendo.QuestionnaireLink{PatientID: patientID, ClinicID: env.Clinic.ID, Instrument: tendo.InstrumentVISAA,
		CreatedBy: env.User.ID, CreatedAt: now, ExpiresAt: now.Add(24 * time.Hour)}, passwd.TokenHash(token)); err != nil {
		t.Fatal(err)
	}
	patient, cancelPatient := chromedp.NewContext(tab, chromedp.WithNewBrowserContext())
	defer cancelPatient()
	chromeDo(t, patient, "open the questionnaire", chromedp.Navigate(env.URL+"/q/"+token), chromedp.WaitVisible(chromedp.ID("submit-questionnaire")))
	chromeAnswerVISAA(t, patient)
	if st := chromeSubmit(t, patient, "send the answers", chromedp.Click(chromedp.ID("submit-questionnaire"))); st != 200 {
		t.Fatalf("send the answers: status %d", st)
	}
	cancelPatient()

	// The next visit starts from the last one.
	chromeDo(t, tab, "the patient page", chromedp.Navigate(patientURL), chromedp.WaitVisible(chromedp.ID("new-assessment")))
	chromeDo(t, tab, "open the assessment form", chromedp.Click(chromedp.ID("new-assessment")), chromedp.WaitVisible(chromedp.ID("start-from-last")))
	if st := chromeSubmit(t, tab, "start from the last visit", chromedp.Click(chromedp.ID("start-from-last"))); st != 200 {
		t.Fatalf("start from the last visit: status %d", st)
	}
	chromeDo(t, tab, "the notice", chromedp.WaitVisible(chromedp.ID("start-notice")))
	got := chromeRun(t, tab, "read the form", chromedp.Evaluate[map[string][]string](fmt.Sprintf(chromeFormListJS, "form.assessment")))
	want := url.Values{"date": {time.Now().UTC().Format(time.DateOnly)}, "patient.ageYears": {"52"}, "proms.visaA.score": {strconv.Itoa(chromeVISAAScore)}}
	for k, v := range stable {
		want[k] = v
	}
	for k, v := range want {
		if strings.Join(got[k], ",") != strings.Join(v, ",") {
			t.Errorf("%s holds %q, want %q", k, got[k], v)
		}
	}
	for k, v := range got {
		if _, ok := want[k]; !ok {
			t.Errorf("%s holds %q, which is not a stable fact (the complaint and examination are the new visit's)", k, v)
		}
	}
	notice := chromeRun(t, tab, "the notice", chromedp.Text(chromedp.ID("start-notice")))
	if !strings.Contains(notice, "Started from the visit of "+first.Get("date")) || !strings.Contains(notice, "VISA-A "+strconv.Itoa(chromeVISAAScore)) {
		t.Errorf("the notice says %q", notice)
	}
	chromeScreenshot(t, tab, "browser-form-start-from-last.png")

	aid := chromeSubmitAssessment(t, tab, patientID)
	st, err := env.Store.Assessment(ctx, aid)
	if err != nil || st.VISAA == nil || *st.VISAA != chromeVISAAScore {
		t.Errorf("the second visit's VISA-A is %v (%v), want %d", st.VISAA, err, chromeVISAAScore)
	}
	entries, err := env.Store.AuditLog(ctx, tendo.AuditFilter{Action: tendo.ActionAssessmentRead, Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	audited := false
	for _, e := range entries {
		audited = audited || (e.PatientID == patientID && strings.HasPrefix(e.Detail, "start from the last visit: assessment "))
	}
	if !audited {
		t.Errorf("no audit entry for starting from the last visit among %d reads", len(entries))
	}
}

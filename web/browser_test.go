package web_test

// Browser tests: a real Chromium (Debian's, driven by chromedp) against an
// in-process server. They skip when Chromium is missing, except under CI
// (TENDO_CI set), where a skip would hide a missing install step.

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"image/png"
	"log/slog"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/tendo-health/tendo"
	"github.com/tendo-health/tendo/assess"
	"github.com/tendo-health/tendo/internal/shared"
	"github.com/tendo-health/tendo/passwd"
	"github.com/tendo-health/tendo/questionnaire"
	"github.com/tendo-health/tendo/sqlstore"
	"github.com/tendo-health/tendo/web"
)

// chromeEnv is an in-process server seeded with a clinic and a clinician.
type chromeEnv struct {
	URL      string
	Store    *sqlstore.DB
	Clinic   tendo.Clinic
	User     tendo.User
	Password string
}

// syncBuffer collects the server's log for a failing test.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// newChromeEnv starts the server; setup, when given, configures it
// before it serves (the gait test gives it the gait analysis and plot).
func newChromeEnv(t *testing.T, setup ...func(*web.Server)) *chromeEnv {
	t.Helper()
	ctx := context.Background()
	store, err := sqlstore.OpenSQLite(ctx, filepath.Join(t.TempDir(), "browser.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	eng, err := assess.New()
	if err != nil {
		t.Fatal(err)
	}
	var logs syncBuffer
	srv, err := web.New(store, eng, slog.New(slog.NewTextHandler(&logs, nil)))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range setup {
		f(srv)
	}
	ts := httptest.NewServer(srv)
	t.Cleanup(func() {
		ts.Close()
		if t.Failed() && logs.String() != "" {
			t.Logf("server log:\n%s", logs.String())
		}
	})
	clinic, err := store.CreateClinic(ctx, "Browser Test Clinic")
	if err != nil {
		t.Fatal(err)
	}
	const pw = "a long browser test password"
	hash, err := passwd.Hash(pw)
	if err != nil {
		t.Fatal(err)
	}
	u, err := store.CreateUser(ctx, tendo.User{Email: "browser.clinician@clinic.test", Name: "Dr Browser", Role: tendo.RoleClinician, PasswordHash: hash, ClinicIDs: []int64{clinic.ID}})
	if err != nil {
		t.Fatal(err)
	}
	return &chromeEnv{URL: ts.URL, Store: store, Clinic: clinic, User: u, Password: pw}
}

// chromiumPath returns $CHROMIUM or /usr/bin/chromium. Without it the
// test skips, or fails when TENDO_CI is set.
func chromiumPath(t *testing.T) string {
	t.Helper()
	p := os.Getenv("CHROMIUM")
	if p == "" {
		p = "/usr/bin/chromium"
	}
	if _, err := exec.LookPath(p); err != nil {
		if os.Getenv("TENDO_CI") != "" {
			t.Fatalf("chromium is not installed (%v); TENDO_CI is set, so the browser tests must run", err)
		}
		t.Skipf("chromium is not installed (%v); set CHROMIUM to its path", err)
	}
	return p
}

// chromeStart starts a headless Chromium with a new empty profile and
// returns a context for its first tab. Everything ends with parent or
// when the test ends.
func chromeStart(t *testing.T, parent context.Context) context.Context {
	t.Helper()
	exe := chromiumPath(t)
	profile, err := os.MkdirTemp("", "tendo-chromium-")
	if err != nil {
		t.Fatal(err)
	}
	var out syncBuffer
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(parent,
		chromedp.ExecPath(exe),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-extensions", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.UserDataDir(profile),
		chromedp.WindowSize(1280, 900),
		chromedp.CombinedOutput(&out),
	)
	ctx, cancel := chromedp.NewContext(allocCtx)
	t.Cleanup(func() {
		cancel()
		cancelAlloc() // waits for the browser to exit
		// Chromium's helpers may still write in the profile for a moment.
		for i := 0; ; i++ {
			if err := os.RemoveAll(profile); err == nil || i == 50 {
				break
			}
			time.Sleep(50 * time.Millisecond)
		}
	})
	if err := chromedp.Do(ctx); err != nil { // starts the browser
		t.Fatalf("start chromium %s: %v\n%s", exe, err, out.String())
	}
	return ctx
}

// chromeDo runs actions and fails the test on an error.
func chromeDo(t *testing.T, ctx context.Context, what string, actions ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	if err := chromedp.Do(ctx, actions...); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

// chromeRun runs one action and returns its value, failing on an error.
func chromeRun[T any](t *testing.T, ctx context.Context, what string, a chromedp.Action[T]) T {
	t.Helper()
	v, err := chromedp.Run(ctx, a)
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	return v
}

// chromeSubmit clicks a submit button and waits for the page it leads
// to, returning that page's HTTP status.
func chromeSubmit(t *testing.T, ctx context.Context, what string, sel chromedp.Action[chromedp.Void]) int64 {
	t.Helper()
	resp, err := chromedp.RunResponse(ctx, sel)
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	return resp.Status
}

// chromeArtifactsDir is $TENDO_ARTIFACTS, or artifacts/ at the repository
// root (created when missing).
func chromeArtifactsDir(t *testing.T) string {
	t.Helper()
	dir := os.Getenv("TENDO_ARTIFACTS")
	if dir == "" {
		wd, err := os.Getwd()
		if err != nil {
			t.Fatal(err)
		}
		root := wd
		for {
			if _, err := os.Stat(filepath.Join(root, "go.mod")); err == nil {
				break
			}
			if filepath.Dir(root) == root {
				t.Fatalf("no go.mod above %s", wd)
			}
			root = filepath.Dir(root)
		}
		dir = filepath.Join(root, "artifacts")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

// chromeScreenshot saves a full-page PNG screenshot into the artifacts
// directory and logs its path.
func chromeScreenshot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	chromeSaveScreenshot(t, name, chromeRun(t, ctx, "screenshot "+name, chromedp.FullScreenshot(100))) // quality 100: PNG
}

// chromeSaveScreenshot saves a PNG screenshot into the artifacts
// directory and logs its path.
func chromeSaveScreenshot(t *testing.T, name string, buf []byte) {
	t.Helper()
	cfg, err := png.DecodeConfig(bytes.NewReader(buf))
	if err != nil {
		t.Fatalf("screenshot %s is not a PNG: %v", name, err)
	}
	path := filepath.Join(chromeArtifactsDir(t), name)
	if err := os.WriteFile(path, buf, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot: %s (%d×%d)", path, cfg.Width, cfg.Height)
}

// chromeFormValuesJS returns the non-empty values of a form, by name.
const chromeFormValuesJS = `(() => {
	const out = {};
	for (const [k, v] of new FormData(document.querySelector(%q))) {
		if (k !== 'csrf' && k !== 'idempotencyKey' && v !== '') out[k] = v;
	}
	return out;
})()`

// chromeVISAA are the VISA-A answers the patient gives: items 1–6 on
// their 0–10 scales, item 7 "train fully, but not as well" (7 points),
// item 8 branch B for 11–20 minutes (10 points): 33 + 7 + 10 = 50.
var chromeVISAA = []string{"6", "5", "7", "6", "4", "5", "7", "B:10"}

const chromeVISAAScore = 50

// chromeWantClass is the classification title of the s1-mimic case.
const chromeWantClass = "Referred from the lumbar spine (S1)"

// chromeAnswerVISAA clicks the answers of the VISA-A form on the page.
func chromeAnswerVISAA(t *testing.T, ctx context.Context) {
	t.Helper()
	form, ok := questionnaire.For(tendo.InstrumentVISAA)
	if !ok || len(form.Items) != len(chromeVISAA) {
		t.Fatalf("the VISA-A form has %d items, want %d", len(form.Items), len(chromeVISAA))
	}
	for i, it := range form.Items {
		found := false
		for _, c := range it.Choices {
			found = found || c.FormValue() == chromeVISAA[i]
		}
		if !found {
			t.Fatalf("VISA-A item %s has no choice %q", it.Key, chromeVISAA[i])
		}
		sel := fmt.Sprintf(`input[type=radio][name=%q][value=%q]`, it.Key, chromeVISAA[i])
		chromeDo(t, ctx, "answer "+it.Key, chromedp.Click(chromedp.CSS(sel)))
	}
	checked := chromeRun(t, ctx, "read the answers", chromedp.Evaluate[map[string]string](fmt.Sprintf(chromeFormValuesJS, "form.questionnaire")))
	for i, it := range form.Items {
		if checked[it.Key] != chromeVISAA[i] {
			t.Fatalf("VISA-A %s: the form holds %q, want %q", it.Key, checked[it.Key], chromeVISAA[i])
		}
	}
}

var chromePatientPath = regexp.MustCompile(`/patients/(\d+)$`)
var chromeResultPath = regexp.MustCompile(`/patients/(\d+)/assessments/(\d+)$`)

// chromeLogin logs the clinician in through the login form.
func chromeLogin(t *testing.T, tab context.Context, env *chromeEnv) {
	t.Helper()
	chromeDo(t, tab, "open the login page", chromedp.Navigate(env.URL+"/"), chromedp.WaitVisible(chromedp.ID("login")))
	chromeDo(t, tab, "fill the login form",
		chromedp.SendKeys(chromedp.CSS(`input[name=email]`), env.User.Email),
		chromedp.SendKeys(chromedp.CSS(`input[name=password]`), env.Password))
	if st := chromeSubmit(t, tab, "log in", chromedp.Click(chromedp.ID("login"))); st != 200 {
		t.Fatalf("log in: status %d", st)
	}
	chromeDo(t, tab, "the patient list", chromedp.WaitVisible(chromedp.ID("new-patient")))
}

// chromeNewPatient creates a patient through the form, from the patient
// list, and returns the patient page's address and the patient's id.
func chromeNewPatient(t *testing.T, ctx, tab context.Context, env *chromeEnv, name, mrn string) (string, int64) {
	t.Helper()
	chromeDo(t, tab, "open the new patient form", chromedp.Click(chromedp.ID("new-patient")), chromedp.WaitVisible(chromedp.ID("create-patient")))
	birthYear := time.Now().Year() - 52
	chromeDo(t, tab, "fill the new patient form",
		chromedp.SetValue(chromedp.CSS(`select[name=clinicId]`), strconv.FormatInt(env.Clinic.ID, 10)),
		chromedp.SendKeys(chromedp.CSS(`input[name=name]`), name),
		chromedp.SendKeys(chromedp.CSS(`input[name=externalId]`), mrn),
		chromedp.SendKeys(chromedp.CSS(`input[name=birthYear]`), strconv.Itoa(birthYear)))
	if st := chromeSubmit(t, tab, "create the patient", chromedp.Click(chromedp.ID("create-patient"))); st != 200 {
		t.Fatalf("create the patient: status %d", st)
	}
	chromeDo(t, tab, "the patient page", chromedp.WaitVisible(chromedp.ID("new-assessment")))
	loc := chromeRun(t, tab, "location", chromedp.Location())
	m := chromePatientPath.FindStringSubmatch(loc)
	if m == nil {
		t.Fatalf("after creating the patient the browser is at %s, not a patient page", loc)
	}
	patientID, _ := strconv.ParseInt(m[1], 10, 64)
	if p, err := env.Store.Patient(ctx, patientID); err != nil || p.Name != name || p.ExternalID != mrn || p.BirthYear != birthYear {
		t.Fatalf("stored patient %d: %+v, %v", patientID, p, err)
	}
	return loc, patientID
}

// chromeFormListJS returns the non-empty values of a form, by name, each
// name with all its values (a checkbox group has one per ticked box).
const chromeFormListJS = `(() => {
	const out = {};
	for (const [k, v] of new FormData(document.querySelector(%q))) {
		if (k !== 'csrf' && k !== 'idempotencyKey' && v !== '') (out[k] ||= []).push(v);
	}
	return out;
})()`

// chromeEnterAssessment opens the assessment form from the patient page
// and enters the fields as a clinician does: chooses in a select, ticks
// the checkboxes of a group (areas, root compressions, "none"), types in
// the other inputs. It then checks that the form holds exactly the
// fields, nothing more and nothing less.
func chromeEnterAssessment(t *testing.T, tab context.Context, fields url.Values, what string) {
	t.Helper()
	chromeDo(t, tab, "open the assessment form", chromedp.Click(chromedp.ID("new-assessment")), chromedp.WaitVisible(chromedp.ID("submit-assessment")))
	chromeUnfold(t, tab) // issue 10: form
	type control struct {
		Tag     string   `json:"tag"`
		Type    string   `json:"type"`
		Options []string `json:"options"` // of a select, or the values of a checkbox group
	}
	controls := chromeRun(t, tab, "list the form's inputs", chromedp.Evaluate[map[string]control](`(() => {
		const out = {};
		for (const el of document.querySelectorAll('form.assessment [name]')) {
			const c = out[el.name] ||= {tag: el.tagName.toLowerCase(), type: el.type || '', options: []};
			if (el.tagName === 'SELECT') c.options = Array.from(el.options, o => o.value);
			else if (el.type === 'checkbox' || el.type === 'radio') c.options.push(el.value);
		}
		return out;
	})()`))
	for path, vs := range fields {
		c, ok := controls[path]
		if !ok {
			t.Errorf("the assessment form has no input named %q (the case sets it to %q)", path, vs)
			continue
		}
		if c.Type != "checkbox" && len(vs) != 1 {
			t.Errorf("%s: %d values for a %s %s", path, len(vs), c.Type, c.Tag)
			continue
		}
		sel := chromedp.CSS(fmt.Sprintf(`form.assessment [name=%q]`, path))
		switch {
		case c.Type == "checkbox":
			for _, v := range vs {
				if !slices.Contains(c.Options, v) {
					t.Errorf("the checkboxes %s have no value %q (values %q)", path, v, c.Options)
					continue
				}
				box := chromedp.CSS(fmt.Sprintf(`form.assessment input[type=checkbox][name=%q][value=%q]`, path, v))
				chromeDo(t, tab, "tick "+path+" "+v, chromedp.Click(box))
			}
		case c.Type == "radio": // issue 10: form, yes/no as segmented buttons
			if !slices.Contains(c.Options, vs[0]) {
				t.Errorf("the buttons %s have no value %q (values %q)", path, vs[0], c.Options)
				continue
			}
			chromeDo(t, tab, "press "+path+" "+vs[0], chromedp.Click(chromedp.CSS(fmt.Sprintf(`form.assessment input[type=radio][name=%q][value=%q]`, path, vs[0]))))
		case c.Tag == "select":
			if !slices.Contains(c.Options, vs[0]) {
				t.Errorf("select %s has no option %q (options %q)", path, vs[0], c.Options)
				continue
			}
			chromeDo(t, tab, "choose "+path, chromedp.SetValue(sel, vs[0]))
		case c.Type == "date":
			// A date input's typing depends on the locale; set its value.
			chromeDo(t, tab, "set "+path, chromedp.SetValue(sel, vs[0]))
		default:
			chromeDo(t, tab, "type "+path, chromedp.Clear(sel), chromedp.SendKeys(sel, vs[0]))
		}
	}
	if t.Failed() {
		t.FailNow()
	}
	// The form holds exactly the case, nothing more and nothing less.
	got := chromeRun(t, tab, "read the form", chromedp.Evaluate[map[string][]string](fmt.Sprintf(chromeFormListJS, "form.assessment")))
	for path, want := range fields {
		g := slices.Sorted(slices.Values(got[path]))
		w := slices.Sorted(slices.Values(want))
		if !slices.Equal(g, w) {
			t.Errorf("form field %s holds %q, want %q", path, g, w)
		}
	}
	for path, v := range got {
		if _, ok := fields[path]; !ok {
			t.Errorf("form field %s holds %q, which the case does not set", path, v)
		}
	}
	if t.Failed() {
		t.FailNow()
	}
	t.Logf("entered %d fields of %s through the form", len(fields), what)
}

// chromeSubmitAssessment submits the assessment form and returns the id
// of the assessment whose result page it leads to.
func chromeSubmitAssessment(t *testing.T, tab context.Context, patientID int64) int64 {
	t.Helper()
	if st := chromeSubmit(t, tab, "submit the assessment", chromedp.Click(chromedp.ID("submit-assessment"))); st != 200 {
		body := chromeRun(t, tab, "page text", chromedp.Text(chromedp.CSS("main")))
		t.Fatalf("submit the assessment: status %d: %s", st, body)
	}
	chromeDo(t, tab, "the result page", chromedp.WaitVisible(chromedp.CSS(".conclusion .class")))
	loc := chromeRun(t, tab, "location", chromedp.Location())
	rm := chromeResultPath.FindStringSubmatch(loc)
	if rm == nil || rm[1] != strconv.FormatInt(patientID, 10) {
		t.Fatalf("after the assessment the browser is at %s, not a result page of patient %d", loc, patientID)
	}
	aid, _ := strconv.ParseInt(rm[2], 10, 64)
	return aid
}

// TestBrowserWorkflow is a clinician's day in a real browser: log in,
// create a patient, enter the s1-mimic case through the assessment form
// and read the classification, send a VISA-A link that the patient
// answers in a browser of their own, and see the score on the timeline.
func TestBrowserWorkflow(t *testing.T) {
	env := newChromeEnv(t)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	start := time.Now()
	tab := chromeStart(t, ctx)

	// Sanity check of the chosen answers against the questionnaire's own
	// scoring.
	vals := url.Values{}
	for i, v := range chromeVISAA {
		vals.Set(fmt.Sprintf("q%d", i+1), v)
	}
	if _, sc, errs := questionnaire.Parse(tendo.InstrumentVISAA, vals); len(errs) > 0 || sc.Rounded != chromeVISAAScore {
		t.Fatalf("the chosen VISA-A answers score %v (%v), want %d", sc.Rounded, errs, chromeVISAAScore)
	}

	// 1. Log in through the form.
	chromeLogin(t, tab, env)

	// 2. Create a patient through the form.
	patientURL, patientID := chromeNewPatient(t, ctx, tab, env, "Robin Browser", "MRN-BROWSER-1")

	// 3. Enter every field of the s1-mimic case through the assessment
	// form (see caseFormValues for proms.odi).
	_, doc := readCase(t, "cases", "s1-mimic")
	fields := caseFormValues(t, doc)
	if fields.Get("proms.odi.percent") != "46.7" {
		t.Fatalf("ScoreODI of the case's answers gives %s, want 46.7", fields.Get("proms.odi.percent"))
	}
	chromeEnterAssessment(t, tab, fields, "s1-mimic.json")
	aid := chromeSubmitAssessment(t, tab, patientID)
	class := chromeRun(t, tab, "the classification", chromedp.Text(chromedp.CSS(".conclusion .class")))
	if !strings.HasPrefix(strings.TrimSpace(class), chromeWantClass) {
		t.Errorf("the result page classifies %q, want %q", class, chromeWantClass)
	}
	if n := chromeRun(t, tab, "red flags", chromedp.Evaluate[int](`document.querySelectorAll('.flags').length`)); n != 0 {
		t.Errorf("the result page shows %d red flag sections, want none", n)
	}
	st, err := env.Store.Assessment(ctx, aid)
	if err != nil {
		t.Fatal(err)
	}
	if st.Classification != tendo.LumbarReferred || st.ODI == nil || *st.ODI != 46.7 || st.NPRS == nil || *st.NPRS != 6 {
		t.Errorf("stored assessment %d: %s, ODI %v, NPRS %v; want lumbar-referred, 46.7, 6", aid, st.Classification, st.ODI, st.NPRS)
	}
	chromeScreenshot(t, tab, "browser-result.png")

	// 4. A VISA-A link, answered by the patient in a browser context of
	// their own (no cookies shared with the clinician's).
	chromeDo(t, tab, "open the patient page", chromedp.Navigate(patientURL), chromedp.WaitVisible(chromedp.ID("send-link")),
		chromedp.Click(chromedp.ID("instrument-"+string(tendo.InstrumentVISAA)))) // issue 10: questionnaires are ticked
	if st := chromeSubmit(t, tab, "create the link", chromedp.Click(chromedp.ID("send-link"))); st != 200 {
		t.Fatalf("create the link: status %d", st)
	}
	chromeDo(t, tab, "the new link", chromedp.WaitVisible(chromedp.ID("link-url")))
	link := strings.TrimSpace(chromeRun(t, tab, "read the link", chromedp.Text(chromedp.ID("link-url"))))
	href := chromeRun(t, tab, "the link's href", chromedp.Evaluate[string](`document.getElementById('link-url').href`))
	if !strings.HasPrefix(link, env.URL+"/q/") || href != link {
		t.Fatalf("link %q (href %q), want %s/q/<token>", link, href, env.URL)
	}

	patient, cancelPatient := chromedp.NewContext(tab, chromedp.WithNewBrowserContext())
	defer cancelPatient()
	chromeDo(t, patient, "the patient's browser opens the clinic", chromedp.Navigate(env.URL+"/"), chromedp.WaitVisible(chromedp.ID("login")))
	if loc := chromeRun(t, patient, "location", chromedp.Location()); !strings.Contains(loc, "/login") {
		t.Fatalf("the patient's browser context is logged in (at %s): it shares the clinician's cookies", loc)
	}
	chromeDo(t, patient, "open the questionnaire", chromedp.Navigate(link), chromedp.WaitVisible(chromedp.ID("submit-questionnaire")))
	chromeAnswerVISAA(t, patient)
	if st := chromeSubmit(t, patient, "send the answers", chromedp.Click(chromedp.ID("submit-questionnaire"))); st != 200 {
		body := chromeRun(t, patient, "page text", chromedp.Text(chromedp.CSS("main")))
		t.Fatalf("send the answers: status %d: %s", st, body)
	}
	chromeDo(t, patient, "the thank-you", chromedp.WaitVisible(chromedp.ID("done")))
	cancelPatient()

	// 5. The clinician reloads the patient page: the questionnaire's score
	// is on the timeline, and the timeline image loads.
	chromeDo(t, tab, "reload the patient page", chromedp.Navigate(patientURL), chromedp.WaitVisible(chromedp.ID("timeline-table")))
	rows := chromeRun(t, tab, "read the timeline table", chromedp.Evaluate[[][]string](`Array.from(document.querySelectorAll('#timeline-table tr')).slice(1).map(tr => Array.from(tr.cells, td => td.innerText.trim()))`))
	var sawQ, sawA bool
	for _, r := range rows {
		if len(r) < 7 {
			t.Fatalf("timeline row %q has %d cells", r, len(r))
		}
		switch r[1] {
		case "questionnaire":
			sawQ = sawQ || r[3] == strconv.Itoa(chromeVISAAScore)
		case "assessment":
			sawA = sawA || (r[2] == "lumbar referred" && r[4] == "46.7" && r[5] == "6")
		}
	}
	if !sawQ || !sawA {
		t.Errorf("the timeline table (date, what, conclusion, VISA-A, ODI, NPRS, LEFS) is %q; want a questionnaire row with VISA-A %d and the assessment (lumbar referred, ODI 46.7, NPRS 6)", rows, chromeVISAAScore)
	}
	width, err := chromedp.Run(tab, chromedp.Poll[int](`(() => { const i = document.getElementById('timeline'); return i && i.complete ? i.naturalWidth : 0; })()`,
		chromedp.WithPollingInterval(100*time.Millisecond), chromedp.WithPollingTimeout(10*time.Second)))
	if err != nil || width <= 0 {
		t.Errorf("the timeline image did not load: naturalWidth %d, %v", width, err)
	} else {
		t.Logf("timeline image: naturalWidth %d", width)
	}

	// 6. The patient page with its timeline, for people to look at.
	chromeScreenshot(t, tab, "browser-patient-timeline.png")
	t.Logf("workflow took %v", time.Since(start).Round(time.Millisecond))
}

// chromeV11Case is the v1.1 case the browser enters, and what its result
// page must say (cases-v11/expected.json: lumbar-referred, nerveRoot L4,
// differential led by l4-radiculopathy; ODI 45, NPRS 6).
const (
	chromeV11Case      = "l4-radiculopathy"
	chromeV11WantClass = "Referred from the lumbar spine (L4)"
	chromeV11WantRoot  = "Nerve root: L4"
	chromeV11WantTop   = "L4 radiculopathy"
)

// TestBrowserV11Case enters a contract v1.1 case through the form in a
// real browser: the area checkboxes, the left/right neuro table and the
// rest; checks that the form fits a 390 px phone with the neuro table in
// one column; submits and reads the classification, the nerve root and
// the leading differential on the result page.
func TestBrowserV11Case(t *testing.T) {
	env := newChromeEnv(t)
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	start := time.Now()

	// The expectations above are the shared file's.
	var expected map[string]json.RawMessage // and "_about"
	raw, err := os.ReadFile(shared.Path(t, "cases-v11", "expected.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(raw, &expected); err != nil {
		t.Fatal(err)
	}
	var exp struct {
		Classification  string  `json:"classification"`
		DifferentialTop string  `json:"differentialTop"`
		NerveRoot       *string `json:"nerveRoot"`
	}
	if err := json.Unmarshal(expected[chromeV11Case], &exp); err != nil {
		t.Fatalf("expected.json, %s: %v", chromeV11Case, err)
	}
	if exp.Classification != string(tendo.LumbarReferred) || exp.NerveRoot == nil || "Nerve root: "+*exp.NerveRoot != chromeV11WantRoot ||
		tendo.DifferentialName(exp.DifferentialTop) != chromeV11WantTop {
		t.Fatalf("expected.json says %+v (differential %q); the test expects %q, %q, %q", exp, tendo.DifferentialName(exp.DifferentialTop), chromeV11WantClass, chromeV11WantRoot, chromeV11WantTop)
	}

	tab := chromeStart(t, ctx)
	chromeLogin(t, tab, env)
	_, patientID := chromeNewPatient(t, ctx, tab, env, "Lee Lumbar", "MRN-BROWSER-V11")
	_, doc := readCase(t, "cases-v11", chromeV11Case)
	fields := caseFormValues(t, doc)
	for _, p := range []string{"history.legPainAreas", "exam.neuro.left.kneeReflex", "exam.neuro.right.sensation.sole"} {
		if len(fields[p]) == 0 {
			t.Fatalf("the case sets no %s", p)
		}
	}
	chromeEnterAssessment(t, tab, fields, chromeV11Case+".json")

	// The filled form on a 390 px wide phone: nothing wider than the
	// screen, and each neuro row in one column (label, left, right).
	chromeDo(t, tab, "a phone-sized window", chromedp.EmulateViewport(390, 844))
	layout := chromeRun(t, tab, "measure the form", chromedp.Evaluate[map[string]int](`(() => {
		const row = document.querySelector('.neuro-row');
		return {
			scrollWidth: document.documentElement.scrollWidth,
			neuroColumns: getComputedStyle(row).gridTemplateColumns.split(' ').length,
			fieldColumns: getComputedStyle(document.querySelector('#section-history .fields')).gridTemplateColumns.split(' ').length,
		};
	})()`))
	if layout["scrollWidth"] > 390 || layout["neuroColumns"] != 1 || layout["fieldColumns"] != 1 {
		t.Errorf("at 390 px: page width %d, neuro row columns %d, field columns %d; want ≤ 390, 1, 1", layout["scrollWidth"], layout["neuroColumns"], layout["fieldColumns"])
	}
	chromeSaveScreenshot(t, "browser-form-v11-neuro-390.png", chromeRun(t, tab, "screenshot of the neuro table", chromedp.Screenshot(chromedp.CSS(`[id="f-exam.neuro"]`))))
	chromeSaveScreenshot(t, "browser-form-v11-imaging-390.png", chromeRun(t, tab, "screenshot of the imaging section", chromedp.Screenshot(chromedp.CSS(`#section-imaging`))))
	chromeDo(t, tab, "a desktop window", chromedp.EmulateViewport(1280, 900))
	chromeSaveScreenshot(t, "browser-form-v11-history.png", chromeRun(t, tab, "screenshot of the history section", chromedp.Screenshot(chromedp.CSS(`#section-history`))))
	layout = chromeRun(t, tab, "measure the form", chromedp.Evaluate[map[string]int](`({neuroColumns: getComputedStyle(document.querySelector('.neuro-row')).gridTemplateColumns.split(' ').length})`))
	if layout["neuroColumns"] != 3 {
		t.Errorf("at 1280 px the neuro rows have %d columns, want 3 (finding, left, right)", layout["neuroColumns"])
	}

	aid := chromeSubmitAssessment(t, tab, patientID)
	read := func(what, js string) string {
		return strings.Join(strings.Fields(chromeRun(t, tab, what, chromedp.Evaluate[string](js))), " ")
	}
	class := read("the classification", `document.querySelector('.conclusion .class').innerText`)
	root := read("the nerve root", `(document.querySelector('.nerve-root') || {innerText: ''}).innerText`)
	top := read("the leading differential", `(() => { const r = document.querySelector('table.differential tr:nth-child(2) td'); return r ? r.innerText : ''; })()`)
	if !strings.HasPrefix(class, chromeV11WantClass) {
		t.Errorf("the result page classifies %q, want %q", class, chromeV11WantClass)
	}
	if root != chromeV11WantRoot {
		t.Errorf("the result page says %q, want %q", root, chromeV11WantRoot)
	}
	if top != chromeV11WantTop {
		t.Errorf("the differential is led by %q, want %q", top, chromeV11WantTop)
	}
	if n := chromeRun(t, tab, "red flags", chromedp.Evaluate[int](`document.querySelectorAll('.flags').length`)); n != 0 {
		t.Errorf("the result page shows %d red flag sections, want none", n)
	}
	t.Logf("result page: %q; %q; differential led by %q", class, root, top)
	st, err := env.Store.Assessment(ctx, aid)
	if err != nil {
		t.Fatal(err)
	}
	if st.Classification != tendo.LumbarReferred || st.ODI == nil || *st.ODI != 45 || st.NPRS == nil || *st.NPRS != 6 {
		t.Errorf("stored assessment %d: %s, ODI %v, NPRS %v; want lumbar-referred, 45, 6", aid, st.Classification, st.ODI, st.NPRS)
	}
	chromeScreenshot(t, tab, "browser-result-v11.png")
	t.Logf("v1.1 case took %v", time.Since(start).Round(time.Millisecond))
}

// TestBrowserLinkIsSingleUse opens one questionnaire link in two tabs,
// answers it in the first, and checks that sending the second shows the
// "already been answered" message (and that opening the link again does
// too), with one response stored.
func TestBrowserLinkIsSingleUse(t *testing.T) {
	env := newChromeEnv(t)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	p, err := env.Store.CreatePatient(ctx, tendo.PatientRecord{ClinicID: env.Clinic.ID, Name: "Sam Once", CreatedBy: env.User.ID})
	if err != nil {
		t.Fatal(err)
	}
	token := passwd.Token()
	now := time.Now()
	if _, err := env.Store.CreateLink(ctx, tendo.QuestionnaireLink{PatientID: p.ID, ClinicID: p.ClinicID, Instrument: tendo.InstrumentVISAA,
		CreatedBy: env.User.ID, CreatedAt: now, ExpiresAt: now.Add(24 * time.Hour)}, passwd.TokenHash(token)); err != nil {
		t.Fatal(err)
	}
	link := env.URL + "/q/" + token

	first := chromeStart(t, ctx)
	second, cancelSecond := chromedp.NewContext(first) // another tab
	defer cancelSecond()
	for _, tab := range []context.Context{first, second} {
		chromeDo(t, tab, "open the questionnaire", chromedp.Navigate(link), chromedp.WaitVisible(chromedp.ID("submit-questionnaire")))
		chromeAnswerVISAA(t, tab)
	}
	if st := chromeSubmit(t, first, "send the answers", chromedp.Click(chromedp.ID("submit-questionnaire"))); st != 200 {
		t.Fatalf("first submission: status %d", st)
	}
	chromeDo(t, first, "the thank-you", chromedp.WaitVisible(chromedp.ID("done")))

	st := chromeSubmit(t, second, "send the same link again", chromedp.Click(chromedp.ID("submit-questionnaire")))
	chromeDo(t, second, "the answer to the second submission", chromedp.WaitVisible(chromedp.CSS("main h1")))
	msg := chromeRun(t, second, "page text", chromedp.Text(chromedp.CSS("main")))
	if !strings.Contains(msg, "already been answered") {
		t.Errorf("second submission (status %d) shows %q; want the already-answered message", st, msg)
	}
	if n := chromeRun(t, second, "thank-you", chromedp.Evaluate[int](`document.querySelectorAll('#done').length`)); n != 0 {
		t.Error("the second submission shows the thank-you")
	}
	t.Logf("second submission: status %d, %q", st, strings.Join(strings.Fields(msg), " "))

	chromeDo(t, first, "open the link again", chromedp.Navigate(link), chromedp.WaitVisible(chromedp.CSS("main h1")))
	if msg := chromeRun(t, first, "page text", chromedp.Text(chromedp.CSS("main"))); !strings.Contains(msg, "already been answered") {
		t.Errorf("opening the used link shows %q; want the already-answered message", msg)
	}
	if n := chromeRun(t, first, "the form", chromedp.Evaluate[int](`document.querySelectorAll('form.questionnaire').length`)); n != 0 {
		t.Error("the used link still shows the questionnaire form")
	}
	rs, err := env.Store.Responses(ctx, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(rs) != 1 || rs[0].Score != chromeVISAAScore {
		t.Errorf("stored responses: %+v; want one, scoring %d", rs, chromeVISAAScore)
	}
}

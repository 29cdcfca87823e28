package web_test

// Accessibility: axe-core (the npm package, installed by .ci/run into
// testtools/) runs inside every page of the clinic, through the DevTools
// protocol, at a desktop and a phone width. Serious and critical
// violations fail the test; no page may scroll sideways on a 390 px phone;
// a screenshot of each page at each width is saved as an artifact.

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/tendo-health/tendo"
	"github.com/tendo-health/tendo/intake"
	"github.com/tendo-health/tendo/web"
)

// axeSource returns axe-core's browser build: $TENDO_AXE, or
// testtools/node_modules/axe-core/axe.min.js at the repository root (npm
// ci --prefix testtools). Missing, the test skips, except under CI.
func axeSource(t *testing.T) string {
	t.Helper()
	p := os.Getenv("TENDO_AXE")
	if p == "" {
		p = filepath.Join("..", "testtools", "node_modules", "axe-core", "axe.min.js")
	}
	b, err := os.ReadFile(p)
	if err != nil {
		if os.Getenv("TENDO_CI") != "" {
			t.Fatalf("axe-core is not installed (%v); TENDO_CI is set, so the accessibility test must run", err)
		}
		t.Skipf("axe-core is not installed (%v): npm ci --prefix testtools", err)
	}
	return string(b)
}

// axeViolation is the part of an axe-core result the test reports.
type axeViolation struct {
	ID     string `json:"id"`
	Impact string `json:"impact"`
	Help   string `json:"help"`
	Nodes  []struct {
		Target []any `json:"target"`
	} `json:"nodes"`
}

// a11yWideJS names the innermost elements that reach past the viewport's
// right edge (at most 5), to say what makes a page scroll sideways.
const a11yWideJS = `(() => {
	const vw = document.documentElement.clientWidth, out = [];
	for (const e of document.querySelectorAll('body *')) {
		const r = e.getBoundingClientRect();
		const reach = e => { const b = e.getBoundingClientRect(); return Math.max(b.right, b.left + e.scrollWidth); };
		if (reach(e) > vw + 1 && !Array.from(e.children).some(c => reach(c) > vw + 1)) {
			out.push(e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + (e.className && typeof e.className === 'string' ? '.' + e.className.split(' ').join('.') : '') + ' (' + Math.round(reach(e)) + ' px)');
			if (out.length === 5) break;
		}
	}
	return out;
})()`

// a11yWidths are the viewport widths every page is checked at, in CSS
// pixels: a desktop and a phone (390 px, an iPhone 12–15).
var a11yWidths = []int64{1280, 390}

// checkPage loads url at each width (url "" checks the page the tab is
// on, re-laid out at each width), runs axe-core and fails on serious or
// critical violations and on sideways scrolling at 390 px; it saves a
// full-page screenshot per width.
func checkPage(t *testing.T, tab context.Context, axe, name, url string, ready chromedp.Action[chromedp.Void]) {
	t.Helper()
	for _, w := range a11yWidths {
		viewport := chromedp.EmulateViewport(w, 900)
		if w < 600 {
			viewport = chromedp.EmulateViewport(w, 900, chromedp.EmulateMobile)
		}
		if url == "" {
			chromeDo(t, tab, fmt.Sprintf("%s at %d px", name, w), viewport, ready)
		} else {
			chromeDo(t, tab, fmt.Sprintf("%s at %d px", name, w), viewport, chromedp.Navigate(url), ready)
		}
		scroll := chromeRun(t, tab, "scroll width", chromedp.Evaluate[[]int](`[document.documentElement.scrollWidth, document.documentElement.clientWidth]`))
		if w < 600 && scroll[0] > scroll[1]+1 {
			wide := chromeRun(t, tab, "the wide elements", chromedp.Evaluate[[]string](a11yWideJS))
			t.Errorf("%s at %d px scrolls sideways: content %d px wide in a %d px viewport; widest: %s", name, w, scroll[0], scroll[1], strings.Join(wide, "; "))
		}
		chromeDo(t, tab, "load axe-core", chromedp.Evaluate[chromedp.Void](axe))
		raw := chromeRun(t, tab, "axe.run", chromedp.Evaluate[string](`axe.run(document, {resultTypes: ['violations']}).then(r => JSON.stringify(r.violations))`, chromedp.EvalAwaitPromise))
		var vs []axeViolation
		if err := json.Unmarshal([]byte(raw), &vs); err != nil {
			t.Fatal(err)
		}
		for _, v := range vs {
			var targets []string
			for i, n := range v.Nodes {
				if i == 5 {
					targets = append(targets, fmt.Sprintf("and %d more", len(v.Nodes)-5))
					break
				}
				targets = append(targets, fmt.Sprint(n.Target...))
			}
			msg := fmt.Sprintf("%s at %d px: axe %s (%s): %s — %s", name, w, v.ID, v.Impact, v.Help, strings.Join(targets, ", "))
			if v.Impact == "serious" || v.Impact == "critical" {
				t.Error(msg)
			} else {
				t.Log(msg)
			}
		}
		chromeScreenshot(t, tab, fmt.Sprintf("a11y-%s-%d.png", name, w))
	}
}

// TestBrowserAccessibility walks every page of the clinic a clinician
// and a patient see: login, dashboard, new patient, patient, edit patient,
// assessment form, result, printable report, account, a questionnaire
// link and a patient's answers, the home programme (clinician and
// patient), and the patient's questionnaire.
func TestBrowserAccessibility(t *testing.T) {
	axe := axeSource(t)
	var srv *web.Server
	env := newChromeEnv(t, func(s *web.Server) { srv = s })
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()

	// A patient with a midportion visit (its plan offers the loading
	// protocols), made through the services.
	sys := tendo.SystemContext(ctx, "accessibility test")
	p, err := srv.Clinic().CreatePatient(sys, tendo.NewPatient{ClinicID: env.Clinic.ID, Name: "Ada Access", ExternalID: "MRN-A11Y-1"})
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
	st, _, err := srv.Clinic().CreateVisit(sys, tendo.NewVisit{PatientID: p.ID, Assessment: a, Input: input})
	if err != nil {
		t.Fatal(err)
	}
	patientURL := fmt.Sprintf("%s/patients/%d", env.URL, p.ID)
	resultURL := fmt.Sprintf("%s/assessments/%d", patientURL, st.ID)

	tab := chromeStart(t, ctx)
	main := chromedp.WaitVisible(chromedp.CSS("main"))
	body := chromedp.WaitVisible(chromedp.CSS("body"))
	checkPage(t, tab, axe, "login", env.URL+"/login", chromedp.WaitVisible(chromedp.ID("login")))
	chromeDo(t, tab, "back to the desktop width", chromedp.EmulateViewport(1280, 900))
	chromeLogin(t, tab, env)

	for _, pg := range []struct {
		name, url string
		ready     chromedp.Action[chromedp.Void]
	}{
		{"dashboard", env.URL + "/", main},
		{"patient-new", env.URL + "/patients/new", main},
		{"patient", patientURL, main},
		{"patient-edit", patientURL + "/edit", main},
		{"form", patientURL + "/assessments/new", main},
		{"result", resultURL, main},
		{"report", resultURL + "/report", body}, // a document of its own, for printing
		{"account", env.URL + "/account", main},
		{"programmes", patientURL + "/programmes", main},
	} {
		checkPage(t, tab, axe, pg.name, pg.url, pg.ready)
	}

	// A questionnaire link: the page that shows it (the answer to the
	// form's POST).
	chromeDo(t, tab, "back to the desktop width", chromedp.EmulateViewport(1280, 900),
		chromedp.Navigate(patientURL), chromedp.WaitVisible(chromedp.ID("send-link")),
		chromedp.Click(chromedp.ID("instrument-"+string(tendo.InstrumentVISAA))))
	chromeSubmit(t, tab, "create the link", chromedp.Click(chromedp.ID("send-link")))
	chromeDo(t, tab, "the link page", chromedp.WaitVisible(chromedp.ID("link-url")))
	link := strings.TrimSpace(chromeRun(t, tab, "read the link", chromedp.Text(chromedp.ID("link-url"))))
	checkPage(t, tab, axe, "link", "", main)

	// A home programme: the page that shows its link.
	chromeDo(t, tab, "the programme page", chromedp.EmulateViewport(1280, 900),
		chromedp.Navigate(patientURL+"/programmes"), chromedp.WaitVisible(chromedp.ID("create-programme")),
		chromedp.Click(chromedp.ID("protocol-alfredson")))
	chromeSubmit(t, tab, "create the programme", chromedp.Click(chromedp.ID("create-programme")))
	home := strings.TrimSpace(chromeRun(t, tab, "read the programme link", chromedp.Text(chromedp.ID("programme-url"))))
	checkPage(t, tab, axe, "programme-created", "", main)

	// The patient's pages, in a browser context of their own.
	patient, cancelPatient := chromedp.NewContext(tab, chromedp.WithNewBrowserContext())
	defer cancelPatient()
	checkPage(t, patient, axe, "questionnaire", link, chromedp.WaitVisible(chromedp.ID("submit-questionnaire")))
	checkPage(t, patient, axe, "home-programme", home, main)
	chromeDo(t, patient, "open the questionnaire", chromedp.EmulateViewport(1280, 900), chromedp.Navigate(link), chromedp.WaitVisible(chromedp.ID("submit-questionnaire")))
	chromeAnswerVISAA(t, patient)
	chromeSubmit(t, patient, "send the answers", chromedp.Click(chromedp.ID("submit-questionnaire")))
	cancelPatient()

	// The clinician reads the answers.
	chromeDo(t, tab, "the patient page", chromedp.EmulateViewport(1280, 900), chromedp.Navigate(patientURL), chromedp.WaitVisible(chromedp.CSS("a.response-link")))
	answers := chromeRun(t, tab, "the answers link", chromedp.Evaluate[string](`document.querySelector('a.response-link').href`))
	checkPage(t, tab, axe, "answers", answers, main)
}

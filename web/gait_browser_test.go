package web_test

// The gait-lab trial in a real browser, with the real analysis (gaitlab)
// and plot (chart.GaitCycles).

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"net/url"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/tendo-health/tendo"
	"github.com/tendo-health/tendo/chart"
	"github.com/tendo-health/tendo/gaitlab"
	"github.com/tendo-health/tendo/internal/shared"
	"github.com/tendo-health/tendo/web"
)

// TestBrowserGaitTrial: a clinician uploads OpenSim's walking2.c3d to a
// visit from its result page, reads the gait report (metrics against
// normal walking, notes) and sees its plot, then adds the trial's values
// to the assessment.
func TestBrowserGaitTrial(t *testing.T) {
	file := shared.Path(t, "data", "c3d", "opensim-core", "walking2.c3d")
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	env := newChromeEnv(t, func(s *web.Server) {
		s.Clinic().GaitAnalyzer = gaitlab.New()
		s.GaitPlot = func(r *tendo.GaitReport) ([]byte, error) { return chart.GaitCycles(r, "svg") }
	})
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	tab := chromeStart(t, ctx)

	chromeLogin(t, tab, env)
	_, patientID := chromeNewPatient(t, ctx, tab, env, "Gait Browser", "MRN-GAIT-1")
	chromeEnterAssessment(t, tab, url.Values{"date": {time.Now().UTC().Format("2006-01-02")}, "patient.ageYears": {"52"}, "history.painSite": {"midportion"}, "exam.arcSign": {"positive"}}, "a short assessment")
	visitID := chromeSubmitAssessment(t, tab, patientID)

	// Upload the trial from the result page.
	chromeDo(t, tab, "the gait upload form", chromedp.WaitVisible(chromedp.ID("gait-upload")))
	chromeDo(t, tab, "choose the file", chromedp.SetUploadFiles(chromedp.ID("gait-file"), []string{file}))
	// walking2.c3d records no body mass: without one the page says so at
	// the mass field, and stores nothing.
	chromeSubmit(t, tab, "upload without a mass", chromedp.Click(chromedp.ID("gait-submit")))
	msg := chromeRun(t, tab, "the mass field's error", chromedp.Text(chromedp.CSS("label.has-error"), chromedp.NodeVisible))
	if !strings.Contains(msg, "no body mass") {
		t.Errorf("without a mass the form says %q, want the mass field to say the file has none", msg)
	}
	chromeDo(t, tab, "choose the file again", chromedp.SetUploadFiles(chromedp.ID("gait-file"), []string{file}))
	chromeDo(t, tab, "enter the mass", chromedp.SetValue(chromedp.ID("gait-mass"), "72"))
	if st := chromeSubmit(t, tab, "upload the trial", chromedp.Click(chromedp.ID("gait-submit"))); st != 200 {
		body := chromeRun(t, tab, "page text", chromedp.Text(chromedp.CSS("main")))
		t.Fatalf("upload the trial: status %d: %s", st, body)
	}
	chromeDo(t, tab, "the gait report", chromedp.WaitVisible(chromedp.CSS(".gait-trial table.gait-metrics")))

	// The stored trial is the file, byte for byte.
	trials, err := env.Store.GaitTrials(ctx, visitID)
	if err != nil || len(trials) != 1 {
		t.Fatalf("stored trials of visit %d: %d, %v", visitID, len(trials), err)
	}
	sum := sha256.Sum256(data)
	if tr := trials[0]; tr.SHA256 != hex.EncodeToString(sum[:]) || tr.File != "walking2.c3d" || tr.Size != int64(len(data)) {
		t.Errorf("stored trial %+v, want walking2.c3d of %d bytes", tr, len(data))
	}

	// The metrics table: each row a measure, a side, a value with its
	// unit and a normal range with its source.
	rows := chromeRun(t, tab, "read the metrics", chromedp.Evaluate[[][]string](`Array.from(document.querySelectorAll('.gait-trial table.gait-metrics tr')).slice(1).map(tr => Array.from(tr.cells, td => td.innerText.trim()))`))
	if len(rows) < 3 {
		t.Fatalf("the metrics table has %d rows: %q", len(rows), rows)
	}
	withValue, withRange := 0, 0
	for _, r := range rows {
		if len(r) != 5 || r[0] == "" {
			t.Errorf("metrics row %q: want measure, side, value, normal range, comparison", r)
			continue
		}
		if r[2] != "—" && !strings.HasPrefix(r[2], "—") {
			withValue++
		}
		if strings.Contains(r[3], "–") {
			withRange++
		}
	}
	if withValue == 0 || withRange == 0 {
		t.Errorf("no metric with a value (%d) or a normal range (%d): %q", withValue, withRange, rows)
	}
	t.Logf("gait report: %d metrics, %d with a value, %d with a normal range", len(rows), withValue, withRange)

	// The plot loads.
	width, err := chromedp.Run(tab, chromedp.Poll[int](`(() => { const i = document.querySelector('img.gait-plot'); return i && i.complete ? i.naturalWidth : 0; })()`,
		chromedp.WithPollingInterval(100*time.Millisecond), chromedp.WithPollingTimeout(15*time.Second)))
	if err != nil || width <= 0 {
		t.Errorf("the gait plot did not load: naturalWidth %d, %v", width, err)
	}
	chromeScreenshot(t, tab, "browser-gait-trial.png")

	// "Add to assessment" leads to a new visit with the trial's values.
	if st := chromeSubmit(t, tab, "add to assessment", chromedp.Click(chromedp.CSS(`button[id^="gait-apply-"]`))); st != 200 {
		body := chromeRun(t, tab, "page text", chromedp.Text(chromedp.CSS("main")))
		t.Fatalf("add to assessment: status %d: %s", st, body)
	}
	chromeDo(t, tab, "the new visit", chromedp.WaitVisible(chromedp.CSS(".conclusion .class")))
	loc := chromeRun(t, tab, "location", chromedp.Location())
	m := chromeResultPath.FindStringSubmatch(strings.SplitN(loc, "?", 2)[0])
	if m == nil || m[2] == strconv.FormatInt(visitID, 10) {
		t.Fatalf("after adding the trial the browser is at %s, not a new visit", loc)
	}
	newID, _ := strconv.ParseInt(m[2], 10, 64)
	added, err := env.Store.Assessment(ctx, newID)
	if err != nil || !strings.Contains(string(added.Input), `"source":"instrumented"`) {
		t.Errorf("the new visit's input: %s, %v", added.Input, err)
	}
}

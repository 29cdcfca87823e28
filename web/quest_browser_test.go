package web_test

import (
	"bytes"
	"context"
	"fmt"
	"image/png"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/makiuchi-d/gozxing"
	gzqr "github.com/makiuchi-d/gozxing/qrcode"

	"github.com/tendo-health/tendo"
	"github.com/tendo-health/tendo/questionnaire"
)

// Issue 10: questionnaires that fit the visit.

// chromeDecodeQR reads the QR code in a PNG screenshot with gozxing.
func chromeDecodeQR(t *testing.T, shot []byte) string {
	t.Helper()
	img, err := png.Decode(bytes.NewReader(shot))
	if err != nil {
		t.Fatalf("the QR screenshot: %v", err)
	}
	bmp, err := gozxing.NewBinaryBitmapFromImage(img)
	if err != nil {
		t.Fatal(err)
	}
	res, err := gzqr.NewQRCodeReader().Decode(bmp, map[gozxing.DecodeHintType]any{gozxing.DecodeHintType_TRY_HARDER: true})
	if err != nil {
		t.Fatalf("decode the QR code on the link page: %v", err)
	}
	return res.GetText()
}

// chromeAnswerFirst ticks the first (non-skip) answer of every item of the
// form on the page.
func chromeAnswerFirst(t *testing.T, ctx context.Context, inst tendo.Instrument) {
	t.Helper()
	form, _ := questionnaire.For(inst)
	for _, it := range form.Items {
		c := it.Choices[0]
		sel := fmt.Sprintf(`input[type=radio][name=%q][value=%q]`, it.Key, c.FormValue())
		chromeDo(t, ctx, string(inst)+" "+it.Key, chromedp.Click(chromedp.CSS(sel)))
	}
}

// chromeScaleLayoutJS measures the VISA-A scales: for each, whether both
// words sit on the line of the buttons (beside them, overlapping them
// vertically), and the page's width.
const chromeScaleLayoutJS = `(() => {
	const rows = Array.from(document.querySelectorAll('.scale-row'));
	const bad = [];
	for (const r of rows) {
		const lo = r.querySelector('.anchor.low').getBoundingClientRect();
		const hi = r.querySelector('.anchor.high').getBoundingClientRect();
		const ticks = Array.from(r.querySelectorAll('.tick input')).map(i => i.getBoundingClientRect());
		const top = Math.min(...ticks.map(b => b.top)), bottom = Math.max(...ticks.map(b => b.bottom));
		const first = ticks[0], last = ticks[ticks.length - 1];
		const oneLine = ticks.every(b => Math.abs(b.top - first.top) < 1);
		const beside = lo.right <= first.left && hi.left >= last.right;
		const sameLine = lo.top < bottom && lo.bottom > top && hi.top < bottom && hi.bottom > top;
		if (!oneLine || !beside || !sameLine) bad.push(r.closest('fieldset').id);
	}
	return {rows: rows.length, bad: bad.join(' '), scrollWidth: document.documentElement.scrollWidth};
})()`

// TestBrowserQuestionnaireSet: the clinician makes one link for VISA-A,
// ODI and NPRS; the link page's QR code decodes to the link; the patient,
// in a browser context of their own on a 390 px phone, answers the three
// in turn; the clinician then reads each answer.
func TestBrowserQuestionnaireSet(t *testing.T) {
	env := newChromeEnv(t)
	ctx, cancel := context.WithTimeout(context.Background(), 120*time.Second)
	defer cancel()
	p, err := env.Store.CreatePatient(ctx, tendo.PatientRecord{ClinicID: env.Clinic.ID, Name: "Kim Threefold", CreatedBy: env.User.ID})
	if err != nil {
		t.Fatal(err)
	}
	patientURL := fmt.Sprintf("%s/patients/%d", env.URL, p.ID)

	// 1. The clinician ticks three questionnaires and creates the link.
	tab := chromeStart(t, ctx)
	chromeLogin(t, tab, env)
	chromeDo(t, tab, "a desktop window", chromedp.EmulateViewport(1280, 900))
	chromeDo(t, tab, "open the patient page", chromedp.Navigate(patientURL), chromedp.WaitVisible(chromedp.ID("send-link")),
		chromedp.Click(chromedp.ID("instrument-visaA")), chromedp.Click(chromedp.ID("instrument-odi")), chromedp.Click(chromedp.ID("instrument-nprs")))
	if st := chromeSubmit(t, tab, "create the link", chromedp.Click(chromedp.ID("send-link"))); st != 200 {
		t.Fatalf("create the link: status %d", st)
	}
	chromeDo(t, tab, "the link page", chromedp.WaitVisible(chromedp.ID("link-qr")))
	link := chromeRun(t, tab, "the link to copy", chromedp.Evaluate[string](`document.getElementById('link-copy').value`))
	if !strings.HasPrefix(link, env.URL+"/q/") {
		t.Fatalf("the link to copy is %q, want %s/q/<token>", link, env.URL)
	}
	if ro := chromeRun(t, tab, "readonly", chromedp.Evaluate[bool](`document.getElementById('link-copy').readOnly`)); !ro {
		t.Error("the link to copy can be edited")
	}
	if got := strings.TrimSpace(chromeRun(t, tab, "instruments", chromedp.Text(chromedp.ID("link-instruments")))); got != "VISA-A, ODI, NPRS" {
		t.Errorf("the link page lists %q, want VISA-A, ODI, NPRS", got)
	}

	// 2. The QR code, as the browser draws it, decodes to the link.
	shot := chromeRun(t, tab, "screenshot of the QR code", chromedp.Screenshot(chromedp.ID("link-qr")))
	chromeSaveScreenshot(t, "quest-link-qr.png", shot)
	if got := chromeDecodeQR(t, shot); got != link {
		t.Errorf("the QR code decodes to %q, want the link %q", got, link)
	}
	chromeScreenshot(t, tab, "quest-link-page.png")
	chromeDo(t, tab, "a phone", chromedp.EmulateViewport(390, 844))
	if w := chromeRun(t, tab, "the link page's width", chromedp.Evaluate[int](`document.documentElement.scrollWidth`)); w > 390 {
		t.Errorf("the link page is %d px wide on a 390 px phone", w)
	}
	chromeScreenshot(t, tab, "quest-link-page-390.png")
	chromeDo(t, tab, "a desktop window", chromedp.EmulateViewport(1280, 900))

	// 3. The patient, in a browser context of their own, on a phone.
	patient, cancelPatient := chromedp.NewContext(tab, chromedp.WithNewBrowserContext())
	defer cancelPatient()
	chromeDo(t, patient, "a phone", chromedp.EmulateViewport(390, 844))
	chromeDo(t, patient, "open the link", chromedp.Navigate(link), chromedp.WaitVisible(chromedp.ID("submit-questionnaire")))
	page := chromeRun(t, patient, "the first page", chromedp.Evaluate[map[string]any](`({
		clinic: document.getElementById('clinic-name').innerText,
		steps: document.getElementById('steps').innerText.trim(),
		progress: document.getElementById('progress').value + '/' + document.getElementById('progress').max,
		staffLinks: Array.from(document.querySelectorAll('a')).filter(a => !a.href.includes('/q/')).map(a => a.href).join(' '),
		text: document.body.innerText,
	})`))
	if page["clinic"] != env.Clinic.Name || !strings.Contains(fmt.Sprint(page["steps"]), "Questionnaire 1 of 3") || page["progress"] != "1/3" {
		t.Errorf("the first page: clinic %q, steps %q, progress %v; want %q, 1 of 3", page["clinic"], page["steps"], page["progress"], env.Clinic.Name)
	}
	if page["staffLinks"] != "" || strings.Contains(fmt.Sprint(page["text"]), "clinical judgement") {
		t.Errorf("the patient's page leads to %q or carries the clinician's disclaimer", page["staffLinks"])
	}
	layout := chromeRun(t, patient, "measure the scales", chromedp.Evaluate[map[string]any](chromeScaleLayoutJS))
	if fmt.Sprint(layout["rows"]) != "6" || layout["bad"] != "" || fmt.Sprint(layout["scrollWidth"]) != "390" {
		t.Errorf("VISA-A at 390 px: %v scales, words off the buttons' line in %q, page width %v; want 6, none, 390", layout["rows"], layout["bad"], layout["scrollWidth"])
	}
	chromeSaveScreenshot(t, "quest-visaa-scale-390.png", chromeRun(t, patient, "screenshot of a scale", chromedp.Screenshot(chromedp.ID("q-q2"))))
	chromeScreenshot(t, patient, "quest-visaa-390.png")

	chromeAnswerVISAA(t, patient)
	for n, step := range []struct {
		inst tendo.Instrument
		next string
	}{
		{tendo.InstrumentVISAA, "Questionnaire 2 of 3"},
		{tendo.InstrumentODI, "Questionnaire 3 of 3"},
		{tendo.InstrumentNPRS, ""},
	} {
		if n > 0 {
			chromeAnswerFirst(t, patient, step.inst)
		}
		if st := chromeSubmit(t, patient, "send "+string(step.inst), chromedp.Click(chromedp.ID("submit-questionnaire"))); st != 200 {
			t.Fatalf("send %s: status %d: %s", step.inst, st, chromeRun(t, patient, "page", chromedp.Text(chromedp.CSS("main"))))
		}
		if step.next == "" {
			chromeDo(t, patient, "the thank-you", chromedp.WaitVisible(chromedp.ID("done")))
			break
		}
		chromeDo(t, patient, "the next questionnaire", chromedp.WaitVisible(chromedp.ID("saved")))
		if got := chromeRun(t, patient, "steps", chromedp.Text(chromedp.ID("steps"))); !strings.Contains(got, step.next) {
			t.Errorf("after %s: %q, want %q", step.inst, got, step.next)
		}
	}
	if done := chromeRun(t, patient, "the thank-you", chromedp.Text(chromedp.ID("done"))); !strings.Contains(done, env.Clinic.Name) {
		t.Errorf("the thank-you %q does not name the clinic", done)
	}
	cancelPatient()

	// 4. The clinician sees the three answered, and each answer of VISA-A.
	chromeDo(t, tab, "reload the patient page", chromedp.Navigate(patientURL), chromedp.WaitVisible(chromedp.ID("links")))
	status := chromeRun(t, tab, "the link's row", chromedp.Text(chromedp.CSS("#links tr:nth-child(2)")))
	if !strings.Contains(status, "answered") {
		t.Errorf("the link's row reads %q, want answered", status)
	}
	answers := chromeRun(t, tab, "the answers' links", chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll('.response-link'), a => a.innerText.trim())`))
	if len(answers) != 3 || answers[0] != fmt.Sprintf("VISA-A %d", chromeVISAAScore) {
		t.Errorf("the answers' links read %q; want VISA-A %d, ODI, NPRS", answers, chromeVISAAScore)
	}
	chromeDo(t, tab, "open the VISA-A answers", chromedp.Click(chromedp.CSS(".response-link")), chromedp.WaitVisible(chromedp.ID("answers")))
	rows := chromeRun(t, tab, "the answers", chromedp.Evaluate[[][]string](`Array.from(document.querySelectorAll('#answers tr')).slice(1).map(tr => Array.from(tr.cells, td => td.innerText.trim()))`))
	form, _ := questionnaire.For(tendo.InstrumentVISAA)
	if len(rows) != len(form.Items) {
		t.Fatalf("%d answers shown, want %d: %q", len(rows), len(form.Items), rows)
	}
	for i, r := range rows {
		if len(r) != 4 || !strings.Contains(r[1], form.Items[i].Text) {
			t.Errorf("answer %d: %q, want the item's text %q", i+1, r, form.Items[i].Text)
		}
	}
	if !strings.HasPrefix(rows[0][2], chromeVISAA[0]+" (0 = ") || rows[0][3] != chromeVISAA[0] || !strings.Contains(rows[7][2], "B. It hurts") {
		t.Errorf("answers 1 and 8: %q, %q; want %s on the scale and branch B", rows[0], rows[7], chromeVISAA[0])
	}
	chromeScreenshot(t, tab, "quest-answers.png")
	chromeDo(t, tab, "a phone", chromedp.EmulateViewport(390, 844))
	if w := chromeRun(t, tab, "the answers page's width", chromedp.Evaluate[int](`document.documentElement.scrollWidth`)); w > 390 {
		t.Errorf("the answers page is %d px wide on a 390 px phone", w)
	}
	chromeScreenshot(t, tab, "quest-answers-390.png")
	es, err := env.Store.AuditLog(ctx, tendo.AuditFilter{Action: tendo.ActionResponseRead, PatientID: p.ID})
	if err != nil || len(es) != 1 {
		t.Errorf("response.read audit entries: %d, %v; want 1", len(es), err)
	}
}

package web_test

// issue 10: report. The printable report in a real browser, printed to
// PDF on A4 and read back with poppler's pdftotext.

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
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

// popplerTool returns the path of a poppler-utils program. Without it the
// test skips, or fails when TENDO_CI is set (.ci/run installs it).
func popplerTool(t *testing.T, name string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		if os.Getenv("TENDO_CI") != "" {
			t.Fatalf("%s is not installed (%v); TENDO_CI is set, so the report's PDF must be read", name, err)
		}
		t.Skipf("%s is not installed (%v); apt-get install poppler-utils", name, err)
	}
	return p
}

// TestBrowserReportPDF prints the report of the mixed kinetic-chain case
// to an A4 PDF and reads it back: at most 3 pages, each with the patient
// header (name, year of birth, identifier, side, visit date, clinic,
// clinician), its page number and the disclaimer, and the findings and
// the signature line in the document.
func TestBrowserReportPDF(t *testing.T) {
	pdftotext := popplerTool(t, "pdftotext")
	pdfinfo := popplerTool(t, "pdfinfo")
	var srv *web.Server
	env := newChromeEnv(t, func(s *web.Server) { srv = s })
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()

	// Seed the patient and the visit through the clinic's services, as
	// the clinician.
	data, err := os.ReadFile(shared.Path(t, "cases", "mixed-kinetic-chain.json"))
	if err != nil {
		t.Fatal(err)
	}
	a, err := intake.Parse(data)
	if err != nil {
		t.Fatal(err)
	}
	input, err := intake.Marshal(a)
	if err != nil {
		t.Fatal(err)
	}
	const name, mrn, born = "Ada Kinetic", "MRN-REPORT-7", "1981-04-17"
	actx := tendo.NewContext(ctx, tendo.Actor{User: &env.User})
	p, err := srv.Clinic().CreatePatient(actx, tendo.NewPatient{ClinicID: env.Clinic.ID, Name: name, ExternalID: mrn, BirthDate: born})
	if err != nil {
		t.Fatal(err)
	}
	st, _, err := srv.Clinic().CreateVisit(actx, tendo.NewVisit{PatientID: p.ID, Assessment: a, Input: input})
	if err != nil {
		t.Fatal(err)
	}

	tab := chromeStart(t, ctx)
	chromeLogin(t, tab, env)
	visit := fmt.Sprintf("%s/patients/%d/assessments/%d", env.URL, p.ID, st.ID)

	// The result page's header names the side too.
	chromeDo(t, tab, "the result page", chromedp.Navigate(visit), chromedp.WaitVisible(chromedp.CSS(".patient-header")))
	if side := chromeRun(t, tab, "the side", chromedp.Text(chromedp.CSS(".patient-header .side"))); side != "Right" {
		t.Errorf("the result page's header gives the side %q, want Right", side)
	}

	chromeDo(t, tab, "the report", chromedp.Navigate(visit+"/report"), chromedp.WaitVisible(chromedp.CSS(".signature")))
	pdf := chromeRun(t, tab, "print to PDF", chromedp.PrintToPDF(
		chromedp.PDFPaper(chromedp.PaperA4), // 8.27 × 11.69 in
	))
	file := filepath.Join(t.TempDir(), "report.pdf")
	if err := os.WriteFile(file, pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(chromeArtifactsDir(t), "report-mixed-kinetic-chain.pdf"), pdf, 0o644); err != nil {
		t.Fatal(err)
	}

	info, err := exec.Command(pdfinfo, file).Output()
	if err != nil {
		t.Fatalf("pdfinfo: %v", err)
	}
	m := regexp.MustCompile(`(?m)^Pages:\s+(\d+)`).FindSubmatch(info)
	if m == nil {
		t.Fatalf("pdfinfo gives no page count:\n%s", info)
	}
	pages, _ := strconv.Atoi(string(m[1]))
	size := regexp.MustCompile(`(?m)^Page size:\s+([\d.]+) x ([\d.]+) pts`).FindSubmatch(info)
	if size == nil || !near(string(size[1]), 595) || !near(string(size[2]), 842) {
		t.Errorf("the page is not A4 (595 × 842 pt): %s", bytes.TrimSpace(info))
	}
	t.Logf("the report prints on %d A4 pages", pages)
	if pages < 1 || pages > 3 {
		t.Errorf("the report prints on %d pages, want at most 3", pages)
	}

	// Each page's text in reading order (a column after the other), its
	// spaces and line breaks made single spaces.
	text := func(pg int) string {
		t.Helper()
		out, err := exec.Command(pdftotext, "-f", strconv.Itoa(pg), "-l", strconv.Itoa(pg), file, "-").Output()
		if err != nil {
			t.Fatalf("pdftotext page %d: %v", pg, err)
		}
		return strings.Join(strings.Fields(string(out)), " ")
	}
	var all strings.Builder
	for pg := 1; pg <= pages; pg++ {
		s := text(pg)
		all.WriteString(s + "\n")
		for _, want := range []string{
			name, "born 1981-04-17", "ID " + mrn, "side: right", "visit " + a.Date, env.Clinic.Name, env.User.Name,
			fmt.Sprintf("Page %d of %d", pg, pages), "supports clinical judgement",
		} {
			if !strings.Contains(s, want) {
				t.Errorf("page %d lacks %q: %s", pg, want, s)
			}
		}
	}
	doc := all.String()
	for _, want := range []string{
		"Findings", "Knee-to-wall lunge: 9 cm", "Morning stiffness duration: 20 minutes", "Single-leg heel raises, affected side: 9 repetitions",
		"Signature", "Clinician " + env.User.Name, "J Orthop Sports Phys Ther, October 2021",
	} {
		if !strings.Contains(doc, want) {
			t.Errorf("the report lacks %q", want)
		}
	}
	if strings.Contains(doc, "authors not recorded") {
		t.Error(`the report still cites a source with "authors not recorded"`)
	}
}

// near reports whether a number in pdfinfo's output is within 1 of want.
func near(s string, want float64) bool {
	f, err := strconv.ParseFloat(s, 64)
	return err == nil && f > want-1 && f < want+1
}

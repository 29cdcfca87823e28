package report_test

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tendo-health/tendo/assess"
	"github.com/tendo-health/tendo/intake"
	"github.com/tendo-health/tendo/internal/shared"
	"github.com/tendo-health/tendo/report"
)

var update = flag.Bool("update", false, "update golden files")

// TestGolden renders shared cases as text and HTML and compares them with
// golden files (go test ./report -update rewrites them).
func TestGolden(t *testing.T) {
	t.Parallel()
	eng, err := assess.New()
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"mixed-kinetic-chain", "rupture-after-ciprofloxacin", "s1-mimic"} {
		data, err := os.ReadFile(shared.Path(t, "cases", name+".json"))
		if err != nil {
			t.Fatal(err)
		}
		a, err := intake.Parse(data)
		if err != nil {
			t.Fatal(err)
		}
		res, err := eng.Assess(a)
		if err != nil {
			t.Fatal(err)
		}
		for _, format := range []string{"txt", "html"} {
			var buf bytes.Buffer
			if format == "txt" {
				err = report.Text(&buf, res)
			} else {
				err = report.HTML(&buf, res)
			}
			if err != nil {
				t.Fatal(err)
			}
			golden := filepath.Join("testdata", name+"."+format)
			if *update {
				if err := os.WriteFile(golden, buf.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test ./report -update)", err)
			}
			if !bytes.Equal(buf.Bytes(), want) {
				t.Errorf("%s differs from the golden file (run go test ./report -update and review the diff)", golden)
			}
		}
	}
}

// TestHTMLReport checks what a clinician relies on: red flags first and
// unmistakable, probability bars, the disclaimer and model version, a print
// stylesheet, and no scripts.
func TestHTMLReport(t *testing.T) {
	t.Parallel()
	eng, err := assess.New()
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(shared.Path(t, "cases", "rupture-after-ciprofloxacin.json"))
	if err != nil {
		t.Fatal(err)
	}
	a, _ := intake.Parse(data)
	res, err := eng.Assess(a)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := report.HTML(&buf, res); err != nil {
		t.Fatal(err)
	}
	page := buf.String()
	flags := strings.Index(page, `class="flags"`)
	conclusion := strings.Index(page, `class="conclusion`)
	if flags < 0 || conclusion < 0 || flags > conclusion {
		t.Errorf("red flags must come before the conclusion (flags at %d, conclusion at %d)", flags, conclusion)
	}
	for _, want := range []string{"suspected-achilles-rupture", "fluoroquinolone-tendon-risk", "<svg class=\"bar\"", "@media print", "supports clinical judgement", res.ModelVersion} {
		if !strings.Contains(page, want) {
			t.Errorf("the report lacks %q", want)
		}
	}
	if strings.Contains(page, "<script") {
		t.Error("the report has a script")
	}
}

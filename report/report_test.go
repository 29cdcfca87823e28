package report_test

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tendo-health/tendo"
	"github.com/tendo-health/tendo/assess"
	"github.com/tendo-health/tendo/intake"
	"github.com/tendo-health/tendo/internal/golden"
	"github.com/tendo-health/tendo/internal/shared"
	"github.com/tendo-health/tendo/report"
)

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
		withV11(res, stand[name])
		checkGolden(t, name, report.NewDocument(a, res))
	}
	// A result under other-cause, built by hand: the summary names the
	// leading differential.
	checkGolden(t, "other-cause-by-hand", report.Document{Result: otherCause()})
}

// checkGolden renders a document as text and HTML and compares them with
// testdata/NAME.txt and NAME.html.
func checkGolden(t *testing.T, name string, doc report.Document) {
	t.Helper()
	for _, format := range []string{"txt", "html"} {
		var (
			buf bytes.Buffer
			err error
		)
		if format == "txt" {
			err = report.WriteText(&buf, doc)
		} else {
			err = report.Print(&buf, doc)
		}
		if err != nil {
			t.Fatal(err)
		}
		golden.Check(t, filepath.Join("testdata", name+"."+format), buf.Bytes())
	}
}

// stand are the differentials the golden cases show while the engine
// leaves the contract's v1.1 keys empty (see withV11).
var stand = map[string][]tendo.DifferentialEntry{
	"mixed-kinetic-chain": {
		{Code: "peripheral-neuropathy", Probability: 0.064, Range: tendo.Range{0.031, 0.118}},
		{Code: "plantar-heel-pain", Probability: 0.027, Range: tendo.Range{0.012, 0.055}},
	},
	"rupture-after-ciprofloxacin": {
		{Code: "partial-achilles-tear", Probability: 0.31, Range: tendo.Range{0.18, 0.47}},
		{Code: "calf-muscle-strain", Probability: 0.042, Range: tendo.Range{0.019, 0.08}},
		{Code: "dvt", Probability: 0.021, Range: tendo.Range{0.008, 0.049}},
	},
	"s1-mimic": {},
}

// withV11 gives a result the contract's v1.1 keys by hand when the engine
// has not filled them (its differential is null): a 90% interval around
// each probability, the differential given, and the nerve root S1 when
// S1 radiculopathy reaches 50%. A result the engine filled is left as it
// is, so the golden test runs either way (the golden files then show the
// engine's figures: go test ./report -update).
func withV11(res *tendo.Result, differential []tendo.DifferentialEntry) {
	if res.Differential != nil {
		return
	}
	around := func(p float64) tendo.Range { return tendo.Range{0.8 * p, min(1, 1.25*p+0.01)} }
	p, r := &res.Probabilities, &res.ProbabilityRanges
	r.AchillesTendinopathy = around(p.AchillesTendinopathy)
	r.S1Radiculopathy = around(p.S1Radiculopathy)
	r.LumbarContribution = around(p.LumbarContribution)
	r.AchillesRupture = around(p.AchillesRupture)
	r.MidportionTendinopathy = around(p.MidportionTendinopathy)
	r.InsertionalTendinopathy = around(p.InsertionalTendinopathy)
	r.CompensatoryGait = around(p.CompensatoryGait)
	r.CalfWeakness = around(p.CalfWeakness)
	r.TendonOverload = around(p.TendonOverload)
	r.TendonVulnerability = around(p.TendonVulnerability)
	r.OtherHeelPathology = around(p.OtherHeelPathology)
	res.Differential = append([]tendo.DifferentialEntry{}, differential...)
	if p.S1Radiculopathy >= 0.5 {
		s1 := "S1"
		res.NerveRoot = &s1
	}
}

// otherCause is a result under other-cause, built by hand.
func otherCause() *tendo.Result {
	return &tendo.Result{
		ID: "by-hand-tarsal-tunnel", Date: "2026-11-02", ModelVersion: "tendo-achilles 1.1.0",
		Disclaimer:           "tendo supports clinical judgement; it does not replace it.",
		Classification:       tendo.OtherCause,
		ClassificationReason: "Neither tendinopathy (12%) nor a lumbar contribution (9%) is likely; another condition explains the findings better.",
		Probabilities: tendo.Probabilities{
			AchillesTendinopathy: 0.12, MidportionTendinopathy: 0.07, InsertionalTendinopathy: 0.05,
			S1Radiculopathy: 0.03, LumbarContribution: 0.09, CompensatoryGait: 0.02,
			AchillesRupture: 0.004, OtherHeelPathology: 0.71,
		},
		ProbabilityRanges: tendo.ProbabilityRanges{
			AchillesTendinopathy: tendo.Range{0.06, 0.21}, MidportionTendinopathy: tendo.Range{0.03, 0.13}, InsertionalTendinopathy: tendo.Range{0.02, 0.1},
			S1Radiculopathy: tendo.Range{0.02, 0.05}, LumbarContribution: tendo.Range{0.05, 0.15}, CompensatoryGait: tendo.Range{0.01, 0.04},
			AchillesRupture: tendo.Range{0.001, 0.009}, OtherHeelPathology: tendo.Range{0.55, 0.84},
		},
		Differential: []tendo.DifferentialEntry{
			{Code: "tarsal-tunnel", Probability: 0.64, Range: tendo.Range{0.41, 0.80}},
			{Code: "l5-radiculopathy", Probability: 0.08, Range: tendo.Range{0.04, 0.14}},
			{Code: "peripheral-neuropathy", Probability: 0.05, Range: tendo.Range{0.02, 0.09}},
			{Code: "plantar-heel-pain", Probability: 0.03, Range: tendo.Range{0.02, 0.05}},
		},
		RedFlags: []tendo.RedFlag{},
		Plan: tendo.Plan{
			Summary: "Neither the tendon nor the back explains the symptoms: work through the differential diagnoses before treating.",
			Phases:  []tendo.Phase{},
			Reassessment: tendo.Reassessment{
				Schedule: "Review at 2 weeks.",
				Targets:  []tendo.OutcomeTarget{},
			},
		},
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
	for _, code := range []string{"suspected-achilles-rupture", "fluoroquinolone-tendon-risk"} {
		if strings.Contains(page, code) {
			t.Errorf("the report shows the code %q instead of the flag's name", code)
		}
	}
	for _, want := range []string{"suspected Achilles rupture or partial tear", "fluoroquinolone tendon risk", "<svg class=\"bar\"", "@media print", "supports clinical judgement", res.ModelVersion} {
		if !strings.Contains(page, want) {
			t.Errorf("the report lacks %q", want)
		}
	}
	if strings.Contains(page, "<script") {
		t.Error("the report has a script")
	}
}

// TestV11Keys checks how the contract's v1.1 keys are shown, and that a
// result stored before v1.1 (no differential, ranges or nerve root) is
// shown as before, without claiming anything about them.
func TestV11Keys(t *testing.T) {
	t.Parallel()
	render := func(res *tendo.Result) string {
		t.Helper()
		var txt, html bytes.Buffer
		if err := report.Text(&txt, res); err != nil {
			t.Fatal(err)
		}
		if err := report.HTML(&html, res); err != nil {
			t.Fatal(err)
		}
		return txt.String() + html.String()
	}
	res := otherCause()
	page := render(res)
	for _, want := range []string{
		"Leading alternative: tarsal tunnel syndrome, 64% (41–80%)",
		"12% (6–21%)", "71% (55–84%)", "Tarsal tunnel syndrome", "L5 radiculopathy",
		"No single nerve root reaches 50%", "90% credible interval",
	} {
		if !strings.Contains(page, want) {
			t.Errorf("the report lacks %q", want)
		}
	}
	if strings.Index(page, "Tarsal tunnel syndrome") > strings.Index(page, "L5 radiculopathy") {
		t.Error("the differential is not highest first")
	}

	l5 := "L5"
	res.Classification, res.NerveRoot, res.Differential = tendo.LumbarReferred, &l5, []tendo.DifferentialEntry{}
	page = render(res)
	for _, want := range []string{"Nerve root: L5", "Referred from the lumbar spine (L5)", "No other condition reaches 2%."} {
		if !strings.Contains(page, want) {
			t.Errorf("lumbar-referred from L5: the report lacks %q", want)
		}
	}
	if strings.Contains(page, "Leading alternative") {
		t.Error("a leading alternative outside other-cause")
	}

	// As stored before v1.1.
	res = otherCause()
	res.Differential, res.ProbabilityRanges, res.NerveRoot = nil, tendo.ProbabilityRanges{}, nil
	page = render(res)
	for _, not := range []string{"credible interval", "Other conditions", "OTHER CONDITIONS", "Nerve root:", "No single nerve root", "Leading alternative", "(0–0%)", "reaches 2%"} {
		if strings.Contains(page, not) {
			t.Errorf("a result without the v1.1 keys shows %q", not)
		}
	}
	if !strings.Contains(page, "71%") {
		t.Error("the probabilities are missing")
	}
}

package web_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/tendo-health/tendo"
)

// v11Assessor is the engine with the contract's v1.1 keys filled by hand
// (the engine fills them later): other-cause, tarsal tunnel leading.
type v11Assessor struct{ tendo.Assessor }

func (v v11Assessor) Assess(a *tendo.Assessment) (*tendo.Result, error) {
	res, err := v.Assessor.Assess(a)
	if err != nil {
		return nil, err
	}
	res.Classification = tendo.OtherCause
	res.Probabilities.AchillesTendinopathy = 0.82
	res.ProbabilityRanges.AchillesTendinopathy = tendo.Range{0.70, 0.90}
	res.Differential = []tendo.DifferentialEntry{
		{Code: "tarsal-tunnel", Probability: 0.64, Range: tendo.Range{0.41, 0.80}},
		{Code: "partial-achilles-tear", Probability: 0.031, Range: tendo.Range{0.02, 0.049}},
	}
	res.NerveRoot = nil
	return res, nil
}

// preV11Assessor is the engine with the v1.1 keys removed, as a result
// stored before v1.1 has them.
type preV11Assessor struct{ tendo.Assessor }

func (v preV11Assessor) Assess(a *tendo.Assessment) (*tendo.Result, error) {
	res, err := v.Assessor.Assess(a)
	if err != nil {
		return nil, err
	}
	res.Differential, res.NerveRoot, res.ProbabilityRanges = nil, nil, tendo.ProbabilityRanges{}
	if res.Classification == tendo.OtherCause {
		res.Classification = tendo.Uncertain
	}
	return res, nil
}

// TestResultPageV11 checks that the result page and the printable report
// show the probabilities with their intervals, the differential in plain
// words, the nerve root and the leading alternative, with no script; and
// that a result stored before v1.1 shows none of it.
func TestResultPageV11(t *testing.T) {
	t.Parallel()
	a := newAppWith(t, v11Assessor{engine(t)})
	b := a.login("clinicianA")
	base := "/patients/" + itoa(a.patA.ID) + "/assessments/" + jsonNum(a.assA)
	want := []string{
		"82% (70–90%)", "Probability (90% credible interval)",
		"Tarsal tunnel syndrome", "64% (41–80%)", "Partial Achilles tear", "3% (2–5%)",
		"No single nerve root reaches 50%",
		"Leading alternative: tarsal tunnel syndrome, 64% (41–80%)",
	}
	for _, path := range []string{base, base + "/report"} {
		code, page, _ := b.get(path)
		if code != http.StatusOK {
			t.Fatalf("%s: %d", path, code)
		}
		for _, w := range want {
			if !strings.Contains(page, w) {
				t.Errorf("%s lacks %q", path, w)
			}
		}
		if strings.Contains(page, "<script") {
			t.Errorf("%s has a script", path)
		}
	}

	// A result stored before v1.1 has no such keys: nothing about them is
	// shown.
	old := newAppWith(t, preV11Assessor{engine(t)})
	b = old.login("clinicianA")
	_, page, _ := b.get("/patients/" + itoa(old.patA.ID) + "/assessments/" + jsonNum(old.assA))
	for _, not := range []string{"credible interval", "Other conditions", "Nerve root:", "No single nerve root", "Leading alternative"} {
		if strings.Contains(page, not) {
			t.Errorf("a result without the v1.1 keys shows %q", not)
		}
	}
}

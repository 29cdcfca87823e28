package tendo_test

import (
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/tendo-health/tendo"
	"github.com/tendo-health/tendo/internal/shared"
)

// TestDifferentialCodesFollowTheContract checks the codes, and their
// order, against the contract's table of differential codes.
func TestDifferentialCodesFollowTheContract(t *testing.T) {
	t.Parallel()
	spec, err := os.ReadFile(shared.Path(t, "spec", "assessment-v1.md"))
	if err != nil {
		t.Fatal(err)
	}
	text := string(spec)
	i := strings.Index(text, "`differential` codes:")
	if i < 0 {
		t.Fatal("the contract has no table of differential codes")
	}
	var want []string
	row := regexp.MustCompile("^\\| `([a-z0-9-]+)` \\|")
	for _, line := range strings.Split(text[i:], "\n")[1:] {
		if m := row.FindStringSubmatch(line); m != nil {
			want = append(want, m[1])
		} else if len(want) > 0 && !strings.HasPrefix(line, "|") {
			break
		}
	}
	if got := tendo.DifferentialCodes(); !slices.Equal(got, want) {
		t.Errorf("DifferentialCodes() = %q\nthe contract lists %q", got, want)
	}
	for _, c := range want {
		name := tendo.DifferentialName(c)
		if name == c || name == "" || strings.ToUpper(name[:1]) != name[:1] {
			t.Errorf("%s has no plain name (%q)", c, name)
		}
	}
}

func TestDifferentialNames(t *testing.T) {
	t.Parallel()
	for code, want := range map[string][2]string{
		"partial-achilles-tear": {"Partial Achilles tear", "partial Achilles tear"},
		"tarsal-tunnel":         {"Tarsal tunnel syndrome", "tarsal tunnel syndrome"},
		"l5-radiculopathy":      {"L5 radiculopathy", "L5 radiculopathy"},
		"dvt":                   {"Deep vein thrombosis", "deep vein thrombosis"},
		"not-a-code":            {"not-a-code", "not-a-code"},
	} {
		if got := [2]string{tendo.DifferentialName(code), tendo.DifferentialPhrase(code)}; got != want {
			t.Errorf("%s: name, phrase = %q; want %q", code, got, want)
		}
	}
}

func TestPercentRange(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		p    float64
		r    tendo.Range
		want string
	}{
		{0.82, tendo.Range{0.70, 0.90}, "82% (70–90%)"},
		{0.031, tendo.Range{0.02, 0.049}, "3% (2–5%)"},
		{0.03, tendo.Range{0.029, 0.034}, "3% (3–3%)"}, // rounds to the point: still shown
		{0.004, tendo.Range{0.001, 0.009}, "0% (0–1%)"},
		{1, tendo.Range{0.96, 1}, "100% (96–100%)"},
		{0.82, tendo.Range{}, "82%"}, // no range (a result from before v1.1)
	} {
		if got := tendo.PercentRange(tt.p, tt.r); got != tt.want {
			t.Errorf("PercentRange(%v, %v) = %q, want %q", tt.p, tt.r, got, tt.want)
		}
	}
}

func TestLeadingDifferential(t *testing.T) {
	t.Parallel()
	res := &tendo.Result{Differential: []tendo.DifferentialEntry{{Code: "l5-radiculopathy", Probability: 0.4}, {Code: "tarsal-tunnel", Probability: 0.3}}}
	if d, ok := res.LeadingDifferential(); !ok || d.Code != "tarsal-tunnel" {
		t.Errorf("LeadingDifferential = %+v, %v; want tarsal-tunnel (a lumbar root is not an alternative)", d, ok)
	}
	if _, ok := (&tendo.Result{Differential: []tendo.DifferentialEntry{}}).LeadingDifferential(); ok {
		t.Error("an empty differential has a leading entry")
	}
}

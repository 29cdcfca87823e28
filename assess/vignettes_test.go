package assess_test

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/tendo-health/tendo"
	"github.com/tendo-health/tendo/assess"
	"github.com/tendo-health/tendo/intake"
	"github.com/tendo-health/tendo/internal/shared"
)

// expectation is one entry of an expected.json: the public cases, the
// public v1.1 examples and tendo's own vignettes share the format.
type expectation struct {
	Classification       string             `json:"classification"`
	TendinopathySite     *string            `json:"tendinopathySite"`
	RedFlags             []string           `json:"redFlags"`
	AllowedExtraRedFlags []string           `json:"allowedExtraRedFlags"`
	DifferentialTop      *string            `json:"differentialTop"`
	NerveRoot            *string            `json:"nerveRoot"`
	Scores               map[string]float64 `json:"scores"`
	RestsOn              string             `json:"restsOn"`
	hasRoot              bool
}

// caseSet reads a folder of assessments and its expected.json.
func caseSet(tb testing.TB, dir string) (names []string, inputs map[string]*tendo.Assessment, want map[string]expectation) {
	tb.Helper()
	data, err := os.ReadFile(filepath.Join(dir, "expected.json"))
	if err != nil {
		tb.Fatal(err)
	}
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(data, &raw); err != nil {
		tb.Fatal(err)
	}
	want = map[string]expectation{}
	inputs = map[string]*tendo.Assessment{}
	for k, v := range raw {
		if strings.HasPrefix(k, "_") {
			continue
		}
		var x expectation
		if err := json.Unmarshal(v, &x); err != nil {
			tb.Fatalf("%s: %v", k, err)
		}
		var keys map[string]json.RawMessage
		_ = json.Unmarshal(v, &keys)
		_, x.hasRoot = keys["nerveRoot"]
		want[k] = x
	}
	files, err := filepath.Glob(filepath.Join(dir, "*.json"))
	if err != nil {
		tb.Fatal(err)
	}
	for _, f := range files {
		name := strings.TrimSuffix(filepath.Base(f), ".json")
		if name == "expected" {
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			tb.Fatal(err)
		}
		a, err := intake.Parse(b)
		if err != nil {
			tb.Fatalf("%s: %v", name, err)
		}
		if _, ok := want[name]; !ok {
			tb.Errorf("%s: no entry in expected.json", name)
			continue
		}
		inputs[name] = a
		names = append(names, name)
	}
	sort.Strings(names)
	return names, inputs, want
}

// mismatches compares a result with its expectation.
func mismatches(res *tendo.Result, want expectation) []string {
	var out []string
	if string(res.Classification) != want.Classification {
		out = append(out, fmt.Sprintf("classification %s, want %s (%s)", res.Classification, want.Classification, res.ClassificationReason))
	}
	if want.TendinopathySite != nil && (res.TendinopathySite == nil || *res.TendinopathySite != *want.TendinopathySite) {
		got := "null"
		if res.TendinopathySite != nil {
			got = *res.TendinopathySite
		}
		out = append(out, fmt.Sprintf("site %s, want %s", got, *want.TendinopathySite))
	}
	got := map[string]bool{}
	for _, f := range res.RedFlags {
		got[f.Code] = true
	}
	for _, code := range want.RedFlags {
		if !got[code] {
			out = append(out, "red flag "+code+" missing")
		}
		delete(got, code)
	}
	for _, code := range want.AllowedExtraRedFlags {
		delete(got, code)
	}
	for code := range got {
		out = append(out, "unexpected red flag "+code)
	}
	if want.DifferentialTop != nil {
		top := "(empty)"
		if len(res.Differential) > 0 {
			top = res.Differential[0].Code
		}
		if top != *want.DifferentialTop {
			out = append(out, fmt.Sprintf("differential[0] %s, want %s (%v)", top, *want.DifferentialTop, short(res.Differential)))
		}
	}
	if want.hasRoot {
		g, w := "null", "null"
		if res.NerveRoot != nil {
			g = *res.NerveRoot
		}
		if want.NerveRoot != nil {
			w = *want.NerveRoot
		}
		if g != w {
			out = append(out, fmt.Sprintf("nerveRoot %s, want %s (S1 %.2f)", g, w, res.Probabilities.S1Radiculopathy))
		}
	}
	for measure, v := range want.Scores {
		var s *tendo.Score
		switch measure {
		case "visaA":
			s = res.Scores.VISAA
		case "odi":
			s = res.Scores.ODI
		case "nprs":
			s = res.Scores.NPRS
		case "lefs":
			s = res.Scores.LEFS
		}
		if s == nil || s.Rounded != v {
			out = append(out, fmt.Sprintf("score %s %v, want %v", measure, s, v))
		}
	}
	return out
}

func short(d []tendo.DifferentialEntry) string {
	var b []string
	for i, x := range d {
		if i == 4 {
			break
		}
		b = append(b, fmt.Sprintf("%s %.2f", x.Code, x.Probability))
	}
	return strings.Join(b, ", ")
}

// TestCaseSets runs every case of the three sets against its expected
// conclusions: ../shared/cases, ../shared/cases-v11 and tendo's own
// vignettes (testdata/vignettes), each written before tendo was run on
// it. Every plan also passes the plan lint.
func TestCaseSets(t *testing.T) {
	t.Parallel()
	e := mustEngine(t)
	for _, set := range []struct{ name, dir string }{
		{"cases", shared.Path(t, "cases")},
		{"cases-v11", shared.Path(t, "cases-v11")},
		{"vignettes", filepath.Join("testdata", "vignettes")},
	} {
		names, inputs, want := caseSet(t, set.dir)
		pass := 0
		for _, name := range names {
			res, err := e.Assess(inputs[name])
			if err != nil {
				t.Errorf("%s/%s: %v", set.name, name, err)
				continue
			}
			bad := mismatches(res, want[name])
			bad = append(bad, e.Lint(res)...)
			if len(bad) == 0 {
				pass++
				continue
			}
			t.Errorf("%s/%s:\n\t%s", set.name, name, strings.Join(bad, "\n\t"))
		}
		t.Logf("%s: %d of %d pass", set.name, pass, len(names))
	}
}

var _ = assess.New

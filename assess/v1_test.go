package assess_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/tendo-health/tendo"
	"github.com/tendo-health/tendo/internal/shared"
)

// TestV1Unchanged compares the conclusions for the public v1 cases with
// the results stored before contract v1.1 and model 2.0
// (testdata/v1-before, written by tendo-achilles 1.0.0): the
// classification, the tendinopathy site, the red-flag codes and the
// scores must be the same. The probabilities themselves change with the
// model; the conclusions drawn from v1 inputs must not.
func TestV1Unchanged(t *testing.T) {
	t.Parallel()
	e := mustEngine(t)
	files, err := filepath.Glob(filepath.Join("testdata", "v1-before", "*.json"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no stored results: %v", err)
	}
	for _, f := range files {
		name := strings.TrimSuffix(filepath.Base(f), ".json")
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			var before tendo.Result
			if err := json.Unmarshal(data, &before); err != nil {
				t.Fatal(err)
			}
			if before.ModelVersion != "tendo-achilles 1.0.0" {
				t.Fatalf("stored with %q, want the v1 model", before.ModelVersion)
			}
			_ = shared.Path
			res, err := e.Assess(loadCase(t, name))
			if err != nil {
				t.Fatal(err)
			}
			if res.Classification != before.Classification {
				t.Errorf("classification %s, before %s", res.Classification, before.Classification)
			}
			site := func(s *string) string {
				if s == nil {
					return "null"
				}
				return *s
			}
			if site(res.TendinopathySite) != site(before.TendinopathySite) {
				t.Errorf("site %s, before %s", site(res.TendinopathySite), site(before.TendinopathySite))
			}
			codes := func(fs []tendo.RedFlag) []string {
				var out []string
				for _, f := range fs {
					out = append(out, f.Code)
				}
				slices.Sort(out)
				return out
			}
			if !slices.Equal(codes(res.RedFlags), codes(before.RedFlags)) {
				t.Errorf("red flags %v, before %v", codes(res.RedFlags), codes(before.RedFlags))
			}
			for _, pair := range [][2]*tendo.Score{
				{res.Scores.VISAA, before.Scores.VISAA}, {res.Scores.ODI, before.Scores.ODI},
				{res.Scores.NPRS, before.Scores.NPRS}, {res.Scores.LEFS, before.Scores.LEFS},
			} {
				if (pair[0] == nil) != (pair[1] == nil) || (pair[0] != nil && (pair[0].Value != pair[1].Value || pair[0].Band != pair[1].Band)) {
					t.Errorf("score %+v, before %+v", pair[0], pair[1])
				}
			}
		})
	}
}

package fhir_test

import (
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/tendo-health/tendo/fhir"
)

// TestOfficialExamplesRoundTrip reads every official R4 example of a
// modelled type, writes it back and compares the two as JSON values (key
// order and white space aside): nothing is lost, contained resources and
// primitive extensions (_birthDate) included, and decimals keep their text.
func TestOfficialExamplesRoundTrip(t *testing.T) {
	t.Parallel()
	examples, files := officialExamples(t)
	// The official examples of each type issue 11 reads or writes, as
	// counted in ../shared/data/fhir/r4-examples: fewer means the test
	// would no longer cover a type.
	want := map[string]int{
		"Bundle": 1, "CarePlan": 11, "Condition": 12, "DetectedIssue": 4, "Flag": 2,
		"Observation": 64, "Patient": 1, "Questionnaire": 7, "QuestionnaireResponse": 5,
		"RiskAssessment": 6, "ServiceRequest": 3,
	}
	got := map[string]int{}
	for _, ex := range examples {
		rt, _, _ := strings.Cut(ex.name, "-")
		got[rt]++
	}
	for _, rt := range slices.Sorted(maps.Keys(want)) {
		if got[rt] < want[rt] {
			t.Errorf("%d official %s examples, want at least %d", got[rt], rt, want[rt])
		}
		t.Logf("%s: %d official examples", rt, got[rt])
	}
	t.Logf("%d of %d official R4 examples are of a modelled type and round-trip", len(examples), files)
	for _, ex := range examples {
		t.Run(ex.name, func(t *testing.T) {
			t.Parallel()
			r, err := fhir.Unmarshal(ex.data)
			if err != nil {
				t.Fatal(err)
			}
			if _, raw := r.(*fhir.RawResource); raw {
				t.Fatalf("read as %T, want its modelled type", r)
			}
			out, err := fhir.Marshal(r)
			if err != nil {
				t.Fatal(err)
			}
			if d := diff("", generic(t, ex.data), generic(t, out)); d != "" {
				t.Fatalf("written back differs at %s\n%s", d, out)
			}
			// A second pass writes the same bytes: the output is stable.
			r2, err := fhir.Unmarshal(out)
			if err != nil {
				t.Fatal(err)
			}
			out2, err := fhir.Marshal(r2)
			if err != nil {
				t.Fatal(err)
			}
			if string(out2) != string(out) {
				t.Fatalf("second write differs:\n%s\n%s", out, out2)
			}
		})
	}
}

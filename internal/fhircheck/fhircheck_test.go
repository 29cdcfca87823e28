package fhircheck_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/tendo-health/tendo/internal/fhircheck"
	"github.com/tendo-health/tendo/internal/shared"
)

// exampleTypes are the resource types whose official R4 examples must pass
// every check.
var exampleTypes = []string{
	"Patient", "Observation", "QuestionnaireResponse", "Questionnaire", "RiskAssessment",
	"Flag", "DetectedIssue", "CarePlan", "Condition",
}

// knownFailure is an error a check reports in an official example, with
// why: each is a defect of the example, of a tool or of the R4 definitions
// themselves, never of the harness's own logic. The test requires exactly
// these errors (n of them, each at a location matching the pattern, each
// message containing want), so any change shows.
type knownFailure struct {
	check    string
	location *regexp.Regexp
	want     string
	n        int
	why      string
}

var knownFailures = map[string][]knownFailure{
	// The example's own defect: Questionnaire.item.linkId is 1..1, and
	// 32 nested display items have none. Only the cardinality check sees
	// it (the JSON schema cannot require a primitive, which may be present
	// as "_linkId" alone; FHIR.js does not look at nested items' linkId).
	"Questionnaire-qs1.json": {{fhircheck.Invariants, regexp.MustCompile(`^Questionnaire\.item\[0\](\.item\[\d+\])+\.linkId$`),
		"cardinality: Questionnaire.item.linkId has min 1, found 0", 32, "the example lacks linkId (1..1)"}},
	// R4's que-7 reads "answer is Boolean": System.Boolean, which a FHIR
	// boolean is not in FHIRPath's type system, so it is false for every
	// enableWhen with operator "exists" (later FHIR versions write
	// "boolean"). A defect of the R4 definition, which fhirpath applies as
	// written.
	"Questionnaire-bb.json": {{fhircheck.Invariants, regexp.MustCompile(`^Questionnaire\.item\[0\]\.item\[1\]\.item\[2\]\.item\[0\]\.enableWhen\[0\]$`),
		"que-7: If the operator is 'exists', the value must be a boolean", 1, "R4's que-7 names System.Boolean"}},
	// ras-2 is "probability is decimal implies (probability as decimal) <=
	// 100". These predictions have no probability; fhirpath.js gives empty
	// for "{} is decimal" where the FHIRPath specification's "is" gives
	// false, so the invariant gives empty, not true. A defect of
	// fhirpath.js; the harness counts only true as a pass.
	"RiskAssessment-breastcancer-risk.json": {{fhircheck.Invariants, regexp.MustCompile(`^RiskAssessment\.prediction\[0\]$`),
		"ras-2: gave [], not true", 1, "fhirpath.js: {} is decimal gives empty"}},
	"RiskAssessment-prognosis.json": {{fhircheck.Invariants, regexp.MustCompile(`^RiskAssessment\.prediction\[0\]$`),
		"ras-2: gave [], not true", 1, "fhirpath.js: {} is decimal gives empty"}},
}

// officialExamples reads the official R4 examples of the given types, by
// file name.
func officialExamples(t *testing.T, types ...string) map[string][]byte {
	t.Helper()
	dir := shared.Path(t, "data", "fhir", "r4-examples")
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]byte{}
	for _, e := range ents {
		typ, _, ok := strings.Cut(e.Name(), "-")
		if !ok || !strings.HasSuffix(e.Name(), ".json") || !slices.Contains(types, typ) {
			continue
		}
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		out[e.Name()] = b
	}
	return out
}

// TestOfficialExamples runs every official example of the types tendo
// reads or writes through all three checks: each passes, except the
// negative control and the known failures above, which give exactly their
// listed errors.
func TestOfficialExamples(t *testing.T) {
	t.Parallel()
	examples := officialExamples(t, exampleTypes...)
	delete(examples, "Observation-clinical-gender.json") // the negative control, TestNegativeControls
	for _, typ := range exampleTypes {
		n := 0
		for name := range examples {
			if strings.HasPrefix(name, typ+"-") {
				n++
			}
		}
		if n == 0 {
			t.Errorf("no official %s example in the shared data", typ)
		}
	}
	rep := fhircheck.Check(t, examples)
	t.Logf("%d official examples checked; tools %v", len(rep.Resources), rep.Tools)
	if len(rep.Resources) != len(examples) {
		t.Fatalf("%d results for %d examples", len(rep.Resources), len(examples))
	}
	for name, res := range rep.Resources {
		known := knownFailures[name]
		if known == nil {
			if !res.Valid() {
				for _, c := range res.RejectedBy() {
					for _, i := range res.Issues(c) {
						t.Errorf("%s: %s: %s", name, c, i)
					}
				}
			}
			continue
		}
		counts := make([]int, len(known))
		for _, c := range res.RejectedBy() {
			for _, i := range res.Issues(c) {
				k := slices.IndexFunc(known, func(k knownFailure) bool {
					return k.check == c && k.location.MatchString(i.Location) && strings.Contains(i.Message, k.want)
				})
				if k < 0 {
					t.Errorf("%s: unexpected %s error: %s", name, c, i)
					continue
				}
				counts[k]++
			}
		}
		for k, n := range counts {
			if n != known[k].n {
				t.Errorf("%s: %d %s errors %q (%s), want %d", name, n, known[k].check, known[k].want, known[k].why, known[k].n)
			}
		}
	}
	for name := range knownFailures {
		if _, ok := rep.Resources[name]; !ok {
			t.Errorf("known failure %s is not among the examples", name)
		}
	}
	if i := slices.IndexFunc(rep.Skipped, func(s fhircheck.Skip) bool { return s.Key == "dom-3" }); i < 0 || rep.Skipped[i].Instances == 0 {
		t.Errorf("dom-3 is not reported as skipped: %+v", rep.Skipped)
	} else {
		t.Logf("skipped %s on %d resources: %s", rep.Skipped[i].Key, rep.Skipped[i].Instances, rep.Skipped[i].Reason)
	}
}

// edit returns the official example name, changed by fn.
func edit(t *testing.T, name string, fn func(map[string]any)) []byte {
	t.Helper()
	b, err := os.ReadFile(shared.Path(t, "data", "fhir", "r4-examples", name))
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	fn(m)
	out, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func official(t *testing.T, name string) []byte {
	t.Helper()
	return edit(t, name, func(map[string]any) {})
}

// TestNegativeControls shows that the harness rejects what it must, and
// which checks reject each: the test requires exactly those checks, and in
// each an error at the location, so a check that passes everything, or
// one that starts to reject for another reason, fails it.
func TestNegativeControls(t *testing.T) {
	t.Parallel()
	type reject struct{ check, location, want string }
	cases := []struct {
		name    string
		json    []byte
		rejects []reject // exactly these checks reject
	}{
		{
			name: "performer references an Encounter (Observation-clinical-gender.json)",
			json: official(t, "Observation-clinical-gender.json"),
			rejects: []reject{
				{fhircheck.FHIRJS, "Observation.performer[0]", "Invalid type for reference"},
				{fhircheck.Invariants, "Observation.performer[0].reference", "reference to a Encounter (Encounter/example) is not one of Observation.performer's targets"},
			},
		},
		{
			name: "Observation with no status",
			json: edit(t, "Observation-example.json", func(m map[string]any) { delete(m, "status") }),
			rejects: []reject{
				{fhircheck.FHIRJS, "Observation.status", "Missing property"},
				{fhircheck.Invariants, "Observation.status", "cardinality: Observation.status has min 1, found 0"},
			},
		},
		{
			name: "obs-6: dataAbsentReason and a value",
			json: edit(t, "Observation-example.json", func(m map[string]any) {
				m["dataAbsentReason"] = map[string]any{"text": "not measured"}
			}),
			rejects: []reject{
				{fhircheck.Invariants, "Observation", "obs-6: dataAbsentReason SHALL only be present if Observation.value[x] is not present"},
			},
		},
		{
			name: "obs-3: a reference range with neither low, high nor text",
			json: edit(t, "Observation-example.json", func(m map[string]any) {
				m["referenceRange"] = []any{map[string]any{"type": map[string]any{"text": "normal"}}}
			}),
			rejects: []reject{
				{fhircheck.Invariants, "Observation.referenceRange[0]", "obs-3: Must have at least a low or a high or text"},
			},
		},
		{
			name: "ele-1: an empty element inside a datatype",
			json: edit(t, "Observation-example.json", func(m map[string]any) {
				m["code"] = map[string]any{"coding": []any{map[string]any{}}, "text": "weight"}
			}),
			rejects: []reject{
				{fhircheck.Invariants, "Observation.code.coding[0]", "ele-1: All FHIR elements must have a @value or children"},
			},
		},
		{
			name: "status twice (max 1)",
			json: edit(t, "Observation-example.json", func(m map[string]any) { m["status"] = []any{"final", "amended"} }),
			rejects: []reject{
				{fhircheck.Schema, "/status", "must be equal to one of the allowed values"},
				{fhircheck.FHIRJS, "Observation.status", "not found in value set"},
				{fhircheck.Invariants, "Observation.status", "cardinality: Observation.status has max 1, found 2"},
			},
		},
		{
			name: "an unknown member",
			json: edit(t, "Observation-example.json", func(m map[string]any) { m["colour"] = "blue" }),
			rejects: []reject{
				{fhircheck.Schema, "/", "must NOT have additional properties"},
				{fhircheck.FHIRJS, "Observation.colour", "Unexpected property"},
				{fhircheck.Invariants, "Observation.colour", "no element Observation.colour"},
			},
		},
		{
			name: "not JSON",
			json: []byte(`{"resourceType": "Observation",`),
			rejects: []reject{
				{fhircheck.Schema, "/", "not JSON"},
				{fhircheck.FHIRJS, "/", "not JSON"},
				{fhircheck.Invariants, "/", "not JSON"},
			},
		},
		{
			name: "not a resource type",
			json: []byte(`{"resourceType": "Observaton", "status": "final"}`),
			rejects: []reject{
				{fhircheck.Schema, "/resourceType", "not a resource type"},
				{fhircheck.FHIRJS, "/resourceType", "not a resource type"},
				{fhircheck.Invariants, "/resourceType", "not a resource type"},
			},
		},
		{
			name: "not UTF-8",
			json: []byte("{\"resourceType\": \"Patient\", \"id\": \"\xff\"}"),
			rejects: []reject{
				{fhircheck.Schema, "/", "not UTF-8"},
				{fhircheck.FHIRJS, "/", "not UTF-8"},
				{fhircheck.Invariants, "/", "not UTF-8"},
			},
		},
	}
	in := map[string][]byte{}
	for _, c := range cases {
		in[c.name] = c.json
	}
	rep := fhircheck.Check(t, in) // one node run for every case
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res, ok := rep.Resources[c.name]
			if !ok {
				t.Fatal("no result")
			}
			var want []string
			for _, r := range c.rejects {
				if !slices.Contains(want, r.check) {
					want = append(want, r.check)
				}
			}
			if got := res.RejectedBy(); !slices.Equal(got, want) {
				t.Errorf("rejected by %v, want %v; errors:\n%s", got, want, strings.Join(errorLines(res), "\n"))
			}
			for _, r := range c.rejects {
				if !slices.ContainsFunc(res.Issues(r.check), func(i fhircheck.Issue) bool {
					return i.Location == r.location && strings.Contains(i.Message, r.want)
				}) {
					t.Errorf("%s: no error at %s containing %q; errors:\n%s", r.check, r.location, r.want, strings.Join(errorLines(res), "\n"))
				}
			}
			t.Logf("rejected by %v", res.RejectedBy())
		})
	}
}

func errorLines(r fhircheck.Result) []string {
	var out []string
	for _, c := range r.RejectedBy() {
		for _, i := range r.Issues(c) {
			out = append(out, c+": "+i.String())
		}
	}
	return out
}

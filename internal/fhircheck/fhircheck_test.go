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
	// 100". These predictions have no probability, and "{} is decimal" is
	// empty (so fhirpath.js, and so HL7's Java engine per
	// hapifhir/org.hl7.fhir.core#122; FHIRPath's continuous build now says
	// false), so ras-2 gives empty. An invariant holds only when it gives
	// true (HL7's validator counts empty as failed: HL7/fhir#4122,
	// FirelyTeam/firely-net-sdk#1929), so the harness fails it: a defect of
	// R4's ras-2 expression, which does not guard an absent probability.
	"RiskAssessment-breastcancer-risk.json": {{fhircheck.Invariants, regexp.MustCompile(`^RiskAssessment\.prediction\[0\]$`),
		"ras-2: gave [], not true", 1, "R4's ras-2 gives empty without a probability"}},
	"RiskAssessment-prognosis.json": {{fhircheck.Invariants, regexp.MustCompile(`^RiskAssessment\.prediction\[0\]$`),
		"ras-2: gave [], not true", 1, "R4's ras-2 gives empty without a probability"}},
}

// officialExamples reads the official R4 examples of the given types, by
// file name.
func officialExamples(t testing.TB, types ...string) map[string][]byte {
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
	checkCoverage(t, rep, examples)
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
		nSchema int      // if not 0, the number of schema errors
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
			name: "a contained Encounter as performer (#id)",
			json: edit(t, "Observation-example.json", func(m map[string]any) {
				m["contained"] = []any{map[string]any{"resourceType": "Encounter", "id": "enc", "status": "finished",
					"class": map[string]any{"system": "http://terminology.hl7.org/CodeSystem/v3-ActCode", "code": "AMB"}}}
				m["performer"] = []any{map[string]any{"reference": "#enc"}}
			}),
			rejects: []reject{
				{fhircheck.Invariants, "Observation.performer[0].reference", "reference to a Encounter (#enc) is not one of Observation.performer's targets"},
			},
		},
		{
			name: "Reference.type not a target",
			json: edit(t, "Observation-example.json", func(m map[string]any) {
				m["subject"] = map[string]any{"reference": "Patient/example", "type": "Encounter"}
			}),
			rejects: []reject{
				{fhircheck.FHIRJS, "Observation.subject", "Invalid type for reference"},
				{fhircheck.Invariants, "Observation.subject.type", "reference type Encounter is not one of Observation.subject's targets"},
			},
		},
		{
			name: "Bundle: subject is the urn:uuid of an Encounter",
			json: bundle(t, func(obs map[string]any) {
				obs["subject"] = map[string]any{"reference": "urn:uuid:0f1e2d3c-4b5a-4968-8776-655443322110"}
			}),
			rejects: []reject{
				{fhircheck.Invariants, "Bundle.entry[1].resource.subject.reference", "reference to a Encounter (urn:uuid:0f1e2d3c-4b5a-4968-8776-655443322110) is not one of Observation.subject's targets"},
			},
		},
		{
			name: "Bundle: an entry's Observation with no status",
			json: bundle(t, func(obs map[string]any) { delete(obs, "status") }),
			rejects: []reject{
				{fhircheck.FHIRJS, "Observation.status", "Missing property"}, // FHIR.js names the entry's resource alone
				{fhircheck.Invariants, "Bundle.entry[1].resource.status", "cardinality: Observation.status has min 1, found 0"},
			},
		},
		{
			// The schema checks an entry's resource by a oneOf of every
			// type; the harness gives the errors against its own type
			// only, not one for each of the 146 types.
			name: "Bundle: an entry's Observation with no code",
			json: bundle(t, func(obs map[string]any) { delete(obs, "code") }),
			rejects: []reject{
				{fhircheck.Schema, "/entry/1/resource", "must have required property 'code'"},
				{fhircheck.FHIRJS, "Observation.code", "Missing property"},
				{fhircheck.Invariants, "Bundle.entry[1].resource.code", "cardinality: Observation.code has min 1, found 0"},
			},
			nSchema: 1,
		},
		{
			name: "enableWhen with no answer (FHIR.js's falsy-choice correction does not hide it)",
			json: edit(t, "Questionnaire-zika-virus-exposure-assessment.json", func(m map[string]any) {
				ew := m["item"].([]any)[1].(map[string]any)["enableWhen"].([]any)[0].(map[string]any)
				delete(ew, "answerBoolean")
			}),
			rejects: []reject{
				{fhircheck.FHIRJS, "Questionnaire.item[1].enableWhen[0].answer[x]", "Missing property"},
				{fhircheck.Invariants, "Questionnaire.item[1].enableWhen[0].answer", "cardinality: Questionnaire.item.enableWhen.answer[x] has min 1, found 0"},
			},
		},
		{
			name: "a constraint fhirpath cannot evaluate is a harness error (ras-2 on two probabilities)",
			json: edit(t, "RiskAssessment-genetic.json", func(m map[string]any) {
				m["prediction"] = []any{map[string]any{"outcome": map[string]any{"text": "x"}, "probabilityDecimal": []any{0.1, 0.2}}}
			}),
			rejects: []reject{
				{fhircheck.Schema, "/prediction/0/probabilityDecimal", "must be number"},
				{fhircheck.Invariants, "RiskAssessment.prediction[0].probability", "cardinality: RiskAssessment.prediction.probability[x] has max 1, found 2"},
				{fhircheck.Harness, "RiskAssessment.prediction[0]", "ras-2: fhirpath cannot evaluate"},
			},
		},
		{
			// The R4 JSON schema does not say that a complex type is an
			// object, so it passes this; the invariant check does not.
			name: "a string for a Period",
			json: edit(t, "Observation-example.json", func(m map[string]any) {
				delete(m, "effectiveDateTime")
				m["effectivePeriod"] = "2020"
			}),
			rejects: []reject{
				{fhircheck.FHIRJS, "Observation.effectivePeriod.0", "Unexpected property"},
				{fhircheck.Invariants, "Observation.effective", "Observation.effective[x] is a Period: a JSON object, not \"2020\""},
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
	// A report far longer than a pipe's buffer (64 KiB) comes through
	// whole: 3000 items with no linkId give 3000 errors.
	const many = 3000
	items := make([]any, many)
	for i := range items {
		items[i] = map[string]any{"type": "display", "text": "a line"}
	}
	large, err := json.Marshal(map[string]any{"resourceType": "Questionnaire", "status": "active", "item": items})
	if err != nil {
		t.Fatal(err)
	}
	in["large"] = large
	rep := fhircheck.Check(t, in) // one node run for every case
	if n := len(rep.Resources["large"].Invariants); n != many {
		t.Errorf("large: %d invariant errors, want %d", n, many)
	}
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
			if c.nSchema != 0 && len(res.Schema) != c.nSchema {
				t.Errorf("%d schema errors, want %d:\n%s", len(res.Schema), c.nSchema, strings.Join(errorLines(res), "\n"))
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

// bundle is a collection Bundle of a Patient and an Observation about it,
// linked by urn:uuid full URLs as tendo's export links them; fn may change
// the Observation.
func bundle(t *testing.T, fn func(obs map[string]any)) []byte {
	t.Helper()
	obs := map[string]any{
		"resourceType": "Observation", "id": "o1", "status": "final",
		"code":              map[string]any{"text": "pain now (0 to 10)"},
		"subject":           map[string]any{"reference": "urn:uuid:9a3c1f2e-0d4b-4c55-8a1e-2b7f6c0d9e11"},
		"valueInteger":      0,
		"effectiveDateTime": "2026-01-02T10:00:00Z",
	}
	if fn != nil {
		fn(obs)
	}
	b := map[string]any{
		"resourceType": "Bundle", "type": "collection",
		"entry": []any{
			map[string]any{"fullUrl": "urn:uuid:9a3c1f2e-0d4b-4c55-8a1e-2b7f6c0d9e11",
				"resource": map[string]any{"resourceType": "Patient", "id": "p1", "gender": "female"}},
			map[string]any{"fullUrl": "urn:uuid:5e0b7d1c-3f6a-4b2d-9c8e-7a1f0e2d3c44", "resource": obs},
			map[string]any{"fullUrl": "urn:uuid:0f1e2d3c-4b5a-4968-8776-655443322110",
				"resource": map[string]any{"resourceType": "Encounter", "id": "e1", "status": "finished",
					"class": map[string]any{"system": "http://terminology.hl7.org/CodeSystem/v3-ActCode", "code": "AMB"}}},
		},
	}
	out, err := json.Marshal(b)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestPositiveControls shows that what is valid passes every check,
// including the shapes tendo's export writes (a Bundle linked by urn:uuid,
// contained resources referenced by #id, zero and false values, primitive
// extensions).
func TestPositiveControls(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		json []byte
		note string // a note the invariant check must give, if any
	}{
		{name: "Bundle linked by urn:uuid", json: bundle(t, nil)},
		{
			name: "contained Patient as subject (#id)",
			json: edit(t, "Observation-example.json", func(m map[string]any) {
				m["contained"] = []any{map[string]any{"resourceType": "Patient", "id": "p1", "gender": "male"}}
				m["subject"] = map[string]any{"reference": "#p1"}
			}),
		},
		{
			name: "a primitive extension beside its value",
			json: edit(t, "Observation-example.json", func(m map[string]any) {
				m["_status"] = map[string]any{"extension": []any{map[string]any{
					"url": "http://example.org/fhir/StructureDefinition/note", "valueString": "checked twice"}}}
			}),
		},
		{
			name: "enableWhen answerBoolean false (FHIR.js's falsy-choice defect corrected, with a note)",
			json: official(t, "Questionnaire-zika-virus-exposure-assessment.json"),
			note: "FHIR.js says \"Missing property\" but answerBoolean is there",
		},
	}
	in := map[string][]byte{}
	for _, c := range cases {
		in[c.name] = c.json
	}
	rep := fhircheck.Check(t, in)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res := rep.Resources[c.name]
			if !res.Valid() {
				t.Errorf("rejected by %v:\n%s", res.RejectedBy(), strings.Join(errorLines(res), "\n"))
			}
			if c.note != "" && !slices.ContainsFunc(res.Notes, func(i fhircheck.Issue) bool { return strings.Contains(i.Message, c.note) }) {
				t.Errorf("no note %q in %v", c.note, res.Notes)
			}
		})
	}
}

// checkCoverage shows that the invariant check reaches every element it
// must: every constraint of severity error in the nine types'
// StructureDefinitions was evaluated (but dom-3, skipped), and que-1 and
// qrs-1 as many times as there are items at any depth (counted here in
// Go, from the JSON), obs-3 once per reference range.
func checkCoverage(t *testing.T, rep fhircheck.Report, examples map[string][]byte) {
	t.Helper()
	for _, typ := range exampleTypes {
		b, err := os.ReadFile(shared.Path(t, "data", "fhir", "r4-core-structuredefinitions", "StructureDefinition-"+typ+".json"))
		if err != nil {
			t.Fatal(err)
		}
		var sd struct {
			Snapshot struct {
				Element []struct {
					Path       string
					Constraint []struct{ Key, Severity string }
				}
			}
		}
		if err := json.Unmarshal(b, &sd); err != nil {
			t.Fatal(err)
		}
		for _, e := range sd.Snapshot.Element {
			for _, c := range e.Constraint {
				if c.Severity == "error" && c.Key != "dom-3" && rep.Evaluated[c.Key] == 0 {
					t.Errorf("%s (on %s) was never evaluated", c.Key, e.Path)
				}
			}
		}
	}
	if rep.Evaluated["dom-3"] != 0 {
		t.Errorf("dom-3 evaluated %d times, but it is skipped", rep.Evaluated["dom-3"])
	}
	// Items at any depth, counted from the JSON.
	var count func(v any, f func(key string, v any) int) int
	count = func(v any, f func(string, any) int) int {
		n := 0
		switch v := v.(type) {
		case map[string]any:
			for k, c := range v {
				n += f(k, c) + count(c, f)
			}
		case []any:
			for _, c := range v {
				n += count(c, f)
			}
		}
		return n
	}
	want := map[string]int{}
	for name, b := range examples {
		var m map[string]any
		if err := json.Unmarshal(b, &m); err != nil {
			t.Fatal(err)
		}
		length := func(v any) int {
			if a, ok := v.([]any); ok {
				return len(a)
			}
			return 0
		}
		switch {
		case strings.HasPrefix(name, "Questionnaire-"):
			want["que-1"] += count(m, func(k string, v any) int {
				if k == "item" {
					return length(v)
				}
				return 0
			})
		case strings.HasPrefix(name, "QuestionnaireResponse-"):
			want["qrs-1"] += count(m, func(k string, v any) int {
				if k == "item" {
					return length(v)
				}
				return 0
			})
		case strings.HasPrefix(name, "Observation-"):
			want["obs-3"] += count(m, func(k string, v any) int {
				if k == "referenceRange" {
					return length(v)
				}
				return 0
			})
		}
	}
	for key, n := range want {
		if rep.Evaluated[key] != n {
			t.Errorf("%s evaluated on %d elements, want %d (every instance)", key, rep.Evaluated[key], n)
		}
	}
	t.Logf("constraints evaluated (element instances): %v", rep.Evaluated)
}

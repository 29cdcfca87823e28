package fhirmap_test

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/tendo-health/tendo"
	"github.com/tendo-health/tendo/fhir"
	"github.com/tendo-health/tendo/fhirmap"
	"github.com/tendo-health/tendo/intake"
	"github.com/tendo-health/tendo/internal/fhircheck"
)

// fixedNow is the clock of the tests.
func fixedNow() time.Time { return time.Date(2026, 10, 2, 9, 0, 0, 0, time.UTC) }

func readBundle(t *testing.T, name string) *fhir.Bundle {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "import", name))
	if err != nil {
		t.Fatal(err)
	}
	r, err := fhir.Unmarshal(data)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	b, ok := r.(*fhir.Bundle)
	if !ok {
		t.Fatalf("%s: a %s, want a Bundle", name, r.ResourceType())
	}
	return b
}

// assessmentJSON is the draft's assessment as the contract's JSON, checked
// by intake as `tendo assess` checks its input.
func assessmentJSON(t *testing.T, a *tendo.Assessment) string {
	t.Helper()
	b, err := intake.Marshal(a)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := intake.ParseJSON(b); err != nil {
		t.Fatalf("the draft fails validation: %v\n%s", err, b)
	}
	return string(b)
}

func TestImportPatientAndVISAA(t *testing.T) {
	t.Parallel()
	d, err := fhirmap.Import(readBundle(t, "patient-visaa.json"), fhirmap.ImportOptions{Date: "2026-06-14"})
	if err != nil {
		t.Fatal(err)
	}
	got := assessmentJSON(t, &d.Assessment)
	want := `{"schema":"tendo/assessment/v1","date":"2026-06-14","patient":{"ageYears":45,"sex":"female"},"proms":{"visaA":{"answers":[5,6,7,4,8,3,4,{"branch":"B","points":10}]}}}`
	if got != want {
		t.Errorf("assessment\n got %s\nwant %s", got, want)
	}
	if d.Patient == nil || d.Patient.Name != "Alex Example" || d.Patient.FHIRID != "p1" || len(d.Patient.Identifiers) != 1 || d.Patient.Identifiers[0].Value != "MRN-42" {
		t.Errorf("patient = %+v", d.Patient)
	}
	wantUnmapped := []fhirmap.Unmapped{{Path: "Bundle.entry[2].resource", Resource: "Condition/c1", Reason: "tendo does not read Condition resources", Code: "not-supported"}}
	if !slices.Equal(d.Unmapped, wantUnmapped) {
		t.Errorf("unmapped = %+v, want %+v", d.Unmapped, wantUnmapped)
	}
	if d.Mapped != 3 {
		t.Errorf("mapped = %d, want 3", d.Mapped)
	}
}

func TestImportDateFromClock(t *testing.T) {
	t.Parallel()
	d, err := fhirmap.Import(readBundle(t, "patient-visaa.json"), fhirmap.ImportOptions{Now: fixedNow})
	if err != nil {
		t.Fatal(err)
	}
	if d.Assessment.Date != "2026-10-02" || d.Assessment.Patient.AgeYears == nil || *d.Assessment.Patient.AgeYears != 46 {
		t.Errorf("date %q age %v, want 2026-10-02 and 46", d.Assessment.Date, d.Assessment.Patient.AgeYears)
	}
}

func TestImportErrors(t *testing.T) {
	t.Parallel()
	if _, err := fhirmap.Import(nil, fhirmap.ImportOptions{Now: fixedNow}); err == nil {
		t.Error("nil bundle: no error")
	}
	_, err := fhirmap.Import(&fhir.Bundle{Type: "collection"}, fhirmap.ImportOptions{Date: "2026-13-01"})
	var te *tendo.Error
	if !errors.As(err, &te) || te.Field != "date" {
		t.Errorf("bad date: %v, want an error about date", err)
	}
}

// bundleOf makes a collection Bundle of the resources, written as JSON.
func bundleOf(t *testing.T, resources ...string) *fhir.Bundle {
	t.Helper()
	var entries []string
	for _, r := range resources {
		entries = append(entries, `{"resource":`+r+`}`)
	}
	r, err := fhir.Unmarshal([]byte(`{"resourceType":"Bundle","type":"collection","entry":[` + strings.Join(entries, ",") + `]}`))
	if err != nil {
		t.Fatal(err)
	}
	return r.(*fhir.Bundle)
}

func TestImportUnmapped(t *testing.T) {
	t.Parallel()
	nprs := func(status, code string) string {
		return `{"resourceType":"QuestionnaireResponse","questionnaire":"https://tendo-health.github.io/fhir/Questionnaire/nprs","status":"` + status + `","item":[{"linkId":"q1","answer":[{"valueCoding":{"code":"` + code + `"}}]}]}`
	}
	tests := []struct {
		name      string
		resources []string
		want      []fhirmap.Unmapped // Path and Code only
		assess    string             // the draft's proms, as JSON
	}{
		{
			name:      "OtherResource",
			resources: []string{`{"resourceType":"Encounter","id":"e1","status":"finished"}`},
			want:      []fhirmap.Unmapped{{Path: "Bundle.entry[0].resource", Code: "not-supported"}},
		},
		{
			name:      "ResponseEnteredInError",
			resources: []string{nprs("entered-in-error", "4")},
			want:      []fhirmap.Unmapped{{Path: "Bundle.entry[0].resource.status", Code: "not-supported"}},
		},
		{
			name:      "ResponseOutOfRange",
			resources: []string{nprs("completed", "11")},
			want: []fhirmap.Unmapped{
				{Path: "Bundle.entry[0].resource.item[0]", Code: "value"},
				{Path: "Bundle.entry[0].resource", Code: "value"},
			},
		},
		{
			name:      "ResponsesConflict",
			resources: []string{nprs("completed", "4"), nprs("completed", "5")},
			want: []fhirmap.Unmapped{
				{Path: "Bundle.entry[0].resource", Code: "conflict"},
				{Path: "Bundle.entry[1].resource", Code: "conflict"},
			},
		},
		{
			name:      "ResponsesAgree",
			resources: []string{nprs("completed", "4"), nprs("amended", "4")},
			assess:    `{"nprs":4}`,
		},
		{
			name:      "UnknownQuestionnaire",
			resources: []string{`{"resourceType":"QuestionnaireResponse","questionnaire":"http://example.org/Questionnaire/phq-9","status":"completed"}`},
			want:      []fhirmap.Unmapped{{Path: "Bundle.entry[0].resource.questionnaire", Code: "not-supported"}},
		},
		{
			name:      "UnknownItem",
			resources: []string{`{"resourceType":"QuestionnaireResponse","questionnaire":"https://tendo-health.github.io/fhir/Questionnaire/nprs","status":"completed","item":[{"linkId":"q1","answer":[{"valueInteger":3}]},{"linkId":"q9","answer":[{"valueInteger":3}]}]}`},
			want: []fhirmap.Unmapped{
				{Path: "Bundle.entry[0].resource.item[1]", Code: "not-supported"},
				{Path: "Bundle.entry[0].resource", Code: "invalid"},
			},
		},
		{
			name: "AnotherPatient",
			resources: []string{
				`{"resourceType":"Patient","id":"a","gender":"male"}`,
				`{"resourceType":"QuestionnaireResponse","questionnaire":"https://tendo-health.github.io/fhir/Questionnaire/nprs","status":"completed","subject":{"reference":"Patient/b"},"item":[{"linkId":"q1","answer":[{"valueInteger":3}]}]}`,
			},
			want: []fhirmap.Unmapped{{Path: "Bundle.entry[1].resource.subject", Code: "not-supported"}},
		},
		{
			name:      "PartialBirthDate",
			resources: []string{`{"resourceType":"Patient","birthDate":"1980-10"}`},
			want:      []fhirmap.Unmapped{{Path: "Bundle.entry[0].resource.birthDate", Code: "value"}},
		},
		{
			name:      "BirthDateOutOfRange",
			resources: []string{`{"resourceType":"Patient","birthDate":"2020-01-01"}`},
			want:      []fhirmap.Unmapped{{Path: "Bundle.entry[0].resource.birthDate", Code: "value"}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			d, err := fhirmap.Import(bundleOf(t, tt.resources...), fhirmap.ImportOptions{Now: fixedNow})
			if err != nil {
				t.Fatal(err)
			}
			var got []fhirmap.Unmapped
			for _, u := range d.Unmapped {
				if u.Reason == "" {
					t.Errorf("%s: no reason", u.Path)
				}
				got = append(got, fhirmap.Unmapped{Path: u.Path, Code: u.Code})
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("unmapped\n got %+v\nwant %+v\n(%v)", got, tt.want, d.Unmapped)
			}
			proms, _ := json.Marshal(d.Assessment.PROMs)
			if tt.assess != "" && string(proms) != tt.assess {
				t.Errorf("proms = %s, want %s", proms, tt.assess)
			}
			assessmentJSON(t, &d.Assessment)
		})
	}
}

func TestOperationOutcome(t *testing.T) {
	t.Parallel()
	_, decodeErr := fhir.Unmarshal([]byte(`{"resourceType":"Patient","name":[{"given":[1]}]}`))
	tests := []struct {
		name       string
		err        error
		severity   string
		code       string
		expression string
	}{
		{"FHIRStructure", decodeErr, "error", "structure", "Patient.name[0].given[0]"},
		{"NotJSON", &fhir.Error{Msg: "not JSON: unexpected end"}, "fatal", "structure", ""},
		{"TooLarge", &fhir.Error{Msg: "resource over 4194304 bytes"}, "fatal", "too-costly", ""},
		{"Missing", &fhir.Error{Path: "resourceType", Msg: "missing"}, "error", "required", "resourceType"},
		{"FieldInvalid", tendo.Invalid("exam.arcSign", "must be true or false"), "error", "value",
			"Bundle.entry.resource.ofType(Observation).where(code.coding.where(system = 'https://tendo-health.github.io/fhir/CodeSystem/field' and code = 'exam.arcSign').exists())"},
		{"PROMItem", tendo.Invalid("proms.visaA.answers[7].points", "not allowed"), "error", "value",
			"Bundle.entry.resource.ofType(QuestionnaireResponse).where(questionnaire = 'https://tendo-health.github.io/fhir/Questionnaire/visa-a').item.where(linkId = 'q8')"},
		{"NotFound", tendo.Errorf(tendo.ENOTFOUND, "Patient not found."), "error", "not-found", ""},
		{"Forbidden", tendo.Errorf(tendo.EFORBIDDEN, "No."), "error", "forbidden", ""},
		{"Internal", errors.New("sql: connection refused at 10.0.0.1"), "error", "exception", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			oo := fhirmap.OperationOutcome(tt.err)
			if len(oo.Issue) != 1 {
				t.Fatalf("%d issues, want 1", len(oo.Issue))
			}
			is := oo.Issue[0]
			if is.Severity != tt.severity || is.Code != tt.code {
				t.Errorf("severity %q code %q, want %q %q", is.Severity, is.Code, tt.severity, tt.code)
			}
			var x string
			if len(is.Expression) > 0 {
				x = is.Expression[0]
			}
			if x != tt.expression {
				t.Errorf("expression %q, want %q", x, tt.expression)
			}
			if tt.code == "exception" && is.Diagnostics != "Internal error." {
				t.Errorf("diagnostics %q leak an internal error", is.Diagnostics)
			}
			if _, err := fhir.Marshal(oo); err != nil {
				t.Error(err)
			}
		})
	}
	if fhirmap.OperationOutcome(nil) != nil {
		t.Error("OperationOutcome(nil) is not nil")
	}
	oo := fhirmap.OperationOutcome(tendo.Errors{tendo.Invalid("exam.arcSign", "bad"), tendo.Invalid("patient.sex", "bad")})
	if len(oo.Issue) != 2 || oo.Issue[1].Expression[0] != "Bundle.entry.resource.ofType(Patient).gender" {
		t.Errorf("two errors: %+v", oo.Issue)
	}
}

// obs is an Observation of a tendo field with a value member (JSON).
func obs(field, status, value string) string {
	st := ""
	if status != "" {
		st = `"status":"` + status + `",`
	}
	return `{"resourceType":"Observation",` + st + `"code":{"coding":[{"system":"https://tendo-health.github.io/fhir/CodeSystem/field","code":"` + field + `"}]},` + value + `}`
}

func TestImportObservations(t *testing.T) {
	t.Parallel()
	visa := `{"resourceType":"QuestionnaireResponse","questionnaire":"https://tendo-health.github.io/fhir/Questionnaire/visa-a","status":"completed","item":[` +
		`{"linkId":"q1","answer":[{"valueInteger":6}]},{"linkId":"q2","answer":[{"valueInteger":5}]},{"linkId":"q3","answer":[{"valueInteger":7}]},` +
		`{"linkId":"q4","answer":[{"valueInteger":6}]},{"linkId":"q5","answer":[{"valueInteger":4}]},{"linkId":"q6","answer":[{"valueInteger":5}]},` +
		`{"linkId":"q7","answer":[{"valueInteger":7}]},{"linkId":"q8","answer":[{"valueCoding":{"system":"https://tendo-health.github.io/fhir/CodeSystem/answer","code":"B:10"}}]}]}`
	visaScore := func(n string) string {
		return obs("proms.visaA.score", "final", `"valueQuantity":{"value":`+n+`,"unit":"score","system":"http://unitsofmeasure.org","code":"{score}"}`)
	}
	arc := `"valueCodeableConcept":{"coding":[{"system":"https://tendo-health.github.io/fhir/CodeSystem/test-result","code":"positive"}]}`
	weight := func(kg string) string {
		return obs("patient.weightKg", "final", `"valueQuantity":{"value":`+kg+`,"unit":"kg","system":"http://unitsofmeasure.org","code":"kg"}`)
	}
	tests := []struct {
		name      string
		resources []string
		want      string             // the draft assessment, less schema and date
		unmapped  []fhirmap.Unmapped // Path and Code only
		notes     int
	}{
		{
			name:      "EnumBoolAndQuantity",
			resources: []string{obs("exam.arcSign", "final", arc), obs("history.lowBackPain", "amended", `"valueBoolean":false`), weight("76.5")},
			want:      `"patient":{"weightKg":76.5},"history":{"lowBackPain":false},"exam":{"arcSign":"positive"}`,
		},
		{
			name: "LOINCHeightInMetres",
			resources: []string{`{"resourceType":"Observation","status":"final","code":{"coding":[{"system":"http://loinc.org","code":"8302-2"}]},` +
				`"valueQuantity":{"value":1.8,"unit":"m","system":"http://unitsofmeasure.org","code":"m"}}`},
			want: `"patient":{"heightCm":180}`,
		},
		{
			name:      "UnknownCode",
			resources: []string{`{"resourceType":"Observation","status":"final","code":{"coding":[{"system":"http://loinc.org","code":"8867-4"}],"text":"Heart rate"},"valueQuantity":{"value":60}}`},
			unmapped:  []fhirmap.Unmapped{{Path: "Bundle.entry[0].resource.code", Code: "not-supported"}},
		},
		{
			name:      "EnteredInError",
			resources: []string{obs("exam.arcSign", "entered-in-error", arc)},
			unmapped:  []fhirmap.Unmapped{{Path: "Bundle.entry[0].resource.status", Code: "not-supported"}},
		},
		{
			name:      "Cancelled",
			resources: []string{obs("exam.arcSign", "cancelled", arc)},
			unmapped:  []fhirmap.Unmapped{{Path: "Bundle.entry[0].resource.status", Code: "not-supported"}},
		},
		{
			name:      "NoStatus",
			resources: []string{obs("exam.arcSign", "", arc)},
			unmapped:  []fhirmap.Unmapped{{Path: "Bundle.entry[0].resource.status", Code: "required"}},
		},
		{
			name:      "Preliminary",
			resources: []string{obs("exam.arcSign", "preliminary", arc)},
			want:      `"exam":{"arcSign":"positive"}`,
			notes:     1,
		},
		{
			name:      "OutOfRange",
			resources: []string{weight("301")},
			unmapped:  []fhirmap.Unmapped{{Path: "Bundle.entry[0].resource.valueQuantity.value", Code: "value"}},
		},
		{
			name:      "WrongValueType",
			resources: []string{obs("exam.arcSign", "final", `"valueBoolean":true`)},
			unmapped:  []fhirmap.Unmapped{{Path: "Bundle.entry[0].resource.valueCodeableConcept", Code: "value"}},
		},
		{
			name:      "ConflictingValues",
			resources: []string{weight("70"), weight("72"), obs("exam.arcSign", "final", arc)},
			want:      `"exam":{"arcSign":"positive"}`,
			unmapped: []fhirmap.Unmapped{
				{Path: "Bundle.entry[0].resource", Code: "conflict"},
				{Path: "Bundle.entry[1].resource", Code: "conflict"},
			},
		},
		{
			name:      "SameValueTwice",
			resources: []string{weight("70"), weight("70.0")},
			want:      `"patient":{"weightKg":70}`,
		},
		{
			name: "CrossFieldRule",
			resources: []string{
				obs("history.legPainBelowKnee", "final", `"valueBoolean":true`),
				obs("history.legPainAreas", "final", `"valueBoolean":false`),
				obs("history.lowBackPain", "final", `"valueBoolean":true`),
			},
			want: `"history":{"lowBackPain":true}`,
			unmapped: []fhirmap.Unmapped{
				{Path: "Bundle.entry[0].resource", Code: "value"},
				{Path: "Bundle.entry[1].resource", Code: "value"},
			},
		},
		{
			name:      "ScoreAgreesWithAnswers",
			resources: []string{visa, visaScore("50")},
			want:      `"proms":{"visaA":{"answers":[6,5,7,6,4,5,7,{"branch":"B","points":10}]}}`,
			notes:     1,
		},
		{
			name:      "ScoreDisagreesWithAnswers",
			resources: []string{visa, visaScore("60")},
			want:      `"proms":{"visaA":{"answers":[6,5,7,6,4,5,7,{"branch":"B","points":10}]}}`,
			unmapped:  []fhirmap.Unmapped{{Path: "Bundle.entry[1].resource", Code: "conflict"}},
		},
		{
			name:      "ScoreAlone",
			resources: []string{visaScore("60")},
			want:      `"proms":{"visaA":{"score":60}}`,
		},
		{
			name:      "NoValue",
			resources: []string{obs("exam.arcSign", "final", `"dataAbsentReason":{"text":"not examined"}`)},
			unmapped:  []fhirmap.Unmapped{{Path: "Bundle.entry[0].resource.dataAbsentReason", Code: "not-supported"}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			d, err := fhirmap.Import(bundleOf(t, tt.resources...), fhirmap.ImportOptions{Date: "2026-10-02"})
			if err != nil {
				t.Fatal(err)
			}
			got := assessmentJSON(t, &d.Assessment)
			want := `{"schema":"tendo/assessment/v1","date":"2026-10-02"`
			if tt.want != "" {
				want += "," + tt.want
			}
			want += "}"
			if got != want {
				t.Errorf("assessment\n got %s\nwant %s", got, want)
			}
			for _, u := range d.Unmapped {
				t.Log(u)
			}
			var un []fhirmap.Unmapped
			for _, u := range d.Unmapped {
				if u.Reason == "" {
					t.Errorf("%s: no reason", u.Path)
				}
				un = append(un, fhirmap.Unmapped{Path: u.Path, Code: u.Code})
			}
			if !slices.Equal(un, tt.unmapped) {
				t.Errorf("unmapped\n got %+v\nwant %+v\n(%v)", un, tt.unmapped, d.Unmapped)
			}
			if len(d.Notes) != tt.notes {
				t.Errorf("notes %q, want %d", d.Notes, tt.notes)
			}
		})
	}
}

// TestOperationOutcomesValid checks every kind of OperationOutcome the
// package writes by the three FHIR R4 checks (schema, FHIR.js, the
// StructureDefinitions' invariants).
func TestOperationOutcomesValid(t *testing.T) {
	t.Parallel()
	_, decodeErr := fhir.Unmarshal([]byte(`{"resourceType":"Patient","name":[{"given":[1]}]}`))
	d, err := fhirmap.Import(readBundle(t, "patient-visaa.json"), fhirmap.ImportOptions{Date: "2026-06-14"})
	if err != nil {
		t.Fatal(err)
	}
	outcomes := map[string]*fhir.OperationOutcome{
		"decode":   fhirmap.OperationOutcome(decodeErr),
		"notJSON":  fhirmap.OperationOutcome(&fhir.Error{Msg: "not JSON: unexpected end"}),
		"field":    fhirmap.OperationOutcome(tendo.Invalid("proms.visaA.answers[7].points", "not allowed")),
		"several":  fhirmap.OperationOutcome(tendo.Errors{tendo.Invalid("exam.arcSign", "bad"), tendo.Invalid("patient.sex", "bad")}),
		"notFound": fhirmap.OperationOutcome(tendo.Errorf(tendo.ENOTFOUND, "No such patient.")),
		"internal": fhirmap.OperationOutcome(errors.New("boom")),
		"unmapped": fhirmap.UnmappedOutcome(d.Unmapped),
	}
	in := map[string][]byte{}
	for name, oo := range outcomes {
		b, err := fhir.Marshal(oo)
		if err != nil {
			t.Fatal(err)
		}
		in[name] = b
	}
	fhircheck.Check(t, in).Require(t)
}

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

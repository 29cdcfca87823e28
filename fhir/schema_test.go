package fhir_test

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/tendo-health/tendo/fhir"
	"github.com/tendo-health/tendo/internal/shared"
)

// validator returns the command line that validates NDJSON on stdin against
// the official R4 JSON schema: node, testtools/validate-fhir.mjs and the
// schema. Without node or the installed ajv (npm ci --prefix testtools) the
// test skips, except under TENDO_CI.
func validator(t *testing.T) []string {
	t.Helper()
	skip := func(format string, args ...any) {
		t.Helper()
		if os.Getenv("TENDO_CI") != "" {
			t.Fatalf(format+"; TENDO_CI is set, so the schema test must run", args...)
		}
		t.Skipf(format, args...)
	}
	node, err := exec.LookPath("node")
	if err != nil {
		skip("node is not installed (%v)", err)
	}
	tools := filepath.Join("..", "testtools")
	if _, err := os.Stat(filepath.Join(tools, "node_modules", "ajv", "package.json")); err != nil {
		skip("ajv is not installed (%v): npm ci --prefix testtools", err)
	}
	return []string{node, filepath.Join(tools, "validate-fhir.mjs"), shared.Path(t, "data", "fhir", "r4-schema", "fhir.schema.json")}
}

// validated is one resource for the schema, by name.
type validated struct {
	name string
	json []byte
}

// schemaErrors runs the validator on resources (as NDJSON on its stdin) and
// returns its error lines by resource name. It fails t if the validator
// breaks (exit status other than 0 or 1).
func schemaErrors(t *testing.T, resources []validated) map[string][]string {
	t.Helper()
	cmd := validator(t)
	var in bytes.Buffer
	for _, r := range resources {
		if bytes.ContainsAny(r.json, "\n\r") {
			t.Fatalf("%s: the package's output spans lines", r.name)
		}
		in.Write(r.json)
		in.WriteByte('\n')
	}
	c := exec.Command(cmd[0], cmd[1:]...)
	c.Stdin = &in
	var stderr bytes.Buffer
	c.Stderr = &stderr
	out, err := c.Output()
	var ee *exec.ExitError
	if err != nil && !(errors.As(err, &ee) && ee.ExitCode() == 1) {
		t.Fatalf("validate-fhir.mjs: %v\n%s%s", err, out, stderr.Bytes())
	}
	lineRE := regexp.MustCompile(`^stdin:(\d+): (.*)$`)
	errs := map[string][]string{}
	summary := ""
	for l := range strings.Lines(string(out)) {
		l = strings.TrimSpace(l)
		m := lineRE.FindStringSubmatch(l)
		if m == nil {
			summary = l
			continue
		}
		n, _ := strconv.Atoi(m[1])
		if n < 1 || n > len(resources) {
			t.Fatalf("validator names line %d of %d: %s", n, len(resources), l)
		}
		errs[resources[n-1].name] = append(errs[resources[n-1].name], m[2])
	}
	if want := fmt.Sprintf("%d of %d valid", len(resources)-len(errs), len(resources)); summary != want {
		t.Fatalf("validator's summary %q, want %q\n%s", summary, want, out)
	}
	return errs
}

// TestSchema validates what the package writes against the official R4
// JSON schema with ajv: every official example it round-trips, resources
// built in Go from scratch, and two negative controls the schema must
// reject (so a validator that passes everything fails the test).
func TestSchema(t *testing.T) {
	t.Parallel()
	validator(t) // skip early
	var resources []validated
	examples, _ := officialExamples(t)
	for _, ex := range examples {
		r, err := fhir.Unmarshal(ex.data)
		if err != nil {
			t.Fatalf("%s: %v", ex.name, err)
		}
		out, err := fhir.Marshal(r)
		if err != nil {
			t.Fatalf("%s: %v", ex.name, err)
		}
		resources = append(resources, validated{ex.name, out})
	}
	for _, b := range built() {
		out, err := fhir.Marshal(b.r)
		if err != nil {
			t.Fatalf("%s: %v", b.name, err)
		}
		resources = append(resources, validated{b.name, out})
	}
	negative := []struct {
		name string
		r    fhir.Resource
		want string // in one of its schema errors
	}{
		{"negative control: an Observation's status outside its value set",
			&fhir.Observation{Status: "done", Code: &fhir.CodeableConcept{Text: "x"}},
			"/status: must be equal to one of the allowed values"},
		{"negative control: a Flag's status outside its value set",
			&fhir.Flag{Status: "open", Code: &fhir.CodeableConcept{Text: "x"}, Subject: &fhir.Reference{Reference: "Patient/p1"}},
			"/status: must be equal to one of the allowed values"},
		{"negative control: a Timing's period unit outside its value set, deep in a ServiceRequest",
			&fhir.ServiceRequest{Status: "draft", Intent: "proposal", Subject: &fhir.Reference{Reference: "Patient/p1"},
				OccurrenceTiming: &fhir.Timing{Repeat: &fhir.TimingRepeat{Period: "2", PeriodUnit: "fortnight"}}},
			"/occurrenceTiming/repeat/periodUnit: must be equal to one of the allowed values"},
		{"negative control: a member R4 does not define",
			&fhir.Patient{Extra: fhir.Extra{"favouriteColour": []byte(`"green"`)}},
			"must NOT have additional properties"},
	}
	for _, n := range negative {
		out, err := fhir.Marshal(n.r)
		if err != nil {
			t.Fatal(err)
		}
		resources = append(resources, validated{n.name, out})
	}

	errs := schemaErrors(t, resources)
	for _, n := range negative {
		if got := strings.Join(errs[n.name], "\n"); !strings.Contains(got, n.want) {
			t.Errorf("%s: schema errors %q, want one containing %q", n.name, got, n.want)
		}
		delete(errs, n.name)
	}
	for _, r := range resources {
		if e, ok := errs[r.name]; ok {
			t.Errorf("%s is not valid R4:\n  %s\n%s", r.name, strings.Join(e, "\n  "), r.json)
		}
	}
	t.Logf("%d resources written by the package are valid R4 (%d official examples, %d built in Go); %d negative controls rejected",
		len(resources)-len(negative), len(examples), len(built()), len(negative))
}

// builtResource is a resource made in Go, not read from a file.
type builtResource struct {
	name string
	r    fhir.Resource
}

// built returns resources made field by field in Go: what tendo will write,
// before any mapping from its own types exists.
func built() []builtResource {
	yes := true
	six := int64(6)
	total := int64(2)
	patient := &fhir.Patient{
		ID:         "p1",
		Identifier: []fhir.Identifier{{System: "urn:tendo:patient", Value: "MRN-1"}},
		Active:     &yes,
		Name:       []fhir.HumanName{{Family: "Lovelace", Given: []string{"Ada"}}},
		Gender:     "female",
		BirthDate:  "1985",
	}
	nprs := &fhir.Observation{
		ID:     "o1",
		Status: "final",
		Category: []fhir.CodeableConcept{{Coding: []fhir.Coding{{
			System: "http://terminology.hl7.org/CodeSystem/observation-category", Code: "survey"}}}},
		Code: &fhir.CodeableConcept{
			Coding: []fhir.Coding{{System: "http://loinc.org", Code: "72514-3"}},
			Text:   "Pain intensity (NPRS, 0–10)",
		},
		Subject:           &fhir.Reference{Reference: "Patient/p1"},
		EffectiveDateTime: "2026-12-03T10:00:00Z",
		ValueInteger:      &six,
		Note:              []fhir.Annotation{{Text: "Worse on stairs."}},
	}
	weight := &fhir.Observation{
		Status:        "final",
		Code:          &fhir.CodeableConcept{Text: "Body weight"},
		ValueQuantity: &fhir.Quantity{Value: fhir.DecimalOf(72.5), Unit: "kg", System: "http://unitsofmeasure.org", Code: "kg"},
	}
	qr := &fhir.QuestionnaireResponse{
		Status:  "completed",
		Subject: &fhir.Reference{Reference: "Patient/p1"},
		Item: []fhir.QuestionnaireResponseItem{{
			LinkID: "nprs",
			Answer: []fhir.QuestionnaireResponseAnswer{{ValueInteger: &six}},
		}, {
			LinkID: "hours",
			Answer: []fhir.QuestionnaireResponseAnswer{{ValueDecimal: "1.50"}},
		}},
	}
	outcome := &fhir.OperationOutcome{Issue: []fhir.OperationOutcomeIssue{{
		Severity:    "error",
		Code:        "required",
		Diagnostics: "Observation.status is required",
		Expression:  []string{"Observation.status"},
	}}}
	bundle := &fhir.Bundle{
		Type:  "collection",
		Total: nil,
		Entry: []fhir.BundleEntry{
			{FullURL: "urn:uuid:5f1b0c9e-0000-4000-8000-000000000001", Resource: patient},
			{FullURL: "urn:uuid:5f1b0c9e-0000-4000-8000-000000000002", Resource: nprs},
			{FullURL: "urn:uuid:5f1b0c9e-0000-4000-8000-000000000003", Resource: &fhir.RawResource{
				Type: "Goal", Extra: fhir.Extra{"lifecycleStatus": []byte(`"active"`), "description": []byte(`{"text":"Walk without pain"}`), "subject": []byte(`{"reference":"Patient/p1"}`)}}},
		},
	}
	search := &fhir.Bundle{
		Type:  "searchset",
		Total: &total,
		Entry: []fhir.BundleEntry{
			{Resource: weight, Search: &fhir.BundleEntrySearch{Mode: "match", Score: "1"}},
			{Resource: outcome, Search: &fhir.BundleEntrySearch{Mode: "outcome"}},
		},
	}
	care := builtCare()
	all := &fhir.Bundle{Type: "collection"}
	for i, b := range care {
		all.Entry = append(all.Entry, fhir.BundleEntry{
			FullURL:  fmt.Sprintf("urn:uuid:5f1b0c9e-0000-4000-8000-%012d", 100+i),
			Resource: b.r,
		})
	}
	return append([]builtResource{
		{"built: Patient", patient},
		{"built: Observation (NPRS)", nprs},
		{"built: Observation (weight)", weight},
		{"built: QuestionnaireResponse", qr},
		{"built: OperationOutcome", outcome},
		{"built: Bundle (collection)", bundle},
		{"built: Bundle (searchset)", search},
		{"built: Bundle (collection of the care resources)", all},
	}, care...)
}

// builtCare returns one resource of each type added for issue 11, with most
// of their elements set. The values illustrate the shapes tendo will write;
// they are not tendo's clinical content (the mapping supplies that), and
// the codes are those of FHIR's own code systems, as used in the official
// examples.
func builtCare() []builtResource {
	yes, no := true, false
	one, two, seven := int64(1), int64(2), int64(7)
	patient := &fhir.Reference{Reference: "Patient/p1"}
	tendo := &fhir.Reference{Reference: "Device/tendo", Display: "tendo"}
	questionnaire := &fhir.Questionnaire{
		ID:          "pain",
		URL:         "urn:uuid:5f1b0c9e-0000-4000-8000-000000000050",
		Version:     "1",
		Name:        "PainExample",
		Title:       "Pain (example)",
		Status:      "draft",
		SubjectType: []string{"Patient"},
		Date:        "2026-12-03",
		Publisher:   "tendo",
		Description: "An example form: pain now, and where.",
		Item: []fhir.QuestionnaireItem{{
			LinkID:    "now",
			Text:      "Pain now, 0 (none) to 10 (worst imaginable)",
			Type:      "integer",
			Required:  &yes,
			Initial:   []fhir.QuestionnaireInitial{{ValueInteger: new(int64)}},
			Extension: []fhir.Extension{{URL: "http://hl7.org/fhir/StructureDefinition/minValue", Extra: fhir.Extra{"valueInteger": []byte("0")}}},
		}, {
			LinkID:     "where",
			Text:       "Where is the pain?",
			Type:       "choice",
			EnableWhen: []fhir.QuestionnaireEnableWhen{{Question: "now", Operator: ">", AnswerInteger: &one}},
			AnswerOption: []fhir.QuestionnaireAnswerOption{
				{ValueString: "Mid-tendon", InitialSelected: &no},
				{ValueString: "Where the tendon meets the heel bone"},
			},
		}, {
			LinkID:  "group",
			Type:    "group",
			Repeats: &no,
			Item: []fhir.QuestionnaireItem{{
				LinkID: "hours", Text: "Hours of stiffness in the morning", Type: "decimal", MaxLength: &seven,
				EnableWhen: []fhir.QuestionnaireEnableWhen{{Question: "now", Operator: "!=", AnswerInteger: new(int64)}},
			}},
		}},
	}
	risk := &fhir.RiskAssessment{
		ID:                 "r1",
		Status:             "final",
		Method:             &fhir.CodeableConcept{Text: "Bayesian network (example)"},
		Subject:            patient,
		OccurrenceDateTime: "2026-12-03T10:00:00Z",
		Performer:          tendo,
		Basis:              []fhir.Reference{{Reference: "QuestionnaireResponse/qr1"}},
		Prediction: []fhir.RiskAssessmentPrediction{{
			Outcome:            &fhir.CodeableConcept{Text: "Condition A"},
			ProbabilityDecimal: "62",
			Rationale:          "Probability as a percentage (R4 invariant ras-2).",
		}, {
			Outcome: &fhir.CodeableConcept{Text: "Condition B"},
			ProbabilityRange: &fhir.Range{ // percentages, as invariant ras-1 requires
				Low:  &fhir.Quantity{Value: "10", Unit: "%", System: "http://unitsofmeasure.org", Code: "%"},
				High: &fhir.Quantity{Value: "30.0", Unit: "%", System: "http://unitsofmeasure.org", Code: "%"}},
			QualitativeRisk: &fhir.CodeableConcept{Coding: []fhir.Coding{{
				System: "http://terminology.hl7.org/CodeSystem/risk-probability", Code: "low"}}},
			RelativeRisk: "1.5",
			WhenPeriod:   &fhir.Period{Start: "2026-12-03", End: "2027-03-03"},
		}},
		Mitigation: "Example mitigation.",
		Note:       []fhir.Annotation{{Text: "Example note."}},
	}
	condition := &fhir.Condition{
		ID: "c1",
		ClinicalStatus: &fhir.CodeableConcept{Coding: []fhir.Coding{{
			System: "http://terminology.hl7.org/CodeSystem/condition-clinical", Code: "active"}}},
		VerificationStatus: &fhir.CodeableConcept{Coding: []fhir.Coding{{
			System: "http://terminology.hl7.org/CodeSystem/condition-ver-status", Code: "provisional"}}},
		Category: []fhir.CodeableConcept{{Coding: []fhir.Coding{{
			System: "http://terminology.hl7.org/CodeSystem/condition-category", Code: "encounter-diagnosis"}}}},
		Code:         &fhir.CodeableConcept{Text: "Condition A"},
		BodySite:     []fhir.CodeableConcept{{Text: "Left heel"}},
		Subject:      patient,
		OnsetString:  "About three months ago",
		RecordedDate: "2026-12-03", // no asserter or recorder: R4 allows no Device there
		Evidence:     []fhir.ConditionEvidence{{Detail: []fhir.Reference{{Reference: "RiskAssessment/r1"}}}},
		Note:         []fhir.Annotation{{Text: "Provisional: to be confirmed by the clinician."}},
	}
	flag := &fhir.Flag{
		ID:     "f1",
		Status: "active",
		Category: []fhir.CodeableConcept{{Coding: []fhir.Coding{{
			System: "http://terminology.hl7.org/CodeSystem/flag-category", Code: "clinical"}}}},
		Code:    &fhir.CodeableConcept{Text: "Red flag (example)"},
		Subject: patient,
		Period:  &fhir.Period{Start: "2026-12-03T10:00:00Z"},
		Author:  tendo,
		Extra:   fhir.Extra{"_status": []byte(`{"id":"status"}`)}, // a primitive's id, kept in Extra
	}
	issue := &fhir.DetectedIssue{
		ID:     "d1",
		Status: "preliminary",
		Code: &fhir.CodeableConcept{Coding: []fhir.Coding{{
			System: "http://terminology.hl7.org/CodeSystem/v3-ActCode", Code: "DRG", Display: "Drug Interaction Alert"}}},
		Severity:           "high",
		Patient:            patient,
		IdentifiedDateTime: "2026-12-03T10:00:00Z",
		Author:             tendo,
		Implicated:         []fhir.Reference{{Reference: "MedicationRequest/m1"}},
		Evidence:           []fhir.DetectedIssueEvidence{{Detail: []fhir.Reference{{Reference: "Condition/c1"}}}},
		Detail:             "Example detail.",
		Reference:          "urn:uuid:5f1b0c9e-0000-4000-8000-000000000051",
		Mitigation: []fhir.DetectedIssueMitigation{{
			Action: &fhir.CodeableConcept{Text: "Example action"}, Date: "2026-12-03"}}, // author: a Practitioner only
	}
	plan := &fhir.CarePlan{
		ID:          "cp1",
		Status:      "draft",
		Intent:      "proposal",
		Title:       "Example plan",
		Description: "Example description.",
		Subject:     patient,
		Period:      &fhir.Period{Start: "2026-12-03"},
		Created:     "2026-12-03T10:00:00Z",
		Author:      tendo,
		Addresses:   []fhir.Reference{{Reference: "Condition/c1"}},
		Activity: []fhir.CarePlanActivity{{
			Detail: &fhir.CarePlanActivityDetail{
				Kind:       "ServiceRequest",
				Code:       &fhir.CodeableConcept{Text: "Exercise (example)"},
				ReasonCode: []fhir.CodeableConcept{{Text: "Condition A"}},
				Status:     "not-started",
				ScheduledTiming: &fhir.Timing{Repeat: &fhir.TimingRepeat{
					BoundsDuration: &fhir.Quantity{Value: "12", Unit: "weeks", System: "http://unitsofmeasure.org", Code: "wk"},
					Frequency:      &two,
					Period:         "1",
					PeriodUnit:     "d",
					When:           []string{"MORN", "EVE"},
				}},
				Quantity:    &fhir.Quantity{Value: "3"},
				Description: "Example activity.",
			},
		}, {
			Detail: &fhir.CarePlanActivityDetail{
				Kind:                   "MedicationRequest",
				Status:                 "unknown",
				DoNotPerform:           &yes,
				ProductCodeableConcept: &fhir.CodeableConcept{Text: "Example medicine"},
				DailyAmount:            &fhir.Quantity{Value: "1", Unit: "tablet"},
				// No null beside an extension here (TestRepeatingPrimitiveNull
				// reads one): FHIR's JSON format allows it, the R4 JSON schema
				// does not.
				ScheduledTiming: &fhir.Timing{Event: []string{"2026-12-04", "2026-12-18"}},
			},
		}, {
			Reference: &fhir.Reference{Reference: "ServiceRequest/s1"},
			Progress:  []fhir.Annotation{{Text: "Not started."}},
		}},
		Note: []fhir.Annotation{{Text: "Example note."}},
	}
	request := &fhir.ServiceRequest{
		ID:       "s1",
		Status:   "draft",
		Intent:   "proposal",
		Category: []fhir.CodeableConcept{{Text: "Imaging"}},
		Priority: "routine",
		Code:     &fhir.CodeableConcept{Text: "Imaging (example)"},
		Subject:  patient,
		OccurrenceTiming: &fhir.Timing{Repeat: &fhir.TimingRepeat{
			Count: &one, BoundsPeriod: &fhir.Period{Start: "2026-12-03", End: "2026-12-17"}}},
		Requester:          tendo,
		ReasonCode:         []fhir.CodeableConcept{{Text: "Condition A"}},
		ReasonReference:    []fhir.Reference{{Reference: "Condition/c1"}},
		BodySite:           []fhir.CodeableConcept{{Text: "Left heel"}},
		Note:               []fhir.Annotation{{Text: "Suggested by tendo."}},
		PatientInstruction: "Example instruction.",
	}
	return []builtResource{
		{"built: Questionnaire", questionnaire},
		{"built: RiskAssessment", risk},
		{"built: Condition", condition},
		{"built: Flag", flag},
		{"built: DetectedIssue", issue},
		{"built: CarePlan", plan},
		{"built: ServiceRequest", request},
	}
}

package fhir_test

import (
	"encoding/json"
	"os"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/tendo-health/tendo/fhir"
	"github.com/tendo-health/tendo/internal/shared"
)

// schemaProp is one property of a definition in the official R4 JSON schema.
type schemaProp struct {
	Ref   string      `json:"$ref"`
	Type  string      `json:"type"`
	Enum  []string    `json:"enum"`
	Const string      `json:"const"`
	Items *schemaProp `json:"items"`
}

// schemaDef is one definition of the R4 JSON schema: a resource, a datatype
// or a backbone element (Questionnaire_Item), or a primitive (no properties).
type schemaDef struct {
	Type       string                `json:"type"`
	Properties map[string]schemaProp `json:"properties"`
}

var (
	schemaOnce sync.Once
	schemaDefs map[string]schemaDef
	schemaErr  error
)

// r4Definitions reads the definitions of the official R4 JSON schema once.
func r4Definitions(tb testing.TB) map[string]schemaDef {
	tb.Helper()
	path := shared.Path(tb, "data", "fhir", "r4-schema", "fhir.schema.json")
	schemaOnce.Do(func() {
		b, err := os.ReadFile(path)
		if err != nil {
			schemaErr = err
			return
		}
		var s struct {
			Definitions map[string]schemaDef `json:"definitions"`
		}
		schemaErr = json.Unmarshal(b, &s)
		schemaDefs = s.Definitions
	})
	if schemaErr != nil {
		tb.Fatal(schemaErr)
	}
	return schemaDefs
}

// modelledTypes maps each struct of the package to its definition in the R4
// JSON schema and lists the elements of that definition it leaves in Extra
// on purpose (primitive extensions, _name, aside). A name ending in * stands
// for every element with that prefix.
var modelledTypes = []struct {
	v          any
	def        string
	unmodelled []string
}{
	{fhir.Patient{}, "Patient", []string{"contained", "telecom", "deceasedBoolean", "deceasedDateTime", "address", "maritalStatus", "multipleBirthBoolean", "multipleBirthInteger", "photo", "contact", "communication", "link"}},
	{fhir.Observation{}, "Observation", []string{"contained", "effectiveTiming", "effectiveInstant", "valueRange", "valueRatio", "valueSampledData", "valueTime"}},
	{fhir.ObservationReferenceRange{}, "Observation_ReferenceRange", nil},
	{fhir.ObservationComponent{}, "Observation_Component", []string{"valueRange", "valueRatio", "valueSampledData", "valueTime"}},
	{fhir.Questionnaire{}, "Questionnaire", []string{"contained", "contact", "useContext"}},
	{fhir.QuestionnaireItem{}, "Questionnaire_Item", nil},
	{fhir.QuestionnaireEnableWhen{}, "Questionnaire_EnableWhen", nil},
	{fhir.QuestionnaireAnswerOption{}, "Questionnaire_AnswerOption", nil},
	{fhir.QuestionnaireInitial{}, "Questionnaire_Initial", []string{"valueAttachment"}},
	{fhir.QuestionnaireResponse{}, "QuestionnaireResponse", []string{"contained"}},
	{fhir.QuestionnaireResponseItem{}, "QuestionnaireResponse_Item", nil},
	{fhir.QuestionnaireResponseAnswer{}, "QuestionnaireResponse_Answer", []string{"valueAttachment"}},
	{fhir.RiskAssessment{}, "RiskAssessment", []string{"contained"}},
	{fhir.RiskAssessmentPrediction{}, "RiskAssessment_Prediction", nil},
	{fhir.Condition{}, "Condition", []string{"contained"}},
	{fhir.ConditionStage{}, "Condition_Stage", nil},
	{fhir.ConditionEvidence{}, "Condition_Evidence", nil},
	{fhir.Flag{}, "Flag", []string{"contained"}},
	{fhir.DetectedIssue{}, "DetectedIssue", []string{"contained"}},
	{fhir.DetectedIssueEvidence{}, "DetectedIssue_Evidence", nil},
	{fhir.DetectedIssueMitigation{}, "DetectedIssue_Mitigation", nil},
	{fhir.CarePlan{}, "CarePlan", []string{"contained"}},
	{fhir.CarePlanActivity{}, "CarePlan_Activity", nil},
	{fhir.CarePlanActivityDetail{}, "CarePlan_Detail", nil},
	{fhir.ServiceRequest{}, "ServiceRequest", []string{"contained"}},
	{fhir.OperationOutcome{}, "OperationOutcome", []string{"contained"}},
	{fhir.OperationOutcomeIssue{}, "OperationOutcome_Issue", nil},
	{fhir.Bundle{}, "Bundle", []string{"signature"}},
	{fhir.BundleLink{}, "Bundle_Link", nil},
	{fhir.BundleEntry{}, "Bundle_Entry", nil},
	{fhir.BundleEntrySearch{}, "Bundle_Search", nil},
	{fhir.BundleEntryRequest{}, "Bundle_Request", nil},
	{fhir.BundleEntryResponse{}, "Bundle_Response", nil},
	{fhir.Coding{}, "Coding", nil},
	{fhir.CodeableConcept{}, "CodeableConcept", nil},
	{fhir.Identifier{}, "Identifier", nil},
	{fhir.Reference{}, "Reference", nil},
	{fhir.Quantity{}, "Quantity", nil},
	{fhir.Range{}, "Range", nil},
	{fhir.Ratio{}, "Ratio", nil},
	{fhir.Period{}, "Period", nil},
	{fhir.Meta{}, "Meta", nil},
	{fhir.Narrative{}, "Narrative", nil},
	{fhir.Extension{}, "Extension", []string{"value*"}},
	{fhir.HumanName{}, "HumanName", nil},
	{fhir.Annotation{}, "Annotation", nil},
	{fhir.Timing{}, "Timing", nil},
	{fhir.TimingRepeat{}, "Timing_Repeat", nil},
}

// quantityDefs are the R4 profiles of Quantity that the Go type Quantity
// also carries.
var quantityDefs = []string{"Quantity", "Age", "Duration", "Count", "Distance", "SimpleQuantity", "MoneyQuantity"}

// TestFieldsMatchSchema checks every struct of the package against its
// definition in the official R4 JSON schema: each JSON name is an element
// of that definition (a misspelt name would send the data to Extra and
// still round-trip), each field repeats exactly when the element does, has
// the element's JSON type (string, number, boolean, or the struct of the
// element's datatype), and the elements without a field are exactly the
// ones listed as left in Extra.
func TestFieldsMatchSchema(t *testing.T) {
	t.Parallel()
	defs := r4Definitions(t)
	goDef := map[reflect.Type]string{}
	for _, m := range modelledTypes {
		goDef[reflect.TypeOf(m.v)] = m.def
	}
	for _, m := range modelledTypes {
		rt := reflect.TypeOf(m.v)
		t.Run(rt.Name(), func(t *testing.T) {
			t.Parallel()
			def, ok := defs[m.def]
			if !ok || len(def.Properties) == 0 {
				t.Fatalf("no definition %q with properties in the R4 schema", m.def)
			}
			modelled := map[string]bool{}
			for i := range rt.NumField() {
				f := rt.Field(i)
				if f.Name == "Extra" {
					continue
				}
				name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
				modelled[name] = true
				p, ok := def.Properties[name]
				if !ok {
					t.Errorf("%s.%s: %q is not an element of %s", rt.Name(), f.Name, name, m.def)
					continue
				}
				if msg := kindMismatch(defs, goDef, f.Type, p); msg != "" {
					t.Errorf("%s.%s (%s): %s", rt.Name(), f.Name, name, msg)
				}
			}
			var missing []string
			for name := range def.Properties {
				if strings.HasPrefix(name, "_") || name == "resourceType" || modelled[name] {
					continue
				}
				missing = append(missing, name)
			}
			slices.Sort(missing)
			for _, name := range missing {
				if !listed(m.unmodelled, name) {
					t.Errorf("%s has no field for %s.%s and does not list it as left in Extra", rt.Name(), m.def, name)
				}
			}
			for _, name := range m.unmodelled {
				if !strings.HasSuffix(name, "*") && !slices.Contains(missing, name) {
					t.Errorf("%s lists %q as left in Extra, but it is modelled or not an element of %s", rt.Name(), name, m.def)
				}
			}
		})
	}
}

// listed reports whether name is in list, where an entry ending in * is a
// prefix.
func listed(list []string, name string) bool {
	for _, l := range list {
		if p, ok := strings.CutSuffix(l, "*"); ok && strings.HasPrefix(name, p) || l == name {
			return true
		}
	}
	return false
}

// kindMismatch says how the Go field type ft differs from the schema
// property p, or returns "" when they agree.
func kindMismatch(defs map[string]schemaDef, goDef map[reflect.Type]string, ft reflect.Type, p schemaProp) string {
	if ft.Kind() == reflect.Slice {
		if p.Items == nil {
			return "a slice for an element that does not repeat"
		}
		return kindMismatch(defs, goDef, ft.Elem(), *p.Items)
	}
	if p.Items != nil || p.Type == "array" {
		return "a single value for an element that repeats"
	}
	want := p.Type
	ref := strings.TrimPrefix(p.Ref, "#/definitions/")
	if ref != "" {
		d, ok := defs[ref]
		switch {
		case !ok:
			return "schema names an unknown definition " + ref
		case len(d.Properties) == 0 && d.Type != "":
			want = d.Type // a primitive: string, number or boolean
		case ref == "xhtml": // no type in the schema; a string in FHIR's JSON format
			want = "string"
		default:
			want = "object " + ref
		}
	}
	if len(p.Enum) > 0 {
		want = "string"
	}
	if ft.Kind() == reflect.Pointer {
		ft = ft.Elem()
	}
	var got string
	switch {
	case ft == reflect.TypeFor[fhir.Decimal]():
		got = "number"
	case ft.Kind() == reflect.String:
		got = "string"
	case ft.Kind() == reflect.Bool:
		got = "boolean"
	case ft.Kind() == reflect.Int64:
		got = "number"
	case ft == reflect.TypeFor[fhir.Resource]():
		got = "object ResourceList"
	case ft.Kind() == reflect.Struct:
		d, ok := goDef[ft]
		if !ok {
			return "struct " + ft.Name() + " is not in modelledTypes"
		}
		got = "object " + d
		if d == "Quantity" && slices.Contains(quantityDefs, ref) {
			got = want
		}
	default:
		return "unexpected Go type " + ft.String()
	}
	if got != want {
		return "Go has " + got + ", the schema " + want
	}
	return ""
}

package cdshooks_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/tendo-health/tendo/cdshooks"
	"github.com/tendo-health/tendo/fhir"
)

func medReq(tb testing.TB, js string) fhir.Resource {
	tb.Helper()
	r, err := fhir.Unmarshal([]byte(js))
	if err != nil {
		tb.Fatal(err)
	}
	return r
}

func TestDrugClass(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		json  string
		class string
	}{
		{"ciprofloxacin by ATC", `{"resourceType":"MedicationRequest","medicationCodeableConcept":{"coding":[{"system":"http://www.whocc.no/atc","code":"J01MA02"}]}}`, cdshooks.Fluoroquinolone},
		{"levofloxacin by text", `{"resourceType":"MedicationRequest","medicationCodeableConcept":{"text":"Levofloxacin 500 mg tablets"}}`, cdshooks.Fluoroquinolone},
		{"moxifloxacin by display", `{"resourceType":"MedicationRequest","medicationCodeableConcept":{"coding":[{"system":"http://example.org/drugs","code":"x","display":"MOXIFLOXACIN 400MG TAB"}]}}`, cdshooks.Fluoroquinolone},
		{"prednisolone by ATC", `{"resourceType":"MedicationRequest","medicationCodeableConcept":{"coding":[{"system":"http://www.whocc.no/atc","code":"H02AB06"}]}}`, cdshooks.Corticosteroid},
		{"prednisolone oral by text", `{"resourceType":"MedicationRequest","medicationCodeableConcept":{"text":"Prednisolone 5 mg tablets"},"dosageInstruction":[{"text":"40 mg by mouth daily for 5 days"}]}`, cdshooks.Corticosteroid},
		{"hydrocortisone cream", `{"resourceType":"MedicationRequest","medicationCodeableConcept":{"text":"Hydrocortisone 1% cream"}}`, ""},
		{"beclometasone inhaler route", `{"resourceType":"MedicationRequest","medicationCodeableConcept":{"text":"Budesonide 200 micrograms"},"dosageInstruction":[{"route":{"text":"Inhalation"}}]}`, ""},
		{"amoxicillin (spec example 05)", `{"resourceType":"MedicationRequest","medicationCodeableConcept":{"coding":[{"system":"http://www.nlm.nih.gov/research/umls/rxnorm","code":"617993","display":"Amoxicillin 120 MG/ML / clavulanate potassium 8.58 MG/ML Oral Suspension"}]}}`, ""},
		{"other ATC antibiotic", `{"resourceType":"MedicationRequest","medicationCodeableConcept":{"coding":[{"system":"http://www.whocc.no/atc","code":"J01CA04","display":"amoxicillin"}]}}`, ""},
		{"medication by reference only", `{"resourceType":"MedicationRequest","medicationReference":{"reference":"Medication/1"}}`, ""},
		{"not a MedicationRequest", `{"resourceType":"Observation","code":{"text":"ciprofloxacin level"}}`, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			class, name := cdshooks.DrugClass(medReq(t, tt.json))
			if class != tt.class {
				t.Errorf("class %q (%q), want %q", class, name, tt.class)
			}
			if class != "" && name == "" {
				t.Errorf("no name")
			}
		})
	}
}

func TestTendinopathyCondition(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		json string
		want bool
	}{
		{"tendo local-tendinopathy", `{"resourceType":"Condition","code":{"coding":[{"system":"https://tendo-health.github.io/fhir/CodeSystem/classification","code":"local-tendinopathy"}]}}`, true},
		{"tendo mixed", `{"resourceType":"Condition","code":{"coding":[{"system":"https://tendo-health.github.io/fhir/CodeSystem/classification","code":"mixed"}]}}`, true},
		{"tendo lumbar-referred", `{"resourceType":"Condition","code":{"coding":[{"system":"https://tendo-health.github.io/fhir/CodeSystem/classification","code":"lumbar-referred"}]}}`, false},
		{"text Achilles tendinitis", `{"resourceType":"Condition","code":{"text":"Right Achilles tendinitis"}}`, true},
		{"text tendinopathy elsewhere", `{"resourceType":"Condition","code":{"text":"Patellar tendinopathy"}}`, false},
		{"resolved", `{"resourceType":"Condition","clinicalStatus":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/condition-clinical","code":"resolved"}]},"code":{"text":"Achilles tendinopathy"}}`, false},
		{"refuted", `{"resourceType":"Condition","verificationStatus":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/condition-ver-status","code":"refuted"}]},"code":{"text":"Achilles tendinopathy"}}`, false},
		{"not a Condition", `{"resourceType":"Observation","code":{"text":"Achilles tendinopathy"}}`, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := cdshooks.TendinopathyCondition(medReq(t, tt.json)); got != tt.want {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}

// TestOrderSelect runs tendo-tendon-drug-risk end to end: the draft
// orders, the prefetched Conditions, and the assessment when no Condition
// says the patient has Achilles tendinopathy.
func TestOrderSelect(t *testing.T) {
	t.Parallel()
	cipro := `{"resourceType":"MedicationRequest","id":"rx1","status":"draft","intent":"order","subject":{"reference":"Patient/p1"},"medicationCodeableConcept":{"text":"Ciprofloxacin 500 mg tablets"}}`
	pred := `{"resourceType":"MedicationRequest","id":"rx2","status":"draft","intent":"order","subject":{"reference":"Patient/p1"},"medicationCodeableConcept":{"coding":[{"system":"http://www.whocc.no/atc","code":"H02AB06","display":"prednisolone"}]}}`
	amox := `{"resourceType":"MedicationRequest","id":"rx3","status":"draft","intent":"order","subject":{"reference":"Patient/p1"},"medicationCodeableConcept":{"text":"Amoxicillin 500 mg capsules"}}`
	tendCond := `{"resourceType":"Condition","id":"c1","subject":{"reference":"Patient/p1"},"code":{"coding":[{"system":"https://tendo-health.github.io/fhir/CodeSystem/classification","code":"local-tendinopathy","display":"Local Achilles tendinopathy"}]}}`
	bundle := func(rs ...string) map[string]any {
		var entries []any
		for _, r := range rs {
			entries = append(entries, map[string]any{"resource": json.RawMessage(r)})
		}
		b := map[string]any{"resourceType": "Bundle", "type": "searchset"}
		if entries != nil {
			b["entry"] = entries
		}
		return b
	}
	tests := []struct {
		name       string
		orders     []string
		selections []string
		conditions []string
		caseName   string // the assessment's case when no Condition settles it
		indicator  string // "" = no card
		assessed   bool
	}{
		{"cipro with a tendinopathy condition", []string{cipro}, nil, []string{tendCond}, "s1-mimic", cdshooks.Warning, false},
		{"cipro and prednisolone", []string{cipro, pred}, nil, []string{tendCond}, "", cdshooks.Critical, false},
		{"prednisolone, tendinopathy by assessment", []string{pred}, nil, nil, "runner-midportion", cdshooks.Warning, true},
		{"cipro, assessment against tendinopathy", []string{cipro}, nil, nil, "s1-mimic", "", true},
		{"amoxicillin", []string{amox}, nil, []string{tendCond}, "", "", false},
		{"cipro not among the selections", []string{cipro, amox}, []string{"MedicationRequest/rx3"}, []string{tendCond}, "", "", false},
		{"cipro among the selections", []string{cipro, amox}, []string{"MedicationRequest/rx1"}, []string{tendCond}, "", cdshooks.Warning, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := newFixture(t)
			if tt.caseName != "" {
				f.clinic.cases["p1"] = tt.caseName
			}
			ctx := map[string]any{"patientId": "p1", "userId": "Practitioner/1", "draftOrders": bundle(tt.orders...)}
			if tt.selections != nil {
				ctx["selections"] = tt.selections
			}
			body, err := json.Marshal(map[string]any{
				"hook": "order-select", "hookInstance": "h-order", "context": ctx,
				"prefetch": map[string]any{
					"patient":                json.RawMessage(`{"resourceType":"Patient","id":"p1","birthDate":"1960-05-01","gender":"male"}`),
					"observations":           bundle(),
					"questionnaireResponses": nil,
					"conditions":             bundle(tt.conditions...),
				},
			})
			if err != nil {
				t.Fatal(err)
			}
			code, out := f.post(t, "/tendo-tendon-drug-risk", body, "")
			if code != http.StatusOK {
				t.Fatalf("status %d: %s", code, out)
			}
			cards := checkCards(t, out)
			if got := len(f.clinic.got) > 0; got != tt.assessed {
				t.Errorf("assessed %v, want %v", got, tt.assessed)
			}
			if tt.indicator == "" {
				if len(cards) != 0 {
					t.Fatalf("cards %+v, want none", cards)
				}
				return
			}
			if len(cards) != 1 || cards[0].Indicator != tt.indicator {
				t.Fatalf("cards %+v, want one %s", cards, tt.indicator)
			}
			c := cards[0]
			for _, want := range []string{"Achilles", "Morales", "19.36"} {
				if !strings.Contains(c.Detail, want) {
					t.Errorf("detail lacks %q: %s", want, c.Detail)
				}
			}
			if len(c.OverrideReasons) == 0 || len(c.Suggestions) == 0 || c.Suggestions[0].Actions[0].Type != "delete" ||
				!strings.HasPrefix(c.Suggestions[0].Actions[0].ResourceID, "MedicationRequest/rx") {
				t.Errorf("card %+v", c)
			}
		})
	}
}

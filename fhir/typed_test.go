package fhir_test

import (
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"testing"

	"github.com/tendo-health/tendo/fhir"
	"github.com/tendo-health/tendo/internal/shared"
)

// TestOfficialExamplesTyped reads official R4 examples of the resources
// added for issue 11 and checks that their elements arrive in the typed
// fields (not in Extra): the round trip alone would pass if they did not.
func TestOfficialExamplesTyped(t *testing.T) {
	t.Parallel()
	tests := []struct {
		file string
		get  func(fhir.Resource) string
		want string
	}{
		{"Questionnaire-bb.json", func(r fhir.Resource) string {
			return r.(*fhir.Questionnaire).Item[0].Item[0].Item[1].AnswerOption[1].ValueCoding.Code
		}, "M"},
		{"Questionnaire-bb.json", func(r fhir.Resource) string {
			ew := r.(*fhir.Questionnaire).Item[0].Item[1].Item[2].Item[0].EnableWhen[0]
			return ew.Question + " " + ew.Operator + " " + boolText(ew.AnswerBoolean)
		}, "vitaminKgiven exists true"},
		{"Questionnaire-f201.json", func(r fhir.Resource) string {
			q := r.(*fhir.Questionnaire)
			return q.SubjectType[0] + " " + q.Code[0].Display + " " + q.Item[1].Item[0].Type
		}, "Patient Lifelines Questionnaire 1 part 1 string"},
		{"RiskAssessment-genetic.json", func(r fhir.Resource) string {
			p := r.(*fhir.RiskAssessment).Prediction[0]
			return string(p.ProbabilityDecimal) + " " + p.Outcome.Text + " " + string(p.WhenRange.High.Value) + " " + p.WhenRange.High.Code
		}, "0.000168 Breast Cancer 53 a"},
		{"RiskAssessment-prognosis.json", func(r fhir.Resource) string {
			ra := r.(*fhir.RiskAssessment)
			return ra.Condition.Reference + " " + ra.Prediction[0].QualitativeRisk.Coding[0].Code
		}, "Condition/stroke moderate"},
		{"Condition-f202.json", func(r fhir.Resource) string {
			c := r.(*fhir.Condition)
			return string(c.OnsetAge.Value) + " " + c.OnsetAge.Unit + " " + c.VerificationStatus.Coding[0].Code + " " + c.Evidence[0].Detail[0].Reference
		}, "52 years confirmed DiagnosticReport/f201"},
		{"Flag-example.json", func(r fhir.Resource) string {
			f := r.(*fhir.Flag)
			return f.Status + " " + f.Category[0].Coding[0].Code + " " + f.Period.End + " " + f.Author.Display
		}, "inactive safety 2016-12-01 Nancy Nurse"},
		{"DetectedIssue-ddi.json", func(r fhir.Resource) string {
			d := r.(*fhir.DetectedIssue)
			return d.Severity + " " + d.IdentifiedDateTime + " " + d.Implicated[1].Reference + " " + d.Mitigation[0].Action.Coding[0].Code
		}, "high 2014-01-05 MedicationRequest/medrx0331 13"},
		{"CarePlan-example.json", func(r fhir.Resource) string {
			rep := r.(*fhir.CarePlan).Activity[0].Detail.ScheduledTiming.Repeat
			return fmtInt(rep.Frequency) + " per " + string(rep.Period) + " " + rep.PeriodUnit
		}, "1 per 1 d"},
		{"CarePlan-f201.json", func(r fhir.Resource) string {
			d := r.(*fhir.CarePlan).Activity[0].Detail
			return d.Kind + " " + d.ScheduledString + " " + string(d.DailyAmount.Value) + " " + d.DailyAmount.Unit + " " + boolText(d.DoNotPerform)
		}, "NutritionOrder daily 80 mmol false"},
		{"ServiceRequest-example-pgx.json", func(r fhir.Resource) string {
			s := r.(*fhir.ServiceRequest)
			return s.Intent + " " + s.Code.Coding[0].Code + " " + s.AuthoredOn + " " + s.Requester.Reference
		}, "original-order 47403-1 2016-10-10T15:00:00-07:00 Practitioner/12345"},
	}
	for _, tt := range tests {
		t.Run(tt.file+"/"+tt.want, func(t *testing.T) {
			t.Parallel()
			b, err := os.ReadFile(filepath.Join(shared.Path(t, "data", "fhir", "r4-examples"), tt.file))
			if err != nil {
				t.Fatal(err)
			}
			r, err := fhir.Unmarshal(b)
			if err != nil {
				t.Fatal(err)
			}
			if got := tt.get(r); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func boolText(b *bool) string {
	switch {
	case b == nil:
		return "absent"
	case *b:
		return "true"
	}
	return "false"
}

func fmtInt(n *int64) string {
	if n == nil {
		return "absent"
	}
	return strconv.FormatInt(*n, 10)
}

// TestBuiltRoundTrip writes each resource built in Go (schema_test.go),
// reads it back and compares the two Go values: every field set is written
// under its name and read into the same field.
func TestBuiltRoundTrip(t *testing.T) {
	t.Parallel()
	for _, b := range built() {
		t.Run(b.name, func(t *testing.T) {
			t.Parallel()
			out, err := fhir.Marshal(b.r)
			if err != nil {
				t.Fatal(err)
			}
			back, err := fhir.Unmarshal(out)
			if err != nil {
				t.Fatalf("%v\n%s", err, out)
			}
			if !reflect.DeepEqual(back, b.r) {
				again, _ := fhir.Marshal(back)
				t.Fatalf("read back differs:\n%#v\n%#v\n%s\n%s", b.r, back, out, again)
			}
		})
	}
}

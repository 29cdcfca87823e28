package fhir_test

import (
	"fmt"

	"github.com/tendo-health/tendo/fhir"
)

// A RiskAssessment with one prediction, its probability and its range as
// percentages (R4 invariants ras-1 and ras-2), written as FHIR JSON.
func ExampleMarshal() {
	r := &fhir.RiskAssessment{
		Status:  "final",
		Subject: &fhir.Reference{Reference: "Patient/p1"},
		Prediction: []fhir.RiskAssessmentPrediction{{
			Outcome:            &fhir.CodeableConcept{Text: "Condition A"},
			ProbabilityDecimal: fhir.DecimalOf(62),
			ProbabilityRange: &fhir.Range{
				Low:  &fhir.Quantity{Value: "50", Unit: "%", System: "http://unitsofmeasure.org", Code: "%"},
				High: &fhir.Quantity{Value: "74", Unit: "%", System: "http://unitsofmeasure.org", Code: "%"},
			},
		}},
	}
	out, err := fhir.Marshal(r)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(string(out))
	// Output:
	// {"resourceType":"RiskAssessment","status":"final","subject":{"reference":"Patient/p1"},"prediction":[{"outcome":{"text":"Condition A"},"probabilityDecimal":62,"probabilityRange":{"low":{"value":50,"unit":"%","system":"http://unitsofmeasure.org","code":"%"},"high":{"value":74,"unit":"%","system":"http://unitsofmeasure.org","code":"%"}}}]}
}

// A CarePlan activity scheduled twice a day for 12 weeks, read from FHIR
// JSON into its typed fields.
func ExampleUnmarshal() {
	in := `{"resourceType":"CarePlan","status":"active","intent":"plan","subject":{"reference":"Patient/p1"},
	"activity":[{"detail":{"status":"scheduled","description":"Exercise",
	"scheduledTiming":{"repeat":{"boundsDuration":{"value":12,"unit":"weeks","system":"http://unitsofmeasure.org","code":"wk"},
	"frequency":2,"period":1,"periodUnit":"d"}}}}]}`
	r, err := fhir.Unmarshal([]byte(in))
	if err != nil {
		fmt.Println(err)
		return
	}
	d := r.(*fhir.CarePlan).Activity[0].Detail
	rep := d.ScheduledTiming.Repeat
	fmt.Printf("%s: %d per %s %s, for %s %s\n", d.Description, *rep.Frequency, rep.Period, rep.PeriodUnit, rep.BoundsDuration.Value, rep.BoundsDuration.Unit)
	// Output:
	// Exercise: 2 per 1 d, for 12 weeks
}

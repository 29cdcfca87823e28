package fhirmap_test

import (
	"fmt"

	"github.com/tendo-health/tendo"
	"github.com/tendo-health/tendo/fhir"
	"github.com/tendo-health/tendo/fhirmap"
)

// One finding of an assessment as an Observation, and back.
func ExampleObservationFor() {
	arc := tendo.Positive
	a := &tendo.Assessment{Schema: tendo.SchemaV1, Exam: tendo.Exam{ArcSign: &arc}}
	f, _ := tendo.LookupField("exam.arcSign")
	o, err := fhirmap.ObservationFor(f, a, fhir.Reference{Reference: "Patient/p-1"}, "2026-03-04")
	if err != nil {
		panic(err)
	}
	c := o.Code.Coding[0]
	v := o.ValueCodeableConcept.Coding[0]
	fmt.Println(c.System, c.Code)
	fmt.Println(v.System, v.Code)

	var back tendo.Assessment
	if _, err := fhirmap.FieldFromObservation(o, &back); err != nil {
		panic(err)
	}
	fmt.Println(*back.Exam.ArcSign)
	// Output:
	// https://tendo-health.github.io/fhir/CodeSystem/field exam.arcSign
	// https://tendo-health.github.io/fhir/CodeSystem/test-result positive
	// positive
}

// A patient's record as a Bundle: here one visit without a result, so
// only the Patient and the findings.
func ExampleExport() {
	weight, runner := 72.5, true
	a := &tendo.Assessment{Schema: tendo.SchemaV1, Date: "2026-03-04",
		Patient: tendo.Patient{WeightKg: &weight, Runner: &runner}}
	b, err := fhirmap.Export(fhirmap.Record{
		Patient: tendo.PatientRecord{ID: 7, Name: "Alex Example", BirthYear: 1980},
		Visits:  []fhirmap.Visit{{ID: "1", Assessment: a}},
	}, fhirmap.Options{Base: "https://ehr.example/fhir"})
	if err != nil {
		panic(err)
	}
	for _, e := range b.Entry {
		fmt.Println(e.FullURL)
	}
	w := b.Entry[1].Resource.(*fhir.Observation)
	fmt.Println(w.Code.Coding[1].System, w.Code.Coding[1].Code, w.ValueQuantity.Value, w.ValueQuantity.Code)
	// Output:
	// https://ehr.example/fhir/Patient/p-7
	// https://ehr.example/fhir/Observation/o-7-1-patient.weightKg
	// https://ehr.example/fhir/Observation/o-7-1-patient.runner
	// http://loinc.org 29463-7 72.5 kg
}

// The four questionnaires tendo asks.
func ExampleQuestionnaires() {
	for _, q := range fhirmap.Questionnaires() {
		fmt.Println(q.URL, len(q.Item))
	}
	// Output:
	// https://tendo-health.github.io/fhir/Questionnaire/visa-a 8
	// https://tendo-health.github.io/fhir/Questionnaire/odi 10
	// https://tendo-health.github.io/fhir/Questionnaire/nprs 1
	// https://tendo-health.github.io/fhir/Questionnaire/lefs 20
}

package fhirmap_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/tendo-health/tendo/fhir"
	"github.com/tendo-health/tendo/fhirmap"
	"github.com/tendo-health/tendo/intake"
)

// FuzzImport reads any bytes as a FHIR resource and imports it: a Bundle
// with Import, any other resource with ImportResources. It must never
// panic; what cannot be read gives an OperationOutcome; and every draft
// must pass intake's validation (the rules of `tendo assess`), list each
// unmapped item with a path and a reason, and encode as JSON.
func FuzzImport(f *testing.F) {
	seeds, _ := filepath.Glob(filepath.Join("testdata", "import", "*.json"))
	for _, s := range seeds {
		data, err := os.ReadFile(s)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte(`{"resourceType":"Observation","status":"final","code":{"coding":[{"system":"http://loinc.org","code":"29463-7"}]},"valueQuantity":{"value":70,"code":"kg","system":"http://unitsofmeasure.org"}}`))
	f.Add([]byte(`{"resourceType":"Patient","birthDate":"1990","gender":"other"}`))
	f.Add([]byte(`{"resourceType":"Bundle","type":"collection","entry":[{"resource":{"resourceType":"Bundle","type":"collection"}},{}]}`))
	f.Add([]byte(`{"resourceType":"QuestionnaireResponse","questionnaire":"https://tendo-health.github.io/fhir/Questionnaire/odi","status":"completed","item":[{"linkId":"q1","answer":[{"valueCoding":{"code":"skip"}}]}]}`))
	f.Add([]byte(`not json`))
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := fhir.Unmarshal(data)
		if err != nil {
			oo := fhirmap.OperationOutcome(err)
			if oo == nil || len(oo.Issue) == 0 {
				t.Fatalf("no OperationOutcome for %v", err)
			}
			if _, err := fhir.Marshal(oo); err != nil {
				t.Fatalf("the OperationOutcome does not write: %v", err)
			}
			return
		}
		opt := fhirmap.ImportOptions{Date: "2026-10-02"}
		var d *fhirmap.Draft
		if b, ok := r.(*fhir.Bundle); ok {
			d, err = fhirmap.Import(b, opt)
		} else {
			d, err = fhirmap.ImportResources([]fhir.Resource{r}, opt)
		}
		if err != nil {
			if oo := fhirmap.OperationOutcome(err); oo == nil || len(oo.Issue) == 0 {
				t.Fatalf("no OperationOutcome for %v", err)
			}
			return
		}
		doc, err := intake.Marshal(&d.Assessment)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := intake.ParseJSON(doc); err != nil {
			t.Fatalf("the draft fails intake: %v\n%s", err, doc)
		}
		for _, u := range d.Unmapped {
			if u.Path == "" || u.Reason == "" || u.Code == "" {
				t.Fatalf("unmapped item without a path, reason or code: %+v", u)
			}
		}
		if len(d.Unmapped) > fhirmap.MaxUnmapped {
			t.Fatalf("%d unmapped items, over %d", len(d.Unmapped), fhirmap.MaxUnmapped)
		}
		if _, err := json.Marshal(d); err != nil {
			t.Fatalf("the draft does not encode: %v", err)
		}
	})
}

package fhirmap_test

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/tendo-health/tendo"
	"github.com/tendo-health/tendo/fhir"
	"github.com/tendo-health/tendo/fhirmap"
	"github.com/tendo-health/tendo/intake"
	"github.com/tendo-health/tendo/internal/shared"
)

// notCarried are the contract fields a FHIR export does not carry, by
// design: the caller's identifiers of the assessment and of the patient
// (the resources have ids of their own, and an imported draft is a new
// assessment). Every other field must come back.
var notCarried = []string{"id", "patient.id"}

// exported are the resource types an export writes that the importer
// does not read back, by design: tendo's conclusions, which the import
// recomputes by assessing the draft.
var exported = []string{"RiskAssessment", "Condition", "Flag", "DetectedIssue", "ServiceRequest", "CarePlan"}

// roundTripFiles are the public cases (v1 and v1.1) and the vignettes.
func roundTripFiles(t *testing.T) []string {
	t.Helper()
	var files []string
	for _, dir := range []string{shared.Path(t, "cases"), shared.Path(t, "cases-v11"), filepath.Join("..", "assess", "testdata", "vignettes")} {
		fs, err := filepath.Glob(filepath.Join(dir, "*.json"))
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range fs {
			if filepath.Base(f) != "expected.json" {
				files = append(files, f)
			}
		}
	}
	if len(files) < 50 {
		t.Fatalf("only %d cases and vignettes found", len(files))
	}
	return files
}

// TestRoundTrip exports every public case and vignette with its result as
// a Bundle, writes it, reads it back, imports it, and checks that the
// draft is the same assessment (but for notCarried) and assesses to the
// same result.
func TestRoundTrip(t *testing.T) {
	t.Parallel()
	eng, err := engine()
	if err != nil {
		t.Fatal(err)
	}
	for _, file := range roundTripFiles(t) {
		name := strings.TrimSuffix(filepath.Base(file), ".json")
		t.Run(filepath.Base(filepath.Dir(file))+"/"+name, func(t *testing.T) {
			t.Parallel()
			data, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			a, err := intake.Parse(data)
			if err != nil {
				t.Fatal(err)
			}
			res, err := eng.Assess(a)
			if err != nil {
				t.Fatal(err)
			}
			rec := fhirmap.Record{
				Patient: tendo.PatientRecord{ID: 7, ClinicID: 1, Name: "Round Trip"},
				Visits:  []fhirmap.Visit{{ID: "1", Date: a.Date, Assessment: a, Result: res}},
			}
			b, err := fhirmap.Export(rec, fhirmap.Options{})
			if err != nil {
				t.Fatal(err)
			}
			wire, err := fhir.Marshal(b)
			if err != nil {
				t.Fatal(err)
			}
			r, err := fhir.Decode(bytes.NewReader(wire))
			if err != nil {
				t.Fatal(err)
			}
			d, err := fhirmap.Import(r.(*fhir.Bundle), fhirmap.ImportOptions{Date: a.Date})
			if err != nil {
				t.Fatal(err)
			}

			want := *a
			want.ID, want.Patient.ID = "", ""
			wantJSON, gotJSON := mustMarshal(t, &want), mustMarshal(t, &d.Assessment)
			if !bytes.Equal(wantJSON, gotJSON) {
				t.Errorf("the assessment did not come back:\n got %s\nwant %s", gotJSON, wantJSON)
			}
			for _, u := range d.Unmapped {
				rt, _, _ := strings.Cut(u.Resource, "/")
				if !slices.Contains(exported, rt) || !strings.HasSuffix(u.Path, ".resource") {
					t.Errorf("unmapped: %s (%s)", u, u.Resource)
				}
			}
			if d.Mapped == 0 {
				t.Error("nothing mapped")
			}

			// The draft assesses to the same result (its id aside, which is
			// the assessment's).
			res2, err := eng.Assess(&d.Assessment)
			if err != nil {
				t.Fatal(err)
			}
			res2.ID = res.ID
			if got, want := mustJSON(t, res2), mustJSON(t, res); !bytes.Equal(got, want) {
				t.Errorf("the result changed:\n got %s\nwant %s", got, want)
			}
		})
	}
}

func mustMarshal(t *testing.T, a *tendo.Assessment) []byte {
	t.Helper()
	b, err := intake.Marshal(a)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func mustJSON(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

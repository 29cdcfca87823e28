package web_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tendo-health/tendo"
	"github.com/tendo-health/tendo/fhir"
	"github.com/tendo-health/tendo/intake"
)

// Issue 11: FHIR over the JSON API.

// importBundle is a Bundle with a Patient, a VISA-A response and a
// Condition tendo does not read.
func importBundle(t testing.TB) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "fhirmap", "testdata", "import", "patient-visaa.json"))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestAPIImportFHIR(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	path := "/api/patients/" + itoa(a.patA.ID) + "/fhir"
	code, body := a.api("clinicianA", "POST", path+"?date=2026-06-14", importBundle(t))
	if code != http.StatusOK {
		t.Fatalf("import: %d %s", code, body)
	}
	var got struct {
		Assessment json.RawMessage
		Patient    struct{ Name, Gender, FHIRID string }
		Unmapped   []struct{ Path, Reason, Code string }
	}
	if err := json.Unmarshal(body, &got); err != nil {
		t.Fatal(err)
	}
	as, err := intake.ParseJSON(got.Assessment)
	if err != nil {
		t.Fatalf("the draft is not an assessment: %v\n%s", err, got.Assessment)
	}
	if as.Date != "2026-06-14" || as.Patient.AgeYears == nil || *as.Patient.AgeYears != 45 || as.PROMs.VISAA == nil {
		t.Errorf("draft %s", got.Assessment)
	}
	if got.Patient.Name != "Alex Example" || len(got.Unmapped) != 1 || got.Unmapped[0].Path != "Bundle.entry[2].resource" {
		t.Errorf("patient %+v, unmapped %+v", got.Patient, got.Unmapped)
	}
	es, err := a.store.AuditLog(t.Context(), tendo.AuditFilter{Action: tendo.ActionFHIRImport})
	if err != nil {
		t.Fatal(err)
	}
	if len(es) != 1 || es[0].PatientID != a.patA.ID || es[0].Detail != "draft: 3 mapped, 1 unmapped" {
		t.Errorf("audit %+v, want one fhir.import of the patient with the counts", es)
	}
	if _, err := a.store.Assessments(t.Context(), a.patA.ID); err != nil {
		t.Fatal(err)
	}

	bad := []struct {
		name       string
		path       string
		body       []byte
		code       int
		expression string // of the OperationOutcome's issue; "-" for a JSON API error
	}{
		{"NotFHIR", path, []byte(`{"resourceType":"Bundle","entry":[{"resource":{"resourceType":"Patient","gender":7}}]}`), http.StatusBadRequest, "Bundle.entry[0].resource.gender"},
		{"NotJSON", path, []byte(`{"resourceType":"Bundle",`), http.StatusBadRequest, ""},
		{"NotABundle", path, []byte(`{"resourceType":"Patient"}`), http.StatusBadRequest, "resourceType"},
		{"TooLarge", path, append([]byte(`{"resourceType":"Bundle","id":"`), bytes.Repeat([]byte("a"), fhir.MaxBytes)...), http.StatusRequestEntityTooLarge, ""},
		{"BadDate", path + "?date=2026-02-30", importBundle(t), http.StatusUnprocessableEntity, "-"},
		{"OtherClinic", "/api/patients/" + itoa(a.patB.ID) + "/fhir", importBundle(t), http.StatusNotFound, "-"},
	}
	for _, tt := range bad {
		t.Run(tt.name, func(t *testing.T) {
			code, body := a.api("clinicianA", "POST", tt.path, tt.body)
			if code != tt.code {
				t.Fatalf("%d %s, want %d", code, body, tt.code)
			}
			if strings.Contains(string(body), "Alex") {
				t.Error("an error answer shows the Bundle's content")
			}
			if tt.expression == "-" {
				return
			}
			r, err := fhir.Unmarshal(body)
			if err != nil {
				t.Fatalf("%v: %s", err, body)
			}
			oo, ok := r.(*fhir.OperationOutcome)
			if !ok || len(oo.Issue) != 1 {
				t.Fatalf("want an OperationOutcome of one issue: %s", body)
			}
			x := ""
			if len(oo.Issue[0].Expression) > 0 {
				x = oo.Issue[0].Expression[0]
			}
			if x != tt.expression || oo.Issue[0].Diagnostics == "" {
				t.Errorf("issue %+v, want expression %q", oo.Issue[0], tt.expression)
			}
		})
	}
	es, _ = a.store.AuditLog(t.Context(), tendo.AuditFilter{Action: tendo.ActionFHIRImport})
	if len(es) != 1 {
		t.Errorf("%d fhir.import entries: a refused import was audited as an import", len(es))
	}
}

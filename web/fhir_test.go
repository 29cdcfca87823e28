package web_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tendo-health/tendo"
	"github.com/tendo-health/tendo/fhir"
	"github.com/tendo-health/tendo/intake"
	"github.com/tendo-health/tendo/internal/fhircheck"
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

func TestAPIPatientFHIR(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	path := "/api/patients/" + itoa(a.patA.ID) + "/fhir"
	req, err := http.NewRequest("GET", a.srv.URL+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+a.tokens["clinicianA"])
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/fhir+json") {
		t.Fatalf("%d %s: %s", resp.StatusCode, resp.Header.Get("Content-Type"), body)
	}
	r, err := fhir.Unmarshal(body)
	if err != nil {
		t.Fatal(err)
	}
	b, ok := r.(*fhir.Bundle)
	if !ok || b.Type != "collection" {
		t.Fatalf("want a collection Bundle, got %s", body)
	}
	in := map[string][]byte{}
	types := map[string]int{}
	for i, e := range b.Entry {
		res, err := fhir.Marshal(e.Resource)
		if err != nil {
			t.Fatal(err)
		}
		in[fmt.Sprintf("entry%02d-%s", i, e.Resource.ResourceType())] = res
		types[e.Resource.ResourceType()]++
	}
	if types["Patient"] != 1 || types["Observation"] == 0 || types["RiskAssessment"] != 1 {
		t.Errorf("resources %v, want the Patient, Observations and a RiskAssessment", types)
	}
	fhircheck.Check(t, in).Require(t)
	es, err := a.store.AuditLog(t.Context(), tendo.AuditFilter{Action: tendo.ActionFHIRExport})
	if err != nil {
		t.Fatal(err)
	}
	if len(es) != 1 || es[0].PatientID != a.patA.ID {
		t.Errorf("audit %+v, want one fhir.export of the patient", es)
	}

	// The Bundle imports back into the visit's assessment.
	st, err := a.store.Assessment(t.Context(), a.assA)
	if err != nil {
		t.Fatal(err)
	}
	want, err := intake.ParseJSON(st.Input)
	if err != nil {
		t.Fatal(err)
	}
	code, imp := a.api("clinicianA", "POST", path+"?date="+st.Date, body)
	if code != http.StatusOK {
		t.Fatalf("import: %d %s", code, imp)
	}
	var got struct{ Assessment json.RawMessage }
	if err := json.Unmarshal(imp, &got); err != nil {
		t.Fatal(err)
	}
	draft, err := intake.ParseJSON(got.Assessment)
	if err != nil {
		t.Fatal(err)
	}
	want.ID, want.Patient.ID = "", ""
	w, _ := intake.Marshal(want)
	g, _ := intake.Marshal(draft)
	if !bytes.Equal(w, g) {
		t.Errorf("export then import:\n got %s\nwant %s", g, w)
	}
}

func TestAPIExportFHIR(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	for _, tc := range []struct {
		user    string
		patient tendo.PatientRecord
		other   tendo.PatientRecord
	}{
		{"clinicianA", a.patA, a.patB},
		{"clinicianB", a.patB, a.patA},
	} {
		req, err := http.NewRequest("GET", a.srv.URL+"/api/fhir/export", nil)
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Authorization", "Bearer "+a.tokens[tc.user])
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "application/fhir+ndjson" {
			t.Fatalf("%s: %d %s", tc.user, resp.StatusCode, resp.Header.Get("Content-Type"))
		}
		lines := strings.Split(strings.TrimSuffix(string(body), "\n"), "\n")
		patients := 0
		for i, l := range lines {
			r, err := fhir.Unmarshal([]byte(l))
			if err != nil {
				t.Fatalf("%s: line %d: %v", tc.user, i+1, err)
			}
			if _, ok := r.(*fhir.Patient); ok {
				patients++
				if !strings.Contains(l, tc.patient.Name) {
					t.Errorf("%s: a Patient that is not theirs: %s", tc.user, l)
				}
			}
		}
		if patients != 1 || strings.Contains(string(body), tc.other.Name) {
			t.Errorf("%s: %d patients; the other clinic's patient must not appear", tc.user, patients)
		}
	}
	es, err := a.store.AuditLog(t.Context(), tendo.AuditFilter{Action: tendo.ActionFHIRExport})
	if err != nil {
		t.Fatal(err)
	}
	if len(es) != 2 {
		t.Errorf("%d fhir.export entries, want 2", len(es))
	}
}

// TestImportFHIRPage uploads a Bundle from the new-assessment page: the
// form comes back filled in from the draft, with what was not read listed,
// and saving it is the clinician's step.
func TestImportFHIRPage(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	b := a.login("clinicianA")
	new := "/patients/" + itoa(a.patA.ID) + "/assessments/new"
	code, page, _ := b.get(new)
	if code != http.StatusOK || !strings.Contains(page, `id="fhir-import"`) || !strings.Contains(page, `enctype="multipart/form-data"`) {
		t.Fatalf("the new-assessment page has no FHIR upload: %d", code)
	}
	path := "/patients/" + itoa(a.patA.ID) + "/assessments/fhir"
	code, page, _ = b.postFile(path, url.Values{}, importBundle(t))
	if code != http.StatusOK {
		t.Fatalf("import: %d %s", code, page)
	}
	for _, want := range []string{
		`id="fhir-import-notice"`,
		"<code>Bundle.entry[2].resource</code> (Condition/c1): tendo does not read Condition resources",
		`value="47"`, // the VISA-A answers, scored (5+6+7+4+8+3+4+10)
	} {
		if !strings.Contains(page, want) {
			t.Errorf("the filled-in form lacks %q", want)
		}
	}
	as, err := a.store.Assessments(t.Context(), a.patA.ID)
	if err != nil {
		t.Fatal(err)
	}
	es, err := a.store.AuditLog(t.Context(), tendo.AuditFilter{Action: tendo.ActionFHIRImport})
	if err != nil {
		t.Fatal(err)
	}
	if len(es) != 1 || es[0].PatientID != a.patA.ID {
		t.Errorf("audit %+v, want one fhir.import", es)
	}

	code, page, _ = b.postFile(path, url.Values{}, []byte(`{"resourceType":"Bundle","entry":[{"resource":{"resourceType":"Patient","gender":7}}]}`))
	if code != http.StatusUnprocessableEntity || !strings.Contains(page, "Bundle.entry[0].resource.gender") {
		t.Errorf("a broken Bundle: %d, want 422 naming Bundle.entry[0].resource.gender", code)
	}
	after, err := a.store.Assessments(t.Context(), a.patA.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(after) != len(as) {
		t.Error("an import saved a visit")
	}
}

package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/tendo-health/tendo"
	"github.com/tendo-health/tendo/assess"
	"github.com/tendo-health/tendo/clinic"
	"github.com/tendo-health/tendo/fhir"
	"github.com/tendo-health/tendo/intake"
	"github.com/tendo-health/tendo/internal/shared"
	"github.com/tendo-health/tendo/sqlstore"
)

// Issue 11: tendo fhir.

// writeTemp writes a file in a test's directory and returns its path.
func writeTemp(t *testing.T, name, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestFHIRImport(t *testing.T) {
	t.Parallel()
	bundle := filepath.Join("..", "..", "fhirmap", "testdata", "import", "patient-visaa.json")
	tests := []struct {
		name       string
		args       []string
		stdin      string
		code       int
		stdout     string // a part of it
		stderr     []string
		assessment bool // stdout is an assessment intake accepts
	}{
		{
			name: "Bundle", args: []string{"fhir", "import", bundle, "--date", "2026-06-14"},
			stdout: `"ageYears": 45`, assessment: true,
			stderr: []string{"tendo: unmapped: Bundle.entry[2].resource: tendo does not read Condition resources\n"},
		},
		{
			name: "WholeDraft", args: []string{"fhir", "import", "--draft", "--date", "2026-06-14", bundle},
			stdout: `"unmapped": [`,
			stderr: []string{"tendo: unmapped: Bundle.entry[2].resource: tendo does not read Condition resources\n"},
		},
		{
			name: "OneResourceOnStdin", args: []string{"fhir", "import", "-", "--date", "2026-06-14"},
			stdin:  `{"resourceType":"Patient","gender":"male","birthDate":"1970-01-01"}`,
			stdout: `"sex": "male"`, assessment: true,
		},
		{
			name: "NotFHIR", args: []string{"fhir", "import", "-"}, stdin: `{"resourceType":"Patient","name":[{"given":[1]}]}`,
			code: 2, stderr: []string{"tendo: standard input: Patient.name[0].given[0]: want a string, got a number\n"},
		},
		{
			name: "NotJSON", args: []string{"fhir", "import", "-"}, stdin: `{"resourceType":`,
			code: 2, stderr: []string{"tendo: standard input: not JSON"},
		},
		{
			name: "NoSuchFile", args: []string{"fhir", "import", "no-such.json"},
			code: 2, stderr: []string{"tendo: no-such.json: no such file\n"},
		},
		{
			name: "BadDate", args: []string{"fhir", "import", bundle, "--date", "2026-02-30"},
			code: 2, stderr: []string{"--date"},
		},
		{
			name: "TwoFiles", args: []string{"fhir", "import", bundle, bundle},
			code: 2, stderr: []string{"want one file"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			code, out, errOut := run(t, tt.stdin, tt.args...)
			if code != tt.code {
				t.Fatalf("exit %d, want %d; stderr %q", code, tt.code, errOut)
			}
			if !strings.Contains(out, tt.stdout) {
				t.Errorf("stdout %q lacks %q", out, tt.stdout)
			}
			for _, s := range tt.stderr {
				if !strings.Contains(errOut, s) {
					t.Errorf("stderr %q lacks %q", errOut, s)
				}
			}
			if tt.code != 0 && strings.Count(errOut, "\n") != 1 {
				t.Errorf("stderr %q: want one line", errOut)
			}
			if tt.assessment {
				if _, err := intake.ParseJSON([]byte(out)); err != nil {
					t.Errorf("the draft is not an assessment tendo assess reads: %v", err)
				}
			}
			if tt.name == "WholeDraft" {
				var d struct {
					Assessment json.RawMessage
					Unmapped   []struct{ Path, Reason string }
				}
				if err := json.Unmarshal([]byte(out), &d); err != nil || len(d.Unmapped) != 1 || len(d.Assessment) == 0 {
					t.Errorf("draft %s: %v", out, err)
				}
			}
		})
	}
}

func TestFHIRQuestionnaires(t *testing.T) {
	t.Parallel()
	code, out, errOut := run(t, "", "fhir", "questionnaires")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	r, err := fhir.Unmarshal([]byte(out))
	if err != nil {
		t.Fatal(err)
	}
	b, ok := r.(*fhir.Bundle)
	if !ok || len(b.Entry) != 4 {
		t.Fatalf("want a Bundle of 4 Questionnaires, got %T", r)
	}
	for _, e := range b.Entry {
		q, ok := e.Resource.(*fhir.Questionnaire)
		if !ok || q.URL == "" || e.FullURL != q.URL {
			t.Errorf("entry %+v: want a Questionnaire with its canonical URL", e)
		}
	}
	code, out, _ = run(t, "", "fhir", "questionnaires", "--ndjson")
	if lines := strings.Split(strings.TrimSpace(out), "\n"); code != 0 || len(lines) != 4 {
		t.Fatalf("--ndjson: exit %d, %d lines, want 4", code, len(lines))
	} else {
		for i, l := range lines {
			if r, err := fhir.Unmarshal([]byte(l)); err != nil || r.ResourceType() != "Questionnaire" {
				t.Errorf("line %d: %v", i+1, err)
			}
		}
	}
}

func TestFHIRExportAssessment(t *testing.T) {
	t.Parallel()
	file := filepath.Join(shared.Path(t, "cases"), "runner-midportion.json")
	code, out, errOut := run(t, "", "fhir", "export", file, "--ranges", "off")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	r, err := fhir.Unmarshal([]byte(out))
	if err != nil {
		t.Fatal(err)
	}
	b, ok := r.(*fhir.Bundle)
	if !ok {
		t.Fatalf("want a Bundle, got %s", r.ResourceType())
	}
	types := map[string]int{}
	for _, e := range b.Entry {
		types[e.Resource.ResourceType()]++
	}
	if types["Patient"] != 1 || types["Observation"] < 10 || types["QuestionnaireResponse"] != 2 || types["RiskAssessment"] != 1 || types["CarePlan"] != 1 {
		t.Errorf("resources %v", types)
	}
	// It imports back: tendo fhir import reads what tendo fhir export writes.
	bundle := writeTemp(t, "bundle.json", out)
	code, draft, errOut := run(t, "", "fhir", "import", bundle, "--date", "2026-10-02")
	if code != 0 {
		t.Fatalf("import: exit %d: %s", code, errOut)
	}
	if _, err := intake.ParseJSON([]byte(draft)); err != nil {
		t.Errorf("the draft: %v", err)
	}
	for _, bad := range []struct {
		name string
		args []string
		msg  string
	}{
		{"NoSuchFile", []string{"fhir", "export", "no-such.json"}, "no-such.json: no such file"},
		{"NotAnAssessment", []string{"fhir", "export", "-"}, "standard input: "},
		{"NothingToExport", []string{"fhir", "export"}, "name an assessment file"},
		{"FileAndPatient", []string{"fhir", "export", file, "--patient", "3"}, "not both"},
		{"BadRanges", []string{"fhir", "export", file, "--ranges", "slow"}, "--ranges"},
	} {
		code, _, errOut := run(t, `{"schema":"tendo/assessment/v1","exam":{"arcSign":"maybe"}}`, bad.args...)
		if code != 2 || !strings.Contains(errOut, bad.msg) || strings.Count(errOut, "\n") != 1 {
			t.Errorf("%s: exit %d, stderr %q; want 2 and one line with %q", bad.name, code, errOut, bad.msg)
		}
	}
}

// TestFHIRExportDatabase exports a patient of a database as a Bundle and
// every patient as Bulk Data NDJSON files, and finds both exports in the
// audit log.
func TestFHIRExportDatabase(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := filepath.Join(t.TempDir(), "tendo.db")
	store, err := sqlstore.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	eng, err := assess.NewWithOptions(assess.Options{})
	if err != nil {
		t.Fatal(err)
	}
	svc := clinic.New(store, eng, nil)
	sys := tendo.SystemContext(ctx, "test")
	cl, err := store.CreateClinic(ctx, "Clinic")
	if err != nil {
		t.Fatal(err)
	}
	var ids []int64
	for _, name := range []string{"Ada", "Bea"} {
		p, err := svc.CreatePatient(sys, tendo.NewPatient{ClinicID: cl.ID, Name: name})
		if err != nil {
			t.Fatal(err)
		}
		input, err := os.ReadFile(filepath.Join(shared.Path(t, "cases"), "s1-mimic.json"))
		if err != nil {
			t.Fatal(err)
		}
		a, err := intake.ParseJSON(input)
		if err != nil {
			t.Fatal(err)
		}
		if _, _, err := svc.CreateVisit(sys, tendo.NewVisit{PatientID: p.ID, Assessment: a, Input: input}); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, p.ID)
	}
	store.Close()

	code, out, errOut := run(t, "", "fhir", "export", "--db", db, "--patient", strconv.FormatInt(ids[0], 10))
	if code != 0 {
		t.Fatalf("--patient: exit %d: %s", code, errOut)
	}
	if r, err := fhir.Unmarshal([]byte(out)); err != nil || r.ResourceType() != "Bundle" || !strings.Contains(out, "Ada") || strings.Contains(out, "Bea") {
		t.Errorf("--patient: want Ada's Bundle: %v", err)
	}
	code, _, errOut = run(t, "", "fhir", "export", "--db", db, "--patient", "12345")
	if code != 2 || !strings.Contains(errOut, "No such patient") {
		t.Errorf("unknown patient: exit %d, %q", code, errOut)
	}

	dir := filepath.Join(t.TempDir(), "bulk")
	code, out, errOut = run(t, "", "fhir", "export", "--db", db, "--ndjson", dir)
	if code != 0 {
		t.Fatalf("--ndjson: exit %d: %s", code, errOut)
	}
	var manifest struct {
		Output []struct {
			Type, URL string
			Count     int
		}
	}
	if err := json.Unmarshal([]byte(out), &manifest); err != nil {
		t.Fatal(err)
	}
	counts := map[string]int{}
	for _, o := range manifest.Output {
		data, err := os.ReadFile(o.URL)
		if err != nil {
			t.Fatal(err)
		}
		if fi, err := os.Stat(o.URL); err != nil || fi.Mode().Perm() != 0o600 {
			t.Errorf("%s: mode %v, want 0600", o.URL, fi.Mode())
		}
		lines := strings.Split(strings.TrimSuffix(string(data), "\n"), "\n")
		if len(lines) != o.Count || filepath.Base(o.URL) != o.Type+".ndjson" {
			t.Errorf("%s: %d lines, the list says %d", o.URL, len(lines), o.Count)
		}
		for i, l := range lines {
			r, err := fhir.Unmarshal([]byte(l))
			if err != nil || r.ResourceType() != o.Type {
				t.Errorf("%s line %d: %v", o.URL, i+1, err)
			}
		}
		counts[o.Type] = o.Count
	}
	if counts["Patient"] != 2 || counts["RiskAssessment"] != 2 || counts["Observation"] == 0 {
		t.Errorf("files %v", counts)
	}

	store, err = sqlstore.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	es, err := store.AuditLog(ctx, tendo.AuditFilter{Action: tendo.ActionFHIRExport})
	if err != nil {
		t.Fatal(err)
	}
	if len(es) != 2 || es[0].Actor != "system (cli)" {
		t.Errorf("audit %+v, want two fhir.export entries by the command line", es)
	}
}

package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tendo-health/tendo/fhir"
	"github.com/tendo-health/tendo/intake"
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

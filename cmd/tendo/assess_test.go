package main

import (
	"bufio"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tendo-health/tendo/intake"
	"github.com/tendo-health/tendo/internal/golden"
	"github.com/tendo-health/tendo/internal/shared"
)

func casePath(t *testing.T, name string) string { return shared.Path(t, "cases", name+".json") }

func TestAssessFormats(t *testing.T) {
	t.Parallel()
	path := casePath(t, "s1-mimic")
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name  string
		stdin string
		args  []string
		want  []string
	}{
		{"text from a file", "", []string{"assess", path}, []string{"CONCLUSION  Referred from the lumbar spine (S1)", "supports clinical judgement", "model tendo-achilles"}},
		{"json from stdin", string(data), []string{"assess", "--format", "json", "-"}, []string{`"classification": "lumbar-referred"`, `"modelVersion": "tendo-achilles`}},
		{"html", "", []string{"assess", path, "--format", "html"}, []string{"<!doctype html>", "@media print", "Referred from the lumbar spine"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			code, out, errOut := run(t, tt.stdin, tt.args...)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, errOut)
			}
			for _, w := range tt.want {
				if !strings.Contains(out, w) {
					t.Errorf("output lacks %q", w)
				}
			}
		})
	}
}

// TestAssessBadInput feeds malformed assessments: each gives exit code 2
// and one line that names the field.
func TestAssessBadInput(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	tests := []struct {
		name string
		doc  string
		want []string
	}{
		{"wrong type", `{"schema":"tendo/assessment/v1","patient":{"ageYears":"45"}}`, []string{"patient.ageYears"}},
		{"out of range", `{"schema":"tendo/assessment/v1","patient":{"ageYears":7}}`, []string{"patient.ageYears", "10–110"}},
		{"unknown field with a suggestion", `{"schema":"tendo/assessment/v1","exam":{"slupm":"positive"}}`, []string{"exam.slupm", "did you mean exam.slump"}},
		{"bad enumeration", `{"schema":"tendo/assessment/v1","exam":{"arcSign":"maybe"}}`, []string{"exam.arcSign", "positive, negative, equivocal"}},
		{"ODI with three missing sections", `{"schema":"tendo/assessment/v1","proms":{"odi":{"answers":[1,2,null,null,null,1,1,1,1,1]}}}`, []string{"proms.odi.answers", "at most 2"}},
		{"VISA-A with a wrong branch value", `{"schema":"tendo/assessment/v1","proms":{"visaA":{"answers":[1,2,3,4,5,6,7,{"branch":"B","points":6}]}}}`, []string{"proms.visaA.answers[7].points", "0, 4, 10, 14, 20"}},
		{"missing schema", `{"id":"x"}`, []string{"schema"}},
		{"YAML with a bad field", "schema: tendo/assessment/v1\nexam:\n  slump: yes\n", []string{"exam.slump"}},
		{"not JSON or YAML", "{{{", []string{"tendo: "}},
		{"v1.1: a broken cross-field rule", `{"schema":"tendo/assessment/v1","history":{"legPainBelowKnee":true,"legPainAreas":[]}}`, []string{"history.legPainBelowKnee", "history.legPainAreas"}},
		{"v1.1: an area that does not exist", `{"schema":"tendo/assessment/v1","history":{"legPainAreas":["ankle"]}}`, []string{"history.legPainAreas[0]", "lateral-foot"}},
		{"v1.1: MRC 6", `{"schema":"tendo/assessment/v1","side":"left","exam":{"neuro":{"left":{"greatToeExtensionMrc":6}}}}`, []string{"exam.neuro.left.greatToeExtensionMrc", "0–5"}},
		{"v1.1: an ABPI of 4", `{"schema":"tendo/assessment/v1","exam":{"abpi":4}}`, []string{"exam.abpi", "0–3"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			p := filepath.Join(dir, strings.ReplaceAll(tt.name, " ", "-")+".json")
			if err := os.WriteFile(p, []byte(tt.doc), 0o644); err != nil {
				t.Fatal(err)
			}
			code, out, errOut := run(t, "", "assess", p)
			if code != exitBadInput {
				t.Fatalf("exit %d, want 2 (stderr %q, stdout %q)", code, errOut, out)
			}
			if strings.Count(strings.TrimRight(errOut, "\n"), "\n") != 0 {
				t.Errorf("stderr is more than one line: %q", errOut)
			}
			for _, w := range tt.want {
				if !strings.Contains(errOut, w) {
					t.Errorf("stderr %q lacks %q", errOut, w)
				}
			}
			if out != "" {
				t.Errorf("a bad assessment printed a result: %q", out)
			}
		})
	}
	code, _, errOut := run(t, "", "assess", filepath.Join(dir, "missing.json"))
	if code != exitBadInput || !strings.Contains(errOut, "no such file") {
		t.Errorf("missing file: exit %d, %q", code, errOut)
	}
	code, _, errOut = run(t, "", "assess", casePath(t, "s1-mimic"), "--format", "pdf")
	if code != exitBadInput || !strings.Contains(errOut, "--format") {
		t.Errorf("bad format: exit %d, %q", code, errOut)
	}
}

// TestAssessBatch runs --batch on NDJSON with a bad line in the middle:
// results come out in input order, the bad line becomes an error object
// naming the field, and the exit code is 2.
func TestAssessBatch(t *testing.T) {
	t.Parallel()
	input := string(batchInput(t, 12))
	lines := strings.Split(strings.TrimSpace(input), "\n")
	lines[4] = `{"schema":"tendo/assessment/v1","id":"bad","exam":{"slupm":"positive"}}`
	code, out, errOut := run(t, strings.Join(lines, "\n")+"\n", "assess", "--batch")
	if code != exitBadInput || !strings.Contains(errOut, "1 line(s) could not be assessed (lines 5)") {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
	sc := bufio.NewScanner(strings.NewReader(out))
	sc.Buffer(make([]byte, 1<<20), 1<<22)
	n := 0
	for sc.Scan() {
		n++
		var m map[string]any
		if err := json.Unmarshal(sc.Bytes(), &m); err != nil {
			t.Fatalf("line %d is not JSON: %v", n, err)
		}
		if n == 5 {
			e, _ := m["error"].(map[string]any)
			if m["line"] != float64(5) || e == nil || !strings.Contains(e["message"].(string), "exam.slupm") {
				t.Errorf("line 5: %v", m)
			}
			continue
		}
		var in map[string]any
		_ = json.Unmarshal([]byte(lines[n-1]), &in)
		if m["id"] != in["id"] || m["classification"] == nil {
			t.Errorf("line %d: id %v, want %v (order kept?)", n, m["id"], in["id"])
		}
	}
	if n != len(lines) {
		t.Fatalf("%d output lines for %d input lines", n, len(lines))
	}
}

// TestAssessBatchLongLine puts a line longer than intake.MaxSize in the
// middle of a batch: that line becomes an error object naming its line,
// and the lines after it are still assessed, in order.
func TestAssessBatchLongLine(t *testing.T) {
	t.Parallel()
	lines := strings.Split(strings.TrimSpace(string(batchInput(t, 6))), "\n")
	lines[2] = `{"schema":"tendo/assessment/v1","id":"` + strings.Repeat("x", intake.MaxSize) + `"}`
	code, out, errOut := run(t, strings.Join(lines, "\n")+"\n", "assess", "--batch", "--ranges", "off")
	if code != exitBadInput || !strings.Contains(errOut, "1 line(s) could not be assessed (lines 3)") {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
	got := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	if len(got) != len(lines) {
		t.Fatalf("%d output lines for %d input lines", len(got), len(lines))
	}
	for i, l := range got {
		var m map[string]any
		if err := json.Unmarshal([]byte(l), &m); err != nil {
			t.Fatalf("line %d is not JSON: %v", i+1, err)
		}
		if i == 2 {
			e, _ := m["error"].(map[string]any)
			if m["line"] != float64(3) || e == nil || !strings.Contains(e["message"].(string), "longer than 1 MiB") {
				t.Errorf("line 3: %v", m)
			}
			continue
		}
		var in map[string]any
		_ = json.Unmarshal([]byte(lines[i]), &in)
		if m["id"] != in["id"] || m["classification"] == nil {
			t.Errorf("line %d: id %v, want %v", i+1, m["id"], in["id"])
		}
	}
}

func TestModelCommands(t *testing.T) {
	t.Parallel()
	code, out, errOut := run(t, "", "model", "check")
	if code != 0 || !strings.Contains(out, "OK") || !strings.Contains(out, "accuracy targets reproduced") {
		t.Fatalf("model check: exit %d\n%s%s", code, out, errOut)
	}
	// A broken model file is reported with exit code 2.
	bad := filepath.Join(t.TempDir(), "bad.yaml")
	if err := os.WriteFile(bad, []byte("schema: tendo/model/v1\nid: x\nversion: 1\nnodes:\n  - id: a\n    label: A\n    description: d\n    role: context\n    states: [no, yes]\n    prior: {p: 0.4}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, errOut = run(t, "", "model", "check", bad)
	if code != exitBadInput || !strings.Contains(errOut, "neither a source nor an estimate") {
		t.Fatalf("bad model: exit %d, %q", code, errOut)
	}
	// The exported BIF loads in tendo bn and answers a query.
	code, out, errOut = run(t, "", "model", "export", "--format", "bif")
	if code != 0 || !strings.HasPrefix(out, "network tendo-achilles") {
		t.Fatalf("export: exit %d %s", code, errOut)
	}
	p := filepath.Join(t.TempDir(), "tendo.bif")
	if err := os.WriteFile(p, []byte(out), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errOut = run(t, "", "bn", "query", p, "--evidence", "slump=positive,straightLegRaise=positive", "--json")
	if code != 0 || !strings.Contains(out, `"s1Radiculopathy"`) {
		t.Fatalf("bn query on the export: exit %d %s", code, errOut)
	}
}

// TestModelCardIsCurrent regenerates the model card and compares it with
// the committed docs/model-card.{md,html} (go test ./cmd/tendo -run
// TestModelCardIsCurrent -update rewrites them).
func TestModelCardIsCurrent(t *testing.T) {
	t.Parallel()
	for _, format := range []string{"md", "html"} {
		code, out, errOut := run(t, "", "model", "doc", "--format", format)
		if code != 0 {
			t.Fatalf("model doc: exit %d %s", code, errOut)
		}
		golden.Check(t, filepath.Join("..", "..", "docs", "model-card."+format), []byte(out))
	}
}

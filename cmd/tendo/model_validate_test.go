package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tendo-health/tendo/internal/shared"
)

// validateSpec is a small validation file whose one effect row passes or
// fails depending on its interval (no model gives an odds ratio of 1,000).
func validateSpec(estimate, ci string) string {
	return `schema: tendo/validation/v1
effects:
  - factors: [{node: diabetes, state: "yes"}]
    outcome: {node: tendinopathy, states: [midportion, insertional]}
    measure: OR
    estimate: ` + estimate + `
    ci: ` + ci + `
    note: test row
extremes: {low: 0.01, high: 0.99, max: 1, note: test row}
`
}

// TestModelValidateExitCodes: 0 when every figure is within its tolerance,
// 1 when one is not, 2 on bad arguments or a bad --spec file.
func TestModelValidateExitCodes(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	pass := write("pass.yaml", validateSpec("1.5", "[0.001, 1000]"))
	fail := write("fail.yaml", validateSpec("1000", "[999, 1001]"))
	unknownKey := write("key.yaml", strings.Replace(validateSpec("1", "[0.5, 2]"), "measure: OR", "measure: OR\n    meassure: OR", 1))
	unknownNode := write("node.yaml", strings.Replace(validateSpec("1", "[0.5, 2]"), "node: diabetes", "node: diabetis", 1))
	cases := shared.Path(t, "cases")
	tests := []struct {
		name string
		args []string
		code int
		want string // in stdout (exit 0, 1) or stderr (exit 2)
	}{
		{"pass", []string{"--spec", pass}, 0, "ok"},
		{"pass with vignettes", []string{"--spec", pass, "--vignettes", cases}, 0, "1 file(s) skipped because they did not parse: expected.json"},
		{"fail", []string{"--spec", fail}, 1, "FAIL"},
		{"fail as markdown", []string{"--spec", fail, "--format", "md"}, 1, "| check | figure | target/tolerance | source | ok/FAIL |"},
		{"unknown flag", []string{"--formt", "md"}, 2, "flag provided but not defined"},
		{"bad format", []string{"--format", "pdf"}, 2, `--format "pdf" is not text or md`},
		{"json and md", []string{"--json", "--format", "md"}, 2, "exclude each other"},
		{"an argument", []string{"extra"}, 2, "takes no arguments"},
		{"no such spec", []string{"--spec", filepath.Join(dir, "nope.yaml")}, 2, "no such file"},
		{"unknown key in the spec", []string{"--spec", unknownKey}, 2, "field meassure not found"},
		{"unknown node in the spec", []string{"--spec", unknownNode}, 2, `node "diabetis" does not exist in the model (did you mean "diabetes"?)`},
		{"no such vignette directory", []string{"--vignettes", filepath.Join(dir, "nope")}, 2, "no such file"},
		{"vignettes not a directory", []string{"--vignettes", pass}, 2, "is not a directory"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			code, out, errOut := run(t, "", append([]string{"model", "validate"}, tt.args...)...)
			if code != tt.code {
				t.Fatalf("exit %d, want %d\nstdout:\n%s\nstderr: %s", code, tt.code, out, errOut)
			}
			where := out
			if code == 2 {
				where = errOut
				if out != "" || strings.Count(errOut, "\n") != 1 {
					t.Errorf("want one line on stderr and nothing on stdout; got %q, %q", out, errOut)
				}
			}
			if !strings.Contains(where, tt.want) {
				t.Errorf("output lacks %q:\nstdout:\n%s\nstderr: %s", tt.want, out, errOut)
			}
			if code == 1 && !strings.Contains(errOut, "1 figure(s) stray beyond their tolerance") {
				t.Errorf("stderr %q", errOut)
			}
		})
	}
}

// TestModelValidateEmbedded runs the embedded validation file: the table
// has every kind of row, and the exit code agrees with its FAIL count (the
// model may not pass yet; that is what the command is for).
func TestModelValidateEmbedded(t *testing.T) {
	t.Parallel()
	code, out, errOut := run(t, "", "model", "validate", "--json")
	var report struct {
		Figures []struct {
			Kind   string    `json:"kind"`
			Status string    `json:"status"`
			Values []float64 `json:"values"`
		} `json:"figures"`
		Failed int `json:"failed"`
	}
	if err := json.Unmarshal([]byte(out), &report); err != nil {
		t.Fatalf("%v\n%s%s", err, out, errOut)
	}
	kinds := map[string]int{}
	fails := 0
	for _, f := range report.Figures {
		kinds[f.Kind]++
		if f.Status == "FAIL" {
			fails++
		}
	}
	for _, k := range []string{"accuracy", "effect", "likelihoodRatio", "auc", "extremes"} {
		if kinds[k] == 0 {
			t.Errorf("no %s row", k)
		}
	}
	if fails != report.Failed || (code == 0) != (fails == 0) || (code != 0 && code != 1) {
		t.Errorf("exit %d with %d FAIL rows (failed %d); stderr %q", code, fails, report.Failed, errOut)
	}
	// The text table has the header and a row per figure.
	_, text, _ := run(t, "", "model", "validate")
	if !strings.Contains(text, "check") || !strings.Contains(text, "ok/FAIL") || strings.Count(text, "\n") < len(report.Figures)+3 {
		t.Errorf("text table:\n%s", text)
	}
}

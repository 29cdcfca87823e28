package main

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tendo-health/tendo/bn/uai"
	"github.com/tendo-health/tendo/internal/golden"
	"github.com/tendo-health/tendo/internal/shared"
)

// run runs tendo with args and returns its exit code, stdout and stderr.
func run(t *testing.T, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	m := &Main{Stdin: strings.NewReader(stdin), Stdout: &out, Stderr: &errb}
	code := m.Run(context.Background(), args)
	return code, out.String(), errb.String()
}

func bifPath(t *testing.T, name string) string {
	return shared.Path(t, "data", "bayesnet", "bnlearn-bif", name+".bif.gz")
}

// TestHelpEverywhere walks the command tree: every group and every command
// answers --help with its usage on stdout and exit code 0.
func TestHelpEverywhere(t *testing.T) {
	t.Parallel()
	var walk func(c *command, path []string)
	walk = func(c *command, path []string) {
		for _, h := range []string{"--help", "-h"} {
			code, out, errOut := run(t, "", append(append([]string{}, path...), h)...)
			if code != 0 || !strings.Contains(out, "Usage") || errOut != "" {
				t.Errorf("tendo %s %s: exit %d, stdout %q, stderr %q", strings.Join(path, " "), h, code, out, errOut)
			}
		}
		for _, s := range c.subs {
			walk(s, append(append([]string{}, path...), s.name))
		}
	}
	walk(rootCommand(), nil)
	// "tendo help bn query" is the same as "tendo bn query --help".
	code, out, _ := run(t, "", "help", "bn", "query")
	if code != 0 || !strings.Contains(out, "tendo bn query NET") {
		t.Errorf("tendo help bn query: exit %d, %q", code, out)
	}
}

// TestBadInput checks that bad arguments and files give one line on stderr
// and exit code 2, and never a panic.
func TestBadInput(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	asia := bifPath(t, "asia")
	raw := gunzip(t, asia)
	truncated := write("truncated.bif", raw[:len(raw)/2])
	cyclic := write("cycle.bif", `network c {}
variable a { type discrete [ 2 ] { y, n }; }
variable b { type discrete [ 2 ] { y, n }; }
probability ( a | b ) { (y) 0.5, 0.5; (n) 0.5, 0.5; }
probability ( b | a ) { (y) 0.5, 0.5; (n) 0.5, 0.5; }
`)
	badUAI := write("bad.uai", "MARKOV\n2\n2 x\n")
	tests := []struct {
		name string
		args []string
		want string // substring of the one-line error
	}{
		{"no command", []string{}, "missing command"},
		{"unknown command", []string{"bn", "qurey"}, `did you mean "query"?`},
		{"missing network", []string{"bn", "query"}, "want one network file"},
		{"no such file", []string{"bn", "query", filepath.Join(dir, "nope.bif")}, "no such file"},
		{"truncated BIF", []string{"bn", "query", truncated}, "line "},
		{"cycle", []string{"bn", "query", cyclic}, "cycle"},
		{"malformed UAI", []string{"bn", "uai", badUAI}, "line 3, column 3"},
		{"unknown state", []string{"bn", "query", asia, "--evidence", "xray=maybe"}, `variable "xray" has no state "maybe"`},
		{"unknown variable", []string{"bn", "query", asia, "--evidence", "xrya=yes"}, `did you mean "xray"?`},
		{"evidence not VAR=STATE", []string{"bn", "query", asia, "--evidence", "xray"}, "is not VAR=STATE"},
		{"evidence twice", []string{"bn", "query", asia, "--evidence", "xray=yes,xray=no"}, "given twice"},
		{"soft of wrong length", []string{"bn", "query", asia, "--soft", "xray=0.5"}, "has 2 states"},
		{"soft not a number", []string{"bn", "query", asia, "--soft", "xray=a,b"}, "not a nonnegative number"},
		{"impossible evidence", []string{"bn", "query", asia, "--evidence", "tub=yes,either=no"}, "probability zero"},
		{"unknown flag", []string{"bn", "query", asia, "--evidense", "x=y"}, "flag provided but not defined"},
		{"voi without target", []string{"bn", "voi", asia}, "--target is required"},
		{"voi unknown target", []string{"bn", "voi", asia, "--target", "lunf"}, `did you mean "lung"?`},
		{"explain without state", []string{"bn", "explain", asia, "--target", "lung"}, "want VAR=STATE"},
		{"bench with zero cases", []string{"bn", "bench", asia, "--cases", "0"}, "must be positive"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			code, _, errOut := run(t, "", tt.args...)
			if code != exitBadInput {
				t.Errorf("exit code %d, want %d (stderr %q)", code, exitBadInput, errOut)
			}
			lines := strings.Split(strings.TrimRight(errOut, "\n"), "\n")
			last := lines[len(lines)-1]
			if !strings.HasPrefix(last, "tendo: ") || !strings.Contains(last, tt.want) {
				t.Errorf("stderr %q, want a line starting with \"tendo: \" containing %q", errOut, tt.want)
			}
			if tt.name != "no command" && len(lines) != 1 {
				t.Errorf("stderr has %d lines, want 1: %q", len(lines), errOut)
			}
		})
	}
}

// TestOnePrefix checks that an error line starts with "tendo: " once, for
// the root, a group and a leaf (issue 10: "tendo" and "tendo foo" printed
// "tendo: tendo:").
func TestOnePrefix(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		args []string
		want string // the last line of stderr
	}{
		{"no command", nil, "tendo: missing command (see 'tendo --help')"},
		{"unknown command", []string{"foo"}, `tendo: unknown command "foo" (see 'tendo --help')`},
		{"group without command", []string{"bn"}, "tendo: bn: missing command (see 'tendo bn --help')"},
		{"unknown subcommand", []string{"model", "chek"}, `tendo: model: unknown command "chek"; did you mean "check"? (see 'tendo model --help')`},
		{"unknown flag", []string{"version", "--bogus"}, "tendo: version: flag provided but not defined: -bogus (see 'tendo version --help')"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			code, _, errOut := run(t, "", tt.args...)
			if code != exitBadInput {
				t.Errorf("exit code %d, want %d", code, exitBadInput)
			}
			lines := strings.Split(strings.TrimRight(errOut, "\n"), "\n")
			if last := lines[len(lines)-1]; last != tt.want {
				t.Errorf("stderr's last line\n got %q\nwant %q", last, tt.want)
			}
			if n := strings.Count(errOut, "tendo: "); n != 1 {
				t.Errorf("stderr has %d \"tendo: \" prefixes, want 1: %q", n, errOut)
			}
		})
	}
}

// gunzip returns the text of a gzip-compressed file.
func gunzip(t *testing.T, path string) string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	b, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestQueryJSON runs `tendo bn query --json` on alarm with the evidence of a
// pgmpy reference case and compares every marginal within 1e-9.
func TestQueryJSON(t *testing.T) {
	t.Parallel()
	data, err := os.ReadFile(shared.Path(t, "data", "bayesnet", "reference", "alarm.json"))
	if err != nil {
		t.Fatal(err)
	}
	var ref struct {
		Cases []struct {
			Evidence  map[string]string             `json:"evidence"`
			Marginals map[string]map[string]float64 `json:"marginals"`
		} `json:"cases"`
	}
	if err := json.Unmarshal(data, &ref); err != nil {
		t.Fatal(err)
	}
	for ci := range []int{0, 1, 5} {
		c := ref.Cases[ci]
		var ev []string
		for v, s := range c.Evidence {
			ev = append(ev, v+"="+s)
		}
		code, out, errOut := run(t, "", "bn", "query", bifPath(t, "alarm"), "--json", "--evidence", strings.Join(ev, ","))
		if code != 0 {
			t.Fatalf("exit %d: %s", code, errOut)
		}
		var got struct {
			LogPEvidence *float64                      `json:"logPEvidence"`
			Marginals    map[string]map[string]float64 `json:"marginals"`
		}
		if err := json.Unmarshal([]byte(out), &got); err != nil {
			t.Fatal(err)
		}
		if got.LogPEvidence == nil || *got.LogPEvidence > 0 {
			t.Fatalf("logPEvidence missing or positive: %v", got.LogPEvidence)
		}
		if len(got.Marginals) != 37 {
			t.Fatalf("%d variables in the output, want 37", len(got.Marginals))
		}
		for v, states := range c.Marginals {
			for s, p := range states {
				if d := math.Abs(got.Marginals[v][s] - p); d > 1e-9 {
					t.Errorf("case %d: P(%s=%s) = %v, pgmpy %v", ci, v, s, got.Marginals[v][s], p)
				}
			}
		}
		for v, s := range c.Evidence {
			if got.Marginals[v][s] != 1 {
				t.Errorf("case %d: observed %s=%s printed with probability %v, want 1", ci, v, s, got.Marginals[v][s])
			}
		}
	}
}

// TestUAICommand prints the MAR of a Promedus problem and compares it with
// the competition's answer.
func TestUAICommand(t *testing.T) {
	t.Parallel()
	base := shared.Path(t, "data", "bayesnet", "uai2014-promedus", "Promedus_24.uai")
	code, out, errOut := run(t, "", "bn", "uai", base, base+".evid")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	got, err := uai.ReadMAR(strings.NewReader(out))
	if err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(base + ".MAR")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	want, err := uai.ReadMAR(f)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(want) {
		t.Fatalf("%d variables, want %d", len(got), len(want))
	}
	for v := range want {
		for s, b := range want[v] {
			if math.Abs(got[v][s]-b) > 1e-6+1e-5*math.Abs(b) {
				t.Errorf("v%d=%d: %v, MAR %v", v, s, got[v][s], b)
			}
		}
	}
}

// TestGoldenOutputs compares text outputs with golden files
// (go test ./cmd/tendo -run TestGoldenOutputs -update rewrites them).
func TestGoldenOutputs(t *testing.T) {
	t.Parallel()
	asia := bifPath(t, "asia")
	tests := []struct {
		name string
		args []string
	}{
		{"query-asia", []string{"bn", "query", asia, "--evidence", "xray=yes", "--soft", "smoke=0.2,0.8"}},
		{"voi-asia", []string{"bn", "voi", asia, "--target", "lung", "--evidence", "dysp=yes", "--cost", "xray=2"}},
		{"whatif-asia", []string{"bn", "whatif", asia, "--target", "lung", "--evidence", "dysp=yes"}},
		{"explain-asia", []string{"bn", "explain", asia, "--target", "lung=yes", "--evidence", "dysp=yes,xray=yes,asia=no"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			code, out, errOut := run(t, "", tt.args...)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, errOut)
			}
			golden.Check(t, filepath.Join("testdata", tt.name+".golden"), []byte(out))
		})
	}
}

func TestBenchCommand(t *testing.T) {
	t.Parallel()
	code, out, errOut := run(t, "", "bn", "bench", bifPath(t, "alarm"), "--duration", "100ms", "--cases", "5", "--goroutines", "2")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, want := range []string{"37 variables", "junction tree:", "queries/s", "2 goroutine(s)"} {
		if !strings.Contains(out, want) {
			t.Errorf("bench output lacks %q:\n%s", want, out)
		}
	}
}

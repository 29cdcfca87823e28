package uai_test

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tendo-health/tendo/bn"
	"github.com/tendo-health/tendo/bn/uai"
)

func TestReadEvidencePromedus(t *testing.T) {
	t.Parallel()
	for _, path := range promedusFiles(t) {
		t.Run(filepath.Base(path), func(t *testing.T) {
			t.Parallel()
			net, err := uai.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			text, err := os.ReadFile(path + ".evid")
			if err != nil {
				t.Fatal(err)
			}
			ev, err := uai.ReadEvidence(strings.NewReader(string(text)), net)
			if err != nil {
				t.Fatal(err)
			}
			// The files are in the older format: n, then n pairs.
			f := strings.Fields(string(text))
			if want := (len(f) - 1) / 2; len(ev) != want || f[0] != fmt.Sprint(want) {
				t.Errorf("%d observed variables, the file has %d tokens starting with %s", len(ev), len(f), f[0])
			}
			for i := 1; i+1 < len(f); i += 2 {
				if got := fmt.Sprint(ev[atoi(t, f[i])]); got != f[i+1] {
					t.Errorf("variable %s observed in state %s, file says %s", f[i], got, f[i+1])
				}
			}
		})
	}
}

func atoi(t *testing.T, s string) int {
	t.Helper()
	var v int
	if _, err := fmt.Sscan(s, &v); err != nil {
		t.Fatal(err)
	}
	return v
}

// evidenceNet has three variables with 2, 3 and 2 states.
func evidenceNet(t testing.TB) *bn.Network {
	t.Helper()
	net, err := uai.Read(strings.NewReader("MARKOV 3 2 3 2 1 3 0 1 2 12 1 1 1 1 1 1 1 1 1 1 1 1"))
	if err != nil {
		t.Fatal(err)
	}
	return net
}

func TestReadEvidence(t *testing.T) {
	t.Parallel()
	net := evidenceNet(t)
	tests := []struct {
		name string
		in   string
		want map[int]int
	}{
		{"older format", "2 1 2 0 1", map[int]int{1: 2, 0: 1}},
		{"older format over several lines", "2\n1 2\n0 1\n", map[int]int{1: 2, 0: 1}},
		{"older format, nothing observed", "0", map[int]int{}},
		{"UAI 2014, one sample", "1\n2 1 2 0 1\n", map[int]int{1: 2, 0: 1}},
		{"UAI 2014, one empty sample", "1 0", map[int]int{}},
		{"UAI 2014, several samples", "3\n1 0 1\n2 1 0 2 1\n0\n", map[int]int{0: 1}},
		// 2 1 0 0 0 could be two pairs, or two samples of one and zero
		// pairs; the token count (5 = 1+2*2) settles it for the older format.
		{"ambiguous input is read in the older format", "2 1 0 0 0", map[int]int{1: 0, 0: 0}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := uai.ReadEvidence(strings.NewReader(tt.in), net)
			if err != nil {
				t.Fatal(err)
			}
			if fmt.Sprint(got) != fmt.Sprint(tt.want) {
				t.Errorf("ReadEvidence = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestReadEvidenceErrors(t *testing.T) {
	t.Parallel()
	net := evidenceNet(t)
	tests := []struct {
		name      string
		in        string
		want      string
		line, col int
	}{
		{"empty", "", "expected the number of observed variables or of samples (a nonnegative integer), found end of input", 1, 1},
		{"not a number", "1 0 x", `expected a nonnegative integer, found "x"`, 1, 5},
		{"negative", "1\n0 -1", `expected a nonnegative integer, found "-1"`, 2, 3},
		{"variable out of range", "1 3 0", "variable 3 does not exist: the network has 3 variables", 1, 3},
		{"state out of range", "2 0 1 1 3", "variable 1 (v1) has 3 states, so state 3 does not exist", 1, 9},
		{"variable observed twice", "2 2 0\n2 1", "variable 2 is observed twice (first at line 1, column 3)", 2, 1},
		{"variable observed twice in a UAI 2014 sample", "1 2 2 0 2 1", "variable 2 is observed twice in sample 1 of 1", 1, 9},
		{"fits neither format", "3 1 0", "3 samples cannot fit in the rest of the input, which has room for at most 2; read as UAI 2014 evidence of 3 samples, since the older format would need 7 tokens and the input has 3", 1, 1},
		{"UAI 2014 evidence cut short", "3 1 0 1 0 \n\n\n\n", "expected the number of observed variables, found end of input (sample 3 of 3); read as UAI 2014 evidence of 3 samples, since the older format would need 7 tokens and the input has 5", 5, 1},
		{"trailing token", "1 1 0 1 5", `expected the end of input after 1 samples, found "5"`, 1, 9},
		{"huge count", "99999999999 1", "99999999999 samples are more than the limit of 67108864", 1, 1},
		{"count beyond the input", "5 1 0", "5 samples cannot fit in the rest of the input", 1, 1},
		{"sample count beyond the input", "1 7 0 1", "7 observed variables cannot fit in the rest of the input", 1, 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ev, err := uai.ReadEvidence(strings.NewReader(tt.in), net)
			if ev != nil {
				t.Errorf("ReadEvidence returned %v with error %v", ev, err)
			}
			checkSyntaxError(t, err, tt.want, tt.line, tt.col)
		})
	}
	t.Run("no network", func(t *testing.T) {
		t.Parallel()
		_, err := uai.ReadEvidence(strings.NewReader("0"), nil)
		var se *uai.SyntaxError
		if err == nil || errors.As(err, &se) {
			t.Errorf("error %v, want a plain error", err)
		}
	})
}

package uai_test

import (
	"bytes"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tendo-health/tendo/bn/uai"
)

func TestReadMARPromedus(t *testing.T) {
	t.Parallel()
	for _, path := range promedusFiles(t) {
		t.Run(filepath.Base(path), func(t *testing.T) {
			t.Parallel()
			net, err := uai.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			f, err := os.Open(path + ".MAR")
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			mar, err := uai.ReadMAR(f)
			if err != nil {
				t.Fatal(err)
			}
			if len(mar) != len(net.Variables) {
				t.Fatalf("%d marginals for %d variables", len(mar), len(net.Variables))
			}
			for v, m := range mar {
				if len(m) != net.Card(v) {
					t.Errorf("variable %d: %d probabilities, cardinality %d", v, len(m), net.Card(v))
				}
				s := 0.0
				for _, p := range m {
					s += p
				}
				// The answers are printed with six significant digits.
				if math.Abs(s-1) > 1e-5 {
					t.Errorf("variable %d: marginal %v sums to %v", v, m, s)
				}
			}
			// WriteMAR→ReadMAR gives the same marginals back.
			var buf bytes.Buffer
			if err := uai.WriteMAR(&buf, mar); err != nil {
				t.Fatal(err)
			}
			again, err := uai.ReadMAR(&buf)
			if err != nil {
				t.Fatal(err)
			}
			if d := diffMarginals(mar, again); d != "" {
				t.Errorf("WriteMAR→ReadMAR changed the marginals: %s", d)
			}
		})
	}
}

func TestReadMAR(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		in   string
		want string // fmt.Sprint of the marginals
	}{
		{"one line", "MAR\n2 2 0.1 0.9 3 0.2 0.3 0.5\n", "[[0.1 0.9] [0.2 0.3 0.5]]"},
		{"several lines", "MAR\n2\n2 0.1 0.9\n3 0.2 0.3 0.5\n", "[[0.1 0.9] [0.2 0.3 0.5]]"},
		{"no final newline, tabs and CRLF", "MAR\r\n1\t2 0.25\t0.75", "[[0.25 0.75]]"},
		{"leading -BEGIN-", "MAR\n-BEGIN-\n1 2 0.5 0.5\n", "[[0.5 0.5]]"},
		{"several solutions, the last wins", "MAR\n-BEGIN-\n1 2 0.5 0.5\n-BEGIN-\n1 2 0.25 0.75\n", "[[0.25 0.75]]"},
		{"repeated solutions without markers", "MAR 1 2 .5 .5 1 2 .25 .75", "[[0.25 0.75]]"},
		{"incomplete last solution", "MAR\n-BEGIN-\n1 2 0.5 0.5\n-BEGIN-\n1 2 0.25", "[[0.5 0.5]]"},
		{"incomplete solution cut by -BEGIN-", "MAR -BEGIN- 2 2 .1 .9 -BEGIN- 1 2 .3 .7", "[[0.3 0.7]]"},
		{"trailing -BEGIN-", "MAR 1 1 1 -BEGIN-", "[[1]]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := uai.ReadMAR(strings.NewReader(tt.in))
			if err != nil {
				t.Fatal(err)
			}
			if fmt.Sprint(got) != tt.want {
				t.Errorf("ReadMAR = %v, want %s", got, tt.want)
			}
		})
	}
}

func TestReadMARErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		in        string
		want      string
		line, col int
	}{
		{"empty", "", "expected the preamble MAR, found end of input", 1, 1},
		{"wrong preamble", "PR\n1\n-0.2\n", `expected the preamble MAR, found "PR"`, 1, 1},
		{"no solution", "MAR\n", "expected the number of variables (a positive integer), found end of input", 2, 1},
		{"only markers", "MAR -BEGIN- -BEGIN-", "expected the number of variables (a positive integer), found end of input", 1, 20},
		{"zero variables", "MAR 0", `expected the number of variables (a positive integer), found "0"`, 1, 5},
		{"truncated", "MAR\n2 2 0.1 0.9 3 0.2\n", "expected a probability (a finite nonnegative number), found end of input (probability 2 of 3 of variable 1 of 2)", 3, 1},
		{"truncated after a cardinality", "MAR 2 1 1 1  \n  ", "expected a probability (a finite nonnegative number), found end of input (probability 1 of 1 of variable 1 of 2)", 2, 3},
		{"truncated before a cardinality", "MAR 2 1 1   \n   ", "expected a cardinality (a positive integer), found end of input (variable 1 of 2)", 2, 4},
		{"zero cardinality", "MAR 2 0 1 1 1", `expected a cardinality (a positive integer), found "0"`, 1, 7},
		{"bad probability", "MAR 1 2 0.5 x", `expected a probability (a finite nonnegative number), found "x"`, 1, 13},
		{"negative probability", "MAR 1 2 1.5 -0.5", `found "-0.5"`, 1, 13},
		{"NaN probability", "MAR 1 2 NaN 1", `found "NaN"`, 1, 9},
		{"bad token in a later solution", "MAR 1 2 .5 .5 -BEGIN- 1 2 .5 oops", `found "oops"`, 1, 30},
		{"huge number of variables", "MAR 99999999999", "99999999999 variables are more than the limit of 67108864", 1, 5},
		{"more variables than the input holds", "MAR 1000 2 .5 .5", "1000 variables cannot fit in the rest of the input", 1, 5},
		{"huge cardinality", "MAR 1 99999999 1", "99999999 probabilities are more than the limit", 1, 7},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			m, err := uai.ReadMAR(strings.NewReader(tt.in))
			if m != nil {
				t.Errorf("ReadMAR returned %v with error %v", m, err)
			}
			checkSyntaxError(t, err, tt.want, tt.line, tt.col)
		})
	}
}

func TestMARRoundTrip(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(7, 7))
	random := make([][]float64, 50)
	for v := range random {
		random[v] = make([]float64, 1+rng.IntN(6))
		for i := range random[v] {
			random[v][i] = rng.Float64() * math.Pow(10, float64(-rng.IntN(300)))
		}
	}
	tests := []struct {
		name string
		m    [][]float64
		want string // the text written, when not empty
	}{
		{"small", [][]float64{{0.1, 0.9}, {1}}, "MAR\n2 2 0.1 0.9 1 1\n"},
		{"awkward values", [][]float64{{0, math.Copysign(0, -1), 5e-324, math.MaxFloat64, 1.0 / 3}}, "MAR\n1 5 0 -0 5e-324 1.7976931348623157e+308 0.3333333333333333\n"},
		{"random", random, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var buf bytes.Buffer
			if err := uai.WriteMAR(&buf, tt.m); err != nil {
				t.Fatal(err)
			}
			if tt.want != "" && buf.String() != tt.want {
				t.Errorf("WriteMAR wrote %q, want %q", buf.String(), tt.want)
			}
			got, err := uai.ReadMAR(&buf)
			if err != nil {
				t.Fatal(err)
			}
			if d := diffMarginals(tt.m, got); d != "" {
				t.Errorf("WriteMAR→ReadMAR changed the marginals: %s", d)
			}
		})
	}
}

func TestWriteMARErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		m    [][]float64
		want string
	}{
		{"no variables", nil, "WriteMAR needs 1 to 67108864 variables, not 0"},
		{"variable without probabilities", [][]float64{{1}, {}}, "variable 1 has 0 probabilities"},
		{"NaN", [][]float64{{math.NaN()}}, "variable 0 has probability NaN"},
		{"infinity", [][]float64{{math.Inf(1)}}, "variable 0 has probability +Inf"},
		{"negative", [][]float64{{0.5, -0.5}}, "variable 0 has probability -0.5"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var buf bytes.Buffer
			err := uai.WriteMAR(&buf, tt.m)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %v, want one containing %q", err, tt.want)
			}
			if buf.Len() != 0 {
				t.Errorf("WriteMAR wrote %q before failing", buf.String())
			}
		})
	}
}

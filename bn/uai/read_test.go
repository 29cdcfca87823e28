package uai_test

import (
	"bytes"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/tendo-health/tendo/bn"
	"github.com/tendo-health/tendo/bn/uai"
)

func TestReadPromedus(t *testing.T) {
	t.Parallel()
	for _, path := range promedusFiles(t) {
		name := strings.TrimSuffix(filepath.Base(path), ".uai")
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			text, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			pre, n, m := header(t, string(text))
			net, err := uai.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if net.Name != name {
				t.Errorf("Name = %q, want %q", net.Name, name)
			}
			if net.Directed != (pre == "BAYES") {
				t.Errorf("Directed = %v for preamble %s", net.Directed, pre)
			}
			if len(net.Variables) != n || len(net.Factors) != m {
				t.Errorf("%d variables and %d factors, header says %d and %d", len(net.Variables), len(net.Factors), n, m)
			}
			if net.Variables[n-1].Name != "v"+strconv.Itoa(n-1) || net.Variables[0].States[1] != "1" {
				t.Errorf("unexpected names: %+v", net.Variables[n-1])
			}
			if err := net.Validate(); err != nil {
				t.Error(err)
			}
		})
	}
}

// sprinkler is a three-variable BAYES file whose functions are not in
// variable order: function 0 is the table of grass (v2), function 1 that of
// rain (v0) and function 2 that of the sprinkler (v1).
const sprinkler = `BAYES
3
2 2 2
3
3 1 0 2
1 0
2 0 1

8
1.0 0.0
0.2 0.8
0.1 0.9
0.01 0.99
2
0.8 0.2
4
0.6 0.4
0.99 0.01
`

func TestReadBayesOutOfOrder(t *testing.T) {
	t.Parallel()
	net, err := uai.Read(strings.NewReader(sprinkler))
	if err != nil {
		t.Fatal(err)
	}
	if !net.Directed {
		t.Fatal("BAYES file read as a Markov network")
	}
	tests := []struct {
		name  string
		v     int
		vars  []int
		table []float64
	}{
		{"rain is v0, a root", 0, []int{0}, []float64{0.8, 0.2}},
		{"sprinkler is v1 given rain", 1, []int{0, 1}, []float64{0.6, 0.4, 0.99, 0.01}},
		{"grass is v2 given sprinkler and rain", 2, []int{1, 0, 2}, []float64{1, 0, 0.2, 0.8, 0.1, 0.9, 0.01, 0.99}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := net.Factors[tt.v]
			if fmt.Sprint(f.Vars) != fmt.Sprint(tt.vars) {
				t.Errorf("Factors[%d].Vars = %v, want %v", tt.v, f.Vars, tt.vars)
			}
			if fmt.Sprint(f.Table) != fmt.Sprint(tt.table) {
				t.Errorf("Factors[%d].Table = %v, want %v", tt.v, f.Table, tt.table)
			}
			if got, want := net.Parents(tt.v), tt.vars[:len(tt.vars)-1]; fmt.Sprint(got) != fmt.Sprint(want) {
				t.Errorf("Parents(%d) = %v, want %v", tt.v, got, want)
			}
		})
	}
	// P(grass=1 | sprinkler=0, rain=1) is entry (s=0, r=1, g=1): row-major
	// with the child fastest, index (0*2+1)*2+1 = 3.
	if p := net.Factors[2].Table[3]; p != 0.8 {
		t.Errorf("P(grass=1 | sprinkler=0, rain=1) = %v, want 0.8", p)
	}
	if net.Renormalized != 0 {
		t.Errorf("Renormalized = %d, want 0", net.Renormalized)
	}
}

func TestReadMarkovFactorOrder(t *testing.T) {
	t.Parallel()
	const text = "MARKOV 3 2 3 2 3 2 2 1  1 0  2 0 2  6 1 2 3 4 5 6  2 7 8  4 9 10 11 12"
	net, err := uai.Read(strings.NewReader(text))
	if err != nil {
		t.Fatal(err)
	}
	if net.Directed {
		t.Fatal("MARKOV file read as a Bayesian network")
	}
	want := []bn.Factor{
		{Vars: []int{2, 1}, Table: []float64{1, 2, 3, 4, 5, 6}},
		{Vars: []int{0}, Table: []float64{7, 8}},
		{Vars: []int{0, 2}, Table: []float64{9, 10, 11, 12}},
	}
	if fmt.Sprint(net.Factors) != fmt.Sprint(want) {
		t.Errorf("Factors = %v, want %v", net.Factors, want)
	}
	if got := fmt.Sprint(net.Variables); got != "[{v0 [0 1]} {v1 [0 1 2]} {v2 [0 1]}]" {
		t.Errorf("Variables = %s", got)
	}
}

// TestReadRenormalizesExactly reads BAYES files whose columns sum to 1 only
// within the tolerance, and checks that every column then sums to exactly 1
// and that Write→Read changes nothing.
func TestReadRenormalizesExactly(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		seed  uint64
		card  int
		zeros bool // make some entries zero and some tiny
	}{
		{"binary", 1, 2, false},
		{"ternary", 2, 3, false},
		{"seven states", 3, 7, false},
		{"forty states", 4, 40, false},
		{"ternary with zeros and tiny entries", 5, 3, true},
		{"two hundred states with zeros and tiny entries", 6, 200, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			const roots = 300
			rng := rand.New(rand.NewPCG(tt.seed, 0))
			var b strings.Builder
			fmt.Fprintf(&b, "BAYES\n%d\n", roots)
			for range roots {
				fmt.Fprintf(&b, "%d ", tt.card)
			}
			fmt.Fprintf(&b, "\n%d\n", roots)
			for v := range roots {
				fmt.Fprintf(&b, "1 %d\n", v)
			}
			var zeros []int // the number of zero entries of each column
			for range roots {
				col := make([]float64, tt.card)
				s := 0.0
				z := 0
				for i := range col {
					col[i] = rng.Float64()
					if tt.zeros {
						switch rng.IntN(4) {
						case 0:
							col[i] = 0
						case 1:
							col[i] *= 1e-14
						}
					}
					s += col[i]
				}
				if s == 0 {
					col[0], s = 1, 1
				}
				fmt.Fprintf(&b, "%d\n", tt.card)
				for i := range col {
					// Perturb by up to 4e-7 relative, within tolerance.
					p := col[i] / s * (1 + (rng.Float64()-0.5)*8e-7)
					if p == 0 {
						z++
					}
					fmt.Fprintf(&b, " %s", strconv.FormatFloat(p, 'g', -1, 64))
				}
				b.WriteString("\n")
				zeros = append(zeros, z)
			}
			net, err := uai.Read(strings.NewReader(b.String()))
			if err != nil {
				t.Fatal(err)
			}
			if net.Renormalized == 0 || net.Renormalized > roots {
				t.Errorf("Renormalized = %d, want 1 to %d", net.Renormalized, roots)
			}
			for v, f := range net.Factors {
				s := 0.0
				z := 0
				for _, p := range f.Table {
					s += p
					if p == 0 {
						z++
					}
				}
				if s != 1 {
					t.Errorf("the column of v%d sums to %v, want exactly 1", v, s)
				}
				if z != zeros[v] {
					t.Errorf("the column of v%d has %d zeros, the file %d", v, z, zeros[v])
				}
			}
			var out bytes.Buffer
			if err := uai.Write(&out, net); err != nil {
				t.Fatal(err)
			}
			again, err := uai.Read(&out)
			if err != nil {
				t.Fatal(err)
			}
			if d := diffNetworks(net, again); d != "" {
				t.Errorf("Write→Read changed the network: %s", d)
			}
			if again.Renormalized != 0 {
				t.Errorf("read back, Renormalized = %d, want 0", again.Renormalized)
			}
		})
	}
}

func TestReadErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		in        string
		want      string
		line, col int // 0: not a *SyntaxError
	}{
		{"empty", "", "expected the preamble MARKOV or BAYES, found end of input", 1, 1},
		{"only white space", " \n\t\n", "expected the preamble MARKOV or BAYES, found end of input", 3, 1},
		{"unknown preamble", "FACTOR\n1\n2\n0\n", `expected the preamble MARKOV or BAYES, found "FACTOR"`, 1, 1},
		{"no variables", "MARKOV\n0\n", `expected the number of variables (a positive integer), found "0"`, 2, 1},
		{"negative cardinality", "MARKOV\n3\n2 -2 2\n0\n", `expected a cardinality (a positive integer), found "-2"`, 3, 3},
		{"zero cardinality", "MARKOV\n3\n2 2 0\n0\n", `expected a cardinality (a positive integer), found "0"`, 3, 5},
		{"cardinality not a number", "MARKOV\n3\n2 2 x\n0\n", `expected a cardinality (a positive integer), found "x"`, 3, 5},
		{"cardinality over the limit", "MARKOV 1 67108865 0", "variable 0 has 67108865 states, more than the limit of 67108864", 1, 10},
		{"huge number of variables", "MARKOV 99999999999", "99999999999 variables are more than the limit of 67108864", 1, 8},
		{"overflowing number of variables", "MARKOV 123456789012345678901234567890 2", "123456789012345678901234567890 variables are more than the limit", 1, 8},
		{"more variables than the input holds", "MARKOV\n1000000\n2 2\n", "1000000 variables cannot fit in the rest of the input, which has room for at most 3", 2, 1},
		{"huge number of functions", "MARKOV 1 2 99999999", "99999999 functions are more than the limit of 67108864", 1, 12},
		{"more functions than the input holds", "MARKOV 1 2 3 1 0 2 1 1", "3 functions cannot fit in the rest of the input", 1, 12},
		{"empty scope", "MARKOV 1 2 1 0 2 1 1", `expected a scope size (a positive integer), found "0"`, 1, 14},
		{"scope larger than the model", "MARKOV 2 2 2 1 5 0 1 4 1 1 1 1", "function 0 has a scope of 5 variables, but the model has only 2", 1, 16},
		{"scope index out of range", "MARKOV\n2\n2 2\n1\n2 0 2\n4\n1 1 1 1\n", "function 0 refers to variable 2, but the variables are numbered 0 to 1", 5, 5},
		{"scope index not a number", "MARKOV\n2\n2 2\n1\n2 0 one\n4\n1 1 1 1\n", `expected a variable index (0 to 1), found "one"`, 5, 5},
		{"duplicate variable in a scope", "MARKOV\n2\n2 2\n1\n2 1 1\n4\n1 1 1 1\n", "function 0 lists variable 1 twice in its scope", 5, 5},
		{"table too large", "MARKOV 3 65536 65536 65536 1 3 0 1 2 1 0", "the table of function 0 would have more than 67108864 entries", 1, 34},
		{"table count mismatch", "MARKOV\n2\n2 2\n1\n2 0 1\n3\n1 1 1\n", "function 0 has 3 table entries, but its scope needs 4", 6, 1},
		{"table count not a number", "MARKOV\n2\n2 2\n1\n2 0 1\nfour\n1 1 1 1\n", `expected a table size (4, the product of the cardinalities of the scope), found "four"`, 6, 1},
		{"truncated in the middle of a table", "MARKOV\n2\n2 2\n1\n2 0 1\n4\n0.1 0.2 0.3\n", "expected a table entry (a finite nonnegative number), found end of input (entry 4 of 4 of the table of function 0 of 1)", 8, 1},
		{"truncated before the tables", "MARKOV\n2\n2 2\n2\n1 0\n1 1\n\n2\n          ", "found end of input (entry 1 of 2 of the table of function 0 of 2)", 9, 11},
		{"truncated before a table size", "MARKOV 1 2 1 1 0        ", "expected a table size (2, the product of the cardinalities of the scope), found end of input (the table size of function 0 of 1)", 1, 25},
		{"truncated in the scopes", "MARKOV 1 2 1 1        ", "expected a variable index (0 to 0), found end of input (variable 1 of 1 of the scope of function 0)", 1, 23},
		{"negative entry", "MARKOV 1 2 1 1 0 2 0.5 -0.5", `expected a table entry (a finite nonnegative number), found "-0.5"`, 1, 24},
		{"NaN entry", "MARKOV 1 2 1 1 0 2 NaN 1", `found "NaN"`, 1, 20},
		{"infinite entry", "MARKOV 1 2 1 1 0 2 1 +Inf", `found "+Inf"`, 1, 22},
		{"entry out of range", "MARKOV 1 2 1 1 0 2 1e999 1", `found "1e999"`, 1, 20},
		{"entry not a number", "MARKOV 1 2 1 1 0 2 0.5 half", `found "half"`, 1, 24},
		{"trailing token", "MARKOV 1 2 1 1 0 2 1 1\nextra", `expected the end of input after the last table, found "extra"`, 2, 1},
		{"too many free states", "MARKOV 2 2000000 2 1 1 1 2 1 1", "variable 0 appears in no function, and the variables that appear in none may have at most 65536 states in all", 1, 10},
		{"BAYES column sums to 0.8", "BAYES\n2\n2 2\n2\n1 0\n2 0 1\n2\n0.5 0.5\n4\n0.5 0.3 0.2 0.8\n", "the column of function 1 (the table of variable 1) given v0=0 sums to 0.8; BAYES columns must sum to 1 within 1e-06", 10, 1},
		{"BAYES root column off", "BAYES 1 3 1 1 0 3 0.2 0.2 0.2", "the column of function 0 (the table of variable 0) sums to 0.6", 1, 19},
		{"BAYES zero column", "BAYES 2 2 2 2 1 0 2 0 1 2 1 0 4 0 0 1 0", "given v0=0 sums to 0;", 1, 33},
		{"BAYES too few functions", "BAYES 2 2 2 1 1 0 2 0.5 0.5", "a BAYES model needs exactly one function per variable (the function whose scope ends with it): 2 variables, 1 functions", 1, 13},
		{"BAYES child with two functions", "BAYES\n2\n2 2\n2\n1 0\n2 1 0\n2\n.5 .5\n4\n.5 .5 .5 .5\n", "variable 0 is the child (the last variable of the scope) of both function 0 and function 1", 6, 5},
		{"BAYES cycle", "BAYES 2 2 2 2 2 1 0 2 0 1 4 .5 .5 .5 .5 4 .5 .5 .5 .5", "bn: the network has a cycle", 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			net, err := uai.Read(strings.NewReader(tt.in))
			if net != nil {
				t.Errorf("Read returned a network with error %v", err)
			}
			checkSyntaxError(t, err, tt.want, tt.line, tt.col)
		})
	}
}

func TestReadCycleError(t *testing.T) {
	t.Parallel()
	_, err := uai.Read(strings.NewReader("BAYES 2 2 2 2 2 1 0 2 0 1 4 .5 .5 .5 .5 4 .5 .5 .5 .5"))
	var ce *bn.CycleError
	if !errors.As(err, &ce) {
		t.Fatalf("error %v (%T), want a *bn.CycleError", err, err)
	}
}

func TestReadFileErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		path string
		want string
	}{
		{"missing file", filepath.Join(t.TempDir(), "missing.uai"), "no such file"},
		{"not a model", filepath.Join(promedusDir, "Promedus_11.uai.evid"), `Promedus_11.uai.evid: uai: line 1, column 1: expected the preamble MARKOV or BAYES, found "8"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := uai.ReadFile(tt.path)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %v, want one containing %q", err, tt.want)
			}
		})
	}
}

func TestSyntaxErrorMessage(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		err  *uai.SyntaxError
		want string
	}{
		{"cardinality", &uai.SyntaxError{Line: 3, Col: 17, Msg: `expected a cardinality (a positive integer), found "x"`},
			`uai: line 3, column 17: expected a cardinality (a positive integer), found "x"`},
		{"first position", &uai.SyntaxError{Line: 1, Col: 1, Msg: "m"}, "uai: line 1, column 1: m"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := tt.err.Error(); got != tt.want {
				t.Errorf("Error() = %q, want %q", got, tt.want)
			}
		})
	}
	// The same message, produced by Read.
	_, err := uai.Read(strings.NewReader("MARKOV\n9\n2 2 2 2 2 2 2 2 x\n0\n"))
	const want = `uai: line 3, column 17: expected a cardinality (a positive integer), found "x"`
	if err == nil || err.Error() != want {
		t.Errorf("Read error = %v, want %s", err, want)
	}
}

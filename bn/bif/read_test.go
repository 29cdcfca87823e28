package bif_test

import (
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/tendo-health/tendo/bn"
	"github.com/tendo-health/tendo/bn/bif"
)

// sharedNetworks lists every shared network with its number of variables.
var sharedNetworks = []struct {
	name string
	vars int
}{
	{"asia", 8}, {"alarm", 37}, {"andes", 223}, {"barley", 48}, {"cancer", 5},
	{"child", 20}, {"earthquake", 5}, {"hailfinder", 56}, {"hepar2", 70},
	{"insurance", 27}, {"link", 724}, {"mildew", 35}, {"munin", 1041},
	{"munin1", 186}, {"pathfinder", 109}, {"pigs", 441}, {"sachs", 11},
	{"survey", 6}, {"water", 32}, {"win95pts", 76},
}

func TestReadShared(t *testing.T) {
	t.Parallel()
	// Networks whose published numbers are rounded so that some columns sum
	// to 1 only within the tolerance, and one that is exact.
	renormalized := map[string]bool{"alarm": true, "hepar2": true, "pathfinder": true, "asia": false}
	for _, tc := range sharedNetworks {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			net, err := bif.ReadFile(sharedPath(tc.name))
			if err != nil {
				t.Fatal(err)
			}
			if got := len(net.Variables); got != tc.vars {
				t.Errorf("%d variables, want %d", got, tc.vars)
			}
			if !net.Directed || net.Name != "unknown" {
				t.Errorf("Directed=%v Name=%q, want true and \"unknown\"", net.Directed, net.Name)
			}
			if want, ok := renormalized[tc.name]; ok && (net.Renormalized > 0) != want {
				t.Errorf("Renormalized = %d, want > 0: %v", net.Renormalized, want)
			}
			// Every column of the result sums to exactly 1 in floating point
			// or is left as Renormalize left it.
			if err := net.Validate(); err != nil {
				t.Error(err)
			}
		})
	}
}

// cpt returns P(child = state | parents = given states) from net.
func cpt(t *testing.T, net *bn.Network, child, state string, given ...string) float64 {
	t.Helper()
	v := net.Index(child)
	if v < 0 {
		t.Fatalf("no variable %q", child)
	}
	f := net.Factors[v]
	parents := f.Vars[:len(f.Vars)-1]
	if len(given) != len(parents) {
		t.Fatalf("%q has %d parents, got %d states", child, len(parents), len(given))
	}
	idx := 0
	for i, p := range parents {
		s := net.StateIndex(p, given[i])
		if s < 0 {
			t.Fatalf("no state %q of %q", given[i], net.Variables[p].Name)
		}
		idx = idx*net.Card(p) + s
	}
	s := net.StateIndex(v, state)
	if s < 0 {
		t.Fatalf("no state %q of %q", state, child)
	}
	return f.Table[idx*net.Card(v)+s]
}

func TestReadValues(t *testing.T) {
	t.Parallel()
	nets := map[string]*bn.Network{}
	for _, name := range []string{"asia", "alarm", "munin", "pathfinder"} {
		net, err := bif.ReadFile(sharedPath(name))
		if err != nil {
			t.Fatal(err)
		}
		nets[name] = net
	}
	tests := []struct {
		name   string
		net    string
		child  string
		state  string
		given  []string
		want   float64
		approx bool // renormalised: compare within 1e-15
	}{
		{"asia root", "asia", "asia", "yes", nil, 0.01, false},
		{"asia tub|asia=yes", "asia", "tub", "yes", []string{"yes"}, 0.05, false},
		{"asia tub|asia=no", "asia", "tub", "no", []string{"no"}, 0.99, false},
		{"asia dysp=yes|bronc=no,either=yes", "asia", "dysp", "yes", []string{"no", "yes"}, 0.7, false},
		{"asia dysp=no|bronc=no,either=yes", "asia", "dysp", "no", []string{"no", "yes"}, 0.3, false},
		{"asia dysp=yes|bronc=yes,either=no", "asia", "dysp", "yes", []string{"yes", "no"}, 0.8, false},
		{"asia either|lung=no,tub=yes", "asia", "either", "yes", []string{"no", "yes"}, 1, false},
		{"alarm HISTORY|LVFAILURE=FALSE", "alarm", "HISTORY", "FALSE", []string{"FALSE"}, 0.99, false},
		{"alarm CATECHOL", "alarm", "CATECHOL", "HIGH", []string{"HIGH", "FALSE", "NORMAL", "LOW"}, 0.99, false},
		// 0.3333333 three times sums to 0.9999999 and is rescaled.
		{"alarm HREKG renormalised", "alarm", "HREKG", "NORMAL", []string{"TRUE", "LOW"}, 1.0 / 3, true},
		{"munin root", "munin", "R_LNLW_MED_PATHO", "DEMY", nil, 0.8, false},
		{"munin rows", "munin", "R_LNLW_MEDD2_DISP_WD", "MILD", []string{"MILD", "DEMY"}, 1, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got := cpt(t, nets[tc.net], tc.child, tc.state, tc.given...)
			if tc.approx && math.Abs(got-tc.want) > 1e-15 || !tc.approx && got != tc.want {
				t.Errorf("got %v, want %v", got, tc.want)
			}
		})
	}
	// Spot-check that a rescaled column sums to exactly 1.
	net := nets["pathfinder"]
	for v := range net.Variables {
		card := net.Card(v)
		tab := net.Factors[v].Table
		for off := 0; off < len(tab); off += card {
			s := 0.0
			for _, p := range tab[off : off+card] {
				s += p
			}
			if math.Abs(s-1) > 1e-15 {
				t.Fatalf("pathfinder %q column %d sums to %v", net.Variables[v].Name, off/card, s)
			}
		}
	}
}

// TestTableLayout checks the layout of "table" for a variable with parents:
// the child's state is the slowest index and the parent configuration
// (first parent slowest) the fastest, as in the Interchange Format.
func TestTableLayout(t *testing.T) {
	t.Parallel()
	const vars = `
variable a { type discrete [ 2 ] { a0, a1 }; }
variable b { type discrete [ 3 ] { b0, b1, b2 }; }
variable c { type discrete [ 2 ] { c0, c1 }; }
probability ( a ) { table 0.3, 0.7; }
probability ( b ) { table 0.2, 0.3, 0.5; }
`
	tests := []struct {
		name  string
		table string
		rows  string // the same CPT as rows
	}{
		{
			// Read with the child fastest this would be columns (0.1, 0.2)
			// and (0.9, 0.8), which do not sum to 1.
			name:  "one parent",
			table: "probability ( c | a ) { table 0.1, 0.2, 0.9, 0.8; }",
			rows:  "probability ( c | a ) { (a0) 0.1, 0.9; (a1) 0.2, 0.8; }",
		},
		{
			name:  "two parents",
			table: "probability ( c | a, b ) { table 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.9, 0.8, 0.7, 0.6, 0.5, 0.4; }",
			rows: `probability ( c | a, b ) {
  (a1, b2) 0.6, 0.4; (a0, b0) 0.1, 0.9; (a0, b1) 0.2, 0.8;
  (a0, b2) 0.3, 0.7; (a1, b0) 0.4, 0.6; (a1, b1) 0.5, 0.5; }`,
		},
		{
			name:  "parents in the other order",
			table: "probability ( c | b, a ) { table 0.1, 0.4, 0.2, 0.5, 0.3, 0.6, 0.9, 0.6, 0.8, 0.5, 0.7, 0.4; }",
			rows:  "probability ( c | b, a ) { (b0, a0) 0.1, 0.9; (b0, a1) 0.4, 0.6; (b1, a0) 0.2, 0.8; (b1, a1) 0.5, 0.5; (b2, a0) 0.3, 0.7; (b2, a1) 0.6, 0.4; }",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			fromTable, err := bif.Read(strings.NewReader(vars + tc.table))
			if err != nil {
				t.Fatal(err)
			}
			fromRows, err := bif.Read(strings.NewReader(vars + tc.rows))
			if err != nil {
				t.Fatal(err)
			}
			if d := diffNetworks(fromTable, fromRows); d != "" {
				t.Errorf("table and rows differ: %s", d)
			}
		})
	}
	// The explicit values of the one-parent case.
	net, err := bif.Read(strings.NewReader(vars + tests[0].table))
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		state, a string
		want     float64
	}{{"c0", "a0", 0.1}, {"c0", "a1", 0.2}, {"c1", "a0", 0.9}, {"c1", "a1", 0.8}} {
		if got := cpt(t, net, "c", c.state, c.a); got != c.want {
			t.Errorf("P(c=%s|a=%s) = %v, want %v", c.state, c.a, got, c.want)
		}
	}
}

// TestReadSyntax covers the liberal parts of the grammar.
func TestReadSyntax(t *testing.T) {
	t.Parallel()
	// The reference: two parents, rows, pgmpy style.
	const ref = `network dogs {
}
variable family-out {
  type discrete [ 2 ] { true, false };
}
variable bowel-problem {
  type discrete [ 2 ] { true, false };
}
variable dog-out {
  type discrete [ 2 ] { true, false };
}
probability ( family-out ) {
  table 0.15, 0.85;
}
probability ( bowel-problem ) {
  table 0.01, 0.99;
}
probability ( dog-out | bowel-problem, family-out ) {
  (true, true) 0.99, 0.01;
  (true, false) 0.97, 0.03;
  (false, true) 0.9, 0.1;
  (false, false) 0.3, 0.7;
}
`
	tests := []struct {
		name, src string
	}{
		{"javabayes", `// Interchange Format, as JavaBayes writes it
network "dogs" { //3 variables
	property "credal-set constant-density-bounded 1.1" ;
}
variable "family-out" { //2 values
	type discrete[2] { "true" "false" };
	property "position = (257, 99)" ;
}
variable "bowel-problem" {
	type discrete[2] { "true" "false" };
}
variable "dog-out" {
	type discrete[2] { "true" "false" };
}
probability ( "family-out" ) { table 0.15 0.85 ; }
probability ( "bowel-problem" ) { table 0.01 0.99 ; }
probability ( "dog-out" "bowel-problem" "family-out" ) { //3 variable(s) and 8 values
	table 0.99 0.97 0.9 0.3 0.01 0.03 0.1 0.7 ;
}
`},
		{"probability before variables", `network dogs { property weight = None ; }
probability ( dog-out | bowel-problem, family-out ) {
  default 0.3, 0.7;
  (true, true) 0.99, 0.01; (true, false) 0.97, 0.03; (false, true) 0.9, 0.1;
  property note = "rows win over the default";
}
probability ( family-out ) { table 0.15, 0.85; }
variable family-out { property x; type discrete [ 2 ] { true, false }; }
variable bowel-problem { type discrete [ 2 ] { true, false }; }
probability ( bowel-problem ) { (  ) 0.01, 0.99; }
variable dog-out { type discrete [ 2 ] { true, false }; }
`},
		{"comments and numbers", `/* a block
comment */ network dogs{}
variable family-out{type discrete[2]{true,false};}
variable bowel-problem { type discrete [ 2 ] { true, false }; } // trailing
variable dog-out { type discrete [ 02 ] { true , false } ; }
probability(family-out){table 1.5e-1,8.5E-1;}
probability ( bowel-problem ) { default 1e-2, .99; }
probability ( dog-out | bowel-problem family-out ) {
  (true true) 0.99 0.01; (true, false) 9.7e-1, 3e-2;
  (false, true) 0.9, 0.1; (false, false) /* inline */ 0.3, +0.7;
}
`},
	}
	tests = append(tests, struct{ name, src string }{"byte order mark and CRLF", "\ufeff" + strings.ReplaceAll(ref, "\n", "\r\n")})
	want, err := bif.Read(strings.NewReader(ref))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, err := bif.Read(strings.NewReader(tc.src))
			if err != nil {
				t.Fatal(err)
			}
			// The variables may be declared in another order: compare by name.
			for _, v := range want.Variables {
				if got.Index(v.Name) < 0 {
					t.Fatalf("no variable %q", v.Name)
				}
			}
			for _, c := range []struct {
				child string
				given []string
			}{
				{"family-out", nil}, {"bowel-problem", nil},
				{"dog-out", []string{"true", "true"}}, {"dog-out", []string{"true", "false"}},
				{"dog-out", []string{"false", "true"}}, {"dog-out", []string{"false", "false"}},
			} {
				for _, s := range []string{"true", "false"} {
					g, w := cpt(t, got, c.child, s, c.given...), cpt(t, want, c.child, s, c.given...)
					if g != w {
						t.Errorf("P(%s=%s|%v) = %v, want %v", c.child, s, c.given, g, w)
					}
				}
			}
			if got.Name != "dogs" {
				t.Errorf("name %q, want dogs", got.Name)
			}
		})
	}
}

func TestReadGzip(t *testing.T) {
	t.Parallel()
	text := sharedText(t, "asia")
	plain, err := bif.Read(bytes.NewReader(text))
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zw.Write(text)
	zw.Close()
	zipped, err := bif.Read(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if d := diffNetworks(plain, zipped); d != "" {
		t.Error(d)
	}
}

// TestReadTooLarge checks that input beyond MaxInputSize is an error.
func TestReadTooLarge(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("reads 256 MiB")
	}
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	chunk := bytes.Repeat([]byte(" "), 1<<20)
	for i := 0; i <= bif.MaxInputSize>>20; i++ {
		zw.Write(chunk)
	}
	zw.Close()
	_, err := bif.Read(&buf)
	if err == nil || !strings.Contains(err.Error(), "larger than") {
		t.Fatalf("err = %v, want an input-size error", err)
	}
}

const asiaHead = `network unknown {
}
variable a {
  type discrete [ 2 ] { yes, no };
}
variable b {
  type discrete [ 2 ] { yes, no };
}
`

const (
	goodA = "probability ( a ) {\n  table 0.5, 0.5;\n}\n"
	goodB = "probability ( b | a ) {\n  (yes) 0.5, 0.5;\n  (no) 0.2, 0.8;\n}\n"
)

// readErrorCases are inputs Read must reject, with the error they must
// produce. FuzzRead uses them as seeds.
var readErrorCases = []struct {
	name      string
	src       string
	msg       string // a substring of the error
	line, col int    // for a *SyntaxError; 0 when the error is not positional
	target    any    // for other errors: a pointer errors.As must fill
}{
	{"empty input", "", "empty input", 1, 1, nil},
	{"only a comment", "// nothing\n", "empty input", 2, 1, nil},
	{"truncated", asiaHead + "probability ( a ) {\n  table 0.5, 0.5;\n", `found end of input`, 11, 1, nil},
	{"truncated in a row", asiaHead + goodA + "probability ( b | a ) {\n  (yes) 0.5, 0.", `expected ";" after the row (yes), found end of input`, 13, 16, nil},
	{"missing semicolon", asiaHead + "probability ( a ) {\n  table 0.5, 0.5\n}\n" + goodB, `expected ";" after the table, found "}"`, 11, 1, nil},
	{"missing semicolon before keyword", asiaHead + "probability ( a ) {\n  table 0.5, 0.5\n  default 1, 0;\n}\n" + goodB, `expected ";" after the table, found "default"`, 11, 3, nil},
	{"unknown state in a row", asiaHead + goodA + "probability ( b | a ) {\n  (yes) 0.5, 0.5;\n  (maybe) 0.2, 0.8;\n}\n", `unknown state "maybe" of variable "a"`, 14, 4, nil},
	{"unknown parent", asiaHead + goodA + "probability ( b | c ) {\n  (yes) 0.5, 0.5;\n}\n", `unknown variable "c"`, 12, 19, nil},
	{"unknown child", asiaHead + goodA + goodB + "probability ( c ) {\n  table 1;\n}\n", `unknown variable "c"`, 16, 15, nil},
	{"cycle", asiaHead + "probability ( a | b ) {\n  (yes) 0.5, 0.5;\n  (no) 0.2, 0.8;\n}\n" + goodB, "cycle", 0, 0, new(*bn.CycleError)},
	{"column sums to 0.9", asiaHead + goodA + "probability ( b | a ) {\n  (yes) 0.5, 0.4;\n  (no) 0.2, 0.8;\n}\n", "sum to 0.9", 0, 0, new(*bn.ColumnError)},
	{"duplicate variable", asiaHead + "variable a {\n  type discrete [ 2 ] { yes, no };\n}\n", `variable "a" is declared twice (first at line 3)`, 9, 10, nil},
	{"three states declared, two listed", "variable a {\n  type discrete [ 3 ] { yes, no };\n}\n", `variable "a" declares 3 states but lists 2`, 2, 19, nil},
	{"two states declared, three listed", "variable a {\n  type discrete [2] { yes, no, maybe };\n}\n", `variable "a" declares 2 states but lists 3`, 2, 18, nil},
	{"gzip garbage", "\x1f\x8b\x08\x00garbage", "bif: gzip:", 0, 0, nil},
	{"truncated gzip", string(gzipped(asiaHead)[:30]), "bif: gzip:", 0, 0, nil},
	{"row with too few numbers", asiaHead + goodA + "probability ( b | a ) {\n  (yes) 0.5;\n  (no) 0.2, 0.8;\n}\n", `too few values in the row (yes) of "b": found 1, want 2`, 13, 12, nil},
	{"row with too many numbers", asiaHead + goodA + "probability ( b | a ) {\n  (yes) 0.5, 0.5, 0;\n  (no) 0.2, 0.8;\n}\n", `too many values in the row (yes) of "b": want 2`, 13, 19, nil},
	{"table with too few numbers", asiaHead + "probability ( a ) {\n  table 1;\n}\n" + goodB, `too few values in the table of "a": found 1, want 2`, 10, 10, nil},
	{"row with too few states", asiaHead + goodA + "probability ( b | a ) {\n  () 0.5, 0.5;\n}\n", `a row of "b" needs 1 states, one per parent, but lists 0`, 13, 4, nil},
	{"row with too many states", asiaHead + goodA + "probability ( b | a ) {\n  (yes, no) 0.5, 0.5;\n}\n", `too many states in a row of "b", which has 1 parents`, 13, 9, nil},
	{"duplicate row", asiaHead + goodA + "probability ( b | a ) {\n  (yes) 0.5, 0.5;\n  (no) 0.2, 0.8;\n  (yes) 0.5, 0.5;\n}\n", `duplicate row (yes) in the table of "b"`, 15, 3, nil},
	{"missing row", asiaHead + goodA + "probability ( b | a ) {\n  (yes) 0.5, 0.5;\n}\n", `the probability block of "b" has no row for (no) and no default`, 14, 1, nil},
	{"two probability blocks", asiaHead + goodA + goodB + goodA, `variable "a" has a second probability block (the other is at line 9)`, 16, 15, nil},
	{"no probability block", asiaHead + goodA, `variable "b" has no probability block`, 6, 10, nil},
	{"negative probability", asiaHead + "probability ( a ) {\n  table -0.5, 1.5;\n}\n" + goodB, `probability "-0.5" is negative`, 10, 9, nil},
	{"NaN", asiaHead + "probability ( a ) {\n  table NaN, 1;\n}\n" + goodB, `probability "NaN" is not a finite number`, 10, 9, nil},
	{"overflow", asiaHead + "probability ( a ) {\n  table 1e999, 1;\n}\n" + goodB, `probability "1e999" is not a finite number`, 10, 9, nil},
	{"not a number", asiaHead + "probability ( a ) {\n  table yes, no;\n}\n" + goodB, `expected a probability, found "yes"`, 10, 9, nil},
	{"double comma", asiaHead + "probability ( a ) {\n  table 0.5,, 0.5;\n}\n" + goodB, `expected a probability, found ","`, 10, 13, nil},
	{"huge state count", "variable a {\n  type discrete [ 99999999999999999999999 ] { yes };\n}\n", `more than the rest of the input could hold`, 2, 19, nil},
	{"zero states", "variable a {\n  type discrete [ 0 ] { };\n}\n", `at least one state`, 2, 19, nil},
	{"table too large", "variable a { type discrete [ 10 ] { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9 }; }\n" + strings.Repeat("variable b { type discrete [ 2 ] { x, y }; }\n", 0) +
		"probability ( a | a1, a2, a3, a4, a5, a6, a7, a8 ) { default 1, 0, 0, 0, 0, 0, 0, 0, 0, 0; }\n" + manyVars(8), `the table of "a" would have more than 67108864 entries`, 2, 15, nil},
	{"default too large", binVars(21) + "variable a { type discrete [ 2 ] { 0, 1 }; }\n" +
		"probability ( b1 | b2 ) { default 0.5, 0.5; }\n" +
		"probability ( a | b1, b2, b3, b4, b5, b6, b7, b8, b9, b10, b11, b12, b13, b14, b15, b16, b17, b18, b19, b20, b21 ) { default 1, 0; }\n",
		`the default fills 4194304 entries; default lines may fill at most 4194304`, 44, 118, nil},
	{"table larger than the input", manyVars(6) + "variable a { type discrete [ 10 ] { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9 }; }\n" +
		"probability ( a | a1, a2, a3, a4, a5, a6 ) { (0,0,0,0,0,0) 1,0,0,0,0,0,0,0,0,0; }\n", `the table of "a" has 10000000 entries, more than the rest of the input could hold`, 8, 15, nil},
	{"parent twice", asiaHead + goodA + "probability ( b | a, a ) {\n  default 0.5, 0.5;\n}\n", `variable "a" appears twice in the probability header`, 12, 22, nil},
	{"own parent", asiaHead + goodA + "probability ( b | b ) {\n  default 0.5, 0.5;\n}\n", `variable "b" appears twice in the probability header`, 12, 19, nil},
	{"rows and table", asiaHead + goodA + "probability ( b | a ) {\n  (yes) 0.5, 0.5;\n  table 0.5, 0.5, 0.5, 0.5;\n}\n", "a table after rows", 14, 3, nil},
	{"unterminated comment", asiaHead + "/* no end\n" + goodA, `unterminated comment`, 9, 1, nil},
	{"unterminated string", "variable \"a {\n", `unterminated string`, 1, 10, nil},
	{"stray token", asiaHead + "}\n", `expected "network", "variable" or "probability", found "}"`, 9, 1, nil},
	{"continuous variable", "variable a {\n  type continuous;\n}\n", `expected "discrete" (only discrete variables are supported), found "continuous"`, 2, 8, nil},
	{"missing bar parent", asiaHead + goodA + "probability ( b | ) {\n  table 0.5, 0.5;\n}\n", `expected a parent name, found ")"`, 12, 19, nil},
	{"no variables", "network x {\n}\n", "declares no variables", 3, 1, nil},
	{"long token is clipped", asiaHead + strings.Repeat("x", 200) + "\n", `found "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx..."`, 9, 1, nil},
}

func TestReadErrors(t *testing.T) {
	t.Parallel()
	for _, tc := range readErrorCases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			net, err := bif.Read(strings.NewReader(tc.src))
			if err == nil {
				t.Fatalf("no error; read %d variables", len(net.Variables))
			}
			msg := err.Error()
			if !strings.Contains(msg, tc.msg) {
				t.Errorf("error %q does not contain %q", msg, tc.msg)
			}
			if strings.ContainsAny(msg, "\n\r") {
				t.Errorf("error %q spans lines", msg)
			}
			var se *bif.SyntaxError
			isSyntax := errors.As(err, &se)
			switch {
			case tc.line > 0 && !isSyntax:
				t.Errorf("error %T %q is not a *SyntaxError", err, msg)
			case tc.line > 0 && (se.Line != tc.line || se.Col != tc.col):
				t.Errorf("error at line %d, column %d, want line %d, column %d: %s", se.Line, se.Col, tc.line, tc.col, msg)
			case tc.line == 0 && isSyntax:
				t.Errorf("unexpected *SyntaxError %q", msg)
			}
			if tc.target != nil && !errors.As(err, tc.target) {
				t.Errorf("error %T %q is not a %T", err, msg, tc.target)
			}
		})
	}
}

// manyVars declares a1..an with 10 states each.
func manyVars(n int) string {
	var b strings.Builder
	for i := 1; i <= n; i++ {
		b.WriteString("variable a")
		b.WriteByte(byte('0' + i))
		b.WriteString(" { type discrete [ 10 ] { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9 }; }\n")
	}
	return b.String()
}

// binVars declares b1..bn with two states each, and a table for each that
// has no parents except b1 (left to the caller).
func binVars(n int) string {
	var b strings.Builder
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&b, "variable b%d { type discrete [ 2 ] { 0, 1 }; }\n", i)
		if i > 1 {
			fmt.Fprintf(&b, "probability ( b%d ) { table 0.5, 0.5; }\n", i)
		}
	}
	return b.String()
}

func gzipped(s string) []byte {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zw.Write([]byte(s))
	zw.Close()
	return buf.Bytes()
}

func TestSyntaxErrorFormat(t *testing.T) {
	t.Parallel()
	err := &bif.SyntaxError{Line: 12, Col: 5, Msg: `expected ";" after the table, found "}"`}
	const want = `bif: line 12, column 5: expected ";" after the table, found "}"`
	if got := err.Error(); got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

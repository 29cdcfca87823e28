package uai

import (
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/tendo-health/tendo/bn"
)

// maxCount bounds every count read from a file.
const maxCount = bn.MaxTableSize

// maxFreeStates is how many states the variables of a MARKOV model that
// appear in no function may have in all. (The states of the other variables
// are bounded by the size of their tables, which the input spells out.)
const maxFreeStates = 1 << 16

// ReadFile reads the model file at path with Read and names the network
// after the file (its base name without a .uai extension). Errors name the
// file; a *SyntaxError stays reachable with errors.As.
func ReadFile(path string) (*bn.Network, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	net, err := Read(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	net.Name = strings.TrimSuffix(filepath.Base(path), ".uai")
	return net, nil
}

// Read reads a UAI model file: the preamble MARKOV or BAYES, the number of
// variables, their cardinalities, the number of functions, the scope of each
// function (its size, then variable indices) and then, for each function in
// the same order, the number of table entries followed by the entries, the
// last variable of the scope changing fastest (the layout of bn.Factor).
// Tokens are separated by any white space; line breaks carry no meaning.
//
// Variables are named v0, v1, ... and their states 0, 1, ....
//
// A MARKOV file gives a Markov network (Directed false) whose Factors are
// the functions in file order. A BAYES file gives a Bayesian network: the
// last variable of each scope is the child, every variable must be the child
// of exactly one function (in any order), and Factors[i] is the function
// whose child is variable i, its scope kept as written (parents, then the
// child). Every column of a BAYES table must sum to 1 within
// bn.SumTolerance; columns that do not sum to exactly 1 are rescaled with
// (*bn.Network).Renormalize and then, if the rescaled sum still is not
// exactly 1 in floating point, their largest entry is nudged by a few units
// in the last place until it is, so that reading what Write writes changes
// nothing. Renormalized counts the columns whose values changed.
//
// Limits: every count and table is at most bn.MaxTableSize, and the
// variables of a MARKOV model that appear in no function may have at most
// 1<<16 = 65536 states in all (no table accounts for them).
//
// Errors in the input are reported as *SyntaxError; a network that parses
// but fails (*bn.Network).Validate (a BAYES file with a directed cycle, for
// example) is reported with the error Validate returns.
func Read(r io.Reader) (*bn.Network, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, err
	}
	return parseModel(data)
}

func parseModel(data []byte) (*bn.Network, error) {
	s := newScanner(data)
	pre := s.next()
	var directed bool
	switch {
	case pre.is("MARKOV"):
	case pre.is("BAYES"):
		directed = true
	default:
		return nil, pre.expected("the preamble MARKOV or BAYES", nil)
	}

	n, _, err := s.count("the number of variables (a positive integer)", 1, 1, "variables", nil)
	if err != nil {
		return nil, err
	}
	cards := make([]int, n)
	cardAt := make([]token, n)
	for i := range cards {
		c, t, err := s.integer("a cardinality (a positive integer)", 1, func() string {
			return fmt.Sprintf("the cardinality of variable %d of %d", i, n)
		})
		if err != nil {
			return nil, err
		}
		if c > maxCount {
			return nil, t.errorf("variable %d has %s states, more than the limit of %d", i, t.text, maxCount)
		}
		cards[i] = c
		cardAt[i] = token{line: t.line, col: t.col}
	}

	// Each function needs at least four more tokens: a scope size, a
	// variable index, a table size and one entry.
	m, mtok, err := s.count("the number of functions (a nonnegative integer)", 0, 4, "functions", nil)
	if err != nil {
		return nil, err
	}
	if directed && m != n {
		return nil, mtok.errorf("a BAYES model needs exactly one function per variable (the function whose scope ends with it): %d variables, %d functions", n, m)
	}

	scopes := make([][]int, m)
	sizes := make([]int, m)
	var childOf []int // BAYES: the function of each child, -1 for none yet
	if directed {
		childOf = make([]int, n)
		for i := range childOf {
			childOf[i] = -1
		}
	}
	inScope := make([]int, n) // 1 + the last function whose scope holds the variable
	idxWhat := fmt.Sprintf("a variable index (0 to %d)", n-1)
	for f := range scopes {
		k, kt, err := s.integer("a scope size (a positive integer)", 1, func() string {
			return fmt.Sprintf("the scope size of function %d of %d", f, m)
		})
		if err != nil {
			return nil, err
		}
		if k > n {
			return nil, kt.errorf("function %d has a scope of %s variables, but the model has only %d", f, kt.text, n)
		}
		if err := s.fits(kt, k, 1, "scope variables"); err != nil {
			return nil, err
		}
		sc := make([]int, k)
		size := 1
		var vt token
		for j := range sc {
			var v int
			v, vt, err = s.integer(idxWhat, 0, func() string {
				return fmt.Sprintf("variable %d of %d of the scope of function %d", j+1, k, f)
			})
			if err != nil {
				return nil, err
			}
			if v >= n {
				return nil, vt.errorf("function %d refers to variable %s, but the variables are numbered 0 to %d", f, vt.text, n-1)
			}
			if inScope[v] == f+1 {
				return nil, vt.errorf("function %d lists variable %d twice in its scope", f, v)
			}
			inScope[v] = f + 1
			if size > maxCount/cards[v] {
				return nil, vt.errorf("the table of function %d would have more than %d entries", f, maxCount)
			}
			size *= cards[v]
			sc[j] = v
		}
		if directed {
			child := sc[k-1]
			if g := childOf[child]; g >= 0 {
				return nil, vt.errorf("variable %d is the child (the last variable of the scope) of both function %d and function %d; a BAYES model needs exactly one function per variable", child, g, f)
			}
			childOf[child] = f
		}
		scopes[f], sizes[f] = sc, size
	}

	tables := make([][]float64, m)
	var fix renormalizer
	for f, sc := range scopes {
		cnt, ct, err := s.integer("a table size", 0, nil)
		if err != nil {
			return nil, ct.expected(fmt.Sprintf("a table size (%d, the product of the cardinalities of the scope)", sizes[f]), func() string {
				return fmt.Sprintf("the table size of function %d of %d", f, m)
			})
		}
		if cnt != sizes[f] {
			return nil, ct.errorf("function %d has %s table entries, but its scope needs %d", f, ct.text, sizes[f])
		}
		if err := s.fits(ct, cnt, 1, "table entries"); err != nil {
			return nil, err
		}
		t := make([]float64, cnt)
		child := sc[len(sc)-1]
		colLen := cards[child]
		var colStart token
		for i := range t {
			p, pt, err := s.number("a table entry (a finite nonnegative number)", func() string {
				return fmt.Sprintf("entry %d of %d of the table of function %d of %d", i+1, cnt, f, m)
			})
			if err != nil {
				return nil, err
			}
			t[i] = p
			if !directed {
				continue
			}
			if i%colLen == 0 {
				colStart = pt
			}
			if i%colLen == colLen-1 {
				off := i + 1 - colLen
				col := t[off : i+1]
				sum := columnSum(col)
				if math.Abs(sum-1) > bn.SumTolerance || math.IsNaN(sum) {
					return nil, colStart.errorf("the column of function %d (the table of variable %d)%s sums to %.9g; BAYES columns must sum to 1 within %g",
						f, child, describeColumn(sc, cards, off/colLen), sum, bn.SumTolerance)
				}
				if sum != 1 {
					fix.note(child, off, col)
				}
			}
		}
		tables[f] = t
	}
	if t := s.next(); !t.eof {
		return nil, t.expected("the end of input after the last table", nil)
	}

	// A variable that appears in a scope has at most as many states as its
	// function has table entries, which the input had to spell out. The
	// states of the others (possible only in a MARKOV model) come for free,
	// so their total is capped.
	budget := maxFreeStates
	maxCard := 0
	for v, c := range cards {
		if inScope[v] == 0 {
			if c > budget {
				return nil, cardAt[v].errorf("variable %d appears in no function, and the variables that appear in none may have at most %d states in all", v, maxFreeStates)
			}
			budget -= c
		}
		maxCard = max(maxCard, c)
	}

	net := &bn.Network{Directed: directed}
	net.Variables = makeVariables(cards, maxCard)
	net.Factors = make([]bn.Factor, m)
	for f, sc := range scopes {
		i := f
		if directed {
			i = sc[len(sc)-1]
		}
		net.Factors[i] = bn.Factor{Vars: sc, Table: tables[f]}
	}
	if directed {
		if _, err := net.Renormalize(); err != nil {
			return nil, err
		}
		net.Renormalized = fix.finish(net)
	}
	if err := net.Validate(); err != nil {
		return nil, err
	}
	return net, nil
}

// makeVariables names the variables v0, v1, ... and their states 0, 1, ....
// The state name strings are shared; each variable gets its own slice.
func makeVariables(cards []int, maxCard int) []bn.Variable {
	names := make([]string, maxCard)
	for i := range names {
		names[i] = strconv.Itoa(i)
	}
	vars := make([]bn.Variable, len(cards))
	for i, c := range cards {
		vars[i] = bn.Variable{Name: "v" + strconv.Itoa(i), States: append([]string(nil), names[:c]...)}
	}
	return vars
}

// describeColumn names the parent configuration of a column, for example
// " given v0=1, v3=0"; it is empty for a root.
func describeColumn(vars, cards []int, col int) string {
	ps := vars[:len(vars)-1]
	if len(ps) == 0 {
		return ""
	}
	parts := make([]string, len(ps))
	for i := len(ps) - 1; i >= 0; i-- {
		c := cards[ps[i]]
		parts[i] = "v" + strconv.Itoa(ps[i]) + "=" + strconv.Itoa(col%c)
		col /= c
	}
	return " given " + strings.Join(parts, ", ")
}

// columnSum adds up a column from left to right, the way bn does when it
// checks and renormalises columns.
func columnSum(col []float64) float64 {
	s := 0.0
	for _, p := range col {
		s += p
	}
	return s
}

package bn

import (
	"errors"
	"fmt"
	"math"
	"sort"
	"strings"
)

// MaxTableSize is the largest number of entries a single factor (a CPT or a
// Markov potential) may have. Readers reject larger tables before allocating
// them, so a hostile file cannot make the process allocate without bound.
const MaxTableSize = 1 << 26

// SumTolerance is how far a CPT column may stray from 1 and still be accepted
// (and renormalised exactly). Published networks are rounded: alarm, hepar2
// and pathfinder have columns that sum to 1 ± 1e-7.
const SumTolerance = 1e-6

// Variable is a discrete random variable with named states.
type Variable struct {
	Name   string
	States []string
}

// Card returns the number of states of v.
func (v Variable) Card() int { return len(v.States) }

// Factor is a nonnegative function over a set of discrete variables.
//
// Vars holds indices into Network.Variables. Table is laid out in row-major
// order: the last variable in Vars changes fastest. For a Bayesian network
// CPT, Vars is the parents followed by the child, so every column (one
// distribution over the child, for one configuration of the parents) is a
// contiguous run of Table.
type Factor struct {
	Vars  []int
	Table []float64
}

// Network is a discrete graphical model: a Bayesian network (Directed) or a
// Markov network.
//
// In a Bayesian network Factors[i] is the conditional probability table of
// Variables[i]: its Vars are the parents of i followed by i itself. In a
// Markov network Factors holds any number of potentials, and LogPEvidence of
// a query is the log of the (evidence-restricted) partition function.
type Network struct {
	Name      string
	Variables []Variable
	Factors   []Factor
	Directed  bool

	// Renormalized is the number of CPT columns a reader rescaled to sum to
	// exactly 1 (they summed to 1 within SumTolerance). Informational.
	Renormalized int

	index map[string]int
}

// Index returns the index of the variable with the given name, or -1.
func (n *Network) Index(name string) int {
	if n.index == nil || len(n.index) != len(n.Variables) {
		n.buildIndex()
	}
	if i, ok := n.index[name]; ok {
		return i
	}
	return -1
}

func (n *Network) buildIndex() {
	n.index = make(map[string]int, len(n.Variables))
	for i, v := range n.Variables {
		n.index[v.Name] = i
	}
}

// StateIndex returns the index of the named state of variable v, or -1.
func (n *Network) StateIndex(v int, state string) int {
	for i, s := range n.Variables[v].States {
		if s == state {
			return i
		}
	}
	return -1
}

// Parents returns the parents of variable v in a Bayesian network (nil for a
// Markov network).
func (n *Network) Parents(v int) []int {
	if !n.Directed || v >= len(n.Factors) {
		return nil
	}
	vs := n.Factors[v].Vars
	return vs[:len(vs)-1]
}

// Card returns the number of states of variable v.
func (n *Network) Card(v int) int { return len(n.Variables[v].States) }

// TableSize returns the number of entries a factor over vars needs, or an
// error when it exceeds MaxTableSize.
func (n *Network) TableSize(vars []int) (int, error) {
	size := 1
	for _, v := range vars {
		c := n.Card(v)
		if c == 0 {
			return 0, nil
		}
		if size > MaxTableSize/c {
			return 0, fmt.Errorf("bn: table over %d variables exceeds %d entries", len(vars), MaxTableSize)
		}
		size *= c
	}
	return size, nil
}

// CycleError reports a directed cycle in a Bayesian network.
type CycleError struct {
	Vars []string // the variables on one cycle, in order
}

func (e *CycleError) Error() string {
	names := e.Vars
	if len(names) > 12 {
		names = append(append([]string{}, names[:12]...), fmt.Sprintf("... (%d variables)", len(e.Vars)))
	}
	return "bn: the network has a cycle: " + strings.Join(names, " -> ") + " -> " + e.Vars[0]
}

// ColumnError reports a CPT column whose sum is not 1 within SumTolerance.
type ColumnError struct {
	Var    string // the child variable
	Parent string // the parent configuration, e.g. "smoke=yes, asia=no"; empty for a root
	Sum    float64
}

func (e *ColumnError) Error() string {
	where := ""
	if e.Parent != "" {
		where = " given " + e.Parent
	}
	return fmt.Sprintf("bn: variable %q: probabilities%s sum to %.9g, want 1 within %g", e.Var, where, e.Sum, SumTolerance)
}

// Validate checks the structure and numbers of n: unique variable names,
// at least one state per variable and unique state names, factor scopes and
// table sizes, nonnegative finite entries, and for a Bayesian network one CPT
// per variable, acyclicity (a *CycleError names the cycle) and columns that sum
// to 1 within SumTolerance (a *ColumnError names the column).
func (n *Network) Validate() error {
	if len(n.Variables) == 0 {
		return errors.New("bn: the network has no variables")
	}
	seen := make(map[string]bool, len(n.Variables))
	for i, v := range n.Variables {
		if v.Name == "" {
			return fmt.Errorf("bn: variable %d has no name", i)
		}
		if seen[v.Name] {
			return fmt.Errorf("bn: variable %q is declared twice", v.Name)
		}
		seen[v.Name] = true
		if len(v.States) == 0 {
			return fmt.Errorf("bn: variable %q has no states", v.Name)
		}
		states := make(map[string]bool, len(v.States))
		for _, s := range v.States {
			if states[s] {
				return fmt.Errorf("bn: variable %q: state %q is declared twice", v.Name, s)
			}
			states[s] = true
		}
	}
	n.buildIndex()
	if n.Directed && len(n.Factors) != len(n.Variables) {
		return fmt.Errorf("bn: a Bayesian network needs one table per variable: %d variables, %d tables", len(n.Variables), len(n.Factors))
	}
	for fi, f := range n.Factors {
		what := fmt.Sprintf("factor %d", fi)
		if n.Directed {
			what = fmt.Sprintf("the table of %q", n.Variables[fi].Name)
		}
		if len(f.Vars) == 0 {
			return fmt.Errorf("bn: %s has no variables", what)
		}
		inScope := make(map[int]bool, len(f.Vars))
		for _, v := range f.Vars {
			if v < 0 || v >= len(n.Variables) {
				return fmt.Errorf("bn: %s refers to variable %d, which does not exist", what, v)
			}
			if inScope[v] {
				return fmt.Errorf("bn: %s lists variable %q twice", what, n.Variables[v].Name)
			}
			inScope[v] = true
		}
		if n.Directed && f.Vars[len(f.Vars)-1] != fi {
			return fmt.Errorf("bn: %s must list %q last", what, n.Variables[fi].Name)
		}
		size, err := n.TableSize(f.Vars)
		if err != nil {
			return fmt.Errorf("bn: %s: %w", what, err)
		}
		if len(f.Table) != size {
			return fmt.Errorf("bn: %s has %d entries, want %d", what, len(f.Table), size)
		}
		for _, p := range f.Table {
			if !(p >= 0) || math.IsInf(p, 0) {
				return fmt.Errorf("bn: %s has entry %v; entries must be finite and nonnegative", what, p)
			}
		}
	}
	if n.Directed {
		if err := n.checkAcyclic(); err != nil {
			return err
		}
		for v := range n.Variables {
			if err := n.checkColumns(v); err != nil {
				return err
			}
		}
	}
	return nil
}

// Renormalize rescales every CPT column of a Bayesian network that sums to
// 1 within SumTolerance (but not exactly) so that it sums to 1, and returns
// how many columns it changed. A column outside the tolerance is an error
// (a *ColumnError) and nothing is changed for it. Markov networks are left
// alone (their potentials need not sum to anything).
func (n *Network) Renormalize() (int, error) {
	if !n.Directed {
		return 0, nil
	}
	count := 0
	for v := range n.Variables {
		if err := n.checkColumns(v); err != nil {
			return count, err
		}
	}
	for v := range n.Variables {
		card := n.Card(v)
		t := n.Factors[v].Table
		for off := 0; off+card <= len(t); off += card {
			col := t[off : off+card]
			s := 0.0
			for _, p := range col {
				s += p
			}
			if s == 1 {
				continue
			}
			changed := false
			for i := range col {
				q := col[i] / s
				if q != col[i] {
					changed = true
				}
				col[i] = q
			}
			if changed {
				count++
			}
		}
	}
	return count, nil
}

func (n *Network) checkColumns(v int) error {
	card := n.Card(v)
	t := n.Factors[v].Table
	for off := 0; off+card <= len(t); off += card {
		s := 0.0
		for _, p := range t[off : off+card] {
			s += p
		}
		if math.Abs(s-1) > SumTolerance || math.IsNaN(s) {
			return &ColumnError{Var: n.Variables[v].Name, Parent: n.parentConfig(v, off/card), Sum: s}
		}
	}
	return nil
}

// parentConfig describes the col-th parent configuration of v in words.
func (n *Network) parentConfig(v, col int) string {
	ps := n.Parents(v)
	if len(ps) == 0 {
		return ""
	}
	parts := make([]string, len(ps))
	for i := len(ps) - 1; i >= 0; i-- {
		c := n.Card(ps[i])
		parts[i] = n.Variables[ps[i]].Name + "=" + n.Variables[ps[i]].States[col%c]
		col /= c
	}
	return strings.Join(parts, ", ")
}

func (n *Network) checkAcyclic() error {
	const (
		white = iota
		grey
		black
	)
	color := make([]int8, len(n.Variables))
	parentOf := make([]int, len(n.Variables))
	// Iterative DFS along parent edges: a back edge to a grey node is a cycle.
	type frame struct{ v, next int }
	for start := range n.Variables {
		if color[start] != white {
			continue
		}
		stack := []frame{{start, 0}}
		color[start] = grey
		for len(stack) > 0 {
			top := &stack[len(stack)-1]
			ps := n.Parents(top.v)
			if top.next == len(ps) {
				color[top.v] = black
				stack = stack[:len(stack)-1]
				continue
			}
			p := ps[top.next]
			top.next++
			switch color[p] {
			case white:
				color[p] = grey
				parentOf[p] = top.v
				stack = append(stack, frame{p, 0})
			case grey:
				// Cycle: p is a parent of top.v, and p is an ancestor on the stack.
				var cyc []string
				for i := len(stack) - 1; i >= 0; i-- {
					cyc = append(cyc, n.Variables[stack[i].v].Name)
					if stack[i].v == p {
						break
					}
				}
				// cyc lists child -> parent; reverse to read parent -> child.
				for i, j := 0, len(cyc)-1; i < j; i, j = i+1, j-1 {
					cyc[i], cyc[j] = cyc[j], cyc[i]
				}
				return &CycleError{Vars: cyc}
			}
		}
	}
	return nil
}

// TopologicalOrder returns the variables of a Bayesian network with every
// parent before its children. It assumes Validate has succeeded.
func (n *Network) TopologicalOrder() []int {
	order := make([]int, 0, len(n.Variables))
	done := make([]bool, len(n.Variables))
	var visit func(v int)
	visit = func(v int) {
		if done[v] {
			return
		}
		done[v] = true
		for _, p := range n.Parents(v) {
			visit(p)
		}
		order = append(order, v)
	}
	for v := range n.Variables {
		visit(v)
	}
	return order
}

// Children returns, for each variable of a Bayesian network, its children in
// increasing order.
func (n *Network) Children() [][]int {
	ch := make([][]int, len(n.Variables))
	for v := range n.Variables {
		for _, p := range n.Parents(v) {
			ch[p] = append(ch[p], v)
		}
	}
	for _, c := range ch {
		sort.Ints(c)
	}
	return ch
}

// Clone returns a deep copy of n.
func (n *Network) Clone() *Network {
	c := &Network{Name: n.Name, Directed: n.Directed}
	c.Variables = make([]Variable, len(n.Variables))
	for i, v := range n.Variables {
		c.Variables[i] = Variable{Name: v.Name, States: append([]string(nil), v.States...)}
	}
	c.Factors = make([]Factor, len(n.Factors))
	for i, f := range n.Factors {
		c.Factors[i] = Factor{Vars: append([]int(nil), f.Vars...), Table: append([]float64(nil), f.Table...)}
	}
	return c
}

package bn

import "fmt"

// This file supports sensitivity analysis with respect to the numbers of
// the tables: re-filling a compiled tree with new tables (for Monte Carlo
// over a model's parameters) and the family marginals from which the
// derivatives of P(evidence) and of posteriors follow.
//
// P(e) is multilinear in the entries of the tables (the network
// polynomial), so for an entry θ = P(x | u) of factor f,
//
//	∂ log P(e) / ∂θ = P(x, u | e) / θ,
//
// the family marginal divided by the entry. For a posterior P(h ∈ S | e),
//
//	∂ logit P(h ∈ S | e) / ∂θ = [P(x, u | h ∈ S, e) − P(x, u | h ∉ S, e)] / θ,
//
// which needs one more propagation with h restricted to S (or to its
// complement). Soft evidence enters as a virtual child and changes nothing
// in these formulas.

// WithTables returns a tree with jt's structure whose factor tables are
// tables (tables[f] replaces the table of factor f and must have its
// length; a nil entry keeps jt's). It does not triangulate again: it only
// multiplies the tables into the cliques. The tables are not copied and
// must not change while the tree is in use. The new tree is independent of
// jt and, like it, safe for concurrent queries; Network still returns the
// network jt was compiled from.
func (jt *JunctionTree) WithTables(tables [][]float64) (*JunctionTree, error) {
	if len(tables) != len(jt.tables) {
		return nil, fmt.Errorf("bn: WithTables: %d tables for %d factors", len(tables), len(jt.tables))
	}
	c := *jt
	c.tables = make([][]float64, len(tables))
	for f, t := range tables {
		if t == nil {
			t = jt.tables[f]
		}
		if len(t) != len(jt.tables[f]) {
			return nil, fmt.Errorf("bn: WithTables: factor %d has %d entries, want %d", f, len(t), len(jt.tables[f]))
		}
		c.tables[f] = t
	}
	c.init = make([]float64, jt.total)
	c.multiplyTables()
	return &c, nil
}

// Table returns the table of factor f as compiled into jt (owned by jt).
func (jt *JunctionTree) Table(f int) []float64 { return jt.tables[f] }

// FamilyOffset returns the offset of factor f's entries in the
// concatenation of every factor's table that FamilyMarginals fills; f =
// the number of factors gives the total length.
func (jt *JunctionTree) FamilyOffset(f int) int { return jt.facOff[f] }

// SelectFamilies returns a Selection of the marginals of vars (nil means
// none) that also completes the table of every clique holding a factor, so
// that Query.FamilyMarginals can read every factor's family marginal.
func (jt *JunctionTree) SelectFamilies(vars []int) *Selection {
	s := jt.newSelection()
	if vars == nil {
		vars = []int{}
	}
	s.set(vars)
	for _, c := range jt.facHome {
		for ; c >= 0 && !s.needTable[c]; c = jt.cl[c].parent {
			s.needTable[c] = true
		}
	}
	s.finishNeeds()
	return &s
}

// FamilyMarginals sets dst to the posterior distribution of every factor's
// variables (the family of a CPT: parents and child), concatenated in
// factor order from FamilyOffset(f), each laid out like the factor's table.
// dst must have FamilyOffset(number of factors) entries. The last
// Propagate must have completed every factor's home clique (see
// SelectFamilies); FamilyMarginals returns an error otherwise. It does not
// allocate.
func (q *Query) FamilyMarginals(dst []float64) error {
	if !q.done {
		panic("bn: FamilyMarginals called before a successful Propagate")
	}
	jt := q.jt
	if len(dst) != jt.facOff[len(jt.facOff)-1] {
		panic(fmt.Sprintf("bn: FamilyMarginals: dst has %d entries, want %d", len(dst), jt.facOff[len(jt.facOff)-1]))
	}
	for f, c := range jt.facHome {
		if !q.sel.needTable[c] {
			return fmt.Errorf("bn: FamilyMarginals: the clique of factor %d was not completed (use SelectFamilies)", f)
		}
		cc := &jt.cl[c]
		t := q.work[cc.off : cc.off+cc.size]
		d := dst[jt.facOff[f]:jt.facOff[f+1]]
		clear(d)
		m := jt.facMap[f][:len(t)]
		z := 0.0
		for i, j := range m {
			d[j] += t[i]
			z += t[i]
		}
		inv := 1 / z
		for i := range d {
			d[i] *= inv
		}
	}
	return nil
}

// sameStructure reports whether a and b are the same compiled tree up to
// their tables (one was made from the other by WithTables).
func sameStructure(a, b *JunctionTree) bool {
	return a == b || (len(a.cl) == len(b.cl) && len(a.cl) > 0 && &a.cl[0] == &b.cl[0])
}

// Retarget makes q query jt, a tree with the structure of q's own (made
// from it by WithTables, or the tree it was made from), keeping q's
// evidence and what it wants, so that one Query serves many sets of
// tables without allocating. The results of the last propagation, and
// the incremental snapshot, are dropped.
func (q *Query) Retarget(jt *JunctionTree) error {
	if !sameStructure(jt, q.jt) {
		return fmt.Errorf("bn: Retarget: the tree has another structure")
	}
	q.jt = jt
	q.done = false
	q.snapOK = false
	return nil
}

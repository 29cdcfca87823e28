package bn

import (
	"errors"
	"fmt"
	"math"
)

// ErrZeroProbability is returned by Propagate when the evidence has
// probability zero under the model (for example two findings that the
// network says cannot occur together).
var ErrZeroProbability = errors.New("bn: the evidence has probability zero under the model")

// Query holds the evidence and working tables of one inference on a
// JunctionTree. A Query is not safe for concurrent use; create one per
// goroutine (they are cheap next to the tree) and reuse it: after the first
// Propagate, entering evidence and propagating again allocate nothing.
type Query struct {
	jt     *JunctionTree
	work   []float64 // clique tables
	sep    []float64 // separator tables as absorbed in the collect pass
	newSep []float64 // separator tables after the distribute pass

	lik      [][]float64 // per variable: likelihood vector, nil when unobserved
	likBuf   []float64   // backing store for lik
	hard     []int       // per variable: observed state, or -1
	observed []int       // variables with evidence, in the order entered
	isObs    []bool

	marg    [][]float64 // per variable: posterior marginal
	margBuf []float64
	logZ    float64
	done    bool

	z []float64 // per clique: the normaliser of its collect message

	// Incremental propagation (see EnableIncremental).
	snap, snapSep, snapZ []float64
	snapLogZ             float64
	loo                  []float64 // per clique and child: the table times every other child's message
	looOff               []int
	snapOK               bool
	dirty                []bool
	lastDirty            []int

	// What Propagate computes (see Want and Use).
	sel *Selection
	own Selection
}

// A Selection is what a query computes: the wanted variables, the table
// each marginal is read from, and the cliques the distribute pass must
// visit for them. Query.Want builds one in place; JunctionTree.Select
// builds one to keep and switch to with Query.Use, which costs nothing.
type Selection struct {
	jt        *JunctionTree
	want      []int  // variables whose marginals are computed
	wanted    []bool // per variable
	needTable []bool // per clique: its final table is needed
	needSep   []bool // per clique: the distributed separator to its parent is needed
	needList  []int  // the cliques with needTable, parents before children
	src       []varHome
}

// Select returns a Selection of vars (nil means every variable) for use
// with Query.Use on any query of jt. It is immutable and may be shared.
func (jt *JunctionTree) Select(vars []int) *Selection {
	s := jt.newSelection()
	s.set(vars)
	return &s
}

func (jt *JunctionTree) newSelection() Selection {
	return Selection{
		jt:        jt,
		wanted:    make([]bool, len(jt.card)),
		needTable: make([]bool, len(jt.cl)),
		needSep:   make([]bool, len(jt.cl)),
		src:       make([]varHome, len(jt.card)),
	}
}

// Use makes q compute what sel selects (see Want). sel must come from q's
// junction tree; it panics otherwise.
func (q *Query) Use(sel *Selection) {
	if !sameStructure(sel.jt, q.jt) {
		panic("bn: Use: the selection belongs to another junction tree")
	}
	q.sel = sel
	q.done = false
}

// NewQuery returns a Query on jt with no evidence.
func (jt *JunctionTree) NewQuery() *Query {
	n := len(jt.card)
	q := &Query{
		jt:       jt,
		work:     make([]float64, jt.total),
		sep:      make([]float64, jt.nsep),
		newSep:   make([]float64, jt.nsep),
		lik:      make([][]float64, n),
		hard:     make([]int, n),
		observed: make([]int, 0, n),
		isObs:    make([]bool, n),
		marg:     make([][]float64, n),
	}
	nstates := 0
	for _, c := range jt.card {
		nstates += c
	}
	q.likBuf = make([]float64, nstates)
	q.margBuf = make([]float64, nstates)
	off := 0
	for v, c := range jt.card {
		q.marg[v] = q.margBuf[off : off+c : off+c]
		off += c
		q.hard[v] = -1
	}
	q.z = make([]float64, len(jt.cl))
	q.own = jt.newSelection()
	q.Want(nil)
	return q
}

// Want restricts what Propagate computes to the marginals of vars (nil
// means every variable, the default). The distribute pass then visits only
// the cliques those marginals are read from and the paths leading to them,
// which makes queries that need a few posteriors much cheaper. Marginal
// panics for a variable outside the set. LogPEvidence is always computed.
// Want reuses the query's buffers (it allocates only when the set grows);
// for fixed sets, JunctionTree.Select and Use avoid even the computation.
func (q *Query) Want(vars []int) {
	q.own.set(vars)
	q.sel = &q.own
	q.done = false
}

func (sel *Selection) set(vars []int) {
	jt := sel.jt
	if vars == nil {
		vars = make([]int, len(jt.card))
		for v := range vars {
			vars[v] = v
		}
	}
	sel.want = append(sel.want[:0], vars...)
	clear(sel.wanted)
	clear(sel.needTable)
	clear(sel.needSep)
	// Pick each wanted variable's source greedily: the candidate table
	// that adds the least work, counting its own size (read every query)
	// and the sizes of the cliques on its path from the root that no
	// earlier choice needs yet.
	extra := func(h varHome) int {
		cost := h.size
		c := h.cl
		if h.sep {
			c = jt.cl[c].parent
		}
		for ; c >= 0 && !sel.needTable[c]; c = jt.cl[c].parent {
			cost += jt.cl[c].size
		}
		return cost
	}
	for _, v := range sel.want {
		sel.wanted[v] = true
		best, bestCost := jt.cands[v][0], -1
		for _, h := range jt.cands[v] {
			if cost := extra(h); bestCost < 0 || cost < bestCost {
				best, bestCost = h, cost
			}
		}
		sel.src[v] = best
		c := best.cl
		if best.sep {
			sel.needSep[c] = true
			c = jt.cl[c].parent
		}
		for ; c >= 0 && !sel.needTable[c]; c = jt.cl[c].parent {
			sel.needTable[c] = true
		}
	}
	sel.finishNeeds()
}

// finishNeeds completes needSep and needList from needTable.
func (sel *Selection) finishNeeds() {
	jt := sel.jt
	// A needed clique needs its parent's distributed separator.
	for c := range jt.cl {
		if sel.needTable[c] && jt.cl[c].parent >= 0 {
			sel.needSep[c] = true
		}
	}
	sel.needList = sel.needList[:0]
	for i := len(jt.post) - 1; i >= 0; i-- {
		if c := jt.post[i]; sel.needTable[c] {
			sel.needList = append(sel.needList, c)
		}
	}
}

// likSlot returns the likelihood buffer of variable v.
func (q *Query) likSlot(v int) []float64 {
	off := q.jt.stateOff[v]
	c := q.jt.card[v]
	return q.likBuf[off : off+c : off+c]
}

// Clear removes all evidence.
func (q *Query) Clear() {
	for _, v := range q.observed {
		q.lik[v] = nil
		q.hard[v] = -1
		q.isObs[v] = false
	}
	q.observed = q.observed[:0]
	q.done = false
}

// Observe enters hard evidence: variable v is in state s.
func (q *Query) Observe(v, s int) error {
	if v < 0 || v >= len(q.jt.card) {
		return fmt.Errorf("bn: no variable %d", v)
	}
	if s < 0 || s >= q.jt.card[v] {
		return fmt.Errorf("bn: variable %q has no state %d", q.jt.net.Variables[v].Name, s)
	}
	l := q.slot(v)
	for i := range l {
		l[i] = 0
	}
	l[s] = 1
	q.hard[v] = s
	return nil
}

// SetLikelihood enters soft (likelihood, or virtual) evidence on variable v:
// the probability of the finding given each state of v, up to a constant.
// Entries must be finite, nonnegative and not all zero.
func (q *Query) SetLikelihood(v int, lik []float64) error {
	if v < 0 || v >= len(q.jt.card) {
		return fmt.Errorf("bn: no variable %d", v)
	}
	name := q.jt.net.Variables[v].Name
	if len(lik) != q.jt.card[v] {
		return fmt.Errorf("bn: variable %q has %d states; the likelihood has %d values", name, q.jt.card[v], len(lik))
	}
	anyPos := false
	for _, p := range lik {
		if !(p >= 0) || math.IsInf(p, 0) {
			return fmt.Errorf("bn: variable %q: likelihood values must be finite and nonnegative, got %v", name, p)
		}
		if p > 0 {
			anyPos = true
		}
	}
	if !anyPos {
		return fmt.Errorf("bn: variable %q: the likelihood is zero for every state", name)
	}
	l := q.slot(v)
	copy(l, lik)
	q.hard[v] = -1
	return nil
}

// Retract removes the evidence on variable v, if any.
func (q *Query) Retract(v int) {
	if v < 0 || v >= len(q.jt.card) || !q.isObs[v] {
		return
	}
	q.lik[v] = nil
	q.hard[v] = -1
	q.isObs[v] = false
	for i, u := range q.observed {
		if u == v {
			q.observed = append(q.observed[:i], q.observed[i+1:]...)
			break
		}
	}
	q.done = false
}

func (q *Query) slot(v int) []float64 {
	if !q.isObs[v] {
		q.isObs[v] = true
		q.observed = append(q.observed, v)
		q.lik[v] = q.likSlot(v)
	}
	q.done = false
	return q.lik[v]
}

// Observed returns the variables that carry evidence, in the order entered.
// The slice is owned by q.
func (q *Query) Observed() []int { return q.observed }

// HardState returns the observed state of v, or -1 when v carries no hard
// evidence.
func (q *Query) HardState(v int) int { return q.hard[v] }

// Likelihood returns the likelihood vector entered for v (a one-hot vector
// for hard evidence), or nil. The slice is owned by q.
func (q *Query) Likelihood(v int) []float64 { return q.lik[v] }

// Propagate computes the posterior marginal of every wanted variable (see
// Want) and the log probability of the evidence, by one collect and one
// distribute pass over the junction tree. It returns ErrZeroProbability
// when the evidence is impossible. It does not allocate.
func (q *Query) Propagate() error {
	jt := q.jt
	q.done = false
	copy(q.work, jt.init)
	// Enter evidence in each variable's home clique.
	for _, v := range q.observed {
		h := jt.home[v]
		mulStrided(q.work[h.off:h.off+h.size], q.lik[v], h.stride)
	}
	for _, c := range jt.post {
		if err := q.collect(c, true); err != nil {
			return err
		}
	}
	q.logZ = q.logNormalisers()
	if q.snap != nil {
		copy(q.snap, q.work)
		copy(q.snapSep, q.sep)
		copy(q.snapZ, q.z)
		q.snapLogZ = q.logZ
		q.snapOK = true
		for _, c := range q.lastDirty {
			q.dirty[c] = false
		}
		q.lastDirty = q.lastDirty[:0]
	}
	q.finish()
	return nil
}

// collect absorbs the messages of clique c's children into c's table and,
// for a non-root clique, sends c's normalised message to its separator.
// With incremental propagation on and keepLOO, it first keeps, for each child, c's
// table times every other child's message (the leave-one-out tables that
// PropagateChanged reuses).
func (q *Query) collect(c int, keepLOO bool) error {
	jt := q.jt
	cc := &jt.cl[c]
	t := q.work[cc.off : cc.off+cc.size]
	if keepLOO && q.loo != nil && len(cc.kids) > 0 {
		base := q.looOff[c]
		for j := range cc.kids {
			l := q.loo[base+j*cc.size : base+(j+1)*cc.size]
			copy(l, t)
			for k, kid := range cc.kids {
				if k != j {
					kc := &jt.cl[kid]
					mulMapped(l, q.sep[kc.sepOff:kc.sepOff+kc.sepSize], cc.kidMaps[k])
				}
			}
		}
	}
	for k, kid := range cc.kids {
		kc := &jt.cl[kid]
		mulMapped(t, q.sep[kc.sepOff:kc.sepOff+kc.sepSize], cc.kidMaps[k])
	}
	return q.send(c)
}

// send normalises clique c's message to its parent into the separator (or,
// at the root, records the total).
func (q *Query) send(c int) error {
	jt := q.jt
	cc := &jt.cl[c]
	t := q.work[cc.off : cc.off+cc.size]
	var z float64
	if cc.parent < 0 {
		for _, x := range t {
			z += x
		}
	} else {
		s := q.sep[cc.sepOff : cc.sepOff+cc.sepSize]
		z = sumBlocks(s, t, cc.block)
		if z > 0 {
			inv := 1 / z
			for j := range s {
				s[j] *= inv
			}
		}
	}
	q.z[c] = z
	if !(z > 0) {
		return ErrZeroProbability
	}
	return nil
}

// logNormalisers returns the sum of the logs of the collect normalisers,
// which is log P(evidence). Their product is kept and folded into the log
// only when it nears the ends of the float64 range: one math.Log per query,
// not one per clique.
func (q *Query) logNormalisers() float64 {
	logZ, scale := 0.0, 1.0
	for _, z := range q.z {
		scale *= z
		if scale < 1e-250 || scale > 1e250 {
			logZ += math.Log(scale)
			scale = 1
		}
	}
	return logZ + math.Log(scale)
}

// finish runs the distribute pass where a wanted marginal needs it and
// reads the wanted marginals.
func (q *Query) finish() {
	jt := q.jt
	// Distribute: parents before children.
	for _, c := range q.sel.needList {
		cc := &jt.cl[c]
		t := q.work[cc.off : cc.off+cc.size]
		if cc.parent >= 0 {
			old := q.sep[cc.sepOff : cc.sepOff+cc.sepSize]
			ns := q.newSep[cc.sepOff : cc.sepOff+cc.sepSize]
			scaleBlocks(t, ns, old, cc.block)
		}
		for k, kid := range cc.kids {
			if !q.sel.needSep[kid] {
				continue
			}
			kc := &jt.cl[kid]
			ns := q.newSep[kc.sepOff : kc.sepOff+kc.sepSize]
			clear(ns)
			addMapped(ns, t, cc.kidMaps[k])
		}
	}
	// Marginals.
	for _, v := range q.sel.want {
		m := q.marg[v]
		if s := q.hard[v]; s >= 0 {
			clear(m)
			m[s] = 1
			continue
		}
		h := q.sel.src[v]
		var t []float64
		if h.sep {
			t = q.newSep[h.off : h.off+h.size]
		} else {
			t = q.work[h.off : h.off+h.size]
		}
		marginalStrided(m, t, h.stride)
		z := 0.0
		for _, x := range m {
			z += x
		}
		inv := 1 / z
		for j := range m {
			m[j] *= inv
		}
	}
	q.done = true
}

// EnableIncremental makes every Propagate keep the state after its collect
// pass (one more copy of the clique and separator tables, and for each
// clique and child the clique's table times the other children's
// messages), so that PropagateChanged can later recompute only what a
// change of evidence touches. It allocates once. It suits small networks
// queried many times; on large ones the extra tables cost memory.
func (q *Query) EnableIncremental() {
	if q.snap != nil {
		return
	}
	q.snap = make([]float64, len(q.work))
	q.snapSep = make([]float64, len(q.sep))
	q.snapZ = make([]float64, len(q.z))
	q.dirty = make([]bool, len(q.jt.cl))
	q.lastDirty = make([]int, 0, len(q.jt.cl))
	q.looOff = make([]int, len(q.jt.cl))
	n := 0
	for c, cc := range q.jt.cl {
		q.looOff[c] = n
		n += len(cc.kids) * cc.size
	}
	q.loo = make([]float64, n)
}

// ErrNoSnapshot is returned by PropagateChanged when there is no full
// propagation to start from.
var ErrNoSnapshot = errors.New("bn: PropagateChanged needs EnableIncremental and a successful Propagate first")

// PropagateChanged gives the same results as Propagate when the evidence
// differs from that of the last full Propagate only on the variables in
// changed (the caller's promise; evidence changed by earlier
// PropagateChanged calls must have been put back). It recomputes the collect
// pass only for the cliques where those variables' evidence enters and
// their ancestors, reusing every other message, then distributes where the
// wanted marginals need it. Explaining a posterior finding by finding
// (remove one, propagate, put it back) costs a fraction of a full
// propagation this way. It does not allocate.
func (q *Query) PropagateChanged(changed []int) error {
	jt := q.jt
	if q.snap == nil || !q.snapOK {
		return ErrNoSnapshot
	}
	q.done = false
	// Undo the previous call: its dirty cliques' messages and normalisers.
	for _, c := range q.lastDirty {
		cc := &jt.cl[c]
		copy(q.sep[cc.sepOff:cc.sepOff+cc.sepSize], q.snapSep[cc.sepOff:cc.sepOff+cc.sepSize])
		q.z[c] = q.snapZ[c]
		q.dirty[c] = false
	}
	q.lastDirty = q.lastDirty[:0]
	for _, v := range changed {
		for c := jt.home[v].cl; c >= 0 && !q.dirty[c]; c = jt.cl[c].parent {
			q.dirty[c] = true
			q.lastDirty = append(q.lastDirty, c)
		}
	}
	// Recollect the dirty cliques children first (insertion sort by
	// post-order position: the list is short).
	d := q.lastDirty
	for i := 1; i < len(d); i++ {
		for j := i; j > 0 && jt.postPos[d[j]] < jt.postPos[d[j-1]]; j-- {
			d[j], d[j-1] = d[j-1], d[j]
		}
	}
	for _, c := range d {
		cc := &jt.cl[c]
		t := q.work[cc.off : cc.off+cc.size]
		// When only one child's message changed and c's own evidence did
		// not, c's table is its leave-one-out table for that child times
		// the child's new message.
		single := -1
		for k, kid := range cc.kids {
			if q.dirty[kid] {
				if single >= 0 {
					single = -1
					break
				}
				single = k
			}
		}
		for _, v := range changed {
			if jt.home[v].cl == c {
				single = -1
			}
		}
		if single >= 0 {
			base := q.looOff[c] + single*cc.size
			copy(t, q.loo[base:base+cc.size])
			kc := &jt.cl[cc.kids[single]]
			mulMapped(t, q.sep[kc.sepOff:kc.sepOff+kc.sepSize], cc.kidMaps[single])
			if err := q.send(c); err != nil {
				return err
			}
			continue
		}
		copy(t, jt.init[cc.off:cc.off+cc.size])
		for _, v := range jt.homeVars[c] {
			if l := q.lik[v]; l != nil {
				h := jt.home[v]
				mulStrided(q.work[h.off:h.off+h.size], l, h.stride)
			}
		}
		// The leave-one-out tables describe the snapshot: keep them.
		if err := q.collect(c, false); err != nil {
			return err
		}
	}
	// log P(evidence): the snapshot's, times the ratio of the changed
	// normalisers.
	ratio := 1.0
	for _, c := range q.lastDirty {
		ratio *= q.z[c] / q.snapZ[c]
	}
	q.logZ = q.snapLogZ + math.Log(ratio)
	if math.IsInf(ratio, 0) || ratio == 0 {
		q.logZ = q.logNormalisers()
	}
	// Every other clique the distribute pass reads starts from its
	// collected table.
	for _, c := range q.sel.needList {
		if !q.dirty[c] {
			cc := &jt.cl[c]
			copy(q.work[cc.off:cc.off+cc.size], q.snap[cc.off:cc.off+cc.size])
		}
	}
	q.finish()
	return nil
}

// Marginal returns the posterior distribution of variable v after the last
// successful Propagate. The slice is owned by q and overwritten by the next
// Propagate. It panics if Propagate has not succeeded since the evidence last
// changed.
func (q *Query) Marginal(v int) []float64 {
	if !q.done {
		panic("bn: Marginal called before a successful Propagate")
	}
	if !q.sel.wanted[v] {
		panic(fmt.Sprintf("bn: Marginal(%d): the variable is not in the query's Want set", v))
	}
	return q.marg[v]
}

// JointMarginal sets dst to the posterior joint distribution of variables
// a and b (a slowest: dst[x*card(b)+y] = P(a=x, b=y | e)) after the last
// successful Propagate. They must share a clique whose table that
// propagation completed: the root's, or one a wanted marginal was read
// from. It returns an error otherwise, and panics if dst has the wrong
// length.
func (q *Query) JointMarginal(dst []float64, a, b int) error {
	if !q.done {
		panic("bn: JointMarginal called before a successful Propagate")
	}
	jt := q.jt
	ca, cb := jt.card[a], jt.card[b]
	if len(dst) != ca*cb {
		panic(fmt.Sprintf("bn: JointMarginal: dst has %d entries, want %d", len(dst), ca*cb))
	}
	for _, c := range q.sel.needList {
		cc := &jt.cl[c]
		sa, sb := -1, -1
		s := 1
		for i := len(cc.vars) - 1; i >= 0; i-- {
			switch cc.vars[i] {
			case a:
				sa = s
			case b:
				sb = s
			}
			s *= jt.card[cc.vars[i]]
		}
		if sa < 0 || sb < 0 {
			continue
		}
		clear(dst)
		t := q.work[cc.off : cc.off+cc.size]
		// Row-major layout: the variable with the larger stride is the
		// outer one; sum runs of the inner stride.
		sh, ch, sl, cl := sa, ca, sb, cb
		if sb > sa {
			sh, ch, sl, cl = sb, cb, sa, ca
		}
		z := 0.0
		for o := 0; o < len(t); o += sh * ch {
			for xh := 0; xh < ch; xh++ {
				bh := o + xh*sh
				for m := 0; m < sh; m += sl * cl {
					for xl := 0; xl < cl; xl++ {
						run := t[bh+m+xl*sl : bh+m+(xl+1)*sl]
						sum := 0.0
						for _, x := range run {
							sum += x
						}
						if sa > sb {
							dst[xh*cb+xl] += sum
						} else {
							dst[xl*cb+xh] += sum
						}
						z += sum
					}
				}
			}
		}
		inv := 1 / z
		for i := range dst {
			dst[i] *= inv
		}
		return nil
	}
	return fmt.Errorf("bn: JointMarginal: %q and %q share no completed clique", jt.net.Variables[a].Name, jt.net.Variables[b].Name)
}

// LogPEvidence returns the natural log of the probability of the evidence
// (for a Markov network, of the evidence-restricted partition function),
// after the last successful Propagate. Soft evidence enters as the
// likelihood of a virtual finding, so the value includes its factor.
func (q *Query) LogPEvidence() float64 {
	if !q.done {
		panic("bn: LogPEvidence called before a successful Propagate")
	}
	return q.logZ
}

// mulStrided multiplies t by l along the dimension with the given stride
// (len(l) is that dimension's cardinality).
func mulStrided(t, l []float64, stride int) {
	c := len(l)
	span := stride * c
	for outer := 0; outer < len(t); outer += span {
		for x, lx := range l {
			if lx == 1 {
				continue
			}
			b := t[outer+x*stride : outer+(x+1)*stride]
			if lx == 0 {
				clear(b)
				continue
			}
			for i := range b {
				b[i] *= lx
			}
		}
	}
}

// marginalStrided sets m to the sums of t along the dimension with the given
// stride.
func marginalStrided(m, t []float64, stride int) {
	c := len(m)
	clear(m)
	span := stride * c
	for outer := 0; outer < len(t); outer += span {
		for x := range m {
			b := t[outer+x*stride : outer+(x+1)*stride]
			s := 0.0
			for _, y := range b {
				s += y
			}
			m[x] += s
		}
	}
}

// mulMapped multiplies t[i] by s[m[i]].
func mulMapped(t, s []float64, m []int32) {
	m = m[:len(t)]
	for i, j := range m {
		t[i] *= s[j]
	}
}

// addMapped adds t[i] to s[m[i]].
func addMapped(s, t []float64, m []int32) {
	m = m[:len(t)]
	for i, j := range m {
		s[j] += t[i]
	}
}

// sumBlocks sets s[j] to the sum of block j of t and returns the total.
func sumBlocks(s, t []float64, block int) float64 {
	z := 0.0
	switch block {
	case 1:
		t = t[:len(s)]
		for j, x := range t {
			s[j] = x
			z += x
		}
		return z
	case 2:
		t = t[:2*len(s)]
		for j := range s {
			x := t[2*j] + t[2*j+1]
			s[j] = x
			z += x
		}
		return z
	}
	for j := range s {
		b := t[j*block : (j+1)*block]
		x := 0.0
		for _, y := range b {
			x += y
		}
		s[j] = x
		z += x
	}
	return z
}

// scaleBlocks multiplies block j of t by ns[j]/old[j] (0 when old[j] is 0).
func scaleBlocks(t, ns, old []float64, block int) {
	if block == 1 {
		t = t[:len(ns)]
		old = old[:len(ns)]
		for j, n := range ns {
			if o := old[j]; o != 0 {
				t[j] *= n / o
			} else {
				t[j] = 0
			}
		}
		return
	}
	for j := range ns {
		r := 0.0
		if old[j] != 0 {
			r = ns[j] / old[j]
		}
		b := t[j*block : (j+1)*block]
		if r == 1 {
			continue
		}
		for i := range b {
			b[i] *= r
		}
	}
}

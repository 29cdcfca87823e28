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
	return q
}

// likSlot returns the likelihood buffer of variable v.
func (q *Query) likSlot(v int) []float64 {
	off := 0
	for u := 0; u < v; u++ {
		off += q.jt.card[u]
	}
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

// Propagate computes the posterior marginal of every variable and the log
// probability of the evidence, by one collect and one distribute pass over
// the junction tree. It returns ErrZeroProbability when the evidence is
// impossible. It does not allocate.
func (q *Query) Propagate() error {
	jt := q.jt
	q.done = false
	copy(q.work, jt.init)
	// Enter evidence in each variable's home clique.
	for _, v := range q.observed {
		h := jt.home[v]
		mulStrided(q.work[h.off:h.off+h.size], q.lik[v], h.stride)
	}
	logZ := 0.0
	// Collect: children before parents.
	for _, c := range jt.post {
		cc := &jt.cl[c]
		t := q.work[cc.off : cc.off+cc.size]
		for k, kid := range cc.kids {
			kc := &jt.cl[kid]
			mulMapped(t, q.sep[kc.sepOff:kc.sepOff+kc.sepSize], cc.kidMaps[k])
		}
		if cc.parent < 0 {
			z := 0.0
			for _, x := range t {
				z += x
			}
			if !(z > 0) {
				return ErrZeroProbability
			}
			logZ += math.Log(z)
			continue
		}
		s := q.sep[cc.sepOff : cc.sepOff+cc.sepSize]
		z := sumBlocks(s, t, cc.block)
		if !(z > 0) {
			return ErrZeroProbability
		}
		inv := 1 / z
		for j := range s {
			s[j] *= inv
		}
		logZ += math.Log(z)
	}
	// Distribute: parents before children.
	for i := len(jt.post) - 1; i >= 0; i-- {
		c := jt.post[i]
		cc := &jt.cl[c]
		t := q.work[cc.off : cc.off+cc.size]
		if cc.parent >= 0 {
			old := q.sep[cc.sepOff : cc.sepOff+cc.sepSize]
			ns := q.newSep[cc.sepOff : cc.sepOff+cc.sepSize]
			scaleBlocks(t, ns, old, cc.block)
		}
		for k, kid := range cc.kids {
			kc := &jt.cl[kid]
			ns := q.newSep[kc.sepOff : kc.sepOff+kc.sepSize]
			clear(ns)
			addMapped(ns, t, cc.kidMaps[k])
		}
	}
	// Marginals.
	for v := range q.marg {
		m := q.marg[v]
		if s := q.hard[v]; s >= 0 {
			clear(m)
			m[s] = 1
			continue
		}
		h := jt.margSrc[v]
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
	q.logZ = logZ
	q.done = true
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
	return q.marg[v]
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

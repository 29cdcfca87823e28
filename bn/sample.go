package bn

import "math/rand/v2"

// Sample draws one joint state of a Bayesian network by forward sampling
// (every parent before its children). The state has positive probability.
// It panics if n is not a valid Bayesian network. To draw many samples,
// NewSampler avoids recomputing the order and allocating each time.
func (n *Network) Sample(rng *rand.Rand) []int {
	return n.NewSampler().Sample(rng, nil)
}

// A Sampler draws joint states of a Bayesian network by forward (ancestral)
// sampling: each variable from its table's column for the states already
// drawn for its parents. It is immutable and may be shared by goroutines,
// each with its own random source.
type Sampler struct {
	net   *Network
	order []int
}

// NewSampler returns a Sampler of n. It panics if n is not a Bayesian
// network; n must be valid (see Validate) and must not change afterwards.
func (n *Network) NewSampler() *Sampler {
	if !n.Directed {
		panic("bn: sampling needs a Bayesian network")
	}
	return &Sampler{net: n, order: n.TopologicalOrder()}
}

// Sample draws one joint state into dst (resized to the number of
// variables; nil allocates) and returns it: dst[v] is the state of variable
// v. The state has positive probability. With the same random source in the
// same state, it draws the same sample.
func (s *Sampler) Sample(rng *rand.Rand, dst []int) []int {
	n := s.net
	if cap(dst) < len(n.Variables) {
		dst = make([]int, len(n.Variables))
	}
	x := dst[:len(n.Variables)]
	for _, v := range s.order {
		f := n.Factors[v]
		idx := 0
		for _, p := range f.Vars[:len(f.Vars)-1] {
			idx = idx*n.Card(p) + x[p]
		}
		c := n.Card(v)
		col := f.Table[idx*c : (idx+1)*c]
		u := rng.Float64()
		x[v] = -1
		last := -1
		for st, p := range col {
			if p > 0 {
				last = st
			}
			if u < p && x[v] < 0 {
				x[v] = st
			}
			u -= p
		}
		if x[v] < 0 { // u fell in the rounding gap at the end of the column
			x[v] = last
		}
	}
	return x
}

// SampleEvidence draws an evidence case the way the reference marginals in
// tendo's test data were drawn: a forward sample of the whole network, of
// which k distinct variables chosen at random are kept as hard evidence.
// The result maps variable index to state and has positive probability.
func (n *Network) SampleEvidence(rng *rand.Rand, k int) map[int]int {
	x := n.Sample(rng)
	k = min(k, len(x))
	ev := make(map[int]int, k)
	for _, v := range rng.Perm(len(x))[:k] {
		ev[v] = x[v]
	}
	return ev
}

package bn

import "math/rand/v2"

// Sample draws one joint state of a Bayesian network by forward sampling
// (every parent before its children). The state has positive probability.
// It panics if n is not a valid Bayesian network.
func (n *Network) Sample(rng *rand.Rand) []int {
	if !n.Directed {
		panic("bn: Sample needs a Bayesian network")
	}
	x := make([]int, len(n.Variables))
	for _, v := range n.TopologicalOrder() {
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
		for s, p := range col {
			if p > 0 {
				last = s
			}
			if u < p && x[v] < 0 {
				x[v] = s
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

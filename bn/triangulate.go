package bn

import (
	"math"
	"math/bits"
	"math/rand/v2"
)

// Heuristic names a greedy elimination-order heuristic used to triangulate
// the moral graph.
type Heuristic int

const (
	// MinFill eliminates the variable whose elimination adds the fewest
	// fill-in edges, breaking ties by the smaller clique weight.
	MinFill Heuristic = iota
	// MinWeight eliminates the variable whose clique (the variable and its
	// neighbours) has the fewest joint states.
	MinWeight
	// WeightedMinFill counts each fill-in edge by the product of the
	// cardinalities of its ends.
	WeightedMinFill
)

func (h Heuristic) String() string {
	switch h {
	case MinFill:
		return "min-fill"
	case MinWeight:
		return "min-weight"
	case WeightedMinFill:
		return "weighted-min-fill"
	}
	return "unknown"
}

// bitset is a fixed-size set of small integers.
type bitset []uint64

func newBitset(n int) bitset    { return make(bitset, (n+63)/64) }
func (b bitset) has(i int) bool { return b[i>>6]&(1<<(uint(i)&63)) != 0 }
func (b bitset) set(i int)      { b[i>>6] |= 1 << (uint(i) & 63) }
func (b bitset) clear(i int)    { b[i>>6] &^= 1 << (uint(i) & 63) }
func (b bitset) appendTo(dst []int) []int {
	for w, x := range b {
		for x != 0 {
			t := bits.TrailingZeros64(x)
			dst = append(dst, w*64+t)
			x &= x - 1
		}
	}
	return dst
}

// elimination is the result of eliminating every variable of a graph in
// some order: the cliques formed (variable plus its neighbours at the time)
// and their weights.
type elimination struct {
	order   []int   // variables in elimination order
	cliques [][]int // cliques[i] is formed by eliminating order[i]; cliques[i][0] == order[i]
}

// interactionGraph returns the adjacency sets of the graph in which two
// variables are joined when they share a factor (for a Bayesian network: the
// moral graph).
func interactionGraph(nvars int, factors []Factor) []bitset {
	adj := make([]bitset, nvars)
	for i := range adj {
		adj[i] = newBitset(nvars)
	}
	for _, f := range factors {
		for _, a := range f.Vars {
			for _, b := range f.Vars {
				if a != b {
					adj[a].set(b)
				}
			}
		}
	}
	return adj
}

// eliminate runs the greedy heuristic h on the graph (adjacency sets are
// copied, not modified). logCard[v] is log of v's cardinality. rng, when
// non-nil, breaks ties at random; otherwise ties go to the lowest index.
func eliminate(adj0 []bitset, logCard []float64, card []int, h Heuristic, rng *rand.Rand) elimination {
	n := len(adj0)
	adj := make([]bitset, n)
	for i := range adj0 {
		adj[i] = append(bitset(nil), adj0[i]...)
	}
	alive := make([]bool, n)
	for i := range alive {
		alive[i] = true
	}
	score1 := make([]float64, n) // primary score
	score2 := make([]float64, n) // tie-break score
	dirty := make([]bool, n)
	nb := make([]int, 0, 64)
	compute := func(v int) {
		nb = adj[v].appendTo(nb[:0])
		w := logCard[v]
		for _, u := range nb {
			w += logCard[u]
		}
		switch h {
		case MinWeight:
			score1[v], score2[v] = w, float64(len(nb))
		default:
			fill := 0.0
			for i, a := range nb {
				for _, b := range nb[i+1:] {
					if !adj[a].has(b) {
						if h == WeightedMinFill {
							fill += float64(card[a] * card[b])
						} else {
							fill++
						}
					}
				}
			}
			score1[v], score2[v] = fill, w
		}
	}
	for v := 0; v < n; v++ {
		compute(v)
	}
	el := elimination{order: make([]int, 0, n), cliques: make([][]int, 0, n)}
	ties := make([]int, 0, 16)
	for step := 0; step < n; step++ {
		best := -1
		ties = ties[:0]
		for v := 0; v < n; v++ {
			if !alive[v] {
				continue
			}
			if dirty[v] {
				compute(v)
				dirty[v] = false
			}
			switch {
			case best < 0 || score1[v] < score1[best] || (score1[v] == score1[best] && score2[v] < score2[best]):
				best = v
				ties = append(ties[:0], v)
			case score1[v] == score1[best] && score2[v] == score2[best]:
				ties = append(ties, v)
			}
		}
		if rng != nil && len(ties) > 1 {
			best = ties[rng.IntN(len(ties))]
		}
		v := best
		nbv := adj[v].appendTo(nil)
		clique := make([]int, 0, len(nbv)+1)
		clique = append(clique, v)
		clique = append(clique, nbv...)
		el.order = append(el.order, v)
		el.cliques = append(el.cliques, clique)
		// Connect the neighbours pairwise, then remove v.
		for _, a := range nbv {
			for _, b := range nbv {
				if a != b {
					adj[a].set(b)
				}
			}
			adj[a].clear(v)
		}
		alive[v] = false
		for _, a := range nbv {
			dirty[a] = true
			if h != MinWeight {
				for w, x := range adj[a] {
					for x != 0 {
						t := bits.TrailingZeros64(x)
						dirty[w*64+t] = true
						x &= x - 1
					}
				}
			}
		}
	}
	return el
}

// cliqueTree turns an elimination into a tree of maximal cliques.
// It returns the cliques and, for each, its neighbours in the tree. Cliques
// from different connected components are joined by edges with an empty
// separator so the result is a single tree.
//
// The elimination cliques form a tree when each clique is joined to the
// clique of its earliest-eliminated other variable (running intersection
// holds). An elimination clique C_i that is not maximal is contained in a
// child C_c with C_c = C_i ∪ {order[c]}, so it is merged into that child;
// merging contracts connected groups of a tree, which leaves a tree.
func cliqueTree(el elimination, nvars int) (cliques [][]int, edges [][]int) {
	n := len(el.order)
	pos := make([]int, nvars)
	for i, v := range el.order {
		pos[v] = i
	}
	parent := make([]int, n)
	children := make([][]int, n)
	for i, c := range el.cliques {
		parent[i] = -1
		best := n
		for _, v := range c[1:] {
			if pos[v] < best {
				best = pos[v]
			}
		}
		if best < n {
			parent[i] = best
			children[best] = append(children[best], i)
		}
	}
	// rep[i] is the clique that stands for elimination clique i. Children
	// come before parents in elimination order, so rep[c] is final when i is
	// visited.
	rep := make([]int, n)
	for i := 0; i < n; i++ {
		rep[i] = i
		for _, c := range children[i] {
			if len(el.cliques[c]) == len(el.cliques[i])+1 {
				rep[i] = rep[c]
				break
			}
		}
	}
	index := make([]int, n)
	for i := 0; i < n; i++ {
		index[i] = -1
		if rep[i] == i {
			index[i] = len(cliques)
			cliques = append(cliques, el.cliques[i])
		}
	}
	edges = make([][]int, len(cliques))
	var roots []int
	for i := 0; i < n; i++ {
		a := index[rep[i]]
		if parent[i] < 0 {
			roots = append(roots, a)
			continue
		}
		b := index[rep[parent[i]]]
		if a != b && !contains(edges[a], b) {
			edges[a] = append(edges[a], b)
			edges[b] = append(edges[b], a)
		}
	}
	for k := 1; k < len(roots); k++ {
		a, b := roots[0], roots[k]
		if a != b && !contains(edges[a], b) {
			edges[a] = append(edges[a], b)
			edges[b] = append(edges[b], a)
		}
	}
	return cliques, edges
}

func contains(s []int, x int) bool {
	for _, y := range s {
		if y == x {
			return true
		}
	}
	return false
}

// cliquesCost returns the total number of table entries of the cliques, as a
// float64 so huge triangulations do not overflow.
func cliquesCost(cliques [][]int, card []int) float64 {
	total := 0.0
	for _, c := range cliques {
		s := 1.0
		for _, v := range c {
			s *= float64(card[v])
		}
		total += s
	}
	return total
}

// bestTriangulation tries the three heuristics, then randomised
// tie-breaking, and returns the clique tree with the smallest total table
// size. trials < 0 means a number of random trials chosen from the network's
// size and the cost found so far: cheap networks get enough tries for the
// fastest tree, expensive ones (where a better tree saves memory and
// seconds) up to 400.
func bestTriangulation(adj []bitset, card []int, trials int, seed uint64) (cliques [][]int, edges [][]int, cost float64) {
	logCard := make([]float64, len(card))
	for i, c := range card {
		logCard[i] = math.Log(float64(c))
	}
	cost = math.Inf(1)
	try := func(h Heuristic, rng *rand.Rand) {
		el := eliminate(adj, logCard, card, h, rng)
		cl, ed := cliqueTree(el, len(card))
		if c := cliquesCost(cl, card); c < cost {
			cliques, edges, cost = cl, ed, c
		}
	}
	for _, h := range []Heuristic{MinFill, WeightedMinFill, MinWeight} {
		try(h, nil)
	}
	if trials < 0 {
		n := len(card)
		switch {
		case n <= 100:
			trials = 60
		case n <= 300:
			trials = 24
		default:
			trials = 8
		}
		trials = min(max(trials, int(cost/1e5)), 400)
	}
	rng := rand.New(rand.NewPCG(seed, 0x7e4d0))
	for t := 0; t < trials; t++ {
		try(Heuristic(t%3), rng)
	}
	return cliques, edges, cost
}

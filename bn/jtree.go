package bn

import (
	"errors"
	"fmt"
	"sort"
)

// CompileOptions tunes Compile. The zero value is a good default.
type CompileOptions struct {
	// MaxEntries bounds the total number of clique-table entries (8 bytes
	// each, plus index maps). Compile returns an error rather than exceed it.
	// Zero means DefaultMaxEntries.
	MaxEntries int64
	// Trials is the number of extra randomised triangulation attempts made
	// after the three deterministic heuristics. Zero means a number chosen
	// from the network's size and cost (up to 400); negative means none.
	Trials int
	// Seed seeds the randomised tie-breaking (the result is deterministic
	// for a given seed).
	Seed uint64
	// RootVars, when set, roots the tree at a clique holding as many of
	// these variables as possible (the most central such clique), so that
	// queries wanting just them (see Query.Want) read them from the root
	// and skip most of the distribute pass. By default the tree is rooted
	// at its centre.
	RootVars []int
}

// DefaultMaxEntries is the default bound on the total clique-table size:
// 2^27 entries, about 1 GiB of float64 potentials plus index maps.
const DefaultMaxEntries = 1 << 27

// ErrTooLarge is returned (wrapped) by Compile when the junction tree would
// exceed CompileOptions.MaxEntries.
var ErrTooLarge = errors.New("bn: junction tree too large")

// JunctionTree is a network compiled for exact inference. It is immutable
// and safe for concurrent use; each goroutine queries it through its own
// Query (see NewQuery).
type JunctionTree struct {
	net   *Network
	card  []int
	cl    []clique
	post  []int // cliques in post-order: children before parents; root last
	root  int
	total int // entries in all clique tables
	nsep  int // entries in all separator tables

	init []float64 // compiled clique potentials, concatenated (offsets in clique.off)

	tables  [][]float64 // per factor: the table multiplied into init (net.Factors[f].Table unless WithTables)
	facHome []int       // per factor: the clique it was multiplied into
	facMap  [][]int32   // per factor: entry of the factor that each entry of its home clique projects to
	facOff  []int       // per factor: its offset in a concatenation of every factor's table

	home     []varHome   // per variable: where its evidence enters
	cands    [][]varHome // per variable: the tables its marginal can be read from
	homeVars [][]int     // per clique: the variables whose evidence enters there
	postPos  []int       // per clique: its position in post
	depth    []int       // per clique: its distance from the root
	stateOff []int       // per variable: the offset of its states in per-state buffers
}

type clique struct {
	vars   []int // layout order: the parent separator's variables first
	size   int
	off    int // offset into the clique arrays
	parent int // -1 for the root
	// Parent separator: its variables are vars[:nsepv]; it has sepSize
	// entries (stored at sepOff in the separator arrays), and each separator
	// entry j covers the block [j*block, (j+1)*block) of this clique.
	nsepv   int
	sepSize int
	sepOff  int
	block   int
	kids    []int     // child cliques
	kidMaps [][]int32 // kidMaps[k][i]: entry of kids[k]'s separator that entry i of this clique projects to
}

// varHome locates a variable inside a table: the table at off (in the clique
// arrays when sep is false, in the separator arrays when true) has size
// entries and the variable has the given stride.
type varHome struct {
	cl     int // the clique (for a separator: the child clique of the edge)
	sep    bool
	off    int
	size   int
	stride int
}

// Compile builds the junction tree of net, which must be valid (see
// Validate; readers validate what they return). Compile triangulates the
// interaction (moral) graph with the best of min-fill, weighted min-fill and
// min-weight plus randomised tie-breaking, keeping the triangulation with the
// smallest total table size; joins the maximal cliques into a tree; and
// multiplies every factor into one clique.
func Compile(net *Network, opts CompileOptions) (*JunctionTree, error) {
	if opts.MaxEntries <= 0 {
		opts.MaxEntries = DefaultMaxEntries
	}
	n := len(net.Variables)
	if n == 0 {
		return nil, errors.New("bn: the network has no variables")
	}
	card := make([]int, n)
	for i := range card {
		card[i] = net.Card(i)
	}
	trials := opts.Trials
	switch {
	case trials == 0:
		trials = -1 // automatic
	case trials < 0:
		trials = 0
	}
	adj := interactionGraph(n, net.Factors)
	cliqueVars, edges, cost := bestTriangulation(adj, card, trials, opts.Seed)
	if cost > float64(opts.MaxEntries) {
		return nil, fmt.Errorf("%w: the best triangulation found needs %.3g table entries, limit %d", ErrTooLarge, cost, opts.MaxEntries)
	}
	jt := &JunctionTree{net: net, card: card}
	jt.build(cliqueVars, edges, opts.RootVars)
	if err := jt.fill(); err != nil {
		return nil, err
	}
	jt.locate()
	return jt, nil
}

// build roots the clique tree at its largest clique, inserts intermediate
// separator nodes where they save work (see group), lays out every clique
// with its parent separator first, and computes the child index maps.
func (jt *JunctionTree) build(cliqueVars [][]int, edges [][]int, rootVars []int) {
	size := func(vs []int) int {
		s := 1
		for _, v := range vs {
			s *= jt.card[v]
		}
		return s
	}
	root := treeCenter(edges)
	if len(rootVars) > 0 {
		ecc := eccentricities(edges)
		best := -1
		for c, vs := range cliqueVars {
			n := 0
			for _, v := range rootVars {
				if contains(vs, v) {
					n++
				}
			}
			if best < 0 || n > best || (n == best && ecc[c] < ecc[root]) {
				best, root = n, c
			}
		}
	}
	// Root the tree.
	kidsOf := make([][]int, len(cliqueVars))
	order := []int{root}
	seen := make([]bool, len(cliqueVars))
	seen[root] = true
	for h := 0; h < len(order); h++ {
		p := order[h]
		for _, c := range edges[p] {
			if !seen[c] {
				seen[c] = true
				kidsOf[p] = append(kidsOf[p], c)
				order = append(order, c)
			}
		}
	}
	for _, p := range order {
		if len(kidsOf[p]) > 1 {
			cliqueVars, kidsOf = jt.group(p, cliqueVars, kidsOf)
		}
	}
	k := len(cliqueVars)
	jt.root = root
	jt.cl = make([]clique, k)
	// Breadth-first from the root: parents are laid out before children.
	bfs := []int{root}
	jt.cl[root].parent = -1
	rootLayout := append([]int(nil), cliqueVars[root]...)
	sort.Ints(rootLayout)
	jt.cl[root].vars = rootLayout
	for h := 0; h < len(bfs); h++ {
		p := bfs[h]
		inParent := make(map[int]bool, len(jt.cl[p].vars))
		for _, v := range jt.cl[p].vars {
			inParent[v] = true
		}
		for _, c := range kidsOf[p] {
			bfs = append(bfs, c)
			cc := &jt.cl[c]
			cc.parent = p
			jt.cl[p].kids = append(jt.cl[p].kids, c)
			inChild := make(map[int]bool, len(cliqueVars[c]))
			for _, v := range cliqueVars[c] {
				inChild[v] = true
			}
			// Separator variables in the parent's layout order, then the rest.
			for _, v := range jt.cl[p].vars {
				if inChild[v] {
					cc.vars = append(cc.vars, v)
				}
			}
			cc.nsepv = len(cc.vars)
			rest := make([]int, 0, len(cliqueVars[c]))
			for _, v := range cliqueVars[c] {
				if !inParent[v] {
					rest = append(rest, v)
				}
			}
			sort.Ints(rest)
			cc.vars = append(cc.vars, rest...)
		}
	}
	// Post-order: reverse BFS puts every child before its parent.
	jt.post = make([]int, k)
	for i, c := range bfs {
		jt.post[k-1-i] = c
	}
	off, soff := 0, 0
	for _, c := range bfs {
		cc := &jt.cl[c]
		cc.size = size(cc.vars)
		cc.off = off
		off += cc.size
		cc.sepSize = size(cc.vars[:cc.nsepv])
		if cc.parent < 0 {
			cc.sepSize = 0
		} else {
			cc.block = cc.size / cc.sepSize
			cc.sepOff = soff
			soff += cc.sepSize
		}
	}
	jt.total, jt.nsep = off, soff
	for c := range jt.cl {
		p := &jt.cl[c]
		p.kidMaps = make([][]int32, len(p.kids))
		for ki, kid := range p.kids {
			p.kidMaps[ki] = jt.projection(p.vars, jt.cl[kid].vars[:jt.cl[kid].nsepv])
		}
	}
}

// eccentricities returns, for every node of the tree, its greatest
// distance to another node.
func eccentricities(edges [][]int) []int {
	n := len(edges)
	ecc := make([]int, n)
	dist := make([]int, n)
	for s := range edges {
		for i := range dist {
			dist[i] = -1
		}
		dist[s] = 0
		queue := []int{s}
		for h := 0; h < len(queue); h++ {
			u := queue[h]
			for _, w := range edges[u] {
				if dist[w] < 0 {
					dist[w] = dist[u] + 1
					ecc[s] = max(ecc[s], dist[w])
					queue = append(queue, w)
				}
			}
		}
	}
	return ecc
}

// treeCenter returns a centre of the tree: a node of least eccentricity,
// found by peeling leaves. Rooting there keeps every clique's path to the
// root short, which is what incremental propagation (PropagateChanged) and
// restricted distribution (Want) pay for.
func treeCenter(edges [][]int) int {
	n := len(edges)
	if n <= 2 {
		return 0
	}
	deg := make([]int, n)
	var leaves []int
	for i, e := range edges {
		deg[i] = len(e)
		if deg[i] <= 1 {
			leaves = append(leaves, i)
		}
	}
	left := n
	for left > 2 {
		left -= len(leaves)
		var next []int
		for _, l := range leaves {
			for _, m := range edges[l] {
				deg[m]--
				if deg[m] == 1 {
					next = append(next, m)
				}
			}
		}
		leaves = next
	}
	return leaves[0]
}

// group reduces the work at clique p when it has several children. Each
// child talks to p through its separator, and every message costs a pass
// over p's whole table. When the separators of two children (or groups of
// children) together span a table much smaller than p's, they are moved
// under a new node over the union of their separators, itself a child of p:
// the messages then cost passes over the small node, and p sees one child
// instead of two (Shenoy's binary join trees). Children with identical
// separators, common around a hub variable, collapse into one node. The new
// nodes are subsets of p, so the running-intersection property holds.
func (jt *JunctionTree) group(p int, cliqueVars [][]int, kidsOf [][]int) ([][]int, [][]int) {
	size := func(vs []int) float64 {
		s := 1.0
		for _, v := range vs {
			s *= float64(jt.card[v])
		}
		return s
	}
	inP := make(map[int]bool, len(cliqueVars[p]))
	for _, v := range cliqueVars[p] {
		inP[v] = true
	}
	type node struct {
		id   int   // clique index of the child or intermediate node
		vars []int // its separator with p (sorted)
		made bool  // an intermediate node created here
	}
	var nodes []node
	for _, c := range kidsOf[p] {
		var sv []int
		for _, v := range cliqueVars[c] {
			if inP[v] {
				sv = append(sv, v)
			}
		}
		sort.Ints(sv)
		nodes = append(nodes, node{id: c, vars: sv})
	}
	union := func(a, b []int) []int {
		out := make([]int, 0, len(a)+len(b))
		i, j := 0, 0
		for i < len(a) || j < len(b) {
			switch {
			case j == len(b) || (i < len(a) && a[i] < b[j]):
				out = append(out, a[i])
				i++
			case i == len(a) || b[j] < a[i]:
				out = append(out, b[j])
				j++
			default:
				out = append(out, a[i])
				i++
				j++
			}
		}
		return out
	}
	limit := size(cliqueVars[p]) / 3
	for len(nodes) > 1 {
		bi, bj, best := -1, -1, limit
		var bestU []int
		for i := range nodes {
			for j := i + 1; j < len(nodes); j++ {
				u := union(nodes[i].vars, nodes[j].vars)
				if s := size(u); s < best || (s == best && bi < 0 && s < limit) {
					bi, bj, best, bestU = i, j, s, u
				}
			}
		}
		if bi < 0 {
			break
		}
		a, b := nodes[bi], nodes[bj]
		var merged node
		switch {
		case a.made && len(a.vars) == len(bestU):
			kidsOf[a.id] = append(kidsOf[a.id], b.id)
			merged = a
		case b.made && len(b.vars) == len(bestU):
			kidsOf[b.id] = append(kidsOf[b.id], a.id)
			merged = b
		default:
			id := len(cliqueVars)
			cliqueVars = append(cliqueVars, bestU)
			kidsOf = append(kidsOf, []int{a.id, b.id})
			merged = node{id: id, vars: bestU, made: true}
		}
		nodes[bi] = merged
		nodes = append(nodes[:bj], nodes[bj+1:]...)
	}
	kidsOf[p] = kidsOf[p][:0]
	for _, n := range nodes {
		kidsOf[p] = append(kidsOf[p], n.id)
	}
	return cliqueVars, kidsOf
}

// projection maps every entry of a table over vars to the entry of a table
// over sub (a subset of vars, in its own order) that it projects to.
func (jt *JunctionTree) projection(vars, sub []int) []int32 {
	size := 1
	for _, v := range vars {
		size *= jt.card[v]
	}
	subStride := make(map[int]int, len(sub))
	s := 1
	for i := len(sub) - 1; i >= 0; i-- {
		subStride[sub[i]] = s
		s *= jt.card[sub[i]]
	}
	strides := make([]int, len(vars))
	cards := make([]int, len(vars))
	for i, v := range vars {
		strides[i] = subStride[v] // 0 when v is not in sub
		cards[i] = jt.card[v]
	}
	m := make([]int32, size)
	digits := make([]int, len(vars))
	idx := 0
	for i := 0; i < size; i++ {
		m[i] = int32(idx)
		// Increment the mixed-radix counter (last variable fastest).
		for d := len(vars) - 1; d >= 0; d-- {
			digits[d]++
			idx += strides[d]
			if digits[d] < cards[d] {
				break
			}
			idx -= strides[d] * cards[d]
			digits[d] = 0
		}
	}
	return m
}

// fill multiplies every factor into the smallest clique that contains its
// variables.
func (jt *JunctionTree) fill() error {
	nf := len(jt.net.Factors)
	jt.tables = make([][]float64, nf)
	jt.facHome = make([]int, nf)
	jt.facMap = make([][]int32, nf)
	jt.facOff = make([]int, nf+1)
	for fi, f := range jt.net.Factors {
		best := -1
		for c := range jt.cl {
			if (best < 0 || jt.cl[c].size < jt.cl[best].size) && containsAll(jt.cl[c].vars, f.Vars) {
				best = c
			}
		}
		if best < 0 {
			return fmt.Errorf("bn: internal error: no clique holds factor %d", fi)
		}
		jt.facHome[fi] = best
		jt.facMap[fi] = jt.projection(jt.cl[best].vars, f.Vars)
		jt.tables[fi] = f.Table
		jt.facOff[fi+1] = jt.facOff[fi] + len(f.Table)
	}
	jt.init = make([]float64, jt.total)
	jt.multiplyTables()
	return nil
}

// multiplyTables sets init to the product of the factor tables.
func (jt *JunctionTree) multiplyTables() {
	for i := range jt.init {
		jt.init[i] = 1
	}
	for fi, table := range jt.tables {
		cc := &jt.cl[jt.facHome[fi]]
		m := jt.facMap[fi]
		t := jt.init[cc.off : cc.off+cc.size]
		for i := range t {
			t[i] *= table[m[i]]
		}
	}
}

func containsAll(set, sub []int) bool {
	for _, v := range sub {
		if !contains(set, v) {
			return false
		}
	}
	return true
}

// locate chooses, for every variable, the clique where its evidence enters
// (the smallest clique holding it, ties to the one nearest the root) and
// lists the tables its marginal can be read from (every clique and
// separator holding it); Query.Want picks among those.
func (jt *JunctionTree) locate() {
	n := len(jt.card)
	jt.home = make([]varHome, n)
	jt.cands = make([][]varHome, n)
	stride := func(vars []int, v int) int {
		s := 1
		for i := len(vars) - 1; i >= 0; i-- {
			if vars[i] == v {
				return s
			}
			s *= jt.card[vars[i]]
		}
		return -1
	}
	jt.depth = make([]int, len(jt.cl))
	for i := len(jt.post) - 1; i >= 0; i-- { // parents first
		c := jt.post[i]
		if p := jt.cl[c].parent; p >= 0 {
			jt.depth[c] = jt.depth[p] + 1
		}
	}
	for v := range jt.home {
		jt.home[v].size = -1
	}
	for c := range jt.cl {
		cc := &jt.cl[c]
		for _, v := range cc.vars {
			h := varHome{cl: c, off: cc.off, size: cc.size, stride: stride(cc.vars, v)}
			cur := jt.home[v]
			if cur.size < 0 || h.size < cur.size || (h.size == cur.size && jt.depth[c] < jt.depth[cur.cl]) {
				jt.home[v] = h
			}
			jt.cands[v] = append(jt.cands[v], h)
		}
		if cc.parent >= 0 {
			sv := cc.vars[:cc.nsepv]
			for _, v := range sv {
				jt.cands[v] = append(jt.cands[v], varHome{cl: c, sep: true, off: cc.sepOff, size: cc.sepSize, stride: stride(sv, v)})
			}
		}
	}
	jt.homeVars = make([][]int, len(jt.cl))
	for v := range jt.home {
		c := jt.home[v].cl
		jt.homeVars[c] = append(jt.homeVars[c], v)
	}
	jt.postPos = make([]int, len(jt.cl))
	for i, c := range jt.post {
		jt.postPos[c] = i
	}
	jt.stateOff = make([]int, n)
	off := 0
	for v, c := range jt.card {
		jt.stateOff[v] = off
		off += c
	}
}

// Network returns the network the tree was compiled from.
func (jt *JunctionTree) Network() *Network { return jt.net }

// TreeStats describes a compiled junction tree.
type TreeStats struct {
	Cliques      int   // number of cliques
	MaxClique    int   // variables in the largest clique
	MaxTable     int   // entries in the largest clique table
	TableEntries int   // entries in all clique tables
	SepEntries   int   // entries in all separator tables
	MapEntries   int   // entries in all index maps (int32)
	Bytes        int64 // memory of the compiled tree (potentials and maps)
	QueryBytes   int64 // memory of one Query's work buffers
}

// Stats returns the size of the compiled tree.
func (jt *JunctionTree) Stats() TreeStats {
	s := TreeStats{Cliques: len(jt.cl), TableEntries: jt.total, SepEntries: jt.nsep}
	for _, c := range jt.cl {
		if len(c.vars) > s.MaxClique {
			s.MaxClique = len(c.vars)
		}
		if c.size > s.MaxTable {
			s.MaxTable = c.size
		}
		for _, m := range c.kidMaps {
			s.MapEntries += len(m)
		}
	}
	s.Bytes = int64(jt.total)*8 + int64(s.MapEntries)*4
	nstates := 0
	for _, c := range jt.card {
		nstates += c
	}
	s.QueryBytes = int64(jt.total)*8 + int64(jt.nsep)*16 + int64(nstates)*16
	return s
}

package bn_test

import (
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/tendo-health/tendo/bn"
	"github.com/tendo-health/tendo/bn/bif"
)

// sampleNet has a root, a three-state child, a v-structure and a
// deterministic column, so the sampler must follow parents, columns of
// more than two states, zeros and explaining away.
const sampleNet = `network s {}
variable a { type discrete [ 2 ] { no, yes }; }
variable b { type discrete [ 3 ] { low, mid, high }; }
variable c { type discrete [ 2 ] { no, yes }; }
variable d { type discrete [ 2 ] { no, yes }; }
probability ( a ) { table 0.7, 0.3; }
probability ( b | a ) { (no) 0.6, 0.3, 0.1; (yes) 0.1, 0.2, 0.7; }
probability ( c ) { table 0.8, 0.2; }
probability ( d | b, c ) { (low, no) 1, 0; (mid, no) 0.7, 0.3; (high, no) 0.2, 0.8; (low, yes) 0.5, 0.5; (mid, yes) 0.1, 0.9; (high, yes) 0, 1; }`

// TestSamplerFrequencies draws forward samples and compares the frequency
// of every state, and of every pair of states of a and c given d = yes
// (explaining away), with the exact answers of the junction tree: each
// must lie within five binomial standard errors.
func TestSamplerFrequencies(t *testing.T) {
	t.Parallel()
	net, err := bif.Read(strings.NewReader(sampleNet))
	if err != nil {
		t.Fatal(err)
	}
	jt, err := bn.Compile(net, bn.CompileOptions{})
	if err != nil {
		t.Fatal(err)
	}
	q := jt.NewQuery()
	if err := q.Propagate(); err != nil {
		t.Fatal(err)
	}
	const n = 200_000
	rng := rand.New(rand.NewPCG(1, 2))
	s := net.NewSampler()
	counts := make([][]int, len(net.Variables))
	for v := range counts {
		counts[v] = make([]int, net.Card(v))
	}
	a, c, d := net.Index("a"), net.Index("c"), net.Index("d")
	var joint [2][2]int // a, c among samples with d = yes
	dYes := 0
	var x []int
	for range n {
		x = s.Sample(rng, x)
		for v, st := range x {
			counts[v][st]++
		}
		if x[d] == 1 {
			dYes++
			joint[x[a]][x[c]]++
		}
	}
	within := func(what string, got, m int, p float64) {
		t.Helper()
		f := float64(got) / float64(m)
		if tol := 5*math.Sqrt(p*(1-p)/float64(m)) + 1e-12; math.Abs(f-p) > tol {
			t.Errorf("%s: frequency %.5f, exact %.5f (tolerance %.5f)", what, f, p, tol)
		}
	}
	for v := range counts {
		for st, k := range counts[v] {
			within(net.Variables[v].Name+"="+net.Variables[v].States[st], k, n, q.Marginal(v)[st])
		}
	}
	if counts[d][0] == 0 || counts[d][1] == 0 {
		t.Fatal("d never took one of its states")
	}
	// Pairs given d = yes, from the exact joint.
	if err := q.Observe(d, 1); err != nil {
		t.Fatal(err)
	}
	if err := q.Propagate(); err != nil {
		t.Fatal(err)
	}
	// P(a, c | d) = P(a | d) · P(c | a, d).
	pa := append([]float64(nil), q.Marginal(a)...)
	pj := make([]float64, 4)
	for i := range 2 {
		if err := q.Observe(a, i); err != nil {
			t.Fatal(err)
		}
		if err := q.Propagate(); err != nil {
			t.Fatal(err)
		}
		for j := range 2 {
			pj[i*2+j] = pa[i] * q.Marginal(c)[j]
		}
	}
	for i := range 2 {
		for j := range 2 {
			within("a, c | d=yes", joint[i][j], dYes, pj[i*2+j])
		}
	}
}

// TestSamplerDeterministic checks that a seed gives the same samples, from
// Network.Sample and from a Sampler reusing its buffer.
func TestSamplerDeterministic(t *testing.T) {
	t.Parallel()
	net, err := bif.Read(strings.NewReader(sampleNet))
	if err != nil {
		t.Fatal(err)
	}
	r1, r2 := rand.New(rand.NewPCG(7, 8)), rand.New(rand.NewPCG(7, 8))
	s := net.NewSampler()
	buf := make([]int, 0, 16)
	for i := range 1000 {
		want := net.Sample(r1)
		got := s.Sample(r2, buf)
		if !slices.Equal(got, want) {
			t.Fatalf("sample %d: %v, want %v", i, got, want)
		}
		if &got[0] != &buf[:1][0] {
			t.Fatal("Sample did not reuse dst")
		}
	}
}

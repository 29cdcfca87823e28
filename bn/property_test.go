package bn_test

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/tendo-health/tendo/bn"
)

// randomNetwork returns a random valid network with n variables. Bayesian
// networks get up to three parents per variable; Markov networks get random
// potentials over random scopes. Some table entries are exactly zero, so
// deterministic relations are exercised.
func randomNetwork(rng *rand.Rand, n int, directed bool) *bn.Network {
	net := &bn.Network{Name: "random", Directed: directed}
	for i := 0; i < n; i++ {
		c := 2 + rng.IntN(3)
		v := bn.Variable{Name: fmt.Sprintf("X%d", i)}
		for s := 0; s < c; s++ {
			v.States = append(v.States, fmt.Sprintf("s%d", s))
		}
		net.Variables = append(net.Variables, v)
	}
	randTable := func(size, col int) []float64 {
		t := make([]float64, size)
		for off := 0; off < size; off += col {
			s := 0.0
			for i := off; i < off+col; i++ {
				if rng.IntN(6) == 0 {
					t[i] = 0
				} else {
					t[i] = rng.Float64() + 0.01
				}
				s += t[i]
			}
			if s == 0 {
				t[off] = 1
				s = 1
			}
			if directed {
				for i := off; i < off+col; i++ {
					t[i] /= s
				}
			}
		}
		return t
	}
	if directed {
		for i := 0; i < n; i++ {
			var vars []int
			for _, p := range rng.Perm(i) {
				if len(vars) == 3 {
					break
				}
				if rng.IntN(2) == 0 {
					vars = append(vars, p)
				}
			}
			vars = append(vars, i)
			size := 1
			for _, v := range vars {
				size *= net.Card(v)
			}
			net.Factors = append(net.Factors, bn.Factor{Vars: vars, Table: randTable(size, net.Card(i))})
		}
		return net
	}
	nf := n + rng.IntN(n)
	for f := 0; f < nf; f++ {
		k := 1 + rng.IntN(min(3, n))
		vars := rng.Perm(n)[:k]
		size := 1
		for _, v := range vars {
			size *= net.Card(v)
		}
		net.Factors = append(net.Factors, bn.Factor{Vars: vars, Table: randTable(size, size)})
	}
	return net
}

// bruteForce enumerates every joint state and returns the posterior
// marginals and log P(evidence) given likelihood vectors (nil = none).
func bruteForce(net *bn.Network, lik [][]float64) ([][]float64, float64) {
	n := len(net.Variables)
	marg := make([][]float64, n)
	for v := range marg {
		marg[v] = make([]float64, net.Card(v))
	}
	x := make([]int, n)
	total := 0.0
	for {
		p := 1.0
		for _, f := range net.Factors {
			idx := 0
			for _, v := range f.Vars {
				idx = idx*net.Card(v) + x[v]
			}
			p *= f.Table[idx]
		}
		for v, l := range lik {
			if l != nil {
				p *= l[x[v]]
			}
		}
		total += p
		for v := range x {
			marg[v][x[v]] += p
		}
		d := n - 1
		for d >= 0 {
			x[d]++
			if x[d] < net.Card(d) {
				break
			}
			x[d] = 0
			d--
		}
		if d < 0 {
			break
		}
	}
	for v := range marg {
		for s := range marg[v] {
			marg[v][s] /= total
		}
	}
	return marg, math.Log(total)
}

// TestBruteForce compares marginals and log P(evidence) with enumeration on
// random networks of up to 10 variables, with hard and soft evidence.
func TestBruteForce(t *testing.T) {
	t.Parallel()
	const tol = 1e-12
	for _, directed := range []bool{true, false} {
		rng := rand.New(rand.NewPCG(1, 2))
		for trial := 0; trial < 300; trial++ {
			n := 1 + rng.IntN(10)
			net := randomNetwork(rng, n, directed)
			if err := net.Validate(); err != nil {
				t.Fatalf("trial %d: random network invalid: %v", trial, err)
			}
			jt, err := bn.Compile(net, bn.CompileOptions{})
			if err != nil {
				t.Fatalf("trial %d: %v", trial, err)
			}
			q := jt.NewQuery()
			for round := 0; round < 4; round++ {
				q.Clear()
				lik := make([][]float64, n)
				var x []int
				if directed {
					x = net.Sample(rng)
				}
				for v := 0; v < n; v++ {
					switch rng.IntN(5) {
					case 0: // hard evidence
						s := rng.IntN(net.Card(v))
						if directed {
							s = x[v]
						}
						lik[v] = make([]float64, net.Card(v))
						lik[v][s] = 1
						if err := q.Observe(v, s); err != nil {
							t.Fatal(err)
						}
					case 1: // soft evidence
						l := make([]float64, net.Card(v))
						for i := range l {
							l[i] = rng.Float64() + 0.05
						}
						lik[v] = l
						if err := q.SetLikelihood(v, l); err != nil {
							t.Fatal(err)
						}
					}
				}
				wantMarg, wantLogZ := bruteForce(net, lik)
				err := q.Propagate()
				if math.IsInf(wantLogZ, -1) {
					if !errors.Is(err, bn.ErrZeroProbability) {
						t.Fatalf("trial %d round %d: impossible evidence gave %v, want ErrZeroProbability", trial, round, err)
					}
					continue
				}
				if err != nil {
					t.Fatalf("trial %d round %d: %v", trial, round, err)
				}
				if got := q.LogPEvidence(); math.Abs(math.Exp(got)-math.Exp(wantLogZ)) > tol*math.Max(1, math.Exp(wantLogZ)) {
					t.Fatalf("trial %d round %d (directed=%v): P(e)=%.17g, brute force %.17g", trial, round, directed, math.Exp(got), math.Exp(wantLogZ))
				}
				for v := 0; v < n; v++ {
					got := q.Marginal(v)
					for s := range got {
						if math.Abs(got[s]-wantMarg[v][s]) > tol {
							t.Fatalf("trial %d round %d (directed=%v): P(%s=%d|e)=%.17g, brute force %.17g", trial, round, directed, net.Variables[v].Name, s, got[s], wantMarg[v][s])
						}
					}
				}
			}
		}
	}
}

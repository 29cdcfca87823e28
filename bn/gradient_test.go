package bn_test

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/tendo-health/tendo/bn"
)

// posteriorGradient returns ∂ logit P(target ∈ S | e)/∂θ for every table
// entry θ > 0 (0 elsewhere), from the family marginals given S and given
// not S: [P(x,u | S, e) − P(x,u | ¬S, e)] / θ.
func posteriorGradient(t *testing.T, jt *bn.JunctionTree, setEvidence func(*bn.Query), target int, in []bool) (p float64, grad []float64) {
	t.Helper()
	n := len(jt.Network().Factors)
	fam := func(side bool) []float64 {
		q := jt.NewQuery()
		q.Use(jt.SelectFamilies([]int{target}))
		setEvidence(q)
		lik := make([]float64, len(in))
		prev := q.Likelihood(target)
		for x := range lik {
			if in[x] == side {
				lik[x] = 1
				if prev != nil {
					lik[x] = prev[x]
				}
			}
		}
		if err := q.SetLikelihood(target, lik); err != nil {
			t.Fatal(err)
		}
		if err := q.Propagate(); err != nil {
			t.Fatal(err)
		}
		out := make([]float64, jt.FamilyOffset(n))
		if err := q.FamilyMarginals(out); err != nil {
			t.Fatal(err)
		}
		return out
	}
	s, ns := fam(true), fam(false)
	grad = make([]float64, len(s))
	for f := range n {
		tab := jt.Table(f)
		off := jt.FamilyOffset(f)
		for i, th := range tab {
			if th > 0 {
				grad[off+i] = (s[off+i] - ns[off+i]) / th
			}
		}
	}
	return posterior(t, jt, setEvidence, target, in), grad
}

func posterior(t *testing.T, jt *bn.JunctionTree, setEvidence func(*bn.Query), target int, in []bool) float64 {
	q := jt.NewQuery()
	setEvidence(q)
	if err := q.Propagate(); err != nil {
		t.Fatal(err)
	}
	p := 0.0
	for x, m := range q.Marginal(target) {
		if in[x] {
			p += m
		}
	}
	return p
}

// TestPosteriorGradient checks the derivatives read from family marginals
// against central finite differences of the posterior's logit, with hard
// and soft evidence, on asia and child.
func TestPosteriorGradient(t *testing.T) {
	t.Parallel()
	for _, net := range []*bn.Network{asiaNetwork(t), loadBIF(t, "child")} {
		jt, err := bn.Compile(net, bn.CompileOptions{})
		if err != nil {
			t.Fatal(err)
		}
		rng := rand.New(rand.NewPCG(7, 8))
		for trial := range 4 {
			ev := net.SampleEvidence(rng, 1+len(net.Variables)/4)
			soft := rng.IntN(len(net.Variables))
			softLik := make([]float64, net.Card(soft))
			for i := range softLik {
				softLik[i] = 0.2 + rng.Float64()
			}
			setEvidence := func(q *bn.Query) {
				for v, s := range ev {
					if err := q.Observe(v, s); err != nil {
						t.Fatal(err)
					}
				}
				if _, hard := ev[soft]; !hard {
					if err := q.SetLikelihood(soft, softLik); err != nil {
						t.Fatal(err)
					}
				}
			}
			target := rng.IntN(len(net.Variables))
			for {
				if _, hard := ev[target]; !hard {
					break
				}
				target = (target + 1) % len(net.Variables)
			}
			in := make([]bool, net.Card(target))
			in[rng.IntN(len(in))] = true
			p, grad := posteriorGradient(t, jt, setEvidence, target, in)
			if p <= 1e-9 || p >= 1-1e-9 {
				continue
			}
			logit := func(x float64) float64 { return math.Log(x / (1 - x)) }
			checked := 0
			for f := range net.Factors {
				tab := jt.Table(f)
				for i, th := range tab {
					if th <= 0 || (len(tab) > 40 && rng.IntN(8) != 0) {
						continue
					}
					h := 1e-6 * math.Max(th, 1e-3)
					at := func(d float64) float64 {
						tables := make([][]float64, len(net.Factors))
						tables[f] = slices.Clone(tab)
						tables[f][i] += d
						jt2, err := jt.WithTables(tables)
						if err != nil {
							t.Fatal(err)
						}
						return logit(posterior(t, jt2, setEvidence, target, in))
					}
					fd := (at(h) - at(-h)) / (2 * h)
					g := grad[jt.FamilyOffset(f)+i]
					if math.Abs(fd-g) > 1e-5*math.Max(1, math.Abs(fd)) {
						t.Errorf("%s trial %d: d logit P(%s)/d entry %d of factor %d: analytic %g, finite difference %g", net.Name, trial, net.Variables[target].Name, i, f, g, fd)
					}
					checked++
				}
			}
			if checked == 0 {
				t.Errorf("%s trial %d: nothing checked", net.Name, trial)
			}
		}
	}
}

// TestWithTables: the same tables give the same tree; the family
// marginals are distributions that agree with the marginals.
func TestWithTables(t *testing.T) {
	t.Parallel()
	net := asiaNetwork(t)
	jt, err := bn.Compile(net, bn.CompileOptions{})
	if err != nil {
		t.Fatal(err)
	}
	jt2, err := jt.WithTables(make([][]float64, len(net.Factors)))
	if err != nil {
		t.Fatal(err)
	}
	q1, q2 := jt.NewQuery(), jt2.NewQuery()
	q2.Use(jt2.SelectFamilies(nil))
	for _, q := range []*bn.Query{q1, q2} {
		if err := q.Observe(7, 0); err != nil {
			t.Fatal(err)
		}
		if err := q.Propagate(); err != nil {
			t.Fatal(err)
		}
	}
	fam := make([]float64, jt2.FamilyOffset(len(net.Factors)))
	if err := q2.FamilyMarginals(fam); err != nil {
		t.Fatal(err)
	}
	for v := range net.Variables {
		f := fam[jt2.FamilyOffset(v):jt2.FamilyOffset(v+1)]
		card := net.Card(v)
		m := make([]float64, card)
		for i, x := range f {
			m[i%card] += x
		}
		for s := range m {
			if math.Abs(m[s]-q1.Marginal(v)[s]) > 1e-12 {
				t.Errorf("%s: family marginal gives %g, marginal %g", net.Variables[v].Name, m[s], q1.Marginal(v)[s])
			}
		}
	}
	if _, err := jt.WithTables(make([][]float64, 2)); err == nil {
		t.Error("WithTables took 2 tables for 8 factors")
	}
	q3 := jt.NewQuery()
	q3.Want([]int{0})
	if err := q3.Propagate(); err != nil {
		t.Fatal(err)
	}
	if err := q3.FamilyMarginals(fam); err == nil {
		t.Error("FamilyMarginals without SelectFamilies gave no error")
	}
}

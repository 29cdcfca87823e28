package bn_test

import (
	"errors"
	"math"
	"math/rand/v2"
	"sync"
	"testing"

	"github.com/tendo-health/tendo/bn"
)

// withState returns lik plus hard evidence v = s.
func withState(net *bn.Network, lik [][]float64, v, s int) [][]float64 {
	out := append([][]float64(nil), lik...)
	l := make([]float64, net.Card(v))
	l[s] = 1
	out[v] = l
	return out
}

// TestAnalysesBruteForce checks value of information, "what if" posteriors
// and finding contributions against enumeration on random networks.
func TestAnalysesBruteForce(t *testing.T) {
	t.Parallel()
	const tol = 1e-10
	rng := rand.New(rand.NewPCG(3, 4))
	for trial := 0; trial < 60; trial++ {
		n := 2 + rng.IntN(7)
		net := randomNetwork(rng, n, true)
		jt, err := bn.Compile(net, bn.CompileOptions{})
		if err != nil {
			t.Fatal(err)
		}
		q := jt.NewQuery()
		lik := make([][]float64, n)
		x := net.Sample(rng)
		target := rng.IntN(n)
		for v := 0; v < n; v++ {
			if v != target && rng.IntN(3) == 0 {
				_ = q.Observe(v, x[v])
				lik = withState(net, lik, v, x[v])
			}
		}
		if err := q.Propagate(); err != nil {
			t.Fatal(err)
		}
		prior, _ := bruteForce(net, lik)
		pt := prior[target]

		voi, err := q.ValueOfInformation(target, nil)
		if err != nil {
			t.Fatal(err)
		}
		whatIf, err := q.Sensitivity(target)
		if err != nil {
			t.Fatal(err)
		}
		wi := 0
		for _, r := range voi {
			// Brute force: I(T;X|e) = Σ_x P(x|e) Σ_t P(t|e,x) log2(P(t|e,x)/P(t|e)).
			mi, change := 0.0, 0.0
			for s := 0; s < net.Card(r.Var); s++ {
				px := prior[r.Var][s]
				if px == 0 {
					continue
				}
				post, _ := bruteForce(net, withState(net, lik, r.Var, s))
				tv := 0.0
				for tt, p := range post[target] {
					if p > 0 {
						mi += px * p * math.Log2(p/pt[tt])
					}
					tv += math.Abs(p - pt[tt])
				}
				change += px * tv / 2
			}
			if math.Abs(r.EntropyReduction-mi) > tol || math.Abs(r.ExpectedChange-change) > tol {
				t.Fatalf("trial %d: VOI of %d: got (%v, %v), brute force (%v, %v)", trial, r.Var, r.EntropyReduction, r.ExpectedChange, mi, change)
			}
		}
		for i := 1; i < len(voi); i++ {
			if voi[i].Score > voi[i-1].Score {
				t.Fatalf("trial %d: ranking not sorted: %v", trial, voi)
			}
		}
		for _, w := range whatIf {
			post, _ := bruteForce(net, withState(net, lik, w.Var, w.State))
			if math.Abs(w.P-prior[w.Var][w.State]) > tol {
				t.Fatalf("trial %d: what-if P(%d=%d) = %v, brute force %v", trial, w.Var, w.State, w.P, prior[w.Var][w.State])
			}
			if w.P == 0 {
				continue
			}
			for tt, p := range w.Posterior {
				if math.Abs(p-post[target][tt]) > tol {
					t.Fatalf("trial %d: what-if %d=%d: P(T=%d) = %v, brute force %v", trial, w.Var, w.State, tt, p, post[target][tt])
				}
			}
			wi++
		}
		st := rng.IntN(net.Card(target))
		contribs, err := q.Contributions(target, st)
		if err != nil {
			t.Fatal(err)
		}
		logit := func(p float64) float64 { return math.Log(p / (1 - p)) }
		for _, c := range contribs {
			without := append([][]float64(nil), lik...)
			without[c.Var] = nil
			post, _ := bruteForce(net, without)
			want := logit(prior[target][st]) - logit(post[target][st])
			if math.IsInf(want, 0) || math.IsNaN(want) {
				continue
			}
			if math.Abs(c.LogOdds-want) > 1e-8 || math.Abs(c.Without-post[target][st]) > tol {
				t.Fatalf("trial %d: contribution of %d: got %v (without %v), brute force %v (without %v)", trial, c.Var, c.LogOdds, c.Without, want, post[target][st])
			}
		}
	}
}

func TestValueOfInformationErrors(t *testing.T) {
	t.Parallel()
	jt, err := bn.Compile(asiaNetwork(t), bn.CompileOptions{})
	if err != nil {
		t.Fatal(err)
	}
	q := jt.NewQuery()
	_ = q.Observe(3, 0)
	tests := []struct {
		name string
		run  func() error
		want string
	}{
		{"observed target", func() error { _, err := q.ValueOfInformation(3, nil); return err }, "already observed"},
		{"bad cost", func() error {
			c := make([]float64, 8)
			_, err := q.ValueOfInformation(0, c)
			return err
		}, "must be positive"},
		{"unknown target", func() error { _, err := q.Sensitivity(42); return err }, "no variable 42"},
		{"unknown state", func() error { _, err := q.Contributions(0, 5); return err }, "no state 5"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.run()
			if err == nil || !contains(err.Error(), tt.want) {
				t.Fatalf("got %v, want an error containing %q", err, tt.want)
			}
		})
	}
}

func contains(s, sub string) bool {
	for i := 0; i+len(sub) <= len(s); i++ {
		if s[i:i+len(sub)] == sub {
			return true
		}
	}
	return false
}

// TestConcurrentQueries shares one compiled tree between goroutines, each
// with its own Query, and checks every result against a sequential run
// (run with -race in CI).
func TestConcurrentQueries(t *testing.T) {
	t.Parallel()
	net := loadBIF(t, "alarm")
	jt, err := bn.Compile(net, bn.CompileOptions{})
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(5, 5))
	cases := make([]map[int]int, 40)
	want := make([][][]float64, len(cases))
	q := jt.NewQuery()
	for i := range cases {
		cases[i] = net.SampleEvidence(rng, 1+rng.IntN(6))
		q.Clear()
		for v, s := range cases[i] {
			_ = q.Observe(v, s)
		}
		if err := q.Propagate(); err != nil {
			t.Fatal(err)
		}
		for v := range net.Variables {
			want[i] = append(want[i], append([]float64(nil), q.Marginal(v)...))
		}
	}
	var wg sync.WaitGroup
	errs := make(chan string, 8)
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			q := jt.NewQuery()
			for r := 0; r < 50; r++ {
				i := (g*7 + r) % len(cases)
				q.Clear()
				for v, s := range cases[i] {
					_ = q.Observe(v, s)
				}
				if err := q.Propagate(); err != nil {
					errs <- err.Error()
					return
				}
				for v := range net.Variables {
					for s, p := range q.Marginal(v) {
						if p != want[i][v][s] {
							errs <- "concurrent result differs from sequential"
							return
						}
					}
				}
			}
		}(g)
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Fatal(e)
	}
}

// TestPropagateChanged checks incremental propagation against a full one:
// random networks, random evidence, then rounds in which one or two
// variables' evidence is removed, changed or added (and put back), with a
// random Want set.
func TestPropagateChanged(t *testing.T) {
	t.Parallel()
	const tol = 1e-12
	rng := rand.New(rand.NewPCG(11, 12))
	for trial := 0; trial < 150; trial++ {
		n := 2 + rng.IntN(9)
		net := randomNetwork(rng, n, trial%3 != 0)
		jt, err := bn.Compile(net, bn.CompileOptions{})
		if err != nil {
			t.Fatal(err)
		}
		want := rng.Perm(n)[:1+rng.IntN(n)]
		inc := jt.NewQuery()
		inc.EnableIncremental()
		inc.Want(want)
		full := jt.NewQuery()
		if err := inc.PropagateChanged(nil); err != bn.ErrNoSnapshot {
			t.Fatalf("PropagateChanged before Propagate: %v", err)
		}
		// Base evidence: soft on some variables, so no change makes it impossible.
		type ev struct {
			lik []float64
		}
		base := make([]ev, n)
		for v := 0; v < n; v++ {
			if rng.IntN(2) == 0 {
				l := make([]float64, net.Card(v))
				for i := range l {
					l[i] = 0.05 + rng.Float64()
				}
				base[v] = ev{l}
			}
		}
		apply := func(q *bn.Query, evs []ev) {
			q.Clear()
			for v, e := range evs {
				if e.lik != nil {
					_ = q.SetLikelihood(v, e.lik)
				}
			}
		}
		apply(inc, base)
		if err := inc.Propagate(); errors.Is(err, bn.ErrZeroProbability) {
			continue // a random Markov network whose zeros rule everything out
		} else if err != nil {
			t.Fatal(err)
		}
		for round := 0; round < 6; round++ {
			cur := append([]ev(nil), base...)
			var changed []int
			for _, v := range rng.Perm(n)[:1+rng.IntN(min(2, n))] {
				changed = append(changed, v)
				switch rng.IntN(3) {
				case 0:
					cur[v] = ev{}
				default:
					l := make([]float64, net.Card(v))
					for i := range l {
						l[i] = 0.05 + rng.Float64()
					}
					cur[v] = ev{l}
				}
			}
			// Change inc's evidence in place (no Clear), as the explainer does.
			for _, v := range changed {
				if cur[v].lik == nil {
					inc.Retract(v)
				} else {
					_ = inc.SetLikelihood(v, cur[v].lik)
				}
			}
			errInc := inc.PropagateChanged(changed)
			apply(full, cur)
			errFull := full.Propagate()
			if !errors.Is(errInc, errFull) {
				t.Fatalf("trial %d round %d: incremental %v, full %v", trial, round, errInc, errFull)
			}
			if errFull != nil {
				for _, v := range changed {
					if base[v].lik == nil {
						inc.Retract(v)
					} else {
						_ = inc.SetLikelihood(v, base[v].lik)
					}
				}
				continue
			}
			if d := math.Abs(inc.LogPEvidence() - full.LogPEvidence()); d > 1e-10 {
				t.Fatalf("trial %d round %d: log P(e) %v, full %v", trial, round, inc.LogPEvidence(), full.LogPEvidence())
			}
			for _, v := range want {
				a, b := inc.Marginal(v), full.Marginal(v)
				for s := range a {
					if math.Abs(a[s]-b[s]) > tol {
						t.Fatalf("trial %d round %d: changed %v: P(%d=%d) incremental %v, full %v", trial, round, changed, v, s, a[s], b[s])
					}
				}
			}
			// Put the base evidence back for the next round.
			for _, v := range changed {
				if base[v].lik == nil {
					inc.Retract(v)
				} else {
					_ = inc.SetLikelihood(v, base[v].lik)
				}
			}
		}
	}
}

// TestJointMarginal checks pair posteriors against enumeration.
func TestJointMarginal(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(21, 22))
	checked := 0
	for trial := 0; trial < 100; trial++ {
		n := 2 + rng.IntN(7)
		net := randomNetwork(rng, n, true)
		jt, err := bn.Compile(net, bn.CompileOptions{})
		if err != nil {
			t.Fatal(err)
		}
		q := jt.NewQuery()
		x := net.Sample(rng)
		lik := make([][]float64, n)
		for v := 0; v < n; v++ {
			if rng.IntN(3) == 0 {
				_ = q.Observe(v, x[v])
				lik = withState(net, lik, v, x[v])
			}
		}
		if err := q.Propagate(); err != nil {
			t.Fatal(err)
		}
		// Pairs that share a factor share a clique.
		f := net.Factors[rng.IntN(n)]
		if len(f.Vars) < 2 {
			continue
		}
		a, b := f.Vars[0], f.Vars[len(f.Vars)-1]
		got := make([]float64, net.Card(a)*net.Card(b))
		if err := q.JointMarginal(got, a, b); err != nil {
			t.Fatal(err)
		}
		_, logZall := bruteForce(net, lik)
		for xa := 0; xa < net.Card(a); xa++ {
			// P(a=xa, b=xb, e) / P(e), with a's own evidence kept.
			la := withState(net, lik, a, xa)
			if lik[a] != nil {
				la[a] = make([]float64, net.Card(a))
				la[a][xa] = lik[a][xa]
			}
			for xb := 0; xb < net.Card(b); xb++ {
				lab := withState(net, la, b, xb)
				if la[b] != nil {
					lab[b] = make([]float64, net.Card(b))
					lab[b][xb] = la[b][xb]
				}
				_, logZ := bruteForce(net, lab)
				want := math.Exp(logZ - logZall)
				if d := math.Abs(got[xa*net.Card(b)+xb] - want); d > 1e-12 {
					t.Fatalf("trial %d: P(%d=%d, %d=%d) = %v, brute force %v", trial, a, xa, b, xb, got[xa*net.Card(b)+xb], want)
				}
			}
		}
		checked++
	}
	if checked < 50 {
		t.Fatalf("only %d pairs checked", checked)
	}
}

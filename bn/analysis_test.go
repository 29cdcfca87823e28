package bn_test

import (
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

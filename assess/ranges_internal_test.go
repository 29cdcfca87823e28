package assess

import (
	"math"
	"math/rand/v2"
	"os"
	"slices"
	"testing"

	"github.com/tendo-health/tendo"
	"github.com/tendo-health/tendo/bn"
	"github.com/tendo-health/tendo/intake"
	"github.com/tendo-health/tendo/internal/shared"
	"github.com/tendo-health/tendo/kb"
)

// TestRangeGradient checks the analytic derivative of each reported
// posterior's logit with respect to every parameter coordinate against a
// central finite difference (tables rebuilt from the perturbed model).
func TestRangeGradient(t *testing.T) {
	e, err := New()
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(shared.Path(t, "cases", "mixed-kinetic-chain.json"))
	if err != nil {
		t.Fatal(err)
	}
	a, err := intake.Parse(data)
	if err != nil {
		t.Fatal(err)
	}
	w := e.pool.Get().(*worker)
	w.ev, _ = e.mapping.Evidence(a, nil)
	w.main.Clear()
	if err := applyAll(w); err != nil {
		t.Fatal(err)
	}
	if err := w.main.Propagate(); err != nil {
		t.Fatal(err)
	}
	targets := e.probabilityTargets()
	grads := make([][]float64, len(targets))
	w.rw = e.newRangeWork()
	for i := range targets {
		w.rw.grad = make([]float64, len(e.coords))
		dst := make([]tendo.Range, 1)
		if err := e.rangesInto(w, targets[i:i+1], nil, dst); err != nil {
			t.Fatal(err)
		}
		grads[i] = w.rw.grad
	}
	// logit of every target under the model with coordinate φ_kj moved by δ.
	post := func(k, j int, delta float64) []float64 {
		vals := make([][]float64, len(e.params))
		p := e.params[k].P
		v := make([]float64, len(p))
		s := 0.0
		for i, x := range p {
			v[i] = x
			if i == j {
				v[i] = x * math.Exp(delta)
			}
			s += v[i]
		}
		for i := range v {
			v[i] /= s
		}
		vals[k] = v
		tables, err := e.model.WithValues(e.params, vals).FactorTables(true)
		if err != nil {
			t.Fatal(err)
		}
		jt, err := e.jt.WithTables(tables)
		if err != nil {
			t.Fatal(err)
		}
		q := jt.NewQuery()
		if err := kb.Apply(q, w.ev, -1, nil, nil); err != nil {
			t.Fatal(err)
		}
		if err := q.Propagate(); err != nil {
			t.Fatal(err)
		}
		return logits(q, targets)
	}
	ci := 0
	worst := 0.0
	for k := range e.params {
		if !e.params[k].Drawn() {
			continue
		}
		for j, x := range e.params[k].P {
			if x == 0 {
				continue
			}
			const delta = 1e-4
			plus, minus := post(k, j, delta), post(k, j, -delta)
			for i := range targets {
				fd := (plus[i] - minus[i]) / (2 * delta)
				g := grads[i][ci]
				d := math.Abs(fd - g)
				worst = math.Max(worst, d/math.Max(1, math.Abs(fd)))
				if d > 1e-5*math.Max(1, math.Abs(fd)) {
					t.Errorf("%s, component %d, target %d: analytic %g, finite difference %g", e.params[k].Where, j, i, g, fd)
				}
			}
			ci++
		}
	}
	t.Logf("%d coordinates × %d targets; largest relative difference %.2g", ci, len(targets), worst)
}

func logits(q *bn.Query, targets []Target) []float64 {
	out := make([]float64, len(targets))
	for i, tg := range targets {
		p := 0.0
		for s, x := range q.Marginal(tg.v) {
			if tg.in[s] {
				p += x
			}
		}
		out[i] = math.Log(p / (1 - p))
	}
	return out
}

// TestPercentiles: the tail selection gives the percentiles of a sort.
func TestPercentiles(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 1))
	for trial := range 200 {
		n := []int{1000, 1000, 999, 250, 20, 2}[trial%6]
		v := make([]float64, n)
		for i := range v {
			switch trial % 3 {
			case 0:
				v[i] = rng.NormFloat64()
			case 1:
				v[i] = math.Exp(3 * rng.NormFloat64())
			default:
				v[i] = float64(rng.IntN(5)) // ties
			}
		}
		s := slices.Clone(v)
		slices.Sort(s)
		want := [2]float64{percentile(s, 0.05), percentile(s, 0.95)}
		var buf []float64
		lo, hi := percentiles(v, &buf, func(x float64) float64 { return x })
		if math.Abs(lo-want[0]) > 1e-12*math.Max(1, math.Abs(want[0])) || math.Abs(hi-want[1]) > 1e-12*math.Max(1, math.Abs(want[1])) {
			t.Fatalf("trial %d (n %d): got [%g, %g], want %v", trial, n, lo, hi, want)
		}
	}
}

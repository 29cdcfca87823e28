package kb

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

func TestSpecialFunctions(t *testing.T) {
	for _, c := range []struct {
		name      string
		got, want float64
	}{
		{"digamma(1)", digamma(1), -0.5772156649015329},
		{"digamma(0.5)", digamma(0.5), -1.9635100260214235},
		{"digamma(30)", digamma(30), harmonic(29) - 0.5772156649015329},
		{"trigamma(1)", trigamma(1), math.Pi * math.Pi / 6},
		{"trigamma(0.5)", trigamma(0.5), math.Pi * math.Pi / 2},
		{"tetragamma(1)", tetragamma(1), -2.4041138063191885},
		{"tetragamma(0.5)", tetragamma(0.5), -16.828796644234320},
		{"I_0.5(2,3)", betaInc(0.5, 2, 3), 0.6875},
		{"I_0.3(0.5,0.5)", betaInc(0.3, 0.5, 0.5), 2 / math.Pi * math.Asin(math.Sqrt(0.3))},
		{"median Beta(2,2)", betaQuantile(0.5, 2, 2), 0.5},
	} {
		if math.Abs(c.got-c.want) > 1e-10*max(1, math.Abs(c.want)) {
			t.Errorf("%s = %.16g, want %.16g", c.name, c.got, c.want)
		}
	}
	// A Beta fitted to an interval has that interval's width.
	n := betaSizeForInterval(0.3, 0.2)
	a, b := n*0.3, n*0.7
	if w := betaQuantile(0.975, a, b) - betaQuantile(0.025, a, b); math.Abs(w-0.2) > 1e-6 {
		t.Errorf("fitted Beta(%g, %g) has a 95%% interval %g wide, want 0.2", a, b, w)
	}
}

func TestParamsAndTables(t *testing.T) {
	m, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	ps, err := m.Params()
	if err != nil {
		t.Fatal(err)
	}
	if len(ps) != len(m.Numbers()) {
		t.Errorf("%d params, %d numbers", len(ps), len(m.Numbers()))
	}
	rules := map[string]int{}
	for _, p := range ps {
		rules[p.Rule]++
	}
	t.Logf("%d parameters by rule: %v", len(ps), rules)
	for _, chain := range []bool{false, true} {
		net, err := m.build(chain)
		if err != nil {
			t.Fatal(err)
		}
		tables, err := m.FactorTables(chain)
		if err != nil {
			t.Fatal(err)
		}
		if len(tables) != len(net.Factors) {
			t.Fatalf("chain %v: %d tables, %d factors", chain, len(tables), len(net.Factors))
		}
		for f := range tables {
			if !slices.Equal(tables[f], net.Factors[f].Table) {
				t.Errorf("chain %v: factor %d (%s) differs", chain, f, net.Variables[f].Name)
			}
		}
	}
	// Draws are deterministic, keep zeros and ones, and change the tables.
	draw := func() [][]float64 {
		rng := rand.New(rand.NewPCG(1, 2))
		d := make([][]float64, len(ps))
		Draw(rng, ps, d)
		return d
	}
	d1, d2 := draw(), draw()
	for k := range ps {
		if !slices.Equal(d1[k], d2[k]) {
			t.Fatalf("%s: the same seed drew %v and %v", ps[k].Where, d1[k], d2[k])
		}
		s := 0.0
		for j, x := range d1[k] {
			s += x
			if (ps[k].P[j] == 0) != (x == 0) {
				t.Errorf("%s: component %d is %g, model %g", ps[k].Where, j, x, ps[k].P[j])
			}
		}
		if math.Abs(s-1) > 1e-12 {
			t.Errorf("%s: draw sums to %g", ps[k].Where, s)
		}
	}
	c := m.WithValues(ps, d1)
	if err := c.Check(); err != nil {
		t.Fatal(err)
	}
	if _, err := c.FactorTables(true); err != nil {
		t.Fatal(err)
	}
	if m.Nodes[0].Prior.P[0] == c.Nodes[0].Prior.P[0] {
		t.Errorf("the draw did not change the first prior")
	}
	if orig, _ := Load(); !slices.Equal(orig.Nodes[0].Prior.P, m.Nodes[0].Prior.P) {
		t.Errorf("WithValues changed the model")
	}
}

func harmonic(n int) float64 {
	s := 0.0
	for i := n; i >= 1; i-- {
		s += 1 / float64(i)
	}
	return s
}

// TestDrawMoments: the draws of a Beta parameter have its mean and variance.
func TestDrawMoments(t *testing.T) {
	ps := []Param{{P: []float64{0.8, 0.2}, Size: 10}, {P: []float64{0.98, 0.02}, Size: 10}, {P: []float64{0.5, 0.3, 0.2, 0}, Size: 100}}
	for k := range ps {
		ps[k].alpha = make([]float64, len(ps[k].P))
		for j, x := range ps[k].P {
			ps[k].alpha[j] = ps[k].Size * x
		}
	}
	rng := rand.New(rand.NewPCG(3, 4))
	const n = 200000
	var sum, sum2 [3]float64
	d := make([][]float64, len(ps))
	for range n {
		Draw(rng, ps, d)
		for k := range ps {
			x := d[k][1]
			sum[k] += x
			sum2[k] += x * x
		}
	}
	for k, p := range ps {
		mean := sum[k] / n
		v := sum2[k]/n - mean*mean
		wantV := p.P[1] * (1 - p.P[1]) / (p.Size + 1)
		if math.Abs(mean-p.P[1]) > 4*math.Sqrt(wantV/n)+1e-9 || math.Abs(v-wantV) > 0.03*wantV {
			t.Errorf("param %d: mean %g var %g, want %g and %g", k, mean, v, p.P[1], wantV)
		}
	}
}

// TestTableDerivatives checks the derivatives of the compiled tables with
// respect to the softmax coordinates against a much larger central
// difference (the tables are affine in each parameter vector).
func TestTableDerivatives(t *testing.T) {
	m, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	ps, err := m.Params()
	if err != nil {
		t.Fatal(err)
	}
	ds, err := m.TableDerivatives(ps, true)
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(5, 6))
	checked := 0
	for k := range ps {
		for j, d := range ds[k] {
			if len(d) == 0 || rng.IntN(4) != 0 {
				continue
			}
			// Tables at φ ± δ e_j, through the softmax exactly.
			at := func(delta float64) [][]float64 {
				v := make([]float64, len(ps[k].P))
				s := 0.0
				for i, x := range ps[k].P {
					v[i] = x
					if i == j {
						v[i] = x * math.Exp(delta)
					}
					s += v[i]
				}
				for i := range v {
					v[i] /= s
				}
				vals := make([][]float64, len(ps))
				vals[k] = v
				tb, err := m.WithValues(ps, vals).FactorTables(true)
				if err != nil {
					t.Fatal(err)
				}
				return tb
			}
			const delta = 1e-5
			plus, minus := at(delta), at(-delta)
			for _, x := range d {
				fd := (plus[x.Factor][x.Entry] - minus[x.Factor][x.Entry]) / (2 * delta)
				if math.Abs(fd-x.D) > 1e-7 {
					t.Errorf("%s, component %d: d entry %d of factor %d = %g, finite difference %g", ps[k].Where, j, x.Entry, x.Factor, x.D, fd)
				}
				checked++
			}
		}
	}
	t.Logf("%d derivatives checked", checked)
}

// TestDrawRules: the effective sample size follows the provenance.
func TestDrawRules(t *testing.T) {
	m, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	var srcNode *Node
	for i := range m.Nodes {
		if n := &m.Nodes[i]; n.Prior != nil && n.Prior.Source != "" && len(n.States) == 2 {
			srcNode = n
			break
		}
	}
	if srcNode == nil {
		t.Skip("no sourced binary prior in the model")
	}
	size := func() (float64, string) {
		ps, err := m.Params()
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range ps {
			if p.Where == srcNode.ID+", prior" {
				return p.Size, p.Rule
			}
		}
		t.Fatal("parameter not found")
		return 0, ""
	}
	srcNode.Prior.N, srcNode.Prior.CI = 0, nil
	if n, r := size(); n != DefaultSourceSize || r != "source" {
		t.Errorf("a source without n or ci: size %g (%s), want %d", n, r, DefaultSourceSize)
	}
	srcNode.Prior.N = 250
	if n, r := size(); n != 250 || r != "n" {
		t.Errorf("n 250: size %g (%s)", n, r)
	}
	srcNode.Prior.N = 5000
	if n, _ := size(); n != MaxSourceSize {
		t.Errorf("n 5000: size %g, want %d", n, MaxSourceSize)
	}
	p := srcNode.Prior.P[1]
	srcNode.Prior.CI = []float64{max(0, p-0.1), min(1, p+0.1)}
	n, r := size()
	if r != "ci" {
		t.Errorf("ci: rule %s", r)
	}
	a, b := n*p, n*(1-p)
	if w := betaQuantile(0.975, a, b) - betaQuantile(0.025, a, b); math.Abs(w-(srcNode.Prior.CI[1]-srcNode.Prior.CI[0])) > 1e-4 {
		t.Errorf("ci %v: Beta(%g, %g) has a 95%% interval %g wide", srcNode.Prior.CI, a, b, w)
	}
	srcNode.Prior.CI = []float64{0.5, 0.4}
	if _, err := m.Params(); err == nil {
		t.Error("an interval with lo > hi was accepted")
	}
	srcNode.Prior.Source, srcNode.Prior.Estimate, srcNode.Prior.CI = "", "a guess", nil
	if n, r := size(); n != EstimateSize || r != "estimate" {
		t.Errorf("an estimate: size %g (%s), want %d", n, r, EstimateSize)
	}
}

// synthetic has a three-state noisy-MAX node with four parents (chained),
// a mixture and a table, with every kind of provenance.
const synthetic = `
schema: tendo/model/v1
id: synthetic
version: 0.0.1
sources:
  - {key: s1, cite: "A source."}
nodes:
  - {id: a, label: A, role: context, description: d, states: [lo, mid, hi], prior: {p: [0.5, 0.3, 0.2], source: s1, n: 40}}
  - {id: b, label: B, role: context, description: d, states: ["no", "yes"], prior: {p: 0.3, source: s1, ci: [0.2, 0.4]}}
  - {id: c, label: C, role: context, description: d, states: ["no", "yes"], prior: {p: 0.1, estimate: e}}
  - {id: d, label: D, role: context, description: d, states: ["no", "yes"], prior: {p: 0.6, source: s1}}
  - id: y
    label: Y
    role: mechanism
    description: d
    states: [none, mild, severe]
    noisy:
      leak: {p: [0.8, 0.15, 0.05], estimate: e}
      causes:
        - {parent: a, state: mid, p: [0.6, 0.3, 0.1], estimate: e}
        - {parent: a, state: hi, p: [0.3, 0.4, 0.3], source: s1}
        - {parent: b, state: "yes", p: [0.5, 0.5, 0], estimate: e}
        - {parent: c, state: "yes", p: [0.7, 0.2, 0.1], source: s1, n: 2000}
        - {parent: d, state: "yes", p: [0.9, 0.05, 0.05], estimate: e}
  - id: z
    label: Z
    role: finding
    description: d
    states: [p, q, r]
    mixture:
      leak: {weight: 0.2, p: [0.4, 0.3, 0.3], estimate: e}
      causes:
        - {parent: y, state: mild, weight: 1, p: [0.7, 0.2, 0.1], estimate: e}
        - {parent: y, state: severe, weight: 2, p: [0.1, 0.1, 0.8], source: s1}
  - id: w
    label: W
    role: finding
    description: d
    states: ["no", "yes"]
    table:
      parents: [b]
      rows:
        - {when: {b: "no"}, p: 0.2, estimate: e}
        - {when: {b: "yes"}, p: [0, 1], estimate: e}
`

func TestSyntheticModel(t *testing.T) {
	m, err := Parse([]byte(synthetic))
	if err != nil {
		t.Fatal(err)
	}
	if err := m.Check(); err != nil {
		t.Fatal(err)
	}
	ps, err := m.Params()
	if err != nil {
		t.Fatal(err)
	}
	rules := map[string]string{}
	for _, p := range ps {
		rules[p.Where] = fmt.Sprintf("%s %g", p.Rule, p.Size)
	}
	for where, want := range map[string]string{
		"a, prior": "n 40", "c, prior": "estimate 10", "d, prior": "source 100", "y, cause c=yes": "n 1000",
	} {
		if rules[where] != want {
			t.Errorf("%s: %s, want %s", where, rules[where], want)
		}
	}
	if !strings.HasPrefix(rules["b, prior"], "ci ") {
		t.Errorf("b, prior: %s", rules["b, prior"])
	}
	for _, chain := range []bool{false, true} {
		net, err := m.build(chain)
		if err != nil {
			t.Fatal(err)
		}
		tables, err := m.FactorTables(chain)
		if err != nil {
			t.Fatal(err)
		}
		for f := range tables {
			if !slices.Equal(tables[f], net.Factors[f].Table) {
				t.Errorf("chain %v: factor %d differs", chain, f)
			}
		}
		ds, err := m.TableDerivatives(ps, chain)
		if err != nil {
			t.Fatal(err)
		}
		for k := range ps {
			for j, d := range ds[k] {
				v := make([]float64, len(ps[k].P))
				const delta = 1e-5
				at := func(delta float64) [][]float64 {
					s := 0.0
					for i, x := range ps[k].P {
						v[i] = x
						if i == j {
							v[i] = x * math.Exp(delta)
						}
						s += v[i]
					}
					w := make([]float64, len(v))
					for i := range v {
						w[i] = v[i] / s
					}
					vals := make([][]float64, len(ps))
					vals[k] = w
					tb, err := m.WithValues(ps, vals).FactorTables(chain)
					if err != nil {
						t.Fatal(err)
					}
					return tb
				}
				plus, minus := at(delta), at(-delta)
				got := map[[2]int]float64{}
				for _, x := range d {
					got[[2]int{x.Factor, x.Entry}] = x.D
				}
				for f := range plus {
					for e := range plus[f] {
						fd := (plus[f][e] - minus[f][e]) / (2 * delta)
						if math.Abs(fd-got[[2]int{f, e}]) > 1e-7 {
							t.Errorf("chain %v, %s, component %d: d entry %d of factor %d = %g, finite difference %g", chain, ps[k].Where, j, e, f, got[[2]int{f, e}], fd)
						}
					}
				}
			}
		}
	}
	// Structural zeros and ones stay.
	rng := rand.New(rand.NewPCG(9, 9))
	d := make([][]float64, len(ps))
	for range 100 {
		Draw(rng, ps, d)
		for k := range ps {
			for j, x := range ps[k].P {
				if (x == 0) != (d[k][j] == 0) || (x == 1) != (d[k][j] == 1) {
					t.Fatalf("%s: component %d drawn %g from %g", ps[k].Where, j, d[k][j], x)
				}
			}
		}
	}
}

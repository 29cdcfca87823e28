package bn_test

import (
	"errors"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/tendo-health/tendo/bn"
)

// TestSoftEvidenceIsVirtualChild checks that a likelihood vector on X gives
// the same marginals as adding a child V of X with P(V=0|x) ∝ lik[x] and
// observing V=0, and that P(evidence) differs by exactly the constant.
func TestSoftEvidenceIsVirtualChild(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(7, 7))
	for trial := 0; trial < 200; trial++ {
		n := 1 + rng.IntN(9)
		net := randomNetwork(rng, n, true)
		x := rng.IntN(n)
		lik := make([]float64, net.Card(x))
		maxL := 0.0
		for i := range lik {
			lik[i] = rng.Float64()
			maxL = math.Max(maxL, lik[i])
		}
		if maxL == 0 {
			lik[0], maxL = 1, 1
		}
		// The virtual child.
		virt := net.Clone()
		vi := len(virt.Variables)
		virt.Variables = append(virt.Variables, bn.Variable{Name: "V", States: []string{"seen", "not"}})
		table := make([]float64, 0, 2*len(lik))
		for _, l := range lik {
			table = append(table, l/maxL, 1-l/maxL)
		}
		virt.Factors = append(virt.Factors, bn.Factor{Vars: []int{x, vi}, Table: table})
		if err := virt.Validate(); err != nil {
			t.Fatal(err)
		}

		jt1, err := bn.Compile(net, bn.CompileOptions{})
		if err != nil {
			t.Fatal(err)
		}
		jt2, err := bn.Compile(virt, bn.CompileOptions{})
		if err != nil {
			t.Fatal(err)
		}
		q1, q2 := jt1.NewQuery(), jt2.NewQuery()
		if err := q1.SetLikelihood(x, lik); err != nil {
			t.Fatal(err)
		}
		if err := q2.Observe(vi, 0); err != nil {
			t.Fatal(err)
		}
		// Some hard evidence elsewhere too, from a forward sample.
		sample := net.Sample(rng)
		for v := 0; v < n; v++ {
			if v != x && rng.IntN(4) == 0 {
				_ = q1.Observe(v, sample[v])
				_ = q2.Observe(v, sample[v])
			}
		}
		err1, err2 := q1.Propagate(), q2.Propagate()
		if (err1 == nil) != (err2 == nil) {
			t.Fatalf("trial %d: soft evidence gave %v, virtual child %v", trial, err1, err2)
		}
		if err1 != nil {
			continue
		}
		for v := 0; v < n; v++ {
			a, b := q1.Marginal(v), q2.Marginal(v)
			for s := range a {
				if math.Abs(a[s]-b[s]) > 1e-12 {
					t.Fatalf("trial %d: P(%d=%d): soft %.17g, virtual child %.17g", trial, v, s, a[s], b[s])
				}
			}
		}
		if got, want := q1.LogPEvidence()-math.Log(maxL), q2.LogPEvidence(); math.Abs(got-want) > 1e-10 {
			t.Fatalf("trial %d: log P(e): soft %.15g (rescaled), virtual child %.15g", trial, got, want)
		}
	}
}

func asiaNetwork(t testing.TB) *bn.Network {
	t.Helper()
	v := func(name string) bn.Variable { return bn.Variable{Name: name, States: []string{"yes", "no"}} }
	net := &bn.Network{Name: "asia", Directed: true, Variables: []bn.Variable{
		v("asia"), v("tub"), v("smoke"), v("lung"), v("bronc"), v("either"), v("xray"), v("dysp"),
	}}
	const asia, tub, smoke, lung, bronc, either, xray, dysp = 0, 1, 2, 3, 4, 5, 6, 7
	net.Factors = []bn.Factor{
		{Vars: []int{asia}, Table: []float64{0.01, 0.99}},
		{Vars: []int{asia, tub}, Table: []float64{0.05, 0.95, 0.01, 0.99}},
		{Vars: []int{smoke}, Table: []float64{0.5, 0.5}},
		{Vars: []int{smoke, lung}, Table: []float64{0.1, 0.9, 0.01, 0.99}},
		{Vars: []int{smoke, bronc}, Table: []float64{0.6, 0.4, 0.3, 0.7}},
		{Vars: []int{lung, tub, either}, Table: []float64{1, 0, 1, 0, 1, 0, 0, 1}},
		{Vars: []int{either, xray}, Table: []float64{0.98, 0.02, 0.05, 0.95}},
		{Vars: []int{bronc, either, dysp}, Table: []float64{0.9, 0.1, 0.8, 0.2, 0.7, 0.3, 0.1, 0.9}},
	}
	if err := net.Validate(); err != nil {
		t.Fatal(err)
	}
	return net
}

func TestEvidenceErrors(t *testing.T) {
	t.Parallel()
	net := asiaNetwork(t)
	jt, err := bn.Compile(net, bn.CompileOptions{})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name  string
		enter func(q *bn.Query) error
		want  string
	}{
		{"unknown variable", func(q *bn.Query) error { return q.Observe(99, 0) }, "no variable 99"},
		{"unknown state", func(q *bn.Query) error { return q.Observe(0, 2) }, `"asia" has no state 2`},
		{"likelihood of wrong length", func(q *bn.Query) error { return q.SetLikelihood(0, []float64{1}) }, "has 2 states; the likelihood has 1"},
		{"negative likelihood", func(q *bn.Query) error { return q.SetLikelihood(0, []float64{1, -1}) }, "finite and nonnegative"},
		{"zero likelihood", func(q *bn.Query) error { return q.SetLikelihood(0, []float64{0, 0}) }, "zero for every state"},
		{"NaN likelihood", func(q *bn.Query) error { return q.SetLikelihood(0, []float64{math.NaN(), 1}) }, "finite and nonnegative"},
		{"impossible evidence", func(q *bn.Query) error {
			// either = no while tub = yes contradicts the deterministic OR.
			_ = q.Observe(1, 0)
			_ = q.Observe(5, 1)
			return q.Propagate()
		}, "probability zero"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			q := jt.NewQuery()
			err := tt.enter(q)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("got %v, want an error containing %q", err, tt.want)
			}
		})
	}
	q := jt.NewQuery()
	_ = q.Observe(1, 0)
	_ = q.Observe(5, 1)
	if err := q.Propagate(); !errors.Is(err, bn.ErrZeroProbability) {
		t.Fatalf("impossible evidence: got %v, want ErrZeroProbability", err)
	}
	// The same query recovers once the contradiction is retracted.
	q.Retract(5)
	if err := q.Propagate(); err != nil {
		t.Fatal(err)
	}
	if got := q.Marginal(5)[0]; got != 1 {
		t.Fatalf("P(either=yes | tub=yes) = %v, want 1", got)
	}
}

func TestNoisyOR(t *testing.T) {
	t.Parallel()
	m := bn.NoisyOR(0.01, 0.8, 0.5)
	table, err := m.Table()
	if err != nil {
		t.Fatal(err)
	}
	// Layout: cause1 slowest, child fastest; state 0 = absent.
	want := []float64{
		0.99, 0.01, // neither cause
		0.99 * 0.5, 1 - 0.99*0.5, // cause 2 only
		0.99 * 0.2, 1 - 0.99*0.2, // cause 1 only
		0.99 * 0.2 * 0.5, 1 - 0.99*0.2*0.5, // both
	}
	if len(table) != len(want) {
		t.Fatalf("got %d entries, want %d", len(table), len(want))
	}
	for i := range want {
		if math.Abs(table[i]-want[i]) > 1e-15 {
			t.Errorf("entry %d = %v, want %v", i, table[i], want[i])
		}
	}
}

func TestNoisyMax(t *testing.T) {
	t.Parallel()
	// A three-grade child (none, mild, severe), one cause with three
	// states and one binary cause, and a leak.
	m := bn.NoisyMax{
		ChildStates: 3,
		Leak:        []float64{0.9, 0.08, 0.02},
		Causes: []bn.Cause{
			{States: 3, Strength: [][]float64{nil, {0.5, 0.4, 0.1}, {0.1, 0.3, 0.6}}},
			{States: 2, Strength: [][]float64{nil, {0.7, 0.3, 0}}},
		},
	}
	table, err := m.Table()
	if err != nil {
		t.Fatal(err)
	}
	// Check one column by hand: cause1 = 2, cause2 = 1.
	// Cumulatives: leak (0.9, 0.98, 1), c1=2 (0.1, 0.4, 1), c2=1 (0.7, 1, 1).
	cum := []float64{0.9 * 0.1 * 0.7, 0.98 * 0.4 * 1, 1}
	col := table[(2*2+1)*3 : (2*2+1)*3+3]
	want := []float64{cum[0], cum[1] - cum[0], cum[2] - cum[1]}
	for i := range want {
		if math.Abs(col[i]-want[i]) > 1e-15 {
			t.Errorf("P(Y=%d | c1=2, c2=1) = %v, want %v", i, col[i], want[i])
		}
	}
	// Every column is a distribution, and with no cause present it is the leak.
	for off := 0; off < len(table); off += 3 {
		s := table[off] + table[off+1] + table[off+2]
		if math.Abs(s-1) > 1e-12 {
			t.Errorf("column at %d sums to %v", off, s)
		}
	}
	for i, p := range m.Leak {
		if math.Abs(table[i]-p) > 1e-15 {
			t.Errorf("no cause: P(Y=%d) = %v, want the leak %v", i, table[i], p)
		}
	}

	bad := []struct {
		name string
		m    bn.NoisyMax
		want string
	}{
		{"leak does not sum to 1", bn.NoisyMax{ChildStates: 2, Leak: []float64{0.5, 0.4}}, "leak sums to 0.9"},
		{"wrong number of strengths", bn.NoisyMax{ChildStates: 2, Leak: []float64{1, 0}, Causes: []bn.Cause{{States: 3, Strength: [][]float64{nil, {1, 0}}}}}, "needs 3 strengths (nil for absent states), got 2"},
		{"probability above 1", bn.NoisyMax{ChildStates: 2, Leak: []float64{1, 0}, Causes: []bn.Cause{{States: 2, Strength: [][]float64{nil, {-0.5, 1.5}}}}}, "want 0 to 1"},
		{"absent state first is not required", bn.NoisyMax{ChildStates: 2, Leak: []float64{0.5, 0.6}, Causes: []bn.Cause{{States: 2, Strength: [][]float64{{0.5, 0.5}, nil}}}}, "leak sums to 1.1"},
	}
	for _, tt := range bad {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if _, err := tt.m.Table(); err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("got %v, want an error containing %q", err, tt.want)
			}
		})
	}
}

func TestValidate(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		mutate func(n *bn.Network)
		want   string
	}{
		{"cycle", func(n *bn.Network) {
			// asia <- either, closing asia -> tub -> either -> asia.
			n.Factors[0] = bn.Factor{Vars: []int{5, 0}, Table: []float64{0.5, 0.5, 0.5, 0.5}}
		}, "cycle: "},
		{"column off by 1e-3", func(n *bn.Network) { n.Factors[1].Table[0] = 0.051 }, `variable "tub": probabilities given asia=yes sum to 1.001`},
		{"negative entry", func(n *bn.Network) { n.Factors[2].Table = []float64{1.5, -0.5} }, "finite and nonnegative"},
		{"duplicate state", func(n *bn.Network) { n.Variables[0].States = []string{"yes", "yes"} }, `state "yes" is declared twice`},
		{"wrong table size", func(n *bn.Network) { n.Factors[2].Table = []float64{1} }, "has 1 entries, want 2"},
		{"child not last", func(n *bn.Network) { n.Factors[1].Vars = []int{1, 0} }, `must list "tub" last`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			net := asiaNetwork(t)
			tt.mutate(net)
			err := net.Validate()
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("got %v, want an error containing %q", err, tt.want)
			}
		})
	}
	// The cycle error names the variables on the cycle.
	net := asiaNetwork(t)
	net.Factors[0] = bn.Factor{Vars: []int{5, 0}, Table: []float64{0.5, 0.5, 0.5, 0.5}}
	var ce *bn.CycleError
	if err := net.Validate(); !errors.As(err, &ce) {
		t.Fatalf("got %v, want a *CycleError", err)
	}
	got := strings.Join(ce.Vars, ",")
	for _, name := range []string{"asia", "tub", "either"} {
		if !strings.Contains(got, name) {
			t.Errorf("cycle %v does not name %q", ce.Vars, name)
		}
	}
}

func TestRenormalize(t *testing.T) {
	t.Parallel()
	net := asiaNetwork(t)
	net.Factors[0].Table = []float64{0.01, 0.9900001} // within 1e-6
	net.Factors[3].Table[0] = 0.1000002
	n, err := net.Renormalize()
	if err != nil {
		t.Fatal(err)
	}
	if n != 2 {
		t.Fatalf("renormalised %d columns, want 2", n)
	}
	if s := net.Factors[0].Table[0] + net.Factors[0].Table[1]; s != 1 {
		t.Fatalf("column sums to %.17g after renormalising", s)
	}
	net.Factors[0].Table = []float64{0.01, 0.98}
	if _, err := net.Renormalize(); err == nil {
		t.Fatal("a column summing to 0.99 was accepted")
	}
}

// TestNoisyMaxChain checks that the chain of max nodes gives the same
// conditional distribution as the full table, by summing out the chain's
// intermediate nodes for every configuration of the causes.
func TestNoisyMaxChain(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(9, 9))
	dist := func(k int) []float64 {
		d := make([]float64, k)
		s := 0.0
		for i := range d {
			d[i] = rng.Float64()
			s += d[i]
		}
		for i := range d {
			d[i] /= s
		}
		return d
	}
	for trial := 0; trial < 50; trial++ {
		k := 2 + rng.IntN(3)
		m := bn.NoisyMax{ChildStates: k, Leak: dist(k)}
		for c := 0; c < 1+rng.IntN(4); c++ {
			states := 2 + rng.IntN(2)
			cause := bn.Cause{States: states, Strength: make([][]float64, states)}
			for s := 0; s < states; s++ {
				if rng.IntN(3) > 0 {
					cause.Strength[s] = dist(k)
				}
			}
			m.Causes = append(m.Causes, cause)
		}
		full, err := m.Table()
		if err != nil {
			t.Fatal(err)
		}
		chain, err := m.Chain()
		if err != nil {
			t.Fatal(err)
		}
		// Enumerate cause configurations (first cause slowest).
		x := make([]int, len(m.Causes))
		for off := 0; off < len(full); off += k {
			// Forward-propagate the chain's distribution.
			cur := make([]float64, k)
			copy(cur, chain[0][x[0]*k:(x[0]+1)*k])
			for i := 1; i < len(m.Causes); i++ {
				next := make([]float64, k)
				st := m.Causes[i].States
				for a := 0; a < k; a++ {
					row := chain[i][(a*st+x[i])*k:]
					for y := 0; y < k; y++ {
						next[y] += cur[a] * row[y]
					}
				}
				cur = next
			}
			for y := 0; y < k; y++ {
				if math.Abs(cur[y]-full[off+y]) > 1e-12 {
					t.Fatalf("trial %d, causes %v: chain P(Y=%d) = %v, table %v", trial, x, y, cur[y], full[off+y])
				}
			}
			for i := len(x) - 1; i >= 0; i-- {
				x[i]++
				if x[i] < m.Causes[i].States {
					break
				}
				x[i] = 0
			}
		}
	}
}

package kb

import (
	"fmt"
	"math"
	"math/rand/v2"
)

// The uncertainty of the model's numbers (contract v1.1, "Credible
// intervals"). Every probability vector of the model — a prior, a table
// row, the leak and each cause of a noisy or mixture node — is a Param, drawn
// from a Dirichlet distribution centred on the model's value p with an
// effective sample size n: Dirichlet(n·p), which for a binary node is
// Beta(n·p₁, n·(1−p₁)). n comes from the provenance:
//
//   - a source with a 95% interval (CI): the n whose Beta(n·p, n·(1−p)) has a
//     central 95% interval as wide as the source's (the mean stays p);
//   - a source with a sample size (N): n = N, at most MaxSourceSize;
//   - a source without either: n = DefaultSourceSize (100). The contract
//     says "the study's sample size"; until the model is annotated with N
//     where known, 100 stands in for it;
//   - an expert estimate: n = EstimateSize (10).
//
// Definitions (deterministic nodes) and soft-evidence likelihoods are not
// drawn. A component that is 0 stays 0 and one that is 1 stays 1: structural
// zeros are definitions, not uncertainty. Drawn components are kept at or
// above MinDrawn so that no draw makes a finding impossible.
//
// For the analytic (delta-method) intervals a Dirichlet draw is written as
// the softmax of independent coordinates φ_j = log G_j with G_j ~
// Gamma(n·p_j): p_j = e^{φ_j} / Σ_i e^{φ_i}. The coordinates' cumulants
// (digamma, trigamma, tetragamma) are exact, and the model's value is the
// softmax of φ⁰_j = log(n·p_j).

// The effective sample sizes of the draw rules.
const (
	EstimateSize      = 10
	DefaultSourceSize = 100
	MaxSourceSize     = 1000
	// MinDrawn is the least value a drawn positive component takes.
	MinDrawn = 1e-9
)

type paramKind uint8

const (
	pPrior paramKind = iota
	pRow
	pNoisyLeak
	pNoisyCause
	pMixLeak
	pMixCause
)

// Param is one probability vector of the model with its draw rule.
type Param struct {
	Node  int    // index in Model.Nodes
	Where string // e.g. "tendonOverload, cause runner=yes"
	// P is the model's value.
	P []float64
	// Size is the effective sample size n: the draw is Dirichlet(n·P).
	Size float64
	// Rule says where Size comes from: "ci", "n", "source" (the default
	// for a source without N or CI) or "estimate".
	Rule string

	kind paramKind
	idx  int
	// Per component j with P[j] > 0 (else zero): α_j = Size·P[j] and the
	// cumulants of φ_j = log G_j, G_j ~ Gamma(α_j).
	alpha []float64
}

// Drawn reports whether the parameter varies: it has two or more positive
// components.
func (p *Param) Drawn() bool {
	k := 0
	for _, x := range p.P {
		if x > 0 {
			k++
		}
	}
	return k >= 2
}

// Alpha returns the Dirichlet parameter of component j (0 for a structural
// zero).
func (p *Param) Alpha(j int) float64 { return p.alpha[j] }

// Cumulants returns, for component j (P[j] > 0), the shift of the mean of
// its coordinate φ_j = log G_j from the point φ⁰_j = log α_j, its variance
// and its third cumulant: ψ(α) − log α, ψ′(α), ψ″(α).
func (p *Param) Cumulants(j int) (shift, variance, third float64) {
	a := p.alpha[j]
	return digamma(a) - math.Log(a), trigamma(a), tetragamma(a)
}

// Params lists every drawn number of the model (see the package comment
// above): node order, then prior, rows, leak, causes.
func (m *Model) Params() ([]Param, error) {
	var ps []Param
	add := func(node int, where string, kind paramKind, idx int, p []float64, prov Provenance) error {
		size, rule, err := effectiveSize(p, prov)
		if err != nil {
			return fmt.Errorf("kb: %s: %w", where, err)
		}
		q := Param{Node: node, Where: where, P: p, Size: size, Rule: rule, kind: kind, idx: idx}
		q.alpha = make([]float64, len(p))
		for j, x := range p {
			if x > 0 {
				q.alpha[j] = size * x
			}
		}
		ps = append(ps, q)
		return nil
	}
	for i := range m.Nodes {
		n := &m.Nodes[i]
		var err error
		switch {
		case n.Prior != nil:
			err = add(i, n.ID+", prior", pPrior, 0, n.Prior.P, n.Prior.Provenance)
		case n.Table != nil:
			for r, row := range n.Table.Rows {
				if err = add(i, fmt.Sprintf("%s, row %d", n.ID, r+1), pRow, r, row.P, row.Provenance); err != nil {
					break
				}
			}
		case n.Noisy != nil:
			err = add(i, n.ID+", leak", pNoisyLeak, 0, n.Noisy.Leak.P, n.Noisy.Leak.Provenance)
			for c, cause := range n.Noisy.Causes {
				if err != nil {
					break
				}
				err = add(i, fmt.Sprintf("%s, cause %s=%s", n.ID, cause.Parent, cause.State), pNoisyCause, c, cause.P, cause.Provenance)
			}
		case n.Mixture != nil:
			err = add(i, n.ID+", leak", pMixLeak, 0, n.Mixture.Leak.P, n.Mixture.Leak.Provenance)
			for c, cause := range n.Mixture.Causes {
				if err != nil {
					break
				}
				err = add(i, fmt.Sprintf("%s, cause %s=%s", n.ID, cause.Parent, cause.State), pMixCause, c, cause.P, cause.Provenance)
			}
		}
		if err != nil {
			return nil, err
		}
	}
	return ps, nil
}

// effectiveSize applies the draw rules to one number's provenance.
func effectiveSize(p []float64, prov Provenance) (float64, string, error) {
	switch {
	case prov.Source != "" && len(prov.CI) > 0:
		if len(prov.CI) != 2 || !(0 <= prov.CI[0] && prov.CI[0] < prov.CI[1] && prov.CI[1] <= 1) {
			return 0, "", fmt.Errorf("ci %v is not an interval [lo, hi] within 0–1", prov.CI)
		}
		// The interval is that of one component: the second state of a
		// binary node, else the component nearest its midpoint.
		mid := (prov.CI[0] + prov.CI[1]) / 2
		x := p[len(p)-1]
		for _, y := range p {
			if math.Abs(y-mid) < math.Abs(x-mid) {
				x = y
			}
		}
		if len(p) == 2 {
			x = p[1]
		}
		return betaSizeForInterval(x, prov.CI[1]-prov.CI[0]), "ci", nil
	case prov.Source != "" && prov.N > 0:
		return float64(min(prov.N, MaxSourceSize)), "n", nil
	case prov.Source != "":
		return DefaultSourceSize, "source", nil
	default:
		return EstimateSize, "estimate", nil
	}
}

// betaSizeForInterval returns the n for which Beta(n·p, n·(1−p)) has a
// central 95% interval of the given width (between 2 and 10⁶).
func betaSizeForInterval(p, width float64) float64 {
	if !(p > 0 && p < 1) {
		return MaxSourceSize
	}
	w := func(n float64) float64 {
		a, b := n*p, n*(1-p)
		return betaQuantile(0.975, a, b) - betaQuantile(0.025, a, b)
	}
	lo, hi := math.Log(2), math.Log(1e6)
	if w(math.Exp(lo)) <= width {
		return math.Exp(lo)
	}
	if w(math.Exp(hi)) >= width {
		return math.Exp(hi)
	}
	for range 60 {
		mid := (lo + hi) / 2
		if w(math.Exp(mid)) > width {
			lo = mid
		} else {
			hi = mid
		}
	}
	return math.Exp((lo + hi) / 2)
}

// Draw sets dst[k] to a draw of ps[k] (dst[k] is reused when it has the
// right length). The same rng state gives the same draws.
func Draw(rng *rand.Rand, ps []Param, dst [][]float64) {
	for k := range ps {
		p := &ps[k]
		if len(dst[k]) != len(p.P) {
			dst[k] = make([]float64, len(p.P))
		}
		d := dst[k]
		if !p.Drawn() {
			copy(d, p.P)
			continue
		}
		top := math.Inf(-1)
		for j, a := range p.alpha {
			if a > 0 {
				d[j] = logGamma(rng, a)
				top = max(top, d[j])
			}
		}
		s := 0.0
		for j, a := range p.alpha {
			if a > 0 {
				d[j] = math.Exp(d[j] - top)
				s += d[j]
			} else {
				d[j] = 0
			}
		}
		s2 := 0.0
		for j, a := range p.alpha {
			if a > 0 {
				d[j] = max(d[j]/s, MinDrawn)
				s2 += d[j]
			}
		}
		for j := range d {
			d[j] /= s2
		}
	}
}

// logGamma draws log G with G ~ Gamma(a, 1) (Marsaglia and Tsang; for a < 1,
// G(a) = G(a+1)·U^{1/a}, kept in logs so tiny values do not underflow).
func logGamma(rng *rand.Rand, a float64) float64 {
	if a < 1 {
		u := rng.Float64()
		for u == 0 {
			u = rng.Float64()
		}
		return logGamma(rng, a+1) + math.Log(u)/a
	}
	d := a - 1.0/3
	c := 1 / math.Sqrt(9*d)
	for {
		x := rng.NormFloat64()
		v := 1 + c*x
		if v <= 0 {
			continue
		}
		v = v * v * v
		u := rng.Float64()
		if u < 1-0.0331*x*x*x*x || math.Log(u) < 0.5*x*x+d*(1-v+math.Log(v)) {
			return math.Log(d * v)
		}
	}
}

// slot returns the parameter's vector in model c (a copy made by
// cloneNumbers, or m itself).
func (p *Param) slot(c *Model) *Probs {
	n := &c.Nodes[p.Node]
	switch p.kind {
	case pPrior:
		return &n.Prior.P
	case pRow:
		return &n.Table.Rows[p.idx].P
	case pNoisyLeak:
		return &n.Noisy.Leak.P
	case pNoisyCause:
		return &n.Noisy.Causes[p.idx].P
	case pMixLeak:
		return &n.Mixture.Leak.P
	default:
		return &n.Mixture.Causes[p.idx].P
	}
}

// cloneNumbers copies the model deeply enough that its numbers can be
// replaced without touching m (the vectors themselves are shared until
// replaced).
func (m *Model) cloneNumbers() *Model {
	c := *m
	c.Nodes = append([]Node(nil), m.Nodes...)
	for i := range c.Nodes {
		n := &c.Nodes[i]
		if n.Prior != nil {
			x := *n.Prior
			n.Prior = &x
		}
		if n.Table != nil {
			x := *n.Table
			x.Rows = append([]Row(nil), x.Rows...)
			n.Table = &x
		}
		if n.Noisy != nil {
			x := *n.Noisy
			x.Causes = append([]Cause(nil), x.Causes...)
			n.Noisy = &x
		}
		if n.Mixture != nil {
			x := *n.Mixture
			x.Causes = append([]Cause(nil), x.Causes...)
			n.Mixture = &x
		}
	}
	return &c
}

// WithValues returns a copy of the model in which ps[k] (from m.Params)
// has the value vals[k] (nil keeps the model's). m is not changed.
func (m *Model) WithValues(ps []Param, vals [][]float64) *Model {
	c := m.cloneNumbers()
	for k := range ps {
		if vals[k] != nil {
			*ps[k].slot(c) = vals[k]
		}
	}
	return c
}

// FactorLayout returns, per model node, the indices of the factors of the
// network built with Build (chain false) or BuildChained (chain true) that
// the node's numbers determine: its own CPT, and for a chained noisy node
// the chain's links first, in chain order, its own last.
func (m *Model) FactorLayout(chain bool) [][]int {
	out := make([][]int, len(m.Nodes))
	aux := len(m.Nodes)
	for i := range m.Nodes {
		n := &m.Nodes[i]
		if np := len(n.Parents()); chain && n.Noisy != nil && np >= 3 {
			for range np - 1 {
				out[i] = append(out[i], aux)
				aux++
			}
		}
		out[i] = append(out[i], i)
	}
	return out
}

// FactorTables returns the tables of the network Build (chain false) or
// BuildChained (chain true) would make, in the order of its factors,
// without building the network or checking the model (the model must have
// been checked; WithValues keeps its structure).
func (m *Model) FactorTables(chain bool) ([][]float64, error) {
	layout := m.FactorLayout(chain)
	total := 0
	for _, fs := range layout {
		total += len(fs)
	}
	out := make([][]float64, total)
	for i := range m.Nodes {
		ts, err := m.nodeTables(&m.Nodes[i], m.Nodes[i].Parents(), chain, m.stateIndex)
		if err != nil {
			return nil, fmt.Errorf("kb: node %q: %w", m.Nodes[i].ID, err)
		}
		if len(ts) != len(layout[i]) {
			return nil, fmt.Errorf("kb: node %q: %d tables, want %d", m.Nodes[i].ID, len(ts), len(layout[i]))
		}
		for j, f := range layout[i] {
			out[f] = ts[j]
		}
	}
	return out, nil
}

// Deriv is the derivative of one entry of a compiled table with respect to
// one coordinate of a parameter.
type Deriv struct {
	Factor, Entry int
	D             float64
}

// TableDerivatives returns, for every parameter k and every component j
// with ps[k].P[j] > 0, the nonzero derivatives of the entries of the
// compiled tables (FactorTables(chain)) with respect to the coordinate φ_kj
// (see the package comment: p = softmax(φ)), at the model's values. Every
// table is affine in each single parameter vector (tables copy it, noisy
// nodes multiply its cumulative sums, mixtures average it), so a central
// difference along the coordinate's direction is exact up to rounding.
func (m *Model) TableDerivatives(ps []Param, chain bool) ([][][]Deriv, error) {
	layout := m.FactorLayout(chain)
	out := make([][][]Deriv, len(ps))
	const h = 1e-4
	for k := range ps {
		p := &ps[k]
		out[k] = make([][]Deriv, len(p.P))
		if !p.Drawn() {
			continue
		}
		node := &m.Nodes[p.Node]
		parents := node.Parents()
		for j := range p.P {
			if p.P[j] == 0 {
				continue
			}
			tables := func(sign float64) ([][]float64, error) {
				v := make([]float64, len(p.P))
				for i, x := range p.P {
					dir := -x * p.P[j]
					if i == j {
						dir += x
					}
					v[i] = x + sign*h*dir
				}
				c := m.cloneNumbers()
				*p.slot(c) = v
				return c.nodeTables(&c.Nodes[p.Node], parents, chain, c.stateIndex)
			}
			plus, err := tables(1)
			if err != nil {
				return nil, fmt.Errorf("kb: %s: %w", p.Where, err)
			}
			minus, err := tables(-1)
			if err != nil {
				return nil, fmt.Errorf("kb: %s: %w", p.Where, err)
			}
			for t := range plus {
				for e := range plus[t] {
					d := (plus[t][e] - minus[t][e]) / (2 * h)
					if math.Abs(d) > 1e-12 {
						out[k][j] = append(out[k][j], Deriv{Factor: layout[p.Node][t], Entry: e, D: d})
					}
				}
			}
		}
	}
	return out, nil
}

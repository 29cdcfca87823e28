package assess

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"slices"
	"sort"
	"sync"

	"github.com/tendo-health/tendo"
	"github.com/tendo-health/tendo/bn"
	"github.com/tendo-health/tendo/kb"
)

// Credible intervals (contract v1.1): the 90% interval of each posterior
// probability from the uncertainty of the model's numbers (kb.Param gives
// the draw rules).
//
// The reference is Monte Carlo: draw every number, compute the posterior,
// take the 5th and 95th percentiles of 1,000 draws (ReferenceRangesFor;
// Options.ReferenceRanges uses it). The engine's fast method is a
// first-order (additive, one-parameter-at-a-time) model of the log-odds,
// evaluated on the same 1,000 draws:
//
//   - P(h ∈ S, e) and P(h ∉ S, e) are multilinear in the table entries and
//     every table is affine in each parameter vector, so changing one
//     parameter p_k alone by Δ changes them by the factors 1 + hS_k·Δ and
//     1 + hN_k·Δ exactly, where hS_k and hN_k come from the family marginals
//     given h ∈ S and given h ∉ S (one incremental propagation per target
//     from the main propagation's snapshot; bn/gradient.go) and the
//     derivatives of the compiled tables (kb.Model.TableDerivatives,
//     computed once);
//   - draw d's odds are taken as odds(p) · Π_k (1 + hS_k·Δ_kd)/(1 + hN_k·Δ_kd)
//     over the rangeMaxParams parameters with the largest linearised
//     variance of the log-odds, which ignores only the interactions
//     between parameters;
//   - the interval is the 5th and 95th percentile of the draws, widened
//     if needed to contain the point probability.
//
// A delta method (logit P linear in the log-gamma coordinates of the
// Dirichlet draws, with exact cumulants and a Cornish–Fisher correction;
// kb.Param.Cumulants) was measured first: 0.12 from the reference on the
// public cases, because most numbers are expert estimates drawn with an
// effective sample size of 10 and the posteriors respond to them far from
// linearly. The additive model comes within 0.0216 (see README).

// Target is a probability to give a range for: that a node of the model
// is in one of a set of states. Make one with Engine.Target.
type Target struct {
	v  int
	in []bool
}

// Target returns the target "node is in one of states" (for example
// ("s1Radiculopathy", "present")).
func (e *Engine) Target(node string, states ...string) (Target, error) {
	v := e.net.Index(node)
	if v < 0 {
		return Target{}, fmt.Errorf("assess: the model has no node %q", node)
	}
	t := Target{v: v, in: make([]bool, e.net.Card(v))}
	for _, s := range states {
		i := e.net.StateIndex(v, s)
		if i < 0 {
			return Target{}, fmt.Errorf("assess: node %q has no state %q", node, s)
		}
		t.in[i] = true
	}
	return t, nil
}

// rangeCoord is one coordinate φ_j of one drawn parameter (p_j > 0): its
// terms in the gradient.
type rangeCoord struct {
	lo, hi int32 // its terms: e.terms[lo:hi]
}

// rangeRow is one free component j of a drawn parameter (all its positive
// components but the last): Δp_j is its change in a draw, and the last
// positive component changes by minus the others' changes.
type rangeRow struct {
	param    int     // index in e.fastParams
	c, last  int     // the coordinates of components j and last
	p, plast float64 // their values
	vari     float64 // the variance of Δp_j over the draws
}

// fastParam is a drawn parameter's rows, e.rows[lo:hi], and their
// changes in the reference draws, draw-major: draws[d*(hi−lo)+r−lo].
type fastParam struct {
	lo, hi int
	draws  []float64
}

// rangeTerm is dθ/dφ / θ for one table entry θ, at its offset in the
// concatenated family marginals.
type rangeTerm struct {
	at int32
	c  float64
}

// initRanges prepares the ranges: the parameters, for each coordinate the
// derivatives of the compiled tables divided by the entries, and the
// reference draws of every free component.
func (e *Engine) initRanges() error {
	ps, err := e.model.Params()
	if err != nil {
		return err
	}
	ds, err := e.model.TableDerivatives(ps, true)
	if err != nil {
		return err
	}
	e.params = ps
	for k := range ps {
		p := &ps[k]
		if !p.Drawn() {
			continue
		}
		fp := fastParam{lo: len(e.rows)}
		first := len(e.coords)
		var pos []int
		for j := range p.P {
			if p.P[j] == 0 {
				continue
			}
			pos = append(pos, j)
			c := rangeCoord{lo: int32(len(e.terms))}
			for _, d := range ds[k][j] {
				theta := e.jt.Table(d.Factor)[d.Entry]
				if theta == 0 {
					// The tables' zero entries do not depend on the
					// parameters (structural zeros stay zero).
					continue
				}
				e.terms = append(e.terms, rangeTerm{at: int32(e.jt.FamilyOffset(d.Factor) + d.Entry), c: d.D / theta})
			}
			c.hi = int32(len(e.terms))
			e.coords = append(e.coords, c)
		}
		last := pos[len(pos)-1]
		for i, j := range pos[:len(pos)-1] {
			e.rows = append(e.rows, rangeRow{param: len(e.fastParams), c: first + i, last: first + len(pos) - 1, p: p.P[j], plast: p.P[last]})
			e.rowComp = append(e.rowComp, [2]int{k, j})
		}
		fp.hi = len(e.rows)
		e.fastParams = append(e.fastParams, fp)
	}
	e.famLen = e.jt.FamilyOffset(len(e.net.Factors))
	e.selFamilies = e.jt.SelectFamilies(nil)
	// The reference draws (the stream ReferenceRangesFor uses).
	rng := rand.New(rand.NewPCG(ReferenceSeed, ReferenceSeed))
	vals := make([][]float64, len(ps))
	e.drawD = make([][]float64, len(e.rows))
	for r := range e.drawD {
		e.drawD[r] = make([]float64, ReferenceDraws)
	}
	for d := range ReferenceDraws {
		kb.Draw(rng, ps, vals)
		for r, kj := range e.rowComp {
			e.drawD[r][d] = vals[kj[0]][kj[1]] - ps[kj[0]].P[kj[1]]
		}
	}
	for r := range e.rows {
		m, v := 0.0, 0.0
		for _, x := range e.drawD[r] {
			m += x
		}
		m /= ReferenceDraws
		for _, x := range e.drawD[r] {
			v += (x - m) * (x - m)
		}
		e.rows[r].vari = v / ReferenceDraws
	}
	for k := range e.fastParams {
		fp := &e.fastParams[k]
		m := fp.hi - fp.lo
		fp.draws = make([]float64, m*ReferenceDraws)
		for d := range ReferenceDraws {
			for r := fp.lo; r < fp.hi; r++ {
				fp.draws[d*m+r-fp.lo] = e.drawD[r][d]
			}
		}
	}
	e.drawD = nil
	return nil
}

// rangeWork is a worker's buffers for the ranges.
type rangeWork struct {
	q          *bn.Query // the worker's main query
	base, cond []float64
	lik, saved []float64
	grad       []float64 // when not nil, interval stores the gradient (tests)
	pS, pN     []float64 // family marginals given S and not S
	gS, gN     []float64 // per coordinate
	hS, hN     []float64 // per row
	imp        []float64 // per drawn parameter
	order, bin []int
	num, den   []float64 // per draw
	sel        []float64 // scratch for the percentiles
	changed    [1]int
}

func (e *Engine) newRangeWork() *rangeWork {
	return &rangeWork{
		base: make([]float64, e.famLen),
		cond: make([]float64, e.famLen),
		pS:   make([]float64, e.famLen),
		pN:   make([]float64, e.famLen),
		gS:   make([]float64, len(e.coords)),
		gN:   make([]float64, len(e.coords)),
		hS:   make([]float64, len(e.rows)),
		hN:   make([]float64, len(e.rows)),
		imp:  make([]float64, len(e.fastParams)),
		num:  make([]float64, ReferenceDraws),
		den:  make([]float64, ReferenceDraws),
	}
}

// z90 is the 95th percentile of the standard normal.
const z90 = 1.6448536269514722

// rangesInto sets dst[i] to the 90% credible interval of targets[i] given
// the worker's evidence; points, when not nil, are the point
// probabilities the intervals must contain (else those of this
// propagation). The worker's main query must hold that evidence and a
// successful Propagate of it (its incremental snapshot): every
// propagation here starts from that snapshot, and the query's evidence is
// as before on return (its selection and marginals are not).
func (e *Engine) rangesInto(w *worker, targets []Target, points []float64, dst []tendo.Range) error {
	if w.rw == nil {
		w.rw = e.newRangeWork()
	}
	rw := w.rw
	rw.q = w.main
	q := rw.q
	q.Use(e.selFamilies)
	if err := q.PropagateChanged(nil); err != nil {
		if errors.Is(err, bn.ErrZeroProbability) {
			return ErrImpossible
		}
		return err
	}
	if err := q.FamilyMarginals(rw.base); err != nil {
		return err
	}
	for i, t := range targets {
		// P(h ∈ S | e) from the target's own family.
		fam := rw.base[e.jt.FamilyOffset(t.v):e.jt.FamilyOffset(t.v+1)]
		card := len(t.in)
		p := 0.0
		for x, f := range fam {
			if t.in[x%card] {
				p += f
			}
		}
		point := p
		if points != nil {
			point = points[i]
		}
		lo, hi, err := e.interval(rw, t, p)
		if err != nil {
			return err
		}
		dst[i] = tendo.Range{min(lo, point), max(hi, point)}
	}
	return nil
}

// interval computes the interval of one target with probability p given
// the evidence in rw.q (whose family marginals are in rw.base): the
// first-order (additive) model of logit P on the reference draws.
func (e *Engine) interval(rw *rangeWork, t Target, p float64) (lo, hi float64, err error) {
	const certain = 1e-12
	if p < certain || p > 1-certain {
		return p, p, nil
	}
	q := rw.q
	if q.HardState(t.v) >= 0 {
		return p, p, nil // the target is observed (p is 0 or 1)
	}
	// Restrict the target to S when S is the less likely side, else to
	// its complement, on top of any evidence it carries.
	side := p <= 0.5
	prev := q.Likelihood(t.v)
	rw.saved = rw.saved[:0]
	if prev != nil {
		rw.saved = append(rw.saved, prev...)
	}
	rw.lik = rw.lik[:0]
	for x, in := range t.in {
		l := 0.0
		if in == side {
			l = 1
		}
		if prev != nil {
			l *= rw.saved[x]
		}
		rw.lik = append(rw.lik, l)
	}
	if err := q.SetLikelihood(t.v, rw.lik); err != nil {
		return 0, 0, err
	}
	rw.changed[0] = t.v
	err = q.PropagateChanged(rw.changed[:])
	if err == nil {
		err = q.FamilyMarginals(rw.cond)
	}
	if prev != nil {
		err2 := q.SetLikelihood(t.v, rw.saved)
		if err == nil {
			err = err2
		}
	} else {
		q.Retract(t.v)
	}
	if errors.Is(err, bn.ErrZeroProbability) {
		return p, p, nil
	}
	if err != nil {
		return 0, 0, err
	}
	// The family marginals given S and given not S.
	pS, pN := rw.pS, rw.pN
	for i, x := range rw.cond {
		b := rw.base[i]
		if side {
			pS[i], pN[i] = x, (b-p*x)/(1-p)
		} else {
			pS[i], pN[i] = (b-(1-p)*x)/p, x
		}
	}
	// Per coordinate φ_j: ∂ log P(h ∈ S, e)/∂φ_j and ∂ log P(h ∉ S, e)/∂φ_j.
	for i, c := range e.coords {
		var gs, gn float64
		for _, term := range e.terms[c.lo:c.hi] {
			gs += term.c * pS[term.at]
			gn += term.c * pN[term.at]
		}
		rw.gS[i], rw.gN[i] = gs, gn
	}
	if rw.grad != nil {
		for i := range rw.grad {
			rw.grad[i] = rw.gS[i] - rw.gN[i]
		}
	}
	// Each parameter alone changes P(h ∈ S, e) and P(h ∉ S, e) by
	// affine functions of its change Δp: relative changes hS·Δp and hN·Δp
	// (one row per free component). Rank the parameters by the variance
	// of their effect on the log-odds.
	clear(rw.imp)
	for r := range e.rows {
		row := &e.rows[r]
		hs := rw.gS[row.c]/row.p - rw.gS[row.last]/row.plast
		hn := rw.gN[row.c]/row.p - rw.gN[row.last]/row.plast
		rw.hS[r], rw.hN[r] = hs, hn
		d := hs - hn
		rw.imp[row.param] += d * d * row.vari
	}
	total := 0.0
	for _, x := range rw.imp {
		total += x
	}
	if !(total > 0) {
		return p, p, nil
	}
	rw.order = rw.order[:0]
	for k, x := range rw.imp {
		if x >= rangeMinShare*total {
			rw.order = append(rw.order, k)
		}
	}
	if len(rw.order) > rangeMaxParams {
		slices.SortFunc(rw.order, func(a, b int) int {
			switch {
			case rw.imp[a] > rw.imp[b]:
				return -1
			case rw.imp[a] < rw.imp[b]:
				return 1
			}
			return a - b
		})
		rw.order = rw.order[:rangeMaxParams]
	}
	// The additive model on the draws: odds_d = odds · Π_k (1 + hS·Δp_kd) / (1 + hN·Δp_kd).
	num, den := rw.num, rw.den
	for d := range num {
		num[d], den[d] = 1, 1
	}
	// Binary parameters (one row) four at a time, then the rest.
	bin := rw.bin[:0]
	for _, k := range rw.order {
		if fp := &e.fastParams[k]; fp.hi-fp.lo == 1 {
			bin = append(bin, k)
		}
	}
	rw.bin = bin
	for len(bin) >= 4 {
		f0, f1, f2, f3 := &e.fastParams[bin[0]], &e.fastParams[bin[1]], &e.fastParams[bin[2]], &e.fastParams[bin[3]]
		s0, s1, s2, s3 := rw.hS[f0.lo], rw.hS[f1.lo], rw.hS[f2.lo], rw.hS[f3.lo]
		n0, n1, n2, n3 := rw.hN[f0.lo], rw.hN[f1.lo], rw.hN[f2.lo], rw.hN[f3.lo]
		D0, D1, D2, D3 := f0.draws[:len(num)], f1.draws[:len(num)], f2.draws[:len(num)], f3.draws[:len(num)]
		den := den[:len(num)]
		for d := range num {
			x0, x1, x2, x3 := D0[d], D1[d], D2[d], D3[d]
			num[d] *= (1 + s0*x0) * (1 + s1*x1) * (1 + s2*x2) * (1 + s3*x3)
			den[d] *= (1 + n0*x0) * (1 + n1*x1) * (1 + n2*x2) * (1 + n3*x3)
		}
		bin = bin[4:]
	}
	for _, k := range rw.order {
		fp := &e.fastParams[k]
		D := fp.draws
		switch m := fp.hi - fp.lo; m {
		case 1:
			if !slices.Contains(bin, k) {
				continue // done above
			}
			hs, hn := rw.hS[fp.lo], rw.hN[fp.lo]
			D = D[:len(num)]
			den := den[:len(num)]
			for d, x := range D {
				num[d] *= 1 + hs*x
				den[d] *= 1 + hn*x
			}
		case 2:
			s0, s1 := rw.hS[fp.lo], rw.hS[fp.lo+1]
			n0, n1 := rw.hN[fp.lo], rw.hN[fp.lo+1]
			D = D[:2*len(num)]
			den := den[:len(num)]
			for d := range num {
				x0, x1 := D[2*d], D[2*d+1]
				num[d] *= 1 + s0*x0 + s1*x1
				den[d] *= 1 + n0*x0 + n1*x1
			}
		case 3:
			s0, s1, s2 := rw.hS[fp.lo], rw.hS[fp.lo+1], rw.hS[fp.lo+2]
			n0, n1, n2 := rw.hN[fp.lo], rw.hN[fp.lo+1], rw.hN[fp.lo+2]
			D = D[:3*len(num)]
			den := den[:len(num)]
			for d := range num {
				x := D[3*d : 3*d+3 : 3*d+3]
				num[d] *= 1 + s0*x[0] + s1*x[1] + s2*x[2]
				den[d] *= 1 + n0*x[0] + n1*x[1] + n2*x[2]
			}
		case 4:
			s0, s1, s2, s3 := rw.hS[fp.lo], rw.hS[fp.lo+1], rw.hS[fp.lo+2], rw.hS[fp.lo+3]
			n0, n1, n2, n3 := rw.hN[fp.lo], rw.hN[fp.lo+1], rw.hN[fp.lo+2], rw.hN[fp.lo+3]
			D = D[:4*len(num)]
			den := den[:len(num)]
			for d := range num {
				x := D[4*d : 4*d+4 : 4*d+4]
				num[d] *= 1 + s0*x[0] + s1*x[1] + s2*x[2] + s3*x[3]
				den[d] *= 1 + n0*x[0] + n1*x[1] + n2*x[2] + n3*x[3]
			}
		default:
			hs, hn := rw.hS[fp.lo:fp.hi], rw.hN[fp.lo:fp.hi]
			for d := range num {
				x := D[d*m : (d+1)*m]
				a, b := 1.0, 1.0
				for r, xr := range x {
					a += hs[r] * xr
					b += hn[r] * xr
				}
				num[d] *= a
				den[d] *= b
			}
		}
	}
	for d := range num {
		num[d] /= den[d]
	}
	odds := p / (1 - p)
	prob := func(ratio float64) float64 {
		o := odds * ratio
		if math.IsInf(o, 1) {
			return 1
		}
		return o / (1 + o)
	}
	lo, hi = percentiles(num, &rw.sel, prob)
	return lo, hi, nil
}

// percentiles returns the 5th and 95th percentiles (R's type 7) of
// f(v) over v, for f increasing. It reorders v and uses buf (which it may
// grow) as scratch.
func percentiles(v []float64, buf *[]float64, f func(float64) float64) (lo, hi float64) {
	n := len(v)
	at := func(q float64) (int, float64) {
		h := q * float64(n-1)
		i := int(h)
		return i, h - float64(i)
	}
	il, fl := at(0.05)
	ih, fh := at(0.95)
	a, b, c, d := tailStats(v, il, ih, buf)
	return f(a) + fl*(f(b)-f(a)), f(c) + fh*(f(d)-f(c))
}

// tailStats returns the il-th, (il+1)-th, ih-th and (ih+1)-th smallest
// values of v (il < ih; the (ih+1)-th is the ih-th when ih is the last
// index). Cuts taken from a strided subsample keep about twice as many
// values as each tail needs, in one pass, so the exact selections run on
// about a fifth of v; when a cut keeps too few, it selects on v.
func tailStats(v []float64, il, ih int, buf *[]float64) (a, b, c, d float64) {
	n := len(v)
	const stride = 8
	if n >= 200 && ih+1 < n {
		if cap(*buf) < 2*n {
			*buf = make([]float64, 0, 2*n) // room for both tails, so no append reallocates
		}
		sub := (*buf)[:0]
		for j := 0; j < n; j += stride {
			sub = append(sub, v[j])
		}
		m := len(sub)
		cutLo := selectKth(sub, min(m-1, 2*(il+1)/stride+2))
		cutHi := selectKth(sub, max(0, m-1-(2*(n-ih)/stride+2)))
		low := sub[:0]
		for _, x := range v {
			if x <= cutLo {
				low = append(low, x)
			}
		}
		nl := len(low)
		high := low[nl:]
		for _, x := range v {
			if x >= cutHi {
				high = append(high, x)
			}
		}
		if nl >= il+2 && len(high) >= n-ih+1 {
			a = selectKth(low, il)
			b = slices.Min(low[il+1:])
			k := ih - (n - len(high)) // the index within the kept values
			c = selectKth(high, k)
			d = slices.Min(high[k+1:])
			return a, b, c, d
		}
	}
	a = selectKth(v, il)
	b = slices.Min(v[il+1:])
	c = selectKth(v, ih)
	d = c
	if ih+1 < n {
		d = slices.Min(v[ih+1:])
	}
	return a, b, c, d
}

// selectKth reorders v so that v[k] is its k-th smallest value, with no
// larger value before it and no smaller after, and returns v[k].
func selectKth(v []float64, k int) float64 {
	lo, hi := 0, len(v)-1
	for lo < hi {
		pivot := v[lo+(hi-lo)/2]
		i, j := lo, hi
		for i <= j {
			for v[i] < pivot {
				i++
			}
			for v[j] > pivot {
				j--
			}
			if i <= j {
				v[i], v[j] = v[j], v[i]
				i++
				j--
			}
		}
		switch {
		case k <= j:
			hi = j
		case k >= i:
			lo = i
		default:
			return v[k]
		}
	}
	return v[k]
}

// Method settings, fixed after measurement against the Monte Carlo
// reference (see ranges_test.go): at most rangeMaxParams parameters per
// target, each with at least rangeMinShare of the total (linearised)
// variance of the log-odds, enter the additive model.
var (
	rangeMaxParams = 16
	rangeMinShare  = 1e-4
)

func expit(x float64) float64 {
	if x >= 0 {
		return 1 / (1 + math.Exp(-x))
	}
	ex := math.Exp(x)
	return ex / (1 + ex)
}

// RangesFor gives the 90% credible interval of each target's probability
// for an assessment (validated, as for Assess), by the engine's fast
// method. Each interval contains the point probability.
func (e *Engine) RangesFor(a *tendo.Assessment, targets []Target) ([]tendo.Range, error) {
	if e.opts.ReferenceRanges {
		return e.referenceContaining(a, targets)
	}
	w := e.pool.Get().(*worker)
	defer e.pool.Put(w)
	w.ev, _ = e.mapping.Evidence(a, w.ev[:0])
	w.main.Clear()
	if err := applyAll(w); err != nil {
		return nil, err
	}
	if err := w.main.Propagate(); err != nil {
		if errors.Is(err, bn.ErrZeroProbability) {
			return nil, ErrImpossible
		}
		return nil, err
	}
	out := make([]tendo.Range, len(targets))
	if err := e.rangesInto(w, targets, nil, out); err != nil {
		return nil, err
	}
	return out, nil
}

// ProbabilityTargets returns the targets of the keys of
// tendo.Probabilities, in the order of probabilityKeys.
func (e *Engine) probabilityTargets() []Target {
	bin := func(v, s int) Target {
		t := Target{v: v, in: make([]bool, e.net.Card(v))}
		t.in[s] = true
		return t
	}
	tend := Target{v: e.vTend, in: make([]bool, e.net.Card(e.vTend))}
	for s := 1; s < len(tend.in); s++ {
		tend.in[s] = true
	}
	return []Target{
		tend, bin(e.vS1, 1), bin(e.vLC, 1), bin(e.vRupt, 1),
		bin(e.vTend, 1), bin(e.vTend, 2),
		bin(e.vGait, 1), bin(e.vCalf, 1), bin(e.vOver, 1), bin(e.vVuln, 1),
	}
}

// probabilityKeys are the keys of tendo.Probabilities in the order of
// probabilityTargets.
var probabilityKeys = []string{
	"achillesTendinopathy", "s1Radiculopathy", "lumbarContribution", "achillesRupture",
	"midportionTendinopathy", "insertionalTendinopathy",
	"compensatoryGait", "calfWeakness", "tendonOverload", "tendonVulnerability",
}

// ProbabilityKeys returns the keys of tendo.Probabilities in the order
// ProbabilityTargets and ReferenceRanges use.
func ProbabilityKeys() []string { return slices.Clone(probabilityKeys) }

// ProbabilityTargets returns the targets of the keys of
// tendo.Probabilities, in the order of ProbabilityKeys.
func (e *Engine) ProbabilityTargets() []Target { return e.probabilityTargets() }

func probabilityPoints(p *tendo.Probabilities) []float64 {
	return []float64{
		p.AchillesTendinopathy, p.S1Radiculopathy, p.LumbarContribution, p.AchillesRupture,
		p.MidportionTendinopathy, p.InsertionalTendinopathy,
		p.CompensatoryGait, p.CalfWeakness, p.TendonOverload, p.TendonVulnerability,
	}
}

func setProbabilityRanges(r *tendo.ProbabilityRanges, rs []tendo.Range) {
	r.AchillesTendinopathy, r.S1Radiculopathy, r.LumbarContribution, r.AchillesRupture = rs[0], rs[1], rs[2], rs[3]
	r.MidportionTendinopathy, r.InsertionalTendinopathy = rs[4], rs[5]
	r.CompensatoryGait, r.CalfWeakness, r.TendonOverload, r.TendonVulnerability = rs[6], rs[7], rs[8], rs[9]
}

// ReferenceDraws and ReferenceSeed define the contract's reference method.
const (
	ReferenceDraws = 1000
	ReferenceSeed  = 20261203
)

// mcSet is a set of drawn models, compiled into the engine's tree.
type mcSet struct {
	draws int
	seed  uint64
	trees []*bn.JunctionTree
}

var mcMu sync.Mutex

// referenceTrees returns (and keeps) draws trees of the model's numbers
// drawn from the seed (PCG(seed, seed)).
func (e *Engine) referenceTrees(draws int, seed uint64) ([]*bn.JunctionTree, error) {
	mcMu.Lock()
	defer mcMu.Unlock()
	if s := e.mc; s != nil && s.draws == draws && s.seed == seed {
		return s.trees, nil
	}
	rng := rand.New(rand.NewPCG(seed, seed))
	vals := make([][]float64, len(e.params))
	trees := make([]*bn.JunctionTree, draws)
	for d := range trees {
		kb.Draw(rng, e.params, vals)
		tables, err := e.model.WithValues(e.params, vals).FactorTables(true)
		if err != nil {
			return nil, err
		}
		if trees[d], err = e.jt.WithTables(tables); err != nil {
			return nil, err
		}
		for k := range vals {
			vals[k] = nil // the tables may alias the drawn vectors
		}
	}
	e.mc = &mcSet{draws: draws, seed: seed, trees: trees}
	return trees, nil
}

// ReferenceRangesFor computes the contract's reference intervals: the
// model's numbers drawn draws times (kb.Draw, PCG seeded with seed), the
// posterior of each target under each draw, and the 5th and 95th
// percentiles (linear interpolation between order statistics). Draws
// under which the evidence is impossible are left out. The intervals are
// not widened to contain the point. It is slow (one propagation per draw)
// and meant for tests and checks; the drawn trees are kept for the next
// call with the same draws and seed.
func (e *Engine) ReferenceRangesFor(a *tendo.Assessment, targets []Target, draws int, seed uint64) ([]tendo.Range, error) {
	trees, err := e.referenceTrees(draws, seed)
	if err != nil {
		return nil, err
	}
	ev, _ := e.mapping.Evidence(a, nil)
	want := make([]int, 0, len(targets))
	for _, t := range targets {
		if !slices.Contains(want, t.v) {
			want = append(want, t.v)
		}
	}
	// The draws are split among the cores, each with its own query; the
	// percentiles come from the sorted samples, so the split does not
	// change the result.
	parts := min(runtime.GOMAXPROCS(0), len(trees))
	partSamples := make([][][]float64, parts)
	errs := make([]error, parts)
	var wg sync.WaitGroup
	for pi := range parts {
		wg.Add(1)
		go func() {
			defer wg.Done()
			mine := make([][]float64, len(targets))
			q := e.jt.NewQuery()
			q.Want(want)
			if err := kb.Apply(q, ev, -1, nil, nil); err != nil {
				errs[pi] = err
				return
			}
			for d := pi; d < len(trees); d += parts {
				if err := q.Retarget(trees[d]); err != nil {
					errs[pi] = err
					return
				}
				if err := q.Propagate(); err != nil {
					if errors.Is(err, bn.ErrZeroProbability) {
						continue
					}
					errs[pi] = err
					return
				}
				for i, t := range targets {
					p := 0.0
					for s, x := range q.Marginal(t.v) {
						if t.in[s] {
							p += x
						}
					}
					mine[i] = append(mine[i], p)
				}
			}
			partSamples[pi] = mine
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	samples := make([][]float64, len(targets))
	for _, mine := range partSamples {
		for i := range samples {
			samples[i] = append(samples[i], mine[i]...)
		}
	}
	out := make([]tendo.Range, len(targets))
	for i, s := range samples {
		if len(s) == 0 {
			return nil, ErrImpossible
		}
		sort.Float64s(s)
		out[i] = tendo.Range{percentile(s, 0.05), percentile(s, 0.95)}
	}
	return out, nil
}

// percentile returns the q-quantile of sorted values by linear
// interpolation between order statistics (R's type 7).
func percentile(s []float64, q float64) float64 {
	h := q * float64(len(s)-1)
	i := int(h)
	if i >= len(s)-1 {
		return s[len(s)-1]
	}
	return s[i] + (h-float64(i))*(s[i+1]-s[i])
}

// referenceContaining is ReferenceRangesFor widened, where needed, to
// contain each target's point probability (what Assess reports).
func (e *Engine) referenceContaining(a *tendo.Assessment, targets []Target) ([]tendo.Range, error) {
	ref, err := e.ReferenceRangesFor(a, targets, ReferenceDraws, ReferenceSeed)
	if err != nil {
		return nil, err
	}
	w := e.pool.Get().(*worker)
	defer e.pool.Put(w)
	w.ev, _ = e.mapping.Evidence(a, w.ev[:0])
	q := w.main
	vars := make([]int, len(targets))
	for i, t := range targets {
		vars[i] = t.v
	}
	q.Use(e.jt.Select(vars))
	q.Clear()
	if err := applyAll(w); err != nil {
		return nil, err
	}
	if err := q.Propagate(); err != nil {
		if errors.Is(err, bn.ErrZeroProbability) {
			return nil, ErrImpossible
		}
		return nil, err
	}
	out := make([]tendo.Range, len(targets))
	for i, t := range targets {
		p := 0.0
		for s, in := range t.in {
			if in {
				p += q.Marginal(t.v)[s]
			}
		}
		out[i] = tendo.Range{min(ref[i][0], p), max(ref[i][1], p)}
	}
	return out, nil
}

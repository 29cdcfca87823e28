package assess

import (
	"errors"
	"math"
	"sort"
	"strings"

	"github.com/tendo-health/tendo"
	"github.com/tendo-health/tendo/bn"
	"github.com/tendo-health/tendo/kb"
)

// candidate is a finding that can be examined next.
type candidate struct {
	field    string // the contract (or kb virtual) path
	node     int
	label    string
	why      string
	category int // 0 history, 1 examination, 2 imaging
	// loadsTendon is true for tests that load the tendon (heel raises),
	// which a suspected rupture or fracture forbids.
	loadsTendon bool
	present     func(*tendo.Assessment) bool
}

const (
	catHistory = iota
	catExam
	catImaging
)

// buildCandidates lists the findings that can be ordered next: every
// mapped finding but demographics, derived numbers and instrumented gait;
// a field that sets several nodes (pain site, tenderness, area lists)
// gives one candidate per node, and the best one stands for the field.
func (e *Engine) buildCandidates(m *kb.Model, mp *kb.Mapping) {
	add := func(field, nodeID string) {
		n := e.net.Index(nodeID)
		node := m.Node(nodeID)
		if n < 0 || node == nil {
			return
		}
		cat := catHistory
		switch {
		case strings.HasPrefix(field, "exam.") || strings.HasPrefix(field, "gait."):
			cat = catExam
		case strings.HasPrefix(field, "imaging."):
			cat = catImaging
		}
		e.candidates = append(e.candidates, candidate{
			field: field, node: n, label: node.Label, why: node.Description, category: cat,
			loadsTendon: field == "exam.heelRaiseReps" || field == "exam.heelRaisePain",
			present:     kb.Present(field),
		})
	}
	for _, f := range mp.Findings() {
		if f.Kind == "logistic" || f.Kind == "bmi" || strings.HasPrefix(f.Field, "patient.") {
			continue // instrumented values and demographics are not tests to order
		}
		switch f.Kind {
		case "sites":
			seen := map[string]bool{}
			var vals []string
			for v := range f.Sites {
				vals = append(vals, v)
			}
			sort.Strings(vals)
			for _, v := range vals {
				for _, ns := range f.Sites[v] {
					if !seen[ns.Node] {
						seen[ns.Node] = true
						add(f.Field, ns.Node)
					}
				}
			}
		case "areas":
			for _, g := range f.Groups {
				add(f.Field, g.Node)
			}
		default:
			add(f.Field, f.Node)
		}
	}
}

// untested lists the candidate tests the assessment does not give and
// whose node carries no evidence from another field.
func (e *Engine) untested(a *tendo.Assessment, w *worker) []candidate {
	out := w.cands[:0]
	if len(w.hasEv) != len(e.net.Variables) {
		w.hasEv = make([]bool, len(e.net.Variables))
	}
	clear(w.hasEv)
	for _, ev := range w.ev {
		w.hasEv[ev.Node] = true
	}
	for _, c := range e.candidates {
		if !w.hasEv[c.node] && (c.present == nil || !c.present(a)) {
			out = append(out, c)
		}
	}
	return out
}

// decision is what a result's plan turns on: the classification and the
// conditions that stop loading.
type decision struct {
	class                             tendo.Classification
	rupture, fracture, infection, dvt bool
}

// maxDiff bounds the number of differential conditions (the contract
// has 18).
const maxDiff = 32

// state is the probabilities a decision is read from.
type state struct {
	tend, lumbar, root, rupture float64
	diff                        [maxDiff]float64 // per e.diff: P(present)
}

// decide applies the classification thresholds (the red flags fixed) to
// a state: the same order of rules as classify.
func (e *Engine) decide(s state, urgent bool) decision {
	L, U := e.likely, e.unlike
	d := decision{}
	for i, dn := range e.diff {
		p := s.diff[i]
		switch dn.code {
		case "partial-achilles-tear":
			d.rupture = d.rupture || p >= U
		case "calcaneal-stress-fracture":
			d.fracture = p >= U
		case "infection":
			d.infection = p >= U
		case "dvt":
			d.dvt = p >= U
		}
	}
	d.rupture = d.rupture || s.rupture >= U
	var lead float64
	leadLocal := false
	for i, dn := range e.diff {
		if p := s.diff[i]; p > lead {
			lead, leadLocal = p, dn.local
		}
	}
	switch {
	case urgent:
		d.class = tendo.UrgentReferral
	case s.rupture >= U:
		d.class = tendo.Uncertain
	case s.tend >= L && s.lumbar < U:
		d.class = tendo.LocalTendinopathy
	case s.tend >= L && s.lumbar >= L:
		d.class = tendo.Mixed
	case s.tend < U && s.lumbar >= L && s.root >= L:
		d.class = tendo.LumbarReferred
	case leadLocal && lead >= minDifferential && s.lumbar < U && (s.tend < U || (s.tend < L && lead >= L && lead > s.tend)):
		d.class = tendo.OtherCause
	default:
		d.class = tendo.Uncertain
	}
	return d
}

// nextTests ranks the findings not yet examined by how likely their
// result is to change the decision (the classification, or whether a
// rupture, fracture, infection or DVT stops loading), then by the
// expected change of the probabilities the decision reads. It conditions
// on each state of the source pattern (tendon, lumbar, both, neither), of
// a rupture and of the leading differential conditions (one incremental
// propagation each) and reads every candidate's distribution from those.
// Tests that load the tendon are never suggested when loading is
// contraindicated; with no examination recorded, examination comes first.
func (e *Engine) nextTests(a *tendo.Assessment, w *worker, res *tendo.Result) ([]tendo.NextTest, error) {
	q := w.main
	cands := w.cands
	if len(cands) == 0 {
		return []tendo.NextTest{}, nil
	}
	f := facts{a: a, res: res, e: e}
	noLoad := f.noLoading()
	urgent := res.Classification == tendo.UrgentReferral

	// The targets: the source pattern, rupture, and up to two
	// differential conditions above 5%, most probable first.
	type target struct {
		v    int
		pt   []float64
		diff int // index in e.diff, or -1
	}
	targets := []target{
		{e.vPattern, append([]float64(nil), q.Marginal(e.vPattern)...), -1},
		{e.vRupt, append([]float64(nil), q.Marginal(e.vRupt)...), -1},
	}
	var now state
	pat := targets[0].pt
	now.tend, now.lumbar = pat[1]+pat[3], pat[2]+pat[3]
	now.rupture = targets[1].pt[1]
	rootShare := 0.0
	if now.lumbar > 0 {
		rootShare = math.Max(res.Probabilities.S1Radiculopathy, math.Max(q.Marginal(e.vL5)[1], q.Marginal(e.vL4)[1])) / now.lumbar
	}
	now.root = rootShare * now.lumbar
	type ranked struct {
		v, i int
		p    float64
	}
	var top []ranked
	for i, d := range e.diff {
		p := q.Marginal(d.v)[1]
		now.diff[i] = p
		if p >= 0.05 {
			top = append(top, ranked{d.v, i, p})
		}
	}
	sort.SliceStable(top, func(i, j int) bool { return top[i].p > top[j].p })
	if len(top) > 2 {
		top = top[:2]
	}
	for _, t := range top {
		targets = append(targets, target{t.v, []float64{1 - t.p, t.p}, t.i})
	}
	decNow := e.decide(now, urgent)

	w.want = w.want[:0]
	for _, c := range cands {
		w.want = append(w.want, c.node)
	}
	q.Want(w.want)
	// A target state under 0.001 is not conditioned on: it changes the
	// probability of a changed decision by less than that.
	const negligible = 1e-3
	// cond[ti][s][ci] = P(candidate ci | e, target ti = s).
	cond := make([][][][]float64, len(targets))
	for ti, t := range targets {
		cond[ti] = make([][][]float64, len(t.pt))
		for s, p := range t.pt {
			if p < negligible || p > 1-negligible {
				continue
			}
			if err := q.Observe(t.v, s); err != nil {
				return nil, err
			}
			err := q.PropagateChanged([]int{t.v})
			if err == nil {
				cond[ti][s] = make([][]float64, len(cands))
				for ci, c := range cands {
					cond[ti][s][ci] = append([]float64(nil), q.Marginal(c.node)...)
				}
			}
			q.Retract(t.v)
			if err != nil && !errors.Is(err, bn.ErrZeroProbability) {
				return nil, err
			}
		}
	}
	// posterior of target ti given candidate ci in state x; the
	// candidate's marginal comes from the first target.
	var postBuf [8]float64
	post := func(ti, ci, x int, px float64) []float64 {
		t := targets[ti]
		out := postBuf[:len(t.pt)]
		z := 0.0
		for s, p := range t.pt {
			if cond[ti][s] == nil {
				if p > 0.5 {
					out[s] = p
					z += p
				}
				continue
			}
			out[s] = p * cond[ti][s][ci][x]
			z += out[s]
		}
		if z > 0 {
			for s := range out {
				out[s] /= z
			}
		}
		return out
	}
	type scored struct {
		c             candidate
		change, delta float64
		bits          float64
	}
	best := map[string]scored{}
	for ci, c := range cands {
		if noLoad && c.loadsTendon {
			continue // a suspected rupture or fracture forbids loading tests
		}
		card := e.net.Card(c.node)
		var pxBuf [8]float64
		px := pxBuf[:card]
		for s, p := range targets[0].pt {
			if cond[0][s] == nil {
				continue
			}
			for x := range card {
				px[x] += p * cond[0][s][ci][x]
			}
		}
		var change, delta, bits float64
		for x, pX := range px {
			if pX <= 1e-9 {
				continue
			}
			st := now
			pp := post(0, ci, x, pX)
			st.tend, st.lumbar = pp[1]+pp[3], pp[2]+pp[3]
			st.root = rootShare * st.lumbar
			st.rupture = post(1, ci, x, pX)[1]
			for k, t := range targets[2:] {
				st.diff[t.diff] = post(k+2, ci, x, pX)[1]
			}
			if e.decide(st, urgent) != decNow {
				change += pX
			}
			d := math.Abs(st.tend-now.tend) + math.Abs(st.lumbar-now.lumbar) + math.Abs(st.rupture-now.rupture)
			for _, t := range targets[2:] {
				d = math.Max(d, math.Abs(st.diff[t.diff]-now.diff[t.diff]))
			}
			delta += pX * d
			// Information about the source pattern and a rupture.
			for ti := 0; ti < 2; ti++ {
				for s, p := range targets[ti].pt {
					if cond[ti][s] == nil {
						continue
					}
					if jt := p * cond[ti][s][ci][x]; jt > 0 {
						bits += jt * math.Log2(jt/(p*pX))
					}
				}
			}
		}
		sc := scored{c, change, delta, bits}
		if old, ok := best[c.field]; !ok || better(sc.change, sc.delta, old.change, old.delta) {
			best[c.field] = sc
		}
	}
	examined := false
	for _, ev := range w.ev {
		if strings.HasPrefix(ev.Field, "exam.") {
			examined = true
			break
		}
	}
	list := make([]scored, 0, len(best))
	for _, sc := range best {
		if sc.change < 0.005 && sc.delta < 0.01 {
			continue // too little to be worth a test
		}
		list = append(list, sc)
	}
	sort.Slice(list, func(i, j int) bool {
		a, b := list[i], list[j]
		if !examined && (a.c.category == catExam) != (b.c.category == catExam) {
			return a.c.category == catExam
		}
		if a.c.category == catImaging != (b.c.category == catImaging) {
			return b.c.category == catImaging // imaging after bedside tests of equal value
		}
		if better(a.change, a.delta, b.change, b.delta) != better(b.change, b.delta, a.change, a.delta) {
			return better(a.change, a.delta, b.change, b.delta)
		}
		return a.c.field < b.c.field
	})
	out := make([]tendo.NextTest, 0, 6)
	for _, sc := range list {
		if len(out) == 6 {
			break
		}
		out = append(out, tendo.NextTest{
			Finding: displayPath(a, sc.c.field), Label: sc.c.label, Bits: round4(sc.bits),
			ExpectedChange: round4(sc.delta), DecisionChange: round4(sc.change), Why: sc.c.why,
		})
	}
	return out, nil
}

// better orders scores: a larger chance of changing the decision first,
// then a larger expected change of the probabilities.
func better(change, delta, oChange, oDelta float64) bool {
	if math.Abs(change-oChange) > 1e-9 {
		return change > oChange
	}
	return delta > oDelta
}

// displayPath turns kb's virtual paths for the neurological examination
// into the contract's: exam.neuro.affected.X becomes exam.neuro.left.X
// when the symptomatic side is left (the other side for .other).
func displayPath(a *tendo.Assessment, field string) string {
	rest, ok := strings.CutPrefix(field, "exam.neuro.")
	if !ok {
		return field
	}
	which, tail, _ := strings.Cut(rest, ".")
	side := "left"
	if a.Side != nil && *a.Side == tendo.SideRight {
		side = "right"
	}
	if which == "other" {
		if side == "left" {
			side = "right"
		} else {
			side = "left"
		}
	}
	if which != "affected" && which != "other" {
		return field
	}
	return "exam.neuro." + side + "." + tail
}

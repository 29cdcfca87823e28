package assess

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/tendo-health/tendo"
	"github.com/tendo-health/tendo/bn"
	"github.com/tendo-health/tendo/kb"
)

// Engine assesses patients with the knowledge base. It is built once and
// is safe for concurrent use: each call takes a worker (three queries on
// the shared junction tree) from a pool.
type Engine struct {
	model   *kb.Model
	mapping *kb.Mapping
	net     *bn.Network // the chained network used for inference
	jt      *bn.JunctionTree
	plan    *kb.PlanLibrary
	likely  float64
	unlike  float64

	// Variable indices.
	vTend, vS1, vLC, vRupt, vPattern int
	vGait, vCalf, vOver, vVuln       int
	vL5, vL4                         int
	diff                             []diffNode     // the differential conditions, in the contract's order
	localDiff                        []int          // their variables, lumbar roots excluded
	diffVar                          map[string]int // differential code → its variable
	targets                          []int          // the four main probabilities
	outputs                          []int          // every node whose probability is reported or ranked against
	candidates                       []candidate

	cites map[string]string         // source keys (as written in the plan and rules) → short citations
	items map[string]tendo.PlanItem // the plan library's elements, with their JSON encoded once
	tags  map[string][]string       // element id → its lint tags
	// leadItems lists, per differential code, the elements that give its
	// next step ("lead:CODE").
	leadItems map[string][]string

	selOutputs, selTargets *bn.Selection // fixed query selections

	// Credible intervals (ranges.go).
	opts        Options
	params      []kb.Param
	coords      []rangeCoord
	terms       []rangeTerm
	rows        []rangeRow
	rowComp     [][2]int // per row: the parameter and component
	fastParams  []fastParam
	drawD       [][]float64 // per row: its change in each reference draw (while building)
	famLen      int
	selFamilies *bn.Selection
	probTargets []Target
	mc          *mcSet // reference draws, kept by ReferenceRangesFor

	pool sync.Pool
}

// Options tunes an engine. DefaultOptions (what New and NewFromModel use)
// turns everything on; the zero Options turns the optional parts off.
type Options struct {
	// Ranges computes Result.ProbabilityRanges, the 90% credible
	// intervals (contract v1.1). Off, every range is [p, p], the point
	// probability, and an assessment is about 3 times faster.
	Ranges bool
	// ReferenceRanges, with Ranges, computes them by the contract's
	// reference method (Monte Carlo, ReferenceDraws draws from
	// ReferenceSeed; see ReferenceRangesFor) instead of the fast
	// approximation: exact to the contract, but 1,000 propagations per
	// assessment (about 70 ms with model 2.0), and the first call builds the
	// draws (about 1 s and 185 MB, kept by the engine).
	ReferenceRanges bool
}

// DefaultOptions returns the options New uses: ranges on, by the
// contract's reference method. With model 2.0 the fast approximation
// strays up to 0.26 from it on the public cases (README, "Credible
// intervals"), beyond the contract's 0.02, so it is an option only.
func DefaultOptions() Options { return Options{Ranges: true, ReferenceRanges: true} }

var (
	sharedOnce   sync.Once
	sharedEngine *Engine
	sharedErr    error
)

// worker holds the query of one assessment in progress. One incremental
// query serves all three phases, switching what it wants: the reported
// probabilities (a full propagation, whose collect pass is kept), then the
// candidate tests (next tests), then the four targets (explanation).
type worker struct {
	main       *bn.Query
	ev         []kb.Evidence
	scratch    []float64
	cands      []candidate
	want       []int
	hasEv      []bool // per network variable: carries evidence
	group      []int
	fieldNodes []int
	// prior is a query whose snapshot has no evidence at all: the
	// explanation enters one field at a time into it, for the finding's
	// effect on its own. priorTargets are the four main probabilities
	// with no evidence.
	prior        *bn.Query
	priorTargets [4]float64
	rw           *rangeWork // the credible intervals' query and buffers
	targets      []Target
	points       []float64
	ranges       []tendo.Range
}

// New returns the engine of the embedded knowledge base with the default
// options. It is built once per process and shared (an engine is safe
// for concurrent use), so its reference draws are built once too.
func New() (*Engine, error) {
	sharedOnce.Do(func() {
		m, err := kb.Load()
		if err != nil {
			sharedErr = err
			return
		}
		sharedEngine, sharedErr = NewFromModelOptions(m, DefaultOptions())
	})
	return sharedEngine, sharedErr
}

// NewFromModel builds an engine from a model (for tests with a modified
// model).
func NewFromModel(m *kb.Model) (*Engine, error) {
	return NewFromModelOptions(m, DefaultOptions())
}

// NewWithOptions builds an engine from the embedded knowledge base with
// the given options.
func NewWithOptions(opts Options) (*Engine, error) {
	if opts == DefaultOptions() {
		return New()
	}
	m, err := kb.Load()
	if err != nil {
		return nil, err
	}
	return NewFromModelOptions(m, opts)
}

// NewFromModelOptions builds an engine from a model with the given options.
func NewFromModelOptions(m *kb.Model, opts Options) (*Engine, error) {
	net, err := m.BuildChained()
	if err != nil {
		return nil, err
	}
	mp, err := m.NewMapping()
	if err != nil {
		return nil, err
	}
	// Root the tree where the four main probabilities live: the
	// explanation re-propagates once per finding and reads only those.
	var rootVars []int
	for _, id := range []string{"tendinopathy", "s1Radiculopathy", "lumbarContribution", "achillesRupture"} {
		rootVars = append(rootVars, net.Index(id))
	}
	jt, err := bn.Compile(net, bn.CompileOptions{RootVars: rootVars})
	if err != nil {
		return nil, err
	}
	plan, err := kb.LoadPlan(m, PredicateNames())
	if err != nil {
		return nil, err
	}
	e := &Engine{model: m, mapping: mp, net: net, jt: jt, plan: plan, opts: opts}
	th := func(name string) (float64, error) {
		t, ok := m.Thresholds[name]
		if !ok {
			return 0, fmt.Errorf("assess: the model has no %q threshold", name)
		}
		return t.Value, nil
	}
	if e.likely, err = th("likely"); err != nil {
		return nil, err
	}
	if e.unlike, err = th("unlikely"); err != nil {
		return nil, err
	}
	idx := func(id string) int {
		i := net.Index(id)
		if i < 0 && err == nil {
			err = fmt.Errorf("assess: the model has no node %q", id)
		}
		return i
	}
	e.vTend, e.vS1, e.vLC, e.vRupt = idx("tendinopathy"), idx("s1Radiculopathy"), idx("lumbarContribution"), idx("achillesRupture")
	e.vPattern, e.vGait, e.vCalf = idx("sourcePattern"), idx("compensatoryGait"), idx("calfWeakness")
	e.vOver, e.vVuln = idx("tendonOverload"), idx("tendonVulnerability")
	e.vL5, e.vL4 = idx("l5Radiculopathy"), idx("l4Radiculopathy")
	if err != nil {
		return nil, err
	}
	if e.diff, err = differentialNodes(m, net); err != nil {
		return nil, err
	}
	e.diffVar = map[string]int{}
	for _, d := range e.diff {
		e.diffVar[d.code] = d.v
		if d.local {
			e.localDiff = append(e.localDiff, d.v)
		}
	}
	e.cites = map[string]string{}
	for _, it := range plan.Items {
		e.cites[it.Source] = m.ShortCite(it.Source)
	}
	for _, r := range rules {
		e.cites[r.Sources] = m.ShortCite(r.Sources)
	}
	for _, k := range []string{"visaamcid2021", "ostelo2008", "binkley1999"} {
		e.cites[k] = m.ShortCite(k)
	}
	e.selOutputs, e.selTargets = nil, nil
	e.items = map[string]tendo.PlanItem{}
	e.tags = map[string][]string{}
	e.leadItems = map[string][]string{}
	for _, it := range plan.Items {
		e.tags[it.ID] = it.Tags
		for _, c := range it.When {
			if code, ok := strings.CutPrefix(c, leadPrefix); ok {
				e.leadItems[code] = append(e.leadItems[code], it.ID)
			}
		}
		item := tendo.PlanItem{
			ID: it.ID, Title: it.Title, Dosage: it.Dosage, Progression: it.Progression,
			Rationale: it.Rationale, Source: e.cites[it.Source],
		}
		e.items[it.ID] = item
	}
	e.targets = []int{e.vTend, e.vS1, e.vLC, e.vRupt}
	e.outputs = []int{e.vTend, e.vS1, e.vLC, e.vRupt, e.vPattern, e.vGait, e.vCalf, e.vOver, e.vVuln}
	for _, d := range e.diff {
		e.outputs = append(e.outputs, d.v)
	}
	e.selOutputs = jt.Select(e.outputs)
	e.selTargets = jt.Select([]int{e.vTend, e.vS1, e.vRupt, e.vLC})
	e.buildCandidates(m, mp)
	e.probTargets = e.probabilityTargets()
	if err := e.initRanges(); err != nil {
		return nil, err
	}
	e.pool.New = func() any {
		w := &worker{main: jt.NewQuery(), scratch: make([]float64, 0, 16)}
		w.main.EnableIncremental()
		return w
	}
	return e, nil
}

// Model returns the knowledge base.
func (e *Engine) Model() *kb.Model { return e.model }

// Mapping returns the field-to-network mapping.
func (e *Engine) Mapping() *kb.Mapping { return e.mapping }

// Network returns the (chained) network used for inference.
func (e *Engine) Network() *bn.Network { return e.net }

// ModelVersion is "<model id> <version>".
func (e *Engine) ModelVersion() string { return e.model.ID + " " + e.model.Version }

// ErrImpossible is returned when the findings contradict the model.
var ErrImpossible error = &tendo.Error{Code: tendo.EINVALID, Message: "assess: these findings cannot occur together under the model; check them"}

// Assess runs the whole assessment: scores, red flags, inference,
// classification, explanation, next tests and plan. The assessment must
// have been validated (the intake package does that); scoring problems are
// returned as errors.
func (e *Engine) Assess(a *tendo.Assessment) (*tendo.Result, error) {
	res := &tendo.Result{
		ID:           a.ID,
		Date:         a.Date,
		ModelVersion: e.ModelVersion(),
		Disclaimer:   e.model.Disclaimer,
	}
	scores, err := a.PROMs.Scores()
	if err != nil {
		return nil, err
	}
	for i := range scores {
		s := &scores[i]
		switch s.Measure {
		case tendo.MeasureVISAA:
			res.Scores.VISAA = s
		case tendo.MeasureODI:
			res.Scores.ODI = s
		case tendo.MeasureNPRS:
			res.Scores.NPRS = s
		case tendo.MeasureLEFS:
			res.Scores.LEFS = s
		}
	}
	res.RedFlags = e.redFlags(a)
	if n := len(dvtCriteria(a)); n == 1 {
		res.Notes = append(res.Notes, "One Wells criterion for DVT is present (DVT unlikely on the Wells score); consider a D-dimer if DVT remains a concern.")
	}

	w := e.pool.Get().(*worker)
	defer e.pool.Put(w)
	var notes []string
	w.ev, notes = e.mapping.Evidence(a, w.ev[:0])
	res.Notes = append(res.Notes, notes...)

	// Main propagation: the reported probabilities (the next tests switch
	// the query to the candidates afterwards).
	w.cands = e.untested(a, w)
	w.main.Use(e.selOutputs)
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
	q := w.main
	tend := q.Marginal(e.vTend)
	p := &res.Probabilities
	p.AchillesTendinopathy = 1 - tend[0]
	p.MidportionTendinopathy, p.InsertionalTendinopathy = tend[1], tend[2]
	p.S1Radiculopathy = q.Marginal(e.vS1)[1]
	p.LumbarContribution = q.Marginal(e.vLC)[1]
	p.AchillesRupture = q.Marginal(e.vRupt)[1]
	p.CompensatoryGait = q.Marginal(e.vGait)[1]
	p.CalfWeakness = q.Marginal(e.vCalf)[1]
	p.TendonOverload = q.Marginal(e.vOver)[1]
	p.TendonVulnerability = q.Marginal(e.vVuln)[1]
	res.Differential = e.differential(q)
	res.NerveRoot = nerveRoot(p.S1Radiculopathy, q.Marginal(e.vL5)[1], q.Marginal(e.vL4)[1])

	var full [4]float64
	e.readTargets(q, &full)
	if p.OtherHeelPathology, err = e.anyOther(q); err != nil {
		return nil, err
	}
	e.classify(res)
	if res.NextTests, err = e.nextTests(a, w, res); err != nil {
		return nil, err
	}
	if res.Explanation, err = e.explain(w, full); err != nil {
		return nil, err
	}
	// The credible intervals start from the main propagation's snapshot
	// too (ranges.go).
	w.points = append(w.points[:0], probabilityPoints(p)...)
	targets := append(w.targets[:0], e.probTargets...)
	for _, d := range res.Differential {
		v := e.diffVar[d.Code]
		t := Target{v: v, in: []bool{false, true}}
		targets = append(targets, t)
		w.points = append(w.points, d.Probability)
	}
	w.targets = targets
	if e.opts.Ranges {
		if cap(w.ranges) < len(w.points) {
			w.ranges = make([]tendo.Range, len(w.points))
		}
		w.ranges = w.ranges[:len(w.points)]
		if e.opts.ReferenceRanges {
			ref, err := e.ReferenceRangesFor(a, targets, ReferenceDraws, ReferenceSeed)
			if err != nil {
				return nil, err
			}
			for i, r := range ref {
				w.ranges[i] = tendo.Range{min(r[0], w.points[i]), max(r[1], w.points[i])}
			}
		} else if err := e.rangesInto(w, targets, w.points, w.ranges); err != nil {
			return nil, err
		}
	} else {
		w.ranges = w.ranges[:0]
		for _, x := range w.points {
			w.ranges = append(w.ranges, tendo.Range{x, x})
		}
	}
	setProbabilityRanges(&res.ProbabilityRanges, w.ranges)
	k := len(e.probTargets)
	for i := range res.Differential {
		res.Differential[i].Range = w.ranges[k+i]
	}
	res.ProbabilityRanges.OtherHeelPathology = e.otherRange(res)
	res.Plan = e.buildPlan(a, res)
	return res, nil
}

// applyAll enters all of the worker's evidence into its query.
func applyAll(w *worker) error {
	return kb.Apply(w.main, w.ev, -1, nil, w.scratch)
}

// classify sets the classification, its reason and the site. Red flags
// come first; then a possible rupture (the unlikely threshold or more)
// keeps the source open; then tendinopathy and a lumbar source by the
// thresholds, as in the contract; then the differential: a condition of
// the differential that is likely, and more likely than tendinopathy,
// makes the source another cause.
func (e *Engine) classify(res *tendo.Result) {
	p := res.Probabilities
	pct := func(x float64) string { return fmt.Sprintf("%.0f%%", 100*x) }
	// A site is named for a likely tendinopathy, not when a complete
	// rupture is possible: the rupture then explains the tendon findings.
	if p.AchillesTendinopathy >= e.likely && p.AchillesRupture < e.unlike {
		site := "midportion"
		if p.InsertionalTendinopathy > p.MidportionTendinopathy {
			site = "insertional"
		}
		res.TendinopathySite = &site
	}
	var urgent []string
	for _, f := range res.RedFlags {
		if f.Urgency == tendo.Emergency || f.Urgency == tendo.Urgent {
			urgent = append(urgent, f.Code)
		}
	}
	at, lc, s1 := p.AchillesTendinopathy, p.LumbarContribution, p.S1Radiculopathy
	rootName, rootP := "S1", s1
	if res.NerveRoot != nil {
		rootName = *res.NerveRoot
		for _, d := range res.Differential {
			if d.Code == strings.ToLower(rootName)+"-radiculopathy" {
				rootP = d.Probability
			}
		}
	}
	lead, hasLead := res.LeadingDifferential()
	leadFirst := hasLead && len(res.Differential) > 0 && res.Differential[0].Code == lead.Code
	L, U := e.likely, e.unlike
	switch {
	case len(urgent) > 0:
		res.Classification = tendo.UrgentReferral
		var names []string
		for _, c := range urgent {
			names = append(names, flagName(c))
		}
		res.ClassificationReason = "Red flag: " + strings.Join(names, "; ") + ". A rule that no probability outweighs."
	case p.AchillesRupture >= U:
		res.Classification = tendo.Uncertain
		res.ClassificationReason = fmt.Sprintf("A complete Achilles rupture is possible (%s): examine for it (calf squeeze test, palpable gap) before anything else; until it is excluded, protect the tendon and do not load it.", pct(p.AchillesRupture))
	case at >= L && lc < U:
		res.Classification = tendo.LocalTendinopathy
		res.ClassificationReason = fmt.Sprintf("Tendinopathy is likely (%s) and a lumbar contribution unlikely (%s).", pct(at), pct(lc))
	case at >= L && lc >= L:
		res.Classification = tendo.Mixed
		res.ClassificationReason = fmt.Sprintf("Tendinopathy is likely (%s) and so is a lumbar contribution (%s): the kinetic chain. Treat both.", pct(at), pct(lc))
	case at < U && lc >= L && rootP >= L:
		res.Classification = tendo.LumbarReferred
		res.ClassificationReason = fmt.Sprintf("The symptoms are likely referred from the %s root (%s radiculopathy %s) and tendinopathy is unlikely (%s): a mimic.", rootName, rootName, pct(rootP), pct(at))
	case leadFirst && lc < U && (at < U || (at < L && lead.Probability >= L && lead.Probability > at)):
		res.Classification = tendo.OtherCause
		res.ClassificationReason = fmt.Sprintf("Neither tendinopathy (%s) nor a lumbar source (%s) is likely; the leading alternative is %s (%s).", pct(at), pct(lc), tendo.DifferentialPhrase(lead.Code), pct(lead.Probability))
	default:
		res.Classification = tendo.Uncertain
		res.ClassificationReason = fmt.Sprintf("The evidence does not decide (tendinopathy %s, lumbar contribution %s, S1 radiculopathy %s", pct(at), pct(lc), pct(s1))
		if hasLead {
			res.ClassificationReason += fmt.Sprintf(", %s %s", tendo.DifferentialPhrase(lead.Code), pct(lead.Probability))
		}
		res.ClassificationReason += "); the next tests say what would."
	}
}

// odds clamps probabilities to [1e-12, 1−1e-12] so that a certain
// posterior gives large finite odds rather than an infinity.
func odds(p float64) float64 {
	p = math.Min(math.Max(p, 1e-12), 1-1e-12)
	return p / (1 - p)
}

// explain measures each finding's effect on the four main probabilities by
// removing it, re-propagating incrementally from the main propagation's
// collect pass, and comparing log-odds with full (the probabilities with
// every finding).
func (e *Engine) explain(w *worker, full [4]float64) ([]tendo.Explanation, error) {
	if w.prior == nil {
		w.prior = e.jt.NewQuery()
		w.prior.EnableIncremental()
		w.prior.Use(e.selTargets)
		if err := w.prior.Propagate(); err != nil {
			return nil, err
		}
		e.readTargets(w.prior, &w.priorTargets)
	}
	q := w.main
	q.Use(e.selTargets)
	out := make([]tendo.Explanation, 0, len(w.ev))
	// A field can put evidence on several nodes (a pain site, an area
	// list): its entries are consecutive, and they are removed together.
	for i := 0; i < len(w.ev); {
		ev := w.ev[i]
		end := i + 1
		for end < len(w.ev) && w.ev[end].Field == ev.Field {
			end++
		}
		inField := func(j int) bool { return j >= i && j < end }
		nodes := w.fieldNodes[:0]
		for j := i; j < end; j++ {
			if !slices.Contains(nodes, w.ev[j].Node) {
				nodes = append(nodes, w.ev[j].Node)
			}
		}
		w.fieldNodes = nodes
		set := func(without bool) error {
			for _, n := range nodes {
				g := w.group[:0]
				for j, other := range w.ev {
					if other.Node == n && !(without && inField(j)) {
						g = append(g, j)
					}
				}
				w.group = g
				if err := kb.SetNode(q, n, w.ev, g, -1, w.scratch); err != nil {
					return err
				}
			}
			return nil
		}
		if err := set(true); err != nil {
			return nil, err
		}
		var without [4]float64
		err := q.PropagateChanged(nodes)
		if err == nil {
			e.readTargets(q, &without)
		}
		if err2 := set(false); err2 != nil {
			return nil, err2
		}
		if err != nil {
			return nil, err
		}
		// On its own: only this field's evidence, from no evidence at
		// all (the prior query's snapshot).
		pq := w.prior
		for _, n := range nodes {
			g := w.group[:0]
			for j := i; j < end; j++ {
				if w.ev[j].Node == n {
					g = append(g, j)
				}
			}
			w.group = g
			if err := kb.SetNode(pq, n, w.ev, g, -1, w.scratch); err != nil {
				return nil, err
			}
		}
		var alone [4]float64
		err = pq.PropagateChanged(nodes)
		if err == nil {
			e.readTargets(pq, &alone)
		}
		for _, n := range nodes {
			pq.Retract(n)
		}
		if err != nil && !errors.Is(err, bn.ErrZeroProbability) {
			return nil, err
		}
		i = end
		ratio := func(with, without float64) tendo.Effect {
			// The likelihood ratio is the odds ratio; its log the change
			// of log-odds.
			lr := odds(with) / odds(without)
			return tendo.Effect{LogOdds: round4(math.Log(lr)), LikelihoodRatio: round4(lr)}
		}
		effect := func(k int) tendo.Effect { return ratio(full[k], without[k]) }
		own := func(k int) tendo.Effect { return ratio(alone[k], w.priorTargets[k]) }
		out = append(out, tendo.Explanation{
			Finding: ev.DisplayPath(),
			Label:   ev.Label,
			Value:   ev.Value,
			Effects: tendo.Effects{
				AchillesTendinopathy: effect(0),
				S1Radiculopathy:      effect(1),
				LumbarContribution:   effect(2),
				AchillesRupture:      effect(3),
			},
			Alone: tendo.Effects{
				AchillesTendinopathy: own(0),
				S1Radiculopathy:      own(1),
				LumbarContribution:   own(2),
				AchillesRupture:      own(3),
			},
		})
	}
	// Largest effect on the source question (tendon, S1, lumbar) first;
	// findings that bear only on a rupture follow, by that effect. Keys
	// are computed once, not per comparison.
	keys := make([]float64, len(out))
	for i, x := range out {
		f, a := x.Effects, x.Alone
		src := max(math.Abs(f.AchillesTendinopathy.LogOdds), math.Abs(f.S1Radiculopathy.LogOdds), math.Abs(f.LumbarContribution.LogOdds),
			math.Abs(a.AchillesTendinopathy.LogOdds), math.Abs(a.S1Radiculopathy.LogOdds), math.Abs(a.LumbarContribution.LogOdds))
		if src >= 0.05 {
			keys[i] = 1000 + src // above every rupture-only key
		} else {
			keys[i] = max(math.Abs(f.AchillesRupture.LogOdds), math.Abs(a.AchillesRupture.LogOdds))
		}
	}
	sort.Stable(byKey{out, keys})
	return out, nil
}

func round4(x float64) float64 { return math.Round(x*1e4) / 1e4 }

// byKey sorts explanations by descending key.
type byKey struct {
	x    []tendo.Explanation
	keys []float64
}

func (b byKey) Len() int           { return len(b.x) }
func (b byKey) Less(i, j int) bool { return b.keys[i] > b.keys[j] }
func (b byKey) Swap(i, j int) {
	b.x[i], b.x[j] = b.x[j], b.x[i]
	b.keys[i], b.keys[j] = b.keys[j], b.keys[i]
}

func (e *Engine) readTargets(q *bn.Query, dst *[4]float64) {
	dst[0] = 1 - q.Marginal(e.vTend)[0]
	dst[1] = q.Marginal(e.vS1)[1]
	dst[2] = q.Marginal(e.vLC)[1]
	dst[3] = q.Marginal(e.vRupt)[1]
}

package kb

import (
	"fmt"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/tendo-health/tendo"
	"github.com/tendo-health/tendo/bn"
)

// value is one field's value read from an assessment.
type value struct {
	ok   bool
	kind byte // 'b' bool, 's' string, 'n' number, 'r' heel-raise pair, 'o' other (scored or structured)
	b    bool
	s    string
	n    float64
	n2   float64
	// path is the contract path the value was read from when it is not
	// the field's own: a value derived from exam.neuro, or a virtual path
	// (see the package documentation).
	path string
}

func (v value) String() string {
	switch v.kind {
	case 'b':
		return strconv.FormatBool(v.b)
	case 's':
		return v.s
	case 'n':
		return strconv.FormatFloat(v.n, 'g', -1, 64)
	case 'r':
		return fmt.Sprintf("%g of %g", v.n, v.n2)
	}
	return "given"
}

// display is the value as an explanation shows it beside the finding's
// label: yes or no, an enumeration value in words ("lateral foot"), a
// number with its unit ("47 years"). Issue 10: small: the values read
// right with their labels.
func (v value) display(unit string) string {
	switch v.kind {
	case 'b':
		if v.b {
			return "yes"
		}
		return "no"
	case 's':
		return strings.ReplaceAll(v.s, "-", " ")
	case 'n':
		s := strconv.FormatFloat(v.n, 'g', -1, 64)
		if unit != "" {
			s += " " + unit
		}
		return s
	}
	return v.String()
}

// fieldUnit returns the unit of a field's value, or "": its own, or for
// an object read as its affected side (the ultrasound thickness) that
// side's.
func fieldUnit(path string) string {
	if f, ok := tendo.LookupField(path); ok && f.Unit != "" {
		return f.Unit
	}
	if f, ok := tendo.LookupField(path + ".affected"); ok {
		return f.Unit
	}
	return ""
}

func vo(present bool) value { return value{ok: present, kind: 'o'} }

// accessors reads every field of the assessment contract, and the derived
// (virtual) paths, by path. It is built once from the root package's field
// index (tendo.Fields), so a field added to tendo.Assessment is readable
// here without a line of its own.
var accessors, derivedPaths = buildAccessors()

func buildAccessors() (map[string]func(*tendo.Assessment) value, []string) {
	m := map[string]func(*tendo.Assessment) value{}
	scored := map[int]bool{} // positions of the outcome measures in the index
	for i, f := range tendo.Fields() {
		if f.InArray || (f.Parent >= 0 && scored[f.Parent]) {
			continue
		}
		if f.Scored {
			scored[i] = true
			m[f.Path] = func(a *tendo.Assessment) value { _, ok := f.Get(a); return vo(ok) }
			continue
		}
		switch f.Kind {
		case tendo.KindObject:
			switch f.Path {
			case "exam.heelRaiseReps":
				m[f.Path] = heelRaise
			case "imaging.ultrasound.tendonThicknessMm":
				m[f.Path] = tendonThickness
			}
		case tendo.KindArray:
			m[f.Path] = func(a *tendo.Assessment) value { _, ok := f.Get(a); return vo(ok) }
		default:
			m[f.Path] = leaf(f)
		}
	}

	// The v1 single-side neurological fields read their effective value:
	// the field itself, else derived from exam.neuro.
	m["exam.ankleReflex"] = func(a *tendo.Assessment) value {
		g, path, ok := a.EffectiveAnkleReflex()
		return value{ok: ok, kind: 's', s: string(g), path: path}
	}
	m["exam.plantarflexionStrengthMrc"] = func(a *tendo.Assessment) value {
		n, path, ok := a.EffectivePlantarflexionMRC()
		return value{ok: ok, kind: 'n', n: float64(n), path: path}
	}
	m["exam.s1SensoryDeficit"] = func(a *tendo.Assessment) value {
		b, path, ok := a.EffectiveS1SensoryDeficit()
		return value{ok: ok, kind: 'b', b: b, path: path}
	}

	// Virtual paths.
	var virtual []string
	addV := func(path string, get func(*tendo.Assessment) value) {
		if _, dup := m[path]; dup {
			panic("kb: virtual path " + path + " is a contract field")
		}
		m[path] = get
		virtual = append(virtual, path)
	}
	for _, field := range tendo.NeuroFieldNames() {
		addV("exam.neuro.affected."+field, func(a *tendo.Assessment) value {
			v, ok := a.NeuroAffected(field)
			return neuroValue(v, ok)
		})
		addV("exam.neuro.other."+field, func(a *tendo.Assessment) value {
			v, ok := a.NeuroOther(field)
			return neuroValue(v, ok)
		})
	}
	for _, area := range tendo.AreaValues() {
		addV("history.legPainAreas."+string(area), func(a *tendo.Assessment) value {
			in, ok := tendo.AreaListed(a.History.LegPainAreas, area)
			return value{ok: ok, kind: 'b', b: in, path: "history.legPainAreas"}
		})
		addV("history.paresthesiaAreas."+string(area), func(a *tendo.Assessment) value {
			in, ok := tendo.AreaListed(a.History.ParesthesiaAreas, area)
			return value{ok: ok, kind: 'b', b: in, path: "history.paresthesiaAreas"}
		})
	}
	for _, root := range tendo.RootValues() {
		addV("imaging.lumbarMri.rootCompression."+string(root), func(a *tendo.Assessment) value {
			b, path, ok := a.RootCompressed(root)
			return value{ok: ok, kind: 'b', b: b, path: path}
		})
	}
	sort.Strings(virtual)
	return m, virtual
}

// leaf reads a scalar field through the index: a bool, an enum or string
// ('s'; an empty string is absent), or a number ('n').
func leaf(f tendo.FieldInfo) func(*tendo.Assessment) value {
	return func(a *tendo.Assessment) value {
		v, ok := f.Get(a)
		if !ok {
			return value{}
		}
		switch f.Kind {
		case tendo.KindBool:
			return value{ok: true, kind: 'b', b: v.Bool()}
		case tendo.KindInteger:
			return value{ok: true, kind: 'n', n: float64(v.Int())}
		case tendo.KindNumber:
			return value{ok: true, kind: 'n', n: v.Float()}
		}
		return value{ok: true, kind: 's', s: v.String()}
	}
}

func neuroValue(v tendo.NeuroValue, ok bool) value {
	switch {
	case !ok:
		return value{}
	case v.IsMRC:
		return value{ok: true, kind: 'n', n: float64(v.MRC), path: v.Path}
	}
	return value{ok: true, kind: 's', s: string(v.Grade), path: v.Path}
}

// tendonThickness reads the affected side's ultrasound thickness in mm.
func tendonThickness(a *tendo.Assessment) value {
	us := a.Imaging.Ultrasound
	if us == nil || us.TendonThicknessMm == nil || us.TendonThicknessMm.Affected == nil {
		return value{}
	}
	return value{ok: true, kind: 'n', n: *us.TendonThicknessMm.Affected}
}

func heelRaise(a *tendo.Assessment) value {
	r := a.Exam.HeelRaiseReps
	if r == nil || r.Affected == nil || r.Unaffected == nil {
		return value{}
	}
	return value{ok: true, kind: 'r', n: float64(*r.Affected), n2: float64(*r.Unaffected)}
}

// FieldPaths returns every contract field path the knowledge base can
// read, sorted: the leaves of the contract (v1 and v1.1), the arrays
// (given or not), exam.heelRaiseReps (the pair) and the outcome measures
// (given or not). The derived paths are listed by DerivedPaths.
func FieldPaths() []string {
	out := make([]string, 0, len(accessors))
	virtual := map[string]bool{}
	for _, p := range derivedPaths {
		virtual[p] = true
	}
	for p := range accessors {
		if !virtual[p] {
			out = append(out, p)
		}
	}
	sort.Strings(out)
	return out
}

// DerivedPaths returns the virtual paths the knowledge base can read
// besides the contract's fields, sorted (see the package documentation):
// exam.neuro.affected.*, exam.neuro.other.*, history.legPainAreas.<area>,
// history.paresthesiaAreas.<area> and imaging.lumbarMri.rootCompression.<root>.
func DerivedPaths() []string { return append([]string(nil), derivedPaths...) }

// Evidence is one field's contribution to the network: hard evidence
// (State ≥ 0) or a likelihood vector (soft).
type Evidence struct {
	Field      string    // the finding's field: a contract path or a derived path (see the package documentation)
	Path       string    // the contract path the value was read from, for display: Field, or e.g. exam.neuro.left.ankleReflex
	Label      string    // the finding in words
	Node       int       // the network variable
	State      int       // observed state, or -1 for soft evidence
	Likelihood []float64 // soft evidence; nil for hard
	Value      string    // the field's value, for display
}

// DisplayPath is the contract path to show for the evidence: Path when
// set, else Field.
func (e Evidence) DisplayPath() string {
	if e.Path != "" {
		return e.Path
	}
	return e.Field
}

// mapped is a compiled Finding.
type mapped struct {
	f      Finding
	label  string
	unit   string // of the value shown: "years", "cm", or ""
	get    func(*tendo.Assessment) value
	node   int
	states map[string]int
	soft   map[string][]float64
	bins   []compiledBin
	// sites, for kind sites: value → (node, state) pairs.
	sites map[string][][2]int
	// siteNodes are every node a sites finding sets; unnamed is the soft
	// evidence for those a value does not set.
	siteNodes []int
	unnamed   []float64
	// groups, for kind areas: the group nodes and, per group, the
	// accessors of its areas.
	groups []compiledGroup
	// also are the copies of node the field sets too.
	also []int
	// unless are the accessors of the fields that make this one carry no
	// weight.
	unless []func(*tendo.Assessment) value
}

type compiledGroup struct {
	node  int
	label string
	areas []func(*tendo.Assessment) value
}

type compiledBin struct {
	below float64 // +Inf for the last bin
	state int     // -1: the number carries no weight
}

// Mapping turns assessments into evidence on a network built from the
// model (Build or BuildChained: the model's nodes come first and in the
// same order in both).
type Mapping struct {
	model  *Model
	fields []mapped // the findings with a node, in model order
	unused []Finding
}

// NewMapping compiles the model's findings against the accessors.
func (m *Model) NewMapping() (*Mapping, error) {
	mp := &Mapping{model: m}
	index := map[string]int{}
	for i, n := range m.Nodes {
		index[n.ID] = i
	}
	for _, f := range m.Findings {
		get, ok := accessors[f.Field]
		if !ok {
			return nil, fmt.Errorf("kb: finding %q is not a field of the assessment contract", f.Field)
		}
		if f.Kind == "none" {
			mp.unused = append(mp.unused, f)
			continue
		}
		var unless []func(*tendo.Assessment) value
		for _, u := range f.UnlessPresent {
			g, ok := accessors[u]
			if !ok {
				return nil, fmt.Errorf("kb: finding %q: unlessPresent names %q, not a field", f.Field, u)
			}
			unless = append(unless, g)
		}
		stateOf := func(node, state string) (int, int, error) {
			ni, ok := index[node]
			if !ok {
				return 0, 0, fmt.Errorf("kb: finding %q: unknown node %q", f.Field, node)
			}
			for i, s := range m.Nodes[ni].States {
				if s == state {
					return ni, i, nil
				}
			}
			return 0, 0, fmt.Errorf("kb: finding %q: node %q has no state %q", f.Field, node, state)
		}
		switch f.Kind {
		case "sites":
			c := mapped{f: f, get: get, node: -1, sites: map[string][][2]int{}, unless: unless}
			for v, list := range f.Sites {
				for _, ns := range list {
					ni, si, err := stateOf(ns.Node, ns.State)
					if err != nil {
						return nil, err
					}
					c.sites[v] = append(c.sites[v], [2]int{ni, si})
					if !slices.Contains(c.siteNodes, ni) {
						c.siteNodes = append(c.siteNodes, ni)
					}
				}
			}
			slices.Sort(c.siteNodes)
			if f.Unnamed != nil {
				c.unnamed = f.Unnamed.Likelihood
			}
			mp.fields = append(mp.fields, c)
			continue
		case "areas":
			c := mapped{f: f, get: get, node: -1, unless: unless}
			for _, g := range f.Groups {
				ni, _, err := stateOf(g.Node, m.Node(g.Node).States[0])
				if err != nil {
					return nil, err
				}
				cg := compiledGroup{node: ni, label: m.Nodes[ni].Label}
				for _, ar := range g.Areas {
					ga, ok := accessors[f.Field+"."+ar]
					if !ok {
						return nil, fmt.Errorf("kb: finding %q: %q is not an area", f.Field, ar)
					}
					cg.areas = append(cg.areas, ga)
				}
				c.groups = append(c.groups, cg)
			}
			mp.fields = append(mp.fields, c)
			continue
		}
		ni, ok := index[f.Node]
		if !ok {
			return nil, fmt.Errorf("kb: finding %q: unknown node %q", f.Field, f.Node)
		}
		node := m.Nodes[ni]
		st := func(name string) (int, error) {
			for i, s := range node.States {
				if s == name {
					return i, nil
				}
			}
			return 0, fmt.Errorf("kb: finding %q: node %q has no state %q", f.Field, f.Node, name)
		}
		c := mapped{f: f, label: f.Label, unit: fieldUnit(f.Field), get: get, node: ni, states: map[string]int{}, soft: map[string][]float64{}, unless: unless}
		for _, cp := range f.Also {
			ci, ok := index[cp]
			if !ok {
				return nil, fmt.Errorf("kb: finding %q: unknown node %q", f.Field, cp)
			}
			c.also = append(c.also, ci)
		}
		if c.label == "" {
			c.label = node.Label
		}
		for v, s := range f.States {
			si, err := st(s)
			if err != nil {
				return nil, err
			}
			c.states[v] = si
		}
		for v, s := range f.Soft {
			c.soft[v] = s.Likelihood
		}
		if f.Kind == "lsi" {
			si, err := st("unable")
			if err != nil {
				return nil, err
			}
			c.states["unable"] = si
		}
		for _, b := range f.Bins {
			si := -1
			if !b.Skip {
				var err error
				if si, err = st(b.State); err != nil {
					return nil, err
				}
			}
			below := math.Inf(1)
			if b.Below != nil {
				below = *b.Below
			}
			c.bins = append(c.bins, compiledBin{below, si})
		}
		mp.fields = append(mp.fields, c)
	}
	return mp, nil
}

// Model returns the model the mapping was compiled from.
func (mp *Mapping) Model() *Model { return mp.model }

// Unused returns the findings that are not network evidence (kind none).
func (mp *Mapping) Unused() []Finding { return mp.unused }

// Findings returns the findings mapped to nodes, in model order.
func (mp *Mapping) Findings() []Finding {
	out := make([]Finding, len(mp.fields))
	for i, c := range mp.fields {
		out[i] = c.f
	}
	return out
}

// FieldNode returns the network variable a field maps to, or -1 (also
// for a field that sets several nodes: kinds sites and areas).
func (mp *Mapping) FieldNode(field string) int {
	for _, c := range mp.fields {
		if c.f.Field == field {
			return c.node
		}
	}
	return -1
}

// Observed reports whether the assessment gives the field.
func Observed(a *tendo.Assessment, field string) bool {
	get, ok := accessors[field]
	return ok && get(a).ok
}

// Present returns a function that reports whether an assessment gives the
// field (nil for an unknown field): Observed without the lookup per call.
func Present(field string) func(a *tendo.Assessment) bool {
	get, ok := accessors[field]
	if !ok {
		return nil
	}
	return func(a *tendo.Assessment) bool { return get(a).ok }
}

// Evidence appends to dst the evidence the assessment gives, one entry
// per field present, and a note for each present field that carries no
// weight (for example a heel-raise count with zero repetitions on the
// unaffected side).
func (mp *Mapping) Evidence(a *tendo.Assessment, dst []Evidence) ([]Evidence, []string) {
	var notes []string
	for i := range mp.fields {
		c := &mp.fields[i]
		v := c.get(a)
		if !v.ok {
			continue
		}
		skip := false
		for _, u := range c.unless {
			skip = skip || u(a).ok
		}
		if skip {
			continue
		}
		switch c.f.Kind {
		case "sites":
			// Each site's node shows its own state ("Tender midportion:
			// yes"); a site not named shows the one that was ("Tender
			// calf: no (midportion)").
			set := c.sites[v.s]
			for _, ns := range set {
				node := &mp.model.Nodes[ns[0]]
				dst = append(dst, Evidence{Field: c.f.Field, Path: c.f.Field, Label: node.Label, Node: ns[0], State: ns[1], Value: node.States[ns[1]]})
			}
			if c.unnamed != nil && len(set) > 0 {
				for _, n := range c.siteNodes {
					named := false
					for _, ns := range set {
						named = named || ns[0] == n
					}
					if !named {
						dst = append(dst, Evidence{Field: c.f.Field, Path: c.f.Field, Label: mp.model.Nodes[n].Label, Node: n, State: -1, Likelihood: c.unnamed, Value: "no (" + v.display("") + ")"})
					}
				}
			}
			continue
		case "areas":
			for _, g := range c.groups {
				given, any := false, false
				for _, ga := range g.areas {
					av := ga(a)
					given = given || av.ok
					if av.ok && av.b {
						any = true
					}
				}
				if !given {
					continue
				}
				state, val := 0, "no"
				if any {
					state, val = 1, "yes"
				}
				dst = append(dst, Evidence{Field: c.f.Field, Path: c.f.Field, Label: g.label, Node: g.node, State: state, Value: val})
			}
			continue
		}
		e := Evidence{Field: c.f.Field, Path: c.f.Field, Label: c.label, Node: c.node, State: -1, Value: v.display(c.unit)}
		if v.path != "" {
			e.Path = v.path
		}
		switch c.f.Kind {
		case "bool":
			e.State = c.states[strconv.FormatBool(v.b)]
		case "enum":
			if s, ok := c.states[v.s]; ok {
				e.State = s
			} else if l, ok := c.soft[v.s]; ok {
				e.Likelihood = l
			} else {
				notes = append(notes, fmt.Sprintf("%s: %q carries no weight in the model", c.f.Field, v.s))
				continue
			}
		case "bins":
			e.State = binState(c.bins, v.n)
			if e.State < 0 {
				notes = append(notes, fmt.Sprintf("%s: %s carries no weight in the model", c.f.Field, v.String()))
				continue
			}
		case "bmi":
			bmi, ok := a.BMI()
			if !ok {
				continue
			}
			e.State = binState(c.bins, bmi)
			e.Value = fmt.Sprintf("%.1f kg/m²", bmi)
		case "lsi":
			switch {
			case v.n2 <= 0:
				notes = append(notes, c.f.Field+": no heel raises on the unaffected side, so the side-to-side ratio cannot be computed")
				continue
			case v.n == 0:
				e.State = c.states["unable"]
				e.Value = fmt.Sprintf("0 of %g (0%%)", v.n2)
			default:
				// affected of unaffected: 9 of 24 (38%).
				ratio := v.n / v.n2
				e.State = binState(c.bins, ratio)
				e.Value = fmt.Sprintf("%g of %g (%.0f%%)", v.n, v.n2, 100*ratio)
			}
		case "logistic":
			lg := c.f.Logistic
			r := math.Exp(lg.EffectiveSlope() * (v.n - lg.Midpoint))
			r = math.Min(math.Max(r, 1/lg.MaxRatio), lg.MaxRatio)
			e.Likelihood = []float64{1, r}
			e.Value = v.String() + " " + lg.Unit
		}
		if e.State < 0 && e.Likelihood == nil {
			continue
		}
		dst = append(dst, e)
		for _, cp := range c.also {
			e2 := e
			e2.Node = cp
			dst = append(dst, e2)
		}
	}
	return dst, notes
}

func binState(bins []compiledBin, x float64) int {
	for _, b := range bins {
		if x < b.below {
			return b.state
		}
	}
	return bins[len(bins)-1].state
}

// SetNode sets node's evidence in q from the entries idx of evidence (all
// on that node), leaving out evidence[skip]: hard evidence wins, soft
// likelihoods multiply, and with nothing left the node is retracted. It is
// the one-node form of Apply, for explaining findings one at a time.
func SetNode(q *bn.Query, node int, evidence []Evidence, idx []int, skip int, scratch []float64) error {
	q.Retract(node)
	for _, i := range idx {
		if i != skip && evidence[i].State >= 0 {
			return q.Observe(node, evidence[i].State)
		}
	}
	var lik []float64
	for _, i := range idx {
		if i == skip {
			continue
		}
		l := evidence[i].Likelihood
		if lik == nil {
			lik = append(scratch[:0], l...)
			continue
		}
		for j := range lik {
			lik[j] *= l[j]
		}
	}
	if lik == nil {
		return nil
	}
	return q.SetLikelihood(node, lik)
}

// Apply enters evidence into q, combining several fields on one node: hard
// evidence wins; soft likelihoods multiply. skip, when ≥ 0, leaves out
// evidence[skip] (for explaining a finding by removing it). nodes, when
// not nil, restricts the update to evidence on those nodes: it sets those
// nodes' evidence afresh (retracting it when nothing remains).
func Apply(q *bn.Query, evidence []Evidence, skip int, nodes []int, scratch []float64) error {
	within := func(n int) bool {
		if nodes == nil {
			return true
		}
		for _, x := range nodes {
			if x == n {
				return true
			}
		}
		return false
	}
	if nodes != nil {
		for _, n := range nodes {
			q.Retract(n)
		}
	}
	// Hard evidence first, then soft on nodes without hard evidence.
	for i, e := range evidence {
		if i == skip || e.State < 0 || !within(e.Node) {
			continue
		}
		if err := q.Observe(e.Node, e.State); err != nil {
			return err
		}
	}
	for i, e := range evidence {
		if i == skip || e.State >= 0 || !within(e.Node) || q.HardState(e.Node) >= 0 {
			continue
		}
		lik := e.Likelihood
		if prev := q.Likelihood(e.Node); prev != nil {
			scratch = append(scratch[:0], prev...)
			for j := range scratch {
				scratch[j] *= lik[j]
			}
			lik = scratch
		}
		if err := q.SetLikelihood(e.Node, lik); err != nil {
			return err
		}
	}
	return nil
}

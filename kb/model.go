package kb

import (
	"bytes"
	_ "embed"
	"errors"
	"fmt"
	"math"
	"sort"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/tendo-health/tendo/bn"
)

//go:embed model.yaml
var modelYAML []byte

// ModelYAML returns the embedded model file's text.
func ModelYAML() []byte { return modelYAML }

// Model is the knowledge base as written in model.yaml: a Bayesian network
// in which every number carries its provenance, the mapping from the
// assessment contract's fields to the network, and the classification
// thresholds.
type Model struct {
	Schema     string               `yaml:"schema"`
	ID         string               `yaml:"id"`
	Version    string               `yaml:"version"`
	Title      string               `yaml:"title"`
	Population string               `yaml:"population"`
	Disclaimer string               `yaml:"disclaimer"`
	Thresholds map[string]Threshold `yaml:"thresholds"`
	Sources    []Source             `yaml:"sources"`
	Nodes      []Node               `yaml:"nodes"`
	Findings   []Finding            `yaml:"findings"`
}

// Threshold is a named decision threshold with its justification.
type Threshold struct {
	Value float64 `yaml:"value"`
	Why   string  `yaml:"why"`
}

// Source is one reference from the evidence file.
type Source struct {
	Key  string `yaml:"key"`
	Cite string `yaml:"cite"`
	Kind string `yaml:"kind"` // SR/MA, DA, CPG, COH, CC, XS, SEC
	// Short is the label used in plans and reports ("NICE NG59"); when
	// empty, the first author and year taken from Cite.
	Short string `yaml:"short,omitempty"`
}

// Provenance says where a number comes from: a Source key (with an
// optional note saying which figure), or an estimate with its reason.
type Provenance struct {
	Source   string `yaml:"source,omitempty"`
	Estimate string `yaml:"estimate,omitempty"`
	Note     string `yaml:"note,omitempty"`
	// N is the effective sample size of a sourced number without an
	// interval (the study's size, at most 1,000); the credible intervals
	// draw the number as a proportion with that many observations.
	// Estimates use 10 (contract v1.1).
	N int `yaml:"n,omitempty"`
	// CI is the 95% interval of a sourced proportion, when the source
	// gives one; the credible intervals draw from a Beta distribution
	// with that interval.
	CI []float64 `yaml:"ci,omitempty,flow"`
}

// Probs is a probability vector; in YAML a single number p is accepted for
// a binary variable and means (1−p, p).
type Probs []float64

// UnmarshalYAML accepts a list or, for binary variables, a scalar.
func (p *Probs) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind == yaml.ScalarNode {
		var x float64
		if err := n.Decode(&x); err != nil {
			return err
		}
		*p = Probs{1 - x, x}
		return nil
	}
	var xs []float64
	if err := n.Decode(&xs); err != nil {
		return err
	}
	*p = xs
	return nil
}

// Dist is a distribution with its provenance.
type Dist struct {
	P          Probs `yaml:"p"`
	Provenance `yaml:",inline"`
}

// Node is one variable of the network. Exactly one of Prior, Table, Noisy,
// Mixture and Definition gives its conditional distribution.
type Node struct {
	ID          string      `yaml:"id"`
	Label       string      `yaml:"label"`
	Role        string      `yaml:"role"` // context, mechanism, hypothesis, finding, summary
	Description string      `yaml:"description"`
	States      []string    `yaml:"states"`
	Prior       *Dist       `yaml:"prior,omitempty"`
	Table       *Table      `yaml:"table,omitempty"`
	Noisy       *Noisy      `yaml:"noisy,omitempty"`
	Mixture     *Mixture    `yaml:"mixture,omitempty"`
	Definition  *Definition `yaml:"definition,omitempty"`
	Accuracy    []Accuracy  `yaml:"accuracy,omitempty"`
	// Differential, on a hypothesis node, is the contract's differential
	// code it reports ("partial-achilles-tear"); its second state is
	// "present".
	Differential string `yaml:"differential,omitempty"`
}

// Table is a full conditional probability table, one row per parent
// configuration.
type Table struct {
	Parents []string `yaml:"parents"`
	Rows    []Row    `yaml:"rows"`
}

// Row is one column of a CPT: the child's distribution given When.
type Row struct {
	When       map[string]string `yaml:"when"`
	P          Probs             `yaml:"p"`
	Provenance `yaml:",inline"`
}

// Noisy is a leaky noisy-OR/noisy-MAX node (bn.NoisyMax): each cause, a
// state of a parent, carries the child distribution it produces alone.
type Noisy struct {
	Leak   Dist    `yaml:"leak"`
	Causes []Cause `yaml:"causes"`
}

// Cause is one parent state that causes the child.
type Cause struct {
	Parent     string  `yaml:"parent"`
	State      string  `yaml:"state"`
	P          Probs   `yaml:"p"`
	Weight     float64 `yaml:"weight,omitempty"` // mixtures only
	Provenance `yaml:",inline"`
}

// Mixture is a node whose state is reported by one of its active causes:
// with active causes A (and the leak, always active), P(y | A) =
// Σ_{c∈A} w_c·p_c(y) / Σ_{c∈A} w_c. It models a single reported category
// (where the pain is, which site is tender) that several conditions compete
// to produce.
type Mixture struct {
	Leak   Cause   `yaml:"leak"`
	Causes []Cause `yaml:"causes"`
}

// Definition makes a node a deterministic function of others.
type Definition struct {
	// Kind "any": the node's second state holds when any reference holds.
	// Kind "all": the node's second state holds when every reference holds.
	// Kind "pair": four states for (neither, first only, second only, both)
	// of two references.
	Kind string `yaml:"kind"`
	Of   []Ref  `yaml:"of"`
	Why  string `yaml:"why"`
}

// Ref is "node is in one of these states".
type Ref struct {
	Node   string   `yaml:"node"`
	States []string `yaml:"states"`
}

// Accuracy is a published sensitivity and specificity that the model must
// reproduce (checked by inference in the tests).
type Accuracy struct {
	Condition  Ref      `yaml:"condition"` // the target condition
	Positive   []string `yaml:"positive"`  // the finding states that count as a positive test
	Given      []Ref    `yaml:"given,omitempty"`
	Sens       *float64 `yaml:"sens,omitempty"`
	Spec       *float64 `yaml:"spec,omitempty"`
	Tolerance  float64  `yaml:"tolerance"`
	Provenance `yaml:",inline"`
}

// Finding maps one field of the assessment contract to the network.
type Finding struct {
	Field string `yaml:"field"`
	Node  string `yaml:"node,omitempty"`
	// Label names the finding in words when the node's label does not
	// (several fields can map to one node).
	Label string `yaml:"label,omitempty"`
	// Kind: bool, enum, bins, lsi, bmi, logistic, none.
	Kind   string            `yaml:"kind"`
	States map[string]string `yaml:"states,omitempty"` // value → node state
	Soft   map[string]Soft   `yaml:"soft,omitempty"`   // value → likelihood
	Bins   []Bin             `yaml:"bins,omitempty"`
	// Logistic turns a number into soft evidence on a binary node: the
	// likelihood ratio (second state : first) is exp(Slope·(x − Midpoint)),
	// kept within [1/MaxRatio, MaxRatio]; with a measurement error, the
	// slope is Logistic.EffectiveSlope.
	Logistic *Logistic `yaml:"logistic,omitempty"`
	Use      string    `yaml:"use,omitempty"` // for kind none: what reads the field instead
	// Groups, for kind areas, map groups of body areas of an area list
	// onto binary nodes: the node's second state when the list holds any
	// area of the group, its first when the list is given without them.
	Groups []AreaGroup `yaml:"groups,omitempty"`
	// Sites, for kind sites, map each value of the field to hard evidence
	// on one or more nodes (a named pain site sets that site's node).
	Sites map[string][]NodeState `yaml:"sites,omitempty"`
	// Unnamed, for kind sites, is the likelihood (over the first and
	// second state) entered on each site node that the value does not set:
	// a site the patient did not name is less likely to be affected.
	Unnamed *Soft `yaml:"unnamed,omitempty"`
	// Also lists copies of Node (same states) that the field sets too: a
	// context variable split into copies for separate parts of the network.
	Also []string `yaml:"also,omitempty,flow"`
	// UnlessPresent lists fields that, when given, make this one carry no
	// weight (a more specific field says the same thing).
	UnlessPresent []string `yaml:"unlessPresent,omitempty,flow"`
	Provenance    `yaml:",inline"`
}

// NodeState is one node in one state.
type NodeState struct {
	Node  string `yaml:"node"`
	State string `yaml:"state"`
}

// AreaGroup is one group of a kind-areas finding.
type AreaGroup struct {
	Node  string   `yaml:"node"`
	Areas []string `yaml:"areas,flow"`
}

// Soft is a likelihood vector over a node's states.
type Soft struct {
	Likelihood []float64 `yaml:"likelihood"`
	Provenance `yaml:",inline"`
}

// Bin assigns numbers below Below (or any, for the last bin) to State.
type Bin struct {
	Below *float64 `yaml:"below,omitempty"`
	State string   `yaml:"state,omitempty"`
	// Skip makes numbers in this bin carry no weight (an ABPI above 1.30:
	// incompressible arteries, uninformative).
	Skip bool `yaml:"skip,omitempty"`
}

// Logistic is a number-to-likelihood function (see Finding.Logistic).
type Logistic struct {
	Midpoint float64 `yaml:"midpoint"`
	Slope    float64 `yaml:"slope"`
	MaxRatio float64 `yaml:"maxRatio"`
	Unit     string  `yaml:"unit"`
	// Spread and MeasurementSD, both in Unit and both set or neither,
	// read the value as a measurement with error. The exponential ratio
	// is that of a value spread normally, with standard deviation Spread,
	// about a different mean in each state of the node (Slope = the
	// difference of the means / Spread²). A measurement adds its own error
	// of standard deviation MeasurementSD to each state's spread, so the
	// ratio of a measured value is flatter: its slope is
	// Slope·Spread²/(Spread² + MeasurementSD²) (EffectiveSlope).
	Spread        float64 `yaml:"spread,omitempty"`
	MeasurementSD float64 `yaml:"measurementSD,omitempty"`
}

// EffectiveSlope is the slope applied to a measured value: Slope,
// attenuated by the measurement error when Spread and MeasurementSD are
// set (see Logistic).
func (l *Logistic) EffectiveSlope() float64 {
	if l.Spread > 0 && l.MeasurementSD > 0 {
		s2 := l.Spread * l.Spread
		return l.Slope * s2 / (s2 + l.MeasurementSD*l.MeasurementSD)
	}
	return l.Slope
}

// Parse reads a model file strictly: unknown keys are errors.
func Parse(data []byte) (*Model, error) {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	var m Model
	if err := dec.Decode(&m); err != nil {
		return nil, fmt.Errorf("kb: model: %w", err)
	}
	return &m, nil
}

// Load parses the embedded model.
func Load() (*Model, error) { return Parse(modelYAML) }

// Node returns the node with the given id, or nil.
func (m *Model) Node(id string) *Node {
	for i := range m.Nodes {
		if m.Nodes[i].ID == id {
			return &m.Nodes[i]
		}
	}
	return nil
}

// SourceByKey returns the source with the key, or nil.
func (m *Model) SourceByKey(key string) *Source {
	for i := range m.Sources {
		if m.Sources[i].Key == key {
			return &m.Sources[i]
		}
	}
	return nil
}

// Parents returns the ids of a node's parents.
func (n *Node) Parents() []string {
	var ps []string
	add := func(p string) {
		for _, q := range ps {
			if q == p {
				return
			}
		}
		ps = append(ps, p)
	}
	switch {
	case n.Table != nil:
		for _, p := range n.Table.Parents {
			add(p)
		}
	case n.Noisy != nil:
		for _, c := range n.Noisy.Causes {
			add(c.Parent)
		}
	case n.Mixture != nil:
		for _, c := range n.Mixture.Causes {
			add(c.Parent)
		}
	case n.Definition != nil:
		for _, r := range n.Definition.Of {
			add(r.Node)
		}
	}
	return ps
}

// Build compiles the model to a Bayesian network with one variable per
// node, in the model's order, and full tables (the form tendo model export
// writes), after checking it (see Check).
func (m *Model) Build() (*bn.Network, error) {
	if err := m.Check(); err != nil {
		return nil, err
	}
	return m.build(false)
}

// BuildChained is Build with every noisy node of three or more parents
// replaced by a chain of two-parent max nodes (bn.NoisyMax.Chain). The
// chain nodes come after the model's nodes and are named "<node>~<i>"; the
// joint distribution of the model's nodes is exactly the same, and the
// junction tree is much smaller. tendo's inference uses this form.
func (m *Model) BuildChained() (*bn.Network, error) {
	if err := m.Check(); err != nil {
		return nil, err
	}
	return m.build(true)
}

// MaxModelEntries bounds the total size of a model's tables. tendo's model
// has a few thousand entries; the bound keeps a hostile model file (tendo
// model check reads any file) from allocating without limit.
const MaxModelEntries = 1 << 22

func (m *Model) build(chain bool) (*bn.Network, error) {
	net := &bn.Network{Name: m.ID, Directed: true}
	total := 0
	for _, n := range m.Nodes {
		size := len(n.States)
		for _, p := range n.Parents() {
			pn := m.Node(p)
			if pn == nil {
				return nil, fmt.Errorf("kb: node %q: unknown parent %q", n.ID, p)
			}
			c := len(pn.States)
			if c == 0 || size > MaxModelEntries/c {
				size = MaxModelEntries + 1
				break
			}
			size *= c
		}
		total += size
		if total > MaxModelEntries {
			return nil, fmt.Errorf("kb: the model's tables exceed %d entries in all (at node %q)", MaxModelEntries, n.ID)
		}
	}
	index := map[string]int{}
	for i, n := range m.Nodes {
		net.Variables = append(net.Variables, bn.Variable{Name: n.ID, States: append([]string(nil), n.States...)})
		index[n.ID] = i
	}
	stateIdx := m.stateIndex
	var aux []bn.Factor // tables of the chain nodes, which follow the model's nodes
	for i := range m.Nodes {
		n := &m.Nodes[i]
		parents := n.Parents()
		vars := make([]int, 0, len(parents)+1)
		for _, p := range parents {
			pi, ok := index[p]
			if !ok {
				return nil, fmt.Errorf("kb: node %q: unknown parent %q", n.ID, p)
			}
			vars = append(vars, pi)
		}
		vars = append(vars, i)
		if chain && n.Noisy != nil && len(parents) >= 3 {
			tables, err := m.nodeTables(n, parents, true, stateIdx)
			if err != nil {
				return nil, fmt.Errorf("kb: node %q: %w", n.ID, err)
			}
			prev := -1
			for li, t := range tables {
				target := i
				if li < len(tables)-1 {
					target = len(net.Variables)
					net.Variables = append(net.Variables, bn.Variable{Name: fmt.Sprintf("%s~%d", n.ID, li+1), States: append([]string(nil), n.States...)})
					aux = append(aux, bn.Factor{})
				}
				fvars := []int{vars[li], target}
				if prev >= 0 {
					fvars = []int{prev, vars[li], target}
				}
				f := bn.Factor{Vars: fvars, Table: t}
				if target == i {
					net.Factors = append(net.Factors, f)
				} else {
					aux[target-len(m.Nodes)] = f
				}
				prev = target
			}
			continue
		}
		tables, err := m.nodeTables(n, parents, chain, stateIdx)
		if err != nil {
			return nil, fmt.Errorf("kb: node %q: %w", n.ID, err)
		}
		net.Factors = append(net.Factors, bn.Factor{Vars: vars, Table: tables[0]})
	}
	net.Factors = append(net.Factors, aux...)
	if err := net.Validate(); err != nil {
		return nil, fmt.Errorf("kb: %w", err)
	}
	return net, nil
}

// stateIndex returns the index of a node's state.
func (m *Model) stateIndex(node, state string) (int, error) {
	n := m.Node(node)
	if n == nil {
		return 0, fmt.Errorf("unknown node %q", node)
	}
	for i, s := range n.States {
		if s == state {
			return i, nil
		}
	}
	return 0, fmt.Errorf("node %q has no state %q (its states: %s)", node, state, strings.Join(n.States, ", "))
}

// nodeTables computes the tables of a node's factors: its CPT, or with
// chain set and a noisy node of three or more parents, the tables of its
// chain of two-parent max nodes (bn.NoisyMax.Chain), the node's own last.
func (m *Model) nodeTables(n *Node, parents []string, chain bool, stateIdx func(node, state string) (int, error)) ([][]float64, error) {
	if chain && n.Noisy != nil && len(parents) >= 3 {
		nm, err := m.noisyMax(n, parents, stateIdx)
		if err != nil {
			return nil, err
		}
		return nm.Chain()
	}
	t, err := m.cpt(n, parents, stateIdx)
	if err != nil {
		return nil, err
	}
	return [][]float64{t}, nil
}

// cpt computes a node's table, parents slowest (in order), child fastest.
func (m *Model) cpt(n *Node, parents []string, stateIdx func(node, state string) (int, error)) ([]float64, error) {
	k := len(n.States)
	cards := make([]int, len(parents))
	size := k
	for i, p := range parents {
		cards[i] = len(m.Node(p).States)
		if cards[i] == 0 || size > bn.MaxTableSize/cards[i] {
			return nil, fmt.Errorf("the table over %d parents exceeds %d entries", len(parents), bn.MaxTableSize)
		}
		size *= cards[i]
	}
	// configs enumerates parent configurations in table order.
	configs := func(f func(off int, x []int) error) error {
		x := make([]int, len(parents))
		for off := 0; off < size; off += k {
			if err := f(off, x); err != nil {
				return err
			}
			for i := len(x) - 1; i >= 0; i-- {
				x[i]++
				if x[i] < cards[i] {
					break
				}
				x[i] = 0
			}
		}
		return nil
	}
	table := make([]float64, size)
	switch {
	case n.Prior != nil:
		copy(table, n.Prior.P)
	case n.Table != nil:
		filled := make([]bool, size/k)
		for ri, row := range n.Table.Rows {
			if len(row.When) != len(parents) {
				return nil, fmt.Errorf("row %d gives %d parent states, want %d (%s)", ri+1, len(row.When), len(parents), strings.Join(parents, ", "))
			}
			col := 0
			for i, p := range parents {
				s, ok := row.When[p]
				if !ok {
					return nil, fmt.Errorf("row %d does not give the state of %q", ri+1, p)
				}
				si, err := stateIdx(p, s)
				if err != nil {
					return nil, fmt.Errorf("row %d: %w", ri+1, err)
				}
				col = col*cards[i] + si
			}
			if filled[col] {
				return nil, fmt.Errorf("row %d repeats a parent configuration", ri+1)
			}
			filled[col] = true
			copy(table[col*k:], row.P)
		}
		for col, ok := range filled {
			if !ok {
				return nil, fmt.Errorf("no row for parent configuration %d of %d", col+1, len(filled))
			}
		}
	case n.Noisy != nil:
		nm, err := m.noisyMax(n, parents, stateIdx)
		if err != nil {
			return nil, err
		}
		t, err := nm.Table()
		if err != nil {
			return nil, err
		}
		table = t
	case n.Mixture != nil:
		type active struct {
			w float64
			p []float64
		}
		strength := make([]map[int]active, len(parents))
		for i, p := range parents {
			strength[i] = map[int]active{}
			for _, cause := range n.Mixture.Causes {
				if cause.Parent != p {
					continue
				}
				si, err := stateIdx(p, cause.State)
				if err != nil {
					return nil, err
				}
				strength[i][si] = active{cause.Weight, cause.P}
			}
		}
		err := configs(func(off int, x []int) error {
			w := n.Mixture.Leak.Weight
			for y := 0; y < k; y++ {
				table[off+y] = w * n.Mixture.Leak.P[y]
			}
			for i, xi := range x {
				if a, ok := strength[i][xi]; ok {
					w += a.w
					for y := 0; y < k; y++ {
						table[off+y] += a.w * a.p[y]
					}
				}
			}
			for y := 0; y < k; y++ {
				table[off+y] /= w
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
	case n.Definition != nil:
		holds := make([]map[int]bool, len(n.Definition.Of))
		for i, r := range n.Definition.Of {
			holds[i] = map[int]bool{}
			for _, s := range r.States {
				si, err := stateIdx(r.Node, s)
				if err != nil {
					return nil, err
				}
				holds[i][si] = true
			}
		}
		// parents == the refs' nodes in order (Parents de-duplicates; the
		// checks require distinct nodes).
		err := configs(func(off int, x []int) error {
			switch n.Definition.Kind {
			case "any":
				any := false
				for i := range x {
					any = any || holds[i][x[i]]
				}
				if any {
					table[off+1] = 1
				} else {
					table[off] = 1
				}
			case "all":
				all := true
				for i := range x {
					all = all && holds[i][x[i]]
				}
				if all {
					table[off+1] = 1
				} else {
					table[off] = 1
				}
			case "pair":
				a, b := holds[0][x[0]], holds[1][x[1]]
				idx := 0
				if a {
					idx++
				}
				if b {
					idx += 2
				}
				table[off+idx] = 1
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	return table, nil
}

// noisyMax turns a noisy node into a bn.NoisyMax with one cause per parent.
func (m *Model) noisyMax(n *Node, parents []string, stateIdx func(node, state string) (int, error)) (bn.NoisyMax, error) {
	nm := bn.NoisyMax{ChildStates: len(n.States), Leak: n.Noisy.Leak.P}
	for _, p := range parents {
		card := len(m.Node(p).States)
		c := bn.Cause{States: card, Strength: make([][]float64, card)}
		for _, cause := range n.Noisy.Causes {
			if cause.Parent != p {
				continue
			}
			si, err := stateIdx(p, cause.State)
			if err != nil {
				return nm, err
			}
			if c.Strength[si] != nil {
				return nm, fmt.Errorf("cause %s=%s is listed twice", p, cause.State)
			}
			c.Strength[si] = cause.P
		}
		nm.Causes = append(nm.Causes, c)
	}
	return nm, nil
}

// Problem is one thing Check found wrong with the model.
type Problem struct {
	Where string // e.g. "node tendinopathy, row 2"
	What  string
}

func (p Problem) String() string { return p.Where + ": " + p.What }

// Problems is every problem found by Check.
type Problems []Problem

func (ps Problems) Error() string {
	lines := make([]string, len(ps))
	for i, p := range ps {
		lines[i] = p.String()
	}
	return "kb: the model has " + fmt.Sprint(len(ps)) + " problem(s): " + strings.Join(lines, "; ")
}

// Check validates the model and returns Problems listing everything wrong:
// schema and version, unique ids and states, exactly one distribution per
// node, probabilities that are distributions, every number with exactly one
// of a known source or an estimate with its reason, parents that exist,
// definitions over distinct nodes, accuracy targets that name real states,
// and findings mapped to real nodes and states. The network's own checks
// (acyclicity) run in Build.
func (m *Model) Check() error {
	var ps Problems
	add := func(where, format string, args ...any) {
		ps = append(ps, Problem{where, fmt.Sprintf(format, args...)})
	}
	if m.Schema != "tendo/model/v1" {
		add("model", "schema is %q, want tendo/model/v1", m.Schema)
	}
	if m.ID == "" || m.Version == "" {
		add("model", "id and version are required")
	}
	keys := map[string]bool{}
	for _, s := range m.Sources {
		if s.Key == "" || s.Cite == "" {
			add("sources", "every source needs a key and a citation (%q)", s.Key)
		}
		if keys[s.Key] {
			add("sources", "key %q is used twice", s.Key)
		}
		keys[s.Key] = true
	}
	prov := func(where string, p Provenance) {
		switch {
		case p.Source != "" && p.Estimate != "":
			add(where, "has both a source and an estimate; give one")
		case p.Source == "" && p.Estimate == "":
			add(where, "has neither a source nor an estimate")
		case p.Source != "":
			for _, k := range strings.Split(p.Source, ",") {
				if !keys[strings.TrimSpace(k)] {
					add(where, "cites unknown source %q", strings.TrimSpace(k))
				}
			}
		}
		if (p.N != 0 || len(p.CI) > 0) && p.Source == "" {
			add(where, "gives n or ci without a source")
		}
		if p.N < 0 {
			add(where, "n %d is negative", p.N)
		}
		if len(p.CI) > 0 && (len(p.CI) != 2 || !(0 <= p.CI[0] && p.CI[0] < p.CI[1] && p.CI[1] <= 1)) {
			add(where, "ci %v is not an interval [lo, hi] within 0–1", p.CI)
		}
	}
	dist := func(where string, p []float64, n int) {
		if len(p) != n {
			add(where, "has %d probabilities, want %d", len(p), n)
			return
		}
		s := 0.0
		for _, x := range p {
			if !(x >= 0 && x <= 1) {
				add(where, "probability %v is outside 0–1", x)
			}
			s += x
		}
		if math.Abs(s-1) > 1e-9 {
			add(where, "probabilities sum to %.10g, want 1", s)
		}
	}
	ids := map[string]*Node{}
	for i := range m.Nodes {
		n := &m.Nodes[i]
		if n.ID == "" {
			add(fmt.Sprintf("node %d", i+1), "has no id")
			continue
		}
		if ids[n.ID] != nil {
			add("node "+n.ID, "id is used twice")
		}
		ids[n.ID] = n
	}
	stateOK := func(node, state string) bool {
		n := ids[node]
		if n == nil {
			return false
		}
		for _, s := range n.States {
			if s == state {
				return true
			}
		}
		return false
	}
	roles := map[string]bool{"context": true, "mechanism": true, "hypothesis": true, "finding": true, "summary": true}
	for i := range m.Nodes {
		n := &m.Nodes[i]
		w := "node " + n.ID
		if n.Label == "" || n.Description == "" {
			add(w, "needs a label and a description")
		}
		if !roles[n.Role] {
			add(w, "role %q is not one of context, mechanism, hypothesis, finding, summary", n.Role)
		}
		if len(n.States) < 2 {
			add(w, "needs at least two states")
		}
		seen := map[string]bool{}
		for _, s := range n.States {
			if seen[s] {
				add(w, "state %q is listed twice", s)
			}
			seen[s] = true
		}
		kinds := 0
		for _, set := range []bool{n.Prior != nil, n.Table != nil, n.Noisy != nil, n.Mixture != nil, n.Definition != nil} {
			if set {
				kinds++
			}
		}
		if kinds != 1 {
			add(w, "needs exactly one of prior, table, noisy, mixture, definition (has %d)", kinds)
			continue
		}
		for _, p := range n.Parents() {
			if ids[p] == nil {
				add(w, "parent %q does not exist", p)
			}
		}
		k := len(n.States)
		causeCheck := func(where string, c Cause, mixture bool) {
			if ids[c.Parent] == nil {
				add(where, "parent %q does not exist", c.Parent)
			} else if !stateOK(c.Parent, c.State) {
				add(where, "parent %q has no state %q", c.Parent, c.State)
			}
			dist(where, c.P, k)
			prov(where, c.Provenance)
			if mixture && !(c.Weight > 0) {
				add(where, "needs a positive weight")
			}
		}
		switch {
		case n.Prior != nil:
			dist(w+", prior", n.Prior.P, k)
			prov(w+", prior", n.Prior.Provenance)
		case n.Table != nil:
			for ri, row := range n.Table.Rows {
				rw := fmt.Sprintf("%s, row %d", w, ri+1)
				dist(rw, row.P, k)
				prov(rw, row.Provenance)
				for p, s := range row.When {
					if !stateOK(p, s) {
						add(rw, "%s=%s is not a state of a parent", p, s)
					}
				}
			}
		case n.Noisy != nil:
			dist(w+", leak", n.Noisy.Leak.P, k)
			prov(w+", leak", n.Noisy.Leak.Provenance)
			for ci, c := range n.Noisy.Causes {
				causeCheck(fmt.Sprintf("%s, cause %d (%s=%s)", w, ci+1, c.Parent, c.State), c, false)
			}
		case n.Mixture != nil:
			l := n.Mixture.Leak
			dist(w+", leak", l.P, k)
			prov(w+", leak", l.Provenance)
			if !(l.Weight > 0) {
				add(w+", leak", "needs a positive weight")
			}
			for ci, c := range n.Mixture.Causes {
				causeCheck(fmt.Sprintf("%s, cause %d (%s=%s)", w, ci+1, c.Parent, c.State), c, true)
			}
		case n.Definition != nil:
			d := n.Definition
			if d.Why == "" {
				add(w, "definition needs a why")
			}
			switch {
			case (d.Kind == "any" || d.Kind == "all") && k != 2:
				add(w, "an '%s' definition needs two states", d.Kind)
			case d.Kind == "pair" && (k != 4 || len(d.Of) != 2):
				add(w, "a 'pair' definition needs two references and four states")
			case d.Kind != "any" && d.Kind != "all" && d.Kind != "pair":
				add(w, "definition kind %q is not any, all or pair", d.Kind)
			}
			nodes := map[string]bool{}
			for _, r := range d.Of {
				if nodes[r.Node] {
					add(w, "definition refers to %q twice", r.Node)
				}
				nodes[r.Node] = true
				for _, s := range r.States {
					if !stateOK(r.Node, s) {
						add(w, "definition: %q has no state %q", r.Node, s)
					}
				}
			}
		}
		for ai, a := range n.Accuracy {
			aw := fmt.Sprintf("%s, accuracy %d", w, ai+1)
			prov(aw, a.Provenance)
			for _, s := range a.Condition.States {
				if !stateOK(a.Condition.Node, s) {
					add(aw, "condition %s=%s is not a state", a.Condition.Node, s)
				}
			}
			for _, s := range a.Positive {
				if !stateOK(n.ID, s) {
					add(aw, "positive state %q is not a state of %s", s, n.ID)
				}
			}
			for _, g := range a.Given {
				for _, s := range g.States {
					if !stateOK(g.Node, s) {
						add(aw, "given %s=%s is not a state", g.Node, s)
					}
				}
			}
			if a.Sens == nil && a.Spec == nil {
				add(aw, "gives neither sens nor spec")
			}
			if !(a.Tolerance > 0 && a.Tolerance <= 0.1) {
				add(aw, "tolerance %v must be above 0 and at most 0.1", a.Tolerance)
			}
		}
	}
	for name, t := range m.Thresholds {
		if t.Why == "" || !(t.Value > 0 && t.Value < 1) {
			add("threshold "+name, "needs a value in (0, 1) and a why")
		}
	}
	fields := map[string]bool{}
	for _, f := range m.Findings {
		w := "finding " + f.Field
		if fields[f.Field] {
			add(w, "is mapped twice")
		}
		fields[f.Field] = true
		if f.Kind == "none" {
			if f.Use == "" {
				add(w, "kind none needs a use (what reads the field instead)")
			}
			continue
		}
		if f.Kind == "sites" {
			if len(f.Sites) == 0 {
				add(w, "kind sites needs sites")
			}
			if f.Unnamed != nil {
				if len(f.Unnamed.Likelihood) != 2 {
					add(w, "unnamed needs a likelihood of two values")
				}
				prov(w+" (unnamed)", f.Unnamed.Provenance)
			}
			for v, list := range f.Sites {
				if len(list) == 0 {
					add(w, "value %q sets no node", v)
				}
				for _, ns := range list {
					if !stateOK(ns.Node, ns.State) {
						add(w, "value %q: %s=%s is not a node state", v, ns.Node, ns.State)
					}
				}
			}
			prov(w, f.Provenance)
			continue
		}
		if f.Kind == "areas" {
			if len(f.Groups) == 0 {
				add(w, "kind areas needs groups")
			}
			for _, g := range f.Groups {
				gn := ids[g.Node]
				if gn == nil {
					add(w, "group node %q does not exist", g.Node)
				} else if len(gn.States) != 2 {
					add(w, "group node %q must be binary", g.Node)
				}
				if len(g.Areas) == 0 {
					add(w, "group %q lists no areas", g.Node)
				}
			}
			prov(w, f.Provenance)
			continue
		}
		n := ids[f.Node]
		if n == nil {
			add(w, "node %q does not exist", f.Node)
			continue
		}
		for _, c := range f.Also {
			cn := ids[c]
			if cn == nil {
				add(w, "also: node %q does not exist", c)
			} else if strings.Join(cn.States, ",") != strings.Join(n.States, ",") {
				add(w, "also: node %q does not have the states of %s", c, f.Node)
			}
		}
		for v, s := range f.States {
			if !stateOK(f.Node, s) {
				add(w, "value %q maps to %q, not a state of %s", v, s, f.Node)
			}
		}
		for v, s := range f.Soft {
			if len(s.Likelihood) != len(n.States) {
				add(w, "soft evidence for %q has %d values, want %d", v, len(s.Likelihood), len(n.States))
			}
			prov(w+" (soft "+v+")", s.Provenance)
		}
		switch f.Kind {
		case "bool", "enum":
			if len(f.States)+len(f.Soft) == 0 {
				add(w, "needs states or soft evidence")
			}
		case "bins", "lsi":
			if len(f.Bins) == 0 {
				add(w, "needs bins")
			}
			for i, b := range f.Bins {
				if b.Skip && b.State == "" {
					if b.Below != nil || i != len(f.Bins)-1 {
						add(w, "only the last bin may skip, and it has no 'below'")
					}
					continue
				}
				if !stateOK(f.Node, b.State) {
					add(w, "bin %d state %q is not a state of %s", i+1, b.State, f.Node)
				}
				if (b.Below == nil) != (i == len(f.Bins)-1) {
					add(w, "every bin but the last needs 'below', and the last must not have it")
				}
			}
			prov(w, f.Provenance)
		case "bmi":
			if len(f.Bins) == 0 {
				add(w, "needs bins")
			}
			prov(w, f.Provenance)
		case "logistic":
			if f.Logistic == nil || !(f.Logistic.MaxRatio > 1) || len(n.States) != 2 {
				add(w, "a logistic mapping needs a binary node and maxRatio > 1")
			} else if lg := f.Logistic; (lg.Spread != 0 || lg.MeasurementSD != 0) && !(lg.Spread > 0 && lg.MeasurementSD > 0) {
				add(w, "a logistic mapping's spread and measurementSD must both be positive, or both absent")
			}
			prov(w, f.Provenance)
		default:
			add(w, "kind %q is not bool, enum, bins, lsi, bmi, logistic, areas, sites or none", f.Kind)
		}
	}
	if len(ps) > 0 {
		return ps
	}
	return nil
}

// Numbers lists every number of the model with its provenance, for the
// model card: where it is, what it is, and where it comes from.
type Number struct {
	Node       string
	What       string
	Values     []float64
	Provenance Provenance
}

// Numbers returns every distribution of the model in node order.
func (m *Model) Numbers() []Number {
	var out []Number
	for _, n := range m.Nodes {
		switch {
		case n.Prior != nil:
			out = append(out, Number{n.ID, "prior", n.Prior.P, n.Prior.Provenance})
		case n.Table != nil:
			for _, r := range n.Table.Rows {
				keys := make([]string, 0, len(r.When))
				for _, p := range n.Table.Parents {
					keys = append(keys, p+"="+r.When[p])
				}
				out = append(out, Number{n.ID, "given " + strings.Join(keys, ", "), r.P, r.Provenance})
			}
		case n.Noisy != nil:
			out = append(out, Number{n.ID, "leak", n.Noisy.Leak.P, n.Noisy.Leak.Provenance})
			for _, c := range n.Noisy.Causes {
				out = append(out, Number{n.ID, "cause " + c.Parent + "=" + c.State, c.P, c.Provenance})
			}
		case n.Mixture != nil:
			out = append(out, Number{n.ID, fmt.Sprintf("leak (weight %g)", n.Mixture.Leak.Weight), n.Mixture.Leak.P, n.Mixture.Leak.Provenance})
			for _, c := range n.Mixture.Causes {
				out = append(out, Number{n.ID, fmt.Sprintf("cause %s=%s (weight %g)", c.Parent, c.State, c.Weight), c.P, c.Provenance})
			}
		}
	}
	return out
}

// ErrNoNode is returned when a name does not match a node.
var ErrNoNode = errors.New("kb: no such node")

// SortedSourceKeys returns the keys cited anywhere in the model, sorted.
func (m *Model) SortedSourceKeys() []string {
	seen := map[string]bool{}
	for _, num := range m.Numbers() {
		for _, k := range strings.Split(num.Provenance.Source, ",") {
			if k = strings.TrimSpace(k); k != "" {
				seen[k] = true
			}
		}
	}
	keys := make([]string, 0, len(seen))
	for k := range seen {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

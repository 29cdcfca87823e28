package kb

import (
	"bytes"
	_ "embed"
	"errors"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"runtime"
	"sort"
	"strings"
	"sync"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"

	"github.com/tendo-health/tendo/bn"
)

//go:embed validation.yaml
var validationYAML []byte

// ValidationYAML returns the embedded validation file's text.
func ValidationYAML() []byte { return validationYAML }

// Validation is validation.yaml: the published figures the model must
// reproduce beyond the sensitivities and specificities written in
// model.yaml (which are always checked too). It names nodes and states of
// the model only through data, so a new model needs a new file, not new
// code. Parse it with ParseValidation or LoadValidation, which check it
// against a model.
type Validation struct {
	Schema string `yaml:"schema"`
	// Sources are references cited here that model.yaml does not list (a
	// key may not be in both).
	Sources []Source `yaml:"sources"`
	// Effects are implied odds ratios and risk ratios (evidence §9.7).
	Effects []Effect `yaml:"effects"`
	// LikelihoodRatios are implied likelihood ratios of combined findings.
	LikelihoodRatios []LikelihoodRatio `yaml:"likelihoodRatios"`
	// AUC is the discrimination of patients sampled from the model.
	AUC *AUCSpec `yaml:"auc"`
	// Extremes bounds the share of extreme probabilities over a set of
	// vignettes (computed by package assess, which runs the assessments).
	Extremes *ExtremesSpec `yaml:"extremes"`

	model *Model
}

// Effect is an implied odds ratio or risk ratio: the outcome's probability
// with every factor exposed (p1) against every factor unexposed (p0), with
// Given observed and no other evidence.
type Effect struct {
	Label   string   `yaml:"label"` // optional; made from the factors and outcome when empty
	Factors []Factor `yaml:"factors"`
	Outcome Ref      `yaml:"outcome"` // the outcome node and the states that count
	Given   []Ref    `yaml:"given"`
	// Measure is OR ([p1/(1−p1)]/[p0/(1−p0)]) or RR (p1/p0).
	Measure  string    `yaml:"measure"`
	Estimate float64   `yaml:"estimate"`
	CI       []float64 `yaml:"ci,flow"` // the 95% interval: pass when the implied value is inside
	Source   string    `yaml:"source"`
	Note     string    `yaml:"note"`
}

// Factor is one exposure: node in State, against node in one of Against
// (by default every other state).
type Factor struct {
	Node    string   `yaml:"node"`
	State   string   `yaml:"state"`
	Against []string `yaml:"against,flow"`
}

// LikelihoodRatio is the implied positive likelihood ratio of a
// combination of findings all present: P(all | condition) / P(all | not
// condition), with no other evidence.
type LikelihoodRatio struct {
	Label     string    `yaml:"label"`
	Findings  []Ref     `yaml:"findings"`
	Condition Ref       `yaml:"condition"`
	Estimate  float64   `yaml:"estimate"`
	Range     []float64 `yaml:"range,flow"` // pass when the implied value is within
	Source    string    `yaml:"source"`
	Note      string    `yaml:"note"`
}

// AUCSpec says how to sample patients from the model and which
// discriminations to measure on them.
type AUCSpec struct {
	Patients int    `yaml:"patients"`
	Seed     uint64 `yaml:"seed"`
	// Sets are named lists of finding nodes ("history", "examination").
	Sets map[string][]string `yaml:"sets"`
	Rows []AUCRow            `yaml:"rows"`
}

// AUCRow is the area under the ROC curve of the posterior of Target given
// the sampled values of the nodes in Sets, against the sampled truth.
type AUCRow struct {
	Label  string   `yaml:"label"`
	Target Ref      `yaml:"target"`
	Sets   []string `yaml:"sets,flow"`
	// Min and Max bound the implied AUC; with neither, the row is reported
	// without a bound.
	Min       *float64 `yaml:"min"`
	Max       *float64 `yaml:"max"`
	Published string   `yaml:"published"` // the published figure, in words
	// Among, when set, restricts the sampled patients to those with the
	// node in one of the states (for example radiating leg pain, so that
	// the figure is comparable with studies of sciatica populations).
	Among  *Ref   `yaml:"among,omitempty"`
	Source string `yaml:"source"`
	Note   string `yaml:"note"`
}

// ExtremesSpec bounds the share of the four main probabilities of the
// vignettes without an emergency or urgent red flag that lie outside
// [Low, High].
type ExtremesSpec struct {
	Low    float64 `yaml:"low"`
	High   float64 `yaml:"high"`
	Max    float64 `yaml:"max"`
	Source string  `yaml:"source"`
	Note   string  `yaml:"note"`
	// Enforce false makes a share above Max "NOT MET" (reported, not a
	// failure of tendo model validate); Why must then say why the target
	// cannot be met honestly.
	Enforce *bool  `yaml:"enforce,omitempty"`
	Why     string `yaml:"why,omitempty"`
}

// ValidationError lists every problem of a validation file.
type ValidationError struct{ Problems []Problem }

func (e *ValidationError) Error() string {
	lines := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		lines[i] = p.String()
	}
	return fmt.Sprintf("kb: validation.yaml has %d problem(s): %s", len(e.Problems), strings.Join(lines, "; "))
}

// LoadValidation parses the embedded validation.yaml against m.
func LoadValidation(m *Model) (*Validation, error) { return ParseValidation(validationYAML, m) }

// ParseValidation reads a validation file strictly (unknown keys are
// errors) and checks it against m: every node and state it names exists,
// every source key is known, intervals contain their estimates. It returns
// a *ValidationError listing every problem.
func ParseValidation(data []byte, m *Model) (*Validation, error) {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	var v Validation
	if err := dec.Decode(&v); err != nil {
		return nil, fmt.Errorf("kb: validation: %w", err)
	}
	v.model = m
	if err := v.check(); err != nil {
		return nil, err
	}
	return &v, nil
}

func (v *Validation) check() error {
	m := v.model
	var ps []Problem
	add := func(where, format string, args ...any) {
		ps = append(ps, Problem{where, fmt.Sprintf(format, args...)})
	}
	if v.Schema != "tendo/validation/v1" {
		add("validation", "schema is %q, want tendo/validation/v1", v.Schema)
	}
	keys := map[string]bool{}
	for _, s := range m.Sources {
		keys[s.Key] = true
	}
	for i, s := range v.Sources {
		w := fmt.Sprintf("sources[%d]", i)
		switch {
		case s.Key == "" || s.Cite == "":
			add(w, "every source needs a key and a citation (%q)", s.Key)
		case m.SourceByKey(s.Key) != nil:
			add(w, "key %q is also in model.yaml; cite that one and remove it here", s.Key)
		case keys[s.Key]:
			add(w, "key %q is used twice", s.Key)
		}
		keys[s.Key] = true
	}
	source := func(where, src, note string) {
		if src == "" {
			if note == "" {
				add(where, "needs a source, or a note saying where the target comes from")
			}
			return
		}
		for _, k := range strings.Split(src, ",") {
			if k = strings.TrimSpace(k); !keys[k] {
				add(where, "cites unknown source %q (not in model.yaml's sources nor in this file's)", k)
			}
		}
	}
	node := func(where, id string) *Node {
		n := m.Node(id)
		if n == nil {
			hint := ""
			ids := make([]string, len(m.Nodes))
			for i, n := range m.Nodes {
				ids[i] = n.ID
			}
			if near := closest(id, ids); near != "" {
				hint = fmt.Sprintf(" (did you mean %q?)", near)
			}
			add(where, "node %q does not exist in the model%s", id, hint)
		}
		return n
	}
	state := func(where string, n *Node, s string) bool {
		if n == nil {
			return false
		}
		for _, x := range n.States {
			if x == s {
				return true
			}
		}
		add(where, "node %q has no state %q (its states: %s)", n.ID, s, strings.Join(n.States, ", "))
		return false
	}
	ref := func(where, what string, r Ref) {
		if r.Node == "" {
			add(where, "%s needs a node", what)
			return
		}
		n := node(where, r.Node)
		if len(r.States) == 0 {
			add(where, "%s %s names no states", what, r.Node)
		}
		seen := map[string]bool{}
		for _, s := range r.States {
			if seen[s] {
				add(where, "%s %s lists state %q twice", what, r.Node, s)
			}
			seen[s] = true
			state(where, n, s)
		}
		if n != nil && len(seen) == len(n.States) {
			add(where, "%s %s names every state, which is no evidence", what, r.Node)
		}
	}
	interval := func(where string, est float64, ci []float64, what string) {
		if len(ci) != 2 {
			add(where, "%s needs two numbers, [low, high]", what)
			return
		}
		if !(ci[0] > 0 && ci[0] <= est && est <= ci[1] && !math.IsInf(ci[1], 0)) {
			add(where, "%s [%g, %g] must be positive and contain the estimate %g", what, ci[0], ci[1], est)
		}
	}
	for i, e := range v.Effects {
		w := fmt.Sprintf("effects[%d]", i)
		if len(e.Factors) == 0 {
			add(w, "needs at least one factor")
		}
		used := map[string]bool{}
		for j, f := range e.Factors {
			fw := fmt.Sprintf("%s, factor %d", w, j+1)
			if f.Node == "" {
				add(fw, "needs a node")
				continue
			}
			if used[f.Node] {
				add(fw, "node %q is a factor twice", f.Node)
			}
			used[f.Node] = true
			n := node(fw, f.Node)
			if n == nil {
				continue
			}
			state(fw, n, f.State)
			for _, s := range f.Against {
				if state(fw, n, s) && s == f.State {
					add(fw, "state %q is both the exposure and in against", s)
				}
			}
		}
		ref(w, "outcome", e.Outcome)
		if used[e.Outcome.Node] {
			add(w, "the outcome %q is also a factor", e.Outcome.Node)
		}
		for _, g := range e.Given {
			ref(w, "given", g)
			if used[g.Node] || g.Node == e.Outcome.Node {
				add(w, "given %q is also a factor or the outcome", g.Node)
			}
		}
		if e.Measure != "OR" && e.Measure != "RR" {
			add(w, "measure %q is not OR or RR", e.Measure)
		}
		interval(w, e.Estimate, e.CI, "ci")
		source(w, e.Source, e.Note)
	}
	for i, l := range v.LikelihoodRatios {
		w := fmt.Sprintf("likelihoodRatios[%d]", i)
		if len(l.Findings) == 0 {
			add(w, "needs at least one finding")
		}
		used := map[string]bool{}
		for _, f := range l.Findings {
			ref(w, "finding", f)
			if used[f.Node] {
				add(w, "finding %q is named twice", f.Node)
			}
			used[f.Node] = true
		}
		ref(w, "condition", l.Condition)
		if used[l.Condition.Node] {
			add(w, "the condition %q is also a finding", l.Condition.Node)
		}
		interval(w, l.Estimate, l.Range, "range")
		source(w, l.Source, l.Note)
	}
	if a := v.AUC; a != nil {
		if a.Patients < 100 || a.Patients > 1_000_000 {
			add("auc", "patients %d must be between 100 and 1,000,000", a.Patients)
		}
		for name, nodes := range a.Sets {
			seen := map[string]bool{}
			for _, id := range nodes {
				if seen[id] {
					add("auc, set "+name, "lists %q twice", id)
				}
				seen[id] = true
				node("auc, set "+name, id)
			}
		}
		if len(a.Rows) == 0 {
			add("auc", "needs at least one row")
		}
		for i, r := range a.Rows {
			w := fmt.Sprintf("auc, rows[%d]", i)
			ref(w, "target", r.Target)
			if r.Among != nil {
				ref(w, "among", *r.Among)
			}
			if len(r.Sets) == 0 {
				add(w, "needs at least one finding set")
			}
			seen := map[string]bool{}
			for _, s := range r.Sets {
				nodes, ok := a.Sets[s]
				if !ok {
					add(w, "finding set %q is not defined under auc.sets", s)
				}
				for _, id := range nodes {
					if seen[id] {
						add(w, "node %q is in two of its sets", id)
					}
					seen[id] = true
				}
			}
			if seen[r.Target.Node] {
				add(w, "the target %q is also a finding", r.Target.Node)
			}
			for _, b := range []*float64{r.Min, r.Max} {
				if b != nil && !(*b >= 0 && *b <= 1) {
					add(w, "bound %g is outside 0–1", *b)
				}
			}
			if r.Min != nil && r.Max != nil && *r.Min > *r.Max {
				add(w, "min %g is above max %g", *r.Min, *r.Max)
			}
			source(w, r.Source, r.Note)
		}
	}
	if x := v.Extremes; x != nil {
		if !(x.Low > 0 && x.Low < x.High && x.High < 1) {
			add("extremes", "needs 0 < low < high < 1 (got %g, %g)", x.Low, x.High)
		}
		if !(x.Max > 0 && x.Max <= 1) {
			add("extremes", "max %g must be above 0 and at most 1", x.Max)
		}
		source("extremes", x.Source, x.Note)
		if x.Enforce != nil && !*x.Enforce && x.Why == "" {
			add("extremes", "enforce: false needs a why")
		}
	}
	if len(ps) > 0 {
		return &ValidationError{ps}
	}
	return nil
}

// closest returns the candidate nearest to s by edit distance, when close
// enough to be a typo.
func closest(s string, candidates []string) string {
	best, bestD := "", 1<<30
	for _, c := range candidates {
		if d := levenshtein(strings.ToLower(s), strings.ToLower(c)); d < bestD {
			best, bestD = c, d
		}
	}
	if bestD <= max(2, len(s)/3) {
		return best
	}
	return ""
}

func levenshtein(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// Cite returns the short citation of source keys, looking in model.yaml's
// sources and the validation file's.
func (v *Validation) Cite(keys string) string {
	var out []string
	for _, k := range strings.Split(keys, ",") {
		k = strings.TrimSpace(k)
		if k == "" {
			continue
		}
		if s := v.model.ShortCite(k); s != "" {
			out = append(out, s)
			continue
		}
		for _, s := range v.Sources {
			if s.Key == k {
				if s.Short != "" {
					out = append(out, s.Short)
				} else {
					out = append(out, shortCite(s.Cite))
				}
			}
		}
	}
	return strings.Join(out, "; ")
}

// Status is the outcome of one validation figure.
type Status string

// Statuses: ok and FAIL compare with a bound; reported has no bound;
// skipped could not be computed (for example no vignettes).
const (
	StatusOK       Status = "ok"
	StatusFail     Status = "FAIL"
	StatusReported Status = "reported"
	StatusSkipped  Status = "skipped"
	// StatusNotMet is a figure beyond a target that the validation file
	// marks as not enforced, with the reason: shown, never passed.
	StatusNotMet Status = "NOT MET"
)

// Figure is one row of the validation table.
type Figure struct {
	Kind   string    `json:"kind"`   // accuracy, effect, likelihoodRatio, auc, extremes
	Check  string    `json:"check"`  // what is checked, in words
	Values []float64 `json:"values"` // the implied figure(s): one, or sensitivity and specificity; none when skipped or infinite
	Figure string    `json:"figure"` // the implied figure(s), formatted
	Target string    `json:"target"` // the target and its tolerance, in words
	Source string    `json:"source"` // short citation, or "—"
	Status Status    `json:"status"`
	Note   string    `json:"note,omitempty"`
}

// ValidationReport is the whole table.
type ValidationReport struct {
	Model   string   `json:"model"`
	Figures []Figure `json:"figures"`
	// Notes say what the table cannot: files skipped, how patients were
	// sampled.
	Notes []string `json:"notes,omitempty"`
}

// Failed counts the figures that stray beyond their tolerance.
func (r *ValidationReport) Failed() int {
	n := 0
	for _, f := range r.Figures {
		if f.Status == StatusFail {
			n++
		}
	}
	return n
}

// Run computes every figure the model alone determines: the cited
// sensitivities and specificities (ImpliedAccuracy), the effects, the
// likelihood ratios and the AUCs. The extremes row needs assessments and
// is computed by package assess.
func (v *Validation) Run() ([]Figure, error) {
	m := v.model
	acc, err := m.ImpliedAccuracy()
	if err != nil {
		return nil, err
	}
	var out []Figure
	for _, c := range acc {
		out = append(out, v.accuracyFigure(c))
	}
	net, err := m.BuildChained()
	if err != nil {
		return nil, err
	}
	jt, err := bn.Compile(net, bn.CompileOptions{})
	if err != nil {
		return nil, err
	}
	for _, e := range v.Effects {
		p1, p0, val, err := ImpliedEffect(jt, e)
		if err != nil {
			return nil, fmt.Errorf("kb: validation: %s: %w", e.label(), err)
		}
		st := StatusFail
		if val >= e.CI[0] && val <= e.CI[1] {
			st = StatusOK
		}
		out = append(out, Figure{
			Kind: "effect", Check: e.label(), Values: finite(val),
			Figure: fmt.Sprintf("%s %s (p₁ %.3f, p₀ %.3f)", e.Measure, num(val), p1, p0),
			Target: fmt.Sprintf("%s %s (%s–%s)", e.Measure, num(e.Estimate), num(e.CI[0]), num(e.CI[1])),
			Source: v.citeOr(e.Source), Status: st, Note: e.Note,
		})
	}
	for _, l := range v.LikelihoodRatios {
		val, err := ImpliedLikelihoodRatio(jt, l)
		if err != nil {
			return nil, fmt.Errorf("kb: validation: %s: %w", l.label(), err)
		}
		st := StatusFail
		if val >= l.Range[0] && val <= l.Range[1] {
			st = StatusOK
		}
		out = append(out, Figure{
			Kind: "likelihoodRatio", Check: l.label(), Values: finite(val),
			Figure: "LR+ " + num(val),
			Target: fmt.Sprintf("LR+ %s; %s–%s", num(l.Estimate), num(l.Range[0]), num(l.Range[1])),
			Source: v.citeOr(l.Source), Status: st, Note: l.Note,
		})
	}
	if v.AUC != nil {
		rows, err := v.aucFigures(jt)
		if err != nil {
			return nil, err
		}
		out = append(out, rows...)
	}
	return out, nil
}

// AUCNote describes the sampling behind the AUC rows, for the report.
func (v *Validation) AUCNote() string {
	if v.AUC == nil {
		return ""
	}
	return fmt.Sprintf("AUC rows: %d patients drawn from the model by forward sampling (PCG seed %d); for each, the posterior of the target given the sampled values of the row's finding nodes, against the sampled truth (Mann–Whitney, ties counted half).", v.AUC.Patients, v.AUC.Seed)
}

func (v *Validation) citeOr(keys string) string {
	if s := v.Cite(keys); s != "" {
		return s
	}
	return "—"
}

func (v *Validation) accuracyFigure(c AccuracyCheck) Figure {
	a := c.Accuracy
	check := fmt.Sprintf("%s %s for %s", c.Node, strings.Join(a.Positive, "|"), refString(a.Condition))
	if len(a.Given) > 0 {
		var g []string
		for _, r := range a.Given {
			g = append(g, refString(r))
		}
		check += " given " + strings.Join(g, ", ")
	}
	var fig, tgt []string
	var vals []float64
	if a.Sens != nil {
		fig = append(fig, fmt.Sprintf("sens %.3f", c.Sens))
		tgt = append(tgt, fmt.Sprintf("sens %.2f", *a.Sens))
		vals = append(vals, c.Sens)
	}
	if a.Spec != nil {
		fig = append(fig, fmt.Sprintf("spec %.3f", c.Spec))
		tgt = append(tgt, fmt.Sprintf("spec %.2f", *a.Spec))
		vals = append(vals, c.Spec)
	}
	st := StatusFail
	if c.Within() {
		st = StatusOK
	}
	return Figure{
		Kind: "accuracy", Check: check, Values: vals, Figure: strings.Join(fig, " / "),
		Target: strings.Join(tgt, " / ") + fmt.Sprintf(" ± %g", a.Tolerance),
		Source: v.citeOr(a.Source), Status: st,
	}
}

func refString(r Ref) string { return r.Node + "=" + strings.Join(r.States, "|") }

func (e Effect) label() string {
	if e.Label != "" {
		return e.Label
	}
	var fs []string
	for _, f := range e.Factors {
		fs = append(fs, f.Node+"="+f.State)
	}
	s := strings.Join(fs, " + ") + " → " + refString(e.Outcome)
	for _, g := range e.Given {
		s += ", given " + refString(g)
	}
	return s
}

func (l LikelihoodRatio) label() string {
	if l.Label != "" {
		return l.Label
	}
	var fs []string
	for _, f := range l.Findings {
		fs = append(fs, refString(f))
	}
	return strings.Join(fs, " & ") + " for " + refString(l.Condition)
}

func (r AUCRow) label() string {
	if r.Label != "" {
		return r.Label
	}
	if r.Among != nil {
		return "AUC of " + refString(r.Target) + " from " + strings.Join(r.Sets, " + ") + " among " + refString(*r.Among)
	}
	return "AUC of " + refString(r.Target) + " from " + strings.Join(r.Sets, " + ")
}

// num formats a ratio with three significant figures.
func num(x float64) string {
	switch {
	case math.IsInf(x, 1):
		return "∞"
	case math.IsNaN(x):
		return "undefined"
	case x >= 100:
		return fmt.Sprintf("%.0f", x)
	case x >= 10:
		return fmt.Sprintf("%.1f", x)
	}
	return fmt.Sprintf("%.2f", x)
}

func finite(x float64) []float64 {
	if math.IsInf(x, 0) || math.IsNaN(x) {
		return nil
	}
	return []float64{x}
}

// indicator enters "r.Node is in one of r.States" into q: hard evidence for
// one state, an indicator likelihood for several.
func indicator(q *bn.Query, net *bn.Network, r Ref) error {
	v := net.Index(r.Node)
	if v < 0 {
		return fmt.Errorf("the network has no node %q", r.Node)
	}
	lik := make([]float64, net.Card(v))
	for _, s := range r.States {
		i := net.StateIndex(v, s)
		if i < 0 {
			return fmt.Errorf("node %q has no state %q", r.Node, s)
		}
		lik[i] = 1
	}
	if len(r.States) == 1 {
		return q.Observe(v, net.StateIndex(v, r.States[0]))
	}
	return q.SetLikelihood(v, lik)
}

// probOf sums the posterior of r's states.
func probOf(q *bn.Query, net *bn.Network, r Ref) float64 {
	v := net.Index(r.Node)
	p := 0.0
	for _, s := range r.States {
		p += q.Marginal(v)[net.StateIndex(v, s)]
	}
	return p
}

// ImpliedEffect computes an effect exactly on a compiled network: p1, the
// outcome's probability with every factor in its state, and p0, with every
// factor in its against states (every other state when none are given),
// both with Given observed and nothing else; and the measure, OR =
// [p1/(1−p1)]/[p0/(1−p0)] or RR = p1/p0. Node and state names are those of
// jt's network.
func ImpliedEffect(jt *bn.JunctionTree, e Effect) (p1, p0, value float64, err error) {
	net := jt.Network()
	q := jt.NewQuery()
	prob := func(exposed bool) (float64, error) {
		q.Clear()
		for _, g := range e.Given {
			if err := indicator(q, net, g); err != nil {
				return 0, err
			}
		}
		for _, f := range e.Factors {
			r := Ref{Node: f.Node, States: []string{f.State}}
			if !exposed {
				r.States = f.Against
				if len(r.States) == 0 {
					v := net.Index(f.Node)
					if v < 0 {
						return 0, fmt.Errorf("the network has no node %q", f.Node)
					}
					r.States = nil
					for _, s := range net.Variables[v].States {
						if s != f.State {
							r.States = append(r.States, s)
						}
					}
				}
			}
			if err := indicator(q, net, r); err != nil {
				return 0, err
			}
		}
		if err := q.Propagate(); err != nil {
			return 0, err
		}
		return probOf(q, net, e.Outcome), nil
	}
	if p1, err = prob(true); err != nil {
		return 0, 0, 0, err
	}
	if p0, err = prob(false); err != nil {
		return 0, 0, 0, err
	}
	switch e.Measure {
	case "OR":
		value = OddsRatio(p1, p0)
	case "RR":
		value = RiskRatio(p1, p0)
	default:
		return 0, 0, 0, fmt.Errorf("measure %q is not OR or RR", e.Measure)
	}
	return p1, p0, value, nil
}

// OddsRatio is [p1/(1−p1)] / [p0/(1−p0)]: +Inf when p1 = 1 or p0 = 0 (and
// NaN when both).
func OddsRatio(p1, p0 float64) float64 {
	return (p1 / (1 - p1)) / (p0 / (1 - p0))
}

// RiskRatio is p1/p0.
func RiskRatio(p1, p0 float64) float64 { return p1 / p0 }

// ImpliedLikelihoodRatio computes exactly P(all findings | condition) /
// P(all findings | not condition) with no other evidence: the posterior
// odds of the condition given the findings over its prior odds.
func ImpliedLikelihoodRatio(jt *bn.JunctionTree, l LikelihoodRatio) (float64, error) {
	net := jt.Network()
	q := jt.NewQuery()
	if err := q.Propagate(); err != nil {
		return 0, err
	}
	prior := probOf(q, net, l.Condition)
	for _, f := range l.Findings {
		if err := indicator(q, net, f); err != nil {
			return 0, err
		}
	}
	if err := q.Propagate(); err != nil {
		return 0, err
	}
	post := probOf(q, net, l.Condition)
	return OddsRatio(post, prior), nil
}

// AUC is the area under the ROC curve of scores against the truth: the
// Mann–Whitney probability that a positive case scores above a negative
// one, ties counted half. It is an error when either class is empty.
func AUC(scores []float64, positive []bool) (float64, error) {
	if len(scores) != len(positive) {
		return 0, errors.New("kb: AUC: scores and truth differ in length")
	}
	idx := make([]int, len(scores))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool { return scores[idx[a]] < scores[idx[b]] })
	var nPos, nNeg, rankSum float64
	for i := 0; i < len(idx); {
		j := i
		for j < len(idx) && scores[idx[j]] == scores[idx[i]] {
			j++
		}
		rank := float64(i+j+1) / 2 // mean of ranks i+1 … j
		for _, k := range idx[i:j] {
			if positive[k] {
				nPos++
				rankSum += rank
			}
		}
		i = j
	}
	nNeg = float64(len(scores)) - nPos
	if nPos == 0 || nNeg == 0 {
		return 0, fmt.Errorf("kb: AUC: %v positive and %v negative cases; both are needed", nPos, nNeg)
	}
	return (rankSum - nPos*(nPos+1)/2) / (nPos * nNeg), nil
}

// SampleAUC takes patients sampled from jt's network (see SamplePatients:
// patients[i][v] is the state of variable v), enters for each one the
// sampled states of findings as hard evidence, computes the posterior
// probability of target exactly, and returns the AUC of that posterior
// against the sampled truth. Posteriors are computed on every core, one
// query per goroutine; the result does not depend on their number.
func SampleAUC(jt *bn.JunctionTree, patients [][]int, target Ref, findings []string) (float64, error) {
	net := jt.Network()
	tv := net.Index(target.Node)
	if tv < 0 {
		return 0, fmt.Errorf("the network has no node %q", target.Node)
	}
	holds := make([]bool, net.Card(tv))
	for _, s := range target.States {
		i := net.StateIndex(tv, s)
		if i < 0 {
			return 0, fmt.Errorf("node %q has no state %q", target.Node, s)
		}
		holds[i] = true
	}
	fv := make([]int, len(findings))
	for i, id := range findings {
		if fv[i] = net.Index(id); fv[i] < 0 {
			return 0, fmt.Errorf("the network has no node %q", id)
		}
	}
	sel := jt.Select([]int{tv})
	scores := make([]float64, len(patients))
	truth := make([]bool, len(patients))
	workers := min(runtime.GOMAXPROCS(0), max(1, len(patients)/64))
	errs := make([]error, workers)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			q := jt.NewQuery()
			q.Use(sel)
			for i := w; i < len(patients); i += workers {
				x := patients[i]
				q.Clear()
				for _, v := range fv {
					if err := q.Observe(v, x[v]); err != nil {
						errs[w] = err
						return
					}
				}
				if err := q.Propagate(); err != nil {
					errs[w] = fmt.Errorf("patient %d: %w", i+1, err)
					return
				}
				p := 0.0
				for s, h := range holds {
					if h {
						p += q.Marginal(tv)[s]
					}
				}
				scores[i], truth[i] = p, holds[x[tv]]
			}
		}()
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return 0, err
	}
	return AUC(scores, truth)
}

// SamplePatients draws n joint states of net by forward sampling from a
// PCG source seeded with seed.
func SamplePatients(net *bn.Network, n int, seed uint64) [][]int {
	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	s := net.NewSampler()
	out := make([][]int, n)
	buf := make([]int, n*len(net.Variables))
	for i := range out {
		out[i] = s.Sample(rng, buf[i*len(net.Variables):(i+1)*len(net.Variables)])
	}
	return out
}

func (v *Validation) aucFigures(jt *bn.JunctionTree) ([]Figure, error) {
	a := v.AUC
	patients := SamplePatients(jt.Network(), a.Patients, a.Seed)
	var out []Figure
	for _, r := range a.Rows {
		var findings []string
		for _, s := range r.Sets {
			findings = append(findings, a.Sets[s]...)
		}
		group := patients
		if r.Among != nil {
			group = nil
			av := jt.Network().Index(r.Among.Node)
			for _, p := range patients {
				for _, st := range r.Among.States {
					if jt.Network().StateIndex(av, st) == p[av] {
						group = append(group, p)
						break
					}
				}
			}
		}
		auc, err := SampleAUC(jt, group, r.Target, findings)
		if err != nil {
			return nil, fmt.Errorf("kb: validation: %s: %w", r.label(), err)
		}
		st := StatusReported
		var bound []string
		if r.Min != nil {
			bound = append(bound, fmt.Sprintf("≥ %.2f", *r.Min))
		}
		if r.Max != nil {
			bound = append(bound, fmt.Sprintf("≤ %.2f", *r.Max))
		}
		if len(bound) > 0 {
			st = StatusOK
			if (r.Min != nil && auc < *r.Min) || (r.Max != nil && auc > *r.Max) {
				st = StatusFail
			}
		}
		tgt := strings.Join(bound, ", ")
		if tgt == "" {
			tgt = "no bound"
		}
		if r.Published != "" {
			tgt += " (published " + r.Published + ")"
		}
		out = append(out, Figure{
			Kind: "auc", Check: r.label(), Values: []float64{auc}, Figure: fmt.Sprintf("AUC %.3f", auc),
			Target: tgt, Source: v.citeOr(r.Source), Status: st, Note: r.Note,
		})
	}
	return out, nil
}

// ExtremesFigure makes the extremes row: extreme of total probabilities
// (four per vignette counted) lie outside [Low, High]. With no vignette
// set (haveSet false), the row is skipped, not passed.
func (v *Validation) ExtremesFigure(extreme, total int, haveSet bool) Figure {
	x := v.Extremes
	f := Figure{
		Kind:   "extremes",
		Check:  fmt.Sprintf("share of the four main probabilities outside [%g, %g], vignettes without an emergency or urgent red flag", x.Low, x.High),
		Target: fmt.Sprintf("≤ %g%%", 100*x.Max),
		Source: v.citeOr(x.Source),
		Note:   x.Note,
	}
	switch {
	case !haveSet:
		f.Status, f.Figure = StatusSkipped, "no vignette set"
	case total == 0:
		f.Status, f.Figure = StatusSkipped, "no vignette to count"
	default:
		share := float64(extreme) / float64(total)
		f.Values = []float64{share}
		f.Figure = fmt.Sprintf("%.1f%% (%d of %d)", 100*share, extreme, total)
		f.Status = StatusOK
		if share > x.Max {
			f.Status = StatusFail
			if x.Enforce != nil && !*x.Enforce {
				f.Status = StatusNotMet
				f.Note = x.Why
			}
		}
	}
	return f
}

// WriteText writes the report as a plain table, aligned with spaces, then
// its notes.
func (r *ValidationReport) WriteText(w io.Writer) error {
	rows := [][]string{{"check", "figure", "target/tolerance", "source", "ok/FAIL"}}
	for _, f := range r.Figures {
		rows = append(rows, []string{f.Check, f.Figure, f.Target, f.Source, string(f.Status)})
	}
	width := make([]int, len(rows[0]))
	for _, row := range rows {
		for i, c := range row {
			width[i] = max(width[i], utf8.RuneCountInString(c))
		}
	}
	var b strings.Builder
	for ri, row := range rows {
		for i, c := range row {
			b.WriteString(c)
			if i < len(row)-1 {
				b.WriteString(strings.Repeat(" ", width[i]-utf8.RuneCountInString(c)+2))
			}
		}
		b.WriteString("\n")
		if ri == 0 {
			for i := range row {
				b.WriteString(strings.Repeat("-", width[i]))
				if i < len(row)-1 {
					b.WriteString("  ")
				}
			}
			b.WriteString("\n")
		}
	}
	fmt.Fprintf(&b, "\n%d figure(s): %d ok, %d FAIL, %d NOT MET (not enforced, see the note), %d reported without a bound, %d skipped\n", len(r.Figures), r.count(StatusOK), r.count(StatusFail), r.count(StatusNotMet), r.count(StatusReported), r.count(StatusSkipped))
	for _, n := range r.Notes {
		b.WriteString("note: " + n + "\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func (r *ValidationReport) count(s Status) int {
	n := 0
	for _, f := range r.Figures {
		if f.Status == s {
			n++
		}
	}
	return n
}

// WriteMarkdown writes the report as a Markdown table (the model card's
// Validation section), then its notes as a list.
func (r *ValidationReport) WriteMarkdown(w io.Writer) error {
	esc := func(s string) string {
		return strings.ReplaceAll(strings.ReplaceAll(s, "|", "\\|"), "\n", " ")
	}
	var b strings.Builder
	b.WriteString("| check | figure | target/tolerance | source | ok/FAIL |\n|---|---|---|---|---|\n")
	for _, f := range r.Figures {
		st := string(f.Status)
		if f.Status == StatusFail {
			st = "**FAIL**"
		}
		check := esc(f.Check)
		if f.Note != "" {
			check += " — " + esc(f.Note)
		}
		fmt.Fprintf(&b, "| %s | %s | %s | %s | %s |\n", check, esc(f.Figure), esc(f.Target), esc(f.Source), st)
	}
	fmt.Fprintf(&b, "\n%d figure(s): %d ok, %d FAIL, %d NOT MET (not enforced, see the note), %d reported without a bound, %d skipped.\n", len(r.Figures), r.count(StatusOK), r.count(StatusFail), r.count(StatusNotMet), r.count(StatusReported), r.count(StatusSkipped))
	if len(r.Notes) > 0 {
		b.WriteString("\n")
		for _, n := range r.Notes {
			b.WriteString("- " + esc(n) + "\n")
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

package assess

import (
	"fmt"
	"sort"
	"strings"

	"github.com/tendo-health/tendo/kb"
)

// This file assembles the model card's data; package report renders it
// (report/modelcard). The data stays here because it reads the engine's
// own tables (the red-flag rules and their predicates).

// CardData is everything the model card shows.
type CardData struct {
	Model       *kb.Model
	Version     string
	Thresholds  []CardThreshold
	Rules       []CardRule
	Nodes       []CardNode
	Accuracy    []kb.AccuracyCheck
	Findings    []kb.Finding
	Plan        *kb.PlanLibrary
	Predicates  []Predicate
	Sources     []kb.Source
	NumCited    int
	NumEstimate int
	NumNodes    int
	NumFields   int
	// Validation is the table of tendo model validate, filled by
	// CardWithValidation (nil from Card).
	Validation *kb.ValidationReport
}

// CardThreshold is a threshold with its name.
type CardThreshold struct {
	Name string
	kb.Threshold
}

// CardRule is a red-flag rule with its citation.
type CardRule struct {
	Rule
	Cite string
}

// CardNode is a node with its parents and numbers.
type CardNode struct {
	kb.Node
	ParentList string
	Numbers    []CardNumber
}

// CardNumber is one distribution with its provenance in words.
type CardNumber struct {
	What   string
	Values string
	Prov   string
	Cited  bool
}

// Card assembles the model card's data.
func (e *Engine) Card() (*CardData, error) {
	m := e.model
	d := &CardData{Model: m, Version: e.ModelVersion(), Plan: e.plan, Predicates: predicates, Findings: m.Findings, NumNodes: len(m.Nodes), NumFields: len(m.Findings)}
	for name, t := range m.Thresholds {
		d.Thresholds = append(d.Thresholds, CardThreshold{name, t})
	}
	sort.Slice(d.Thresholds, func(i, j int) bool { return d.Thresholds[i].Value > d.Thresholds[j].Value })
	for _, r := range rules {
		d.Rules = append(d.Rules, CardRule{r, m.ShortCite(r.Sources)})
	}
	numbers := m.Numbers()
	for _, n := range m.Nodes {
		cn := CardNode{Node: n, ParentList: strings.Join(n.Parents(), ", ")}
		for _, num := range numbers {
			if num.Node != n.ID {
				continue
			}
			vals := make([]string, len(num.Values))
			for i, v := range num.Values {
				vals[i] = fmt.Sprintf("%g", v)
			}
			c := CardNumber{What: num.What, Values: strings.Join(vals, " / ")}
			if num.Provenance.Source != "" {
				c.Cited = true
				c.Prov = m.ShortCite(num.Provenance.Source)
				if num.Provenance.Note != "" {
					c.Prov += ": " + num.Provenance.Note
				}
				d.NumCited++
			} else {
				c.Prov = "estimate: " + num.Provenance.Estimate
				d.NumEstimate++
			}
			cn.Numbers = append(cn.Numbers, c)
		}
		d.Nodes = append(d.Nodes, cn)
	}
	acc, err := m.ImpliedAccuracy()
	if err != nil {
		return nil, err
	}
	d.Accuracy = acc
	d.Sources = append([]kb.Source(nil), m.Sources...)
	sort.Slice(d.Sources, func(i, j int) bool { return d.Sources[i].Key < d.Sources[j].Key })
	return d, nil
}

// CardWithValidation is Card with Validation filled: the table of tendo
// model validate for the embedded kb/validation.yaml and vignette set.
func (e *Engine) CardWithValidation() (*CardData, error) {
	d, err := e.Card()
	if err != nil {
		return nil, err
	}
	v, err := kb.LoadValidation(e.model)
	if err != nil {
		return nil, err
	}
	if d.Validation, err = e.Validate(v, Vignettes); err != nil {
		return nil, err
	}
	return d, nil
}

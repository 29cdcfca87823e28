package assess

import (
	"bytes"
	_ "embed"
	"fmt"
	htmltemplate "html/template"
	"io"
	"sort"
	"strings"
	texttemplate "text/template"

	"github.com/tendo-health/tendo/kb"
)

//go:embed card.md.tmpl
var cardMarkdown string

//go:embed card.html.tmpl
var cardHTML string

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
	// Validation is the table of tendo model validate (filled by
	// WriteCard), and ValidationMD the same as Markdown.
	Validation   *kb.ValidationReport
	ValidationMD string
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

var cardFuncs = map[string]any{
	"f3": func(x float64) string { return fmt.Sprintf("%.3f", x) },
	"pf": func(p *float64) string {
		if p == nil {
			return "—"
		}
		return fmt.Sprintf("%.2f", *p)
	},
	"join":  strings.Join,
	"short": func(m *kb.Model, keys string) string { return m.ShortCite(keys) },
	"refs": func(refs []kb.Ref) string {
		var s []string
		for _, r := range refs {
			s = append(s, r.Node+"="+strings.Join(r.States, "|"))
		}
		return strings.Join(s, ", ")
	},
	"mapping": func(f kb.Finding) string { return describeFinding(f) },
	"md":      func(s string) string { return strings.ReplaceAll(strings.ReplaceAll(s, "|", "\\|"), "\n", " ") },
	"add":     func(a, b int) int { return a + b },
}

// describeFinding says in words how a field enters the network.
func describeFinding(f kb.Finding) string {
	switch f.Kind {
	case "none":
		return "not network evidence: " + f.Use
	case "bool", "enum":
		var pairs []string
		for v, s := range f.States {
			pairs = append(pairs, v+" → "+s)
		}
		sort.Strings(pairs)
		for v, s := range f.Soft {
			pairs = append(pairs, fmt.Sprintf("%s → soft evidence %v", v, s.Likelihood))
		}
		return strings.Join(pairs, "; ")
	case "bins", "lsi", "bmi":
		var parts []string
		for _, b := range f.Bins {
			if b.Below != nil {
				parts = append(parts, fmt.Sprintf("below %g → %s", *b.Below, b.State))
			} else {
				parts = append(parts, "otherwise "+b.State)
			}
		}
		prefix := ""
		switch f.Kind {
		case "lsi":
			prefix = "affected ÷ unaffected repetitions (0 repetitions → unable): "
		case "bmi":
			prefix = "BMI (kg/m²): "
		}
		return prefix + strings.Join(parts, "; ")
	case "logistic":
		l := f.Logistic
		return fmt.Sprintf("soft evidence: likelihood ratio exp(%g × (x − %g %s)), kept within 1/%g to %g", l.Slope, l.Midpoint, l.Unit, l.MaxRatio, l.MaxRatio)
	}
	return f.Kind
}

// WriteCard writes the model card as Markdown ("md") or HTML ("html").
func (e *Engine) WriteCard(w io.Writer, format string) error {
	d, err := e.Card()
	if err != nil {
		return err
	}
	v, err := kb.LoadValidation(e.model)
	if err != nil {
		return err
	}
	if d.Validation, err = e.Validate(v, Vignettes); err != nil {
		return err
	}
	var md strings.Builder
	if err := d.Validation.WriteMarkdown(&md); err != nil {
		return err
	}
	d.ValidationMD = md.String()
	var buf bytes.Buffer
	switch format {
	case "md", "markdown":
		t, err := texttemplate.New("card").Funcs(cardFuncs).Parse(cardMarkdown)
		if err != nil {
			return err
		}
		if err := t.Execute(&buf, d); err != nil {
			return err
		}
	case "html":
		t, err := htmltemplate.New("card").Funcs(cardFuncs).Parse(cardHTML)
		if err != nil {
			return err
		}
		if err := t.Execute(&buf, d); err != nil {
			return err
		}
	default:
		return fmt.Errorf("assess: model card format %q is not md or html", format)
	}
	_, err = w.Write(buf.Bytes())
	return err
}

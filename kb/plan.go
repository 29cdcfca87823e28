package kb

import (
	"bytes"
	_ "embed"
	"fmt"
	"strings"

	"go.yaml.in/yaml/v3"
)

//go:embed plan.yaml
var planYAML []byte

// PlanLibrary is plan.yaml: the phases and the elements a plan is built
// from.
type PlanLibrary struct {
	Schema string      `yaml:"schema"`
	Phases []PlanPhase `yaml:"phases"`
	Items  []PlanEntry `yaml:"items"`
}

// PlanPhase is one phase of every plan.
type PlanPhase struct {
	ID    string `yaml:"id"`
	Title string `yaml:"title"`
	Weeks string `yaml:"weeks"`
	Goal  string `yaml:"goal"`
}

// PlanEntry is one element: in a phase, or in the referral section.
type PlanEntry struct {
	ID          string   `yaml:"id"`
	Phase       string   `yaml:"phase,omitempty"`
	Section     string   `yaml:"section,omitempty"` // "referral"
	Title       string   `yaml:"title"`
	When        []string `yaml:"when"`
	Unless      []string `yaml:"unless,omitempty"`
	Dosage      string   `yaml:"dosage,omitempty"`
	Progression string   `yaml:"progression,omitempty"`
	Rationale   string   `yaml:"rationale"`
	Source      string   `yaml:"source"`
	// Tags say what the element does, for the plan lint (assess.Lint).
	Tags []string `yaml:"tags,omitempty,flow"`
}

// LoadPlan parses the embedded plan library strictly and checks it
// against the model (source keys) and the known predicates.
func LoadPlan(m *Model, predicates []string) (*PlanLibrary, error) {
	dec := yaml.NewDecoder(bytes.NewReader(planYAML))
	dec.KnownFields(true)
	var p PlanLibrary
	if err := dec.Decode(&p); err != nil {
		return nil, fmt.Errorf("kb: plan: %w", err)
	}
	return &p, p.check(m, predicates)
}

func (p *PlanLibrary) check(m *Model, predicates []string) error {
	var ps Problems
	add := func(where, format string, args ...any) {
		ps = append(ps, Problem{"plan " + where, fmt.Sprintf(format, args...)})
	}
	if p.Schema != "tendo/plan/v1" {
		add("library", "schema is %q, want tendo/plan/v1", p.Schema)
	}
	phases := map[string]bool{}
	for _, ph := range p.Phases {
		phases[ph.ID] = true
	}
	known := map[string]bool{}
	for _, pr := range predicates {
		known[pr] = true
	}
	ids := map[string]bool{}
	for _, it := range p.Items {
		w := "item " + it.ID
		if ids[it.ID] {
			add(w, "id is used twice")
		}
		ids[it.ID] = true
		if (it.Phase == "") == (it.Section == "") {
			add(w, "needs exactly one of phase and section")
		}
		if it.Phase != "" && !phases[it.Phase] {
			add(w, "unknown phase %q", it.Phase)
		}
		if it.Section != "" && it.Section != "referral" {
			add(w, "unknown section %q", it.Section)
		}
		if it.Title == "" || it.Rationale == "" || it.Dosage == "" {
			add(w, "needs a title, a dosage and a rationale")
		}
		if len(it.When) == 0 {
			add(w, "needs a when (use [always])")
		}
		for _, c := range append(append([]string{}, it.When...), it.Unless...) {
			if !known[c] {
				add(w, "unknown predicate %q", c)
			}
		}
		if it.Source == "" {
			add(w, "needs a source")
		}
		for _, k := range strings.Split(it.Source, ",") {
			if k = strings.TrimSpace(k); m.SourceByKey(k) == nil {
				add(w, "cites unknown source %q", k)
			}
		}
	}
	if len(ps) > 0 {
		return ps
	}
	return nil
}

// Cite turns comma-separated source keys into citations joined by "; ".
func (m *Model) Cite(keys string) string {
	var out []string
	for _, k := range strings.Split(keys, ",") {
		k = strings.TrimSpace(k)
		if s := m.SourceByKey(k); s != nil {
			out = append(out, s.Cite)
		} else if k != "" {
			out = append(out, k)
		}
	}
	return strings.Join(out, "; ")
}

// ShortCite turns source keys into short author–year labels ("Beyer 2015;
// Alfredson 1998") taken from the start of each citation.
func (m *Model) ShortCite(keys string) string {
	var out []string
	for _, k := range strings.Split(keys, ",") {
		k = strings.TrimSpace(k)
		s := m.SourceByKey(k)
		if s == nil {
			continue
		}
		if s.Short != "" {
			out = append(out, s.Short)
		} else {
			out = append(out, shortCite(s.Cite))
		}
	}
	return strings.Join(out, "; ")
}

// shortCite makes "Beyer 2015" of "Beyer R et al. 2015. Heavy slow ...".
func shortCite(cite string) string {
	// The first word is the author's surname (or the organisation), and
	// the first four-digit number from 1900 on is the year.
	first := cite
	if i := strings.IndexAny(cite, " ,."); i > 0 {
		first = cite[:i]
	}
	for i := 0; i+4 <= len(cite); i++ {
		y := cite[i : i+4]
		if (strings.HasPrefix(y, "19") || strings.HasPrefix(y, "20")) && isDigits(y) && (i+4 == len(cite) || !isDigit(cite[i+4])) && (i == 0 || !isDigit(cite[i-1])) {
			return first + " " + y
		}
	}
	return first
}

func isDigit(b byte) bool { return b >= '0' && b <= '9' }
func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) {
			return false
		}
	}
	return true
}

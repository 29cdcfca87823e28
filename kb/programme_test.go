package kb_test

import (
	"bytes"
	"os"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/tendo-health/tendo"
	"github.com/tendo-health/tendo/kb"
)

// TestProgrammeCatalogue keeps the home programme's protocols and
// elements (issue 10) tied to the plan library: each names an element of
// plan.yaml and sources the model knows, and the pain-monitoring rule the
// review applies is the plan's, from silbernagel2007.
func TestProgrammeCatalogue(t *testing.T) {
	t.Parallel()
	m, err := kb.Load()
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile("plan.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var lib kb.PlanLibrary
	if err := yaml.NewDecoder(bytes.NewReader(b)).Decode(&lib); err != nil {
		t.Fatal(err)
	}
	items := map[string]kb.PlanEntry{}
	for _, it := range lib.Items {
		items[it.ID] = it
	}
	for _, p := range tendo.Protocols {
		t.Run(string(p.ID), func(t *testing.T) {
			it, ok := items[p.PlanItem]
			if !ok {
				t.Fatalf("plan item %q is not in plan.yaml", p.PlanItem)
			}
			for _, k := range strings.Split(p.Source, ",") {
				k = strings.TrimSpace(k)
				if m.SourceByKey(k) == nil {
					t.Errorf("source %q is not in model.yaml", k)
				}
				if !strings.Contains(it.Source, k) {
					t.Errorf("source %q is not one of plan item %s's (%s)", k, it.ID, it.Source)
				}
			}
			if errs := p.Check(p.Start); len(errs) > 0 {
				t.Errorf("the starting dose is out of its own bounds: %v", errs)
			}
		})
	}
	for _, e := range tendo.HomeElements {
		if _, ok := items[e.PlanItem]; !ok {
			t.Errorf("home element %q is not in plan.yaml", e.PlanItem)
		}
	}
	pm, ok := items["pain-monitoring"]
	if !ok || !strings.Contains(pm.Source, "silbernagel2007") || !strings.Contains(pm.Dosage, "5/10") || !strings.Contains(pm.Progression, "2/10") {
		t.Errorf("plan.yaml's pain-monitoring (%+v) no longer states the rule tendo.Propose applies", pm)
	}
}

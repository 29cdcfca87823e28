package cdshooks_test

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/tendo-health/tendo/cdshooks"
)

func TestCardValidate(t *testing.T) {
	t.Parallel()
	ok := func() cdshooks.Card {
		return cdshooks.Card{Summary: "s", Indicator: "info", Source: cdshooks.Source{Label: "tendo"}}
	}
	tests := []struct {
		name  string
		mod   func(*cdshooks.Card)
		field string // "" = valid
	}{
		{"minimal", func(*cdshooks.Card) {}, ""},
		{"summary of 139 characters", func(c *cdshooks.Card) { c.Summary = strings.Repeat("é", 139) }, ""},
		{"summary of 140 characters", func(c *cdshooks.Card) { c.Summary = strings.Repeat("a", 140) }, "summary"},
		{"no summary", func(c *cdshooks.Card) { c.Summary = "" }, "summary"},
		{"indicator hard-stop", func(c *cdshooks.Card) { c.Indicator = "hard-stop" }, "indicator"},
		{"no source label", func(c *cdshooks.Card) { c.Source.Label = "" }, "source.label"},
		{"suggestions without selectionBehavior", func(c *cdshooks.Card) {
			c.Suggestions = []cdshooks.Suggestion{{Label: "x"}}
		}, "selectionBehavior"},
		{"create without resource", func(c *cdshooks.Card) {
			c.SelectionBehavior = "any"
			c.Suggestions = []cdshooks.Suggestion{{Label: "x", Actions: []cdshooks.Action{{Type: "create", Description: "d"}}}}
		}, "suggestions[0].actions[0].resource"},
		{"delete without resourceId", func(c *cdshooks.Card) {
			c.SelectionBehavior = "any"
			c.Suggestions = []cdshooks.Suggestion{{Label: "x", Actions: []cdshooks.Action{{Type: "delete", Description: "d"}}}}
		}, "suggestions[0].actions[0].resourceId"},
		{"action type", func(c *cdshooks.Card) {
			c.SelectionBehavior = "any"
			c.Suggestions = []cdshooks.Suggestion{{Label: "x", Actions: []cdshooks.Action{{Type: "patch", Description: "d"}}}}
		}, "suggestions[0].actions[0].type"},
		{"override reason without display", func(c *cdshooks.Card) { c.OverrideReasons = []cdshooks.Coding{{Code: "x"}} }, "overrideReasons[0]"},
		{"link type", func(c *cdshooks.Card) { c.Links = []cdshooks.Link{{Label: "l", URL: "https://x", Type: "relative"}} }, "links[0].type"},
		{"appContext on an absolute link", func(c *cdshooks.Card) {
			c.Links = []cdshooks.Link{{Label: "l", URL: "https://x", Type: "absolute", AppContext: "{}"}}
		}, "links[0].appContext"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c := ok()
			tt.mod(&c)
			err := c.Validate()
			checkField(t, err, tt.field)
		})
	}
}

func checkField(t *testing.T, err error, field string) {
	t.Helper()
	if field == "" {
		if err != nil {
			t.Fatalf("error %v, want none", err)
		}
		return
	}
	var e *cdshooks.Error
	if !errors.As(err, &e) || e.Field != field {
		t.Fatalf("error %v, want one on %s", err, field)
	}
}

// TestSpecCardExamples checks that the spec's own card responses read
// and validate: the types hold every member the spec defines. Example 18
// omits indicator, which the spec's card table marks REQUIRED, so it must
// fail on that field and on nothing else.
func TestSpecCardExamples(t *testing.T) {
	t.Parallel()
	tests := []struct{ file, field string }{
		{"17-card-response-example.json", ""},
		{"18-card-response-example-2.json", "indicator"},
		{"10-empty-cards-response.json", ""},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			t.Parallel()
			var r cdshooks.Response
			if err := json.Unmarshal(readExample(t, tt.file), &r); err != nil {
				t.Fatal(err)
			}
			if r.Cards == nil {
				t.Fatal("no cards array")
			}
			for i := range r.Cards {
				checkField(t, r.Cards[i].Validate(), tt.field)
				if tt.field != "" {
					r.Cards[i].Indicator = "info"
					checkField(t, r.Cards[i].Validate(), "")
				}
			}
		})
	}
}

func TestExpand(t *testing.T) {
	t.Parallel()
	ctx := map[string]json.RawMessage{
		"patientId":   json.RawMessage(`"123"`),
		"userId":      json.RawMessage(`"PractitionerRole/r-9"`),
		"encounterId": json.RawMessage(`456`),
		"evil":        json.RawMessage(`"1&_include=*#x/../Patient?y"`),
		"draftOrders": json.RawMessage(`{"resourceType":"Bundle"}`),
		"empty":       json.RawMessage(`""`),
	}
	tests := []struct {
		name, template, want, field string
		err                         bool
	}{
		{"patient read", "Patient/{{context.patientId}}", "Patient/123", "", false},
		{"search", "Observation?patient={{context.patientId}}&code=4548-4&_count=1&sort:desc=date", "Observation?patient=123&code=4548-4&_count=1&sort:desc=date", "", false},
		{"number", "Encounter/{{context.encounterId}}", "Encounter/456", "", false},
		{"user role", "PractitionerRole?_id={{userPractitionerRoleId}}", "PractitionerRole?_id=r-9", "", false},
		{"injection escaped", "Observation?patient={{context.evil}}", "Observation?patient=1%26_include%3D%2A%23x%2F..%2FPatient%3Fy", "", false},
		{"no tokens", "Patient?_count=1", "Patient?_count=1", "", false},
		{"user practitioner from a role", "Practitioner/{{userPractitionerId}}", "", "context.userId", true},
		{"missing member", "Patient/{{context.nobody}}", "", "context.nobody", true},
		{"object member", "Bundle/{{context.draftOrders}}", "", "context.draftOrders", true},
		{"nested path", "Medication/{{context.medication.id}}", "", "context.medication.id", true},
		{"empty value", "Patient/{{context.empty}}", "", "context.empty", true},
		{"unknown token", "Patient/{{patientId}}", "", "", true},
		{"unclosed", "Patient/{{context.patientId", "", "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := cdshooks.Expand(tt.template, ctx)
			if tt.err {
				if err == nil {
					t.Fatalf("Expand = %q, want an error", got)
				}
				if tt.field != "" {
					checkField(t, err, tt.field)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("Expand = %q, %v; want %q", got, err, tt.want)
			}
		})
	}
}

func TestDecodeRequestSpecExamples(t *testing.T) {
	t.Parallel()
	for _, name := range []string{"02-hook-request-patient-view.json", "26-extensions.json"} {
		r, err := cdshooks.DecodeRequest(strings.NewReader(string(readExample(t, name))))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if r.Hook != "patient-view" || r.HookInstance != "d1577c69-dfbe-44ad-ba6d-3e05e953b2ea" {
			t.Errorf("%s: %+v", name, r)
		}
	}
}

package cdshooks_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/tendo-health/tendo"
	"github.com/tendo-health/tendo/cdshooks"
	"github.com/tendo-health/tendo/fhir"
	"github.com/tendo-health/tendo/fhirmap"
	"github.com/tendo-health/tendo/internal/fhircheck"
)

// publicCases are the cases of ../shared/cases.
var publicCases = []string{"cauda-equina", "insertional-older", "mixed-kinetic-chain", "runner-midportion", "rupture-after-ciprofloxacin", "s1-mimic"}

// caseRequest is a patient-view call whose prefetch is a public case
// exported by fhirmap: a Patient (gender and a birth date giving the
// case's age on its date) and the case's Observations and
// QuestionnaireResponses.
func caseRequest(tb testing.TB, name string) []byte {
	tb.Helper()
	a := loadCase(tb, name)
	pid := "pt-" + name
	subject := fhir.Reference{Reference: "Patient/" + pid}
	p := map[string]any{"resourceType": "Patient", "id": pid}
	if a.Patient.Sex != nil {
		p["gender"] = string(*a.Patient.Sex)
	}
	if a.Patient.AgeYears != nil {
		// The call is assessed today by the tests' clock (now): the
		// birth date gives the case's age on that day.
		p["birthDate"] = now.AddDate(-int(*a.Patient.AgeYears), 0, -1).Format("2006-01-02")
	}
	obs, err := fhirmap.Observations(a, subject, a.Date)
	if err != nil {
		tb.Fatal(err)
	}
	bundle := func(rs []fhir.Resource) map[string]any {
		var es []map[string]any
		for _, r := range rs {
			b, err := fhir.Marshal(r)
			if err != nil {
				tb.Fatal(err)
			}
			es = append(es, map[string]any{"resource": json.RawMessage(b)})
		}
		m := map[string]any{"resourceType": "Bundle", "type": "searchset", "total": len(es)}
		if es != nil {
			m["entry"] = es
		}
		return m
	}
	var ors []fhir.Resource
	for _, o := range obs {
		ors = append(ors, o)
	}
	_, qrs, err := fhirmap.PROMResponses(a, subject, a.Date)
	if err != nil {
		tb.Fatal(err)
	}
	var qr []fhir.Resource
	for _, q := range qrs {
		qr = append(qr, q)
	}
	body, err := json.Marshal(map[string]any{
		"hook": "patient-view", "hookInstance": "h-" + name,
		"context": map[string]any{"patientId": pid, "userId": "Practitioner/1"},
		"prefetch": map[string]any{
			"patient": p, "observations": bundle(ors), "questionnaireResponses": bundle(qr), "conditions": nil,
		},
	})
	if err != nil {
		tb.Fatal(err)
	}
	return body
}

// importAssess is an Assess port like the clinic's: fhirmap.ImportResources
// and the engine.
func importAssess(tb testing.TB) func(context.Context, any, []fhir.Resource, string) (*tendo.Assessment, *tendo.Result, error) {
	return func(_ context.Context, _ any, rs []fhir.Resource, date string) (*tendo.Assessment, *tendo.Result, error) {
		d, err := fhirmap.ImportResources(rs, fhirmap.ImportOptions{Date: date})
		if err != nil {
			return nil, nil, err
		}
		res, err := mustEngine(tb).Assess(&d.Assessment)
		return &d.Assessment, res, err
	}
}

// TestPublicCasesThroughFHIR sends each public case as a prefetch
// exported by fhirmap, assessed through fhirmap.ImportResources and the
// engine, and checks that the cards carry the same conclusions as the
// engine's result for the case file: a critical card per red flag, with
// a request proposed for each urgent one (cauda-equina's among them) and the classification. The resources the
// cards suggest (ServiceRequests and CarePlans) must pass the three FHIR
// checks (R4 JSON schema, FHIR.js, the StructureDefinitions' invariants).
func TestPublicCasesThroughFHIR(t *testing.T) {
	t.Parallel()
	suggested := map[string][]byte{}
	for _, name := range publicCases {
		body := caseRequest(t, name)
		f := newFixture(t, func(c *cdshooks.Config) { c.Assess = importAssess(t) })
		code, out := f.post(t, "/tendo-heel-pain", body, "")
		if code != http.StatusOK {
			t.Fatalf("%s: status %d: %s", name, code, out)
		}
		cards := checkCards(t, out)
		want, err := mustEngine(t).Assess(loadCase(t, name))
		if err != nil {
			t.Fatal(err)
		}
		var urgent []string
		for _, fl := range want.RedFlags {
			if tendo.UrgentFlag(fl.Urgency) {
				urgent = append(urgent, fl.Code)
			}
		}
		var crit []string
		ncrit := 0
		for _, c := range cards {
			if c.Indicator != cdshooks.Critical {
				continue
			}
			ncrit++
			if len(c.Suggestions) == 0 {
				continue // a "soon" flag: critical, with no request proposed
			}
			var sr struct {
				ReasonCode []struct{ Coding []struct{ Code string } }
			}
			json.Unmarshal(c.Suggestions[0].Actions[0].Resource, &sr)
			crit = append(crit, sr.ReasonCode[0].Coding[0].Code)
		}
		if ncrit != len(want.RedFlags) {
			t.Errorf("%s: %d critical cards, want one per red flag (%d)", name, ncrit, len(want.RedFlags))
		}
		if fmt.Sprint(crit) != fmt.Sprint(urgent) {
			t.Errorf("%s: critical cards for %v, want %v", name, crit, urgent)
		}
		if name == "cauda-equina" && !strings.Contains(fmt.Sprint(crit), "cauda-equina-syndrome") {
			t.Errorf("cauda-equina: no critical card for cauda equina syndrome: %v", crit)
		}
		last := cards[len(cards)-1]
		if last.Indicator != cdshooks.Info || !strings.Contains(last.Summary, "(tendinopathy "+tendo.Percent(want.Probabilities.AchillesTendinopathy)+")") {
			t.Errorf("%s: classification card %q, want tendinopathy %s", name, last.Summary, tendo.Percent(want.Probabilities.AchillesTendinopathy))
		}
		for i, c := range cards {
			for j, s := range c.Suggestions {
				for k, a := range s.Actions {
					if a.Type == cdshooks.Create {
						suggested[fmt.Sprintf("%s card %d suggestion %d action %d", name, i, j, k)] = a.Resource
					}
				}
			}
		}
	}
	if len(suggested) < len(publicCases) {
		t.Fatalf("%d suggested resources, want at least one per case", len(suggested))
	}
	fhircheck.Check(t, suggested).Require(t)
}

package cdshooks_test

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/tendo-health/tendo"
	"github.com/tendo-health/tendo/cdshooks"
	"github.com/tendo-health/tendo/fhir"
	"github.com/tendo-health/tendo/internal/shared"
)

func seedExamples(f *testing.F, names ...string) {
	for _, n := range names {
		b, err := os.ReadFile(shared.Path(f, "data", "fhir", "cds-hooks", "examples", n))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
}

// FuzzDecodeRequest: hostile hook requests give an error or a request
// that passes Validate, never a panic.
func FuzzDecodeRequest(f *testing.F) {
	seedExamples(f, "02-hook-request-patient-view.json", "26-extensions.json", "05-example-prefetch-token.json")
	f.Add([]byte(`{"hook":"patient-view","hookInstance":"h","context":{"patientId":"1"},"prefetch":{"patient":null}}`))
	f.Add([]byte(`{"hook":1}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		r, err := cdshooks.DecodeRequest(strings.NewReader(string(b)))
		if err != nil {
			if cdshooks.StatusOf(err) >= 500 {
				t.Fatalf("status %d for bad input: %v", cdshooks.StatusOf(err), err)
			}
			return
		}
		if err := r.Validate(); err != nil {
			t.Fatalf("decoded request fails Validate: %v", err)
		}
	})
}

// FuzzDecodeFeedback: hostile feedback gives an error naming a field or
// items that each have a card and a known outcome.
func FuzzDecodeFeedback(f *testing.F) {
	seedExamples(f, "19-example-suggestion-accepted.json", "20-example-overridden-guidance-without-overridereason.json", "21-example-overridden-guidance-with-overridereason.json")
	f.Add([]byte(`{"feedback":[]}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		fb, err := cdshooks.DecodeFeedback(strings.NewReader(string(b)))
		if err != nil {
			return
		}
		for _, x := range fb {
			if x.Card == "" || (x.Outcome != "accepted" && x.Outcome != "overridden") {
				t.Fatalf("accepted %+v", x)
			}
		}
	})
}

// FuzzExpand: an expanded template never holds a context value's
// reserved characters unescaped.
func FuzzExpand(f *testing.F) {
	f.Add("Patient/{{context.patientId}}", "123")
	f.Add("Observation?patient={{context.patientId}}&code=1", "1&x=y#z")
	f.Add("{{userPatientId}}", "Patient/9")
	f.Fuzz(func(t *testing.T, tmpl, v string) {
		raw, _ := json.Marshal(v)
		ctx := map[string]json.RawMessage{"patientId": raw, "userId": raw}
		out, err := cdshooks.Expand(tmpl, ctx)
		if err != nil {
			return
		}
		if strings.Count(out, "&") > strings.Count(tmpl, "&") || strings.Count(out, "#") > strings.Count(tmpl, "#") {
			t.Fatalf("Expand(%q) with %q = %q: a value added & or #", tmpl, v, out)
		}
	})
}

// FuzzVerify: hostile tokens are refused with 401 (or, for a client
// error, another 4xx), never a panic.
func FuzzVerify(f *testing.F) {
	f.Add(specJWT)
	f.Add(unsigned())
	f.Add("a.b.c")
	jwks, err := os.ReadFile(shared.Path(f, "data", "fhir", "cds-hooks", "examples", "24-jwks.json"))
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, tok string) {
		v := &cdshooks.Verifier{
			Clients: func(context.Context, string) (*cdshooks.Client, error) {
				return &cdshooks.Client{JWKS: jwks}, nil
			},
			Clock: func() time.Time { return inSpecValidity },
		}
		_, _, err := v.Verify(context.Background(), tok, specAUD)
		if err != nil && cdshooks.StatusOf(err) != 401 {
			t.Fatalf("status %d: %v", cdshooks.StatusOf(err), err)
		}
		if err == nil && tok != specJWT {
			// Another encoding of the same signed token would be a
			// malleability finding worth a look.
			t.Logf("verified a variant: %q", tok)
		}
	})
}

// FuzzCall: any hook request that decodes is answered with valid cards or
// a 4xx error, never a panic or a 5xx (the Assess port here returns a
// fixed result, as the protocol is under test).
func FuzzCall(f *testing.F) {
	seedExamples(f, "02-hook-request-patient-view.json", "26-extensions.json")
	f.Add([]byte(patientViewBody))
	f.Add([]byte(`{"hook":"order-select","hookInstance":"h","context":{"patientId":"p","draftOrders":{"resourceType":"Bundle","entry":[{"resource":{"resourceType":"MedicationRequest","id":"1","medicationCodeableConcept":{"text":"ciprofloxacin"}}}]}},"prefetch":{"patient":null,"observations":null,"questionnaireResponses":null,"conditions":{"resourceType":"Bundle","entry":[{"resource":{"resourceType":"Condition","code":{"text":"Achilles tendinopathy"}}}]}}}`))
	a := loadCase(f, "cauda-equina")
	res, err := mustEngine(f).Assess(a)
	if err != nil {
		f.Fatal(err)
	}
	fx := newFixture(f, func(c *cdshooks.Config) {
		c.Assess = func(context.Context, any, []fhir.Resource, string) (*tendo.Assessment, *tendo.Result, error) {
			return a, res, nil
		}
	})
	client := &cdshooks.Client{Principal: "client-1"}
	f.Fuzz(func(t *testing.T, b []byte) {
		req, err := cdshooks.DecodeRequest(bytes.NewReader(b))
		if err != nil {
			return
		}
		for _, id := range []string{cdshooks.HeelPainID, cdshooks.TendonDrugRisk} {
			resp, _, err := fx.h.Call(context.Background(), client, id, req)
			if err != nil {
				if s := cdshooks.StatusOf(err); s >= 500 {
					t.Fatalf("%s: status %d: %v", id, s, err)
				}
				continue
			}
			for i := range resp.Cards {
				if err := resp.Cards[i].Validate(); err != nil {
					t.Fatalf("%s: card %d: %v", id, i, err)
				}
			}
		}
	})
}

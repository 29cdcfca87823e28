package cdshooks_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/tendo-health/tendo/cdshooks"
)

func TestDiscovery(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	r := httptest.NewRequest(http.MethodGet, "/cds-services", nil)
	w := httptest.NewRecorder()
	f.h.ServeHTTP(w, r)
	if w.Code != http.StatusOK {
		t.Fatalf("status %d: %s", w.Code, w.Body)
	}
	var d cdshooks.Discovery
	if err := json.Unmarshal(w.Body.Bytes(), &d); err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"tendo-heel-pain": "patient-view", "tendo-tendon-drug-risk": "order-select"}
	if len(d.Services) != len(want) {
		t.Fatalf("%d services, want %d", len(d.Services), len(want))
	}
	for _, s := range d.Services {
		if want[s.ID] != s.Hook {
			t.Errorf("service %s: hook %s, want %s", s.ID, s.Hook, want[s.ID])
		}
		if s.Description == "" {
			t.Errorf("service %s: no description", s.ID)
		}
		if got := s.Prefetch["patient"]; got != "Patient/{{context.patientId}}" {
			t.Errorf("service %s: patient template %q", s.ID, got)
		}
		for _, k := range []string{"observations", "questionnaireResponses", "conditions"} {
			if !strings.Contains(s.Prefetch[k], "?patient={{context.patientId}}") {
				t.Errorf("service %s: %s template %q", s.ID, k, s.Prefetch[k])
			}
		}
	}
}

// TestSpecExampleRequests sends the CDS Hooks specification's example
// requests (02, 26, and the context and prefetch examples 04, 05, 06, 08
// made into whole requests) and checks each answer's cards. The keys the
// examples do not prefetch are fetched from their fhirServer, a fake here.
func TestSpecExampleRequests(t *testing.T) {
	t.Parallel()
	wrap := func(hook, ctxFile, prefetchFile string, extraCtx map[string]any) []byte {
		req := map[string]any{
			"hook": hook, "hookInstance": "d1577c69-dfbe-44ad-ba6d-3e05e953b2ea",
			"fhirServer": "http://fhir.example.org:9080",
		}
		ctx := map[string]any{"userId": "Practitioner/example"}
		if ctxFile != "" {
			var v struct{ Context map[string]any }
			if err := json.Unmarshal(readExample(t, ctxFile), &v); err != nil {
				t.Fatal(err)
			}
			for k, x := range v.Context {
				ctx[k] = x
			}
		}
		for k, x := range extraCtx {
			ctx[k] = x
		}
		req["context"] = ctx
		if prefetchFile != "" {
			var v struct{ Prefetch map[string]any }
			if err := json.Unmarshal(readExample(t, prefetchFile), &v); err != nil {
				t.Fatal(err)
			}
			req["prefetch"] = v.Prefetch
		}
		b, err := json.Marshal(req)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	tests := []struct {
		name    string
		service string
		body    []byte
		cards   int // at least
		none    bool
	}{
		{"02-hook-request-patient-view", "tendo-heel-pain", readExample(t, "02-hook-request-patient-view.json"), 1, false},
		{"26-extensions (no patient in context)", "tendo-heel-pain", readExample(t, "26-extensions.json"), 0, true},
		{"04-prefetch-token context", "tendo-heel-pain", wrap("patient-view", "04-example-prefetch-token.json", "", nil), 1, false},
		{"08-prefetch-data", "tendo-heel-pain", wrap("patient-view", "", "08-example-prefetch-data.json", map[string]any{"patientId": "1288992"}), 1, false},
		{"05-order-select amoxicillin", "tendo-tendon-drug-risk", wrap("order-select", "05-example-prefetch-token.json", "", map[string]any{"patientId": "1288992"}), 0, true},
		{"06-order-select amoxicillin", "tendo-tendon-drug-risk", wrap("order-select", "06-example-prefetch-token.json", "", map[string]any{"patientId": "1288992"}), 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := newFixture(t)
			code, body := f.post(t, "/"+tt.service, tt.body, "")
			if code != http.StatusOK {
				t.Fatalf("status %d: %s", code, body)
			}
			cards := checkCards(t, body)
			if tt.none && len(cards) != 0 {
				t.Errorf("%d cards, want none", len(cards))
			}
			if len(cards) < tt.cards {
				t.Errorf("%d cards, want at least %d", len(cards), tt.cards)
			}
			if len(f.clinic.called) != 1 {
				t.Errorf("Called %d times, want 1", len(f.clinic.called))
			}
		})
	}
}

// TestPatientViewCards checks the content of the cards of the spec's
// patient-view request for a patient without red flags and for one with
// cauda equina syndrome.
func TestPatientViewCards(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		caseName string
		critical int
	}{
		{"runner-midportion", "runner-midportion", 0},
		{"cauda-equina", "cauda-equina", 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := newFixture(t)
			f.clinic.cases["1288992"] = tt.caseName
			code, body := f.post(t, "/tendo-heel-pain", readExample(t, "02-hook-request-patient-view.json"), "")
			if code != http.StatusOK {
				t.Fatalf("status %d: %s", code, body)
			}
			cards := checkCards(t, body)
			var crit, info []cdshooks.Card
			for _, c := range cards {
				switch c.Indicator {
				case cdshooks.Critical:
					crit = append(crit, c)
				case cdshooks.Info:
					info = append(info, c)
				}
			}
			if len(crit) < tt.critical || (tt.critical == 0 && len(crit) > 0) {
				t.Fatalf("%d critical cards, want %d", len(crit), tt.critical)
			}
			for _, c := range crit {
				if !strings.Contains(c.Summary, "Red flag") {
					t.Errorf("critical summary %q", c.Summary)
				}
				if len(c.Suggestions) != 1 || len(c.Suggestions[0].Actions) != 1 {
					t.Fatalf("critical card suggestions: %+v", c.Suggestions)
				}
				a := c.Suggestions[0].Actions[0]
				var sr map[string]any
				if err := json.Unmarshal(a.Resource, &sr); err != nil {
					t.Fatal(err)
				}
				if a.Type != "create" || sr["resourceType"] != "ServiceRequest" || sr["status"] != "draft" || sr["intent"] != "proposal" {
					t.Errorf("action %s of %s", a.Type, a.Resource)
				}
				if sub, _ := sr["subject"].(map[string]any); sub["reference"] != "Patient/1288992" {
					t.Errorf("ServiceRequest subject %v", sr["subject"])
				}
				if tt.caseName == "cauda-equina" && (sr["priority"] != "stat" || !strings.Contains(c.Detail, "MRI")) {
					t.Errorf("cauda equina card: priority %v, detail %q", sr["priority"], c.Detail)
				}
			}
			if len(info) != 1 {
				t.Fatalf("%d info cards, want 1", len(info))
			}
			c := info[0]
			for _, want := range []string{"Achilles tendinopathy:", "%", "–", "Next tests"} {
				if !strings.Contains(c.Detail, want) {
					t.Errorf("info detail lacks %q:\n%s", want, c.Detail)
				}
			}
			if len(c.Links) != 1 || c.Links[0].Type != "smart" || c.Links[0].URL != launch || c.Links[0].AppContext != `{"patient":"1288992"}` {
				t.Errorf("links %+v", c.Links)
			}
			if len(c.Suggestions) == 0 || c.SelectionBehavior != "any" {
				t.Fatalf("info card: %d suggestions, selectionBehavior %q", len(c.Suggestions), c.SelectionBehavior)
			}
			for i, sg := range c.Suggestions {
				want := `"resourceType":"ServiceRequest"`
				if i == 0 {
					want = `"resourceType":"CarePlan"`
				}
				if len(sg.Actions) != 1 || sg.Actions[0].Type != "create" || !strings.Contains(string(sg.Actions[0].Resource), want) ||
					!strings.Contains(string(sg.Actions[0].Resource), `"status":"draft"`) {
					t.Errorf("info suggestion %d (%s): want a draft %s", i, sg.Label, want)
				}
			}
			if got, want := f.clinic.dates, []string{"2026-10-12"}; len(got) != 1 || got[0] != want[0] {
				t.Errorf("Assess dates %v, want %v", got, want)
			}
			if got := f.clinic.called; len(got) != 1 || got[0] != "tendo-heel-pain d1577c69-dfbe-44ad-ba6d-3e05e953b2ea 1288992 "+itoa(len(cards)) {
				t.Errorf("Called %q", got)
			}
		})
	}
}

func TestFeedbackExamples(t *testing.T) {
	t.Parallel()
	tests := []struct {
		file    string
		outcome string
	}{
		{"19-example-suggestion-accepted.json", "accepted"},
		{"20-example-overridden-guidance-without-overridereason.json", "overridden"},
		{"21-example-overridden-guidance-with-overridereason.json", "overridden"},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			t.Parallel()
			f := newFixture(t)
			code, body := f.post(t, "/tendo-heel-pain/feedback", readExample(t, tt.file), "")
			if code != http.StatusOK {
				t.Fatalf("status %d: %s", code, body)
			}
			if len(f.clinic.fb) != 1 || f.clinic.fb[0].Outcome != tt.outcome || f.clinic.fb[0].Card == "" {
				t.Errorf("stored %+v", f.clinic.fb)
			}
		})
	}
	t.Run("21 keeps the override reason", func(t *testing.T) {
		t.Parallel()
		f := newFixture(t)
		f.post(t, "/tendo-heel-pain/feedback", readExample(t, tests[2].file), "https://tendo.example/cds-services/tendo-heel-pain")
		if len(f.clinic.fb) != 1 {
			t.Fatalf("stored %+v", f.clinic.fb)
		}
		r := f.clinic.fb[0].OverrideReason
		if r == nil || r.Reason == nil || r.Reason.Code != "d7ecf885" || r.UserComment != "A comment entered by the clinician." {
			t.Errorf("override reason %+v", r)
		}
	})
}

// TestErrors checks the status and the field named for bad calls.
func TestErrors(t *testing.T) {
	t.Parallel()
	pv := string(readExample(t, "02-hook-request-patient-view.json"))
	noPrefetch := `{"hook":"patient-view","hookInstance":"h1","context":{"patientId":"p1","userId":"Practitioner/1"}}`
	tests := []struct {
		name   string
		method string
		path   string
		body   string
		auth   string // "" = a valid token
		status int
		field  string
	}{
		{"no prefetch and no fhirServer", "POST", "/tendo-heel-pain", noPrefetch, "", 412, "prefetch.patient"},
		{"fhirServer not allowed", "POST", "/tendo-heel-pain", strings.Replace(noPrefetch, `"context"`, `"fhirServer":"https://evil.example","context"`, 1), "", 412, "prefetch.patient"},
		{"no token", "POST", "/tendo-heel-pain", pv, "none", 401, "Authorization"},
		{"token for another service", "POST", "/tendo-heel-pain", pv, "wrong-aud", 401, "aud"},
		{"missing hook", "POST", "/tendo-heel-pain", `{"hookInstance":"h","context":{}}`, "", 400, "hook"},
		{"missing hookInstance", "POST", "/tendo-heel-pain", `{"hook":"patient-view","context":{}}`, "", 400, "hookInstance"},
		{"missing context", "POST", "/tendo-heel-pain", `{"hook":"patient-view","hookInstance":"h"}`, "", 400, "context"},
		{"context of the wrong type", "POST", "/tendo-heel-pain", `{"hook":"patient-view","hookInstance":"h","context":[1]}`, "", 400, "context"},
		{"patientId a number", "POST", "/tendo-heel-pain", `{"hook":"patient-view","hookInstance":"h","context":{"patientId":7}}`, "", 400, "context.patientId"},
		{"wrong hook", "POST", "/tendo-heel-pain", `{"hook":"order-select","hookInstance":"h","context":{"patientId":"p"}}`, "", 400, "hook"},
		{"fhirAuthorization without fhirServer", "POST", "/tendo-heel-pain", `{"hook":"patient-view","hookInstance":"h","context":{},"fhirAuthorization":{"access_token":"t","token_type":"Bearer"}}`, "", 400, "fhirServer"},
		{"prefetch not FHIR", "POST", "/tendo-heel-pain", `{"hook":"patient-view","hookInstance":"h","context":{"patientId":"p"},"prefetch":{"patient":{"id":"p"}}}`, "", 400, "prefetch.patient"},
		{"prefetch for another patient", "POST", "/tendo-heel-pain", `{"hook":"patient-view","hookInstance":"h","context":{"patientId":"p"},"prefetch":{"patient":{"resourceType":"Patient","id":"q"},"observations":null,"questionnaireResponses":null,"conditions":null}}`, "", 400, "prefetch.patient.id"},
		{"an Observation of another patient", "POST", "/tendo-heel-pain", `{"hook":"patient-view","hookInstance":"h","context":{"patientId":"p"},"prefetch":{"patient":null,"observations":{"resourceType":"Bundle","type":"searchset","entry":[{"resource":{"resourceType":"Observation","status":"final","code":{"text":"x"},"subject":{"reference":"Patient/q"}}}]},"questionnaireResponses":null,"conditions":null}}`, "", 400, "prefetch.observations"},
		{"a Condition of another patient (absolute reference)", "POST", "/tendo-heel-pain", `{"hook":"patient-view","hookInstance":"h","context":{"patientId":"p"},"prefetch":{"patient":null,"observations":null,"questionnaireResponses":null,"conditions":{"resourceType":"Bundle","type":"searchset","entry":[{"resource":{"resourceType":"Condition","code":{"text":"x"},"subject":{"reference":"https://ehr.example/fhir/Patient/q"}}}]}}}`, "", 400, "prefetch.conditions"},
		{"order-select without draftOrders", "POST", "/tendo-tendon-drug-risk", `{"hook":"order-select","hookInstance":"h","context":{"patientId":"p"},"prefetch":{"patient":null,"observations":null,"questionnaireResponses":null,"conditions":null}}`, "", 400, "context.draftOrders"},
		{"trailing data", "POST", "/tendo-heel-pain", pv + "{}", "", 400, ""},
		{"body too large", "POST", "/tendo-heel-pain", `{"hook":"` + strings.Repeat("a", cdshooks.MaxRequestBytes) + `"}`, "", 413, ""},
		{"feedback outcome unknown", "POST", "/tendo-heel-pain/feedback", `{"feedback":[{"card":"c","outcome":"ignored","outcomeTimestamp":"2020-12-11T00:00:00Z"}]}`, "", 400, "feedback[0].outcome"},
		{"feedback accepted without suggestions", "POST", "/tendo-heel-pain/feedback", `{"feedback":[{"card":"c","outcome":"accepted","outcomeTimestamp":"2020-12-11T00:00:00Z"}]}`, "", 400, "feedback[0].acceptedSuggestions"},
		{"feedback bad timestamp", "POST", "/tendo-heel-pain/feedback", `{"feedback":[{"card":"c","outcome":"overridden","outcomeTimestamp":"yesterday"}]}`, "", 400, "feedback[0].outcomeTimestamp"},
		{"feedback without card", "POST", "/tendo-heel-pain/feedback", `{"feedback":[{"outcome":"overridden","outcomeTimestamp":"2020-12-11T00:00:00Z"}]}`, "", 400, "feedback[0].card"},
		{"feedback missing", "POST", "/tendo-heel-pain/feedback", `{}`, "", 400, "feedback"},
		{"unknown service", "POST", "/nope", pv, "", 404, ""},
		{"GET a service", "GET", "/tendo-heel-pain", "", "", 405, ""},
		{"POST discovery", "POST", "", "{}", "", 405, ""},
		{"deeper path", "POST", "/tendo-heel-pain/feedback/x", "{}", "", 404, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := newFixture(t)
			r := httptest.NewRequest(tt.method, "/cds-services"+tt.path, strings.NewReader(tt.body))
			switch tt.auth {
			case "":
				r.Header.Set("Authorization", "Bearer "+token(t, testBase+tt.path))
			case "wrong-aud":
				r.Header.Set("Authorization", "Bearer "+token(t, testBase+"/tendo-tendon-drug-risk"))
			}
			w := httptest.NewRecorder()
			f.h.ServeHTTP(w, r)
			if w.Code != tt.status {
				t.Fatalf("status %d, want %d: %s", w.Code, tt.status, w.Body)
			}
			var e struct{ Error, Field string }
			if err := json.Unmarshal(w.Body.Bytes(), &e); err != nil {
				t.Fatalf("error body %q: %v", w.Body, err)
			}
			if e.Error == "" || e.Field != tt.field {
				t.Errorf("error %q field %q, want field %q", e.Error, e.Field, tt.field)
			}
			if tt.status >= 400 && len(f.clinic.called) != 0 {
				t.Errorf("a failed call was audited as answered: %q", f.clinic.called)
			}
		})
	}
}

// TestFetchFromFHIRServer leaves the prefetch out and checks that the
// service reads the four templates from a fake FHIR server (httptest) with
// the client's bearer token, and that a patient id cannot inject query
// parameters or path segments.
func TestFetchFromFHIRServer(t *testing.T) {
	t.Parallel()
	fake := &fakeFHIR{extra: map[string][]string{
		"Condition": {`{"resourceType":"Condition","id":"c1","code":{"text":"Achilles tendinopathy"}}`},
	}}
	srv := httptest.NewServer(fake)
	defer srv.Close()
	f := newFixture(t, func(c *cdshooks.Config) { c.HTTPClient = srv.Client() })
	f.clinic.servers = []string{srv.URL + "/fhir/"}
	const pid = "p 1&_include=*/../x"
	body, _ := json.Marshal(map[string]any{
		"hook": "patient-view", "hookInstance": "h-fetch", "fhirServer": srv.URL + "/fhir",
		"fhirAuthorization": map[string]any{"access_token": "secret-token", "token_type": "Bearer", "expires_in": 300, "scope": "user/Patient.read", "subject": "tendo"},
		"context":           map[string]any{"patientId": pid, "userId": "Practitioner/1"},
		"prefetch":          map[string]any{"conditions": nil},
	})
	code, out := f.post(t, "/tendo-heel-pain", body, "")
	if code != http.StatusOK {
		t.Fatalf("status %d: %s", code, out)
	}
	checkCards(t, out)
	if len(fake.requests) != 3 {
		t.Fatalf("%d fetches, want 3 (conditions was prefetched as null)", len(fake.requests))
	}
	escaped := "p%201%26_include%3D%2A%2F..%2Fx"
	wantPaths := []string{"/fhir/Patient/" + escaped, "/fhir/Observation", "/fhir/QuestionnaireResponse"}
	for i, r := range fake.requests {
		if r.Method != http.MethodGet {
			t.Errorf("fetch %d: method %s", i, r.Method)
		}
		if got := r.Header.Get("Accept"); got != "application/fhir+json" {
			t.Errorf("fetch %d: Accept %q", i, got)
		}
		if got := r.Header.Get("Authorization"); got != "Bearer secret-token" {
			t.Errorf("fetch %d: Authorization %q", i, got)
		}
		if r.URL.EscapedPath() != wantPaths[i] {
			t.Errorf("fetch %d: path %s, want %s", i, r.URL.EscapedPath(), wantPaths[i])
		}
		if i > 0 {
			q := r.URL.Query()
			if q.Get("patient") != pid || q.Has("_include") {
				t.Errorf("fetch %d: query %v: the patient id leaked into the query", i, q)
			}
		}
	}
	if len(f.clinic.got) != 1 || len(f.clinic.got[0]) != 1 || f.clinic.got[0][0].ResourceType() != "Patient" {
		t.Errorf("Assess got %v", f.clinic.got)
	}
}

// TestFetchLimits checks that a fetch the FHIR server answers badly gives
// 412 naming the prefetch key.
func TestFetchLimits(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		h    http.HandlerFunc
	}{
		{"server error", func(w http.ResponseWriter, r *http.Request) { http.Error(w, "down", 500) }},
		{"redirect", func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, "https://elsewhere.example/", http.StatusFound)
		}},
		{"not FHIR", func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("<html>")) }},
		{"too large", func(w http.ResponseWriter, r *http.Request) {
			w.Write([]byte(`{"resourceType":"Patient","id":"p","x":"`))
			w.Write(bytes.Repeat([]byte("a"), cdshooks.MaxFetchBytes))
			w.Write([]byte(`"}`))
		}},
		{"OperationOutcome", func(w http.ResponseWriter, r *http.Request) {
			w.Write([]byte(`{"resourceType":"OperationOutcome","issue":[{"severity":"error","code":"forbidden"}]}`))
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := httptest.NewServer(tt.h)
			defer srv.Close()
			f := newFixture(t, func(c *cdshooks.Config) { c.HTTPClient = srv.Client() })
			f.clinic.servers = []string{srv.URL}
			body := `{"hook":"patient-view","hookInstance":"h","fhirServer":"` + srv.URL + `","context":{"patientId":"p"}}`
			code, out := f.post(t, "/tendo-heel-pain", []byte(body), "")
			if code != http.StatusPreconditionFailed {
				t.Fatalf("status %d, want 412: %s", code, out)
			}
			if !bytes.Contains(out, []byte(`"field":"prefetch.patient"`)) {
				t.Errorf("body %s", out)
			}
		})
	}
}

// TestCalledFails checks that an answer whose audit fails is not given.
func TestCalledFails(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.clinic.calledErr = errAudit
	code, body := f.post(t, "/tendo-heel-pain", readExample(t, "02-hook-request-patient-view.json"), "")
	if code != http.StatusInternalServerError || bytes.Contains(body, []byte("cards")) {
		t.Fatalf("status %d: %s", code, body)
	}
}

// TestReplayOverHTTP sends the same signed call twice: the second is
// refused on its jti and not answered.
func TestReplayOverHTTP(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	tok := token(t, testBase+"/tendo-heel-pain")
	body := readExample(t, "02-hook-request-patient-view.json")
	for i, want := range []int{http.StatusOK, http.StatusUnauthorized} {
		r := httptest.NewRequest(http.MethodPost, "/cds-services/tendo-heel-pain", bytes.NewReader(body))
		r.Header.Set("Authorization", "Bearer "+tok)
		w := httptest.NewRecorder()
		f.h.ServeHTTP(w, r)
		if w.Code != want {
			t.Fatalf("call %d: status %d, want %d: %s", i, w.Code, want, w.Body)
		}
		if want == http.StatusUnauthorized && (!strings.Contains(w.Body.String(), `"field":"jti"`) || w.Header().Get("WWW-Authenticate") == "") {
			t.Errorf("call %d: %s, WWW-Authenticate %q", i, w.Body, w.Header().Get("WWW-Authenticate"))
		}
	}
	if len(f.clinic.called) != 1 {
		t.Errorf("Called %d times, want 1", len(f.clinic.called))
	}
}

func TestCORS(t *testing.T) {
	t.Parallel()
	const sandbox = "https://sandbox.cds-hooks.org"
	tests := []struct {
		name, method, origin string
		preflight            bool
		status               int
		allow                string // Access-Control-Allow-Origin
	}{
		{"preflight from an allowed origin", "OPTIONS", sandbox, true, http.StatusNoContent, sandbox},
		{"preflight from another origin", "OPTIONS", "https://evil.example", true, http.StatusMethodNotAllowed, ""},
		{"discovery from an allowed origin", "GET", sandbox, false, http.StatusOK, sandbox},
		{"discovery from another origin", "GET", "https://evil.example", false, http.StatusOK, ""},
		{"a call without its JWT from an allowed origin", "POST", sandbox, false, http.StatusUnauthorized, sandbox},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := newFixture(t, func(c *cdshooks.Config) { c.AllowedOrigins = []string{sandbox} })
			path := "/cds-services"
			if tt.method != "GET" {
				path += "/tendo-heel-pain"
			}
			r := httptest.NewRequest(tt.method, path, strings.NewReader("{}"))
			r.Header.Set("Origin", tt.origin)
			if tt.preflight {
				r.Header.Set("Access-Control-Request-Method", "POST")
				r.Header.Set("Access-Control-Request-Headers", "authorization, content-type")
			}
			w := httptest.NewRecorder()
			f.h.ServeHTTP(w, r)
			if w.Code != tt.status {
				t.Fatalf("status %d, want %d: %s", w.Code, tt.status, w.Body)
			}
			if got := w.Header().Get("Access-Control-Allow-Origin"); got != tt.allow {
				t.Errorf("Access-Control-Allow-Origin %q, want %q", got, tt.allow)
			}
			if tt.status == http.StatusNoContent && !strings.Contains(w.Header().Get("Access-Control-Allow-Headers"), "Authorization") {
				t.Errorf("Access-Control-Allow-Headers %q", w.Header().Get("Access-Control-Allow-Headers"))
			}
		})
	}
}

package web_test

// issue 11: cds-clinic. CDS Hooks end to end: a registered client's
// ES384 JWT, the clinic's engine through fhirmap, the audit log and the
// stored feedback.

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	jose "github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"

	"github.com/tendo-health/tendo"
	"github.com/tendo-health/tendo/assess"
	"github.com/tendo-health/tendo/clinic"
	"github.com/tendo-health/tendo/fhir"
	"github.com/tendo-health/tendo/fhirmap"
	"github.com/tendo-health/tendo/intake"
	"github.com/tendo-health/tendo/internal/shared"
	"github.com/tendo-health/tendo/passwd"
	"github.com/tendo-health/tendo/sqlstore"
	"github.com/tendo-health/tendo/web"
)

// cdsExample reads an example of the CDS Hooks 2.0.1 specification.
func cdsExample(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(shared.Path(t, "data", "fhir", "cds-hooks", "examples", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

const cdsIssuer = "https://ehr.test/cds-client"

// cdsWorld is a server with CDS Hooks enabled, a clinic A with a
// registered CDS client (an ES384 key), an admin and a clinician of
// clinic B with API tokens, and a fake FHIR server the client allows.
type cdsWorld struct {
	t      testing.TB
	srv    *web.Server
	ts     *httptest.Server
	store  *sqlstore.DB
	key    *ecdsa.PrivateKey
	client tendo.CDSClient
	tokens map[string]string // "admin", "clinicianB"
	fhir   *httptest.Server
	// fhirHits counts the fake FHIR server's requests; fhirAuth is the
	// last Authorization header it saw.
	fhirHits atomic.Int64
	fhirAuth atomic.Value
	now      time.Time
	jti      atomic.Int64
}

func newCDSWorld(t testing.TB) *cdsWorld {
	t.Helper()
	return newCDSWorldWith(t, engine(t))
}

// newCDSWorldWith is newCDSWorld with another assessor.
func newCDSWorldWith(t testing.TB, assessor tendo.Assessor) *cdsWorld {
	t.Helper()
	ctx := context.Background()
	store, err := sqlstore.OpenSQLite(ctx, filepath.Join(t.TempDir(), "tendo.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	srv, err := web.New(store, assessor, nil)
	if err != nil {
		t.Fatal(err)
	}
	w := &cdsWorld{t: t, srv: srv, store: store, tokens: map[string]string{}, now: time.Date(2026, 11, 30, 10, 0, 0, 0, time.UTC)}
	srv.Now = func() time.Time { return w.now }
	w.ts = httptest.NewServer(srv)
	t.Cleanup(w.ts.Close)
	if err := srv.EnableCDS(web.CDSOptions{PublicURL: w.ts.URL, SMARTLaunchURL: w.ts.URL + "/smart/launch"}); err != nil {
		t.Fatal(err)
	}
	w.fhir = httptest.NewServer(http.HandlerFunc(w.serveFHIR))
	t.Cleanup(w.fhir.Close)

	clinA, err := store.CreateClinic(ctx, "Clinic A")
	if err != nil {
		t.Fatal(err)
	}
	clinB, err := store.CreateClinic(ctx, "Clinic B")
	if err != nil {
		t.Fatal(err)
	}
	for key, u := range map[string]tendo.User{
		"admin":      {Email: "admin@a.test", Name: "Admin", Role: tendo.RoleAdmin},
		"clinicianA": {Email: "a@a.test", Name: "Clinician A", Role: tendo.RoleClinician, ClinicIDs: []int64{clinA.ID}},
		"clinicianB": {Email: "b@b.test", Name: "Clinician B", Role: tendo.RoleClinician, ClinicIDs: []int64{clinB.ID}},
	} {
		created, err := store.CreateUser(ctx, u)
		if err != nil {
			t.Fatal(err)
		}
		tok := passwd.Token()
		if _, err := store.CreateAPIToken(ctx, created.ID, "test", passwd.TokenHash(tok)); err != nil {
			t.Fatal(err)
		}
		w.tokens[key] = tok
	}

	w.key, err = ecdsa.GenerateKey(elliptic.P384(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	jwks, err := json.Marshal(jose.JSONWebKeySet{Keys: []jose.JSONWebKey{{Key: &w.key.PublicKey, KeyID: "k1", Algorithm: "ES384", Use: "sig"}}})
	if err != nil {
		t.Fatal(err)
	}
	w.client, err = srv.Clinic().CreateCDSClient(tendo.SystemContext(ctx, "test"), tendo.NewCDSClient{
		ClinicID: clinA.ID, Name: "Test EHR", Issuer: cdsIssuer, JWKS: jwks, FHIRServers: []string{w.fhir.URL + "/fhir"},
	})
	if err != nil {
		t.Fatal(err)
	}
	return w
}

// serveFHIR is the fake EHR's FHIR server: patient 1288992 of the
// specification's example, and empty searches.
func (w *cdsWorld) serveFHIR(rw http.ResponseWriter, r *http.Request) {
	w.fhirHits.Add(1)
	w.fhirAuth.Store(r.Header.Get("Authorization"))
	rw.Header().Set("Content-Type", "application/fhir+json")
	switch {
	case r.Method != http.MethodGet:
		http.Error(rw, "GET only", http.StatusMethodNotAllowed)
	case r.URL.Path == "/fhir/Patient/1288992":
		io.WriteString(rw, `{"resourceType":"Patient","id":"1288992","gender":"male","birthDate":"1925-12-23","active":true}`)
	case strings.HasPrefix(r.URL.Path, "/fhir/") && strings.Count(r.URL.Path, "/") == 2:
		io.WriteString(rw, `{"resourceType":"Bundle","type":"searchset","total":0}`)
	default:
		http.NotFound(rw, r)
	}
}

// token signs a JWT as the client would (ES384, kid k1) for aud, with a
// new jti each time.
func (w *cdsWorld) token(iss, aud string) string {
	w.t.Helper()
	return w.signed(iss, aud, fmt.Sprintf("jti-%d", w.jti.Add(1)))
}

func (w *cdsWorld) signed(iss, aud, jti string) string {
	w.t.Helper()
	sig, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.ES384, Key: jose.JSONWebKey{Key: w.key, KeyID: "k1"}}, (&jose.SignerOptions{}).WithType("JWT"))
	if err != nil {
		w.t.Fatal(err)
	}
	tok, err := jwt.Signed(sig).Claims(jwt.Claims{
		Issuer: iss, Subject: "cds-client", Audience: jwt.Audience{aud}, ID: jti,
		IssuedAt: jwt.NewNumericDate(w.now), Expiry: jwt.NewNumericDate(w.now.Add(5 * time.Minute)),
	}).Serialize()
	if err != nil {
		w.t.Fatal(err)
	}
	return tok
}

// post sends body to path with the bearer token ("" for none).
func (w *cdsWorld) post(path, bearer string, body []byte) (int, []byte) {
	w.t.Helper()
	return w.do("POST", path, bearer, body)
}

func (w *cdsWorld) do(method, path, bearer string, body []byte) (int, []byte) {
	w.t.Helper()
	req, err := http.NewRequest(method, w.ts.URL+path, bytes.NewReader(body))
	if err != nil {
		w.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	if bearer != "" {
		req.Header.Set("Authorization", "Bearer "+bearer)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		w.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, b
}

// audit returns the entries with the action, newest first.
func (w *cdsWorld) audit(action string) []tendo.AuditEntry {
	w.t.Helper()
	es, err := w.store.AuditLog(context.Background(), tendo.AuditFilter{Action: action, Limit: 1000})
	if err != nil {
		w.t.Fatal(err)
	}
	return es
}

// cdsCard is what the tests read of a card.
type cdsCard struct {
	UUID      string `json:"uuid"`
	Summary   string `json:"summary"`
	Detail    string `json:"detail"`
	Indicator string `json:"indicator"`
	Source    struct {
		Label string `json:"label"`
	} `json:"source"`
	Links []struct {
		Type       string `json:"type"`
		URL        string `json:"url"`
		AppContext string `json:"appContext"`
	} `json:"links"`
}

// cards reads a hook response and checks every card as the
// specification requires.
func cards(t *testing.T, body []byte) []cdsCard {
	t.Helper()
	var resp struct {
		Cards []cdsCard `json:"cards"`
	}
	if err := json.Unmarshal(body, &resp); err != nil {
		t.Fatalf("response %s: %v", body, err)
	}
	for i, c := range resp.Cards {
		if n := len([]rune(c.Summary)); n == 0 || n >= 140 {
			t.Errorf("card %d: summary of %d characters: %q", i, n, c.Summary)
		}
		if c.Indicator != "info" && c.Indicator != "warning" && c.Indicator != "critical" {
			t.Errorf("card %d: indicator %q", i, c.Indicator)
		}
		if c.Source.Label == "" || c.UUID == "" {
			t.Errorf("card %d: source.label %q, uuid %q", i, c.Source.Label, c.UUID)
		}
	}
	return resp.Cards
}

// withFHIRServer is the specification's request with its fhirServer
// replaced by the fake one (the example's host is not reachable here).
func (w *cdsWorld) withFHIRServer(body []byte) []byte {
	w.t.Helper()
	var m map[string]any
	if err := json.Unmarshal(body, &m); err != nil {
		w.t.Fatal(err)
	}
	m["fhirServer"] = w.fhir.URL + "/fhir"
	b, err := json.Marshal(m)
	if err != nil {
		w.t.Fatal(err)
	}
	return b
}

// TestCDSHooksEndToEnd: the specification's patient-view request, sent
// with a registered client's ES384 JWT, is answered 200 with valid cards
// assessed by the clinic's engine (the missing prefetch fetched from the
// client's FHIR server with the request's access token), and audited
// "cds.call" as the client's user, with no card content.
func TestCDSHooksEndToEnd(t *testing.T) {
	t.Parallel()
	w := newCDSWorld(t)
	path := "/cds-services/tendo-heel-pain"
	code, body := w.post(path, w.token(cdsIssuer, w.ts.URL+path), w.withFHIRServer(cdsExample(t, "02-hook-request-patient-view.json")))
	if code != http.StatusOK {
		t.Fatalf("status %d: %s", code, body)
	}
	cs := cards(t, body)
	if len(cs) == 0 {
		t.Fatal("no cards")
	}
	smart := false
	for _, c := range cs {
		if c.Indicator == "critical" {
			t.Errorf("a critical card for a patient with no findings: %q", c.Summary)
		}
		for _, l := range c.Links {
			if l.Type == "smart" && l.URL == w.ts.URL+"/smart/launch" {
				smart = true
			}
		}
	}
	if !smart {
		t.Errorf("no smart link to the launch URL in %s", body)
	}
	if w.fhirHits.Load() == 0 {
		t.Error("the missing prefetch was not fetched from the FHIR server")
	}
	if got, _ := w.fhirAuth.Load().(string); got != "Bearer some-opaque-fhir-access-token" {
		t.Errorf("the FHIR server got Authorization %q", got)
	}
	es := w.audit(tendo.ActionCDSCall)
	if len(es) != 1 {
		t.Fatalf("%d cds.call entries", len(es))
	}
	e := es[0]
	want := fmt.Sprintf("service tendo-heel-pain, hookInstance d1577c69-dfbe-44ad-ba6d-3e05e953b2ea, patient 1288992, %d cards", len(cs))
	if e.UserID != w.client.UserID || e.ClinicID != w.client.ClinicID || e.Detail != want || !strings.Contains(e.Actor, "cds-client.invalid") {
		t.Errorf("audit entry %+v, want user %d, clinic %d, %q", e, w.client.UserID, w.client.ClinicID, want)
	}
	for _, c := range cs {
		if strings.Contains(e.Detail, c.Summary) {
			t.Errorf("the audit entry holds a card's content")
		}
	}
}

// TestCDSHooksRedFlag: a patient whose record holds tendo's findings of
// the public cauda equina case (as Observations and QuestionnaireResponses
// made by fhirmap) gets a critical card.
func TestCDSHooksRedFlag(t *testing.T) {
	t.Parallel()
	w := newCDSWorld(t)
	req := caseRequest(t, "cauda-equina")
	path := "/cds-services/tendo-heel-pain"
	code, body := w.post(path, w.token(cdsIssuer, w.ts.URL+path), req)
	if code != http.StatusOK {
		t.Fatalf("status %d: %s", code, body)
	}
	critical := false
	for _, c := range cards(t, body) {
		critical = critical || c.Indicator == "critical"
	}
	if !critical {
		t.Errorf("no critical card for cauda equina: %s", body)
	}
	if w.fhirHits.Load() != 0 {
		t.Errorf("%d FHIR fetches with every prefetch key given", w.fhirHits.Load())
	}
}

// TestCDSHooksFeedback: the specification's feedback examples 19, 20 and
// 21 are accepted, stored and audited as the client, and listed for
// safety review to the admin (and not to another clinic's clinician).
func TestCDSHooksFeedback(t *testing.T) {
	t.Parallel()
	w := newCDSWorld(t)
	path := "/cds-services/tendo-heel-pain/feedback"
	for _, ex := range []string{"19-example-suggestion-accepted.json", "20-example-overridden-guidance-without-overridereason.json", "21-example-overridden-guidance-with-overridereason.json"} {
		code, body := w.post(path, w.token(cdsIssuer, w.ts.URL+"/cds-services/tendo-heel-pain"), cdsExample(t, ex))
		if code != http.StatusOK {
			t.Errorf("%s: status %d: %s", ex, code, body)
		}
	}
	if es := w.audit(tendo.ActionCDSFeedback); len(es) != 3 || es[0].UserID != w.client.UserID || es[0].ClinicID != w.client.ClinicID {
		t.Errorf("cds.feedback entries %+v", es)
	}
	code, body := w.do("GET", "/api/cds/feedback", w.tokens["admin"], nil)
	if code != http.StatusOK {
		t.Fatalf("admin's feedback list: %d %s", code, body)
	}
	var page struct {
		Feedback []tendo.CDSFeedback `json:"feedback"`
	}
	if err := json.Unmarshal(body, &page); err != nil {
		t.Fatal(err)
	}
	if len(page.Feedback) != 3 {
		t.Fatalf("%d items: %s", len(page.Feedback), body)
	}
	f21, f19 := page.Feedback[0], page.Feedback[2]
	if f21.Card != "9368d37b-283f-44a0-93ea-547cebab93ed" || f21.Outcome != tendo.CDSOverridden || f21.OverrideReason == nil ||
		f21.OverrideReason.Code != "d7ecf885" || f21.OverrideReason.System != "https://example.com/cds-hooks/override-reason-system" ||
		f21.UserComment != "A comment entered by the clinician." || !f21.OutcomeTimestamp.Equal(time.Date(2020, 12, 11, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("example 21 stored as %+v", f21)
	}
	if f19.Outcome != tendo.CDSAccepted || len(f19.AcceptedSuggestions) != 1 || f19.AcceptedSuggestions[0] != "e56e1945-20b3-4393-8503-a1a20fd73152" || f19.ServiceID != "tendo-heel-pain" {
		t.Errorf("example 19 stored as %+v", f19)
	}
	code, body = w.do("GET", "/api/cds/feedback?outcome=overridden&limit=1", w.tokens["admin"], nil)
	if code != http.StatusOK || !strings.Contains(string(body), `"next"`) || strings.Count(string(body), `"card"`) != 1 {
		t.Errorf("a page of one: %d %s", code, body)
	}
	code, body = w.do("GET", "/api/cds/feedback", w.tokens["clinicianB"], nil)
	if code != http.StatusOK || strings.Contains(string(body), `"card"`) {
		t.Errorf("clinician B sees clinic A's feedback: %d %s", code, body)
	}
	code, body = w.do("GET", "/api/cds/feedback?clinic="+fmt.Sprint(w.client.ClinicID), w.tokens["clinicianB"], nil)
	if code != http.StatusForbidden {
		t.Errorf("clinician B asks for clinic A: %d %s", code, body)
	}
	code, body = w.do("GET", "/api/cds/feedback", w.tokens["clinicianA"], nil)
	if code != http.StatusOK || strings.Count(string(body), `"card"`) != 3 {
		t.Errorf("clinician A's list: %d %s", code, body)
	}
	code, body = w.do("GET", "/api/cds/feedback?limit=abc", w.tokens["admin"], nil)
	if code != http.StatusUnprocessableEntity || !strings.Contains(string(body), `"limit"`) {
		t.Errorf("a bad limit: %d %s", code, body)
	}
	if es := w.audit(tendo.ActionCDSFeedbackRead); len(es) < 4 {
		t.Errorf("%d cds.feedback.read entries", len(es))
	}
}

// TestCDSHooksRefusals: what is refused, with its status, and the
// refusals of a JWT audited.
func TestCDSHooksRefusals(t *testing.T) {
	t.Parallel()
	w := newCDSWorld(t)
	path := "/cds-services/tendo-heel-pain"
	aud := w.ts.URL + path
	ex := w.withFHIRServer(cdsExample(t, "02-hook-request-patient-view.json"))
	replayed := w.signed(cdsIssuer, aud, "once")
	if code, body := w.post(path, replayed, ex); code != http.StatusOK {
		t.Fatalf("first use: %d %s", code, body)
	}
	noPrefetch := []byte(`{"hook":"patient-view","hookInstance":"h-412","context":{"userId":"Practitioner/1","patientId":"1288992"}}`)
	for _, tc := range []struct {
		name   string
		bearer string
		body   []byte
		want   int
		field  string
	}{
		{"unknown iss", w.token("https://stranger.test", aud), ex, http.StatusUnauthorized, "iss"},
		{"no JWT", "", ex, http.StatusUnauthorized, "Authorization"},
		{"an API token instead of a JWT", w.tokens["admin"], ex, http.StatusUnauthorized, "Authorization"},
		{"aud of another service", w.token(cdsIssuer, w.ts.URL+"/cds-services/tendo-tendon-drug-risk"), ex, http.StatusUnauthorized, "aud"},
		{"aud with the request's host (not the public URL)", w.token(cdsIssuer, "http://evil.test/cds-services/tendo-heel-pain"), ex, http.StatusUnauthorized, "aud"},
		{"replayed jti", replayed, ex, http.StatusUnauthorized, "jti"},
		{"no prefetch and no fhirServer", w.token(cdsIssuer, aud), noPrefetch, http.StatusPreconditionFailed, "prefetch.patient"},
		{"fhirServer not allowed", w.token(cdsIssuer, aud), cdsExample(t, "02-hook-request-patient-view.json"), http.StatusPreconditionFailed, "prefetch.patient"},
		{"a patient id the audit log cannot keep", w.token(cdsIssuer, aud), bytes.Replace(ex, []byte(`"1288992"`), []byte(`"12 88992"`), 1), http.StatusBadRequest, "context.patientId"},
	} {
		before := len(w.audit(tendo.ActionDenied))
		code, body := w.post(path, tc.bearer, tc.body)
		if code != tc.want || !strings.Contains(string(body), `"field":"`+tc.field+`"`) {
			t.Errorf("%s: %d %s, want %d naming %s", tc.name, code, body, tc.want, tc.field)
		}
		if tc.want == http.StatusUnauthorized && len(w.audit(tendo.ActionDenied)) != before+1 {
			t.Errorf("%s: the refusal is not audited", tc.name)
		}
	}
	// The answered call and the three refusals of the verified client
	// are recorded as the client; the 401s as denials above.
	calls := w.audit(tendo.ActionCDSCall)
	if len(calls) != 4 {
		t.Fatalf("%d cds.call entries, want 4: %+v", len(calls), calls)
	}
	for i, want := range []string{"refused 400", "refused 412", "refused 412"} {
		if e := calls[i]; e.UserID != w.client.UserID || e.Detail != want+": POST /cds-services/tendo-heel-pain" {
			t.Errorf("a refused call's entry %+v, want %q", e, want)
		}
	}
	if !strings.HasPrefix(calls[3].Detail, "service tendo-heel-pain, hookInstance ") {
		t.Errorf("the answered call's entry %+v", calls[3])
	}

	// The client's JWT opens nothing else.
	if code, _ := w.do("GET", "/api/patients", w.token(cdsIssuer, aud), nil); code != http.StatusUnauthorized {
		t.Errorf("the CDS client's JWT on /api/patients: %d", code)
	}

	// A disabled client is refused at once; enabled again, it is served.
	if _, err := w.srv.Clinic().SetCDSClientDisabled(tendo.SystemContext(context.Background(), "test"), w.client.ID, true); err != nil {
		t.Fatal(err)
	}
	if code, body := w.post(path, w.token(cdsIssuer, aud), ex); code != http.StatusUnauthorized {
		t.Errorf("disabled client: %d %s", code, body)
	}
	if _, err := w.srv.Clinic().SetCDSClientDisabled(tendo.SystemContext(context.Background(), "test"), w.client.ID, false); err != nil {
		t.Fatal(err)
	}
	if code, body := w.post(path, w.token(cdsIssuer, aud), ex); code != http.StatusOK {
		t.Errorf("enabled again: %d %s", code, body)
	}
	// Discovery needs no token.
	if code, body := w.do("GET", "/cds-services", "", nil); code != http.StatusOK || !strings.Contains(string(body), `"tendo-heel-pain"`) || !strings.Contains(string(body), `"tendo-tendon-drug-risk"`) {
		t.Errorf("discovery: %d %s", code, body)
	}
}

// TestCDSHooksNotEnabled: without EnableCDS the routes answer 404.
func TestCDSHooksNotEnabled(t *testing.T) {
	t.Parallel()
	store, err := sqlstore.OpenSQLite(context.Background(), ":memory:")
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	srv, err := web.New(store, engine(t), nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, bad := range []string{"", "tendo.example", "ftp://tendo.example", "https://user:pw@tendo.example", "https://tendo.example/?q=1"} {
		if err := srv.EnableCDS(web.CDSOptions{PublicURL: bad}); err == nil {
			t.Errorf("EnableCDS accepts the public URL %q", bad)
		}
	}
	rec := httptest.NewRecorder()
	srv.ServeHTTP(rec, httptest.NewRequest("GET", "/cds-services", nil))
	if rec.Code != http.StatusNotFound {
		t.Errorf("discovery without EnableCDS: %d", rec.Code)
	}
}

// TestCDSClientCannotLogIn: the CDS client's user of the authorization
// matrix's app (its password hash is the test password's) cannot log in
// with the right password, and the token planted for it in the store
// opens no API route.
func TestCDSClientCannotLogIn(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	u := a.users["cdsClient"]
	if u.Role != tendo.RoleCDSClient {
		t.Fatalf("the app's CDS client user has the role %q", u.Role)
	}
	br := a.login("")
	code, body, loc := br.post("/login", url.Values{"email": {u.Email}, "password": {testPassword}})
	if code != http.StatusUnauthorized || loc != "" {
		t.Errorf("the CDS client's login: %d → %q", code, loc)
	}
	if !strings.Contains(body, "wrong") {
		t.Errorf("the refusal does not read as any wrong login: %.200s", body)
	}
	if code, _, loc := br.get("/"); code != http.StatusSeeOther || !strings.HasPrefix(loc, "/login") {
		t.Errorf("after the refused login, home: %d → %q", code, loc)
	}
	for _, path := range []string{"/api/me", "/api/patients", "/api/cds/feedback"} {
		if code, _ := a.api("cdsClient", "GET", path, nil); code != http.StatusUnauthorized {
			t.Errorf("the planted token on %s: %d", path, code)
		}
	}
	es, err := a.store.AuditLog(t.Context(), tendo.AuditFilter{Action: tendo.ActionLoginFailure, Limit: 10})
	if err != nil || len(es) == 0 || !strings.Contains(es[0].Detail, "CDS client") {
		t.Errorf("the refused login's audit: %+v %v", es, err)
	}
}

// caseRequest is a patient-view call whose prefetch holds a public case
// as fhirmap writes it: the Patient (born so as to have the case's age
// on the world's date), the case's findings as Observations and its
// questionnaires as QuestionnaireResponses.
func caseRequest(t testing.TB, name string) []byte {
	t.Helper()
	return caseRequestBorn(t, name, 0)
}

// caseRequestBorn is caseRequest with the patient born in the given year
// (0: the year the case's age gives), which makes the assessment another
// one: the benchmark's "new chart" calls.
func caseRequestBorn(t testing.TB, name string, born int) []byte {
	t.Helper()
	a, err := intake.Parse(caseJSON(t, name))
	if err != nil {
		t.Fatal(err)
	}
	if born != 0 {
		age := 2026 - born
		a.Patient.AgeYears = &age
	}
	subject := fhir.Reference{Reference: "Patient/p1"}
	obs, err := fhirmap.Observations(a, subject, a.Date)
	if err != nil {
		t.Fatal(err)
	}
	_, qrs, err := fhirmap.PROMResponses(a, subject, a.Date)
	if err != nil {
		t.Fatal(err)
	}
	search := func(rs []fhir.Resource) json.RawMessage {
		entries := make([]map[string]any, len(rs))
		for i, r := range rs {
			b, err := fhir.Marshal(r)
			if err != nil {
				t.Fatal(err)
			}
			entries[i] = map[string]any{"resource": json.RawMessage(b)}
		}
		m := map[string]any{"resourceType": "Bundle", "type": "searchset"}
		if len(entries) > 0 { // FHIR has no empty arrays
			m["entry"] = entries
		}
		b, _ := json.Marshal(m)
		return b
	}
	var ors, qrr []fhir.Resource
	for _, o := range obs {
		ors = append(ors, o)
	}
	for _, q := range qrs {
		qrr = append(qrr, q)
	}
	birth := fmt.Sprint(2026 - *a.Patient.AgeYears)
	req, err := json.Marshal(map[string]any{
		"hook": "patient-view", "hookInstance": "5d7e1a2b-0000-4000-8000-000000000001",
		"context": map[string]any{"userId": "Practitioner/example", "patientId": "p1"},
		"prefetch": map[string]any{
			"patient":                json.RawMessage(`{"resourceType":"Patient","id":"p1","birthDate":"` + birth + `-01-01"}`),
			"observations":           search(ors),
			"questionnaireResponses": search(qrr),
			"conditions":             json.RawMessage(`{"resourceType":"Bundle","type":"searchset"}`),
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	return req
}

// BenchmarkCDSPatientViewServed sends b.N patient-view calls over
// loopback to the whole server (tendo serve's handler: JWT, fhirmap, the
// clinic's engine with its slots, the audit entry written to a SQLite
// file), paced at 50 a second (open loop: each call leaves on its tick
// whether or not the earlier ones have returned), and reports the 50th
// and 99th percentile latency in ms of the calls answered 200, and how
// many were refused 429 because every assessment slot was taken for
// AssessWait (the server's overload answer). The prefetch is a public
// case as fhirmap writes it. The clinic keeps its cache of results, as
// tendo serve does. "same-chart" sends runner-midportion every time (a
// chart reopened: after the first call, answered from the cache);
// "new-chart" makes every call another assessment (the public cases in
// turn, the patient's age changed), so each one runs the engine, with
// each of serve's --ranges: reference (the default), fast and off. Run it
// with a count that gives a few seconds of load:
//
//	go test ./web -run '^$' -bench CDSPatientViewServed -benchtime 250x
func BenchmarkCDSPatientViewServed(b *testing.B) {
	for _, bc := range []struct {
		name string
		opt  assess.Options
		// newChart: every call is another assessment (a patient of
		// another age, the public cases in turn), so none is answered
		// from the cache of results; otherwise every call is the same
		// chart reopened.
		newChart bool
	}{
		{"reference-ranges/same-chart", assess.DefaultOptions(), false},
		{"reference-ranges/new-chart", assess.DefaultOptions(), true},
		{"fast-ranges/new-chart", assess.Options{Ranges: true}, true},
		{"no-ranges/new-chart", assess.Options{}, true},
	} {
		b.Run(bc.name, func(b *testing.B) {
			eng, err := assess.NewWithOptions(bc.opt)
			if err != nil {
				b.Fatal(err)
			}
			w := newCDSWorldWith(b, eng)
			w.srv.Clinic().ResultCache = clinic.DefaultResultCache // as tendo serve
			benchServed(b, w, bc.newChart)
		})
	}
}

func benchServed(b *testing.B, w *cdsWorld, newChart bool) {
	body := caseRequest(b, "runner-midportion")
	bodies := make([][]byte, b.N)
	cases := []string{"runner-midportion", "mixed-kinetic-chain", "s1-mimic", "insertional-older", "rupture-after-ciprofloxacin", "cauda-equina"}
	for i := range bodies {
		bodies[i] = body
		if newChart { // ages 20–89, each case in turn: distinct for 420 calls
			bodies[i] = caseRequestBorn(b, cases[i%len(cases)], 2006-(i/len(cases))%70)
		}
	}
	path := "/cds-services/tendo-heel-pain"
	// One call first: the engine (its reference draws) and the
	// connections warm.
	if code, out := w.post(path, w.token(cdsIssuer, w.ts.URL+path), body); code != http.StatusOK {
		b.Fatalf("warm-up: %d %s", code, out)
	}
	tokens := make([]string, b.N)
	for i := range tokens {
		tokens[i] = w.token(cdsIssuer, w.ts.URL+path)
	}
	client := w.ts.Client()
	lat := make([]time.Duration, b.N)
	status := make([]int, b.N)
	errs := make([]string, b.N)
	done := make(chan struct{}, b.N)
	tick := time.NewTicker(time.Second / 50)
	defer tick.Stop()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if i > 0 {
			<-tick.C
		}
		go func(i int) {
			defer func() { done <- struct{}{} }()
			req, _ := http.NewRequest(http.MethodPost, w.ts.URL+path, bytes.NewReader(bodies[i]))
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("Authorization", "Bearer "+tokens[i])
			start := time.Now()
			resp, err := client.Do(req)
			if err != nil {
				errs[i] = err.Error()
				return
			}
			out, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			lat[i], status[i] = time.Since(start), resp.StatusCode
			if resp.StatusCode != http.StatusOK && resp.StatusCode != http.StatusTooManyRequests {
				errs[i] = resp.Status + " " + string(out)
			}
		}(i)
	}
	for range b.N {
		<-done
	}
	b.StopTimer()
	for i, e := range errs {
		if e != "" {
			b.Fatalf("call %d: %s", i, e)
		}
	}
	var ok []time.Duration
	for i, st := range status {
		if st == http.StatusOK {
			ok = append(ok, lat[i])
		}
	}
	// Every call is audited, the answered and the refused (429) alike,
	// and the warm-up call too.
	if n := len(w.audit(tendo.ActionCDSCall)); n != b.N+1 {
		b.Errorf("%d cds.call entries for %d calls", n, b.N+1)
	}
	b.ReportMetric(float64(b.N-len(ok)), "refused-429")
	b.ReportMetric(0, "ns/op")
	if len(ok) == 0 {
		return
	}
	slices.Sort(ok)
	q := func(p float64) float64 {
		return float64(ok[min(len(ok)-1, int(p*float64(len(ok))))]) / float64(time.Millisecond)
	}
	b.ReportMetric(q(0.50), "p50-ms")
	b.ReportMetric(q(0.99), "p99-ms")
}

// TestCDSHooksCrossOrigin: a browser-based CDS client's cross-origin
// call passes the server's cross-origin protection (the CDS routes use
// no cookie) and, from an allowed origin, gets CORS headers and its
// preflight answered; it still needs the JWT. The pages keep the
// protection.
func TestCDSHooksCrossOrigin(t *testing.T) {
	t.Parallel()
	w := newCDSWorld(t)
	if err := w.srv.EnableCDS(web.CDSOptions{PublicURL: w.ts.URL, AllowedOrigins: []string{"https://sandbox.test"}}); err != nil {
		t.Fatal(err)
	}
	path := "/cds-services/tendo-heel-pain"
	send := func(method, origin, bearer string, body []byte) *http.Response {
		t.Helper()
		req, err := http.NewRequest(method, w.ts.URL+path, bytes.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Origin", origin)
		req.Header.Set("Sec-Fetch-Site", "cross-site")
		req.Header.Set("Content-Type", "application/json")
		if method == http.MethodOptions {
			req.Header.Set("Access-Control-Request-Method", "POST")
		}
		if bearer != "" {
			req.Header.Set("Authorization", "Bearer "+bearer)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		return resp
	}
	ex := w.withFHIRServer(cdsExample(t, "02-hook-request-patient-view.json"))
	if resp := send(http.MethodOptions, "https://sandbox.test", "", nil); resp.StatusCode != http.StatusNoContent || resp.Header.Get("Access-Control-Allow-Origin") != "https://sandbox.test" {
		t.Errorf("preflight: %d %v", resp.StatusCode, resp.Header)
	}
	if resp := send(http.MethodPost, "https://sandbox.test", w.token(cdsIssuer, w.ts.URL+path), ex); resp.StatusCode != http.StatusOK || resp.Header.Get("Access-Control-Allow-Origin") != "https://sandbox.test" {
		t.Errorf("call from the allowed origin: %d %v", resp.StatusCode, resp.Header)
	}
	if resp := send(http.MethodPost, "https://sandbox.test", "", ex); resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("call from the allowed origin without a JWT: %d", resp.StatusCode)
	}
	if resp := send(http.MethodPost, "https://other.test", w.token(cdsIssuer, w.ts.URL+path), ex); resp.Header.Get("Access-Control-Allow-Origin") != "" {
		t.Errorf("another origin gets CORS: %v", resp.Header)
	}
	// The pages keep their cross-origin protection.
	req, _ := http.NewRequest(http.MethodPost, w.ts.URL+"/login", strings.NewReader("email=a%40a.test&password=x"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", "https://sandbox.test")
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("a cross-site login POST: %d, want 403", resp.StatusCode)
	}
}

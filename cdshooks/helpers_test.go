package cdshooks_test

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	jose "github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"

	"github.com/tendo-health/tendo"
	"github.com/tendo-health/tendo/assess"
	"github.com/tendo-health/tendo/cdshooks"
	"github.com/tendo-health/tendo/fhir"
	"github.com/tendo-health/tendo/intake"
	"github.com/tendo-health/tendo/internal/shared"
)

const (
	testBase = "https://tendo.example/cds-services"
	testISS  = "https://ehr.example.org/"
	testKID  = "test-kid"
	launch   = "https://tendo.example/smart/launch"
)

// now is the tests' pinned clock.
var now = time.Date(2026, 10, 12, 9, 30, 0, 0, time.UTC)

var (
	keyOnce sync.Once
	testKey *ecdsa.PrivateKey
)

func signingKey(tb testing.TB) *ecdsa.PrivateKey {
	tb.Helper()
	keyOnce.Do(func() {
		k, err := ecdsa.GenerateKey(elliptic.P384(), rand.Reader)
		if err != nil {
			panic(err)
		}
		testKey = k
	})
	return testKey
}

// publicJWKS is the JWK Set of the test client's key.
func publicJWKS(tb testing.TB) []byte {
	tb.Helper()
	ks := jose.JSONWebKeySet{Keys: []jose.JSONWebKey{{Key: &signingKey(tb).PublicKey, KeyID: testKID, Algorithm: "ES384", Use: "sig"}}}
	b, err := json.Marshal(ks)
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

var jtiSeq struct {
	sync.Mutex
	n int
}

func nextJTI() string {
	jtiSeq.Lock()
	defer jtiSeq.Unlock()
	jtiSeq.n++
	return "jti-" + itoa(jtiSeq.n)
}

func itoa(n int) string {
	b, _ := json.Marshal(n)
	return string(b)
}

// token signs a JWT for aud with the test key, issued at now, valid 5
// minutes, a fresh jti.
func token(tb testing.TB, aud string) string {
	tb.Helper()
	return signClaims(tb, jose.ES384, signingKey(tb), map[string]any{
		"iss": testISS, "aud": aud, "iat": now.Unix(), "exp": now.Add(5 * time.Minute).Unix(), "jti": nextJTI(),
	})
}

func signClaims(tb testing.TB, alg jose.SignatureAlgorithm, key any, claims map[string]any) string {
	tb.Helper()
	s, err := jose.NewSigner(jose.SigningKey{Algorithm: alg, Key: key},
		(&jose.SignerOptions{}).WithType("JWT").WithHeader("kid", testKID))
	if err != nil {
		tb.Fatal(err)
	}
	tok, err := jwt.Signed(s).Claims(claims).Serialize()
	if err != nil {
		tb.Fatal(err)
	}
	return tok
}

// engine is the real assessment engine, shared by the tests.
var (
	engineOnce sync.Once
	engine     *assess.Engine
	engineErr  error
)

func mustEngine(tb testing.TB) *assess.Engine {
	tb.Helper()
	engineOnce.Do(func() { engine, engineErr = assess.New() })
	if engineErr != nil {
		tb.Fatal(engineErr)
	}
	return engine
}

func loadCase(tb testing.TB, name string) *tendo.Assessment {
	tb.Helper()
	data, err := os.ReadFile(shared.Path(tb, "cases", name+".json"))
	if err != nil {
		tb.Fatal(err)
	}
	a, err := intake.Parse(data)
	if err != nil {
		tb.Fatalf("%s: %v", name, err)
	}
	return a
}

// fakeClinic stands in for the clinic service behind the ports. Its
// Assess runs the real engine on a public case chosen by the Patient
// resource's id (the mapping from FHIR to an assessment is fhirmap's, not
// this package's), and records what every port received.
type fakeClinic struct {
	tb     testing.TB
	cases  map[string]string // FHIR patient id → case name; others: runner-midportion
	mu     sync.Mutex
	got    [][]fhir.Resource // resources of each Assess call
	dates  []string
	called []string // "service hookInstance patient cards"
	fb     []cdshooks.Feedback
	// servers are FHIR servers the client may be read from, beside the
	// spec examples' two.
	servers   []string
	calledErr error
}

func (f *fakeClinic) Clients(_ context.Context, iss string) (*cdshooks.Client, error) {
	if iss != testISS {
		return nil, cdshooks.ErrUnknownClient
	}
	return &cdshooks.Client{
		Principal:   "client-1",
		JWKS:        publicJWKS(f.tb),
		FHIRServers: append([]string{"http://hooks.smarthealthit.org:9080", "http://fhir.example.org:9080"}, f.servers...),
	}, nil
}

var errAudit = errors.New("audit log unavailable")

func (f *fakeClinic) Assess(_ context.Context, principal any, rs []fhir.Resource, date string) (*tendo.Assessment, *tendo.Result, error) {
	if principal != "client-1" {
		f.tb.Errorf("Assess: principal %v, want client-1", principal)
	}
	f.mu.Lock()
	f.got = append(f.got, rs)
	f.dates = append(f.dates, date)
	f.mu.Unlock()
	name := "runner-midportion"
	for _, r := range rs {
		if p, ok := r.(*fhir.Patient); ok {
			if c, ok := f.cases[p.ID]; ok {
				name = c
			}
		}
	}
	a := loadCase(f.tb, name)
	res, err := mustEngine(f.tb).Assess(a)
	return a, res, err
}

func (f *fakeClinic) Feedback(_ context.Context, principal any, id string, fb []cdshooks.Feedback) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.fb = append(f.fb, fb...)
	return nil
}

func (f *fakeClinic) Called(_ context.Context, principal any, id, hookInstance, patient string, cards int) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.called = append(f.called, id+" "+hookInstance+" "+patient+" "+itoa(cards))
	return f.calledErr
}

// fakeFHIR answers FHIR reads and searches for any patient: the Patient
// (id from the path), empty search Bundles, and extra resources by type.
type fakeFHIR struct {
	mu       sync.Mutex
	requests []*http.Request
	extra    map[string][]string // resource type → resources (JSON) of its search Bundle
}

func (s *fakeFHIR) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	s.requests = append(s.requests, r.Clone(context.Background()))
	s.mu.Unlock()
	w.Header().Set("Content-Type", "application/fhir+json")
	parts := strings.Split(strings.Trim(r.URL.EscapedPath(), "/"), "/")
	last, _ := url.PathUnescape(parts[len(parts)-1])
	if len(parts) >= 2 && parts[len(parts)-2] == "Patient" {
		w.Write([]byte(`{"resourceType":"Patient","id":"` + last + `","gender":"female","birthDate":"1976-03-02"}`))
		return
	}
	var entries []string
	for _, e := range s.extra[last] {
		entries = append(entries, `{"resource":`+e+`}`)
	}
	b := `{"resourceType":"Bundle","type":"searchset","total":` + itoa(len(entries))
	if len(entries) > 0 {
		b += `,"entry":[` + strings.Join(entries, ",") + `]`
	}
	w.Write([]byte(b + "}"))
}

// routeTo is a RoundTripper that serves every request with h, so that the
// spec's example fhirServer URLs reach a fake server.
type routeTo struct{ h http.Handler }

func (rt routeTo) RoundTrip(r *http.Request) (*http.Response, error) {
	rec := httptest.NewRecorder()
	rt.h.ServeHTTP(rec, r)
	return rec.Result(), nil
}

type fixture struct {
	clinic *fakeClinic
	fhir   *fakeFHIR
	h      *cdshooks.Handler
	srv    *httptest.Server
}

func newFixture(tb testing.TB, mod ...func(*cdshooks.Config)) *fixture {
	tb.Helper()
	f := &fixture{
		clinic: &fakeClinic{tb: tb, cases: map[string]string{}},
		fhir:   &fakeFHIR{extra: map[string][]string{}},
	}
	n := 0
	var mu sync.Mutex
	cfg := cdshooks.Config{
		BaseURL:        testBase,
		SMARTLaunchURL: launch,
		Clock:          func() time.Time { return now },
		Clients:        f.clinic.Clients,
		Assess:         f.clinic.Assess,
		Feedback:       f.clinic.Feedback,
		Called:         f.clinic.Called,
		HTTPClient:     &http.Client{Transport: routeTo{f.fhir}},
		NewUUID: func() string {
			mu.Lock()
			defer mu.Unlock()
			n++
			return "00000000-0000-4000-8000-" + strings.Repeat("0", 12-len(itoa(n))) + itoa(n)
		},
	}
	for _, m := range mod {
		m(&cfg)
	}
	h, err := cdshooks.NewHandler(cfg)
	if err != nil {
		tb.Fatal(err)
	}
	f.h = h
	return f
}

// post sends body to path (under the handler's base) with a JWT for aud
// ("" = the path's URL) and returns the status and the body.
func (f *fixture) post(tb testing.TB, path string, body []byte, aud string) (int, []byte) {
	tb.Helper()
	if aud == "" {
		aud = testBase + path
	}
	r := httptest.NewRequest(http.MethodPost, "/cds-services"+path, bytes.NewReader(body))
	r.Header.Set("Content-Type", "application/json")
	r.Header.Set("Authorization", "Bearer "+token(tb, aud))
	w := httptest.NewRecorder()
	f.h.ServeHTTP(w, r)
	return w.Code, w.Body.Bytes()
}

func readExample(tb testing.TB, name string) []byte {
	tb.Helper()
	b, err := os.ReadFile(shared.Path(tb, "data", "fhir", "cds-hooks", "examples", name))
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

// checkCards decodes a hook response and checks every card by the spec's
// rules, independently of Card.Validate.
func checkCards(tb testing.TB, body []byte) []cdshooks.Card {
	tb.Helper()
	var raw struct {
		Cards []map[string]any `json:"cards"`
	}
	if err := json.Unmarshal(body, &raw); err != nil {
		tb.Fatalf("response: %v\n%s", err, body)
	}
	if raw.Cards == nil {
		tb.Fatalf("response has no cards array: %s", body)
	}
	for i, c := range raw.Cards {
		s, _ := c["summary"].(string)
		if n := len([]rune(s)); n == 0 || n >= 140 {
			tb.Errorf("card %d: summary of %d characters, want 1–139: %q", i, n, s)
		}
		switch c["indicator"] {
		case "info", "warning", "critical":
		default:
			tb.Errorf("card %d: indicator %v", i, c["indicator"])
		}
		src, _ := c["source"].(map[string]any)
		if l, _ := src["label"].(string); l != "tendo" {
			tb.Errorf("card %d: source.label %q, want tendo", i, l)
		}
		if u, _ := c["uuid"].(string); u == "" {
			tb.Errorf("card %d: no uuid", i)
		}
		if d, _ := c["detail"].(string); !strings.Contains(d, "clinical judgement") {
			tb.Errorf("card %d: detail has no disclaimer: %q", i, d)
		}
	}
	var resp cdshooks.Response
	if err := json.Unmarshal(body, &resp); err != nil {
		tb.Fatal(err)
	}
	for i := range resp.Cards {
		if err := resp.Cards[i].Validate(); err != nil {
			tb.Errorf("card %d: %v", i, err)
		}
	}
	return resp.Cards
}

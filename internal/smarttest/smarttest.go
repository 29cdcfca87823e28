// Package smarttest is a fake EHR for tests of the SMART App Launch: an
// httptest server that is at once a FHIR server (its
// .well-known/smart-configuration and one Patient) and an OAuth 2.0
// authorization server whose token endpoint really checks the PKCE
// code_verifier against the code_challenge its authorization endpoint
// received (S256, computed here with crypto/sha256, not with package
// smart). It imports the standard library only.
package smarttest

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sync"
	"testing"
)

// EHR is the fake EHR. Set its fields before the launch; read the
// recorded requests after it.
type EHR struct {
	Server *httptest.Server
	// ClientID is the client_id the EHR knows tendo by ("tendo-test").
	ClientID string
	// Methods is the configuration's code_challenge_methods_supported
	// (["S256"] by default; nil drops the member).
	Methods []string
	// PatientID is the patient in context; PatientJSON the Patient
	// resource served at /fhir/Patient/{PatientID}.
	PatientID   string
	PatientJSON string
	// PatientStatus, when set, is the status the Patient read answers
	// (with no resource), as a failing FHIR server would.
	PatientStatus int
	// NeedPatientBanner is sent as need_patient_banner unless nil.
	NeedPatientBanner *bool
	// AuthorizeError, when set, makes the authorization endpoint send the
	// browser back with error=AuthorizeError instead of a code.
	AuthorizeError string

	mu sync.Mutex
	// Authorize is the query of the last authorization request.
	Authorize url.Values
	// TokenRequests counts the token requests; VerifierFailures those
	// refused for a code_verifier that did not match.
	TokenRequests, VerifierFailures int
	// PatientReads counts the reads of the Patient with a valid token.
	PatientReads int
	grants       map[string]grant
	tokens       map[string]bool
}

type grant struct {
	challenge, redirect, clientID string
}

// New starts a fake EHR, closed when the test ends. Its patient is
// "smart-1", Alice Example, born 1981-04-12, MRN 12345.
func New(t testing.TB) *EHR {
	e := &EHR{
		ClientID: "tendo-test", Methods: []string{"S256"}, PatientID: "smart-1",
		PatientJSON: `{"resourceType":"Patient","id":"smart-1",` +
			`"identifier":[{"type":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/v2-0203","code":"MR"}]},"system":"urn:oid:1.2.36.146.595.217.0.1","value":"12345"}],` +
			`"name":[{"use":"official","family":"Example","given":["Alice"]}],"gender":"female","birthDate":"1981-04-12"}`,
		grants: map[string]grant{}, tokens: map[string]bool{},
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /fhir/.well-known/smart-configuration", e.configuration)
	mux.HandleFunc("GET /auth/authorize", e.authorize)
	mux.HandleFunc("POST /auth/token", e.token)
	mux.HandleFunc("GET /fhir/Patient/{id}", e.patient)
	e.Server = httptest.NewServer(mux)
	t.Cleanup(e.Server.Close)
	return e
}

// ISS is the EHR's FHIR base URL.
func (e *EHR) ISS() string { return e.Server.URL + "/fhir" }

// Counts returns the token requests, the verifier failures and the
// patient reads so far.
func (e *EHR) Counts() (tokens, verifierFailures, patientReads int) {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.TokenRequests, e.VerifierFailures, e.PatientReads
}

// LastAuthorize returns the query of the last authorization request.
func (e *EHR) LastAuthorize() url.Values {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.Authorize
}

func (e *EHR) configuration(w http.ResponseWriter, r *http.Request) {
	c := map[string]any{
		"authorization_endpoint":   e.Server.URL + "/auth/authorize",
		"token_endpoint":           e.Server.URL + "/auth/token",
		"capabilities":             []string{"launch-ehr", "client-public", "context-ehr-patient", "context-passthrough-banner", "permission-v2"},
		"scopes_supported":         []string{"openid", "fhirUser", "launch", "patient/*.read", "patient/*.rs"},
		"response_types_supported": []string{"code"},
	}
	if e.Methods != nil {
		c["code_challenge_methods_supported"] = e.Methods
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(c)
}

func random() string {
	b := make([]byte, 24)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// authorize checks the request as an EHR would and sends the browser
// back to redirect_uri with a code and the state.
func (e *EHR) authorize(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	e.mu.Lock()
	e.Authorize = q
	e.mu.Unlock()
	switch {
	case q.Get("response_type") != "code", q.Get("client_id") != e.ClientID, q.Get("aud") != e.ISS(),
		q.Get("launch") == "", q.Get("redirect_uri") == "", q.Get("state") == "":
		http.Error(w, "bad authorization request", http.StatusBadRequest)
		return
	case q.Get("code_challenge_method") != "S256" || len(q.Get("code_challenge")) != 43:
		http.Error(w, "PKCE S256 required", http.StatusBadRequest)
		return
	}
	back, err := url.Parse(q.Get("redirect_uri"))
	if err != nil {
		http.Error(w, "bad redirect_uri", http.StatusBadRequest)
		return
	}
	v := url.Values{"state": {q.Get("state")}}
	if e.AuthorizeError != "" {
		v.Set("error", e.AuthorizeError)
		v.Set("error_description", "The user declined the request.")
	} else {
		code := random()
		e.mu.Lock()
		e.grants[code] = grant{challenge: q.Get("code_challenge"), redirect: q.Get("redirect_uri"), clientID: q.Get("client_id")}
		e.mu.Unlock()
		v.Set("code", code)
	}
	back.RawQuery = v.Encode()
	http.Redirect(w, r, back.String(), http.StatusFound)
}

// token exchanges a code, once, for a token: the code_verifier's
// BASE64URL(SHA256()) must equal the code_challenge.
func (e *EHR) token(w http.ResponseWriter, r *http.Request) {
	fail := func(code string) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusBadRequest)
		_ = json.NewEncoder(w).Encode(map[string]string{"error": code})
	}
	if err := r.ParseForm(); err != nil {
		fail("invalid_request")
		return
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	e.TokenRequests++
	code := r.PostForm.Get("code")
	g, ok := e.grants[code]
	delete(e.grants, code) // a code is used once
	switch {
	case r.PostForm.Get("grant_type") != "authorization_code":
		fail("unsupported_grant_type")
		return
	case !ok || r.PostForm.Get("redirect_uri") != g.redirect || r.PostForm.Get("client_id") != g.clientID:
		fail("invalid_grant")
		return
	}
	sum := sha256.Sum256([]byte(r.PostForm.Get("code_verifier")))
	if subtle.ConstantTimeCompare([]byte(base64.RawURLEncoding.EncodeToString(sum[:])), []byte(g.challenge)) != 1 {
		e.VerifierFailures++
		fail("invalid_grant")
		return
	}
	access := random()
	e.tokens[access] = true
	resp := map[string]any{
		"access_token": access, "token_type": "Bearer", "expires_in": 3600,
		"scope": "launch openid fhirUser patient/*.read", "patient": e.PatientID, "encounter": "enc-1",
		"id_token": "not.a.verified.token",
	}
	if e.NeedPatientBanner != nil {
		resp["need_patient_banner"] = *e.NeedPatientBanner
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	_ = json.NewEncoder(w).Encode(resp)
}

func (e *EHR) patient(w http.ResponseWriter, r *http.Request) {
	tok, ok := cutBearer(r.Header.Get("Authorization"))
	e.mu.Lock()
	valid := ok && e.tokens[tok]
	if valid {
		e.PatientReads++
	}
	e.mu.Unlock()
	if !valid {
		http.Error(w, "unauthorized", http.StatusUnauthorized)
		return
	}
	if e.PatientStatus != 0 {
		http.Error(w, "unavailable", e.PatientStatus)
		return
	}
	if r.PathValue("id") != e.PatientID {
		http.Error(w, "not found", http.StatusNotFound)
		return
	}
	w.Header().Set("Content-Type", "application/fhir+json")
	_, _ = w.Write([]byte(e.PatientJSON))
}

func cutBearer(h string) (string, bool) {
	const p = "Bearer "
	if len(h) <= len(p) || h[:len(p)] != p {
		return "", false
	}
	return h[len(p):], true
}

// AccessTokens returns the access tokens the EHR has issued.
func (e *EHR) AccessTokens() []string {
	e.mu.Lock()
	defer e.mu.Unlock()
	var ts []string
	for t := range e.tokens {
		ts = append(ts, t)
	}
	return ts
}

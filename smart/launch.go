package smart

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"net/http"
	"strings"
	"sync"
	"time"

	"golang.org/x/oauth2"

	"github.com/tendo-health/tendo"
)

// DefaultScopes is what tendo asks an EHR for: the launch context, the
// user's identity, and read access to the patient in context (SMART v1
// syntax patient/*.read; an EHR on v2 only takes patient/*.rs, which an
// Issuer's Scopes can name instead).
var DefaultScopes = []string{"launch", "openid", "fhirUser", "patient/*.read"}

// Limits of the launches in flight.
const (
	// StateTTL is how long a launch may take between tendo's redirect to
	// the authorization endpoint and the browser's return.
	StateTTL = 10 * time.Minute
	// DefaultMaxPending bounds the launches in flight at once (see
	// Launcher.MaxPending).
	DefaultMaxPending = 10000
	// MaxLaunchLength bounds the EHR's launch parameter, in bytes.
	MaxLaunchLength = 4096
	// MaxCodeLength bounds the authorization code, in bytes.
	MaxCodeLength = 8192
)

// Issuer is one EHR tendo accepts launches from: its FHIR base URL (the
// iss of a launch), the clinic whose patients its launches open, and
// tendo's registration with it.
type Issuer struct {
	// ISS is the EHR's FHIR base URL, compared without a trailing slash.
	ISS string
	// ClinicID is the tendo clinic the EHR's patients belong to.
	ClinicID int64
	// ClientID is tendo's client_id at the EHR; ClientSecret is empty
	// for a public client (PKCE alone) and set for a confidential one
	// (sent with HTTP Basic authentication).
	ClientID     string
	ClientSecret string
	// Scopes are the scopes asked for; nil is DefaultScopes.
	Scopes []string
	// RedirectURL is tendo's callback as registered with the EHR
	// (https://tendo.example/smart/callback).
	RedirectURL string
}

// Launcher runs EHR launches for the EHRs of its allow-list. Set its
// fields before the first call; it is then safe for concurrent use.
type Launcher struct {
	// Issuers is the allow-list; a launch from any other iss is refused.
	Issuers []Issuer
	// HTTPClient makes discovery, token and FHIR requests (nil: a client
	// with a 10 s timeout).
	HTTPClient *http.Client
	// Now is the clock (nil: time.Now).
	Now func() time.Time
	// MaxPending bounds the launches in flight (0: DefaultMaxPending);
	// beyond it a new launch is ETOOMANY until older ones expire.
	MaxPending int

	mu      sync.Mutex
	pending map[string]pending // by the SHA-256 of the state
}

// pending is a launch in flight, known by its state.
type pending struct {
	iss      string
	browser  [32]byte // SHA-256 of the browser binding
	verifier string
	config   *Configuration
	expires  time.Time
}

var defaultClient = &http.Client{Timeout: 10 * time.Second}

func (l *Launcher) client() *http.Client {
	if l.HTTPClient != nil {
		return l.HTTPClient
	}
	return defaultClient
}

func (l *Launcher) now() time.Time {
	if l.Now != nil {
		return l.Now()
	}
	return time.Now()
}

// Issuer returns the allow-list's entry for iss, EINVALID (Field "iss")
// for an iss not on it.
func (l *Launcher) Issuer(iss string) (Issuer, error) {
	n := NormalizeISS(iss)
	if n == "" {
		return Issuer{}, invalid("iss", "is missing: open tendo from your EHR")
	}
	if len(n) > MaxISSLength {
		return Issuer{}, invalid("iss", "is longer than %d bytes", MaxISSLength)
	}
	for _, is := range l.Issuers {
		if NormalizeISS(is.ISS) == n {
			return is, nil
		}
	}
	return Issuer{}, invalid("iss", "%q is not an EHR tendo is registered with", n)
}

func (is Issuer) oauth(c *Configuration) *oauth2.Config {
	scopes := is.Scopes
	if len(scopes) == 0 {
		scopes = DefaultScopes
	}
	style := oauth2.AuthStyleInParams // a public client sends its client_id in the body
	if is.ClientSecret != "" {
		style = oauth2.AuthStyleInHeader
	}
	return &oauth2.Config{
		ClientID: is.ClientID, ClientSecret: is.ClientSecret, RedirectURL: is.RedirectURL, Scopes: scopes,
		Endpoint: oauth2.Endpoint{AuthURL: c.AuthorizationEndpoint, TokenURL: c.TokenEndpoint, AuthStyle: style},
	}
}

// Begin starts a launch: it checks iss against the allow-list, reads
// and checks the EHR's configuration, and returns the authorization URL
// to send the browser to and the state it carries. browser binds the
// launch to the browser (the value of a cookie the caller set, with
// whatever else it wants to bind, such as its session): Complete
// refuses a state presented with another binding. launch is the EHR's
// launch handle, passed on as is.
func (l *Launcher) Begin(ctx context.Context, iss, launch, browser string) (authURL, state string, err error) {
	is, err := l.Issuer(iss)
	if err != nil {
		return "", "", err
	}
	switch {
	case launch == "":
		return "", "", invalid("launch", "is missing: tendo supports the EHR launch, opened from the EHR")
	case len(launch) > MaxLaunchLength:
		return "", "", invalid("launch", "is longer than %d bytes", MaxLaunchLength)
	case browser == "":
		return "", "", invalid("browser", "the launch is not bound to a browser")
	}
	c, err := Discover(ctx, l.client(), is.ISS)
	if err != nil {
		return "", "", err
	}
	state = randomState()
	verifier := NewVerifier()
	aud := NormalizeISS(is.ISS)
	u := is.oauth(c).AuthCodeURL(state,
		oauth2.SetAuthURLParam("aud", aud),
		oauth2.SetAuthURLParam("launch", launch),
		oauth2.S256ChallengeOption(verifier))

	now := l.now()
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.pending == nil {
		l.pending = map[string]pending{}
	}
	limit := l.MaxPending
	if limit <= 0 {
		limit = DefaultMaxPending
	}
	if len(l.pending) >= limit {
		for k, p := range l.pending {
			if !now.Before(p.expires) {
				delete(l.pending, k)
			}
		}
		if len(l.pending) >= limit {
			return "", "", tendo.Errorf(tendo.ETOOMANY, "Too many EHR launches are in progress; try again in a few minutes.")
		}
	}
	// Only the endpoints are kept (each at most MaxISSLength bytes), so
	// that MaxPending launches take a few tens of MiB at most.
	ends := &Configuration{AuthorizationEndpoint: c.AuthorizationEndpoint, TokenEndpoint: c.TokenEndpoint}
	l.pending[stateKey(state)] = pending{iss: aud, browser: sha256.Sum256([]byte(browser)), verifier: verifier, config: ends, expires: now.Add(StateTTL)}
	return u, state, nil
}

// randomState is 32 random bytes, base64url.
func randomState() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

func stateKey(state string) string {
	sum := sha256.Sum256([]byte(state))
	return string(sum[:])
}

// Context is the launch context an EHR's token response carries, and the
// token itself. The token stays on the server: it is never written into
// a page.
type Context struct {
	// ISS is the EHR (normalised) and ClinicID the clinic of its Issuer.
	ISS      string
	ClinicID int64
	// Patient is the FHIR id of the patient in context; Encounter the
	// encounter's, if any.
	Patient   string
	Encounter string
	// NeedPatientBanner is the EHR's need_patient_banner: false when the
	// EHR shows the patient's banner itself; nil when it did not say
	// (tendo then shows its own).
	NeedPatientBanner *bool
	SmartStyleURL     string
	// IDToken is the OpenID Connect ID token when openid was granted
	// (not verified by tendo, which does not use its claims).
	IDToken string
	Scope   string
	Token   *oauth2.Token
}

// ShowBanner reports whether tendo shows its own patient banner: unless
// the EHR said need_patient_banner false.
func (c *Context) ShowBanner() bool { return c.NeedPatientBanner == nil || *c.NeedPatientBanner }

// Complete ends a launch when the browser comes back: it checks the
// state (known, unexpired, presented by the browser that began it, used
// once: a state is forgotten at its first presentation, whatever the
// outcome), exchanges the code with the PKCE verifier, and reads the
// launch context. Errors are *tendo.Error, EINVALID naming the field
// ("state", "code", "patient", "need_patient_banner", or the token
// response), or EINTERNAL when the token endpoint fails.
func (l *Launcher) Complete(ctx context.Context, state, code, browser string) (*Context, error) {
	if state == "" {
		return nil, invalid("state", "is missing")
	}
	if len(state) > 256 {
		return nil, invalid("state", "is not one tendo issued")
	}
	now := l.now()
	l.mu.Lock()
	p, ok := l.pending[stateKey(state)]
	delete(l.pending, stateKey(state))
	l.mu.Unlock()
	switch {
	case !ok:
		return nil, invalid("state", "does not match a launch in progress (used already, or never issued): open tendo from your EHR again")
	case !now.Before(p.expires):
		return nil, invalid("state", "has expired (a launch must finish within %v): open tendo from your EHR again", StateTTL)
	}
	if b := sha256.Sum256([]byte(browser)); subtle.ConstantTimeCompare(b[:], p.browser[:]) != 1 {
		return nil, invalid("state", "was issued to another browser or session")
	}
	is, err := l.Issuer(p.iss)
	if err != nil {
		return nil, err // the allow-list changed under the launch
	}
	switch {
	case code == "":
		return nil, invalid("code", "is missing")
	case len(code) > MaxCodeLength:
		return nil, invalid("code", "is longer than %d bytes", MaxCodeLength)
	}
	ctx = context.WithValue(ctx, oauth2.HTTPClient, l.client())
	tok, err := is.oauth(p.config).Exchange(ctx, code, oauth2.VerifierOption(p.verifier))
	if err != nil {
		var re *oauth2.RetrieveError
		if errors.As(err, &re) && re.ErrorCode != "" {
			msg := re.ErrorCode
			if re.ErrorDescription != "" {
				msg += ": " + re.ErrorDescription
			}
			return nil, tendo.Errorf(tendo.EINVALID, "The EHR refused the token request (%s).", clip(msg, 300))
		}
		return nil, tendo.Errorf(tendo.EINTERNAL, "The EHR's token request failed: %v", err)
	}
	if tt := tok.Type(); !strings.EqualFold(tt, "Bearer") {
		return nil, invalid("token_type", "is %q, not Bearer", clip(tt, 40))
	}
	c := &Context{ISS: p.iss, ClinicID: is.ClinicID, Token: tok}
	var errs error
	c.Patient, errs = extraString(tok, "patient")
	if errs != nil {
		return nil, errs
	}
	if c.Patient == "" {
		return nil, invalid("patient", "is missing from the token response: the EHR did not say which patient is open")
	}
	if !ValidID(c.Patient) {
		return nil, invalid("patient", "%q is not a FHIR id", clip(c.Patient, 80))
	}
	for name, dst := range map[string]*string{"encounter": &c.Encounter, "smart_style_url": &c.SmartStyleURL, "id_token": &c.IDToken, "scope": &c.Scope} {
		if *dst, err = extraString(tok, name); err != nil {
			return nil, err
		}
	}
	switch v := tok.Extra("need_patient_banner").(type) {
	case nil:
	case bool:
		c.NeedPatientBanner = &v
	default:
		return nil, invalid("need_patient_banner", "is not true or false")
	}
	return c, nil
}

// extraString reads a string member of the token response ("" when it is
// absent), EINVALID when it is of another JSON type.
func extraString(tok *oauth2.Token, name string) (string, error) {
	switch v := tok.Extra(name).(type) {
	case nil:
		return "", nil
	case string:
		return v, nil
	}
	return "", invalid(name, "is not a string")
}

// ValidID reports whether id is a FHIR id: 1 to 64 of A–Z a–z 0–9 - .
func ValidID(id string) bool {
	if id == "" || len(id) > 64 {
		return false
	}
	for i := 0; i < len(id); i++ {
		c := id[i]
		if !('A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-' || c == '.') {
			return false
		}
	}
	return true
}

// clip shortens s to at most n bytes of valid UTF-8.
func clip(s string, n int) string {
	if len(s) > n {
		s = s[:n]
	}
	return strings.ToValidUTF8(s, "")
}

// Forget drops a launch in flight (the authorization server answered
// with an error): its state can no longer complete.
func (l *Launcher) Forget(state string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	delete(l.pending, stateKey(state))
}

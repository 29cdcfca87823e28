package cdshooks

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/tendo-health/tendo"
	"github.com/tendo-health/tendo/fhir"
)

// Client is a CDS Client on the allow-list, as the Clients port returns it
// for a JWT's iss.
type Client struct {
	// Principal is opaque to the package and handed back to the ports
	// (Assess, Feedback, Called) so that they act as this client.
	Principal any
	// JWKS is the client's JWK Set (JSON, RFC 7517) configured out of
	// band; nil when the client names its keys only by jku.
	JWKS []byte
	// JKU lists the JWK Set URLs the client may name in a JWT's jku
	// header; a jku not listed here is refused. Compared exactly.
	JKU []string
	// FHIRServers lists the base URLs of the FHIR servers the service may
	// fetch from for this client (a request's fhirServer must equal one,
	// trailing slash aside). Empty: never fetch.
	FHIRServers []string
}

// ErrUnknownClient is what the Clients port returns for an iss that is not
// on the allow-list.
var ErrUnknownClient = errors.New("cdshooks: unknown CDS client")

// Config holds the handler's settings and ports. BaseURL, Clients and
// Assess are required.
type Config struct {
	// BaseURL is the absolute URL of the discovery endpoint, as clients
	// call it ("https://tendo.example/cds-services"). The handler serves
	// the paths under BaseURL's path, and a JWT's aud must equal
	// BaseURL+"/"+serviceID (for feedback, that or the feedback URL).
	BaseURL string
	// SMARTLaunchURL is tendo's SMART App Launch URL, the target of the
	// cards' smart links ("https://tendo.example/smart/launch"); empty: no
	// link.
	SMARTLaunchURL string
	// Clock returns the current time (JWT checks, the assessment's date);
	// nil means time.Now.
	Clock func() time.Time
	// Clients returns the configuration of the client whose JWT names
	// iss, or ErrUnknownClient.
	Clients func(ctx context.Context, iss string) (*Client, error)
	// Assess maps the patient's FHIR resources (the prefetch, search
	// Bundles flattened, OperationOutcomes left out) to an assessment
	// dated date (YYYY-MM-DD) and assesses it.
	Assess func(ctx context.Context, principal any, resources []fhir.Resource, date string) (*tendo.Assessment, *tendo.Result, error)
	// Feedback stores a feedback call's items for safety review; nil
	// answers the feedback endpoint 404.
	Feedback func(ctx context.Context, principal any, serviceID string, fb []Feedback) error
	// Called audits a hook call that was answered: the service, the
	// client's hookInstance, the patient's FHIR id and how many cards were
	// returned. An error fails the call (500): no answer goes unaudited.
	Called func(ctx context.Context, principal any, serviceID, hookInstance, patientID string, cards int) error
	// HTTPClient fetches FHIR resources and JWK Sets; nil means a client
	// with FetchTimeout. Redirects are never followed.
	HTTPClient *http.Client
	// FetchTimeout bounds each fetch; 0 means 5 s.
	FetchTimeout time.Duration
	// Leeway is the clock skew allowed on exp, iat and nbf; 0 means 30 s.
	Leeway time.Duration
	// MaxTokenLifetime refuses a JWT whose exp is further than this from
	// now, so a replayed jti is remembered as long as its token lives;
	// 0 means 1 h.
	MaxTokenLifetime time.Duration
	// ReplayCacheSize bounds the jti cache; 0 means 100,000 entries.
	ReplayCacheSize int
	// NewUUID makes card and suggestion ids; nil uses crypto/rand.
	NewUUID func() string
	// AllowedOrigins lists the web origins ("https://sandbox.cds-hooks.org")
	// whose browser-based CDS Clients may call the service (CORS): their
	// preflight (OPTIONS) is answered and their calls get
	// Access-Control-Allow-Origin. Compared exactly; empty: no CORS. The
	// JWT is required all the same.
	AllowedOrigins []string
}

// Handler serves the CDS Hooks endpoints:
//
//	GET  {base}                 discovery
//	POST {base}/{id}            a hook call
//	POST {base}/{id}/feedback   feedback on the cards
//
// where {base} is BaseURL's path. Errors are JSON {"error": …, "field": …}
// with the status: 400 (a bad request, naming the field), 401 (no or a bad
// JWT), 404, 405, 412 (prefetch missing and the FHIR server not reachable),
// 413 (body too large), 500.
type Handler struct {
	cfg      Config
	base     *url.URL
	path     string // BaseURL's path without a trailing slash
	verifier *Verifier
	fetcher  *fetcher
	services []*service
}

// NewHandler checks cfg and makes the handler.
func NewHandler(cfg Config) (*Handler, error) {
	if cfg.Clients == nil || cfg.Assess == nil {
		return nil, errors.New("cdshooks: Config needs Clients and Assess")
	}
	u, err := url.Parse(cfg.BaseURL)
	if err != nil || !u.IsAbs() || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
		return nil, fmt.Errorf("cdshooks: BaseURL %q is not an absolute URL", cfg.BaseURL)
	}
	cfg.BaseURL = strings.TrimSuffix(cfg.BaseURL, "/")
	if cfg.Clock == nil {
		cfg.Clock = time.Now
	}
	if cfg.FetchTimeout <= 0 {
		cfg.FetchTimeout = 5 * time.Second
	}
	if cfg.NewUUID == nil {
		cfg.NewUUID = newUUID
	}
	hc := noRedirects(cfg.HTTPClient, cfg.FetchTimeout)
	h := &Handler{
		cfg:  cfg,
		base: u,
		path: strings.TrimSuffix(u.Path, "/"),
		verifier: &Verifier{
			Clients:          cfg.Clients,
			Clock:            cfg.Clock,
			HTTPClient:       hc,
			Leeway:           cfg.Leeway,
			MaxTokenLifetime: cfg.MaxTokenLifetime,
			ReplayCacheSize:  cfg.ReplayCacheSize,
		},
		fetcher: &fetcher{client: hc},
	}
	h.services = []*service{patientViewService(), orderSelectService()}
	return h, nil
}

// noRedirects returns a copy of c (or a new client) that never follows a
// redirect, with timeout when c has none.
func noRedirects(c *http.Client, timeout time.Duration) *http.Client {
	var n http.Client
	if c != nil {
		n = *c
	}
	if n.Timeout == 0 {
		n.Timeout = timeout
	}
	n.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	return &n
}

// Discovery returns the services tendo offers, with their prefetch
// templates.
func (h *Handler) Discovery() Discovery {
	d := Discovery{Services: make([]Service, len(h.services))}
	for i, s := range h.services {
		d.Services[i] = s.Service
	}
	return d
}

// ServeHTTP routes a request (see Handler).
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if h.cors(w, r) {
		return
	}
	rest, ok := strings.CutPrefix(r.URL.Path, h.path)
	if !ok || (rest != "" && rest[0] != '/') {
		writeError(w, &Error{Status: http.StatusNotFound, Msg: "no such endpoint"})
		return
	}
	rest = strings.Trim(rest, "/")
	parts := strings.Split(rest, "/")
	switch {
	case rest == "":
		if r.Method != http.MethodGet {
			writeMethod(w, http.MethodGet)
			return
		}
		writeJSON(w, http.StatusOK, h.Discovery())
	case len(parts) == 1 || (len(parts) == 2 && parts[1] == "feedback"):
		s := h.service(parts[0])
		if s == nil {
			writeError(w, &Error{Status: http.StatusNotFound, Msg: "no CDS service " + strconvQuote(parts[0])})
			return
		}
		if r.Method != http.MethodPost {
			writeMethod(w, http.MethodPost)
			return
		}
		if len(parts) == 2 {
			h.serveFeedback(w, r, s)
			return
		}
		h.serveHook(w, r, s)
	default:
		writeError(w, &Error{Status: http.StatusNotFound, Msg: "no such endpoint"})
	}
}

// cors adds the CORS headers for an allowed Origin and answers its
// preflight; it reports whether the request was answered.
func (h *Handler) cors(w http.ResponseWriter, r *http.Request) bool {
	origin := r.Header.Get("Origin")
	if origin == "" {
		return false
	}
	w.Header().Add("Vary", "Origin")
	if !slices.Contains(h.cfg.AllowedOrigins, origin) {
		return false
	}
	w.Header().Set("Access-Control-Allow-Origin", origin)
	if r.Method != http.MethodOptions || r.Header.Get("Access-Control-Request-Method") == "" {
		return false
	}
	w.Header().Set("Access-Control-Allow-Methods", "GET, POST")
	w.Header().Set("Access-Control-Allow-Headers", "Authorization, Content-Type")
	w.Header().Set("Access-Control-Max-Age", "600")
	w.WriteHeader(http.StatusNoContent)
	return true
}

func (h *Handler) service(id string) *service {
	for _, s := range h.services {
		if s.ID == id {
			return s
		}
	}
	return nil
}

// serviceURL is the service's full URL, the aud its JWTs must carry.
func (h *Handler) serviceURL(id string) string { return h.cfg.BaseURL + "/" + id }

// authenticate verifies the request's bearer JWT for one of auds.
func (h *Handler) authenticate(r *http.Request, auds ...string) (*Client, error) {
	tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if !ok || strings.TrimSpace(tok) == "" {
		return nil, &Error{Status: http.StatusUnauthorized, Field: "Authorization", Msg: "want a Bearer JWT"}
	}
	c, _, err := h.verifier.Verify(r.Context(), strings.TrimSpace(tok), auds...)
	return c, err
}

func (h *Handler) serveHook(w http.ResponseWriter, r *http.Request, s *service) {
	client, err := h.authenticate(r, h.serviceURL(s.ID))
	if err != nil {
		writeError(w, err)
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, MaxRequestBytes+1)
	req, err := DecodeRequest(r.Body)
	if err != nil {
		writeError(w, err)
		return
	}
	resp, patientID, err := h.Call(r.Context(), client, s.ID, req)
	if err != nil {
		writeError(w, err)
		return
	}
	if h.cfg.Called != nil {
		if err := h.cfg.Called(r.Context(), client.Principal, s.ID, req.HookInstance, patientID, len(resp.Cards)); err != nil {
			writeError(w, fmt.Errorf("audit: %w", err))
			return
		}
	}
	writeJSON(w, http.StatusOK, resp)
}

func (h *Handler) serveFeedback(w http.ResponseWriter, r *http.Request, s *service) {
	if h.cfg.Feedback == nil {
		writeError(w, &Error{Status: http.StatusNotFound, Msg: "feedback is not taken"})
		return
	}
	client, err := h.authenticate(r, h.serviceURL(s.ID), h.serviceURL(s.ID)+"/feedback")
	if err != nil {
		writeError(w, err)
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, MaxFeedbackBytes+1)
	fb, err := DecodeFeedback(r.Body)
	if err != nil {
		writeError(w, err)
		return
	}
	if err := h.cfg.Feedback(r.Context(), client.Principal, s.ID, fb); err != nil {
		writeError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, struct{}{})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		writeError(w, err)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	w.Write(append(b, '\n'))
}

type errorBody struct {
	Error string `json:"error"`
	Field string `json:"field,omitempty"`
}

// writeError answers err as JSON; an error that is not an *Error is
// internal and its text is not shown.
func writeError(w http.ResponseWriter, err error) {
	var e *Error
	body := errorBody{Error: "internal error"}
	status := http.StatusInternalServerError
	if errors.As(err, &e) && e.Status != 0 {
		status, body = e.Status, errorBody{Error: e.Msg, Field: e.Field}
	}
	if status == http.StatusUnauthorized {
		w.Header().Set("WWW-Authenticate", `Bearer error="invalid_token"`)
	}
	b, _ := json.Marshal(body)
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	w.Write(append(b, '\n'))
}

func writeMethod(w http.ResponseWriter, allow string) {
	w.Header().Set("Allow", allow)
	writeError(w, &Error{Status: http.StatusMethodNotAllowed, Msg: "method not allowed; use " + allow})
}

package cdshooks

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"
	"unicode/utf8"
)

// Limits on what a CDS Client may send. A hook request carries the
// prefetched FHIR data, so it may be large, but never more than
// MaxRequestBytes; feedback is small.
const (
	MaxRequestBytes  = 4 << 20 // bytes of one hook request (prefetch included)
	MaxFeedbackBytes = 64 << 10
	MaxFeedback      = 100 // feedback items in one feedback request
	MaxSummary       = 139 // runes of a card's summary: the spec says "<140-character"
	MaxContextKeys   = 64  // members of a request's context
	MaxPrefetchKeys  = 32  // members of a request's prefetch
)

// Discovery is the answer to GET {baseUrl}/cds-services.
type Discovery struct {
	Services []Service `json:"services"`
}

// Service describes one CDS Service in discovery.
type Service struct {
	Hook              string            `json:"hook"`
	Title             string            `json:"title,omitempty"`
	Description       string            `json:"description"`
	ID                string            `json:"id"`
	Prefetch          map[string]string `json:"prefetch,omitempty"`
	UsageRequirements string            `json:"usageRequirements,omitempty"`
}

// Request is the body a CDS Client POSTs to {baseUrl}/cds-services/{id}.
// Context and Prefetch keep their members as raw JSON: the hook decides
// what context holds, and prefetch values are FHIR resources (or null)
// read by package fhir with its limits.
type Request struct {
	Hook              string                     `json:"hook"`
	HookInstance      string                     `json:"hookInstance"`
	FHIRServer        string                     `json:"fhirServer,omitempty"`
	FHIRAuthorization *FHIRAuthorization         `json:"fhirAuthorization,omitempty"`
	Context           map[string]json.RawMessage `json:"context"`
	Prefetch          map[string]json.RawMessage `json:"prefetch,omitempty"`
}

// FHIRAuthorization is the OAuth 2.0 bearer token a CDS Client may pass
// so that the service can read its FHIR server.
type FHIRAuthorization struct {
	AccessToken string `json:"access_token"`
	TokenType   string `json:"token_type"`
	ExpiresIn   int64  `json:"expires_in"`
	Scope       string `json:"scope"`
	Subject     string `json:"subject"`
	Patient     string `json:"patient,omitempty"`
}

// Response is a CDS Service's answer: cards, and actions the client may
// apply on its own.
type Response struct {
	Cards         []Card   `json:"cards"`
	SystemActions []Action `json:"systemActions,omitempty"`
}

// Indicators of a card, in order of increasing urgency.
const (
	Info     = "info"
	Warning  = "warning"
	Critical = "critical"
)

// Card is one piece of guidance shown to the user.
type Card struct {
	UUID              string       `json:"uuid,omitempty"`
	Summary           string       `json:"summary"`
	Detail            string       `json:"detail,omitempty"` // GitHub-flavoured Markdown
	Indicator         string       `json:"indicator"`
	Source            Source       `json:"source"`
	Suggestions       []Suggestion `json:"suggestions,omitempty"`
	SelectionBehavior string       `json:"selectionBehavior,omitempty"` // at-most-one or any
	OverrideReasons   []Coding     `json:"overrideReasons,omitempty"`
	Links             []Link       `json:"links,omitempty"`
}

// Source names where a card's guidance comes from.
type Source struct {
	Label string  `json:"label"`
	URL   string  `json:"url,omitempty"`
	Icon  string  `json:"icon,omitempty"`
	Topic *Coding `json:"topic,omitempty"`
}

// Coding is the CDS Hooks Coding data type.
type Coding struct {
	System  string `json:"system,omitempty"`
	Code    string `json:"code"`
	Display string `json:"display,omitempty"`
}

// Suggestion is a set of actions the user may accept together.
type Suggestion struct {
	Label         string   `json:"label"`
	UUID          string   `json:"uuid,omitempty"`
	IsRecommended bool     `json:"isRecommended,omitempty"`
	Actions       []Action `json:"actions,omitempty"`
}

// Action types.
const (
	Create = "create"
	Update = "update"
	Delete = "delete"
)

// Action is one change to the client's record: create or update Resource
// (a FHIR resource as JSON), or delete ResourceID ("MedicationRequest/1").
type Action struct {
	Type        string          `json:"type"`
	Description string          `json:"description"`
	Resource    json.RawMessage `json:"resource,omitempty"`
	ResourceID  string          `json:"resourceId,omitempty"`
}

// Link types.
const (
	Absolute = "absolute"
	Smart    = "smart"
)

// Link is a link to a web page or, of type smart, a SMART app launch URL.
type Link struct {
	Label          string `json:"label"`
	URL            string `json:"url"`
	Type           string `json:"type"`
	AppContext     string `json:"appContext,omitempty"`
	Autolaunchable bool   `json:"autolaunchable,omitempty"`
}

// FeedbackRequest is the body POSTed to {baseUrl}/cds-services/{id}/feedback.
type FeedbackRequest struct {
	Feedback []Feedback `json:"feedback"`
}

// Feedback outcomes.
const (
	Accepted   = "accepted"
	Overridden = "overridden"
)

// Feedback is what the user did with one card.
type Feedback struct {
	Card                string               `json:"card"`
	Outcome             string               `json:"outcome"`
	AcceptedSuggestions []AcceptedSuggestion `json:"acceptedSuggestions,omitempty"`
	OverrideReason      *OverrideReason      `json:"overrideReason,omitempty"`
	OutcomeTimestamp    string               `json:"outcomeTimestamp"`
}

// AcceptedSuggestion names an accepted suggestion by its uuid.
type AcceptedSuggestion struct {
	ID string `json:"id"`
}

// OverrideReason is why the user overrode a card.
type OverrideReason struct {
	Reason      *Coding `json:"reason,omitempty"`
	UserComment string  `json:"userComment,omitempty"`
}

// Error is a failed call: the HTTP status to answer with, the request
// field at fault (a JSON path such as "context.patientId"; empty when no
// single field is) and a message in plain words.
type Error struct {
	Status int
	Field  string
	Msg    string
}

func (e *Error) Error() string {
	if e.Field == "" {
		return "cdshooks: " + e.Msg
	}
	return "cdshooks: " + e.Field + ": " + e.Msg
}

func badField(field, format string, args ...any) *Error {
	return &Error{Status: http.StatusBadRequest, Field: field, Msg: fmt.Sprintf(format, args...)}
}

// StatusOf returns the HTTP status for err: an *Error's own, otherwise 500.
func StatusOf(err error) int {
	var e *Error
	if errors.As(err, &e) && e.Status != 0 {
		return e.Status
	}
	return http.StatusInternalServerError
}

// readLimited reads all of r, refusing more than max bytes with a 413.
func readLimited(r io.Reader, max int64) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(r, max+1))
	if err != nil {
		return nil, &Error{Status: http.StatusBadRequest, Msg: "reading the body: " + err.Error()}
	}
	if int64(len(b)) > max {
		return nil, &Error{Status: http.StatusRequestEntityTooLarge, Msg: fmt.Sprintf("body over %d bytes", max)}
	}
	return b, nil
}

// decodeJSON decodes one JSON object from b into v; unknown members are
// tolerated (the spec lets clients add extensions) but trailing data,
// wrong types and duplicates of known members are not.
func decodeJSON(b []byte, v any) error {
	b = bytes.TrimSpace(b)
	if len(b) == 0 || b[0] != '{' {
		return badField("", "want a JSON object")
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	if err := dec.Decode(v); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) {
			return badField(te.Field, "want a JSON %s, got %s", te.Type.Kind(), te.Value)
		}
		return badField("", "not JSON: %v", err)
	}
	if dec.More() {
		return badField("", "data after the JSON object")
	}
	return nil
}

// DecodeRequest reads a hook request of at most MaxRequestBytes and checks
// its required members: hook, hookInstance, context (an object), and
// fhirServer when fhirAuthorization is given. Unknown members are
// tolerated. Errors are *Error naming the field.
func DecodeRequest(r io.Reader) (*Request, error) {
	b, err := readLimited(r, MaxRequestBytes)
	if err != nil {
		return nil, err
	}
	var req Request
	if err := decodeJSON(b, &req); err != nil {
		return nil, err
	}
	if err := req.Validate(); err != nil {
		return nil, err
	}
	return &req, nil
}

// Validate checks the required members of a hook request.
func (req *Request) Validate() error {
	switch {
	case req.Hook == "":
		return badField("hook", "missing")
	case req.HookInstance == "":
		return badField("hookInstance", "missing")
	case len(req.HookInstance) > 128:
		return badField("hookInstance", "over 128 characters")
	case req.Context == nil:
		return badField("context", "missing")
	case len(req.Context) > MaxContextKeys:
		return badField("context", "over %d members", MaxContextKeys)
	case len(req.Prefetch) > MaxPrefetchKeys:
		return badField("prefetch", "over %d members", MaxPrefetchKeys)
	case req.FHIRAuthorization != nil && req.FHIRServer == "":
		return badField("fhirServer", "required when fhirAuthorization is given")
	}
	if a := req.FHIRAuthorization; a != nil {
		if a.AccessToken == "" {
			return badField("fhirAuthorization.access_token", "missing")
		}
		if !strings.EqualFold(a.TokenType, "Bearer") {
			return badField("fhirAuthorization.token_type", "want Bearer, got %q", a.TokenType)
		}
	}
	return nil
}

// ContextString returns the string member name of the request's context,
// ok false when it is absent; a member of another JSON type is an error
// naming context.name.
func (req *Request) ContextString(name string) (s string, ok bool, err error) {
	raw, ok := req.Context[name]
	if !ok || string(raw) == "null" {
		return "", false, nil
	}
	if err := json.Unmarshal(raw, &s); err != nil {
		return "", false, badField("context."+name, "want a string")
	}
	return s, true, nil
}

// DecodeFeedback reads a feedback request of at most MaxFeedbackBytes
// holding at most MaxFeedback items, and checks each item's required
// members (card, outcome accepted or overridden, acceptedSuggestions for
// accepted, outcomeTimestamp as RFC 3339). Errors are *Error naming the
// field, as in "feedback[1].outcome".
func DecodeFeedback(r io.Reader) ([]Feedback, error) {
	b, err := readLimited(r, MaxFeedbackBytes)
	if err != nil {
		return nil, err
	}
	var fr FeedbackRequest
	if err := decodeJSON(b, &fr); err != nil {
		return nil, err
	}
	if fr.Feedback == nil {
		return nil, badField("feedback", "missing")
	}
	if len(fr.Feedback) > MaxFeedback {
		return nil, badField("feedback", "over %d items", MaxFeedback)
	}
	for i, f := range fr.Feedback {
		if err := f.validate(fmt.Sprintf("feedback[%d]", i)); err != nil {
			return nil, err
		}
	}
	return fr.Feedback, nil
}

func (f *Feedback) validate(at string) error {
	if f.Card == "" {
		return badField(at+".card", "missing")
	}
	if len(f.Card) > 128 {
		return badField(at+".card", "over 128 characters")
	}
	switch f.Outcome {
	case Accepted:
		if len(f.AcceptedSuggestions) == 0 {
			return badField(at+".acceptedSuggestions", "required for an accepted outcome")
		}
		for j, s := range f.AcceptedSuggestions {
			if s.ID == "" {
				return badField(fmt.Sprintf("%s.acceptedSuggestions[%d].id", at, j), "missing")
			}
		}
	case Overridden:
	case "":
		return badField(at+".outcome", "missing")
	default:
		return badField(at+".outcome", "want accepted or overridden, got %q", f.Outcome)
	}
	if r := f.OverrideReason; r != nil {
		if r.Reason != nil && r.Reason.Code == "" {
			return badField(at+".overrideReason.reason.code", "missing")
		}
		if utf8.RuneCountInString(r.UserComment) > 2000 {
			return badField(at+".overrideReason.userComment", "over 2000 characters")
		}
	}
	if f.OutcomeTimestamp == "" {
		return badField(at+".outcomeTimestamp", "missing")
	}
	if _, err := parseTimestamp(f.OutcomeTimestamp); err != nil {
		return badField(at+".outcomeTimestamp", "want an RFC 3339 time, got %q", f.OutcomeTimestamp)
	}
	return nil
}

// Validate checks a card against the spec: a summary under 140
// characters, an indicator of info, warning or critical, a source label,
// selectionBehavior when there are suggestions, actions of a known type,
// links of a known type with a URL, and a display for each override
// reason.
func (c *Card) Validate() error {
	switch n := utf8.RuneCountInString(c.Summary); {
	case n == 0:
		return badField("summary", "missing")
	case n > MaxSummary:
		return badField("summary", "%d characters, want under 140", n)
	}
	switch c.Indicator {
	case Info, Warning, Critical:
	default:
		return badField("indicator", "want info, warning or critical, got %q", c.Indicator)
	}
	if c.Source.Label == "" {
		return badField("source.label", "missing")
	}
	if len(c.Suggestions) > 0 && c.SelectionBehavior != "at-most-one" && c.SelectionBehavior != "any" {
		return badField("selectionBehavior", "want at-most-one or any with suggestions, got %q", c.SelectionBehavior)
	}
	for i, s := range c.Suggestions {
		if s.Label == "" {
			return badField(fmt.Sprintf("suggestions[%d].label", i), "missing")
		}
		for j, a := range s.Actions {
			at := fmt.Sprintf("suggestions[%d].actions[%d]", i, j)
			if err := a.validate(at); err != nil {
				return err
			}
		}
	}
	for i, r := range c.OverrideReasons {
		if r.Code == "" || r.Display == "" {
			return badField(fmt.Sprintf("overrideReasons[%d]", i), "want a code and a display")
		}
	}
	for i, l := range c.Links {
		at := fmt.Sprintf("links[%d]", i)
		if l.Label == "" || l.URL == "" {
			return badField(at, "want a label and a url")
		}
		if l.Type != Absolute && l.Type != Smart {
			return badField(at+".type", "want absolute or smart, got %q", l.Type)
		}
		if l.AppContext != "" && l.Type != Smart {
			return badField(at+".appContext", "only for smart links")
		}
	}
	return nil
}

func (a *Action) validate(at string) error {
	if a.Description == "" {
		return badField(at+".description", "missing")
	}
	switch a.Type {
	case Create, Update:
		if len(a.Resource) == 0 {
			return badField(at+".resource", "required for %s", a.Type)
		}
	case Delete:
		if a.ResourceID == "" {
			return badField(at+".resourceId", "required for delete")
		}
	default:
		return badField(at+".type", "want create, update or delete, got %q", a.Type)
	}
	return nil
}

// parseTimestamp reads an RFC 3339 date-time (fractional seconds allowed).
func parseTimestamp(s string) (time.Time, error) {
	return time.Parse(time.RFC3339Nano, s)
}

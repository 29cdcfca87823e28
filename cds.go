package tendo

import (
	"context"
	"encoding/json"
	"time"
)

// CDSClient is an EHR (or any CDS Hooks client) registered to call
// tendo's CDS Hooks services (issue 11). It acts through a user of its
// own kind, RoleCDSClient, created with it: that user belongs to exactly
// one clinic, cannot log in to the web application, cannot hold API
// tokens, and is accepted only by the CDS Hooks routes. The client is
// recognised by the iss of the JWT it signs; its keys are the configured
// JWKS and/or the key sets at the jku URLs it is allowed.
type CDSClient struct {
	ID     int64 `json:"id"`
	UserID int64 `json:"userId"` // the client's user (RoleCDSClient)
	// ClinicID is the one clinic the client works for: its calls and
	// feedback are recorded against it.
	ClinicID int64  `json:"clinicId"`
	Name     string `json:"name"`
	// Issuer is the iss its JWTs carry (unique).
	Issuer string `json:"issuer"`
	// JWKS is the configured JSON Web Key Set (public keys only), nil
	// when the client's keys come from JWKSURLs alone.
	JWKS json.RawMessage `json:"jwks,omitempty"`
	// JWKSURLs are the jku URLs the client may name in a JWT header.
	JWKSURLs []string `json:"jwksUrls"`
	// FHIRServers are the FHIR server base URLs tendo may fetch missing
	// prefetch data from: a request's fhirServer must equal one (a
	// trailing slash aside).
	FHIRServers []string   `json:"fhirServers"`
	CreatedAt   time.Time  `json:"createdAt"`
	DisabledAt  *time.Time `json:"disabledAt,omitempty"`
}

// NewCDSClient is what CreateCDSClient needs.
type NewCDSClient struct {
	ClinicID    int64
	Name        string
	Issuer      string
	JWKS        json.RawMessage
	JWKSURLs    []string
	FHIRServers []string
}

// Limits on a CDS client's configuration and on what a client sends.
const (
	MaxCDSNameLength      = 200      // a client's name, in characters
	MaxCDSURLLength       = 2048     // an issuer, jku URL or FHIR server prefix, in bytes
	MaxCDSURLs            = 16       // jku URLs, and FHIR server prefixes, each
	MaxCDSJWKSSize        = 64 << 10 // a configured JWKS, in bytes
	MaxCDSJWKSKeys        = 32       // keys in a configured JWKS
	MaxCDSServiceIDLength = 64       // a service id
	MaxCDSIDLength        = 128      // a hookInstance, card uuid or suggestion id
	MaxCDSPatientIDLength = 64       // a FHIR id (R4: at most 64 characters)
	MaxCDSFeedbackItems   = 100      // feedback items in one request
	MaxCDSSuggestions     = 50       // accepted suggestions in one feedback item
	MaxCDSCodeLength      = 256      // an override reason's code
	MaxCDSDisplayLength   = 1024     // an override reason's display, in characters
	MaxCDSCommentLength   = 4000     // a user's comment, in characters
	MaxCDSFeedbackPage    = 1000     // feedback items FindCDSFeedback returns at most
	MaxCDSCards           = 1 << 16  // cards counted in one call (a sanity bound)
)

// CDS feedback outcomes (CDS Hooks 2.0 §Feedback).
const (
	CDSAccepted   = "accepted"
	CDSOverridden = "overridden"
)

// CDSCoding is a code of an override reason, as the client sent it.
type CDSCoding struct {
	Code    string `json:"code"`
	System  string `json:"system,omitempty"`
	Display string `json:"display,omitempty"`
}

// CDSFeedback is one feedback item a CDS client sent about a card: the
// clinician accepted it (and which suggestions) or overrode it (with a
// reason and comment, if given). It is kept for safety review of
// overridden cards.
type CDSFeedback struct {
	ID        int64  `json:"id"`
	ClientID  int64  `json:"clientId"`
	ClinicID  int64  `json:"clinicId"`
	ServiceID string `json:"serviceId"`
	// Card is the card's uuid.
	Card    string `json:"card"`
	Outcome string `json:"outcome"` // CDSAccepted or CDSOverridden
	// AcceptedSuggestions are the ids of the suggestions accepted.
	AcceptedSuggestions []string `json:"acceptedSuggestions,omitempty"`
	// OverrideReason is the reason chosen (nil when none), UserComment
	// what the clinician typed.
	OverrideReason   *CDSCoding `json:"overrideReason,omitempty"`
	UserComment      string     `json:"userComment,omitempty"`
	OutcomeTimestamp time.Time  `json:"outcomeTimestamp"`
	ReceivedAt       time.Time  `json:"receivedAt"`
}

// CDSCall is what the audit log keeps of one hook call: which service,
// which hook instance, which patient (the EHR's FHIR id) and how many
// cards were returned. Never the cards' content.
type CDSCall struct {
	ServiceID    string
	HookInstance string
	PatientID    string
	Cards        int
}

// CDSFeedbackFilter selects feedback; zero fields do not filter.
type CDSFeedbackFilter struct {
	ClinicID int64
	// ClinicIDs, when not nil, keeps the items of these clinics only
	// (FindCDSFeedback sets it to a clinician's clinics).
	ClinicIDs []int64
	ClientID  int64
	ServiceID string
	Outcome   string
	// Before pages: only items with an ID below it. Items come newest
	// first.
	Before int64
	// Limit is the page size: 0 means 100, at most MaxCDSFeedbackPage.
	Limit int
}

// CDSService registers CDS clients and keeps what they do: the calls
// (audited) and the feedback.
//
// Who may call is said for each method; every change and every read of
// feedback is audited.
type CDSService interface {
	// CreateCDSClient registers a client and creates its user (role
	// RoleCDSClient, member of nc.ClinicID only), audited
	// "cds.client.create". Who: an admin or the system. EFORBIDDEN
	// otherwise; EINVALID (Field) for a bad name, clinic, issuer, JWKS or
	// URL; ECONFLICT (Field "issuer") for an issuer in use.
	CreateCDSClient(ctx context.Context, nc NewCDSClient) (CDSClient, error)
	// CDSClients lists every client, oldest first. Who: an admin or the
	// system.
	CDSClients(ctx context.Context) ([]CDSClient, error)
	// SetCDSClientDisabled disables (true) or enables a client and its
	// user at once, audited "cds.client.update". Who: an admin or the
	// system. ENOTFOUND for an unknown client.
	SetCDSClientDisabled(ctx context.Context, id int64, disabled bool) (CDSClient, error)
	// CDSClientByIssuer returns the enabled client of an issuer and its
	// user, for the verification of a JWT. Who: the system, before any
	// actor exists (any caller: it returns configuration, no patient
	// data). EUNAUTHORIZED for an unknown or disabled client or user (one
	// answer for both).
	CDSClientByIssuer(ctx context.Context, iss string) (CDSClient, User, error)
	// RecordCDSCall writes the audit entry "cds.call" of one hook call.
	// Who: the client's user as the actor. EFORBIDDEN for any other
	// actor; EINVALID (Field) for an id too long or not printable.
	RecordCDSCall(ctx context.Context, c CDSCall) error
	// SaveCDSFeedback stores feedback items about cards of a service, in
	// one transaction with the audit entry "cds.feedback". Who: the
	// client's user as the actor. EFORBIDDEN for any other actor;
	// EINVALID (Field "feedback[i]....") for a bad item. It returns the
	// items as stored.
	SaveCDSFeedback(ctx context.Context, serviceID string, fb []CDSFeedback) ([]CDSFeedback, error)
	// FindCDSFeedback lists the feedback the filter selects, newest
	// first, audited "cds.feedback.read". Who: an admin (every clinic) or
	// a clinician (the clinics they belong to: a filter naming another
	// clinic is EFORBIDDEN). EUNAUTHORIZED without a user.
	FindCDSFeedback(ctx context.Context, f CDSFeedbackFilter) ([]CDSFeedback, error)
}

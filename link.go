package tendo

import (
	"context"
	"fmt"
	"net/url"
	"slices"
	"time"
)

// Instrument is a questionnaire a patient can fill from a link.
type Instrument string

// The instruments, named as the contract's proms fields.
const (
	InstrumentVISAA Instrument = "visaA"
	InstrumentODI   Instrument = "odi"
	InstrumentNPRS  Instrument = "nprs"
	InstrumentLEFS  Instrument = "lefs"
)

// Valid reports whether i is a known instrument.
func (i Instrument) Valid() bool {
	switch i {
	case InstrumentVISAA, InstrumentODI, InstrumentNPRS, InstrumentLEFS:
		return true
	}
	return false
}

// QuestionnaireLink is a single-use link that lets a patient fill one or
// more questionnaires, in turn, without an account, until it expires or
// is revoked. It is used once every questionnaire is answered. Only a
// hash of its token is stored.
type QuestionnaireLink struct {
	// ID is the link's public identifier: random, not sequential.
	ID        int64 `json:"id"`
	PatientID int64 `json:"patientId"`
	ClinicID  int64 `json:"clinicId"`
	// Instrument is the first of Instruments (kept for clients that know
	// one questionnaire per link).
	Instrument Instrument `json:"instrument"`
	// Instruments are the link's questionnaires in the order the patient
	// answers them: at least one, none twice.
	Instruments []Instrument `json:"instruments"`
	// Answered are the instruments answered so far, in Instruments' order.
	Answered  []Instrument `json:"answered"`
	CreatedBy int64        `json:"createdBy"`
	CreatedAt time.Time    `json:"createdAt"`
	ExpiresAt time.Time    `json:"expiresAt"`
	UsedAt    *time.Time   `json:"usedAt,omitempty"`
	RevokedAt *time.Time   `json:"revokedAt,omitempty"`
	// Clinic is the name of the link's clinic, shown to the patient.
	Clinic string `json:"clinic,omitempty"`
}

// Next is the first instrument not yet answered; "" when all are.
func (l QuestionnaireLink) Next() Instrument {
	for _, i := range l.Instruments {
		if !slices.Contains(l.Answered, i) {
			return i
		}
	}
	return ""
}

// MaxLinkInstruments is the most questionnaires one link may carry.
const MaxLinkInstruments = 4

// ValidInstruments checks a link's list of questionnaires: one to
// MaxLinkInstruments known instruments, none twice (EINVALID, Field
// "instrument" or "instruments").
func ValidInstruments(is []Instrument) error {
	if len(is) == 0 {
		return &Error{Code: EINVALID, Field: "instruments", Message: "Choose at least one questionnaire."}
	}
	if len(is) > MaxLinkInstruments {
		return &Error{Code: EINVALID, Field: "instruments", Message: fmt.Sprintf("A link may carry at most %d questionnaires.", MaxLinkInstruments)}
	}
	for n, i := range is {
		if !i.Valid() {
			return &Error{Code: EINVALID, Field: "instrument", Value: string(i), Message: "Choose one of visaA, odi, nprs, lefs."}
		}
		if slices.Contains(is[:n], i) {
			return &Error{Code: EINVALID, Field: "instruments", Value: string(i), Message: "Choose each questionnaire only once."}
		}
	}
	return nil
}

// QuestionnaireResponse is a patient's answers from a link, scored on
// the server.
type QuestionnaireResponse struct {
	ID          int64      `json:"id"`
	PatientID   int64      `json:"patientId"`
	ClinicID    int64      `json:"clinicId"`
	LinkID      int64      `json:"linkId"`
	Instrument  Instrument `json:"instrument"`
	Answers     []byte     `json:"answers"` // the measure's JSON as in the contract's proms (e.g. {"answers": [...]})
	Score       float64    `json:"score"`
	Band        string     `json:"band"`
	SubmittedAt time.Time  `json:"submittedAt"`
}

// Link lifetimes: the default and the longest a clinician may choose.
const (
	DefaultLinkTTL = 7 * 24 * time.Hour
	MaxLinkTTL     = 30 * 24 * time.Hour
)

// LinkService makes questionnaire links and takes the patients' answers.
//
// Who may call: CreateLink, ResendLink, RevokeLink and FindResponse as for
// PatientService (a clinician for the patients of their clinics, an admin
// or the system); FindLink and SubmitResponse anyone holding the link's
// token, which is the only credential. Every call is audited.
type LinkService interface {
	// CreateLink makes a single-use link for the patient's questionnaires
	// insts (answered in that order), valid for ttl (0: DefaultLinkTTL),
	// and returns it with its token, which is shown once and stored only
	// hashed. ENOTFOUND for a patient the actor may not see; EINVALID
	// (Field "instrument", "instruments" or "days").
	CreateLink(ctx context.Context, patientID int64, insts []Instrument, ttl time.Duration) (QuestionnaireLink, string, error)
	// ResendLink makes a new link for the instruments of the patient's
	// link linkID not yet answered, valid for ttl (0: DefaultLinkTTL),
	// and revokes the old one, in one transaction (audited
	// "link.resend"). ENOTFOUND for a link the actor may not see;
	// ECONFLICT for a link answered in full.
	ResendLink(ctx context.Context, patientID, linkID int64, ttl time.Duration) (QuestionnaireLink, string, error)
	// RevokeLink ends the patient's link linkID now (audited
	// "link.revoke"); answers already sent are kept, and revoking a
	// revoked link does nothing more. ENOTFOUND for a link the actor may
	// not see; ECONFLICT for a link answered in full.
	RevokeLink(ctx context.Context, patientID, linkID int64) error
	// FindResponse returns one of the patient's questionnaire responses
	// (audited "response.read"); ENOTFOUND for a response the actor may
	// not see.
	FindResponse(ctx context.Context, patientID, responseID int64) (QuestionnaireResponse, error)
	// FindLink returns the link of a token (audited "link.open").
	// ENOTFOUND for an unknown token; ECONFLICT for a used, revoked or
	// expired link.
	FindLink(ctx context.Context, token string) (QuestionnaireLink, error)
	// SubmitResponse scores the answers to the link's questionnaire inst
	// (form values named as the questionnaire's items; the exact rules of
	// tendo assess) and stores them with the audit entry in one
	// transaction; the link is marked used when its last questionnaire is
	// answered. inst must be the link's next unanswered instrument
	// ("" is that one; ECONFLICT otherwise: answered already, or out of
	// turn). Errors
	// (each Field an item) for bad answers; ENOTFOUND for an unknown
	// token; ECONFLICT for a used, revoked or expired link.
	SubmitResponse(ctx context.Context, token string, inst Instrument, answers url.Values) (QuestionnaireResponse, Score, error)
}

package tendo

import (
	"context"
	"net/url"
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

// QuestionnaireLink is a single-use link that lets a patient fill one
// questionnaire without an account, until it expires. Only a hash of its
// token is stored.
type QuestionnaireLink struct {
	// ID is the link's public identifier: random, not sequential.
	ID         int64      `json:"id"`
	PatientID  int64      `json:"patientId"`
	ClinicID   int64      `json:"clinicId"`
	Instrument Instrument `json:"instrument"`
	CreatedBy  int64      `json:"createdBy"`
	CreatedAt  time.Time  `json:"createdAt"`
	ExpiresAt  time.Time  `json:"expiresAt"`
	UsedAt     *time.Time `json:"usedAt,omitempty"`
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
// Who may call: CreateLink as for PatientService (a clinician for the
// patients of their clinics, an admin or the system); FindLink and
// SubmitResponse anyone holding the link's token, which is the only
// credential. Every call is audited.
type LinkService interface {
	// CreateLink makes a single-use link for the patient valid for ttl
	// (0: DefaultLinkTTL) and returns it with its token, which is shown
	// once and stored only hashed. ENOTFOUND for a patient the actor may
	// not see; EINVALID (Field "instrument" or "days").
	CreateLink(ctx context.Context, patientID int64, inst Instrument, ttl time.Duration) (QuestionnaireLink, string, error)
	// FindLink returns the link of a token (audited "link.open").
	// ENOTFOUND for an unknown token; ECONFLICT for a used or expired
	// link.
	FindLink(ctx context.Context, token string) (QuestionnaireLink, error)
	// SubmitResponse scores the answers (form values named as the
	// questionnaire's items; the exact rules of tendo assess) and stores
	// them, marking the link used, with the audit entry, in one
	// transaction. Errors (each Field an item) for bad answers; ENOTFOUND
	// for an unknown token; ECONFLICT for a used or expired link.
	SubmitResponse(ctx context.Context, token string, answers url.Values) (QuestionnaireResponse, Score, error)
}

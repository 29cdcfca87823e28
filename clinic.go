package tendo

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// This file holds the clinic's domain: clinics, users and their roles,
// patients, stored assessments, questionnaire links and responses, the
// audit log, and the Store that keeps them. Adapters (sqlstore for SQLite
// and Postgres) implement Store; the web server uses it.

// Role is what a user may do.
type Role string

// Roles. A clinician works with the patients of the clinics they belong
// to. An admin manages clinics and users and may see every clinic.
const (
	RoleAdmin     Role = "admin"
	RoleClinician Role = "clinician"
)

// Valid reports whether r is a known role.
func (r Role) Valid() bool { return r == RoleAdmin || r == RoleClinician }

// Clinic is a practice whose patients its clinicians share.
type Clinic struct {
	ID        int64     `json:"id"`
	Name      string    `json:"name"`
	CreatedAt time.Time `json:"createdAt"`
}

// User is a person who logs in.
type User struct {
	ID    int64  `json:"id"`
	Email string `json:"email"` // unique, stored lower-case
	Name  string `json:"name"`
	Role  Role   `json:"role"`
	// PasswordHash is the argon2id hash in PHC string form; never shown.
	PasswordHash string    `json:"-"`
	CreatedAt    time.Time `json:"createdAt"`
	// ClinicIDs are the clinics the user belongs to, in increasing order.
	ClinicIDs []int64 `json:"clinicIds"`
}

// CanSee reports whether the user may see the patients of a clinic.
func (u User) CanSee(clinicID int64) bool {
	if u.Role == RoleAdmin {
		return true
	}
	for _, id := range u.ClinicIDs {
		if id == clinicID {
			return true
		}
	}
	return false
}

// PatientRecord is a patient of a clinic (the assessment's "patient"
// section describes the patient at one visit; this is the person).
type PatientRecord struct {
	ID       int64  `json:"id"`
	ClinicID int64  `json:"clinicId"`
	Name     string `json:"name"`
	// ExternalID is the clinic's own identifier (an MRN), optional.
	ExternalID string `json:"externalId,omitempty"`
	// BirthYear is the year of birth, 0 when not given.
	BirthYear int       `json:"birthYear,omitempty"`
	CreatedAt time.Time `json:"createdAt"`
	CreatedBy int64     `json:"createdBy"`
}

// StoredAssessment is one assessment as it was saved: its input, the
// full result and the model version that produced it. A stored result is
// never recomputed with a newer model.
type StoredAssessment struct {
	ID        int64     `json:"id"`
	PatientID int64     `json:"patientId"`
	ClinicID  int64     `json:"clinicId"`
	Date      string    `json:"date"` // YYYY-MM-DD, the assessment's date
	CreatedAt time.Time `json:"createdAt"`
	CreatedBy int64     `json:"createdBy"`
	// Input is the assessment document (contract JSON) as saved.
	Input []byte `json:"-"`
	// Result is the result document (contract JSON) as returned.
	Result         []byte         `json:"-"`
	ModelVersion   string         `json:"modelVersion"`
	Classification Classification `json:"classification"`
	// Scores for the timeline, nil when the measure was not given.
	VISAA *float64 `json:"visaA,omitempty"`
	ODI   *float64 `json:"odi,omitempty"`
	NPRS  *float64 `json:"nprs,omitempty"`
	LEFS  *float64 `json:"lefs,omitempty"`
}

// NewStoredAssessment is the record that keeps an assessment of patient p
// on date: its input document, the result as encoded JSON, the model
// version and classification, and the rounded scores for the timeline.
func NewStoredAssessment(p PatientRecord, date string, by int64, input []byte, res *Result) StoredAssessment {
	st := StoredAssessment{
		PatientID: p.ID, ClinicID: p.ClinicID, Date: date, CreatedBy: by,
		Input: input, Result: res.AppendJSON(nil), ModelVersion: res.ModelVersion, Classification: res.Classification,
	}
	rounded := func(sc *Score) *float64 {
		if sc == nil {
			return nil
		}
		v := sc.Rounded
		return &v
	}
	st.VISAA = rounded(res.Scores.VISAA)
	st.ODI = rounded(res.Scores.ODI)
	st.NPRS = rounded(res.Scores.NPRS)
	st.LEFS = rounded(res.Scores.LEFS)
	return st
}

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

// Session is a logged-in browser session. ID is a hash of the cookie's
// token; the token itself is never stored.
type Session struct {
	ID        string
	UserID    int64
	CSRF      string // the token forms must echo
	CreatedAt time.Time
	ExpiresAt time.Time
}

// APIToken authorises JSON API calls as a user. Only a hash is stored.
type APIToken struct {
	ID         int64      `json:"id"`
	UserID     int64      `json:"userId"`
	Name       string     `json:"name"`
	CreatedAt  time.Time  `json:"createdAt"`
	LastUsedAt *time.Time `json:"lastUsedAt,omitempty"`
}

// AuditEntry records who read or changed which patient's data, and when.
type AuditEntry struct {
	ID int64     `json:"id"`
	At time.Time `json:"at"`
	// UserID is the acting user; 0 for a patient using a link.
	UserID int64 `json:"userId,omitempty"`
	// Actor names the actor in words ("user 3", "questionnaire link 12").
	Actor     string `json:"actor"`
	ClinicID  int64  `json:"clinicId,omitempty"`
	PatientID int64  `json:"patientId,omitempty"`
	// Action is a verb: "patient.read", "patient.create",
	// "assessment.create", "assessment.read", "timeline.read",
	// "link.create", "response.submit", "report.read".
	Action string `json:"action"`
	Detail string `json:"detail,omitempty"`
}

// AuditFilter selects audit entries; zero fields do not filter.
type AuditFilter struct {
	PatientID int64
	UserID    int64
	Limit     int // 0 means 100
}

// Store keeps the clinic's data. Implementations are safe for concurrent
// use. Methods return an *Error with code ENOTFOUND when a record does not
// exist, ECONFLICT on a duplicate (an e-mail address, a used link), and
// EINVALID for a value the store cannot keep.
type Store interface {
	CreateClinic(ctx context.Context, name string) (Clinic, error)
	Clinic(ctx context.Context, id int64) (Clinic, error)
	Clinics(ctx context.Context) ([]Clinic, error)

	// CreateUser stores u (with its PasswordHash) and its memberships.
	CreateUser(ctx context.Context, u User) (User, error)
	User(ctx context.Context, id int64) (User, error)
	UserByEmail(ctx context.Context, email string) (User, error)
	Users(ctx context.Context) ([]User, error)
	SetClinics(ctx context.Context, userID int64, clinicIDs []int64) error
	SetPassword(ctx context.Context, userID int64, hash string) error
	CountUsers(ctx context.Context) (int, error)

	CreateSession(ctx context.Context, s Session) error
	// Session returns ENOTFOUND for an unknown or expired session.
	Session(ctx context.Context, id string, now time.Time) (Session, error)
	DeleteSession(ctx context.Context, id string) error
	DeleteExpiredSessions(ctx context.Context, now time.Time) error

	CreateAPIToken(ctx context.Context, userID int64, name, tokenHash string) (APIToken, error)
	// UserByAPIToken returns the token's user and records its use (at
	// most once a minute).
	UserByAPIToken(ctx context.Context, tokenHash string, now time.Time) (User, error)

	RecordLoginFailure(ctx context.Context, key string, at time.Time) error
	LoginFailures(ctx context.Context, key string, since time.Time) (int, error)

	CreatePatient(ctx context.Context, p PatientRecord) (PatientRecord, error)
	Patient(ctx context.Context, id int64) (PatientRecord, error)
	// Patients lists the patients of the given clinics (nil: every
	// clinic), by name.
	Patients(ctx context.Context, clinicIDs []int64) ([]PatientRecord, error)

	SaveAssessment(ctx context.Context, a StoredAssessment) (StoredAssessment, error)
	Assessment(ctx context.Context, id int64) (StoredAssessment, error)
	// Assessments lists a patient's assessments, oldest first, without
	// their Input and Result documents (Assessment returns one whole).
	Assessments(ctx context.Context, patientID int64) ([]StoredAssessment, error)

	CreateLink(ctx context.Context, l QuestionnaireLink, tokenHash string) (QuestionnaireLink, error)
	LinkByToken(ctx context.Context, tokenHash string) (QuestionnaireLink, error)
	Links(ctx context.Context, patientID int64) ([]QuestionnaireLink, error)
	// SubmitResponse stores the response and marks its link used, in one
	// transaction: ECONFLICT if the link was used already, EINVALID if it
	// has expired at now.
	SubmitResponse(ctx context.Context, r QuestionnaireResponse, now time.Time) (QuestionnaireResponse, error)
	// Responses lists a patient's questionnaire responses, oldest first.
	Responses(ctx context.Context, patientID int64) ([]QuestionnaireResponse, error)

	Audit(ctx context.Context, e AuditEntry) error
	AuditLog(ctx context.Context, f AuditFilter) ([]AuditEntry, error)

	Close() error
}

// Application error codes (see Error).
const (
	ECONFLICT     = "conflict"
	EINTERNAL     = "internal"
	EINVALID      = "invalid"
	ENOTFOUND     = "not_found"
	EUNAUTHORIZED = "unauthorized"
	EFORBIDDEN    = "forbidden"
	ETOOMANY      = "too_many_requests"
)

// Error is an application error: a code, a message safe to show a user,
// and optionally the field it concerns (a contract path or a form field).
type Error struct {
	Code    string
	Message string
	Field   string
}

func (e *Error) Error() string {
	if e.Field != "" {
		return fmt.Sprintf("%s: %s", e.Field, e.Message)
	}
	return e.Message
}

// Errorf returns an *Error with the code and a formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of an *Error in err's chain, EINTERNAL for
// any other error, and "" for nil.
func ErrorCode(err error) string {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// Assessor turns an assessment into a result (the assess package's Engine
// implements it). It is safe for concurrent use.
type Assessor interface {
	Assess(a *Assessment) (*Result, error)
	// ModelVersion names the knowledge base that produces the results.
	ModelVersion() string
}

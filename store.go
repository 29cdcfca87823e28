package tendo

import (
	"context"
	"time"
)

// Store keeps the clinic's data; it is the services' persistence and
// knows no rules of access. Who may call: the services' implementation
// (package clinic), the store's own tests, and commands that set a
// database up. Implementations are safe for concurrent use.
//
// Methods return an *Error with code ENOTFOUND when a record does not
// exist, ECONFLICT on a duplicate (an e-mail address, a used link), and
// EINVALID for a value the store cannot keep. New patients, assessments
// and links get random, non-sequential IDs.
type Store interface {
	// InTx runs fn with a Store whose every call is part of one write
	// transaction, committed when fn returns nil and rolled back
	// otherwise. Calling InTx inside fn runs in the same transaction.
	InTx(ctx context.Context, fn func(Store) error) error
	// Ping checks that the database answers.
	Ping(ctx context.Context) error

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

	// Authentication: sessions, tokens, login attempts.
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
	// End of authentication.

	CreatePatient(ctx context.Context, p PatientRecord) (PatientRecord, error)
	Patient(ctx context.Context, id int64) (PatientRecord, error)
	// Patients lists the patients of the given clinics (nil: every
	// clinic), by name.
	Patients(ctx context.Context, clinicIDs []int64) ([]PatientRecord, error)

	// SaveAssessment stores an assessment. With an IdempotencyKey that
	// its creator has used for the patient already it returns ECONFLICT
	// (AssessmentByKey then finds the first).
	SaveAssessment(ctx context.Context, a StoredAssessment) (StoredAssessment, error)
	Assessment(ctx context.Context, id int64) (StoredAssessment, error)
	// AssessmentByKey returns the assessment a user saved for a patient
	// with an idempotency key, ENOTFOUND if there is none.
	AssessmentByKey(ctx context.Context, userID, patientID int64, key string) (StoredAssessment, error)
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
	// AuditLog lists the entries the filter selects, newest first (by
	// ID), at most f.Limit (0: 100).
	AuditLog(ctx context.Context, f AuditFilter) ([]AuditEntry, error)

	Close() error
}

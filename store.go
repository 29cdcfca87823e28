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
	//
	// Sessions, tokens and devices are named by the SHA-256 of their
	// secret; the secret itself is never stored.

	// CreateSession stores a session; its LastSeenAt starts at CreatedAt.
	CreateSession(ctx context.Context, s Session) error
	// Session returns ENOTFOUND for an unknown or expired session.
	Session(ctx context.Context, id string, now time.Time) (Session, error)
	// TouchSession records at as the session's last activity.
	TouchSession(ctx context.Context, id string, at time.Time) error
	DeleteSession(ctx context.Context, id string) error
	// DeleteUserSessions deletes every session of the user but keep ("":
	// every one) and returns how many it deleted.
	DeleteUserSessions(ctx context.Context, userID int64, keep string) (int, error)
	DeleteExpiredSessions(ctx context.Context, now time.Time) error
	// DeleteIdleSessions deletes the sessions last seen before seenBefore.
	DeleteIdleSessions(ctx context.Context, seenBefore time.Time) error

	// UpdateUser writes u's name, role and DisabledAt (not its e-mail
	// address, password or clinics). ENOTFOUND for an unknown user.
	UpdateUser(ctx context.Context, u User) error

	// CreateAPIToken stores a token valid for DefaultTokenTTL.
	CreateAPIToken(ctx context.Context, userID int64, name, tokenHash string) (APIToken, error)
	// IssueAPIToken stores t (its UserID, Name and ExpiresAt; a zero
	// CreatedAt is now): ECONFLICT for a hash in use, EINVALID for an
	// unknown user or a missing expiry.
	IssueAPIToken(ctx context.Context, t APIToken, tokenHash string) (APIToken, error)
	// UserByAPIToken returns the token's user and records its use (at
	// most once a minute). It does not look at expiry or revocation.
	UserByAPIToken(ctx context.Context, tokenHash string, now time.Time) (User, error)
	// APITokenByHash returns the token with the hash, in whatever state,
	// and its user; it records now as the token's use (at most once a
	// minute) when the token is neither revoked nor expired at now.
	APITokenByHash(ctx context.Context, tokenHash string, now time.Time) (APIToken, User, error)
	// APITokenByID returns a token, ENOTFOUND if there is none.
	APITokenByID(ctx context.Context, id int64) (APIToken, error)
	// APITokens lists the user's tokens, newest first.
	APITokens(ctx context.Context, userID int64) ([]APIToken, error)
	// RevokeAPIToken marks the token revoked at at (a revoked token keeps
	// its first revocation time). ENOTFOUND for an unknown token.
	RevokeAPIToken(ctx context.Context, id int64, at time.Time) error

	RecordLoginFailure(ctx context.Context, key string, at time.Time) error
	LoginFailures(ctx context.Context, key string, since time.Time) (int, error)
	// ReserveLoginAttempt is the atomic check-and-record of a login: in
	// one transaction it counts, for each limit, the failures and pending
	// attempts recorded under its key at or after since and, when every
	// count is below its Max, records a pending attempt at at under every
	// key and returns the reservation's ID. Otherwise it records nothing
	// and returns ETOOMANY. Two reservations can never both see the same
	// count: SQLite's write transactions are serialised, and on Postgres
	// each key is locked (an advisory transaction lock) before it is
	// counted. An unresolved reservation counts as a failure.
	ReserveLoginAttempt(ctx context.Context, limits []LoginLimit, since, at time.Time) (int64, error)
	// ReleaseLoginAttempt deletes a reservation's records: the login
	// succeeded, or never reached the password check.
	ReleaseLoginAttempt(ctx context.Context, id int64) error
	// DeleteLoginFailures deletes the failures recorded before before.
	DeleteLoginFailures(ctx context.Context, before time.Time) error

	// CreateDevice remembers a browser that logged in as the user (the
	// hash of its device cookie) until expires.
	CreateDevice(ctx context.Context, hash string, userID int64, expires time.Time) error
	// DeviceUser returns the user a device logged in as, ENOTFOUND for an
	// unknown or expired device.
	DeviceUser(ctx context.Context, hash string, now time.Time) (int64, error)
	// DeleteExpiredDevices forgets the devices expired at now.
	DeleteExpiredDevices(ctx context.Context, now time.Time) error
	// End of authentication.

	CreatePatient(ctx context.Context, p PatientRecord) (PatientRecord, error)
	Patient(ctx context.Context, id int64) (PatientRecord, error)
	// Patients lists the patients of the given clinics (nil: every
	// clinic), by name.
	Patients(ctx context.Context, clinicIDs []int64) ([]PatientRecord, error)
	// issue 10: safety
	// PatientSummaries lists, in one query, the patients q selects (by
	// name, at most q.Limit) with their visit count, first and latest
	// visit, the latest one's classification and red flags, and the links
	// unused and unexpired at q.Now. NotImproved is left to the caller.
	PatientSummaries(ctx context.Context, q SummaryQuery) ([]PatientSummary, error)

	// SaveAssessment stores an assessment. With an IdempotencyKey that
	// its creator has used for the patient already it returns ECONFLICT
	// (AssessmentByKey then finds the first).
	SaveAssessment(ctx context.Context, a StoredAssessment) (StoredAssessment, error)
	Assessment(ctx context.Context, id int64) (StoredAssessment, error)
	// AssessmentByKey returns the assessment a user saved for a patient
	// with an idempotency key, ENOTFOUND if there is none.
	AssessmentByKey(ctx context.Context, userID, patientID int64, key string) (StoredAssessment, error)
	// Assessments lists a patient's assessments, oldest first, without
	// their Input and Result documents (Assessment returns one whole):
	// every version, amended or entered in error, too.
	Assessments(ctx context.Context, patientID int64) ([]StoredAssessment, error)

	// issue 10: records.

	// UpdatePatient writes p's Name, ExternalID and BirthYear (not its
	// clinic or creator). ENOTFOUND for an unknown or deleted patient;
	// ECONFLICT for an external ID another patient of the clinic has;
	// EINVALID as CreatePatient.
	UpdatePatient(ctx context.Context, p PatientRecord) error
	// DeletePatient marks a patient deleted at at by a user, with the
	// reason (a soft delete: the record and its visits are kept), and
	// ends its unused questionnaire links (their expiry becomes at). A
	// deleted patient is ENOTFOUND to Patient and UpdatePatient and left
	// out of Patients. ENOTFOUND for an unknown or deleted patient;
	// EINVALID for an empty reason.
	DeletePatient(ctx context.Context, id int64, at time.Time, by int64, reason string) error
	// SupersedeAssessment records that assessment newID (saved with
	// SaveAssessment) amends oldID, for the reason: the old one's
	// SupersededBy becomes newID, the new one's Amends oldID. ECONFLICT
	// when oldID has been superseded already or newID amends another;
	// EINVALID when the two are not of one patient or one is the other;
	// ENOTFOUND for an unknown assessment. Call it in the transaction of
	// the save.
	SupersedeAssessment(ctx context.Context, oldID, newID int64, reason string) error
	// MarkAssessmentError marks an assessment entered in error at at by a
	// user, with the reason. ENOTFOUND for an unknown assessment;
	// ECONFLICT for one marked already; EINVALID for an empty reason.
	MarkAssessmentError(ctx context.Context, id int64, at time.Time, by int64, reason string) error
	// End of issue 10: records.

	CreateLink(ctx context.Context, l QuestionnaireLink, tokenHash string) (QuestionnaireLink, error)
	LinkByToken(ctx context.Context, tokenHash string) (QuestionnaireLink, error)
	Links(ctx context.Context, patientID int64) ([]QuestionnaireLink, error)
	// SubmitResponse stores the response and marks its link used, in one
	// transaction: ECONFLICT if the link was used already, EINVALID if it
	// has expired at now.
	SubmitResponse(ctx context.Context, r QuestionnaireResponse, now time.Time) (QuestionnaireResponse, error)
	// Responses lists a patient's questionnaire responses, oldest first.
	Responses(ctx context.Context, patientID int64) ([]QuestionnaireResponse, error)
	// issue 10: questionnaires. RevokeLink ends a link at now:
	// ENOTFOUND for an unknown link, ECONFLICT for one used or revoked
	// already.
	RevokeLink(ctx context.Context, linkID int64, now time.Time) error

	// CreateGaitTrial stores a trial of an existing visit of the patient,
	// with its file (Data, required) and report (required, kept as JSON).
	// The store sets ID (random), CreatedAt, Size and SHA256 (of Data);
	// a zero ClinicID is the patient's. EINVALID for a visit that is not
	// one of the patient's, an unknown patient or creator, an empty file
	// or name, or a report JSON cannot hold.
	CreateGaitTrial(ctx context.Context, t GaitTrial) (GaitTrial, error)
	// GaitTrial returns a trial with its report, and with its file when
	// withData is true. ENOTFOUND if there is none.
	GaitTrial(ctx context.Context, id int64, withData bool) (GaitTrial, error)
	// GaitTrials lists a visit's trials with their reports but without
	// their files, oldest first (an empty list for an unknown visit).
	GaitTrials(ctx context.Context, visitID int64) ([]GaitTrial, error)

	// issue 10: programme. Home programmes and their logs; a programme's
	// token is stored hashed. CreateProgramme sets ID (random) and
	// CreatedAt, and needs a visit of the patient (EINVALID otherwise)
	// and a future expiry; ECONFLICT for a hash in use.
	CreateProgramme(ctx context.Context, p Programme, tokenHash string) (Programme, error)
	// ProgrammeByToken returns the programme, revoked or expired as it
	// may be; ENOTFOUND if there is none.
	ProgrammeByToken(ctx context.Context, tokenHash string) (Programme, error)
	// Programmes lists a patient's programmes, newest first.
	Programmes(ctx context.Context, patientID int64) ([]Programme, error)
	// RevokeProgramme marks a programme revoked at at (the first
	// revocation stands); ENOTFOUND for an unknown programme.
	RevokeProgramme(ctx context.Context, id int64, at time.Time) error
	// LogProgramme stores a session, replacing the programme's session of
	// the same date; it sets ID, PatientID, ClinicID (the programme's) and
	// LoggedAt. EINVALID for an unknown programme or pain outside 0–10.
	LogProgramme(ctx context.Context, l ProgrammeLog) (ProgrammeLog, error)
	// ProgrammeLogs lists a programme's sessions by date.
	ProgrammeLogs(ctx context.Context, programmeID int64) ([]ProgrammeLog, error)
	// end issue 10: programme

	// issue 11: smart
	// CreateEHRLink stores a link (its CreatedAt is set): ECONFLICT when
	// the clinic has a link for the EHR's patient already, EINVALID for a
	// patient not of the clinic, an empty iss or FHIR id.
	CreateEHRLink(ctx context.Context, l EHRLink) (EHRLink, error)
	// EHRLink returns the clinic's link for the EHR's patient, ENOTFOUND
	// if there is none.
	EHRLink(ctx context.Context, clinicID int64, iss, fhirPatientID string) (EHRLink, error)
	// end issue 11: smart
	// issue 11: cds-clinic. CDS Hooks clients and their feedback.

	// CreateCDSClient stores a client and its user u (role RoleCDSClient,
	// u.ClinicIDs its one clinic) in one transaction; it sets the IDs and
	// CreatedAt. ECONFLICT for an issuer or e-mail address in use;
	// EINVALID for an unknown clinic or a value the store cannot keep.
	CreateCDSClient(ctx context.Context, c CDSClient, u User) (CDSClient, error)
	// CDSClient returns a client, ENOTFOUND if there is none.
	CDSClient(ctx context.Context, id int64) (CDSClient, error)
	// CDSClientByIssuer returns the client of an issuer (enabled or not),
	// ENOTFOUND if there is none.
	CDSClientByIssuer(ctx context.Context, iss string) (CDSClient, error)
	// CDSClientByUser returns the client whose user is userID, ENOTFOUND
	// if there is none.
	CDSClientByUser(ctx context.Context, userID int64) (CDSClient, error)
	// CDSClients lists every client, oldest first.
	CDSClients(ctx context.Context) ([]CDSClient, error)
	// SetCDSClientDisabled sets the DisabledAt of a client and of its
	// user (nil: enabled). ENOTFOUND for an unknown client.
	SetCDSClientDisabled(ctx context.Context, id int64, at *time.Time) error
	// SaveCDSFeedback stores feedback items (each with its ClientID,
	// ClinicID, ServiceID, Card, Outcome, OutcomeTimestamp and
	// ReceivedAt) and returns them with their IDs. EINVALID for an
	// unknown client or clinic or a value the store cannot keep.
	SaveCDSFeedback(ctx context.Context, fb []CDSFeedback) ([]CDSFeedback, error)
	// CDSFeedback lists the items the filter selects, newest first (by
	// ID), at most f.Limit (0: 100).
	CDSFeedback(ctx context.Context, f CDSFeedbackFilter) ([]CDSFeedback, error)
	// end issue 11: cds-clinic

	Audit(ctx context.Context, e AuditEntry) error
	// AuditLog lists the entries the filter selects, newest first (by
	// ID), at most f.Limit (0: 100).
	AuditLog(ctx context.Context, f AuditFilter) ([]AuditEntry, error)

	Close() error
}

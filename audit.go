package tendo

import (
	"context"
	"time"
)

// AuditEntry records who read or changed which patient's data, and
// every security event (logins, denials, token and user changes, audit
// reads), with where the request came from.
type AuditEntry struct {
	ID int64     `json:"id"`
	At time.Time `json:"at"`
	// UserID is the acting user; 0 for a patient using a link, the system
	// or an anonymous request.
	UserID int64 `json:"userId,omitempty"`
	// Actor names the actor in words ("user 3 (a@b.example)",
	// "questionnaire link 12", "system (cli)", "anonymous").
	Actor     string `json:"actor"`
	ClinicID  int64  `json:"clinicId,omitempty"`
	PatientID int64  `json:"patientId,omitempty"`
	// Action is a verb such as "patient.read" or "login.failure"; the
	// Action* constants list them.
	Action string `json:"action"`
	Detail string `json:"detail,omitempty"`
	// Addr, UserAgent and TokenID say where the request came from.
	Addr      string `json:"addr,omitempty"`
	UserAgent string `json:"userAgent,omitempty"`
	TokenID   int64  `json:"tokenId,omitempty"`
}

// Audit actions.
const (
	ActionPatientCreate    = "patient.create"
	ActionPatientRead      = "patient.read"
	ActionPatientList      = "patient.list"
	ActionAssessmentCreate = "assessment.create"
	ActionAssessmentReplay = "assessment.replay" // an idempotent retry answered from the first save
	ActionAssessmentRead   = "assessment.read"
	ActionAssessmentList   = "assessment.list"
	ActionReportRead       = "report.read"
	ActionTimelineRead     = "timeline.read"
	ActionLinkCreate       = "link.create"
	ActionLinkOpen         = "link.open"
	ActionResponseSubmit   = "response.submit"
	ActionLoginSuccess     = "login.success"
	ActionLoginFailure     = "login.failure"
	ActionLoginLimited     = "login.limited"
	ActionLogout           = "logout"
	ActionLogoutEverywhere = "logout.everywhere"
	ActionDenied           = "access.denied"
	ActionClinicCreate     = "clinic.create"
	ActionUserCreate       = "user.create"
	ActionUserUpdate       = "user.update"
	ActionUserPassword     = "user.password"
	ActionTokenCreate      = "token.create"
	ActionTokenRevoke      = "token.revoke"
	ActionAuditRead        = "audit.read"
	ActionAssess           = "assess.run"
	ActionGaitCreate       = "gait.create" // a gait-lab trial uploaded and analysed
	ActionGaitRead         = "gait.read"
	ActionGaitList         = "gait.list"
	ActionGaitApply        = "gait.apply" // a trial's evidence added to its visit's assessment
	// issue 10: programme
	ActionProgrammeCreate = "programme.create"
	ActionProgrammeList   = "programme.list"
	ActionProgrammeRevoke = "programme.revoke"
	ActionProgrammeOpen   = "programme.open" // by the link holder
	ActionProgrammeLog    = "programme.log"  // a session logged by the link holder
	// issue 10: records.
	ActionPatientUpdate   = "patient.update"   // with the names of the changed fields
	ActionPatientDelete   = "patient.delete"   // a soft delete, with the reason
	ActionAssessmentAmend = "assessment.amend" // a new version of a visit, with the reason
	ActionAssessmentError = "assessment.error" // a visit marked entered in error, with the reason

	// issue 10: questionnaires
	ActionLinkResend   = "link.resend" // a new link for the same questionnaires; the old one revoked
	ActionLinkRevoke   = "link.revoke"
	ActionResponseRead = "response.read" // one response, answer by answer

	// issue 11: cds-clinic
	ActionCDSClientCreate = "cds.client.create"
	ActionCDSClientUpdate = "cds.client.update" // disabled or enabled
	ActionCDSCall         = "cds.call"          // a hook call: service, hookInstance, patient id, number of cards
	ActionCDSFeedback     = "cds.feedback"      // feedback about cards, stored
	ActionCDSFeedbackRead = "cds.feedback.read"
	// end issue 11: cds-clinic
)

// AuditFilter selects audit entries; zero fields do not filter.
type AuditFilter struct {
	UserID    int64
	PatientID int64
	Action    string
	// From and To bound the time: From ≤ At < To.
	From, To time.Time
	// Before pages: only entries with an ID below it (the Next of the
	// previous page). Entries come newest first.
	Before int64
	// Limit is the page size: 0 means 100, at most 1,000.
	Limit int
}

// AuditPage is one page of the log, newest first; Next is the Before of
// the next page, 0 on the last.
type AuditPage struct {
	Entries []AuditEntry `json:"entries"`
	Next    int64        `json:"next,omitempty"`
}

// AuditService reads the audit log and records the security events that
// happen before any other service is reached.
//
// Who may call: FindAuditEntries an administrator (or the system), and
// the read is itself audited; Record the web server, for a denied
// request (a missing or invalid session, token or form token) that no
// service saw.
type AuditService interface {
	// FindAuditEntries returns one page of the log. EFORBIDDEN for a
	// non-admin; EINVALID (Field) for a bad filter.
	FindAuditEntries(ctx context.Context, f AuditFilter) (AuditPage, error)
	// Record writes an entry for the actor in ctx (its address, user
	// agent and token are filled in).
	Record(ctx context.Context, action, detail string) error
}

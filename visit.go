package tendo

import (
	"context"
	"encoding/json"
	"time"
)

// StoredAssessment is one assessment (a visit) as it was saved: its
// input, the full result and the model version that produced it. A
// stored result is never recomputed with a newer model.
type StoredAssessment struct {
	// ID is the assessment's public identifier: random, not sequential.
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
	// IdempotencyKey is the client's key for the save (an API
	// Idempotency-Key header, the form's hidden key), "" when none was
	// given: a second save with the same key by the same user for the same
	// patient returns this record instead of storing another.
	IdempotencyKey string `json:"-"`
	// Note is the clinician's free-text clinical note, "" when none (at
	// most MaxNoteLength characters; not in the visit lists).
	Note string `json:"note,omitempty"`

	// issue 10: records. A visit is corrected by a new version (an
	// amendment) that keeps the old one, or marked entered in error.

	// Amends is the version this one replaces (0 for a first version),
	// and AmendReason why it was amended.
	Amends      int64  `json:"amends,omitempty"`
	AmendReason string `json:"amendReason,omitempty"`
	// SupersededBy is the version that replaced this one, 0 while this
	// one is the latest.
	SupersededBy int64 `json:"supersededBy,omitempty"`
	// ErrorAt, ErrorBy and ErrorReason say when, by whom and why the
	// visit was marked entered in error (ErrorAt nil: it was not).
	ErrorAt     *time.Time `json:"errorAt,omitempty"`
	ErrorBy     int64      `json:"errorBy,omitempty"`
	ErrorReason string     `json:"errorReason,omitempty"`
	// RedFlags are the result's red flags, most urgent first (issue 10:
	// safety; lists show them without loading the result).
	RedFlags []RedFlagMark `json:"redFlags,omitempty"`
}

// MaxNoteLength bounds a visit's clinical note, in characters.
const MaxNoteLength = 10000

// Current reports whether the visit is part of the patient's course: the
// latest version of its visit, not entered in error (issue 10: records).
func (a StoredAssessment) Current() bool { return a.SupersededBy == 0 && a.ErrorAt == nil }

// MaxIdempotencyKeyLength bounds an Idempotency-Key.
const MaxIdempotencyKeyLength = 128

// NewVisit is what CreateVisit needs.
type NewVisit struct {
	PatientID int64
	// Assessment is the parsed assessment; Input its contract JSON as it
	// will be stored.
	Assessment *Assessment
	Input      []byte
	// IdempotencyKey, when not "", makes the save idempotent.
	IdempotencyKey string
	// Note is the clinician's free-text note (EINVALID, Field "note", over
	// MaxNoteLength characters).
	Note string
}

// Timeline is a patient's course: the patient, every visit (without
// its documents), every questionnaire response and every link.
type Timeline struct {
	Patient     PatientRecord
	Clinic      Clinic
	Assessments []StoredAssessment
	Responses   []QuestionnaireResponse
	Links       []QuestionnaireLink
	// Corrected are the visits not on the timeline (issue 10: records):
	// the versions amended since and those entered in error, oldest
	// first. Assessments holds only the current ones.
	Corrected []StoredAssessment
}

// VisitService runs and keeps assessments.
//
// Who may call: as for PatientService (a clinician for the patients of
// their clinics, an admin or the system for all); Assess alone needs
// only a user. Every read of a patient's data is audited, and a read
// whose audit entry cannot be written is refused; a save and its audit
// entry are one transaction.
type VisitService interface {
	// Assess runs an assessment without saving it. EUNAUTHORIZED without
	// a user; EINVALID for an assessment the engine refuses.
	Assess(ctx context.Context, a *Assessment) (*Result, error)
	// CreateVisit runs the assessment, stores its input, result and model
	// version, and audits "assessment.create". With an idempotency key
	// the actor has used for this patient already, it returns the stored
	// visit and stores nothing (replayed is then true). ENOTFOUND for a
	// patient the actor may not see; EINVALID (Field) for a bad date (not
	// YYYY-MM-DD, after today by the service's clock, or before the
	// patient's year of birth), key or note, or an assessment the engine
	// refuses.
	CreateVisit(ctx context.Context, v NewVisit) (st StoredAssessment, replayed bool, err error)
	// FindVisit returns one visit whole (audited "assessment.read", or
	// "report.read" when report is true). ENOTFOUND for an unknown visit,
	// one of another patient, or a patient the actor may not see.
	FindVisit(ctx context.Context, patientID, id int64, report bool) (StoredAssessment, error)
	// FindVisits lists a patient's visits without their documents, oldest
	// first (audited "assessment.list").
	FindVisits(ctx context.Context, patientID int64) ([]StoredAssessment, error)
	// FindTimeline returns the patient's course (audited
	// "timeline.read").
	FindTimeline(ctx context.Context, patientID int64) (Timeline, error)
	// StartVisit returns what a new visit of the patient can start from
	// (issue 10: form): the latest visit whole and the latest
	// questionnaire responses since it, audited "assessment.read".
	// ENOTFOUND for a patient the actor may not see.
	StartVisit(ctx context.Context, patientID int64) (VisitStart, error)

	// issue 10: records. FindVisits and FindTimeline list the current
	// visits only (StoredAssessment.Current); FindVisit returns any.

	// AmendVisit saves v as a new version of visit id, run through the
	// same path as CreateVisit, keeping the old version and the reason
	// (audited "assessment.amend"). EINVALID (Field "reason") without a
	// reason or with one longer than MaxReasonLength, and as CreateVisit;
	// ENOTFOUND as FindVisit; ECONFLICT for a version amended already or
	// a visit entered in error.
	AmendVisit(ctx context.Context, id int64, v NewVisit, reason string) (st StoredAssessment, replayed bool, err error)
	// MarkVisitError marks the latest version of a visit entered in error
	// (audited "assessment.error"): it leaves the timeline and the lists
	// and stays readable on its own. EINVALID (Field "reason") as
	// AmendVisit; ENOTFOUND as FindVisit; ECONFLICT for a visit marked
	// already or a version amended since.
	MarkVisitError(ctx context.Context, patientID, id int64, reason string) (StoredAssessment, error)
}

// VisitStart is what a new visit can start from: the patient's latest
// visit (by date, then save), with its input, nil when there is none; and
// the latest questionnaire response of each instrument received after
// that visit was saved (every instrument's latest when there is no
// visit), in the order of the instruments.
type VisitStart struct {
	Last      *StoredAssessment
	Responses []QuestionnaireResponse
}

// Assessor turns an assessment into a result (the assess package's Engine
// implements it). It is safe for concurrent use.
type Assessor interface {
	Assess(a *Assessment) (*Result, error)
	// ModelVersion names the knowledge base that produces the results.
	ModelVersion() string
}

// NewStoredAssessment is the record that keeps an assessment of patient p
// on date: its input document, the result as encoded JSON, the model
// version and classification, and the rounded scores for the timeline.
// (A result encoding/json refuses, with a non-finite number the engine
// never produces, is kept empty, and the store refuses the record.)
func NewStoredAssessment(p PatientRecord, date string, by int64, input []byte, res *Result) StoredAssessment {
	st := StoredAssessment{
		PatientID: p.ID, ClinicID: p.ClinicID, Date: date, CreatedBy: by,
		Input: input, Result: resultJSON(res), ModelVersion: res.ModelVersion, Classification: res.Classification,
	}
	rounded := func(sc *Score) *float64 {
		if sc == nil {
			return nil
		}
		v := sc.Rounded
		return &v
	}
	st.RedFlags = RedFlagMarks(res.RedFlags)
	st.VISAA = rounded(res.Scores.VISAA)
	st.ODI = rounded(res.Scores.ODI)
	st.NPRS = rounded(res.Scores.NPRS)
	st.LEFS = rounded(res.Scores.LEFS)
	return st
}

func resultJSON(res *Result) []byte {
	b, err := json.Marshal(res)
	if err != nil {
		return nil
	}
	return b
}

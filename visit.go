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
	// RedFlags are the result's red flags, most urgent first (issue 10:
	// safety; lists show them without loading the result).
	RedFlags []RedFlagMark `json:"redFlags,omitempty"`
}

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
}

// Timeline is a patient's course: the patient, every visit (without
// its documents), every questionnaire response and every link.
type Timeline struct {
	Patient     PatientRecord
	Clinic      Clinic
	Assessments []StoredAssessment
	Responses   []QuestionnaireResponse
	Links       []QuestionnaireLink
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
	// patient the actor may not see; EINVALID (Field) for a bad date or
	// key, or an assessment the engine refuses.
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

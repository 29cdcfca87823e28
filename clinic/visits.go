package clinic

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/tendo-health/tendo"
)

var _ tendo.VisitService = (*Service)(nil)

// Assess runs an assessment without saving it; any logged-in user (or
// the system) may.
func (s *Service) Assess(ctx context.Context, a *tendo.Assessment) (*tendo.Result, error) {
	act := tendo.ActorFrom(ctx)
	if act.User == nil && act.System == "" {
		return nil, tendo.Errorf(tendo.EUNAUTHORIZED, "Please log in.")
	}
	return s.assess(ctx, a)
}

// assess runs the assessor, telling the caller's mistakes (scores that
// cannot be scored, findings the model cannot hold together: EINVALID)
// from the program's (EINTERNAL).
func (s *Service) assess(ctx context.Context, a *tendo.Assessment) (*tendo.Result, error) {
	if a == nil {
		return nil, tendo.Invalid("", "The assessment is empty.")
	}
	var key [32]byte
	cached := false
	if s.ResultCache > 0 {
		s.cacheOnce.Do(func() { s.cache = newResultCache(s.ResultCache) })
		if key, cached = cacheKey(a); cached {
			if res, ok := s.cache.get(key); ok {
				return res, nil
			}
		}
	}
	release, err := s.assessSlot(ctx)
	if err != nil {
		return nil, err
	}
	res, err := s.Assessor.Assess(a)
	release()
	if err == nil {
		if cached {
			s.cache.put(key, res)
		}
		return res, nil
	}
	var se tendo.ScoreErrors
	if errors.As(err, &se) {
		var errs tendo.Errors
		for _, e := range se {
			field := "proms." + e.Measure
			if e.Field != "" {
				field += "." + e.Field
			}
			errs = append(errs, &tendo.Error{Code: tendo.EINVALID, Field: field, Value: e.Value, Message: e.Msg})
		}
		return nil, errs
	}
	if tendo.ErrorCode(err) == tendo.EINVALID {
		return nil, err
	}
	return nil, fmt.Errorf("assess: %w", err)
}

// CreateVisit runs and stores an assessment of a patient the actor may
// see, with its audit entry, in one transaction. A retry with the same
// idempotency key returns the first save.
func (s *Service) CreateVisit(ctx context.Context, v tendo.NewVisit) (tendo.StoredAssessment, bool, error) {
	p, err := s.visiblePatient(ctx, v.PatientID)
	if err != nil {
		return tendo.StoredAssessment{}, false, err
	}
	return s.createVisit(ctx, p, v, nil)
}

// createVisit is CreateVisit for a patient the actor may see; also, when
// not nil, runs in the save's transaction after the save and its audit
// entry (it is not called for a replay).
func (s *Service) createVisit(ctx context.Context, p tendo.PatientRecord, v tendo.NewVisit, also func(tx tendo.Store, st tendo.StoredAssessment) error) (tendo.StoredAssessment, bool, error) {
	key := v.IdempotencyKey
	if len(key) > tendo.MaxIdempotencyKeyLength || strings.ContainsFunc(key, func(r rune) bool { return r < 0x20 || r == 0x7f }) {
		return tendo.StoredAssessment{}, false, tendo.Invalid("idempotencyKey", "must be at most %d printable characters", tendo.MaxIdempotencyKeyLength)
	}
	by := tendo.ActorFrom(ctx).UserID()
	if key != "" {
		if st, ok, err := s.replay(ctx, p, by, key); ok || err != nil {
			return st, ok, err
		}
	}
	date := v.Assessment.Date
	if date == "" {
		date = s.now().UTC().Format(time.DateOnly)
	} else if err := s.validVisitDate(p, date); err != nil {
		return tendo.StoredAssessment{}, false, err
	}
	if err := validNote(v.Note); err != nil {
		return tendo.StoredAssessment{}, false, err
	}
	res, err := s.assess(ctx, v.Assessment)
	if err != nil {
		return tendo.StoredAssessment{}, false, err
	}
	st := tendo.NewStoredAssessment(p, date, by, v.Input, res)
	st.IdempotencyKey = key
	st.Note = v.Note
	err = s.Store.InTx(ctx, func(tx tendo.Store) error {
		var err error
		if st, err = tx.SaveAssessment(ctx, st); err != nil {
			return err
		}
		e := entry(ctx, tendo.ActionAssessmentCreate)
		e.ClinicID, e.PatientID, e.Detail = p.ClinicID, p.ID, fmt.Sprintf("assessment %d, %s", st.ID, res.Classification)
		if err := s.audit(ctx, tx, e); err != nil {
			return err
		}
		if also != nil {
			return also(tx, st)
		}
		return nil
	})
	if key != "" && tendo.ErrorCode(err) == tendo.ECONFLICT {
		// A concurrent retry with the same key committed first.
		if st, ok, err := s.replay(ctx, p, by, key); ok || err != nil {
			return st, ok, err
		}
	}
	if err != nil {
		return tendo.StoredAssessment{}, false, err
	}
	return st, false, nil
}

// validVisitDate refuses a visit date that is not a date, is after the
// clinic's today (the service's clock) or is before the patient's year of
// birth.
func (s *Service) validVisitDate(p tendo.PatientRecord, date string) error {
	d, err := time.Parse(time.DateOnly, date)
	if err != nil {
		return &tendo.Error{Code: tendo.EINVALID, Field: "date", Value: date, Message: "is not a date (YYYY-MM-DD)"}
	}
	today := s.now().UTC().Format(time.DateOnly)
	if date > today {
		return &tendo.Error{Code: tendo.EINVALID, Field: "date", Value: date, Message: "is in the future (today is " + today + ")"}
	}
	if p.BirthDate != "" && date < p.BirthDate {
		return &tendo.Error{Code: tendo.EINVALID, Field: "date", Value: date, Message: "is before the patient's birth (born " + p.BirthDate + ")"}
	}
	if p.BirthYear > 0 && d.Year() < p.BirthYear {
		return &tendo.Error{Code: tendo.EINVALID, Field: "date", Value: date, Message: fmt.Sprintf("is before the patient's birth (born %d)", p.BirthYear)}
	}
	return nil
}

// validNote refuses a clinical note longer than tendo.MaxNoteLength
// characters or that is not text.
func validNote(note string) error {
	if n := utf8.RuneCountInString(note); n > tendo.MaxNoteLength {
		return &tendo.Error{Code: tendo.EINVALID, Field: "note", Message: fmt.Sprintf("is %d characters long; at most %d are kept", n, tendo.MaxNoteLength)}
	}
	if !utf8.ValidString(note) || strings.ContainsFunc(note, func(r rune) bool { return r == 0 || (r < 0x20 && r != '\n' && r != '\r' && r != '\t') || r == 0x7f }) {
		return &tendo.Error{Code: tendo.EINVALID, Field: "note", Message: "holds characters that are not text"}
	}
	return nil
}

// replay returns the visit saved with the key, audited as a replay, or
// ok false when there is none.
func (s *Service) replay(ctx context.Context, p tendo.PatientRecord, by int64, key string) (tendo.StoredAssessment, bool, error) {
	st, err := s.Store.AssessmentByKey(ctx, by, p.ID, key)
	if tendo.ErrorCode(err) == tendo.ENOTFOUND {
		return tendo.StoredAssessment{}, false, nil
	}
	if err != nil {
		return tendo.StoredAssessment{}, false, err
	}
	if err := s.read(ctx, p, tendo.ActionAssessmentReplay, fmt.Sprintf("assessment %d", st.ID)); err != nil {
		return tendo.StoredAssessment{}, false, err
	}
	return st, true, nil
}

// FindVisit returns a visit of a patient the actor may see, whole.
func (s *Service) FindVisit(ctx context.Context, patientID, id int64, report bool) (tendo.StoredAssessment, error) {
	p, err := s.visiblePatient(ctx, patientID)
	if err != nil {
		return tendo.StoredAssessment{}, err
	}
	st, err := s.Store.Assessment(ctx, id)
	if err == nil && st.PatientID != p.ID {
		s.denied(ctx, p.ClinicID, p.ID, fmt.Sprintf("assessment %d of another patient", id))
		err = tendo.Errorf(tendo.ENOTFOUND, "No such assessment.")
	}
	if tendo.ErrorCode(err) == tendo.ENOTFOUND {
		return tendo.StoredAssessment{}, tendo.Errorf(tendo.ENOTFOUND, "No such assessment.")
	}
	if err != nil {
		return tendo.StoredAssessment{}, err
	}
	action := tendo.ActionAssessmentRead
	if report {
		action = tendo.ActionReportRead
	}
	if err := s.read(ctx, p, action, fmt.Sprintf("assessment %d", st.ID)); err != nil {
		return tendo.StoredAssessment{}, err
	}
	return st, nil
}

// FindVisits lists a visible patient's visits without their documents.
func (s *Service) FindVisits(ctx context.Context, patientID int64) ([]tendo.StoredAssessment, error) {
	p, err := s.visiblePatient(ctx, patientID)
	if err != nil {
		return nil, err
	}
	as, err := s.Store.Assessments(ctx, p.ID)
	if err != nil {
		return nil, err
	}
	as, _ = current(as) // issue 10: records
	if err := s.read(ctx, p, tendo.ActionAssessmentList, fmt.Sprintf("%d assessments", len(as))); err != nil {
		return nil, err
	}
	return as, nil
}

// FindTimeline returns a visible patient's course: visits, responses and
// links.
func (s *Service) FindTimeline(ctx context.Context, patientID int64) (tendo.Timeline, error) {
	p, err := s.visiblePatient(ctx, patientID)
	if err != nil {
		return tendo.Timeline{}, err
	}
	t := tendo.Timeline{Patient: p}
	if t.Clinic, err = s.Store.Clinic(ctx, p.ClinicID); err != nil {
		return tendo.Timeline{}, err
	}
	if t.Assessments, err = s.Store.Assessments(ctx, p.ID); err != nil {
		return tendo.Timeline{}, err
	}
	t.Assessments, t.Corrected = current(t.Assessments) // issue 10: records
	if t.Responses, err = s.Store.Responses(ctx, p.ID); err != nil {
		return tendo.Timeline{}, err
	}
	if t.Links, err = s.Store.Links(ctx, p.ID); err != nil {
		return tendo.Timeline{}, err
	}
	if err := s.read(ctx, p, tendo.ActionTimelineRead, fmt.Sprintf("%d assessments, %d responses", len(t.Assessments), len(t.Responses))); err != nil {
		return tendo.Timeline{}, err
	}
	return t, nil
}

// assessSlot waits for one of AssessSlots slots, at most AssessWait:
// ETOOMANY when none frees in time, the context's error when the client
// gives up first.
func (s *Service) assessSlot(ctx context.Context) (release func(), err error) {
	s.assessOnce.Do(func() {
		s.assessing = make(chan struct{}, max(1, s.AssessSlots))
	})
	select {
	case s.assessing <- struct{}{}:
		return func() { <-s.assessing }, nil
	default:
	}
	wait := s.AssessWait
	if wait <= 0 {
		wait = 3 * time.Second
	}
	t := time.NewTimer(wait)
	defer t.Stop()
	select {
	case s.assessing <- struct{}{}:
		return func() { <-s.assessing }, nil
	case <-t.C:
		return nil, tendo.Errorf(tendo.ETOOMANY, "The server is busy with other assessments; try again in a few seconds.")
	case <-ctx.Done():
		return nil, fmt.Errorf("assess: waiting for a slot: %w", ctx.Err())
	}
}

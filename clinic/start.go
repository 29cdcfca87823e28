package clinic

import (
	"context"
	"fmt"
	"slices"

	"github.com/tendo-health/tendo"
)

// StartVisit returns the patient's latest visit, whole, and the latest
// questionnaire response of each instrument received since, for a new
// visit to start from (issue 10: form). It is audited as a read of that
// visit.
func (s *Service) StartVisit(ctx context.Context, patientID int64) (tendo.VisitStart, error) {
	p, err := s.visiblePatient(ctx, patientID)
	if err != nil {
		return tendo.VisitStart{}, err
	}
	var out tendo.VisitStart
	as, err := s.Store.Assessments(ctx, p.ID)
	if err != nil {
		return tendo.VisitStart{}, err
	}
	detail := "start from the last visit: none"
	if len(as) > 0 {
		last, err := s.Store.Assessment(ctx, as[len(as)-1].ID)
		if err != nil {
			return tendo.VisitStart{}, err
		}
		out.Last = &last
		detail = fmt.Sprintf("start from the last visit: assessment %d", last.ID)
	}
	rs, err := s.Store.Responses(ctx, p.ID)
	if err != nil {
		return tendo.VisitStart{}, err
	}
	latest := map[tendo.Instrument]tendo.QuestionnaireResponse{}
	for _, r := range rs {
		if out.Last != nil && !r.SubmittedAt.After(out.Last.CreatedAt) {
			continue
		}
		if l, ok := latest[r.Instrument]; !ok || !r.SubmittedAt.Before(l.SubmittedAt) {
			latest[r.Instrument] = r
		}
	}
	for _, i := range []tendo.Instrument{tendo.InstrumentVISAA, tendo.InstrumentODI, tendo.InstrumentNPRS, tendo.InstrumentLEFS} {
		if r, ok := latest[i]; ok {
			out.Responses = append(out.Responses, r)
		}
	}
	ids := make([]int64, 0, len(out.Responses))
	for _, r := range out.Responses {
		ids = append(ids, r.ID)
	}
	slices.Sort(ids)
	if len(ids) > 0 {
		detail += fmt.Sprintf(", questionnaire responses %v", ids)
	}
	if err := s.read(ctx, p, tendo.ActionAssessmentRead, detail); err != nil {
		return tendo.VisitStart{}, err
	}
	return out, nil
}

package clinic

// issue 10: safety. The dashboard's list.

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/tendo-health/tendo"
)

// FindPatientSummaries lists the patients of the clinics the actor may
// see that q selects, by name, each with their last visit, red flags,
// open questionnaire links and the measures not improved by the MCID.
// One store query; the audit entry ("patient.list") names the search and
// lists the IDs shown.
func (s *Service) FindPatientSummaries(ctx context.Context, q tendo.PatientQuery) (tendo.PatientSummaries, error) {
	a := tendo.ActorFrom(ctx)
	var scope []int64 // nil: every clinic
	switch {
	case a.Admin():
	case a.User != nil:
		scope = clinicScope(a.User) // issue 11: cds-clinic: none for a CDS client
	default:
		return tendo.PatientSummaries{}, tendo.Errorf(tendo.EUNAUTHORIZED, "Please log in.")
	}
	search := strings.TrimSpace(q.Search)
	var errs tendo.Errors
	if utf8.RuneCountInString(search) > tendo.MaxPatientSearch || !utf8.ValidString(search) || strings.ContainsRune(search, 0) {
		errs = append(errs, tendo.Invalid("q", "Search with at most %d characters of a name or identifier.", tendo.MaxPatientSearch))
	}
	if q.Limit < 0 || q.Limit > tendo.MaxDashboardLimit {
		errs = append(errs, &tendo.Error{Code: tendo.EINVALID, Field: "limit", Value: strconv.Itoa(q.Limit),
			Message: fmt.Sprintf("Choose a limit from 1 to %d.", tendo.MaxDashboardLimit)})
	}
	if len(errs) > 0 {
		return tendo.PatientSummaries{}, errs
	}
	limit := q.Limit
	if limit == 0 {
		limit = tendo.DefaultDashboardLimit
	}
	ps, err := s.Store.PatientSummaries(ctx, tendo.SummaryQuery{ClinicIDs: scope, Search: search, Limit: limit + 1, Now: s.now()})
	if err != nil {
		return tendo.PatientSummaries{}, err
	}
	out := tendo.PatientSummaries{Patients: ps}
	if len(ps) > limit {
		out.Patients, out.More = ps[:limit], true
	}
	for i := range out.Patients {
		p := &out.Patients[i]
		p.NotImproved = tendo.NotImproved(p.First, p.Last)
	}
	var b strings.Builder
	b.WriteString("dashboard")
	if search != "" {
		fmt.Fprintf(&b, ", search %q", search)
	}
	fmt.Fprintf(&b, ", %d patients", len(out.Patients))
	for i, p := range out.Patients {
		if i == 0 {
			b.WriteString(": ")
		} else {
			b.WriteString(" ")
		}
		b.WriteString(strconv.FormatInt(p.ID, 10))
	}
	e := entry(ctx, tendo.ActionPatientList)
	e.Detail = b.String()
	if err := s.audit(ctx, s.Store, e); err != nil {
		return tendo.PatientSummaries{}, fmt.Errorf("audit patient list: %w", err)
	}
	return out, nil
}

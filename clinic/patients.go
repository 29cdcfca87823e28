package clinic

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/tendo-health/tendo"
)

var _ tendo.PatientService = (*Service)(nil)

// Limits on a patient's fields.
const (
	maxPatientName = 200
	maxExternalID  = 100
)

// CreatePatient creates a patient of a clinic the actor may see, and
// audits it in the same transaction.
func (s *Service) CreatePatient(ctx context.Context, np tendo.NewPatient) (tendo.PatientRecord, error) {
	a := tendo.ActorFrom(ctx)
	if a.User == nil && a.System == "" {
		return tendo.PatientRecord{}, tendo.Errorf(tendo.EUNAUTHORIZED, "Please log in.")
	}
	now := s.now()
	var errs tendo.Errors
	p := tendo.PatientRecord{ClinicID: np.ClinicID, Name: strings.TrimSpace(np.Name), ExternalID: strings.TrimSpace(np.ExternalID), BirthYear: np.BirthYear, BirthDate: strings.TrimSpace(np.BirthDate), CreatedBy: a.UserID()}
	switch {
	case p.Name == "":
		errs = append(errs, tendo.Invalid("name", "Enter the patient's name."))
	case len(p.Name) > maxPatientName:
		errs = append(errs, tendo.Invalid("name", "The name is longer than %d characters.", maxPatientName))
	}
	if len(p.ExternalID) > maxExternalID {
		errs = append(errs, tendo.Invalid("externalId", "The identifier is longer than %d characters.", maxExternalID))
	}
	if p.ClinicID <= 0 || !a.CanSee(p.ClinicID) {
		if p.ClinicID > 0 {
			s.denied(ctx, p.ClinicID, 0, "create a patient in a clinic the user does not belong to")
		}
		errs = append(errs, tendo.Invalid("clinicId", "Choose one of your clinics."))
	}
	if y := p.BirthYear; y != 0 && (y < now.Year()-120 || y > now.Year()) {
		errs = append(errs, &tendo.Error{Code: tendo.EINVALID, Field: "birthYear", Value: strconv.Itoa(y),
			Message: fmt.Sprintf("Enter a year between %d and %d, or leave it empty.", now.Year()-120, now.Year())})
	}
	if err := checkBirthDate(&p, now); err != nil {
		errs = append(errs, err)
	}
	if len(errs) > 0 {
		return tendo.PatientRecord{}, errs
	}
	err := s.Store.InTx(ctx, func(st tendo.Store) error {
		var err error
		if p, err = st.CreatePatient(ctx, p); err != nil {
			return err
		}
		e := entry(ctx, tendo.ActionPatientCreate)
		e.ClinicID, e.PatientID = p.ClinicID, p.ID
		return s.audit(ctx, st, e)
	})
	return p, err
}

// visiblePatient loads a patient the actor may see; any other is
// ENOTFOUND (and the attempt is audited as a denial), so that its
// existence does not leak.
func (s *Service) visiblePatient(ctx context.Context, id int64) (tendo.PatientRecord, error) {
	a := tendo.ActorFrom(ctx)
	if a.User == nil && a.System == "" {
		return tendo.PatientRecord{}, tendo.Errorf(tendo.EUNAUTHORIZED, "Please log in.")
	}
	notFound := tendo.Errorf(tendo.ENOTFOUND, "No such patient.")
	if id <= 0 {
		return tendo.PatientRecord{}, notFound
	}
	p, err := s.Store.Patient(ctx, id)
	if tendo.ErrorCode(err) == tendo.ENOTFOUND {
		s.denied(ctx, 0, id, "no such patient")
		return tendo.PatientRecord{}, notFound
	}
	if err != nil {
		return tendo.PatientRecord{}, err
	}
	if !a.CanSee(p.ClinicID) {
		s.denied(ctx, p.ClinicID, p.ID, "patient of another clinic")
		return tendo.PatientRecord{}, notFound
	}
	return p, nil
}

// read audits a read of a patient's data; the caller refuses the read
// when it fails.
func (s *Service) read(ctx context.Context, p tendo.PatientRecord, action, detail string) error {
	e := entry(ctx, action)
	e.ClinicID, e.PatientID, e.Detail = p.ClinicID, p.ID, detail
	if err := s.audit(ctx, s.Store, e); err != nil {
		return fmt.Errorf("audit %s: %w", action, err)
	}
	return nil
}

// FindPatient returns a patient the actor may see.
func (s *Service) FindPatient(ctx context.Context, id int64) (tendo.PatientRecord, error) {
	p, err := s.visiblePatient(ctx, id)
	if err != nil {
		return p, err
	}
	if err := s.read(ctx, p, tendo.ActionPatientRead, ""); err != nil {
		return tendo.PatientRecord{}, err
	}
	return p, nil
}

// FindPatients lists the patients of the clinics the actor may see; the
// audit entry lists the IDs shown.
func (s *Service) FindPatients(ctx context.Context) ([]tendo.PatientRecord, error) {
	a := tendo.ActorFrom(ctx)
	var scope []int64 // nil: every clinic
	switch {
	case a.Admin():
	case a.User != nil:
		scope = clinicScope(a.User) // issue 11: cds-clinic: none for a CDS client
	default:
		return nil, tendo.Errorf(tendo.EUNAUTHORIZED, "Please log in.")
	}
	ps, err := s.Store.Patients(ctx, scope)
	if err != nil {
		return nil, err
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%d patients", len(ps))
	for i, p := range ps {
		if i == 0 {
			b.WriteString(": ")
		} else {
			b.WriteString(" ")
		}
		b.WriteString(strconv.FormatInt(p.ID, 10))
	}
	if err := s.audit(ctx, s.Store, func() tendo.AuditEntry {
		e := entry(ctx, tendo.ActionPatientList)
		e.Detail = b.String()
		return e
	}()); err != nil {
		return nil, fmt.Errorf("audit patient list: %w", err)
	}
	return ps, nil
}

// checkBirthDate checks p's date of birth, when given: a date, not in the
// future, at most 120 years ago, and in the birth year when one is given
// too; the birth year is then taken from it (issue 10: the printed
// report's header names the date of birth).
func checkBirthDate(p *tendo.PatientRecord, now time.Time) *tendo.Error {
	if p.BirthDate == "" {
		return nil
	}
	d, err := time.Parse(time.DateOnly, p.BirthDate)
	today := now.UTC().Format(time.DateOnly)
	switch {
	case err != nil:
		return &tendo.Error{Code: tendo.EINVALID, Field: "birthDate", Value: p.BirthDate, Message: "Enter the date of birth as YYYY-MM-DD, or leave it empty."}
	case p.BirthDate > today:
		return &tendo.Error{Code: tendo.EINVALID, Field: "birthDate", Value: p.BirthDate, Message: "The date of birth is in the future (today is " + today + ")."}
	case d.Year() < now.Year()-120:
		return &tendo.Error{Code: tendo.EINVALID, Field: "birthDate", Value: p.BirthDate, Message: fmt.Sprintf("The date of birth is more than 120 years ago (before %d).", now.Year()-120)}
	case p.BirthYear != 0 && p.BirthYear != d.Year():
		return &tendo.Error{Code: tendo.EINVALID, Field: "birthDate", Value: p.BirthDate, Message: fmt.Sprintf("The date of birth is not in the birth year given (%d).", p.BirthYear)}
	}
	p.BirthYear = d.Year()
	return nil
}

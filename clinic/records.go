package clinic

// Issue 10: records that can be corrected, with an audit trail. Every
// change goes through here, with its audit entry in the change's own
// transaction.

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/tendo-health/tendo"
)

// reason returns the trimmed reason of a correction, or EINVALID (Field
// "reason") for none, one longer than tendo.MaxReasonLength characters
// or one with control characters other than line breaks and tabs.
func reason(r, what string) (string, error) {
	r = strings.TrimSpace(r)
	switch {
	case r == "":
		return "", tendo.Invalid("reason", "Say why %s.", what)
	case !utf8.ValidString(r) || utf8.RuneCountInString(r) > tendo.MaxReasonLength:
		return "", tendo.Invalid("reason", "The reason is longer than %d characters.", tendo.MaxReasonLength)
	case strings.ContainsFunc(r, func(c rune) bool { return unicode.IsControl(c) && c != '\n' && c != '\r' && c != '\t' }):
		return "", tendo.Invalid("reason", "The reason has characters that are not text.")
	}
	return r, nil
}

// UpdatePatient changes a visible patient's name, identifier or year of
// birth; the audit entry names the fields that changed.
func (s *Service) UpdatePatient(ctx context.Context, id int64, c tendo.PatientChanges) (tendo.PatientRecord, error) {
	p, err := s.visiblePatient(ctx, id)
	if err != nil {
		return tendo.PatientRecord{}, err
	}
	now := s.now()
	next := p
	var errs tendo.Errors
	var changed []string
	if c.Name != nil {
		next.Name = strings.TrimSpace(*c.Name)
		switch {
		case next.Name == "":
			errs = append(errs, tendo.Invalid("name", "Enter the patient's name."))
		case len(next.Name) > maxPatientName:
			errs = append(errs, tendo.Invalid("name", "The name is longer than %d characters.", maxPatientName))
		}
		if next.Name != p.Name {
			changed = append(changed, "name")
		}
	}
	if c.ExternalID != nil {
		next.ExternalID = strings.TrimSpace(*c.ExternalID)
		if len(next.ExternalID) > maxExternalID {
			errs = append(errs, tendo.Invalid("externalId", "The identifier is longer than %d characters.", maxExternalID))
		}
		if next.ExternalID != p.ExternalID {
			changed = append(changed, "externalId")
		}
	}
	if c.BirthYear != nil {
		next.BirthYear = *c.BirthYear
		if y := next.BirthYear; y != 0 && (y < now.Year()-120 || y > now.Year()) {
			errs = append(errs, &tendo.Error{Code: tendo.EINVALID, Field: "birthYear", Value: strconv.Itoa(y),
				Message: fmt.Sprintf("Enter a year between %d and %d, or leave it empty.", now.Year()-120, now.Year())})
		}
		if next.BirthYear != p.BirthYear {
			changed = append(changed, "birthYear")
		}
	}
	if c.BirthDate != nil {
		next.BirthDate = strings.TrimSpace(*c.BirthDate)
		if c.BirthYear == nil && next.BirthDate != "" {
			next.BirthYear = 0 // taken from the date
		}
		if next.BirthDate != p.BirthDate {
			changed = append(changed, "birthDate")
		}
	}
	if c.BirthYear != nil || c.BirthDate != nil {
		// The date, new or kept, must lie in the year, new or kept.
		if err := checkBirthDate(&next, now); err != nil {
			errs = append(errs, err)
		}
		if next.BirthYear != p.BirthYear && !slices.Contains(changed, "birthYear") {
			changed = append(changed, "birthYear")
		}
	}
	if len(errs) > 0 {
		return tendo.PatientRecord{}, errs
	}
	err = s.Store.InTx(ctx, func(tx tendo.Store) error {
		if len(changed) > 0 {
			if err := tx.UpdatePatient(ctx, next); err != nil {
				if tendo.ErrorCode(err) == tendo.ECONFLICT {
					return &tendo.Error{Code: tendo.ECONFLICT, Field: "externalId", Message: "Another patient of the clinic has this identifier."}
				}
				return err
			}
		}
		e := entry(ctx, tendo.ActionPatientUpdate)
		e.ClinicID, e.PatientID, e.Detail = p.ClinicID, p.ID, "no change"
		if len(changed) > 0 {
			e.Detail = "changed: " + strings.Join(changed, ", ")
		}
		return s.audit(ctx, tx, e)
	})
	if err != nil {
		return tendo.PatientRecord{}, err
	}
	return next, nil
}

// DeletePatient deletes a patient softly; only an admin may.
func (s *Service) DeletePatient(ctx context.Context, id int64, why string) error {
	if err := s.requireAdmin(ctx, "delete a patient"); err != nil {
		return err
	}
	p, err := s.visiblePatient(ctx, id)
	if err != nil {
		return err
	}
	why, err = reason(why, "the patient is deleted")
	if err != nil {
		return err
	}
	return s.Store.InTx(ctx, func(tx tendo.Store) error {
		if err := tx.DeletePatient(ctx, p.ID, s.now(), tendo.ActorFrom(ctx).UserID(), why); err != nil {
			return err
		}
		e := entry(ctx, tendo.ActionPatientDelete)
		e.ClinicID, e.PatientID, e.Detail = p.ClinicID, p.ID, "reason: "+why
		return s.audit(ctx, tx, e)
	})
}

// correctable loads a visit of a visible patient that may be corrected:
// the latest version, not entered in error. A refused correction is
// audited as a denial.
func (s *Service) correctable(ctx context.Context, patientID, id int64, what string) (tendo.PatientRecord, tendo.StoredAssessment, error) {
	p, err := s.visiblePatient(ctx, patientID)
	if err != nil {
		return p, tendo.StoredAssessment{}, err
	}
	old, err := s.visibleVisit(ctx, p, id)
	if err != nil {
		return p, old, err
	}
	var refused *tendo.Error
	switch {
	case old.SupersededBy != 0:
		refused = &tendo.Error{Code: tendo.ECONFLICT, Message: fmt.Sprintf("This assessment has been amended since: %s the latest version (%d).", what, old.SupersededBy)}
	case old.ErrorAt != nil:
		refused = &tendo.Error{Code: tendo.ECONFLICT, Message: "This assessment has been marked entered in error."}
	}
	if refused != nil {
		s.denied(ctx, p.ClinicID, p.ID, fmt.Sprintf("%s assessment %d: %s", what, old.ID, refused.Message))
		return p, old, refused
	}
	return p, old, nil
}

// AmendVisit saves a new version of a visit through CreateVisit's path
// and links the two, with the audit entries, in one transaction.
func (s *Service) AmendVisit(ctx context.Context, id int64, v tendo.NewVisit, why string) (tendo.StoredAssessment, bool, error) {
	p, old, err := s.correctable(ctx, v.PatientID, id, "amend")
	if err != nil {
		return tendo.StoredAssessment{}, false, err
	}
	if why, err = reason(why, "the assessment is amended"); err != nil {
		return tendo.StoredAssessment{}, false, err
	}
	st, replayed, err := s.createVisit(ctx, p, v, func(tx tendo.Store, st tendo.StoredAssessment) error {
		if err := tx.SupersedeAssessment(ctx, old.ID, st.ID, why); err != nil {
			return err
		}
		e := entry(ctx, tendo.ActionAssessmentAmend)
		e.ClinicID, e.PatientID, e.Detail = p.ClinicID, p.ID, fmt.Sprintf("assessment %d amended by assessment %d; reason: %s", old.ID, st.ID, why)
		return s.audit(ctx, tx, e)
	})
	if err != nil {
		return tendo.StoredAssessment{}, false, err
	}
	if !replayed {
		st.Amends, st.AmendReason = old.ID, why
	}
	return st, replayed, nil
}

// MarkVisitError marks the latest version of a visit entered in error.
func (s *Service) MarkVisitError(ctx context.Context, patientID, id int64, why string) (tendo.StoredAssessment, error) {
	p, st, err := s.correctable(ctx, patientID, id, "mark entered in error")
	if err != nil {
		return tendo.StoredAssessment{}, err
	}
	if why, err = reason(why, "the assessment was entered in error"); err != nil {
		return tendo.StoredAssessment{}, err
	}
	now, by := s.now(), tendo.ActorFrom(ctx).UserID()
	err = s.Store.InTx(ctx, func(tx tendo.Store) error {
		if err := tx.MarkAssessmentError(ctx, st.ID, now, by, why); err != nil {
			return err
		}
		e := entry(ctx, tendo.ActionAssessmentError)
		e.ClinicID, e.PatientID, e.Detail = p.ClinicID, p.ID, fmt.Sprintf("assessment %d; reason: %s", st.ID, why)
		return s.audit(ctx, tx, e)
	})
	if err != nil {
		return tendo.StoredAssessment{}, err
	}
	st.ErrorAt, st.ErrorBy, st.ErrorReason = &now, by, why
	return st, nil
}

// current splits a patient's visits into those on the timeline and the
// corrected ones (amended since, or entered in error).
func current(as []tendo.StoredAssessment) (cur, corrected []tendo.StoredAssessment) {
	cur = make([]tendo.StoredAssessment, 0, len(as))
	for _, a := range as {
		if a.Current() {
			cur = append(cur, a)
		} else {
			corrected = append(corrected, a)
		}
	}
	return cur, corrected
}

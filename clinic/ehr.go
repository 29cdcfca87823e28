package clinic

// Issue 11: the EHR interface. Exports of patients' records (turned into
// FHIR by the callers) and the audit of imports into a draft.

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/tendo-health/tendo"
)

var _ tendo.EHRService = (*Service)(nil)

// ExportPatient returns a visible patient with their current visits whole
// and their questionnaire responses, audited "fhir.export".
func (s *Service) ExportPatient(ctx context.Context, patientID int64) (tendo.PatientExport, error) {
	p, err := s.visiblePatient(ctx, patientID)
	if err != nil {
		return tendo.PatientExport{}, err
	}
	x, err := s.exportOf(ctx, p)
	if err != nil {
		return tendo.PatientExport{}, err
	}
	if err := s.read(ctx, p, tendo.ActionFHIRExport, fmt.Sprintf("%d assessments, %d responses", len(x.Visits), len(x.Responses))); err != nil {
		return tendo.PatientExport{}, err
	}
	return x, nil
}

// exportOf loads p's current visits whole and their responses.
func (s *Service) exportOf(ctx context.Context, p tendo.PatientRecord) (tendo.PatientExport, error) {
	x := tendo.PatientExport{Patient: p}
	as, err := s.Store.Assessments(ctx, p.ID)
	if err != nil {
		return x, err
	}
	as, _ = current(as)
	x.Visits = make([]tendo.StoredAssessment, 0, len(as))
	for _, a := range as {
		whole, err := s.Store.Assessment(ctx, a.ID)
		if err != nil {
			return x, err
		}
		x.Visits = append(x.Visits, whole)
	}
	if x.Responses, err = s.Store.Responses(ctx, p.ID); err != nil {
		return x, err
	}
	return x, nil
}

// ExportPatients exports every patient the actor may see, at most
// tendo.MaxExportPatients, audited once with the IDs.
func (s *Service) ExportPatients(ctx context.Context) ([]tendo.PatientExport, error) {
	a := tendo.ActorFrom(ctx)
	var scope []int64 // nil: every clinic
	switch {
	case a.Admin():
	case a.User != nil:
		scope = append([]int64{}, a.User.ClinicIDs...) // never nil: no clinic sees no patient
	default:
		return nil, tendo.Errorf(tendo.EUNAUTHORIZED, "Please log in.")
	}
	ps, err := s.Store.Patients(ctx, scope)
	if err != nil {
		return nil, err
	}
	if len(ps) > tendo.MaxExportPatients {
		return nil, tendo.Errorf(tendo.EINVALID, "There are %d patients to export; one export takes at most %d.", len(ps), tendo.MaxExportPatients)
	}
	out := make([]tendo.PatientExport, 0, len(ps))
	var b strings.Builder
	fmt.Fprintf(&b, "%d patients", len(ps))
	for i, p := range ps {
		x, err := s.exportOf(ctx, p)
		if err != nil {
			return nil, err
		}
		out = append(out, x)
		if i == 0 {
			b.WriteString(": ")
		} else {
			b.WriteString(" ")
		}
		b.WriteString(strconv.FormatInt(p.ID, 10))
	}
	e := entry(ctx, tendo.ActionFHIRExport)
	e.Detail = b.String()
	if err := s.audit(ctx, s.Store, e); err != nil {
		return nil, fmt.Errorf("audit fhir export: %w", err)
	}
	return out, nil
}

// RecordImport audits an import into a draft: by a user, for a visible
// patient or none.
func (s *Service) RecordImport(ctx context.Context, patientID int64, mapped, unmapped int) error {
	if _, err := user(ctx); err != nil {
		return err
	}
	if mapped < 0 || unmapped < 0 {
		return tendo.Invalid("mapped", "The counts of an import cannot be negative.")
	}
	e := entry(ctx, tendo.ActionFHIRImport)
	e.Detail = fmt.Sprintf("draft: %d mapped, %d unmapped", mapped, unmapped)
	if patientID != 0 {
		p, err := s.visiblePatient(ctx, patientID)
		if err != nil {
			return err
		}
		e.ClinicID, e.PatientID = p.ClinicID, p.ID
	}
	if err := s.audit(ctx, s.Store, e); err != nil {
		return fmt.Errorf("audit fhir import: %w", err)
	}
	return nil
}

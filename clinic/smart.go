package clinic

import (
	"context"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/tendo-health/tendo"
)

// issue 11: smart

var _ tendo.EHRLinkService = (*Service)(nil)

// LaunchPatient opens the EHR's patient of a SMART launch in tendo: the
// linked patient, or a new patient and link made from l.Fetch. The
// launch is audited "smart.launch" (iss and the EHR's patient id), the
// read "patient.read" or the creation "patient.create".
func (s *Service) LaunchPatient(ctx context.Context, l tendo.EHRLaunch) (tendo.PatientRecord, error) {
	a := tendo.ActorFrom(ctx)
	if a.User == nil && a.System == "" {
		return tendo.PatientRecord{}, tendo.Errorf(tendo.EUNAUTHORIZED, "Please log in.")
	}
	switch {
	case l.ISS == "" || len(l.ISS) > tendo.MaxISSLength || !utf8.ValidString(l.ISS):
		return tendo.PatientRecord{}, tendo.Invalid("iss", "The EHR's address must be 1 to %d bytes of text.", tendo.MaxISSLength)
	case !fhirID(l.FHIRPatientID):
		return tendo.PatientRecord{}, tendo.Invalid("fhirPatientId", "The EHR's patient id is not a FHIR id (1 to %d of A–Z a–z 0–9 - .).", tendo.MaxFHIRIDLength)
	case l.Fetch == nil:
		return tendo.PatientRecord{}, tendo.Invalid("fetch", "The launch cannot read the EHR's patient.")
	}
	if l.ClinicID <= 0 || !a.CanSee(l.ClinicID) {
		s.denied(ctx, l.ClinicID, 0, "SMART launch from "+l.ISS+" into a clinic the user does not belong to")
		return tendo.PatientRecord{}, tendo.Errorf(tendo.ENOTFOUND, "This EHR opens the patients of a clinic you do not belong to.")
	}
	p, created, err := s.ehrPatient(ctx, l)
	if err != nil {
		return tendo.PatientRecord{}, err
	}
	e := entry(ctx, tendo.ActionSMARTLaunch)
	e.ClinicID, e.PatientID = p.ClinicID, p.ID
	e.Detail = fmt.Sprintf("iss %s; EHR patient %s", l.ISS, l.FHIRPatientID)
	if created {
		e.Detail += "; new tendo patient and link"
	}
	if err := s.audit(ctx, s.Store, e); err != nil {
		return tendo.PatientRecord{}, fmt.Errorf("audit %s: %w", tendo.ActionSMARTLaunch, err)
	}
	return p, nil
}

// ehrPatient finds the linked patient (a read, audited) or creates the
// patient and the link (audited in their transaction). Two launches of
// one new patient at once: the second's link is a conflict, and it reads
// the first's patient instead.
func (s *Service) ehrPatient(ctx context.Context, l tendo.EHRLaunch) (tendo.PatientRecord, bool, error) {
	link, err := s.Store.EHRLink(ctx, l.ClinicID, l.ISS, l.FHIRPatientID)
	switch {
	case err == nil:
		p, err := s.FindPatient(ctx, link.PatientID)
		if tendo.ErrorCode(err) == tendo.ENOTFOUND {
			return tendo.PatientRecord{}, false, tendo.Errorf(tendo.ENOTFOUND, "The EHR's patient is linked to a tendo patient that has been deleted.")
		}
		return p, false, err
	case tendo.ErrorCode(err) != tendo.ENOTFOUND:
		return tendo.PatientRecord{}, false, err
	}
	ep, err := l.Fetch(ctx)
	if err != nil {
		return tendo.PatientRecord{}, false, err
	}
	now := s.now()
	p := tendo.PatientRecord{ClinicID: l.ClinicID, Name: strings.TrimSpace(ep.Name), ExternalID: strings.TrimSpace(ep.MRN), BirthDate: ep.BirthDate, CreatedBy: tendo.ActorFrom(ctx).UserID()}
	switch {
	case p.Name == "" || !utf8.ValidString(p.Name):
		return tendo.PatientRecord{}, false, tendo.Invalid("name", "The EHR's patient has no name tendo can use.")
	case len(p.Name) > maxPatientName:
		return tendo.PatientRecord{}, false, tendo.Invalid("name", "The EHR's patient's name is longer than %d characters.", maxPatientName)
	case len(p.ExternalID) > maxExternalID || !utf8.ValidString(p.ExternalID):
		return tendo.PatientRecord{}, false, tendo.Invalid("externalId", "The EHR's medical record number is longer than %d characters or not text.", maxExternalID)
	}
	if err := checkBirthDate(&p, now); err != nil {
		return tendo.PatientRecord{}, false, err
	}
	err = s.Store.InTx(ctx, func(st tendo.Store) error {
		var err error
		if p, err = st.CreatePatient(ctx, p); err != nil {
			if tendo.ErrorCode(err) == tendo.ECONFLICT {
				return tendo.Errorf(tendo.ECONFLICT, "Another patient of this clinic has the EHR's medical record number %q: tendo does not assume they are one person. Ask an administrator to check both records.", p.ExternalID)
			}
			return err
		}
		e := entry(ctx, tendo.ActionPatientCreate)
		e.ClinicID, e.PatientID, e.Detail = p.ClinicID, p.ID, "from SMART launch, iss "+l.ISS
		if err := s.audit(ctx, st, e); err != nil {
			return err
		}
		_, err = st.CreateEHRLink(ctx, tendo.EHRLink{ClinicID: l.ClinicID, ISS: l.ISS, FHIRPatientID: l.FHIRPatientID, PatientID: p.ID, CreatedBy: p.CreatedBy})
		return err
	})
	if tendo.ErrorCode(err) == tendo.ECONFLICT {
		// Either the MRN (reported as is) or a link made meanwhile.
		if link, lerr := s.Store.EHRLink(ctx, l.ClinicID, l.ISS, l.FHIRPatientID); lerr == nil {
			p, err := s.FindPatient(ctx, link.PatientID)
			return p, false, err
		}
	}
	if err != nil {
		return tendo.PatientRecord{}, false, err
	}
	return p, true, nil
}

// fhirID reports whether id is a FHIR id: 1 to 64 of A–Z a–z 0–9 - .
func fhirID(id string) bool {
	if id == "" || len(id) > tendo.MaxFHIRIDLength {
		return false
	}
	for i := 0; i < len(id); i++ {
		c := id[i]
		if !('A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-' || c == '.') {
			return false
		}
	}
	return true
}

// end issue 11: smart

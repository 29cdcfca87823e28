package web

// issue 10: report. The printable report as a clinical document: the
// patient, the clinic and the clinician come from the clinic's records,
// the side and the findings from the stored assessment.

import (
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"strconv"

	"github.com/tendo-health/tendo"
	"github.com/tendo-health/tendo/intake"
	"github.com/tendo-health/tendo/report"
)

// reportHeader is the header of a visit's report and result page: the
// patient's name, date of birth (or the year, when only that is known)
// and identifier, the side of the symptoms, the visit's date, the clinic
// and the clinician. The clinician is the one who entered the visit when
// the actor may see their name (themself, or an admin), otherwise the
// clinician issuing the report.
func (s *Server) reportHeader(r *http.Request, p tendo.PatientRecord, st tendo.StoredAssessment, a *tendo.Assessment) report.Header {
	ctx := r.Context()
	h := report.Header{Patient: p.Name, Identifier: p.ExternalID, VisitDate: st.Date}
	switch {
	case p.BirthDate != "":
		h.Born = p.BirthDate
	case p.BirthYear > 0:
		h.Born = strconv.Itoa(p.BirthYear)
	}
	if a != nil && a.Side != nil {
		h.Side = string(*a.Side)
	}
	if cs, err := s.svc.FindClinics(ctx); err == nil {
		for _, c := range cs {
			if c.ID == p.ClinicID {
				h.Clinic = c.Name
			}
		}
	}
	if u, err := s.svc.FindUser(ctx, st.CreatedBy); err == nil {
		h.Clinician = u.Name
	} else if u, ok := userFrom(ctx); ok {
		h.Clinician = u.Name
	}
	return h
}

// storedAssessment parses a visit's stored input; nil when it cannot be
// read (a document stored under an older contract is still shown).
func storedAssessment(st tendo.StoredAssessment) *tendo.Assessment {
	a, err := intake.Parse(st.Input)
	if err != nil {
		return nil
	}
	return a
}

// findingLabel names a finding as the assessment form's labels table
// does; "" (the report's own name from the path) for the fields the form
// names from their path.
func findingLabel(path string) string { return labels[path] }

// reportDocument is the printable document of a loaded visit.
func reportDocument(d resultData) report.Document {
	return report.Document{
		Header:   d.Header,
		Findings: report.Findings(storedAssessment(d.Assessment), findingLabel),
		Result:   d.Result,
		Screen:   d.Screen, // issue 10: safety, on paper too
	}
}

// styleHash is the Content-Security-Policy source of an inline style.
func styleHash(css string) string {
	sum := sha256.Sum256([]byte(css))
	return "'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'"
}

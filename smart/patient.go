package smart

import (
	"context"
	"io"
	"mime"
	"net/http"
	"strings"

	"github.com/tendo-health/tendo"
	"github.com/tendo-health/tendo/fhir"
)

// MaxPatientBytes bounds the Patient resource read from an EHR (a
// Patient is a few KiB; fhir.MaxBytes is the reader's own, larger
// limit).
const MaxPatientBytes = 1 << 20

// mrType is the identifier type of a medical record number: code MR of
// the HL7 v2 table 0203 (terminology.hl7.org/CodeSystem/v2-0203).
const (
	mrSystem = "http://terminology.hl7.org/CodeSystem/v2-0203"
	mrCode   = "MR"
)

// FetchPatient reads the launch's patient from the EHR's FHIR server
// (GET {iss}/Patient/{patient} with the access token) and returns what
// tendo keeps of it: the name, the date of birth (when it is a full
// date) and the medical record number (the first identifier typed MR),
// as a tendo.EHRPatient. Errors are *tendo.Error: EINVALID naming the
// element (Patient.name, Patient.id …) for a resource tendo cannot use,
// EINTERNAL for a server that cannot be reached or refuses.
func (l *Launcher) FetchPatient(ctx context.Context, c *Context) (tendo.EHRPatient, error) {
	if !ValidID(c.Patient) {
		return tendo.EHRPatient{}, invalid("patient", "is not a FHIR id")
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.ISS+"/Patient/"+c.Patient, nil)
	if err != nil {
		return tendo.EHRPatient{}, invalid("iss", "is not a URL tendo can request")
	}
	req.Header.Set("Accept", "application/fhir+json")
	c.Token.SetAuthHeader(req)
	resp, err := l.client().Do(req)
	if err != nil {
		return tendo.EHRPatient{}, tendo.Errorf(tendo.EINTERNAL, "The EHR's patient could not be read: %v", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return tendo.EHRPatient{}, tendo.Errorf(tendo.EINTERNAL, "The EHR answered %s to the read of its patient.", resp.Status)
	}
	if mt, _, _ := mime.ParseMediaType(resp.Header.Get("Content-Type")); mt != "application/fhir+json" && mt != "application/json" {
		return tendo.EHRPatient{}, tendo.Errorf(tendo.EINTERNAL, "The EHR's patient is not FHIR JSON (Content-Type %q).", clip(mt, 80))
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, MaxPatientBytes+1))
	if err != nil {
		return tendo.EHRPatient{}, tendo.Errorf(tendo.EINTERNAL, "The EHR's patient could not be read: %v", err)
	}
	if len(body) > MaxPatientBytes {
		return tendo.EHRPatient{}, invalid("Patient", "the EHR's Patient is larger than %d KiB", MaxPatientBytes>>10)
	}
	return PatientFromFHIR(body, c.Patient)
}

// PatientFromFHIR reads a FHIR R4 Patient (JSON) whose id must be id,
// and returns its name, date of birth and MRN. The name is the text of
// the official name (or the first one), else its given names and family
// name; a date of birth that is not a full date (1970 or 1970-03) is left
// out. EINVALID names the element at fault.
func PatientFromFHIR(body []byte, id string) (tendo.EHRPatient, error) {
	r, err := fhir.Unmarshal(body)
	if err != nil {
		if fe, ok := err.(*fhir.Error); ok {
			return tendo.EHRPatient{}, invalid(fe.Path, "%s", fe.Msg)
		}
		return tendo.EHRPatient{}, invalid("Patient", "%v", err)
	}
	p, ok := r.(*fhir.Patient)
	if !ok {
		return tendo.EHRPatient{}, invalid("resourceType", "is %s, not Patient", clip(r.ResourceType(), 40))
	}
	if p.ID != id {
		return tendo.EHRPatient{}, invalid("Patient.id", "is %q, not the patient in context %q", clip(p.ID, 80), id)
	}
	var out tendo.EHRPatient
	out.Name = patientName(p.Name)
	if out.Name == "" {
		return tendo.EHRPatient{}, invalid("Patient.name", "is missing: tendo needs the patient's name")
	}
	if len(p.BirthDate) == len("2006-01-02") {
		out.BirthDate = p.BirthDate
	}
	for _, idn := range p.Identifier {
		if idn.Type == nil || idn.Value == "" {
			continue
		}
		for _, cd := range idn.Type.Coding {
			if cd.System == mrSystem && cd.Code == mrCode {
				out.MRN = idn.Value
				break
			}
		}
		if out.MRN != "" {
			break
		}
	}
	return out, nil
}

// patientName is the name tendo shows: the official name (else the
// first), its text, else its given names and family name.
func patientName(names []fhir.HumanName) string {
	if len(names) == 0 {
		return ""
	}
	n := names[0]
	for _, m := range names {
		if m.Use == "official" {
			n = m
			break
		}
	}
	if t := strings.TrimSpace(n.Text); t != "" {
		return t
	}
	parts := append(append([]string{}, n.Given...), n.Family)
	return strings.Join(strings.Fields(strings.Join(parts, " ")), " ")
}

package tendo

import (
	"context"
	"time"
)

// issue 11: smart

// EHRLink ties a patient of tendo to a patient of an EHR: the EHR's FHIR
// Patient id at the EHR's FHIR base URL (the iss of a SMART launch),
// within one clinic. A patient of an EHR is linked to at most one tendo
// patient per clinic.
type EHRLink struct {
	ClinicID int64 `json:"clinicId"`
	// ISS is the EHR's FHIR base URL, without a trailing slash.
	ISS string `json:"iss"`
	// FHIRPatientID is the id of the EHR's Patient resource.
	FHIRPatientID string    `json:"fhirPatientId"`
	PatientID     int64     `json:"patientId"`
	CreatedAt     time.Time `json:"createdAt"`
	CreatedBy     int64     `json:"createdBy,omitempty"`
}

// Limits of an EHR link's fields, in bytes.
const (
	MaxISSLength    = 2048
	MaxFHIRIDLength = 64 // FHIR R4's id datatype
)

// EHRPatient is what tendo keeps of an EHR's Patient resource when it
// creates a tendo patient for it.
type EHRPatient struct {
	Name string
	// BirthDate is YYYY-MM-DD, "" when the EHR gave none or only a year.
	BirthDate string
	// MRN is the medical record number (the identifier typed MR), kept as
	// the patient's external ID; "" when there is none.
	MRN string
}

// EHRLaunch is an EHR's launch of tendo with a patient in context.
type EHRLaunch struct {
	ClinicID      int64
	ISS           string
	FHIRPatientID string
	// Fetch reads the EHR's patient; it is called only when the patient
	// has no link yet.
	Fetch func(ctx context.Context) (EHRPatient, error)
}

// EHRLinkService opens an EHR's patient in tendo.
//
// Who may call: a signed-in clinician (or admin) of the launch's clinic,
// through the web server's SMART launch; the system may too (tests, a
// future import). Every launch is audited "smart.launch" with the iss and
// the EHR's patient id; the read or creation of the tendo patient is
// audited as the patient services do ("patient.read", "patient.create").
type EHRLinkService interface {
	// LaunchPatient returns the tendo patient linked to the EHR's
	// patient, creating the patient (from l.Fetch) and the link when
	// there is none. EUNAUTHORIZED without a user; ENOTFOUND for a clinic
	// the actor does not belong to (audited as a denial) or a linked
	// patient since deleted; EINVALID (Field "iss", "fhirPatientId", or
	// the patient's "name", "birthDate", "externalId") for bad input;
	// ECONFLICT when the EHR's MRN is the external ID of another patient
	// of the clinic (tendo does not guess that they are one person).
	LaunchPatient(ctx context.Context, l EHRLaunch) (PatientRecord, error)
}

// ActionSMARTLaunch is the audit action of an EHR launch.
const ActionSMARTLaunch = "smart.launch"

// end issue 11: smart

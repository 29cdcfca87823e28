package tendo

import (
	"context"
	"time"
)

// PatientRecord is a patient of a clinic (the assessment's "patient"
// section describes the patient at one visit; this is the person).
type PatientRecord struct {
	// ID is the patient's public identifier: random, not sequential, so
	// that it says nothing about how many patients a clinic has.
	ID       int64  `json:"id"`
	ClinicID int64  `json:"clinicId"`
	Name     string `json:"name"`
	// ExternalID is the clinic's own identifier (an MRN), optional.
	ExternalID string `json:"externalId,omitempty"`
	// BirthYear is the year of birth, 0 when not given.
	BirthYear int `json:"birthYear,omitempty"`
	// BirthDate is the date of birth (YYYY-MM-DD), "" when not given;
	// when given, BirthYear is its year.
	BirthDate string    `json:"birthDate,omitempty"`
	CreatedAt time.Time `json:"createdAt"`
	CreatedBy int64     `json:"createdBy"`
}

// NewPatient is what CreatePatient needs.
type NewPatient struct {
	ClinicID   int64
	Name       string
	ExternalID string
	BirthYear  int
	// BirthDate is the date of birth, YYYY-MM-DD ("" when not given).
	BirthDate string
}

// PatientService keeps the patients of the clinics.
//
// Who may call: a clinician for the patients of their clinics, an admin
// (or the system) for every clinic. A patient of a clinic the actor may
// not see is ENOTFOUND, so its existence does not leak; every read is
// audited, and a read whose audit entry cannot be written is refused.
type PatientService interface {
	// CreatePatient creates a patient. EUNAUTHORIZED without a user;
	// EINVALID (Field "clinicId", "name", "externalId", "birthYear" or
	// "birthDate": a date of birth in the future, more than 120 years
	// ago, or in another year than the birth year given);
	// ENOTFOUND as EINVALID for a clinic the actor may not see; ECONFLICT
	// for an external ID the clinic has already.
	CreatePatient(ctx context.Context, p NewPatient) (PatientRecord, error)
	// FindPatient returns one patient (audited "patient.read").
	// ENOTFOUND for an unknown patient or one of another clinic.
	FindPatient(ctx context.Context, id int64) (PatientRecord, error)
	// FindPatients lists the patients the actor may see, by name
	// (audited "patient.list", with the IDs listed).
	FindPatients(ctx context.Context) ([]PatientRecord, error)

	// issue 10: records.

	// UpdatePatient changes the fields of c that are not nil (audited
	// "patient.update", with the names of the fields that changed, never
	// their values). ENOTFOUND as FindPatient; EINVALID (Field "name",
	// "externalId" or "birthYear") as CreatePatient; ECONFLICT for an
	// external ID another patient of the clinic has.
	UpdatePatient(ctx context.Context, id int64, c PatientChanges) (PatientRecord, error)
	// DeletePatient hides a patient everywhere, keeping the record (a
	// soft delete, audited "patient.delete" with the reason), and ends
	// its unanswered questionnaire links. Admins only: EFORBIDDEN for
	// anyone else; EINVALID (Field "reason") without a reason or with
	// one longer than MaxReasonLength; ENOTFOUND as FindPatient.
	DeletePatient(ctx context.Context, id int64, reason string) error
	// issue 10: safety
	// FindPatientSummaries lists the patients q selects for the dashboard,
	// by name, with their last visit, red flags, open links and measures
	// not improved (audited "patient.list", with the IDs listed).
	// EUNAUTHORIZED without a user; EINVALID (Field "q" or "limit") for a
	// search longer than MaxPatientSearch or a limit outside
	// 0–MaxDashboardLimit.
	FindPatientSummaries(ctx context.Context, q PatientQuery) (PatientSummaries, error)
}

// PatientChanges is what UpdatePatient changes: a nil field is kept.
// (The clinic is not among them: a patient's records stay with the
// clinic that made them.)
type PatientChanges struct {
	Name       *string `json:"name,omitempty"`
	ExternalID *string `json:"externalId,omitempty"`
	BirthYear  *int    `json:"birthYear,omitempty"`
	BirthDate  *string `json:"birthDate,omitempty"`
}

// MaxReasonLength bounds the reason of an amendment, of an assessment
// marked entered in error and of a deleted patient, in characters.
const MaxReasonLength = 500

// End of issue 10: records.

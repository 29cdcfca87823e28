package tendo

import "context"

// This file declares the service behind tendo's EHR interface (issue 11:
// FHIR R4 import and export). The FHIR mapping itself (package fhirmap)
// and the wire format (package fhir) sit outside the root: the service
// hands out and records tendo's own records, and the web server and the
// commands turn them into FHIR resources.

// Audit actions of the EHR interface.
const (
	// ActionFHIRExport is a patient's record read for export as FHIR
	// (a Bundle, or Bulk Data NDJSON for a population, with the IDs).
	ActionFHIRExport = "fhir.export"
	// ActionFHIRImport is FHIR data read into an assessment draft, with
	// the counts of mapped and unmapped items (the draft is not saved).
	ActionFHIRImport = "fhir.import"
)

// MaxExportPatients bounds the patients one ExportPatients call returns:
// a population larger than this is refused rather than cut short.
const MaxExportPatients = 1000

// PatientExport is one patient's record as it goes out to an EHR: the
// patient, their current visits whole (input and result documents, oldest
// first; amended versions and visits entered in error are left out) and
// their questionnaire responses, oldest first.
type PatientExport struct {
	Patient   PatientRecord
	Visits    []StoredAssessment
	Responses []QuestionnaireResponse
}

// EHRService exports patients' records for an EHR and records imports.
//
// Who may call: as for PatientService, a clinician for the patients of
// their clinics, an admin or the system for every clinic. Every export is
// audited, and an export whose audit entry cannot be written is refused.
type EHRService interface {
	// ExportPatient returns one patient with their current visits whole
	// and their questionnaire responses (audited "fhir.export").
	// EUNAUTHORIZED without an actor; ENOTFOUND for an unknown patient or
	// one the actor may not see.
	ExportPatient(ctx context.Context, patientID int64) (PatientExport, error)
	// ExportPatients returns the same for every patient the actor may see,
	// by name (audited "fhir.export" with the IDs), for a Bulk Data style
	// export of a population. EUNAUTHORIZED without an actor; EINVALID
	// when there are more than MaxExportPatients of them.
	ExportPatients(ctx context.Context) ([]PatientExport, error)
	// RecordImport audits an import of FHIR data into an assessment draft
	// ("fhir.import", with the counts of mapped and unmapped items); the
	// draft is not saved. patientID is the tendo patient the draft is
	// for, 0 when it is for none yet. EUNAUTHORIZED without a user;
	// ENOTFOUND for a patient the actor may not see; EINVALID for a
	// negative count.
	RecordImport(ctx context.Context, patientID int64, mapped, unmapped int) error
}

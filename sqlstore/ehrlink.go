package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/tendo-health/tendo"
)

// issue 11: smart

// CreateEHRLink stores a link of an EHR's patient to a tendo patient of
// the clinic; see tendo.Store.
func (d *DB) CreateEHRLink(ctx context.Context, l tendo.EHRLink) (tendo.EHRLink, error) {
	switch {
	case l.ClinicID <= 0:
		return tendo.EHRLink{}, tendo.Invalid("clinicId", "EHR link clinic is required")
	case l.PatientID <= 0:
		return tendo.EHRLink{}, tendo.Invalid("patientId", "EHR link patient is required")
	case l.ISS == "" || len(l.ISS) > tendo.MaxISSLength:
		return tendo.EHRLink{}, tendo.Invalid("iss", "EHR link iss must be 1 to %d bytes", tendo.MaxISSLength)
	case l.FHIRPatientID == "" || len(l.FHIRPatientID) > tendo.MaxFHIRIDLength:
		return tendo.EHRLink{}, tendo.Invalid("fhirPatientId", "EHR link FHIR patient id must be 1 to %d bytes", tendo.MaxFHIRIDLength)
	}
	if err := validText("iss", l.ISS, "FHIR patient id", l.FHIRPatientID); err != nil {
		return tendo.EHRLink{}, err
	}
	l.CreatedAt = d.now()
	_, err := d.exec(ctx, d.wq(), `INSERT INTO ehr_links (clinic_id, iss, fhir_patient_id, patient_id, created_at, created_by)
		VALUES (?, ?, ?, ?, ?, ?)`,
		l.ClinicID, l.ISS, l.FHIRPatientID, l.PatientID, d.ts(l.CreatedAt), nullID(l.CreatedBy))
	if err != nil {
		if violation(err) == uniqueViolation {
			return tendo.EHRLink{}, tendo.Errorf(tendo.ECONFLICT, "clinic %d has a link for patient %q of %s already", l.ClinicID, l.FHIRPatientID, l.ISS)
		}
		if d.txn != nil {
			return tendo.EHRLink{}, txRefErr("create EHR link", err, ref{"patients", "patient", l.PatientID}, ref{"users", "user", l.CreatedBy})
		}
		return tendo.EHRLink{}, d.patientRef(ctx, "create EHR link", err, l.PatientID, l.ClinicID, l.CreatedBy)
	}
	return l, nil
}

// EHRLink returns the clinic's link for an EHR's patient; see
// tendo.Store.
func (d *DB) EHRLink(ctx context.Context, clinicID int64, iss, fhirPatientID string) (tendo.EHRLink, error) {
	l := tendo.EHRLink{ClinicID: clinicID, ISS: iss, FHIRPatientID: fhirPatientID}
	var at dbTime
	var by sql.NullInt64
	err := d.queryRow(ctx, d.rq(), `SELECT patient_id, created_at, created_by FROM ehr_links
		WHERE clinic_id = ? AND iss = ? AND fhir_patient_id = ?`, clinicID, iss, fhirPatientID).Scan(&l.PatientID, &at, &by)
	if errors.Is(err, sql.ErrNoRows) {
		return tendo.EHRLink{}, tendo.Errorf(tendo.ENOTFOUND, "no EHR link for patient %q of %s in clinic %d", fhirPatientID, iss, clinicID)
	}
	if err != nil {
		return tendo.EHRLink{}, fmt.Errorf("EHR link: %w", err)
	}
	l.CreatedAt, l.CreatedBy = at.T, by.Int64
	return l, nil
}

// end issue 11: smart

package sqlstore

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/tendo-health/tendo"
)

// maxGaitFileName bounds a trial's file name, in bytes.
const maxGaitFileName = 255

// CreateGaitTrial stores a trial of an existing visit of the patient,
// with its file and its report as JSON; see tendo.Store.
func (d *DB) CreateGaitTrial(ctx context.Context, t tendo.GaitTrial) (tendo.GaitTrial, error) {
	switch {
	case t.PatientID <= 0:
		return tendo.GaitTrial{}, tendo.Invalid("patientId", "gait trial patient is required")
	case t.VisitID <= 0:
		return tendo.GaitTrial{}, tendo.Invalid("visitId", "gait trial visit is required")
	case strings.TrimSpace(t.File) == "":
		return tendo.GaitTrial{}, tendo.Invalid("file", "gait trial file name is required")
	case len(t.File) > maxGaitFileName:
		return tendo.GaitTrial{}, tendo.Invalid("file", "gait trial file name is longer than %d bytes", maxGaitFileName)
	case len(t.Data) == 0:
		return tendo.GaitTrial{}, tendo.Invalid("data", "gait trial file is empty")
	case t.Report == nil:
		return tendo.GaitTrial{}, tendo.Invalid("report", "gait trial report is required")
	}
	if err := validText("gait trial file name", t.File); err != nil {
		return tendo.GaitTrial{}, err
	}
	report, err := json.Marshal(t.Report)
	if err != nil {
		return tendo.GaitTrial{}, tendo.Invalid("report", "gait trial report cannot be stored as JSON: %v", err)
	}
	if err := validJSON("gait trial report", report); err != nil {
		return tendo.GaitTrial{}, err
	}
	sum := sha256.Sum256(t.Data)
	t.Size, t.SHA256 = int64(len(t.Data)), hex.EncodeToString(sum[:])
	t.CreatedAt = d.now()
	t.ID = publicID()
	clinicExpr, clinicArg := clinicOf(t.PatientID, t.ClinicID)
	err = d.queryRow(ctx, d.wq(), `INSERT INTO gait_trials (id, patient_id, clinic_id, visit_id, created_at, created_by,
			file, size, sha256, data, report)`+d.overriding()+`
		VALUES (?, ?, `+clinicExpr+`, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING clinic_id`,
		t.ID, t.PatientID, clinicArg, t.VisitID, d.ts(t.CreatedAt), nullID(t.CreatedBy),
		t.File, t.Size, t.SHA256, t.Data, string(report)).Scan(&t.ClinicID)
	if err != nil {
		if violation(err) == foreignKeyViolation {
			// The visit may be the one at fault: it must be the patient's.
			var owner int64
			e := d.queryRow(ctx, d.rq(), "SELECT patient_id FROM assessments WHERE id = ?", t.VisitID).Scan(&owner)
			switch {
			case errors.Is(e, sql.ErrNoRows):
				return tendo.GaitTrial{}, tendo.Invalid("visitId", "assessment %d does not exist", t.VisitID)
			case e == nil && owner != t.PatientID:
				return tendo.GaitTrial{}, tendo.Invalid("visitId", "assessment %d is not an assessment of patient %d", t.VisitID, t.PatientID)
			}
		}
		return tendo.GaitTrial{}, d.patientRef(ctx, "create gait trial", err, t.PatientID, t.ClinicID, t.CreatedBy)
	}
	return t, nil
}

// gaitColumns are the columns scanGaitTrial reads; the data column is
// the file, or an empty one in place of it.
func gaitColumns(withData bool) string {
	data := "data"
	if !withData {
		data = "NULL"
	}
	return `SELECT id, patient_id, clinic_id, visit_id, created_at, created_by, file, size, sha256, ` + data + `, report FROM gait_trials `
}

func scanGaitTrial(s interface{ Scan(...any) error }) (tendo.GaitTrial, error) {
	var t tendo.GaitTrial
	var at dbTime
	var by sql.NullInt64
	var report string
	if err := s.Scan(&t.ID, &t.PatientID, &t.ClinicID, &t.VisitID, &at, &by, &t.File, &t.Size, &t.SHA256, &t.Data, &report); err != nil {
		return tendo.GaitTrial{}, err
	}
	t.CreatedAt, t.CreatedBy = at.T, by.Int64
	if len(t.Data) == 0 {
		t.Data = nil
	}
	t.Report = new(tendo.GaitReport)
	if err := json.Unmarshal([]byte(report), t.Report); err != nil {
		return tendo.GaitTrial{}, fmt.Errorf("gait trial %d: stored report: %w", t.ID, err)
	}
	return t, nil
}

// GaitTrial returns a trial with its report, and its file when withData
// is true; ENOTFOUND if there is none.
func (d *DB) GaitTrial(ctx context.Context, id int64, withData bool) (tendo.GaitTrial, error) {
	t, err := scanGaitTrial(d.queryRow(ctx, d.rq(), gaitColumns(withData)+"WHERE id = ?", id))
	if errors.Is(err, sql.ErrNoRows) {
		return tendo.GaitTrial{}, tendo.Errorf(tendo.ENOTFOUND, "gait trial %d not found", id)
	}
	if err != nil {
		return tendo.GaitTrial{}, fmt.Errorf("gait trial %d: %w", id, err)
	}
	return t, nil
}

// GaitTrials lists a visit's trials with their reports, without their
// files, oldest first.
func (d *DB) GaitTrials(ctx context.Context, visitID int64) ([]tendo.GaitTrial, error) {
	rows, err := d.query(ctx, d.rq(), gaitColumns(false)+"WHERE visit_id = ? ORDER BY created_at, id", visitID)
	if err != nil {
		return nil, fmt.Errorf("gait trials of assessment %d: %w", visitID, err)
	}
	defer rows.Close()
	ts := []tendo.GaitTrial{}
	for rows.Next() {
		t, err := scanGaitTrial(rows)
		if err != nil {
			return nil, fmt.Errorf("gait trials of assessment %d: %w", visitID, err)
		}
		ts = append(ts, t)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("gait trials of assessment %d: %w", visitID, err)
	}
	return ts, nil
}

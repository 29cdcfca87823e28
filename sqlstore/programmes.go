package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"time"

	"github.com/tendo-health/tendo"
)

// Issue 10: home programmes and their logs.

// CreateProgramme stores a programme of a visit of the patient, keeping
// only the hash of its token.
func (d *DB) CreateProgramme(ctx context.Context, p tendo.Programme, tokenHash string) (tendo.Programme, error) {
	now := d.now()
	switch {
	case tokenHash == "":
		return tendo.Programme{}, tendo.Errorf(tendo.EINVALID, "programme token hash is required")
	case p.PatientID <= 0:
		return tendo.Programme{}, tendo.Invalid("patientId", "programme patient is required")
	case p.VisitID <= 0:
		return tendo.Programme{}, tendo.Invalid("visitId", "programme visit is required")
	case p.Protocol == "":
		return tendo.Programme{}, tendo.Invalid("protocol", "programme protocol is required")
	case math.IsNaN(p.Dose.LoadKg) || math.IsInf(p.Dose.LoadKg, 0):
		return tendo.Programme{}, tendo.Invalid("loadKg", "load must be a finite number")
	case !stamp(p.ExpiresAt).After(now):
		return tendo.Programme{}, tendo.Errorf(tendo.EINVALID, "programme must expire in the future")
	}
	if err := validText("token hash", tokenHash, "protocol", string(p.Protocol)); err != nil {
		return tendo.Programme{}, err
	}
	if p.Elements == nil {
		p.Elements = []string{}
	}
	elements, err := json.Marshal(p.Elements)
	if err != nil {
		return tendo.Programme{}, tendo.Invalid("elements", "programme elements: %v", err)
	}
	if err := validJSON("programme elements", elements); err != nil {
		return tendo.Programme{}, err
	}
	p.CreatedAt, p.ExpiresAt, p.RevokedAt = now, stamp(p.ExpiresAt), nil
	p.ID = publicID()
	clinicExpr, clinicArg := clinicOf(p.PatientID, p.ClinicID)
	err = d.queryRow(ctx, d.wq(), `INSERT INTO programmes (id, patient_id, clinic_id, visit_id, protocol, sets, reps, load_kg,
			per_week, elements, created_by, created_at, expires_at, token_hash)`+d.overriding()+`
		VALUES (?, ?, `+clinicExpr+`, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING clinic_id`,
		p.ID, p.PatientID, clinicArg, p.VisitID, string(p.Protocol), p.Dose.Sets, p.Dose.Reps, p.Dose.LoadKg,
		p.Dose.PerWeek, string(elements), nullID(p.CreatedBy), d.ts(p.CreatedAt), d.ts(p.ExpiresAt), tokenHash).Scan(&p.ClinicID)
	if err != nil {
		switch violation(err) {
		case uniqueViolation:
			return tendo.Programme{}, tendo.Errorf(tendo.ECONFLICT, "a programme with this token exists already")
		case foreignKeyViolation:
			var owner int64
			e := d.queryRow(ctx, d.rq(), "SELECT patient_id FROM assessments WHERE id = ?", p.VisitID).Scan(&owner)
			switch {
			case errors.Is(e, sql.ErrNoRows):
				return tendo.Programme{}, tendo.Invalid("visitId", "assessment %d does not exist", p.VisitID)
			case e == nil && owner != p.PatientID:
				return tendo.Programme{}, tendo.Invalid("visitId", "assessment %d is not an assessment of patient %d", p.VisitID, p.PatientID)
			}
		}
		return tendo.Programme{}, d.patientRef(ctx, "create programme", err, p.PatientID, p.ClinicID, p.CreatedBy)
	}
	return p, nil
}

const programmeColumns = `SELECT id, patient_id, clinic_id, visit_id, protocol, sets, reps, load_kg, per_week, elements,
	created_by, created_at, expires_at, revoked_at FROM programmes `

func scanProgramme(s interface{ Scan(...any) error }) (tendo.Programme, error) {
	var p tendo.Programme
	var protocol, elements string
	var by sql.NullInt64
	var created, expires, revoked dbTime
	if err := s.Scan(&p.ID, &p.PatientID, &p.ClinicID, &p.VisitID, &protocol, &p.Dose.Sets, &p.Dose.Reps, &p.Dose.LoadKg,
		&p.Dose.PerWeek, &elements, &by, &created, &expires, &revoked); err != nil {
		return tendo.Programme{}, err
	}
	if err := json.Unmarshal([]byte(elements), &p.Elements); err != nil {
		return tendo.Programme{}, fmt.Errorf("programme %d elements: %w", p.ID, err)
	}
	p.Protocol, p.CreatedBy = tendo.ProtocolID(protocol), by.Int64
	p.CreatedAt, p.ExpiresAt, p.RevokedAt = created.T, expires.T, revoked.ptr()
	return p, nil
}

// ProgrammeByToken returns the programme with the token hash.
func (d *DB) ProgrammeByToken(ctx context.Context, tokenHash string) (tendo.Programme, error) {
	if validText("", tokenHash) != nil {
		return tendo.Programme{}, tendo.Errorf(tendo.ENOTFOUND, "programme not found")
	}
	p, err := scanProgramme(d.queryRow(ctx, d.rq(), programmeColumns+"WHERE token_hash = ?", tokenHash))
	if errors.Is(err, sql.ErrNoRows) {
		return tendo.Programme{}, tendo.Errorf(tendo.ENOTFOUND, "programme not found")
	}
	if err != nil {
		return tendo.Programme{}, fmt.Errorf("programme by token: %w", err)
	}
	return p, nil
}

// Programmes lists a patient's programmes, newest first.
func (d *DB) Programmes(ctx context.Context, patientID int64) ([]tendo.Programme, error) {
	rows, err := d.query(ctx, d.rq(), programmeColumns+"WHERE patient_id = ? ORDER BY created_at DESC, id DESC", patientID)
	if err != nil {
		return nil, fmt.Errorf("programmes of patient %d: %w", patientID, err)
	}
	defer rows.Close()
	ps := []tendo.Programme{}
	for rows.Next() {
		p, err := scanProgramme(rows)
		if err != nil {
			return nil, fmt.Errorf("programmes of patient %d: %w", patientID, err)
		}
		ps = append(ps, p)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("programmes of patient %d: %w", patientID, err)
	}
	return ps, nil
}

// RevokeProgramme marks a programme revoked (the first time stands).
func (d *DB) RevokeProgramme(ctx context.Context, id int64, at time.Time) error {
	res, err := d.exec(ctx, d.wq(), "UPDATE programmes SET revoked_at = COALESCE(revoked_at, ?) WHERE id = ?", d.ts(at), id)
	if err != nil {
		return fmt.Errorf("revoke programme %d: %w", id, err)
	}
	if n, err := res.RowsAffected(); err == nil && n == 0 {
		return tendo.Errorf(tendo.ENOTFOUND, "programme not found")
	}
	return nil
}

// LogProgramme stores a session, replacing the same date's.
func (d *DB) LogProgramme(ctx context.Context, l tendo.ProgrammeLog) (tendo.ProgrammeLog, error) {
	if _, err := time.Parse(time.DateOnly, l.Date); err != nil {
		return tendo.ProgrammeLog{}, tendo.Invalid("date", "session date must be YYYY-MM-DD")
	}
	if l.During < 0 || l.During > 10 {
		return tendo.ProgrammeLog{}, tendo.Invalid("during", "pain must be from 0 to 10")
	}
	var morning any
	if l.Morning != nil {
		if *l.Morning < 0 || *l.Morning > 10 {
			return tendo.ProgrammeLog{}, tendo.Invalid("morning", "pain must be from 0 to 10")
		}
		morning = *l.Morning
	}
	l.LoggedAt = d.now()
	err := d.queryRow(ctx, d.wq(), "SELECT patient_id, clinic_id FROM programmes WHERE id = ?", l.ProgrammeID).Scan(&l.PatientID, &l.ClinicID)
	if errors.Is(err, sql.ErrNoRows) {
		return tendo.ProgrammeLog{}, tendo.Errorf(tendo.EINVALID, "programme %d does not exist", l.ProgrammeID)
	}
	if err != nil {
		return tendo.ProgrammeLog{}, fmt.Errorf("log programme %d: %w", l.ProgrammeID, err)
	}
	err = d.queryRow(ctx, d.wq(), `INSERT INTO programme_logs (programme_id, patient_id, clinic_id, date, during, morning, logged_at)
		VALUES (?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (programme_id, date) DO UPDATE SET during = excluded.during, morning = excluded.morning, logged_at = excluded.logged_at
		RETURNING id`,
		l.ProgrammeID, l.PatientID, l.ClinicID, l.Date, l.During, morning, d.ts(l.LoggedAt)).Scan(&l.ID)
	if err != nil {
		return tendo.ProgrammeLog{}, fmt.Errorf("log programme %d: %w", l.ProgrammeID, err)
	}
	return l, nil
}

// ProgrammeLogs lists a programme's sessions by date.
func (d *DB) ProgrammeLogs(ctx context.Context, programmeID int64) ([]tendo.ProgrammeLog, error) {
	rows, err := d.query(ctx, d.rq(), `SELECT id, programme_id, patient_id, clinic_id, date, during, morning, logged_at
		FROM programme_logs WHERE programme_id = ? ORDER BY date, id`, programmeID)
	if err != nil {
		return nil, fmt.Errorf("logs of programme %d: %w", programmeID, err)
	}
	defer rows.Close()
	ls := []tendo.ProgrammeLog{}
	for rows.Next() {
		var l tendo.ProgrammeLog
		var morning sql.NullInt64
		var at dbTime
		if err := rows.Scan(&l.ID, &l.ProgrammeID, &l.PatientID, &l.ClinicID, &l.Date, &l.During, &morning, &at); err != nil {
			return nil, fmt.Errorf("logs of programme %d: %w", programmeID, err)
		}
		if morning.Valid {
			m := int(morning.Int64)
			l.Morning = &m
		}
		l.LoggedAt = at.T
		ls = append(ls, l)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("logs of programme %d: %w", programmeID, err)
	}
	return ls, nil
}

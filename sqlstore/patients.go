package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/tendo-health/tendo"
)

// validText returns EINVALID for the first of the label, value pairs
// whose value neither database can keep the same (invalid UTF-8, or a
// NUL, which Postgres refuses).
func validText(pairs ...string) error {
	for i := 0; i+1 < len(pairs); i += 2 {
		if v := pairs[i+1]; !utf8.ValidString(v) || strings.IndexByte(v, 0) >= 0 {
			return tendo.Errorf(tendo.EINVALID, "%s is not valid UTF-8 text", pairs[i])
		}
	}
	return nil
}

// validJSON returns EINVALID unless b is a JSON document in UTF-8.
func validJSON(what string, b []byte) error {
	if len(b) == 0 {
		return tendo.Errorf(tendo.EINVALID, "%s is required", what)
	}
	if !utf8.Valid(b) || !json.Valid(b) {
		return tendo.Errorf(tendo.EINVALID, "%s is not valid JSON", what)
	}
	return nil
}

// validScore returns EINVALID for a score that is not a finite number.
func validScore(what string, f *float64) error {
	if f != nil && (math.IsNaN(*f) || math.IsInf(*f, 0)) {
		return tendo.Errorf(tendo.EINVALID, "%s must be a finite number", what)
	}
	return nil
}

func nullFloat(f *float64) any {
	if f == nil {
		return nil
	}
	return *f
}

func floatPtr(f sql.NullFloat64) *float64 {
	if !f.Valid {
		return nil
	}
	v := f.Float64
	return &v
}

func nullString(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// patientRef explains why a record naming a patient (and maybe its
// clinic and creator) could not be stored: EINVALID for a patient that
// does not exist, one of another clinic, or an unknown creator.
func (d *DB) patientRef(ctx context.Context, op string, err error, patientID, clinicID, userID int64) error {
	if v := violation(err); v != foreignKeyViolation && v != checkViolation {
		return fmt.Errorf("%s: %w", op, err)
	}
	var clinic int64
	e := d.queryRow(ctx, d.rq(), "SELECT clinic_id FROM patients WHERE id = ?", patientID).Scan(&clinic)
	switch {
	case errors.Is(e, sql.ErrNoRows):
		return tendo.Errorf(tendo.EINVALID, "patient %d does not exist", patientID)
	case e != nil:
		return fmt.Errorf("%s: %w (checking references after: %v)", op, e, err)
	case clinicID != 0 && clinic != clinicID:
		return tendo.Errorf(tendo.EINVALID, "patient %d is not a patient of clinic %d", patientID, clinicID)
	}
	return d.invalidRef(ctx, op, err, ref{"users", "user", userID})
}

// clinicOf returns the SQL expression and argument for the clinic_id of a
// record of the patient: the given clinic, which the foreign key then
// checks, or the patient's.
func clinicOf(patientID, clinicID int64) (string, any) {
	if clinicID != 0 {
		return "?", clinicID
	}
	return "(SELECT clinic_id FROM patients WHERE id = ?)", patientID
}

// CreatePatient stores a patient of an existing clinic.
func (d *DB) CreatePatient(ctx context.Context, p tendo.PatientRecord) (tendo.PatientRecord, error) {
	switch {
	case strings.TrimSpace(p.Name) == "":
		return tendo.PatientRecord{}, tendo.Errorf(tendo.EINVALID, "patient name is required")
	case p.ClinicID <= 0:
		return tendo.PatientRecord{}, tendo.Errorf(tendo.EINVALID, "patient clinic is required")
	case p.BirthYear < 0:
		return tendo.PatientRecord{}, tendo.Errorf(tendo.EINVALID, "birth year %d is not a year", p.BirthYear)
	}
	if err := validText("patient name", p.Name, "external ID", p.ExternalID); err != nil {
		return tendo.PatientRecord{}, err
	}
	p.CreatedAt = d.now()
	p.ID = publicID()
	if err := validBirthDate(p.BirthDate); err != nil {
		return tendo.PatientRecord{}, err
	}
	_, err := d.exec(ctx, d.wq(), `INSERT INTO patients (id, clinic_id, name, external_id, birth_year, birth_date, created_at, created_by)`+d.overriding()+`
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		p.ID, p.ClinicID, p.Name, nullString(p.ExternalID), p.BirthYear, p.BirthDate, d.ts(p.CreatedAt), nullID(p.CreatedBy))
	if err != nil {
		if violation(err) == uniqueViolation {
			return tendo.PatientRecord{}, tendo.Errorf(tendo.ECONFLICT, "clinic %d has a patient with external ID %q already", p.ClinicID, p.ExternalID)
		}
		return tendo.PatientRecord{}, d.invalidRef(ctx, "create patient", err,
			ref{"clinics", "clinic", p.ClinicID}, ref{"users", "user", p.CreatedBy})
	}
	return p, nil
}

const patientColumns = "SELECT id, clinic_id, name, external_id, birth_year, birth_date, created_at, created_by FROM patients "

// validBirthDate refuses a date of birth that is neither "" nor
// YYYY-MM-DD (the services check the rest).
func validBirthDate(s string) error {
	if s == "" {
		return nil
	}
	if _, err := time.Parse(time.DateOnly, s); err != nil || len(s) != len(time.DateOnly) {
		return tendo.Errorf(tendo.EINVALID, "date of birth %q is not YYYY-MM-DD", s)
	}
	return nil
}

func scanPatient(s interface{ Scan(...any) error }) (tendo.PatientRecord, error) {
	var p tendo.PatientRecord
	var ext sql.NullString
	var by sql.NullInt64
	var at dbTime
	if err := s.Scan(&p.ID, &p.ClinicID, &p.Name, &ext, &p.BirthYear, &p.BirthDate, &at, &by); err != nil {
		return tendo.PatientRecord{}, err
	}
	p.ExternalID, p.CreatedAt, p.CreatedBy = ext.String, at.T, by.Int64
	return p, nil
}

// Patient returns a patient, ENOTFOUND if there is none with that ID.
func (d *DB) Patient(ctx context.Context, id int64) (tendo.PatientRecord, error) {
	p, err := scanPatient(d.queryRow(ctx, d.rq(), patientColumns+"WHERE id = ? AND deleted_at IS NULL", id))
	if errors.Is(err, sql.ErrNoRows) {
		return tendo.PatientRecord{}, tendo.Errorf(tendo.ENOTFOUND, "patient %d not found", id)
	}
	if err != nil {
		return tendo.PatientRecord{}, fmt.Errorf("patient %d: %w", id, err)
	}
	return p, nil
}

// Patients lists the patients of the clinics (nil: of every clinic; an
// empty list: none) by name.
func (d *DB) Patients(ctx context.Context, clinicIDs []int64) ([]tendo.PatientRecord, error) {
	ps := []tendo.PatientRecord{}
	query := patientColumns
	var args []any
	if clinicIDs != nil {
		if len(clinicIDs) == 0 {
			return ps, nil
		}
		ids := slices.Compact(slices.Sorted(slices.Values(clinicIDs)))
		for _, id := range ids {
			args = append(args, id)
		}
		query += "WHERE clinic_id IN (" + placeholders(len(args)) + ") AND deleted_at IS NULL "
	} else {
		query += "WHERE deleted_at IS NULL "
	}
	rows, err := d.query(ctx, d.rq(), query+"ORDER BY created_at, id", args...)
	if err != nil {
		return nil, fmt.Errorf("patients: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		p, err := scanPatient(rows)
		if err != nil {
			return nil, fmt.Errorf("patients: %w", err)
		}
		ps = append(ps, p)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("patients: %w", err)
	}
	slices.SortStableFunc(ps, func(a, b tendo.PatientRecord) int { return compareNames(a.Name, b.Name) })
	return ps, nil
}

// SaveAssessment stores an assessment of an existing patient, with its
// input and result exactly as given.
func (d *DB) SaveAssessment(ctx context.Context, a tendo.StoredAssessment) (tendo.StoredAssessment, error) {
	if a.PatientID <= 0 {
		return tendo.StoredAssessment{}, tendo.Errorf(tendo.EINVALID, "assessment patient is required")
	}
	if _, err := time.Parse(time.DateOnly, a.Date); err != nil {
		return tendo.StoredAssessment{}, tendo.Errorf(tendo.EINVALID, "assessment date %q is not a date (YYYY-MM-DD)", a.Date)
	}
	if strings.TrimSpace(a.ModelVersion) == "" {
		return tendo.StoredAssessment{}, tendo.Errorf(tendo.EINVALID, "assessment model version is required")
	}
	for _, err := range []error{
		validText("model version", a.ModelVersion, "classification", string(a.Classification)),
		validJSON("assessment input", a.Input),
		validJSON("assessment result", a.Result),
		validScore("VISA-A score", a.VISAA),
		validScore("ODI score", a.ODI),
		validScore("NPRS score", a.NPRS),
		validScore("LEFS score", a.LEFS),
	} {
		if err != nil {
			return tendo.StoredAssessment{}, err
		}
	}
	if err := validText("note", a.Note); err != nil {
		return tendo.StoredAssessment{}, err
	}
	if utf8.RuneCountInString(a.Note) > tendo.MaxNoteLength {
		return tendo.StoredAssessment{}, tendo.Invalid("note", "is longer than %d characters", tendo.MaxNoteLength)
	}
	if len(a.IdempotencyKey) > tendo.MaxIdempotencyKeyLength {
		return tendo.StoredAssessment{}, tendo.Invalid("idempotencyKey", "is longer than %d characters", tendo.MaxIdempotencyKeyLength)
	}
	if err := validText("idempotency key", a.IdempotencyKey); err != nil {
		return tendo.StoredAssessment{}, err
	}
	a.CreatedAt = d.now()
	a.ID = publicID()
	clinicExpr, clinicArg := clinicOf(a.PatientID, a.ClinicID)
	err := d.queryRow(ctx, d.wq(), `INSERT INTO assessments (id, patient_id, clinic_id, date, created_at, created_by,
			input, result, model_version, classification, visa_a, odi, nprs, lefs, idempotency_key, note, red_flags)`+d.overriding()+`
		VALUES (?, ?, `+clinicExpr+`, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING clinic_id`,
		a.ID, a.PatientID, clinicArg, a.Date, d.ts(a.CreatedAt), nullID(a.CreatedBy),
		string(a.Input), string(a.Result), a.ModelVersion, string(a.Classification),
		nullFloat(a.VISAA), nullFloat(a.ODI), nullFloat(a.NPRS), nullFloat(a.LEFS), nullString(a.IdempotencyKey), a.Note, encodeFlags(a.RedFlags)).Scan(&a.ClinicID)
	if err != nil {
		if a.IdempotencyKey != "" && violation(err) == uniqueViolation {
			return tendo.StoredAssessment{}, tendo.Errorf(tendo.ECONFLICT, "an assessment with this idempotency key exists already")
		}
		return tendo.StoredAssessment{}, d.patientRef(ctx, "save assessment", err, a.PatientID, a.ClinicID, a.CreatedBy)
	}
	return a, nil
}

const assessmentColumns = `SELECT id, patient_id, clinic_id, date, created_at, created_by,
	input, result, model_version, classification, visa_a, odi, nprs, lefs, idempotency_key, note, red_flags` + recordColumns + ` FROM assessments `

func scanAssessment(s interface{ Scan(...any) error }) (tendo.StoredAssessment, error) {
	var a tendo.StoredAssessment
	var at dbTime
	var by sql.NullInt64
	var class string
	var visaA, odi, nprs, lefs sql.NullFloat64
	var key sql.NullString
	var rec recordScan // issue 10: records
	var flags string   // issue 10: safety
	err := s.Scan(append([]any{&a.ID, &a.PatientID, &a.ClinicID, &a.Date, &at, &by,
		&a.Input, &a.Result, &a.ModelVersion, &class, &visaA, &odi, &nprs, &lefs, &key, &a.Note, &flags}, rec.targets()...)...)
	if err != nil {
		return tendo.StoredAssessment{}, err
	}
	a.CreatedAt, a.CreatedBy, a.Classification = at.T, by.Int64, tendo.Classification(class)
	a.VISAA, a.ODI, a.NPRS, a.LEFS = floatPtr(visaA), floatPtr(odi), floatPtr(nprs), floatPtr(lefs)
	a.IdempotencyKey = key.String
	rec.set(&a)
	a.RedFlags = decodeFlags(flags)
	if len(a.Input) == 0 {
		a.Input = nil
	}
	if len(a.Result) == 0 {
		a.Result = nil
	}
	return a, nil
}

// Assessment returns a stored assessment, ENOTFOUND if there is none.
func (d *DB) Assessment(ctx context.Context, id int64) (tendo.StoredAssessment, error) {
	a, err := scanAssessment(d.queryRow(ctx, d.rq(), assessmentColumns+"WHERE id = ?", id))
	if errors.Is(err, sql.ErrNoRows) {
		return tendo.StoredAssessment{}, tendo.Errorf(tendo.ENOTFOUND, "assessment %d not found", id)
	}
	if err != nil {
		return tendo.StoredAssessment{}, fmt.Errorf("assessment %d: %w", id, err)
	}
	return a, nil
}

// AssessmentByKey returns the assessment the user saved for the patient
// with the idempotency key, ENOTFOUND if there is none.
func (d *DB) AssessmentByKey(ctx context.Context, userID, patientID int64, key string) (tendo.StoredAssessment, error) {
	if key == "" || validText("", key) != nil {
		return tendo.StoredAssessment{}, tendo.Errorf(tendo.ENOTFOUND, "no assessment with that key")
	}
	a, err := scanAssessment(d.queryRow(ctx, d.rq(), assessmentColumns+"WHERE created_by = ? AND patient_id = ? AND idempotency_key = ?", userID, patientID, key))
	if errors.Is(err, sql.ErrNoRows) {
		return tendo.StoredAssessment{}, tendo.Errorf(tendo.ENOTFOUND, "no assessment with that key")
	}
	if err != nil {
		return tendo.StoredAssessment{}, fmt.Errorf("assessment by key: %w", err)
	}
	return a, nil
}

// summaryColumns are assessmentColumns without the documents and the
// note: empty strings stand in for them, so scanAssessment reads all.
const summaryColumns = `SELECT id, patient_id, clinic_id, date, created_at, created_by,
	'', '', model_version, classification, visa_a, odi, nprs, lefs, idempotency_key, '', red_flags` + recordColumns + ` FROM assessments `

// Assessments lists a patient's assessments by date, oldest first (those
// of one date in the order they were saved), without their Input and
// Result documents (Assessment loads one whole).
func (d *DB) Assessments(ctx context.Context, patientID int64) ([]tendo.StoredAssessment, error) {
	rows, err := d.query(ctx, d.rq(), summaryColumns+"WHERE patient_id = ? ORDER BY date, created_at, id", patientID)
	if err != nil {
		return nil, fmt.Errorf("assessments of patient %d: %w", patientID, err)
	}
	defer rows.Close()
	as := []tendo.StoredAssessment{}
	for rows.Next() {
		a, err := scanAssessment(rows)
		if err != nil {
			return nil, fmt.Errorf("assessments of patient %d: %w", patientID, err)
		}
		as = append(as, a)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("assessments of patient %d: %w", patientID, err)
	}
	return as, nil
}

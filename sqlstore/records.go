package sqlstore

// Issue 10: records that can be corrected, with an audit trail: patients
// edited and deleted softly, visits amended or entered in error.

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/tendo-health/tendo"
)

// recordColumns are the correction columns of an assessment, read after
// the others by scanAssessment.
const recordColumns = ", amends, amend_reason, superseded_by, error_at, error_by, error_reason"

// recordScan holds an assessment's correction columns as scanned.
type recordScan struct {
	amends, supersededBy, errorBy sql.NullInt64
	amendReason, errorReason      string
	errorAt                       dbTime
}

func (r *recordScan) targets() []any {
	return []any{&r.amends, &r.amendReason, &r.supersededBy, &r.errorAt, &r.errorBy, &r.errorReason}
}

func (r *recordScan) set(a *tendo.StoredAssessment) {
	a.Amends, a.AmendReason, a.SupersededBy = r.amends.Int64, r.amendReason, r.supersededBy.Int64
	if r.errorAt.Valid {
		at := r.errorAt.T
		a.ErrorAt, a.ErrorBy, a.ErrorReason = &at, r.errorBy.Int64, r.errorReason
	}
}

// validReason returns EINVALID for an empty reason or one neither
// database can keep.
func validReason(what, reason string) error {
	if strings.TrimSpace(reason) == "" {
		return tendo.Invalid("reason", "%s: a reason is required", what)
	}
	if err := validText(what+" reason", reason); err != nil {
		return err
	}
	return nil
}

// UpdatePatient writes a patient's name, external ID, birth year and
// date of birth.
func (d *DB) UpdatePatient(ctx context.Context, p tendo.PatientRecord) error {
	switch {
	case strings.TrimSpace(p.Name) == "":
		return tendo.Errorf(tendo.EINVALID, "patient name is required")
	case p.BirthYear < 0:
		return tendo.Errorf(tendo.EINVALID, "birth year %d is not a year", p.BirthYear)
	}
	if err := validText("patient name", p.Name, "external ID", p.ExternalID); err != nil {
		return err
	}
	if err := validBirthDate(p.BirthDate); err != nil {
		return err
	}
	res, err := d.exec(ctx, d.wq(), `UPDATE patients SET name = ?, external_id = ?, birth_year = ?, birth_date = ? WHERE id = ? AND deleted_at IS NULL`,
		p.Name, nullString(p.ExternalID), p.BirthYear, p.BirthDate, p.ID)
	if err != nil {
		if violation(err) == uniqueViolation {
			return tendo.Errorf(tendo.ECONFLICT, "the clinic has another patient with external ID %q", p.ExternalID)
		}
		return fmt.Errorf("update patient %d: %w", p.ID, err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return fmt.Errorf("update patient %d: %w", p.ID, err)
	} else if n == 0 {
		return tendo.Errorf(tendo.ENOTFOUND, "patient %d not found", p.ID)
	}
	return nil
}

// DeletePatient marks a patient deleted and ends its unused links, in
// one transaction.
func (d *DB) DeletePatient(ctx context.Context, id int64, at time.Time, by int64, reason string) error {
	if err := validReason("delete patient", reason); err != nil {
		return err
	}
	return d.InTx(ctx, func(st tendo.Store) error {
		tx := st.(*DB)
		res, err := tx.exec(ctx, tx.wq(), `UPDATE patients SET deleted_at = ?, deleted_by = ?, delete_reason = ? WHERE id = ? AND deleted_at IS NULL`,
			tx.ts(at), nullID(by), reason, id)
		if err != nil {
			return tx.invalidRef(ctx, "delete patient", err, ref{"users", "user", by})
		}
		if n, err := res.RowsAffected(); err != nil {
			return fmt.Errorf("delete patient %d: %w", id, err)
		} else if n == 0 {
			return tendo.Errorf(tendo.ENOTFOUND, "patient %d not found", id)
		}
		if _, err := tx.exec(ctx, tx.wq(), `UPDATE questionnaire_links SET expires_at = ? WHERE patient_id = ? AND used_at IS NULL AND expires_at > ?`,
			tx.ts(at), id, tx.ts(at)); err != nil {
			return fmt.Errorf("delete patient %d: end its links: %w", id, err)
		}
		return nil
	})
}

// SupersedeAssessment links an amendment to the version it replaces.
func (d *DB) SupersedeAssessment(ctx context.Context, oldID, newID int64, reason string) error {
	if err := validReason("amend assessment", reason); err != nil {
		return err
	}
	if oldID == newID {
		return tendo.Errorf(tendo.EINVALID, "assessment %d cannot amend itself", oldID)
	}
	return d.InTx(ctx, func(st tendo.Store) error {
		tx := st.(*DB)
		var oldPatient, newPatient int64
		var oldNext, newPrev sql.NullInt64
		for _, x := range []struct {
			id      int64
			patient *int64
			link    *sql.NullInt64
			col     string
		}{{oldID, &oldPatient, &oldNext, "superseded_by"}, {newID, &newPatient, &newPrev, "amends"}} {
			err := tx.queryRow(ctx, tx.rq(), "SELECT patient_id, "+x.col+" FROM assessments WHERE id = ?", x.id).Scan(x.patient, x.link)
			if errors.Is(err, sql.ErrNoRows) {
				return tendo.Errorf(tendo.ENOTFOUND, "assessment %d not found", x.id)
			}
			if err != nil {
				return fmt.Errorf("supersede assessment %d: %w", oldID, err)
			}
		}
		switch {
		case oldPatient != newPatient:
			return tendo.Errorf(tendo.EINVALID, "assessments %d and %d are not of one patient", oldID, newID)
		case oldNext.Valid:
			return tendo.Errorf(tendo.ECONFLICT, "assessment %d has been amended already (by %d)", oldID, oldNext.Int64)
		case newPrev.Valid:
			return tendo.Errorf(tendo.ECONFLICT, "assessment %d amends %d already", newID, newPrev.Int64)
		}
		// The conditions again in the updates: a concurrent amendment of
		// the same version (Postgres, read committed) changes no row.
		res, err := tx.exec(ctx, tx.wq(), "UPDATE assessments SET superseded_by = ? WHERE id = ? AND superseded_by IS NULL", newID, oldID)
		if err == nil {
			if n, _ := res.RowsAffected(); n == 0 {
				return tendo.Errorf(tendo.ECONFLICT, "assessment %d has been amended already", oldID)
			}
			_, err = tx.exec(ctx, tx.wq(), "UPDATE assessments SET amends = ?, amend_reason = ? WHERE id = ?", oldID, reason, newID)
		}
		if err != nil {
			if violation(err) == uniqueViolation {
				return tendo.Errorf(tendo.ECONFLICT, "assessment %d has been amended already", oldID)
			}
			return fmt.Errorf("supersede assessment %d: %w", oldID, err)
		}
		return nil
	})
}

// MarkAssessmentError marks an assessment entered in error.
func (d *DB) MarkAssessmentError(ctx context.Context, id int64, at time.Time, by int64, reason string) error {
	if err := validReason("mark assessment entered in error", reason); err != nil {
		return err
	}
	return d.InTx(ctx, func(st tendo.Store) error {
		tx := st.(*DB)
		res, err := tx.exec(ctx, tx.wq(), "UPDATE assessments SET error_at = ?, error_by = ?, error_reason = ? WHERE id = ? AND error_at IS NULL",
			tx.ts(at), nullID(by), reason, id)
		if err != nil {
			return tx.invalidRef(ctx, "mark assessment entered in error", err, ref{"users", "user", by})
		}
		if n, err := res.RowsAffected(); err != nil {
			return fmt.Errorf("mark assessment %d entered in error: %w", id, err)
		} else if n > 0 {
			return nil
		}
		var one int
		err = tx.queryRow(ctx, tx.rq(), "SELECT 1 FROM assessments WHERE id = ?", id).Scan(&one)
		if errors.Is(err, sql.ErrNoRows) {
			return tendo.Errorf(tendo.ENOTFOUND, "assessment %d not found", id)
		}
		if err != nil {
			return fmt.Errorf("mark assessment %d entered in error: %w", id, err)
		}
		return tendo.Errorf(tendo.ECONFLICT, "assessment %d has been marked entered in error already", id)
	})
}

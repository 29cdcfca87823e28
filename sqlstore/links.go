package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/tendo-health/tendo"
)

// CreateLink stores a new, unused questionnaire link for an existing
// patient, keeping only the hash of its token (which must be new:
// ECONFLICT otherwise). It must expire after now. Empty Instruments are
// [Instrument]; Instrument is set to the first of Instruments.
func (d *DB) CreateLink(ctx context.Context, l tendo.QuestionnaireLink, tokenHash string) (tendo.QuestionnaireLink, error) {
	now := d.now()
	if len(l.Instruments) == 0 && l.Instrument != "" {
		l.Instruments = []tendo.Instrument{l.Instrument}
	}
	if err := tendo.ValidInstruments(l.Instruments); err != nil {
		return tendo.QuestionnaireLink{}, tendo.Errorf(tendo.EINVALID, "link instruments %v: %s", l.Instruments, tendo.ErrorMessage(err))
	}
	l.Instruments = slices.Clone(l.Instruments)
	l.Instrument = l.Instruments[0]
	switch {
	case tokenHash == "":
		return tendo.QuestionnaireLink{}, tendo.Errorf(tendo.EINVALID, "link token hash is required")
	case l.PatientID <= 0:
		return tendo.QuestionnaireLink{}, tendo.Errorf(tendo.EINVALID, "link patient is required")
	case !stamp(l.ExpiresAt).After(now):
		return tendo.QuestionnaireLink{}, tendo.Errorf(tendo.EINVALID, "link must expire in the future")
	}
	if err := validText("token hash", tokenHash); err != nil {
		return tendo.QuestionnaireLink{}, err
	}
	l.CreatedAt, l.ExpiresAt, l.UsedAt, l.RevokedAt, l.Answered = now, stamp(l.ExpiresAt), nil, nil, []tendo.Instrument{}
	clinicExpr, clinicArg := clinicOf(l.PatientID, l.ClinicID)
	l.ID = publicID()
	err := d.queryRow(ctx, d.wq(), `INSERT INTO questionnaire_links (id, patient_id, clinic_id, instrument, instruments, created_by,
			created_at, expires_at, token_hash)`+d.overriding()+`
		VALUES (?, ?, `+clinicExpr+`, ?, ?, ?, ?, ?, ?) RETURNING clinic_id, (SELECT name FROM clinics WHERE id = clinic_id)`,
		l.ID, l.PatientID, clinicArg, string(l.Instrument), joinInstruments(l.Instruments), nullID(l.CreatedBy),
		d.ts(l.CreatedAt), d.ts(l.ExpiresAt), tokenHash).Scan(&l.ClinicID, &l.Clinic)
	if err != nil {
		if violation(err) == uniqueViolation {
			return tendo.QuestionnaireLink{}, tendo.Errorf(tendo.ECONFLICT, "a link with this token exists already")
		}
		return tendo.QuestionnaireLink{}, d.patientRef(ctx, "create link", err, l.PatientID, l.ClinicID, l.CreatedBy)
	}
	return l, nil
}

const linkColumns = `SELECT l.id, l.patient_id, l.clinic_id, l.instrument, l.instruments, l.created_by, l.created_at,
		l.expires_at, l.used_at, l.revoked_at, c.name
	FROM questionnaire_links l JOIN clinics c ON c.id = l.clinic_id `

// joinInstruments is the instruments column: the list, comma-separated.
func joinInstruments(is []tendo.Instrument) string {
	ss := make([]string, len(is))
	for n, i := range is {
		ss[n] = string(i)
	}
	return strings.Join(ss, ",")
}

// splitInstruments reads the instruments column; ” (a link made before
// migration 0007) is the one instrument.
func splitInstruments(col string, first tendo.Instrument) []tendo.Instrument {
	if col == "" {
		return []tendo.Instrument{first}
	}
	var is []tendo.Instrument
	for v := range strings.SplitSeq(col, ",") {
		is = append(is, tendo.Instrument(v))
	}
	return is
}

func scanLink(s interface{ Scan(...any) error }) (tendo.QuestionnaireLink, error) {
	var l tendo.QuestionnaireLink
	var instrument, instruments string
	var by sql.NullInt64
	var created, expires, used, revoked dbTime
	if err := s.Scan(&l.ID, &l.PatientID, &l.ClinicID, &instrument, &instruments, &by, &created, &expires, &used, &revoked, &l.Clinic); err != nil {
		return tendo.QuestionnaireLink{}, err
	}
	l.Instrument, l.CreatedBy = tendo.Instrument(instrument), by.Int64
	l.Instruments, l.Answered = splitInstruments(instruments, l.Instrument), []tendo.Instrument{}
	l.CreatedAt, l.ExpiresAt, l.UsedAt, l.RevokedAt = created.T, expires.T, used.ptr(), revoked.ptr()
	return l, nil
}

// answered fills each link's Answered from the responses to it, listed
// by link ID.
func answered(ls []tendo.QuestionnaireLink, byLink map[int64][]tendo.Instrument) {
	for n := range ls {
		for _, i := range ls[n].Instruments {
			if slices.Contains(byLink[ls[n].ID], i) {
				ls[n].Answered = append(ls[n].Answered, i)
			}
		}
	}
}

// answeredBy lists the instruments answered per link, for the responses
// the condition (on questionnaire_responses) selects.
func (d *DB) answeredBy(ctx context.Context, q querier, cond string, arg any) (map[int64][]tendo.Instrument, error) {
	rows, err := d.query(ctx, q, "SELECT link_id, instrument FROM questionnaire_responses WHERE "+cond, arg)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	m := map[int64][]tendo.Instrument{}
	for rows.Next() {
		var id int64
		var i string
		if err := rows.Scan(&id, &i); err != nil {
			return nil, err
		}
		m[id] = append(m[id], tendo.Instrument(i))
	}
	return m, rows.Err()
}

// LinkByToken returns the link with the token hash, used or expired as
// it may be; ENOTFOUND if there is none.
func (d *DB) LinkByToken(ctx context.Context, tokenHash string) (tendo.QuestionnaireLink, error) {
	if validText("", tokenHash) != nil {
		return tendo.QuestionnaireLink{}, tendo.Errorf(tendo.ENOTFOUND, "questionnaire link not found")
	}
	l, err := scanLink(d.queryRow(ctx, d.rq(), linkColumns+"WHERE l.token_hash = ?", tokenHash))
	if errors.Is(err, sql.ErrNoRows) {
		return tendo.QuestionnaireLink{}, tendo.Errorf(tendo.ENOTFOUND, "questionnaire link not found")
	}
	if err != nil {
		return tendo.QuestionnaireLink{}, fmt.Errorf("link by token: %w", err)
	}
	by, err := d.answeredBy(ctx, d.rq(), "link_id = ?", l.ID)
	if err != nil {
		return tendo.QuestionnaireLink{}, fmt.Errorf("link by token: %w", err)
	}
	ls := []tendo.QuestionnaireLink{l}
	answered(ls, by)
	return ls[0], nil
}

// Links lists a patient's links, oldest first.
func (d *DB) Links(ctx context.Context, patientID int64) ([]tendo.QuestionnaireLink, error) {
	rows, err := d.query(ctx, d.rq(), linkColumns+"WHERE l.patient_id = ? ORDER BY l.created_at, l.id", patientID)
	if err != nil {
		return nil, fmt.Errorf("links of patient %d: %w", patientID, err)
	}
	defer rows.Close()
	ls := []tendo.QuestionnaireLink{}
	for rows.Next() {
		l, err := scanLink(rows)
		if err != nil {
			return nil, fmt.Errorf("links of patient %d: %w", patientID, err)
		}
		ls = append(ls, l)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("links of patient %d: %w", patientID, err)
	}
	by, err := d.answeredBy(ctx, d.rq(), "patient_id = ?", patientID)
	if err != nil {
		return nil, fmt.Errorf("links of patient %d: %w", patientID, err)
	}
	answered(ls, by)
	return ls, nil
}

// SubmitResponse stores a response to one of a link's questionnaires at
// now, in one transaction, and marks the link used when that was its last
// unanswered questionnaire: ENOTFOUND for an unknown link, ECONFLICT if
// it was used or revoked already or the instrument was answered already,
// EINVALID if it has expired at now (or the response's patient, clinic or
// instrument is not the link's). Zero PatientID and ClinicID are the
// link's; a zero Instrument is the link's next unanswered one.
//
// The link's row is locked first by a conditional UPDATE (unused,
// unrevoked and unexpired): in SQLite the transaction holds the write
// lock from BEGIN; in Postgres a concurrent submission waits for the row
// lock and then sees this one's response. Either way exactly one of two
// concurrent submissions of an instrument succeeds, and the unique
// (link, instrument) index stands behind it.
func (d *DB) SubmitResponse(ctx context.Context, r tendo.QuestionnaireResponse, now time.Time) (tendo.QuestionnaireResponse, error) {
	if err := validJSON("answers", r.Answers); err != nil {
		return tendo.QuestionnaireResponse{}, err
	}
	if math.IsNaN(r.Score) || math.IsInf(r.Score, 0) {
		return tendo.QuestionnaireResponse{}, tendo.Errorf(tendo.EINVALID, "score must be a finite number")
	}
	if err := validText("band", r.Band); err != nil {
		return tendo.QuestionnaireResponse{}, err
	}
	r.SubmittedAt = stamp(now)
	err := d.tx(ctx, func(tx *sql.Tx) error {
		var patientID, clinicID int64
		var instrument, instruments string
		err := d.queryRow(ctx, tx, `UPDATE questionnaire_links SET used_at = used_at
			WHERE id = ? AND used_at IS NULL AND revoked_at IS NULL AND expires_at > ?
			RETURNING patient_id, clinic_id, instrument, instruments`,
			r.LinkID, d.ts(r.SubmittedAt)).Scan(&patientID, &clinicID, &instrument, &instruments)
		if errors.Is(err, sql.ErrNoRows) {
			return d.unclaimable(ctx, tx, r.LinkID)
		}
		if err != nil {
			return fmt.Errorf("submit response: %w", err)
		}
		by, err := d.answeredBy(ctx, tx, "link_id = ?", r.LinkID)
		if err != nil {
			return fmt.Errorf("submit response: %w", err)
		}
		ls := []tendo.QuestionnaireLink{{ID: r.LinkID, Instruments: splitInstruments(instruments, tendo.Instrument(instrument))}}
		answered(ls, by)
		l := ls[0]
		if r.Instrument == "" {
			r.Instrument = l.Next()
		}
		switch {
		case r.PatientID != 0 && r.PatientID != patientID:
			return tendo.Errorf(tendo.EINVALID, "link %d is not for patient %d", r.LinkID, r.PatientID)
		case r.ClinicID != 0 && r.ClinicID != clinicID:
			return tendo.Errorf(tendo.EINVALID, "link %d is not for clinic %d", r.LinkID, r.ClinicID)
		case !slices.Contains(l.Instruments, r.Instrument):
			return tendo.Errorf(tendo.EINVALID, "link %d is not for instrument %s", r.LinkID, r.Instrument)
		case slices.Contains(l.Answered, r.Instrument):
			return tendo.Errorf(tendo.ECONFLICT, "questionnaire %s of link %d was answered already", r.Instrument, r.LinkID)
		}
		r.PatientID, r.ClinicID = patientID, clinicID
		err = d.queryRow(ctx, tx, `INSERT INTO questionnaire_responses (link_id, patient_id, clinic_id, instrument,
				answers, score, band, submitted_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			r.LinkID, r.PatientID, r.ClinicID, string(r.Instrument),
			string(r.Answers), r.Score, r.Band, d.ts(r.SubmittedAt)).Scan(&r.ID)
		if err != nil {
			if violation(err) == uniqueViolation {
				return tendo.Errorf(tendo.ECONFLICT, "questionnaire %s of link %d was answered already", r.Instrument, r.LinkID)
			}
			return fmt.Errorf("submit response: %w", err)
		}
		if len(l.Answered)+1 < len(l.Instruments) {
			return nil
		}
		if _, err := d.exec(ctx, tx, "UPDATE questionnaire_links SET used_at = ? WHERE id = ?", d.ts(r.SubmittedAt), r.LinkID); err != nil {
			return fmt.Errorf("submit response: %w", err)
		}
		return nil
	})
	if err != nil {
		return tendo.QuestionnaireResponse{}, err
	}
	return r, nil
}

// unclaimable says why the link could not be claimed.
func (d *DB) unclaimable(ctx context.Context, tx *sql.Tx, linkID int64) error {
	var used, revoked dbTime
	err := d.queryRow(ctx, tx, "SELECT used_at, revoked_at FROM questionnaire_links WHERE id = ?", linkID).Scan(&used, &revoked)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return tendo.Errorf(tendo.ENOTFOUND, "questionnaire link %d not found", linkID)
	case err != nil:
		return fmt.Errorf("submit response: %w", err)
	case used.Valid:
		return tendo.Errorf(tendo.ECONFLICT, "questionnaire link %d was used already", linkID)
	case revoked.Valid:
		return tendo.Errorf(tendo.ECONFLICT, "questionnaire link %d was revoked", linkID)
	}
	return tendo.Errorf(tendo.EINVALID, "questionnaire link %d has expired", linkID)
}

// RevokeLink ends an unused, unrevoked link at now. The responses sent
// through it are kept.
func (d *DB) RevokeLink(ctx context.Context, linkID int64, now time.Time) error {
	return d.tx(ctx, func(tx *sql.Tx) error {
		res, err := d.exec(ctx, tx, "UPDATE questionnaire_links SET revoked_at = ? WHERE id = ? AND used_at IS NULL AND revoked_at IS NULL",
			d.ts(stamp(now)), linkID)
		if err != nil {
			return fmt.Errorf("revoke link: %w", err)
		}
		if n, err := res.RowsAffected(); err != nil {
			return fmt.Errorf("revoke link: %w", err)
		} else if n == 1 {
			return nil
		}
		return d.unclaimable(ctx, tx, linkID) // unknown, used or revoked
	})
}

const responseColumns = `SELECT id, patient_id, clinic_id, link_id, instrument, answers, score, band, submitted_at
	FROM questionnaire_responses `

// Responses lists a patient's questionnaire responses, oldest first.
func (d *DB) Responses(ctx context.Context, patientID int64) ([]tendo.QuestionnaireResponse, error) {
	rows, err := d.query(ctx, d.rq(), responseColumns+"WHERE patient_id = ? ORDER BY submitted_at, id", patientID)
	if err != nil {
		return nil, fmt.Errorf("responses of patient %d: %w", patientID, err)
	}
	defer rows.Close()
	rs := []tendo.QuestionnaireResponse{}
	for rows.Next() {
		var r tendo.QuestionnaireResponse
		var instrument string
		var at dbTime
		if err := rows.Scan(&r.ID, &r.PatientID, &r.ClinicID, &r.LinkID, &instrument, &r.Answers, &r.Score, &r.Band, &at); err != nil {
			return nil, fmt.Errorf("responses of patient %d: %w", patientID, err)
		}
		r.Instrument, r.SubmittedAt = tendo.Instrument(instrument), at.T
		rs = append(rs, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("responses of patient %d: %w", patientID, err)
	}
	return rs, nil
}

// Audit records an entry. Its Action is required; an empty Actor is
// "user N" for a user's entry; a zero At is now. Texts from the client
// (address, user agent) are cut to 512 bytes and made valid text.
func (d *DB) Audit(ctx context.Context, e tendo.AuditEntry) error {
	if e.Action == "" {
		return tendo.Errorf(tendo.EINVALID, "audit action is required")
	}
	if e.Actor == "" {
		if e.UserID == 0 {
			return tendo.Errorf(tendo.EINVALID, "audit actor is required")
		}
		e.Actor = fmt.Sprintf("user %d", e.UserID)
	}
	e.Addr, e.UserAgent = clientText(e.Addr), clientText(e.UserAgent)
	if err := validText("audit action", e.Action, "audit actor", e.Actor, "audit detail", e.Detail); err != nil {
		return err
	}
	if e.At.IsZero() {
		e.At = d.now()
	}
	_, err := d.exec(ctx, d.wq(), `INSERT INTO audit (at, user_id, actor, clinic_id, patient_id, action, detail, addr, user_agent, token_id)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		d.ts(e.At), nullID(e.UserID), e.Actor, nullID(e.ClinicID), nullID(e.PatientID), e.Action, e.Detail,
		e.Addr, e.UserAgent, nullID(e.TokenID))
	if err != nil {
		return fmt.Errorf("audit: %w", err)
	}
	return nil
}

// clientText is a text a client sent, as the audit log keeps it: valid
// UTF-8 without NUL, at most 512 bytes.
func clientText(s string) string {
	s = strings.ReplaceAll(strings.ToValidUTF8(s, "\uFFFD"), "\x00", "\uFFFD")
	if len(s) > 512 {
		s = strings.ToValidUTF8(s[:512], "")
	}
	return s
}

// Audit log page sizes.
const (
	defaultAuditLimit = 100
	maxAuditLimit     = 10000 // the services page by at most 1,000
)

// AuditLog lists the entries the filter selects, newest first (by ID).
func (d *DB) AuditLog(ctx context.Context, f tendo.AuditFilter) ([]tendo.AuditEntry, error) {
	limit := f.Limit
	switch {
	case limit < 0:
		return nil, tendo.Invalid("limit", "%d is negative", limit)
	case limit == 0:
		limit = defaultAuditLimit
	case limit > maxAuditLimit:
		return nil, tendo.Invalid("limit", "%d is more than %d", limit, maxAuditLimit)
	}
	query := "SELECT id, at, user_id, actor, clinic_id, patient_id, action, detail, addr, user_agent, token_id FROM audit WHERE 1 = 1"
	var args []any
	if f.PatientID != 0 {
		query += " AND patient_id = ?"
		args = append(args, f.PatientID)
	}
	if f.UserID != 0 {
		query += " AND user_id = ?"
		args = append(args, f.UserID)
	}
	if f.Action != "" {
		query += " AND action = ?"
		args = append(args, f.Action)
	}
	if !f.From.IsZero() {
		query += " AND at >= ?"
		args = append(args, d.ts(f.From))
	}
	if !f.To.IsZero() {
		query += " AND at < ?"
		args = append(args, d.ts(f.To))
	}
	if f.Before != 0 {
		query += " AND id < ?"
		args = append(args, f.Before)
	}
	query += " ORDER BY id DESC LIMIT ?"
	args = append(args, limit)
	rows, err := d.query(ctx, d.rq(), query, args...)
	if err != nil {
		return nil, fmt.Errorf("audit log: %w", err)
	}
	defer rows.Close()
	es := []tendo.AuditEntry{}
	for rows.Next() {
		var e tendo.AuditEntry
		var at dbTime
		var user, clinic, patient, token sql.NullInt64
		if err := rows.Scan(&e.ID, &at, &user, &e.Actor, &clinic, &patient, &e.Action, &e.Detail, &e.Addr, &e.UserAgent, &token); err != nil {
			return nil, fmt.Errorf("audit log: %w", err)
		}
		e.At, e.UserID, e.ClinicID, e.PatientID, e.TokenID = at.T, user.Int64, clinic.Int64, patient.Int64, token.Int64
		es = append(es, e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("audit log: %w", err)
	}
	return es, nil
}

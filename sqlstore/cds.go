package sqlstore

// issue 11: cds-clinic. CDS Hooks clients and their feedback.

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/tendo-health/tendo"
)

// maxCDSFeedbackPage is the largest page CDSFeedback reads.
const maxCDSFeedbackPage = 1000

// CreateCDSClient stores a client and its user in one transaction; see
// tendo.Store.
func (d *DB) CreateCDSClient(ctx context.Context, c tendo.CDSClient, u tendo.User) (tendo.CDSClient, error) {
	u.Email = normEmail(u.Email)
	switch {
	case u.Role != tendo.RoleCDSClient:
		return tendo.CDSClient{}, tendo.Errorf(tendo.EINVALID, "a CDS client's user has the role %s, not %q", tendo.RoleCDSClient, u.Role)
	case len(u.ClinicIDs) != 1 || u.ClinicIDs[0] != c.ClinicID:
		return tendo.CDSClient{}, tendo.Errorf(tendo.EINVALID, "a CDS client's user belongs to the client's one clinic")
	case u.Email == "":
		return tendo.CDSClient{}, tendo.Errorf(tendo.EINVALID, "user e-mail address is required")
	case strings.TrimSpace(c.Name) == "":
		return tendo.CDSClient{}, tendo.Errorf(tendo.EINVALID, "CDS client name is required")
	case c.Issuer == "":
		return tendo.CDSClient{}, tendo.Errorf(tendo.EINVALID, "CDS client issuer is required")
	}
	if err := validText("e-mail address", u.Email, "user name", u.Name, "password hash", u.PasswordHash,
		"CDS client name", c.Name, "issuer", c.Issuer, "JWKS", string(c.JWKS)); err != nil {
		return tendo.CDSClient{}, err
	}
	if len(c.JWKS) > 0 && !json.Valid(c.JWKS) {
		return tendo.CDSClient{}, tendo.Errorf(tendo.EINVALID, "JWKS is not valid JSON")
	}
	urls, err := stringsJSON("jku URLs", c.JWKSURLs)
	if err != nil {
		return tendo.CDSClient{}, err
	}
	servers, err := stringsJSON("FHIR servers", c.FHIRServers)
	if err != nil {
		return tendo.CDSClient{}, err
	}
	now := d.now()
	c.CreatedAt, u.CreatedAt = now, now
	c.DisabledAt, u.DisabledAt = nil, nil
	err = d.tx(ctx, func(tx *sql.Tx) error {
		err := d.queryRow(ctx, tx, `INSERT INTO users (email, name, role, password_hash, created_at)
			VALUES (?, ?, ?, ?, ?) RETURNING id`,
			u.Email, u.Name, string(u.Role), u.PasswordHash, d.ts(now)).Scan(&u.ID)
		if err != nil {
			if violation(err) == uniqueViolation {
				return tendo.Errorf(tendo.ECONFLICT, "a user with e-mail address %s exists already", u.Email)
			}
			return fmt.Errorf("create CDS client user: %w", err)
		}
		if err := d.insertMemberships(ctx, tx, u.ID, u.ClinicIDs); err != nil {
			return err
		}
		c.UserID = u.ID
		err = d.queryRow(ctx, tx, `INSERT INTO cds_clients (user_id, clinic_id, name, issuer, jwks, jwks_urls, fhir_servers, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			c.UserID, c.ClinicID, c.Name, c.Issuer, string(c.JWKS), urls, servers, d.ts(now)).Scan(&c.ID)
		if err != nil {
			switch violation(err) {
			case uniqueViolation:
				return tendo.Errorf(tendo.ECONFLICT, "a CDS client with issuer %s exists already", c.Issuer)
			case foreignKeyViolation:
				return txRefErr("create CDS client", err, ref{"clinics", "clinic", c.ClinicID})
			}
			return fmt.Errorf("create CDS client: %w", err)
		}
		return nil
	})
	if err != nil {
		return tendo.CDSClient{}, err
	}
	if c.JWKSURLs == nil {
		c.JWKSURLs = []string{}
	}
	if c.FHIRServers == nil {
		c.FHIRServers = []string{}
	}
	return c, nil
}

// stringsJSON is a list of strings as stored: a JSON array.
func stringsJSON(what string, ss []string) (string, error) {
	if ss == nil {
		ss = []string{}
	}
	for _, s := range ss {
		if err := validText(what, s); err != nil {
			return "", err
		}
	}
	b, err := json.Marshal(ss)
	if err != nil {
		return "", fmt.Errorf("%s: %w", what, err)
	}
	return string(b), nil
}

// cdsClientColumns are the columns scanCDSClient reads.
const cdsClientColumns = `SELECT id, user_id, clinic_id, name, issuer, jwks, jwks_urls, fhir_servers, created_at, disabled_at FROM cds_clients `

func scanCDSClient(r rowScanner) (tendo.CDSClient, error) {
	var c tendo.CDSClient
	var jwks, urls, servers string
	var at, disabled dbTime
	if err := r.Scan(&c.ID, &c.UserID, &c.ClinicID, &c.Name, &c.Issuer, &jwks, &urls, &servers, &at, &disabled); err != nil {
		return tendo.CDSClient{}, err
	}
	if jwks != "" {
		c.JWKS = json.RawMessage(jwks)
	}
	if err := json.Unmarshal([]byte(urls), &c.JWKSURLs); err != nil {
		return tendo.CDSClient{}, fmt.Errorf("jku URLs: %w", err)
	}
	if err := json.Unmarshal([]byte(servers), &c.FHIRServers); err != nil {
		return tendo.CDSClient{}, fmt.Errorf("FHIR servers: %w", err)
	}
	if c.JWKSURLs == nil {
		c.JWKSURLs = []string{}
	}
	if c.FHIRServers == nil {
		c.FHIRServers = []string{}
	}
	c.CreatedAt, c.DisabledAt = at.T, disabled.ptr()
	return c, nil
}

// CDSClient returns a client, ENOTFOUND if there is none.
func (d *DB) CDSClient(ctx context.Context, id int64) (tendo.CDSClient, error) {
	c, err := scanCDSClient(d.queryRow(ctx, d.rq(), cdsClientColumns+"WHERE id = ?", id))
	if errors.Is(err, sql.ErrNoRows) {
		return tendo.CDSClient{}, tendo.Errorf(tendo.ENOTFOUND, "CDS client %d not found", id)
	}
	if err != nil {
		return tendo.CDSClient{}, fmt.Errorf("CDS client %d: %w", id, err)
	}
	return c, nil
}

// CDSClientByIssuer returns the client of an issuer, ENOTFOUND if there
// is none.
func (d *DB) CDSClientByIssuer(ctx context.Context, iss string) (tendo.CDSClient, error) {
	notFound := tendo.Errorf(tendo.ENOTFOUND, "no CDS client with that issuer")
	if iss == "" || validText("", iss) != nil {
		return tendo.CDSClient{}, notFound
	}
	c, err := scanCDSClient(d.queryRow(ctx, d.rq(), cdsClientColumns+"WHERE issuer = ?", iss))
	if errors.Is(err, sql.ErrNoRows) {
		return tendo.CDSClient{}, notFound
	}
	if err != nil {
		return tendo.CDSClient{}, fmt.Errorf("CDS client by issuer: %w", err)
	}
	return c, nil
}

// CDSClientByUser returns the client of a user, ENOTFOUND if there is
// none.
func (d *DB) CDSClientByUser(ctx context.Context, userID int64) (tendo.CDSClient, error) {
	c, err := scanCDSClient(d.queryRow(ctx, d.rq(), cdsClientColumns+"WHERE user_id = ?", userID))
	if errors.Is(err, sql.ErrNoRows) {
		return tendo.CDSClient{}, tendo.Errorf(tendo.ENOTFOUND, "no CDS client of user %d", userID)
	}
	if err != nil {
		return tendo.CDSClient{}, fmt.Errorf("CDS client of user %d: %w", userID, err)
	}
	return c, nil
}

// CDSClients lists every client, oldest first.
func (d *DB) CDSClients(ctx context.Context) ([]tendo.CDSClient, error) {
	rows, err := d.query(ctx, d.rq(), cdsClientColumns+"ORDER BY id")
	if err != nil {
		return nil, fmt.Errorf("CDS clients: %w", err)
	}
	defer rows.Close()
	cs := []tendo.CDSClient{}
	for rows.Next() {
		c, err := scanCDSClient(rows)
		if err != nil {
			return nil, fmt.Errorf("CDS clients: %w", err)
		}
		cs = append(cs, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("CDS clients: %w", err)
	}
	return cs, nil
}

// SetCDSClientDisabled sets the DisabledAt of a client and its user.
func (d *DB) SetCDSClientDisabled(ctx context.Context, id int64, at *time.Time) error {
	var arg any
	if at != nil {
		arg = d.ts(*at)
	}
	return d.tx(ctx, func(tx *sql.Tx) error {
		var uid int64
		err := d.queryRow(ctx, tx, "SELECT user_id FROM cds_clients WHERE id = ?"+d.forUpdate(), id).Scan(&uid)
		if errors.Is(err, sql.ErrNoRows) {
			return tendo.Errorf(tendo.ENOTFOUND, "CDS client %d not found", id)
		}
		if err != nil {
			return fmt.Errorf("disable CDS client: %w", err)
		}
		if _, err := d.exec(ctx, tx, "UPDATE cds_clients SET disabled_at = ? WHERE id = ?", arg, id); err != nil {
			return fmt.Errorf("disable CDS client: %w", err)
		}
		if _, err := d.exec(ctx, tx, "UPDATE users SET disabled_at = ? WHERE id = ?", arg, uid); err != nil {
			return fmt.Errorf("disable CDS client user: %w", err)
		}
		return nil
	})
}

// SaveCDSFeedback stores feedback items; see tendo.Store.
func (d *DB) SaveCDSFeedback(ctx context.Context, fb []tendo.CDSFeedback) ([]tendo.CDSFeedback, error) {
	out := make([]tendo.CDSFeedback, len(fb))
	for i, f := range fb {
		if f.OverrideReason == nil {
			f.OverrideReason = &tendo.CDSCoding{}
		}
		switch {
		case f.ServiceID == "" || f.Card == "":
			return nil, tendo.Errorf(tendo.EINVALID, "feedback %d: service and card are required", i)
		case f.Outcome != tendo.CDSAccepted && f.Outcome != tendo.CDSOverridden:
			return nil, tendo.Errorf(tendo.EINVALID, "feedback %d: unknown outcome %q", i, f.Outcome)
		case f.OutcomeTimestamp.IsZero() || f.ReceivedAt.IsZero():
			return nil, tendo.Errorf(tendo.EINVALID, "feedback %d: the outcome and receipt times are required", i)
		}
		r := f.OverrideReason
		if err := validText("service", f.ServiceID, "card", f.Card, "reason code", r.Code, "reason system", r.System,
			"reason display", r.Display, "comment", f.UserComment); err != nil {
			return nil, err
		}
		if _, err := stringsJSON("accepted suggestions", f.AcceptedSuggestions); err != nil {
			return nil, err
		}
		out[i] = f
	}
	err := d.tx(ctx, func(tx *sql.Tx) error {
		for i := range out {
			f := &out[i]
			sugg, _ := stringsJSON("accepted suggestions", f.AcceptedSuggestions)
			r := f.OverrideReason
			f.OutcomeTimestamp, f.ReceivedAt = stamp(f.OutcomeTimestamp), stamp(f.ReceivedAt)
			err := d.queryRow(ctx, tx, `INSERT INTO cds_feedback (client_id, clinic_id, service_id, card, outcome,
				accepted_suggestions, reason_code, reason_system, reason_display, user_comment, outcome_at, received_at)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
				f.ClientID, f.ClinicID, f.ServiceID, f.Card, f.Outcome, sugg, r.Code, r.System, r.Display,
				f.UserComment, d.ts(f.OutcomeTimestamp), d.ts(f.ReceivedAt)).Scan(&f.ID)
			if err != nil {
				return txRefErr("save CDS feedback", err, ref{"cds_clients", "CDS client", f.ClientID}, ref{"clinics", "clinic", f.ClinicID})
			}
			if *r == (tendo.CDSCoding{}) {
				f.OverrideReason = nil
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// CDSFeedback lists the items the filter selects, newest first.
func (d *DB) CDSFeedback(ctx context.Context, f tendo.CDSFeedbackFilter) ([]tendo.CDSFeedback, error) {
	var conds []string
	var args []any
	if f.ClinicID != 0 {
		conds, args = append(conds, "clinic_id = ?"), append(args, f.ClinicID)
	}
	if f.ClinicIDs != nil {
		if len(f.ClinicIDs) == 0 {
			return []tendo.CDSFeedback{}, nil
		}
		conds = append(conds, "clinic_id IN ("+placeholders(len(f.ClinicIDs))+")")
		for _, id := range f.ClinicIDs {
			args = append(args, id)
		}
	}
	if f.ClientID != 0 {
		conds, args = append(conds, "client_id = ?"), append(args, f.ClientID)
	}
	if f.ServiceID != "" {
		conds, args = append(conds, "service_id = ?"), append(args, f.ServiceID)
	}
	if f.Outcome != "" {
		conds, args = append(conds, "outcome = ?"), append(args, f.Outcome)
	}
	if f.Before != 0 {
		conds, args = append(conds, "id < ?"), append(args, f.Before)
	}
	limit := f.Limit
	if limit <= 0 {
		limit = 100
	}
	limit = min(limit, maxCDSFeedbackPage+1)
	q := `SELECT id, client_id, clinic_id, service_id, card, outcome, accepted_suggestions,
		reason_code, reason_system, reason_display, user_comment, outcome_at, received_at FROM cds_feedback`
	if len(conds) > 0 {
		q += " WHERE " + strings.Join(conds, " AND ")
	}
	q += fmt.Sprintf(" ORDER BY id DESC LIMIT %d", limit)
	rows, err := d.query(ctx, d.rq(), q, args...)
	if err != nil {
		return nil, fmt.Errorf("CDS feedback: %w", err)
	}
	defer rows.Close()
	out := []tendo.CDSFeedback{}
	for rows.Next() {
		var fb tendo.CDSFeedback
		var sugg string
		var r tendo.CDSCoding
		var outAt, recAt dbTime
		if err := rows.Scan(&fb.ID, &fb.ClientID, &fb.ClinicID, &fb.ServiceID, &fb.Card, &fb.Outcome, &sugg,
			&r.Code, &r.System, &r.Display, &fb.UserComment, &outAt, &recAt); err != nil {
			return nil, fmt.Errorf("CDS feedback: %w", err)
		}
		if err := json.Unmarshal([]byte(sugg), &fb.AcceptedSuggestions); err != nil {
			return nil, fmt.Errorf("CDS feedback %d: accepted suggestions: %w", fb.ID, err)
		}
		if len(fb.AcceptedSuggestions) == 0 {
			fb.AcceptedSuggestions = nil
		}
		if r != (tendo.CDSCoding{}) {
			fb.OverrideReason = &r
		}
		fb.OutcomeTimestamp, fb.ReceivedAt = outAt.T, recAt.T
		out = append(out, fb)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("CDS feedback: %w", err)
	}
	return out, nil
}

// end issue 11: cds-clinic

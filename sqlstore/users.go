package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/tendo-health/tendo"
)

// CreateClinic stores a new clinic; its name must not be empty.
func (d *DB) CreateClinic(ctx context.Context, name string) (tendo.Clinic, error) {
	if strings.TrimSpace(name) == "" {
		return tendo.Clinic{}, tendo.Errorf(tendo.EINVALID, "clinic name is required")
	}
	if err := validText("clinic name", name); err != nil {
		return tendo.Clinic{}, err
	}
	c := tendo.Clinic{Name: name, CreatedAt: d.now()}
	err := d.queryRow(ctx, d.wq(), "INSERT INTO clinics (name, created_at) VALUES (?, ?) RETURNING id",
		c.Name, d.ts(c.CreatedAt)).Scan(&c.ID)
	if err != nil {
		return tendo.Clinic{}, fmt.Errorf("create clinic: %w", err)
	}
	return c, nil
}

// Clinic returns a clinic, ENOTFOUND if there is none with that ID.
func (d *DB) Clinic(ctx context.Context, id int64) (tendo.Clinic, error) {
	var c tendo.Clinic
	var at dbTime
	err := d.queryRow(ctx, d.rq(), "SELECT id, name, created_at FROM clinics WHERE id = ?", id).Scan(&c.ID, &c.Name, &at)
	if errors.Is(err, sql.ErrNoRows) {
		return tendo.Clinic{}, tendo.Errorf(tendo.ENOTFOUND, "clinic %d not found", id)
	}
	if err != nil {
		return tendo.Clinic{}, fmt.Errorf("clinic %d: %w", id, err)
	}
	c.CreatedAt = at.T
	return c, nil
}

// Clinics lists every clinic by name.
func (d *DB) Clinics(ctx context.Context) ([]tendo.Clinic, error) {
	rows, err := d.query(ctx, d.rq(), "SELECT id, name, created_at FROM clinics ORDER BY id")
	if err != nil {
		return nil, fmt.Errorf("clinics: %w", err)
	}
	defer rows.Close()
	cs := []tendo.Clinic{}
	for rows.Next() {
		var c tendo.Clinic
		var at dbTime
		if err := rows.Scan(&c.ID, &c.Name, &at); err != nil {
			return nil, fmt.Errorf("clinics: %w", err)
		}
		c.CreatedAt = at.T
		cs = append(cs, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("clinics: %w", err)
	}
	slices.SortStableFunc(cs, func(a, b tendo.Clinic) int { return compareNames(a.Name, b.Name) })
	return cs, nil
}

// compareNames orders names case-insensitively, then exactly. Sorting in
// Go rather than SQL gives the same order on both databases, whatever
// Postgres's collation.
func compareNames(a, b string) int {
	if c := strings.Compare(strings.ToLower(a), strings.ToLower(b)); c != 0 {
		return c
	}
	return strings.Compare(a, b)
}

// normEmail is an e-mail address as stored.
func normEmail(email string) string { return strings.ToLower(strings.TrimSpace(email)) }

// clinicSet returns ids sorted without duplicates, EINVALID for an ID
// that cannot be a clinic's.
func clinicSet(ids []int64) ([]int64, error) {
	set := slices.Clone(ids)
	slices.Sort(set)
	set = slices.Compact(set)
	if len(set) > 0 && set[0] <= 0 {
		return nil, tendo.Errorf(tendo.EINVALID, "clinic %d does not exist", set[0])
	}
	if set == nil {
		set = []int64{}
	}
	return set, nil
}

// CreateUser stores u with its password hash and memberships. The e-mail
// address is stored lower-case and must be new (ECONFLICT otherwise); the
// role must be known and the clinics must exist (EINVALID otherwise).
func (d *DB) CreateUser(ctx context.Context, u tendo.User) (tendo.User, error) {
	u.Email = normEmail(u.Email)
	if u.Email == "" {
		return tendo.User{}, tendo.Errorf(tendo.EINVALID, "user e-mail address is required")
	}
	if !u.Role.Valid() {
		return tendo.User{}, tendo.Errorf(tendo.EINVALID, "unknown role %q", u.Role)
	}
	if err := validText("e-mail address", u.Email, "user name", u.Name, "password hash", u.PasswordHash); err != nil {
		return tendo.User{}, err
	}
	ids, err := clinicSet(u.ClinicIDs)
	if err != nil {
		return tendo.User{}, err
	}
	u.ClinicIDs = ids
	u.CreatedAt = d.now()
	err = d.tx(ctx, func(tx *sql.Tx) error {
		err := d.queryRow(ctx, tx, `INSERT INTO users (email, name, role, password_hash, created_at)
			VALUES (?, ?, ?, ?, ?) RETURNING id`,
			u.Email, u.Name, string(u.Role), u.PasswordHash, d.ts(u.CreatedAt)).Scan(&u.ID)
		if err != nil {
			if violation(err) == uniqueViolation {
				return tendo.Errorf(tendo.ECONFLICT, "a user with e-mail address %s exists already", u.Email)
			}
			return fmt.Errorf("create user: %w", err)
		}
		return d.insertMemberships(ctx, tx, u.ID, ids)
	})
	if err != nil {
		return tendo.User{}, err
	}
	return u, nil
}

// insertMemberships makes the user a member of the clinics, EINVALID
// naming the first that does not exist.
func (d *DB) insertMemberships(ctx context.Context, tx *sql.Tx, userID int64, clinicIDs []int64) error {
	if len(clinicIDs) == 0 {
		return nil
	}
	args := make([]any, len(clinicIDs))
	for i, id := range clinicIDs {
		args[i] = id
	}
	rows, err := d.query(ctx, tx, "SELECT id FROM clinics WHERE id IN ("+placeholders(len(args))+")", args...)
	if err != nil {
		return fmt.Errorf("memberships: %w", err)
	}
	found := map[int64]bool{}
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return fmt.Errorf("memberships: %w", err)
		}
		found[id] = true
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("memberships: %w", err)
	}
	for _, id := range clinicIDs {
		if !found[id] {
			return tendo.Errorf(tendo.EINVALID, "clinic %d does not exist", id)
		}
	}
	for _, id := range clinicIDs {
		if _, err := d.exec(ctx, tx, "INSERT INTO memberships (user_id, clinic_id) VALUES (?, ?)", userID, id); err != nil {
			return txRefErr("memberships", err, ref{"clinics", "clinic", id})
		}
	}
	return nil
}

// userColumns are the columns scanUsers reads, users u joined with
// memberships m.
const userColumns = `SELECT u.id, u.email, u.name, u.role, u.password_hash, u.created_at, m.clinic_id
	FROM users u LEFT JOIN memberships m ON m.user_id = u.id `

// scanUsers reads rows of userColumns ordered by user then clinic.
func scanUsers(rows *sql.Rows) ([]tendo.User, error) {
	defer rows.Close()
	us := []tendo.User{}
	for rows.Next() {
		var u tendo.User
		var role string
		var at dbTime
		var clinic sql.NullInt64
		if err := rows.Scan(&u.ID, &u.Email, &u.Name, &role, &u.PasswordHash, &at, &clinic); err != nil {
			return nil, err
		}
		if n := len(us); n == 0 || us[n-1].ID != u.ID {
			u.Role = tendo.Role(role)
			u.CreatedAt = at.T
			u.ClinicIDs = []int64{}
			us = append(us, u)
		}
		if clinic.Valid {
			last := &us[len(us)-1]
			last.ClinicIDs = append(last.ClinicIDs, clinic.Int64)
		}
	}
	return us, rows.Err()
}

// oneUser returns the user the query (userColumns + a condition) selects.
func (d *DB) oneUser(ctx context.Context, q querier, what string, cond string, arg any) (tendo.User, error) {
	rows, err := d.query(ctx, q, userColumns+cond+" ORDER BY m.clinic_id", arg)
	if err != nil {
		return tendo.User{}, fmt.Errorf("user %s: %w", what, err)
	}
	us, err := scanUsers(rows)
	if err != nil {
		return tendo.User{}, fmt.Errorf("user %s: %w", what, err)
	}
	if len(us) == 0 {
		return tendo.User{}, tendo.Errorf(tendo.ENOTFOUND, "user %s not found", what)
	}
	return us[0], nil
}

// User returns a user with their clinics, ENOTFOUND if there is none.
func (d *DB) User(ctx context.Context, id int64) (tendo.User, error) {
	return d.oneUser(ctx, d.rq(), fmt.Sprint(id), "WHERE u.id = ?", id)
}

// UserByEmail returns the user with the e-mail address, in any case.
func (d *DB) UserByEmail(ctx context.Context, email string) (tendo.User, error) {
	e := normEmail(email)
	if validText("", e) != nil {
		return tendo.User{}, tendo.Errorf(tendo.ENOTFOUND, "user %s not found", e)
	}
	return d.oneUser(ctx, d.rq(), e, "WHERE u.email = ?", e)
}

// Users lists every user, oldest first.
func (d *DB) Users(ctx context.Context) ([]tendo.User, error) {
	rows, err := d.query(ctx, d.rq(), userColumns+"ORDER BY u.id, m.clinic_id")
	if err != nil {
		return nil, fmt.Errorf("users: %w", err)
	}
	us, err := scanUsers(rows)
	if err != nil {
		return nil, fmt.Errorf("users: %w", err)
	}
	return us, nil
}

// SetClinics replaces the user's memberships: ENOTFOUND for an unknown
// user, EINVALID (and nothing changed) for an unknown clinic.
func (d *DB) SetClinics(ctx context.Context, userID int64, clinicIDs []int64) error {
	ids, err := clinicSet(clinicIDs)
	if err != nil {
		return err
	}
	return d.tx(ctx, func(tx *sql.Tx) error {
		var id int64
		err := d.queryRow(ctx, tx, "SELECT id FROM users WHERE id = ?"+d.forUpdate(), userID).Scan(&id)
		if errors.Is(err, sql.ErrNoRows) {
			return tendo.Errorf(tendo.ENOTFOUND, "user %d not found", userID)
		}
		if err != nil {
			return fmt.Errorf("set clinics: %w", err)
		}
		if _, err := d.exec(ctx, tx, "DELETE FROM memberships WHERE user_id = ?", userID); err != nil {
			return fmt.Errorf("set clinics: %w", err)
		}
		return d.insertMemberships(ctx, tx, userID, ids)
	})
}

// SetPassword replaces the user's password hash.
func (d *DB) SetPassword(ctx context.Context, userID int64, hash string) error {
	if hash == "" {
		return tendo.Errorf(tendo.EINVALID, "password hash is required")
	}
	if err := validText("password hash", hash); err != nil {
		return err
	}
	res, err := d.exec(ctx, d.wq(), "UPDATE users SET password_hash = ? WHERE id = ?", hash, userID)
	if err != nil {
		return fmt.Errorf("set password: %w", err)
	}
	return oneRow(res, "set password", tendo.Errorf(tendo.ENOTFOUND, "user %d not found", userID))
}

// oneRow returns notFound unless res changed a row.
func oneRow(res sql.Result, op string, notFound error) error {
	n, err := res.RowsAffected()
	if err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	if n == 0 {
		return notFound
	}
	return nil
}

// CountUsers returns how many users there are.
func (d *DB) CountUsers(ctx context.Context) (int, error) {
	var n int
	if err := d.queryRow(ctx, d.rq(), "SELECT count(*) FROM users").Scan(&n); err != nil {
		return 0, fmt.Errorf("count users: %w", err)
	}
	return n, nil
}

// CreateSession stores a session. Its ID, CSRF token and expiry are
// required; a zero CreatedAt is now.
func (d *DB) CreateSession(ctx context.Context, s tendo.Session) error {
	switch {
	case s.ID == "":
		return tendo.Errorf(tendo.EINVALID, "session ID is required")
	case s.CSRF == "":
		return tendo.Errorf(tendo.EINVALID, "session CSRF token is required")
	case s.ExpiresAt.IsZero():
		return tendo.Errorf(tendo.EINVALID, "session expiry is required")
	}
	if err := validText("session ID", s.ID, "session CSRF token", s.CSRF); err != nil {
		return err
	}
	if s.CreatedAt.IsZero() {
		s.CreatedAt = d.now()
	}
	_, err := d.exec(ctx, d.wq(), "INSERT INTO sessions (id, user_id, csrf, created_at, expires_at) VALUES (?, ?, ?, ?, ?)",
		s.ID, s.UserID, s.CSRF, d.ts(s.CreatedAt), d.ts(s.ExpiresAt))
	if err != nil {
		if violation(err) == uniqueViolation {
			return tendo.Errorf(tendo.ECONFLICT, "session exists already")
		}
		return d.invalidRef(ctx, "create session", err, ref{"users", "user", s.UserID})
	}
	return nil
}

// Session returns the session, ENOTFOUND if it is unknown or has expired
// at now.
func (d *DB) Session(ctx context.Context, id string, now time.Time) (tendo.Session, error) {
	if validText("", id) != nil {
		return tendo.Session{}, tendo.Errorf(tendo.ENOTFOUND, "session not found")
	}
	s := tendo.Session{ID: id}
	var created, expires dbTime
	err := d.queryRow(ctx, d.rq(), "SELECT user_id, csrf, created_at, expires_at FROM sessions WHERE id = ? AND expires_at > ?",
		id, d.ts(now)).Scan(&s.UserID, &s.CSRF, &created, &expires)
	if errors.Is(err, sql.ErrNoRows) {
		return tendo.Session{}, tendo.Errorf(tendo.ENOTFOUND, "session not found")
	}
	if err != nil {
		return tendo.Session{}, fmt.Errorf("session: %w", err)
	}
	s.CreatedAt, s.ExpiresAt = created.T, expires.T
	return s, nil
}

// DeleteSession deletes a session; deleting an unknown one is not an
// error.
func (d *DB) DeleteSession(ctx context.Context, id string) error {
	if _, err := d.exec(ctx, d.wq(), "DELETE FROM sessions WHERE id = ?", id); err != nil {
		return fmt.Errorf("delete session: %w", err)
	}
	return nil
}

// DeleteExpiredSessions deletes the sessions expired at now.
func (d *DB) DeleteExpiredSessions(ctx context.Context, now time.Time) error {
	if _, err := d.exec(ctx, d.wq(), "DELETE FROM sessions WHERE expires_at <= ?", d.ts(now)); err != nil {
		return fmt.Errorf("delete expired sessions: %w", err)
	}
	return nil
}

// CreateAPIToken stores a token (its hash) for a user: ECONFLICT if the
// hash is taken, EINVALID if the user does not exist.
func (d *DB) CreateAPIToken(ctx context.Context, userID int64, name, tokenHash string) (tendo.APIToken, error) {
	if tokenHash == "" {
		return tendo.APIToken{}, tendo.Errorf(tendo.EINVALID, "token hash is required")
	}
	if err := validText("token hash", tokenHash, "token name", name); err != nil {
		return tendo.APIToken{}, err
	}
	t := tendo.APIToken{UserID: userID, Name: name, CreatedAt: d.now()}
	err := d.queryRow(ctx, d.wq(), "INSERT INTO api_tokens (user_id, name, token_hash, created_at) VALUES (?, ?, ?, ?) RETURNING id",
		userID, name, tokenHash, d.ts(t.CreatedAt)).Scan(&t.ID)
	if err != nil {
		if violation(err) == uniqueViolation {
			return tendo.APIToken{}, tendo.Errorf(tendo.ECONFLICT, "API token exists already")
		}
		return tendo.APIToken{}, d.invalidRef(ctx, "create API token", err, ref{"users", "user", userID})
	}
	return t, nil
}

// tokenUseGranularity is how often a token's last use is written: at most
// once a minute, so API calls do not each cost a committed write.
const tokenUseGranularity = time.Minute

// UserByAPIToken returns the user of the token with the hash, ENOTFOUND
// if there is none, and records now as the token's last use (when the
// recorded one is a minute old or more).
func (d *DB) UserByAPIToken(ctx context.Context, tokenHash string, now time.Time) (tendo.User, error) {
	if validText("", tokenHash) != nil {
		return tendo.User{}, tendo.Errorf(tendo.ENOTFOUND, "API token not found")
	}
	var userID int64
	var last dbTime
	err := d.queryRow(ctx, d.rq(), "SELECT user_id, last_used_at FROM api_tokens WHERE token_hash = ?", tokenHash).Scan(&userID, &last)
	if errors.Is(err, sql.ErrNoRows) {
		return tendo.User{}, tendo.Errorf(tendo.ENOTFOUND, "API token not found")
	}
	if err != nil {
		return tendo.User{}, fmt.Errorf("API token: %w", err)
	}
	if !last.Valid || now.Sub(last.T) >= tokenUseGranularity || now.Before(last.T) {
		if _, err := d.exec(ctx, d.wq(), "UPDATE api_tokens SET last_used_at = ? WHERE token_hash = ?", d.ts(now), tokenHash); err != nil {
			return tendo.User{}, fmt.Errorf("API token: %w", err)
		}
	}
	return d.User(ctx, userID)
}

// RecordLoginFailure records a failed login for key (an address, an
// e-mail address) at the given time (now if zero).
func (d *DB) RecordLoginFailure(ctx context.Context, key string, at time.Time) error {
	if key == "" {
		return tendo.Errorf(tendo.EINVALID, "login failure key is required")
	}
	if at.IsZero() {
		at = d.now()
	}
	if _, err := d.exec(ctx, d.wq(), "INSERT INTO login_failures (key, at) VALUES (?, ?)", failureKey(key), d.ts(at)); err != nil {
		return fmt.Errorf("record login failure: %w", err)
	}
	return nil
}

// failureKey is key as stored: made valid text, so that a key built from
// a client's bytes is counted rather than refused.
func failureKey(key string) string {
	return strings.ReplaceAll(strings.ToValidUTF8(key, "\uFFFD"), "\x00", "\uFFFD")
}

// LoginFailures counts the failures recorded for key at or after since.
func (d *DB) LoginFailures(ctx context.Context, key string, since time.Time) (int, error) {
	var n int
	err := d.queryRow(ctx, d.rq(), "SELECT count(*) FROM login_failures WHERE key = ? AND at >= ?", failureKey(key), d.ts(since)).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("login failures: %w", err)
	}
	return n, nil
}

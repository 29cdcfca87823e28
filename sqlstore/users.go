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
const userColumns = `SELECT u.id, u.email, u.name, u.role, u.password_hash, u.created_at, u.disabled_at, m.clinic_id
	FROM users u LEFT JOIN memberships m ON m.user_id = u.id `

// scanUsers reads rows of userColumns ordered by user then clinic.
func scanUsers(rows *sql.Rows) ([]tendo.User, error) {
	defer rows.Close()
	us := []tendo.User{}
	for rows.Next() {
		var u tendo.User
		var role string
		var at, disabled dbTime
		var clinic sql.NullInt64
		if err := rows.Scan(&u.ID, &u.Email, &u.Name, &role, &u.PasswordHash, &at, &disabled, &clinic); err != nil {
			return nil, err
		}
		if n := len(us); n == 0 || us[n-1].ID != u.ID {
			u.Role = tendo.Role(role)
			u.CreatedAt = at.T
			u.DisabledAt = disabled.ptr()
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
// required; a zero CreatedAt is now, a zero LastSeenAt CreatedAt.
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
	if s.LastSeenAt.IsZero() {
		s.LastSeenAt = s.CreatedAt
	}
	_, err := d.exec(ctx, d.wq(), "INSERT INTO sessions (id, user_id, csrf, created_at, expires_at, last_seen_at) VALUES (?, ?, ?, ?, ?, ?)",
		s.ID, s.UserID, s.CSRF, d.ts(s.CreatedAt), d.ts(s.ExpiresAt), d.ts(s.LastSeenAt))
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
	var created, expires, seen dbTime
	err := d.queryRow(ctx, d.rq(), "SELECT user_id, csrf, created_at, expires_at, last_seen_at FROM sessions WHERE id = ? AND expires_at > ?",
		id, d.ts(now)).Scan(&s.UserID, &s.CSRF, &created, &expires, &seen)
	if errors.Is(err, sql.ErrNoRows) {
		return tendo.Session{}, tendo.Errorf(tendo.ENOTFOUND, "session not found")
	}
	if err != nil {
		return tendo.Session{}, fmt.Errorf("session: %w", err)
	}
	s.CreatedAt, s.ExpiresAt, s.LastSeenAt = created.T, expires.T, seen.T
	if !seen.Valid {
		s.LastSeenAt = created.T
	}
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

// CreateAPIToken stores a token (its hash) for a user, valid for
// tendo.DefaultTokenTTL: ECONFLICT if the hash is taken, EINVALID if the
// user does not exist.
func (d *DB) CreateAPIToken(ctx context.Context, userID int64, name, tokenHash string) (tendo.APIToken, error) {
	now := d.now()
	return d.IssueAPIToken(ctx, tendo.APIToken{UserID: userID, Name: name, CreatedAt: now, ExpiresAt: now.Add(tendo.DefaultTokenTTL)}, tokenHash)
}

// IssueAPIToken stores a token (its hash) with its expiry: ECONFLICT if
// the hash is taken, EINVALID if the user does not exist or the expiry is
// missing.
func (d *DB) IssueAPIToken(ctx context.Context, t tendo.APIToken, tokenHash string) (tendo.APIToken, error) {
	if tokenHash == "" {
		return tendo.APIToken{}, tendo.Errorf(tendo.EINVALID, "token hash is required")
	}
	if t.ExpiresAt.IsZero() {
		return tendo.APIToken{}, tendo.Errorf(tendo.EINVALID, "token expiry is required")
	}
	if err := validText("token hash", tokenHash, "token name", t.Name); err != nil {
		return tendo.APIToken{}, err
	}
	if t.CreatedAt.IsZero() {
		t.CreatedAt = d.now()
	}
	t.CreatedAt, t.ExpiresAt = stamp(t.CreatedAt), stamp(t.ExpiresAt)
	t.ID, t.LastUsedAt, t.RevokedAt = 0, nil, nil
	err := d.queryRow(ctx, d.wq(), "INSERT INTO api_tokens (user_id, name, token_hash, created_at, expires_at) VALUES (?, ?, ?, ?, ?) RETURNING id",
		t.UserID, t.Name, tokenHash, d.ts(t.CreatedAt), d.ts(t.ExpiresAt)).Scan(&t.ID)
	if err != nil {
		if violation(err) == uniqueViolation {
			return tendo.APIToken{}, tendo.Errorf(tendo.ECONFLICT, "API token exists already")
		}
		return tendo.APIToken{}, d.invalidRef(ctx, "create API token", err, ref{"users", "user", t.UserID})
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

// TouchSession records at as the session's last activity; an unknown
// session is not an error (it may have just been ended).
func (d *DB) TouchSession(ctx context.Context, id string, at time.Time) error {
	if _, err := d.exec(ctx, d.wq(), "UPDATE sessions SET last_seen_at = ? WHERE id = ?", d.ts(at), id); err != nil {
		return fmt.Errorf("touch session: %w", err)
	}
	return nil
}

// DeleteUserSessions deletes the user's sessions but keep, returning how
// many.
func (d *DB) DeleteUserSessions(ctx context.Context, userID int64, keep string) (int, error) {
	res, err := d.exec(ctx, d.wq(), "DELETE FROM sessions WHERE user_id = ? AND id <> ?", userID, keep)
	if err != nil {
		return 0, fmt.Errorf("delete user sessions: %w", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return 0, fmt.Errorf("delete user sessions: %w", err)
	}
	return int(n), nil
}

// DeleteIdleSessions deletes the sessions last seen before seenBefore.
func (d *DB) DeleteIdleSessions(ctx context.Context, seenBefore time.Time) error {
	if _, err := d.exec(ctx, d.wq(), "DELETE FROM sessions WHERE COALESCE(last_seen_at, created_at) < ?", d.ts(seenBefore)); err != nil {
		return fmt.Errorf("delete idle sessions: %w", err)
	}
	return nil
}

// UpdateUser writes the user's name, role and disabled time.
func (d *DB) UpdateUser(ctx context.Context, u tendo.User) error {
	if !u.Role.Valid() {
		return tendo.Errorf(tendo.EINVALID, "unknown role %q", u.Role)
	}
	if err := validText("user name", u.Name); err != nil {
		return err
	}
	var disabled any
	if u.DisabledAt != nil {
		disabled = d.ts(*u.DisabledAt)
	}
	res, err := d.exec(ctx, d.wq(), "UPDATE users SET name = ?, role = ?, disabled_at = ? WHERE id = ?", u.Name, string(u.Role), disabled, u.ID)
	if err != nil {
		return fmt.Errorf("update user: %w", err)
	}
	return oneRow(res, "update user", tendo.Errorf(tendo.ENOTFOUND, "user %d not found", u.ID))
}

// apiTokenColumns are the columns scanAPIToken reads.
const apiTokenColumns = "SELECT id, user_id, name, created_at, expires_at, last_used_at, revoked_at FROM api_tokens "

type rowScanner interface{ Scan(dest ...any) error }

func scanAPIToken(r rowScanner) (tendo.APIToken, error) {
	var t tendo.APIToken
	var created, expires, used, revoked dbTime
	if err := r.Scan(&t.ID, &t.UserID, &t.Name, &created, &expires, &used, &revoked); err != nil {
		return tendo.APIToken{}, err
	}
	t.CreatedAt, t.ExpiresAt = created.T, expires.T
	if !expires.Valid {
		t.ExpiresAt = created.T.Add(tendo.DefaultTokenTTL)
	}
	t.LastUsedAt, t.RevokedAt = used.ptr(), revoked.ptr()
	return t, nil
}

// APITokenByHash returns the token with the hash and its user,
// ENOTFOUND if there is none. It records now as the token's last use
// (when the recorded one is a minute old or more) if the token is
// neither revoked nor expired at now.
func (d *DB) APITokenByHash(ctx context.Context, tokenHash string, now time.Time) (tendo.APIToken, tendo.User, error) {
	if validText("", tokenHash) != nil {
		return tendo.APIToken{}, tendo.User{}, tendo.Errorf(tendo.ENOTFOUND, "API token not found")
	}
	t, err := scanAPIToken(d.queryRow(ctx, d.rq(), apiTokenColumns+"WHERE token_hash = ?", tokenHash))
	if errors.Is(err, sql.ErrNoRows) {
		return tendo.APIToken{}, tendo.User{}, tendo.Errorf(tendo.ENOTFOUND, "API token not found")
	}
	if err != nil {
		return tendo.APIToken{}, tendo.User{}, fmt.Errorf("API token: %w", err)
	}
	live := t.RevokedAt == nil && now.Before(t.ExpiresAt)
	if live && (t.LastUsedAt == nil || now.Sub(*t.LastUsedAt) >= tokenUseGranularity || now.Before(*t.LastUsedAt)) {
		if _, err := d.exec(ctx, d.wq(), "UPDATE api_tokens SET last_used_at = ? WHERE id = ?", d.ts(now), t.ID); err != nil {
			return tendo.APIToken{}, tendo.User{}, fmt.Errorf("API token: %w", err)
		}
		at := stamp(now)
		t.LastUsedAt = &at
	}
	u, err := d.User(ctx, t.UserID)
	if err != nil {
		return tendo.APIToken{}, tendo.User{}, err
	}
	return t, u, nil
}

// APITokenByID returns a token, ENOTFOUND if there is none.
func (d *DB) APITokenByID(ctx context.Context, id int64) (tendo.APIToken, error) {
	t, err := scanAPIToken(d.queryRow(ctx, d.rq(), apiTokenColumns+"WHERE id = ?", id))
	if errors.Is(err, sql.ErrNoRows) {
		return tendo.APIToken{}, tendo.Errorf(tendo.ENOTFOUND, "API token %d not found", id)
	}
	if err != nil {
		return tendo.APIToken{}, fmt.Errorf("API token %d: %w", id, err)
	}
	return t, nil
}

// APITokens lists the user's tokens, newest first.
func (d *DB) APITokens(ctx context.Context, userID int64) ([]tendo.APIToken, error) {
	rows, err := d.query(ctx, d.rq(), apiTokenColumns+"WHERE user_id = ? ORDER BY created_at DESC, id DESC", userID)
	if err != nil {
		return nil, fmt.Errorf("API tokens: %w", err)
	}
	defer rows.Close()
	ts := []tendo.APIToken{}
	for rows.Next() {
		t, err := scanAPIToken(rows)
		if err != nil {
			return nil, fmt.Errorf("API tokens: %w", err)
		}
		ts = append(ts, t)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("API tokens: %w", err)
	}
	return ts, nil
}

// RevokeAPIToken marks a token revoked at at, keeping an earlier
// revocation; ENOTFOUND for an unknown token.
func (d *DB) RevokeAPIToken(ctx context.Context, id int64, at time.Time) error {
	res, err := d.exec(ctx, d.wq(), "UPDATE api_tokens SET revoked_at = COALESCE(revoked_at, ?) WHERE id = ?", d.ts(at), id)
	if err != nil {
		return fmt.Errorf("revoke API token: %w", err)
	}
	return oneRow(res, "revoke API token", tendo.Errorf(tendo.ENOTFOUND, "API token %d not found", id))
}

// ReserveLoginAttempt counts and records a login attempt in one
// transaction; see tendo.Store.
func (d *DB) ReserveLoginAttempt(ctx context.Context, limits []tendo.LoginLimit, since, at time.Time) (int64, error) {
	if len(limits) == 0 {
		return 0, tendo.Errorf(tendo.EINVALID, "a login attempt needs at least one limit")
	}
	keys := make([]string, len(limits))
	for i, l := range limits {
		if l.Key == "" {
			return 0, tendo.Errorf(tendo.EINVALID, "login limit key is required")
		}
		keys[i] = failureKey(l.Key)
	}
	// Lock in one order, so that two attempts sharing keys cannot
	// deadlock.
	order := slices.Clone(keys)
	slices.Sort(order)
	order = slices.Compact(order)
	id := publicID()
	err := d.tx(ctx, func(tx *sql.Tx) error {
		if d.dialect == dialectPostgres {
			for _, k := range order {
				if _, err := d.exec(ctx, tx, "SELECT pg_advisory_xact_lock(hashtext(?))", "tendo-login:"+k); err != nil {
					return fmt.Errorf("lock: %w", err)
				}
			}
		}
		for i, l := range limits {
			var n int
			err := d.queryRow(ctx, tx, "SELECT count(*) FROM login_failures WHERE key = ? AND at >= ?", keys[i], d.ts(since)).Scan(&n)
			if err != nil {
				return fmt.Errorf("count: %w", err)
			}
			if n >= l.Max {
				return tendo.Errorf(tendo.ETOOMANY, "Too many failed attempts. Wait a while and try again.")
			}
		}
		for _, k := range order {
			if _, err := d.exec(ctx, tx, "INSERT INTO login_failures (key, at, reservation) VALUES (?, ?, ?)", k, d.ts(at), id); err != nil {
				return fmt.Errorf("record: %w", err)
			}
		}
		return nil
	})
	if err != nil {
		if tendo.ErrorCode(err) == tendo.ETOOMANY {
			return 0, err
		}
		return 0, fmt.Errorf("reserve login attempt: %w", err)
	}
	return id, nil
}

// ReleaseLoginAttempt deletes a reservation's records.
func (d *DB) ReleaseLoginAttempt(ctx context.Context, id int64) error {
	if _, err := d.exec(ctx, d.wq(), "DELETE FROM login_failures WHERE reservation = ?", id); err != nil {
		return fmt.Errorf("release login attempt: %w", err)
	}
	return nil
}

// DeleteLoginFailures deletes the failures recorded before before.
func (d *DB) DeleteLoginFailures(ctx context.Context, before time.Time) error {
	if _, err := d.exec(ctx, d.wq(), "DELETE FROM login_failures WHERE at < ?", d.ts(before)); err != nil {
		return fmt.Errorf("delete login failures: %w", err)
	}
	return nil
}

// CreateDevice remembers a device (the hash of its cookie) for a user
// until expires: ECONFLICT for a hash in use, EINVALID for an unknown
// user.
func (d *DB) CreateDevice(ctx context.Context, hash string, userID int64, expires time.Time) error {
	if hash == "" {
		return tendo.Errorf(tendo.EINVALID, "device hash is required")
	}
	if err := validText("device hash", hash); err != nil {
		return err
	}
	_, err := d.exec(ctx, d.wq(), "INSERT INTO devices (id, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)",
		hash, userID, d.ts(d.now()), d.ts(expires))
	if err != nil {
		if violation(err) == uniqueViolation {
			return tendo.Errorf(tendo.ECONFLICT, "device exists already")
		}
		return d.invalidRef(ctx, "create device", err, ref{"users", "user", userID})
	}
	return nil
}

// DeviceUser returns the user of a device, ENOTFOUND for an unknown or
// expired one.
func (d *DB) DeviceUser(ctx context.Context, hash string, now time.Time) (int64, error) {
	if validText("", hash) != nil {
		return 0, tendo.Errorf(tendo.ENOTFOUND, "device not found")
	}
	var id int64
	err := d.queryRow(ctx, d.rq(), "SELECT user_id FROM devices WHERE id = ? AND expires_at > ?", hash, d.ts(now)).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, tendo.Errorf(tendo.ENOTFOUND, "device not found")
	}
	if err != nil {
		return 0, fmt.Errorf("device: %w", err)
	}
	return id, nil
}

// DeleteExpiredDevices forgets the devices expired at now.
func (d *DB) DeleteExpiredDevices(ctx context.Context, now time.Time) error {
	if _, err := d.exec(ctx, d.wq(), "DELETE FROM devices WHERE expires_at <= ?", d.ts(now)); err != nil {
		return fmt.Errorf("delete expired devices: %w", err)
	}
	return nil
}

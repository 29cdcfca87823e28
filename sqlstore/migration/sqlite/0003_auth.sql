-- Issue 8: access that can be taken away, and logins that hold under
-- abuse. Users can be disabled; sessions end after idling; API tokens
-- expire (existing ones 90 days after their creation) and can be revoked;
-- a login attempt reserves its place in the failure count before the
-- password is checked; browsers that logged in are remembered (by the
-- hash of their device cookie).

ALTER TABLE users ADD COLUMN disabled_at TEXT;

ALTER TABLE sessions ADD COLUMN last_seen_at TEXT;
UPDATE sessions SET last_seen_at = created_at;
CREATE INDEX sessions_last_seen ON sessions (last_seen_at);

ALTER TABLE api_tokens ADD COLUMN expires_at TEXT;
ALTER TABLE api_tokens ADD COLUMN revoked_at TEXT;
UPDATE api_tokens SET expires_at =
	strftime('%Y-%m-%dT%H:%M:%f', substr(created_at, 1, 23), '+90 days') || '000Z';
CREATE INDEX api_tokens_user_created ON api_tokens (user_id, created_at);

-- A pending attempt is a failure with the reservation that made it; a
-- successful login deletes its reservation's rows.
ALTER TABLE login_failures ADD COLUMN reservation INTEGER;
CREATE INDEX login_failures_reservation ON login_failures (reservation) WHERE reservation IS NOT NULL;
CREATE INDEX login_failures_at ON login_failures (at);

CREATE TABLE devices (
	id         TEXT PRIMARY KEY,
	user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	created_at TEXT NOT NULL,
	expires_at TEXT NOT NULL
);
CREATE INDEX devices_user ON devices (user_id);
CREATE INDEX devices_expires ON devices (expires_at);

-- Issue 8: access that can be taken away, and logins that hold under
-- abuse. Users can be disabled; sessions end after idling; API tokens
-- expire (existing ones 90 days after their creation) and can be revoked;
-- a login attempt reserves its place in the failure count before the
-- password is checked; browsers that logged in are remembered (by the
-- hash of their device cookie).

ALTER TABLE users ADD COLUMN disabled_at TIMESTAMPTZ;

ALTER TABLE sessions ADD COLUMN last_seen_at TIMESTAMPTZ;
UPDATE sessions SET last_seen_at = created_at;
CREATE INDEX sessions_last_seen ON sessions (last_seen_at);

ALTER TABLE api_tokens ADD COLUMN expires_at TIMESTAMPTZ;
ALTER TABLE api_tokens ADD COLUMN revoked_at TIMESTAMPTZ;
UPDATE api_tokens SET expires_at = created_at + interval '90 days';
CREATE INDEX api_tokens_user_created ON api_tokens (user_id, created_at);

-- A pending attempt is a failure with the reservation that made it; a
-- successful login deletes its reservation's rows.
ALTER TABLE login_failures ADD COLUMN reservation BIGINT;
CREATE INDEX login_failures_reservation ON login_failures (reservation) WHERE reservation IS NOT NULL;
CREATE INDEX login_failures_at ON login_failures (at);

CREATE TABLE devices (
	id         TEXT PRIMARY KEY,
	user_id    BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	created_at TIMESTAMPTZ NOT NULL,
	expires_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX devices_user ON devices (user_id);
CREATE INDEX devices_expires ON devices (expires_at);

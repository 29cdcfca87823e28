-- Issue 11: CDS Hooks clients and the feedback they send about cards.
--
-- A CDS client acts through a user of its own role, 'cds-client'. The
-- users table's CHECK on role is widened in place: SQLite cannot alter a
-- constraint, and rebuilding users (referenced by most tables) cannot be
-- done with foreign keys on inside the migration's transaction. Widening
-- a CHECK changes no stored row, which is the case SQLite's ALTER TABLE
-- documentation allows through writable_schema; RESET makes this
-- connection read the new schema at once.
PRAGMA writable_schema = ON;
UPDATE sqlite_schema
	SET sql = replace(sql, 'CHECK (role IN (''admin'', ''clinician''))', 'CHECK (role IN (''admin'', ''clinician'', ''cds-client''))')
	WHERE type = 'table' AND name = 'users';
PRAGMA writable_schema = RESET;

-- jwks is the configured key set ('' when none); jwks_urls and
-- fhir_servers are JSON arrays of strings.
CREATE TABLE cds_clients (
	id           INTEGER PRIMARY KEY AUTOINCREMENT,
	user_id      INTEGER NOT NULL UNIQUE REFERENCES users (id),
	clinic_id    INTEGER NOT NULL REFERENCES clinics (id),
	name         TEXT NOT NULL CHECK (name <> ''),
	issuer       TEXT NOT NULL UNIQUE CHECK (issuer <> ''),
	jwks         TEXT NOT NULL DEFAULT '',
	jwks_urls    TEXT NOT NULL DEFAULT '[]',
	fhir_servers TEXT NOT NULL DEFAULT '[]',
	created_at   TEXT NOT NULL,
	disabled_at  TEXT
);

-- accepted_suggestions is a JSON array of suggestion ids.
CREATE TABLE cds_feedback (
	id                   INTEGER PRIMARY KEY AUTOINCREMENT,
	client_id            INTEGER NOT NULL REFERENCES cds_clients (id),
	clinic_id            INTEGER NOT NULL REFERENCES clinics (id),
	service_id           TEXT NOT NULL CHECK (service_id <> ''),
	card                 TEXT NOT NULL CHECK (card <> ''),
	outcome              TEXT NOT NULL CHECK (outcome IN ('accepted', 'overridden')),
	accepted_suggestions TEXT NOT NULL DEFAULT '[]',
	reason_code          TEXT NOT NULL DEFAULT '',
	reason_system        TEXT NOT NULL DEFAULT '',
	reason_display       TEXT NOT NULL DEFAULT '',
	user_comment         TEXT NOT NULL DEFAULT '',
	outcome_at           TEXT NOT NULL,
	received_at          TEXT NOT NULL
);
CREATE INDEX cds_feedback_clinic ON cds_feedback (clinic_id, id);
CREATE INDEX cds_feedback_client ON cds_feedback (client_id, id);

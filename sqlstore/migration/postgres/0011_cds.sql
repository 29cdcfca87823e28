-- Issue 11: CDS Hooks clients and the feedback they send about cards.
-- A CDS client acts through a user of its own role, 'cds-client'.

ALTER TABLE users DROP CONSTRAINT users_role_check;
ALTER TABLE users ADD CONSTRAINT users_role_check CHECK (role IN ('admin', 'clinician', 'cds-client'));

-- jwks is the configured key set ('' when none); jwks_urls and
-- fhir_servers are JSON arrays of strings.
CREATE TABLE cds_clients (
	id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	user_id      BIGINT NOT NULL UNIQUE REFERENCES users (id),
	clinic_id    BIGINT NOT NULL REFERENCES clinics (id),
	name         TEXT NOT NULL CHECK (name <> ''),
	issuer       TEXT NOT NULL UNIQUE CHECK (issuer <> ''),
	jwks         TEXT NOT NULL DEFAULT '',
	jwks_urls    TEXT NOT NULL DEFAULT '[]',
	fhir_servers TEXT NOT NULL DEFAULT '[]',
	created_at   TIMESTAMPTZ NOT NULL,
	disabled_at  TIMESTAMPTZ
);

-- accepted_suggestions is a JSON array of suggestion ids.
CREATE TABLE cds_feedback (
	id                   BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	client_id            BIGINT NOT NULL REFERENCES cds_clients (id),
	clinic_id            BIGINT NOT NULL REFERENCES clinics (id),
	service_id           TEXT NOT NULL CHECK (service_id <> ''),
	card                 TEXT NOT NULL CHECK (card <> ''),
	outcome              TEXT NOT NULL CHECK (outcome IN ('accepted', 'overridden')),
	accepted_suggestions TEXT NOT NULL DEFAULT '[]',
	reason_code          TEXT NOT NULL DEFAULT '',
	reason_system        TEXT NOT NULL DEFAULT '',
	reason_display       TEXT NOT NULL DEFAULT '',
	user_comment         TEXT NOT NULL DEFAULT '',
	outcome_at           TIMESTAMPTZ NOT NULL,
	received_at          TIMESTAMPTZ NOT NULL
);
CREATE INDEX cds_feedback_clinic ON cds_feedback (clinic_id, id);
CREATE INDEX cds_feedback_client ON cds_feedback (client_id, id);

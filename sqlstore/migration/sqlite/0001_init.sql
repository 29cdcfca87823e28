-- tendo's clinic schema for SQLite. Times are TEXT in UTC, fixed width
-- (2006-01-02T15:04:05.000000Z), so that text order is time order.
-- AUTOINCREMENT keeps an ID from ever being reused: the audit log refers
-- to patients and users by ID.

CREATE TABLE clinics (
	id         INTEGER PRIMARY KEY AUTOINCREMENT,
	name       TEXT NOT NULL CHECK (name <> ''),
	created_at TEXT NOT NULL
);

CREATE TABLE users (
	id            INTEGER PRIMARY KEY AUTOINCREMENT,
	email         TEXT NOT NULL UNIQUE CHECK (email <> ''),
	name          TEXT NOT NULL DEFAULT '',
	role          TEXT NOT NULL CHECK (role IN ('admin', 'clinician')),
	password_hash TEXT NOT NULL DEFAULT '',
	created_at    TEXT NOT NULL
);

CREATE TABLE memberships (
	user_id   INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	clinic_id INTEGER NOT NULL REFERENCES clinics (id) ON DELETE CASCADE,
	PRIMARY KEY (user_id, clinic_id)
) WITHOUT ROWID;
CREATE INDEX memberships_clinic ON memberships (clinic_id);

CREATE TABLE sessions (
	id         TEXT PRIMARY KEY,
	user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	csrf       TEXT NOT NULL,
	created_at TEXT NOT NULL,
	expires_at TEXT NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);
CREATE INDEX sessions_expires ON sessions (expires_at);

CREATE TABLE api_tokens (
	id           INTEGER PRIMARY KEY AUTOINCREMENT,
	user_id      INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	name         TEXT NOT NULL DEFAULT '',
	token_hash   TEXT NOT NULL UNIQUE CHECK (token_hash <> ''),
	created_at   TEXT NOT NULL,
	last_used_at TEXT
);
CREATE INDEX api_tokens_user ON api_tokens (user_id);

CREATE TABLE login_failures (
	id  INTEGER PRIMARY KEY,
	key TEXT NOT NULL,
	at  TEXT NOT NULL
);
CREATE INDEX login_failures_key_at ON login_failures (key, at);

CREATE TABLE patients (
	id          INTEGER PRIMARY KEY AUTOINCREMENT,
	clinic_id   INTEGER NOT NULL REFERENCES clinics (id),
	name        TEXT NOT NULL CHECK (name <> ''),
	external_id TEXT CHECK (external_id <> ''),
	birth_year  INTEGER NOT NULL DEFAULT 0,
	created_at  TEXT NOT NULL,
	created_by  INTEGER REFERENCES users (id),
	UNIQUE (id, clinic_id),
	UNIQUE (clinic_id, external_id)
);

-- The clinic of an assessment, link or response is its patient's:
-- (patient_id, clinic_id) refers to patients (id, clinic_id).

CREATE TABLE assessments (
	id             INTEGER PRIMARY KEY AUTOINCREMENT,
	patient_id     INTEGER NOT NULL,
	clinic_id      INTEGER NOT NULL,
	date           TEXT NOT NULL,
	created_at     TEXT NOT NULL,
	created_by     INTEGER REFERENCES users (id),
	input          TEXT NOT NULL,
	result         TEXT NOT NULL,
	model_version  TEXT NOT NULL,
	classification TEXT NOT NULL,
	visa_a         REAL,
	odi            REAL,
	nprs           REAL,
	lefs           REAL,
	FOREIGN KEY (patient_id, clinic_id) REFERENCES patients (id, clinic_id)
);
CREATE INDEX assessments_patient ON assessments (patient_id, date, id);

CREATE TABLE questionnaire_links (
	id         INTEGER PRIMARY KEY AUTOINCREMENT,
	patient_id INTEGER NOT NULL,
	clinic_id  INTEGER NOT NULL,
	instrument TEXT NOT NULL CHECK (instrument IN ('visaA', 'odi', 'nprs', 'lefs')),
	created_by INTEGER REFERENCES users (id),
	created_at TEXT NOT NULL,
	expires_at TEXT NOT NULL,
	used_at    TEXT,
	token_hash TEXT NOT NULL UNIQUE CHECK (token_hash <> ''),
	FOREIGN KEY (patient_id, clinic_id) REFERENCES patients (id, clinic_id)
);
CREATE INDEX questionnaire_links_patient ON questionnaire_links (patient_id, id);

CREATE TABLE questionnaire_responses (
	id           INTEGER PRIMARY KEY AUTOINCREMENT,
	link_id      INTEGER NOT NULL UNIQUE REFERENCES questionnaire_links (id),
	patient_id   INTEGER NOT NULL,
	clinic_id    INTEGER NOT NULL,
	instrument   TEXT NOT NULL,
	answers      TEXT NOT NULL,
	score        REAL NOT NULL,
	band         TEXT NOT NULL DEFAULT '',
	submitted_at TEXT NOT NULL,
	FOREIGN KEY (patient_id, clinic_id) REFERENCES patients (id, clinic_id)
);
CREATE INDEX questionnaire_responses_patient ON questionnaire_responses (patient_id, submitted_at, id);

-- The audit log refers to nothing by foreign key: an entry is kept even
-- when what it names is not (or no longer) there.
CREATE TABLE audit (
	id         INTEGER PRIMARY KEY AUTOINCREMENT,
	at         TEXT NOT NULL,
	user_id    INTEGER,
	actor      TEXT NOT NULL,
	clinic_id  INTEGER,
	patient_id INTEGER,
	action     TEXT NOT NULL CHECK (action <> ''),
	detail     TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_patient ON audit (patient_id, at);
CREATE INDEX audit_user ON audit (user_id, at);
CREATE INDEX audit_at ON audit (at);

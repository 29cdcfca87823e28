-- Issue 10: home programmes chosen from a visit's plan, and the
-- sessions the patient logs through the programme's link (pain during
-- loading and the next morning, 0-10). Only the hash of a programme's
-- token is kept. One session per programme and date. New programmes get
-- random IDs from the program (OVERRIDING SYSTEM VALUE).

CREATE TABLE programmes (
	id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	patient_id BIGINT NOT NULL,
	clinic_id  BIGINT NOT NULL,
	visit_id   BIGINT NOT NULL,
	protocol   TEXT NOT NULL CHECK (protocol <> ''),
	sets       INTEGER NOT NULL,
	reps       INTEGER NOT NULL,
	load_kg    DOUBLE PRECISION NOT NULL,
	per_week   INTEGER NOT NULL,
	elements   TEXT NOT NULL,
	created_by BIGINT REFERENCES users (id),
	created_at TIMESTAMPTZ NOT NULL,
	expires_at TIMESTAMPTZ NOT NULL,
	revoked_at TIMESTAMPTZ,
	token_hash TEXT NOT NULL UNIQUE CHECK (token_hash <> ''),
	FOREIGN KEY (patient_id, clinic_id) REFERENCES patients (id, clinic_id),
	FOREIGN KEY (visit_id, patient_id) REFERENCES assessments (id, patient_id)
);
CREATE INDEX programmes_patient ON programmes (patient_id, created_at);

CREATE TABLE programme_logs (
	id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	programme_id BIGINT NOT NULL REFERENCES programmes (id),
	patient_id   BIGINT NOT NULL,
	clinic_id    BIGINT NOT NULL,
	date         TEXT NOT NULL,
	during       INTEGER NOT NULL CHECK (during BETWEEN 0 AND 10),
	morning      INTEGER CHECK (morning BETWEEN 0 AND 10),
	logged_at    TIMESTAMPTZ NOT NULL,
	UNIQUE (programme_id, date),
	FOREIGN KEY (patient_id, clinic_id) REFERENCES patients (id, clinic_id)
);
CREATE INDEX programme_logs_patient ON programme_logs (patient_id, date);

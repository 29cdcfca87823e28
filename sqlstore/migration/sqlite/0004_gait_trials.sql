-- Issue 9: gait-lab trials kept with the visit (assessment) they belong
-- to: the uploaded C3D file and the report made from it at upload.
-- (visit_id, patient_id) refers to assessments (id, patient_id), so a
-- trial's visit is always one of its patient's.

CREATE UNIQUE INDEX assessments_id_patient ON assessments (id, patient_id);

CREATE TABLE gait_trials (
	id         INTEGER PRIMARY KEY AUTOINCREMENT,
	patient_id INTEGER NOT NULL,
	clinic_id  INTEGER NOT NULL,
	visit_id   INTEGER NOT NULL,
	created_at TEXT NOT NULL,
	created_by INTEGER REFERENCES users (id),
	file       TEXT NOT NULL CHECK (file <> ''),
	size       INTEGER NOT NULL CHECK (size > 0),
	sha256     TEXT NOT NULL CHECK (length(sha256) = 64),
	data       BLOB NOT NULL,
	report     TEXT NOT NULL,
	FOREIGN KEY (patient_id, clinic_id) REFERENCES patients (id, clinic_id),
	FOREIGN KEY (visit_id, patient_id) REFERENCES assessments (id, patient_id)
);
CREATE INDEX gait_trials_visit ON gait_trials (visit_id, created_at, id);
CREATE INDEX gait_trials_patient ON gait_trials (patient_id);

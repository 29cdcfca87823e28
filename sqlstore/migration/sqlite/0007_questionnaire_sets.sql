-- Issue 10: one link carries several questionnaires, answered in turn,
-- and a clinician may revoke a link. instruments lists the link's
-- questionnaires in order, comma-separated ('' for a link made before:
-- its one instrument). A link is used once every questionnaire of it is
-- answered, so a link has at most one response per instrument.

ALTER TABLE questionnaire_links ADD COLUMN instruments TEXT NOT NULL DEFAULT '';
ALTER TABLE questionnaire_links ADD COLUMN revoked_at TEXT;

CREATE TABLE questionnaire_responses_0007 (
	id           INTEGER PRIMARY KEY AUTOINCREMENT,
	link_id      INTEGER NOT NULL REFERENCES questionnaire_links (id),
	patient_id   INTEGER NOT NULL,
	clinic_id    INTEGER NOT NULL,
	instrument   TEXT NOT NULL,
	answers      TEXT NOT NULL,
	score        REAL NOT NULL,
	band         TEXT NOT NULL DEFAULT '',
	submitted_at TEXT NOT NULL,
	UNIQUE (link_id, instrument),
	FOREIGN KEY (patient_id, clinic_id) REFERENCES patients (id, clinic_id)
);
INSERT INTO questionnaire_responses_0007 (id, link_id, patient_id, clinic_id, instrument, answers, score, band, submitted_at)
	SELECT id, link_id, patient_id, clinic_id, instrument, answers, score, band, submitted_at FROM questionnaire_responses;
DROP TABLE questionnaire_responses;
ALTER TABLE questionnaire_responses_0007 RENAME TO questionnaire_responses;
CREATE INDEX questionnaire_responses_patient ON questionnaire_responses (patient_id, submitted_at, id);

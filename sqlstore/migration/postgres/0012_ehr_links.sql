-- Issue 11: SMART App Launch. A patient of an EHR (its FHIR Patient id at
-- the EHR's FHIR base URL, the iss of a launch) linked to a patient of
-- tendo, at most once per clinic. (patient_id, clinic_id) refers to
-- patients (id, clinic_id), so a link's patient is always of its clinic.
CREATE TABLE ehr_links (
	clinic_id       BIGINT NOT NULL,
	iss             TEXT NOT NULL CHECK (iss <> '' AND length(iss) <= 2048),
	fhir_patient_id TEXT NOT NULL CHECK (fhir_patient_id <> '' AND length(fhir_patient_id) <= 64),
	patient_id      BIGINT NOT NULL,
	created_at      TIMESTAMPTZ NOT NULL,
	created_by      BIGINT REFERENCES users (id),
	UNIQUE (clinic_id, iss, fhir_patient_id),
	FOREIGN KEY (patient_id, clinic_id) REFERENCES patients (id, clinic_id)
);
CREATE INDEX ehr_links_patient ON ehr_links (patient_id);

-- Issue 10: records that can be corrected, with an audit trail.
-- A patient is deleted softly: the record is kept, marked, and hidden.
-- A visit is amended by a new version that names the one it replaces
-- (amends), and the old one names its successor (superseded_by); or it
-- is marked entered in error. Nothing here deletes a row.

ALTER TABLE patients ADD COLUMN deleted_at TEXT;
ALTER TABLE patients ADD COLUMN deleted_by INTEGER REFERENCES users (id);
ALTER TABLE patients ADD COLUMN delete_reason TEXT NOT NULL DEFAULT '';

ALTER TABLE assessments ADD COLUMN amends INTEGER REFERENCES assessments (id);
ALTER TABLE assessments ADD COLUMN amend_reason TEXT NOT NULL DEFAULT '';
ALTER TABLE assessments ADD COLUMN superseded_by INTEGER REFERENCES assessments (id);
ALTER TABLE assessments ADD COLUMN error_at TEXT;
ALTER TABLE assessments ADD COLUMN error_by INTEGER REFERENCES users (id);
ALTER TABLE assessments ADD COLUMN error_reason TEXT NOT NULL DEFAULT '';
-- A version is amended at most once: the versions of a visit are a chain.
CREATE UNIQUE INDEX assessments_amends ON assessments (amends) WHERE amends IS NOT NULL;

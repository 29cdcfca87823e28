-- Issue 8: idempotent saves, and an audit log a privacy officer can use.
-- New patients, assessments and links get random IDs from the program
-- (inserted with OVERRIDING SYSTEM VALUE); the columns are unchanged.

ALTER TABLE assessments ADD COLUMN idempotency_key TEXT CHECK (idempotency_key <> '');
CREATE UNIQUE INDEX assessments_idempotency ON assessments (created_by, patient_id, idempotency_key)
	WHERE idempotency_key IS NOT NULL;

ALTER TABLE audit ADD COLUMN addr TEXT NOT NULL DEFAULT '';
ALTER TABLE audit ADD COLUMN user_agent TEXT NOT NULL DEFAULT '';
ALTER TABLE audit ADD COLUMN token_id BIGINT;
CREATE INDEX audit_action ON audit (action, id);

-- Issue 10 (safety): each visit keeps its red flags (code:urgency,
-- space-separated, most urgent first) beside its classification, so that
-- the dashboard and the visit lists show them without reading results.
-- Visits stored before are filled from their results.

ALTER TABLE assessments ADD COLUMN red_flags TEXT NOT NULL DEFAULT '';

UPDATE assessments SET red_flags = COALESCE((
	SELECT group_concat(json_extract(f.value, '$.code') || ':' || json_extract(f.value, '$.urgency'), ' ')
	FROM json_each(assessments.result, '$.redFlags') AS f
), '')
WHERE json_valid(result);

-- The dashboard finds each patient's first and latest visit, and counts
-- the links still open, by index alone. The visits' index holds every
-- column the dashboard reads: SQLite keeps a row's columns in order, and
-- those after the input and result documents (some 20 kB) would be
-- reached through their overflow pages.
CREATE INDEX assessments_patient_order ON assessments (patient_id, date, created_at, id, classification, red_flags, visa_a, odi, nprs, lefs, superseded_by, error_at);
CREATE INDEX questionnaire_links_open ON questionnaire_links (patient_id, expires_at) WHERE used_at IS NULL;

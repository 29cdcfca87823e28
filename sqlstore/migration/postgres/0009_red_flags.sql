-- Issue 10 (safety): each visit keeps its red flags (code:urgency,
-- space-separated, most urgent first) beside its classification, so that
-- the dashboard and the visit lists show them without reading results.
-- Visits stored before are filled from their results.

ALTER TABLE assessments ADD COLUMN red_flags TEXT NOT NULL DEFAULT '';

UPDATE assessments SET red_flags = COALESCE((
	SELECT string_agg((f.value ->> 'code') || ':' || (f.value ->> 'urgency'), ' ' ORDER BY f.ord)
	FROM jsonb_array_elements(assessments.result::jsonb -> 'redFlags') WITH ORDINALITY AS f(value, ord)
), '')
WHERE jsonb_typeof(assessments.result::jsonb -> 'redFlags') = 'array';

-- The dashboard finds each patient's first and latest visit, and counts
-- the links still open, by index alone.
CREATE INDEX assessments_patient_order ON assessments (patient_id, date, created_at, id);
CREATE INDEX questionnaire_links_open ON questionnaire_links (patient_id, expires_at) WHERE used_at IS NULL;

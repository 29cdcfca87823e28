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

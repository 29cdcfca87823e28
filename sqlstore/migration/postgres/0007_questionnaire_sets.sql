-- Issue 10: one link carries several questionnaires, answered in turn,
-- and a clinician may revoke a link. instruments lists the link's
-- questionnaires in order, comma-separated ('' for a link made before:
-- its one instrument). A link is used once every questionnaire of it is
-- answered, so a link has at most one response per instrument.

ALTER TABLE questionnaire_links ADD COLUMN instruments TEXT NOT NULL DEFAULT '';
ALTER TABLE questionnaire_links ADD COLUMN revoked_at TIMESTAMPTZ;

ALTER TABLE questionnaire_responses DROP CONSTRAINT questionnaire_responses_link_id_key;
ALTER TABLE questionnaire_responses ADD CONSTRAINT questionnaire_responses_link_instrument UNIQUE (link_id, instrument);

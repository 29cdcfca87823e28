-- Issue 10: the clinician's free-text clinical note, kept with the visit.
-- The service bounds it (tendo.MaxNoteLength characters); the column
-- bounds it too, in characters, with room for nothing more.

ALTER TABLE assessments ADD COLUMN note TEXT NOT NULL DEFAULT '' CHECK (char_length(note) <= 10000);

-- Issue 10: the printed report's header names the patient's date of birth.
-- A patient may have a date of birth (YYYY-MM-DD; '' when not given) as
-- well as the birth year, which the services then take from it.
ALTER TABLE patients ADD COLUMN birth_date TEXT NOT NULL DEFAULT '';

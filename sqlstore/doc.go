// Package sqlstore keeps tendo's clinic data (tendo.Store) in SQLite or
// Postgres through database/sql, with one implementation for both.
//
// It owns the schema and its migrations (embedded SQL, one set per
// dialect, applied in order at open and recorded in the migrations
// table), the mapping of database errors to tendo.Error codes, and the
// storage of times (UTC, microsecond precision: TEXT in a fixed-width
// RFC 3339 form in SQLite so that text order is time order, timestamptz in
// Postgres).
//
// SQLite (modernc.org/sqlite, no cgo) is opened with two pools: a single
// writer connection whose transactions begin IMMEDIATE, so writers in this
// process queue in Go instead of racing for SQLite's lock, and a pool of
// query-only reader connections, which WAL lets run beside the writer.
// Every connection sets busy_timeout=5000, journal_mode=WAL,
// foreign_keys=ON and synchronous=FULL, so a save that returned nil is in
// the WAL on disk and survives a killed process or a power cut, and a
// second process sharing the file waits instead of failing with
// SQLITE_BUSY. Postgres (pgx) uses one pool; migrations there take
// pg_advisory_xact_lock so that processes opening a database at once apply
// each migration once.
//
// Behaviour the tendo.Store documentation leaves open, fixed here:
//   - Clinics and patients are listed by name, compared case-insensitively
//     (then by exact name, then ID), identically on both databases; users
//     and links oldest first (by ID), assessments by their Date (then ID),
//     responses by SubmittedAt, gait trials oldest first (CreatedAt, then
//     ID); audit entries newest first (At, then ID).
//   - A session or link has expired at its ExpiresAt instant.
//     LoginFailures counts failures at or after since.
//   - Names and e-mail addresses are stored as given, except that an
//     e-mail address is lower-cased; a name or address of only spaces is
//     empty.
//   - A record that refers to another (a patient's clinic, an assessment's
//     patient, a creator) gets EINVALID when that one does not exist; the
//     record a method acts on (SetClinics's user, SubmitResponse's link)
//     gets ENOTFOUND. The clinic of an assessment, link or response is the
//     patient's clinic: a zero ClinicID is filled in, a different one is
//     EINVALID, and likewise a response's patient and instrument must be
//     its link's.
//   - A gait trial's visit must be an assessment of its patient (EINVALID
//     otherwise); its Size and SHA256 are computed from Data.
//   - Input, Result and Answers must be valid UTF-8 JSON (EINVALID
//     otherwise) and come back byte for byte; scores must be finite.
//   - A patient's ExternalID is unique within its clinic (ECONFLICT).
//   - Lists are never nil; a list for an unknown patient is empty.
//   - DeleteSession of an unknown session is not an error.
//
// It imports tendo, the two drivers and the standard library only.
package sqlstore

// Package storetest is the conformance suite for tendo.Store: every
// implementation runs it from its own tests with
//
//	storetest.Run(t, func(t *testing.T) tendo.Store { ... })
//
// It imports tendo and the standard library only.
package storetest

import (
	"errors"
	"fmt"
	"math"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tendo-health/tendo"
)

// Run runs the suite. Each subtest runs in parallel with the others and
// calls open for a store of its own, new and empty; open must arrange for
// the store to be closed when the subtest ends (t.Cleanup).
func Run(t *testing.T, open func(t *testing.T) tendo.Store) {
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			tc.fn(t, open(t))
		})
	}
}

var tests = []struct {
	name string
	fn   func(t *testing.T, s tendo.Store)
}{
	{"Clinic/CreateAndGet", testClinicCreateAndGet},
	{"Clinic/Invalid", testClinicInvalid},
	{"Clinic/NotFound", testClinicNotFound},
	{"Clinics/ByName", testClinicsByName},

	{"User/Create", testUserCreate},
	{"User/DuplicateEmail", testUserDuplicateEmail},
	{"User/Invalid", testUserInvalid},
	{"User/NotFound", testUserNotFound},
	{"Users/List", testUsersList},
	{"User/SetClinics", testSetClinics},
	{"User/SetPassword", testSetPassword},
	{"User/Count", testCountUsers},

	{"Session/Lifecycle", testSessionLifecycle},
	{"Session/DeleteExpired", testDeleteExpiredSessions},
	{"Session/Invalid", testSessionInvalid},

	{"APIToken", testAPIToken},
	{"APIToken/Invalid", testAPITokenInvalid},

	{"LoginFailures/Window", testLoginFailures},
	{"LoginAttempts/Reserve", testLoginReservation},
	{"LoginAttempts/ReserveConcurrent", testLoginReservationConcurrent},
	{"Session/LastSeen", testSessionLastSeen},
	{"Session/DeleteUserSessions", testDeleteUserSessions},
	{"User/Disable", testUserDisable},
	{"APIToken/Lifecycle", testAPITokenLifecycle},
	{"Device", testDevices},

	{"Patient/CreateAndGet", testPatientCreateAndGet},
	{"Patient/Invalid", testPatientInvalid},
	{"Patient/NotFound", testPatientNotFound},
	{"Patient/ExternalIDPerClinic", testPatientExternalID},
	{"Patients/ByClinic", testPatientsByClinic},

	{"Assessment/RoundTrip", testAssessmentRoundTrip},
	{"Assessment/Order", testAssessmentOrder},
	{"Assessment/Invalid", testAssessmentInvalid},
	{"Assessment/NotFound", testAssessmentNotFound},
	{"Assessment/ConcurrentSaves", testAssessmentConcurrentSaves},

	{"Link/CreateAndGet", testLinkCreateAndGet},
	{"Link/Invalid", testLinkInvalid},
	{"Link/NotFound", testLinkNotFound},

	{"Response/Submit", testResponseSubmit},
	{"Response/Expired", testResponseExpired},
	{"Response/Invalid", testResponseInvalid},
	{"Response/ConcurrentSubmit", testResponseConcurrentSubmit},

	// issue 10: questionnaires
	{"Link/Set", testLinkSet},
	{"Link/SetInvalid", testLinkSetInvalid},
	{"Link/Revoke", testLinkRevoke},

	{"GaitTrial/RoundTrip", testGaitTrialRoundTrip},
	{"GaitTrial/Invalid", testGaitTrialInvalid},
	{"GaitTrial/NotFound", testGaitTrialNotFound},

	// issue 10: programme
	{"Programme/RoundTrip", testProgrammeRoundTrip},
	{"Programme/Log", testProgrammeLog},
	{"Programme/Invalid", testProgrammeInvalid},
	// issue 10: form
	{"Assessment/Note", testAssessmentNote},
	// issue 10: records.
	{"Patient/Update", testPatientUpdate},
	{"Patient/Delete", testPatientDelete},
	{"Assessment/Supersede", testAssessmentSupersede},
	{"Assessment/MarkError", testAssessmentMarkError},

	// issue 11: smart
	{"EHRLink/RoundTrip", testEHRLinkRoundTrip},
	{"EHRLink/Unique", testEHRLinkUnique},
	{"EHRLink/Invalid", testEHRLinkInvalid},
	// end issue 11: smart
	// issue 11: cds-clinic
	{"CDSClient/RoundTrip", testCDSClientRoundTrip},
	{"CDSClient/Invalid", testCDSClientInvalid},
	{"CDSFeedback", testCDSFeedback},
	// end issue 11: cds-clinic

	{"Audit/FilterAndLimit", testAuditFilterAndLimit},
	{"Audit/Invalid", testAuditInvalid},
}

// Helpers.

// wantCode fails unless err carries the tendo error code want.
func wantCode(t *testing.T, what string, err error, want string) {
	t.Helper()
	if got := tendo.ErrorCode(err); got != want {
		t.Errorf("%s: error %v (code %q), want code %q", what, err, got, want)
	}
}

// must fails the test now on an error.
func must(t *testing.T, what string, err error) {
	t.Helper()
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

// eq fails unless got and want are deeply equal.
func eq[T any](t *testing.T, what string, got, want T) {
	t.Helper()
	if !reflect.DeepEqual(got, want) {
		t.Errorf("%s:\n got %+v\nwant %+v", what, got, want)
	}
}

// utc fails unless tm is set, in UTC, and within a millisecond of want
// (when want is set).
func utc(t *testing.T, what string, tm, want time.Time) {
	t.Helper()
	if tm.IsZero() {
		t.Errorf("%s: zero time", what)
		return
	}
	if tm.Location() != time.UTC {
		t.Errorf("%s: %v is in %v, want UTC", what, tm, tm.Location())
	}
	if !want.IsZero() {
		if d := tm.Sub(want); d < -time.Millisecond || d > time.Millisecond {
			t.Errorf("%s: %v, want %v (to the millisecond)", what, tm, want)
		}
	}
}

// recent fails unless tm is a UTC time close to the real now (within a
// minute, which allows for a store's own clock).
func recent(t *testing.T, what string, tm time.Time) {
	t.Helper()
	utc(t, what, tm, time.Time{})
	if d := time.Since(tm); d < -time.Minute || d > time.Minute {
		t.Errorf("%s: %v is not now", what, tm)
	}
}

func clinic(t *testing.T, s tendo.Store, name string) tendo.Clinic {
	t.Helper()
	c, err := s.CreateClinic(t.Context(), name)
	must(t, "create clinic "+name, err)
	return c
}

func user(t *testing.T, s tendo.Store, email string, role tendo.Role, clinics ...int64) tendo.User {
	t.Helper()
	u, err := s.CreateUser(t.Context(), tendo.User{
		Email: email, Name: "User " + email, Role: role,
		PasswordHash: "$argon2id$v=19$m=65536,t=3,p=4$c2FsdA$aGFzaA", ClinicIDs: clinics,
	})
	must(t, "create user "+email, err)
	return u
}

func patient(t *testing.T, s tendo.Store, clinicID int64, name string) tendo.PatientRecord {
	t.Helper()
	p, err := s.CreatePatient(t.Context(), tendo.PatientRecord{ClinicID: clinicID, Name: name})
	must(t, "create patient "+name, err)
	return p
}

func ptr(f float64) *float64 { return &f }

// assessment is a valid assessment of the patient on date.
func assessment(p tendo.PatientRecord, date string) tendo.StoredAssessment {
	return tendo.StoredAssessment{
		PatientID:      p.ID,
		Date:           date,
		Input:          []byte(`{"date":"` + date + `","patient":{"age":41}}`),
		Result:         []byte(`{"classification":"local-tendinopathy"}`),
		ModelVersion:   "test-1",
		Classification: tendo.LocalTendinopathy,
		VISAA:          ptr(55),
	}
}

// link creates a link for the patient, expiring in an hour.
func link(t *testing.T, s tendo.Store, p tendo.PatientRecord, instrument tendo.Instrument, hash string) tendo.QuestionnaireLink {
	t.Helper()
	l, err := s.CreateLink(t.Context(), tendo.QuestionnaireLink{
		PatientID: p.ID, Instrument: instrument, ExpiresAt: time.Now().Add(time.Hour),
	}, hash)
	must(t, "create link", err)
	return l
}

func response(l tendo.QuestionnaireLink) tendo.QuestionnaireResponse {
	return tendo.QuestionnaireResponse{
		LinkID: l.ID, PatientID: l.PatientID, ClinicID: l.ClinicID, Instrument: l.Instrument,
		Answers: []byte(`{"answers":[1,2,3]}`), Score: 6, Band: "mild",
	}
}

// Clinics.

func testClinicCreateAndGet(t *testing.T, s tendo.Store) {
	ctx := t.Context()
	c, err := s.CreateClinic(ctx, "Praxis Müller & Søn — 東京")
	must(t, "create", err)
	if c.ID <= 0 {
		t.Errorf("ID %d", c.ID)
	}
	eq(t, "name", c.Name, "Praxis Müller & Søn — 東京")
	recent(t, "created at", c.CreatedAt)
	got, err := s.Clinic(ctx, c.ID)
	must(t, "get", err)
	eq(t, "clinic read back", got, c)
	c2 := clinic(t, s, "Second")
	if c2.ID == c.ID {
		t.Errorf("two clinics with ID %d", c.ID)
	}
}

func testClinicInvalid(t *testing.T, s tendo.Store) {
	ctx := t.Context()
	for _, name := range []string{"", "   "} {
		_, err := s.CreateClinic(ctx, name)
		wantCode(t, fmt.Sprintf("create clinic %q", name), err, tendo.EINVALID)
	}
	cs, err := s.Clinics(ctx)
	must(t, "clinics", err)
	eq(t, "clinics after invalid creates", len(cs), 0)
}

func testClinicNotFound(t *testing.T, s tendo.Store) {
	_, err := s.Clinic(t.Context(), 12345)
	wantCode(t, "clinic 12345", err, tendo.ENOTFOUND)
}

func testClinicsByName(t *testing.T, s tendo.Store) {
	ctx := t.Context()
	cs, err := s.Clinics(ctx)
	must(t, "clinics", err)
	if cs == nil || len(cs) != 0 {
		t.Errorf("clinics of an empty store: %#v, want an empty list", cs)
	}
	for _, n := range []string{"north", "Centre", "south", "Anglesey"} {
		clinic(t, s, n)
	}
	cs, err = s.Clinics(ctx)
	must(t, "clinics", err)
	var names []string
	for _, c := range cs {
		names = append(names, c.Name)
	}
	eq(t, "clinic names (case-insensitive order)", names, []string{"Anglesey", "Centre", "north", "south"})
}

// Users.

func testUserCreate(t *testing.T, s tendo.Store) {
	ctx := t.Context()
	a, b := clinic(t, s, "A"), clinic(t, s, "B")
	in := tendo.User{
		ID: 999, Email: "  Zoë.Smith@Example.COM ", Name: "Zoë Smith", Role: tendo.RoleClinician,
		PasswordHash: "$argon2id$v=19$m=65536,t=3,p=4$c2FsdA$aGFzaA",
		ClinicIDs:    []int64{b.ID, a.ID, b.ID},
	}
	u, err := s.CreateUser(ctx, in)
	must(t, "create", err)
	if u.ID <= 0 || u.ID == 999 {
		t.Errorf("ID %d: want one the store chose", u.ID)
	}
	eq(t, "email", u.Email, "zoë.smith@example.com")
	eq(t, "name", u.Name, in.Name)
	eq(t, "role", u.Role, tendo.RoleClinician)
	eq(t, "password hash", u.PasswordHash, in.PasswordHash)
	eq(t, "clinics", u.ClinicIDs, []int64{a.ID, b.ID})
	recent(t, "created at", u.CreatedAt)

	got, err := s.User(ctx, u.ID)
	must(t, "user", err)
	eq(t, "user read back", got, u)
	got, err = s.UserByEmail(ctx, "ZOË.SMITH@example.com")
	must(t, "user by email", err)
	eq(t, "user by e-mail in other case", got, u)

	admin, err := s.CreateUser(ctx, tendo.User{Email: "admin@example.com", Role: tendo.RoleAdmin})
	must(t, "create admin without clinics", err)
	if admin.ClinicIDs == nil || len(admin.ClinicIDs) != 0 {
		t.Errorf("clinics of a user without any: %#v, want an empty list", admin.ClinicIDs)
	}
	got, err = s.User(ctx, admin.ID)
	must(t, "admin", err)
	eq(t, "admin read back", got, admin)
}

func testUserDuplicateEmail(t *testing.T, s tendo.Store) {
	ctx := t.Context()
	first := user(t, s, "dup@example.com", tendo.RoleClinician)
	_, err := s.CreateUser(ctx, tendo.User{Email: "DUP@Example.com", Role: tendo.RoleAdmin})
	wantCode(t, "second user with the address", err, tendo.ECONFLICT)
	n, err := s.CountUsers(ctx)
	must(t, "count", err)
	eq(t, "users", n, 1)
	got, err := s.UserByEmail(ctx, "dup@example.com")
	must(t, "by email", err)
	eq(t, "the first user is kept", got, first)
}

func testUserInvalid(t *testing.T, s tendo.Store) {
	ctx := t.Context()
	c := clinic(t, s, "C")
	for _, tc := range []struct {
		name string
		u    tendo.User
	}{
		{"empty e-mail", tendo.User{Email: "", Role: tendo.RoleAdmin}},
		{"blank e-mail", tendo.User{Email: "  ", Role: tendo.RoleAdmin}},
		{"no role", tendo.User{Email: "a@example.com"}},
		{"unknown role", tendo.User{Email: "a@example.com", Role: "superuser"}},
		{"unknown clinic", tendo.User{Email: "a@example.com", Role: tendo.RoleClinician, ClinicIDs: []int64{c.ID, c.ID + 1000}}},
	} {
		_, err := s.CreateUser(ctx, tc.u)
		wantCode(t, tc.name, err, tendo.EINVALID)
	}
	n, err := s.CountUsers(ctx)
	must(t, "count", err)
	eq(t, "users after invalid creates", n, 0)
	_, err = s.UserByEmail(ctx, "a@example.com")
	wantCode(t, "user of a failed create", err, tendo.ENOTFOUND)
}

func testUserNotFound(t *testing.T, s tendo.Store) {
	ctx := t.Context()
	_, err := s.User(ctx, 4242)
	wantCode(t, "user 4242", err, tendo.ENOTFOUND)
	_, err = s.UserByEmail(ctx, "nobody@example.com")
	wantCode(t, "user by unknown e-mail", err, tendo.ENOTFOUND)
	_, err = s.UserByEmail(ctx, "")
	wantCode(t, "user by empty e-mail", err, tendo.ENOTFOUND)
}

func testUsersList(t *testing.T, s tendo.Store) {
	ctx := t.Context()
	us, err := s.Users(ctx)
	must(t, "users", err)
	if us == nil || len(us) != 0 {
		t.Errorf("users of an empty store: %#v, want an empty list", us)
	}
	a, b, c := clinic(t, s, "A"), clinic(t, s, "B"), clinic(t, s, "C")
	want := []tendo.User{
		user(t, s, "zed@example.com", tendo.RoleClinician, c.ID, a.ID),
		user(t, s, "amy@example.com", tendo.RoleAdmin),
		user(t, s, "bob@example.com", tendo.RoleClinician, b.ID),
	}
	us, err = s.Users(ctx)
	must(t, "users", err)
	eq(t, "users (oldest first, with clinics)", us, want)
}

func testSetClinics(t *testing.T, s tendo.Store) {
	ctx := t.Context()
	a, b, c := clinic(t, s, "A"), clinic(t, s, "B"), clinic(t, s, "C")
	u := user(t, s, "u@example.com", tendo.RoleClinician, a.ID)
	other := user(t, s, "other@example.com", tendo.RoleClinician, a.ID, b.ID)

	clinicsOf := func(id int64) []int64 {
		t.Helper()
		got, err := s.User(ctx, id)
		must(t, "user", err)
		return got.ClinicIDs
	}
	must(t, "set clinics", s.SetClinics(ctx, u.ID, []int64{c.ID, b.ID, c.ID}))
	eq(t, "clinics after set", clinicsOf(u.ID), []int64{b.ID, c.ID})
	eq(t, "other user's clinics", clinicsOf(other.ID), []int64{a.ID, b.ID})

	err := s.SetClinics(ctx, u.ID, []int64{a.ID, c.ID + 1000})
	wantCode(t, "set an unknown clinic", err, tendo.EINVALID)
	eq(t, "clinics after a failed set", clinicsOf(u.ID), []int64{b.ID, c.ID})

	err = s.SetClinics(ctx, u.ID+other.ID+1000, []int64{a.ID})
	wantCode(t, "set clinics of an unknown user", err, tendo.ENOTFOUND)

	must(t, "set no clinics", s.SetClinics(ctx, u.ID, nil))
	eq(t, "clinics after clearing", clinicsOf(u.ID), []int64{})
	got, err := s.UserByEmail(ctx, "u@example.com")
	must(t, "by email", err)
	eq(t, "clinics by e-mail", got.ClinicIDs, []int64{})
}

func testSetPassword(t *testing.T, s tendo.Store) {
	ctx := t.Context()
	u := user(t, s, "p@example.com", tendo.RoleAdmin)
	must(t, "set password", s.SetPassword(ctx, u.ID, "$argon2id$new"))
	got, err := s.User(ctx, u.ID)
	must(t, "user", err)
	eq(t, "hash", got.PasswordHash, "$argon2id$new")
	got.PasswordHash = u.PasswordHash
	eq(t, "the rest of the user", got, u)
	wantCode(t, "set password of an unknown user", s.SetPassword(ctx, u.ID+1000, "$argon2id$x"), tendo.ENOTFOUND)
}

func testCountUsers(t *testing.T, s tendo.Store) {
	ctx := t.Context()
	n, err := s.CountUsers(ctx)
	must(t, "count", err)
	eq(t, "users at first", n, 0)
	for i := range 3 {
		user(t, s, fmt.Sprintf("u%d@example.com", i), tendo.RoleClinician)
	}
	n, err = s.CountUsers(ctx)
	must(t, "count", err)
	eq(t, "users", n, 3)
}

// Sessions.

func testSessionLifecycle(t *testing.T, s tendo.Store) {
	ctx := t.Context()
	u := user(t, s, "s@example.com", tendo.RoleClinician)
	paris := time.FixedZone("CET", 3600)
	created := time.Date(2031, 3, 4, 10, 0, 0, 123456789, paris)
	in := tendo.Session{ID: "hash-of-cookie", UserID: u.ID, CSRF: "csrf-token", CreatedAt: created, ExpiresAt: created.Add(8 * time.Hour)}
	must(t, "create", s.CreateSession(ctx, in))

	got, err := s.Session(ctx, in.ID, created.Add(time.Hour))
	must(t, "session", err)
	eq(t, "ID", got.ID, in.ID)
	eq(t, "user", got.UserID, u.ID)
	eq(t, "CSRF", got.CSRF, in.CSRF)
	utc(t, "created at", got.CreatedAt, in.CreatedAt)
	utc(t, "expires at", got.ExpiresAt, in.ExpiresAt)

	_, err = s.Session(ctx, in.ID, in.ExpiresAt.Add(-time.Millisecond))
	must(t, "session just before expiry", err)
	_, err = s.Session(ctx, in.ID, in.ExpiresAt.Add(time.Millisecond))
	wantCode(t, "session after expiry", err, tendo.ENOTFOUND)
	_, err = s.Session(ctx, in.ID, in.ExpiresAt.Add(48*time.Hour))
	wantCode(t, "session long after expiry", err, tendo.ENOTFOUND)
	_, err = s.Session(ctx, "unknown", created)
	wantCode(t, "unknown session", err, tendo.ENOTFOUND)

	must(t, "delete", s.DeleteSession(ctx, in.ID))
	_, err = s.Session(ctx, in.ID, created)
	wantCode(t, "deleted session", err, tendo.ENOTFOUND)
	must(t, "delete again", s.DeleteSession(ctx, in.ID))

	// A zero CreatedAt is the store's now.
	must(t, "create without created at", s.CreateSession(ctx, tendo.Session{ID: "second", UserID: u.ID, CSRF: "c", ExpiresAt: time.Now().Add(time.Hour)}))
	got, err = s.Session(ctx, "second", time.Now())
	must(t, "second session", err)
	recent(t, "created at of second", got.CreatedAt)
}

func testDeleteExpiredSessions(t *testing.T, s tendo.Store) {
	ctx := t.Context()
	u := user(t, s, "s@example.com", tendo.RoleClinician)
	t0 := time.Date(2031, 1, 1, 12, 0, 0, 0, time.UTC)
	for i, id := range []string{"a", "b", "c"} {
		must(t, "create "+id, s.CreateSession(ctx, tendo.Session{
			ID: id, UserID: u.ID, CSRF: "x", CreatedAt: t0, ExpiresAt: t0.Add(time.Duration(i+1) * time.Hour),
		}))
	}
	// At t0+2h, a (t0+1h) and b (t0+2h) have expired.
	must(t, "delete expired", s.DeleteExpiredSessions(ctx, t0.Add(2*time.Hour)))
	for _, id := range []string{"a", "b"} {
		_, err := s.Session(ctx, id, t0)
		wantCode(t, "deleted session "+id+" (asked before its expiry)", err, tendo.ENOTFOUND)
	}
	_, err := s.Session(ctx, "c", t0)
	must(t, "session c is kept", err)
}

func testSessionInvalid(t *testing.T, s tendo.Store) {
	ctx := t.Context()
	u := user(t, s, "s@example.com", tendo.RoleClinician)
	exp := time.Now().Add(time.Hour)
	must(t, "create", s.CreateSession(ctx, tendo.Session{ID: "x", UserID: u.ID, CSRF: "c", ExpiresAt: exp}))
	wantCode(t, "duplicate ID", s.CreateSession(ctx, tendo.Session{ID: "x", UserID: u.ID, CSRF: "d", ExpiresAt: exp}), tendo.ECONFLICT)
	wantCode(t, "unknown user", s.CreateSession(ctx, tendo.Session{ID: "y", UserID: u.ID + 1000, CSRF: "c", ExpiresAt: exp}), tendo.EINVALID)
	wantCode(t, "empty ID", s.CreateSession(ctx, tendo.Session{UserID: u.ID, CSRF: "c", ExpiresAt: exp}), tendo.EINVALID)
	got, err := s.Session(ctx, "x", time.Now())
	must(t, "session", err)
	eq(t, "CSRF of the first session", got.CSRF, "c")
}

// API tokens.

func testAPIToken(t *testing.T, s tendo.Store) {
	ctx := t.Context()
	a, b := clinic(t, s, "A"), clinic(t, s, "B")
	u := user(t, s, "api@example.com", tendo.RoleClinician, b.ID, a.ID)
	tok, err := s.CreateAPIToken(ctx, u.ID, "laptop script", "sha256:abc")
	must(t, "create", err)
	if tok.ID <= 0 {
		t.Errorf("token ID %d", tok.ID)
	}
	eq(t, "user", tok.UserID, u.ID)
	eq(t, "name", tok.Name, "laptop script")
	recent(t, "created at", tok.CreatedAt)
	if tok.LastUsedAt != nil {
		t.Errorf("new token last used at %v", tok.LastUsedAt)
	}
	for range 2 {
		got, err := s.UserByAPIToken(ctx, "sha256:abc", time.Now())
		must(t, "user by token", err)
		eq(t, "user by token", got, u)
	}
	_, err = s.UserByAPIToken(ctx, "sha256:unknown", time.Now())
	wantCode(t, "unknown token", err, tendo.ENOTFOUND)
	_, err = s.UserByAPIToken(ctx, "", time.Now())
	wantCode(t, "empty token", err, tendo.ENOTFOUND)

	other := user(t, s, "other@example.com", tendo.RoleAdmin)
	_, err = s.CreateAPIToken(ctx, other.ID, "second", "sha256:def")
	must(t, "second token", err)
	got, err := s.UserByAPIToken(ctx, "sha256:def", time.Now())
	must(t, "user by second token", err)
	eq(t, "user by second token", got.ID, other.ID)
}

func testAPITokenInvalid(t *testing.T, s tendo.Store) {
	ctx := t.Context()
	u := user(t, s, "api@example.com", tendo.RoleClinician)
	_, err := s.CreateAPIToken(ctx, u.ID, "one", "sha256:abc")
	must(t, "create", err)
	_, err = s.CreateAPIToken(ctx, u.ID, "two", "sha256:abc")
	wantCode(t, "duplicate hash", err, tendo.ECONFLICT)
	_, err = s.CreateAPIToken(ctx, u.ID+1000, "three", "sha256:xyz")
	wantCode(t, "unknown user", err, tendo.EINVALID)
	_, err = s.CreateAPIToken(ctx, u.ID, "four", "")
	wantCode(t, "empty hash", err, tendo.EINVALID)
	_, err = s.UserByAPIToken(ctx, "sha256:xyz", time.Now())
	wantCode(t, "token of a failed create", err, tendo.ENOTFOUND)
}

// Login failures.

func testLoginFailures(t *testing.T, s tendo.Store) {
	ctx := t.Context()
	t0 := time.Date(2031, 5, 6, 7, 8, 9, 0, time.UTC)
	for _, at := range []time.Duration{0, time.Minute, 2 * time.Minute, 2*time.Minute + time.Second} {
		must(t, "record", s.RecordLoginFailure(ctx, "alice@example.com", t0.Add(at)))
	}
	must(t, "record other key", s.RecordLoginFailure(ctx, "203.0.113.7", t0.Add(time.Minute)))

	for _, tc := range []struct {
		key   string
		since time.Time
		want  int
	}{
		{"alice@example.com", t0.Add(-time.Hour), 4},
		{"alice@example.com", t0, 4}, // since is inclusive
		{"alice@example.com", t0.Add(time.Second), 3},
		{"alice@example.com", t0.Add(time.Minute), 3},
		{"alice@example.com", t0.Add(2 * time.Minute).In(time.FixedZone("EST", -5*3600)), 2},
		{"alice@example.com", t0.Add(3 * time.Minute), 0},
		{"203.0.113.7", t0, 1},
		{"bob@example.com", t0.Add(-time.Hour), 0},
	} {
		n, err := s.LoginFailures(ctx, tc.key, tc.since)
		must(t, "count", err)
		if n != tc.want {
			t.Errorf("failures of %s since %v: %d, want %d", tc.key, tc.since, n, tc.want)
		}
	}
}

// Patients.

func testPatientCreateAndGet(t *testing.T, s tendo.Store) {
	ctx := t.Context()
	c := clinic(t, s, "C")
	u := user(t, s, "doc@example.com", tendo.RoleClinician, c.ID)
	in := tendo.PatientRecord{ID: 77, ClinicID: c.ID, Name: "Åsa Ñúñez-O'Brien 李", ExternalID: "MRN-0042", BirthYear: 1979, CreatedBy: u.ID}
	p, err := s.CreatePatient(ctx, in)
	must(t, "create", err)
	if p.ID <= 0 || p.ID == 77 {
		t.Errorf("ID %d: want one the store chose", p.ID)
	}
	recent(t, "created at", p.CreatedAt)
	want := in
	want.ID, want.CreatedAt = p.ID, p.CreatedAt
	eq(t, "created patient", p, want)
	got, err := s.Patient(ctx, p.ID)
	must(t, "patient", err)
	eq(t, "patient read back", got, p)

	bare, err := s.CreatePatient(ctx, tendo.PatientRecord{ClinicID: c.ID, Name: "No Details"})
	must(t, "create without optional fields", err)
	got, err = s.Patient(ctx, bare.ID)
	must(t, "patient", err)
	eq(t, "patient without optional fields", got, bare)
	if got.ExternalID != "" || got.BirthYear != 0 || got.CreatedBy != 0 {
		t.Errorf("optional fields: %+v", got)
	}
}

func testPatientInvalid(t *testing.T, s tendo.Store) {
	ctx := t.Context()
	c := clinic(t, s, "C")
	for _, tc := range []struct {
		name string
		p    tendo.PatientRecord
	}{
		{"empty name", tendo.PatientRecord{ClinicID: c.ID}},
		{"blank name", tendo.PatientRecord{ClinicID: c.ID, Name: " \t"}},
		{"no clinic", tendo.PatientRecord{Name: "X"}},
		{"unknown clinic", tendo.PatientRecord{ClinicID: c.ID + 1000, Name: "X"}},
		{"unknown creator", tendo.PatientRecord{ClinicID: c.ID, Name: "X", CreatedBy: 5000}},
	} {
		_, err := s.CreatePatient(ctx, tc.p)
		wantCode(t, tc.name, err, tendo.EINVALID)
	}
	ps, err := s.Patients(ctx, nil)
	must(t, "patients", err)
	eq(t, "patients after invalid creates", len(ps), 0)
}

func testPatientNotFound(t *testing.T, s tendo.Store) {
	_, err := s.Patient(t.Context(), 31337)
	wantCode(t, "patient 31337", err, tendo.ENOTFOUND)
	var e *tendo.Error
	if err != nil && !errors.As(err, &e) {
		t.Errorf("error %v is not a *tendo.Error", err)
	}
}

func testPatientExternalID(t *testing.T, s tendo.Store) {
	ctx := t.Context()
	a, b := clinic(t, s, "A"), clinic(t, s, "B")
	_, err := s.CreatePatient(ctx, tendo.PatientRecord{ClinicID: a.ID, Name: "One", ExternalID: "MRN-1"})
	must(t, "first", err)
	_, err = s.CreatePatient(ctx, tendo.PatientRecord{ClinicID: a.ID, Name: "Two", ExternalID: "MRN-1"})
	wantCode(t, "same external ID in the same clinic", err, tendo.ECONFLICT)
	_, err = s.CreatePatient(ctx, tendo.PatientRecord{ClinicID: b.ID, Name: "Three", ExternalID: "MRN-1"})
	must(t, "same external ID in another clinic", err)
	for i := range 2 {
		_, err = s.CreatePatient(ctx, tendo.PatientRecord{ClinicID: a.ID, Name: fmt.Sprint("No MRN ", i)})
		must(t, "patients without external ID", err)
	}
}

func testPatientsByClinic(t *testing.T, s tendo.Store) {
	ctx := t.Context()
	a, b, c := clinic(t, s, "A"), clinic(t, s, "B"), clinic(t, s, "C")
	names := map[int64][]string{
		a.ID: {"walker", "Adams", "Émile", "brown"},
		b.ID: {"Young", "adams"},
		c.ID: {},
	}
	byID := map[int64]tendo.PatientRecord{}
	for _, cl := range []int64{a.ID, b.ID} {
		for _, n := range names[cl] {
			p := patient(t, s, cl, n)
			byID[p.ID] = p
		}
	}
	list := func(ids []int64) []tendo.PatientRecord {
		t.Helper()
		ps, err := s.Patients(ctx, ids)
		must(t, fmt.Sprint("patients of ", ids), err)
		if ps == nil {
			t.Errorf("patients of %v: nil, want a list", ids)
		}
		for _, p := range ps {
			eq(t, "listed patient", p, byID[p.ID])
		}
		return ps
	}
	nameList := func(ps []tendo.PatientRecord) []string {
		out := []string{}
		for _, p := range ps {
			out = append(out, p.Name)
		}
		return out
	}
	for _, tc := range []struct {
		ids  []int64
		want []string
	}{
		{[]int64{a.ID}, []string{"Adams", "brown", "walker", "Émile"}},
		{[]int64{b.ID}, []string{"adams", "Young"}},
		{[]int64{c.ID}, []string{}},
		{[]int64{c.ID + 1000}, []string{}},
		{[]int64{}, []string{}},
		{nil, []string{"adams", "Adams", "brown", "walker", "Young", "Émile"}},
		{[]int64{b.ID, a.ID, b.ID}, []string{"adams", "Adams", "brown", "walker", "Young", "Émile"}},
	} {
		ps := list(tc.ids)
		got := nameList(ps)
		// Names equal but for case may come in either order.
		if len(got) == len(tc.want) {
			for i := range got {
				if strings.EqualFold(got[i], tc.want[i]) {
					got[i] = tc.want[i]
				}
			}
		}
		eq(t, fmt.Sprint("names of patients of clinics ", tc.ids), got, tc.want)
		if tc.ids != nil {
			for _, p := range ps {
				if !slices.Contains(tc.ids, p.ClinicID) {
					t.Errorf("patients of %v include %+v of clinic %d", tc.ids, p, p.ClinicID)
				}
			}
		}
	}
}

// Assessments.

func testAssessmentRoundTrip(t *testing.T, s tendo.Store) {
	ctx := t.Context()
	c := clinic(t, s, "C")
	u := user(t, s, "doc@example.com", tendo.RoleClinician, c.ID)
	p := patient(t, s, c.ID, "Pat")
	// Byte for byte: key order, spacing, escapes, non-ASCII, a trailing
	// newline; none of it may be normalised.
	input := []byte("{\n  \"zeta\": 1,  \"alpha\" : \"Zoë — 痛み 🦶\",\n\t\"esc\": \"\\u00e9\\n\\\"q\\\"\",\n  \"num\": 1.50e+2\n}\n")
	result := []byte(`{"classification":"mixed","reason":"S1 radiculopathy — Lasègue +","scores":{"visaA":0,"odi":12.5}}`)
	in := tendo.StoredAssessment{
		ID: 5, PatientID: p.ID, ClinicID: c.ID, Date: "2031-02-28", CreatedBy: u.ID,
		Input: input, Result: result, ModelVersion: "bn-2031.02+abc",
		Classification: tendo.Mixed,
		VISAA:          ptr(0), ODI: ptr(12.5), NPRS: nil, LEFS: ptr(math.Pi),
	}
	a, err := s.SaveAssessment(ctx, in)
	must(t, "save", err)
	if a.ID <= 0 || a.ID == 5 {
		t.Errorf("ID %d: want one the store chose", a.ID)
	}
	recent(t, "created at", a.CreatedAt)
	want := in
	want.ID, want.CreatedAt = a.ID, a.CreatedAt
	eq(t, "saved assessment", a, want)

	got, err := s.Assessment(ctx, a.ID)
	must(t, "assessment", err)
	eq(t, "assessment read back", got, a)
	if string(got.Input) != string(input) || string(got.Result) != string(result) {
		t.Errorf("bytes changed:\n%q\n%q", got.Input, got.Result)
	}
	if got.VISAA == nil || *got.VISAA != 0 || got.NPRS != nil {
		t.Errorf("scores: VISA-A %v (want 0), NPRS %v (want nil)", got.VISAA, got.NPRS)
	}
	list, err := s.Assessments(ctx, p.ID)
	must(t, "assessments", err)
	summary := a
	summary.Input, summary.Result = nil, nil // the listing leaves the documents out
	eq(t, "assessments", list, []tendo.StoredAssessment{summary})

	// A zero ClinicID is the patient's.
	a2, err := s.SaveAssessment(ctx, assessment(p, "2031-03-01"))
	must(t, "save without clinic", err)
	eq(t, "clinic of assessment saved without one", a2.ClinicID, c.ID)
	got, err = s.Assessment(ctx, a2.ID)
	must(t, "assessment", err)
	eq(t, "assessment saved without clinic, read back", got, a2)
	eq(t, "creator of an assessment saved without one", got.CreatedBy, int64(0))
}

func testAssessmentOrder(t *testing.T, s tendo.Store) {
	ctx := t.Context()
	c := clinic(t, s, "C")
	p, q := patient(t, s, c.ID, "P"), patient(t, s, c.ID, "Q")
	var ids = map[string]int64{}
	for _, d := range []string{"2031-05-01", "2030-12-31", "2031-01-15", "2031-01-15", "2029-07-04"} {
		a, err := s.SaveAssessment(ctx, assessment(p, d))
		must(t, "save "+d, err)
		if ids[d] == 0 {
			ids[d] = a.ID
		}
	}
	_, err := s.SaveAssessment(ctx, assessment(q, "2030-01-01"))
	must(t, "save for q", err)

	list, err := s.Assessments(ctx, p.ID)
	must(t, "assessments", err)
	var dates []string
	for i, a := range list {
		dates = append(dates, a.Date)
		if a.PatientID != p.ID {
			t.Errorf("assessment %d of patient %d in the list of %d", a.ID, a.PatientID, p.ID)
		}
		if i > 0 && a.Date == list[i-1].Date && a.CreatedAt.Before(list[i-1].CreatedAt) {
			t.Errorf("assessments of one date out of saving order: %d before %d", list[i-1].ID, a.ID)
		}
	}
	eq(t, "dates, oldest first", dates, []string{"2029-07-04", "2030-12-31", "2031-01-15", "2031-01-15", "2031-05-01"})

	list, err = s.Assessments(ctx, q.ID+1000)
	must(t, "assessments of an unknown patient", err)
	if list == nil || len(list) != 0 {
		t.Errorf("assessments of an unknown patient: %#v, want an empty list", list)
	}
}

func testAssessmentInvalid(t *testing.T, s tendo.Store) {
	ctx := t.Context()
	c, other := clinic(t, s, "C"), clinic(t, s, "Other")
	p := patient(t, s, c.ID, "P")
	change := func(f func(a *tendo.StoredAssessment)) tendo.StoredAssessment {
		a := assessment(p, "2031-01-01")
		f(&a)
		return a
	}
	for _, tc := range []struct {
		name string
		a    tendo.StoredAssessment
	}{
		{"unknown patient", change(func(a *tendo.StoredAssessment) { a.PatientID += 1000 })},
		{"no patient", change(func(a *tendo.StoredAssessment) { a.PatientID = 0 })},
		{"another clinic", change(func(a *tendo.StoredAssessment) { a.ClinicID = other.ID })},
		{"unknown clinic", change(func(a *tendo.StoredAssessment) { a.ClinicID = other.ID + 1000 })},
		{"unknown creator", change(func(a *tendo.StoredAssessment) { a.CreatedBy = 9999 })},
		{"no date", change(func(a *tendo.StoredAssessment) { a.Date = "" })},
		{"bad date", change(func(a *tendo.StoredAssessment) { a.Date = "2031-02-30" })},
		{"date with time", change(func(a *tendo.StoredAssessment) { a.Date = "2031-02-03T10:00:00Z" })},
		{"no model version", change(func(a *tendo.StoredAssessment) { a.ModelVersion = "" })},
		{"no input", change(func(a *tendo.StoredAssessment) { a.Input = nil })},
		{"input not JSON", change(func(a *tendo.StoredAssessment) { a.Input = []byte(`{"a":`) })},
		{"result not UTF-8", change(func(a *tendo.StoredAssessment) { a.Result = []byte("{\"a\":\"\xff\"}") })},
		{"NaN score", change(func(a *tendo.StoredAssessment) { a.ODI = ptr(math.NaN()) })},
		{"infinite score", change(func(a *tendo.StoredAssessment) { a.LEFS = ptr(math.Inf(1)) })},
	} {
		_, err := s.SaveAssessment(ctx, tc.a)
		wantCode(t, tc.name, err, tendo.EINVALID)
	}
	list, err := s.Assessments(ctx, p.ID)
	must(t, "assessments", err)
	eq(t, "assessments after invalid saves", len(list), 0)
}

func testAssessmentNotFound(t *testing.T, s tendo.Store) {
	_, err := s.Assessment(t.Context(), 999)
	wantCode(t, "assessment 999", err, tendo.ENOTFOUND)
}

// testAssessmentConcurrentSaves saves from many goroutines at once: none
// may fail (no "database is locked").
func testAssessmentConcurrentSaves(t *testing.T, s tendo.Store) {
	ctx := t.Context()
	c := clinic(t, s, "C")
	const workers, each = 16, 8
	ps := make([]tendo.PatientRecord, 4)
	for i := range ps {
		ps[i] = patient(t, s, c.ID, fmt.Sprint("P", i))
	}
	var wg sync.WaitGroup
	errs := make(chan error, workers*each)
	start := make(chan struct{})
	for w := range workers {
		wg.Go(func() {
			<-start
			for i := range each {
				a := assessment(ps[(w+i)%len(ps)], fmt.Sprintf("2031-01-%02d", i+1))
				if _, err := s.SaveAssessment(ctx, a); err != nil {
					errs <- err
				}
				// Reads and other writes between the saves.
				if _, err := s.Assessments(ctx, a.PatientID); err != nil {
					errs <- err
				}
				if err := s.Audit(ctx, tendo.AuditEntry{Actor: "test", Action: "assessment.create", PatientID: a.PatientID}); err != nil {
					errs <- err
				}
			}
		})
	}
	close(start)
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Errorf("concurrent save: %v", err)
	}
	total := 0
	for _, p := range ps {
		list, err := s.Assessments(ctx, p.ID)
		must(t, "assessments", err)
		total += len(list)
	}
	eq(t, "assessments saved", total, workers*each)
}

// Links.

func testLinkCreateAndGet(t *testing.T, s tendo.Store) {
	ctx := t.Context()
	c := clinic(t, s, "C")
	u := user(t, s, "doc@example.com", tendo.RoleClinician, c.ID)
	p, q := patient(t, s, c.ID, "P"), patient(t, s, c.ID, "Q")
	expires := time.Now().Add(7 * 24 * time.Hour).In(time.FixedZone("NZDT", 13*3600))
	used := time.Now()
	in := tendo.QuestionnaireLink{ID: 3, PatientID: p.ID, Instrument: tendo.InstrumentODI, CreatedBy: u.ID, ExpiresAt: expires, UsedAt: &used}
	l, err := s.CreateLink(ctx, in, "sha256:link1")
	must(t, "create", err)
	if l.ID <= 0 || l.ID == 3 {
		t.Errorf("ID %d: want one the store chose", l.ID)
	}
	eq(t, "clinic (the patient's)", l.ClinicID, c.ID)
	eq(t, "patient", l.PatientID, p.ID)
	eq(t, "instrument", l.Instrument, tendo.InstrumentODI)
	eq(t, "created by", l.CreatedBy, u.ID)
	recent(t, "created at", l.CreatedAt)
	utc(t, "expires at", l.ExpiresAt, expires)
	if l.UsedAt != nil {
		t.Errorf("new link used at %v", *l.UsedAt)
	}

	got, err := s.LinkByToken(ctx, "sha256:link1")
	must(t, "link by token", err)
	eq(t, "link read back", got, l)

	l2 := link(t, s, p, tendo.InstrumentVISAA, "sha256:link2")
	lq := link(t, s, q, tendo.InstrumentNPRS, "sha256:link3")
	l3, err := s.CreateLink(ctx, tendo.QuestionnaireLink{PatientID: p.ID, ClinicID: c.ID, Instrument: tendo.InstrumentLEFS, ExpiresAt: expires}, "sha256:link4")
	must(t, "create with clinic", err)
	list, err := s.Links(ctx, p.ID)
	must(t, "links", err)
	eq(t, "links of p, oldest first", list, []tendo.QuestionnaireLink{l, l2, l3})
	list, err = s.Links(ctx, q.ID)
	must(t, "links", err)
	eq(t, "links of q", list, []tendo.QuestionnaireLink{lq})
	list, err = s.Links(ctx, q.ID+1000)
	must(t, "links of an unknown patient", err)
	if list == nil || len(list) != 0 {
		t.Errorf("links of an unknown patient: %#v, want an empty list", list)
	}
}

func testLinkInvalid(t *testing.T, s tendo.Store) {
	ctx := t.Context()
	c, other := clinic(t, s, "C"), clinic(t, s, "Other")
	p := patient(t, s, c.ID, "P")
	link(t, s, p, tendo.InstrumentODI, "sha256:taken")
	ok := tendo.QuestionnaireLink{PatientID: p.ID, Instrument: tendo.InstrumentODI, ExpiresAt: time.Now().Add(time.Hour)}
	change := func(f func(l *tendo.QuestionnaireLink)) tendo.QuestionnaireLink {
		l := ok
		f(&l)
		return l
	}
	_, err := s.CreateLink(ctx, ok, "sha256:taken")
	wantCode(t, "taken token hash", err, tendo.ECONFLICT)
	for _, tc := range []struct {
		name string
		l    tendo.QuestionnaireLink
		hash string
	}{
		{"unknown instrument", change(func(l *tendo.QuestionnaireLink) { l.Instrument = "sf36" }), "h1"},
		{"no instrument", change(func(l *tendo.QuestionnaireLink) { l.Instrument = "" }), "h2"},
		{"unknown patient", change(func(l *tendo.QuestionnaireLink) { l.PatientID += 1000 }), "h3"},
		{"another clinic", change(func(l *tendo.QuestionnaireLink) { l.ClinicID = other.ID }), "h4"},
		{"unknown creator", change(func(l *tendo.QuestionnaireLink) { l.CreatedBy = 9999 }), "h5"},
		{"expired already", change(func(l *tendo.QuestionnaireLink) { l.ExpiresAt = time.Now().Add(-time.Minute) }), "h6"},
		{"no expiry", change(func(l *tendo.QuestionnaireLink) { l.ExpiresAt = time.Time{} }), "h7"},
		{"no token hash", ok, ""},
	} {
		_, err := s.CreateLink(ctx, tc.l, tc.hash)
		wantCode(t, tc.name, err, tendo.EINVALID)
	}
	list, err := s.Links(ctx, p.ID)
	must(t, "links", err)
	eq(t, "links after invalid creates", len(list), 1)
}

func testLinkNotFound(t *testing.T, s tendo.Store) {
	_, err := s.LinkByToken(t.Context(), "sha256:nothing")
	wantCode(t, "unknown token", err, tendo.ENOTFOUND)
}

// Responses.

func testResponseSubmit(t *testing.T, s tendo.Store) {
	ctx := t.Context()
	c := clinic(t, s, "C")
	p, q := patient(t, s, c.ID, "P"), patient(t, s, c.ID, "Q")
	l1 := link(t, s, p, tendo.InstrumentODI, "h1")
	l2 := link(t, s, p, tendo.InstrumentVISAA, "h2")
	lq := link(t, s, q, tendo.InstrumentNPRS, "h3")

	now := time.Now().In(time.FixedZone("IST", 19800))
	in := response(l1)
	in.Answers = []byte(`{"answers": [0, 1, 2, 3, 4, 5, 0, 1, 2, 3], "note": "Schmerz — ça va 😐"}`)
	in.Score, in.Band = 34.5, "moderate"
	r, err := s.SubmitResponse(ctx, in, now)
	must(t, "submit", err)
	if r.ID <= 0 {
		t.Errorf("ID %d", r.ID)
	}
	utc(t, "submitted at", r.SubmittedAt, now)
	want := in
	want.ID, want.SubmittedAt = r.ID, r.SubmittedAt
	eq(t, "submitted response", r, want)

	got, err := s.LinkByToken(ctx, "h1")
	must(t, "link", err)
	if got.UsedAt == nil {
		t.Fatalf("link not marked used")
	}
	utc(t, "link used at", *got.UsedAt, now)

	_, err = s.SubmitResponse(ctx, response(l1), now.Add(time.Second))
	wantCode(t, "second submit", err, tendo.ECONFLICT)

	// Zero patient, clinic and instrument are the link's.
	r2, err := s.SubmitResponse(ctx, tendo.QuestionnaireResponse{LinkID: l2.ID, Answers: []byte(`{"answers":[]}`), Score: 0}, now.Add(2*time.Second))
	must(t, "submit with the link only", err)
	eq(t, "patient from link", r2.PatientID, p.ID)
	eq(t, "clinic from link", r2.ClinicID, c.ID)
	eq(t, "instrument from link", r2.Instrument, tendo.InstrumentVISAA)
	rq, err := s.SubmitResponse(ctx, response(lq), now)
	must(t, "submit for q", err)

	list, err := s.Responses(ctx, p.ID)
	must(t, "responses", err)
	eq(t, "responses of p, oldest first", list, []tendo.QuestionnaireResponse{r, r2})
	if len(list) > 0 && string(list[0].Answers) != string(in.Answers) {
		t.Errorf("answers changed: %q", list[0].Answers)
	}
	list, err = s.Responses(ctx, q.ID)
	must(t, "responses", err)
	eq(t, "responses of q", list, []tendo.QuestionnaireResponse{rq})
	list, err = s.Responses(ctx, q.ID+1000)
	must(t, "responses of an unknown patient", err)
	if list == nil || len(list) != 0 {
		t.Errorf("responses of an unknown patient: %#v, want an empty list", list)
	}
}

func testResponseExpired(t *testing.T, s tendo.Store) {
	ctx := t.Context()
	c := clinic(t, s, "C")
	p := patient(t, s, c.ID, "P")
	l := link(t, s, p, tendo.InstrumentLEFS, "h")
	for _, now := range []time.Time{l.ExpiresAt, l.ExpiresAt.Add(time.Millisecond), l.ExpiresAt.Add(30 * 24 * time.Hour)} {
		_, err := s.SubmitResponse(ctx, response(l), now)
		wantCode(t, fmt.Sprintf("submit %v after expiry", now.Sub(l.ExpiresAt)), err, tendo.EINVALID)
	}
	got, err := s.LinkByToken(ctx, "h")
	must(t, "link", err)
	if got.UsedAt != nil {
		t.Errorf("expired link marked used at %v", *got.UsedAt)
	}
	list, err := s.Responses(ctx, p.ID)
	must(t, "responses", err)
	eq(t, "responses after expired submits", len(list), 0)
	// The failed submits changed nothing: before expiry it still works.
	_, err = s.SubmitResponse(ctx, response(l), l.ExpiresAt.Add(-time.Millisecond))
	must(t, "submit just before expiry", err)
}

func testResponseInvalid(t *testing.T, s tendo.Store) {
	ctx := t.Context()
	c := clinic(t, s, "C")
	p, q := patient(t, s, c.ID, "P"), patient(t, s, c.ID, "Q")
	l := link(t, s, p, tendo.InstrumentODI, "h")
	now := time.Now()
	change := func(f func(r *tendo.QuestionnaireResponse)) tendo.QuestionnaireResponse {
		r := response(l)
		f(&r)
		return r
	}
	for _, tc := range []struct {
		name string
		r    tendo.QuestionnaireResponse
	}{
		{"other instrument", change(func(r *tendo.QuestionnaireResponse) { r.Instrument = tendo.InstrumentNPRS })},
		{"other patient", change(func(r *tendo.QuestionnaireResponse) { r.PatientID = q.ID })},
		{"other clinic", change(func(r *tendo.QuestionnaireResponse) { r.ClinicID = c.ID + 1000 })},
		{"answers not JSON", change(func(r *tendo.QuestionnaireResponse) { r.Answers = []byte("1,2,3") })},
		{"no answers", change(func(r *tendo.QuestionnaireResponse) { r.Answers = nil })},
		{"NaN score", change(func(r *tendo.QuestionnaireResponse) { r.Score = math.NaN() })},
	} {
		_, err := s.SubmitResponse(ctx, tc.r, now)
		wantCode(t, tc.name, err, tendo.EINVALID)
	}
	_, err := s.SubmitResponse(ctx, change(func(r *tendo.QuestionnaireResponse) { r.LinkID += 1000 }), now)
	wantCode(t, "unknown link", err, tendo.ENOTFOUND)

	got, err := s.LinkByToken(ctx, "h")
	must(t, "link", err)
	if got.UsedAt != nil {
		t.Errorf("link marked used by invalid submits")
	}
	_, err = s.SubmitResponse(ctx, response(l), now)
	must(t, "valid submit after invalid ones", err)
}

// testResponseConcurrentSubmit submits each link from several goroutines
// at once: exactly one may succeed, the others get ECONFLICT.
func testResponseConcurrentSubmit(t *testing.T, s tendo.Store) {
	ctx := t.Context()
	c := clinic(t, s, "C")
	p := patient(t, s, c.ID, "P")
	const rounds, racers = 5, 8
	for round := range rounds {
		l := link(t, s, p, tendo.InstrumentNPRS, fmt.Sprint("race", round))
		var wg sync.WaitGroup
		start := make(chan struct{})
		errs := make([]error, racers)
		for i := range racers {
			wg.Go(func() {
				<-start
				_, errs[i] = s.SubmitResponse(ctx, response(l), time.Now())
			})
		}
		close(start)
		wg.Wait()
		ok, conflicts := 0, 0
		for _, err := range errs {
			switch tendo.ErrorCode(err) {
			case "":
				ok++
			case tendo.ECONFLICT:
				conflicts++
			default:
				t.Errorf("round %d: %v", round, err)
			}
		}
		if ok != 1 || conflicts != racers-1 {
			t.Errorf("round %d: %d successes and %d conflicts, want 1 and %d", round, ok, conflicts, racers-1)
		}
	}
	list, err := s.Responses(ctx, p.ID)
	must(t, "responses", err)
	eq(t, "responses stored", len(list), rounds)
}

// Audit.

func testAuditFilterAndLimit(t *testing.T, s tendo.Store) {
	ctx := t.Context()
	t0 := time.Date(2031, 6, 1, 9, 0, 0, 0, time.UTC)
	const u1, u2, p1, p2, c1 = 11, 12, 21, 22, 31
	var want []tendo.AuditEntry // oldest first
	add := func(e tendo.AuditEntry) {
		t.Helper()
		e.At = t0.Add(time.Duration(len(want)) * time.Second)
		must(t, "audit", s.Audit(ctx, e))
		want = append(want, e)
	}
	for i := range 105 {
		add(tendo.AuditEntry{UserID: u1, Actor: "user 11", ClinicID: c1, PatientID: p1, Action: "patient.read", Detail: fmt.Sprint("read ", i)})
	}
	add(tendo.AuditEntry{UserID: u2, Actor: "user 12", ClinicID: c1, PatientID: p1, Action: "assessment.create", Detail: "Bewertung für Jürgen"})
	add(tendo.AuditEntry{UserID: u2, Actor: "user 12", ClinicID: c1, PatientID: p2, Action: "patient.create"})
	add(tendo.AuditEntry{Actor: "questionnaire link 7", ClinicID: c1, PatientID: p2, Action: "response.submit"})
	add(tendo.AuditEntry{UserID: u1, Actor: "user 11", Action: "report.read"})

	// newest returns the entries matching f, newest first, at most n.
	newest := func(n int, f func(e tendo.AuditEntry) bool) []tendo.AuditEntry {
		var out []tendo.AuditEntry
		for i := len(want) - 1; i >= 0 && len(out) < n; i-- {
			if f(want[i]) {
				out = append(out, want[i])
			}
		}
		return out
	}
	check := func(name string, f tendo.AuditFilter, exp []tendo.AuditEntry) {
		t.Helper()
		got, err := s.AuditLog(ctx, f)
		must(t, name, err)
		if len(got) != len(exp) {
			t.Errorf("%s: %d entries, want %d", name, len(got), len(exp))
			return
		}
		for i := range got {
			if got[i].ID <= 0 {
				t.Errorf("%s: entry %d has ID %d", name, i, got[i].ID)
			}
			utc(t, name+": at", got[i].At, exp[i].At)
			g := got[i]
			g.ID, g.At = 0, exp[i].At
			eq(t, fmt.Sprintf("%s: entry %d", name, i), g, exp[i])
		}
	}
	all := func(tendo.AuditEntry) bool { return true }
	check("no filter: the newest 100", tendo.AuditFilter{}, newest(100, all))
	check("limit 3", tendo.AuditFilter{Limit: 3}, newest(3, all))
	check("limit above the count", tendo.AuditFilter{Limit: 1000}, newest(1000, all))
	check("patient 2", tendo.AuditFilter{PatientID: p2}, newest(100, func(e tendo.AuditEntry) bool { return e.PatientID == p2 }))
	check("user 12", tendo.AuditFilter{UserID: u2}, newest(100, func(e tendo.AuditEntry) bool { return e.UserID == u2 }))
	check("user 11, patient 1, limit 5", tendo.AuditFilter{UserID: u1, PatientID: p1, Limit: 5},
		newest(5, func(e tendo.AuditEntry) bool { return e.UserID == u1 && e.PatientID == p1 }))
	check("user 12, patient 1", tendo.AuditFilter{UserID: u2, PatientID: p1},
		newest(100, func(e tendo.AuditEntry) bool { return e.UserID == u2 && e.PatientID == p1 }))
	check("unknown patient", tendo.AuditFilter{PatientID: 999}, nil)

	got, err := s.AuditLog(ctx, tendo.AuditFilter{PatientID: 999})
	must(t, "audit of unknown patient", err)
	if got == nil {
		t.Errorf("audit of an unknown patient: nil, want an empty list")
	}

	// A zero At is the store's now.
	must(t, "audit without time", s.Audit(ctx, tendo.AuditEntry{UserID: 99, Actor: "user 99", Action: "timeline.read"}))
	got, err = s.AuditLog(ctx, tendo.AuditFilter{UserID: 99})
	must(t, "audit of user 99", err)
	if len(got) != 1 {
		t.Fatalf("audit of user 99: %d entries", len(got))
	}
	recent(t, "at of an entry without one", got[0].At)
}

func testAuditInvalid(t *testing.T, s tendo.Store) {
	ctx := t.Context()
	wantCode(t, "no action", s.Audit(ctx, tendo.AuditEntry{UserID: 1, Actor: "user 1"}), tendo.EINVALID)
	wantCode(t, "no actor", s.Audit(ctx, tendo.AuditEntry{Action: "patient.read"}), tendo.EINVALID)
	got, err := s.AuditLog(ctx, tendo.AuditFilter{})
	must(t, "audit log", err)
	eq(t, "entries after invalid audits", len(got), 0)
}

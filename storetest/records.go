package storetest

import (
	"testing"
	"time"

	"github.com/tendo-health/tendo"
)

// Records that can be corrected (issue 10): patients edited and deleted
// softly, assessments amended or entered in error.

func testPatientUpdate(t *testing.T, s tendo.Store) {
	ctx := t.Context()
	c := clinic(t, s, "C")
	p := patient(t, s, c.ID, "Pat Before")
	other, err := s.CreatePatient(ctx, tendo.PatientRecord{ClinicID: c.ID, Name: "Other", ExternalID: "MRN-2"})
	must(t, "create other", err)

	p.Name, p.ExternalID, p.BirthYear = "Pat After — é", "MRN-1", 1980
	must(t, "update", s.UpdatePatient(ctx, p))
	got, err := s.Patient(ctx, p.ID)
	must(t, "read back", err)
	eq(t, "updated patient", got, p)

	p.ExternalID = ""
	must(t, "clear the external ID", s.UpdatePatient(ctx, p))
	got, err = s.Patient(ctx, p.ID)
	must(t, "read back", err)
	eq(t, "external ID cleared", got.ExternalID, "")

	tests := []struct {
		name string
		p    tendo.PatientRecord
		code string
	}{
		{"another patient's external ID", func() tendo.PatientRecord { q := p; q.ExternalID = other.ExternalID; return q }(), tendo.ECONFLICT},
		{"empty name", func() tendo.PatientRecord { q := p; q.Name = " "; return q }(), tendo.EINVALID},
		{"negative birth year", func() tendo.PatientRecord { q := p; q.BirthYear = -1; return q }(), tendo.EINVALID},
		{"NUL in the name", func() tendo.PatientRecord { q := p; q.Name = "a\x00b"; return q }(), tendo.EINVALID},
		{"unknown patient", func() tendo.PatientRecord { q := p; q.ID = 987654321; return q }(), tendo.ENOTFOUND},
	}
	for _, tc := range tests {
		wantCode(t, tc.name, s.UpdatePatient(ctx, tc.p), tc.code)
	}
	got, err = s.Patient(ctx, p.ID)
	must(t, "read after the refused updates", err)
	eq(t, "patient after the refused updates", got.Name, "Pat After — é")
}

func testPatientDelete(t *testing.T, s tendo.Store) {
	ctx := t.Context()
	c := clinic(t, s, "C")
	admin := user(t, s, "admin@example.com", tendo.RoleAdmin)
	p := patient(t, s, c.ID, "Gone")
	kept := patient(t, s, c.ID, "Kept")
	visit, err := s.SaveAssessment(ctx, assessment(p, "2026-01-02"))
	must(t, "save visit", err)
	open := link(t, s, p, tendo.InstrumentNPRS, "hash-open")
	used := link(t, s, p, tendo.InstrumentVISAA, "hash-used")
	_, err = s.SubmitResponse(ctx, response(used), time.Now())
	must(t, "answer a link", err)
	keptLink := link(t, s, kept, tendo.InstrumentNPRS, "hash-kept")

	wantCode(t, "delete without a reason", s.DeletePatient(ctx, p.ID, time.Now(), admin.ID, "  "), tendo.EINVALID)
	wantCode(t, "delete an unknown patient", s.DeletePatient(ctx, 987654321, time.Now(), admin.ID, "duplicate"), tendo.ENOTFOUND)
	at := time.Now().UTC().Truncate(time.Millisecond)
	must(t, "delete", s.DeletePatient(ctx, p.ID, at, admin.ID, "duplicate of Kept"))

	_, err = s.Patient(ctx, p.ID)
	wantCode(t, "read a deleted patient", err, tendo.ENOTFOUND)
	wantCode(t, "update a deleted patient", s.UpdatePatient(ctx, p), tendo.ENOTFOUND)
	wantCode(t, "delete it again", s.DeletePatient(ctx, p.ID, at, admin.ID, "again"), tendo.ENOTFOUND)
	for _, scope := range [][]int64{nil, {c.ID}} {
		ps, err := s.Patients(ctx, scope)
		must(t, "list", err)
		if len(ps) != 1 || ps[0].ID != kept.ID {
			t.Errorf("patients of %v after the delete: %+v, want only Kept", scope, ps)
		}
	}
	// The record is kept.
	if _, err := s.Assessment(ctx, visit.ID); err != nil {
		t.Errorf("the deleted patient's visit: %v", err)
	}
	// Its unused link ends; an answered one and another patient's stay.
	l, err := s.LinkByToken(ctx, "hash-open")
	must(t, "open link", err)
	utc(t, "expiry of the unused link", l.ExpiresAt, at)
	l, err = s.LinkByToken(ctx, "hash-used")
	must(t, "used link", err)
	eq(t, "expiry of the answered link", l.ExpiresAt.Equal(used.ExpiresAt), true)
	l, err = s.LinkByToken(ctx, "hash-kept")
	must(t, "other patient's link", err)
	eq(t, "expiry of another patient's link", l.ExpiresAt.Equal(keptLink.ExpiresAt), true)
	_ = open
}

func testAssessmentSupersede(t *testing.T, s tendo.Store) {
	ctx := t.Context()
	c := clinic(t, s, "C")
	p := patient(t, s, c.ID, "Pat")
	q := patient(t, s, c.ID, "Quinn")
	save := func(p tendo.PatientRecord, date string) tendo.StoredAssessment {
		t.Helper()
		a, err := s.SaveAssessment(ctx, assessment(p, date))
		must(t, "save "+date, err)
		return a
	}
	v1, v2, v3, other := save(p, "2026-01-02"), save(p, "2026-01-02"), save(p, "2026-01-03"), save(q, "2026-01-02")

	wantCode(t, "amend without a reason", s.SupersedeAssessment(ctx, v1.ID, v2.ID, ""), tendo.EINVALID)
	must(t, "amend", s.SupersedeAssessment(ctx, v1.ID, v2.ID, "wrong side — corrected"))
	old, err := s.Assessment(ctx, v1.ID)
	must(t, "read the old version", err)
	eq(t, "old version's successor", old.SupersededBy, v2.ID)
	eq(t, "old version is no longer current", old.Current(), false)
	eq(t, "old version's input is kept", string(old.Input), string(v1.Input))
	cur, err := s.Assessment(ctx, v2.ID)
	must(t, "read the new version", err)
	eq(t, "new version amends", cur.Amends, v1.ID)
	eq(t, "new version's reason", cur.AmendReason, "wrong side — corrected")
	eq(t, "new version is current", cur.Current(), true)

	list, err := s.Assessments(ctx, p.ID)
	must(t, "list", err)
	if len(list) != 3 || list[0].SupersededBy != v2.ID || list[1].Amends != v1.ID || !list[2].Current() {
		t.Errorf("list after the amendment: %+v", list)
	}

	tests := []struct {
		name       string
		old, new   int64
		code       string
		wantReason string
	}{
		{"amend a superseded version again", v1.ID, v3.ID, tendo.ECONFLICT, ""},
		{"a version that amends another already", v3.ID, v2.ID, tendo.ECONFLICT, ""},
		{"versions of two patients", v3.ID, other.ID, tendo.EINVALID, ""},
		{"a version amending itself", v3.ID, v3.ID, tendo.EINVALID, ""},
		{"an unknown old version", 987654321, v3.ID, tendo.ENOTFOUND, ""},
		{"an unknown new version", v3.ID, 987654321, tendo.ENOTFOUND, ""},
	}
	for _, tc := range tests {
		wantCode(t, tc.name, s.SupersedeAssessment(ctx, tc.old, tc.new, "reason"), tc.code)
	}
	// A chain: v2 amended by v3.
	must(t, "amend the new version", s.SupersedeAssessment(ctx, v2.ID, v3.ID, "second correction"))
	cur, err = s.Assessment(ctx, v2.ID)
	must(t, "read v2", err)
	eq(t, "v2 keeps what it amends", cur.Amends, v1.ID)
	eq(t, "v2's successor", cur.SupersededBy, v3.ID)
}

func testAssessmentMarkError(t *testing.T, s tendo.Store) {
	ctx := t.Context()
	c := clinic(t, s, "C")
	u := user(t, s, "err@example.com", tendo.RoleClinician, c.ID)
	p := patient(t, s, c.ID, "Pat")
	a, err := s.SaveAssessment(ctx, assessment(p, "2026-01-02"))
	must(t, "save", err)

	wantCode(t, "mark without a reason", s.MarkAssessmentError(ctx, a.ID, time.Now(), u.ID, " "), tendo.EINVALID)
	wantCode(t, "mark an unknown assessment", s.MarkAssessmentError(ctx, 987654321, time.Now(), u.ID, "wrong patient"), tendo.ENOTFOUND)
	at := time.Now().UTC().Truncate(time.Millisecond)
	must(t, "mark", s.MarkAssessmentError(ctx, a.ID, at, u.ID, "wrong patient"))
	wantCode(t, "mark it again", s.MarkAssessmentError(ctx, a.ID, at, u.ID, "again"), tendo.ECONFLICT)

	got, err := s.Assessment(ctx, a.ID)
	must(t, "read", err)
	if got.ErrorAt == nil {
		t.Fatalf("marked assessment has no ErrorAt")
	}
	utc(t, "marked at", *got.ErrorAt, at)
	eq(t, "marked by", got.ErrorBy, u.ID)
	eq(t, "reason", got.ErrorReason, "wrong patient")
	eq(t, "current", got.Current(), false)
	eq(t, "input kept", string(got.Input), string(a.Input))
	list, err := s.Assessments(ctx, p.ID)
	must(t, "list", err)
	if len(list) != 1 || list[0].ErrorAt == nil || list[0].ErrorReason != "wrong patient" {
		t.Errorf("list: %+v, want the marked assessment with its mark", list)
	}
}

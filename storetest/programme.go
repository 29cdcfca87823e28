package storetest

import (
	"testing"
	"time"

	"github.com/tendo-health/tendo"
)

// Issue 10: home programmes.

func programme(t *testing.T, s tendo.Store, hash string) (tendo.PatientRecord, tendo.StoredAssessment, tendo.Programme) {
	t.Helper()
	c := clinic(t, s, "Clinic")
	p := patient(t, s, c.ID, "Ann Example")
	a, err := s.SaveAssessment(t.Context(), assessment(p, "2026-10-01"))
	must(t, "save assessment", err)
	pr, err := s.CreateProgramme(t.Context(), tendo.Programme{
		PatientID: p.ID, VisitID: a.ID, Protocol: tendo.ProtocolHSR,
		Dose:     tendo.Dose{Sets: 3, Reps: 15, LoadKg: 2.5, PerWeek: 3},
		Elements: []string{"heel-lift"}, ExpiresAt: time.Now().Add(time.Hour),
	}, hash)
	must(t, "create programme", err)
	return p, a, pr
}

func testProgrammeRoundTrip(t *testing.T, s tendo.Store) {
	p, a, pr := programme(t, s, "hash-programme-1")
	eq(t, "clinic", pr.ClinicID, p.ClinicID)
	got, err := s.ProgrammeByToken(t.Context(), "hash-programme-1")
	must(t, "by token", err)
	eq(t, "visit", got.VisitID, a.ID)
	eq(t, "dose", got.Dose, pr.Dose)
	eq(t, "elements", got.Elements, []string{"heel-lift"})
	utc(t, "expires", got.ExpiresAt, pr.ExpiresAt)
	if got.RevokedAt != nil {
		t.Errorf("a new programme is revoked at %v", got.RevokedAt)
	}
	list, err := s.Programmes(t.Context(), p.ID)
	must(t, "list", err)
	eq(t, "listed", len(list), 1)

	must(t, "revoke", s.RevokeProgramme(t.Context(), pr.ID, time.Now()))
	first, err := s.ProgrammeByToken(t.Context(), "hash-programme-1")
	must(t, "by token after revoke", err)
	if first.RevokedAt == nil {
		t.Fatal("revoked programme has no revocation time")
	}
	must(t, "revoke again", s.RevokeProgramme(t.Context(), pr.ID, time.Now().Add(time.Hour)))
	again, _ := s.ProgrammeByToken(t.Context(), "hash-programme-1")
	utc(t, "first revocation stands", *again.RevokedAt, *first.RevokedAt)
}

func testProgrammeLog(t *testing.T, s tendo.Store) {
	p, _, pr := programme(t, s, "hash-programme-2")
	three := 3
	l, err := s.LogProgramme(t.Context(), tendo.ProgrammeLog{ProgrammeID: pr.ID, Date: "2026-10-02", During: 4})
	must(t, "log", err)
	eq(t, "patient", l.PatientID, p.ID)
	// The same date again replaces the session (the morning given later).
	_, err = s.LogProgramme(t.Context(), tendo.ProgrammeLog{ProgrammeID: pr.ID, Date: "2026-10-02", During: 4, Morning: &three})
	must(t, "log the morning", err)
	_, err = s.LogProgramme(t.Context(), tendo.ProgrammeLog{ProgrammeID: pr.ID, Date: "2026-10-01", During: 1})
	must(t, "log an earlier date", err)
	ls, err := s.ProgrammeLogs(t.Context(), pr.ID)
	must(t, "logs", err)
	if len(ls) != 2 {
		t.Fatalf("logs: %+v, want 2 sessions", ls)
	}
	eq(t, "order", []string{ls[0].Date, ls[1].Date}, []string{"2026-10-01", "2026-10-02"})
	if ls[1].Morning == nil || *ls[1].Morning != 3 {
		t.Errorf("replaced session's morning: %v, want 3", ls[1].Morning)
	}
}

func testProgrammeInvalid(t *testing.T, s tendo.Store) {
	p, a, pr := programme(t, s, "hash-programme-3")
	other := patient(t, s, p.ClinicID, "Other Person")
	eleven := 11
	for _, tc := range []struct {
		name string
		err  func() error
		code string
	}{
		{"duplicate token hash", func() error {
			_, err := s.CreateProgramme(t.Context(), tendo.Programme{PatientID: p.ID, VisitID: a.ID, Protocol: "hsr", ExpiresAt: time.Now().Add(time.Hour)}, "hash-programme-3")
			return err
		}, tendo.ECONFLICT},
		{"visit of another patient", func() error {
			_, err := s.CreateProgramme(t.Context(), tendo.Programme{PatientID: other.ID, VisitID: a.ID, Protocol: "hsr", ExpiresAt: time.Now().Add(time.Hour)}, "hash-x")
			return err
		}, tendo.EINVALID},
		{"expired", func() error {
			_, err := s.CreateProgramme(t.Context(), tendo.Programme{PatientID: p.ID, VisitID: a.ID, Protocol: "hsr", ExpiresAt: time.Now().Add(-time.Hour)}, "hash-y")
			return err
		}, tendo.EINVALID},
		{"pain above 10", func() error {
			_, err := s.LogProgramme(t.Context(), tendo.ProgrammeLog{ProgrammeID: pr.ID, Date: "2026-10-02", During: 2, Morning: &eleven})
			return err
		}, tendo.EINVALID},
		{"bad date", func() error {
			_, err := s.LogProgramme(t.Context(), tendo.ProgrammeLog{ProgrammeID: pr.ID, Date: "yesterday", During: 2})
			return err
		}, tendo.EINVALID},
		{"unknown programme", func() error {
			_, err := s.LogProgramme(t.Context(), tendo.ProgrammeLog{ProgrammeID: 12345, Date: "2026-10-02", During: 2})
			return err
		}, tendo.EINVALID},
		{"revoke unknown", func() error { return s.RevokeProgramme(t.Context(), 12345, time.Now()) }, tendo.ENOTFOUND},
		{"unknown token", func() error { _, err := s.ProgrammeByToken(t.Context(), "nope"); return err }, tendo.ENOTFOUND},
	} {
		wantCode(t, tc.name, tc.err(), tc.code)
	}
}

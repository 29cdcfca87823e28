package clinic_test

import (
	"context"
	"testing"
	"time"

	"github.com/tendo-health/tendo"
	"github.com/tendo-health/tendo/clinic"
	"github.com/tendo-health/tendo/internal/dbtest"
	"github.com/tendo-health/tendo/sqlstore"
)

// planVisit stores a visit of patA whose plan offers midportion loading
// and heel lifts.
func planVisit(t *testing.T, w *world) tendo.StoredAssessment {
	t.Helper()
	st, err := w.db.SaveAssessment(context.Background(), tendo.StoredAssessment{
		PatientID: w.patA.ID, Date: "2026-11-01", Input: []byte(`{}`), ModelVersion: "fake 1", Classification: tendo.LocalTendinopathy,
		Result: []byte(`{"classification":"local-tendinopathy","plan":{"phases":[
			{"id":"settle","components":[{"id":"heel-lift"},{"id":"pain-monitoring"}]},
			{"id":"load","components":[{"id":"loading-midportion"}]}],"referral":[]}}`),
	})
	if err != nil {
		t.Fatal(err)
	}
	return st
}

func TestCreateProgramme(t *testing.T) {
	t.Parallel()
	w := newWorld(t, dbtest.SQLite(t))
	v := planVisit(t, w)
	ok := tendo.NewProgramme{PatientID: w.patA.ID, VisitID: v.ID, Protocol: tendo.ProtocolAlfredson, Elements: []string{"heel-lift"}}
	for _, tc := range []struct {
		name  string
		ctx   context.Context
		np    func(np tendo.NewProgramme) tendo.NewProgramme
		code  string
		field string
	}{
		{"clinician, start dose", w.asA, func(np tendo.NewProgramme) tendo.NewProgramme { return np }, "", ""},
		{"admin, adjusted dose", w.asAdmin, func(np tendo.NewProgramme) tendo.NewProgramme {
			np.Dose = tendo.Dose{Sets: 2, Reps: 10, LoadKg: 5, PerWeek: 7}
			return np
		}, "", ""},
		{"clinician of another clinic", w.asB, func(np tendo.NewProgramme) tendo.NewProgramme { return np }, tendo.ENOTFOUND, ""},
		{"nobody", w.anonymous, func(np tendo.NewProgramme) tendo.NewProgramme { return np }, tendo.EUNAUTHORIZED, ""},
		{"protocol not in the plan", w.asA, func(np tendo.NewProgramme) tendo.NewProgramme {
			np.Protocol = tendo.ProtocolFloorLevel
			return np
		}, tendo.EINVALID, "protocol"},
		{"unknown protocol", w.asA, func(np tendo.NewProgramme) tendo.NewProgramme { np.Protocol = "yoga"; return np }, tendo.EINVALID, "protocol"},
		{"dose out of bounds", w.asA, func(np tendo.NewProgramme) tendo.NewProgramme {
			np.Dose = tendo.Dose{Sets: 3, Reps: 15, LoadKg: 0, PerWeek: 3}
			return np
		}, tendo.EINVALID, "perWeek"},
		{"element not in the plan", w.asA, func(np tendo.NewProgramme) tendo.NewProgramme {
			np.Elements = []string{"stretching"}
			return np
		}, tendo.EINVALID, "elements"},
		{"link too long", w.asA, func(np tendo.NewProgramme) tendo.NewProgramme { np.TTL = 400 * 24 * time.Hour; return np }, tendo.EINVALID, "days"},
		{"visit of another patient", w.asA, func(np tendo.NewProgramme) tendo.NewProgramme { np.PatientID = w.patA.ID; np.VisitID = 42; return np }, tendo.ENOTFOUND, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			pr, token, err := w.svc.CreateProgramme(tc.ctx, tc.np(ok))
			if code(err) != tc.code {
				t.Fatalf("error %v, want code %q", err, tc.code)
			}
			if tc.field != "" {
				m := map[string]bool{}
				if es, isList := err.(tendo.Errors); isList {
					for _, e := range es {
						m[e.Field] = true
					}
				} else if e, isOne := err.(*tendo.Error); isOne {
					m[e.Field] = true
				}
				if !m[tc.field] {
					t.Errorf("error %v does not name field %q", err, tc.field)
				}
			}
			if tc.code == "" && (token == "" || pr.ID == 0 || pr.ExpiresAt.Sub(pr.CreatedAt.Add(tendo.DefaultProgrammeTTL)).Abs() > time.Minute) {
				t.Errorf("programme %+v, token %q: want an ID, a token and 12 weeks", pr, token)
			}
		})
	}
	if n := len(w.entries(t, tendo.ActionProgrammeCreate)); n != 2 {
		t.Errorf("%d programme.create entries, want 2", n)
	}
}

func TestProgrammeLink(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, testProgrammeLink)
}

func testProgrammeLink(t *testing.T, db *sqlstore.DB) {
	w := newWorld(t, db)
	now := time.Now().UTC()
	day := func(d int) string { return now.AddDate(0, 0, d).Format(time.DateOnly) }
	v := planVisit(t, w)
	pr, token, err := w.svc.CreateProgramme(w.asA, tendo.NewProgramme{PatientID: w.patA.ID, VisitID: v.ID, Protocol: tendo.ProtocolHSR})
	if err != nil {
		t.Fatal(err)
	}
	view, err := w.svc.OpenProgramme(w.anonymous, token)
	if err != nil {
		t.Fatal(err)
	}
	if view.FirstName != "Pat" || view.Clinic != "A" || view.Programme.ID != pr.ID {
		t.Errorf("view %+v: want first name Pat, clinic A", view)
	}
	for _, tc := range []struct {
		name, date, during, morning string
		field                       string
	}{
		{"during only", day(0), "4", "", ""},
		{"the morning added", day(0), "4", "2", ""},
		{"no pain given", day(0), "", "", "during"},
		{"pain 11", day(0), "3", "11", "morning"},
		{"future", day(7), "3", "", "date"},
		{"before the programme", day(-30), "3", "", "date"},
	} {
		_, err := w.svc.LogProgramme(w.anonymous, token, tc.date, tc.during, tc.morning)
		if tc.field == "" && err != nil {
			t.Errorf("%s: %v", tc.name, err)
		}
		if tc.field != "" {
			es, ok := err.(tendo.Errors)
			if !ok || len(es) != 1 || es[0].Field != tc.field {
				t.Errorf("%s: error %v, want one on %q", tc.name, err, tc.field)
			}
		}
	}
	_, logs, err := w.svc.FindProgrammes(w.asA, w.patA.ID)
	if err != nil {
		t.Fatal(err)
	}
	if l := logs[pr.ID]; len(l) != 1 || l[0].During != 4 || l[0].Morning == nil || *l[0].Morning != 2 {
		t.Errorf("log %+v, want one session 4 then 2", l)
	}
	if _, _, err := w.svc.FindProgrammes(w.asB, w.patA.ID); code(err) != tendo.ENOTFOUND {
		t.Errorf("other clinic lists programmes: %v", err)
	}
	if err := w.svc.RevokeProgramme(w.asB, w.patA.ID, pr.ID); code(err) != tendo.ENOTFOUND {
		t.Errorf("other clinic revokes: %v", err)
	}
	if err := w.svc.RevokeProgramme(w.asA, w.patB.ID, pr.ID); code(err) != tendo.ENOTFOUND {
		t.Errorf("revoke through another patient: %v", err)
	}
	if err := w.svc.RevokeProgramme(w.asA, w.patA.ID, pr.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := w.svc.OpenProgramme(w.anonymous, token); code(err) != tendo.ECONFLICT {
		t.Errorf("revoked programme opens: %v", err)
	}
	if _, err := w.svc.LogProgramme(w.anonymous, token, day(0), "1", ""); code(err) != tendo.ECONFLICT {
		t.Errorf("revoked programme logs: %v", err)
	}
	if _, err := w.svc.OpenProgramme(w.anonymous, "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"); code(err) != tendo.ENOTFOUND {
		t.Errorf("made-up token: %v", err)
	}
	for _, action := range []string{tendo.ActionProgrammeOpen, tendo.ActionProgrammeLog, tendo.ActionProgrammeRevoke, tendo.ActionProgrammeList} {
		if len(w.entries(t, action)) == 0 {
			t.Errorf("no %s entry", action)
		}
	}
	if es := w.entries(t, tendo.ActionProgrammeLog); es[0].Actor == "" || es[0].UserID != 0 || es[0].PatientID != w.patA.ID {
		t.Errorf("log entry %+v: want the link as actor, for patient A", es[0])
	}
}

func TestProgrammeExpires(t *testing.T) {
	t.Parallel()
	w := newWorld(t, dbtest.SQLite(t))
	now := time.Now()
	w.svc.Now = func() time.Time { return now }
	v := planVisit(t, w)
	_, token, err := w.svc.CreateProgramme(w.asA, tendo.NewProgramme{PatientID: w.patA.ID, VisitID: v.ID, Protocol: tendo.ProtocolHSR, TTL: 7 * 24 * time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	now = now.Add(7*24*time.Hour + time.Second)
	if _, err := w.svc.OpenProgramme(w.anonymous, token); code(err) != tendo.ECONFLICT {
		t.Errorf("expired programme opens: %v", err)
	}
}

func TestProgrammeLogRate(t *testing.T) {
	t.Parallel()
	w := newWorld(t, dbtest.SQLite(t))
	v := planVisit(t, w)
	_, token, err := w.svc.CreateProgramme(w.asA, tendo.NewProgramme{PatientID: w.patA.ID, VisitID: v.ID, Protocol: tendo.ProtocolHSR})
	if err != nil {
		t.Fatal(err)
	}
	today := time.Now().UTC().Format(time.DateOnly)
	for i := range clinic.MaxProgrammeLogsPerHour {
		if _, err := w.svc.LogProgramme(w.anonymous, token, today, "2", ""); err != nil {
			t.Fatalf("log %d: %v", i+1, err)
		}
	}
	if _, err := w.svc.LogProgramme(w.anonymous, token, today, "2", ""); code(err) != tendo.ETOOMANY {
		t.Errorf("log %d: %v, want ETOOMANY", clinic.MaxProgrammeLogsPerHour+1, err)
	}
	later := time.Now().Add(time.Hour + time.Minute)
	w.svc.Now = func() time.Time { return later }
	if _, err := w.svc.LogProgramme(w.anonymous, token, today, "2", ""); err != nil {
		t.Errorf("an hour later: %v", err)
	}
}

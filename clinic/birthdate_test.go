package clinic_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/tendo-health/tendo"
	"github.com/tendo-health/tendo/internal/dbtest"
	"github.com/tendo-health/tendo/sqlstore"
)

// TestBirthDate checks a patient's date of birth: kept, giving the birth
// year; refused with Field "birthDate" when it is not a date, is in the
// future, is more than 120 years ago or lies in another year than the one
// given; changed by UpdatePatient (audited by name); and a visit dated
// before it is refused.
func TestBirthDate(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		w := newWorld(t, db)
		w.svc.Now = func() time.Time { return time.Date(2026, 12, 3, 12, 0, 0, 0, time.UTC) }
		tests := []struct {
			name, date string
			year       int
			wantYear   int
			msg        string // "": saved
		}{
			{"a date gives the year", "1981-04-17", 0, 1981, ""},
			{"date and year agree", "1990-12-31", 1990, 1990, ""},
			{"today", "2026-12-03", 0, 2026, ""},
			{"not a date", "1981-02-30", 0, 0, "YYYY-MM-DD"},
			{"not ISO", "17/04/1981", 0, 0, "YYYY-MM-DD"},
			{"in the future", "2026-12-04", 0, 0, "in the future"},
			{"more than 120 years ago", "1905-06-01", 0, 0, "more than 120 years ago"},
			{"another year than the one given", "1981-04-17", 1982, 0, "not in the birth year given (1982)"},
		}
		for i, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				p, err := w.svc.CreatePatient(w.asA, tendo.NewPatient{ClinicID: w.clinA.ID, Name: "Born " + tt.name, ExternalID: "MRN-B" + itoa(int64(i)), BirthDate: tt.date, BirthYear: tt.year})
				if tt.msg != "" {
					if code(err) != tendo.EINVALID || !strings.Contains(err.Error(), "birthDate") || !strings.Contains(err.Error(), tt.msg) {
						t.Fatalf("CreatePatient(%q, %d) = %v; want EINVALID at birthDate saying %q", tt.date, tt.year, err, tt.msg)
					}
					return
				}
				if err != nil {
					t.Fatal(err)
				}
				got, err := w.svc.FindPatient(w.asA, p.ID)
				if err != nil || got.BirthDate != tt.date || got.BirthYear != tt.wantYear {
					t.Errorf("read back: %q %d, %v; want %q %d", got.BirthDate, got.BirthYear, err, tt.date, tt.wantYear)
				}
			})
		}

		p, err := w.svc.CreatePatient(w.asA, tendo.NewPatient{ClinicID: w.clinA.ID, Name: "Changes", ExternalID: "MRN-C1", BirthYear: 1980})
		if err != nil {
			t.Fatal(err)
		}
		date := "1980-06-15"
		got, err := w.svc.UpdatePatient(w.asA, p.ID, tendo.PatientChanges{BirthDate: &date})
		if err != nil || got.BirthDate != date || got.BirthYear != 1980 {
			t.Fatalf("UpdatePatient(birthDate) = %+v, %v", got, err)
		}
		es, err := db.AuditLog(context.Background(), tendo.AuditFilter{PatientID: p.ID, Action: tendo.ActionPatientUpdate, Limit: 10})
		if err != nil || len(es) == 0 || !strings.Contains(es[0].Detail, "birthDate") || strings.Contains(es[0].Detail, date) {
			t.Errorf("audit of the change: %+v, %v; want the field's name, never its value", es, err)
		}
		year := 1979
		if _, err := w.svc.UpdatePatient(w.asA, p.ID, tendo.PatientChanges{BirthYear: &year}); code(err) != tendo.EINVALID || !strings.Contains(err.Error(), "birthDate") {
			t.Errorf("a year that the kept date of birth is not in: %v; want EINVALID at birthDate", err)
		}

		v := visit(p.ID, "")
		v.Assessment = &tendo.Assessment{Schema: "tendo/assessment/v1", Date: "1980-06-14"}
		if _, _, err := w.svc.CreateVisit(w.asA, v); code(err) != tendo.EINVALID || !strings.Contains(err.Error(), "before the patient's birth (born 1980-06-15)") {
			t.Errorf("a visit the day before the birth: %v; want EINVALID at date", err)
		}
		v.Assessment.Date = "1980-06-15"
		if _, _, err := w.svc.CreateVisit(w.asA, v); err != nil {
			t.Errorf("a visit on the day of birth: %v", err)
		}
	})
}

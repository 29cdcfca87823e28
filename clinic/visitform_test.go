package clinic_test

import (
	"errors"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/tendo-health/tendo"
	"github.com/tendo-health/tendo/internal/dbtest"
	"github.com/tendo-health/tendo/sqlstore"
)

// TestVisitDateAndNote checks the visit's date against the clinic's today
// (the service's clock) and the patient's year of birth, and keeps the
// clinical note with the visit, refusing one too long (issue 10: form).
func TestVisitDateAndNote(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		w := newWorld(t, db)
		w.svc.Now = func() time.Time { return time.Date(2026, 12, 3, 23, 30, 0, 0, time.UTC) }
		p, err := w.svc.CreatePatient(w.asA, tendo.NewPatient{ClinicID: w.clinA.ID, Name: "Born 1980", BirthYear: 1980})
		if err != nil {
			t.Fatal(err)
		}
		tests := []struct {
			name, date, note string
			field, msg       string // "": saved
		}{
			{"today", "2026-12-03", "", "", ""},
			{"the first day of the year of birth", "1980-01-01", "", "", ""},
			{"tomorrow", "2026-12-04", "", "date", "is in the future (today is 2026-12-03)"},
			{"in 2031", "2031-01-01", "", "date", "is in the future"},
			{"before the year of birth", "1979-12-31", "", "date", "is before the patient's birth (born 1980)"},
			{"not a date", "2026-02-30", "", "date", "is not a date"},
			{"a note", "2026-12-01", "Hops 6/10.\nReview in 2 weeks — é", "", ""},
			{"the longest note", "2026-12-01", strings.Repeat("é", tendo.MaxNoteLength), "", ""},
			{"a note too long", "2026-12-01", strings.Repeat("a", tendo.MaxNoteLength+1), "note", "at most 10000 are kept"},
			{"a note with a control character", "2026-12-01", "bell\a", "note", "not text"},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				v := visit(p.ID, "")
				v.Assessment = &tendo.Assessment{Schema: "tendo/assessment/v1", Date: tt.date}
				v.Note = tt.note
				st, _, err := w.svc.CreateVisit(w.asA, v)
				if tt.field == "" {
					if err != nil {
						t.Fatalf("CreateVisit: %v", err)
					}
					got, err := w.svc.FindVisit(w.asA, p.ID, st.ID, false)
					if err != nil || got.Note != tt.note || got.Date != tt.date {
						t.Errorf("read back: date %q note %.40q, %v; want %q %.40q", got.Date, got.Note, err, tt.date, tt.note)
					}
					return
				}
				var e *tendo.Error
				if !errors.As(err, &e) || e.Code != tendo.EINVALID || e.Field != tt.field || !strings.Contains(e.Message, tt.msg) {
					t.Errorf("CreateVisit = %v; want EINVALID at %s saying %q", err, tt.field, tt.msg)
				}
			})
		}
	})
}

// TestStartVisit checks what a new visit starts from: nothing for a
// patient without visits or answers; then the latest visit whole, and the
// latest response of each instrument received after it; never a patient
// of another clinic; each start audited as a read.
func TestStartVisit(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		w := newWorld(t, db)
		nprs := func(v string) {
			t.Helper()
			_, tok, err := w.svc.CreateLink(w.asA, w.patA.ID, []tendo.Instrument{tendo.InstrumentNPRS}, 24*time.Hour)
			if err != nil {
				t.Fatal(err)
			}
			if _, _, err := w.svc.SubmitResponse(w.anonymous, tok, tendo.InstrumentNPRS, url.Values{"q1": {v}}); err != nil {
				t.Fatalf("NPRS %s: %v", v, err)
			}
		}
		start, err := w.svc.StartVisit(w.asA, w.patA.ID)
		if err != nil || start.Last != nil || len(start.Responses) != 0 {
			t.Fatalf("a new patient starts from %+v, %v; want nothing", start, err)
		}
		nprs("7") // before the first visit: superseded by it
		v := visit(w.patA.ID, "")
		v.Note = "first"
		older, _, err := w.svc.CreateVisit(w.asA, v)
		if err != nil {
			t.Fatal(err)
		}
		v.Assessment = &tendo.Assessment{Schema: "tendo/assessment/v1", Date: "2026-12-01", Side: ptr(tendo.SideLeft)}
		v.Input = []byte(`{"schema":"tendo/assessment/v1","date":"2026-12-01","side":"left"}`)
		last, _, err := w.svc.CreateVisit(w.asA, v)
		if err != nil {
			t.Fatal(err)
		}
		time.Sleep(10 * time.Millisecond) // the responses come after the save
		nprs("5")
		nprs("4")
		start, err = w.svc.StartVisit(w.asA, w.patA.ID)
		if err != nil {
			t.Fatal(err)
		}
		if start.Last == nil || start.Last.ID != last.ID || start.Last.ID == older.ID || string(start.Last.Input) != string(v.Input) {
			t.Errorf("last visit %+v; want %d with its input", start.Last, last.ID)
		}
		if len(start.Responses) != 1 || start.Responses[0].Instrument != tendo.InstrumentNPRS || start.Responses[0].Score != 4 {
			t.Errorf("responses %+v; want the latest NPRS, 4", start.Responses)
		}
		if _, err := w.svc.StartVisit(w.asB, w.patA.ID); code(err) != tendo.ENOTFOUND {
			t.Errorf("a clinician of another clinic: %v; want ENOTFOUND", err)
		}
		n := 0
		for _, e := range w.entries(t, tendo.ActionAssessmentRead) {
			if strings.HasPrefix(e.Detail, "start from the last visit") && e.PatientID == w.patA.ID {
				n++
			}
		}
		if n != 2 {
			t.Errorf("%d audited starts, want 2", n)
		}
	})
}

func ptr[T any](v T) *T { return &v }

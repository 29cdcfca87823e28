package clinic_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/tendo-health/tendo"
	"github.com/tendo-health/tendo/internal/dbtest"
	"github.com/tendo-health/tendo/sqlstore"
)

// issue 11: smart

const testISS = "https://ehr.example/fhir"

// fetcher returns the patient and counts its calls.
type fetcher struct {
	p     tendo.EHRPatient
	err   error
	calls atomic.Int64
}

func (f *fetcher) fetch(context.Context) (tendo.EHRPatient, error) {
	f.calls.Add(1)
	return f.p, f.err
}

func launch(clinicID int64, fhirID string, f *fetcher) tendo.EHRLaunch {
	return tendo.EHRLaunch{ClinicID: clinicID, ISS: testISS, FHIRPatientID: fhirID, Fetch: f.fetch}
}

// TestLaunchPatient creates the patient and the link at the first launch
// and finds them at the next, without reading the EHR again; both are
// audited.
func TestLaunchPatient(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		w := newWorld(t, db)
		f := &fetcher{p: tendo.EHRPatient{Name: " Alice Example ", BirthDate: "1981-04-12", MRN: "12345"}}
		p, err := w.svc.LaunchPatient(w.asA, launch(w.clinA.ID, "smart-1", f))
		if err != nil {
			t.Fatal(err)
		}
		if p.Name != "Alice Example" || p.BirthDate != "1981-04-12" || p.BirthYear != 1981 || p.ExternalID != "12345" || p.ClinicID != w.clinA.ID || p.CreatedBy != w.alice.ID {
			t.Errorf("new patient %+v", p)
		}
		again, err := w.svc.LaunchPatient(w.asA, launch(w.clinA.ID, "smart-1", f))
		if err != nil {
			t.Fatal(err)
		}
		if again.ID != p.ID {
			t.Errorf("second launch opened patient %d, want %d", again.ID, p.ID)
		}
		if n := f.calls.Load(); n != 1 {
			t.Errorf("the EHR was read %d times, want once", n)
		}
		launches := w.entries(t, tendo.ActionSMARTLaunch)
		if len(launches) != 2 {
			t.Fatalf("%d smart.launch entries, want 2", len(launches))
		}
		for i, e := range launches {
			if e.PatientID != p.ID || e.ClinicID != w.clinA.ID || e.UserID != w.alice.ID || !strings.Contains(e.Detail, testISS) || !strings.Contains(e.Detail, "smart-1") {
				t.Errorf("entry %d: %+v", i, e)
			}
		}
		if !strings.Contains(launches[0].Detail, "new tendo patient") || strings.Contains(launches[1].Detail, "new") {
			t.Errorf("details %q, %q: the first should say the patient is new, the second not", launches[0].Detail, launches[1].Detail)
		}
		if n := countFor(w.entries(t, tendo.ActionPatientCreate), p.ID); n != 1 {
			t.Errorf("%d patient.create entries, want 1", n)
		}
		if n := countFor(w.entries(t, tendo.ActionPatientRead), p.ID); n != 1 {
			t.Errorf("%d patient.read entries, want 1 (the second launch)", n)
		}
		// An admin launching the same EHR patient into clinic B gets a
		// patient of clinic B.
		b, err := w.svc.LaunchPatient(w.asAdmin, launch(w.clinB.ID, "smart-1", f))
		if err != nil {
			t.Fatal(err)
		}
		if b.ID == p.ID || b.ClinicID != w.clinB.ID {
			t.Errorf("clinic B's launch: %+v", b)
		}
	})
}

func countFor(es []tendo.AuditEntry, patientID int64) int {
	n := 0
	for _, e := range es {
		if e.PatientID == patientID {
			n++
		}
	}
	return n
}

// TestLaunchPatientRefused refuses a caller without a login, a clinic
// the clinician does not belong to, bad launch fields and bad EHR data,
// and creates nothing.
func TestLaunchPatientRefused(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		w := newWorld(t, db)
		_, err := w.svc.CreatePatient(w.asA, tendo.NewPatient{ClinicID: w.clinA.ID, Name: "Has MRN", ExternalID: "M-1"})
		if err != nil {
			t.Fatal(err)
		}
		ok := tendo.EHRPatient{Name: "X Y", BirthDate: "1990-01-01"}
		for _, tt := range []struct {
			name    string
			ctx     context.Context
			l       func(f *fetcher) tendo.EHRLaunch
			p       tendo.EHRPatient
			fetch   error
			code    string
			field   string
			fetched bool
		}{
			{"nobody", w.anonymous, func(f *fetcher) tendo.EHRLaunch { return launch(w.clinA.ID, "p", f) }, ok, nil, tendo.EUNAUTHORIZED, "", false},
			{"another clinic", w.asB, func(f *fetcher) tendo.EHRLaunch { return launch(w.clinA.ID, "p", f) }, ok, nil, tendo.ENOTFOUND, "", false},
			{"no clinic", w.asA, func(f *fetcher) tendo.EHRLaunch { return launch(0, "p", f) }, ok, nil, tendo.ENOTFOUND, "", false},
			{"not a FHIR id", w.asA, func(f *fetcher) tendo.EHRLaunch { return launch(w.clinA.ID, "a/b", f) }, ok, nil, tendo.EINVALID, "fhirPatientId", false},
			{"FHIR id too long", w.asA, func(f *fetcher) tendo.EHRLaunch { return launch(w.clinA.ID, strings.Repeat("a", 65), f) }, ok, nil, tendo.EINVALID, "fhirPatientId", false},
			{"no iss", w.asA, func(f *fetcher) tendo.EHRLaunch { l := launch(w.clinA.ID, "p", f); l.ISS = ""; return l }, ok, nil, tendo.EINVALID, "iss", false},
			{"the EHR fails", w.asA, func(f *fetcher) tendo.EHRLaunch { return launch(w.clinA.ID, "p", f) }, ok, tendo.Errorf(tendo.EINTERNAL, "down"), tendo.EINTERNAL, "", true},
			{"no name", w.asA, func(f *fetcher) tendo.EHRLaunch { return launch(w.clinA.ID, "p", f) }, tendo.EHRPatient{Name: " "}, nil, tendo.EINVALID, "name", true},
			{"born in the future", w.asA, func(f *fetcher) tendo.EHRLaunch { return launch(w.clinA.ID, "p", f) }, tendo.EHRPatient{Name: "X", BirthDate: "2999-01-01"}, nil, tendo.EINVALID, "birthDate", true},
			{"an MRN another patient has", w.asA, func(f *fetcher) tendo.EHRLaunch { return launch(w.clinA.ID, "p", f) }, tendo.EHRPatient{Name: "X", MRN: "M-1"}, nil, tendo.ECONFLICT, "", true},
		} {
			t.Run(tt.name, func(t *testing.T) {
				f := &fetcher{p: tt.p, err: tt.fetch}
				_, err := w.svc.LaunchPatient(tt.ctx, tt.l(f))
				if code(err) != tt.code {
					t.Fatalf("error %v (code %q), want %q", err, code(err), tt.code)
				}
				var te *tendo.Error
				if tt.field != "" && (!errors.As(err, &te) || te.Field != tt.field) {
					t.Errorf("error %v does not name %q", err, tt.field)
				}
				if got := f.calls.Load() > 0; got != tt.fetched {
					t.Errorf("EHR read: %v, want %v", got, tt.fetched)
				}
				if _, err := db.EHRLink(context.Background(), w.clinA.ID, testISS, "p"); code(err) != tendo.ENOTFOUND {
					t.Errorf("a link was made: %v", err)
				}
			})
		}
		if n := len(w.entries(t, tendo.ActionSMARTLaunch)); n != 0 {
			t.Errorf("%d refused launches audited as launches", n)
		}
		denied := w.entries(t, tendo.ActionDenied)
		found := false
		for _, e := range denied {
			found = found || (e.UserID == w.bob.ID && strings.Contains(e.Detail, "SMART launch"))
		}
		if !found {
			t.Error("the launch into another clinic was not audited as a denial")
		}
		ps, err := db.Patients(context.Background(), []int64{w.clinA.ID})
		if err != nil {
			t.Fatal(err)
		}
		if len(ps) != 2 { // Pat A and Has MRN
			t.Errorf("clinic A has %d patients, want 2: a refused launch created one", len(ps))
		}
	})
}

// TestLaunchPatientDeleted: a link to a patient since deleted opens
// nothing.
func TestLaunchPatientDeleted(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		w := newWorld(t, db)
		f := &fetcher{p: tendo.EHRPatient{Name: "Gone"}}
		p, err := w.svc.LaunchPatient(w.asA, launch(w.clinA.ID, "gone", f))
		if err != nil {
			t.Fatal(err)
		}
		if err := w.svc.DeletePatient(w.asAdmin, p.ID, "duplicate"); err != nil {
			t.Fatal(err)
		}
		_, err = w.svc.LaunchPatient(w.asA, launch(w.clinA.ID, "gone", f))
		if code(err) != tendo.ENOTFOUND {
			t.Fatalf("error %v, want not found", err)
		}
	})
}

// TestLaunchPatientConcurrent: launches of one new EHR patient at once
// make one tendo patient and one link; every launch opens it.
func TestLaunchPatientConcurrent(t *testing.T) {
	t.Parallel()
	for _, mrn := range []string{"", "MRN-7"} {
		t.Run("MRN="+mrn, func(t *testing.T) {
			t.Parallel()
			launchConcurrently(t, mrn)
		})
	}
}

// launchConcurrently launches one new EHR patient several times at once.
func launchConcurrently(t *testing.T, mrn string) {
	dbtest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		w := newWorld(t, db)
		f := &fetcher{p: tendo.EHRPatient{Name: "Con Current", MRN: mrn}}
		const n = 6
		ids := make(chan int64, n)
		errs := make(chan error, n)
		var wg sync.WaitGroup
		for range n {
			wg.Go(func() {
				p, err := w.svc.LaunchPatient(w.asA, launch(w.clinA.ID, "same", f))
				if err != nil {
					errs <- err
					return
				}
				ids <- p.ID
			})
		}
		wg.Wait()
		close(ids)
		close(errs)
		for err := range errs {
			t.Errorf("MRN %q: a concurrent launch failed: %v", mrn, err)
		}
		var first int64
		for id := range ids {
			if first == 0 {
				first = id
			} else if id != first {
				t.Errorf("MRN %q: launches opened patients %d and %d", mrn, first, id)
			}
		}
		ps, err := db.Patients(context.Background(), []int64{w.clinA.ID})
		if err != nil {
			t.Fatal(err)
		}
		if len(ps) != 2 { // Pat A and the launched one
			t.Errorf("MRN %q: clinic A has %d patients, want 2", mrn, len(ps))
		}
	})
}

// end issue 11: smart

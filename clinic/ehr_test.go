package clinic_test

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"github.com/tendo-health/tendo"
	"github.com/tendo-health/tendo/internal/dbtest"
	"github.com/tendo-health/tendo/sqlstore"
)

// Issue 11: the EHR interface.

func TestExportPatient(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		w := newWorld(t, db)
		first, _, err := w.svc.CreateVisit(w.asA, visit(w.patA.ID, ""))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.svc.MarkVisitError(w.asA, w.patA.ID, first.ID, "wrong patient"); err != nil {
			t.Fatal(err)
		}
		kept, _, err := w.svc.CreateVisit(w.asA, visit(w.patA.ID, ""))
		if err != nil {
			t.Fatal(err)
		}
		tests := []struct {
			name   string
			ctx    context.Context
			code   string
			visits int
		}{
			{"ClinicianOfTheClinic", w.asA, "", 1},
			{"Admin", w.asAdmin, "", 1},
			{"System", w.system, "", 1},
			{"OtherClinic", w.asB, tendo.ENOTFOUND, 0},
			{"Nobody", w.anonymous, tendo.EUNAUTHORIZED, 0},
		}
		for _, tc := range tests {
			before := len(w.entries(t, tendo.ActionFHIRExport))
			x, err := w.svc.ExportPatient(tc.ctx, w.patA.ID)
			if code(err) != tc.code && !(tc.code == "" && err == nil) {
				t.Errorf("%s: error %v, want code %q", tc.name, err, tc.code)
				continue
			}
			after := w.entries(t, tendo.ActionFHIRExport)
			if tc.code != "" {
				if len(after) != before {
					t.Errorf("%s: a refused export was audited as an export", tc.name)
				}
				continue
			}
			if len(x.Visits) != tc.visits || x.Visits[0].ID != kept.ID || len(x.Visits[0].Input) == 0 || len(x.Visits[0].Result) == 0 {
				t.Errorf("%s: visits %+v, want the current one whole", tc.name, x.Visits)
			}
			if x.Patient.ID != w.patA.ID {
				t.Errorf("%s: patient %d", tc.name, x.Patient.ID)
			}
			if len(after) != before+1 || after[len(after)-1].PatientID != w.patA.ID {
				t.Errorf("%s: audit %+v, want one more fhir.export of the patient", tc.name, after)
			}
		}
	})
}

func TestExportPatients(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		w := newWorld(t, db)
		tests := []struct {
			name     string
			ctx      context.Context
			code     string
			patients []int64
		}{
			{"Clinician", w.asA, "", []int64{w.patA.ID}},
			{"OtherClinician", w.asB, "", []int64{w.patB.ID}},
			{"Admin", w.asAdmin, "", nil}, // both, by name
			{"Nobody", w.anonymous, tendo.EUNAUTHORIZED, nil},
		}
		for _, tc := range tests {
			xs, err := w.svc.ExportPatients(tc.ctx)
			if code(err) != tc.code && !(tc.code == "" && err == nil) {
				t.Errorf("%s: error %v, want code %q", tc.name, err, tc.code)
				continue
			}
			if tc.code != "" {
				continue
			}
			var got []int64
			for _, x := range xs {
				got = append(got, x.Patient.ID)
			}
			want := tc.patients
			if want == nil {
				want = []int64{w.patA.ID, w.patB.ID}
			}
			if len(got) != len(want) || got[0] != want[0] || got[len(got)-1] != want[len(want)-1] {
				t.Errorf("%s: patients %v, want %v", tc.name, got, want)
			}
			es := w.entries(t, tendo.ActionFHIRExport)
			last := es[len(es)-1]
			for _, id := range want {
				if !strings.Contains(last.Detail, strconv.FormatInt(id, 10)) {
					t.Errorf("%s: audit detail %q does not list patient %d", tc.name, last.Detail, id)
				}
			}
		}
	})
}

func TestRecordImport(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		w := newWorld(t, db)
		tests := []struct {
			name      string
			ctx       context.Context
			patient   int64
			mapped    int
			code      string
			wantEntry string
		}{
			{"ForPatient", w.asA, w.patA.ID, 12, "", "draft: 12 mapped, 3 unmapped"},
			{"ForNoPatient", w.asB, 0, 12, "", "draft: 12 mapped, 3 unmapped"},
			{"OtherClinic", w.asB, w.patA.ID, 12, tendo.ENOTFOUND, ""},
			{"Negative", w.asA, w.patA.ID, -1, tendo.EINVALID, ""},
			{"System", w.system, 0, 12, tendo.EUNAUTHORIZED, ""},
			{"Nobody", w.anonymous, 0, 12, tendo.EUNAUTHORIZED, ""},
		}
		for _, tc := range tests {
			before := len(w.entries(t, tendo.ActionFHIRImport))
			err := w.svc.RecordImport(tc.ctx, tc.patient, tc.mapped, 3)
			if code(err) != tc.code && !(tc.code == "" && err == nil) {
				t.Errorf("%s: error %v, want code %q", tc.name, err, tc.code)
				continue
			}
			es := w.entries(t, tendo.ActionFHIRImport)
			if tc.code != "" {
				if len(es) != before {
					t.Errorf("%s: a refused import was audited", tc.name)
				}
				continue
			}
			if len(es) != before+1 || es[len(es)-1].Detail != tc.wantEntry || es[len(es)-1].PatientID != tc.patient {
				t.Errorf("%s: entries %+v, want a last one %q for patient %d", tc.name, es, tc.wantEntry, tc.patient)
			}
		}
	})
}

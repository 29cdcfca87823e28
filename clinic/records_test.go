package clinic_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/tendo-health/tendo"
	"github.com/tendo-health/tendo/internal/dbtest"
	"github.com/tendo-health/tendo/sqlstore"
)

// Issue 10: records that can be corrected, with an audit trail.

func strp(s string) *string { return &s }
func intp(i int) *int       { return &i }

func TestUpdatePatient(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		w := newWorld(t, db)
		_, err := w.svc.CreatePatient(w.asA, tendo.NewPatient{ClinicID: w.clinA.ID, Name: "Other", ExternalID: "MRN-9"})
		if err != nil {
			t.Fatal(err)
		}
		tests := []struct {
			name      string
			ctx       context.Context
			changes   tendo.PatientChanges
			code      string
			field     string // of the error
			wantAudit string // the entry's detail
		}{
			{"name and year", w.asA, tendo.PatientChanges{Name: strp(" Pat Renamed "), BirthYear: intp(1979)}, "", "", "changed: name, birthYear"},
			{"same values: no change", w.asA, tendo.PatientChanges{Name: strp("Pat Renamed"), ExternalID: strp("")}, "", "", "no change"},
			{"identifier, by the admin", w.asAdmin, tendo.PatientChanges{ExternalID: strp("MRN-1")}, "", "", "changed: externalId"},
			{"empty name", w.asA, tendo.PatientChanges{Name: strp("  ")}, tendo.EINVALID, "name", ""},
			{"year in the future", w.asA, tendo.PatientChanges{BirthYear: intp(3000)}, tendo.EINVALID, "birthYear", ""},
			{"long identifier", w.asA, tendo.PatientChanges{ExternalID: strp(strings.Repeat("x", 101))}, tendo.EINVALID, "externalId", ""},
			{"another patient's identifier", w.asA, tendo.PatientChanges{ExternalID: strp("MRN-9")}, tendo.ECONFLICT, "externalId", ""},
			{"other clinic", w.asB, tendo.PatientChanges{Name: strp("Stolen")}, tendo.ENOTFOUND, "", ""},
			{"nobody", w.anonymous, tendo.PatientChanges{Name: strp("Anon")}, tendo.EUNAUTHORIZED, "", ""},
		}
		for _, tc := range tests {
			before := len(w.entries(t, tendo.ActionPatientUpdate))
			p, err := w.svc.UpdatePatient(tc.ctx, w.patA.ID, tc.changes)
			if code(err) != tc.code && !(tc.code == "" && err == nil) {
				t.Errorf("%s: error %v, want code %q", tc.name, err, tc.code)
				continue
			}
			es := w.entries(t, tendo.ActionPatientUpdate)
			if tc.code != "" {
				var te *tendo.Error
				if tc.field != "" && (!asTendoError(err, &te) || te.Field != tc.field) {
					t.Errorf("%s: error %v, want one naming the field %q", tc.name, err, tc.field)
				}
				if len(es) != before {
					t.Errorf("%s: a refused update was audited as an update", tc.name)
				}
				continue
			}
			if len(es) != before+1 || es[len(es)-1].Detail != tc.wantAudit || es[len(es)-1].PatientID != w.patA.ID {
				t.Errorf("%s: audit entries %+v, want a last one with %q", tc.name, es, tc.wantAudit)
			}
			if p.ID != w.patA.ID {
				t.Errorf("%s: returned patient %d", tc.name, p.ID)
			}
		}
		p, err := w.svc.FindPatient(w.asA, w.patA.ID)
		if err != nil {
			t.Fatal(err)
		}
		if p.Name != "Pat Renamed" || p.BirthYear != 1979 || p.ExternalID != "MRN-1" {
			t.Errorf("patient after the updates: %+v", p)
		}
		for _, e := range w.entries(t, tendo.ActionPatientUpdate) {
			if strings.Contains(e.Detail, "Renamed") || strings.Contains(e.Detail, "1979") || strings.Contains(e.Detail, "MRN") {
				t.Errorf("an update's audit entry shows a value: %q", e.Detail)
			}
		}
	})
}

// asTendoError finds the first *tendo.Error in err (an Errors holds
// several).
func asTendoError(err error, te **tendo.Error) bool {
	var es tendo.Errors
	if errors.As(err, &es) && len(es) > 0 {
		*te = es[0]
		return true
	}
	return errors.As(err, te)
}

func TestDeletePatient(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		w := newWorld(t, db)
		tests := []struct {
			name   string
			ctx    context.Context
			reason string
			code   string
		}{
			{"the patient's clinician", w.asA, "duplicate", tendo.EFORBIDDEN},
			{"nobody", w.anonymous, "duplicate", tendo.EUNAUTHORIZED},
			{"admin without a reason", w.asAdmin, " ", tendo.EINVALID},
			{"admin with a long reason", w.asAdmin, strings.Repeat("é", tendo.MaxReasonLength+1), tendo.EINVALID},
			{"admin", w.asAdmin, "duplicate of patient 12", ""},
			{"admin again", w.asAdmin, "duplicate", tendo.ENOTFOUND},
		}
		for _, tc := range tests {
			err := w.svc.DeletePatient(tc.ctx, w.patA.ID, tc.reason)
			if code(err) != tc.code && !(tc.code == "" && err == nil) {
				t.Errorf("%s: error %v, want code %q", tc.name, err, tc.code)
			}
		}
		es := w.entries(t, tendo.ActionPatientDelete)
		if len(es) != 1 || es[0].Detail != "reason: duplicate of patient 12" || es[0].UserID != w.admin.ID || es[0].PatientID != w.patA.ID {
			t.Errorf("delete entries: %+v", es)
		}
		if _, err := w.svc.FindPatient(w.asAdmin, w.patA.ID); code(err) != tendo.ENOTFOUND {
			t.Errorf("find a deleted patient: %v, want not found", err)
		}
		ps, err := w.svc.FindPatients(w.asAdmin)
		if err != nil {
			t.Fatal(err)
		}
		if len(ps) != 1 || ps[0].ID != w.patB.ID {
			t.Errorf("patients after the delete: %+v", ps)
		}
	})
}

func TestAmendAndErrorVisits(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		w := newWorld(t, db)
		first, _, err := w.svc.CreateVisit(w.asA, visit(w.patA.ID, ""))
		if err != nil {
			t.Fatal(err)
		}
		other, _, err := w.svc.CreateVisit(w.asA, visit(w.patA.ID, ""))
		if err != nil {
			t.Fatal(err)
		}
		calls := w.as.calls.Load()

		// Refusals first: nothing changes.
		refusals := []struct {
			name   string
			ctx    context.Context
			reason string
			code   string
		}{
			{"no reason", w.asA, "", tendo.EINVALID},
			{"a reason with a control character", w.asA, "bad\x00", tendo.EINVALID},
			{"other clinic", w.asB, "typo", tendo.ENOTFOUND},
			{"nobody", w.anonymous, "typo", tendo.EUNAUTHORIZED},
		}
		for _, tc := range refusals {
			if _, _, err := w.svc.AmendVisit(tc.ctx, first.ID, visit(w.patA.ID, ""), tc.reason); code(err) != tc.code {
				t.Errorf("amend, %s: %v, want code %q", tc.name, err, tc.code)
			}
			if _, err := w.svc.MarkVisitError(tc.ctx, w.patA.ID, other.ID, tc.reason); code(err) != tc.code {
				t.Errorf("mark in error, %s: %v, want code %q", tc.name, err, tc.code)
			}
		}
		if n := w.as.calls.Load(); n != calls {
			t.Errorf("refused amendments ran the assessor %d times", n-calls)
		}

		// The amendment runs the assessment again and keeps the old one.
		v := visit(w.patA.ID, "")
		v.Assessment.Date = "2026-11-29"
		amended, replayed, err := w.svc.AmendVisit(w.asA, first.ID, v, "  wrong date  ")
		if err != nil || replayed {
			t.Fatalf("amend: %v (replayed %v)", err, replayed)
		}
		if w.as.calls.Load() != calls+1 {
			t.Errorf("the amendment did not run the assessor")
		}
		if amended.Amends != first.ID || amended.AmendReason != "wrong date" || amended.Date != "2026-11-29" {
			t.Errorf("amended: %+v", amended)
		}
		old, err := w.svc.FindVisit(w.asA, w.patA.ID, first.ID, false)
		if err != nil || old.SupersededBy != amended.ID {
			t.Errorf("old version: %+v, %v", old, err)
		}
		es := w.entries(t, tendo.ActionAssessmentAmend)
		if len(es) != 1 || !strings.Contains(es[0].Detail, "reason: wrong date") || es[0].PatientID != w.patA.ID {
			t.Errorf("amend entries: %+v", es)
		}
		if _, _, err := w.svc.AmendVisit(w.asAdmin, first.ID, visit(w.patA.ID, ""), "again"); code(err) != tendo.ECONFLICT {
			t.Errorf("amend the old version again: %v, want a conflict", err)
		}

		// Entered in error.
		marked, err := w.svc.MarkVisitError(w.asAdmin, w.patA.ID, other.ID, "wrong patient")
		if err != nil || marked.ErrorAt == nil || marked.ErrorReason != "wrong patient" || marked.ErrorBy != w.admin.ID {
			t.Fatalf("mark: %+v, %v", marked, err)
		}
		if _, err := w.svc.MarkVisitError(w.asA, w.patA.ID, other.ID, "again"); code(err) != tendo.ECONFLICT {
			t.Errorf("mark again: %v, want a conflict", err)
		}
		if _, _, err := w.svc.AmendVisit(w.asA, other.ID, visit(w.patA.ID, ""), "fix"); code(err) != tendo.ECONFLICT {
			t.Errorf("amend a visit entered in error: %v, want a conflict", err)
		}
		if _, err := w.svc.MarkVisitError(w.asA, w.patA.ID, first.ID, "old"); code(err) != tendo.ECONFLICT {
			t.Errorf("mark an amended version: %v, want a conflict", err)
		}
		if es := w.entries(t, tendo.ActionAssessmentError); len(es) != 1 || es[0].Detail != fmt.Sprintf("assessment %d; reason: wrong patient", other.ID) {
			t.Errorf("error entries: %+v", es)
		}

		// The lists and the timeline hold the latest version only.
		vs, err := w.svc.FindVisits(w.asA, w.patA.ID)
		if err != nil || len(vs) != 1 || vs[0].ID != amended.ID {
			t.Errorf("visits: %+v, %v; want only the amendment", vs, err)
		}
		tl, err := w.svc.FindTimeline(w.asA, w.patA.ID)
		if err != nil || len(tl.Assessments) != 1 || tl.Assessments[0].ID != amended.ID || len(tl.Corrected) != 2 {
			t.Errorf("timeline: %+v, %v", tl, err)
		}
		// Each stays readable on its own.
		for _, id := range []int64{first.ID, other.ID} {
			if _, err := w.svc.FindVisit(w.asA, w.patA.ID, id, false); err != nil {
				t.Errorf("read corrected visit %d: %v", id, err)
			}
		}
	})
}

// TestApplyGaitTrialToCorrectedVisit: a trial of a visit amended or
// entered in error since cannot bring that visit back as a new one.
func TestApplyGaitTrialToCorrectedVisit(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		w, _, v := gaitWorld(t, db)
		amended, err := w.svc.UploadGaitTrial(w.asA, newTrial(w.patA.ID, v.ID))
		if err != nil {
			t.Fatal(err)
		}
		other := gaitVisit(t, w)
		marked, err := w.svc.UploadGaitTrial(w.asA, newTrial(w.patA.ID, other.ID))
		if err != nil {
			t.Fatal(err)
		}
		if _, _, err := w.svc.AmendVisit(w.asA, v.ID, visit(w.patA.ID, ""), "wrong date"); err != nil {
			t.Fatal(err)
		}
		if _, err := w.svc.MarkVisitError(w.asA, w.patA.ID, other.ID, "wrong patient"); err != nil {
			t.Fatal(err)
		}
		for _, tc := range []struct {
			name  string
			trial int64
		}{{"amended", amended.ID}, {"entered in error", marked.ID}} {
			if _, err := w.svc.ApplyGaitTrial(w.asA, w.patA.ID, tc.trial); code(err) != tendo.ECONFLICT {
				t.Errorf("apply a trial of a visit %s: %v, want a conflict", tc.name, err)
			}
		}
		if vs, err := w.svc.FindVisits(w.asA, w.patA.ID); err != nil || len(vs) != 1 {
			t.Errorf("visits after the refused applications: %d, %v; want the amendment only", len(vs), err)
		}
	})
}

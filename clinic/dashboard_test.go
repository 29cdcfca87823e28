package clinic_test

// issue 10: safety. The dashboard's list on both databases.

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/tendo-health/tendo"
	"github.com/tendo-health/tendo/internal/dbtest"
	"github.com/tendo-health/tendo/sqlstore"
)

func num64(v float64) *float64 { return &v }

// saveVisit stores a visit of p directly (the fake assessor raises no
// flags), with the given red flags and scores.
func saveVisit(t *testing.T, db *sqlstore.DB, p tendo.PatientRecord, date string, class tendo.Classification, flags []tendo.RedFlagMark, visaA, odi *float64) {
	t.Helper()
	_, err := db.SaveAssessment(context.Background(), tendo.StoredAssessment{
		PatientID: p.ID, ClinicID: p.ClinicID, Date: date, Input: []byte(`{}`), Result: []byte(`{}`),
		ModelVersion: "fake 1", Classification: class, RedFlags: flags, VISAA: visaA, ODI: odi,
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestPatientSummaries(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		w := newWorld(t, db)
		ctx := context.Background()
		now := time.Date(2026, 12, 3, 9, 0, 0, 0, time.UTC)
		w.svc.Now = func() time.Time { return now }
		ces := []tendo.RedFlagMark{{Code: "cauda-equina-syndrome", Urgency: tendo.Emergency}, {Code: "fluoroquinolone-tendon-risk", Urgency: tendo.Soon}}
		// Pat A: improved on ODI, not on VISA-A, over 13 weeks; the last
		// visit raised cauda equina.
		saveVisit(t, db, w.patA, "2026-08-01", tendo.LocalTendinopathy, nil, num64(40), num64(30))
		saveVisit(t, db, w.patA, "2026-11-01", tendo.UrgentReferral, ces, num64(50), num64(15))
		// Zoë Ärnström, MRN-77: one visit, two links waiting, one used,
		// one expired.
		zoe, err := w.svc.CreatePatient(w.asA, tendo.NewPatient{ClinicID: w.clinA.ID, Name: "Zoë Ärnström", ExternalID: "MRN-77"})
		if err != nil {
			t.Fatal(err)
		}
		saveVisit(t, db, zoe, "2026-12-01", tendo.Mixed, nil, num64(60), nil)
		for i, exp := range []time.Duration{time.Hour, 48 * time.Hour, 72 * time.Hour} {
			l, err := db.CreateLink(ctx, tendo.QuestionnaireLink{PatientID: zoe.ID, ClinicID: zoe.ClinicID, Instrument: tendo.InstrumentVISAA, ExpiresAt: time.Now().Add(exp)}, fmt.Sprintf("hash-%d", i))
			if err != nil {
				t.Fatal(err)
			}
			if i == 2 {
				if _, err := db.SubmitResponse(ctx, tendo.QuestionnaireResponse{PatientID: zoe.ID, ClinicID: zoe.ClinicID, LinkID: l.ID, Instrument: tendo.InstrumentVISAA, Answers: []byte(`{}`), Band: "x"}, time.Now()); err != nil {
					t.Fatal(err)
				}
			}
		}
		// The first link has expired by now+2h on the service's clock.
		now = time.Now().Add(2 * time.Hour)
		// A patient whose name holds LIKE's wildcards.
		odd, err := w.svc.CreatePatient(w.asA, tendo.NewPatient{ClinicID: w.clinA.ID, Name: "100%_sure"})
		if err != nil {
			t.Fatal(err)
		}

		tests := []struct {
			name     string
			ctx      context.Context
			q        tendo.PatientQuery
			want     []int64
			wantMore bool
			wantCode string
		}{
			{"clinician sees their clinic, by name", w.asA, tendo.PatientQuery{}, []int64{odd.ID, w.patA.ID, zoe.ID}, false, ""},
			{"other clinic", w.asB, tendo.PatientQuery{}, []int64{w.patB.ID}, false, ""},
			{"admin sees every clinic", w.asAdmin, tendo.PatientQuery{}, []int64{odd.ID, w.patA.ID, w.patB.ID, zoe.ID}, false, ""},
			{"search by part of the name, any case", w.asA, tendo.PatientQuery{Search: "  zoË "}, []int64{zoe.ID}, false, ""},
			{"search by identifier", w.asA, tendo.PatientQuery{Search: "mrn-7"}, []int64{zoe.ID}, false, ""},
			{"wildcards are literal", w.asA, tendo.PatientQuery{Search: "%_"}, []int64{odd.ID}, false, ""},
			{"underscore alone is literal", w.asA, tendo.PatientQuery{Search: "_"}, []int64{odd.ID}, false, ""},
			{"search never crosses clinics", w.asB, tendo.PatientQuery{Search: "pat a"}, nil, false, ""},
			{"limit", w.asA, tendo.PatientQuery{Limit: 2}, []int64{odd.ID, w.patA.ID}, true, ""},
			{"search too long", w.asA, tendo.PatientQuery{Search: strings.Repeat("x", tendo.MaxPatientSearch+1)}, nil, false, tendo.EINVALID},
			{"limit too large", w.asA, tendo.PatientQuery{Limit: tendo.MaxDashboardLimit + 1}, nil, false, tendo.EINVALID},
			{"nobody", w.anonymous, tendo.PatientQuery{}, nil, false, tendo.EUNAUTHORIZED},
		}
		for _, tt := range tests {
			got, err := w.svc.FindPatientSummaries(tt.ctx, tt.q)
			if code(err) != tt.wantCode {
				t.Errorf("%s: %v, want code %q", tt.name, err, tt.wantCode)
				continue
			}
			var ids []int64
			for _, p := range got.Patients {
				ids = append(ids, p.ID)
			}
			if fmt.Sprint(ids) != fmt.Sprint(tt.want) || got.More != tt.wantMore {
				t.Errorf("%s: %v more=%v, want %v more=%v", tt.name, ids, got.More, tt.want, tt.wantMore)
			}
		}

		got, err := w.svc.FindPatientSummaries(w.asA, tendo.PatientQuery{})
		if err != nil {
			t.Fatal(err)
		}
		by := map[int64]tendo.PatientSummary{}
		for _, p := range got.Patients {
			by[p.ID] = p
		}
		a := by[w.patA.ID]
		if a.Visits != 2 || a.LastVisit != "2026-11-01" || a.Classification != tendo.UrgentReferral || fmt.Sprint(a.RedFlags) != fmt.Sprint(ces) || !a.Urgent() {
			t.Errorf("Pat A: %+v", a)
		}
		if fmt.Sprint(a.NotImproved) != "[VISA-A]" {
			t.Errorf("Pat A not improved: %v, want [VISA-A] (VISA-A +10 < 14; ODI −15 ≥ 10)", a.NotImproved)
		}
		if z := by[zoe.ID]; z.OpenLinks != 1 || z.Visits != 1 || z.Urgent() || z.NotImproved != nil || z.First.Date != "2026-12-01" {
			t.Errorf("Zoë: %+v, want 1 open link (one used, one expired)", z)
		}
		if o := by[odd.ID]; o.Visits != 0 || o.LastVisitID != 0 || o.RedFlags != nil {
			t.Errorf("a patient without visits: %+v", o)
		}
		// The list is audited with the search and the IDs shown.
		lists := w.entries(t, tendo.ActionPatientList)
		var found bool
		for _, e := range lists {
			if e.UserID == w.alice.ID && strings.Contains(e.Detail, `search "zoË"`) && strings.Contains(e.Detail, fmt.Sprint(zoe.ID)) && !strings.Contains(e.Detail, fmt.Sprint(w.patA.ID)) {
				found = true
			}
		}
		if !found {
			t.Errorf("no audit entry for the search listing Zoë alone: %+v", lists)
		}
		// A visit's red flags come back with the visit.
		vs, err := w.svc.FindVisits(w.asA, w.patA.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(vs) != 2 || vs[0].RedFlags != nil || fmt.Sprint(vs[1].RedFlags) != fmt.Sprint(ces) {
			t.Errorf("visits' red flags: %+v", vs)
		}
	})
}

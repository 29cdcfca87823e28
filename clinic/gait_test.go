package clinic_test

import (
	"context"
	"encoding/json"
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/tendo-health/tendo"
	"github.com/tendo-health/tendo/clinic"
	"github.com/tendo-health/tendo/internal/dbtest"
	"github.com/tendo-health/tendo/sqlstore"
)

// fakeGait returns a fixed report (evidence: every instrumented value
// but the pelvic rotation), or err, or panics.
type fakeGait struct {
	err      error
	panics   bool
	evidence *tendo.Gait // replaces the default evidence
}

func f64(v float64) *float64 { return &v }

func (f *fakeGait) AnalyzeGait(name string, data []byte, massKg float64, side string) (*tendo.GaitReport, error) {
	if f.panics {
		panic("index out of range")
	}
	if f.err != nil {
		return nil, f.err
	}
	ev := tendo.Gait{
		CadenceStepsPerMin: f64(104), StanceTimeAsymmetryPct: f64(7.5),
		PeakAnklePlantarflexorMomentNmPerKg: f64(1.1), PeakAchillesForceBW: f64(4.2),
	}
	if f.evidence != nil {
		ev = *f.evidence
	}
	return &tendo.GaitReport{
		File: name, Format: "c3d", BodyMassKg: massKg, MassFrom: "given",
		Metrics: []tendo.GaitMetric{{Key: "cadenceStepsPerMin", Label: "Cadence", Value: f64(104), Unit: "steps/min",
			Normal: &tendo.GaitBand{Low: 100, High: 130, Source: "test"}}},
		Evidence: ev, EvidenceSide: side,
	}, nil
}

// gaitVisit saves a visit of patient A whose input has an observed gait
// section and an instrumented value the trial will replace, and one that
// it has no value for (which is removed).
func gaitVisit(t *testing.T, w *world) tendo.StoredAssessment {
	t.Helper()
	input := `{"schema":"tendo/assessment/v1","date":"2026-10-15","gait":{"source":"observed","antalgic":true,"trunkLean":false,"cadenceStepsPerMin":90,"pelvicRotationRangeDeg":12}}`
	var a tendo.Assessment
	if err := json.Unmarshal([]byte(input), &a); err != nil {
		t.Fatal(err)
	}
	st, _, err := w.svc.CreateVisit(w.asA, tendo.NewVisit{PatientID: w.patA.ID, Assessment: &a, Input: []byte(input)})
	if err != nil {
		t.Fatal(err)
	}
	return st
}

func gaitWorld(t *testing.T, db *sqlstore.DB) (*world, *fakeGait, tendo.StoredAssessment) {
	w := newWorld(t, db)
	g := &fakeGait{}
	w.svc.GaitAnalyzer = g
	return w, g, gaitVisit(t, w)
}

func newTrial(pid, vid int64) tendo.NewGaitTrial {
	return tendo.NewGaitTrial{PatientID: pid, VisitID: vid, File: "walk.c3d", Data: []byte("C3D data"), Side: "left"}
}

func TestGaitTrialAccess(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		w, _, v := gaitWorld(t, db)
		vB, _, err := w.svc.CreateVisit(w.asB, visit(w.patB.ID, ""))
		if err != nil {
			t.Fatal(err)
		}
		tr, err := w.svc.UploadGaitTrial(w.asA, newTrial(w.patA.ID, v.ID))
		if err != nil {
			t.Fatal(err)
		}
		tests := []struct {
			name string
			ctx  context.Context
			pid  int64 // patient
			vid  int64 // visit
			tid  int64 // trial
			want string
		}{
			{"own clinic", w.asA, w.patA.ID, v.ID, tr.ID, ""},
			{"admin", w.asAdmin, w.patA.ID, v.ID, tr.ID, ""},
			{"system", w.system, w.patA.ID, v.ID, tr.ID, ""},
			{"other clinic's clinician", w.asB, w.patA.ID, v.ID, tr.ID, tendo.ENOTFOUND},
			{"other clinic's clinician through their own patient", w.asB, w.patB.ID, v.ID, tr.ID, tendo.ENOTFOUND},
			{"visit or trial of another patient", w.asA, w.patA.ID, vB.ID, tr.ID + 1, tendo.ENOTFOUND},
			{"unknown visit and trial", w.asA, w.patA.ID, v.ID + vB.ID, tr.ID + 1, tendo.ENOTFOUND},
			{"nobody", w.anonymous, w.patA.ID, v.ID, tr.ID, tendo.EUNAUTHORIZED},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				if _, err := w.svc.UploadGaitTrial(tt.ctx, newTrial(tt.pid, tt.vid)); code(err) != tt.want {
					t.Errorf("upload: %v, want code %q", err, tt.want)
				}
				if _, err := w.svc.FindGaitTrials(tt.ctx, tt.pid, tt.vid); code(err) != tt.want {
					t.Errorf("list: %v, want code %q", err, tt.want)
				}
				tid := tt.tid
				if tt.name == "visit or trial of another patient" {
					// B's visit has no trial yet: make one to ask for.
					bt, err := w.svc.UploadGaitTrial(w.asB, newTrial(w.patB.ID, vB.ID))
					if err != nil {
						t.Fatal(err)
					}
					tid = bt.ID
				}
				if _, err := w.svc.FindGaitTrial(tt.ctx, tt.pid, tid, true); code(err) != tt.want {
					t.Errorf("find: %v, want code %q", err, tt.want)
				}
				if _, err := w.svc.ApplyGaitTrial(tt.ctx, tt.pid, tid); code(err) != tt.want {
					t.Errorf("apply: %v, want code %q", err, tt.want)
				}
			})
		}
		// Bob's attempts are denials in the log.
		found := false
		for _, e := range w.entries(t, tendo.ActionDenied) {
			if e.UserID == w.bob.ID && e.PatientID == w.patA.ID {
				found = true
			}
		}
		if !found {
			t.Error("no denial entry for Bob's attempts on patient A")
		}
	})
}

func TestGaitTrialLimits(t *testing.T) {
	t.Parallel()
	w, g, v := gaitWorld(t, dbtest.SQLite(t))
	big := make([]byte, tendo.MaxGaitTrialSize+1)
	tests := []struct {
		name    string
		change  func(*tendo.NewGaitTrial)
		fake    fakeGait
		code    string
		field   string
		message string // part of the message, when checked
	}{
		{name: "empty file", change: func(n *tendo.NewGaitTrial) { n.Data = nil }, code: tendo.EINVALID, field: "file", message: "empty"},
		{name: "one byte over the limit", change: func(n *tendo.NewGaitTrial) { n.Data = big }, code: tendo.EINVALID, field: "file", message: "32 MiB"},
		{name: "at the limit", change: func(n *tendo.NewGaitTrial) { n.Data = big[:tendo.MaxGaitTrialSize] }},
		{name: "negative mass", change: func(n *tendo.NewGaitTrial) { n.MassKg = -1 }, code: tendo.EINVALID, field: "massKg"},
		{name: "mass not a number", change: func(n *tendo.NewGaitTrial) { n.MassKg = math.NaN() }, code: tendo.EINVALID, field: "massKg"},
		{name: "mass too large", change: func(n *tendo.NewGaitTrial) { n.MassKg = 501 }, code: tendo.EINVALID, field: "massKg"},
		{name: "mass given", change: func(n *tendo.NewGaitTrial) { n.MassKg = 71.5 }},
		{name: "unknown side", change: func(n *tendo.NewGaitTrial) { n.Side = "up" }, code: tendo.EINVALID, field: "side"},
		{name: "no side", change: func(n *tendo.NewGaitTrial) { n.Side = "" }},
		{name: "analyzer's plain error", fake: fakeGait{err: errors.New("not a C3D file: bad parameter section")},
			code: tendo.EINVALID, field: "file", message: "not a C3D file: bad parameter section"},
		{name: "analyzer's invalid error gets the field", fake: fakeGait{err: tendo.Errorf(tendo.EINVALID, "no force plates and no markers")},
			code: tendo.EINVALID, field: "file", message: "no force plates and no markers"},
		{name: "analyzer's own field is kept", fake: fakeGait{err: tendo.Invalid("massKg", "the file has no body mass; give one")},
			code: tendo.EINVALID, field: "massKg", message: "no body mass"},
		{name: "analyzer's other error passes through", fake: fakeGait{err: tendo.Errorf(tendo.ETOOMANY, "busy")}, code: tendo.ETOOMANY},
		{name: "analyzer panics", fake: fakeGait{panics: true}, code: tendo.EINVALID, field: "file", message: "could not be analysed"},
	}
	for _, tt := range tests {
		*g = tt.fake
		n := newTrial(w.patA.ID, v.ID)
		if tt.change != nil {
			tt.change(&n)
		}
		tr, err := w.svc.UploadGaitTrial(w.asA, n)
		if code(err) != tt.code {
			t.Errorf("%s: %v, want code %q", tt.name, err, tt.code)
			continue
		}
		if tt.code == "" {
			if tr.ID == 0 || tr.Size != int64(len(n.Data)) || tr.Report == nil {
				t.Errorf("%s: stored %+v", tt.name, tr)
			}
			continue
		}
		var es tendo.Errors
		var e *tendo.Error
		if errors.As(err, &es) && len(es) > 0 {
			e = es[0]
		} else if !errors.As(err, &e) {
			t.Errorf("%s: %T is not a tendo error", tt.name, err)
			continue
		}
		if e.Field != tt.field || !strings.Contains(e.Message, tt.message) {
			t.Errorf("%s: field %q, message %q; want field %q, message with %q", tt.name, e.Field, e.Message, tt.field, tt.message)
		}
	}
	// File names are kept without their path and control characters.
	*g = fakeGait{}
	n := newTrial(w.patA.ID, v.ID)
	n.File = "C:\\trials\\walk\x00 2.c3d"
	tr, err := w.svc.UploadGaitTrial(w.asA, n)
	if err != nil || tr.File != "walk 2.c3d" {
		t.Errorf("file name: %q, %v; want %q", tr.File, err, "walk 2.c3d")
	}
	// Without an analyzer: an internal error, not a panic.
	none := clinic.New(w.db, w.as, nil)
	_, err = none.UploadGaitTrial(w.asA, newTrial(w.patA.ID, v.ID))
	var e *tendo.Error
	if code(err) != tendo.EINTERNAL || !errors.As(err, &e) || e.Message != "gait analysis is not available" {
		t.Errorf("no analyzer: %v, want EINTERNAL %q", err, "gait analysis is not available")
	}
}

// Every gait call is audited with its actor and patient; a save whose
// entry cannot be written is not stored, and a read is refused.
func TestGaitTrialAudit(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		w, _, v := gaitWorld(t, db)
		tr, err := w.svc.UploadGaitTrial(w.asA, newTrial(w.patA.ID, v.ID))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.svc.FindGaitTrial(w.asA, w.patA.ID, tr.ID, false); err != nil {
			t.Fatal(err)
		}
		if _, err := w.svc.FindGaitTrials(w.asA, w.patA.ID, v.ID); err != nil {
			t.Fatal(err)
		}
		st, err := w.svc.ApplyGaitTrial(w.asA, w.patA.ID, tr.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, tc := range []struct{ action, detail string }{
			{tendo.ActionGaitCreate, "gait trial " + itoa(tr.ID) + " of assessment " + itoa(v.ID)},
			{tendo.ActionGaitRead, "gait trial " + itoa(tr.ID)},
			{tendo.ActionGaitList, "1 gait trials of assessment " + itoa(v.ID)},
			{tendo.ActionGaitApply, "into assessment " + itoa(st.ID)},
			{tendo.ActionAssessmentCreate, "assessment " + itoa(st.ID)},
		} {
			es := w.entries(t, tc.action)
			if len(es) == 0 {
				t.Errorf("no %s entry", tc.action)
				continue
			}
			e := es[len(es)-1]
			if e.UserID != w.alice.ID || e.PatientID != w.patA.ID || e.ClinicID != w.clinA.ID || !strings.Contains(e.Detail, tc.detail) || e.Addr != "192.0.2.1" {
				t.Errorf("%s entry %+v, want Alice, patient A, clinic A, detail with %q", tc.action, e, tc.detail)
			}
		}

		broken := clinic.New(failingAudit{db}, w.as, nil)
		broken.GaitAnalyzer = &fakeGait{}
		if _, err := broken.UploadGaitTrial(w.asA, newTrial(w.patA.ID, v.ID)); code(err) != tendo.EINTERNAL {
			t.Errorf("upload without audit: %v, want an internal error", err)
		}
		if ts, err := db.GaitTrials(context.Background(), v.ID); err != nil || len(ts) != 1 {
			t.Errorf("after an upload whose audit failed: %d trials, %v; want the 1 from before", len(ts), err)
		}
		if _, err := broken.FindGaitTrial(w.asA, w.patA.ID, tr.ID, true); code(err) != tendo.EINTERNAL {
			t.Errorf("read without audit: %v, want an internal error", err)
		}
		if _, err := broken.FindGaitTrials(w.asA, w.patA.ID, v.ID); code(err) != tendo.EINTERNAL {
			t.Errorf("list without audit: %v, want an internal error", err)
		}
	})
}

func TestApplyGaitTrial(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		w, g, v := gaitWorld(t, db)
		tr, err := w.svc.UploadGaitTrial(w.asA, newTrial(w.patA.ID, v.ID))
		if err != nil {
			t.Fatal(err)
		}
		st, err := w.svc.ApplyGaitTrial(w.asA, w.patA.ID, tr.ID)
		if err != nil {
			t.Fatal(err)
		}
		if st.ID == v.ID || st.Date != v.Date || st.PatientID != w.patA.ID {
			t.Errorf("applied visit %d of %s (patient %d); want a new visit of %s of patient A", st.ID, st.Date, st.PatientID, v.Date)
		}
		saved, err := db.Assessment(context.Background(), st.ID)
		if err != nil {
			t.Fatal(err)
		}
		var got tendo.Assessment
		if err := json.Unmarshal(saved.Input, &got); err != nil {
			t.Fatal(err)
		}
		gait := got.Gait
		val := func(p *float64) any {
			if p == nil {
				return nil
			}
			return *p
		}
		boolean := func(p *bool) any {
			if p == nil {
				return nil
			}
			return *p
		}
		checks := []struct {
			name      string
			got, want any
		}{
			{"source", gait.Source != nil && *gait.Source == tendo.GaitInstrumented, true},
			{"cadence (replaced)", val(gait.CadenceStepsPerMin), 104.0},
			{"stance time asymmetry", val(gait.StanceTimeAsymmetryPct), 7.5},
			{"peak ankle plantarflexor moment", val(gait.PeakAnklePlantarflexorMomentNmPerKg), 1.1},
			{"peak Achilles force", val(gait.PeakAchillesForceBW), 4.2},
			{"pelvic rotation (not in the trial: removed)", val(gait.PelvicRotationRangeDeg), nil},
			{"antalgic (observed, kept)", boolean(gait.Antalgic), true},
			{"trunk lean (observed, kept)", boolean(gait.TrunkLean), false},
			{"reduced push-off (not observed)", boolean(gait.ReducedPushOff), nil},
			{"date", got.Date, v.Date},
		}
		for _, c := range checks {
			if c.got != c.want {
				t.Errorf("applied input's %s: %v, want %v", c.name, c.got, c.want)
			}
		}
		if !strings.Contains(string(saved.Input), `"cadenceStepsPerMin":104`) {
			t.Errorf("stored input: %s", saved.Input)
		}

		// Applying again returns the first visit and stores nothing.
		creates := len(w.entries(t, tendo.ActionAssessmentCreate))
		again, err := w.svc.ApplyGaitTrial(w.asA, w.patA.ID, tr.ID)
		if err != nil || again.ID != st.ID {
			t.Errorf("second apply: visit %d, %v; want %d", again.ID, err, st.ID)
		}
		if n := len(w.entries(t, tendo.ActionAssessmentCreate)); n != creates {
			t.Errorf("second apply stored a visit: %d assessment.create entries, want %d", n, creates)
		}
		if n := len(w.entries(t, tendo.ActionGaitApply)); n != 2 {
			t.Errorf("%d gait.apply entries, want 2 (the replay is audited)", n)
		}

		// A value an assessment cannot hold is refused, naming the field.
		g.evidence = &tendo.Gait{CadenceStepsPerMin: f64(400)}
		bad, err := w.svc.UploadGaitTrial(w.asA, newTrial(w.patA.ID, v.ID))
		if err != nil {
			t.Fatal(err)
		}
		_, err = w.svc.ApplyGaitTrial(w.asA, w.patA.ID, bad.ID)
		var e *tendo.Error
		if !errors.As(err, &e) || e.Code != tendo.EINVALID || e.Field != "gait.cadenceStepsPerMin" {
			t.Errorf("out-of-range evidence: %v, want EINVALID on gait.cadenceStepsPerMin", err)
		}
	})
}

func itoa(n int64) string {
	b, _ := json.Marshal(n)
	return string(b)
}

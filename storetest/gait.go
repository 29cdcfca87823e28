package storetest

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"testing"

	"github.com/tendo-health/tendo"
)

// Gait-lab trials (issue 9).

// gaitReport is a small report with a metric, a curve and evidence.
func gaitReport() *tendo.GaitReport {
	v, null := 1.25, (*float64)(nil)
	cadence := 112.5
	return &tendo.GaitReport{
		File: "walk.c3d", Format: "c3d", BodyMassKg: 72.5, MassFrom: "file", DurationS: 4.2,
		Events: "force-plates", AnkleMethod: "inverse-dynamics", AchillesMomentArmM: 0.05,
		Metrics: []tendo.GaitMetric{
			{Key: "peakAnklePlantarflexorMomentNmPerKg", Label: "Peak ankle plantarflexor moment", Side: "left", Value: &v, Unit: "N·m/kg",
				Normal: &tendo.GaitBand{Low: 1.2, High: 1.8, Source: "Winter 2009"}},
			{Key: "cadenceStepsPerMin", Label: "Cadence", Value: null, Unit: "steps/min", Note: "one step only"},
		},
		Curves: []tendo.GaitCurve{{Key: "ankle-moment", Label: "Ankle moment", Side: "left", Unit: "N·m/kg",
			Values: []*float64{&v, null, &v}, Low: []float64{0, 0, 0}, High: []float64{1, 1, 1}, BandSource: "estimate"}},
		Notes:        []string{"Heel strikes from force plates — é 痛み."},
		Evidence:     tendo.Gait{CadenceStepsPerMin: &cadence},
		EvidenceSide: "left",
	}
}

// gaitTrial is a valid trial of the visit with data.
func gaitTrial(a tendo.StoredAssessment, data []byte) tendo.GaitTrial {
	return tendo.GaitTrial{PatientID: a.PatientID, VisitID: a.ID, File: "walk.c3d", Data: data, Report: gaitReport()}
}

func testGaitTrialRoundTrip(t *testing.T, s tendo.Store) {
	ctx := t.Context()
	c := clinic(t, s, "C")
	u := user(t, s, "gait@example.com", tendo.RoleClinician, c.ID)
	p := patient(t, s, c.ID, "Pat")
	visit, err := s.SaveAssessment(ctx, assessment(p, "2031-02-01"))
	must(t, "save visit", err)
	other, err := s.SaveAssessment(ctx, assessment(p, "2031-02-02"))
	must(t, "save other visit", err)

	// Every byte value, NULs included, and more than a page.
	data := bytes.Repeat([]byte{0, 1, 2, 0xfe, 0xff, 'C', '3', 'D'}, 5000)
	in := gaitTrial(visit, data)
	in.ID, in.Size, in.SHA256, in.CreatedBy = 7, 1, "bogus", u.ID
	tr, err := s.CreateGaitTrial(ctx, in)
	must(t, "create", err)
	if tr.ID <= 0 || tr.ID == 7 {
		t.Errorf("ID %d: want one the store chose", tr.ID)
	}
	recent(t, "created at", tr.CreatedAt)
	sum := sha256.Sum256(data)
	eq(t, "size", tr.Size, int64(len(data)))
	eq(t, "sha256", tr.SHA256, hex.EncodeToString(sum[:]))
	eq(t, "clinic", tr.ClinicID, c.ID)

	got, err := s.GaitTrial(ctx, tr.ID, true)
	must(t, "trial with data", err)
	eq(t, "trial read back with data", got, tr)
	if !bytes.Equal(got.Data, data) {
		t.Errorf("data changed: %d bytes back of %d", len(got.Data), len(data))
	}
	got, err = s.GaitTrial(ctx, tr.ID, false)
	must(t, "trial without data", err)
	want := tr
	want.Data = nil
	eq(t, "trial read back without data", got, want)

	second, err := s.CreateGaitTrial(ctx, gaitTrial(visit, []byte("second")))
	must(t, "create second", err)
	_, err = s.CreateGaitTrial(ctx, gaitTrial(other, []byte("of the other visit")))
	must(t, "create of the other visit", err)
	list, err := s.GaitTrials(ctx, visit.ID)
	must(t, "list", err)
	if len(list) != 2 {
		t.Fatalf("%d trials of the visit, want 2", len(list))
	}
	if list[0].ID != tr.ID || list[1].ID != second.ID {
		if !list[0].CreatedAt.Equal(list[1].CreatedAt) {
			t.Errorf("trials out of order: %d, %d; want %d, %d", list[0].ID, list[1].ID, tr.ID, second.ID)
		}
	}
	for _, x := range list {
		if x.Data != nil || x.Report == nil || x.VisitID != visit.ID {
			t.Errorf("listed trial %d: data %d bytes, report %v, visit %d", x.ID, len(x.Data), x.Report != nil, x.VisitID)
		}
	}
	empty, err := s.GaitTrials(ctx, other.ID+visit.ID)
	must(t, "list of an unknown visit", err)
	if empty == nil || len(empty) != 0 {
		t.Errorf("trials of an unknown visit: %#v, want an empty list", empty)
	}
}

func testGaitTrialInvalid(t *testing.T, s tendo.Store) {
	ctx := t.Context()
	c, d := clinic(t, s, "C"), clinic(t, s, "D")
	p, q := patient(t, s, c.ID, "P"), patient(t, s, c.ID, "Q")
	visit, err := s.SaveAssessment(ctx, assessment(p, "2031-02-01"))
	must(t, "save visit", err)
	qVisit, err := s.SaveAssessment(ctx, assessment(q, "2031-02-01"))
	must(t, "save visit of q", err)
	long := make([]byte, 256)
	for i := range long {
		long[i] = 'a'
	}
	tests := []struct {
		name   string
		change func(*tendo.GaitTrial)
	}{
		{"no patient", func(x *tendo.GaitTrial) { x.PatientID = 0 }},
		{"no visit", func(x *tendo.GaitTrial) { x.VisitID = 0 }},
		{"unknown visit", func(x *tendo.GaitTrial) { x.VisitID = visit.ID + qVisit.ID }},
		{"visit of another patient", func(x *tendo.GaitTrial) { x.VisitID = qVisit.ID }},
		{"unknown patient", func(x *tendo.GaitTrial) { x.PatientID = p.ID + q.ID }},
		{"another clinic", func(x *tendo.GaitTrial) { x.ClinicID = d.ID }},
		{"unknown creator", func(x *tendo.GaitTrial) { x.CreatedBy = 1 << 40 }},
		{"empty file", func(x *tendo.GaitTrial) { x.Data = nil }},
		{"no file name", func(x *tendo.GaitTrial) { x.File = " " }},
		{"long file name", func(x *tendo.GaitTrial) { x.File = string(long) }},
		{"file name with a NUL", func(x *tendo.GaitTrial) { x.File = "a\x00.c3d" }},
		{"no report", func(x *tendo.GaitTrial) { x.Report = nil }},
	}
	for _, tt := range tests {
		in := gaitTrial(visit, []byte("C3D"))
		tt.change(&in)
		_, err := s.CreateGaitTrial(ctx, in)
		wantCode(t, tt.name, err, tendo.EINVALID)
	}
	list, err := s.GaitTrials(ctx, visit.ID)
	must(t, "list", err)
	eq(t, "trials stored", len(list), 0)
}

func testGaitTrialNotFound(t *testing.T, s tendo.Store) {
	for _, data := range []bool{false, true} {
		_, err := s.GaitTrial(t.Context(), 1<<40, data)
		wantCode(t, "unknown trial", err, tendo.ENOTFOUND)
	}
}

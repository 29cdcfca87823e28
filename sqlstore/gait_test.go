package sqlstore

import (
	"bytes"
	"testing"

	"github.com/tendo-health/tendo"
)

// TestGaitTrialLargest stores a trial of the largest size the service
// accepts, in both databases, and reads it back whole.
func TestGaitTrialLargest(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		open func(testing.TB) *DB
	}{
		{"SQLite", openSQLite},
		{"Postgres", openPostgres},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			testGaitTrialLargest(t, tc.open(t))
		})
	}
}

func testGaitTrialLargest(t *testing.T, d *DB) {
	ctx := t.Context()
	c, err := d.CreateClinic(ctx, "C")
	if err != nil {
		t.Fatal(err)
	}
	p, err := d.CreatePatient(ctx, tendo.PatientRecord{ClinicID: c.ID, Name: "P"})
	if err != nil {
		t.Fatal(err)
	}
	v, err := d.SaveAssessment(ctx, tendo.StoredAssessment{PatientID: p.ID, Date: "2031-01-01", Input: []byte(`{}`), Result: []byte(`{}`),
		ModelVersion: "m", Classification: tendo.Uncertain})
	if err != nil {
		t.Fatal(err)
	}
	data := bytes.Repeat([]byte("C3D\x00\xff"), tendo.MaxGaitTrialSize/5+1)[:tendo.MaxGaitTrialSize]
	tr, err := d.CreateGaitTrial(ctx, tendo.GaitTrial{PatientID: p.ID, VisitID: v.ID, File: "long.c3d", Data: data, Report: &tendo.GaitReport{File: "long.c3d"}})
	if err != nil {
		t.Fatal(err)
	}
	got, err := d.GaitTrial(ctx, tr.ID, true)
	if err != nil {
		t.Fatal(err)
	}
	if got.Size != tendo.MaxGaitTrialSize || !bytes.Equal(got.Data, data) {
		t.Errorf("read back %d bytes (size %d), want the %d stored", len(got.Data), got.Size, len(data))
	}
}

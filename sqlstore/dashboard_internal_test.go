package sqlstore

// issue 10: safety. Migration 0009 fills the red flags of the visits
// stored before it from their results.

import (
	"context"
	"fmt"
	"io/fs"
	"path"
	"strings"
	"testing"

	"github.com/tendo-health/tendo"
)

func TestRedFlagsBackfill(t *testing.T) {
	t.Parallel()
	for _, db := range []struct {
		name string
		open func(testing.TB) *DB
	}{{"SQLite", openSQLite}, {"Postgres", openPostgres}} {
		t.Run(db.name, func(t *testing.T) {
			t.Parallel()
			d := db.open(t)
			ctx := context.Background()
			c, err := d.CreateClinic(ctx, "C")
			if err != nil {
				t.Fatal(err)
			}
			p, err := d.CreatePatient(ctx, tendo.PatientRecord{ClinicID: c.ID, Name: "P"})
			if err != nil {
				t.Fatal(err)
			}
			results := map[string]string{
				"two flags": `{"redFlags":[{"code":"cauda-equina-syndrome","urgency":"emergency","reason":"r"},{"code":"fluoroquinolone-tendon-risk","urgency":"soon"}]}`,
				"none":      `{"redFlags":[]}`,
				"no key":    `{"classification":"uncertain"}`,
			}
			want := map[string]string{
				"two flags": "[{cauda-equina-syndrome emergency} {fluoroquinolone-tendon-risk soon}]",
				"none":      "[]", "no key": "[]",
			}
			ids := map[string]int64{}
			for name, res := range results {
				a, err := d.SaveAssessment(ctx, tendo.StoredAssessment{PatientID: p.ID, Date: "2026-01-01", Input: []byte(`{}`), Result: []byte(res), ModelVersion: "m", Classification: tendo.Uncertain,
					RedFlags: []tendo.RedFlagMark{{Code: "stale", Urgency: tendo.Soon}}})
				if err != nil {
					t.Fatal(err)
				}
				ids[name] = a.ID
			}
			// As before the migration: no flags kept.
			if _, err := d.exec(ctx, d.wq(), "UPDATE assessments SET red_flags = ''"); err != nil {
				t.Fatal(err)
			}
			dir := "migration/sqlite"
			if d.dialect == dialectPostgres {
				dir = "migration/postgres"
			}
			b, err := fs.ReadFile(migrationFS, path.Join(dir, "0009_red_flags.sql"))
			if err != nil {
				t.Fatal(err)
			}
			update := string(b)[strings.Index(string(b), "UPDATE assessments"):]
			update = update[:strings.Index(update, ";")+1]
			if _, err := d.w.ExecContext(ctx, update); err != nil {
				t.Fatalf("backfill: %v", err)
			}
			for name, id := range ids {
				a, err := d.Assessment(ctx, id)
				if err != nil {
					t.Fatal(err)
				}
				got := fmt.Sprint(a.RedFlags)
				if a.RedFlags == nil {
					got = "[]"
				}
				if got != want[name] {
					t.Errorf("%s: red flags %s, want %s", name, got, want[name])
				}
			}
		})
	}
}

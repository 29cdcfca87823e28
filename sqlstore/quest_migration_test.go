package sqlstore

import (
	"context"
	"database/sql"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/tendo-health/tendo"
)

// TestMigration0007KeepsLinks builds a SQLite database with the
// migrations before 0007 and links and a response in it, as an older
// tendo left them, then opens it: the old links read as links of one
// questionnaire, the response (its table rebuilt) is kept with its ID,
// and the open link can still be answered.
func TestMigration0007KeepsLinks(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "old.db")
	raw, err := sql.Open("sqlite", path+"?_pragma=foreign_keys(1)")
	if err != nil {
		t.Fatal(err)
	}
	ms, err := (&DB{dialect: dialectSQLite}).migrations()
	if err != nil {
		t.Fatal(err)
	}
	then := time.Now().Add(-time.Hour).UTC()
	at, later := then.Format(sqliteTime), then.Add(30*24*time.Hour).Format(sqliteTime)
	stmts := []string{"CREATE TABLE migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)"}
	for _, m := range ms {
		if m.name >= "0007" {
			break
		}
		stmts = append(stmts, m.sql, "INSERT INTO migrations (name, applied_at) VALUES ('"+m.name+"', '"+at+"')")
	}
	stmts = append(stmts,
		"INSERT INTO clinics (id, name, created_at) VALUES (1, 'Old Clinic', '"+at+"')",
		"INSERT INTO patients (id, clinic_id, name, created_at) VALUES (10, 1, 'Old Patient', '"+at+"')",
		"INSERT INTO questionnaire_links (id, patient_id, clinic_id, instrument, created_at, expires_at, used_at, token_hash) VALUES (20, 10, 1, 'visaA', '"+at+"', '"+later+"', '"+at+"', 'old-used')",
		"INSERT INTO questionnaire_links (id, patient_id, clinic_id, instrument, created_at, expires_at, token_hash) VALUES (21, 10, 1, 'nprs', '"+at+"', '"+later+"', 'old-open')",
		`INSERT INTO questionnaire_responses (id, link_id, patient_id, clinic_id, instrument, answers, score, band, submitted_at) VALUES (30, 20, 10, 1, 'visaA', '{"answers":[]}', 50, 'moderate', '`+at+`')`,
	)
	for _, s := range stmts {
		if _, err := raw.ExecContext(ctx, s); err != nil {
			t.Fatalf("%.80s: %v", s, err)
		}
	}
	if err := raw.Close(); err != nil {
		t.Fatal(err)
	}

	d := openSQLitePath(t, path)
	for _, tc := range []struct {
		hash              string
		instruments, done []tendo.Instrument
		used              bool
	}{
		{"old-used", []tendo.Instrument{tendo.InstrumentVISAA}, []tendo.Instrument{tendo.InstrumentVISAA}, true},
		{"old-open", []tendo.Instrument{tendo.InstrumentNPRS}, []tendo.Instrument{}, false},
	} {
		l, err := d.LinkByToken(ctx, tc.hash)
		if err != nil {
			t.Fatalf("%s: %v", tc.hash, err)
		}
		if !reflect.DeepEqual(l.Instruments, tc.instruments) || !reflect.DeepEqual(l.Answered, tc.done) || (l.UsedAt != nil) != tc.used || l.Clinic != "Old Clinic" {
			t.Errorf("%s after 0007: %+v", tc.hash, l)
		}
	}
	rs, err := d.Responses(ctx, 10)
	if err != nil || len(rs) != 1 || rs[0].ID != 30 || rs[0].LinkID != 20 || rs[0].Score != 50 || rs[0].Band != "moderate" {
		t.Fatalf("the old response after 0007: %+v %v", rs, err)
	}
	r, err := d.SubmitResponse(ctx, tendo.QuestionnaireResponse{LinkID: 21, Answers: []byte("3"), Score: 3}, time.Now())
	if err != nil || r.Instrument != tendo.InstrumentNPRS || r.ID <= 30 {
		t.Fatalf("answer the old open link: %+v %v", r, err)
	}
	if l, err := d.LinkByToken(ctx, "old-open"); err != nil || l.UsedAt == nil {
		t.Errorf("the old open link after its answer: %+v %v", l, err)
	}
}

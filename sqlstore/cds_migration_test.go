package sqlstore

// issue 11: cds-clinic

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"
	"time"

	"github.com/tendo-health/tendo"
)

// TestMigration0011WidensRole builds a SQLite database with the
// migrations before 0011 and a clinic, a clinician, a session and a
// patient in it, then opens it: 0011 widens the users table's CHECK on
// role in place (writable_schema), so a cds-client user can be stored,
// an unknown role is still refused, the old rows and their foreign keys
// are intact, and the database passes SQLite's integrity check.
func TestMigration0011WidensRole(t *testing.T) {
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
	at := time.Now().Add(-time.Hour).UTC().Format(sqliteTime)
	stmts := []string{"CREATE TABLE migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)"}
	for _, m := range ms {
		if m.name >= "0011" {
			break
		}
		stmts = append(stmts, m.sql, "INSERT INTO migrations (name, applied_at) VALUES ('"+m.name+"', '"+at+"')")
	}
	stmts = append(stmts,
		"INSERT INTO clinics (id, name, created_at) VALUES (1, 'Old Clinic', '"+at+"')",
		"INSERT INTO users (id, email, name, role, password_hash, created_at) VALUES (5, 'old@example.com', 'Old', 'clinician', 'x', '"+at+"')",
		"INSERT INTO memberships (user_id, clinic_id) VALUES (5, 1)",
		"INSERT INTO sessions (id, user_id, csrf, created_at, expires_at, last_seen_at) VALUES ('s1', 5, 'c', '"+at+"', '9999-12-31T00:00:00.000000Z', '"+at+"')",
		"INSERT INTO patients (id, clinic_id, name, created_at, created_by) VALUES (10, 1, 'Old Patient', '"+at+"', 5)",
	)
	for _, s := range stmts {
		if _, err := raw.ExecContext(ctx, s); err != nil {
			t.Fatalf("%.80s: %v", s, err)
		}
	}
	if _, err := raw.ExecContext(ctx, "INSERT INTO users (email, role, created_at) VALUES ('c@cds-client.invalid', 'cds-client', '"+at+"')"); err == nil {
		t.Fatal("before 0011 the role cds-client is accepted: the test does not test the migration")
	}
	if err := raw.Close(); err != nil {
		t.Fatal(err)
	}

	d := openSQLitePath(t, path)
	u, err := d.User(ctx, 5)
	if err != nil || u.Role != tendo.RoleClinician || len(u.ClinicIDs) != 1 {
		t.Fatalf("the old user after 0011: %+v %v", u, err)
	}
	if _, err := d.Session(ctx, "s1", time.Now()); err != nil {
		t.Errorf("the old session after 0011: %v", err)
	}
	c, err := d.CreateCDSClient(ctx, tendo.CDSClient{ClinicID: 1, Name: "EHR", Issuer: "https://ehr.example"},
		tendo.User{Email: "c@cds-client.invalid", Name: "EHR", Role: tendo.RoleCDSClient, ClinicIDs: []int64{1}})
	if err != nil {
		t.Fatalf("a CDS client after 0011: %v", err)
	}
	if cu, err := d.User(ctx, c.UserID); err != nil || cu.Role != tendo.RoleCDSClient {
		t.Errorf("its user: %+v %v", cu, err)
	}
	if _, err := d.w.ExecContext(ctx, "INSERT INTO users (email, role, created_at) VALUES ('x@example.com', 'superuser', ?)", at); err == nil {
		t.Error("after 0011 the role superuser is accepted")
	}
	if _, err := d.w.ExecContext(ctx, "DELETE FROM users WHERE id = 5"); err == nil {
		t.Error("after 0011 a user with a patient can be deleted: foreign keys lost")
	}
	var check string
	if err := d.w.QueryRowContext(ctx, "PRAGMA integrity_check").Scan(&check); err != nil || check != "ok" {
		t.Errorf("integrity check: %q %v", check, err)
	}
	var fk int
	if err := d.w.QueryRowContext(ctx, "SELECT count(*) FROM pragma_foreign_key_check").Scan(&fk); err != nil || fk != 0 {
		t.Errorf("foreign key check: %d rows, %v", fk, err)
	}
	// A second process opening the file reads the widened schema.
	d2 := openSQLitePath(t, path)
	if _, err := d2.CreateCDSClient(ctx, tendo.CDSClient{ClinicID: 1, Name: "EHR 2", Issuer: "https://ehr2.example"},
		tendo.User{Email: "c2@cds-client.invalid", Name: "EHR 2", Role: tendo.RoleCDSClient, ClinicIDs: []int64{1}}); err != nil {
		t.Errorf("a CDS client through a second handle: %v", err)
	}
}

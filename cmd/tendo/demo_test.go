package main

import (
	"bytes"
	"context"
	"encoding/json"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/tendo-health/tendo"
	"github.com/tendo-health/tendo/assess"
	"github.com/tendo-health/tendo/passwd"
	"github.com/tendo-health/tendo/sqlstore"
)

var demoLogin = regexp.MustCompile(`as (\S+@\S+) with password (\S+)`)

// demoPasswords returns the logins printed by seedDemo, by e-mail.
func demoPasswords(t *testing.T, out string) map[string]string {
	t.Helper()
	pw := map[string]string{}
	for _, m := range demoLogin.FindAllStringSubmatch(out, -1) {
		pw[m[1]] = m[2]
	}
	if len(pw) != 2 {
		t.Fatalf("want two demo logins printed, got %v in\n%s", pw, out)
	}
	return pw
}

// TestDemoSeed seeds a fresh database: the printed logins work, every
// patient has several visits whose stored results are valid JSON made by
// the current model, and a second --demo seeds nothing more but gives the
// demo logins new passwords (the first ones were printed once).
func TestDemoSeed(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	store, err := sqlstore.Open(ctx, filepath.Join(t.TempDir(), "demo.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	eng, err := assess.New()
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if err := seedDemo(ctx, &Main{Stdout: &out}, store, eng); err != nil {
		t.Fatal(err)
	}
	first := demoPasswords(t, out.String())
	for email, pw := range first {
		u, err := store.UserByEmail(ctx, email)
		if err != nil {
			t.Fatalf("%s: %v", email, err)
		}
		if err := passwd.Check(u.PasswordHash, pw); err != nil {
			t.Errorf("%s: the printed password does not log in: %v", email, err)
		}
	}
	clin, err := store.UserByEmail(ctx, demoClinician)
	if err != nil {
		t.Fatal(err)
	}
	patients, err := store.Patients(ctx, clin.ClinicIDs)
	if err != nil {
		t.Fatal(err)
	}
	if len(patients) < 3 {
		t.Fatalf("want at least 3 demo patients, got %d", len(patients))
	}
	classes := map[string]bool{}
	for _, p := range patients {
		list, err := store.Assessments(ctx, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(list) < 2 {
			t.Errorf("%s: want several visits, got %d", p.Name, len(list))
		}
		for _, s := range list {
			full, err := store.Assessment(ctx, s.ID)
			if err != nil {
				t.Fatal(err)
			}
			var res tendo.Result
			if err := json.Unmarshal(full.Result, &res); err != nil {
				t.Fatalf("%s visit %s: stored result: %v", p.Name, full.Date, err)
			}
			if res.ModelVersion != eng.ModelVersion() || full.ModelVersion != eng.ModelVersion() {
				t.Errorf("%s visit %s: model %q/%q, want %q", p.Name, full.Date, res.ModelVersion, full.ModelVersion, eng.ModelVersion())
			}
			if string(res.Classification) != string(full.Classification) {
				t.Errorf("%s visit %s: stored classification %q, result says %q", p.Name, full.Date, full.Classification, res.Classification)
			}
			classes[string(full.Classification)] = true
		}
	}
	if len(classes) < 2 {
		t.Errorf("the demo shows only classifications %v; want a variety", classes)
	}

	out.Reset()
	if err := seedDemo(ctx, &Main{Stdout: &out}, store, eng); err != nil {
		t.Fatal(err)
	}
	second := demoPasswords(t, out.String())
	again, err := store.Patients(ctx, clin.ClinicIDs)
	if err != nil {
		t.Fatal(err)
	}
	if len(again) != len(patients) {
		t.Errorf("a second --demo changed the patients: %d, was %d", len(again), len(patients))
	}
	for email, pw := range second {
		u, err := store.UserByEmail(ctx, email)
		if err != nil {
			t.Fatal(err)
		}
		if err := passwd.Check(u.PasswordHash, pw); err != nil {
			t.Errorf("%s: the new password does not log in: %v", email, err)
		}
		if err := passwd.Check(u.PasswordHash, first[email]); err == nil {
			t.Errorf("%s: the old password still logs in", email)
		}
	}
}

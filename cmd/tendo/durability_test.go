package main

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/tendo-health/tendo/internal/servetest"
	"github.com/tendo-health/tendo/internal/shared"
	"github.com/tendo-health/tendo/sqlstore"
)

// sharedCases returns the shared assessment cases (not expected.json) as
// generic JSON objects, by file name, in a stable order.
func sharedCases(tb testing.TB) (names []string, docs []map[string]any) {
	tb.Helper()
	files, err := filepath.Glob(shared.Path(tb, "cases", "*.json"))
	if err != nil {
		tb.Fatal(err)
	}
	sort.Strings(files)
	for _, f := range files {
		if filepath.Base(f) == "expected.json" {
			continue
		}
		data, err := os.ReadFile(f)
		if err != nil {
			tb.Fatal(err)
		}
		dec := json.NewDecoder(bytes.NewReader(data))
		dec.UseNumber()
		var doc map[string]any
		if err := dec.Decode(&doc); err != nil {
			tb.Fatalf("%s: %v", f, err)
		}
		names = append(names, strings.TrimSuffix(filepath.Base(f), ".json"))
		docs = append(docs, doc)
	}
	if len(docs) == 0 {
		tb.Fatal("no shared cases")
	}
	return names, docs
}

// withField returns a JSON copy of doc with key set to v.
func withField(doc map[string]any, key string, v any) []byte {
	c := make(map[string]any, len(doc))
	for k, x := range doc {
		c[k] = x
	}
	c[key] = v
	data, err := json.Marshal(c)
	if err != nil {
		panic(err) // a document decoded from JSON encodes again
	}
	return data
}

// savedAssessment is the API's answer to a save or a read.
type savedAssessment struct {
	Assessment struct {
		ID        int64 `json:"id"`
		PatientID int64 `json:"patientId"`
	} `json:"assessment"`
	Input  json.RawMessage `json:"input"`
	Result json.RawMessage `json:"result"`
}

// ack is a save the server acknowledged (201 and a whole body).
type ack struct {
	caseID string // the unique "id" sent
	saved  savedAssessment
}

// TestDurabilityKill saves assessments from several goroutines as fast as
// the server takes them, kills the server with SIGKILL while requests are
// in flight, restarts it on the same SQLite file, and checks that every
// save it acknowledged is there with the input and result it returned,
// byte for byte.
func TestDurabilityKill(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the tendo binary; skipped with -short")
	}
	const (
		workers  = 8
		killAt   = 1500 * time.Millisecond
		killAcks = 2000 // or after this many acknowledged saves
	)
	bin := servetest.Build(t)
	db := filepath.Join(t.TempDir(), "durability.db")
	acct := servetest.Seed(t, bin, db)
	srv := servetest.Start(t, bin, db)
	api := servetest.NewClient(srv.URL, acct.Token)
	patientID := api.CreatePatient(t, api.ClinicID(t), "Durability Patient")
	names, docs := sharedCases(t)
	path := fmt.Sprintf("/api/patients/%d/assessments", patientID)

	var (
		killed   atomic.Bool
		inFlight atomic.Int64
		sent     atomic.Int64
		mu       sync.Mutex
		acks     []ack
		lost     int // requests that ended without an acknowledgement after the kill
		failures []string
	)
	ackCount := func() int { mu.Lock(); defer mu.Unlock(); return len(acks) }
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for n := 0; ; n++ {
				if killed.Load() || ctx.Err() != nil {
					return
				}
				k := (w + n) % len(docs)
				id := fmt.Sprintf("durability-w%d-n%05d-%s", w, n, names[k])
				body := withField(docs[k], "id", id)
				inFlight.Add(1)
				sent.Add(1)
				code, data, err := api.Do(ctx, http.MethodPost, path, body)
				inFlight.Add(-1)
				var sa savedAssessment
				if err == nil && code == http.StatusCreated {
					err = json.Unmarshal(data, &sa)
				}
				mu.Lock()
				switch {
				case err == nil && code == http.StatusCreated:
					acks = append(acks, ack{caseID: id, saved: sa})
				case killed.Load():
					lost++ // cut off by the kill: no acknowledgement, nothing promised
				case err != nil:
					failures = append(failures, fmt.Sprintf("%s: %v", id, err))
				default:
					failures = append(failures, fmt.Sprintf("%s: status %d: %s", id, code, data))
				}
				mu.Unlock()
				if killed.Load() {
					return
				}
			}
		})
	}

	// Kill after killAt or killAcks acknowledged saves, at a moment when
	// requests are in flight; but not before a few saves were
	// acknowledged (the server's first assessment builds the credible
	// intervals' reference draws, about a second, longer on a loaded
	// machine), waiting at most ackWait for them.
	const minAcks, ackWait = 4, 60 * time.Second
	start := time.Now()
	for (time.Since(start) < killAt && ackCount() < killAcks) || (ackCount() < minAcks && time.Since(start) < ackWait) {
		time.Sleep(5 * time.Millisecond)
	}
	for waited := time.Now(); inFlight.Load() == 0 && time.Since(waited) < killAt; {
		time.Sleep(50 * time.Microsecond)
	}
	killed.Store(true)
	inFlightAtKill := inFlight.Load()
	if err := srv.Kill(); err != nil {
		t.Fatalf("SIGKILL: %v", err)
	}
	elapsed := time.Since(start)
	wg.Wait()
	if len(failures) > 0 {
		t.Fatalf("%d saves failed before the kill; first: %s\nserver stderr:\n%s", len(failures), failures[0], srv.Stderr())
	}
	if len(acks) == 0 {
		t.Fatal("no save was acknowledged before the kill")
	}
	t.Logf("killed the server (SIGKILL) after %v: %d saves sent, %d acknowledged, %d in flight at the kill, %d cut off without an answer",
		elapsed.Round(time.Millisecond), sent.Load(), len(acks), inFlightAtKill, lost)
	if inFlightAtKill == 0 {
		t.Log("warning: no request was in flight at the kill")
	}

	// Every acknowledged save returned its own input.
	seen := map[int64]string{}
	for _, a := range acks {
		var in struct {
			ID string `json:"id"`
		}
		if err := json.Unmarshal(a.saved.Input, &in); err != nil || in.ID != a.caseID {
			t.Fatalf("save %s: the returned input has id %q (%v)", a.caseID, in.ID, err)
		}
		if a.saved.Assessment.ID <= 0 || len(a.saved.Result) == 0 {
			t.Fatalf("save %s: no assessment id or result in the answer", a.caseID)
		}
		if prev, dup := seen[a.saved.Assessment.ID]; dup {
			t.Fatalf("assessment id %d acknowledged twice (%s and %s)", a.saved.Assessment.ID, prev, a.caseID)
		}
		seen[a.saved.Assessment.ID] = a.caseID
	}

	// Restart on the same file: every acknowledged save is there, as it
	// was returned.
	srv2 := servetest.Start(t, bin, db)
	api2 := servetest.NewClient(srv2.URL, acct.Token)
	missing := 0
	for _, a := range acks {
		aid := a.saved.Assessment.ID
		rctx, rcancel := context.WithTimeout(context.Background(), 10*time.Second)
		code, data, err := api2.Do(rctx, http.MethodGet, fmt.Sprintf("%s/%d", path, aid), nil)
		rcancel()
		if err != nil {
			t.Fatalf("GET assessment %d: %v", aid, err)
		}
		if code != http.StatusOK {
			missing++
			t.Errorf("acknowledged assessment %d (%s) after the restart: status %d: %s", aid, a.caseID, code, data)
			continue
		}
		var got savedAssessment
		if err := json.Unmarshal(data, &got); err != nil {
			t.Fatalf("GET assessment %d: %v", aid, err)
		}
		if !bytes.Equal(got.Input, a.saved.Input) {
			t.Errorf("assessment %d (%s): the input differs from the one the save returned:\nsaved: %s\nnow:   %s", aid, a.caseID, a.saved.Input, got.Input)
		}
		if !bytes.Equal(got.Result, a.saved.Result) {
			t.Errorf("assessment %d (%s): the result differs from the one the save returned", aid, a.caseID)
		}
	}
	var list struct {
		Assessments []struct {
			ID int64 `json:"id"`
		} `json:"assessments"`
	}
	api2.JSON(t, http.MethodGet, path, nil, http.StatusOK, &list)
	stored := map[int64]bool{}
	for _, a := range list.Assessments {
		stored[a.ID] = true
	}
	for aid, id := range seen {
		if !stored[aid] {
			t.Errorf("acknowledged assessment %d (%s) is not in the patient's list", aid, id)
		}
	}
	t.Logf("after the restart: %d of %d acknowledged saves present and identical (%d missing); %d assessments stored in all (%d committed without an acknowledgement)",
		len(acks)-missing, len(acks), missing, len(list.Assessments), len(list.Assessments)-len(acks))

	// The restarted server stops cleanly, and the file opens cleanly and
	// passes SQLite's integrity check.
	if err := srv2.Stop(15 * time.Second); err != nil {
		t.Errorf("stopping the restarted server: %v\nstderr:\n%s", err, srv2.Stderr())
	}
	store, err := sqlstore.OpenSQLite(context.Background(), db)
	if err != nil {
		t.Fatalf("open the database after the crash: %v", err)
	}
	if err := store.Close(); err != nil {
		t.Errorf("close: %v", err)
	}
	raw, err := sql.Open("sqlite", db)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	var check string
	if err := raw.QueryRow("PRAGMA integrity_check").Scan(&check); err != nil {
		t.Fatalf("integrity_check: %v", err)
	}
	if check != "ok" {
		t.Errorf("integrity_check: %s", check)
	}
}

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

// durableSave is one save of the durability test: a document with a unique
// "id", sent with that id as its Idempotency-Key.
type durableSave struct {
	key  string // the Idempotency-Key, also the document's "id"
	body []byte
	// acked is set when the first attempt was acknowledged (201 and a
	// whole body), saved is that answer.
	acked bool
	saved savedAssessment
	// aid is the assessment the key ended up with: the acknowledged one,
	// or the one a retry after the restart answered with.
	aid int64
}

// TestDurabilityKill saves assessments, each with an Idempotency-Key, from
// several goroutines as fast as the server takes them, kills the server
// with SIGKILL while requests are in flight, and restarts it on the same
// database. The client then retries every save that was not acknowledged,
// and a sample of acknowledged ones, with the same key, as a client that
// lost its answer would. It checks that every acknowledged save is there
// with the input and result it returned, byte for byte; that a retry of an
// acknowledged save answers 200 (Idempotency-Replayed) with the same
// assessment; and that in the end each key sent is stored exactly once,
// including keys whose save committed but whose answer the kill cut off.
// It runs on SQLite and on Postgres (which skips without
// TENDO_TEST_POSTGRES_DSN, and fails without it under CI, TENDO_CI set).
func TestDurabilityKill(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the tendo binary; skipped with -short")
	}
	bin := servetest.Build(t)
	for _, be := range serveBackends {
		t.Run(be.name, func(t *testing.T) {
			db := be.db(t)
			testDurabilityKill(t, bin, db, be.name == "SQLite")
		})
	}
}

func testDurabilityKill(t *testing.T, bin, db string, sqlite bool) {
	const (
		rounds   = 3 // load, kill, restart, retry
		workers  = 8
		killAt   = time.Second
		killAcks = 1000 // or after this many acknowledged saves in the round
		sampled  = 100  // acknowledged saves retried per round, at most
	)
	// The server computes no credible intervals: with the default
	// reference ranges a save costs about 70 ms of CPU, so a round would
	// see a few dozen saves (the first also builds the reference draws,
	// about a second); with --ranges off a save is mostly its
	// transaction, many more keys are in play, and a kill more often
	// lands between a commit and its answer, which is what the retries
	// are here to cover. The storage path is the same either way.
	serveArgs := []string{"--ranges", "off"}
	acct := servetest.Seed(t, bin, db)
	srv := servetest.Start(t, bin, db, serveArgs...)
	api := servetest.NewClient(srv.URL, acct.Token)
	patientID := api.CreatePatient(t, api.ClinicID(t), "Durability Patient")
	names, docs := sharedCases(t)
	path := fmt.Sprintf("/api/patients/%d/assessments", patientID)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()

	// post sends one save with its key and returns the assessment it
	// answered with and whether the answer was a replay. Anything but
	// 201, or 200 with Idempotency-Replayed: true, is an error.
	post := func(ctx context.Context, api *servetest.Client, s *durableSave) (sa savedAssessment, replayed bool, err error) {
		resp, err := api.Send(ctx, http.MethodPost, path, http.Header{"Idempotency-Key": {s.key}}, s.body)
		if err != nil {
			return sa, false, err
		}
		switch {
		case resp.Status == http.StatusCreated && resp.Header.Get("Idempotency-Replayed") == "":
		case resp.Status == http.StatusOK && resp.Header.Get("Idempotency-Replayed") == "true":
			replayed = true
		default:
			return sa, false, fmt.Errorf("status %d (Idempotency-Replayed %q): %.300s", resp.Status, resp.Header.Get("Idempotency-Replayed"), resp.Body)
		}
		if err := json.Unmarshal(resp.Body, &sa); err != nil {
			return sa, false, fmt.Errorf("decode the answer: %v", err)
		}
		var in struct {
			ID string `json:"id"`
		}
		if err := json.Unmarshal(sa.Input, &in); err != nil || in.ID != s.key {
			return sa, false, fmt.Errorf("the returned input has id %q, want %q (%v)", in.ID, s.key, err)
		}
		if sa.Assessment.ID <= 0 || sa.Assessment.PatientID != patientID || len(sa.Result) == 0 {
			return sa, false, fmt.Errorf("no assessment id, patient or result in the answer: %.300s", resp.Body)
		}
		return sa, replayed, nil
	}

	var all []*durableSave
	committedUnackedAll := 0
	for round := range rounds {
		var (
			killed   atomic.Bool
			inFlight atomic.Int64
			mu       sync.Mutex
			saves    []*durableSave // this round's, in the order they were sent
			acks     []*durableSave // in the order they were acknowledged
			failures []string
		)
		ackCount := func() int { mu.Lock(); defer mu.Unlock(); return len(acks) }
		var wg sync.WaitGroup
		for w := range workers {
			wg.Go(func() {
				for n := 0; ; n++ {
					if killed.Load() || ctx.Err() != nil {
						return
					}
					k := (w + n) % len(docs)
					key := fmt.Sprintf("durability-r%d-w%d-n%05d-%s", round, w, n, names[k])
					s := &durableSave{key: key, body: withField(docs[k], "id", key)}
					mu.Lock()
					saves = append(saves, s)
					mu.Unlock()
					inFlight.Add(1)
					sa, replayed, err := post(ctx, api, s)
					inFlight.Add(-1)
					mu.Lock()
					switch {
					case err == nil && !replayed:
						s.acked, s.saved, s.aid = true, sa, sa.Assessment.ID
						acks = append(acks, s)
					case err == nil:
						failures = append(failures, fmt.Sprintf("%s: the first save of a new key answered as a replay", key))
					case killed.Load():
						// Cut off by the kill: no acknowledgement, nothing
						// promised; retried after the restart.
					default:
						failures = append(failures, fmt.Sprintf("%s: %v", key, err))
					}
					mu.Unlock()
				}
			})
		}

		// Kill after killAt or killAcks acknowledged saves, at a moment
		// when requests are in flight; but not before a few saves were
		// acknowledged, waiting at most ackWait for them.
		const minAcks, ackWait = 4, 30 * time.Second
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
			t.Fatalf("round %d: SIGKILL: %v", round, err)
		}
		elapsed := time.Since(start)
		wg.Wait()
		if len(failures) > 0 {
			t.Fatalf("round %d: %d saves failed before the kill; first: %s\nserver stderr:\n%s", round, len(failures), failures[0], srv.Stderr())
		}
		if len(acks) == 0 {
			t.Fatalf("round %d: no save was acknowledged before the kill", round)
		}
		t.Logf("round %d: killed the server (SIGKILL) after %v: %d saves sent, %d acknowledged, %d in flight at the kill, %d without an answer",
			round, elapsed.Round(time.Millisecond), len(saves), len(acks), inFlightAtKill, len(saves)-len(acks))
		if inFlightAtKill == 0 {
			t.Logf("round %d: warning: no request was in flight at the kill", round)
		}
		seen := map[int64]string{}
		for _, s := range acks {
			if prev, dup := seen[s.aid]; dup {
				t.Fatalf("round %d: assessment id %d acknowledged for two keys (%s and %s)", round, s.aid, prev, s.key)
			}
			seen[s.aid] = s.key
		}

		// Restart on the same database and retry, with the same key,
		// every save that has no acknowledgement: twice at once, as two
		// retries racing each other. A save the kill cut off between its
		// commit and its answer replays (200); one that never committed
		// is stored now (201) by one of the two, and the other replays
		// it.
		srv = servetest.Start(t, bin, db, serveArgs...)
		api = servetest.NewClient(srv.URL, acct.Token)
		var committedUnacked, storedOnRetry int
		for _, s := range saves {
			if s.acked {
				continue
			}
			type answer struct {
				sa       savedAssessment
				replayed bool
				err      error
			}
			var ans [2]answer
			var rwg sync.WaitGroup
			for i := range ans {
				rwg.Go(func() {
					rctx, rcancel := context.WithTimeout(ctx, 30*time.Second)
					defer rcancel()
					ans[i].sa, ans[i].replayed, ans[i].err = post(rctx, api, s)
				})
			}
			rwg.Wait()
			for _, a := range ans {
				if a.err != nil {
					t.Fatalf("round %d: retry of %s after the restart: %v\nserver stderr:\n%s", round, s.key, a.err, srv.Stderr())
				}
			}
			if a, b := ans[0].sa.Assessment.ID, ans[1].sa.Assessment.ID; a != b {
				t.Errorf("round %d: two retries of %s answered with assessments %d and %d", round, s.key, a, b)
			}
			switch {
			case ans[0].replayed && ans[1].replayed:
				committedUnacked++
			case ans[0].replayed != ans[1].replayed:
				storedOnRetry++
			default:
				t.Errorf("round %d: both retries of %s stored it (201 twice)", round, s.key)
			}
			if !bytes.Equal(ans[0].sa.Input, ans[1].sa.Input) || !bytes.Equal(ans[0].sa.Result, ans[1].sa.Result) {
				t.Errorf("round %d: two retries of %s answered with different inputs or results", round, s.key)
			}
			s.aid = ans[0].sa.Assessment.ID
		}

		// Retry a sample of acknowledged saves: the last ones before
		// the kill, and others spread over the round. Each replays the
		// acknowledged assessment, as it was returned.
		sample := acks[max(0, len(acks)-sampled/4):]
		if rest := acks[:len(acks)-len(sample)]; len(rest) > 0 {
			m := sampled - len(sample)
			step := (len(rest) + m - 1) / m
			for i := 0; i < len(rest); i += step {
				sample = append(sample, rest[i])
			}
		}
		for _, s := range sample {
			rctx, rcancel := context.WithTimeout(ctx, 30*time.Second)
			sa, replayed, err := post(rctx, api, s)
			rcancel()
			switch {
			case err != nil:
				t.Fatalf("round %d: retry of acknowledged %s: %v", round, s.key, err)
			case !replayed:
				t.Errorf("round %d: retry of acknowledged %s stored it again (201, assessment %d; acknowledged as %d)", round, s.key, sa.Assessment.ID, s.aid)
			case sa.Assessment.ID != s.aid:
				t.Errorf("round %d: retry of acknowledged %s replayed assessment %d, acknowledged as %d", round, s.key, sa.Assessment.ID, s.aid)
			case !bytes.Equal(sa.Input, s.saved.Input) || !bytes.Equal(sa.Result, s.saved.Result):
				t.Errorf("round %d: retry of acknowledged %s replayed another input or result than the acknowledgement", round, s.key)
			}
		}
		t.Logf("round %d: after the restart, retried %d unacknowledged saves (twice at once each): %d had committed without an acknowledgement (replayed), %d stored by the retry; %d acknowledged saves retried, all replayed",
			round, len(saves)-len(acks), committedUnacked, storedOnRetry, len(sample))
		all = append(all, saves...)
		committedUnackedAll += committedUnacked
	}

	// Each key sent is stored exactly once: the patient has as many
	// assessments as keys, and each is the one its key's last answer
	// named, with the input saved under that key. Acknowledged ones are
	// as their acknowledgement returned them, byte for byte.
	var list struct {
		Assessments []struct {
			ID int64 `json:"id"`
		} `json:"assessments"`
	}
	api.JSON(t, http.MethodGet, path, nil, http.StatusOK, &list)
	stored := map[int64]savedAssessment{}
	perKey := map[string]int{}
	for _, a := range list.Assessments {
		var got savedAssessment
		api.JSON(t, http.MethodGet, fmt.Sprintf("%s/%d", path, a.ID), nil, http.StatusOK, &got)
		var in struct {
			ID string `json:"id"`
		}
		if err := json.Unmarshal(got.Input, &in); err != nil {
			t.Fatalf("assessment %d: input: %v", a.ID, err)
		}
		stored[a.ID] = got
		perKey[in.ID]++
	}
	acked := 0
	for _, s := range all {
		if n := perKey[s.key]; n != 1 {
			t.Errorf("key %s is stored %d times, want once", s.key, n)
		}
		got, ok := stored[s.aid]
		if !ok {
			t.Errorf("assessment %d (%s, acknowledged %v) is not in the patient's list after the restarts", s.aid, s.key, s.acked)
			continue
		}
		if !s.acked {
			continue
		}
		acked++
		if !bytes.Equal(got.Input, s.saved.Input) {
			t.Errorf("assessment %d (%s): the input differs from the one the save returned:\nsaved: %s\nnow:   %s", s.aid, s.key, s.saved.Input, got.Input)
		}
		if !bytes.Equal(got.Result, s.saved.Result) {
			t.Errorf("assessment %d (%s): the result differs from the one the save returned", s.aid, s.key)
		}
	}
	if got, want := len(list.Assessments), len(all); got != want {
		t.Errorf("the patient has %d assessments after %d rounds, want %d, one per key sent", got, rounds, want)
	}
	t.Logf("after %d rounds: %d keys sent, %d acknowledged at the first attempt, %d committed without an acknowledgement, %d assessments stored, %d distinct keys among them",
		rounds, len(all), acked, committedUnackedAll, len(list.Assessments), len(perKey))
	if committedUnackedAll == 0 {
		t.Log("warning: no kill landed between a commit and its answer, so no retry replayed a save that was never acknowledged")
	}

	// The restarted server stops cleanly; on SQLite, the file opens
	// cleanly and passes SQLite's integrity check.
	if err := srv.Stop(15 * time.Second); err != nil {
		t.Errorf("stopping the restarted server: %v\nstderr:\n%s", err, srv.Stderr())
	}
	if !sqlite {
		return
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

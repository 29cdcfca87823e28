package clinic_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/tendo-health/tendo"
	"github.com/tendo-health/tendo/clinic"
	"github.com/tendo-health/tendo/internal/dbtest"
	"github.com/tendo-health/tendo/sqlstore"
)

// fakeAssessor returns a fixed result, or err; it counts its calls.
type fakeAssessor struct {
	err   error
	calls atomic.Int64
}

func (f *fakeAssessor) Assess(a *tendo.Assessment) (*tendo.Result, error) {
	f.calls.Add(1)
	if f.err != nil {
		return nil, f.err
	}
	return &tendo.Result{ID: a.ID, ModelVersion: f.ModelVersion(), Classification: tendo.LocalTendinopathy}, nil
}

func (f *fakeAssessor) ModelVersion() string { return "fake 1" }

// world is a service over a store with two clinics, a clinician in each
// and an admin, and a patient in each clinic.
type world struct {
	svc               *clinic.Service
	db                *sqlstore.DB
	as                *fakeAssessor
	clinA, clinB      tendo.Clinic
	admin, alice, bob tendo.User
	patA, patB        tendo.PatientRecord
	asAdmin, asA, asB context.Context
	anonymous, system context.Context
}

func newWorld(t *testing.T, db *sqlstore.DB) *world {
	t.Helper()
	ctx := context.Background()
	w := &world{db: db, as: &fakeAssessor{}}
	w.svc = clinic.New(db, w.as, nil)
	var err error
	must := func(what string, err error) {
		t.Helper()
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	w.clinA, err = db.CreateClinic(ctx, "A")
	must("clinic A", err)
	w.clinB, err = db.CreateClinic(ctx, "B")
	must("clinic B", err)
	w.admin, err = db.CreateUser(ctx, tendo.User{Email: "admin@x.test", Name: "Admin", Role: tendo.RoleAdmin})
	must("admin", err)
	w.alice, err = db.CreateUser(ctx, tendo.User{Email: "alice@x.test", Name: "Alice", Role: tendo.RoleClinician, ClinicIDs: []int64{w.clinA.ID}})
	must("alice", err)
	w.bob, err = db.CreateUser(ctx, tendo.User{Email: "bob@x.test", Name: "Bob", Role: tendo.RoleClinician, ClinicIDs: []int64{w.clinB.ID}})
	must("bob", err)
	as := func(u tendo.User) context.Context {
		return tendo.NewContext(ctx, tendo.Actor{User: &u, Addr: "192.0.2.1", UserAgent: "test"})
	}
	w.asAdmin, w.asA, w.asB = as(w.admin), as(w.alice), as(w.bob)
	w.anonymous = tendo.NewContext(ctx, tendo.Actor{Addr: "192.0.2.9"})
	w.system = tendo.SystemContext(ctx, "test")
	w.patA, err = w.svc.CreatePatient(w.asA, tendo.NewPatient{ClinicID: w.clinA.ID, Name: "Pat A"})
	must("patient A", err)
	w.patB, err = w.svc.CreatePatient(w.asB, tendo.NewPatient{ClinicID: w.clinB.ID, Name: "Pat B"})
	must("patient B", err)
	return w
}

// entries returns the audit entries with the action, oldest first.
func (w *world) entries(t *testing.T, action string) []tendo.AuditEntry {
	t.Helper()
	es, err := w.db.AuditLog(context.Background(), tendo.AuditFilter{Action: action, Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	for i, j := 0, len(es)-1; i < j; i, j = i+1, j-1 {
		es[i], es[j] = es[j], es[i]
	}
	return es
}

func code(err error) string { return tendo.ErrorCode(err) }

func visit(patientID int64, key string) tendo.NewVisit {
	return tendo.NewVisit{PatientID: patientID, Assessment: &tendo.Assessment{Schema: "tendo/assessment/v1", Date: "2026-11-30"},
		Input: []byte(`{"schema":"tendo/assessment/v1"}`), IdempotencyKey: key}
}

func TestPatientAccess(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		w := newWorld(t, db)
		tests := []struct {
			name string
			ctx  context.Context
			id   int64
			want string
		}{
			{"own clinic", w.asA, w.patA.ID, ""},
			{"admin, any clinic", w.asAdmin, w.patA.ID, ""},
			{"system", w.system, w.patB.ID, ""},
			{"other clinic is not found", w.asB, w.patA.ID, tendo.ENOTFOUND},
			{"unknown id", w.asA, w.patA.ID + 1, tendo.ENOTFOUND},
			{"zero id", w.asA, 0, tendo.ENOTFOUND},
			{"nobody", w.anonymous, w.patA.ID, tendo.EUNAUTHORIZED},
		}
		for _, tt := range tests {
			_, err := w.svc.FindPatient(tt.ctx, tt.id)
			if code(err) != tt.want {
				t.Errorf("%s: %v, want code %q", tt.name, err, tt.want)
			}
		}
		// The other clinic's attempt is recorded as a denial, with the
		// address it came from.
		denials := w.entries(t, tendo.ActionDenied)
		found := false
		for _, e := range denials {
			if e.UserID == w.bob.ID && e.PatientID == w.patA.ID && e.Addr == "192.0.2.1" && e.UserAgent == "test" {
				found = true
			}
		}
		if !found {
			t.Errorf("no denial entry for Bob's attempt on patient A: %+v", denials)
		}
		// Lists are audited with the IDs shown; a clinician sees only
		// their clinic.
		ps, err := w.svc.FindPatients(w.asB)
		if err != nil {
			t.Fatal(err)
		}
		if len(ps) != 1 || ps[0].ID != w.patB.ID {
			t.Errorf("Bob's list: %+v", ps)
		}
		lists := w.entries(t, tendo.ActionPatientList)
		if n := len(lists); n == 0 || !strings.Contains(lists[n-1].Detail, fmt.Sprint(w.patB.ID)) || strings.Contains(lists[n-1].Detail, fmt.Sprint(w.patA.ID)) {
			t.Errorf("list entry: %+v", lists)
		}
		// Patients are created in one of the actor's clinics only.
		_, err = w.svc.CreatePatient(w.asA, tendo.NewPatient{ClinicID: w.clinB.ID, Name: "X"})
		var e *tendo.Error
		if !errors.As(err, &e) || e.Field != "clinicId" {
			t.Errorf("creating in another clinic: %v, want a clinicId error", err)
		}
	})
}

// IDs are random, not sequential.
func TestPublicIDsAreNotSequential(t *testing.T) {
	t.Parallel()
	w := newWorld(t, dbtest.SQLite(t))
	var ids []int64
	for i := range 20 {
		p, err := w.svc.CreatePatient(w.asA, tendo.NewPatient{ClinicID: w.clinA.ID, Name: fmt.Sprint("P", i)})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, p.ID)
	}
	increasing := 0
	for i := 1; i < len(ids); i++ {
		if ids[i] == ids[i-1]+1 {
			t.Errorf("consecutive IDs %d, %d", ids[i-1], ids[i])
		}
		if ids[i] > ids[i-1] {
			increasing++
		}
		if ids[i] < 1<<32 || ids[i] >= 1<<53 {
			t.Errorf("ID %d outside [2^32, 2^53)", ids[i])
		}
	}
	// 19 comparisons of random IDs: all increasing has probability 1/19!.
	if increasing == len(ids)-1 {
		t.Errorf("IDs in increasing order: %v", ids)
	}
}

func TestIdempotentVisit(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		w := newWorld(t, db)
		first, replayed, err := w.svc.CreateVisit(w.asA, visit(w.patA.ID, "key-1"))
		if err != nil || replayed {
			t.Fatalf("first save: %v (replayed %v)", err, replayed)
		}
		again, replayed, err := w.svc.CreateVisit(w.asA, visit(w.patA.ID, "key-1"))
		if err != nil || !replayed || again.ID != first.ID {
			t.Fatalf("retry: %+v, replayed %v, %v; want the first save %d", again, replayed, err, first.ID)
		}
		// Concurrent retries of one key store one visit.
		var wg sync.WaitGroup
		ids := make([]int64, 20)
		errs := make([]error, 20)
		for i := range ids {
			wg.Go(func() {
				st, _, err := w.svc.CreateVisit(w.asA, visit(w.patA.ID, "key-2"))
				ids[i], errs[i] = st.ID, err
			})
		}
		wg.Wait()
		for i := range ids {
			if errs[i] != nil || ids[i] != ids[0] {
				t.Errorf("concurrent retry %d: id %d, %v; want %d", i, ids[i], errs[i], ids[0])
			}
		}
		// Another key, or no key, stores another; the same key for
		// another user's save is theirs alone.
		if st, _, err := w.svc.CreateVisit(w.asA, visit(w.patA.ID, "")); err != nil || st.ID == first.ID {
			t.Errorf("no key: %v %d", err, st.ID)
		}
		if st, replayed, err := w.svc.CreateVisit(w.asAdmin, visit(w.patA.ID, "key-1")); err != nil || replayed || st.ID == first.ID {
			t.Errorf("the admin's key-1: %v replayed %v id %d", err, replayed, st.ID)
		}
		list, err := w.svc.FindVisits(w.asA, w.patA.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(list) != 4 {
			t.Errorf("%d visits stored, want 4 (key-1, key-2, no key, the admin's key-1)", len(list))
		}
		if n := len(w.entries(t, tendo.ActionAssessmentCreate)); n != 4 {
			t.Errorf("%d assessment.create entries, want 4", n)
		}
		if n := len(w.entries(t, tendo.ActionAssessmentReplay)); n != 20 {
			t.Errorf("%d replay entries, want 20 (one retry, 19 concurrent)", n)
		}
		// A key too long or with control characters is refused.
		for _, key := range []string{strings.Repeat("k", tendo.MaxIdempotencyKeyLength+1), "a\nb"} {
			var e *tendo.Error
			if _, _, err := w.svc.CreateVisit(w.asA, visit(w.patA.ID, key)); !errors.As(err, &e) || e.Field != "idempotencyKey" {
				t.Errorf("key %q: %v", key, err)
			}
		}
	})
}

// failingAudit is a store whose audit log cannot be written.
type failingAudit struct{ tendo.Store }

func (failingAudit) Audit(context.Context, tendo.AuditEntry) error { return errors.New("disk full") }
func (f failingAudit) InTx(ctx context.Context, fn func(tendo.Store) error) error {
	return f.Store.InTx(ctx, func(tx tendo.Store) error { return fn(failingAudit{tx}) })
}

// A read whose audit entry cannot be written is refused, and a change
// whose entry cannot be written is not stored.
func TestNoAuditNoAccess(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		w := newWorld(t, db)
		broken := clinic.New(failingAudit{db}, w.as, nil)
		if _, err := broken.FindPatient(w.asA, w.patA.ID); code(err) != tendo.EINTERNAL {
			t.Errorf("read without audit: %v, want an internal error", err)
		}
		if _, err := broken.FindTimeline(w.asA, w.patA.ID); code(err) != tendo.EINTERNAL {
			t.Errorf("timeline without audit: %v", err)
		}
		if _, _, err := broken.CreateVisit(w.asA, visit(w.patA.ID, "")); code(err) != tendo.EINTERNAL {
			t.Errorf("save without audit: %v", err)
		}
		as, err := db.Assessments(context.Background(), w.patA.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(as) != 0 {
			t.Errorf("the save whose audit failed was stored: %+v", as)
		}
	})
}

// The assessor's errors: the caller's mistakes are EINVALID, the
// program's EINTERNAL (never shown as invalid input).
func TestAssessErrors(t *testing.T) {
	t.Parallel()
	w := newWorld(t, dbtest.SQLite(t))
	tests := []struct {
		name string
		err  error
		want string
	}{
		{"score errors", tendo.ScoreErrors{{Measure: "visaA", Field: "answers[2]", Item: 2, Value: "11", Msg: "is out of range"}}, tendo.EINVALID},
		{"an application error", &tendo.Error{Code: tendo.EINVALID, Message: "findings contradict"}, tendo.EINVALID},
		{"anything else", errors.New("junction tree: out of memory"), tendo.EINTERNAL},
	}
	for _, tt := range tests {
		w.as.err = tt.err
		_, err := w.svc.Assess(w.asA, &tendo.Assessment{})
		if code(err) != tt.want {
			t.Errorf("%s: %v, want %s", tt.name, err, tt.want)
		}
	}
	w.as.err = tendo.ScoreErrors{{Measure: "visaA", Field: "answers[2]", Value: "11", Msg: "is out of range"}}
	_, err := w.svc.Assess(w.asA, &tendo.Assessment{})
	var e *tendo.Error
	if !errors.As(err, &e) || e.Field != "proms.visaA.answers[2]" || e.Value != "11" {
		t.Errorf("score error: %#v, want field proms.visaA.answers[2]", err)
	}
	if _, err := w.svc.Assess(w.anonymous, &tendo.Assessment{}); code(err) != tendo.EUNAUTHORIZED {
		t.Errorf("anonymous assess: %v", err)
	}
}

// The audit log pages through 10,000 entries, newest first, each once.
func TestAuditPaging(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		w := newWorld(t, db)
		ctx := context.Background()
		t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
		const n = 10000
		err := db.InTx(ctx, func(tx tendo.Store) error {
			for i := range n {
				e := tendo.AuditEntry{At: t0.Add(time.Duration(i) * time.Second), UserID: w.alice.ID, Actor: "user", PatientID: w.patA.ID, Action: "bulk.test", Detail: fmt.Sprint(i)}
				if i%2 == 1 {
					e.PatientID = w.patB.ID
				}
				if err := tx.Audit(ctx, e); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		seen := map[string]bool{}
		var before int64
		pages := 0
		last := int64(1 << 62)
		for {
			page, err := w.svc.FindAuditEntries(w.asAdmin, tendo.AuditFilter{Action: "bulk.test", Before: before, Limit: 1000})
			if err != nil {
				t.Fatal(err)
			}
			pages++
			for _, e := range page.Entries {
				if e.ID >= last {
					t.Fatalf("entry %d after %d: not newest first", e.ID, last)
				}
				last = e.ID
				if seen[e.Detail] {
					t.Fatalf("entry %s twice", e.Detail)
				}
				seen[e.Detail] = true
			}
			if page.Next == 0 {
				break
			}
			before = page.Next
		}
		if len(seen) != n || pages != n/1000 {
			t.Errorf("%d entries in %d pages, want %d in %d", len(seen), pages, n, n/1000)
		}
		// Filters: patient and time range.
		page, err := w.svc.FindAuditEntries(w.asAdmin, tendo.AuditFilter{Action: "bulk.test", PatientID: w.patB.ID, From: t0.Add(100 * time.Second), To: t0.Add(200 * time.Second)})
		if err != nil {
			t.Fatal(err)
		}
		if len(page.Entries) != 50 {
			t.Errorf("patient B from 100 s to 200 s: %d entries, want 50", len(page.Entries))
		}
		// Only an admin reads the log; each read is itself audited.
		if _, err := w.svc.FindAuditEntries(w.asA, tendo.AuditFilter{}); code(err) != tendo.EFORBIDDEN {
			t.Errorf("clinician reads the audit log: %v", err)
		}
		if got := len(w.entries(t, tendo.ActionAuditRead)); got != pages+1 {
			t.Errorf("%d audit.read entries, want %d", got, pages+1)
		}
		for _, f := range []tendo.AuditFilter{{Limit: 1001}, {Limit: -1}, {Before: -5}, {From: t0, To: t0}} {
			if _, err := w.svc.FindAuditEntries(w.asAdmin, f); code(err) != tendo.EINVALID {
				t.Errorf("filter %+v: %v, want invalid", f, err)
			}
		}
	})
}

// blockingAssessor holds every assessment until release is closed.
type blockingAssessor struct {
	started chan struct{}
	release chan struct{}
}

func (b blockingAssessor) Assess(a *tendo.Assessment) (*tendo.Result, error) {
	b.started <- struct{}{}
	<-b.release
	return &tendo.Result{Classification: tendo.LocalTendinopathy}, nil
}
func (blockingAssessor) ModelVersion() string { return "blocking 1" }

// Assessments beyond AssessSlots wait at most AssessWait, then get
// ETOOMANY; a client that gives up while waiting starts nothing.
func TestAssessSlots(t *testing.T) {
	t.Parallel()
	w := newWorld(t, dbtest.SQLite(t))
	b := blockingAssessor{started: make(chan struct{}, 4), release: make(chan struct{})}
	svc := clinic.New(w.db, b, nil)
	svc.AssessSlots, svc.AssessWait = 2, 20*time.Millisecond
	var wg sync.WaitGroup
	for range 2 {
		wg.Go(func() {
			if _, err := svc.Assess(w.asA, &tendo.Assessment{}); err != nil {
				t.Errorf("an assessment in a slot: %v", err)
			}
		})
	}
	<-b.started
	<-b.started
	if _, err := svc.Assess(w.asA, &tendo.Assessment{}); code(err) != tendo.ETOOMANY {
		t.Errorf("a third assessment with both slots busy: %v, want too_many_requests", err)
	}
	gone, cancel := context.WithCancel(w.asA)
	cancel()
	svc.AssessWait = time.Hour
	if _, err := svc.Assess(gone, &tendo.Assessment{}); !errors.Is(err, context.Canceled) {
		t.Errorf("a client that has gone: %v, want context.Canceled", err)
	}
	close(b.release)
	wg.Wait()
	if len(b.started) != 0 {
		t.Errorf("%d assessments started beyond the slots", len(b.started))
	}
}

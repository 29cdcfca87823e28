package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tendo-health/tendo"
	"github.com/tendo-health/tendo/storetest"
)

// openSQLite opens a new SQLite database in a file of the test's own,
// closed at cleanup.
func openSQLite(t testing.TB) *DB {
	t.Helper()
	return openSQLitePath(t, filepath.Join(t.TempDir(), "tendo.db"))
}

func openSQLitePath(t testing.TB, path string) *DB {
	t.Helper()
	d, err := OpenSQLite(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := d.Close(); err != nil {
			t.Errorf("close: %v", err)
		}
	})
	return d
}

func TestSQLite(t *testing.T) {
	storetest.Run(t, func(t *testing.T) tendo.Store { return openSQLite(t) })
}

func TestSQLiteMemory(t *testing.T) {
	storetest.Run(t, func(t *testing.T) tendo.Store { return openSQLitePath(t, ":memory:") })
}

func TestSQLiteMigrationsIdempotent(t *testing.T) {
	path := filepath.Join(t.TempDir(), "tendo.db")
	testMigrationsIdempotent(t, func(t *testing.T) *DB { return openSQLitePath(t, path) })
}

// testMigrationsIdempotent opens the same database three times, twice at
// once: each migration is recorded once and the data is kept.
func testMigrationsIdempotent(t *testing.T, open func(t *testing.T) *DB) {
	ctx := t.Context()
	first := open(t)
	if _, err := first.CreateClinic(ctx, "Kept"); err != nil {
		t.Fatal(err)
	}
	first.Close()

	var wg sync.WaitGroup
	dbs := make([]*DB, 2)
	for i := range dbs {
		wg.Go(func() { dbs[i] = open(t) })
	}
	wg.Wait()
	for _, d := range dbs {
		if d == nil {
			t.FailNow()
		}
		ms, err := d.migrations()
		if err != nil {
			t.Fatal(err)
		}
		rows, err := d.r.QueryContext(ctx, "SELECT name FROM migrations ORDER BY name")
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for rows.Next() {
			var n string
			if err := rows.Scan(&n); err != nil {
				t.Fatal(err)
			}
			names = append(names, n)
		}
		rows.Close()
		var want []string
		for _, m := range ms {
			want = append(want, m.name)
		}
		if strings.Join(names, ",") != strings.Join(want, ",") {
			t.Errorf("recorded migrations %v, want %v", names, want)
		}
		cs, err := d.Clinics(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(cs) != 1 || cs[0].Name != "Kept" {
			t.Errorf("clinics after reopening: %+v", cs)
		}
	}
}

// TestSQLitePragmas checks the settings of the writer and of several
// reader connections at once.
func TestSQLitePragmas(t *testing.T) {
	ctx := t.Context()
	d := openSQLite(t)
	check := func(name string, c *sql.Conn) {
		for pragma, want := range map[string]string{
			"journal_mode": "wal",
			"synchronous":  "2", // FULL
			"foreign_keys": "1",
			"busy_timeout": "5000",
		} {
			var got string
			if err := c.QueryRowContext(ctx, "PRAGMA "+pragma).Scan(&got); err != nil {
				t.Fatalf("%s: %s: %v", name, pragma, err)
			}
			if got != want {
				t.Errorf("%s: %s = %s, want %s", name, pragma, got, want)
			}
		}
	}
	w, err := d.w.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	check("writer", w)
	w.Close()
	var readers []*sql.Conn
	for i := range 3 {
		c, err := d.r.Conn(ctx)
		if err != nil {
			t.Fatal(err)
		}
		readers = append(readers, c)
		check(fmt.Sprint("reader ", i), c)
		if _, err := c.ExecContext(ctx, "INSERT INTO login_failures (key, at) VALUES ('x', 'y')"); err == nil {
			t.Errorf("reader %d could write", i)
		}
	}
	for _, c := range readers {
		c.Close()
	}
}

// TestSQLiteTwoHandles shares one file between two DBs, as two processes
// would: concurrent writes through both wait for each other rather than
// fail, and a link raced through both is used once.
func TestSQLiteTwoHandles(t *testing.T) {
	ctx := t.Context()
	path := filepath.Join(t.TempDir(), "tendo.db")
	a, b := openSQLitePath(t, path), openSQLitePath(t, path)
	c, err := a.CreateClinic(ctx, "C")
	if err != nil {
		t.Fatal(err)
	}
	p, err := a.CreatePatient(ctx, tendo.PatientRecord{ClinicID: c.ID, Name: "P"})
	if err != nil {
		t.Fatal(err)
	}
	in, res := benchDocs()
	var wg sync.WaitGroup
	const workers, each = 8, 10
	errs := make(chan error, 2*workers*each)
	for w := range workers {
		d := a
		if w%2 == 1 {
			d = b
		}
		wg.Go(func() {
			for range each {
				_, err := d.SaveAssessment(ctx, tendo.StoredAssessment{
					PatientID: p.ID, Date: "2031-01-01", Input: in, Result: res, ModelVersion: "v", Classification: tendo.Mixed,
				})
				if err != nil {
					errs <- err
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Errorf("save: %v", err)
	}
	list, err := b.Assessments(ctx, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != workers*each {
		t.Errorf("%d assessments, want %d", len(list), workers*each)
	}

	// SetClinics reads before it writes: a transaction that began as a
	// reader could not become a writer after the other handle wrote.
	u, err := a.CreateUser(ctx, tendo.User{Email: "u@example.com", Role: tendo.RoleClinician})
	if err != nil {
		t.Fatal(err)
	}
	errs = make(chan error, 2*workers*each)
	for w := range workers {
		d := a
		if w%2 == 1 {
			d = b
		}
		wg.Go(func() {
			for range each {
				if err := d.SetClinics(ctx, u.ID, []int64{c.ID}); err != nil {
					errs <- err
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Errorf("set clinics: %v", err)
	}

	for round := range 5 {
		l, err := a.CreateLink(ctx, tendo.QuestionnaireLink{PatientID: p.ID, Instrument: tendo.InstrumentODI, ExpiresAt: time.Now().Add(time.Hour)}, fmt.Sprint("h", round))
		if err != nil {
			t.Fatal(err)
		}
		results := make([]error, 6)
		for i := range results {
			d := a
			if i%2 == 1 {
				d = b
			}
			wg.Go(func() {
				_, results[i] = d.SubmitResponse(ctx, tendo.QuestionnaireResponse{LinkID: l.ID, Answers: []byte(`{"answers":[]}`)}, time.Now())
			})
		}
		wg.Wait()
		ok := 0
		for _, err := range results {
			switch tendo.ErrorCode(err) {
			case "":
				ok++
			case tendo.ECONFLICT:
			default:
				t.Errorf("round %d: %v", round, err)
			}
		}
		if ok != 1 {
			t.Errorf("round %d: %d successes, want 1", round, ok)
		}
	}
}

// TestSQLiteSurvivesKill saves from a child process that then kills
// itself without closing the database: every save it acknowledged is
// there when the database is opened again.
func TestSQLiteSurvivesKill(t *testing.T) {
	if path := os.Getenv("TENDO_SQLSTORE_KILL_CHILD"); path != "" {
		killChild(path)
		return
	}
	if testing.Short() {
		t.Skip("starts a process")
	}
	path := filepath.Join(t.TempDir(), "tendo.db")
	cmd := exec.CommandContext(t.Context(), os.Args[0], "-test.run=^TestSQLiteSurvivesKill$")
	cmd.Env = append(os.Environ(), "TENDO_SQLSTORE_KILL_CHILD="+path)
	out, err := cmd.Output()
	if err == nil {
		t.Fatalf("child exited normally:\n%s", out)
	}
	var acked []int64
	for _, f := range strings.Fields(string(out)) {
		if id, err := strconv.ParseInt(f, 10, 64); err == nil {
			acked = append(acked, id)
		}
	}
	if len(acked) < 20 {
		t.Fatalf("child acknowledged %d saves: %v\n%s", len(acked), err, out)
	}
	d := openSQLitePath(t, path)
	for _, id := range acked {
		if _, err := d.Assessment(t.Context(), id); err != nil {
			t.Errorf("acknowledged assessment %d: %v", id, err)
		}
	}
}

// killChild saves assessments, printing each ID once the save returns,
// and kills its own process in the middle of saving.
func killChild(path string) {
	ctx := context.Background()
	d, err := OpenSQLite(ctx, path)
	if err != nil {
		fmt.Println("open:", err)
		os.Exit(2)
	}
	c, err := d.CreateClinic(ctx, "C")
	if err != nil {
		os.Exit(2)
	}
	p, err := d.CreatePatient(ctx, tendo.PatientRecord{ClinicID: c.ID, Name: "P"})
	if err != nil {
		os.Exit(2)
	}
	in, res := benchDocs()
	for i := 0; ; i++ {
		if i == 25 {
			// Keep saving in the background while the process dies.
			go func() {
				for {
					d.SaveAssessment(ctx, tendo.StoredAssessment{PatientID: p.ID, Date: "2031-01-01", Input: in, Result: res, ModelVersion: "v"})
				}
			}()
			time.Sleep(5 * time.Millisecond)
			self, _ := os.FindProcess(os.Getpid())
			self.Kill()
			select {}
		}
		a, err := d.SaveAssessment(ctx, tendo.StoredAssessment{PatientID: p.ID, Date: "2031-01-01", Input: in, Result: res, ModelVersion: "v"})
		if err != nil {
			fmt.Println("save:", err)
			os.Exit(2)
		}
		fmt.Println(a.ID)
		os.Stdout.Sync()
	}
}

func TestOpenChoosesSQLite(t *testing.T) {
	ctx := t.Context()
	dir := t.TempDir()
	for _, dsn := range []string{
		filepath.Join(dir, "plain.db"),
		"file:" + filepath.Join(dir, "uri.db"),
		"file:" + filepath.Join(dir, "uri-query.db") + "?cache=private",
	} {
		d, err := Open(ctx, dsn)
		if err != nil {
			t.Fatalf("open %s: %v", dsn, err)
		}
		if d.dialect != dialectSQLite {
			t.Errorf("%s: not SQLite", dsn)
		}
		if _, err := d.CreateClinic(ctx, "C"); err != nil {
			t.Errorf("%s: %v", dsn, err)
		}
		d.Close()
	}
	if _, err := os.Stat(filepath.Join(dir, "uri-query.db")); err != nil {
		t.Errorf("file: URI with a query: %v", err)
	}
	if _, err := Open(ctx, filepath.Join(dir, "what?.db")); err == nil {
		t.Errorf("a path with '?' was accepted")
	}
}

func TestLastUsedSQLite(t *testing.T) { testLastUsed(t, openSQLite(t)) }

// testLastUsed checks that UserByAPIToken records the token's use, which
// the Store interface cannot show.
func testLastUsed(t *testing.T, d *DB) {
	ctx := t.Context()
	u, err := d.CreateUser(ctx, tendo.User{Email: "a@example.com", Role: tendo.RoleAdmin})
	if err != nil {
		t.Fatal(err)
	}
	tok, err := d.CreateAPIToken(ctx, u.ID, "t", "hash")
	if err != nil {
		t.Fatal(err)
	}
	lastUsed := func() dbTime {
		var at dbTime
		if err := d.queryRow(ctx, d.rq(), "SELECT last_used_at FROM api_tokens WHERE id = ?", tok.ID).Scan(&at); err != nil {
			t.Fatal(err)
		}
		return at
	}
	if at := lastUsed(); at.Valid {
		t.Errorf("unused token last used at %v", at.T)
	}
	for _, now := range []time.Time{
		time.Date(2031, 1, 2, 3, 4, 5, 678901000, time.UTC),
		time.Date(2031, 1, 3, 0, 0, 0, 0, time.FixedZone("X", 7200)),
	} {
		if _, err := d.UserByAPIToken(ctx, "hash", now); err != nil {
			t.Fatal(err)
		}
		if at := lastUsed(); !at.Valid || !at.T.Equal(now) {
			t.Errorf("last used at %v (valid %v), want %v", at.T, at.Valid, now)
		}
	}
}

func TestNowField(t *testing.T) {
	d := openSQLite(t)
	fixed := time.Date(2030, 7, 8, 9, 10, 11, 123456789, time.FixedZone("Y", -3600))
	d.Now = func() time.Time { return fixed }
	c, err := d.CreateClinic(t.Context(), "C")
	if err != nil {
		t.Fatal(err)
	}
	want := fixed.UTC().Truncate(time.Microsecond)
	if c.CreatedAt != want {
		t.Errorf("created at %v, want %v", c.CreatedAt, want)
	}
	got, err := d.Clinic(t.Context(), c.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got != c {
		t.Errorf("read back %+v, want %+v", got, c)
	}
}

func TestBind(t *testing.T) {
	pg := &DB{dialect: dialectPostgres}
	sl := &DB{dialect: dialectSQLite}
	q := `SELECT '?', "a?b" FROM t WHERE x = ? AND y IN (?, ?) AND z = 'it''s ?'`
	if got, want := pg.bind(q), `SELECT '?', "a?b" FROM t WHERE x = $1 AND y IN ($2, $3) AND z = 'it''s ?'`; got != want {
		t.Errorf("postgres:\n got %s\nwant %s", got, want)
	}
	if got := sl.bind(q); got != q {
		t.Errorf("sqlite: %s", got)
	}
}

// TestFarTimes stores times outside years 1 to 9999 (a session that
// "never" expires): they are kept in range and still compare as times.
func TestFarTimes(t *testing.T) {
	ctx := t.Context()
	d := openSQLite(t)
	u, err := d.CreateUser(ctx, tendo.User{Email: "a@example.com", Role: tendo.RoleAdmin})
	if err != nil {
		t.Fatal(err)
	}
	far := time.Date(12000, 1, 1, 0, 0, 0, 0, time.UTC)
	if err := d.CreateSession(ctx, tendo.Session{ID: "s", UserID: u.ID, CSRF: "c", ExpiresAt: far}); err != nil {
		t.Fatal(err)
	}
	s, err := d.Session(ctx, "s", time.Date(9000, 1, 1, 0, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	if s.ExpiresAt.Year() != 9999 {
		t.Errorf("expires at %v, want the end of 9999", s.ExpiresAt)
	}
	if _, err := d.Session(ctx, "s", far); err == nil {
		t.Errorf("session found at its expiry")
	}
}

package sqlstore

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/binary"
	"errors"
	"fmt"
	"runtime"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/tendo-health/tendo"
)

// DB is a tendo.Store kept in SQLite or Postgres. It is safe for
// concurrent use.
type DB struct {
	// Now gives the time stamped on new records (created_at). It defaults
	// to time.Now; set it, if at all, before the DB is used.
	Now func() time.Time

	dialect dialect
	w       *sql.DB // writes and transactions
	r       *sql.DB // reads; the same pool as w except for file SQLite
	txn     *sql.Tx // set in the copy of the DB that InTx hands out
}

// wq is where writes go: the transaction of an InTx, else the writer.
func (d *DB) wq() querier {
	if d.txn != nil {
		return d.txn
	}
	return d.w
}

// rq is where reads go: the transaction of an InTx (which must see its
// own writes), else the reader pool.
func (d *DB) rq() querier {
	if d.txn != nil {
		return d.txn
	}
	return d.r
}

// InTx runs fn with a copy of the DB whose every method works in one
// write transaction; see tendo.Store.
func (d *DB) InTx(ctx context.Context, fn func(tendo.Store) error) error {
	if d.txn != nil {
		return fn(d)
	}
	return d.tx(ctx, func(tx *sql.Tx) error {
		c := *d
		c.txn = tx
		return fn(&c)
	})
}

// Ping checks that the database answers a query.
func (d *DB) Ping(ctx context.Context) error {
	var one int
	if err := d.queryRow(ctx, d.rq(), "SELECT 1").Scan(&one); err != nil {
		return fmt.Errorf("database ping: %w", err)
	}
	return nil
}

var _ tendo.Store = (*DB)(nil)

type dialect int

const (
	dialectSQLite dialect = iota
	dialectPostgres
)

// Connection settings.
const (
	sqliteReaders  = 8 // at least; GOMAXPROCS when larger
	postgresConns  = 20
	busyTimeoutMS  = 5000
	connMaxIdle    = 5 * time.Minute
	postgresMaxAge = 30 * time.Minute
)

// Open opens the database named by dsn and brings its schema up to date:
// Postgres for a postgres:// or postgresql:// URL, SQLite for anything
// else (a "file:" URI or a path). Its errors never show a password from
// dsn (see Redact).
func Open(ctx context.Context, dsn string) (*DB, error) {
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		return OpenPostgres(ctx, dsn)
	}
	d, err := OpenSQLite(ctx, dsn)
	if err != nil {
		return nil, redactErr(err, dsn)
	}
	return d, nil
}

// OpenSQLite opens (creating it if needed) the SQLite database at path and
// brings its schema up to date. path is a file name, a "file:" URI, or
// ":memory:" (a private in-memory database behind a single connection,
// gone at Close; for tests).
//
// The database holds patient records and password hashes, so its file is
// kept private. A new file is created with mode 0600. An existing file
// that group or others may read is tightened to owner-only permissions
// (0644 becomes 0600) rather than refused, and so are its -wal, -shm and
// -journal files, which SQLite creates with the database file's mode. A
// directory that every user may write to and that has no sticky bit is
// refused with an error naming it. None of this applies on Windows.
func OpenSQLite(ctx context.Context, path string) (*DB, error) {
	if path == "" {
		return nil, errors.New("open sqlite: empty path")
	}
	memory := path == ":memory:" || strings.Contains(path, ":memory:") || strings.Contains(path, "mode=memory")
	base, err := sqliteDSN(path)
	if err != nil {
		return nil, err
	}
	file, onDisk := sqliteFileName(path)
	if onDisk {
		if err := prepareSQLiteFile(file); err != nil {
			return nil, fmt.Errorf("open sqlite %s: %w", path, err)
		}
	}
	// Every connection: wait up to 5 s for another process's lock, write
	// ahead log, enforce foreign keys, fsync the log at every commit.
	pragmas := "_pragma=busy_timeout(" + strconv.Itoa(busyTimeoutMS) + ")" +
		"&_pragma=foreign_keys(1)" +
		"&_pragma=journal_mode(wal)" +
		"&_pragma=synchronous(full)"
	// Transactions on the writer begin IMMEDIATE: they take the write lock
	// at BEGIN, where the busy timeout applies, rather than failing with
	// SQLITE_BUSY when a read turns into a write.
	wdsn := base + pragmas + "&_txlock=immediate"

	d := &DB{Now: time.Now, dialect: dialectSQLite}
	d.w, err = sql.Open("sqlite", wdsn)
	if err != nil {
		return nil, fmt.Errorf("open sqlite %s: %w", path, err)
	}
	// One writer connection: SQLite has one writer per file, so writers in
	// this process queue for the connection instead of for the file lock.
	d.w.SetMaxOpenConns(1)
	d.w.SetMaxIdleConns(1)
	d.w.SetConnMaxLifetime(0)
	d.w.SetConnMaxIdleTime(0)
	if err := d.w.PingContext(ctx); err != nil {
		d.w.Close()
		return nil, fmt.Errorf("open sqlite %s: %w", path, err)
	}
	if memory {
		// Each connection to :memory: is a database of its own; keep one.
		d.r = d.w
	} else {
		d.r, err = sql.Open("sqlite", base+pragmas+"&_pragma=query_only(1)")
		if err != nil {
			d.w.Close()
			return nil, fmt.Errorf("open sqlite %s: %w", path, err)
		}
		n := max(sqliteReaders, runtime.GOMAXPROCS(0))
		d.r.SetMaxOpenConns(n)
		d.r.SetMaxIdleConns(n)
		d.r.SetConnMaxIdleTime(connMaxIdle)
	}
	if err := d.migrate(ctx); err != nil {
		d.Close()
		return nil, err
	}
	if d.r != d.w {
		if err := d.r.PingContext(ctx); err != nil {
			d.Close()
			return nil, fmt.Errorf("open sqlite %s: %w", path, err)
		}
	}
	if onDisk {
		// SQLite creates the -wal and -shm files with the database file's
		// mode, private by now; check it rather than trust it.
		if err := tightenCompanions(file); err != nil {
			d.Close()
			return nil, fmt.Errorf("open sqlite %s: %w", path, err)
		}
	}
	return d, nil
}

// sqliteDSN returns path with a query separator ready for parameters.
func sqliteDSN(path string) (string, error) {
	if strings.HasPrefix(path, "file:") {
		if strings.Contains(path, "?") {
			return path + "&", nil
		}
		return path + "?", nil
	}
	if strings.ContainsAny(path, "?#") {
		return "", fmt.Errorf("open sqlite %q: a path with '?' or '#' must be given as a file: URI", path)
	}
	return path + "?", nil
}

// OpenPostgres connects to the Postgres database named by dsn (a URL or
// key=value string that pgx understands) and brings its schema up to date.
// Its errors never show the password (see Redact).
func OpenPostgres(ctx context.Context, dsn string) (*DB, error) {
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		return nil, fmt.Errorf("open postgres: %w", redactErr(err, dsn))
	}
	db.SetMaxOpenConns(postgresConns)
	db.SetMaxIdleConns(postgresConns)
	db.SetConnMaxIdleTime(connMaxIdle)
	db.SetConnMaxLifetime(postgresMaxAge)
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("open postgres: %w", redactErr(err, dsn))
	}
	d := &DB{Now: time.Now, dialect: dialectPostgres, w: db, r: db}
	if err := d.migrate(ctx); err != nil {
		db.Close()
		return nil, redactErr(err, dsn)
	}
	return d, nil
}

// Close closes the database.
func (d *DB) Close() error {
	if d.txn != nil {
		return errors.New("sqlstore: Close inside a transaction")
	}
	err := d.w.Close()
	if d.r != nil && d.r != d.w {
		err = errors.Join(err, d.r.Close())
	}
	return err
}

// now is the creation time stamp for a new record.
func (d *DB) now() time.Time {
	f := d.Now
	if f == nil {
		f = time.Now
	}
	return stamp(f())
}

// stamp is t as stored: UTC, truncated to the microsecond (Postgres's
// precision, used for SQLite too so both return the same times), and
// within years 1 to 9999 (so that SQLite's text stays fixed width).
func stamp(t time.Time) time.Time {
	t = t.UTC().Truncate(time.Microsecond)
	switch {
	case t.Before(minTime):
		return minTime
	case t.After(maxTime):
		return maxTime
	}
	return t
}

var (
	minTime = time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC)
	maxTime = time.Date(9999, 12, 31, 23, 59, 59, 999999000, time.UTC)
)

// sqliteTime is the layout of a time in SQLite: fixed width, so that
// comparing the text compares the times.
const sqliteTime = "2006-01-02T15:04:05.000000Z07:00"

// ts is the query argument for a time.
func (d *DB) ts(t time.Time) any {
	t = stamp(t)
	if d.dialect == dialectSQLite {
		return t.Format(sqliteTime)
	}
	return t
}

// dbTime scans a time column, NULL or not, from either database.
type dbTime struct {
	T     time.Time
	Valid bool
}

func (x *dbTime) Scan(v any) error {
	switch v := v.(type) {
	case nil:
		*x = dbTime{}
		return nil
	case time.Time:
		*x = dbTime{T: v.UTC(), Valid: true}
		return nil
	case string:
		return x.parse(v)
	case []byte:
		return x.parse(string(v))
	}
	return fmt.Errorf("scan time: unexpected %T", v)
}

func (x *dbTime) parse(s string) error {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return fmt.Errorf("scan time: %w", err)
	}
	*x = dbTime{T: t.UTC(), Valid: true}
	return nil
}

// ptr returns the time, or nil for NULL.
func (x dbTime) ptr() *time.Time {
	if !x.Valid {
		return nil
	}
	t := x.T
	return &t
}

// nullID is the argument for an optional reference: NULL for 0.
func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

// publicID returns a random ID for a new patient, assessment or link:
// uniform in [2^32, 2^53), so it is not sequential, says nothing about how
// many records there are, and stays exact as a JSON number. Two IDs of
// one table collide with probability about n²/2^54 for n records (3 in
// 100,000 after a million); the insert then fails as a conflict and the
// client's retry gets a new ID.
func publicID() int64 {
	var b [8]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic(err) // crypto/rand does not fail on the platforms Go supports
	}
	const lo, span = int64(1) << 32, (int64(1) << 53) - (int64(1) << 32)
	return lo + int64(binary.BigEndian.Uint64(b[:])%uint64(span))
}

// overriding lets an INSERT give the ID of a Postgres identity column
// (GENERATED ALWAYS); SQLite takes a given ID as it is.
func (d *DB) overriding() string {
	if d.dialect == dialectPostgres {
		return " OVERRIDING SYSTEM VALUE"
	}
	return ""
}

// querier is what *sql.DB and *sql.Tx have in common.
type querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// Queries are written once with ? placeholders; bind rewrites them for
// Postgres.

func (d *DB) exec(ctx context.Context, q querier, query string, args ...any) (sql.Result, error) {
	return q.ExecContext(ctx, d.bind(query), args...)
}

func (d *DB) query(ctx context.Context, q querier, query string, args ...any) (*sql.Rows, error) {
	return q.QueryContext(ctx, d.bind(query), args...)
}

func (d *DB) queryRow(ctx context.Context, q querier, query string, args ...any) *sql.Row {
	return q.QueryRowContext(ctx, d.bind(query), args...)
}

// bind rewrites ? placeholders as $1, $2, ... for Postgres, leaving quoted
// strings and identifiers alone.
func (d *DB) bind(query string) string {
	if d.dialect != dialectPostgres || !strings.Contains(query, "?") {
		return query
	}
	var b strings.Builder
	b.Grow(len(query) + 16)
	n := 0
	var quote byte
	for i := 0; i < len(query); i++ {
		c := query[i]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '\'' || c == '"':
			quote = c
		case c == '?':
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			continue
		}
		b.WriteByte(c)
	}
	return b.String()
}

// placeholders returns "?, ?, ..." for n arguments.
func placeholders(n int) string {
	return strings.TrimSuffix(strings.Repeat("?, ", n), ", ")
}

// forUpdate locks the selected rows in Postgres; SQLite's write
// transactions hold the whole database already.
func (d *DB) forUpdate() string {
	if d.dialect == dialectPostgres {
		return " FOR UPDATE"
	}
	return ""
}

// tx runs fn in a write transaction, committing if it returns nil.
func (d *DB) tx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	if d.txn != nil {
		// Already in InTx's transaction: the outer call commits.
		return fn(d.txn)
	}
	tx, err := d.w.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	if err := fn(tx); err != nil {
		tx.Rollback()
		// Say which reference was missing, now that the connection is
		// free (and, in Postgres, no longer in a failed transaction).
		var re *refError
		if errors.As(err, &re) {
			return d.invalidRef(ctx, re.op, re.err, re.refs...)
		}
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}

// constraint is the kind of integrity constraint an error reports.
type constraint int

const (
	noConstraint constraint = iota
	uniqueViolation
	foreignKeyViolation
	checkViolation // CHECK or NOT NULL
)

// violation reports which kind of constraint err says was violated.
func violation(err error) constraint {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		switch pe.Code {
		case "23505":
			return uniqueViolation
		case "23503":
			return foreignKeyViolation
		case "23514", "23502":
			return checkViolation
		}
		return noConstraint
	}
	var se *sqlite.Error
	if errors.As(err, &se) {
		switch se.Code() {
		case sqlite3.SQLITE_CONSTRAINT_UNIQUE, sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY:
			return uniqueViolation
		case sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY:
			return foreignKeyViolation
		case sqlite3.SQLITE_CONSTRAINT_CHECK, sqlite3.SQLITE_CONSTRAINT_NOTNULL:
			return checkViolation
		}
	}
	return noConstraint
}

// ref names a record another one refers to.
type ref struct {
	table string // clinics, users, patients
	what  string // "clinic", "user", "patient"
	id    int64  // 0: no reference
}

// missing returns an EINVALID error for the first of refs that does not
// exist, nil if all do, or the error that kept it from knowing. It is
// used after a foreign-key failure to say which reference was wrong.
func (d *DB) missing(ctx context.Context, refs ...ref) error {
	for _, r := range refs {
		if r.id == 0 {
			continue
		}
		var one int
		err := d.queryRow(ctx, d.rq(), "SELECT 1 FROM "+r.table+" WHERE id = ?", r.id).Scan(&one)
		if errors.Is(err, sql.ErrNoRows) {
			return tendo.Errorf(tendo.EINVALID, "%s %d does not exist", r.what, r.id)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// refError carries a failure inside a transaction to tx, which explains
// it with invalidRef once the transaction is over.
type refError struct {
	op   string
	err  error
	refs []ref
}

func (e *refError) Error() string { return e.op + ": " + e.err.Error() }
func (e *refError) Unwrap() error { return e.err }

// txRefErr is invalidRef for use inside a transaction.
func txRefErr(op string, err error, refs ...ref) error {
	return &refError{op: op, err: err, refs: refs}
}

// invalidRef turns a foreign-key failure (err) into EINVALID naming the
// missing reference, or wraps err with op.
func (d *DB) invalidRef(ctx context.Context, op string, err error, refs ...ref) error {
	if violation(err) == foreignKeyViolation {
		if e := d.missing(ctx, refs...); e != nil {
			if tendo.ErrorCode(e) == tendo.EINVALID {
				return e
			}
			return fmt.Errorf("%s: %w (checking references after: %v)", op, e, err)
		}
		return tendo.Errorf(tendo.EINVALID, "%s: a referenced record does not exist", op)
	}
	return fmt.Errorf("%s: %w", op, err)
}

package sqlstore

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strings"
)

// The schema's migrations, one set per dialect: files named NNNN_what.sql,
// applied in name order, each once. A migration is never edited after it
// has been released; a change is a new file, in both directories.
//
//go:embed migration/sqlite/*.sql migration/postgres/*.sql
var migrationFS embed.FS

// migrationLock is the key of the Postgres advisory lock held while
// migrating ("tendo" in ASCII).
const migrationLock = 0x74656e646f

type migration struct {
	name string // file name, the version recorded in migrations
	sql  string
}

// migrations returns the dialect's migrations in order.
func (d *DB) migrations() ([]migration, error) {
	dir := "migration/sqlite"
	if d.dialect == dialectPostgres {
		dir = "migration/postgres"
	}
	entries, err := fs.ReadDir(migrationFS, dir)
	if err != nil {
		return nil, err
	}
	var ms []migration
	for _, e := range entries {
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".sql") {
			continue
		}
		b, err := fs.ReadFile(migrationFS, path.Join(dir, e.Name()))
		if err != nil {
			return nil, err
		}
		ms = append(ms, migration{name: e.Name(), sql: string(b)})
	}
	slices.SortFunc(ms, func(a, b migration) int { return strings.Compare(a.name, b.name) })
	return ms, nil
}

// migrate applies the migrations not yet recorded, each in a transaction
// of its own together with its record. In Postgres each transaction first
// takes an advisory lock, so that two processes opening the database at
// once apply a migration once; in SQLite the writer's transactions are
// IMMEDIATE, which serialises them the same way.
func (d *DB) migrate(ctx context.Context) error {
	ms, err := d.migrations()
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	known := make(map[string]bool, len(ms))
	for _, m := range ms {
		known[m.name] = true
	}
	for _, m := range ms {
		err := d.tx(ctx, func(tx *sql.Tx) error {
			applied, err := d.applied(ctx, tx)
			if err != nil {
				return err
			}
			for name := range applied {
				if !known[name] {
					return fmt.Errorf("the database has migration %s, unknown to this program: it is newer than this program", name)
				}
			}
			if applied[m.name] {
				return nil
			}
			if _, err := tx.ExecContext(ctx, m.sql); err != nil {
				return err
			}
			_, err = d.exec(ctx, tx, "INSERT INTO migrations (name, applied_at) VALUES (?, ?)", m.name, d.ts(d.now()))
			return err
		})
		if err != nil {
			return fmt.Errorf("migrate %s: %w", m.name, err)
		}
	}
	return nil
}

// applied locks out other migrators (Postgres), makes sure the migrations
// table exists and returns the names it records.
func (d *DB) applied(ctx context.Context, tx *sql.Tx) (map[string]bool, error) {
	create := `CREATE TABLE IF NOT EXISTS migrations (
		name TEXT PRIMARY KEY,
		applied_at TEXT NOT NULL
	)`
	if d.dialect == dialectPostgres {
		if _, err := tx.ExecContext(ctx, "SELECT pg_advisory_xact_lock($1)", int64(migrationLock)); err != nil {
			return nil, err
		}
		create = `CREATE TABLE IF NOT EXISTS migrations (
			name TEXT PRIMARY KEY,
			applied_at TIMESTAMPTZ NOT NULL
		)`
	}
	if _, err := tx.ExecContext(ctx, create); err != nil {
		return nil, err
	}
	rows, err := tx.QueryContext(ctx, "SELECT name FROM migrations")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	applied := map[string]bool{}
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			return nil, err
		}
		applied[name] = true
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return applied, nil
}

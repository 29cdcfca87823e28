package main

import (
	"flag"
	"os"

	"github.com/tendo-health/tendo/sqlstore"
)

// dbEnv names the environment variable that gives the database when --db
// is not set. A Postgres URL there keeps its password off the command
// line, where every user of the machine can read it (ps).
const dbEnv = "TENDO_DB"

// defaultDB is the database of tendo serve and tendo user without --db:
// $TENDO_DB, else tendo.db in the working directory.
func defaultDB() string {
	if dsn := os.Getenv(dbEnv); dsn != "" {
		return dsn
	}
	return "tendo.db"
}

// dbFlag defines --db on fs, with defaultDB as its default, and returns
// where its value goes. Help shows the default with any password hidden.
func dbFlag(fs *flag.FlagSet) *string {
	dsn := defaultDB()
	fs.Var(dbValue{&dsn}, "db", "database: a SQLite `file` or a postgres:// URL; without --db, $"+dbEnv+
		" if set (which keeps a Postgres password off the command line and out of ps), else tendo.db")
	return &dsn
}

// dbValue is the value of --db: a DSN, shown redacted.
type dbValue struct{ dsn *string }

func (v dbValue) String() string {
	if v.dsn == nil {
		return ""
	}
	return sqlstore.Redact(*v.dsn)
}

func (v dbValue) Set(s string) error {
	*v.dsn = s
	return nil
}

// dbArg is the --db argument that names dsn in a command suggested to the
// user: none when dsn is the default, which that command finds by itself,
// else --db with any password hidden.
func dbArg(dsn string) string {
	if dsn == defaultDB() {
		return ""
	}
	return " --db " + sqlstore.Redact(dsn)
}

// redact hides any password in a database DSN, for messages.
func redact(dsn string) string { return sqlstore.Redact(dsn) }

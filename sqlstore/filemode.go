package sqlstore

import (
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strings"
)

// The SQLite file and its companions (-wal, -shm, -journal) hold patient
// records and password hashes, so only their owner may read them.
const sqliteFileMode = 0o600

// sqliteCompanions are the suffixes of the files SQLite keeps beside the
// database. SQLite creates them with the database file's permissions.
var sqliteCompanions = []string{"-wal", "-shm", "-journal"}

// sqliteFileName returns the file that the SQLite DSN path names, and false
// when it names no file: an in-memory or temporary database.
func sqliteFileName(path string) (string, bool) {
	if path == ":memory:" || strings.Contains(path, ":memory:") || strings.Contains(path, "mode=memory") {
		return "", false
	}
	if !strings.HasPrefix(path, "file:") {
		return path, true
	}
	u, err := url.Parse(path)
	if err != nil {
		return "", false
	}
	if q := u.Query(); q.Get("vfs") == "memdb" {
		return "", false
	}
	name := u.Path
	if u.Opaque != "" {
		if name, err = url.PathUnescape(u.Opaque); err != nil {
			return "", false
		}
	}
	return name, name != ""
}

// prepareSQLiteFile makes the database file private before SQLite opens
// it: it refuses a directory that every user may write to without the
// sticky bit (anyone could swap the database or its -wal file for their
// own), creates a missing file with mode 0600, and tightens an existing
// file, and any companion file already there, that group or others may
// use to owner-only permissions. It does nothing on Windows, where file
// modes do not describe access.
func prepareSQLiteFile(name string) error {
	if runtime.GOOS == "windows" {
		return nil
	}
	dir := filepath.Dir(name)
	fi, err := os.Stat(dir)
	if err != nil {
		return err
	}
	if fi.Mode().Perm()&0o002 != 0 && fi.Mode()&fs.ModeSticky == 0 {
		return fmt.Errorf("the directory %s is writable by every user (mode %04o) and has no sticky bit, so anyone could replace the database; "+
			"make it private (chmod o-w %s) or keep the database in another directory", dir, fi.Mode().Perm(), dir)
	}
	f, err := os.OpenFile(name, os.O_RDWR|os.O_CREATE|os.O_EXCL, sqliteFileMode)
	switch {
	case err == nil:
		f.Close()
		// The umask may have taken bits off; set the mode exactly.
		if err := os.Chmod(name, sqliteFileMode); err != nil {
			return err
		}
	case !errors.Is(err, fs.ErrExist):
		return err
	default:
		if err := tightenMode(name); err != nil {
			return err
		}
	}
	return tightenCompanions(name)
}

// tightenCompanions removes group and other permissions from the -wal,
// -shm and -journal files of the database name, if they exist.
func tightenCompanions(name string) error {
	if runtime.GOOS == "windows" {
		return nil
	}
	for _, suffix := range sqliteCompanions {
		if err := tightenMode(name + suffix); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
	}
	return nil
}

// tightenMode removes group and other permissions from the file name
// (0644 becomes 0600).
func tightenMode(name string) error {
	fi, err := os.Stat(name)
	if err != nil {
		return err
	}
	if perm := fi.Mode().Perm(); perm&0o077 != 0 {
		if err := os.Chmod(name, perm&^0o077); err != nil {
			return fmt.Errorf("make %s private: %w", name, err)
		}
	}
	return nil
}

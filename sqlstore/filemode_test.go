package sqlstore_test

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/tendo-health/tendo/sqlstore"
)

// checkPrivate fails the test unless the database file name and its -wal
// and -shm files exist with mode 0600. The modes are compared exactly, so
// the check holds whatever the umask.
func checkPrivate(tb testing.TB, name string) {
	tb.Helper()
	for _, suffix := range []string{"", "-wal", "-shm"} {
		fi, err := os.Stat(name + suffix)
		if err != nil {
			tb.Errorf("%s: %v", filepath.Base(name+suffix), err)
			continue
		}
		if got, want := fi.Mode().Perm(), fs.FileMode(0o600); got != want {
			tb.Errorf("%s: mode %04o, want %04o", filepath.Base(name+suffix), got, want)
		}
	}
}

// openAndWrite opens the database at dsn, writes a row, checks that the
// file at name and its companions are private while the database is open,
// and closes it.
func openAndWrite(tb testing.TB, dsn, name string) {
	tb.Helper()
	ctx := context.Background()
	db, err := sqlstore.OpenSQLite(ctx, dsn)
	if err != nil {
		tb.Fatal(err)
	}
	defer db.Close()
	clinics, err := db.Clinics(ctx)
	if err != nil {
		tb.Fatal(err)
	}
	if _, err := db.CreateClinic(ctx, fmt.Sprintf("Clinic %d", len(clinics)+1)); err != nil {
		tb.Fatal(err)
	}
	checkPrivate(tb, name)
}

// TestSQLiteFileModes checks F9: nobody but the owner reads the database,
// its write-ahead log or its shared-memory file.
func TestSQLiteFileModes(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("file modes do not describe access on Windows")
	}
	t.Parallel()

	t.Run("NewFile", func(t *testing.T) {
		t.Parallel()
		name := filepath.Join(t.TempDir(), "tendo.db")
		openAndWrite(t, name, name)
	})

	t.Run("FileURI", func(t *testing.T) {
		t.Parallel()
		name := filepath.Join(t.TempDir(), "tendo.db")
		openAndWrite(t, "file:"+name+"?cache=private", name)
	})

	t.Run("ReadableFileIsTightened", func(t *testing.T) {
		t.Parallel()
		name := filepath.Join(t.TempDir(), "tendo.db")
		// A database an earlier version left readable by everyone, with
		// its -wal and -shm files (empty, as after a crash at checkpoint).
		openAndWrite(t, name, name)
		for _, suffix := range []string{"", "-wal", "-shm"} {
			f, err := os.OpenFile(name+suffix, os.O_RDWR|os.O_CREATE, 0o644)
			if err != nil {
				t.Fatal(err)
			}
			f.Close()
			if err := os.Chmod(name+suffix, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		openAndWrite(t, name, name)
	})

	t.Run("PreexistingEmptyFile", func(t *testing.T) {
		t.Parallel()
		name := filepath.Join(t.TempDir(), "tendo.db")
		if err := os.WriteFile(name, nil, 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(name, 0o644); err != nil {
			t.Fatal(err)
		}
		openAndWrite(t, name, name)
	})

	t.Run("WorldWritableDirectoryRefused", func(t *testing.T) {
		t.Parallel()
		dir := filepath.Join(t.TempDir(), "shared")
		if err := os.Mkdir(dir, 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(dir, 0o777); err != nil {
			t.Fatal(err)
		}
		name := filepath.Join(dir, "tendo.db")
		db, err := sqlstore.OpenSQLite(context.Background(), name)
		if err == nil {
			db.Close()
			t.Fatal("opened a database in a world-writable directory")
		}
		if msg := err.Error(); !strings.Contains(msg, dir) || !strings.Contains(msg, "chmod o-w") {
			t.Errorf("error %q: want the directory and the fix named", msg)
		}
		if _, err := os.Stat(name); err == nil {
			t.Error("the refused database file was created")
		}
	})

	t.Run("StickyWorldWritableDirectory", func(t *testing.T) {
		t.Parallel()
		dir := filepath.Join(t.TempDir(), "tmp")
		if err := os.Mkdir(dir, 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(dir, 0o777|fs.ModeSticky); err != nil {
			t.Fatal(err)
		}
		name := filepath.Join(dir, "tendo.db")
		openAndWrite(t, name, name)
	})
}

package golden_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tendo-health/tendo/internal/golden"
)

func TestEqual(t *testing.T) {
	t.Parallel()
	if err := golden.Equal([]byte("a\nb\n"), []byte("a\nb\n")); err != nil {
		t.Errorf("equal: %v", err)
	}
	if err := golden.Equal([]byte("a\nb\n"), []byte("a\nc\n")); err == nil || !strings.Contains(err.Error(), "line 2") {
		t.Errorf("second line differs: %v", err)
	}
	if err := golden.Equal([]byte("a"), []byte("a\nb")); err == nil || !strings.Contains(err.Error(), "got 1 line(s), want 2") {
		t.Errorf("shorter: %v", err)
	}
}

func TestCheck(t *testing.T) {
	t.Parallel()
	if golden.Update() {
		t.Skip("-update rewrites the file before comparing")
	}
	path := filepath.Join(t.TempDir(), "out.golden")
	if err := os.WriteFile(path, []byte("same\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	golden.Check(t, path, []byte("same\n"))
	called := false
	golden.CheckFunc(t, path, []byte("other\n"), func(got, want []byte) error {
		called = true
		if string(want) != "same\n" {
			t.Errorf("want = %q", want)
		}
		return nil
	})
	if !called {
		t.Error("CheckFunc did not call same")
	}
}

// Package shared locates the project's shared data (../shared beside the
// repository: standard networks, reference marginals, clinical cases) for
// tests and benchmarks. Tests never copy those files into the repository.
//
// It imports only the standard library and testing.
package shared

import (
	"os"
	"path/filepath"
	"testing"
)

// Dir returns the absolute path of the shared folder: $TENDO_SHARED when
// set, otherwise ../shared next to the repository root (the directory that
// holds go.mod). The shared folder is part of every checkout's environment,
// so a missing folder fails the test rather than skipping it.
func Dir(tb testing.TB) string {
	tb.Helper()
	if d := os.Getenv("TENDO_SHARED"); d != "" {
		return d
	}
	wd, err := os.Getwd()
	if err != nil {
		tb.Fatal(err)
	}
	for d := wd; ; d = filepath.Dir(d) {
		if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
			s := filepath.Join(filepath.Dir(d), "shared")
			if _, err := os.Stat(s); err != nil {
				tb.Fatalf("shared data not found at %s (set TENDO_SHARED): %v", s, err)
			}
			return s
		}
		if filepath.Dir(d) == d {
			tb.Fatalf("no go.mod above %s", wd)
		}
	}
}

// Path joins elements onto Dir.
func Path(tb testing.TB, elem ...string) string {
	tb.Helper()
	return filepath.Join(append([]string{Dir(tb)}, elem...)...)
}

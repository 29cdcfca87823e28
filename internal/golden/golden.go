// Package golden compares test output with golden files: expected output
// committed beside the tests (testdata/...) or, for generated documents,
// elsewhere in the repository. Every package's golden files are rewritten
// the same way, with the one -update flag this package defines:
//
//	go test ./report -update
//
// then review the diff and commit it.
//
// It imports only the standard library and testing.
package golden

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files with the tests' output")

// Update reports whether the test binary runs with -update.
func Update() bool { return *update }

// Check compares got with the golden file at path, byte for byte. With
// -update it first writes got to path.
func Check(tb testing.TB, path string, got []byte) {
	tb.Helper()
	CheckFunc(tb, path, got, Equal)
}

// CheckFunc is Check with a comparison: same returns nil when got matches
// want, or an error saying how they differ.
func CheckFunc(tb testing.TB, path string, got []byte, same func(got, want []byte) error) {
	tb.Helper()
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			tb.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		tb.Fatalf("%v (run go test -update in its package to create it)", err)
	}
	if err := same(got, want); err != nil {
		tb.Errorf("output differs from %s: %v (run go test -update in its package to rewrite it, and review the diff)", path, err)
	}
}

// Equal is the byte-for-byte comparison of Check. Its error names the
// first line that differs.
func Equal(got, want []byte) error {
	if bytes.Equal(got, want) {
		return nil
	}
	g, w := strings.Split(string(got), "\n"), strings.Split(string(want), "\n")
	for i := range min(len(g), len(w)) {
		if g[i] != w[i] {
			return fmt.Errorf("line %d is\n\t%q\nwant\n\t%q", i+1, clip(g[i]), clip(w[i]))
		}
	}
	return fmt.Errorf("got %d line(s), want %d", len(g), len(w))
}

// clip shortens a long line for the message.
func clip(s string) string {
	const n = 200
	if len(s) > n {
		return s[:n] + "…"
	}
	return s
}

// Package deptest checks, from tests, that a package's dependencies keep to
// the architecture: engines import only the standard library, the domain
// root imports no adapter. It runs `go list -deps`.
//
// It imports only the standard library and testing.
package deptest

import (
	"os/exec"
	"strings"
	"testing"
)

// Module is tendo's module path.
const Module = "github.com/tendo-health/tendo"

// Check fails tb if pkg (an import path) depends on any non-standard
// package other than those listed in allow (import paths; a trailing "/..."
// allows a whole tree).
func Check(tb testing.TB, pkg string, allow ...string) {
	tb.Helper()
	out, err := exec.Command("go", "list", "-deps", "-f", "{{if not .Standard}}{{.ImportPath}}{{end}}", pkg).CombinedOutput()
	if err != nil {
		tb.Fatalf("go list -deps %s: %v\n%s", pkg, err, out)
	}
	for _, dep := range strings.Fields(string(out)) {
		if dep == pkg || allowed(dep, allow) {
			continue
		}
		tb.Errorf("%s must not depend on %s", pkg, dep)
	}
}

func allowed(dep string, allow []string) bool {
	for _, a := range allow {
		if dep == a || (strings.HasSuffix(a, "/...") && strings.HasPrefix(dep, strings.TrimSuffix(a, "..."))) {
			return true
		}
	}
	return false
}

package fhircheck_test

import (
	"fmt"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/tendo-health/tendo/internal/fhircheck"
)

// fakeTB records what a helper reports; Fatal and Skip end the goroutine
// as testing's do.
type fakeTB struct {
	testing.TB
	errors, fatals, skips []string
}

func (f *fakeTB) Helper() {}
func (f *fakeTB) Errorf(format string, args ...any) {
	f.errors = append(f.errors, fmt.Sprintf(format, args...))
}
func (f *fakeTB) Fatalf(format string, args ...any) {
	f.fatals = append(f.fatals, fmt.Sprintf(format, args...))
	runtime.Goexit()
}
func (f *fakeTB) Fatal(args ...any) { f.Fatalf("%s", fmt.Sprint(args...)) }
func (f *fakeTB) Skipf(format string, args ...any) {
	f.skips = append(f.skips, fmt.Sprintf(format, args...))
	runtime.Goexit()
}

// run calls fn with a fakeTB in its own goroutine (for Goexit).
func run(t *testing.T, fn func(tb testing.TB)) *fakeTB {
	f := &fakeTB{TB: t}
	done := make(chan struct{})
	go func() {
		defer close(done)
		fn(f)
	}()
	<-done
	return f
}

func TestReportErrors(t *testing.T) {
	t.Parallel()
	rep := fhircheck.Report{Resources: map[string]fhircheck.Result{
		"b": {Invariants: []fhircheck.Issue{{Location: "Observation", Message: "obs-6: ..."}},
			Schema: []fhircheck.Issue{{Location: "/status", Message: "must be string"}}},
		"a": {FHIRJS: []fhircheck.Issue{{Location: "Observation.status", Message: "Missing property"}},
			Harness: []fhircheck.Issue{{Location: "Observation", Message: "obs-7: fhirpath cannot evaluate"}}},
		"c": {Notes: []fhircheck.Issue{{Location: "x", Message: "a note is not an error"}}},
	}}
	want := []string{
		"a: fhirjs: Observation.status: Missing property",
		"a: harness: Observation: obs-7: fhirpath cannot evaluate",
		"b: schema: /status: must be string",
		"b: invariants: Observation: obs-6: ...",
	}
	if got := rep.Errors(); !slices.Equal(got, want) {
		t.Errorf("Errors() = %q, want %q", got, want)
	}
	if got, want := rep.Resources["b"].RejectedBy(), []string{fhircheck.Schema, fhircheck.Invariants}; !slices.Equal(got, want) {
		t.Errorf("RejectedBy = %v, want %v", got, want)
	}
	if !rep.Resources["c"].Valid() || rep.Resources["a"].Valid() {
		t.Error("Valid: a note made a resource invalid, or a harness error did not")
	}
	f := run(t, rep.Require)
	if len(f.errors) != 1 || !strings.Contains(f.errors[0], "4 FHIR validation errors") || !strings.Contains(f.errors[0], want[3]) {
		t.Errorf("Require reported %q", f.errors)
	}
	ok := fhircheck.Report{Resources: map[string]fhircheck.Result{"c": rep.Resources["c"]}}
	if f := run(t, ok.Require); len(f.errors) != 0 {
		t.Errorf("Require on a valid report: %q", f.errors)
	}
}

// TestMissingNode: without node the checks skip, or fail under TENDO_CI.
func TestMissingNode(t *testing.T) {
	t.Setenv("PATH", t.TempDir())
	in := map[string][]byte{"p": []byte(`{"resourceType": "Patient"}`)}
	for _, ci := range []string{"", "1"} {
		t.Setenv("TENDO_CI", ci)
		f := run(t, func(tb testing.TB) { fhircheck.Check(tb, in) })
		got := f.skips
		if ci != "" {
			got = f.fatals
		}
		if len(got) != 1 || !strings.Contains(got[0], "node is not installed") || len(f.skips)+len(f.fatals) != 1 {
			t.Errorf("TENDO_CI=%q: skips %q, fatals %q", ci, f.skips, f.fatals)
		}
	}
}

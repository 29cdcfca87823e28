package fhircheck

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/tendo-health/tendo/internal/shared"
)

// The names of the checks, as Issues and Report.Errors name them.
const (
	Schema     = "schema"     // the R4 JSON schema, with ajv
	FHIRJS     = "fhirjs"     // the FHIR.js validator
	Invariants = "invariants" // StructureDefinition invariants (fhirpath), cardinality, Reference targets
	Harness    = "harness"    // the harness could not run a check: an error too, never a pass
)

// Issue is one error a check found in a resource (or one note of what it
// did not check).
type Issue struct {
	// Location is where: a JSON pointer for the schema, FHIR.js's own path
	// for FHIR.js, a FHIRPath (Observation.performer[0].reference) for the
	// invariants.
	Location string `json:"location"`
	Message  string `json:"message"`
}

func (i Issue) String() string { return i.Location + ": " + i.Message }

// Result is what the checks found in one resource. A resource is valid
// when Schema, FHIRJS, Invariants and Harness are all empty.
type Result struct {
	ResourceType string  `json:"resourceType"` // empty when the input is not a resource
	Schema       []Issue `json:"schema"`
	FHIRJS       []Issue `json:"fhirjs"`
	Invariants   []Issue `json:"invariants"`
	// Harness lists what a check could not do (a constraint fhirpath
	// cannot evaluate, a tool that threw): errors, never passes.
	Harness []Issue `json:"harness"`
	// Notes lists what the invariant check did not check and why (a
	// contained resource of a type with no StructureDefinition in the
	// shared data, a reference with no resource type in it). Not errors.
	Notes []Issue `json:"notes"`
}

// Valid reports whether every check passed.
func (r Result) Valid() bool { return len(r.RejectedBy()) == 0 }

// RejectedBy names the checks (Schema, FHIRJS, Invariants, Harness) that
// found an error, in that order.
func (r Result) RejectedBy() []string {
	var by []string
	for _, c := range r.checks() {
		if len(c.issues) > 0 {
			by = append(by, c.name)
		}
	}
	return by
}

// Issues returns the errors of one check (Schema, FHIRJS, Invariants or
// Harness).
func (r Result) Issues(check string) []Issue {
	for _, c := range r.checks() {
		if c.name == check {
			return c.issues
		}
	}
	return nil
}

type namedIssues struct {
	name   string
	issues []Issue
}

func (r Result) checks() []namedIssues {
	return []namedIssues{{Schema, r.Schema}, {FHIRJS, r.FHIRJS}, {Invariants, r.Invariants}, {Harness, r.Harness}}
}

// Skip is a constraint the harness does not evaluate, with the reason and
// the number of element instances it was skipped on.
type Skip struct {
	Key       string `json:"key"`
	Reason    string `json:"reason"`
	Instances int    `json:"instances"`
}

// Report is the outcome of one Check call.
type Report struct {
	// Tools gives the versions of node and of the npm packages that ran.
	Tools map[string]string
	// Skipped lists the constraints not evaluated (dom-3).
	Skipped []Skip
	// Evaluated counts, by constraint key, the element instances each
	// constraint was evaluated on, over all the resources.
	Evaluated map[string]int
	// CPUMilliseconds is node's CPU time (user and system, so not the
	// machine's load) for "startup" (loading the tools, the schema and
	// the StructureDefinitions) and for each check over all resources
	// ("schema", "fhirjs", "invariants").
	CPUMilliseconds map[string]float64
	// Resources holds one Result for each name given to Check.
	Resources map[string]Result
}

// Errors lists every error of every resource, one a line as
// "NAME: CHECK: LOCATION: MESSAGE", sorted by name, then check order.
func (r Report) Errors() []string {
	var out []string
	for _, name := range slices.Sorted(maps.Keys(r.Resources)) {
		for _, c := range r.Resources[name].checks() {
			for _, i := range c.issues {
				out = append(out, fmt.Sprintf("%s: %s: %s", name, c.name, i))
			}
		}
	}
	return out
}

// Require fails tb, listing every error, unless every resource passed
// every check.
func (r Report) Require(tb testing.TB) {
	tb.Helper()
	if errs := r.Errors(); len(errs) > 0 {
		tb.Errorf("%d FHIR validation errors:\n%s", len(errs), strings.Join(errs, "\n"))
	}
}

// Check validates resources (by name, each a FHIR R4 resource as JSON) by
// the three checks, in one run of node. It skips tb when node or the npm
// packages are missing (`npm ci --prefix testtools`), or fails it under
// TENDO_CI; it fails tb when the harness itself breaks. A resource that is
// not JSON, not UTF-8 or not a resource is an error of every check.
func Check(tb testing.TB, resources map[string][]byte) Report {
	tb.Helper()
	rep := Report{Resources: map[string]Result{}}
	type input struct {
		Name string `json:"name"`
		JSON string `json:"json"`
	}
	var in []input
	for _, name := range slices.Sorted(maps.Keys(resources)) {
		b := resources[name]
		if !utf8.Valid(b) {
			bad := []Issue{{Location: "/", Message: "not UTF-8 (FHIR JSON is UTF-8)"}}
			rep.Resources[name] = Result{Schema: bad, FHIRJS: bad, Invariants: bad}
			continue
		}
		in = append(in, input{name, string(b)})
	}
	if len(in) == 0 {
		return rep
	}
	node, script := tools(tb)
	stdin, err := json.Marshal(in)
	if err != nil {
		tb.Fatalf("fhircheck: %v", err)
	}
	cmd := exec.Command(node, script, shared.Path(tb, "data", "fhir"))
	cmd.Stdin = bytes.NewReader(stdin)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	var ee *exec.ExitError
	if err != nil && !(errors.As(err, &ee) && ee.ExitCode() == 1) {
		tb.Fatalf("fhircheck: node %s: %v\n%s", script, err, stderr.Bytes())
	}
	var got struct {
		Tools     map[string]string  `json:"tools"`
		Skipped   []Skip             `json:"skipped"`
		Evaluated map[string]int     `json:"evaluated"`
		CPU       map[string]float64 `json:"cpuMilliseconds"`
		Resources []struct {
			Name string `json:"name"`
			Result
		} `json:"resources"`
	}
	if err := json.Unmarshal(out, &got); err != nil {
		tb.Fatalf("fhircheck: the report of %s is not JSON: %v\n%.2000s\n%s", script, err, out, stderr.Bytes())
	}
	if len(got.Resources) != len(in) {
		tb.Fatalf("fhircheck: %d resources in, %d in the report", len(in), len(got.Resources))
	}
	valid := true
	for i, r := range got.Resources {
		if r.Name != in[i].Name {
			tb.Fatalf("fhircheck: report item %d is %q, want %q", i, r.Name, in[i].Name)
		}
		rep.Resources[r.Name] = r.Result
		valid = valid && r.Valid()
	}
	// The exit status and the report must agree.
	if want := !valid; (err != nil) != want {
		tb.Fatalf("fhircheck: exit status %v but %d errors in the report", err, len(rep.Errors()))
	}
	rep.Tools = got.Tools
	rep.Skipped = got.Skipped
	rep.Evaluated = got.Evaluated
	rep.CPUMilliseconds = got.CPU
	return rep
}

// tools finds node and testtools/check-fhir.mjs with its npm packages.
func tools(tb testing.TB) (node, script string) {
	tb.Helper()
	skip := func(format string, args ...any) {
		tb.Helper()
		if os.Getenv("TENDO_CI") != "" {
			tb.Fatalf("fhircheck: "+format+"; TENDO_CI is set, so the FHIR checks must run", args...)
		}
		tb.Skipf("fhircheck: "+format, args...)
	}
	node, err := exec.LookPath("node")
	if err != nil {
		skip("node is not installed (%v)", err)
	}
	root := repoRoot(tb)
	dir := filepath.Join(root, "testtools")
	for _, pkg := range []string{"ajv", "fhir", "fhirpath"} {
		if _, err := os.Stat(filepath.Join(dir, "node_modules", pkg, "package.json")); err != nil {
			skip("npm package %s is not installed (%v): npm ci --prefix testtools", pkg, err)
		}
	}
	script = filepath.Join(dir, "check-fhir.mjs")
	if _, err := os.Stat(script); err != nil {
		tb.Fatalf("fhircheck: %v", err)
	}
	return node, script
}

// repoRoot is the directory above the working directory that holds go.mod.
func repoRoot(tb testing.TB) string {
	tb.Helper()
	wd, err := os.Getwd()
	if err != nil {
		tb.Fatal(err)
	}
	for d := wd; ; d = filepath.Dir(d) {
		if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
			return d
		}
		if filepath.Dir(d) == d {
			tb.Fatalf("fhircheck: no go.mod above %s", wd)
		}
	}
}

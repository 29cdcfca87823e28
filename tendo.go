// Package tendo holds the domain of tendo, a clinical decision-support tool
// for posterior heel and Achilles pain: is it the tendon, the S1 nerve root,
// or both, and what should be done about it.
//
// The root package owns the domain: the assessment contract's types
// (Assessment), the result (Result), the outcome scores and their table of
// facts (Score, Facts), the records a clinic keeps, and the interfaces of
// the services that act on them (Store). It imports only the standard
// library and must not import any other package of this module or any
// third-party package (deps_test.go checks it). Engines (bn), the
// reasoning pipeline (assess) and adapters (readers, stores, the web
// server) live in sub-packages; only cmd/tendo wires them together.
package tendo

// Version is tendo's version, set at build time with
// -ldflags "-X github.com/tendo-health/tendo.Version=...".
var Version = "0.1.0-dev"

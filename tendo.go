// Package tendo holds the domain of tendo, a clinical decision-support tool
// for posterior heel and Achilles pain: is it the tendon, the S1 nerve root,
// or both, and what should be done about it.
//
// The root package declares domain types and the interfaces of the services
// that act on them. It imports only the standard library. Engines (bn) and
// adapters (readers, stores, the web server) live in sub-packages; only
// cmd/tendo wires them together.
package tendo

// Version is tendo's version, set at build time with
// -ldflags "-X github.com/tendo-health/tendo.Version=...".
var Version = "0.1.0-dev"

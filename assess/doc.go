// Package assess is tendo's reasoning pipeline: it turns a validated
// assessment (tendo.Assessment) into a result (tendo.Result). It scores the
// outcome measures, applies the red-flag rules (which no probability can
// outweigh), enters the findings into the knowledge base's Bayesian
// network as hard and soft evidence, classifies the source of the
// symptoms, gives each probability a 90% credible interval from the
// uncertainty of the model's numbers (ranges.go), explains each finding's
// effect, ranks the next tests by value of information, and assembles the
// integrated plan.
//
// It imports the domain root (tendo), the knowledge base (kb), the engine
// (bn), intake (only to read the vignette set of the model's validation)
// and the standard library. It must not import storage (sqlstore), HTTP
// (web), rendering (report, which imports assess for the model card) or
// the commands (cmd); deps_test.go checks it.
package assess

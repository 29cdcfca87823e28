// Package bn is tendo's exact inference engine for discrete Bayesian and
// Markov networks.
//
// # Overview
//
// A Network holds variables with named states and factors: conditional
// probability tables for a Bayesian network, potentials for a Markov
// network. Validate checks it (a cycle comes back as a *CycleError naming
// its variables; a column that does not sum to 1 as a *ColumnError), and
// Renormalize rescales columns that are off only by rounding. Readers for
// the BIF and UAI formats live in the sub-packages bif and uai.
//
// Compile turns a network into a JunctionTree once: it triangulates the
// moral graph (the best of min-fill, weighted min-fill and min-weight, with
// randomised tie-breaking, by total table size), joins the maximal cliques
// into a tree, inserts small separator nodes where a clique has many
// children, and multiplies every factor into one clique. The tree is
// immutable and safe for concurrent use.
//
// Each goroutine queries the tree through its own Query:
//
//	jt, err := bn.Compile(net, bn.CompileOptions{})
//	q := jt.NewQuery()
//	q.Observe(net.Index("xray"), 0)          // hard evidence
//	q.SetLikelihood(net.Index("smoke"), lik) // soft (likelihood) evidence
//	err = q.Propagate()                      // every marginal and log P(e)
//	p := q.Marginal(net.Index("lung"))
//
// Propagate resets each clique from its compiled potential, multiplies in
// the evidence, and runs one collect and one distribute pass (HUGIN
// updates, with normalised messages so small probabilities do not
// underflow). After the first call it allocates nothing. Evidence of
// probability zero returns ErrZeroProbability.
//
// Canonical nodes: NoisyMax (and NoisyOR) build a conditional probability
// table from one strength per cause and a leak.
//
// Analyses on a Query, each exact: ValueOfInformation (mutual information
// of each unobserved variable with a target, optionally per unit cost, and
// the expected change of the target's posterior), Sensitivity (the target's
// posterior for every state of every unobserved variable) and Contributions
// (the change of a target state's log-odds when each finding is removed).
//
// Sensitivity to the numbers of the tables: FamilyMarginals gives every
// factor's family marginal after a propagation (SelectFamilies), from
// which the derivative of log P(e) or of a posterior's logit with respect
// to any table entry follows (P(e) is multilinear in the entries; see
// gradient.go). WithTables re-fills a compiled tree with other tables
// without triangulating again, and Query.Retarget moves a query to such a
// tree, for Monte Carlo over a model's parameters.
//
// # Units
//
// Probabilities are in [0, 1]; LogPEvidence is a natural logarithm;
// entropy reductions are in bits; Contribution.LogOdds is in natural-log
// units.
//
// # Dependencies
//
// bn imports only the standard library. It knows nothing of patients,
// files, HTTP or SQL, and it does not log.
package bn

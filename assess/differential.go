package assess

import (
	"errors"
	"fmt"
	"math"
	"sort"
	"strings"

	"github.com/tendo-health/tendo"
	"github.com/tendo-health/tendo/bn"
	"github.com/tendo-health/tendo/kb"
)

// diffNode is a differential condition's network variable.
type diffNode struct {
	code  string
	v     int
	order int  // position in the contract's code table (breaks ties)
	local bool // not a lumbar root: counts towards otherHeelPathology
}

// minDifferential is the contract's floor for listing a condition.
const minDifferential = 0.02

// differentialNodes finds the node of every differential code of the
// contract; each must exist, be binary and have "present" as its second
// state.
func differentialNodes(m *kb.Model, net *bn.Network) ([]diffNode, error) {
	order := map[string]int{}
	for i, c := range tendo.DifferentialCodes() {
		order[c] = i
	}
	var out []diffNode
	seen := map[string]bool{}
	for _, n := range m.Nodes {
		if n.Differential == "" {
			continue
		}
		i, ok := order[n.Differential]
		if !ok {
			return nil, fmt.Errorf("assess: node %q names an unknown differential code %q", n.ID, n.Differential)
		}
		if seen[n.Differential] {
			return nil, fmt.Errorf("assess: differential code %q is on two nodes", n.Differential)
		}
		seen[n.Differential] = true
		v := net.Index(n.ID)
		if net.Card(v) != 2 || net.StateIndex(v, "present") != 1 {
			return nil, fmt.Errorf("assess: differential node %q must have the states absent, present", n.ID)
		}
		out = append(out, diffNode{code: n.Differential, v: v, order: i,
			local: n.Differential != "l4-radiculopathy" && n.Differential != "l5-radiculopathy"})
	}
	for _, c := range tendo.DifferentialCodes() {
		if !seen[c] {
			return nil, fmt.Errorf("assess: no node carries the differential code %q", c)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].order < out[j].order })
	return out, nil
}

// differential lists every condition with probability of at least 0.02,
// highest first, ties in the contract's order; never nil.
func (e *Engine) differential(q *bn.Query) []tendo.DifferentialEntry {
	out := make([]tendo.DifferentialEntry, 0, 4)
	for _, d := range e.diff {
		p := q.Marginal(d.v)[1]
		if p >= minDifferential {
			out = append(out, tendo.DifferentialEntry{Code: d.code, Probability: p, Range: tendo.Range{p, p}})
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Probability > out[j].Probability })
	return out
}

// nerveRoot names the root (L4, L5 or S1) with the highest probability
// when it is at least 0.5; nil otherwise or on an exact tie.
func nerveRoot(s1, l5, l4 float64) *string {
	type root struct {
		name string
		p    float64
	}
	rs := []root{{"L4", l4}, {"L5", l5}, {"S1", s1}}
	sort.SliceStable(rs, func(i, j int) bool { return rs[i].p > rs[j].p })
	if rs[0].p < 0.5 || rs[0].p == rs[1].p {
		return nil
	}
	name := rs[0].name
	return &name
}

// anyOther computes P(at least one local differential condition | e)
// exactly, as 1 − P(e, none)/P(e): it observes every local condition
// absent, re-propagates incrementally and restores the query.
func (e *Engine) anyOther(q *bn.Query) (float64, error) {
	logPE := q.LogPEvidence()
	for _, v := range e.localDiff {
		if err := q.Observe(v, 0); err != nil {
			return 0, err
		}
	}
	err := q.PropagateChanged(e.localDiff)
	none := 0.0
	if err == nil {
		none = expClamp(q.LogPEvidence() - logPE)
	} else if err != nil && !isZero(err) {
		return 0, err
	}
	for _, v := range e.localDiff {
		q.Retract(v)
	}
	if err := q.PropagateChanged(e.localDiff); err != nil {
		return 0, err
	}
	return 1 - none, nil
}

// expClamp is exp(x) kept within [0, 1] (a probability computed as a
// ratio of evidence probabilities).
func expClamp(x float64) float64 {
	return math.Min(1, math.Max(0, math.Exp(x)))
}

func isZero(err error) bool { return errors.Is(err, bn.ErrZeroProbability) }

// flagName is a red flag's code in plain words, for the classification's
// reason.
func flagName(code string) string {
	for _, r := range rules {
		if r.Code == code && r.Name != "" {
			return r.Name
		}
	}
	return strings.ReplaceAll(code, "-", " ")
}

// otherRange bounds the probability that any local condition of the
// differential is present: at least the largest lower bound of a listed
// condition, at most the sum of the upper bounds (and of the points of the
// conditions under the listing floor). Unlike the other ranges it is a
// bound, not a credible interval; it always contains the point.
func (e *Engine) otherRange(res *tendo.Result) tendo.Range {
	lo, hi := 0.0, 0.0
	listed := map[string]bool{}
	for _, d := range res.Differential {
		listed[d.Code] = true
		if d.Code == "l4-radiculopathy" || d.Code == "l5-radiculopathy" {
			continue
		}
		lo = math.Max(lo, d.Range[0])
		hi += d.Range[1]
	}
	hi += float64(len(e.localDiff)) * minDifferential // unlisted conditions are each under the floor
	p := res.Probabilities.OtherHeelPathology
	return tendo.Range{math.Min(lo, p), math.Min(1, math.Max(hi, p))}
}

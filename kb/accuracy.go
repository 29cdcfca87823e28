package kb

import (
	"fmt"

	"github.com/tendo-health/tendo/bn"
)

// AccuracyCheck is one cited sensitivity/specificity next to the value the
// model implies by inference.
type AccuracyCheck struct {
	Node     string
	Accuracy Accuracy
	// Sens and Spec are implied by the model: P(positive | condition) and
	// P(negative | not condition), with the Given context observed and
	// nothing else.
	Sens, Spec float64
}

// Within reports whether the implied values are within the tolerance of
// the cited ones.
func (c AccuracyCheck) Within() bool {
	a := c.Accuracy
	ok := true
	if a.Sens != nil {
		ok = ok && abs(c.Sens-*a.Sens) <= a.Tolerance
	}
	if a.Spec != nil {
		ok = ok && abs(c.Spec-*a.Spec) <= a.Tolerance
	}
	return ok
}

func abs(x float64) float64 {
	if x < 0 {
		return -x
	}
	return x
}

// ImpliedAccuracy computes, for every accuracy target in the model, the
// sensitivity and specificity the network implies: it clamps the
// condition's node to each of its states, propagates, and combines the
// finding's posterior by Bayes over the condition's prior.
func (m *Model) ImpliedAccuracy() ([]AccuracyCheck, error) {
	net, err := m.BuildChained()
	if err != nil {
		return nil, err
	}
	jt, err := bn.Compile(net, bn.CompileOptions{})
	if err != nil {
		return nil, err
	}
	has := func(list []string, s string) bool {
		for _, x := range list {
			if x == s {
				return true
			}
		}
		return false
	}
	var out []AccuracyCheck
	for _, node := range m.Nodes {
		for _, acc := range node.Accuracy {
			q := jt.NewQuery()
			for _, g := range acc.Given {
				if len(g.States) != 1 {
					return nil, fmt.Errorf("kb: %s: a given must name one state", node.ID)
				}
				v := net.Index(g.Node)
				if err := q.Observe(v, net.StateIndex(v, g.States[0])); err != nil {
					return nil, err
				}
			}
			cv, fv := net.Index(acc.Condition.Node), net.Index(node.ID)
			if err := q.Propagate(); err != nil {
				return nil, err
			}
			prior := append([]float64(nil), q.Marginal(cv)...)
			var posC, posNot, pC, pNot float64
			for s, p := range prior {
				if p == 0 {
					continue
				}
				if err := q.Observe(cv, s); err != nil {
					return nil, err
				}
				if err := q.Propagate(); err != nil {
					return nil, err
				}
				pf := 0.0
				for fs, pp := range q.Marginal(fv) {
					if has(acc.Positive, net.Variables[fv].States[fs]) {
						pf += pp
					}
				}
				if has(acc.Condition.States, net.Variables[cv].States[s]) {
					posC += p * pf
					pC += p
				} else {
					posNot += p * pf
					pNot += p
				}
				q.Retract(cv)
			}
			out = append(out, AccuracyCheck{Node: node.ID, Accuracy: acc, Sens: posC / pC, Spec: 1 - posNot/pNot})
		}
	}
	return out, nil
}

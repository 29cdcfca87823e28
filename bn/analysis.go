package bn

import (
	"errors"
	"fmt"
	"math"
	"sort"
)

// This file holds the analyses built on exact inference: value of
// information, "what if" sensitivity and the contribution of each finding.
// They run several propagations on a scratch Query that copies q's evidence,
// and leave q's own evidence and results as they were.

// VOI is the value of observing one unobserved variable for a target.
type VOI struct {
	Var int
	// EntropyReduction is the expected reduction of the target's entropy,
	// in bits: the mutual information I(target; Var | evidence).
	EntropyReduction float64
	// ExpectedChange is the expected total-variation distance between the
	// target's posterior before and after observing Var:
	// E_x[ ½ Σ_t |P(t | e, x) − P(t | e)| ]. For a binary target it is the
	// expected absolute change of P(target = either state).
	ExpectedChange float64
	// Cost is the cost given for Var (1 when none was given).
	Cost float64
	// Score is what the ranking uses: EntropyReduction / Cost.
	Score float64
}

// WhatIf is the target's posterior were one variable found in one state.
type WhatIf struct {
	Var, State int
	// P is the current probability of Var = State given the evidence.
	P float64
	// Posterior is the target's distribution given the evidence and
	// Var = State; nil when P is zero (the state is impossible).
	Posterior []float64
}

// Contribution is the effect of one observed finding on a target state.
type Contribution struct {
	Var int
	// LogOdds is logit P(target=state | e) − logit P(target=state | e
	// without this finding), in natural-log units. Positive values mean the
	// finding raised the probability.
	LogOdds float64
	// Without is P(target=state | e without this finding).
	Without float64
}

func (q *Query) scratch() *Query {
	s := q.jt.NewQuery()
	q.copyEvidenceTo(s)
	return s
}

func (q *Query) copyEvidenceTo(s *Query) {
	s.Clear()
	for _, v := range q.observed {
		if st := q.hard[v]; st >= 0 {
			_ = s.Observe(v, st)
		} else {
			_ = s.SetLikelihood(v, q.lik[v])
		}
	}
}

func (q *Query) checkVar(v int, what string) error {
	if v < 0 || v >= len(q.jt.card) {
		return fmt.Errorf("bn: %s: no variable %d", what, v)
	}
	return nil
}

// conditionals returns P(target | e) and, for each target state t with
// positive probability, the marginals of every variable given e and
// target = t (cond[t][v]); cond[t] is nil when P(t | e) = 0.
func (q *Query) conditionals(target int) (pt []float64, cond [][][]float64, err error) {
	s := q.scratch()
	if err := s.Propagate(); err != nil {
		return nil, nil, err
	}
	pt = append([]float64(nil), s.Marginal(target)...)
	cond = make([][][]float64, len(pt))
	for t, p := range pt {
		if p == 0 {
			continue
		}
		q.copyEvidenceTo(s)
		if err := s.Observe(target, t); err != nil {
			return nil, nil, err
		}
		if err := s.Propagate(); err != nil {
			if errors.Is(err, ErrZeroProbability) {
				continue // underflow of a tiny probability: treat as impossible
			}
			return nil, nil, err
		}
		cond[t] = make([][]float64, len(q.jt.card))
		for v := range cond[t] {
			cond[t][v] = append([]float64(nil), s.Marginal(v)...)
		}
	}
	return pt, cond, nil
}

// ValueOfInformation ranks the unobserved variables (other than target) by
// how much observing each is expected to tell about target, given q's
// evidence. costs, when not nil, gives a positive cost per variable; the
// ranking is by entropy reduction per unit cost. It needs one propagation
// per state of the target.
func (q *Query) ValueOfInformation(target int, costs []float64) ([]VOI, error) {
	if err := q.checkVar(target, "value of information"); err != nil {
		return nil, err
	}
	if q.isObs[target] && q.hard[target] >= 0 {
		return nil, fmt.Errorf("bn: value of information: the target %q is already observed", q.jt.net.Variables[target].Name)
	}
	if costs != nil && len(costs) != len(q.jt.card) {
		return nil, fmt.Errorf("bn: value of information: %d costs for %d variables", len(costs), len(q.jt.card))
	}
	pt, cond, err := q.conditionals(target)
	if err != nil {
		return nil, err
	}
	var out []VOI
	for v := range q.jt.card {
		if v == target || q.isObs[v] {
			continue
		}
		cost := 1.0
		if costs != nil {
			cost = costs[v]
			if !(cost > 0) || math.IsInf(cost, 0) {
				return nil, fmt.Errorf("bn: value of information: the cost of %q must be positive, got %v", q.jt.net.Variables[v].Name, cost)
			}
		}
		mi, change := infoFromJoint(pt, cond, v, q.jt.card[v])
		out = append(out, VOI{Var: v, EntropyReduction: mi, ExpectedChange: change, Cost: cost, Score: mi / cost})
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Score != out[j].Score {
			return out[i].Score > out[j].Score
		}
		return out[i].ExpectedChange > out[j].ExpectedChange
	})
	return out, nil
}

// infoFromJoint computes I(T; X) in bits and the expected total-variation
// change of T from the joint P(t, x) = pt[t] · cond[t][v][x].
func infoFromJoint(pt []float64, cond [][][]float64, v, cardV int) (mi, change float64) {
	px := make([]float64, cardV)
	for t, p := range pt {
		if cond[t] == nil {
			continue
		}
		for x, c := range cond[t][v] {
			px[x] += p * c
		}
	}
	for x, pX := range px {
		if pX <= 0 {
			continue
		}
		tv := 0.0
		for t, p := range pt {
			if cond[t] == nil {
				continue
			}
			joint := p * cond[t][v][x]
			if joint > 0 {
				mi += joint * math.Log2(joint/(p*pX))
			}
			tv += math.Abs(joint/pX - p)
		}
		change += pX * tv / 2
	}
	if mi < 0 { // rounding
		mi = 0
	}
	return mi, change
}

// Sensitivity returns, for every unobserved variable other than target and
// each of its states, the target's posterior were that state observed
// ("what if" analysis). It needs one propagation per state of the target.
func (q *Query) Sensitivity(target int) ([]WhatIf, error) {
	if err := q.checkVar(target, "sensitivity"); err != nil {
		return nil, err
	}
	pt, cond, err := q.conditionals(target)
	if err != nil {
		return nil, err
	}
	var out []WhatIf
	for v := range q.jt.card {
		if v == target || q.isObs[v] {
			continue
		}
		for x := 0; x < q.jt.card[v]; x++ {
			w := WhatIf{Var: v, State: x}
			for t, p := range pt {
				if cond[t] != nil {
					w.P += p * cond[t][v][x]
				}
			}
			if w.P > 0 {
				w.Posterior = make([]float64, len(pt))
				for t, p := range pt {
					if cond[t] != nil {
						w.Posterior[t] = p * cond[t][v][x] / w.P
					}
				}
			}
			out = append(out, w)
		}
	}
	return out, nil
}

// Contributions returns, for each variable with evidence, how much it
// moved the log-odds of target = state: the log-odds with all the evidence
// minus the log-odds with that one finding removed. It needs one
// propagation per finding.
func (q *Query) Contributions(target, state int) ([]Contribution, error) {
	if err := q.checkVar(target, "contributions"); err != nil {
		return nil, err
	}
	if state < 0 || state >= q.jt.card[target] {
		return nil, fmt.Errorf("bn: contributions: %q has no state %d", q.jt.net.Variables[target].Name, state)
	}
	s := q.scratch()
	if err := s.Propagate(); err != nil {
		return nil, err
	}
	full := logit(s.Marginal(target)[state])
	out := make([]Contribution, 0, len(q.observed))
	for _, v := range q.observed {
		if v == target {
			continue
		}
		q.copyEvidenceTo(s)
		s.Retract(v)
		if err := s.Propagate(); err != nil {
			return nil, err
		}
		p := s.Marginal(target)[state]
		out = append(out, Contribution{Var: v, LogOdds: full - logit(p), Without: p})
	}
	return out, nil
}

// logit returns log(p / (1−p)), ±Inf at 1 and 0.
func logit(p float64) float64 {
	return math.Log(p) - math.Log1p(-p)
}

package bn

import (
	"fmt"
	"math"
)

// NoisyMax describes a leaky noisy-MAX node, which a model can give instead
// of a full conditional probability table: each cause carries its own
// strength, and the causes act independently.
//
// The child's states are graded from absent (state 0) to the most severe;
// each parent's state 0 means "this cause is absent". Leak is the
// distribution of the child when every cause is absent (causes outside the
// model). Cause i in state j > 0, acting alone and without the leak, puts the
// child in each state with the probabilities Causes[i].Strength[j-1]. The
// child takes the highest grade any cause produces:
//
//	P(Y ≤ y | x) = L(y) · Π_i C_i,x_i(y)
//
// where L and C are cumulative distributions and C_i,0(y) = 1 (Díez's net
// parameterisation). With a binary child and binary causes this is the
// leaky noisy-OR: P(Y=1 | x) = 1 − (1−leak) Π_{i: x_i=1} (1−p_i).
type NoisyMax struct {
	ChildStates int
	Causes      []Cause
	Leak        []float64
}

// Cause is one parent of a NoisyMax node.
type Cause struct {
	States   int         // number of states of the parent; state 0 is "absent"
	Strength [][]float64 // Strength[j-1] is the child distribution cause state j produces alone
}

// NoisyOR returns the binary leaky noisy-OR with the given leak and one
// strength per binary cause: strength p_i is the probability that cause i
// alone produces the effect.
func NoisyOR(leak float64, strengths ...float64) NoisyMax {
	m := NoisyMax{ChildStates: 2, Leak: []float64{1 - leak, leak}}
	for _, p := range strengths {
		m.Causes = append(m.Causes, Cause{States: 2, Strength: [][]float64{{1 - p, p}}})
	}
	return m
}

// Table returns the conditional probability table of the node, laid out
// like a Factor over (cause 1, ..., cause k, child): the first cause changes
// slowest and the child fastest. It returns an error naming the bad number
// when a distribution is not a probability distribution.
func (m NoisyMax) Table() ([]float64, error) {
	if m.ChildStates < 1 {
		return nil, fmt.Errorf("bn: noisy-MAX: the child needs at least one state")
	}
	if err := checkDist("leak", m.Leak, m.ChildStates); err != nil {
		return nil, err
	}
	size := m.ChildStates
	for i, c := range m.Causes {
		if c.States < 1 {
			return nil, fmt.Errorf("bn: noisy-MAX: cause %d needs at least one state", i+1)
		}
		if len(c.Strength) != c.States-1 {
			return nil, fmt.Errorf("bn: noisy-MAX: cause %d has %d states and needs %d strengths, got %d", i+1, c.States, c.States-1, len(c.Strength))
		}
		for j, d := range c.Strength {
			if err := checkDist(fmt.Sprintf("cause %d state %d", i+1, j+1), d, m.ChildStates); err != nil {
				return nil, err
			}
		}
		if size > MaxTableSize/c.States {
			return nil, fmt.Errorf("bn: noisy-MAX: table exceeds %d entries", MaxTableSize)
		}
		size *= c.States
	}
	// Cumulative distributions.
	cum := func(d []float64) []float64 {
		out := make([]float64, len(d))
		s := 0.0
		for i, p := range d {
			s += p
			out[i] = s
		}
		out[len(out)-1] = 1
		return out
	}
	leak := cum(m.Leak)
	causeCum := make([][][]float64, len(m.Causes))
	for i, c := range m.Causes {
		causeCum[i] = make([][]float64, c.States)
		ones := make([]float64, m.ChildStates)
		for y := range ones {
			ones[y] = 1
		}
		causeCum[i][0] = ones
		for j, d := range c.Strength {
			causeCum[i][j+1] = cum(d)
		}
	}
	table := make([]float64, size)
	x := make([]int, len(m.Causes))
	cumY := make([]float64, m.ChildStates)
	for off := 0; off < size; off += m.ChildStates {
		for y := range cumY {
			p := leak[y]
			for i, xi := range x {
				p *= causeCum[i][xi][y]
			}
			cumY[y] = p
		}
		prev := 0.0
		for y, c := range cumY {
			table[off+y] = math.Max(c-prev, 0)
			prev = c
		}
		for i := len(x) - 1; i >= 0; i-- {
			x[i]++
			if x[i] < m.Causes[i].States {
				break
			}
			x[i] = 0
		}
	}
	return table, nil
}

func checkDist(what string, d []float64, n int) error {
	if len(d) != n {
		return fmt.Errorf("bn: noisy-MAX: %s has %d probabilities, want %d", what, len(d), n)
	}
	s := 0.0
	for _, p := range d {
		if !(p >= 0 && p <= 1) {
			return fmt.Errorf("bn: noisy-MAX: %s has probability %v, want 0 to 1", what, p)
		}
		s += p
	}
	if math.Abs(s-1) > SumTolerance {
		return fmt.Errorf("bn: noisy-MAX: %s sums to %.9g, want 1", what, s)
	}
	return nil
}

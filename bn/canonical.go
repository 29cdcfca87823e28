package bn

import (
	"fmt"
	"math"
)

// NoisyMax describes a leaky noisy-MAX node, which a model can give instead
// of a full conditional probability table: each cause carries its own
// strength, and the causes act independently.
//
// The child's states are graded from absent (state 0) to the most severe.
// Leak is the distribution of the child when every cause is absent (causes
// outside the model). Cause i in state j, acting alone and without the leak,
// puts the child in each state with the probabilities Causes[i].Strength[j];
// a nil Strength[j] means state j of that parent is not a cause (absent).
// The child takes the highest grade any cause produces:
//
//	P(Y ≤ y | x) = L(y) · Π_i C_i,x_i(y)
//
// where L and C are cumulative distributions and C_i,x(y) = 1 for absent
// states (Díez's net parameterisation). With a binary child and binary causes this is the
// leaky noisy-OR: P(Y=1 | x) = 1 − (1−leak) Π_{i: x_i=1} (1−p_i).
type NoisyMax struct {
	ChildStates int
	Causes      []Cause
	Leak        []float64
}

// Cause is one parent of a NoisyMax node.
type Cause struct {
	States int // number of states of the parent
	// Strength[j] is the child distribution that the parent in state j
	// produces alone; nil when state j is not a cause. It has States entries.
	Strength [][]float64
}

// NoisyOR returns the binary leaky noisy-OR with the given leak and one
// strength per binary cause: strength p_i is the probability that cause i
// alone produces the effect.
func NoisyOR(leak float64, strengths ...float64) NoisyMax {
	m := NoisyMax{ChildStates: 2, Leak: []float64{1 - leak, leak}}
	for _, p := range strengths {
		m.Causes = append(m.Causes, Cause{States: 2, Strength: [][]float64{nil, {1 - p, p}}})
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
		if len(c.Strength) != c.States {
			return nil, fmt.Errorf("bn: noisy-MAX: cause %d has %d states and needs %d strengths (nil for absent states), got %d", i+1, c.States, c.States, len(c.Strength))
		}
		for j, d := range c.Strength {
			if d == nil {
				continue
			}
			if err := checkDist(fmt.Sprintf("cause %d state %d", i+1, j), d, m.ChildStates); err != nil {
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
		for j, d := range c.Strength {
			if d == nil {
				causeCum[i][j] = ones
			} else {
				causeCum[i][j] = cum(d)
			}
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

// Chain returns the node as a chain of max nodes with at most two parents
// each (parent divorcing): A1 = max(leak, cause 1), A(i+1) = max(Ai,
// cause i+1), and the last link is the child. The chain gives exactly the
// same distribution of the child given the causes, but a junction tree over
// it has cliques of three variables where the full table needs one clique
// over every cause.
//
// tables[0] is P(A1 | cause 1), laid out over (cause 1, A1); tables[i] for
// i ≥ 1 is P(A(i+1) | Ai, cause i+1), laid out over (Ai, cause i+1, A(i+1)).
// With no cause, tables[0] is the leak. Every A has ChildStates states.
func (m NoisyMax) Chain() ([][]float64, error) {
	if len(m.Causes) == 0 {
		t, err := m.Table()
		return [][]float64{t}, err
	}
	first, err := NoisyMax{ChildStates: m.ChildStates, Leak: m.Leak, Causes: m.Causes[:1]}.Table()
	if err != nil {
		return nil, err
	}
	if _, err := m.Table(); err != nil { // validate every cause once
		return nil, err
	}
	k := m.ChildStates
	tables := [][]float64{first}
	for _, c := range m.Causes[1:] {
		t := make([]float64, 0, k*c.States*k)
		for a := 0; a < k; a++ {
			for x := 0; x < c.States; x++ {
				prev := 0.0
				cum := 0.0
				for y := 0; y < k; y++ {
					// P(max(a, Y_i) ≤ y) = [a ≤ y] · C_i,x(y).
					if c.Strength[x] == nil {
						cum = 1
					} else {
						cum += c.Strength[x][y]
					}
					if y == k-1 {
						cum = 1
					}
					p := 0.0
					if a <= y {
						p = cum
					}
					t = append(t, math.Max(p-prev, 0))
					prev = p
				}
			}
		}
		tables = append(tables, t)
	}
	return tables, nil
}

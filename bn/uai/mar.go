package uai

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
)

// beginMarker separates the solutions of an anytime solver's answer file.
const beginMarker = "-BEGIN-"

// ReadMAR reads a marginals (MAR) answer file: the word MAR, then the number
// of variables N and, for each variable, its cardinality followed by that
// many probabilities. Line breaks carry no meaning, so one-line and
// multi-line answers both read. Answer files of anytime solvers hold several
// solutions, each optionally introduced by -BEGIN-; ReadMAR returns the last
// complete one, and tolerates an incomplete last solution only when a
// complete one precedes it.
//
// Probabilities must be finite and nonnegative; ReadMAR does not check that
// they sum to 1 (solvers round them).
func ReadMAR(r io.Reader) ([][]float64, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, err
	}
	s := newScanner(data)
	if t := s.next(); !t.is("MAR") {
		return nil, t.expected("the preamble MAR", nil)
	}
	var best [][]float64
	var lastErr error
	for {
		t := s.peek()
		if t.eof {
			break
		}
		if t.is(beginMarker) {
			s.next()
			continue
		}
		m, err := readSolution(s)
		var inc incomplete
		switch {
		case errors.As(err, &inc):
			lastErr = inc.err
		case err != nil:
			return nil, err
		default:
			best, lastErr = m, nil
		}
	}
	if best == nil {
		if lastErr == nil {
			lastErr = s.next().expected("the number of variables (a positive integer)", nil)
		}
		return nil, lastErr
	}
	return best, nil
}

// incomplete wraps the error of a solution cut short by the end of input or
// by the start of another solution.
type incomplete struct{ err error }

func (e incomplete) Error() string { return e.err.Error() }

// stop reports whether t ends a solution early.
func stop(t token) bool { return t.eof || t.is(beginMarker) }

// readSolution reads one solution. When the input ends, or -BEGIN- starts
// another solution, before the solution is complete it returns an
// incomplete error and leaves the scanner before that marker.
func readSolution(s *scanner) ([][]float64, error) {
	// Each variable needs at least two tokens: a cardinality and one
	// probability.
	what := "the number of variables (a positive integer)"
	if t := s.peek(); stop(t) {
		return nil, incomplete{t.expected(what, nil)}
	}
	n, _, err := s.count(what, 1, 2, "variables", nil)
	if err != nil {
		return nil, err
	}
	// Slices grow as tokens arrive rather than being allocated from the
	// counts: a solution cut short by -BEGIN- must not cost more than the
	// tokens it consumed, or many of them would cost quadratic time.
	m := make([][]float64, 0, min(n, 1024))
	for v := range n {
		ctx := func() string { return fmt.Sprintf("variable %d of %d", v, n) }
		what := "a cardinality (a positive integer)"
		if t := s.peek(); stop(t) {
			return nil, incomplete{t.expected(what, ctx)}
		}
		c, _, err := s.count(what, 1, 1, "probabilities", ctx)
		if err != nil {
			return nil, err
		}
		probs := make([]float64, 0, min(c, 1024))
		for i := range c {
			what := "a probability (a finite nonnegative number)"
			ctx := func() string { return fmt.Sprintf("probability %d of %d of variable %d of %d", i+1, c, v, n) }
			if t := s.peek(); stop(t) {
				return nil, incomplete{t.expected(what, ctx)}
			}
			p, _, err := s.number(what, ctx)
			if err != nil {
				return nil, err
			}
			probs = append(probs, p)
		}
		m = append(m, probs)
	}
	return m, nil
}

// WriteMAR writes marginals in the MAR answer format: a line MAR, then one
// line holding the number of variables and, for each variable, its
// cardinality and probabilities. Probabilities are written in the shortest
// form that reads back to the same float64, so ReadMAR returns marginals
// identical to those written. There must be 1 to bn.MaxTableSize variables,
// each with 1 to bn.MaxTableSize probabilities, all finite and nonnegative.
func WriteMAR(w io.Writer, marginals [][]float64) error {
	if len(marginals) == 0 || len(marginals) > maxCount {
		return fmt.Errorf("uai: WriteMAR needs 1 to %d variables, not %d", maxCount, len(marginals))
	}
	for v, m := range marginals {
		if len(m) == 0 || len(m) > maxCount {
			return fmt.Errorf("uai: WriteMAR: variable %d has %d probabilities, want 1 to %d", v, len(m), maxCount)
		}
		for _, p := range m {
			if !(p >= 0) || math.IsInf(p, 0) {
				return fmt.Errorf("uai: WriteMAR: variable %d has probability %v; probabilities must be finite and nonnegative", v, p)
			}
		}
	}
	bw := bufio.NewWriter(w)
	buf := make([]byte, 0, 4096+64)
	buf = append(buf, "MAR\n"...)
	buf = strconv.AppendInt(buf, int64(len(marginals)), 10)
	for _, m := range marginals {
		buf = append(buf, ' ')
		buf = strconv.AppendInt(buf, int64(len(m)), 10)
		for _, p := range m {
			buf = append(buf, ' ')
			buf = strconv.AppendFloat(buf, p, 'g', -1, 64)
			if len(buf) >= 4096 {
				bw.Write(buf)
				buf = buf[:0]
			}
		}
	}
	buf = append(buf, '\n')
	bw.Write(buf)
	return bw.Flush()
}

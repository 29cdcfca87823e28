package uai

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/tendo-health/tendo/bn"
)

// ReadEvidence reads a UAI evidence file for net and returns the observed
// state of each observed variable (variable index to state index).
//
// Two formats exist. The older one is a single sample: the number of
// observed variables n followed by n pairs of variable index and state
// index. The UAI 2014 one starts with the number of samples k, followed by
// k samples in the older format. The two are told apart by counting tokens:
// input of exactly 1+2n tokens is read as the older format, anything else as
// the UAI 2014 format, which must then account for every token. Only the
// first sample is returned; the others are checked just as carefully.
//
// Every variable index must exist in net and every state index must be
// below its cardinality; a variable observed twice in a sample is an error.
// Errors in the input are reported as *SyntaxError.
func ReadEvidence(r io.Reader, net *bn.Network) (map[int]int, error) {
	if net == nil {
		return nil, errors.New("uai: ReadEvidence needs a network")
	}
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, err
	}

	// First pass: every token must be a nonnegative integer; count them.
	s := newScanner(data)
	total := 0
	for t := s.next(); !t.eof; t = s.next() {
		if _, ok := atoi(t.text); !ok {
			return nil, t.expected("a nonnegative integer", nil)
		}
		total++
	}

	s = newScanner(data)
	first, ft, err := s.integer("the number of observed variables or of samples (a nonnegative integer)", 0, nil)
	if err != nil {
		return nil, err
	}
	if first <= (total-1)/2 && total == 1+2*first {
		// The older format: one sample, whose size we just read.
		return readSample(s, net, ft, first, "")
	}

	// The UAI 2014 format: first is the number of samples, each of which
	// takes at least one token.
	k := first
	if err := s.fits(ft, k, 1, "samples"); err != nil {
		return nil, formatHint(err, total, first)
	}
	var result map[int]int
	for i := 0; i < k; i++ {
		where := fmt.Sprintf(" in sample %d of %d", i+1, k)
		n, nt, err := s.integer("the number of observed variables", 0, func() string {
			return fmt.Sprintf("sample %d of %d", i+1, k)
		})
		if err != nil {
			return nil, formatHint(err, total, first)
		}
		ev, err := readSample(s, net, nt, n, where)
		if err != nil {
			return nil, formatHint(err, total, first)
		}
		if i == 0 {
			result = ev
		}
	}
	if t := s.next(); !t.eof {
		return nil, formatHint(t.expected(fmt.Sprintf("the end of input after %d samples", k), nil), total, first)
	}
	return result, nil
}

// formatHint adds to a structural error of UAI 2014 evidence (a missing or
// unexpected token, or a count too large) why the input was not read in the
// older format.
func formatHint(err error, total, first int) error {
	var se *SyntaxError
	if errors.As(err, &se) && (strings.HasPrefix(se.Msg, "expected ") || strings.Contains(se.Msg, "cannot fit")) {
		old := "more than the input has"
		if first <= total {
			old = fmt.Sprint(1 + 2*first)
		}
		se.Msg += fmt.Sprintf("; read as UAI 2014 evidence of %d samples, since the older format would need %s tokens and the input has %d", first, old, total)
	}
	return err
}

// readSample reads n pairs of variable index and state index. nt is the
// token holding n; where places the sample in messages.
func readSample(s *scanner, net *bn.Network, nt token, n int, where string) (map[int]int, error) {
	if err := s.fits(nt, n, 2, "observed variables"); err != nil {
		return nil, err
	}
	nvars := len(net.Variables)
	ev := make(map[int]int, min(n, nvars))
	at := make(map[int]token, min(n, nvars))
	for j := 0; j < n; j++ {
		ctx := func() string { return fmt.Sprintf("observed variable %d of %d%s", j+1, n, where) }
		v, vt, err := s.integer("a variable index", 0, ctx)
		if err != nil {
			return nil, err
		}
		if v >= nvars {
			return nil, vt.errorf("variable %s does not exist: the network has %d variables", vt.text, nvars)
		}
		if prev, dup := at[v]; dup {
			return nil, vt.errorf("variable %d is observed twice%s (first at line %d, column %d)", v, where, prev.line, prev.col)
		}
		at[v] = token{line: vt.line, col: vt.col}
		st, stt, err := s.integer("a state index", 0, ctx)
		if err != nil {
			return nil, err
		}
		if c := net.Card(v); st >= c {
			return nil, stt.errorf("variable %d (%s) has %d states, so state %s does not exist", v, net.Variables[v].Name, c, stt.text)
		}
		ev[v] = st
	}
	return ev, nil
}

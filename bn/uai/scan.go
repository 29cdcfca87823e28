package uai

import (
	"bytes"
	"fmt"
	"math"
	"strconv"
)

// SyntaxError reports malformed input, or a well-formed token whose value
// is not acceptable where it stands (a variable index out of range, a table
// count that does not match its scope, a duplicate variable in a scope, ...).
// Line and Col locate the token, both counted from 1; Col counts bytes. When
// the input ends too early they locate the end of input.
type SyntaxError struct {
	Line, Col int
	Msg       string
}

// Error returns the message on one line, for example
//
//	uai: line 3, column 17: expected a cardinality (a positive integer), found "x"
func (e *SyntaxError) Error() string {
	return fmt.Sprintf("uai: line %d, column %d: %s", e.Line, e.Col, e.Msg)
}

// token is one whitespace-separated word of the input and where it starts.
// A token with eof set stands for the end of input.
type token struct {
	text      []byte
	line, col int
	eof       bool
}

// describe renders the token for "found ..." in a message.
func (t token) describe() string {
	if t.eof {
		return "end of input"
	}
	const shown = 40
	if len(t.text) > shown {
		return strconv.Quote(string(t.text[:shown])) + "..."
	}
	return strconv.Quote(string(t.text))
}

// errorf makes a *SyntaxError located at t.
func (t token) errorf(format string, args ...any) *SyntaxError {
	return &SyntaxError{Line: t.line, Col: t.col, Msg: fmt.Sprintf(format, args...)}
}

// expected makes the usual "expected X, found Y" error. At the end of input
// it adds ctx (when not nil), which says where in the file the reader was.
func (t token) expected(what string, ctx func() string) *SyntaxError {
	msg := "expected " + what + ", found " + t.describe()
	if t.eof && ctx != nil {
		msg += " (" + ctx() + ")"
	}
	return &SyntaxError{Line: t.line, Col: t.col, Msg: msg}
}

// scanner splits input into whitespace-separated tokens, keeping track of
// line and column.
type scanner struct {
	data      []byte
	pos       int
	line, col int // position of data[pos]
}

func newScanner(data []byte) *scanner {
	return &scanner{data: data, line: 1, col: 1}
}

func isSpace(c byte) bool {
	switch c {
	case ' ', '\t', '\n', '\r', '\v', '\f':
		return true
	}
	return false
}

// next returns the next token, or a token with eof set at the end of input.
func (s *scanner) next() token {
	for s.pos < len(s.data) && isSpace(s.data[s.pos]) {
		if s.data[s.pos] == '\n' {
			s.line++
			s.col = 1
		} else {
			s.col++
		}
		s.pos++
	}
	t := token{line: s.line, col: s.col}
	if s.pos == len(s.data) {
		t.eof = true
		return t
	}
	start := s.pos
	for s.pos < len(s.data) && !isSpace(s.data[s.pos]) {
		s.pos++
	}
	t.text = s.data[start:s.pos]
	s.col += s.pos - start
	return t
}

// peek returns the next token without consuming it.
func (s *scanner) peek() token {
	saved := *s
	t := s.next()
	*s = saved
	return t
}

// room is an upper bound on the number of tokens the rest of the input can
// hold: every token takes at least one byte and is separated from the
// previous one by at least one byte of white space.
func (s *scanner) room() int {
	return (len(s.data) - s.pos + 1) / 2
}

// atoi parses a nonnegative decimal integer made only of ASCII digits. It
// reports ok=false for anything else, and saturates at math.MaxInt for
// values too large to hold (callers reject those as out of range).
func atoi(b []byte) (n int, ok bool) {
	if len(b) == 0 {
		return 0, false
	}
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false
		}
		d := int(c - '0')
		if n > (math.MaxInt-d)/10 {
			n = math.MaxInt
		} else if n != math.MaxInt {
			n = n*10 + d
		}
	}
	return n, true
}

// integer reads a nonnegative integer at least min; what describes it and
// ctx (which may be nil) where it stands, for token.expected.
func (s *scanner) integer(what string, min int, ctx func() string) (int, token, error) {
	t := s.next()
	n, ok := atoi(t.text)
	if t.eof || !ok || n < min {
		return 0, t, t.expected(what, ctx)
	}
	return n, t, nil
}

// count reads a count of items with integer, and checks it with fits.
func (s *scanner) count(what string, min, perItem int, noun string, ctx func() string) (int, token, error) {
	n, t, err := s.integer(what, min, ctx)
	if err != nil {
		return 0, t, err
	}
	if err := s.fits(t, n, perItem, noun); err != nil {
		return 0, t, err
	}
	return n, t, nil
}

// fits checks that n, read from t, is at most bn.MaxTableSize and that n
// items of at least perItem tokens each fit in the rest of the input, so
// that the caller may allocate n items. noun names what n counts.
func (s *scanner) fits(t token, n, perItem int, noun string) error {
	if n > maxCount {
		return t.errorf("%s %s are more than the limit of %d", t.text, noun, maxCount)
	}
	if room := s.room(); n > room/perItem {
		return t.errorf("%d %s cannot fit in the rest of the input, which has room for at most %d", n, noun, room/perItem)
	}
	return nil
}

// number reads a finite nonnegative floating-point number.
func (s *scanner) number(what string, ctx func() string) (float64, token, error) {
	t := s.next()
	if t.eof {
		return 0, t, t.expected(what, ctx)
	}
	p, err := strconv.ParseFloat(string(t.text), 64)
	if err != nil || math.IsInf(p, 0) || math.IsNaN(p) || !(p >= 0) {
		return 0, t, t.expected(what, ctx)
	}
	return p, t, nil
}

// is reports whether t is word, ignoring ASCII case.
func (t token) is(word string) bool {
	return !t.eof && bytes.EqualFold(t.text, []byte(word))
}

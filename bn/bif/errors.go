package bif

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

// SyntaxError reports a problem at a position in BIF text: a syntax error,
// or a semantic one that can be pinned to a token (an unknown variable or
// state, a wrong number of values, a duplicate or missing row, a variable
// declared twice or without a probability block, a table that is too large).
//
// Line and Col are 1-based; Col counts UTF-8 characters (a tab counts as
// one). Msg is a single line with the offending tokens quoted.
type SyntaxError struct {
	Line, Col int
	Msg       string
}

// Error returns the error as one line, e.g.
// `bif: line 12, column 5: expected ";" after the table, found "}"`.
func (e *SyntaxError) Error() string {
	return fmt.Sprintf("bif: line %d, column %d: %s", e.Line, e.Col, e.Msg)
}

// maxShown is how many bytes of a token or name an error message shows.
const maxShown = 40

// clip truncates s to about maxShown bytes, at a character boundary, marking
// the cut with "...".
func clip(s string) string {
	if len(s) <= maxShown {
		return s
	}
	cut := maxShown
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "..."
}

// quote renders a name or token for an error message: clipped and in Go
// double-quoted syntax, so the message stays on one line.
func quote(s string) string {
	return strconv.Quote(clip(s))
}

// describe renders a token for an error message.
func describe(t token) string {
	switch t.kind {
	case tEOF:
		return "end of input"
	case tString:
		return "string " + quote(string(t.text))
	}
	return quote(string(t.text))
}

// showRow renders a parent configuration as it would appear in a row, e.g.
// (yes, no), quoting state names that are not plain words.
func showRow(states []string) string {
	var b strings.Builder
	b.WriteByte('(')
	for i, s := range states {
		if i > 0 {
			b.WriteString(", ")
		}
		if isPlain(s) && strconv.CanBackquote(s) {
			b.WriteString(clip(s))
		} else {
			b.WriteString(quote(s))
		}
	}
	b.WriteByte(')')
	return b.String()
}

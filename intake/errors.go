package intake

import (
	"strings"
)

// A FieldError is one problem with an assessment document.
type FieldError struct {
	// Path names the field as the contract does, with dots between levels
	// and [i] for array elements (0-based): "exam.arcSign",
	// "proms.visaA.answers[7].points". It is "" for a problem with the
	// document as a whole (it is not JSON or YAML, it is too large).
	Path string
	// Paths lists every field a problem involves, Path first: for a
	// broken cross-field rule of contract v1.1 (history.legPainBelowKnee
	// against history.legPainAreas) the other paths follow, and the
	// message names them too. It is nil for a problem with one field.
	Paths []string
	// Value is the offending value as it was written ("maybe" in quotes,
	// 45.5, {…} for an object), or "" when there is none (an unknown or
	// missing field).
	Value string
	// Msg says what is wrong and what is allowed.
	Msg string
	// Line is the 1-based line of the input where the field was written,
	// or 0 when it is not known. For a line of NDJSON it is the line of
	// the stream.
	Line int
}

// Error formats the error as "path: value msg", leaving out the parts
// that are empty, e.g.
//
//	patient.ageYears: 7 is out of range; allowed 10–110
//	exam.slupm: unknown field; did you mean exam.slump?
//
// The line is not part of the message: a caller that reads a file prints
// it with the file name ("case.yaml:12: exam.slupm: unknown field...").
func (e *FieldError) Error() string {
	var b strings.Builder
	if e.Path != "" {
		b.WriteString(e.Path)
		b.WriteString(": ")
	}
	if e.Value != "" {
		b.WriteString(e.Value)
		b.WriteByte(' ')
	}
	b.WriteString(e.Msg)
	return b.String()
}

// Errors is every problem found in one document, in document order, then
// the broken cross-field rules (contract v1.1) in the contract's order. The
// parsing functions return either a nil error or a non-empty Errors.
type Errors []*FieldError

// Error joins the messages with "; ".
func (es Errors) Error() string {
	s := make([]string, len(es))
	for i, e := range es {
		s[i] = e.Error()
	}
	return strings.Join(s, "; ")
}

// Unwrap returns the errors one by one, so errors.As can find a
// *FieldError.
func (es Errors) Unwrap() []error {
	out := make([]error, len(es))
	for i, e := range es {
		out[i] = e
	}
	return out
}

func (es Errors) err() error {
	if len(es) == 0 {
		return nil
	}
	return es
}

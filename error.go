package tendo

import (
	"errors"
	"fmt"
	"strings"
)

// Application error codes. Every service returns errors with one of
// these codes (an error without one is EINTERNAL); the web server maps
// each to one HTTP status and the command line to one exit code.
const (
	ECONFLICT     = "conflict"          // a duplicate, a used link, a stale edit
	EINTERNAL     = "internal"          // a fault of the program or its database; never shown in detail
	EINVALID      = "invalid"           // bad input: Field and Value say where
	ENOTFOUND     = "not_found"         // no such record, or one the actor may not see
	EUNAUTHORIZED = "unauthorized"      // no valid login, session or token
	EFORBIDDEN    = "forbidden"         // logged in, but not allowed
	ETOOMANY      = "too_many_requests" // a rate or concurrency limit; retry later
)

// Error is an application error: a code, a message safe to show a user,
// and optionally the field it concerns (a contract path or a form field)
// and the offending value as written.
type Error struct {
	Code    string
	Message string
	// Field names the field as the contract (or the form, or the request)
	// does, with dots between levels and [i] for array elements:
	// "exam.arcSign", "proms.visaA.answers[7].points"; "" for a problem
	// with the input as a whole.
	Field string
	// Paths lists every field a problem involves, Field first: a broken
	// cross-field rule of contract v1.1 names the other fields here and in
	// its message. Nil for a problem with one field.
	Paths []string
	// Value is the offending value as written ("maybe" in quotes, 45.5,
	// {…} for an object), "" when there is none.
	Value string
	// Line is the 1-based line of the input where the field was written,
	// 0 when not known (not part of the message).
	Line int
}

func (e *Error) Error() string {
	var b strings.Builder
	if e.Field != "" {
		b.WriteString(e.Field)
		b.WriteString(": ")
	}
	if e.Value != "" {
		b.WriteString(e.Value)
		b.WriteByte(' ')
	}
	b.WriteString(e.Message)
	return b.String()
}

// Errorf returns an *Error with the code and a formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// Invalid returns an EINVALID error about a field.
func Invalid(field, format string, args ...any) *Error {
	return &Error{Code: EINVALID, Field: field, Message: fmt.Sprintf(format, args...)}
}

// Errors is several field problems found together (a form, a document).
// Its code is EINVALID.
type Errors []*Error

// Error joins the messages with "; ".
func (es Errors) Error() string {
	s := make([]string, len(es))
	for i, e := range es {
		s[i] = e.Error()
	}
	return strings.Join(s, "; ")
}

// Unwrap returns the errors one by one, so errors.As finds the first
// *Error.
func (es Errors) Unwrap() []error {
	out := make([]error, len(es))
	for i, e := range es {
		out[i] = e
	}
	return out
}

// ErrorCode returns the code of an *Error in err's chain, EINTERNAL for
// any other error, and "" for nil.
func ErrorCode(err error) string {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// ErrorMessage returns the message of an *Error in err's chain, or
// "Internal error." for any other error (whose text may hold internals).
func ErrorMessage(err error) string {
	var e *Error
	if errors.As(err, &e) && e.Code != EINTERNAL {
		return e.Message
	}
	return "Internal error."
}

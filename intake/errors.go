package intake

import "github.com/tendo-health/tendo"

// A FieldError is one problem with an assessment document: the
// application's error (code EINVALID) with the field's path (Field), the
// other paths of a broken cross-field rule (Paths), the offending value
// and the line. Its Error is "path: value message", e.g.
//
//	patient.ageYears: 7 is out of range; allowed 10–110
//	exam.slupm: unknown field; did you mean exam.slump?
//
// The line is not part of the message: a caller that reads a file prints
// it with the file name ("case.yaml:12: exam.slupm: unknown field...").
type FieldError = tendo.Error

// Errors is every problem found in one document, in document order, then
// the broken cross-field rules (contract v1.1) in the contract's order. The
// parsing functions return either a nil error or a non-empty Errors.
type Errors = tendo.Errors

// invalid is a FieldError of code EINVALID.
func invalid(path string, paths []string, value, msg string, line int) *FieldError {
	return &FieldError{Code: tendo.EINVALID, Field: path, Paths: paths, Value: value, Message: msg, Line: line}
}

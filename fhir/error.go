package fhir

import "strings"

// Error is a FHIR resource that cannot be read or written. Path locates the
// offending element as a FHIRPath expression from the resource
// (Patient.name[0].given[1]); it is empty when the input is not JSON or
// breaks a limit.
type Error struct {
	Path string
	Msg  string
}

func (e *Error) Error() string {
	if e.Path == "" {
		return "fhir: " + e.Msg
	}
	return "fhir: " + e.Path + ": " + e.Msg
}

// prefix puts the element name (or index, "[2]") p in front of err's path;
// an error that is not an *Error becomes one.
func prefix(p string, err error) error {
	e, ok := err.(*Error)
	if !ok {
		return &Error{Path: p, Msg: strings.TrimPrefix(err.Error(), "json: ")}
	}
	switch {
	case e.Path == "":
		return &Error{Path: p, Msg: e.Msg}
	case strings.HasPrefix(e.Path, "["):
		return &Error{Path: p + e.Path, Msg: e.Msg}
	}
	return &Error{Path: p + "." + e.Path, Msg: e.Msg}
}

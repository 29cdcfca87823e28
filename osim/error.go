package osim

import "fmt"

// Limits on the input, so that a hostile file cannot exhaust memory.
const (
	// MaxLineLength is the longest line, in bytes, that the readers accept.
	MaxLineLength = 1 << 20
	// MaxColumns is the most columns a table row (or coordinates a .trc
	// row, three per marker) may have.
	MaxColumns = 1 << 16
	// MaxRows is the largest row or frame count a header may declare.
	MaxRows = 1 << 24
	// MaxHeaderLines is the most lines a .mot or .sto header may have
	// before "endheader".
	MaxHeaderLines = 1 << 10
)

// FormatError reports a malformed file. Line is 1-based.
type FormatError struct {
	Line int
	Msg  string
}

func (e *FormatError) Error() string {
	return fmt.Sprintf("osim: line %d: %s", e.Line, e.Msg)
}

func errorf(line int, format string, args ...any) error {
	return &FormatError{Line: line, Msg: fmt.Sprintf(format, args...)}
}

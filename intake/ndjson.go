package intake

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"

	"github.com/tendo-health/tendo"
)

// A LineReader reads newline-delimited JSON: one assessment per line, for
// batch mode. A bad line is an error for that line only; the reader goes on
// with the next. Blank lines are skipped.
type LineReader struct {
	br   *bufio.Reader
	line int
	buf  []byte
	err  error // sticky: io.EOF or a read error
}

// NewLineReader returns a LineReader reading from r.
func NewLineReader(r io.Reader) *LineReader {
	return &LineReader{br: bufio.NewReaderSize(r, 64<<10)}
}

// Next reads the next assessment. It returns the 1-based line it was on
// and either the assessment or the line's error: an Errors whose
// FieldErrors carry that line number (a line longer than MaxSize is one
// such error, and is skipped without being held in memory). At the end of
// the input it returns io.EOF; a failure of the underlying reader is
// returned as is, and from then on.
func (lr *LineReader) Next() (line int, a *tendo.Assessment, err error) {
	for {
		if lr.err != nil {
			return lr.line, nil, lr.err
		}
		data, tooLong, rerr := lr.readLine()
		if rerr != nil {
			lr.err = rerr
			if rerr != io.EOF {
				return lr.line, nil, rerr
			}
			if len(data) == 0 && !tooLong {
				return lr.line, nil, io.EOF
			}
		}
		lr.line++
		if tooLong {
			return lr.line, nil, Errors{invalid("", nil, "", "line is longer than 1 MiB", lr.line)}
		}
		lead := len(data) - len(bytes.TrimLeft(data, " \t\r\n"))
		data = bytes.TrimSpace(data)
		if len(data) == 0 {
			continue
		}
		// The record's line is lr.line; a syntax error names its column
		// in the line as read (issue 10: small).
		a, err := parseJSON(data, func(pos int) string {
			_, col := jsonPosition(data, pos)
			return fmt.Sprintf("column %d", col+lead)
		})
		if err != nil {
			var es Errors
			if errors.As(err, &es) {
				for _, e := range es {
					e.Line = lr.line
				}
			}
			return lr.line, nil, err
		}
		return lr.line, a, nil
	}
}

// readLine reads up to and including the next newline. A line longer than
// MaxSize (plus its line ending) is read through and dropped. The error
// is io.EOF for a last line without a newline (data may then be empty).
func (lr *LineReader) readLine() (data []byte, tooLong bool, err error) {
	lr.buf = lr.buf[:0]
	for {
		chunk, err := lr.br.ReadSlice('\n')
		if !tooLong {
			if len(lr.buf)+len(chunk) > MaxSize+2 {
				tooLong, lr.buf = true, lr.buf[:0]
			} else {
				lr.buf = append(lr.buf, chunk...)
			}
		}
		if err == bufio.ErrBufferFull {
			continue
		}
		return lr.buf, tooLong, err
	}
}

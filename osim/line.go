package osim

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
)

// lineReader reads lines of at most MaxLineLength bytes and counts them.
type lineReader struct {
	r    *bufio.Reader
	line int // number of the line last returned
	buf  []byte
}

func newLineReader(r io.Reader) *lineReader {
	return &lineReader{r: bufio.NewReaderSize(r, 64<<10)}
}

// next returns the next line without its line ending ("\n" or "\r\n").
// At the end of the input it returns io.EOF. A line longer than
// MaxLineLength is a *FormatError.
func (lr *lineReader) next() (string, error) {
	lr.buf = lr.buf[:0]
	for {
		chunk, err := lr.r.ReadSlice('\n')
		if len(lr.buf)+len(chunk) > MaxLineLength+2 { // room for "\r\n"
			return "", errorf(lr.line+1, "line longer than %d bytes", MaxLineLength)
		}
		lr.buf = append(lr.buf, chunk...)
		if errors.Is(err, bufio.ErrBufferFull) {
			continue
		}
		if err == io.EOF {
			if len(lr.buf) == 0 {
				return "", io.EOF
			}
		} else if err != nil {
			return "", fmt.Errorf("osim: read line %d: %w", lr.line+1, err)
		}
		break
	}
	lr.line++
	s := strings.TrimSuffix(string(lr.buf), "\n")
	s = strings.TrimSuffix(s, "\r")
	if len(s) > MaxLineLength {
		return "", errorf(lr.line, "line longer than %d bytes", MaxLineLength)
	}
	return s, nil
}

// nextNonBlank skips lines that hold only white space.
func (lr *lineReader) nextNonBlank() (string, error) {
	for {
		s, err := lr.next()
		if err != nil || strings.TrimSpace(s) != "" {
			return s, err
		}
	}
}

// splitTabs splits s at tabs, trims white space from each field and drops
// empty fields at the end. It refuses more than max fields.
func splitTabs(s string, line, max int) ([]string, error) {
	if n := strings.Count(s, "\t") + 1; n > max {
		return nil, errorf(line, "%d fields, more than the limit of %d", n, max)
	}
	f := strings.Split(s, "\t")
	for i := range f {
		f[i] = strings.TrimSpace(f[i])
	}
	for len(f) > 0 && f[len(f)-1] == "" {
		f = f[:len(f)-1]
	}
	return f, nil
}

// parseFloat parses a decimal number, NaN or ±Inf, including the spellings
// C libraries print ("-nan", "nan(ind)", "1.#INF", "-1.#IND", "1.#QNAN").
// A finite number too large for a float64 is an error rather than a
// silent infinity.
func parseFloat(s string) (float64, error) {
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		if w, ok := cSpecial(s); ok {
			return w, nil
		}
		var ne *strconv.NumError
		if errors.As(err, &ne) && ne.Err == strconv.ErrRange && !math.IsInf(v, 0) {
			return v, nil // underflow to zero or a subnormal
		}
		if errors.As(err, &ne) && ne.Err == strconv.ErrRange {
			return 0, fmt.Errorf("number %q out of range", short(s))
		}
		return 0, fmt.Errorf("not a number: %q", short(s))
	}
	return v, nil
}

// parseCount parses a non-negative count no larger than max.
func parseCount(s string, max int) (int, error) {
	n, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil {
		return 0, fmt.Errorf("not a whole number: %q", short(s))
	}
	if n < 0 || n > max {
		return 0, fmt.Errorf("%d outside 0…%d", n, max)
	}
	return n, nil
}

// short cuts s for an error message.
func short(s string) string {
	const max = 40
	if len(s) <= max {
		return s
	}
	return s[:max] + "…"
}

// cSpecial parses the NaN and infinity spellings of C runtimes that
// strconv does not accept.
func cSpecial(s string) (float64, bool) {
	l := strings.ToLower(s)
	sign := 1.0
	if l != "" && (l[0] == '-' || l[0] == '+') {
		if l[0] == '-' {
			sign = -1
		}
		l = l[1:]
	}
	switch {
	case l == "nan", strings.HasPrefix(l, "nan(") && strings.HasSuffix(l, ")"),
		l == "1.#qnan", l == "1.#snan", l == "1.#ind":
		return math.NaN(), true
	case l == "1.#inf":
		return math.Inf(int(sign)), true
	}
	return 0, false
}

package main

// This file is tendo assess --batch: NDJSON in, NDJSON out, on a pool of
// workers.

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"runtime"
	"sort"
	"strings"
	"sync"

	"github.com/tendo-health/tendo"
	"github.com/tendo-health/tendo/assess"
	"github.com/tendo-health/tendo/intake"
	"github.com/tendo-health/tendo/internal/resultjson"
)

// batchErrorLine is what --batch writes for a line it could not assess.
type batchErrorLine struct {
	Line  int        `json:"line"`
	ID    string     `json:"id,omitempty"`
	Error batchError `json:"error"`
}

type batchError struct {
	Code    string               `json:"code"`
	Message string               `json:"message"`
	Fields  []*intake.FieldError `json:"fields,omitempty"`
}

// chunk is a run of input lines processed together (fewer channel
// operations per assessment).
type chunk struct {
	seq   int
	lines []batchLine
	out   []byte
	bad   []int // line numbers that failed
}

// batchLine is one line as intake.LineReader read it: its number and the
// assessment or the line's error.
type batchLine struct {
	n   int
	a   *tendo.Assessment
	err error
}

// runBatch reads NDJSON with intake.LineReader, assesses each line on a
// pool of workers, and writes the results in input order. A line that
// cannot be read (bad JSON, a field error, longer than intake.MaxSize)
// gives an error object in its place and the batch goes on; only a
// failure of the input itself stops it.
func runBatch(ctx context.Context, m *Main, eng *assess.Engine, in io.Reader, workers int) error {
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	const chunkLines = 128
	jobs := make(chan *chunk, workers*2)
	done := make(chan *chunk, workers*2)
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var buf []byte
			for c := range jobs {
				buf = buf[:0]
				for _, l := range c.lines {
					var be *batchErrorLine
					if buf, be = assessLine(eng, l, buf); be != nil {
						c.bad = append(c.bad, l.n)
						b, _ := json.Marshal(be)
						buf = append(append(buf, b...), '\n')
					}
				}
				c.out = append(c.out[:0], buf...)
				done <- c
			}
		}()
	}
	// Reader.
	readErr := make(chan error, 1)
	go func() {
		defer close(jobs)
		lr := intake.NewLineReader(in)
		c := &chunk{}
		for {
			if err := ctx.Err(); err != nil {
				readErr <- err
				return
			}
			n, a, err := lr.Next()
			if err == io.EOF {
				break
			}
			var es intake.Errors
			if err != nil && !errors.As(err, &es) {
				// The input failed, not the line.
				if len(c.lines) > 0 {
					jobs <- c
				}
				readErr <- fmt.Errorf("line %d: %w", n+1, err)
				return
			}
			c.lines = append(c.lines, batchLine{n: n, a: a, err: err})
			if len(c.lines) == chunkLines {
				jobs <- c
				c = &chunk{seq: c.seq + 1}
			}
		}
		if len(c.lines) > 0 {
			jobs <- c
		}
		readErr <- nil
	}()
	go func() { wg.Wait(); close(done) }()
	// Writer: in input order.
	w := bufio.NewWriterSize(m.Stdout, 1<<16)
	pending := map[int]*chunk{}
	next := 0
	var bad []int
	for c := range done {
		pending[c.seq] = c
		for {
			c, ok := pending[next]
			if !ok {
				break
			}
			delete(pending, next)
			if _, err := w.Write(c.out); err != nil {
				return err
			}
			bad = append(bad, c.bad...)
			next++
		}
	}
	if err := w.Flush(); err != nil {
		return err
	}
	if err := <-readErr; err != nil {
		return badInputf("assess --batch: %v", err)
	}
	if len(bad) > 0 {
		sort.Ints(bad)
		show := bad
		if len(show) > 10 {
			show = show[:10]
		}
		parts := make([]string, len(show))
		for i, n := range show {
			parts[i] = fmt.Sprint(n)
		}
		more := ""
		if len(bad) > len(show) {
			more = ", …"
		}
		return badInputf("assess --batch: %d line(s) could not be assessed (lines %s%s); their error objects are in the output", len(bad), strings.Join(parts, ", "), more)
	}
	return nil
}

// assessLine assesses one line and appends the result's JSON and a
// newline to buf, or returns the error object to write in its place.
func assessLine(eng *assess.Engine, l batchLine, buf []byte) ([]byte, *batchErrorLine) {
	if l.err != nil {
		be := &batchErrorLine{Line: l.n, Error: batchError{Code: "invalid", Message: l.err.Error()}}
		var fe intake.Errors
		if errors.As(l.err, &fe) {
			be.Error.Fields = fe
		}
		return buf, be
	}
	res, err := eng.Assess(l.a)
	if err != nil {
		return buf, &batchErrorLine{Line: l.n, ID: l.a.ID, Error: batchError{Code: "invalid", Message: err.Error()}}
	}
	buf = resultjson.Append(buf, res)
	return append(buf, '\n'), nil
}

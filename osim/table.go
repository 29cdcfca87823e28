package osim

import (
	"io"
	"strings"
)

// Table is a .mot or .sto file: named numeric columns, one row per time
// step. The first column is usually "time", in seconds.
type Table struct {
	// Name is the table's name: the first header line when it is not a
	// key, or the value of "name".
	Name string
	// Header holds the header's key=value and "key value" pairs
	// (version, nRows, nColumns, inDegrees, datarows, datacolumns, range,
	// DataRate, …), values trimmed. Free-text header lines are dropped.
	Header map[string]string
	// Columns holds the column labels, in order.
	Columns []string
	// Rows holds one slice of len(Columns) values per row.
	Rows [][]float64
	// InDegrees reports whether angles are in degrees (inDegrees=yes);
	// otherwise they are in radians.
	InDegrees bool
}

// Column returns a copy of the named column, or false if there is none.
// If two columns share the name, it returns the first.
func (t *Table) Column(name string) ([]float64, bool) {
	for i, c := range t.Columns {
		if c != name {
			continue
		}
		col := make([]float64, len(t.Rows))
		for r, row := range t.Rows {
			col[r] = row[i]
		}
		return col, true
	}
	return nil, false
}

// Time returns a copy of the "time" column, in seconds, or nil if the table
// has none.
func (t *Table) Time() []float64 {
	col, _ := t.Column("time")
	return col
}

// keys written as "key value" (the older header form).
var spaceKeys = map[string]bool{"name": true, "datacolumns": true, "datarows": true, "range": true}

// ReadTable reads a .mot or .sto table.
//
// The header runs up to a line "endheader". Its lines are key=value pairs
// (version=1, nRows=151, nColumns=11, inDegrees=yes), "key value" pairs of
// the older form (name, datacolumns, datarows, range), or free text. A
// first line that is neither is the table's name. Then comes a line of
// column labels and the rows of numbers, each separated by tabs, or by
// spaces when a line has no tab. Numbers may be NaN or ±Inf. Blank lines
// are skipped.
//
// Malformed input returns a *FormatError naming the line: no "endheader",
// an inDegrees other than yes or no, a row with the wrong number of
// values, a value that is not a number, or row and column counts other
// than those the header declares (nRows or datarows, nColumns or
// datacolumns; both count the time column).
func ReadTable(r io.Reader) (*Table, error) {
	lr := newLineReader(r)
	t := &Table{Header: make(map[string]string)}
	keyLine := make(map[string]int)
	for {
		s, err := lr.next()
		if err == io.EOF {
			return nil, errorf(lr.line+1, "file ends before endheader")
		}
		if err != nil {
			return nil, err
		}
		if lr.line > MaxHeaderLines {
			return nil, errorf(lr.line, "header longer than %d lines", MaxHeaderLines)
		}
		s = strings.TrimSpace(s)
		if s == "endheader" {
			break
		}
		if k, v, ok := strings.Cut(s, "="); ok {
			k = strings.TrimSpace(k)
			t.Header[k], keyLine[k] = strings.TrimSpace(v), lr.line
			continue
		}
		if f := strings.Fields(s); len(f) > 0 && spaceKeys[f[0]] {
			t.Header[f[0]], keyLine[f[0]] = strings.TrimSpace(s[len(f[0]):]), lr.line
			continue
		}
		if lr.line == 1 {
			t.Name = s
		}
	}
	if t.Name == "" {
		t.Name = t.Header["name"]
	}
	if v, ok := t.Header["inDegrees"]; ok {
		switch strings.ToLower(v) {
		case "yes":
			t.InDegrees = true
		case "no":
		default:
			return nil, errorf(keyLine["inDegrees"], "inDegrees is %q, want yes or no", short(v))
		}
	}
	declared := func(keys ...string) (n, line int, err error) {
		for _, k := range keys {
			if v, ok := t.Header[k]; ok {
				n, err := parseCount(v, MaxRows)
				if err != nil {
					return 0, keyLine[k], errorf(keyLine[k], "%s: %v", k, err)
				}
				return n, keyLine[k], nil
			}
		}
		return -1, 0, nil
	}
	nRows, rowsLine, err := declared("nRows", "datarows")
	if err != nil {
		return nil, err
	}
	nCols, colsLine, err := declared("nColumns", "datacolumns")
	if err != nil {
		return nil, err
	}

	s, err := lr.nextNonBlank()
	if err == io.EOF {
		return nil, errorf(lr.line+1, "file ends before the column labels")
	}
	if err != nil {
		return nil, err
	}
	if t.Columns, err = splitRow(s, lr.line); err != nil {
		return nil, err
	}
	if nCols >= 0 && len(t.Columns) != nCols {
		return nil, errorf(colsLine, "header declares %d columns, but line %d has %d labels", nCols, lr.line, len(t.Columns))
	}

	if nRows > 0 {
		t.Rows = make([][]float64, 0, min(nRows, 4096))
	}
	for {
		s, err := lr.nextNonBlank()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		f, err := splitRow(s, lr.line)
		if err != nil {
			return nil, err
		}
		if len(f) != len(t.Columns) {
			return nil, errorf(lr.line, "%d values, want %d", len(f), len(t.Columns))
		}
		row := make([]float64, len(f))
		for i, v := range f {
			if row[i], err = parseFloat(v); err != nil {
				return nil, errorf(lr.line, "column %d (%s): %v", i+1, short(t.Columns[i]), err)
			}
		}
		if nRows >= 0 && len(t.Rows) == nRows {
			return nil, errorf(lr.line, "more rows than the %d the header declares on line %d", nRows, rowsLine)
		}
		t.Rows = append(t.Rows, row)
	}
	if nRows >= 0 && len(t.Rows) != nRows {
		return nil, errorf(rowsLine, "header declares %d rows, but %d follow", nRows, len(t.Rows))
	}
	return t, nil
}

// splitRow splits a line of labels or values at tabs, or at runs of spaces
// when it has no tab.
func splitRow(s string, line int) ([]string, error) {
	if strings.Contains(s, "\t") {
		f, err := splitTabs(s, line, MaxColumns)
		if err != nil {
			return nil, err
		}
		return f, nil
	}
	f := strings.Fields(s)
	if len(f) > MaxColumns {
		return nil, errorf(line, "%d fields, more than the limit of %d", len(f), MaxColumns)
	}
	return f, nil
}

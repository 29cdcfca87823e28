package osim

import (
	"io"
	"math"
	"strconv"
	"strings"
)

// TRC is a marker file: the 3-D trajectories of named markers, one row per
// frame.
type TRC struct {
	DataRate   float64 // frames per second (Hz)
	CameraRate float64 // camera frames per second (Hz); 0 if absent
	Units      string  // unit of every coordinate, usually "mm"

	Markers []string  // marker names, in column order
	Frames  []int     // frame number of each row
	Times   []float64 // time of each row, in seconds

	// Data holds one row per frame of 3·len(Markers) coordinates:
	// X, Y, Z of the first marker, then of the second, and so on. A
	// missing coordinate is NaN.
	Data [][]float64
}

// Marker returns the trajectory of the named marker, one X, Y, Z triple per
// frame, in t.Units. It reports false if there is no such marker.
func (t *TRC) Marker(name string) (xyz [][3]float64, ok bool) {
	for i, m := range t.Markers {
		if m != name {
			continue
		}
		xyz = make([][3]float64, len(t.Data))
		for r, row := range t.Data {
			copy(xyz[r][:], row[3*i:3*i+3])
		}
		return xyz, true
	}
	return nil, false
}

// ReadTRC reads a .trc marker file (PathFileType 4, X/Y/Z).
//
// The header is five lines: the file type; the names and then the values
// of DataRate, CameraRate, NumFrames, NumMarkers, Units and the Orig*
// fields; "Frame#", "Time" and the marker names; and the X1 Y1 Z1 …
// labels. Blank lines are skipped. Each following line is a frame: the
// frame number, the time and X, Y, Z for each marker, separated by tabs.
// NaN or an empty field is a missing coordinate; a row must still have
// all its fields. Empty fields after the last coordinate are ignored.
//
// Malformed input returns a *FormatError naming the line: a missing header
// field, a marker list whose length is not NumMarkers, a row with too few
// or too many values, a value that is not a number, or a number of rows
// other than NumFrames.
func ReadTRC(r io.Reader) (*TRC, error) {
	lr := newLineReader(r)
	header := func(what string) (string, error) {
		s, err := lr.next()
		if err == io.EOF {
			return "", errorf(lr.line+1, "file ends before the %s", what)
		}
		return s, err
	}

	s, err := header("file type line")
	if err != nil {
		return nil, err
	}
	if f, _ := splitTabs(s, lr.line, MaxColumns); len(f) == 0 || f[0] != "PathFileType" {
		return nil, errorf(lr.line, "not a .trc file: want PathFileType")
	}

	s, err = header("header keys")
	if err != nil {
		return nil, err
	}
	keys, err := splitTabs(s, lr.line, 64)
	if err != nil {
		return nil, err
	}
	s, err = header("header values")
	if err != nil {
		return nil, err
	}
	vals, err := splitTabs(s, lr.line, 64)
	if err != nil {
		return nil, err
	}
	if len(vals) < len(keys) {
		return nil, errorf(lr.line, "%d header values for %d keys", len(vals), len(keys))
	}
	hdr := make(map[string]string, len(keys))
	for i, k := range keys {
		hdr[k] = vals[i]
	}
	valLine := lr.line

	t := &TRC{Units: hdr["Units"]}
	for _, k := range []string{"DataRate", "NumFrames", "NumMarkers"} {
		if _, ok := hdr[k]; !ok {
			return nil, errorf(valLine-1, "no %s in the header", k)
		}
	}
	if t.DataRate, err = parseFloat(hdr["DataRate"]); err != nil {
		return nil, errorf(valLine, "DataRate: %v", err)
	}
	if v, ok := hdr["CameraRate"]; ok {
		if t.CameraRate, err = parseFloat(v); err != nil {
			return nil, errorf(valLine, "CameraRate: %v", err)
		}
	}
	numFrames, err := parseCount(hdr["NumFrames"], MaxRows)
	if err != nil {
		return nil, errorf(valLine, "NumFrames: %v", err)
	}
	numMarkers, err := parseCount(hdr["NumMarkers"], MaxColumns/3)
	if err != nil {
		return nil, errorf(valLine, "NumMarkers: %v", err)
	}

	s, err = header("marker names")
	if err != nil {
		return nil, err
	}
	f, err := splitTabs(s, lr.line, MaxColumns)
	if err != nil {
		return nil, err
	}
	if len(f) < 2 || !strings.EqualFold(f[0], "Frame#") || !strings.EqualFold(f[1], "Time") {
		return nil, errorf(lr.line, "want Frame# and Time before the marker names")
	}
	for _, name := range f[2:] {
		if name != "" {
			t.Markers = append(t.Markers, name)
		}
	}
	if len(t.Markers) != numMarkers {
		return nil, errorf(lr.line, "%d marker names, but NumMarkers is %d", len(t.Markers), numMarkers)
	}
	if _, err := header("coordinate labels"); err != nil {
		return nil, err
	}

	width := 2 + 3*numMarkers
	capHint := min(numFrames, 4096)
	t.Frames = make([]int, 0, capHint)
	t.Times = make([]float64, 0, capHint)
	t.Data = make([][]float64, 0, capHint)
	for {
		s, err := lr.nextNonBlank()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		f, err := splitTabs(s, lr.line, width+MaxColumns)
		if err != nil {
			return nil, err
		}
		if len(f) > width {
			return nil, errorf(lr.line, "%d values, want at most %d (frame, time and 3 × %d markers)", len(f), width, numMarkers)
		}
		// Every row must carry its fields, even empty ones, so memory
		// stays proportional to the input.
		if n := strings.Count(s, "\t") + 1; n < width || len(f) < 2 {
			return nil, errorf(lr.line, "%d fields, want %d (frame, time and 3 × %d markers)", n, width, numMarkers)
		}
		frame, err := strconv.Atoi(f[0])
		if err != nil {
			return nil, errorf(lr.line, "frame number %q is not a whole number", short(f[0]))
		}
		time, err := parseFloat(f[1])
		if err != nil {
			return nil, errorf(lr.line, "time: %v", err)
		}
		row := make([]float64, 3*numMarkers)
		for i := range row {
			if 2+i >= len(f) || f[2+i] == "" {
				row[i] = math.NaN()
				continue
			}
			if row[i], err = parseFloat(f[2+i]); err != nil {
				return nil, errorf(lr.line, "column %d: %v", 3+i, err)
			}
		}
		if len(t.Data) == numFrames {
			return nil, errorf(lr.line, "more than NumFrames (%d) rows", numFrames)
		}
		t.Frames = append(t.Frames, frame)
		t.Times = append(t.Times, time)
		t.Data = append(t.Data, row)
	}
	if len(t.Data) != numFrames {
		return nil, errorf(valLine, "NumFrames is %d, but %d rows follow", numFrames, len(t.Data))
	}
	return t, nil
}

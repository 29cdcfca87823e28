package osim_test

import (
	"errors"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tendo-health/tendo/internal/shared"
	"github.com/tendo-health/tendo/osim"
)

const tol = 1e-9

// sharedFiles returns every .trc, .sto and .mot file under the shared
// OpenSim folders, keyed by path relative to the shared folder.
func sharedFiles(t *testing.T) []string {
	t.Helper()
	var files []string
	for _, dir := range [][]string{
		{"data", "c3d", "opensim-core", "reference"},
		{"data", "gait-reference", "opensim-models"},
	} {
		root := shared.Path(t, dir...)
		err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			switch filepath.Ext(path) {
			case ".trc", ".sto", ".mot":
				files = append(files, path)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if len(files) < 16 {
		t.Fatalf("found %d OpenSim files, want at least 16", len(files))
	}
	return files
}

func mustOpen(t *testing.T, path string) *os.File {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

func TestSharedFilesParse(t *testing.T) {
	t.Parallel()
	for _, path := range sharedFiles(t) {
		t.Run(filepath.Base(filepath.Dir(path))+"/"+filepath.Base(path), func(t *testing.T) {
			t.Parallel()
			f := mustOpen(t, path)
			if filepath.Ext(path) == ".trc" {
				trc, err := osim.ReadTRC(f)
				if err != nil {
					t.Fatal(err)
				}
				if len(trc.Data) == 0 || len(trc.Markers) == 0 {
					t.Fatalf("%d frames, %d markers", len(trc.Data), len(trc.Markers))
				}
				for i, row := range trc.Data {
					if len(row) != 3*len(trc.Markers) {
						t.Fatalf("row %d has %d values, want %d", i, len(row), 3*len(trc.Markers))
					}
				}
				return
			}
			tab, err := osim.ReadTable(f)
			if err != nil {
				t.Fatal(err)
			}
			if len(tab.Rows) == 0 || len(tab.Columns) < 2 || tab.Columns[0] != "time" {
				t.Fatalf("%d rows, columns %q", len(tab.Rows), tab.Columns)
			}
			tm := tab.Time()
			for i := 1; i < len(tm); i++ {
				if !(tm[i] > tm[i-1]) {
					t.Fatalf("time not increasing at row %d: %v after %v", i, tm[i], tm[i-1])
				}
			}
		})
	}
}

func near(a, b float64) bool { return math.Abs(a-b) <= tol*math.Max(1, math.Abs(b)) }

func TestReadTRCShared(t *testing.T) {
	t.Parallel()
	type point struct {
		marker string
		frame  int // row index, from 0
		xyz    [3]float64
	}
	for _, tt := range []struct {
		path      []string
		rate      float64
		frames    int
		markers   int
		first     []string // first marker names
		lastFrame int
		lastTime  float64
		points    []point
		nanMarker string // a marker missing in row 0
	}{
		{
			path: []string{"data", "c3d", "opensim-core", "reference", "std_walking2_markers.trc"},
			rate: 250, frames: 126, markers: 44,
			first:     []string{"RTH1", "RFHD", "RTH3", "LTH2"},
			lastFrame: 126, lastTime: 4.992,
			points:    []point{{"RTH1", 21, [3]float64{-2552.2, 300.46, 860.36}}},
			nanMarker: "RTH1",
		},
		{
			path: []string{"data", "c3d", "opensim-core", "reference", "std_walking5_markers.trc"},
			rate: 250, frames: 112, markers: 40,
			first:     []string{"LTH3", "T10", "LTB2", "C7"},
			lastFrame: 112, lastTime: 4.408,
			points:    []point{{"LTH3", 111, [3]float64{-2336.8, 253.18, 615.2}}},
			nanMarker: "LTH3",
		},
		{
			path: []string{"data", "gait-reference", "opensim-models", "Gait10dof18musc", "ExperimentalData", "subject01_walk.trc"},
			rate: 60, frames: 151, markers: 41,
			first:     []string{"R.ASIS", "L.ASIS", "V.Sacral"},
			lastFrame: 151, lastTime: 2.5,
			points: []point{
				{"R.ASIS", 0, [3]float64{617.247620, 1055.275020, 170.781980}},
				{"L.ASIS", 0, [3]float64{639.606380, 1044.258420, -88.909790}},
				{"L.ASIS", 1, [3]float64{641.236210, 1042.278560, -90.932130}},
			},
		},
	} {
		t.Run(tt.path[len(tt.path)-1], func(t *testing.T) {
			t.Parallel()
			trc, err := osim.ReadTRC(mustOpen(t, shared.Path(t, tt.path...)))
			if err != nil {
				t.Fatal(err)
			}
			if trc.DataRate != tt.rate || trc.CameraRate != tt.rate {
				t.Errorf("DataRate, CameraRate = %v, %v, want %v", trc.DataRate, trc.CameraRate, tt.rate)
			}
			if got, want := trc.Units, "mm"; got != want {
				t.Errorf("Units = %q, want %q", got, want)
			}
			if got := len(trc.Data); got != tt.frames {
				t.Errorf("%d frames, want %d", got, tt.frames)
			}
			if got := len(trc.Markers); got != tt.markers {
				t.Errorf("%d markers, want %d", got, tt.markers)
			}
			if got := trc.Markers[:len(tt.first)]; strings.Join(got, ",") != strings.Join(tt.first, ",") {
				t.Errorf("markers start %q, want %q", got, tt.first)
			}
			n := len(trc.Frames) - 1
			if trc.Frames[0] != 1 || trc.Frames[n] != tt.lastFrame || trc.Times[0] != 0 || !near(trc.Times[n], tt.lastTime) {
				t.Errorf("frames %d…%d at %v…%v s, want 1…%d at 0…%v s", trc.Frames[0], trc.Frames[n], trc.Times[0], trc.Times[n], tt.lastFrame, tt.lastTime)
			}
			for _, p := range tt.points {
				xyz, ok := trc.Marker(p.marker)
				if !ok {
					t.Fatalf("no marker %q", p.marker)
				}
				for i := range 3 {
					if !near(xyz[p.frame][i], p.xyz[i]) {
						t.Errorf("%s row %d = %v, want %v", p.marker, p.frame, xyz[p.frame], p.xyz)
						break
					}
				}
			}
			if tt.nanMarker != "" {
				xyz, _ := trc.Marker(tt.nanMarker)
				if !math.IsNaN(xyz[0][0]) {
					t.Errorf("%s row 0 = %v, want NaN (missing)", tt.nanMarker, xyz[0])
				}
			}
			if _, ok := trc.Marker("no such marker"); ok {
				t.Error("Marker found a marker that does not exist")
			}
		})
	}
}

func TestReadTableShared(t *testing.T) {
	t.Parallel()
	type cell struct {
		column string
		row    int
		want   float64
	}
	for _, tt := range []struct {
		path      []string
		name      string
		header    map[string]string
		rows      int
		columns   int
		inDegrees bool
		cells     []cell
	}{
		{
			path:   []string{"data", "c3d", "opensim-core", "reference", "std_walking2_grfs.sto"},
			name:   "ds_std_walking2_grfs.sto",
			header: map[string]string{"datacolumns": "19", "datarows": "101", "range": "0.000000 4.995500"},
			rows:   101, columns: 19,
			cells: []cell{
				{"time", 0, 0}, {"f1_1", 0, 2.27511001}, {"f1_2", 0, -0.88972002}, {"f1_3", 0, -14.20642757},
				{"p1_1", 0, 918.59997559}, {"time", 100, 4.9955}, {"f1_1", 100, 0.89219999}, {"m2_3", 100, -741.50976563},
			},
		},
		{
			path:   []string{"data", "c3d", "opensim-core", "reference", "std_walking2_analog.sto"},
			header: map[string]string{"DataRate": "2000.000000", "DataType": "double", "version": "3"},
			rows:   11, columns: 13,
			cells: []cell{{"time", 0, 0}, {"Fx1", 0, 0.8897200226783752}, {"Mz2", 0, 868.1093139648438}, {"time", 10, 4.9955}},
		},
		{
			path:   []string{"data", "gait-reference", "opensim-models", "Gait10dof18musc", "OutputReference", "IK", "subject01_walk_IK.mot"},
			name:   "Coordinates",
			header: map[string]string{"version": "1", "nRows": "151", "nColumns": "11", "inDegrees": "yes"},
			rows:   151, columns: 11, inDegrees: true,
			cells: []cell{{"pelvis_tilt", 0, 10.32995988}, {"hip_flexion_r", 0, -29.10815989}, {"lumbar_extension", 0, -26.13945065}, {"time", 150, 2.5}},
		},
		{
			path:   []string{"data", "gait-reference", "opensim-models", "Gait10dof18musc", "OutputReference", "ID", "Results", "subject01_walk_ID.sto"},
			name:   "Inverse Dynamics Generalized Forces",
			header: map[string]string{"nRows": "151", "nColumns": "11", "inDegrees": "no"},
			rows:   151, columns: 11,
			cells: []cell{{"time", 0, -0.0000005}, {"pelvis_tilt_moment", 0, 2.02122553}, {"lumbar_extension_moment", 150, 3.88919711}},
		},
		{
			path:   []string{"data", "gait-reference", "opensim-models", "Gait2354_Simbody", "subject01_walk1_grf.mot"},
			name:   "subject01_walk1_grf.mot",
			header: map[string]string{"nRows": "1501", "nColumns": "19", "inDegrees": "yes"},
			rows:   1501, columns: 19, inDegrees: true,
			cells: []cell{{"ground_force_vx", 0, 101.5119767}, {"ground_force_vy", 0, 745.4661142}, {"time", 1500, 2.5}, {"ground_force_vy", 1500, 726.293838}},
		},
	} {
		t.Run(tt.path[len(tt.path)-1], func(t *testing.T) {
			t.Parallel()
			tab, err := osim.ReadTable(mustOpen(t, shared.Path(t, tt.path...)))
			if err != nil {
				t.Fatal(err)
			}
			if tab.Name != tt.name {
				t.Errorf("Name = %q, want %q", tab.Name, tt.name)
			}
			for k, want := range tt.header {
				if got := tab.Header[k]; got != want {
					t.Errorf("Header[%q] = %q, want %q", k, got, want)
				}
			}
			if len(tab.Rows) != tt.rows || len(tab.Columns) != tt.columns {
				t.Errorf("%d rows × %d columns, want %d × %d", len(tab.Rows), len(tab.Columns), tt.rows, tt.columns)
			}
			if tab.InDegrees != tt.inDegrees {
				t.Errorf("InDegrees = %v, want %v", tab.InDegrees, tt.inDegrees)
			}
			for _, c := range tt.cells {
				col, ok := tab.Column(c.column)
				if !ok {
					t.Fatalf("no column %q", c.column)
				}
				if !near(col[c.row], c.want) {
					t.Errorf("%s[%d] = %v, want %v", c.column, c.row, col[c.row], c.want)
				}
			}
		})
	}
}

// trcHeader is a valid header for two markers and two frames.
const trcHeader = "PathFileType\t4\t(X/Y/Z)\tx.trc\n" +
	"DataRate\tCameraRate\tNumFrames\tNumMarkers\tUnits\tOrigDataRate\tOrigDataStartFrame\tOrigNumFrames\n" +
	"100\t100\t2\t2\tmm\t100\t1\t2\n" +
	"Frame#\tTime\tA\t\t\tB\t\t\n" +
	"\t\tX1\tY1\tZ1\tX2\tY2\tZ2\n" +
	"\n"

func TestReadTRC(t *testing.T) {
	t.Parallel()
	in := trcHeader + "1\t0\t1\t2\t3\tNaN\t\t\n2\t0.01\t4\t5\t6\t7\t8\tinf\t\n\n"
	trc, err := osim.ReadTRC(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	if got, want := strings.Join(trc.Markers, ","), "A,B"; got != want {
		t.Errorf("Markers = %q, want %q", got, want)
	}
	b, _ := trc.Marker("B")
	if !math.IsNaN(b[0][0]) || !math.IsNaN(b[0][1]) || !math.IsNaN(b[0][2]) {
		t.Errorf("B row 0 = %v, want NaN NaN NaN", b[0])
	}
	if b[1] != [3]float64{7, 8, math.Inf(1)} {
		t.Errorf("B row 1 = %v, want [7 8 +Inf]", b[1])
	}
	if a, _ := trc.Marker("A"); a[1] != [3]float64{4, 5, 6} {
		t.Errorf("A row 1 = %v, want [4 5 6]", a[1])
	}
}

func TestReadTable(t *testing.T) {
	t.Parallel()
	// The older header and space-separated columns, with CRLF endings.
	in := "name walk\r\ndatacolumns 3\r\ndatarows 2\r\nrange 0 0.1\r\nendheader\r\n" +
		"time   a   b\r\n0 1 -nan\r\n0.1 1e3 -Inf\r\n"
	tab, err := osim.ReadTable(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	if tab.Name != "walk" || tab.Header["range"] != "0 0.1" || tab.InDegrees {
		t.Errorf("Name %q, range %q, InDegrees %v", tab.Name, tab.Header["range"], tab.InDegrees)
	}
	b, _ := tab.Column("b")
	if !math.IsNaN(b[0]) || !math.IsInf(b[1], -1) {
		t.Errorf("b = %v, want [NaN -Inf]", b)
	}
	if got := tab.Time(); len(got) != 2 || got[1] != 0.1 {
		t.Errorf("Time() = %v", got)
	}
	if _, ok := tab.Column("c"); ok {
		t.Error("Column found a column that does not exist")
	}
}

func TestNumberSpellings(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		in   string
		want float64 // NaN means NaN
	}{
		{"1.5", 1.5}, {"-2e-3", -0.002}, {"1e-400", 0},
		{"NaN", math.NaN()}, {"nan", math.NaN()}, {"-nan", math.NaN()}, {"-nan(ind)", math.NaN()},
		{"1.#QNAN", math.NaN()}, {"-1.#IND", math.NaN()},
		{"Inf", math.Inf(1)}, {"-Infinity", math.Inf(-1)}, {"1.#INF", math.Inf(1)}, {"-1.#INF", math.Inf(-1)},
	} {
		tab, err := osim.ReadTable(strings.NewReader("endheader\nx\n" + tt.in + "\n"))
		if err != nil {
			t.Errorf("%s: %v", tt.in, err)
			continue
		}
		got := tab.Rows[0][0]
		if got != tt.want && !(math.IsNaN(got) && math.IsNaN(tt.want)) {
			t.Errorf("%s = %v, want %v", tt.in, got, tt.want)
		}
	}
}

func TestReadErrors(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("1", osim.MaxLineLength+1)
	const tabHeader = "t\nversion=1\nnRows=2\nnColumns=2\ninDegrees=no\nendheader\ntime\tx\n"
	for _, tt := range []struct {
		name string
		trc  bool
		in   string
		line int
		msg  string
	}{
		{"TRCEmpty", true, "", 1, "file type"},
		{"TRCNotTRC", true, "hello\n", 1, "PathFileType"},
		{"TRCTruncatedHeader", true, trcHeader[:strings.Index(trcHeader, "Frame#")], 4, "marker names"},
		{"TRCNoValues", true, "PathFileType\t4\nDataRate\tNumFrames\tNumMarkers\n", 3, "header values"},
		{"TRCFewValues", true, "PathFileType\t4\nDataRate\tNumFrames\tNumMarkers\n100\t2\n", 3, "2 header values for 3 keys"},
		{"TRCNoNumFrames", true, "PathFileType\t4\nDataRate\tNumMarkers\n100\t2\n", 2, "no NumFrames"},
		{"TRCBadRate", true, strings.Replace(trcHeader, "100\t100", "fast\t100", 1), 3, "DataRate"},
		{"TRCNegativeFrames", true, strings.Replace(trcHeader, "\t2\t2\tmm", "\t-2\t2\tmm", 1), 3, "NumFrames"},
		{"TRCHugeFrames", true, strings.Replace(trcHeader, "\t2\t2\tmm", "\t999999999999\t2\tmm", 1), 3, "NumFrames"},
		{"TRCHugeMarkers", true, strings.Replace(trcHeader, "\t2\t2\tmm", "\t2\t100000\tmm", 1), 3, "NumMarkers"},
		{"TRCMarkerCount", true, strings.Replace(trcHeader, "\t2\t2\tmm", "\t2\t3\tmm", 1), 4, "2 marker names, but NumMarkers is 3"},
		{"TRCNoFrameColumn", true, strings.Replace(trcHeader, "Frame#\tTime", "Time\tFrame#", 1), 4, "Frame#"},
		{"TRCShortRow", true, trcHeader + "1\t0\t1\t2\t3\n", 7, "5 fields, want 8"},
		{"TRCLongRow", true, trcHeader + "1\t0\t1\t2\t3\t4\t5\t6\t7\n", 7, "9 values"},
		{"TRCBadFrame", true, trcHeader + "one\t0\t1\t2\t3\t4\t5\t6\n", 7, "frame number"},
		{"TRCBadTime", true, trcHeader + "1\tnoon\t1\t2\t3\t4\t5\t6\n", 7, "time"},
		{"TRCBadCell", true, trcHeader + "1\t0\t1\t2\t3\t4\tfive\t6\n", 7, "column 7"},
		{"TRCOutOfRange", true, trcHeader + "1\t0\t1\t2\t3\t4\t1e999\t6\n", 7, "out of range"},
		{"TRCTooFewFrames", true, trcHeader + "1\t0\t1\t2\t3\t4\t5\t6\n", 3, "NumFrames is 2, but 1 rows follow"},
		{"TRCTooManyFrames", true, trcHeader + strings.Repeat("1\t0\t1\t2\t3\t4\t5\t6\n", 3), 9, "more than NumFrames"},
		{"TRCLongLine", true, trcHeader + long + "\n", 7, "longer than"},
		{"TableEmpty", false, "", 1, "endheader"},
		{"TableNoEndheader", false, "t\nversion=1\n", 3, "endheader"},
		{"TableLongHeader", false, strings.Repeat("x=1\n", osim.MaxHeaderLines+1), osim.MaxHeaderLines + 1, "header longer"},
		{"TableNoLabels", false, "t\nendheader\n\n", 4, "column labels"},
		{"TableBadInDegrees", false, "t\ninDegrees=maybe\nendheader\ntime\n", 2, "inDegrees"},
		{"TableBadRowCount", false, "t\nnRows=many\nendheader\ntime\n", 2, "nRows"},
		{"TableHugeRowCount", false, "t\nnRows=99999999999\nendheader\ntime\n", 2, "nRows"},
		{"TableColumnCount", false, strings.Replace(tabHeader, "nColumns=2", "nColumns=3", 1), 4, "declares 3 columns, but line 7 has 2"},
		{"TableOldColumnCount", false, "n\ndatacolumns 3\nendheader\ntime x\n", 2, "declares 3 columns"},
		{"TableTooFewRows", false, tabHeader + "0\t1\n", 3, "declares 2 rows, but 1 follow"},
		{"TableTooManyRows", false, tabHeader + "0\t1\n1\t2\n2\t3\n", 10, "more rows"},
		{"TableShortRow", false, tabHeader + "0\n", 8, "1 values, want 2"},
		{"TableLongRow", false, tabHeader + "0 1 2\n", 8, "3 values, want 2"},
		{"TableBadCell", false, tabHeader + "0\tx1\n", 8, "column 2 (x)"},
		{"TableEmptyCell", false, tabHeader + "\t1\n", 8, "column 1"},
		{"TableLongLine", false, tabHeader + long, 8, "longer than"},
		{"TableManyColumns", false, "t\nendheader\n" + strings.Repeat("a ", osim.MaxColumns+1) + "\n", 3, "more than the limit"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var err error
			if tt.trc {
				_, err = osim.ReadTRC(strings.NewReader(tt.in))
			} else {
				_, err = osim.ReadTable(strings.NewReader(tt.in))
			}
			var fe *osim.FormatError
			if !errors.As(err, &fe) {
				t.Fatalf("err = %v, want a *FormatError", err)
			}
			if fe.Line != tt.line || !strings.Contains(fe.Msg, tt.msg) {
				t.Errorf("err = %v, want line %d and %q", err, tt.line, tt.msg)
			}
		})
	}
}

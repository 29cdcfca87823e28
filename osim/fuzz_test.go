package osim_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/tendo-health/tendo/osim"
)

func FuzzReadTRC(f *testing.F) {
	f.Add(trcHeader + "1\t0\t1\t2\t3\tNaN\t\t\n2\t0.01\t4\t5\t6\t7\t8\tinf\t\n")
	f.Add(trcHeader)
	f.Add("PathFileType\t4\nDataRate\tNumFrames\tNumMarkers\n1\t1\t0\nFrame#\tTime\n\n1\t0\n")
	f.Add("")
	f.Fuzz(func(t *testing.T, in string) {
		trc, err := osim.ReadTRC(strings.NewReader(in))
		if err != nil {
			var fe *osim.FormatError
			if !errors.As(err, &fe) || fe.Line < 1 {
				t.Fatalf("err = %v, want a *FormatError with a line", err)
			}
			return
		}
		if len(trc.Frames) != len(trc.Data) || len(trc.Times) != len(trc.Data) {
			t.Fatalf("%d frames, %d times, %d rows", len(trc.Frames), len(trc.Times), len(trc.Data))
		}
		for _, row := range trc.Data {
			if len(row) != 3*len(trc.Markers) {
				t.Fatalf("row of %d values for %d markers", len(row), len(trc.Markers))
			}
		}
		for _, m := range trc.Markers {
			if xyz, ok := trc.Marker(m); !ok || len(xyz) != len(trc.Data) {
				t.Fatalf("Marker(%q) = %d rows, %v", m, len(xyz), ok)
			}
		}
	})
}

func FuzzReadTable(f *testing.F) {
	f.Add("t\nversion=1\nnRows=2\nnColumns=2\ninDegrees=yes\nendheader\ntime\tx\n0\t1\n1\tNaN\n")
	f.Add("name walk\ndatacolumns 3\ndatarows 1\nrange 0 0\nendheader\ntime a b\n0 1 -Inf\n")
	f.Add("DataRate=2000\nendheader\ntime\tFx1\n0\t0.5\n")
	f.Add("endheader\n")
	f.Fuzz(func(t *testing.T, in string) {
		tab, err := osim.ReadTable(strings.NewReader(in))
		if err != nil {
			var fe *osim.FormatError
			if !errors.As(err, &fe) || fe.Line < 1 {
				t.Fatalf("err = %v, want a *FormatError with a line", err)
			}
			return
		}
		for _, row := range tab.Rows {
			if len(row) != len(tab.Columns) {
				t.Fatalf("row of %d values for %d columns", len(row), len(tab.Columns))
			}
		}
		for _, c := range tab.Columns {
			if col, ok := tab.Column(c); !ok || len(col) != len(tab.Rows) {
				t.Fatalf("Column(%q) = %d values, %v", c, len(col), ok)
			}
		}
	})
}

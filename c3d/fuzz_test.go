package c3d_test

import (
	"bytes"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/tendo-health/tendo/c3d"
)

var update = flag.Bool("update", false, "rewrite the seed corpus in testdata/fuzz/FuzzRead")

// seeds are the synthetic files of the seed corpus: each processor type
// with integer and float storage, and an Intel file with a force plate of
// each type.
func seeds() map[string][]byte {
	m := map[string][]byte{}
	for _, p := range []c3d.Processor{c3d.Intel, c3d.DEC, c3d.MIPS} {
		m[p.String()+"-int"] = newSynth(p).build(false)
		m[p.String()+"-float"] = newSynth(p).build(true)
	}
	for typ := 1; typ <= 4; typ++ {
		s := newSynth(c3d.Intel)
		s.plate = plateParams(s, typ)
		m["Intel-plate"+strconv.Itoa(typ)] = s.build(true)
	}
	return m
}

// TestFuzzCorpus checks that the committed seed corpus holds the synthetic
// files; run with -update to write it.
func TestFuzzCorpus(t *testing.T) {
	dir := filepath.Join("testdata", "fuzz", "FuzzRead")
	for name, b := range seeds() {
		want := "go test fuzz v1\n[]byte(" + strconv.Quote(string(b)) + ")\n"
		path := filepath.Join(dir, name)
		if *update {
			if err := os.MkdirAll(dir, 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(path, []byte(want), 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		got, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("%v (run go test -run TestFuzzCorpus -update)", err)
		}
		if string(got) != want {
			t.Errorf("%s is stale (run go test -run TestFuzzCorpus -update)", path)
		}
	}
}

// FuzzRead checks that Read never panics, fails only with *FormatError on
// an in-memory file, and returns consistent shapes; ForcePlates on a file
// read must not panic either.
func FuzzRead(f *testing.F) {
	for _, b := range seeds() {
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		file, err := c3d.Read(bytes.NewReader(b), int64(len(b)))
		if err != nil {
			var fe *c3d.FormatError
			if !errors.As(err, &fe) {
				t.Fatalf("err=%v (%T), want *FormatError", err, err)
			}
			return
		}
		if got, want := len(file.Points), file.LastFrame-file.FirstFrame+1; got != want {
			t.Fatalf("len(Points)=%d, want %d", got, want)
		}
		for _, pts := range file.Points {
			if len(pts) != file.NumPoints {
				t.Fatalf("frame of %d points, want %d", len(pts), file.NumPoints)
			}
		}
		for _, a := range file.Analog {
			if got, want := len(a), len(file.Points)*file.AnalogSamples; got != want {
				t.Fatalf("channel of %d samples, want %d", got, want)
			}
		}
		if fps, err := file.ForcePlates(); err == nil {
			for _, fp := range fps {
				if len(fp.Force) != len(fp.COP) || len(fp.Moment) != len(fp.FreeMoment) || len(fp.Force) != len(fp.Moment) {
					t.Fatalf("plate of %d forces, %d moments, %d COPs, %d free moments", len(fp.Force), len(fp.Moment), len(fp.COP), len(fp.FreeMoment))
				}
			}
		}
		for _, g := range file.Groups {
			for _, p := range g.Params {
				p.Strings()
				p.Floats()
				p.Ints()
				_ = p.Len()
			}
		}
	})
}

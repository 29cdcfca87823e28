package bif_test

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/tendo-health/tendo/bn"
	"github.com/tendo-health/tendo/bn/bif"
)

// dataDir holds the bnlearn networks, gzip-compressed, outside the repository.
const dataDir = "../../../shared/data/bayesnet/bnlearn-bif/"

// sharedPath returns the path of a shared network, e.g. "asia".
func sharedPath(name string) string {
	return filepath.Join(dataDir, name+".bif.gz")
}

// sharedText returns the decompressed text of a shared network.
func sharedText(tb testing.TB, name string) []byte {
	tb.Helper()
	f, err := os.Open(sharedPath(name))
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		tb.Fatal(err)
	}
	data, err := io.ReadAll(zr)
	if err != nil {
		tb.Fatal(err)
	}
	return data
}

// diffNetworks describes the first difference between a and b, or returns ""
// when they have the same name, variables, states, factor scopes and
// bit-identical tables. The Renormalized count is not compared.
func diffNetworks(a, b *bn.Network) string {
	if a.Name != b.Name {
		return fmt.Sprintf("name %q vs %q", a.Name, b.Name)
	}
	if a.Directed != b.Directed {
		return fmt.Sprintf("directed %v vs %v", a.Directed, b.Directed)
	}
	if len(a.Variables) != len(b.Variables) {
		return fmt.Sprintf("%d vs %d variables", len(a.Variables), len(b.Variables))
	}
	for i := range a.Variables {
		va, vb := a.Variables[i], b.Variables[i]
		if va.Name != vb.Name {
			return fmt.Sprintf("variable %d: name %q vs %q", i, va.Name, vb.Name)
		}
		if len(va.States) != len(vb.States) {
			return fmt.Sprintf("variable %q: %d vs %d states", va.Name, len(va.States), len(vb.States))
		}
		for j := range va.States {
			if va.States[j] != vb.States[j] {
				return fmt.Sprintf("variable %q: state %d is %q vs %q", va.Name, j, va.States[j], vb.States[j])
			}
		}
	}
	if len(a.Factors) != len(b.Factors) {
		return fmt.Sprintf("%d vs %d factors", len(a.Factors), len(b.Factors))
	}
	for i := range a.Factors {
		fa, fb := a.Factors[i], b.Factors[i]
		if fmt.Sprint(fa.Vars) != fmt.Sprint(fb.Vars) {
			return fmt.Sprintf("factor %d: vars %v vs %v", i, fa.Vars, fb.Vars)
		}
		if len(fa.Table) != len(fb.Table) {
			return fmt.Sprintf("factor %d: %d vs %d entries", i, len(fa.Table), len(fb.Table))
		}
		for j := range fa.Table {
			if math.Float64bits(fa.Table[j]) != math.Float64bits(fb.Table[j]) {
				return fmt.Sprintf("factor %d entry %d: %v vs %v", i, j, fa.Table[j], fb.Table[j])
			}
		}
	}
	return ""
}

// roundTrip writes net and reads it back.
func roundTrip(tb testing.TB, net *bn.Network) (*bn.Network, []byte) {
	tb.Helper()
	var buf bytes.Buffer
	if err := bif.Write(&buf, net); err != nil {
		tb.Fatalf("Write: %v", err)
	}
	text := bytes.Clone(buf.Bytes())
	back, err := bif.Read(&buf)
	if err != nil {
		tb.Fatalf("Read of the written text: %v\n%s", err, text)
	}
	return back, text
}

package bif_test

import (
	"bytes"
	"math"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tendo-health/tendo/bn"
	"github.com/tendo-health/tendo/bn/bif"
	"github.com/tendo-health/tendo/internal/golden"
)

func TestRoundTripShared(t *testing.T) {
	t.Parallel()
	for _, tc := range sharedNetworks {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			net, err := bif.ReadFile(sharedPath(tc.name))
			if err != nil {
				t.Fatal(err)
			}
			back, text := roundTrip(t, net)
			if d := diffNetworks(net, back); d != "" {
				t.Fatalf("round trip differs: %s", d)
			}
			// The written text is stable: writing the copy gives the same bytes.
			_, again := roundTrip(t, back)
			if !bytes.Equal(text, again) {
				t.Error("writing the round-tripped network gives different text")
			}
			if back.Renormalized != 0 {
				t.Errorf("the written text needed %d columns renormalised, want 0", back.Renormalized)
			}
		})
	}
}

// TestRoundTripNames covers names that are not plain words.
func TestRoundTripNames(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		net  *bn.Network
	}{
		{"spaces and punctuation", twoVars("my net", "blood pressure", "x(1)", []string{"low, normal", "high;"}, []string{"a|b", "{c}"})},
		{"comment openers", twoVars("a//b", "c/*d", "e/f", []string{"//", "/*"}, []string{"*/", "/"})},
		{"empty names", twoVars("", "v", "w", []string{"", "x"}, []string{"y", "z"})},
		{"keywords and numbers", twoVars("network", "table", "probability", []string{"default", "property"}, []string{"1.5", "-2"})},
		{"unicode and tabs", twoVars("réseau", "température", "w\tx", []string{"élevée", "\u00a0"}, []string{"日本", "\x01"})},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if err := tc.net.Validate(); err != nil {
				t.Fatal(err)
			}
			back, text := roundTrip(t, tc.net)
			if d := diffNetworks(tc.net, back); d != "" {
				t.Errorf("round trip differs: %s\n%s", d, text)
			}
		})
	}
}

// twoVars builds a network v -> w with the given names.
func twoVars(name, v, w string, vStates, wStates []string) *bn.Network {
	return &bn.Network{
		Name:     name,
		Directed: true,
		Variables: []bn.Variable{
			{Name: v, States: vStates},
			{Name: w, States: wStates},
		},
		Factors: []bn.Factor{
			{Vars: []int{0}, Table: []float64{0.25, 0.75}},
			{Vars: []int{0, 1}, Table: []float64{0.125, 0.875, 1, 0}},
		},
	}
}

func TestWriteErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		edit func(*bn.Network)
		msg  string
	}{
		{"double quote in a name", func(n *bn.Network) { n.Variables[0].Name = `say "hi"` }, "cannot be written in BIF"},
		{"newline in a state", func(n *bn.Network) { n.Variables[1].States[0] = "a\nb" }, "cannot be written in BIF"},
		{"newline in the network name", func(n *bn.Network) { n.Name = "a\nb" }, "cannot be written in BIF"},
		{"empty variable name", func(n *bn.Network) { n.Variables[0].Name = "" }, "variable name is empty"},
		{"undirected", func(n *bn.Network) { n.Directed = false }, "only Bayesian networks"},
		{"NaN entry", func(n *bn.Network) { n.Factors[1].Table[2] = math.NaN() }, "finite and nonnegative"},
		{"negative entry", func(n *bn.Network) { n.Factors[0].Table[0] = -0.25 }, "finite and nonnegative"},
		{"short table", func(n *bn.Network) { n.Factors[1].Table = n.Factors[1].Table[:3] }, "has 3 entries, want 4"},
		{"child not last", func(n *bn.Network) { n.Factors[1].Vars = []int{1, 0} }, "must list the variable itself last"},
		{"missing factor", func(n *bn.Network) { n.Factors = n.Factors[:1] }, "one table per variable"},
		{"duplicate state", func(n *bn.Network) { n.Variables[0].States[1] = n.Variables[0].States[0] }, "twice"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			net := twoVars("n", "v", "w", []string{"a", "b"}, []string{"c", "d"})
			tc.edit(net)
			err := bif.Write(&bytes.Buffer{}, net)
			if err == nil || !strings.Contains(err.Error(), tc.msg) {
				t.Errorf("err = %v, want one containing %q", err, tc.msg)
			}
		})
	}
	if err := bif.Write(&bytes.Buffer{}, nil); err == nil {
		t.Error("Write(nil) succeeded")
	}
}

func TestWriteGolden(t *testing.T) {
	t.Parallel()
	net, err := bif.ReadFile(sharedPath("asia"))
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := bif.Write(&buf, net); err != nil {
		t.Fatal(err)
	}
	golden.Check(t, filepath.Join("testdata", "asia.golden.bif"), buf.Bytes())
}

package uai_test

import (
	"bytes"
	"errors"
	"math"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tendo-health/tendo/bn"
	"github.com/tendo-health/tendo/bn/uai"
)

func TestWriteRoundTripPromedus(t *testing.T) {
	t.Parallel()
	for _, path := range promedusFiles(t) {
		t.Run(filepath.Base(path), func(t *testing.T) {
			t.Parallel()
			net, err := uai.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			var buf bytes.Buffer
			if err := uai.Write(&buf, net); err != nil {
				t.Fatal(err)
			}
			again, err := uai.Read(&buf)
			if err != nil {
				t.Fatal(err)
			}
			if d := diffNetworks(net, again); d != "" {
				t.Errorf("Write→Read changed the network: %s", d)
			}
		})
	}
}

func TestWriteRoundTrip(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		in   string
	}{
		{"sprinkler, functions out of order", sprinkler},
		{"Markov network", "MARKOV 3 2 3 2 3 2 2 1  1 0  2 0 2  6 1 2 3 4 5 6  2 7 8  4 9 10 11 12"},
		{"Markov network without functions", "MARKOV 2 2 5 0"},
		{"Markov network with a variable in no function", "MARKOV 3 2 7 2 1 2 0 2 4 0.5 1e-300 1.7976931348623157e308 5e-324"},
		{"Markov network with repeated scopes", "MARKOV 2 2 2 2 2 0 1 2 0 1 4 1 2 3 4 4 5 6 7 8"},
		{"awkward numbers", "MARKOV 1 4 1 1 0 4 0.1 0x1p-3 1E+2 -0"},
		{"lower-case preamble", "bayes 1 2 1 1 0 2 0.25 0.75"},
		{"BAYES chain", "BAYES 3 2 2 2 3 2 1 2 1 0 2 0 1 4 0.3 0.7 0.6 0.4 2 0.5 0.5 4 0.1 0.9 0.2 0.8"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			net, err := uai.Read(strings.NewReader(tt.in))
			if err != nil {
				t.Fatal(err)
			}
			var buf bytes.Buffer
			if err := uai.Write(&buf, net); err != nil {
				t.Fatal(err)
			}
			written := buf.String()
			again, err := uai.Read(&buf)
			if err != nil {
				t.Fatalf("reading back %q: %v", written, err)
			}
			if d := diffNetworks(net, again); d != "" {
				t.Errorf("Write→Read changed the network: %s\n%s", d, written)
			}
		})
	}
}

func TestWriteFormat(t *testing.T) {
	t.Parallel()
	net, err := uai.Read(strings.NewReader(sprinkler))
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := uai.Write(&buf, net); err != nil {
		t.Fatal(err)
	}
	const want = `BAYES
3
2 2 2
3
1 0
2 0 1
3 1 0 2

2
 0.8 0.2

4
 0.6 0.4
 0.99 0.01

8
 1 0
 0.2 0.8
 0.1 0.9
 0.01 0.99
`
	if got := buf.String(); got != want {
		t.Errorf("Write wrote\n%s\nwant\n%s", got, want)
	}
}

// errWriter fails every write.
type errWriter struct{}

func (errWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

func TestWriteErrors(t *testing.T) {
	t.Parallel()
	two := func() []bn.Variable {
		return []bn.Variable{{Name: "a", States: []string{"0", "1"}}, {Name: "b", States: []string{"0", "1"}}}
	}
	tests := []struct {
		name string
		net  *bn.Network
		want string
	}{
		{"nil network", nil, "uai: Write needs a network"},
		{"no variables", &bn.Network{}, "the network has 0 variables"},
		{"variable without states", &bn.Network{Variables: []bn.Variable{{Name: "a"}}}, `variable 0 (a) has 0 states`},
		{"Bayesian network missing a table", &bn.Network{Directed: true, Variables: two(),
			Factors: []bn.Factor{{Vars: []int{0}, Table: []float64{0.5, 0.5}}}}, "one table per variable: 2 variables, 1 tables"},
		{"table of the wrong variable", &bn.Network{Directed: true, Variables: two(),
			Factors: []bn.Factor{{Vars: []int{0}, Table: []float64{0.5, 0.5}}, {Vars: []int{1, 0}, Table: []float64{1, 0, 0, 1}}}},
			"the table of variable 1 must list it last"},
		{"empty scope", &bn.Network{Variables: two(), Factors: []bn.Factor{{Table: []float64{1}}}}, "factor 0 has no variables"},
		{"variable out of range", &bn.Network{Variables: two(), Factors: []bn.Factor{{Vars: []int{2}, Table: []float64{1, 1}}}}, "refers to variable 2"},
		{"duplicate variable", &bn.Network{Variables: two(), Factors: []bn.Factor{{Vars: []int{1, 1}, Table: []float64{1, 1, 1, 1}}}}, "lists variable 1 twice"},
		{"wrong table size", &bn.Network{Variables: two(), Factors: []bn.Factor{{Vars: []int{0, 1}, Table: []float64{1, 1, 1}}}}, "factor 0 has 3 entries, want 4"},
		{"NaN entry", &bn.Network{Variables: two(), Factors: []bn.Factor{{Vars: []int{0}, Table: []float64{1, math.NaN()}}}}, "entry NaN"},
		{"negative entry", &bn.Network{Variables: two(), Factors: []bn.Factor{{Vars: []int{0}, Table: []float64{1, -1}}}}, "entry -1"},
		{"too many free states", &bn.Network{Variables: []bn.Variable{{Name: "a", States: make([]string, 1<<16+1)}}}, "the variables in no factor have 65537 states in all"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var buf bytes.Buffer
			err := uai.Write(&buf, tt.net)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %v, want one containing %q", err, tt.want)
			}
			if buf.Len() != 0 {
				t.Errorf("Write wrote %d bytes before failing", buf.Len())
			}
		})
	}
	t.Run("failing writer", func(t *testing.T) {
		t.Parallel()
		net, err := uai.Read(strings.NewReader(sprinkler))
		if err != nil {
			t.Fatal(err)
		}
		if err := uai.Write(errWriter{}, net); err == nil || !strings.Contains(err.Error(), "disk full") {
			t.Errorf("error %v, want disk full", err)
		}
	})
}

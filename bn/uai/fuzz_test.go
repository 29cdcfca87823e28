package uai_test

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tendo-health/tendo/bn/uai"
)

// fuzzModels seed FuzzRead: small valid files and the bad inputs of
// TestReadErrors. A Promedus file is added when available.
var fuzzModels = []string{
	sprinkler,
	"MARKOV 3 2 3 2 3 2 2 1  1 0  2 0 2  6 1 2 3 4 5 6  2 7 8  4 9 10 11 12",
	"MARKOV 3 2 7 2 1 2 0 2 4 0.5 1e-300 1.7976931348623157e308 5e-324",
	"BAYES 1 3 1 1 0 3 0.3333333 0.3333333 0.3333334",
	"BAYES 2 2 3 2 1 0 2 0 1 2 0.4999999 0.5 6 0.2 0.2 0.6000001 0.1 0.1 0.8",
	"",
	"FACTOR\n1\n2\n0\n",
	"MARKOV\n3\n2 -2 2\n0\n",
	"MARKOV\n3\n2 2 0\n0\n",
	"MARKOV\n2\n2 2\n1\n2 0 1\n4\n0.1 0.2 0.3\n",
	"MARKOV\n2\n2 2\n1\n2 0 2\n4\n1 1 1 1\n",
	"MARKOV\n2\n2 2\n1\n2 0 1\n3\n1 1 1\n",
	"MARKOV 99999999999",
	"MARKOV 2 2000000 2 1 1 1 2 1 1",
	"BAYES\n2\n2 2\n2\n1 0\n2 0 1\n2\n0.5 0.5\n4\n0.5 0.3 0.2 0.8\n",
	"BAYES 2 2 2 2 2 1 0 2 0 1 4 .5 .5 .5 .5 4 .5 .5 .5 .5",
}

func FuzzRead(f *testing.F) {
	for _, s := range fuzzModels {
		f.Add([]byte(s))
	}
	if data, err := os.ReadFile(filepath.Join(promedusDir, "Promedus_24.uai")); err == nil {
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		net, err := uai.Read(bytes.NewReader(data))
		if err != nil {
			if net != nil {
				t.Fatalf("Read returned a network and error %v", err)
			}
			if strings.Contains(err.Error(), "\n") {
				t.Fatalf("error spans lines: %q", err)
			}
			var se *uai.SyntaxError
			if errors.As(err, &se) && (se.Line < 1 || se.Col < 1) {
				t.Fatalf("error at line %d, column %d: %v", se.Line, se.Col, err)
			}
			return
		}
		if err := net.Validate(); err != nil {
			t.Fatalf("Read returned an invalid network: %v", err)
		}
		var buf bytes.Buffer
		if err := uai.Write(&buf, net); err != nil {
			t.Fatalf("Write: %v", err)
		}
		written := buf.String()
		again, err := uai.Read(&buf)
		if err != nil {
			t.Fatalf("reading back what Write wrote: %v\n%s", err, written)
		}
		if d := diffNetworks(net, again); d != "" {
			t.Fatalf("Write→Read changed the network: %s", d)
		}
		if again.Renormalized != 0 {
			t.Fatalf("reading back renormalised %d columns", again.Renormalized)
		}
	})
}

func FuzzReadEvidence(f *testing.F) {
	for _, s := range []string{"2 1 2 0 1", "1\n2 1 2 0 1\n", "3\n1 0 1\n2 1 0 2 1\n0\n", "2 1 0 0 0", "0", "", "3 1 0", "1 3 0", "99999999999 1", "1 2 2 0 2 1"} {
		f.Add([]byte(s))
	}
	net := evidenceNet(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		ev, err := uai.ReadEvidence(bytes.NewReader(data), net)
		if err != nil {
			if ev != nil {
				t.Fatalf("ReadEvidence returned evidence and error %v", err)
			}
			return
		}
		for v, s := range ev {
			if v < 0 || v >= len(net.Variables) || s < 0 || s >= net.Card(v) {
				t.Fatalf("ReadEvidence returned %d=%d", v, s)
			}
		}
	})
}

func FuzzReadMAR(f *testing.F) {
	for _, s := range []string{
		"MAR\n2 2 0.1 0.9 3 0.2 0.3 0.5\n",
		"MAR\n-BEGIN-\n1 2 0.5 0.5\n-BEGIN-\n1 2 0.25",
		"MAR -BEGIN- 2 2 .1 .9 -BEGIN- 1 2 .3 .7",
		"MAR 1 2 .5 .5 1 2 .25 .75",
		"", "PR 1 0.5", "MAR 99999999999", "MAR 1 2 NaN 1",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := uai.ReadMAR(bytes.NewReader(data))
		if err != nil {
			if m != nil {
				t.Fatalf("ReadMAR returned marginals and error %v", err)
			}
			return
		}
		var buf bytes.Buffer
		if err := uai.WriteMAR(&buf, m); err != nil {
			t.Fatalf("WriteMAR: %v", err)
		}
		again, err := uai.ReadMAR(&buf)
		if err != nil {
			t.Fatalf("reading back what WriteMAR wrote: %v", err)
		}
		if d := diffMarginals(m, again); d != "" {
			t.Fatalf("WriteMAR→ReadMAR changed the marginals: %s", d)
		}
	})
}

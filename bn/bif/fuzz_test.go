package bif_test

import (
	"bytes"
	"testing"

	"github.com/tendo-health/tendo/bn/bif"
)

// FuzzRead checks that Read never panics and that whatever it accepts
// survives Write and Read unchanged.
func FuzzRead(f *testing.F) {
	for _, name := range []string{"asia", "cancer", "earthquake", "survey", "sachs", "child"} {
		f.Add(sharedText(f, name))
	}
	for _, tc := range readErrorCases {
		if len(tc.src) < 4096 {
			f.Add([]byte(tc.src))
		}
	}
	f.Add([]byte(asiaHead + goodA + "probability ( b | a ) { default 0.5, 0.5; (no) 0.1, 0.9; }"))
	f.Add([]byte(asiaHead + goodA + "probability ( b | a ) { table 0.3333333, 0.5, 0.6666667, 0.5; }"))
	f.Fuzz(func(t *testing.T, data []byte) {
		net, err := bif.Read(bytes.NewReader(data))
		if err != nil {
			if net != nil {
				t.Fatal("Read returned a network and an error")
			}
			return
		}
		var buf bytes.Buffer
		if err := bif.Write(&buf, net); err != nil {
			t.Fatalf("Write of a network Read accepted: %v", err)
		}
		text := bytes.Clone(buf.Bytes())
		back, err := bif.Read(&buf)
		if err != nil {
			t.Fatalf("Read of the written text: %v\n%s", err, text)
		}
		if d := diffNetworks(net, back); d != "" {
			t.Fatalf("round trip differs: %s\n%s", d, text)
		}
	})
}

package bif_test

import (
	"bytes"
	"testing"

	"github.com/tendo-health/tendo/bn/bif"
)

func BenchmarkRead(b *testing.B) {
	for _, name := range []string{"pathfinder", "andes", "munin"} {
		b.Run(name, func(b *testing.B) {
			text := sharedText(b, name)
			b.SetBytes(int64(len(text)))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := bif.Read(bytes.NewReader(text)); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

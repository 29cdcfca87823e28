package c3d

import (
	"math"
	"testing"
)

// TestDECFloat checks VAX F-floating conversion on bit patterns worked out
// from the format: sign, exponent with bias 128 and a mantissa 0.1fff,
// stored as two little-endian words, the first holding the exponent.
func TestDECFloat(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		b    [4]byte
		want float32
	}{
		{[4]byte{0x80, 0x40, 0, 0}, 1},
		{[4]byte{0x80, 0xc0, 0, 0}, -1},
		{[4]byte{0x00, 0x40, 0, 0}, 0.5},
		{[4]byte{0x70, 0x43, 0, 0}, 60},       // PlugInC3D's frame rate
		{[4]byte{0x00, 0x00, 0, 0}, 0},        // exponent 0: zero
		{[4]byte{0x00, 0x80, 0, 0}, 0},        // reserved operand
		{[4]byte{0x80, 0x00, 0, 0}, 0x1p-128}, // smallest normal
		{[4]byte{0xff, 0x7f, 0xff, 0xff}, 1.7014117e38},
	} {
		if got := decFloat(tt.b[:]); got != tt.want {
			t.Errorf("decFloat(% x)=%g, want %g", tt.b, got, tt.want)
		}
	}
	if got := decFloat([]byte{0xff, 0x7f, 0xff, 0xff}); math.IsInf(float64(got), 0) {
		t.Errorf("largest DEC float overflowed to %g", got)
	}
}

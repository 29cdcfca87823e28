package chart

import (
	"slices"
	"strings"
	"testing"

	"gonum.org/v1/plot/vg"
)

func TestNiceTicks(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		lo, hi float64
		want   []string // labelled ticks
	}{
		{"force", -0.6, 11.6, []string{"0.0", "2.5", "5.0", "7.5", "10.0"}},
		{"moment", -0.3, 1.8, []string{"0.0", "0.5", "1.0", "1.5"}},
		{"body weights", -0.2, 4.2, []string{"0", "1", "2", "3", "4"}},
		{"newtons", -50, 1250, []string{"0", "250", "500", "750", "1000", "1250"}},
		{"negative", -3, -1, []string{"-3.0", "-2.5", "-2.0", "-1.5", "-1.0"}},
		{"empty range", 1, 1, nil},
	}
	for _, tt := range tests {
		var got []string
		for _, tk := range niceTicks(tt.lo, tt.hi) {
			if tk.Label != "" {
				got = append(got, tk.Label)
			}
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("%s: labels %q, want %q", tt.name, got, tt.want)
		}
	}
}

func TestWrap(t *testing.T) {
	t.Parallel()
	sty := textStyle(sans, captionSize)
	lines := wrap(sty, "one two three four five six seven eight nine ten", sty.Width("one two three"), 2)
	if len(lines) != 2 || lines[0] != "one two three" || !strings.HasPrefix(lines[1], "four ") || !strings.HasSuffix(lines[1], " …") {
		t.Errorf("wrap = %q", lines)
	}
	for _, l := range lines {
		if w := sty.Width(l); w > sty.Width("one two three")+vg.Length(0.01) {
			t.Errorf("line %q is %v wide", l, w)
		}
	}
	if got := wrap(sty, "", 100, 2); got != nil {
		t.Errorf("wrap of nothing = %q", got)
	}
}

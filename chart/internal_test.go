package chart

import (
	"slices"
	"testing"

	"gonum.org/v1/plot"

	"github.com/tendo-health/tendo"
)

func TestTarget_Examples(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		m        int
		baseline float64
		want     float64
		wantOK   bool
	}{
		{"VISA-A 50", 0, 50, 64, true},
		{"VISA-A 86 reaches 100", 0, 86, 100, true},
		{"VISA-A 90 cannot", 0, 90, 104, false},
		{"ODI 46.7 by 10 points", 1, 50, 40, true},
		{"ODI 20 by 30%", 1, 20, 14, true},
		{"ODI 0 cannot", 1, 0, 0, false},
		{"NPRS 8 by 2 points", 2, 8, 6, true},
		{"NPRS 5 by 30%", 2, 5, 3.5, true},
		{"NPRS 0 cannot", 2, 0, 0, false},
		{"LEFS 40 by 9 points", 3, 40, 49, true},
		{"LEFS 72 cannot", 3, 72, 81, false},
	}
	for _, tt := range tests {
		got, ok := measures[tt.m].target(tt.baseline)
		if ok != tt.wantOK || (ok && got != tt.want) {
			t.Errorf("%s: target = %v, %v; want %v, %v", tt.name, got, ok, tt.want, tt.wantOK)
		}
	}
}

func TestClassLabel(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   tendo.Classification
		want string
	}{
		{"", ""},
		{tendo.LocalTendinopathy, "local"},
		{tendo.LumbarReferred, "lumbar"},
		{tendo.Mixed, "mixed"},
		{tendo.UrgentReferral, "urgent"},
		{tendo.OtherCause, "other"},
		{tendo.Uncertain, "uncertain"},
		{"new-kind", "new-kind"},
		{"a-very-long-classification-name", "a-very-long-clas…"},
		{"bad\x00\xfe", "bad\uFFFD"},
	}
	for _, tt := range tests {
		if got := classLabel(tt.in); got != tt.want {
			t.Errorf("classLabel(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestWeekTicks(t *testing.T) {
	t.Parallel()
	labels := func(ts []plot.Tick) []string {
		var out []string
		for _, t := range ts {
			out = append(out, t.Label)
		}
		return out
	}
	tests := []struct {
		name   string
		lo, hi float64
		want   []string
	}{
		{"one visit", -0.5, 0.5, []string{"0"}},
		{"a few weeks", -0.5, 6.5, []string{"0", "1", "2", "3", "4", "5", "6"}},
		{"three months", -0.5, 13.5, []string{"0", "2", "4", "6", "8", "10", "12"}},
		{"a year", -2, 54, []string{"0", "8", "16", "24", "32", "40", "48"}},
		{"ten years", -20, 540, []string{"0", "104", "208", "312", "416", "520"}},
	}
	for _, tt := range tests {
		if got := labels(weekTicks(tt.lo, tt.hi)); !slices.Equal(got, tt.want) {
			t.Errorf("%s: ticks %q, want %q", tt.name, got, tt.want)
		}
	}
}

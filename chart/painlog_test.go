package chart_test

import (
	"encoding/xml"
	"strings"
	"testing"

	"github.com/tendo-health/tendo"
	"github.com/tendo-health/tendo/chart"
)

func TestPainLog(t *testing.T) {
	t.Parallel()
	two := 2
	for _, tc := range []struct {
		name string
		logs []tendo.ProgrammeLog
		want []string
	}{
		{"empty", nil, []string{"No sessions logged yet", "limit 5/10"}},
		{"one session with its morning", []tendo.ProgrammeLog{{Date: "2026-11-02", During: 4, Morning: &two}},
			[]string{"2026-11-02: during 4/10", "2026-11-02: next morning 2/10"}},
		{"morning not yet given", []tendo.ProgrammeLog{{Date: "2026-11-02", During: 3}, {Date: "2026-11-09", During: 6}},
			[]string{"2026-11-09: during 6/10", "<polyline"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			svg := string(chart.PainLog(tc.logs))
			if err := xml.Unmarshal([]byte(svg), new(struct{})); err != nil {
				t.Fatalf("not well-formed XML: %v", err)
			}
			for _, w := range tc.want {
				if !strings.Contains(svg, w) {
					t.Errorf("the chart lacks %q", w)
				}
			}
			if tc.name == "morning not yet given" && strings.Contains(svg, "next morning 0/10") {
				t.Error("a missing morning is drawn as 0")
			}
		})
	}
}

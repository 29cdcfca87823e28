package report_test

// issue 10: safety.

import (
	"bytes"
	"strings"
	"testing"

	"github.com/tendo-health/tendo"
	"github.com/tendo-health/tendo/report"
)

// storedUrgent is a result as an older model stored it: an urgent
// referral with a tendon site, a reason naming the flag by its code, and
// a plan that still loads the tendon and refers only after 12 weeks.
func storedUrgent(urgency tendo.Urgency) *tendo.Result {
	site := "midportion"
	class := tendo.UrgentReferral
	if !tendo.UrgentFlag(urgency) {
		class = tendo.LocalTendinopathy
	}
	return &tendo.Result{
		ID: "old", ModelVersion: "tendo-achilles 1.0.0", Disclaimer: "tendo supports clinical judgement.",
		Classification:       class,
		ClassificationReason: "Red flag: suspected cauda equina syndrome (cauda-equina-syndrome). A rule that no probability outweighs.",
		TendinopathySite:     &site,
		RedFlags:             []tendo.RedFlag{{Code: "cauda-equina-syndrome", Urgency: urgency, Reason: "saddle anaesthesia", Action: "Emergency MRI."}},
		Plan: tendo.Plan{
			Summary:  "Refer now.",
			Referral: []tendo.PlanItem{{ID: "urgent-referral", Title: "Refer now for the red flag(s)"}, {ID: "non-response", Title: "Refer if the plan is not working"}, {ID: "imaging-spine", Title: "Lumbar MRI only if it would change management"}},
			Phases: []tendo.Phase{{ID: "load", Title: "Load", Components: []tendo.PlanItem{
				{ID: "loading-midportion", Title: "Tendon loading — heavy slow resistance or eccentric (midportion)", Progression: "add load weekly"},
				{ID: "education", Title: "Explain the diagnosis and the plan"},
			}}},
		},
	}
}

func TestUrgentResultRendering(t *testing.T) {
	t.Parallel()
	hidden := []string{"Refer if the plan is not working", "Lumbar MRI only if it would change management", "Tendon loading — heavy slow resistance", "add load weekly"}
	tests := []struct {
		name    string
		urgency tendo.Urgency
		want    []string
		wantNot []string
	}{
		{"emergency flag", tendo.Emergency,
			[]string{"Urgent referral", "Tendinopathy site, to consider once the red flag is dealt with: midportion.", "Not part of the plan until suspected cauda equina syndrome is excluded or treated", "Refer now for the red flag(s)", "Explain the diagnosis and the plan"},
			append([]string{"Urgent referral — midportion", "(cauda-equina-syndrome)", "CAUDA-EQUINA-SYNDROME"}, hidden...)},
		{"soon flag only", tendo.Soon,
			append([]string{"Local Achilles tendinopathy — midportion"}, hidden...),
			[]string{"Not part of the plan until", "(cauda-equina-syndrome)"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			res := storedUrgent(tt.urgency)
			var html, text bytes.Buffer
			if err := report.HTML(&html, res); err != nil {
				t.Fatal(err)
			}
			if err := report.Text(&text, res); err != nil {
				t.Fatal(err)
			}
			for format, out := range map[string]string{"html": html.String(), "text": text.String()} {
				for _, w := range tt.want {
					if format == "text" && strings.Contains(w, " — ") {
						continue // the text report puts the site on its own line
					}
					if !strings.Contains(out, w) {
						t.Errorf("%s lacks %q", format, w)
					}
				}
				for _, w := range tt.wantNot {
					if strings.Contains(out, w) {
						t.Errorf("%s has %q", format, w)
					}
				}
			}
		})
	}
}

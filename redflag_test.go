package tendo_test

// issue 10: safety.

import (
	"fmt"
	"strings"
	"testing"

	"github.com/tendo-health/tendo"
)

func yes() *bool { v := true; return &v }
func no() *bool  { v := false; return &v }

func TestRedFlagScreen(t *testing.T) {
	t.Parallel()
	all := len(tendo.RedFlagInfos())
	cesAnswered := &tendo.Assessment{History: tendo.History{SaddleAnesthesia: no(), BladderOrBowelDysfunction: no(), BilateralLegSymptoms: no()}}
	cesPartly := &tendo.Assessment{History: tendo.History{SaddleAnesthesia: no()}}
	tests := []struct {
		name     string
		a        *tendo.Assessment
		wantGaps int
		check    func(t *testing.T, gaps []tendo.ScreenGap)
	}{
		{"empty form: every flag unscreened", &tendo.Assessment{}, all, func(t *testing.T, gaps []tendo.ScreenGap) {
			for _, g := range gaps {
				if !g.None {
					t.Errorf("%s: None false on an empty form", g.Code)
				}
			}
			if gaps[0].Code != "cauda-equina-syndrome" || gaps[0].Name != "suspected cauda equina syndrome" || gaps[0].Urgency != tendo.Emergency {
				t.Errorf("first gap %+v, want cauda equina (the rules' order)", gaps[0])
			}
			if q := strings.Join(gaps[0].Unanswered, "; "); !strings.Contains(q, "numbness in the saddle or perineal area") {
				t.Errorf("cauda equina's questions in words: %q", q)
			}
		}},
		{"cauda equina answered (no counts as answered)", cesAnswered, all - 1, func(t *testing.T, gaps []tendo.ScreenGap) {
			for _, g := range gaps {
				if g.Code == "cauda-equina-syndrome" {
					t.Errorf("cauda equina listed although answered: %+v", g)
				}
			}
		}},
		{"cauda equina partly answered", cesPartly, all, func(t *testing.T, gaps []tendo.ScreenGap) {
			g := gaps[0]
			if g.Code != "cauda-equina-syndrome" || g.None || len(g.Unanswered) != 2 {
				t.Errorf("partly answered: %+v, want 2 questions left and None false", g)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			gaps := tendo.RedFlagScreen(tt.a)
			if len(gaps) != tt.wantGaps {
				t.Fatalf("%d gaps, want %d: %+v", len(gaps), tt.wantGaps, gaps)
			}
			tt.check(t, gaps)
		})
	}
}

func TestSafePlan(t *testing.T) {
	t.Parallel()
	plan := tendo.Plan{
		Summary:  "s",
		Referral: []tendo.PlanItem{{ID: "urgent-referral"}, {ID: "non-response"}, {ID: "imaging-spine"}},
		Phases:   []tendo.Phase{{ID: "load", Components: []tendo.PlanItem{{ID: "loading-midportion"}, {ID: "education"}, {ID: "return-running"}}}},
	}
	tests := []struct {
		name    string
		flags   []tendo.RedFlag
		wantIDs string
		wantWhy string
	}{
		{"no flag: unchanged", nil, "[urgent-referral non-response imaging-spine] [loading-midportion education return-running]", ""},
		{"soon flag: unchanged", []tendo.RedFlag{{Code: "fluoroquinolone-tendon-risk", Urgency: tendo.Soon}}, "[urgent-referral non-response imaging-spine] [loading-midportion education return-running]", ""},
		{"emergency flag: contradictions hidden", []tendo.RedFlag{{Code: "suspected-dvt", Urgency: tendo.Emergency}}, "[urgent-referral] [education]", "until suspected deep vein thrombosis is excluded"},
		{"two flags named", []tendo.RedFlag{{Code: "suspected-dvt", Urgency: tendo.Emergency}, {Code: "suspected-infection", Urgency: tendo.Urgent}}, "[urgent-referral] [education]", "suspected deep vein thrombosis and suspected infection"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			res := &tendo.Result{Plan: plan, RedFlags: tt.flags}
			got, why := tendo.SafePlan(res)
			ids := func(items []tendo.PlanItem) []string {
				var s []string
				for _, it := range items {
					s = append(s, it.ID)
				}
				return s
			}
			if s := fmt.Sprint(ids(got.Referral), " ", ids(got.Phases[0].Components)); s != tt.wantIDs {
				t.Errorf("plan %s, want %s", s, tt.wantIDs)
			}
			if (tt.wantWhy == "") != (why == "") || !strings.Contains(why, tt.wantWhy) {
				t.Errorf("why %q, want it to contain %q", why, tt.wantWhy)
			}
			if len(res.Plan.Phases[0].Components) != 3 {
				t.Error("SafePlan changed the result's own plan")
			}
		})
	}
}

func TestNotImproved(t *testing.T) {
	t.Parallel()
	f := func(v float64) *float64 { return &v }
	tests := []struct {
		name        string
		first, last tendo.VisitScores
		want        string
	}{
		{"VISA-A +13 at 12 weeks", tendo.VisitScores{Date: "2026-01-01", VISAA: f(40)}, tendo.VisitScores{Date: "2026-03-26", VISAA: f(53)}, "[VISA-A]"},
		{"VISA-A +14 at 12 weeks", tendo.VisitScores{Date: "2026-01-01", VISAA: f(40)}, tendo.VisitScores{Date: "2026-03-26", VISAA: f(54)}, "[]"},
		{"before 12 weeks nothing is due", tendo.VisitScores{Date: "2026-01-01", VISAA: f(40)}, tendo.VisitScores{Date: "2026-03-25", VISAA: f(40)}, "[]"},
		{"ODI 30% of a low baseline counts", tendo.VisitScores{Date: "2026-01-01", ODI: f(20)}, tendo.VisitScores{Date: "2026-06-01", ODI: f(14)}, "[]"},
		{"ODI worse", tendo.VisitScores{Date: "2026-01-01", ODI: f(20)}, tendo.VisitScores{Date: "2026-06-01", ODI: f(22)}, "[ODI]"},
		{"NPRS −1 from 6", tendo.VisitScores{Date: "2026-01-01", NPRS: f(6)}, tendo.VisitScores{Date: "2026-06-01", NPRS: f(5)}, "[NPRS]"},
		{"NPRS 0 cannot improve", tendo.VisitScores{Date: "2026-01-01", NPRS: f(0)}, tendo.VisitScores{Date: "2026-06-01", NPRS: f(0)}, "[]"},
		{"measure at one visit only", tendo.VisitScores{Date: "2026-01-01", LEFS: f(30)}, tendo.VisitScores{Date: "2026-06-01", VISAA: f(30)}, "[]"},
		{"several", tendo.VisitScores{Date: "2026-01-01", VISAA: f(30), LEFS: f(30)}, tendo.VisitScores{Date: "2026-06-01", VISAA: f(30), LEFS: f(35)}, "[VISA-A LEFS]"},
		{"no dates", tendo.VisitScores{VISAA: f(30)}, tendo.VisitScores{VISAA: f(30)}, "[]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := fmt.Sprint(tendo.NotImproved(tt.first, tt.last)); got != tt.want {
				t.Errorf("NotImproved = %s, want %s", got, tt.want)
			}
		})
	}
}

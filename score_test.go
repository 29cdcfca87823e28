package tendo_test

import (
	"errors"
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/tendo-health/tendo"
)

func visaA(items ...int) []tendo.VISAAAnswer {
	out := make([]tendo.VISAAAnswer, len(items))
	for i, p := range items {
		out[i] = tendo.VISAAAnswer{Points: p}
	}
	return out
}

func item8(b tendo.VISAABranch, points int) tendo.VISAAAnswer {
	return tendo.VISAAAnswer{Item8: &tendo.VISAAItem8{Branch: b, Points: points}}
}

func odi(v ...int) []*int {
	out := make([]*int, len(v))
	for i, n := range v {
		if n >= 0 {
			out[i] = ptr(n)
		}
	}
	return out
}

const na = -1 // an unanswered ODI section, for odi()

// scoreWant is what a scoring test expects: a score, or an error whose
// message contains err.
type scoreWant struct {
	value   float64
	rounded float64
	band    string
	items   int
	missing int
	from    bool // FromAnswers
	err     string
}

func checkScore(t *testing.T, s tendo.Score, err error, w scoreWant) {
	t.Helper()
	if w.err != "" {
		if err == nil {
			t.Fatalf("score = %+v; want an error containing %q", s, w.err)
		}
		if !strings.Contains(err.Error(), w.err) {
			t.Errorf("error = %q; want it to contain %q", err, w.err)
		}
		var se *tendo.ScoreError
		if !errors.As(err, &se) {
			t.Errorf("errors.As cannot find a *ScoreError in %T", err)
		}
		return
	}
	if err != nil {
		t.Fatalf("error: %v", err)
	}
	if math.Abs(s.Value-w.value) > 1e-9 {
		t.Errorf("Value = %v, want %v", s.Value, w.value)
	}
	if s.Rounded != w.rounded {
		t.Errorf("Rounded = %v, want %v", s.Rounded, w.rounded)
	}
	if s.Band != w.band {
		t.Errorf("Band = %q, want %q", s.Band, w.band)
	}
	if s.Items != w.items || s.Missing != w.missing || s.FromAnswers != w.from {
		t.Errorf("Items, Missing, FromAnswers = %d, %d, %v; want %d, %d, %v", s.Items, s.Missing, s.FromAnswers, w.items, w.missing, w.from)
	}
	if s.Source == "" || s.MCIDNote == "" || s.BandNote == "" || s.BandRange == "" || s.Name == "" {
		t.Errorf("score lacks its interpretation: %+v", s)
	}
}

func TestScoreVISAA(t *testing.T) {
	t.Parallel()
	runner := append(visaA(6, 5, 7, 6, 4, 5, 7), item8(tendo.VISAABranchB, 10))
	tests := []struct {
		name string
		in   *tendo.VISAA
		want scoreWant
	}{
		{"runner-midportion sums to 50", &tendo.VISAA{Answers: runner},
			scoreWant{value: 50, rounded: 50, band: "moderate", items: 8, from: true}},
		{"insertional-older sums to 32", &tendo.VISAA{Answers: append(visaA(5, 4, 4, 5, 3, 2, 4), item8(tendo.VISAABranchC, 5))},
			scoreWant{value: 32, rounded: 32, band: "severe", items: 8, from: true}},
		{"best answers score 100", &tendo.VISAA{Answers: append(visaA(10, 10, 10, 10, 10, 10, 10), item8(tendo.VISAABranchA, 30))},
			scoreWant{value: 100, rounded: 100, band: "near normal/recovered", items: 8, from: true}},
		{"worst answers score 0", &tendo.VISAA{Answers: append(visaA(0, 0, 0, 0, 0, 0, 0), item8(tendo.VISAABranchC, 0))},
			scoreWant{value: 0, rounded: 0, band: "severe", items: 8, from: true}},
		{"answers and the same score", &tendo.VISAA{Answers: runner, Score: ptr(50)},
			scoreWant{value: 50, rounded: 50, band: "moderate", items: 8, from: true}},
		{"score only", &tendo.VISAA{Score: ptr(48)},
			scoreWant{value: 48, rounded: 48, band: "moderate"}},
		{"band edge 90", &tendo.VISAA{Score: ptr(90)}, scoreWant{value: 90, rounded: 90, band: "near normal/recovered"}},
		{"band edge 89", &tendo.VISAA{Score: ptr(89)}, scoreWant{value: 89, rounded: 89, band: "mild to moderate"}},
		{"band edge 65", &tendo.VISAA{Score: ptr(65)}, scoreWant{value: 65, rounded: 65, band: "mild to moderate"}},
		{"band edge 64", &tendo.VISAA{Score: ptr(64)}, scoreWant{value: 64, rounded: 64, band: "moderate"}},
		{"band edge 45", &tendo.VISAA{Score: ptr(45)}, scoreWant{value: 45, rounded: 45, band: "moderate"}},
		{"band edge 44", &tendo.VISAA{Score: ptr(44)}, scoreWant{value: 44, rounded: 44, band: "severe"}},
		{"seven items", &tendo.VISAA{Answers: visaA(6, 5, 7, 6, 4, 5, 7)},
			scoreWant{err: "visaA.answers: 7 answers given; all 8 items are required"}},
		{"nine items", &tendo.VISAA{Answers: append(runner, tendo.VISAAAnswer{Points: 1})},
			scoreWant{err: "9 answers given"}},
		{"points not allowed for the branch", &tendo.VISAA{Answers: append(visaA(6, 5, 7, 6, 4, 5, 7), item8(tendo.VISAABranchB, 6))},
			scoreWant{err: "visaA.answers[7].points: 6 is not allowed for branch B; allowed 0, 4, 10, 14, 20"}},
		{"branch A value on branch C", &tendo.VISAA{Answers: append(visaA(6, 5, 7, 6, 4, 5, 7), item8(tendo.VISAABranchC, 30))},
			scoreWant{err: "30 is not allowed for branch C; allowed 0, 2, 5, 7, 10"}},
		{"unknown branch", &tendo.VISAA{Answers: append(visaA(6, 5, 7, 6, 4, 5, 7), item8("D", 10))},
			scoreWant{err: `visaA.answers[7].branch: "D" is not allowed; allowed A, B, C`}},
		{"item 7 not a step", &tendo.VISAA{Answers: append(visaA(6, 5, 7, 6, 4, 5, 5), item8(tendo.VISAABranchA, 7))},
			scoreWant{err: "visaA.answers[6]: 5 is not allowed; allowed 0, 4, 7, 10"}},
		{"item 1 above 10", &tendo.VISAA{Answers: append(visaA(11, 5, 7, 6, 4, 5, 7), item8(tendo.VISAABranchA, 7))},
			scoreWant{err: "visaA.answers[0]: 11 is out of range; allowed 0–10"}},
		{"item 8 as a number", &tendo.VISAA{Answers: visaA(6, 5, 7, 6, 4, 5, 7, 10)},
			scoreWant{err: "visaA.answers[7]: 10 must be an object"}},
		{"item 8 object in place of item 3", &tendo.VISAA{Answers: []tendo.VISAAAnswer{{Points: 6}, {Points: 5}, item8(tendo.VISAABranchA, 7), {Points: 6}, {Points: 4}, {Points: 5}, {Points: 7}, item8(tendo.VISAABranchA, 7)}},
			scoreWant{err: "visaA.answers[2]: must be a number of points"}},
		{"answers disagree with the score", &tendo.VISAA{Answers: runner, Score: ptr(48)},
			scoreWant{err: "visaA.score: 48 does not match the answers, which sum to 50"}},
		{"score out of range", &tendo.VISAA{Score: ptr(101)},
			scoreWant{err: "visaA.score: 101 is out of range; allowed 0–100"}},
		{"nothing given", &tendo.VISAA{}, scoreWant{err: "visaA: needs answers or a score"}},
		{"nil", nil, scoreWant{err: "needs answers or a score"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s, err := tendo.ScoreVISAA(tt.in)
			checkScore(t, s, err, tt.want)
			if err == nil && (s.MCID != 14 || s.Higher != tendo.HigherBetter || s.Max != 100) {
				t.Errorf("MCID, Higher, Max = %v, %v, %v", s.MCID, s.Higher, s.Max)
			}
		})
	}
}

func TestScoreVISAAReportsEveryProblem(t *testing.T) {
	t.Parallel()
	_, err := tendo.ScoreVISAA(&tendo.VISAA{Answers: append(visaA(11, 5, 7, 6, 4, 5, 5), item8(tendo.VISAABranchB, 6)), Score: ptr(120)})
	var es tendo.ScoreErrors
	if !errors.As(err, &es) {
		t.Fatalf("err = %v (%T)", err, err)
	}
	want := []string{"answers[0]", "answers[6]", "answers[7].points", "score"}
	if len(es) != len(want) {
		t.Fatalf("got %d errors, want %d: %v", len(es), len(want), err)
	}
	for i, e := range es {
		if e.Field != want[i] {
			t.Errorf("error %d: field %q, want %q", i, e.Field, want[i])
		}
	}
	if es[2].Item != 7 || es[3].Item != -1 {
		t.Errorf("Items = %d, %d; want 7, -1", es[2].Item, es[3].Item)
	}
}

func TestScoreODI(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		in   *tendo.ODI
		want scoreWant
	}{
		{"mixed-kinetic-chain, none missing: 17/50", &tendo.ODI{Answers: odi(2, 1, 2, 1, 3, 2, 2, 1, 1, 2)},
			scoreWant{value: 34, rounded: 34, band: "moderate disability", items: 10, from: true}},
		{"s1-mimic, one missing: 21/45", &tendo.ODI{Answers: odi(3, 1, 3, 2, 3, 2, 2, na, 2, 3)},
			scoreWant{value: 2100.0 / 45, rounded: 46.7, band: "severe disability", items: 9, missing: 1, from: true}},
		{"two missing: 16/40", &tendo.ODI{Answers: odi(1, na, 2, 3, na, 4, 0, 1, 2, 3)},
			scoreWant{value: 40, rounded: 40, band: "moderate disability", items: 8, missing: 2, from: true}},
		{"two missing, all fives", &tendo.ODI{Answers: odi(5, na, 5, 5, 5, 5, na, 5, 5, 5)},
			scoreWant{value: 100, rounded: 100, band: "bed-bound or exaggerating", items: 8, missing: 2, from: true}},
		{"all zero", &tendo.ODI{Answers: odi(0, 0, 0, 0, 0, 0, 0, 0, 0, 0)},
			scoreWant{value: 0, rounded: 0, band: "minimal disability", items: 10, from: true}},
		{"one missing, 2/9 sections: 10/45 rounds to 22.2", &tendo.ODI{Answers: odi(1, 1, 1, 1, 1, 1, 1, 1, 2, na)},
			scoreWant{value: 1000.0 / 45, rounded: 22.2, band: "moderate disability", items: 9, missing: 1, from: true}},
		{"answers and percent to one decimal", &tendo.ODI{Answers: odi(3, 1, 3, 2, 3, 2, 2, na, 2, 3), Percent: ptr(46.7)},
			scoreWant{value: 2100.0 / 45, rounded: 46.7, band: "severe disability", items: 9, missing: 1, from: true}},
		{"percent only", &tendo.ODI{Percent: ptr(22.5)},
			scoreWant{value: 22.5, rounded: 22.5, band: "moderate disability"}},
		{"band edge 20", &tendo.ODI{Percent: ptr(20.0)}, scoreWant{value: 20, rounded: 20, band: "minimal disability"}},
		{"between bands goes up", &tendo.ODI{Percent: ptr(20.5)}, scoreWant{value: 20.5, rounded: 20.5, band: "moderate disability"}},
		{"band edge 60", &tendo.ODI{Percent: ptr(60.0)}, scoreWant{value: 60, rounded: 60, band: "severe disability"}},
		{"band edge 80", &tendo.ODI{Percent: ptr(80.0)}, scoreWant{value: 80, rounded: 80, band: "crippled"}},
		{"percent kept exact, rounded for display", &tendo.ODI{Percent: ptr(33.34)}, scoreWant{value: 33.34, rounded: 33.3, band: "moderate disability"}},
		{"three missing", &tendo.ODI{Answers: odi(1, na, 2, na, 2, 2, na, 1, 1, 2)},
			scoreWant{err: "odi.answers: 3 sections are unanswered; at most 2 may be"}},
		{"all missing", &tendo.ODI{Answers: odi(na, na, na, na, na, na, na, na, na, na)},
			scoreWant{err: "10 sections are unanswered"}},
		{"nine answers", &tendo.ODI{Answers: odi(1, 1, 1, 1, 1, 1, 1, 1, 1)},
			scoreWant{err: "odi.answers: 9 answers given; want 10"}},
		{"section above 5", &tendo.ODI{Answers: odi(1, 1, 6, 1, 1, 1, 1, 1, 1, 1)},
			scoreWant{err: "odi.answers[2]: 6 is out of range; allowed 0–5"}},
		{"percent off by more than 0.05", &tendo.ODI{Answers: odi(3, 1, 3, 2, 3, 2, 2, na, 2, 3), Percent: ptr(46.6)},
			scoreWant{err: "odi.percent: 46.6 does not match the answers, which give 46.7"}},
		{"percent out of range", &tendo.ODI{Percent: ptr(100.5)},
			scoreWant{err: "odi.percent: 100.5 is out of range; allowed 0–100"}},
		{"percent not a number", &tendo.ODI{Percent: ptr(math.NaN())},
			scoreWant{err: "is out of range"}},
		{"nothing given", &tendo.ODI{}, scoreWant{err: "odi: needs answers or a percent"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s, err := tendo.ScoreODI(tt.in)
			checkScore(t, s, err, tt.want)
			if err == nil && (s.MCID != 10 || s.MCIDPercent != 30 || s.Higher != tendo.HigherWorse) {
				t.Errorf("MCID, MCIDPercent, Higher = %v, %v, %v", s.MCID, s.MCIDPercent, s.Higher)
			}
		})
	}
}

func TestScoreNPRS(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   int
		want scoreWant
	}{
		{0, scoreWant{value: 0, rounded: 0, band: "no pain", items: 1, from: true}},
		{1, scoreWant{value: 1, rounded: 1, band: "mild", items: 1, from: true}},
		{3, scoreWant{value: 3, rounded: 3, band: "mild", items: 1, from: true}},
		{4, scoreWant{value: 4, rounded: 4, band: "moderate", items: 1, from: true}},
		{6, scoreWant{value: 6, rounded: 6, band: "moderate", items: 1, from: true}},
		{7, scoreWant{value: 7, rounded: 7, band: "severe", items: 1, from: true}},
		{10, scoreWant{value: 10, rounded: 10, band: "severe", items: 1, from: true}},
		{-1, scoreWant{err: "nprs: -1 is out of range; allowed 0–10"}},
		{11, scoreWant{err: "nprs: 11 is out of range; allowed 0–10"}},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprint(tt.in), func(t *testing.T) {
			t.Parallel()
			s, err := tendo.ScoreNPRS(tt.in)
			checkScore(t, s, err, tt.want)
			if err == nil && (s.MCID != 2 || s.MCIDPercent != 30) {
				t.Errorf("MCID = %v, %v%%", s.MCID, s.MCIDPercent)
			}
		})
	}
}

func lefs(n, v int, rest ...int) []int {
	out := make([]int, 0, n+len(rest))
	for range n {
		out = append(out, v)
	}
	return append(out, rest...)
}

func TestScoreLEFS(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		in   *tendo.LEFS
		want scoreWant
		pct  float64
	}{
		{"twenty threes: 60", &tendo.LEFS{Answers: lefs(20, 3)},
			scoreWant{value: 60, rounded: 60, band: "below healthy norms", items: 20, from: true}, 75},
		{"78 is above the healthy median", &tendo.LEFS{Answers: lefs(18, 4, 3, 3), Score: ptr(78)},
			scoreWant{value: 78, rounded: 78, band: "at or above the healthy median", items: 20, from: true}, 97.5},
		{"band edge 77", &tendo.LEFS{Score: ptr(77)}, scoreWant{value: 77, rounded: 77, band: "at or above the healthy median"}, 96.25},
		{"band edge 76", &tendo.LEFS{Score: ptr(76)}, scoreWant{value: 76, rounded: 76, band: "near healthy norms"}, 95},
		{"band edge 68", &tendo.LEFS{Score: ptr(68)}, scoreWant{value: 68, rounded: 68, band: "near healthy norms"}, 85},
		{"band edge 67", &tendo.LEFS{Score: ptr(67)}, scoreWant{value: 67, rounded: 67, band: "below healthy norms"}, 83.75},
		{"nineteen items", &tendo.LEFS{Answers: lefs(19, 4)},
			scoreWant{err: "lefs.answers: 19 answers given; all 20 items are required"}, 0},
		{"item above 4", &tendo.LEFS{Answers: lefs(19, 4, 5)},
			scoreWant{err: "lefs.answers[19]: 5 is out of range; allowed 0–4"}, 0},
		{"answers disagree with the score", &tendo.LEFS{Answers: lefs(20, 3), Score: ptr(61)},
			scoreWant{err: "lefs.score: 61 does not match the answers, which sum to 60"}, 0},
		{"score out of range", &tendo.LEFS{Score: ptr(81)},
			scoreWant{err: "lefs.score: 81 is out of range; allowed 0–80"}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s, err := tendo.ScoreLEFS(tt.in)
			checkScore(t, s, err, tt.want)
			if err == nil && (s.PercentOfMax != tt.pct || s.MCID != 9) {
				t.Errorf("PercentOfMax, MCID = %v, %v; want %v, 9", s.PercentOfMax, s.MCID, tt.pct)
			}
		})
	}
}

func TestPROMsScores(t *testing.T) {
	t.Parallel()
	p := tendo.PROMs{
		LEFS:  &tendo.LEFS{Score: ptr(60)},
		NPRS:  ptr(5),
		ODI:   &tendo.ODI{Answers: odi(2, 1, 2, 1, 3, 2, 2, 1, 1, 2)},
		VISAA: &tendo.VISAA{Score: ptr(48)},
	}
	scores, err := p.Scores()
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, s := range scores {
		got = append(got, fmt.Sprintf("%s=%v", s.Measure, s.Rounded))
	}
	if g, w := strings.Join(got, " "), "visaA=48 odi=34 nprs=5 lefs=60"; g != w {
		t.Errorf("Scores = %s, want %s", g, w)
	}
	p.NPRS, p.VISAA = ptr(12), &tendo.VISAA{Answers: visaA(1)}
	scores, err = p.Scores()
	if len(scores) != 2 || err == nil || !strings.Contains(err.Error(), "visaA.answers: 1 answers given") || !strings.Contains(err.Error(), "nprs: 12") {
		t.Errorf("Scores = %v, %v; want odi and lefs, and errors for visaA and nprs", scores, err)
	}
	if scores, err := (tendo.PROMs{}).Scores(); len(scores) != 0 || err != nil {
		t.Errorf("empty PROMs: %v, %v", scores, err)
	}
}

// ScoreODI scores the Oswestry Disability Index; a null (nil) section is
// unanswered and lowers the denominator by 5.
func ExampleScoreODI() {
	sections := []*int{ptr(3), ptr(1), ptr(3), ptr(2), ptr(3), ptr(2), ptr(2), nil, ptr(2), ptr(3)}
	s, err := tendo.ScoreODI(&tendo.ODI{Answers: sections})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("ODI %.1f%% (%s, %s); %d of 10 sections answered\n", s.Rounded, s.Band, s.BandRange, s.Items)
	fmt.Printf("MCID %v points or %v%% of baseline\n", s.MCID, s.MCIDPercent)
	// Output:
	// ODI 46.7% (severe disability, 41–60); 9 of 10 sections answered
	// MCID 10 points or 30% of baseline
}

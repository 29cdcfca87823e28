package tendo

// This file scores the patient-reported outcome measures (PROMs). Every
// rule, band and minimal clinically important difference (MCID) below comes
// from section 4 of ../shared/evidence/clinical-evidence.md unless its
// comment says it is tendo's own choice.
// The scales, bands, MCIDs and sources are in the table of facts.go
// (Facts), which the scoring functions read.

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Measure keys, as used for the "scores" object of an assessment result
// and in Score.Measure and ScoreError.Measure.
const (
	MeasureVISAA = "visaA"
	MeasureODI   = "odi"
	MeasureNPRS  = "nprs"
	MeasureLEFS  = "lefs"
)

// Directions for Score.Higher.
const (
	HigherBetter = "better"
	HigherWorse  = "worse"
)

// Questionnaire structure.
const (
	// VISAAItems is the number of VISA-A items; all are required to score.
	VISAAItems = 8
	// VISAAItemMax is the maximum of VISA-A items 1–6 (each 0–10).
	VISAAItemMax = 10
	// VISAAMax is the maximum VISA-A total (100 = asymptomatic).
	VISAAMax = 100

	// ODISections is the number of ODI v2.1a sections.
	ODISections = 10
	// ODISectionMax is the maximum of an ODI section (each 0–5).
	ODISectionMax = 5
	// ODIMaxMissing is the most ODI sections that may be unanswered; see
	// ScoreODI.
	ODIMaxMissing = 2

	// NPRSMax is the top of the 0–10 numeric pain rating scale.
	NPRSMax = 10

	// LEFSItems is the number of LEFS items; all are required to score.
	LEFSItems = 20
	// LEFSItemMax is the maximum of a LEFS item (each 0–4).
	LEFSItemMax = 4
	// LEFSMax is the maximum LEFS total (80 = no difficulty).
	LEFSMax = 80
)

// VISAAItem7Points returns the points allowed for VISA-A item 7 (current
// sport or activity participation): 0, 4, 7 or 10.
func VISAAItem7Points() []int { return []int{0, 4, 7, 10} }

// VISAAItem8Points returns the points allowed on each branch of VISA-A
// item 8, for training durations nil, 1–10, 11–20, 21–30 and > 30 min
// (awell-score's VISA-A definition, as summarised in the evidence file):
// A 0, 7, 14, 21, 30; B 0, 4, 10, 14, 20; C 0, 2, 5, 7, 10. It returns nil
// for an unknown branch.
func VISAAItem8Points(b VISAABranch) []int {
	switch b {
	case VISAABranchA:
		return []int{0, 7, 14, 21, 30}
	case VISAABranchB:
		return []int{0, 4, 10, 14, 20}
	case VISAABranchC:
		return []int{0, 2, 5, 7, 10}
	}
	return nil
}

// A Score is one scored outcome measure with its interpretation.
type Score struct {
	// Measure is the measure's key: MeasureVISAA, MeasureODI, MeasureNPRS
	// or MeasureLEFS.
	Measure string `json:"measure"`
	// Name is the measure's usual name ("VISA-A", "ODI", "NPRS", "LEFS").
	Name string `json:"name"`
	// Value is the exact score (for ODI a percentage, not rounded).
	Value float64 `json:"value"`
	// Rounded is Value as it is reported: ODI to one decimal, the others
	// are whole numbers already.
	Rounded float64 `json:"rounded"`
	// Max is the top of the scale (the bottom is 0).
	Max float64 `json:"max"`
	// PercentOfMax is Value / Max × 100; for LEFS it is the percentage of
	// maximal function.
	PercentOfMax float64 `json:"percentOfMax"`
	// Higher says whether a higher score is HigherBetter or HigherWorse.
	Higher string `json:"higher"`
	// Band is the severity band Value falls in, and BandRange its range on
	// the scale ("45–64").
	Band      string `json:"band"`
	BandRange string `json:"bandRange"`
	// BandNote says where the bands come from.
	BandNote string `json:"bandNote"`
	// MCID is the minimal clinically important difference in points.
	MCID float64 `json:"mcid"`
	// MCIDPercent, when not 0, is an alternative MCID as a percentage of
	// the baseline score (30 for ODI and NPRS): a change reaching either
	// is important.
	MCIDPercent float64 `json:"mcidPercent,omitempty"`
	// MCIDNote explains the MCID and its conditions.
	MCIDNote string `json:"mcidNote"`
	// Source cites the scoring rules, bands and MCID.
	Source string `json:"source"`
	// FromAnswers is true when tendo computed the score from the item
	// answers, false when a given score was used as is.
	FromAnswers bool `json:"fromAnswers"`
	// Items is the number of answered items that were scored (0 when a
	// given score was used), and Missing the number left unanswered.
	Items   int `json:"items"`
	Missing int `json:"missing"`
}

// A ScoreError is one reason a measure could not be scored.
type ScoreError struct {
	// Measure is the measure's key (MeasureVISAA, ...).
	Measure string
	// Field is the path of the offending field within the measure as the
	// contract names it ("answers", "answers[7].points", "score",
	// "percent"), or "" for the measure as a whole (and for NPRS, which is
	// a bare number).
	Field string
	// Item is the 0-based index of the answer the error is about, or -1.
	Item int
	// Value is the offending value as written ("6", "\"D\""), or "".
	Value string
	// Msg says what is wrong and what is allowed.
	Msg string
}

func (e *ScoreError) Error() string {
	var b strings.Builder
	b.WriteString(e.Measure)
	if e.Field != "" {
		b.WriteByte('.')
		b.WriteString(e.Field)
	}
	b.WriteString(": ")
	if e.Value != "" {
		b.WriteString(e.Value)
		b.WriteByte(' ')
	}
	b.WriteString(e.Msg)
	return b.String()
}

// ScoreErrors lists every reason a measure (or several) could not be
// scored. The scoring functions return either nil or a non-empty
// ScoreErrors.
type ScoreErrors []*ScoreError

func (es ScoreErrors) Error() string {
	s := make([]string, len(es))
	for i, e := range es {
		s[i] = e.Error()
	}
	return strings.Join(s, "; ")
}

// Unwrap returns the errors one by one, for errors.As.
func (es ScoreErrors) Unwrap() []error {
	out := make([]error, len(es))
	for i, e := range es {
		out[i] = e
	}
	return out
}

func (es ScoreErrors) err() error {
	if len(es) == 0 {
		return nil
	}
	return es
}

type scoreErrs struct {
	measure string
	list    ScoreErrors
}

func (s *scoreErrs) add(field string, item int, value, format string, args ...any) {
	s.list = append(s.list, &ScoreError{Measure: s.measure, Field: field, Item: item, Value: value, Msg: fmt.Sprintf(format, args...)})
}

func itoa(n int) string { return strconv.Itoa(n) }

func ftoa(f float64) string { return strconv.FormatFloat(f, 'g', -1, 64) }

func joinInts(v []int) string {
	s := make([]string, len(v))
	for i, n := range v {
		s[i] = itoa(n)
	}
	return strings.Join(s, ", ")
}

func answerField(i int) string { return "answers[" + itoa(i) + "]" }

// Sources, as given in the evidence file (section 4). The VISA-A MCID
// study is cited by its title, journal and issue month, which a published
// summary of it confirms; its authors, volume and pages could not be
// checked here and are left out rather than guessed.
const (
	srcRobinson  = "Robinson et al. 2001, Br J Sports Med 35(5):335–41"
	srcVISAAMCID = "Victorian Institute of Sport Assessment-Achilles (VISA-A) questionnaire: minimal clinically important difference " +
		"for active people with midportion Achilles tendinopathy, a prospective cohort study, J Orthop Sports Phys Ther, October 2021 " +
		"(61 patients, exercise + injection, the Netherlands)"
	srcFairbank = "Fairbank & Pynsent 2000, Spine 25(22):2940–52"
	srcOstelo   = "Ostelo et al. 2008, Spine 33(1):90–4"
	srcBinkley  = "Binkley, Stratford, Lott & Riddle 1999, Phys Ther 79(4):371–83"
	srcLEFSNorm = "Dingemans et al. 2017, Acta Orthop, LEFS normative study (n = 1,014; first author to verify)"
)

// ScoreVISAA scores the VISA-A.
//
// Scoring (Robinson et al. 2001): the total is the sum of the eight items,
// 0–100, higher is better (100 = asymptomatic). Items 1–6 are 0–10, item 7
// is one of 0, 4, 7, 10, item 8 is one branch (A, B or C) with that
// branch's points (VISAAItem8Points). No missing-item rule is published, so
// all eight items are required. When only Score is given it is used as is;
// when both are given they must be equal.
//
// Bands: there are no official VISA-A severity bands. tendo's cut-points
// are its own, anchored on the reference values of Robinson et al. 2001:
// ≥ 90 near normal/recovered (controls score > 96; ≥ 90 is taken as
// recovered), 65–89 mild to moderate, 45–64 moderate (non-surgical patients
// averaged 64), < 45 severe (pre-surgical patients averaged 44).
//
// MCID: 14 points over 12 weeks (7 points over 24 weeks), from a 2021
// JOSPT cohort of 61 active patients with midportion tendinopathy (see
// MeasureFacts.MCIDFor).
//
// It returns a ScoreErrors naming every problem: a wrong number of answers,
// an item out of range, an item-8 points value not allowed for its branch,
// a score out of range, or answers and score that disagree.
func ScoreVISAA(v *VISAA) (Score, error) {
	errs := scoreErrs{measure: MeasureVISAA}
	if v == nil || (v.Answers == nil && v.Score == nil) {
		errs.add("", -1, "", "needs answers or a score")
		return Score{}, errs.list
	}
	f := Facts(MeasureVISAA)
	s := f.newScore()
	sum, ok := 0, v.Answers != nil
	if v.Answers != nil {
		if n := len(v.Answers); n != VISAAItems {
			errs.add("answers", -1, "", "%d answers given; all %d items are required", n, VISAAItems)
			ok = false
		}
		for i, a := range v.Answers {
			if i >= VISAAItems {
				break
			}
			f := answerField(i)
			switch {
			case i < 7 && a.Item8 != nil:
				errs.add(f, i, "", "must be a number of points; only item 8 is an object")
				ok = false
			case i < 6 && (a.Points < 0 || a.Points > VISAAItemMax):
				errs.add(f, i, itoa(a.Points), "is out of range; allowed 0–%d", VISAAItemMax)
				ok = false
			case i == 6 && !oneOf(a.Points, VISAAItem7Points()):
				errs.add(f, i, itoa(a.Points), "is not allowed; allowed %s", joinInts(VISAAItem7Points()))
				ok = false
			case i == 7 && a.Item8 == nil:
				errs.add(f, i, itoa(a.Points), `must be an object {"branch": "A"|"B"|"C", "points": n}`)
				ok = false
			case i == 7 && !a.Item8.Branch.Valid():
				errs.add(f+".branch", i, strconv.Quote(string(a.Item8.Branch)), "is not allowed; allowed A, B, C")
				ok = false
			case i == 7 && !oneOf(a.Item8.Points, VISAAItem8Points(a.Item8.Branch)):
				errs.add(f+".points", i, itoa(a.Item8.Points), "is not allowed for branch %s; allowed %s",
					a.Item8.Branch, joinInts(VISAAItem8Points(a.Item8.Branch)))
				ok = false
			case i == 7:
				sum += a.Item8.Points
			default:
				sum += a.Points
			}
		}
	}
	if v.Score != nil && (*v.Score < 0 || *v.Score > VISAAMax) {
		errs.add("score", -1, itoa(*v.Score), "is out of range; allowed 0–%d", VISAAMax)
	} else if v.Score != nil && ok && *v.Score != sum {
		errs.add("score", -1, itoa(*v.Score), "does not match the answers, which sum to %d", sum)
	}
	if err := errs.list.err(); err != nil {
		return Score{}, err
	}
	if ok {
		s.Value, s.FromAnswers, s.Items = float64(sum), true, VISAAItems
	} else {
		s.Value = float64(*v.Score)
	}
	s.Rounded = s.Value
	s.PercentOfMax = s.Value
	f.setBand(&s)
	return s, nil
}

// odiTolerance is how far, in percentage points, a given ODI percent may
// be from the percent computed from the answers: enough for a value
// rounded to one decimal.
const odiTolerance = 0.05

// ScoreODI scores the Oswestry Disability Index v2.1a (Fairbank & Pynsent
// 2000).
//
// Scoring: each of the ten sections scores 0–5; the percentage is the sum
// of the answered sections divided by 5 × the number answered, × 100, so
// 0–100 with higher worse. An unanswered section (nil) lowers the
// denominator by 5. The evidence leaves the missing-section rule to the
// implementer (awell-score refuses more than 1 missing; 1 or 2 are common):
// tendo allows at most ODIMaxMissing (2) unanswered sections, so the score
// always rests on at least 8 of 10, and reports 3 or more as an error.
// Value keeps the exact percentage; Rounded is it to one decimal, as
// reported. When only Percent is given it is used as is; when both are
// given Percent must be within 0.05 percentage points of the computed
// value.
//
// Bands (Fairbank's interpretation): 0–20 minimal, 21–40 moderate, 41–60
// severe, 61–80 crippled, 81–100 bed-bound or exaggerating; a value
// between two whole-number bands (e.g. 20.5) belongs to the higher one.
//
// MCID: 10 points or 30% of the baseline (Ostelo et al. 2008).
func ScoreODI(o *ODI) (Score, error) {
	errs := scoreErrs{measure: MeasureODI}
	if o == nil || (o.Answers == nil && o.Percent == nil) {
		errs.add("", -1, "", "needs answers or a percent")
		return Score{}, errs.list
	}
	f := Facts(MeasureODI)
	s := f.newScore()
	var exact float64
	ok := o.Answers != nil
	if o.Answers != nil {
		if n := len(o.Answers); n != ODISections {
			errs.add("answers", -1, "", "%d answers given; want %d (null for an unanswered section)", n, ODISections)
			ok = false
		}
		sum, answered, missing := 0, 0, 0
		for i, a := range o.Answers {
			if i >= ODISections {
				break
			}
			if a == nil {
				missing++
				continue
			}
			if *a < 0 || *a > ODISectionMax {
				errs.add(answerField(i), i, itoa(*a), "is out of range; allowed 0–%d", ODISectionMax)
				ok = false
				continue
			}
			sum += *a
			answered++
		}
		if len(o.Answers) == ODISections && missing > ODIMaxMissing {
			errs.add("answers", -1, "", "%d sections are unanswered; at most %d may be", missing, ODIMaxMissing)
			ok = false
		}
		if ok {
			exact = float64(sum) / float64(ODISectionMax*answered) * 100
			s.Items, s.Missing = answered, missing
		}
	}
	if p := o.Percent; p != nil && (math.IsNaN(*p) || *p < 0 || *p > 100) {
		errs.add("percent", -1, ftoa(*p), "is out of range; allowed 0–100")
	} else if p != nil && ok && math.Abs(*p-exact) > odiTolerance+1e-9 {
		errs.add("percent", -1, ftoa(*p), "does not match the answers, which give %.1f", exact)
	}
	if err := errs.list.err(); err != nil {
		return Score{}, err
	}
	if ok {
		s.Value, s.FromAnswers = exact, true
	} else {
		s.Value = *o.Percent
	}
	s.Rounded = math.Round(s.Value*10) / 10
	s.PercentOfMax = s.Value
	f.setBand(&s)
	return s, nil
}

// ScoreNPRS scores the 0–10 numeric pain rating scale (current pain,
// higher worse).
//
// Bands: 0 none, 1–3 mild, 4–6 moderate, 7–10 severe. These are the
// conventional cut-points in clinical use; they are not from the evidence
// file.
//
// MCID: 2 points or 30% of the baseline (Ostelo et al. 2008).
func ScoreNPRS(n int) (Score, error) {
	if n < 0 || n > NPRSMax {
		return Score{}, ScoreErrors{{Measure: MeasureNPRS, Item: -1, Value: itoa(n), Msg: "is out of range; allowed 0–10"}}
	}
	f := Facts(MeasureNPRS)
	s := f.newScore()
	s.Value, s.Rounded, s.PercentOfMax = float64(n), float64(n), float64(n)*10
	s.FromAnswers, s.Items = true, 1
	f.setBand(&s)
	return s, nil
}

// LEFS healthy norm used for the bands.
const lefsHealthyMedian = 77

// ScoreLEFS scores the Lower Extremity Functional Scale (Binkley et al.
// 1999).
//
// Scoring: the sum of the twenty items, each 0 (extreme difficulty or
// unable) to 4 (no difficulty), so 0–80 with higher better; PercentOfMax is
// the percentage of maximal function. No missing-item rule is published,
// so all twenty items are required. When only Score is given it is used as
// is; when both are given they must be equal.
//
// Bands are relative to healthy norms: median 77 of 80 (men 78, women 76,
// falling with age) in the Acta Orthop 2017 normative study of 1,014
// people (Dingemans et al.; the evidence file gives the first author from
// memory). The cut-points are tendo's own: ≥ 77 at or above the healthy
// median, 68–76 within one MCID (9 points) of it, < 68 below healthy
// norms.
//
// MCID 9 points, MDC 9 points (Binkley et al. 1999).
func ScoreLEFS(l *LEFS) (Score, error) {
	errs := scoreErrs{measure: MeasureLEFS}
	if l == nil || (l.Answers == nil && l.Score == nil) {
		errs.add("", -1, "", "needs answers or a score")
		return Score{}, errs.list
	}
	f := Facts(MeasureLEFS)
	s := f.newScore()
	sum, ok := 0, l.Answers != nil
	if l.Answers != nil {
		if n := len(l.Answers); n != LEFSItems {
			errs.add("answers", -1, "", "%d answers given; all %d items are required", n, LEFSItems)
			ok = false
		}
		for i, a := range l.Answers {
			if i >= LEFSItems {
				break
			}
			if a < 0 || a > LEFSItemMax {
				errs.add(answerField(i), i, itoa(a), "is out of range; allowed 0–%d", LEFSItemMax)
				ok = false
				continue
			}
			sum += a
		}
	}
	if l.Score != nil && (*l.Score < 0 || *l.Score > LEFSMax) {
		errs.add("score", -1, itoa(*l.Score), "is out of range; allowed 0–%d", LEFSMax)
	} else if l.Score != nil && ok && *l.Score != sum {
		errs.add("score", -1, itoa(*l.Score), "does not match the answers, which sum to %d", sum)
	}
	if err := errs.list.err(); err != nil {
		return Score{}, err
	}
	if ok {
		s.Value, s.FromAnswers, s.Items = float64(sum), true, LEFSItems
	} else {
		s.Value = float64(*l.Score)
	}
	s.Rounded = s.Value
	s.PercentOfMax = s.Value / LEFSMax * 100
	f.setBand(&s)
	return s, nil
}

// Scores scores every measure present, in the order VISA-A, ODI, NPRS,
// LEFS. The error, if any, is a ScoreErrors covering every measure; the
// scores of the measures that could be scored are returned with it.
func (p PROMs) Scores() ([]Score, error) {
	var (
		out  []Score
		errs ScoreErrors
	)
	collect := func(s Score, err error) {
		if err != nil {
			errs = append(errs, err.(ScoreErrors)...)
			return
		}
		out = append(out, s)
	}
	if p.VISAA != nil {
		collect(ScoreVISAA(p.VISAA))
	}
	if p.ODI != nil {
		collect(ScoreODI(p.ODI))
	}
	if p.NPRS != nil {
		collect(ScoreNPRS(*p.NPRS))
	}
	if p.LEFS != nil {
		collect(ScoreLEFS(p.LEFS))
	}
	return out, errs.err()
}

// newScore returns a Score of the measure with its facts filled in.
func (f MeasureFacts) newScore() Score {
	return Score{
		Measure: f.Measure, Name: f.Name, Max: f.Max, Higher: f.Higher,
		MCID: f.MCID, MCIDPercent: f.MCIDPercent, MCIDNote: f.MCIDNote,
		BandNote: f.BandNote, Source: f.Source,
	}
}

// setBand sets s.Band and s.BandRange from s.Value.
func (f MeasureFacts) setBand(s *Score) {
	b := f.Band(s.Value)
	s.Band, s.BandRange = b.Name, b.Range
}

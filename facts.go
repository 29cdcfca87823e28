package tendo

// This file is the one table of facts about the four outcome measures:
// scale, direction, severity bands and minimal clinically important
// difference (MCID), each with its source. The scoring functions
// (score.go), the timeline chart's MCID bands (package chart) and
// the plan's outcome targets (package assess) all read it, so a figure is
// written once. Every figure comes from section 4 of
// ../shared/evidence/clinical-evidence.md unless its note says it is
// tendo's own choice.

// A Band is one severity band of a measure: the scores from Lo to Hi
// inclusive. Range is how it is written ("45–64").
type Band struct {
	Name   string
	Lo, Hi float64
	Range  string
}

// MeasureFacts are the facts about one outcome measure.
type MeasureFacts struct {
	// Measure is the measure's key (MeasureVISAA, ...), equal to its
	// Instrument.
	Measure string
	// Name is the usual name ("VISA-A").
	Name string
	// Min and Max are the ends of the scale.
	Min, Max float64
	// Higher is HigherBetter or HigherWorse.
	Higher string
	// Bands are the severity bands in ascending order of score; see Band.
	Bands []Band
	// BandNote says where the bands come from.
	BandNote string
	// MCID is the minimal clinically important difference in points.
	MCID float64
	// MCIDPercent, when not 0, is the alternative MCID as a percentage of
	// the baseline (ODI and NPRS): an improvement reaching either counts.
	MCIDPercent float64
	// MCIDOver is the interval over which the MCID was established ("12
	// weeks"), or "" when the source gives none.
	MCIDOver string
	// LaterMCID, when not 0, is the MCID for intervals of LaterWeeks weeks
	// or more (VISA-A: 7 points over 24 weeks).
	LaterMCID  float64
	LaterWeeks float64
	// MCIDNote explains the MCID and its conditions.
	MCIDNote string
	// Source cites the scoring rules, bands and MCID.
	Source string
	// MCIDCite is the knowledge base's citation key for the MCID
	// (kb/model.yaml), which the plan's outcome targets cite.
	MCIDCite string
}

// measureFacts is the table, in the order VISA-A, ODI, NPRS, LEFS.
var measureFacts = [...]MeasureFacts{
	{
		Measure: MeasureVISAA, Name: "VISA-A", Min: 0, Max: VISAAMax, Higher: HigherBetter,
		// tendo's cut-points, anchored on Robinson 2001 (see ScoreVISAA).
		Bands: []Band{
			{"severe", 0, 44, "0–44"},
			{"moderate", 45, 64, "45–64"},
			{"mild to moderate", 65, 89, "65–89"},
			{"near normal/recovered", 90, 100, "90–100"},
		},
		BandNote: "tendo's cut-points, not official bands, anchored on Robinson 2001 reference values: " +
			"controls > 96 and ≥ 90 ≈ recovered; non-surgical patients mean 64; pre-surgical patients mean 44",
		MCID: 14, MCIDOver: "12 weeks", LaterMCID: 7, LaterWeeks: 24,
		MCIDNote: "14 points over 12 weeks (95% CI 3–19; sensitivity 57%, specificity 88%); " +
			"7 points over 24 weeks (−10 to 28). Other figures in use (15.4; 10-point MID; " +
			"6.5 for insertional tendinopathy) are unverified",
		Source:   "scoring and reference values: " + srcRobinson + "; MCID: " + srcVISAAMCID,
		MCIDCite: "visaamcid2021",
	},
	{
		Measure: MeasureODI, Name: "ODI", Min: 0, Max: 100, Higher: HigherWorse,
		// Fairbank's interpretation; a value between two whole-number
		// bands (20.5) belongs to the higher one.
		Bands: []Band{
			{"minimal disability", 0, 20, "0–20"},
			{"moderate disability", 21, 40, "21–40"},
			{"severe disability", 41, 60, "41–60"},
			{"crippled", 61, 80, "61–80"},
			{"bed-bound or exaggerating", 81, 100, "81–100"},
		},
		BandNote: "Fairbank's interpretation of ODI v2.1a",
		MCID:     10, MCIDPercent: 30,
		MCIDNote: "10 points or 30% of the baseline score (consensus); MDC(90%) ≈ 10 points",
		Source:   "scoring and bands: " + srcFairbank + "; MCID: " + srcOstelo,
		MCIDCite: "ostelo2008",
	},
	{
		Measure: MeasureNPRS, Name: "NPRS", Min: 0, Max: NPRSMax, Higher: HigherWorse,
		// Conventional cut-points, not from the evidence file.
		Bands: []Band{
			{"no pain", 0, 0, "0"},
			{"mild", 1, 3, "1–3"},
			{"moderate", 4, 6, "4–6"},
			{"severe", 7, 10, "7–10"},
		},
		BandNote: "conventional cut-points, not taken from the evidence file",
		MCID:     2, MCIDPercent: 30,
		MCIDNote: "2 points or 30% of the baseline (consensus); data-driven cut-offs 1.3–1.8 depending on baseline; " +
			"0 best identifies self-rated recovery",
		Source:   "MCID: " + srcOstelo,
		MCIDCite: "ostelo2008",
	},
	{
		Measure: MeasureLEFS, Name: "LEFS", Min: 0, Max: LEFSMax, Higher: HigherBetter,
		// tendo's cut-points relative to the healthy median (77): at or
		// above it, within one MCID (9 points) of it, below.
		Bands: []Band{
			{"below healthy norms", 0, lefsHealthyMedian - 9 - 1, "0–67"},
			{"near healthy norms", lefsHealthyMedian - 9, lefsHealthyMedian - 1, "68–76"},
			{"at or above the healthy median", lefsHealthyMedian, LEFSMax, "77–80"},
		},
		BandNote: "tendo's cut-points relative to healthy norms (median 77/80; men 78, women 76; lower with age)",
		MCID:     9,
		MCIDNote: "MCID 9 points and MDC 9 points (error ±5.3 points, 90% CI)",
		Source:   "scoring and MCID: " + srcBinkley + "; norms: " + srcLEFSNorm,
		MCIDCite: "binkley1999",
	},
}

// Facts returns the facts about a measure (MeasureVISAA, MeasureODI,
// MeasureNPRS or MeasureLEFS; an Instrument converts with string()), or
// the zero MeasureFacts for an unknown key.
func Facts(measure string) MeasureFacts {
	for _, f := range measureFacts {
		if f.Measure == measure {
			return f.clone()
		}
	}
	return MeasureFacts{}
}

// AllFacts returns the facts about every measure, in the order VISA-A,
// ODI, NPRS, LEFS.
func AllFacts() []MeasureFacts {
	out := make([]MeasureFacts, len(measureFacts))
	for i, f := range measureFacts {
		out[i] = f.clone()
	}
	return out
}

// clone copies f so that a caller cannot change the table.
func (f MeasureFacts) clone() MeasureFacts {
	f.Bands = append([]Band(nil), f.Bands...)
	return f
}

// Band returns the band a score falls in: the first, in ascending order,
// whose Hi is at or above it, so a value between two whole-number bands
// (ODI 20.5) belongs to the higher one. A score above the scale gets the
// top band.
func (f MeasureFacts) Band(v float64) Band {
	for _, b := range f.Bands {
		if v <= b.Hi {
			return b
		}
	}
	if len(f.Bands) == 0 {
		return Band{}
	}
	return f.Bands[len(f.Bands)-1]
}

// MCIDFor returns the MCID in points that applies to a change over the
// given number of weeks (≤ 0 for unknown): LaterMCID from LaterWeeks on,
// MCID otherwise.
func (f MeasureFacts) MCIDFor(weeks float64) float64 {
	if f.LaterMCID > 0 && weeks >= f.LaterWeeks {
		return f.LaterMCID
	}
	return f.MCID
}

// Target returns the score a follow-up must reach (HigherBetter: at
// least; HigherWorse: at most) to count as an important improvement on
// the baseline over the MCID's own interval, and false when no score on
// the scale can.
//
// Higher better: baseline + MCID. Higher worse with a relative MCID: an
// improvement counts when it reaches the MCID in points OR MCIDPercent of
// the baseline (Ostelo et al. 2008), so the target is the nearer of the
// two, baseline − min(MCID, MCIDPercent% of baseline); a baseline of 0
// cannot improve.
func (f MeasureFacts) Target(baseline float64) (float64, bool) {
	if f.Higher == HigherBetter {
		t := baseline + f.MCID
		return t, t <= f.Max
	}
	change := f.MCID
	if f.MCIDPercent > 0 {
		change = min(change, f.MCIDPercent/100*baseline)
	}
	t := baseline - change
	return t, change > 0 && t >= f.Min
}

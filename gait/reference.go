package gait

import (
	"math"
	"sort"
)

// This file holds reference bands for adult walking. It depends on nothing
// else in the package, so that it can move to a package of norms if gait
// should know none.

// A Band is a reference range of one gait quantity in healthy adult
// walking, with its unit and its source. Low and High are inclusive.
//
// Source names the study and the figure the band is taken from, or, when
// no source could be confirmed, starts with "estimate:" and says why; then
// Estimate is true. A band is a guide for the report, not a diagnostic
// cut-off: most come from group means or mean ± 2 SD of small samples,
// and gait changes with speed, age and sex.
type Band struct {
	Low, High float64
	Unit      string
	Source    string
	Estimate  bool
}

// Contains reports whether v lies in [b.Low, b.High]; false for NaN.
func (b Band) Contains(v float64) bool { return v >= b.Low && v <= b.High }

const (
	cadenceLow, cadenceHigh = 81.0, 138.0 // steps/min
	cadenceSource           = "\"Using Cadence to Study Free-Living Ambulatory Behaviour\", Sports Med (review), doi:10.2165/11599170-000000000-00000: normal walking cadence under laboratory conditions 96–138 steps/min for women and 81–135 for men across the lifespan; the band is their union"
)

var references = map[string]Band{
	"cadenceStepsPerMin": {
		Low: cadenceLow, High: cadenceHigh, Unit: "steps/min",
		Source: cadenceSource,
	},
	"stepTimeS": {
		Low: 60 / cadenceHigh, High: 60 / cadenceLow, Unit: "s",
		Source: "derived from cadenceStepsPerMin as 60 / cadence (0.43–0.74 s); " + cadenceSource,
	},
	"strideTimeS": {
		Low: 120 / cadenceHigh, High: 120 / cadenceLow, Unit: "s",
		Source: "derived from cadenceStepsPerMin as 2 × 60 / cadence (0.87–1.48 s); " + cadenceSource,
	},
	"speedMPerS": {
		Low: 0.943, High: 1.434, Unit: "m/s",
		Source: "Bohannon RW, Andrews AW. Normal walking speed: a descriptive meta-analysis. Physiotherapy 2011;97(3):182–189 (41 studies, 23,111 adults): mean comfortable speed ranged from 94.3 cm/s (women 80–99 years) to 143.4 cm/s (men 40–49 years); the band spans those stratum means, so an individual's normal range is wider",
	},
	"stancePct": {
		Low: 57, High: 65, Unit: "% of stride",
		Source:   "estimate: 57–65 % because no verified source states a band. Kirtley C, Whittle MW, Jefferson RJ. Influence of walking speed on gait parameters. J Biomed Eng 1985;7(4):282–8 give stance = 64.2 − 3.5 × speed (%, speed in m/s), i.e. 59.2–60.9 % over the speeds of speedMPerS (as quoted by clinicalgaitanalysis.com, 'Stance Phase Duration: normative values', which also reports 61.8 ± 2.5 % in adults under 45); the band is 59.2–61.8 % widened by that 2.5 % SD each way and rounded outward",
		Estimate: true,
	},
	"stanceTimeAsymmetryPct": {
		Low: 0, High: 5, Unit: "%",
		Source:   "estimate: 0–5 % (the symmetry index |R − L| / (0.5 (R + L)) × 100 of mean stance times) because no verified source gives a normal limit for it; 5 % is the limit of normal variability that kb/model.yaml already assumes for gait.stanceTimeAsymmetryPct",
		Estimate: true,
	},
	"peakAnklePlantarflexorMomentNmPerKg": {
		Low: 1.5, High: 1.8, Unit: "N·m/kg",
		Source: "opensimgait: OpenSim Gait10dof18musc reference inverse dynamics, subject01 walking, peak 1.79 N·m/kg right and 1.50 left (kb/model.yaml); and PMC11096059 (shear-wave tensiometry of the Achilles tendon, walking at 1.34 m/s): peak ankle torque 1.72 N·m/kg. The band spans these values rounded outward to 0.1; it describes a few healthy walks, not a population",
	},
	"peakAchillesForceBw": {
		Low: 3.0, High: 4.5, Unit: "body weights",
		Source:   "estimate: 3.0–4.5 BW. Giddings VL, Beaupré GS, Whalen RT, Carter DR. Calcaneal loading during walking and running. Med Sci Sports Exerc 2000;32(3):627–634: maximum predicted Achilles tendon force 3.9 BW in walking; PMC11096059 (shear-wave tensiometry, walking at 1.34 m/s): peak 44.0 N/kg, i.e. 4.5 BW. The upper limit is the tensiometry figure; the lower limit is the midpoint kb/model.yaml assumes for reduced push-off, not a sourced figure",
		Estimate: true,
	},
	"pelvicRotationRangeDeg": {
		Low: 4, High: 12, Unit: "°",
		Source:   "estimate: 4–12° because no verified study figure for the range could be found; the textbook description of pelvic rotation as about 4° to each side of the line of progression (the dictionary entry 'pelvic rotation' at medicaldictionary.top) gives about 8° in total, and the band is that ± 50 %",
		Estimate: true,
	},
	"trunkRotationRangeDeg": {
		Low: 1.1, High: 12.7, Unit: "°",
		Source: "Chung CY, Park MS, Lee SH, Kong SJ, Lee KM. Kinematic aspects of trunk motion and gender effect in normal adults. J Neuroeng Rehabil 2010;7:9 (20 adults aged 21–40, self-selected speed): trunk rotation range relative to the ground 6.9 ± 2.9°; the band is mean ± 2 SD",
	},
	"verticalLoadingRateBwPerS": {
		Low: 5, High: 20, Unit: "BW/s",
		Source:   "estimate: 5–20 BW/s because no verified source gives the 20–80 % loading rate of walking; a walking first peak of about 1.1 BW reached 40–80 ms into the 20–80 % rise gives 0.66 BW over 0.03–0.13 s, widened to round numbers",
		Estimate: true,
	},
	"strikeIndexPct": {
		Low: 0, High: 100.0 / 3, Unit: "% of foot length",
		Source:   "estimate: walking is a rearfoot (heel-first) strike, the strike index's first third (0–33.3 %) in the classification of Cavanagh PR, Lafortune MA. Ground reaction forces in distance running. J Biomech 1980;13:397–406 (thirds as reported by the IJSPT article on 2D and 3D foot-strike assessment and by Graf et al., 'A modified strike index', ISB); no verified source gives strike-index data for walking",
		Estimate: true,
	},
}

// Reference returns the reference band of a gait quantity in healthy adult
// walking, and whether key is known. The keys are those of the gait fields
// of the assessment contract where it has them: cadenceStepsPerMin,
// stanceTimeAsymmetryPct, peakAnklePlantarflexorMomentNmPerKg,
// peakAchillesForceBw, pelvicRotationRangeDeg; and stancePct, strideTimeS,
// stepTimeS, speedMPerS, trunkRotationRangeDeg, verticalLoadingRateBwPerS
// and strikeIndexPct (see StrikeIndex; walking is a rearfoot strike, and
// the band's High, 100/3, is itself the first midfoot value of
// ClassifyStrike).
func Reference(key string) (Band, bool) {
	b, ok := references[key]
	if !ok {
		return Band{Low: math.NaN(), High: math.NaN()}, false
	}
	return b, true
}

// ReferenceKeys returns the keys Reference knows, sorted.
func ReferenceKeys() []string {
	keys := make([]string, 0, len(references))
	for k := range references {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

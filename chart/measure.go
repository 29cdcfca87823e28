package chart

import (
	"fmt"
	"image/color"
	"math"

	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/tendo-health/tendo"
)

// A measure is one outcome measure the chart draws.
type measure struct {
	instrument tendo.Instrument
	// legend is the legend entry.
	legend string
	// facts are the measure's scale, direction and MCID, from the root
	// package's table (facts.go); the 24-week VISA-A MCID is not drawn.
	facts tendo.MeasureFacts
	// max is the top of the measure's own scale (facts.Max); scale
	// converts it to the chart's 0–100.
	max, scale float64
	// higherBetter is true for VISA-A.
	higherBetter bool

	color color.RGBA
	// marker is the filled marker shape; open markers are hollow{marker}.
	marker draw.GlyphDrawer
	dashes []vg.Length
}

// measures are drawn in this order. Colours are from the Okabe–Ito
// palette (safe for colour-blind readers); shapes and line dashes differ
// too, so the chart reads in black and white.
var measures = [...]measure{
	{
		instrument: tendo.InstrumentVISAA, legend: "VISA-A (higher better)",
		facts: tendo.Facts(tendo.MeasureVISAA), scale: 1,
		color:  color.RGBA{R: 0x00, G: 0x72, B: 0xB2, A: 0xFF}, // blue
		marker: draw.CircleGlyph{},
	},
	{
		instrument: tendo.InstrumentODI, legend: "ODI % (lower better)",
		facts: tendo.Facts(tendo.MeasureODI), scale: 1,
		color:  color.RGBA{R: 0xD5, G: 0x5E, B: 0x00, A: 0xFF}, // vermillion
		marker: draw.BoxGlyph{},
		dashes: []vg.Length{vg.Points(6), vg.Points(3)},
	},
	{
		instrument: tendo.InstrumentNPRS, legend: "NPRS ×10 (lower better)",
		facts: tendo.Facts(tendo.MeasureNPRS), scale: 10,
		color:  color.RGBA{R: 0x00, G: 0x9E, B: 0x73, A: 0xFF}, // bluish green
		marker: draw.PyramidGlyph{},
		dashes: []vg.Length{vg.Points(1.5), vg.Points(2)},
	},
	{
		// issue 10: small: LEFS is drawn too.
		instrument: tendo.InstrumentLEFS, legend: "LEFS ×1.25 (higher better)",
		facts: tendo.Facts(tendo.MeasureLEFS), scale: 100.0 / tendo.LEFSMax,
		color:  color.RGBA{R: 0xCC, G: 0x79, B: 0xA7, A: 0xFF}, // reddish purple
		marker: diamondGlyph{},
		dashes: []vg.Length{vg.Points(6), vg.Points(2), vg.Points(1.5), vg.Points(2)},
	},
}

func init() {
	for i := range measures {
		m := &measures[i]
		m.max, m.higherBetter = m.facts.Max, m.facts.Higher == tendo.HigherBetter
	}
}

// measureIndex returns the index in measures of an instrument, or -1.
func measureIndex(i tendo.Instrument) int {
	for n, m := range measures {
		if m.instrument == i {
			return n
		}
	}
	return -1
}

// check returns an error when v is not a score of the measure.
func (m *measure) check(v float64) error {
	if math.IsNaN(v) || v < 0 || v > m.max {
		return fmt.Errorf("%s score %v is outside 0–%v", m.instrument, v, m.max)
	}
	return nil
}

// target returns the score, on the measure's own scale, that a follow-up
// must reach (or pass) to count as an important improvement on baseline,
// and false when no score on the scale can: the table's
// tendo.MeasureFacts.Target.
//
// VISA-A: baseline + 14 (the 12-week MCID). ODI and NPRS: an improvement
// counts when it reaches the MCID in points OR 30% of the baseline,
// so the target is the nearer of the two: baseline − min(MCID, 30% of
// baseline). For ODI that is −10 points from a baseline of 33.3 or more
// and −30% below it; for NPRS −2 from a baseline of 7 or more, −30%
// below (a baseline of 3 needs 2.1, so a 2). A baseline of 0 cannot
// improve.
func (m *measure) target(baseline float64) (float64, bool) {
	return m.facts.Target(baseline)
}

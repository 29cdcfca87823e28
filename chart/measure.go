package chart

import (
	"fmt"
	"image/color"
	"math"

	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/tendo-health/tendo"
)

// The minimal clinically important differences the MCID bands use; they
// are tendo.Change's (score.go), which decides "improved" in reports.
const (
	// visaAMCID is the VISA-A MCID over 12 weeks, in points. The 24-week
	// MCID (7 points) is not drawn.
	visaAMCID = 14
	// odiMCID and nprsMCID are in points; relativeMCID is the alternative
	// 30% of the baseline that ODI and NPRS also accept.
	odiMCID      = 10
	nprsMCID     = 2
	relativeMCID = 0.30
)

// A measure is one outcome measure the chart draws.
type measure struct {
	instrument tendo.Instrument
	// legend is the legend entry.
	legend string
	// max is the top of the measure's own scale; scale converts it to the
	// chart's 0–100.
	max, scale float64
	// higherBetter is true for VISA-A.
	higherBetter bool
	// mcid is the MCID in points of the measure's own scale; relative
	// measures also accept relativeMCID of the baseline.
	mcid     float64
	relative bool

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
		max: tendo.VISAAMax, scale: 1, higherBetter: true, mcid: visaAMCID,
		color:  color.RGBA{R: 0x00, G: 0x72, B: 0xB2, A: 0xFF}, // blue
		marker: draw.CircleGlyph{},
	},
	{
		instrument: tendo.InstrumentODI, legend: "ODI % (lower better)",
		max: 100, scale: 1, mcid: odiMCID, relative: true,
		color:  color.RGBA{R: 0xD5, G: 0x5E, B: 0x00, A: 0xFF}, // vermillion
		marker: draw.BoxGlyph{},
		dashes: []vg.Length{vg.Points(6), vg.Points(3)},
	},
	{
		instrument: tendo.InstrumentNPRS, legend: "NPRS ×10 (lower better)",
		max: tendo.NPRSMax, scale: 10, mcid: nprsMCID, relative: true,
		color:  color.RGBA{R: 0x00, G: 0x9E, B: 0x73, A: 0xFF}, // bluish green
		marker: draw.PyramidGlyph{},
		dashes: []vg.Length{vg.Points(1.5), vg.Points(2)},
	},
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
// and false when no score on the scale can.
//
// VISA-A: baseline + 14 (the 12-week MCID). ODI and NPRS: tendo.Change
// counts an improvement of the MCID in points OR of 30% of the baseline,
// so the target is the nearer of the two: baseline − min(MCID, 30% of
// baseline). For ODI that is −10 points from a baseline of 33.3 or more
// and −30% below it; for NPRS −2 from a baseline of 7 or more, −30%
// below (a baseline of 3 needs 2.1, so a 2). A baseline of 0 cannot
// improve.
func (m *measure) target(baseline float64) (float64, bool) {
	if m.higherBetter {
		t := baseline + m.mcid
		return t, t <= m.max
	}
	change := m.mcid
	if m.relative {
		change = min(change, relativeMCID*baseline)
	}
	t := baseline - change
	return t, change > 0 && t >= 0
}

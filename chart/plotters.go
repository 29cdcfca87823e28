package chart

import (
	"image/color"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// band shades, from the baseline's date to the right edge, the scores a
// measure must reach to count as an important improvement.
type band struct {
	m *measure
	// x0 is the baseline's position (weeks); lo–hi the band and edge the
	// target, on the chart's 0–100 scale.
	x0, lo, hi, edge float64
}

// newBand returns the MCID band of a measure whose first score is
// baseline (on the chart's scale) at week x0, or false when no score can
// reach it.
func newBand(m *measure, x0, baseline float64) (band, bool) {
	t, ok := m.target(baseline / m.scale)
	if !ok {
		return band{}, false
	}
	t *= m.scale
	if m.higherBetter {
		return band{m: m, x0: x0, lo: t, hi: 100, edge: t}, true
	}
	return band{m: m, x0: x0, lo: 0, hi: t, edge: t}, true
}

// tint returns c at opacity alpha.
func tint(c color.RGBA, alpha uint8) color.NRGBA {
	return color.NRGBA{R: c.R, G: c.G, B: c.B, A: alpha}
}

const bandAlpha = 0x1C

var edgeDashes = []vg.Length{vg.Points(3), vg.Points(2)}

func (b band) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	x0, x1 := trX(b.x0), c.Max.X
	y0, y1, ye := trY(b.lo), trY(b.hi), trY(b.edge)
	c.FillPolygon(tint(b.m.color, bandAlpha), []vg.Point{{X: x0, Y: y0}, {X: x1, Y: y0}, {X: x1, Y: y1}, {X: x0, Y: y1}})
	c.StrokeLine2(draw.LineStyle{Color: b.m.color, Width: vg.Points(0.6), Dashes: edgeDashes}, x0, ye, x1, ye)
	// issue 10: small: an arrow, not the measure's open marker, which
	// reads as a questionnaire's score.
	r := vg.Points(3.5)
	c.DrawGlyphNoClip(draw.GlyphStyle{Color: b.m.color, Radius: r, Shape: arrowGlyph{up: b.m.higherBetter}},
		vg.Point{X: x1 - r, Y: ye})
}

// mcidThumb is the legend's "MCID target" swatch: a light band with a
// dashed edge ending in the target's arrow.
type mcidThumb struct{}

func (mcidThumb) Thumbnail(c *draw.Canvas) {
	grey := color.RGBA{R: 0x60, G: 0x60, B: 0x60, A: 0xFF}
	bottom := c.Min.Y + (c.Max.Y-c.Min.Y)/4
	c.FillPolygon(tint(grey, 0x40), []vg.Point{{X: c.Min.X, Y: c.Max.Y}, {X: c.Max.X, Y: c.Max.Y}, {X: c.Max.X, Y: bottom}, {X: c.Min.X, Y: bottom}})
	c.StrokeLine2(draw.LineStyle{Color: grey, Width: vg.Points(0.6), Dashes: edgeDashes}, c.Min.X, bottom, c.Max.X, bottom)
	r := vg.Points(3)
	c.DrawGlyphNoClip(draw.GlyphStyle{Color: legendGrey, Radius: r, Shape: arrowGlyph{up: true}}, vg.Point{X: c.Max.X - r, Y: bottom})
}

// hollow draws an open marker that hides the line behind it: the shape
// in the marker's colour, then a smaller one in white.
type hollow struct{ shape draw.GlyphDrawer }

// ringWidth is the width of an open marker's outline.
const ringWidth = vg.Length(1.1)

func (h hollow) DrawGlyph(c *draw.Canvas, sty draw.GlyphStyle, pt vg.Point) {
	c.SetColor(sty.Color)
	h.shape.DrawGlyph(c, sty, pt)
	inner := sty
	inner.Radius -= ringWidth
	c.SetColor(color.White)
	h.shape.DrawGlyph(c, inner, pt)
}

// visitLineSet draws a light dashed vertical line at each assessment with
// a classification, up to the label strip.
type visitLineSet struct {
	x []float64 // weeks
}

func visitLines(d *data, weeks func(int) float64) *visitLineSet {
	v := &visitLineSet{}
	for i, vi := range d.visits {
		if i > 0 && vi.day == d.visits[i-1].day {
			continue
		}
		v.x = append(v.x, weeks(vi.day))
	}
	return v
}

func (v *visitLineSet) Plot(c draw.Canvas, p *plot.Plot) {
	trX, _ := p.Transforms(&c)
	sty := draw.LineStyle{Color: visitGrey, Width: vg.Points(0.5), Dashes: []vg.Length{vg.Points(1), vg.Points(2)}}
	for _, x := range v.x {
		c.StrokeLine2(sty, trX(x), c.Min.Y, trX(x), c.Max.Y+stripGap)
	}
}

// classLabels writes each assessment's classification above the data, at
// its date, in rows so that neighbouring labels do not overlap.
type classLabels struct {
	x      []float64 // weeks
	text   []string
	row    []int
	rows   int
	style  []draw.TextStyle
	lineHt vg.Length
}

// stripGap is the space between the data and the lowest label row.
const stripGap = vg.Length(3)

// maxRows is the most label rows; labels that would need more overlap.
const maxRows = 3

// newClassLabels places the labels. The rows are chosen from an estimate
// of where the data area will be: pc less the y axis.
func newClassLabels(d *data, weeks func(int) float64, pc draw.Canvas, p *plot.Plot) *classLabels {
	l := &classLabels{}
	plain := textStyle(sans, classSize)
	plain.XAlign, plain.YAlign = draw.XCenter, draw.YBottom
	urgent := textStyle(sansBold, classSize)
	urgent.XAlign, urgent.YAlign = draw.XCenter, draw.YBottom
	urgent.Color = urgentRed
	ext := plain.FontExtents()
	l.lineHt = ext.Ascent + ext.Descent + vg.Points(1)

	// Estimated data area: the y axis takes its label, tick labels and
	// ticks (about 40 pt at these sizes).
	x0, x1 := pc.Min.X+vg.Points(40), pc.Max.X
	toX := func(w float64) vg.Length {
		return x0 + vg.Length((w-p.X.Min)/(p.X.Max-p.X.Min))*(x1-x0)
	}
	right := make([]vg.Length, maxRows) // right edge of the last label in each row
	for r := range right {
		right[r] = -1e9
	}
	space := vg.Points(4)
	for _, v := range d.visits {
		sty := plain
		if v.label == "urgent" {
			sty = urgent
		}
		x := weeks(v.day)
		cx, w := toX(x), sty.Width(v.label)
		row := 0
		for row < maxRows && cx-w/2 < right[row]+space {
			row++
		}
		if row == maxRows { // no room: the row that ends first
			row = 0
			for r := range right {
				if right[r] < right[row] {
					row = r
				}
			}
		}
		right[row] = cx + w/2
		l.x = append(l.x, x)
		l.text = append(l.text, v.label)
		l.row = append(l.row, row)
		l.style = append(l.style, sty)
		l.rows = max(l.rows, row+1)
	}
	return l
}

// height is the strip the labels need above the data.
func (l *classLabels) height() vg.Length {
	return stripGap + vg.Length(l.rows)*l.lineHt
}

func (l *classLabels) Plot(c draw.Canvas, p *plot.Plot) {
	trX, _ := p.Transforms(&c)
	for i, s := range l.text {
		y := c.Max.Y + stripGap + vg.Length(l.row[i])*l.lineHt
		c.FillText(l.style[i], vg.Point{X: trX(l.x[i]), Y: y}, s)
	}
}

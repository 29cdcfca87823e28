package chart

import (
	"bytes"
	"fmt"
	"image/color"
	"math"
	"slices"
	"strconv"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgsvg"

	"github.com/tendo-health/tendo"
)

// Gait figure geometry, in points. At gaitDPI the figure is 720 px wide
// and, with three panels and a one-line caption, 780 px tall.
const (
	gaitWidth = 540 * vg.Length(1)
	// gaitTop is the strip for the title; panelHeight the height of one
	// panel with its axes.
	gaitTop     = 28 * vg.Length(1)
	panelHeight = 180 * vg.Length(1)
	// gaitDPI is the resolution of a PNG figure.
	gaitDPI = 96
	// maxGaitPanels bounds the number of panels (kinds of curve).
	maxGaitPanels = 6
	// captionSize is the caption's text size; maxCaptionLines the most
	// lines it takes.
	captionSize     = 7
	maxCaptionLines = 4
)

// gaitKeys are the curve keys drawn first, in this order; other keys
// follow in the order they first appear.
var gaitKeys = []string{"vertical-force", "ankle-moment", "achilles-force"}

// Side styles: Okabe–Ito blue and vermillion (told apart by colour-blind
// readers), the left side dashed too, so the figure reads in black and
// white.
var (
	rightStyle = draw.LineStyle{Color: color.RGBA{R: 0x00, G: 0x72, B: 0xB2, A: 0xFF}, Width: vg.Points(1.5)}
	leftStyle  = draw.LineStyle{Color: color.RGBA{R: 0xD5, G: 0x5E, B: 0x00, A: 0xFF}, Width: vg.Points(1.5),
		Dashes: []vg.Length{vg.Points(5), vg.Points(2.5)}}
	bandGrey    = color.Gray{Y: 0xDD}
	zeroGrey    = color.Gray{Y: 0x90}
	captionGrey = color.Gray{Y: 0x50}
)

// GaitCycles draws a gait report's curves over the normalised gait cycle
// as one figure, in format "svg" or "png", and returns its bytes.
//
// There is one panel per curve Key, stacked: vertical force, ankle moment
// and Achilles force, in that order (a key with no curves has no panel),
// then any other key in the order it first appears. Each panel's x axis
// is the gait cycle 0–100 % (labelled "Gait cycle (%)" under the lowest
// panel) and its y axis the first curve's "Label (Unit)". In a panel the
// normal band (Low–High) is a light grey area, the right side a solid
// blue line and the left side a dashed vermillion one (Okabe–Ito colours,
// distinct for colour-blind readers); a sample that is nil (or not
// finite) leaves a gap. The legend names "Right", "Left" (with "(not
// computed)" for a side with no values) and "Reference band". The title is
// "Gait cycle: <File>"; a caption under the panels cites the bands'
// sources.
//
// The figure is 540 pt (720 px at 96 dpi) wide; each panel is 180 pt
// tall. The SVG names its font as Timeline's does, and both formats depend
// only on the report: the same report gives the same bytes.
//
// GaitCycles returns an error for a format other than "svg" or "png", a
// report with no curves (nothing to plot), a curve whose Side is not
// "left" or "right", whose Values has a single entry, or whose band has
// Low and High of different lengths, fewer than two entries or a value
// that is not finite, and for more than 6 keys.
func GaitCycles(r *tendo.GaitReport, format string) ([]byte, error) {
	if format != "svg" && format != "png" {
		return nil, fmt.Errorf("chart: unknown format %q (want \"svg\" or \"png\")", format)
	}
	if r == nil || len(r.Curves) == 0 {
		return nil, fmt.Errorf("chart: gait report has no curves: nothing to plot")
	}
	panels, err := gaitPanels(r.Curves)
	if err != nil {
		return nil, err
	}
	title := "Gait cycle"
	if f := clean(r.File, 120); f != "" {
		title += ": " + f
	}
	caption := gaitCaption(r.Curves)
	w, h := gaitWidth, gaitHeight(len(panels), len(caption))

	switch format {
	case "svg":
		c := vgsvg.New(w, h)
		renderGait(draw.New(c), title, panels, caption)
		return svgBytes(c)
	default: // "png"
		c := vgimg.NewWith(vgimg.UseWH(w, h), vgimg.UseDPI(gaitDPI))
		renderGait(draw.New(c), title, panels, caption)
		var buf bytes.Buffer
		if _, err := (vgimg.PngCanvas{Canvas: c}).WriteTo(&buf); err != nil {
			return nil, fmt.Errorf("chart: write png: %w", err)
		}
		return buf.Bytes(), nil
	}
}

// A gaitPanel is the curves of one key.
type gaitPanel struct {
	key    string
	curves []*tendo.GaitCurve
}

// gaitPanels groups the curves by key, in drawing order, and checks them.
func gaitPanels(curves []tendo.GaitCurve) ([]gaitPanel, error) {
	var panels []gaitPanel
	for i := range curves {
		cv := &curves[i]
		if err := checkCurve(cv); err != nil {
			return nil, fmt.Errorf("chart: gait curve %d (%s, %s): %w", i, clean(cv.Key, 40), clean(cv.Side, 20), err)
		}
		n := slices.IndexFunc(panels, func(p gaitPanel) bool { return p.key == cv.Key })
		if n < 0 {
			panels = append(panels, gaitPanel{key: cv.Key})
			n = len(panels) - 1
		}
		panels[n].curves = append(panels[n].curves, cv)
	}
	if len(panels) > maxGaitPanels {
		return nil, fmt.Errorf("chart: gait report has %d kinds of curve, more than %d", len(panels), maxGaitPanels)
	}
	rank := func(key string) int {
		if k := slices.Index(gaitKeys, key); k >= 0 {
			return k
		}
		return len(gaitKeys)
	}
	slices.SortStableFunc(panels, func(a, b gaitPanel) int { return rank(a.key) - rank(b.key) })
	return panels, nil
}

// checkCurve returns an error when a curve cannot be drawn.
func checkCurve(cv *tendo.GaitCurve) error {
	if cv.Side != "left" && cv.Side != "right" {
		return fmt.Errorf("side is not \"left\" or \"right\"")
	}
	if len(cv.Values) == 1 {
		return fmt.Errorf("one value; a cycle needs at least two")
	}
	if cv.Low == nil && cv.High == nil {
		return nil
	}
	if len(cv.Low) != len(cv.High) || len(cv.Low) < 2 {
		return fmt.Errorf("band has %d low and %d high values; want the same number, at least two", len(cv.Low), len(cv.High))
	}
	for j := range cv.Low {
		if !finite(cv.Low[j]) || !finite(cv.High[j]) {
			return fmt.Errorf("band value %d is not finite", j)
		}
	}
	return nil
}

func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }

// gaitCaption returns the caption's text: the bands' distinct sources.
func gaitCaption(curves []tendo.GaitCurve) []string {
	var sources []string
	for i := range curves {
		if curves[i].Low == nil {
			continue
		}
		if s := clean(curves[i].BandSource, 300); s != "" && !slices.Contains(sources, s) {
			sources = append(sources, s)
		}
	}
	if len(sources) == 0 {
		return nil
	}
	label := "Reference band: "
	if len(sources) > 1 {
		label = "Reference bands: "
	}
	return wrap(textStyle(sans, captionSize), label+strings.Join(sources, "; "), gaitWidth-2*gaitMargin, maxCaptionLines)
}

// gaitMargin is the space at the figure's left and right edges.
const gaitMargin = 8 * vg.Length(1)

// captionLine is the height of a caption line.
func captionLine() vg.Length {
	e := textStyle(sans, captionSize).FontExtents()
	return e.Ascent + e.Descent + vg.Points(1.5)
}

func gaitHeight(panels, captionLines int) vg.Length {
	h := gaitTop + vg.Length(panels)*panelHeight + vg.Points(6)
	if captionLines > 0 {
		h += vg.Length(captionLines)*captionLine() + vg.Points(4)
	}
	return h
}

// wrap breaks s into lines no wider than width at spaces, at most max
// lines; a longer text ends in "…".
func wrap(sty draw.TextStyle, s string, width vg.Length, max int) []string {
	var lines []string
	line := ""
	for _, word := range strings.Fields(s) {
		next := word
		if line != "" {
			next = line + " " + word
		}
		if line == "" || sty.Width(next) <= width {
			line = next
			continue
		}
		lines = append(lines, line)
		line = word
	}
	if line != "" {
		lines = append(lines, line)
	}
	if len(lines) > max {
		lines = lines[:max]
		last := lines[max-1]
		for last != "" && sty.Width(last+" …") > width {
			last = last[:strings.LastIndexByte(last, ' ')+1]
			last = strings.TrimRight(last, " ")
		}
		lines[max-1] = last + " …"
	}
	return lines
}

// renderGait draws the figure on c.
func renderGait(c draw.Canvas, title string, panels []gaitPanel, caption []string) {
	c.SetColor(color.White)
	c.Fill(c.Rectangle.Path())

	ts := textStyle(sansBold, titleSize)
	ts.XAlign, ts.YAlign = draw.XCenter, draw.YTop
	c.FillText(ts, vg.Point{X: c.Center().X, Y: c.Max.Y - vg.Points(8)}, title)

	capH := vg.Length(0)
	if len(caption) > 0 {
		cs := textStyle(sans, captionSize)
		cs.Color = captionGrey
		cs.YAlign = draw.YTop
		line := captionLine()
		capH = vg.Length(len(caption))*line + vg.Points(4)
		for i, s := range caption {
			c.FillText(cs, vg.Point{X: c.Min.X + gaitMargin, Y: c.Min.Y + capH - vg.Length(i)*line - vg.Points(2)}, s)
		}
	}

	plots := make([][]*plot.Plot, len(panels))
	legends := make([]plot.Legend, len(panels))
	for i := range panels {
		p, l := gaitPlot(&panels[i], i == len(panels)-1)
		plots[i], legends[i] = []*plot.Plot{p}, l
	}
	area := draw.Crop(c, gaitMargin, -gaitMargin, capH, -gaitTop)
	tiles := draw.Tiles{Rows: len(panels), Cols: 1, PadY: vg.Points(10), PadBottom: vg.Points(2)}
	canvases := plot.Align(plots, tiles, area)
	for i, row := range plots {
		pc := canvases[i][0]
		row[0].Draw(pc)
		// The legend sits at the data's top right, on a pale backing so a
		// line behind it does not cross its text.
		dc := row[0].DataCanvas(pc)
		inset := vg.Points(3)
		lc := draw.Crop(dc, inset, -inset, inset, -inset)
		// Legend.Rectangle measures from the left edge when the legend is
		// on the right (gonum/plot v0.17), so the box is moved right.
		rect := legends[i].Rectangle(lc)
		rect.Min.X, rect.Max.X = lc.Max.X-(rect.Max.X-rect.Min.X), lc.Max.X
		pad := vg.Points(2)
		c.SetColor(color.NRGBA{R: 0xFF, G: 0xFF, B: 0xFF, A: 0xE0})
		c.Fill(vg.Rectangle{
			Min: vg.Point{X: rect.Min.X - pad, Y: rect.Min.Y - pad},
			Max: vg.Point{X: rect.Max.X + pad, Y: rect.Max.Y + pad},
		}.Path())
		legends[i].Draw(lc)
	}
}

// gaitPlot returns the plot of one panel and its legend; last is true for
// the lowest panel, which names the x axis.
func gaitPlot(pn *gaitPanel, last bool) (*plot.Plot, plot.Legend) {
	p := newPlot()
	first := pn.curves[0]
	label := clean(first.Label, 60)
	if label == "" {
		label = clean(pn.key, 60)
	}
	if u := clean(first.Unit, 20); u != "" {
		label += " (" + u + ")"
	}
	p.Y.Label.Text = label
	if last {
		p.X.Label.Text = "Gait cycle (%)"
	}
	// 0–100 labelled every 20, as the timeline's score axis.
	p.X.Tick.Marker = plot.TickerFunc(scoreTicks)

	legend := newLegend()
	legend.Top = true

	// Bands first, each distinct one once, under the grid and the lines.
	var bands []*gaitBand
	for _, cv := range pn.curves {
		if cv.Low == nil || slices.ContainsFunc(bands, func(b *gaitBand) bool {
			return slices.Equal(b.low, cv.Low) && slices.Equal(b.high, cv.High)
		}) {
			continue
		}
		bands = append(bands, &gaitBand{low: cv.Low, high: cv.High})
	}
	for _, b := range bands {
		p.Add(b)
	}
	grid := plotter.NewGrid()
	grid.Vertical.Color = nil
	grid.Horizontal = draw.LineStyle{Color: gridGrey, Width: vg.Points(0.5)}
	p.Add(grid, zeroLine{})

	// The right side, then the left on top: where they coincide the solid
	// line shows through the dashes.
	for _, side := range []struct {
		side, name string
		style      draw.LineStyle
	}{{"right", "Right", rightStyle}, {"left", "Left", leftStyle}} {
		seen, drawn := false, false
		var thumb *gaitLine
		for _, cv := range pn.curves {
			if cv.Side != side.side {
				continue
			}
			l := newGaitLine(cv.Values, side.style)
			p.Add(l)
			seen, drawn, thumb = true, drawn || l.finite, l
		}
		switch {
		case drawn:
			legend.Add(side.name, thumb)
		case seen:
			legend.Add(side.name+" (not computed)", thumb)
		}
	}
	if len(bands) > 0 {
		legend.Add("Reference band", bands[0])
	}

	// The ranges, after Add widened them to the data: the whole cycle,
	// and the values with a margin.
	p.X.Min, p.X.Max = 0, 100
	lo, hi := p.Y.Min, p.Y.Max
	switch {
	case lo > hi: // nothing finite
		lo, hi = 0, 1
	case lo == hi:
		lo, hi = lo-1, hi+1
	}
	pad := 0.05 * (hi - lo)
	p.Y.Min, p.Y.Max = lo-pad, hi+pad
	p.Y.Tick.Marker = plot.TickerFunc(niceTicks)
	return p, legend
}

// niceTicks labels 3 to 6 round values between lo and hi: multiples of 1,
// 2, 2.5 or 5 times a power of ten, with an unlabelled tick between.
func niceTicks(lo, hi float64) []plot.Tick {
	span := hi - lo
	if !(span > 0) || math.IsInf(span, 0) {
		return nil
	}
	pow := math.Pow(10, math.Floor(math.Log10(span/5)))
	step, decimals := pow, 0
	for _, m := range []float64{1, 2, 2.5, 5, 10} {
		step = m * pow
		if span/step <= 6 {
			break
		}
	}
	if e := -math.Floor(math.Log10(step) + 1e-9); e > 0 {
		decimals = int(e)
	}
	if math.Mod(step/math.Pow(10, -float64(decimals)), 1) > 1e-9 { // 0.25, 2.5 ...
		decimals++
	}
	var ticks []plot.Tick
	for k := math.Ceil(lo/step*2 - 1e-9); k/2*step <= hi+1e-9*step; k++ {
		v := k / 2 * step
		if v == 0 {
			v = 0 // not -0
		}
		t := plot.Tick{Value: v}
		if math.Mod(k, 2) == 0 {
			t.Label = strconv.FormatFloat(v, 'f', decimals, 64)
		}
		ticks = append(ticks, t)
	}
	return ticks
}

// gaitLine is one curve over the cycle: y[i] at x = 100·i/(len(y)−1), NaN
// where there is no value.
type gaitLine struct {
	y      []float64
	style  draw.LineStyle
	finite bool // some value is finite
}

func newGaitLine(values []*float64, style draw.LineStyle) *gaitLine {
	l := &gaitLine{y: make([]float64, len(values)), style: style}
	for i, v := range values {
		l.y[i] = math.NaN()
		if v != nil && finite(*v) {
			l.y[i] = *v
			l.finite = true
		}
	}
	return l
}

// cycleX returns the position of sample i of n on the 0–100 % cycle.
func cycleX(i, n int) float64 { return 100 * float64(i) / float64(n-1) }

func (l *gaitLine) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	var run []vg.Point
	flush := func() {
		switch len(run) {
		case 0:
		case 1: // a lone value between gaps: a dot
			c.DrawGlyph(draw.GlyphStyle{Color: l.style.Color, Radius: l.style.Width, Shape: draw.CircleGlyph{}}, run[0])
		default:
			c.StrokeLines(l.style, c.ClipLinesXY(run)...)
		}
		run = nil
	}
	for i, y := range l.y {
		if math.IsNaN(y) {
			flush()
			continue
		}
		run = append(run, vg.Point{X: trX(cycleX(i, len(l.y))), Y: trY(y)})
	}
	flush()
}

func (l *gaitLine) DataRange() (xmin, xmax, ymin, ymax float64) {
	ymin, ymax = math.Inf(1), math.Inf(-1)
	for _, y := range l.y {
		if !math.IsNaN(y) {
			ymin, ymax = min(ymin, y), max(ymax, y)
		}
	}
	return 0, 100, ymin, ymax
}

func (l *gaitLine) Thumbnail(c *draw.Canvas) {
	y := c.Center().Y
	c.StrokeLine2(l.style, c.Min.X, y, c.Max.X, y)
}

// gaitBand is a normal band: low[i]–high[i] at x = 100·i/(len−1).
type gaitBand struct {
	low, high []float64
}

func (b *gaitBand) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	n := len(b.low)
	pts := make([]vg.Point, 0, 2*n)
	for i, v := range b.low {
		pts = append(pts, vg.Point{X: trX(cycleX(i, n)), Y: trY(v)})
	}
	for i := n - 1; i >= 0; i-- {
		pts = append(pts, vg.Point{X: trX(cycleX(i, n)), Y: trY(b.high[i])})
	}
	c.FillPolygon(bandGrey, c.ClipPolygonXY(pts))
}

func (b *gaitBand) DataRange() (xmin, xmax, ymin, ymax float64) {
	ymin, ymax = math.Inf(1), math.Inf(-1)
	for i := range b.low {
		ymin = min(ymin, b.low[i], b.high[i])
		ymax = max(ymax, b.low[i], b.high[i])
	}
	return 0, 100, ymin, ymax
}

func (b *gaitBand) Thumbnail(c *draw.Canvas) {
	h := (c.Max.Y - c.Min.Y) / 4
	c.FillPolygon(bandGrey, []vg.Point{
		{X: c.Min.X, Y: c.Min.Y + h}, {X: c.Max.X, Y: c.Min.Y + h},
		{X: c.Max.X, Y: c.Max.Y - h}, {X: c.Min.X, Y: c.Max.Y - h},
	})
}

// zeroLine marks y = 0 when the y range crosses it.
type zeroLine struct{}

func (zeroLine) Plot(c draw.Canvas, p *plot.Plot) {
	if p.Y.Min >= 0 || p.Y.Max <= 0 {
		return
	}
	_, trY := p.Transforms(&c)
	y := trY(0)
	c.StrokeLine2(draw.LineStyle{Color: zeroGrey, Width: vg.Points(0.6)}, c.Min.X, y, c.Max.X, y)
}

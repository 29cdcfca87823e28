package chart

import (
	"bytes"
	"fmt"
	"image/color"
	"io"
	"math"
	"strconv"
	"time"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgsvg"

	"github.com/tendo-health/tendo"
)

// Options size and title the chart. The zero value is ready to use.
type Options struct {
	// Width and Height are the size of the chart, each 2–100 cm; 0 means
	// 16 cm × 9 cm. A chart with no scores is Width × 3 cm (or Height, if
	// smaller).
	Width, Height vg.Length
	// Title is the chart's title; "" means DefaultTitle.
	Title string
	// Location is the time zone in which a questionnaire response's
	// SubmittedAt is read to find its date; nil uses each time's own
	// location.
	Location *time.Location
}

// Defaults.
const (
	DefaultTitle  = "Outcome scores"
	DefaultWidth  = 16 * vg.Centimeter
	DefaultHeight = 9 * vg.Centimeter
	// emptyHeight is the most height a chart with no scores takes.
	emptyHeight = 3 * vg.Centimeter
)

// NoScores is the message a chart with no scores shows.
const NoScores = "No outcome scores yet."

// Limits on Options.
const (
	minSize = 2 * vg.Centimeter
	maxSize = 100 * vg.Centimeter
)

// check returns an error when the size is out of bounds.
func (o Options) check() error {
	if o.Width < minSize || o.Width > maxSize || o.Height < minSize || o.Height > maxSize {
		return fmt.Errorf("chart: size %v × %v pt is outside 2–100 cm", o.Width.Points(), o.Height.Points())
	}
	return nil
}

func (o Options) withDefaults() Options {
	if o.Width <= 0 {
		o.Width = DefaultWidth
	}
	if o.Height <= 0 {
		o.Height = DefaultHeight
	}
	o.Title = clean(o.Title, 120)
	if o.Title == "" {
		o.Title = DefaultTitle
	}
	return o
}

// Timeline writes an SVG chart of a patient's outcome scores over time.
//
// VISA-A (0–100, higher better) and ODI (0–100 %, higher worse) share one
// 0–100 axis; NPRS (0–10, higher worse) is drawn ×10 and LEFS (0–80,
// higher better) ×1.25. Points come from the assessments' score fields (on
// the assessment's Date) and from the questionnaire responses (on the date
// of SubmittedAt, in Options.Location). Each measure is a line through its
// points in date order, with its own colour, marker shape and dash, so the
// chart reads in black and white; a filled marker is a score from an
// assessment, an open one a score from a questionnaire. Markers of the
// same day that would overlap are set side by side, a few points apart.
//
// From each measure's first score (its baseline) a light band marks the
// scores a later value must reach to count as an important improvement,
// by the MCID rules of tendo.MeasureFacts.Target (legend "MCID target"): VISA-A baseline + 14 and
// above; ODI and NPRS at or below baseline − the MCID in points (10, 2) or
// − 30% of baseline, whichever is the smaller change; LEFS baseline + 9.
// The band's edge ends in an arrow towards the better scores, a shape no
// score is drawn with. Above the plot each assessment's
// classification is written at its date ("local", "lumbar", "mixed",
// "urgent", "other", "uncertain"). The x axis counts weeks since the first
// date.
//
// With no VISA-A, ODI or NPRS score, the chart is a small box saying so
// (NoScores). Timeline returns an error when an assessment's Date is not
// YYYY-MM-DD, a response has no SubmittedAt, a score is outside its
// measure's range or the size is out of bounds, and any error from w. The
// output depends only on the input: the same records give the same bytes.
func Timeline(w io.Writer, assessments []tendo.StoredAssessment, responses []tendo.QuestionnaireResponse, opts Options) error {
	o := opts.withDefaults()
	if err := o.check(); err != nil {
		return err
	}
	d, err := gather(assessments, responses, o.Location)
	if err != nil {
		return err
	}
	c := vgsvg.New(o.Width, canvasHeight(d, o))
	render(draw.New(c), d, o)
	out, err := svgBytes(c)
	if err != nil {
		return err
	}
	if _, err := w.Write(out); err != nil {
		return fmt.Errorf("chart: write svg: %w", err)
	}
	return nil
}

// svgBytes returns the SVG document drawn on c, its font named with
// fallbacks: Liberation Sans has Arial's metrics, so text measured with it
// fits in Arial or Helvetica on a viewer without it, not in a serif
// default.
func svgBytes(c *vgsvg.Canvas) ([]byte, error) {
	var buf bytes.Buffer
	if _, err := c.WriteTo(&buf); err != nil {
		return nil, fmt.Errorf("chart: write svg: %w", err)
	}
	return bytes.ReplaceAll(buf.Bytes(), []byte("font-family:Liberation Sans;"),
		[]byte("font-family:Liberation Sans,Arial,Helvetica,sans-serif;")), nil
}

func canvasHeight(d *data, o Options) vg.Length {
	if d.empty() {
		return min(o.Height, emptyHeight)
	}
	return o.Height
}

// Text sizes, in points.
const (
	titleSize  = 11
	labelSize  = 9
	tickSize   = 8
	legendSize = 8
	classSize  = 7.5
)

var (
	sans = font.Font{Typeface: "Liberation", Variant: "Sans"}
	// sansBold's weight 3 is golang.org/x/image/font.WeightBold, which
	// this package does not import.
	sansBold  = font.Font{Typeface: "Liberation", Variant: "Sans", Weight: 3}
	gridGrey  = color.Gray{Y: 0xE4}
	visitGrey = color.Gray{Y: 0xA8}
	urgentRed = color.RGBA{R: 0xA0, A: 0xFF}
)

func textStyle(f font.Font, size vg.Length) draw.TextStyle {
	return draw.TextStyle{
		Color:   color.Black,
		Font:    font.From(f, size),
		Handler: plot.DefaultTextHandler,
	}
}

// newPlot returns a plot in the package's fonts, with no background (the
// caller fills the canvas, under any legend drawn outside the plot too).
func newPlot() *plot.Plot {
	p := plot.New()
	p.BackgroundColor = nil
	p.Title.TextStyle.Font = font.From(sansBold, titleSize)
	for _, a := range []*plot.Axis{&p.X, &p.Y} {
		a.Label.TextStyle.Font = font.From(sans, labelSize)
		a.Tick.Label.Font = font.From(sans, tickSize)
	}
	return p
}

// newLegend returns a legend in the package's legend style.
func newLegend() plot.Legend {
	legend := plot.NewLegend()
	legend.TextStyle = textStyle(sans, legendSize)
	legend.ThumbnailWidth = vg.Points(18)
	legend.Padding = vg.Points(2)
	return legend
}

// render draws the chart on c.
func render(c draw.Canvas, d *data, o Options) {
	if d.empty() {
		renderEmpty(c, o)
		return
	}
	c.SetColor(color.White)
	c.Fill(c.Rectangle.Path())

	day0 := d.firstDay()
	weeks := func(day int) float64 { return float64(day-day0) / 7 }

	p := newPlot()
	p.Title.Text = o.Title
	p.X.Label.Text = "Weeks since " + dayDate(day0).Format("2 Jan 2006")
	p.Y.Label.Text = "Score 0–100 (ODI %, NPRS ×10)"
	if len(d.series[measureIndex(tendo.InstrumentLEFS)]) > 0 {
		p.Y.Label.Text = "Score 0–100 (ODI %, NPRS ×10, LEFS ×1.25)"
	}
	p.X.Tick.Marker = plot.TickerFunc(weekTicks)
	p.Y.Tick.Marker = plot.TickerFunc(scoreTicks)

	grid := plotter.NewGrid()
	grid.Vertical.Color = nil
	grid.Horizontal = draw.LineStyle{Color: gridGrey, Width: vg.Points(0.5)}
	p.Add(grid)

	legend := newLegend()
	legend.Top, legend.Left = true, true

	// MCID bands first, under everything else.
	anyBand := false
	for m := range measures {
		s := d.series[m]
		if len(s) == 0 {
			continue
		}
		if b, ok := newBand(&measures[m], weeks(s[0].day), s[0].value); ok {
			p.Add(b)
			anyBand = true
		}
	}
	if len(d.visits) > 0 {
		p.Add(visitLines(d, weeks))
	}
	// issue 10: small: one layer draws every score, so that same-day
	// markers are set side by side rather than on top of each other.
	anyLink := false
	scores := &scoreLayer{}
	for m := range measures {
		s := d.series[m]
		if len(s) == 0 {
			continue
		}
		for _, pt := range s {
			scores.marks = append(scores.marks, mark{m: m, link: pt.link, x: weeks(pt.day), y: pt.value})
			anyLink = anyLink || pt.link
		}
		legend.Add(measures[m].legend, markerThumb{&measures[m]})
	}
	p.Add(scores)
	if anyLink {
		legend.Add("from questionnaire", &plotter.Scatter{GlyphStyle: draw.GlyphStyle{
			Color: legendGrey, Radius: markRadius, Shape: hollow{draw.CircleGlyph{}},
		}})
	}
	if anyBand {
		legend.Add("MCID target", mcidThumb{})
	}

	// The plot's ranges, set after Add (which widens them to the data).
	// At least 4 weeks are shown, so a first visit has room to its right
	// for the MCID bands and the next scores.
	last := max(weeks(d.lastDay()), 4)
	pad := max(0.5, 0.04*last)
	p.X.Min, p.X.Max = -pad, last+pad
	p.Y.Min, p.Y.Max = 0, 100

	// The legend goes right of the plot, its top level with the data's.
	gap := vg.Points(6)
	lw := legend.Rectangle(c).Size().X
	pc := c
	pc.Max.X -= lw + 2*gap

	// Classification labels sit in a strip between the title and the data.
	p.Title.Padding = vg.Points(6)
	if len(d.visits) > 0 {
		labels := newClassLabels(d, weeks, pc, p)
		p.Title.Padding = max(p.Title.Padding, labels.height())
		p.Add(labels)
	}
	p.Draw(pc)

	lc := c
	lc.Min.X = pc.Max.X + gap
	lc.Max.Y = p.DataCanvas(pc).Max.Y
	legend.Draw(lc)
}

// renderEmpty draws the title and NoScores in a box.
func renderEmpty(c draw.Canvas, o Options) {
	c.SetColor(color.White)
	c.Fill(c.Rectangle.Path())
	inset := vg.Points(1)
	box := draw.Crop(c, inset, -inset, inset, -inset)
	box.StrokeLines(draw.LineStyle{Color: gridGrey, Width: vg.Points(1)}, []vg.Point{
		box.Min, {X: box.Max.X, Y: box.Min.Y}, box.Max, {X: box.Min.X, Y: box.Max.Y}, box.Min,
	})
	title := textStyle(sansBold, titleSize)
	title.XAlign, title.YAlign = draw.XCenter, draw.YTop
	c.FillText(title, vg.Point{X: c.Center().X, Y: c.Max.Y - vg.Points(8)}, o.Title)
	msg := textStyle(sans, labelSize+1)
	msg.Color = color.Gray{Y: 0x50}
	msg.XAlign, msg.YAlign = draw.XCenter, draw.YCenter
	c.FillText(msg, vg.Point{X: c.Center().X, Y: c.Center().Y - vg.Points(6)}, NoScores)
}

// weekTicks labels whole weeks, every 1, 2, 4, 8, 12, 26 or 52 weeks (or
// a doubling of 52), whichever gives at most 8 labels.
func weekTicks(lo, hi float64) []plot.Tick {
	span := hi - lo
	step := 1.0
	for _, s := range []float64{1, 2, 4, 8, 12, 26, 52} {
		step = s
		if span/s <= 8 {
			break
		}
	}
	for span/step > 8 {
		step *= 2
	}
	var ticks []plot.Tick
	for v := math.Ceil(lo/step) * step; v <= hi; v += step {
		if v == 0 {
			v = 0 // not -0
		}
		ticks = append(ticks, plot.Tick{Value: v, Label: strconv.FormatFloat(v, 'f', -1, 64)})
	}
	return ticks
}

// scoreTicks labels 0, 20, ... 100, with minor ticks between.
func scoreTicks(_, _ float64) []plot.Tick {
	ticks := make([]plot.Tick, 0, 11)
	for v := 0; v <= 100; v += 10 {
		t := plot.Tick{Value: float64(v)}
		if v%20 == 0 {
			t.Label = strconv.Itoa(v)
		}
		ticks = append(ticks, t)
	}
	return ticks
}

package chart

// Issue 10: small. The timeline's scores are drawn by one layer, so that
// points of the same day that would overlap (an assessment's score and a
// questionnaire's on the same date, or two measures at the same height)
// are set side by side; the MCID target's end mark is an arrow, a shape no
// score uses; and LEFS has a marker of its own, a diamond.

import (
	"cmp"
	"image/color"
	"slices"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// markRadius is the radius of a score's marker.
const markRadius = vg.Length(3)

// markStep is the distance between the centres of same-day markers set
// side by side: two radii and a point between them.
const markStep = 2*markRadius + 1

// A mark is one score as drawn: its measure, its source and its place.
type mark struct {
	m    int  // index in measures
	link bool // from a questionnaire (an open marker)
	x, y float64
}

// scoreLayer draws every measure's line and markers, the markers of one
// day spread apart where they would overlap.
type scoreLayer struct {
	marks []mark // in measures order, each measure's by day
}

func (l *scoreLayer) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	pts := make([]vg.Point, len(l.marks))
	for i, mk := range l.marks {
		pts[i] = vg.Point{X: trX(mk.x), Y: trY(mk.y)}
	}
	dx := spread(pts, 2*markRadius, markStep)
	for i := range pts {
		pts[i].X += dx[i]
	}
	// Lines first, under every marker.
	for start := 0; start < len(l.marks); {
		end := start
		for end < len(l.marks) && l.marks[end].m == l.marks[start].m {
			end++
		}
		ms := &measures[l.marks[start].m]
		sty := draw.LineStyle{Color: ms.color, Width: vg.Points(1.5), Dashes: ms.dashes}
		c.StrokeLines(sty, c.ClipLinesXY(pts[start:end])...)
		start = end
	}
	for i, mk := range l.marks {
		ms := &measures[mk.m]
		sty := draw.GlyphStyle{Color: ms.color, Radius: markRadius, Shape: ms.marker}
		if mk.link {
			sty.Shape = hollow{ms.marker}
		}
		c.DrawGlyph(sty, pts[i])
	}
}

// spread returns the horizontal offset of each point so that points at
// the same x whose centres are less than near apart vertically are set
// side by side, step apart, centred on their x, in the order given. Other
// points keep their place (offset 0).
func spread(pts []vg.Point, near, step vg.Length) []vg.Length {
	dx := make([]vg.Length, len(pts))
	idx := make([]int, len(pts))
	for i := range idx {
		idx[i] = i
	}
	// By x, then y, then input order: a cluster is a run of points at one
	// x, each within near of the one below it.
	slices.SortStableFunc(idx, func(a, b int) int {
		return cmp.Or(cmp.Compare(pts[a].X, pts[b].X), cmp.Compare(pts[a].Y, pts[b].Y))
	})
	for start := 0; start < len(idx); {
		end := start + 1
		for end < len(idx) && pts[idx[end]].X == pts[idx[start]].X && pts[idx[end]].Y-pts[idx[end-1]].Y < near {
			end++
		}
		if n := end - start; n > 1 {
			cluster := slices.Clone(idx[start:end])
			slices.Sort(cluster) // input order, left to right
			for k, i := range cluster {
				dx[i] = (vg.Length(k) - vg.Length(n-1)/2) * step
			}
		}
		start = end
	}
	return dx
}

// arrowGlyph is the MCID target's end mark: an arrow from the target line
// towards the better scores (up for a measure where higher is better).
// No score is drawn as an arrow, so a target is never read as a score.
type arrowGlyph struct{ up bool }

func (a arrowGlyph) DrawGlyph(c *draw.Canvas, sty draw.GlyphStyle, pt vg.Point) {
	r := sty.Radius
	dir := vg.Length(1)
	if !a.up {
		dir = -1
	}
	tip := vg.Point{X: pt.X, Y: pt.Y + dir*2*r}
	c.SetLineStyle(draw.LineStyle{Color: sty.Color, Width: vg.Points(1.2)})
	var stem vg.Path
	stem.Move(pt)
	stem.Line(vg.Point{X: tip.X, Y: tip.Y - dir*r*0.8})
	c.Stroke(stem)
	c.SetColor(sty.Color)
	var head vg.Path
	head.Move(tip)
	head.Line(vg.Point{X: tip.X - r*0.75, Y: tip.Y - dir*r*1.1})
	head.Line(vg.Point{X: tip.X + r*0.75, Y: tip.Y - dir*r*1.1})
	head.Close()
	c.Fill(head)
}

// diamondGlyph is LEFS's marker: a square standing on a corner.
type diamondGlyph struct{}

func (diamondGlyph) DrawGlyph(c *draw.Canvas, sty draw.GlyphStyle, pt vg.Point) {
	r := sty.Radius * 1.2
	var p vg.Path
	p.Move(vg.Point{X: pt.X, Y: pt.Y + r})
	p.Line(vg.Point{X: pt.X + r, Y: pt.Y})
	p.Line(vg.Point{X: pt.X, Y: pt.Y - r})
	p.Line(vg.Point{X: pt.X - r, Y: pt.Y})
	p.Close()
	c.Fill(p)
}

// markerThumb is a legend swatch: a short line in the measure's style
// through its filled marker.
type markerThumb struct{ m *measure }

func (t markerThumb) Thumbnail(c *draw.Canvas) {
	y := c.Center().Y
	c.StrokeLine2(draw.LineStyle{Color: t.m.color, Width: vg.Points(1.5), Dashes: t.m.dashes}, c.Min.X, y, c.Max.X, y)
	c.DrawGlyph(draw.GlyphStyle{Color: t.m.color, Radius: markRadius, Shape: t.m.marker}, c.Center())
}

// legendGrey draws the legend's keys that stand for every measure.
var legendGrey = color.RGBA{R: 0x40, G: 0x40, B: 0x40, A: 0xFF}

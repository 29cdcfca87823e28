package web

import (
	"fmt"
	"html/template"
	"math"
	"strings"
)

// Issue 10: programme. The drawings of the home programme's exercises:
// simple stick figures drawn by tendo (no third-party artwork), one per
// exercise, as inline SVG. Each is a few lines and circles on a 160 × 120
// canvas: the person (head, trunk, arm, legs), the prop (step, chair,
// wall, leg press, floor) and an arrow for the movement.

type pt struct{ x, y float64 }

// figure is a drawing: the person's polylines, the props' polylines, a
// head, and the arrow (from, to).
type figure struct {
	title  string
	head   pt
	body   [][]pt // the person
	props  [][]pt // wall, chair, step...
	arrow  [2]pt  // zero: none
	clock  bool   // a hold: a small clock
	boxes  [][4]float64
	ground bool
}

var figures = map[string]figure{
	"standing-heel-raise": {
		title: "Standing on tiptoe, one hand on the wall, knees straight",
		head:  pt{85, 20},
		body: [][]pt{
			{{85, 28}, {85, 64}, {85, 86}, {85, 100}, {95, 110}}, // trunk, leg, foot on toes
			{{85, 36}, {62, 50}, {45, 48}},                       // arm to the wall
		},
		props: [][]pt{{{44, 25}, {44, 110}}}, arrow: [2]pt{{112, 108}, {112, 88}}, ground: true,
	},
	"seated-heel-raise": {
		title: "Sitting with a weight on the knees, heels lifted",
		head:  pt{55, 18},
		body: [][]pt{
			{{55, 26}, {57, 66}, {95, 66}, {97, 98}, {108, 110}},
			{{56, 36}, {78, 55}, {90, 58}},
		},
		props: [][]pt{{{38, 30}, {38, 110}}, {{38, 70}, {75, 70}, {75, 110}}},
		boxes: [][4]float64{{82, 52, 22, 10}}, arrow: [2]pt{{122, 108}, {122, 88}}, ground: true,
	},
	"leg-press-heel-raise": {
		title: "On the leg press, legs straight, pushing the plate with the balls of the feet",
		head:  pt{28, 46},
		body: [][]pt{
			{{33, 53}, {52, 88}, {92, 78}, {128, 68}, {134, 58}},
			{{40, 64}, {58, 82}},
		},
		props: [][]pt{{{14, 50}, {40, 102}, {70, 102}}, {{138, 36}, {138, 96}}, {{40, 102}, {40, 110}}, {{70, 102}, {70, 110}}},
		arrow: [2]pt{{120, 26}, {146, 26}}, ground: true,
	},
	"eccentric-straight": {
		title: "On the edge of a step, knee straight, lowering the heel below the step",
		head:  pt{100, 16},
		body: [][]pt{
			{{100, 24}, {100, 60}, {100, 80}, {102, 98}, {90, 92}},
			{{100, 32}, {120, 44}, {132, 40}},
		},
		props: [][]pt{{{40, 92}, {92, 92}, {92, 110}}, {{134, 20}, {134, 110}}},
		arrow: [2]pt{{118, 84}, {118, 106}}, ground: true,
	},
	"eccentric-bent": {
		title: "On the edge of a step, knee bent, lowering the heel below the step",
		head:  pt{104, 18},
		body: [][]pt{
			{{104, 26}, {106, 62}, {92, 80}, {102, 98}, {90, 92}},
			{{104, 34}, {122, 46}, {132, 42}},
		},
		props: [][]pt{{{40, 92}, {92, 92}, {92, 110}}, {{134, 20}, {134, 110}}},
		arrow: [2]pt{{118, 84}, {118, 106}}, ground: true,
	},
	"floor-heel-raise": {
		title: "On a flat floor, rising onto the toes and lowering slowly to the floor",
		head:  pt{85, 20},
		body: [][]pt{
			{{85, 28}, {85, 64}, {85, 86}, {85, 102}, {96, 110}},
			{{85, 36}, {62, 50}, {45, 48}},
		},
		props: [][]pt{{{44, 25}, {44, 110}}}, arrow: [2]pt{{112, 88}, {112, 108}}, ground: true,
	},
	"isometric-hold": {
		title: "Standing halfway onto the toes and holding still",
		head:  pt{85, 20},
		body: [][]pt{
			{{85, 28}, {85, 64}, {85, 88}, {85, 104}, {95, 110}},
			{{85, 36}, {62, 50}, {45, 48}},
		},
		props: [][]pt{{{44, 25}, {44, 110}}}, clock: true, ground: true,
	},
	"calf-stretch-straight": {
		title: "Hands on the wall, back leg straight with the heel down, leaning forward",
		head:  pt{112, 26},
		body: [][]pt{
			{{110, 34}, {90, 64}, {68, 88}, {48, 108}, {38, 110}}, // trunk and back leg, straight
			{{90, 64}, {112, 84}, {112, 108}, {122, 110}},         // front leg
			{{108, 40}, {134, 46}},                                // arm to the wall
		},
		props: [][]pt{{{136, 15}, {136, 110}}}, arrow: [2]pt{{86, 28}, {104, 20}}, ground: true,
	},
	"calf-stretch-bent": {
		title: "Hands on the wall, back knee bent with the heel down",
		head:  pt{114, 30},
		body: [][]pt{
			{{112, 38}, {94, 70}, {70, 88}, {62, 108}, {52, 110}},
			{{94, 70}, {114, 88}, {114, 108}, {124, 110}},
			{{110, 44}, {134, 50}},
		},
		props: [][]pt{{{136, 15}, {136, 110}}}, arrow: [2]pt{{70, 74}, {80, 96}}, ground: true,
	},
	"nerve-slider": {
		title: "Sitting, straightening the knee while looking up",
		head:  pt{46, 16},
		body: [][]pt{
			{{48, 24}, {50, 66}, {86, 66}, {120, 58}, {126, 48}}, // leg straightened
			{{50, 66}, {80, 70}, {82, 104}, {92, 110}},           // other leg down
			{{49, 34}, {64, 54}},
		},
		props: [][]pt{{{32, 30}, {32, 110}}, {{32, 72}, {68, 72}, {68, 110}}},
		arrow: [2]pt{{100, 96}, {124, 70}}, ground: true,
	},
	"bridge": {
		title: "Lying on the back, knees bent, lifting the hips",
		head:  pt{20, 100},
		body: [][]pt{
			{{28, 104}, {76, 80}, {104, 70}, {116, 106}, {128, 108}},
			{{36, 102}, {60, 108}},
		},
		arrow: [2]pt{{76, 104}, {76, 86}}, ground: true,
	},
}

func poly(b *strings.Builder, ps []pt, width float64) {
	b.WriteString(`<polyline fill="none" stroke-linecap="round" stroke-linejoin="round" stroke-width="`)
	fmt.Fprintf(b, `%g" points="`, width)
	for i, p := range ps {
		if i > 0 {
			b.WriteByte(' ')
		}
		fmt.Fprintf(b, "%g,%g", p.x, p.y)
	}
	b.WriteString(`"/>`)
}

// exerciseFigure is the SVG drawing of an exercise (an empty string for
// an unknown one).
func exerciseFigure(key string) template.HTML {
	f, ok := figures[key]
	if !ok {
		return ""
	}
	var b strings.Builder
	fmt.Fprintf(&b, `<svg class="exercise-figure" id="figure-%s" viewBox="0 0 160 120" width="160" height="120" role="img" aria-label="%s" xmlns="http://www.w3.org/2000/svg" stroke="currentColor" fill="none">`,
		template.HTMLEscapeString(key), template.HTMLEscapeString(f.title))
	fmt.Fprintf(&b, `<title>%s</title>`, template.HTMLEscapeString(f.title))
	if f.ground {
		poly(&b, []pt{{6, 110}, {154, 110}}, 1.5)
	}
	b.WriteString(`<g stroke="#6b7280">`)
	for _, p := range f.props {
		poly(&b, p, 3)
	}
	for _, r := range f.boxes {
		fmt.Fprintf(&b, `<rect x="%g" y="%g" width="%g" height="%g" fill="#6b7280"/>`, r[0], r[1], r[2], r[3])
	}
	b.WriteString(`</g>`)
	fmt.Fprintf(&b, `<circle cx="%g" cy="%g" r="8" stroke-width="3"/>`, f.head.x, f.head.y)
	for _, p := range f.body {
		poly(&b, p, 4)
	}
	if f.arrow != [2]pt{} {
		a, z := f.arrow[0], f.arrow[1]
		b.WriteString(`<g stroke="#b45309">`)
		poly(&b, []pt{a, z}, 2.5)
		// The head: two short strokes back from z at ±30°.
		dx, dy := z.x-a.x, z.y-a.y
		n := max(1, math.Hypot(dx, dy))
		ux, uy := dx/n, dy/n
		const l, c, s = 7.0, 0.866, 0.5
		poly(&b, []pt{{z.x - l*(ux*c-uy*s), z.y - l*(uy*c+ux*s)}, z, {z.x - l*(ux*c+uy*s), z.y - l*(uy*c-ux*s)}}, 2.5)
		b.WriteString(`</g>`)
	}
	if f.clock {
		b.WriteString(`<g stroke="#b45309"><circle cx="128" cy="40" r="14" stroke-width="2.5"/>`)
		poly(&b, []pt{{128, 30}, {128, 40}, {136, 44}}, 2.5)
		b.WriteString(`</g>`)
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}

func init() { funcs["exerciseFigure"] = exerciseFigure }

package chart

import (
	"fmt"
	"html"
	"strings"
	"time"

	"github.com/tendo-health/tendo"
)

// Issue 10: programme. PainLog draws a home programme's log beside the
// outcome timeline: pain during loading (filled circles) and the next
// morning (open squares), 0–10, by date, with the pain-monitoring
// model's limits (5/10 allowed, 2/10 to progress; Silbernagel 2007). It
// is plain SVG (no plotting library), small enough for a phone.
func PainLog(logs []tendo.ProgrammeLog) []byte {
	const w, h, left, right, top, bottom = 600.0, 220.0, 44.0, 16.0, 14.0, 36.0
	pw, ph := w-left-right, h-top-bottom
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %g %g" width="%g" height="%g" role="img" font-family="sans-serif" font-size="11">`, w, h, w, h)
	b.WriteString(`<title>Home programme pain log: pain during loading and the next morning, 0 to 10</title>`)
	y := func(v float64) float64 { return top + ph*(1-v/10) }
	for _, v := range []float64{0, 2, 5, 10} {
		fmt.Fprintf(&b, `<text x="%g" y="%g" text-anchor="end">%g</text>`, left-6, y(v)+4, v)
	}
	fmt.Fprintf(&b, `<line x1="%g" y1="%g" x2="%g" y2="%g" stroke="#b91c1c" stroke-dasharray="6 4"/>`, left, y(5), w-right, y(5))
	fmt.Fprintf(&b, `<text x="%g" y="%g" text-anchor="end" fill="#b91c1c">limit 5/10</text>`, w-right, y(5)-4)
	fmt.Fprintf(&b, `<line x1="%g" y1="%g" x2="%g" y2="%g" stroke="#15803d" stroke-dasharray="2 4"/>`, left, y(2), w-right, y(2))
	fmt.Fprintf(&b, `<text x="%g" y="%g" text-anchor="end" fill="#15803d">progress at 2/10 or less</text>`, w-right, y(2)-4)
	fmt.Fprintf(&b, `<rect x="%g" y="%g" width="%g" height="%g" fill="none" stroke="#9ca3af"/>`, left, top, pw, ph)
	var days []time.Time
	for _, l := range logs {
		if d, err := time.Parse(time.DateOnly, l.Date); err == nil {
			days = append(days, d)
		}
	}
	if len(days) == 0 {
		fmt.Fprintf(&b, `<text x="%g" y="%g" text-anchor="middle">No sessions logged yet</text></svg>`, left+pw/2, top+ph/2)
		return []byte(b.String())
	}
	first, last := days[0], days[len(days)-1]
	span := max(last.Sub(first).Hours()/24, 1)
	x := func(d time.Time) float64 { return left + 10 + (pw-20)*d.Sub(first).Hours()/24/span }
	fmt.Fprintf(&b, `<text x="%g" y="%g">%s</text>`, left, h-12, first.Format(time.DateOnly))
	fmt.Fprintf(&b, `<text x="%g" y="%g" text-anchor="end">%s</text>`, w-right, h-12, last.Format(time.DateOnly))
	var during, morning []string
	for i, l := range logs {
		if i >= len(days) {
			break
		}
		d, err := time.Parse(time.DateOnly, l.Date)
		if err != nil {
			continue
		}
		px := x(d)
		during = append(during, fmt.Sprintf("%.1f,%.1f", px, y(float64(l.During))))
		fmt.Fprintf(&b, `<circle cx="%.1f" cy="%.1f" r="4.5" fill="#1d4ed8"><title>%s: during %d/10</title></circle>`, px, y(float64(l.During)), html.EscapeString(l.Date), l.During)
		if l.Morning != nil {
			m := float64(*l.Morning)
			morning = append(morning, fmt.Sprintf("%.1f,%.1f", px, y(m)))
			fmt.Fprintf(&b, `<rect x="%.1f" y="%.1f" width="8" height="8" fill="#fff" stroke="#7c3aed" stroke-width="2"><title>%s: next morning %d/10</title></rect>`, px-4, y(m)-4, html.EscapeString(l.Date), *l.Morning)
		}
	}
	if len(during) > 1 {
		fmt.Fprintf(&b, `<polyline fill="none" stroke="#1d4ed8" points="%s"/>`, strings.Join(during, " "))
	}
	if len(morning) > 1 {
		fmt.Fprintf(&b, `<polyline fill="none" stroke="#7c3aed" stroke-dasharray="4 3" points="%s"/>`, strings.Join(morning, " "))
	}
	fmt.Fprintf(&b, `<circle cx="%g" cy="%g" r="4.5" fill="#1d4ed8"/><text x="%g" y="%g">during</text>`, left+150, h-16, left+158, h-12)
	fmt.Fprintf(&b, `<rect x="%g" y="%g" width="8" height="8" fill="#fff" stroke="#7c3aed" stroke-width="2"/><text x="%g" y="%g">next morning</text>`, left+220, h-20, left+232, h-12)
	b.WriteString(`</svg>`)
	return []byte(b.String())
}

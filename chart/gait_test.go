package chart_test

import (
	"bytes"
	"image/png"
	"math"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/tendo-health/tendo"
	"github.com/tendo-health/tendo/chart"
	"github.com/tendo-health/tendo/internal/golden"
)

// cycle returns 101 values f(x) for x = 0, 1, ... 100 (% of the cycle),
// nil where gap reports true.
func cycle(f func(x float64) float64, gap func(x float64) bool) []*float64 {
	v := make([]*float64, 101)
	for i := range v {
		x := float64(i)
		if gap == nil || !gap(x) {
			v[i] = f64(f(x))
		}
	}
	return v
}

// band returns 101 values f(x) ± half.
func band(f func(x float64) float64, half float64) (lo, hi []float64) {
	lo, hi = make([]float64, 101), make([]float64, 101)
	for i := range lo {
		y := f(float64(i))
		lo[i], hi[i] = y-half, y+half
	}
	return lo, hi
}

// bump is a half sine from a to b % of the cycle, zero elsewhere.
func bump(x, a, b float64) float64 {
	if x < a || x > b {
		return 0
	}
	return math.Sin(math.Pi * (x - a) / (b - a))
}

// Synthetic curves: simple shapes, not real gait data.
func vertForce(x float64) float64 { return 10 * (bump(x, 0, 30) + bump(x, 30, 60)) }
func ankleMom(x float64) float64  { return 1.5*bump(x, 5, 60) - 0.1*bump(x, 0, 8) }
func achilles(x float64) float64  { return 4 * bump(x, 10, 60) }

// gaitReport is the golden figure's report: curves given out of order, a
// gap in the left vertical force, bands on two keys from two sources.
func gaitReport() *tendo.GaitReport {
	vLo, vHi := band(vertForce, 1)
	aLo, aHi := band(ankleMom, 0.2)
	return &tendo.GaitReport{
		File: "walk_01.c3d",
		Curves: []tendo.GaitCurve{
			{Key: "achilles-force", Label: "Achilles tendon force", Side: "right", Unit: "BW",
				Values: cycle(func(x float64) float64 { return achilles(x) }, nil)},
			{Key: "achilles-force", Label: "Achilles tendon force", Side: "left", Unit: "BW",
				Values: cycle(func(x float64) float64 { return 0.8 * achilles(x) }, nil)},
			{Key: "vertical-force", Label: "Vertical force", Side: "right", Unit: "N/kg",
				Values: cycle(vertForce, nil), Low: vLo, High: vHi, BandSource: "Winter 2009, normal walking"},
			{Key: "vertical-force", Label: "Vertical force", Side: "left", Unit: "N/kg",
				Values: cycle(func(x float64) float64 { return 0.9 * vertForce(x+2) }, func(x float64) bool { return x >= 40 && x < 48 }),
				Low:    vLo, High: vHi, BandSource: "Winter 2009, normal walking"},
			{Key: "ankle-moment", Label: "Ankle moment", Side: "right", Unit: "N·m/kg",
				Values: cycle(ankleMom, nil), Low: aLo, High: aHi, BandSource: "Estimate: ±0.2 N·m/kg around the mean"},
			{Key: "ankle-moment", Label: "Ankle moment", Side: "left", Unit: "N·m/kg",
				Values: cycle(func(x float64) float64 { return 0.85 * ankleMom(x) }, nil), Low: aLo, High: aHi,
				BandSource: "Estimate: ±0.2 N·m/kg around the mean"},
		},
	}
}

func gaitCycles(t testing.TB, r *tendo.GaitReport, format string) []byte {
	t.Helper()
	out, err := chart.GaitCycles(r, format)
	if err != nil {
		t.Fatalf("GaitCycles(%s): %v", format, err)
	}
	return out
}

// TestGaitCycles_Golden compares the figure with testdata/gait-cycles.svg
// (run with -update to rewrite it), checks its texts, their order, and
// that drawing twice gives the same bytes.
func TestGaitCycles_Golden(t *testing.T) {
	t.Parallel()
	got := gaitCycles(t, gaitReport(), "svg")
	if again := gaitCycles(t, gaitReport(), "svg"); !bytes.Equal(got, again) {
		t.Error("two renderings differ")
	}
	texts := svgTexts(t, got)
	for _, w := range []string{"Gait cycle: walk_01.c3d", "Gait cycle (%)", "Vertical force (N/kg)", "Ankle moment (N·m/kg)",
		"Achilles tendon force (BW)", "Right", "Left", "Reference band",
		"Reference bands: Winter 2009, normal walking; Estimate: ±0.2 N·m/kg around the mean"} {
		if !containsText(texts, w) {
			t.Errorf("no text %q; texts: %q", w, texts)
		}
	}
	// Panels top to bottom: vertical force, ankle moment, Achilles force.
	s := string(got)
	v, a, f := strings.Index(s, ">Vertical force"), strings.Index(s, ">Ankle moment"), strings.Index(s, ">Achilles tendon force")
	if v < 0 || a < 0 || f < 0 || !(v < a && a < f) {
		t.Errorf("panel order: vertical force at %d, ankle moment at %d, Achilles force at %d", v, a, f)
	}
	if !strings.Contains(s, "font-family:Liberation Sans,Arial,Helvetica,sans-serif;") {
		t.Error("font family without fallbacks")
	}
	golden.CheckFunc(t, filepath.Join("testdata", "gait-cycles.svg"), got, sameSVG)
}

var svgSizeRE = regexp.MustCompile(`width="([0-9.]+)pt" height="([0-9.]+)pt"`)

// TestGaitCycles_PNG checks that the PNG decodes, 720 px wide, as tall as
// the SVG at 96 dpi, and is deterministic.
func TestGaitCycles_PNG(t *testing.T) {
	t.Parallel()
	out := gaitCycles(t, gaitReport(), "png")
	if !bytes.HasPrefix(out, []byte("\x89PNG\r\n\x1a\n")) {
		t.Fatalf("no PNG signature: % x", out[:min(8, len(out))])
	}
	img, err := png.Decode(bytes.NewReader(out))
	if err != nil {
		t.Fatalf("decode: %v", err)
	}
	svg := string(gaitCycles(t, gaitReport(), "svg"))
	m := svgSizeRE.FindStringSubmatch(svg)
	if m == nil {
		t.Fatalf("no size in %.200s", svg)
	}
	wPt, _ := strconv.ParseFloat(m[1], 64)
	hPt, _ := strconv.ParseFloat(m[2], 64)
	wantW, wantH := int(wPt*96/72+0.5), int(hPt*96/72+0.5)
	if b := img.Bounds(); b.Dx() != wantW || b.Dy() != wantH || wantW != 720 {
		t.Errorf("PNG is %d×%d px, want %d×%d (720 wide)", b.Dx(), b.Dy(), wantW, wantH)
	}
	if again := gaitCycles(t, gaitReport(), "png"); !bytes.Equal(out, again) {
		t.Error("two PNG renderings differ")
	}
}

// TestGaitCycles_Panels checks which panels and legend entries a report
// gives.
func TestGaitCycles_Panels(t *testing.T) {
	t.Parallel()
	flat := func(float64) float64 { return 2 }
	tests := []struct {
		name          string
		curves        []tendo.GaitCurve
		want, notWant []string
	}{
		{
			"one key, right only, no band",
			[]tendo.GaitCurve{{Key: "ankle-moment", Label: "Ankle moment", Side: "right", Unit: "N·m/kg", Values: cycle(ankleMom, nil)}},
			[]string{"Ankle moment (N·m/kg)", "Right", "Gait cycle (%)"},
			[]string{"Left", "Reference band", "Vertical force (N/kg)"},
		},
		{
			"side not computed",
			[]tendo.GaitCurve{
				{Key: "achilles-force", Label: "Achilles force", Side: "right", Unit: "BW", Values: cycle(achilles, nil)},
				{Key: "achilles-force", Label: "Achilles force", Side: "left", Unit: "BW", Values: make([]*float64, 101)},
			},
			[]string{"Right", "Left (not computed)"}, []string{"Left"},
		},
		{
			"nothing computed, no label, unknown key",
			[]tendo.GaitCurve{
				{Key: "knee-angle", Side: "left"},
				{Key: "hip-angle", Label: "Hip", Side: "right", Values: cycle(flat, nil)},
			},
			[]string{"knee-angle", "Hip", "Left (not computed)", "Right"}, nil,
		},
		{
			"band without source, control characters",
			[]tendo.GaitCurve{{Key: "vertical-force", Label: "F\x00z", Side: "left", Unit: "N", Values: cycle(flat, nil),
				Low: []float64{1, 1}, High: []float64{3, 3}}},
			[]string{"Fz (N)", "Left", "Reference band"}, []string{"Reference band: "},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			texts := svgTexts(t, gaitCycles(t, &tendo.GaitReport{Curves: tt.curves}, "svg"))
			if !containsText(texts, "Gait cycle") {
				t.Errorf("no title %q; texts %q", "Gait cycle", texts)
			}
			for _, w := range tt.want {
				if !containsText(texts, w) {
					t.Errorf("no text %q; texts: %q", w, texts)
				}
			}
			for _, w := range tt.notWant {
				for _, s := range texts {
					if s == w || (strings.HasSuffix(w, " ") && strings.HasPrefix(s, w)) {
						t.Errorf("unexpected text %q", s)
					}
				}
			}
		})
	}
}

func TestGaitCycles_Errors(t *testing.T) {
	t.Parallel()
	ok := gaitReport()
	curve := func(c tendo.GaitCurve) *tendo.GaitReport { return &tendo.GaitReport{Curves: []tendo.GaitCurve{c}} }
	var many []tendo.GaitCurve
	for _, k := range "abcdefg" {
		many = append(many, tendo.GaitCurve{Key: string(k), Side: "left"})
	}
	tests := []struct {
		name   string
		r      *tendo.GaitReport
		format string
		want   string
	}{
		{"unknown format", ok, "pdf", `chart: unknown format "pdf" (want "svg" or "png")`},
		{"format case", ok, "SVG", `unknown format "SVG"`},
		{"empty format", ok, "", `unknown format ""`},
		{"no curves", &tendo.GaitReport{File: "x.c3d"}, "svg", "nothing to plot"},
		{"nil report", nil, "png", "nothing to plot"},
		{"bad side", curve(tendo.GaitCurve{Key: "ankle-moment", Side: "both"}), "svg",
			`chart: gait curve 0 (ankle-moment, both): side is not "left" or "right"`},
		{"one value", curve(tendo.GaitCurve{Key: "ankle-moment", Side: "left", Values: []*float64{f64(1)}}), "svg", "one value"},
		{"band lengths", curve(tendo.GaitCurve{Key: "k", Side: "left", Low: []float64{1, 2}, High: []float64{3}}), "svg",
			"band has 2 low and 1 high values"},
		{"band half missing", curve(tendo.GaitCurve{Key: "k", Side: "left", Low: []float64{1, 2}}), "svg", "band has 2 low and 0 high"},
		{"band NaN", curve(tendo.GaitCurve{Key: "k", Side: "left", Low: []float64{1, math.NaN()}, High: []float64{3, 3}}), "svg",
			"band value 1 is not finite"},
		{"too many keys", &tendo.GaitReport{Curves: many}, "svg", "7 kinds of curve, more than 6"},
	}
	for _, tt := range tests {
		out, err := chart.GaitCycles(tt.r, tt.format)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: err = %v, want %q", tt.name, err, tt.want)
		}
		if out != nil {
			t.Errorf("%s: %d bytes with an error", tt.name, len(out))
		}
	}
}

// TestGaitCycles_NotFinite draws values that are NaN or infinite as gaps.
func TestGaitCycles_NotFinite(t *testing.T) {
	t.Parallel()
	v := cycle(vertForce, nil)
	v[10], v[11], v[50] = f64(math.NaN()), f64(math.Inf(1)), f64(math.Inf(-1))
	r := &tendo.GaitReport{Curves: []tendo.GaitCurve{{Key: "vertical-force", Label: "F", Side: "right", Values: v}}}
	svg := gaitCycles(t, r, "svg")
	if bytes.Contains(svg, []byte("NaN")) || bytes.Contains(svg, []byte("Inf")) {
		t.Error("SVG has NaN or Inf")
	}
}

// BenchmarkGaitCycles draws the golden report's six curves.
func BenchmarkGaitCycles(b *testing.B) {
	r := gaitReport()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := chart.GaitCycles(r, "svg"); err != nil {
			b.Fatal(err)
		}
	}
}

package chart

import (
	"reflect"
	"slices"
	"testing"

	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/tendo-health/tendo"
)

// TestSpread checks that markers of one day that would overlap are set
// side by side, centred on their date, in the order given, and that
// markers of other days or far apart keep their place (issue 10: small).
func TestSpread(t *testing.T) {
	t.Parallel()
	const near, step = 6, 7
	tests := []struct {
		name string
		pts  []vg.Point
		want []vg.Length
	}{
		{"one point", []vg.Point{{X: 10, Y: 10}}, []vg.Length{0}},
		{"two days", []vg.Point{{X: 10, Y: 10}, {X: 20, Y: 10}}, []vg.Length{0, 0}},
		{"same day far apart", []vg.Point{{X: 10, Y: 10}, {X: 10, Y: 40}}, []vg.Length{0, 0}},
		{"same day, same score", []vg.Point{{X: 10, Y: 10}, {X: 10, Y: 10}}, []vg.Length{-3.5, 3.5}},
		{"same day, close scores", []vg.Point{{X: 10, Y: 14}, {X: 10, Y: 10}}, []vg.Length{-3.5, 3.5}},
		{"three in a chain", []vg.Point{{X: 10, Y: 10}, {X: 10, Y: 15}, {X: 10, Y: 20}}, []vg.Length{-7, 0, 7}},
		{"two clusters on one day", []vg.Point{{X: 10, Y: 10}, {X: 10, Y: 50}, {X: 10, Y: 11}, {X: 10, Y: 50}}, []vg.Length{-3.5, -3.5, 3.5, 3.5}},
		{"just far enough", []vg.Point{{X: 10, Y: 10}, {X: 10, Y: 16}}, []vg.Length{0, 0}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := spread(tt.pts, near, step); !slices.Equal(got, tt.want) {
				t.Errorf("spread = %v, want %v", got, tt.want)
			}
		})
	}
}

// TestMarkerShapes checks that every measure has its own marker shape,
// and that the MCID target's mark is none of them, filled or open.
func TestMarkerShapes(t *testing.T) {
	t.Parallel()
	seen := map[reflect.Type]string{}
	for _, m := range measures {
		typ := reflect.TypeOf(m.marker)
		if other, dup := seen[typ]; dup {
			t.Errorf("%s and %s share the marker %v", m.instrument, other, typ)
		}
		seen[typ] = string(m.instrument)
	}
	var target draw.GlyphDrawer = arrowGlyph{}
	if _, dup := seen[reflect.TypeOf(target)]; dup {
		t.Errorf("the target's arrow is a score's marker")
	}
	if reflect.TypeOf(target) == reflect.TypeOf(hollow{}) {
		t.Errorf("the target's mark is an open marker, as a questionnaire's score is")
	}
	if i := measureIndex(tendo.InstrumentLEFS); i < 0 {
		t.Error("LEFS is not drawn")
	} else if top := tendo.LEFSMax * measures[i].scale; top != 100 {
		t.Errorf("LEFS %d is drawn at %v, want 100", tendo.LEFSMax, top)
	}
}

package web

import (
	"encoding/xml"
	"strings"
	"testing"

	"github.com/tendo-health/tendo"
)

// TestExerciseFigures: every exercise of every protocol and home element
// has its own drawing, well-formed SVG with a title, and every drawing
// is used.
func TestExerciseFigures(t *testing.T) {
	t.Parallel()
	used := map[string]bool{}
	var exercises []tendo.Exercise
	for _, p := range tendo.Protocols {
		exercises = append(exercises, p.Exercises...)
	}
	for _, e := range tendo.HomeElements {
		exercises = append(exercises, e.Exercises...)
	}
	for _, ex := range exercises {
		t.Run(ex.ID, func(t *testing.T) {
			svg := string(exerciseFigure(ex.Figure))
			if svg == "" {
				t.Fatalf("no drawing %q", ex.Figure)
			}
			if err := xml.Unmarshal([]byte(svg), new(struct{})); err != nil {
				t.Errorf("drawing %q is not well-formed: %v", ex.Figure, err)
			}
			if !strings.Contains(svg, "<title>") || !strings.Contains(svg, `role="img"`) {
				t.Errorf("drawing %q has no title or role", ex.Figure)
			}
		})
		used[ex.Figure] = true
	}
	for k := range figures {
		if !used[k] {
			t.Errorf("drawing %q is used by no exercise", k)
		}
	}
	if exerciseFigure("no-such") != "" {
		t.Error("an unknown figure draws something")
	}
}

package chart_test

import (
	"testing"

	"github.com/tendo-health/tendo/internal/deptest"
)

// TestDependencies keeps chart an adapter of gonum/plot: the domain root,
// plot and what plot itself needs (fonts, LaTeX text, the SVG, PDF and
// raster back ends), and no other tendo package.
func TestDependencies(t *testing.T) {
	t.Parallel()
	deptest.Check(t, deptest.Module+"/chart", deptest.Module,
		"gonum.org/v1/plot/...", "gonum.org/v1/plot",
		"codeberg.org/go-fonts/...", "codeberg.org/go-latex/...", "codeberg.org/go-pdf/fpdf",
		"git.sr.ht/~sbinet/gg", "github.com/ajstarks/svgo", "github.com/golang/freetype/...",
		"golang.org/x/image/...", "golang.org/x/text/...")
}

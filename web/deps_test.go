package web_test

import (
	"testing"

	"github.com/tendo-health/tendo/internal/deptest"
)

// TestDependencies keeps web an adapter: it reaches the clinic's data and
// rules only through the services (clinic) and renders with report and
// chart; it never imports a database driver (sqlstore), the reasoning
// engine (assess, kb, bn) or the command.
func TestDependencies(t *testing.T) {
	t.Parallel()
	m := deptest.Module
	deptest.Check(t, m+"/web", m, m+"/clinic", m+"/intake", m+"/report", m+"/chart", m+"/questionnaire", m+"/passwd",
		"gonum.org/v1/plot/...", "gonum.org/v1/plot",
		"codeberg.org/go-fonts/...", "codeberg.org/go-latex/...", "codeberg.org/go-pdf/fpdf",
		"git.sr.ht/~sbinet/gg", "github.com/ajstarks/svgo", "github.com/golang/freetype/...",
		"golang.org/x/image/...", "golang.org/x/text/...", "golang.org/x/crypto/...", "golang.org/x/sys/...",
		"go.yaml.in/yaml/v3",
		"rsc.io/qr", "rsc.io/qr/...", // issue 10: questionnaires (the link's QR code)
		m+"/smart", m+"/fhir", "golang.org/x/oauth2", "golang.org/x/oauth2/...", // issue 11: smart (the EHR launch)
		m+"/fhirmap", // issue 11: fhir-import
		// issue 11: cds-clinic: the CDS Hooks service
		m+"/cdshooks", "github.com/go-jose/go-jose/v4", "github.com/go-jose/go-jose/v4/...",
		// end issue 11: cds-clinic
	)
}

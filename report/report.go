package report

import (
	"bufio"
	"embed"
	"fmt"
	"html/template"
	"io"
	"math"
	"strings"

	"github.com/tendo-health/tendo"
)

//go:embed templates/*.html templates/*.css
var files embed.FS

// Stylesheet returns the report's CSS (the web application serves it as a
// file; the standalone report inlines it).
func Stylesheet() string {
	b, _ := files.ReadFile("templates/report.css")
	return string(b)
}

var funcs = template.FuncMap{
	"pct":   func(p float64) string { return fmt.Sprintf("%.0f%%", 100*p) },
	"barW":  func(p float64) string { return fmt.Sprintf("%.1f", 200*math.Max(0, math.Min(1, p))) },
	"lr":    lrText,
	"dir":   direction,
	"title": classTitle,
	"upper": strings.ToUpper,
	"num":   func(x float64) string { return trimFloat(x) },
	"deref": func(p *float64) float64 {
		if p == nil {
			return 0
		}
		return *p
	},
	"css":  func() template.CSS { return template.CSS(Stylesheet()) },
	"list": func(xs ...*tendo.Score) []*tendo.Score { return xs },
}

// NewTemplates parses the report's templates afresh (the web application
// adds its pages to the set and reuses the "body" template inside them).
func NewTemplates() (*template.Template, error) {
	return template.New("").Funcs(funcs).ParseFS(files, "templates/*.html")
}

var templates = template.Must(NewTemplates())

// HTML writes a standalone printable HTML page for the result.
func HTML(w io.Writer, res *tendo.Result) error {
	return templates.ExecuteTemplate(w, "page", res)
}

func trimFloat(x float64) string {
	s := fmt.Sprintf("%.1f", x)
	return strings.TrimSuffix(s, ".0")
}

// lrText shows a likelihood ratio compactly: "×4.2", "÷3.1", or "—".
func lrText(e tendo.Effect) string {
	switch {
	case math.Abs(e.LogOdds) < 0.05:
		return "—"
	case e.LogOdds > 0:
		return "×" + ratio(math.Exp(e.LogOdds))
	default:
		return "÷" + ratio(math.Exp(-e.LogOdds))
	}
}

func ratio(x float64) string {
	switch {
	case x >= 1000:
		return ">999"
	case x >= 10:
		return fmt.Sprintf("%.0f", x)
	}
	return fmt.Sprintf("%.1f", x)
}

// direction is "up", "down" or "flat" for CSS classes.
func direction(e tendo.Effect) string {
	switch {
	case e.LogOdds >= 0.05:
		return "up"
	case e.LogOdds <= -0.05:
		return "down"
	}
	return "flat"
}

func classTitle(c tendo.Classification) string {
	switch c {
	case tendo.UrgentReferral:
		return "Urgent referral"
	case tendo.LocalTendinopathy:
		return "Local Achilles tendinopathy"
	case tendo.LumbarReferred:
		return "Referred from the lumbar spine (S1)"
	case tendo.Mixed:
		return "Mixed: tendon and lumbar spine (kinetic chain)"
	case tendo.OtherCause:
		return "Another cause is likely"
	}
	return "Uncertain: more tests needed"
}

// Text writes the result for a terminal.
func Text(w io.Writer, res *tendo.Result) error {
	b := bufio.NewWriter(w)
	p := func(format string, args ...any) { fmt.Fprintf(b, format, args...) }
	rule := strings.Repeat("─", 72)
	p("tendo assessment %s", res.ID)
	if res.Date != "" {
		p(" (%s)", res.Date)
	}
	p("\nmodel %s\n%s\n\n", res.ModelVersion, rule)
	if len(res.RedFlags) > 0 {
		p("!! RED FLAGS\n")
		for _, f := range res.RedFlags {
			p("!! %s [%s]: %s\n   Action: %s\n   Source: %s\n", strings.ToUpper(f.Code), f.Urgency, f.Reason, f.Action, f.Source)
		}
		p("\n")
	}
	p("CONCLUSION  %s\n", classTitle(res.Classification))
	if res.TendinopathySite != nil {
		p("            site: %s\n", *res.TendinopathySite)
	}
	p("            %s\n\n", res.ClassificationReason)
	pr := res.Probabilities
	p("PROBABILITIES\n")
	bar := func(label string, x float64) {
		n := int(math.Round(30 * x))
		p("  %-36s %4.0f%%  %s%s\n", label, 100*x, strings.Repeat("█", n), strings.Repeat("·", 30-n))
	}
	bar("Achilles tendinopathy", pr.AchillesTendinopathy)
	bar("  midportion", pr.MidportionTendinopathy)
	bar("  insertional", pr.InsertionalTendinopathy)
	bar("S1 radiculopathy", pr.S1Radiculopathy)
	bar("Lumbar contribution", pr.LumbarContribution)
	bar("  compensatory gait (biomechanical)", pr.CompensatoryGait)
	bar("Achilles rupture", pr.AchillesRupture)
	bar("Another heel condition", pr.OtherHeelPathology)
	p("\n")
	if s := res.Scores; s.VISAA != nil || s.ODI != nil || s.NPRS != nil || s.LEFS != nil {
		p("SCORES\n")
		for _, sc := range []*tendo.Score{s.VISAA, s.ODI, s.NPRS, s.LEFS} {
			if sc == nil {
				continue
			}
			p("  %-7s %5s / %-4s %-30s MCID %s\n", sc.Name, trimFloat(sc.Rounded), trimFloat(sc.Max), sc.Band+" ("+sc.BandRange+")", mcid(sc))
		}
		p("\n")
	}
	if len(res.Explanation) > 0 {
		p("WHAT MOVED THE PROBABILITIES (likelihood ratio in context)\n")
		p("  %-36s %-16s %7s %7s %7s %7s\n", "finding", "value", "tendon", "S1", "lumbar", "rupture")
		for i, x := range res.Explanation {
			if i == 15 {
				p("  … and %d more findings with smaller effects\n", len(res.Explanation)-15)
				break
			}
			e := x.Effects
			p("  %-36s %-16s %7s %7s %7s %7s\n", clip(x.Label, 36), clip(x.Value, 16), lrText(e.AchillesTendinopathy), lrText(e.S1Radiculopathy), lrText(e.LumbarContribution), lrText(e.AchillesRupture))
		}
		p("\n")
	}
	if len(res.NextTests) > 0 {
		p("NEXT TESTS (most informative first)\n")
		for _, t := range res.NextTests {
			p("  %-36s %.2f bits  %s\n", t.Label, t.Bits, clip(t.Why, 80))
		}
		p("\n")
	}
	p("PLAN  %s\n", res.Plan.Summary)
	for _, it := range res.Plan.Referral {
		p("\n  > %s\n", it.Title)
		p("    %s\n", it.Dosage)
	}
	for _, ph := range res.Plan.Phases {
		if len(ph.Components) == 0 {
			continue
		}
		p("\n  %s (%s): %s\n", strings.ToUpper(ph.Title), ph.Weeks, ph.Goal)
		for _, c := range ph.Components {
			p("   • %s\n", c.Title)
			if c.Dosage != "" {
				p("     Dose: %s\n", c.Dosage)
			}
			if c.Progression != "" {
				p("     Progress: %s\n", c.Progression)
			}
			p("     Why: %s [%s]\n", c.Rationale, c.Source)
		}
	}
	if len(res.Plan.Differentials) > 0 {
		p("\n  Consider: %s\n", strings.Join(res.Plan.Differentials, "; "))
	}
	p("\n  REVIEW  %s\n", res.Plan.Reassessment.Schedule)
	for _, t := range res.Plan.Reassessment.Targets {
		base := ""
		if t.Baseline != nil {
			base = "now " + trimFloat(*t.Baseline) + ", "
		}
		p("   • %s: %starget %s by %s [%s]\n", t.Measure, base, t.Target, t.By, t.Source)
	}
	for _, n := range res.Notes {
		p("\nNote: %s", n)
	}
	if len(res.Notes) > 0 {
		p("\n")
	}
	p("\n%s\n%s\n", rule, res.Disclaimer)
	return b.Flush()
}

func mcid(s *tendo.Score) string {
	m := trimFloat(s.MCID) + " points"
	if s.MCIDPercent > 0 {
		m += fmt.Sprintf(" or %g%%", s.MCIDPercent)
	}
	return m
}

func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

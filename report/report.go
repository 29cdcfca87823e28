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
	"title": resultTitle,
	"upper": strings.ToUpper,
	"num":   func(x float64) string { return trimFloat(x) },
	"deref": func(p *float64) float64 {
		if p == nil {
			return 0
		}
		return *p
	},
	"css": func() template.CSS { return template.CSS(Stylesheet()) },
	// issue 10: report: the document's own page style, and how many
	// findings and next tests a printed page lists.
	"pageStyle":       func(d Document) template.CSS { return template.CSS(PageStyle(d)) },
	"printedFindings": func() int { return printedFindings },
	"printedTests":    func() int { return printedTests },
	"beyond":          func(n, k int) int { return max(0, n-k) },
	"list":            func(xs ...*tendo.Score) []*tendo.Score { return xs },
	"probs":           probRows,
	"differential":    differentialRows,
	"hasRanges":       hasRanges,
	"v11":             v11,
	"nerveRoot":       nerveRoot,
	"leading":         leading,
	"noDifferential":  func() string { return noDifferential },
	"ciX":             func(r tendo.Range) string { return fmt.Sprintf("%.1f", 200*clamp01(r[0])) },
	"ciW":             func(r tendo.Range) string { return fmt.Sprintf("%.1f", 200*max(0, clamp01(r[1])-clamp01(r[0]))) },
	// issue 10: safety
	"flagName": tendo.RedFlagName,
	"site":     siteLine,
	"headSite": headSite,
	"reason":   reasonText,
	"safePlan": safePlan,
}

// issue 10: safety. The headline (title) never carries a tendon site
// under an urgent referral: the site goes on a line of its own, saying
// that it waits for the referral. Reasons are in words: a stored result
// from an older model may name a red flag by its code in brackets, which
// is dropped. The plan is shown as tendo.SafePlan leaves it beside the
// red flags.

// headSite is the site the headline carries after the classification:
// the tendinopathy site, but never under an urgent referral.
func headSite(res *tendo.Result) string {
	if res.TendinopathySite == nil || res.Classification == tendo.UrgentReferral {
		return ""
	}
	return *res.TendinopathySite
}

// siteLine is the line under an urgent referral's headline that keeps
// the tendinopathy site, "" when there is none or the headline has it.
func siteLine(res *tendo.Result) string {
	if res.TendinopathySite == nil || res.Classification != tendo.UrgentReferral {
		return ""
	}
	return "Tendinopathy site, to consider once the red flag is dealt with: " + *res.TendinopathySite + "."
}

// reasonText is the classification's reason in words: a red-flag code in
// brackets (from a result stored by an older model) is left out.
func reasonText(res *tendo.Result) string {
	r := res.ClassificationReason
	for _, f := range tendo.RedFlagInfos() {
		r = strings.ReplaceAll(r, " ("+f.Code+")", "")
		r = strings.ReplaceAll(r, "("+f.Code+")", "")
	}
	for _, f := range res.RedFlags {
		r = strings.ReplaceAll(r, " ("+f.Code+")", "")
	}
	return r
}

// planView is the plan as the report shows it, and why some of it is
// left out ("" when nothing is).
type planView struct {
	tendo.Plan
	Why string
}

func safePlan(res *tendo.Result) planView {
	p, why := tendo.SafePlan(res)
	return planView{p, why}
}

// A printed report lists the findings with the largest effects and the
// most useful next tests; the page on screen lists them all.
const (
	printedFindings = 10
	printedTests    = 4
)

// NewTemplates parses the report's templates afresh (the web application
// adds its pages to the set and reuses the "body" template inside them).
func NewTemplates() (*template.Template, error) {
	return template.New("").Funcs(funcs).ParseFS(files, "templates/*.html")
}

var templates = template.Must(NewTemplates())

// HTML writes a standalone printable HTML page for the result alone: its
// header holds the result's id and date (Print writes a whole document).
func HTML(w io.Writer, res *tendo.Result) error {
	return Print(w, Document{Result: res})
}

func clamp01(x float64) float64 { return math.Max(0, math.Min(1, x)) }

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

// resultTitle is the classification's title; for a v1.1 result referred
// from the lumbar spine it names the nerve root the result names (L4, L5
// or S1), or none.
func resultTitle(res *tendo.Result) string {
	if res.Classification == tendo.LumbarReferred && v11(res) {
		if res.NerveRoot == nil {
			return "Referred from the lumbar spine"
		}
		return "Referred from the lumbar spine (" + *res.NerveRoot + ")"
	}
	return classTitle(res.Classification)
}

// Text writes the result for a terminal.
func Text(w io.Writer, res *tendo.Result) error {
	return WriteText(w, Document{Result: res})
}

// WriteText writes the document for a terminal: the header (the side of
// the symptoms, when known), the findings, then the result.
func WriteText(w io.Writer, d Document) error {
	res := d.Result
	b := bufio.NewWriter(w)
	p := func(format string, args ...any) { fmt.Fprintf(b, format, args...) }
	rule := strings.Repeat("─", 72)
	p("tendo assessment %s", res.ID)
	if res.Date != "" {
		p(" (%s)", res.Date)
	}
	p("\nmodel %s\n", res.ModelVersion)
	// issue 10: report: the header and the findings.
	for _, kv := range [][2]string{
		{"patient", d.Header.Patient}, {"born", d.Header.Born}, {"identifier", d.Header.Identifier},
		{"side", strings.ToLower(d.Header.SideText())}, {"clinic", d.Header.Clinic}, {"clinician", d.Header.Clinician},
	} {
		if kv[1] != "" && !(kv[0] == "patient" && kv[1] == res.ID) {
			p("%s %s\n", kv[0], kv[1])
		}
	}
	p("%s\n\n", rule)
	if len(d.Findings) > 0 {
		p("FINDINGS\n")
		for _, g := range d.Findings {
			p("  %s\n", g.Title)
			for _, f := range g.Findings {
				p("    %s: %s\n", f.Label, f.Value)
			}
		}
		p("\n")
	}
	if len(res.RedFlags) > 0 {
		p("!! RED FLAGS\n")
		for _, f := range res.RedFlags {
			p("!! %s [%s]: %s\n   Action: %s\n   Source: %s\n", strings.ToUpper(tendo.RedFlagName(f.Code)), f.Urgency, f.Reason, f.Action, f.Source)
		}
		p("\n")
	}
	p("CONCLUSION  %s\n", resultTitle(res))
	if site := headSite(res); site != "" {
		p("            site: %s\n", site)
	}
	if l := siteLine(res); l != "" {
		p("            %s\n", l)
	}
	p("            %s\n", reasonText(res))
	if l := leading(res); l != "" {
		p("            %s\n", l)
	}
	p("\n")
	rows := probRows(res)
	if hasRanges(rows) {
		p("PROBABILITIES (90%% credible interval)\n")
	} else {
		p("PROBABILITIES\n")
	}
	for _, r := range rows {
		label := r.Label
		if r.Sub {
			label = "  " + label
		}
		n := int(math.Round(30 * r.P))
		bar := strings.Repeat("█", n) + strings.Repeat("·", 30-n)
		if r.Range.Known() {
			p("  %-36s %4.0f%% %-10s %s\n", label, 100*r.P, rangeText(r.Range), bar)
		} else {
			p("  %-36s %4.0f%%  %s\n", label, 100*r.P, bar)
		}
	}
	if v11(res) {
		p("  %s\n\n", nerveRoot(res))
		p("OTHER CONDITIONS (differential: probability present, 90%% credible interval)\n")
		if len(res.Differential) == 0 {
			p("  %s\n", noDifferential)
		}
		for _, d := range res.Differential {
			if d.Range.Known() {
				p("  %4.0f%% %-10s %s\n", 100*d.Probability, rangeText(d.Range), tendo.DifferentialName(d.Code))
			} else {
				p("  %4.0f%%  %s\n", 100*d.Probability, tendo.DifferentialName(d.Code))
			}
		}
	}
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
		p("WHAT MOVED THE PROBABILITIES (likelihood ratio in context; on its own, from no other evidence)\n")
		p("  %-36s %-16s %7s %7s %7s %7s   %7s %7s\n", "finding", "value", "tendon", "S1", "lumbar", "rupture", "alone:T", "alone:S1")
		for i, x := range res.Explanation {
			if i == 15 {
				p("  … and %d more findings with smaller effects\n", len(res.Explanation)-15)
				break
			}
			e := x.Effects
			p("  %-36s %-16s %7s %7s %7s %7s   %7s %7s\n", clip(x.Label, 36), clip(x.Value, 16), lrText(e.AchillesTendinopathy), lrText(e.S1Radiculopathy), lrText(e.LumbarContribution), lrText(e.AchillesRupture),
				lrText(x.Alone.AchillesTendinopathy), lrText(x.Alone.S1Radiculopathy))
		}
		p("\n")
	}
	if len(res.NextTests) > 0 {
		p("NEXT TESTS (by the chance that the result changes the decision; expected change of the probabilities)\n")
		for _, t := range res.NextTests {
			p("  %-36s %4.0f%%  %4.0f%%  %s\n", clip(t.Label, 36), 100*t.DecisionChange, 100*t.ExpectedChange, clip(t.Why, 70))
		}
		p("\n")
	}
	plan, why := tendo.SafePlan(res)
	p("PLAN  %s\n", plan.Summary)
	if why != "" {
		p("      %s\n", why)
	}
	for _, it := range plan.Referral {
		p("\n  > %s\n", it.Title)
		p("    %s\n", it.Dosage)
	}
	for _, ph := range plan.Phases {
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

// noDifferential is said when the differential is empty.
const noDifferential = "No other condition reaches 2%."

// v11 reports whether a result carries the contract's v1.1 keys: its
// differential is never null then. A result stored before v1.1 has none,
// and its missing nerve root and ranges mean "not computed", so they are
// not shown.
func v11(res *tendo.Result) bool { return res.Differential != nil }

// nerveRoot says which nerve root the result names.
func nerveRoot(res *tendo.Result) string {
	if res.NerveRoot == nil {
		return "No single nerve root reaches 50%"
	}
	return "Nerve root: " + *res.NerveRoot
}

// leading is the summary line naming the leading differential under
// other-cause ("Leading alternative: tarsal tunnel syndrome, 64%
// (41–80%)"), or "".
func leading(res *tendo.Result) string {
	if res.Classification != tendo.OtherCause {
		return ""
	}
	d, ok := res.LeadingDifferential()
	if !ok {
		return ""
	}
	return "Leading alternative: " + tendo.DifferentialPhrase(d.Code) + ", " + tendo.PercentRange(d.Probability, d.Range)
}

// A probRow is one main probability as the reports show it.
type probRow struct {
	Label string
	// Sub is true for a row that splits or explains the one above it.
	Sub   bool
	P     float64
	Range tendo.Range
}

// Text is the probability with its interval when known: "82% (70–90%)".
func (r probRow) Text() string { return tendo.PercentRange(r.P, r.Range) }

// probRows are the main probabilities the reports show, in order.
func probRows(res *tendo.Result) []probRow {
	p, r := &res.Probabilities, &res.ProbabilityRanges
	return []probRow{
		{"Achilles tendinopathy", false, p.AchillesTendinopathy, r.AchillesTendinopathy},
		{"midportion", true, p.MidportionTendinopathy, r.MidportionTendinopathy},
		{"insertional", true, p.InsertionalTendinopathy, r.InsertionalTendinopathy},
		{"S1 radiculopathy", false, p.S1Radiculopathy, r.S1Radiculopathy},
		{"Lumbar contribution", false, p.LumbarContribution, r.LumbarContribution},
		{"compensatory gait (biomechanical)", true, p.CompensatoryGait, r.CompensatoryGait},
		{"Achilles rupture", false, p.AchillesRupture, r.AchillesRupture},
		{"Another heel condition", false, p.OtherHeelPathology, r.OtherHeelPathology},
	}
}

// differentialRows are the differential's entries as rows.
func differentialRows(res *tendo.Result) []probRow {
	out := make([]probRow, len(res.Differential))
	for i, d := range res.Differential {
		out[i] = probRow{Label: tendo.DifferentialName(d.Code), P: d.Probability, Range: d.Range}
	}
	return out
}

func hasRanges(rows []probRow) bool {
	for _, r := range rows {
		if r.Range.Known() {
			return true
		}
	}
	return false
}

// rangeText writes an interval as "(70–90%)".
func rangeText(r tendo.Range) string {
	return fmt.Sprintf("(%.0f–%.0f%%)", 100*r[0], 100*r[1])
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

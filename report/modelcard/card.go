package modelcard

import (
	"bytes"
	_ "embed"
	"fmt"
	htmltemplate "html/template"
	"io"
	"sort"
	"strings"
	texttemplate "text/template"

	"github.com/tendo-health/tendo/assess"
	"github.com/tendo-health/tendo/kb"
)

//go:embed templates/card.md.tmpl
var cardMarkdown string

//go:embed templates/card.html.tmpl
var cardHTML string

// Write writes the model card (tendo model doc) as Markdown ("md") or
// HTML ("html"): every node, its parents, its numbers and their sources;
// the classification thresholds; the red-flag rules; the accuracy the
// model reproduces; the validation table (d.Validation, left out when
// nil); the mapping from the assessment contract; the plan library. The
// data comes from assess.Engine.CardWithValidation.
func Write(w io.Writer, d *assess.CardData, format string) error {
	data := struct {
		*assess.CardData
		ValidationMD string
	}{CardData: d}
	if d.Validation != nil {
		var md strings.Builder
		if err := d.Validation.WriteMarkdown(&md); err != nil {
			return err
		}
		data.ValidationMD = md.String()
	}
	var buf bytes.Buffer
	switch format {
	case "md", "markdown":
		t, err := texttemplate.New("card").Funcs(cardFuncs).Parse(cardMarkdown)
		if err != nil {
			return err
		}
		if err := t.Execute(&buf, data); err != nil {
			return err
		}
	case "html":
		t, err := htmltemplate.New("card").Funcs(cardFuncs).Parse(cardHTML)
		if err != nil {
			return err
		}
		if err := t.Execute(&buf, data); err != nil {
			return err
		}
	default:
		return fmt.Errorf("report: model card format %q is not md or html", format)
	}
	_, err := w.Write(buf.Bytes())
	return err
}

var cardFuncs = map[string]any{
	"f3": func(x float64) string { return fmt.Sprintf("%.3f", x) },
	"pf": func(p *float64) string {
		if p == nil {
			return "—"
		}
		return fmt.Sprintf("%.2f", *p)
	},
	"join":  strings.Join,
	"short": func(m *kb.Model, keys string) string { return m.ShortCite(keys) },
	"refs": func(refs []kb.Ref) string {
		var s []string
		for _, r := range refs {
			s = append(s, r.Node+"="+strings.Join(r.States, "|"))
		}
		return strings.Join(s, ", ")
	},
	"mapping": describeFinding,
	"md":      func(s string) string { return strings.ReplaceAll(strings.ReplaceAll(s, "|", "\\|"), "\n", " ") },
	"add":     func(a, b int) int { return a + b },
}

// describeFinding says in words how a field enters the network.
func describeFinding(f kb.Finding) string {
	switch f.Kind {
	case "none":
		return "not network evidence: " + f.Use
	case "bool", "enum":
		var pairs []string
		for v, s := range f.States {
			pairs = append(pairs, v+" → "+s)
		}
		sort.Strings(pairs)
		for v, s := range f.Soft {
			pairs = append(pairs, fmt.Sprintf("%s → soft evidence %v", v, s.Likelihood))
		}
		return strings.Join(pairs, "; ")
	case "bins", "lsi", "bmi":
		var parts []string
		for _, b := range f.Bins {
			if b.Below != nil {
				parts = append(parts, fmt.Sprintf("below %g → %s", *b.Below, b.State))
			} else {
				parts = append(parts, "otherwise "+b.State)
			}
		}
		prefix := ""
		switch f.Kind {
		case "lsi":
			prefix = "affected ÷ unaffected repetitions (0 repetitions → unable): "
		case "bmi":
			prefix = "BMI (kg/m²): "
		}
		return prefix + strings.Join(parts, "; ")
	case "logistic":
		l := f.Logistic
		if l.Spread > 0 && l.MeasurementSD > 0 {
			return fmt.Sprintf("soft evidence: likelihood ratio exp(%.3g × (x − %g %s)), kept within 1/%g to %g: the slope %g for the true value, flattened by a measurement error of SD %g %s against a spread of SD %g %s in each state",
				l.EffectiveSlope(), l.Midpoint, l.Unit, l.MaxRatio, l.MaxRatio, l.Slope, l.MeasurementSD, l.Unit, l.Spread, l.Unit)
		}
		return fmt.Sprintf("soft evidence: likelihood ratio exp(%g × (x − %g %s)), kept within 1/%g to %g", l.Slope, l.Midpoint, l.Unit, l.MaxRatio, l.MaxRatio)
	}
	return f.Kind
}

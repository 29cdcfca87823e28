package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"

	"github.com/tendo-health/tendo/assess"
	"github.com/tendo-health/tendo/kb"
)

const modelValidateUsage = `Usage: tendo model validate [--format text|md] [--json] [--vignettes DIR] [--spec FILE]

Checks the knowledge base against published figures and prints a table
(check, figure, target/tolerance, source, ok/FAIL):

  - the sensitivity and specificity of every cited test (model.yaml), by
    inference;
  - implied odds ratios and risk ratios of the risk factors (evidence §9.7):
    the outcome's probability with the factor(s) set against unset, no other
    evidence; pass when inside the cited 95% interval;
  - the combined likelihood ratio of tendon tests all positive;
  - the AUC of S1 radiculopathy and tendinopathy from history, and from
    history and examination, over patients sampled from the model (seeded,
    so the figures are reproducible);
  - the share of extreme probabilities (outside [0.01, 0.99]) over a
    vignette set (skipped, not passed, without one).

The rows come from kb/validation.yaml (or --spec FILE); the model card's
Validation section is the same table. Exits 1 when any figure strays beyond
its tolerance, 0 otherwise, 2 on bad arguments or a bad --spec file.`

func modelValidateCommand() *command {
	return &command{
		name:    "validate",
		summary: "check the model against published figures (exit 1 on a miss)",
		usage:   modelValidateUsage,
		run:     (&ModelValidateCommand{}).Run,
	}
}

// ModelValidateCommand is tendo model validate: the model against
// published figures.
type ModelValidateCommand struct {
	format    string
	asJSON    bool
	vignettes string // directory, or "" for the embedded set
	spec      string // validation file, or "" for kb/validation.yaml
}

// Run runs the command on its arguments.
func (c *ModelValidateCommand) Run(ctx context.Context, m *Main, args []string) error {
	fset := newFlagSet("model validate")
	fset.StringVar(&c.format, "format", "text", "`text` or md (the model card's table)")
	fset.BoolVar(&c.asJSON, "json", false, "write the table as JSON")
	fset.StringVar(&c.vignettes, "vignettes", "", "read the vignette set from `DIR` (.json assessments) instead of the embedded one")
	fset.StringVar(&c.spec, "spec", "", "read the validation rows from `FILE` instead of the embedded kb/validation.yaml")
	pos, err := parseArgs(m, fset, modelValidateUsage, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return badInputf("model validate takes no arguments")
	}
	if c.format != "text" && c.format != "md" {
		return badInputf("model validate: --format %q is not text or md", c.format)
	}
	if c.asJSON && c.format != "text" {
		return badInputf("model validate: --json and --format %s exclude each other", c.format)
	}
	eng, err := loadEngine("")
	if err != nil {
		return err
	}
	var v *kb.Validation
	if c.spec != "" {
		data, rerr := os.ReadFile(c.spec)
		if rerr != nil {
			return badInput(rerr)
		}
		if v, err = kb.ParseValidation(data, eng.Model()); err != nil {
			return badInput(fmt.Errorf("%s: %w", c.spec, err))
		}
	} else if v, err = kb.LoadValidation(eng.Model()); err != nil {
		return err
	}
	vignettes := assess.Vignettes
	if c.vignettes != "" {
		st, serr := os.Stat(c.vignettes)
		if serr != nil {
			return badInput(serr)
		}
		if !st.IsDir() {
			return badInputf("model validate: --vignettes %s is not a directory", c.vignettes)
		}
		vignettes = os.DirFS(c.vignettes)
	}
	report, err := eng.Validate(v, vignettes)
	if err != nil {
		var pe *fs.PathError
		if c.vignettes != "" && errors.As(err, &pe) {
			return badInput(err)
		}
		return err
	}
	switch {
	case c.asJSON:
		out, err := json.MarshalIndent(struct {
			*kb.ValidationReport
			Failed int `json:"failed"`
		}{report, report.Failed()}, "", "  ")
		if err != nil {
			return err
		}
		if _, err := m.Stdout.Write(append(out, '\n')); err != nil {
			return err
		}
	case c.format == "md":
		if err := report.WriteMarkdown(m.Stdout); err != nil {
			return err
		}
	default:
		fmt.Fprintf(m.Stdout, "model %s\n\n", report.Model)
		if err := report.WriteText(m.Stdout); err != nil {
			return err
		}
	}
	if n := report.Failed(); n > 0 {
		return fmt.Errorf("model validate: %d figure(s) stray beyond their tolerance", n)
	}
	return nil
}

package main

import (
	"context"

	"github.com/tendo-health/tendo/report/modelcard"
)

const modelDocUsage = `Usage: tendo model doc [--format md|html]

Writes the model card: every node, its parents, its numbers and their
sources; the classification thresholds and why; the red-flag rules; the
accuracy the model reproduces; the mapping from the assessment contract;
the plan library. The committed copies are docs/model-card.md and
docs/model-card.html.`

func modelDocCommand() *command {
	return &command{
		name:    "doc",
		summary: "write the model card (Markdown or HTML)",
		usage:   modelDocUsage,
		run:     (&ModelDocCommand{}).Run,
	}
}

// ModelDocCommand is tendo model doc: the model card.
type ModelDocCommand struct {
	format string
}

// Run runs the command on its arguments.
func (c *ModelDocCommand) Run(ctx context.Context, m *Main, args []string) error {
	fs := newFlagSet("model doc")
	fs.StringVar(&c.format, "format", "md", "`md` or html")
	pos, err := parseArgs(m, fs, modelDocUsage, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return badInputf("model doc takes no arguments")
	}
	if c.format != "md" && c.format != "html" {
		return badInputf("model doc: --format %q is not md or html", c.format)
	}
	eng, err := loadEngine("")
	if err != nil {
		return err
	}
	card, err := eng.CardWithValidation()
	if err != nil {
		return err
	}
	return modelcard.Write(m.Stdout, card, c.format)
}

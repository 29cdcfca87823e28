package main

import (
	"context"

	"github.com/tendo-health/tendo/bn/bif"
)

const modelExportUsage = `Usage: tendo model export --format bif

Writes the knowledge base as a Bayesian network in BIF (full tables, one
variable per node), so tendo bn and other engines can load it:

  tendo model export --format bif > tendo.bif
  tendo bn query tendo.bif --evidence slump=positive`

func modelExportCommand() *command {
	return &command{
		name:    "export",
		summary: "export the network (BIF)",
		usage:   modelExportUsage,
		run:     (&ModelExportCommand{}).Run,
	}
}

// ModelExportCommand is tendo model export: the network as BIF.
type ModelExportCommand struct {
	format string
}

// Run runs the command on its arguments.
func (c *ModelExportCommand) Run(ctx context.Context, m *Main, args []string) error {
	fs := newFlagSet("model export")
	fs.StringVar(&c.format, "format", "bif", "export `format` (bif)")
	pos, err := parseArgs(m, fs, modelExportUsage, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return badInputf("model export takes no arguments")
	}
	if c.format != "bif" {
		return badInputf("model export: --format %q is not supported; use bif", c.format)
	}
	model, err := loadModel("")
	if err != nil {
		return err
	}
	net, err := model.Build()
	if err != nil {
		return err
	}
	return bif.Write(m.Stdout, net)
}

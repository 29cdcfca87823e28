package main

import (
	"context"
	"fmt"
	"os"

	"github.com/tendo-health/tendo/assess"
	"github.com/tendo-health/tendo/bn/bif"
	"github.com/tendo-health/tendo/kb"
	"github.com/tendo-health/tendo/report"
)

func modelCommand() *command {
	return &command{
		name:    "model",
		summary: "check, document and export the knowledge base",
		usage: `tendo model works with the knowledge base: the Bayesian network (every
number cited or marked as an estimate), its mapping from the assessment
contract, and the plan library.

Usage:
  tendo model <command> [flags]`,
		subs: []*command{modelCheckCommand(), modelValidateCommand(), modelDocCommand(), modelExportCommand()},
	}
}

const modelCheckUsage = `Usage: tendo model check [MODEL.yaml]

Validates the knowledge base (the embedded one, or MODEL.yaml when given):
every probability is a distribution and cites a known source or gives an
estimate's reason; nodes, parents, states and findings exist; the network
is acyclic; the plan library is consistent; and each cited sensitivity and
specificity is reproduced by inference within its tolerance. Prints a
summary; exits 2 and lists every problem otherwise.`

func modelCheckCommand() *command {
	return &command{
		name:    "check",
		summary: "validate the knowledge base",
		usage:   modelCheckUsage,
		run: func(ctx context.Context, m *Main, args []string) error {
			pos, err := parseArgs(m, newFlagSet("model check"), modelCheckUsage, args)
			if err != nil {
				return err
			}
			if len(pos) > 1 {
				return badInputf("model check: want at most one model file")
			}
			model, err := kb.Load()
			if len(pos) == 1 {
				data, rerr := os.ReadFile(pos[0])
				if rerr != nil {
					return badInput(rerr)
				}
				model, err = kb.Parse(data)
			}
			if err != nil {
				return badInput(err)
			}
			if err := model.Check(); err != nil {
				return badInput(err)
			}
			eng, err := assess.NewFromModel(model)
			if err != nil {
				return badInput(err)
			}
			card, err := eng.Card()
			if err != nil {
				return err
			}
			bad := 0
			for _, c := range card.Accuracy {
				if !c.Within() {
					bad++
					fmt.Fprintf(m.Stderr, "tendo: %s: implied sensitivity %.3f / specificity %.3f stray from the cited figures beyond %.2f\n", c.Node, c.Sens, c.Spec, c.Accuracy.Tolerance)
				}
			}
			if bad > 0 {
				return badInputf("model check: %d accuracy target(s) not reproduced", bad)
			}
			st := eng.Network()
			fmt.Fprintf(m.Stdout, "model %s: OK\n", eng.ModelVersion())
			fmt.Fprintf(m.Stdout, "  %d nodes (%d network variables after chaining), %d contract fields mapped\n", card.NumNodes, len(st.Variables), card.NumFields)
			fmt.Fprintf(m.Stdout, "  %d distributions: %d cite a source, %d are estimates with a reason\n", card.NumCited+card.NumEstimate, card.NumCited, card.NumEstimate)
			fmt.Fprintf(m.Stdout, "  %d accuracy targets reproduced within tolerance\n", len(card.Accuracy))
			fmt.Fprintf(m.Stdout, "  %d red-flag rules, %d plan elements, %d sources\n", len(assess.Rules()), len(card.Plan.Items), len(card.Sources))
			return nil
		},
	}
}

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
		run: func(ctx context.Context, m *Main, args []string) error {
			fs := newFlagSet("model doc")
			format := fs.String("format", "md", "`md` or html")
			pos, err := parseArgs(m, fs, modelDocUsage, args)
			if err != nil {
				return err
			}
			if len(pos) > 0 {
				return badInputf("model doc takes no arguments")
			}
			if *format != "md" && *format != "html" {
				return badInputf("model doc: --format %q is not md or html", *format)
			}
			eng, err := assess.New()
			if err != nil {
				return err
			}
			card, err := eng.CardWithValidation()
			if err != nil {
				return err
			}
			return report.ModelCard(m.Stdout, card, *format)
		},
	}
}

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
		run: func(ctx context.Context, m *Main, args []string) error {
			fs := newFlagSet("model export")
			format := fs.String("format", "bif", "export `format` (bif)")
			pos, err := parseArgs(m, fs, modelExportUsage, args)
			if err != nil {
				return err
			}
			if len(pos) > 0 {
				return badInputf("model export takes no arguments")
			}
			if *format != "bif" {
				return badInputf("model export: --format %q is not supported; use bif", *format)
			}
			model, err := kb.Load()
			if err != nil {
				return err
			}
			net, err := model.Build()
			if err != nil {
				return err
			}
			return bif.Write(m.Stdout, net)
		},
	}
}

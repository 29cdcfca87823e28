package main

import (
	"context"
	"fmt"

	"github.com/tendo-health/tendo/assess"
)

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
		run:     (&ModelCheckCommand{}).Run,
	}
}

// ModelCheckCommand is tendo model check: the knowledge base is
// consistent and reproduces its cited accuracy.
type ModelCheckCommand struct{}

// Run runs the command on its arguments.
func (c *ModelCheckCommand) Run(ctx context.Context, m *Main, args []string) error {
	pos, err := parseArgs(m, newFlagSet("model check"), modelCheckUsage, args)
	if err != nil {
		return err
	}
	if len(pos) > 1 {
		return badInputf("model check: want at most one model file")
	}
	path := ""
	if len(pos) == 1 {
		path = pos[0]
	}
	model, err := loadModel(path)
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
}

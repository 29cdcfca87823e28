package main

import (
	"context"
	"os"

	"github.com/tendo-health/tendo/bn/uai"
)

const bnUAIUsage = `Usage: tendo bn uai NET.uai [EVID]

Reads a UAI network (BAYES or MARKOV) and, optionally, a UAI evidence file,
and prints the posterior marginals in the UAI competition's MAR format.`

func bnUAICommand() *command {
	return &command{
		name:    "uai",
		summary: "print marginals of a UAI problem in the MAR format",
		usage:   bnUAIUsage,
		run:     (&BNUAICommand{}).Run,
	}
}

// BNUAICommand is tendo bn uai: a UAI problem's marginals in the MAR
// format. It takes an optional evidence file, so it is not a netRunner.
type BNUAICommand struct{}

// Run runs the command on its arguments.
func (c *BNUAICommand) Run(ctx context.Context, m *Main, args []string) error {
	pos, err := parseArgs(m, newFlagSet("bn uai"), bnUAIUsage, args)
	if err != nil {
		return err
	}
	if len(pos) < 1 || len(pos) > 2 {
		return badInputf("bn uai: want NET.uai and optionally EVID, got %d arguments (see 'tendo bn uai --help')", len(pos))
	}
	net, err := uai.ReadFile(pos[0])
	if err != nil {
		return badInputf("%s: %v", pos[0], err)
	}
	jt, err := compileNetwork(net)
	if err != nil {
		return err
	}
	q := jt.NewQuery()
	if len(pos) == 2 {
		f, err := os.Open(pos[1])
		if err != nil {
			return badInput(err)
		}
		ev, err := uai.ReadEvidence(f, net)
		f.Close()
		if err != nil {
			return badInputf("%s: %v", pos[1], err)
		}
		for v, s := range ev {
			if err := q.Observe(v, s); err != nil {
				return badInput(err)
			}
		}
	}
	if err := propagate(q); err != nil {
		return err
	}
	marg := make([][]float64, len(net.Variables))
	for v := range marg {
		marg[v] = q.Marginal(v)
	}
	return uai.WriteMAR(m.Stdout, marg)
}

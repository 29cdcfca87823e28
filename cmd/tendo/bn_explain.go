package main

import (
	"bufio"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"math"
	"sort"

	"github.com/tendo-health/tendo/bn"
)

const bnExplainUsage = `Usage: tendo bn explain NET --target VAR=STATE --evidence VAR=STATE,... [--json]

For each finding, the change in the log-odds of the target state that the
finding causes: the log-odds with all the evidence minus the log-odds with
that finding removed (natural log; exp of it is the finding's likelihood
ratio in context).`

func bnExplainCommand() *command {
	return netCommand("explain", "how much each finding moved a target state's log-odds", bnExplainUsage, &BNExplainCommand{})
}

// BNExplainCommand is tendo bn explain: each finding's effect on the
// log-odds of a target state.
type BNExplainCommand struct {
	target string
	ev     evidenceFlags
	asJSON bool
}

func (c *BNExplainCommand) flags(fs *flag.FlagSet) {
	fs.StringVar(&c.target, "target", "", "the target `VAR=STATE`")
	c.ev.register(fs)
	fs.BoolVar(&c.asJSON, "json", false, "print JSON")
}

func (c *BNExplainCommand) run(ctx context.Context, m *Main, path string) error {
	net, err := loadNetwork(path)
	if err != nil {
		return err
	}
	t, ts, err := parseTarget(net, c.target, true)
	if err != nil {
		return err
	}
	q, err := queryNetwork(net, &c.ev)
	if err != nil {
		return err
	}
	contribs, err := q.Contributions(t, ts)
	if err != nil {
		return badInput(err)
	}
	sort.SliceStable(contribs, func(i, j int) bool { return math.Abs(contribs[i].LogOdds) > math.Abs(contribs[j].LogOdds) })
	if c.asJSON {
		type row struct {
			Finding string  `json:"finding"`
			LogOdds float64 `json:"logOddsChange"`
			Without float64 `json:"probabilityWithout"`
		}
		out := make([]row, len(contribs))
		for i, ct := range contribs {
			out[i] = row{findingName(net, q, ct.Var), ct.LogOdds, ct.Without}
		}
		enc := json.NewEncoder(m.Stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(map[string]any{"target": c.target, "probability": q.Marginal(t)[ts], "contributions": out})
	}
	w := bufio.NewWriter(m.Stdout)
	fmt.Fprintf(w, "P(%s | evidence) = %.4f\n\n", c.target, q.Marginal(t)[ts])
	for _, ct := range contribs {
		fmt.Fprintf(w, "%-32s log-odds %+8.4f   (without it: %.4f)\n", findingName(net, q, ct.Var), ct.LogOdds, ct.Without)
	}
	return w.Flush()
}

// findingName names a finding: VAR=STATE, or VAR (soft).
func findingName(net *bn.Network, q *bn.Query, v int) string {
	if s := q.HardState(v); s >= 0 {
		return net.Variables[v].Name + "=" + net.Variables[v].States[s]
	}
	return net.Variables[v].Name + " (soft)"
}

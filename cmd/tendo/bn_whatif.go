package main

import (
	"bufio"
	"context"
	"encoding/json"
	"flag"
	"fmt"
)

const bnWhatIfUsage = `Usage: tendo bn whatif NET --target VAR [--evidence VAR=STATE,...] [--json]

Sensitivity ("what if") analysis: for every unobserved variable and each of
its states, the target's posterior were that state observed, with the
state's current probability.`

func bnWhatIfCommand() *command {
	return netCommand("whatif", "the target's posterior for each state of each unobserved variable", bnWhatIfUsage, &BNWhatIfCommand{})
}

// BNWhatIfCommand is tendo bn whatif: the target's posterior for each
// state of each unobserved variable.
type BNWhatIfCommand struct {
	target string
	ev     evidenceFlags
	asJSON bool
}

func (c *BNWhatIfCommand) flags(fs *flag.FlagSet) {
	fs.StringVar(&c.target, "target", "", "the target `VAR`")
	c.ev.register(fs)
	fs.BoolVar(&c.asJSON, "json", false, "print JSON")
}

func (c *BNWhatIfCommand) run(ctx context.Context, m *Main, path string) error {
	net, err := loadNetwork(path)
	if err != nil {
		return err
	}
	t, _, err := parseTarget(net, c.target, false)
	if err != nil {
		return err
	}
	q, err := queryNetwork(net, &c.ev)
	if err != nil {
		return err
	}
	rows, err := q.Sensitivity(t)
	if err != nil {
		return badInput(err)
	}
	tv := net.Variables[t]
	if c.asJSON {
		type row struct {
			Variable  string             `json:"variable"`
			State     string             `json:"state"`
			P         float64            `json:"p"`
			Posterior map[string]float64 `json:"posterior"`
		}
		out := make([]row, len(rows))
		for i, r := range rows {
			out[i] = row{Variable: net.Variables[r.Var].Name, State: net.Variables[r.Var].States[r.State], P: r.P}
			if r.Posterior != nil {
				out[i].Posterior = map[string]float64{}
				for s, p := range r.Posterior {
					out[i].Posterior[tv.States[s]] = p
				}
			}
		}
		enc := json.NewEncoder(m.Stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(map[string]any{"target": tv.Name, "whatIf": out})
	}
	w := bufio.NewWriter(m.Stdout)
	fmt.Fprintf(w, "Target %s now:", tv.Name)
	for s, p := range q.Marginal(t) {
		fmt.Fprintf(w, " %s=%.4f", tv.States[s], p)
	}
	fmt.Fprintln(w)
	for _, r := range rows {
		fmt.Fprintf(w, "if %s=%s (now p=%.4f):", net.Variables[r.Var].Name, net.Variables[r.Var].States[r.State], r.P)
		if r.Posterior == nil {
			fmt.Fprint(w, " impossible given the evidence")
		}
		for s, p := range r.Posterior {
			fmt.Fprintf(w, " %s=%.4f", tv.States[s], p)
		}
		fmt.Fprintln(w)
	}
	return w.Flush()
}

package main

import (
	"bufio"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"math"
)

const bnQueryUsage = `Usage: tendo bn query NET [--evidence VAR=STATE,...] [--soft VAR=p1,p2,...] [--json]

Prints the posterior marginal of every variable and the log probability of
the evidence. Variables with hard evidence are printed with probability 1 on
the observed state. --json prints
{"logPEvidence": number, "marginals": {"VAR": {"STATE": p, ...}, ...}}.`

func bnQueryCommand() *command {
	return netCommand("query", "print every posterior marginal given evidence", bnQueryUsage, &BNQueryCommand{})
}

// BNQueryCommand is tendo bn query: every posterior marginal.
type BNQueryCommand struct {
	ev     evidenceFlags
	asJSON bool
}

func (c *BNQueryCommand) flags(fs *flag.FlagSet) {
	c.ev.register(fs)
	fs.BoolVar(&c.asJSON, "json", false, "print JSON")
}

func (c *BNQueryCommand) run(ctx context.Context, m *Main, path string) error {
	net, err := loadNetwork(path)
	if err != nil {
		return err
	}
	q, err := queryNetwork(net, &c.ev)
	if err != nil {
		return err
	}
	if c.asJSON {
		out := struct {
			LogPEvidence float64                       `json:"logPEvidence"`
			Marginals    map[string]map[string]float64 `json:"marginals"`
		}{LogPEvidence: q.LogPEvidence(), Marginals: map[string]map[string]float64{}}
		for v, vv := range net.Variables {
			mm := map[string]float64{}
			for s, p := range q.Marginal(v) {
				mm[vv.States[s]] = p
			}
			out.Marginals[vv.Name] = mm
		}
		enc := json.NewEncoder(m.Stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(out)
	}
	w := bufio.NewWriter(m.Stdout)
	fmt.Fprintf(w, "log P(evidence) = %.6f   (P(evidence) = %.6g)\n\n", q.LogPEvidence(), math.Exp(q.LogPEvidence()))
	width := 0
	for _, v := range net.Variables {
		width = max(width, len(v.Name))
	}
	for v, vv := range net.Variables {
		mark := ""
		if q.HardState(v) >= 0 {
			mark = "  (observed)"
		} else if q.Likelihood(v) != nil {
			mark = "  (soft evidence)"
		}
		fmt.Fprintf(w, "%-*s ", width, vv.Name)
		for s, p := range q.Marginal(v) {
			fmt.Fprintf(w, " %s=%.6f", vv.States[s], p)
		}
		fmt.Fprintln(w, mark)
	}
	return w.Flush()
}

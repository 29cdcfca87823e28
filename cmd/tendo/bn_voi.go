package main

import (
	"bufio"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"math"
	"strconv"
	"strings"
)

const bnVOIUsage = `Usage: tendo bn voi NET --target VAR [--evidence VAR=STATE,...] [--cost VAR=c,...] [--json]

Ranks every unobserved variable by the expected reduction of the target's
entropy (mutual information, in bits) were it observed, given the evidence.
Also prints the expected change of the target's posterior (total-variation
distance). With --cost, the ranking is by entropy reduction per unit cost
(variables without a cost cost 1).`

func bnVOICommand() *command {
	return netCommand("voi", "rank unobserved variables by value of information for a target", bnVOIUsage, &BNVOICommand{})
}

// BNVOICommand is tendo bn voi: value of information for a target.
type BNVOICommand struct {
	target string
	ev     evidenceFlags
	costs  string
	asJSON bool
	top    int
}

func (c *BNVOICommand) flags(fs *flag.FlagSet) {
	fs.StringVar(&c.target, "target", "", "the target `VAR`")
	c.ev.register(fs)
	fs.StringVar(&c.costs, "cost", "", "observation costs `VAR=c,...`")
	fs.BoolVar(&c.asJSON, "json", false, "print JSON")
	fs.IntVar(&c.top, "top", 0, "print only the best `N` (0: all)")
}

func (c *BNVOICommand) run(ctx context.Context, m *Main, path string) error {
	net, err := loadNetwork(path)
	if err != nil {
		return err
	}
	t, _, err := parseTarget(net, c.target, false)
	if err != nil {
		return err
	}
	var costv []float64
	if c.costs != "" {
		costv = make([]float64, len(net.Variables))
		for i := range costv {
			costv[i] = 1
		}
		for _, item := range strings.Split(c.costs, ",") {
			name, val, ok := strings.Cut(item, "=")
			v := net.Index(strings.TrimSpace(name))
			if !ok || v < 0 {
				return badInputf("--cost: %q is not VAR=c for a known variable", item)
			}
			cost, err := strconv.ParseFloat(strings.TrimSpace(val), 64)
			if err != nil || !(cost > 0) || math.IsInf(cost, 0) {
				return badInputf("--cost: %q: the cost must be a positive number", item)
			}
			costv[v] = cost
		}
	}
	q, err := queryNetwork(net, &c.ev)
	if err != nil {
		return err
	}
	ranked, err := q.ValueOfInformation(t, costv)
	if err != nil {
		return badInput(err)
	}
	if c.top > 0 && len(ranked) > c.top {
		ranked = ranked[:c.top]
	}
	if c.asJSON {
		type row struct {
			Variable         string  `json:"variable"`
			EntropyReduction float64 `json:"entropyReductionBits"`
			ExpectedChange   float64 `json:"expectedChange"`
			Cost             float64 `json:"cost"`
			Score            float64 `json:"score"`
		}
		rows := make([]row, len(ranked))
		for i, r := range ranked {
			rows[i] = row{net.Variables[r.Var].Name, r.EntropyReduction, r.ExpectedChange, r.Cost, r.Score}
		}
		enc := json.NewEncoder(m.Stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(map[string]any{"target": net.Variables[t].Name, "ranking": rows})
	}
	w := bufio.NewWriter(m.Stdout)
	fmt.Fprintf(w, "Target %s: ", net.Variables[t].Name)
	for s, p := range q.Marginal(t) {
		fmt.Fprintf(w, " %s=%.4f", net.Variables[t].States[s], p)
	}
	fmt.Fprintf(w, "\n\n%4s  %-24s %12s %12s %8s %12s\n", "rank", "variable", "bits", "exp.change", "cost", "bits/cost")
	for i, r := range ranked {
		fmt.Fprintf(w, "%4d  %-24s %12.6f %12.6f %8g %12.6f\n", i+1, net.Variables[r.Var].Name, r.EntropyReduction, r.ExpectedChange, r.Cost, r.Score)
	}
	return w.Flush()
}

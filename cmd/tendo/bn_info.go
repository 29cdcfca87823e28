package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"time"

	"github.com/tendo-health/tendo/bn"
)

const bnInfoUsage = `Usage: tendo bn info NET

Prints the number of variables, factors and renormalised columns, and the
size of the compiled junction tree.`

func bnInfoCommand() *command {
	return netCommand("info", "describe a network and its compiled junction tree", bnInfoUsage, &BNInfoCommand{})
}

// BNInfoCommand is tendo bn info: a network and its compiled tree.
type BNInfoCommand struct{}

func (c *BNInfoCommand) flags(fs *flag.FlagSet) {}

func (c *BNInfoCommand) run(ctx context.Context, m *Main, path string) error {
	net, err := loadNetwork(path)
	if err != nil {
		return err
	}
	start := time.Now()
	jt, err := compileNetwork(net)
	if err != nil {
		return err
	}
	printTreeInfo(m.Stdout, net, jt, time.Since(start))
	return nil
}

// printTreeInfo describes the network, its compiled tree and how long
// compiling took (tendo bn info and bench).
func printTreeInfo(w io.Writer, net *bn.Network, jt *bn.JunctionTree, compile time.Duration) {
	kind := "Markov network"
	if net.Directed {
		kind = "Bayesian network"
	}
	st := jt.Stats()
	fmt.Fprintf(w, "%s: %d variables, %d factors (%d columns renormalised at load)\n", kind, len(net.Variables), len(net.Factors), net.Renormalized)
	fmt.Fprintf(w, "junction tree: %d cliques, largest %d variables (%d entries), %d table entries, %d separator entries\n",
		st.Cliques, st.MaxClique, st.MaxTable, st.TableEntries, st.SepEntries)
	fmt.Fprintf(w, "memory: compiled tree %.2f MiB, each query %.2f MiB; compiled in %s\n",
		float64(st.Bytes)/(1<<20), float64(st.QueryBytes)/(1<<20), compile.Round(time.Millisecond))
}

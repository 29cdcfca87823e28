package main

import (
	"context"
	"flag"
	"fmt"
	"strings"

	"github.com/tendo-health/tendo/bn"
)

func bnCommand() *command {
	return &command{
		name:    "bn",
		summary: "exact inference on any Bayesian network (BIF or UAI)",
		usage: `tendo bn runs the exact junction-tree engine on a network file:
BIF (.bif, .bif.gz, as in the bnlearn repository) or UAI (.uai, BAYES or MARKOV).

Usage:
  tendo bn <command> NET [flags]`,
		subs: []*command{
			bnQueryCommand(), bnUAICommand(), bnVOICommand(), bnWhatIfCommand(),
			bnExplainCommand(), bnInfoCommand(), bnBenchCommand(),
		},
	}
}

// A netRunner is a tendo bn command on one network file: its flags, and
// what it does with the file once they are parsed.
type netRunner interface {
	flags(fs *flag.FlagSet)
	run(ctx context.Context, m *Main, path string) error
}

// netCommand makes the command of a netRunner: it parses the flags and
// wants exactly one network file.
func netCommand(name, summary, usage string, r netRunner) *command {
	return &command{
		name:    name,
		summary: summary,
		usage:   usage,
		run: func(ctx context.Context, m *Main, args []string) error {
			fs := newFlagSet("bn " + name)
			r.flags(fs)
			pos, err := parseArgs(m, fs, usage, args)
			if err != nil {
				return err
			}
			if len(pos) != 1 {
				return badInputf("bn %s: want one network file, got %d arguments (see 'tendo bn %s --help')", name, len(pos), name)
			}
			return r.run(ctx, m, pos[0])
		},
	}
}

// parseTarget reads --target: VAR, or VAR=STATE when needState.
func parseTarget(net *bn.Network, spec string, needState bool) (v, s int, err error) {
	name, state, hasState := strings.Cut(spec, "=")
	if spec == "" {
		return 0, 0, badInputf("--target is required")
	}
	v = net.Index(name)
	if v < 0 {
		names := make([]string, len(net.Variables))
		for i, vv := range net.Variables {
			names[i] = vv.Name
		}
		hint := ""
		if n := nearest(name, names); n != "" {
			hint = fmt.Sprintf("; did you mean %q?", n)
		}
		return 0, 0, badInputf("--target: unknown variable %q%s", name, hint)
	}
	if !hasState {
		if needState {
			return 0, 0, badInputf("--target: want VAR=STATE (the states of %q: %s)", name, strings.Join(net.Variables[v].States, ", "))
		}
		return v, -1, nil
	}
	s = net.StateIndex(v, state)
	if s < 0 {
		return 0, 0, badInputf("--target: variable %q has no state %q (its states: %s)", name, state, strings.Join(net.Variables[v].States, ", "))
	}
	return v, s, nil
}

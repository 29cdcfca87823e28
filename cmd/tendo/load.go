package main

// This file is the one helper the commands share to load, compile and
// query: a network file (BIF or UAI) for tendo bn, its junction tree and
// a query with the evidence of the flags; and the knowledge base and the
// engine for tendo assess and tendo model. Errors caused by the caller's
// files or flags come back as input errors (exit code 2).

import (
	"errors"
	"flag"
	"fmt"
	"math"
	"os"
	"strconv"
	"strings"

	"github.com/tendo-health/tendo/assess"
	"github.com/tendo-health/tendo/bn"
	"github.com/tendo-health/tendo/bn/bif"
	"github.com/tendo-health/tendo/bn/uai"
	"github.com/tendo-health/tendo/kb"
)

// loadNetwork reads a BIF or UAI network, choosing the reader by the file
// name (.uai is UAI; anything else is BIF, gzip-compressed or not).
func loadNetwork(path string) (*bn.Network, error) {
	var (
		net *bn.Network
		err error
	)
	if strings.HasSuffix(strings.ToLower(path), ".uai") {
		net, err = uai.ReadFile(path)
	} else {
		net, err = bif.ReadFile(path)
	}
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, badInputf("%s: no such file", path)
		}
		if strings.Contains(err.Error(), path) {
			return nil, badInput(err)
		}
		return nil, badInputf("%s: %v", path, err)
	}
	return net, nil
}

// compileNetwork compiles the junction tree; a network too large to
// compile is an input error.
func compileNetwork(net *bn.Network) (*bn.JunctionTree, error) {
	jt, err := bn.Compile(net, bn.CompileOptions{})
	if err != nil {
		if errors.Is(err, bn.ErrTooLarge) {
			return nil, badInput(err)
		}
		return nil, err
	}
	return jt, nil
}

// queryNetwork compiles net, enters the evidence of the flags and
// propagates it: the posterior every inference command reads.
func queryNetwork(net *bn.Network, ev *evidenceFlags) (*bn.Query, error) {
	jt, err := compileNetwork(net)
	if err != nil {
		return nil, err
	}
	q := jt.NewQuery()
	if err := ev.apply(net, q); err != nil {
		return nil, err
	}
	if err := propagate(q); err != nil {
		return nil, err
	}
	return q, nil
}

// propagate runs the query, turning impossible evidence into an input error.
func propagate(q *bn.Query) error {
	if err := q.Propagate(); err != nil {
		if errors.Is(err, bn.ErrZeroProbability) {
			return badInput(err)
		}
		return err
	}
	return nil
}

// evidenceFlags are the flags every inference command shares.
type evidenceFlags struct {
	hard listFlag
	soft listFlag
}

func (e *evidenceFlags) register(fs *flag.FlagSet) {
	fs.Var(&e.hard, "evidence", "hard evidence `VAR=STATE,...` (repeatable)")
	fs.Var(&e.soft, "soft", "soft evidence `VAR=p1,p2,...`: a likelihood per state, in the variable's state order (repeatable)")
}

// apply enters the evidence into q, with errors that name the variable or
// state and suggest the nearest known one.
func (e *evidenceFlags) apply(net *bn.Network, q *bn.Query) error {
	names := make([]string, len(net.Variables))
	for i, v := range net.Variables {
		names[i] = v.Name
	}
	findVar := func(flagName, name string) (int, error) {
		v := net.Index(name)
		if v >= 0 {
			return v, nil
		}
		hint := ""
		if n := nearest(name, names); n != "" {
			hint = fmt.Sprintf("; did you mean %q?", n)
		}
		return -1, badInputf("--%s: unknown variable %q%s", flagName, name, hint)
	}
	seen := map[int]string{}
	for _, arg := range e.hard {
		for _, item := range strings.Split(arg, ",") {
			item = strings.TrimSpace(item)
			if item == "" {
				continue
			}
			name, state, ok := strings.Cut(item, "=")
			if !ok {
				return badInputf("--evidence: %q is not VAR=STATE", item)
			}
			v, err := findVar("evidence", strings.TrimSpace(name))
			if err != nil {
				return err
			}
			state = strings.TrimSpace(state)
			s := net.StateIndex(v, state)
			if s < 0 {
				hint := ""
				if n := nearest(state, net.Variables[v].States); n != "" {
					hint = fmt.Sprintf("; did you mean %q?", n)
				}
				return badInputf("--evidence: variable %q has no state %q%s (its states: %s)", name, state, hint, strings.Join(net.Variables[v].States, ", "))
			}
			if prev, dup := seen[v]; dup {
				return badInputf("--evidence: variable %q is given twice (%s and %s)", name, prev, item)
			}
			seen[v] = item
			if err := q.Observe(v, s); err != nil {
				return badInput(err)
			}
		}
	}
	for _, arg := range e.soft {
		name, vals, ok := strings.Cut(arg, "=")
		if !ok {
			return badInputf("--soft: %q is not VAR=p1,p2,...", arg)
		}
		v, err := findVar("soft", strings.TrimSpace(name))
		if err != nil {
			return err
		}
		if prev, dup := seen[v]; dup {
			return badInputf("--soft: variable %q already has evidence (%s)", name, prev)
		}
		seen[v] = arg
		parts := strings.Split(vals, ",")
		if len(parts) != net.Card(v) {
			return badInputf("--soft: variable %q has %d states (%s); got %d values", name, net.Card(v), strings.Join(net.Variables[v].States, ", "), len(parts))
		}
		lik := make([]float64, len(parts))
		for i, p := range parts {
			x, err := strconv.ParseFloat(strings.TrimSpace(p), 64)
			if err != nil || x < 0 || math.IsInf(x, 0) || math.IsNaN(x) {
				return badInputf("--soft: variable %q: %q is not a nonnegative number", name, p)
			}
			lik[i] = x
		}
		if err := q.SetLikelihood(v, lik); err != nil {
			return badInput(err)
		}
	}
	return nil
}

// loadModel returns the embedded knowledge base, or the one in the file
// path when path is not "". A file that cannot be read is an input error.
func loadModel(path string) (*kb.Model, error) {
	if path == "" {
		return kb.Load()
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, badInput(err)
	}
	return kb.Parse(data)
}

// loadEngine compiles the embedded knowledge base into an engine, with
// the --ranges setting ("" is the default, reference).
func loadEngine(ranges string) (*assess.Engine, error) {
	if ranges == "" {
		ranges = "reference"
	}
	opts, err := rangesOptions(ranges)
	if err != nil {
		return nil, err
	}
	return assess.NewWithOptions(opts)
}

// rangesOptions turns the --ranges flag into engine options.
func rangesOptions(v string) (assess.Options, error) {
	switch v {
	case "reference":
		return assess.DefaultOptions(), nil
	case "fast":
		return assess.Options{Ranges: true}, nil
	case "off":
		return assess.Options{}, nil
	}
	return assess.Options{}, badInputf("--ranges %q: want reference, fast or off", v)
}

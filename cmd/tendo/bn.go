package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/tendo-health/tendo/bn"
	"github.com/tendo-health/tendo/bn/bif"
	"github.com/tendo-health/tendo/bn/uai"
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

// evidenceFlags are the flags every inference command shares.
type evidenceFlags struct {
	hard listFlag
	soft listFlag
}

func (e *evidenceFlags) register(fsAdd func(name, usage string, v *listFlag)) {
	fsAdd("evidence", "hard evidence `VAR=STATE,...` (repeatable)", &e.hard)
	fsAdd("soft", "soft evidence `VAR=p1,p2,...`: a likelihood per state, in the variable's state order (repeatable)", &e.soft)
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

type netCommandSpec struct {
	name, summary, usage string
	flags                func(fs *flagAdder)
	run                  func(ctx context.Context, m *Main, path string, fa *flagAdder) error
}

// flagAdder gives a command's flag definitions access to the FlagSet.
type flagAdder struct {
	fs *flag.FlagSet
	ev evidenceFlags
}

func (fa *flagAdder) addList(name, usage string, v *listFlag) { fa.fs.Var(v, name, usage) }

// netCommand builds a leaf command that takes one network path.
func netCommand(spec netCommandSpec) *command {
	return &command{
		name:    spec.name,
		summary: spec.summary,
		usage:   spec.usage,
		run: func(ctx context.Context, m *Main, args []string) error {
			fs := newFlagSet("bn " + spec.name)
			fa := &flagAdder{fs: fs}
			spec.flags(fa)
			pos, err := parseArgs(m, fs, spec.usage, args)
			if err != nil {
				return err
			}
			if len(pos) != 1 {
				return badInputf("bn %s: want one network file, got %d arguments (see 'tendo bn %s --help')", spec.name, len(pos), spec.name)
			}
			return spec.run(ctx, m, pos[0], fa)
		},
	}
}

func bnQueryCommand() *command {
	var asJSON *bool
	return netCommand(netCommandSpec{
		name:    "query",
		summary: "print every posterior marginal given evidence",
		usage: `Usage: tendo bn query NET [--evidence VAR=STATE,...] [--soft VAR=p1,p2,...] [--json]

Prints the posterior marginal of every variable and the log probability of
the evidence. Variables with hard evidence are printed with probability 1 on
the observed state. --json prints
{"logPEvidence": number, "marginals": {"VAR": {"STATE": p, ...}, ...}}.`,
		flags: func(fa *flagAdder) {
			fa.ev.register(fa.addList)
			asJSON = fa.fs.Bool("json", false, "print JSON")
		},
		run: func(ctx context.Context, m *Main, path string, fa *flagAdder) error {
			net, err := loadNetwork(path)
			if err != nil {
				return err
			}
			jt, err := compileNetwork(net)
			if err != nil {
				return err
			}
			q := jt.NewQuery()
			if err := fa.ev.apply(net, q); err != nil {
				return err
			}
			if err := propagate(q); err != nil {
				return err
			}
			if *asJSON {
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
		},
	})
}

func bnUAICommand() *command {
	usage := `Usage: tendo bn uai NET.uai [EVID]

Reads a UAI network (BAYES or MARKOV) and, optionally, a UAI evidence file,
and prints the posterior marginals in the UAI competition's MAR format.`
	return &command{
		name:    "uai",
		summary: "print marginals of a UAI problem in the MAR format",
		usage:   usage,
		run: func(ctx context.Context, m *Main, args []string) error {
			fs := newFlagSet("bn uai")
			pos, err := parseArgs(m, fs, usage, args)
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
		},
	}
}

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

func bnVOICommand() *command {
	var target, costs *string
	var asJSON *bool
	var top *int
	return netCommand(netCommandSpec{
		name:    "voi",
		summary: "rank unobserved variables by value of information for a target",
		usage: `Usage: tendo bn voi NET --target VAR [--evidence VAR=STATE,...] [--cost VAR=c,...] [--json]

Ranks every unobserved variable by the expected reduction of the target's
entropy (mutual information, in bits) were it observed, given the evidence.
Also prints the expected change of the target's posterior (total-variation
distance). With --cost, the ranking is by entropy reduction per unit cost
(variables without a cost cost 1).`,
		flags: func(fa *flagAdder) {
			target = fa.fs.String("target", "", "the target `VAR`")
			fa.ev.register(fa.addList)
			costs = fa.fs.String("cost", "", "observation costs `VAR=c,...`")
			asJSON = fa.fs.Bool("json", false, "print JSON")
			top = fa.fs.Int("top", 0, "print only the best `N` (0: all)")
		},
		run: func(ctx context.Context, m *Main, path string, fa *flagAdder) error {
			net, err := loadNetwork(path)
			if err != nil {
				return err
			}
			t, _, err := parseTarget(net, *target, false)
			if err != nil {
				return err
			}
			var costv []float64
			if *costs != "" {
				costv = make([]float64, len(net.Variables))
				for i := range costv {
					costv[i] = 1
				}
				for _, item := range strings.Split(*costs, ",") {
					name, val, ok := strings.Cut(item, "=")
					v := net.Index(strings.TrimSpace(name))
					if !ok || v < 0 {
						return badInputf("--cost: %q is not VAR=c for a known variable", item)
					}
					c, err := strconv.ParseFloat(strings.TrimSpace(val), 64)
					if err != nil || !(c > 0) || math.IsInf(c, 0) {
						return badInputf("--cost: %q: the cost must be a positive number", item)
					}
					costv[v] = c
				}
			}
			jt, err := compileNetwork(net)
			if err != nil {
				return err
			}
			q := jt.NewQuery()
			if err := fa.ev.apply(net, q); err != nil {
				return err
			}
			if err := propagate(q); err != nil {
				return err
			}
			ranked, err := q.ValueOfInformation(t, costv)
			if err != nil {
				return badInput(err)
			}
			if *top > 0 && len(ranked) > *top {
				ranked = ranked[:*top]
			}
			if *asJSON {
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
		},
	})
}

func bnWhatIfCommand() *command {
	var target *string
	var asJSON *bool
	return netCommand(netCommandSpec{
		name:    "whatif",
		summary: "the target's posterior for each state of each unobserved variable",
		usage: `Usage: tendo bn whatif NET --target VAR [--evidence VAR=STATE,...] [--json]

Sensitivity ("what if") analysis: for every unobserved variable and each of
its states, the target's posterior were that state observed, with the
state's current probability.`,
		flags: func(fa *flagAdder) {
			target = fa.fs.String("target", "", "the target `VAR`")
			fa.ev.register(fa.addList)
			asJSON = fa.fs.Bool("json", false, "print JSON")
		},
		run: func(ctx context.Context, m *Main, path string, fa *flagAdder) error {
			net, err := loadNetwork(path)
			if err != nil {
				return err
			}
			t, _, err := parseTarget(net, *target, false)
			if err != nil {
				return err
			}
			jt, err := compileNetwork(net)
			if err != nil {
				return err
			}
			q := jt.NewQuery()
			if err := fa.ev.apply(net, q); err != nil {
				return err
			}
			if err := propagate(q); err != nil {
				return err
			}
			rows, err := q.Sensitivity(t)
			if err != nil {
				return badInput(err)
			}
			tv := net.Variables[t]
			if *asJSON {
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
		},
	})
}

func bnExplainCommand() *command {
	var target *string
	var asJSON *bool
	return netCommand(netCommandSpec{
		name:    "explain",
		summary: "how much each finding moved a target state's log-odds",
		usage: `Usage: tendo bn explain NET --target VAR=STATE --evidence VAR=STATE,... [--json]

For each finding, the change in the log-odds of the target state that the
finding causes: the log-odds with all the evidence minus the log-odds with
that finding removed (natural log; exp of it is the finding's likelihood
ratio in context).`,
		flags: func(fa *flagAdder) {
			target = fa.fs.String("target", "", "the target `VAR=STATE`")
			fa.ev.register(fa.addList)
			asJSON = fa.fs.Bool("json", false, "print JSON")
		},
		run: func(ctx context.Context, m *Main, path string, fa *flagAdder) error {
			net, err := loadNetwork(path)
			if err != nil {
				return err
			}
			t, ts, err := parseTarget(net, *target, true)
			if err != nil {
				return err
			}
			jt, err := compileNetwork(net)
			if err != nil {
				return err
			}
			q := jt.NewQuery()
			if err := fa.ev.apply(net, q); err != nil {
				return err
			}
			if err := propagate(q); err != nil {
				return err
			}
			contribs, err := q.Contributions(t, ts)
			if err != nil {
				return badInput(err)
			}
			sort.SliceStable(contribs, func(i, j int) bool { return math.Abs(contribs[i].LogOdds) > math.Abs(contribs[j].LogOdds) })
			if *asJSON {
				type row struct {
					Finding string  `json:"finding"`
					LogOdds float64 `json:"logOddsChange"`
					Without float64 `json:"probabilityWithout"`
				}
				out := make([]row, len(contribs))
				for i, c := range contribs {
					out[i] = row{findingName(net, q, c.Var), c.LogOdds, c.Without}
				}
				enc := json.NewEncoder(m.Stdout)
				enc.SetIndent("", "  ")
				return enc.Encode(map[string]any{"target": *target, "probability": q.Marginal(t)[ts], "contributions": out})
			}
			w := bufio.NewWriter(m.Stdout)
			fmt.Fprintf(w, "P(%s | evidence) = %.4f\n\n", *target, q.Marginal(t)[ts])
			for _, c := range contribs {
				fmt.Fprintf(w, "%-32s log-odds %+8.4f   (without it: %.4f)\n", findingName(net, q, c.Var), c.LogOdds, c.Without)
			}
			return w.Flush()
		},
	})
}

func findingName(net *bn.Network, q *bn.Query, v int) string {
	if s := q.HardState(v); s >= 0 {
		return net.Variables[v].Name + "=" + net.Variables[v].States[s]
	}
	return net.Variables[v].Name + " (soft)"
}

func bnInfoCommand() *command {
	return netCommand(netCommandSpec{
		name:    "info",
		summary: "describe a network and its compiled junction tree",
		usage: `Usage: tendo bn info NET

Prints the number of variables, factors and renormalised columns, and the
size of the compiled junction tree.`,
		flags: func(fa *flagAdder) {},
		run: func(ctx context.Context, m *Main, path string, fa *flagAdder) error {
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
		},
	})
}

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

func bnBenchCommand() *command {
	var cases, k, workers *int
	var dur *time.Duration
	var seed *uint64
	return netCommand(netCommandSpec{
		name:    "bench",
		summary: "measure queries per second and the compiled tree's size",
		usage: `Usage: tendo bn bench NET [--cases N] [--evidence-vars K] [--duration D] [--goroutines G]

Compiles the network, draws evidence cases by forward sampling (each keeps
up to K variables of one sample, so every case has positive probability;
Markov networks are queried without evidence), and runs all-marginals
queries for the given duration. With --goroutines > 1 the goroutines share
one compiled tree, each with its own query.`,
		flags: func(fa *flagAdder) {
			cases = fa.fs.Int("cases", 100, "number of evidence `N` cases")
			k = fa.fs.Int("evidence-vars", 0, "at most `K` evidence variables per case (0: a fifth of the variables)")
			dur = fa.fs.Duration("duration", 2*time.Second, "how long to run")
			workers = fa.fs.Int("goroutines", 1, "concurrent queries sharing the tree")
			seed = fa.fs.Uint64("seed", 1, "random seed for the cases")
		},
		run: func(ctx context.Context, m *Main, path string, fa *flagAdder) error {
			if *cases < 1 || *workers < 1 || *dur <= 0 {
				return badInputf("bn bench: --cases, --goroutines and --duration must be positive")
			}
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
			rng := rand.New(rand.NewPCG(*seed, 2))
			maxK := *k
			if maxK <= 0 {
				maxK = max(1, len(net.Variables)/5)
			}
			evs := make([]map[int]int, *cases)
			for i := range evs {
				if net.Directed {
					evs[i] = net.SampleEvidence(rng, 1+rng.IntN(maxK))
				}
			}
			var (
				wg    sync.WaitGroup
				mu    sync.Mutex
				total int
				ferr  error
			)
			deadline := time.Now().Add(*dur)
			began := time.Now()
			for g := 0; g < *workers; g++ {
				wg.Add(1)
				go func(g int) {
					defer wg.Done()
					q := jt.NewQuery()
					n := 0
					for i := g; ; i++ {
						if n%64 == 0 && (time.Now().After(deadline) || ctx.Err() != nil) {
							break
						}
						q.Clear()
						for v, s := range evs[i%len(evs)] {
							_ = q.Observe(v, s)
						}
						if err := q.Propagate(); err != nil {
							mu.Lock()
							ferr = err
							mu.Unlock()
							return
						}
						n++
					}
					mu.Lock()
					total += n
					mu.Unlock()
				}(g)
			}
			wg.Wait()
			if ferr != nil {
				return ferr
			}
			el := time.Since(began)
			qps := float64(total) / el.Seconds()
			fmt.Fprintf(m.Stdout, "%d queries in %s with %d goroutine(s) (GOMAXPROCS %d): %.0f queries/s, %.2f µs per query per goroutine\n",
				total, el.Round(time.Millisecond), *workers, runtime.GOMAXPROCS(0), qps, el.Seconds()*1e6*float64(*workers)/float64(total))
			return nil
		},
	})
}

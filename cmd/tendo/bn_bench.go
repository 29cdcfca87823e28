package main

import (
	"context"
	"flag"
	"fmt"
	"math/rand/v2"
	"runtime"
	"sync"
	"time"
)

const bnBenchUsage = `Usage: tendo bn bench NET [--cases N] [--evidence-vars K] [--duration D] [--goroutines G]

Compiles the network, draws evidence cases by forward sampling (each keeps
up to K variables of one sample, so every case has positive probability;
Markov networks are queried without evidence), and runs all-marginals
queries for the given duration. With --goroutines > 1 the goroutines share
one compiled tree, each with its own query.`

func bnBenchCommand() *command {
	return netCommand("bench", "measure queries per second and the compiled tree's size", bnBenchUsage, &BNBenchCommand{})
}

// BNBenchCommand is tendo bn bench: queries per second on a network.
type BNBenchCommand struct {
	cases, k, workers int
	dur               time.Duration
	seed              uint64
}

func (c *BNBenchCommand) flags(fs *flag.FlagSet) {
	fs.IntVar(&c.cases, "cases", 100, "number of evidence `N` cases")
	fs.IntVar(&c.k, "evidence-vars", 0, "at most `K` evidence variables per case (0: a fifth of the variables)")
	fs.DurationVar(&c.dur, "duration", 2*time.Second, "how long to run")
	fs.IntVar(&c.workers, "goroutines", 1, "concurrent queries sharing the tree")
	fs.Uint64Var(&c.seed, "seed", 1, "random seed for the cases")
}

func (c *BNBenchCommand) run(ctx context.Context, m *Main, path string) error {
	if c.cases < 1 || c.workers < 1 || c.dur <= 0 {
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
	rng := rand.New(rand.NewPCG(c.seed, 2))
	maxK := c.k
	if maxK <= 0 {
		maxK = max(1, len(net.Variables)/5)
	}
	evs := make([]map[int]int, c.cases)
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
	deadline := time.Now().Add(c.dur)
	began := time.Now()
	for g := 0; g < c.workers; g++ {
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
		total, el.Round(time.Millisecond), c.workers, runtime.GOMAXPROCS(0), qps, el.Seconds()*1e6*float64(c.workers)/float64(total))
	return nil
}

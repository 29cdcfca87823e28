package main

import (
	"context"
	"encoding/json"
	"errors"
	"os"

	"github.com/tendo-health/tendo"
	"github.com/tendo-health/tendo/assess"
	"github.com/tendo-health/tendo/intake"
	"github.com/tendo-health/tendo/report"
)

const assessUsage = `Usage: tendo assess FILE|- [--format text|json|html] [--ranges reference|fast|off]
       tendo assess --batch [FILE|-] [--ranges reference|fast|off]

Reads one assessment (JSON or YAML, contract tendo/assessment/v1; "-" or no
file reads standard input) and prints the result: probabilities, the
classification, red flags, an explanation finding by finding, the most
informative next tests, the scores and the integrated plan.
tendo supports clinical judgement; it does not replace it.

--format text   for a terminal (the default)
--format json   the contract's output object
--format html   a self-contained page to print

--ranges reference   the 90% credible intervals by the contract's reference
                     method, Monte Carlo over the model's numbers (the
                     default; about 70 ms an assessment, and 1 s to start)
--ranges fast        a first-order approximation (about 3 ms; it strays up to
                     0.26 from the reference on the public cases)
--ranges off         no intervals: each range is the point (about 1 ms)

--batch reads NDJSON (one assessment per line) and writes NDJSON results in
the same order, one per line, using every core. Blank lines are skipped. A
line that cannot be read (not JSON, a field out of the contract, longer than
1 MiB) gives {"line": N, "error": {...}} in its place and the batch goes on;
the command then exits 2.

Exit codes: 0 done; 2 bad input (the message names the field); 1 other errors.`

func assessCommand() *command {
	return &command{
		name:    "assess",
		summary: "assess a patient: probabilities, red flags, explanation, next tests, plan",
		usage:   assessUsage,
		run:     (&AssessCommand{}).Run,
	}
}

// AssessCommand is tendo assess: one assessment, or a batch of them
// (batch.go).
type AssessCommand struct {
	format  string
	batch   bool
	workers int
	ranges  string
}

// Run runs the command on its arguments.
func (c *AssessCommand) Run(ctx context.Context, m *Main, args []string) error {
	fs := newFlagSet("assess")
	fs.StringVar(&c.format, "format", "text", "output `format`: text, json or html")
	fs.BoolVar(&c.batch, "batch", false, "read NDJSON, write NDJSON results")
	fs.IntVar(&c.workers, "workers", 0, "batch: number of workers (0: one per core)")
	fs.StringVar(&c.ranges, "ranges", "reference", "credible intervals: `reference`, fast or off")
	pos, err := parseArgs(m, fs, assessUsage, args)
	if err != nil {
		return err
	}
	if len(pos) > 1 {
		return badInputf("assess: want one file (or -), got %d arguments", len(pos))
	}
	in := m.Stdin
	name := "standard input"
	if len(pos) == 1 && pos[0] != "-" {
		f, err := os.Open(pos[0])
		if err != nil {
			if errors.Is(err, os.ErrNotExist) {
				return badInputf("%s: no such file", pos[0])
			}
			return badInput(err)
		}
		defer f.Close()
		in, name = f, pos[0]
	}
	eng, err := loadEngine(c.ranges)
	if err != nil {
		return err
	}
	if c.batch {
		return runBatch(ctx, m, eng, in, c.workers)
	}
	switch c.format {
	case "text", "json", "html":
	default:
		return badInputf("assess: --format %q is not one of text, json, html", c.format)
	}
	a, err := intake.Read(in)
	if err != nil {
		return badInputf("%s: %v", name, err)
	}
	res, err := eng.Assess(a)
	if err != nil {
		var se tendo.ScoreErrors
		if errors.As(err, &se) || errors.Is(err, assess.ErrImpossible) {
			return badInputf("%s: %v", name, err)
		}
		return err
	}
	switch c.format {
	case "json":
		enc := json.NewEncoder(m.Stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(res)
	case "html":
		return report.Print(m.Stdout, report.NewDocument(a, res))
	}
	return report.WriteText(m.Stdout, report.NewDocument(a, res))
}

package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/tendo-health/tendo"
)

// Exit codes.
const (
	exitOK       = 0
	exitFailure  = 1 // something went wrong that is not the caller's input
	exitBadInput = 2 // bad arguments or bad input files
)

// Main runs tendo with injectable streams.
type Main struct {
	Stdin  io.Reader
	Stdout io.Writer
	Stderr io.Writer
}

// NewMain returns a Main on the process's standard streams.
func NewMain() *Main {
	return &Main{Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr}
}

// command is one node of the command tree: a group with subcommands, or a
// leaf with a run function.
type command struct {
	name    string
	summary string // one line, shown in the parent's help
	usage   string // full help text (without the list of subcommands)
	run     func(ctx context.Context, m *Main, args []string) error
	subs    []*command
}

// inputError marks an error caused by the caller's arguments or files:
// tendo exits with code 2.
type inputError struct{ err error }

func (e inputError) Error() string { return e.err.Error() }
func (e inputError) Unwrap() error { return e.err }

// badInput wraps err as an input error (exit code 2).
func badInput(err error) error {
	if err == nil {
		return nil
	}
	return inputError{err}
}

// badInputf formats an input error.
func badInputf(format string, args ...any) error {
	return inputError{fmt.Errorf(format, args...)}
}

// errHelp is returned when help was asked for and printed.
var errHelp = errors.New("help requested")

func rootCommand() *command {
	return &command{
		name: "tendo",
		usage: `tendo helps a clinician decide whether Achilles pain comes from the tendon,
the lower back (the S1 nerve root), or both, and what to do about it.
It supports clinical judgement; it does not replace it.

Usage:
  tendo <command> [arguments]`,
		subs: []*command{serveCommand(), assessCommand(), userCommand(), cdsClientCommand() /* issue 11: cds-clinic */, modelCommand(), bnCommand(), gaitCommand(), versionCommand(),
			fhirCommand(), // issue 11: fhir-import
		},
	}
}

// Run runs the command line args (without the program name) and returns
// the exit code. Errors are printed to Stderr as one line.
func (m *Main) Run(ctx context.Context, args []string) int {
	err := dispatch(ctx, m, rootCommand(), args, "tendo")
	switch {
	case err == nil, errors.Is(err, errHelp):
		return exitOK
	default:
		// issue 10: small: one "tendo: " prefix, whatever the error says.
		msg := strings.TrimPrefix(strings.ReplaceAll(err.Error(), "\n", " "), "tendo: ")
		fmt.Fprintf(m.Stderr, "tendo: %s\n", msg)
		var ie inputError
		if errors.As(err, &ie) {
			return exitBadInput
		}
		// The services' errors speak the one vocabulary (tendo.Error): the
		// caller's mistakes exit 2, the program's 1.
		if code := tendo.ErrorCode(err); code != tendo.EINTERNAL {
			return exitBadInput
		}
		return exitFailure
	}
}

func dispatch(ctx context.Context, m *Main, c *command, args []string, path string) error {
	if c.run != nil {
		return c.run(ctx, m, args)
	}
	if len(args) == 0 {
		printGroupHelp(m.Stderr, c, path)
		return badInputf("%smissing command (see '%s --help')", groupLabel(path), path)
	}
	switch args[0] {
	case "-h", "-help", "--help", "help":
		if args[0] == "help" && len(args) > 1 {
			// "tendo help bn query" is "tendo bn query --help".
			return dispatch(ctx, m, c, append(args[1:], "--help"), path)
		}
		printGroupHelp(m.Stdout, c, path)
		return errHelp
	}
	for _, s := range c.subs {
		if s.name == args[0] {
			return dispatch(ctx, m, s, args[1:], path+" "+s.name)
		}
	}
	names := make([]string, len(c.subs))
	for i, s := range c.subs {
		names[i] = s.name
	}
	hint := ""
	if near := nearest(args[0], names); near != "" {
		hint = fmt.Sprintf("; did you mean %q?", near)
	}
	return badInputf("%sunknown command %q%s (see '%s --help')", groupLabel(path), args[0], hint, path)
}

// groupLabel is the prefix that names a command group in its errors: none
// for the root, whose name Run prints already ("tendo: missing command"),
// and "bn: " for "tendo bn" ("tendo: bn: unknown command"), as a leaf's
// flag errors read ("tendo: assess: flag provided but not defined").
func groupLabel(path string) string {
	rest := strings.TrimPrefix(strings.TrimPrefix(path, "tendo"), " ")
	if rest == "" {
		return ""
	}
	return rest + ": "
}

func printGroupHelp(w io.Writer, c *command, path string) {
	fmt.Fprintln(w, c.usage)
	fmt.Fprintln(w, "\nCommands:")
	for _, s := range c.subs {
		fmt.Fprintf(w, "  %-10s %s\n", s.name, s.summary)
	}
	fmt.Fprintf(w, "\nRun '%s <command> --help' for the arguments of a command.\n", path)
}

// newFlagSet returns a FlagSet that prints nothing itself: parseArgs
// prints help and errors.
func newFlagSet(name string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	return fs
}

// parseArgs parses flags that may come before, between or after positional
// arguments (flag.Parse alone stops at the first positional one). "--" ends
// the flags. It prints help and returns errHelp for -h/--help.
func parseArgs(m *Main, fs *flag.FlagSet, usage string, args []string) ([]string, error) {
	var pos []string
	var tail []string
	for i, a := range args {
		if a == "--" {
			tail = args[i+1:]
			args = args[:i]
			break
		}
	}
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				printFlagHelp(m.Stdout, fs, usage)
				return nil, errHelp
			}
			return nil, badInputf("%s: %v (see 'tendo %s --help')", fs.Name(), err, fs.Name())
		}
		rest := fs.Args()
		if len(rest) == 0 {
			break
		}
		pos = append(pos, rest[0])
		args = rest[1:]
	}
	return append(pos, tail...), nil
}

func printFlagHelp(w io.Writer, fs *flag.FlagSet, usage string) {
	fmt.Fprintln(w, usage)
	has := false
	fs.VisitAll(func(*flag.Flag) { has = true })
	if !has {
		return
	}
	fmt.Fprintln(w, "\nFlags:")
	fs.VisitAll(func(f *flag.Flag) {
		name, help := flag.UnquoteUsage(f)
		line := "  --" + f.Name
		if name != "" {
			line += " " + name
		}
		fmt.Fprintf(w, "%s\n      %s", line, help)
		if f.DefValue != "" && f.DefValue != "false" && f.DefValue != "[]" {
			fmt.Fprintf(w, " (default %s)", f.DefValue)
		}
		fmt.Fprintln(w)
	})
}

// listFlag collects a repeatable string flag.
type listFlag []string

func (l *listFlag) String() string     { return strings.Join(*l, " ") }
func (l *listFlag) Set(s string) error { *l = append(*l, s); return nil }

// nearest returns the candidate closest to s by edit distance, if it is
// close enough to be a plausible typo.
func nearest(s string, candidates []string) string {
	best, bestD := "", 1<<30
	for _, c := range candidates {
		d := editDistance(strings.ToLower(s), strings.ToLower(c))
		if d < bestD {
			best, bestD = c, d
		}
	}
	if bestD <= max(2, len(s)/3) {
		return best
	}
	return ""
}

func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}

package bif

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/tendo-health/tendo/bn"
)

// Write writes net, a Bayesian network, to w in BIF format, in the layout of
// the bnlearn repository files: a network block, one variable block per
// variable, then one probability block per variable, with a "table" line for
// a variable without parents and one row per parent configuration (first
// parent slowest) otherwise. Probabilities are formatted with
// strconv.FormatFloat(p, 'g', -1, 64), so they read back bit for bit.
//
// Names that are plain words are written bare; any other name is written in
// double quotes. A name that contains a double quote or a newline cannot be
// written in BIF and is an error, as is an empty variable name.
//
// Write checks the structure of net (one CPT per variable, with the variable
// last, tables of the right size, unique variable and state names) and that
// every entry is finite and nonnegative, but not that columns sum to 1 or
// that the graph is acyclic. Reading the output with Read yields a network
// identical to net (apart from the Renormalized count) whenever net is one
// that Read returned, and more generally whenever net is valid and every
// column sums to exactly 1 in floating point (Read would otherwise
// renormalise it).
func Write(w io.Writer, net *bn.Network) error {
	if net == nil {
		return errors.New("bif: cannot write a nil network")
	}
	if err := checkWritable(net); err != nil {
		return err
	}
	bw := bufio.NewWriterSize(w, 64<<10)
	wr := writer{w: bw, net: net}
	wr.write()
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("bif: %w", err)
	}
	return nil
}

// checkWritable checks everything Write relies on.
func checkWritable(net *bn.Network) error {
	if !net.Directed {
		return errors.New("bif: only Bayesian networks (Directed) can be written as BIF")
	}
	if len(net.Factors) != len(net.Variables) {
		return fmt.Errorf("bif: a Bayesian network needs one table per variable: %d variables, %d tables", len(net.Variables), len(net.Factors))
	}
	if _, err := bifName(net.Name, "network name", true); err != nil {
		return err
	}
	names := make(map[string]bool, len(net.Variables))
	for _, v := range net.Variables {
		if _, err := bifName(v.Name, "variable name", false); err != nil {
			return err
		}
		if names[v.Name] {
			return fmt.Errorf("bif: variable %s is declared twice", quote(v.Name))
		}
		names[v.Name] = true
		if len(v.States) == 0 {
			return fmt.Errorf("bif: variable %s has no states", quote(v.Name))
		}
		states := make(map[string]bool, len(v.States))
		for _, s := range v.States {
			if _, err := bifName(s, "state name", true); err != nil {
				return err
			}
			if states[s] {
				return fmt.Errorf("bif: variable %s lists state %s twice", quote(v.Name), quote(s))
			}
			states[s] = true
		}
	}
	for i, f := range net.Factors {
		name := quote(net.Variables[i].Name)
		if len(f.Vars) == 0 || f.Vars[len(f.Vars)-1] != i {
			return fmt.Errorf("bif: the table of %s must list the variable itself last", name)
		}
		for j, v := range f.Vars {
			if v < 0 || v >= len(net.Variables) {
				return fmt.Errorf("bif: the table of %s refers to variable %d, which does not exist", name, v)
			}
			for _, w := range f.Vars[:j] {
				if v == w {
					return fmt.Errorf("bif: the table of %s lists %s twice", name, quote(net.Variables[v].Name))
				}
			}
		}
		size, err := net.TableSize(f.Vars)
		if err != nil {
			return fmt.Errorf("bif: the table of %s: %w", name, err)
		}
		if len(f.Table) != size {
			return fmt.Errorf("bif: the table of %s has %d entries, want %d", name, len(f.Table), size)
		}
		for _, p := range f.Table {
			if math.IsNaN(p) || math.IsInf(p, 0) || math.Signbit(p) {
				return fmt.Errorf("bif: the table of %s has entry %v; entries must be finite and nonnegative", name, p)
			}
		}
	}
	return nil
}

// bifName returns name as it is written in BIF: bare if it is a plain word,
// otherwise quoted. what describes the name for the error.
func bifName(name, what string, emptyOK bool) (string, error) {
	if isPlain(name) {
		return name, nil
	}
	switch {
	case name == "" && !emptyOK:
		return "", fmt.Errorf("bif: the %s is empty", what)
	case strings.ContainsAny(name, "\"\n"):
		return "", fmt.Errorf("bif: the %s %s cannot be written in BIF: it contains a double quote or a newline", what, quote(name))
	}
	return `"` + name + `"`, nil
}

// writer formats a checked network.
type writer struct {
	w   *bufio.Writer
	net *bn.Network
	buf []byte
}

// name writes a name that checkWritable has accepted.
func (wr *writer) name(s string) {
	q, _ := bifName(s, "", true)
	wr.w.WriteString(q)
}

func (wr *writer) write() {
	w, net := wr.w, wr.net
	w.WriteString("network ")
	wr.name(net.Name)
	w.WriteString(" {\n}\n")
	for _, v := range net.Variables {
		w.WriteString("variable ")
		wr.name(v.Name)
		w.WriteString(" {\n  type discrete [ ")
		w.WriteString(strconv.Itoa(len(v.States)))
		w.WriteString(" ] { ")
		for i, s := range v.States {
			if i > 0 {
				w.WriteString(", ")
			}
			wr.name(s)
		}
		w.WriteString(" };\n}\n")
	}
	for i := range net.Variables {
		wr.cpt(i)
	}
}

// cpt writes the probability block of variable i.
func (wr *writer) cpt(i int) {
	w, net := wr.w, wr.net
	f := net.Factors[i]
	parents := f.Vars[:len(f.Vars)-1]
	card := net.Card(i)
	w.WriteString("probability ( ")
	wr.name(net.Variables[i].Name)
	for j, p := range parents {
		if j == 0 {
			w.WriteString(" | ")
		} else {
			w.WriteString(", ")
		}
		wr.name(net.Variables[p].Name)
	}
	w.WriteString(" ) {\n")
	if len(parents) == 0 {
		w.WriteString("  table ")
		wr.values(f.Table)
		w.WriteString(";\n}\n")
		return
	}
	// Odometer over parent states, last parent fastest, matching the
	// column order of the table.
	state := make([]int, len(parents))
	for off := 0; off+card <= len(f.Table); off += card {
		w.WriteString("  (")
		for j, p := range parents {
			if j > 0 {
				w.WriteString(", ")
			}
			wr.name(net.Variables[p].States[state[j]])
		}
		w.WriteString(") ")
		wr.values(f.Table[off : off+card])
		w.WriteString(";\n")
		for j := len(parents) - 1; j >= 0; j-- {
			state[j]++
			if state[j] < net.Card(parents[j]) {
				break
			}
			state[j] = 0
		}
	}
	w.WriteString("}\n")
}

// values writes probabilities separated by ", ".
func (wr *writer) values(ps []float64) {
	for j, p := range ps {
		if j > 0 {
			wr.w.WriteString(", ")
		}
		wr.buf = strconv.AppendFloat(wr.buf[:0], p, 'g', -1, 64)
		wr.w.Write(wr.buf)
	}
}

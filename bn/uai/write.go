package uai

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"

	"github.com/tendo-health/tendo/bn"
)

// Write writes net as a UAI model file: BAYES for a Bayesian network
// (Directed), with function i the table of variable i, and MARKOV
// otherwise, with the functions in the order of net.Factors. Entries are
// written in the shortest form that reads back to the same float64, so Read
// returns a network with the same variables (by cardinality), scopes and
// tables, bit for bit, provided those tables are acceptable to Read (for a
// BAYES file: an acyclic network whose columns sum to exactly 1, as in any
// network Read returned). Names are not written: the format has none.
//
// Write checks what the format needs to be read back: at least one
// variable, at least one state per variable, scopes of distinct existing
// variables (for a Bayesian network, one per variable, ending with it),
// tables of the right size within bn.MaxTableSize, and finite nonnegative
// entries, and at most 1<<16 states in all for the variables of a Markov
// network that appear in no factor (Read's limit for states that no table
// accounts for). It does not check column sums or acyclicity.
func Write(w io.Writer, net *bn.Network) error {
	if err := checkWritable(net); err != nil {
		return err
	}
	bw := bufio.NewWriter(w)
	buf := make([]byte, 0, 4096)
	flush := func() {
		if len(buf) >= 4096 {
			bw.Write(buf)
			buf = buf[:0]
		}
	}
	if net.Directed {
		buf = append(buf, "BAYES\n"...)
	} else {
		buf = append(buf, "MARKOV\n"...)
	}
	buf = strconv.AppendInt(buf, int64(len(net.Variables)), 10)
	buf = append(buf, '\n')
	for i, v := range net.Variables {
		if i > 0 {
			buf = append(buf, ' ')
		}
		buf = strconv.AppendInt(buf, int64(len(v.States)), 10)
		flush()
	}
	buf = append(buf, '\n')
	buf = strconv.AppendInt(buf, int64(len(net.Factors)), 10)
	buf = append(buf, '\n')
	for _, f := range net.Factors {
		buf = strconv.AppendInt(buf, int64(len(f.Vars)), 10)
		for _, v := range f.Vars {
			buf = append(buf, ' ')
			buf = strconv.AppendInt(buf, int64(v), 10)
		}
		buf = append(buf, '\n')
		flush()
	}
	for _, f := range net.Factors {
		// One line per run of the last variable's states (for a BAYES
		// table, one line per parent configuration).
		run := net.Card(f.Vars[len(f.Vars)-1])
		buf = append(buf, '\n')
		buf = strconv.AppendInt(buf, int64(len(f.Table)), 10)
		for i, p := range f.Table {
			if i%run == 0 {
				buf = append(buf, "\n "...)
			} else {
				buf = append(buf, ' ')
			}
			buf = strconv.AppendFloat(buf, p, 'g', -1, 64)
			flush()
		}
		buf = append(buf, '\n')
	}
	bw.Write(buf)
	return bw.Flush()
}

// checkWritable checks that net can be written in a form Read accepts.
func checkWritable(net *bn.Network) error {
	if net == nil {
		return errors.New("uai: Write needs a network")
	}
	n := len(net.Variables)
	if n == 0 || n > maxCount {
		return fmt.Errorf("uai: Write: the network has %d variables, want 1 to %d", n, maxCount)
	}
	if len(net.Factors) > maxCount {
		return fmt.Errorf("uai: Write: the network has %d factors, more than %d", len(net.Factors), maxCount)
	}
	for i, v := range net.Variables {
		if c := len(v.States); c == 0 || c > maxCount {
			return fmt.Errorf("uai: Write: variable %d (%s) has %d states, want 1 to %d", i, v.Name, c, maxCount)
		}
	}
	if net.Directed && len(net.Factors) != n {
		return fmt.Errorf("uai: Write: a Bayesian network needs one table per variable: %d variables, %d tables", n, len(net.Factors))
	}
	seen := make([]int, n) // factor index + 1 of the scope a variable was last seen in
	for fi, f := range net.Factors {
		if len(f.Vars) == 0 {
			return fmt.Errorf("uai: Write: factor %d has no variables", fi)
		}
		size := 1
		for _, v := range f.Vars {
			if v < 0 || v >= n {
				return fmt.Errorf("uai: Write: factor %d refers to variable %d, which does not exist", fi, v)
			}
			if seen[v] == fi+1 {
				return fmt.Errorf("uai: Write: factor %d lists variable %d twice", fi, v)
			}
			seen[v] = fi + 1
			c := net.Card(v)
			if size > maxCount/c {
				return fmt.Errorf("uai: Write: factor %d has more than %d entries", fi, maxCount)
			}
			size *= c
		}
		if net.Directed && f.Vars[len(f.Vars)-1] != fi {
			return fmt.Errorf("uai: Write: the table of variable %d must list it last in its scope", fi)
		}
		if len(f.Table) != size {
			return fmt.Errorf("uai: Write: factor %d has %d entries, want %d", fi, len(f.Table), size)
		}
		for _, p := range f.Table {
			if !(p >= 0) || math.IsInf(p, 0) {
				return fmt.Errorf("uai: Write: factor %d has entry %v; entries must be finite and nonnegative", fi, p)
			}
		}
	}
	free := 0
	for v := range net.Variables {
		if seen[v] == 0 {
			free += net.Card(v)
		}
	}
	if free > maxFreeStates {
		return fmt.Errorf("uai: Write: the variables in no factor have %d states in all; Read accepts at most %d", free, maxFreeStates)
	}
	return nil
}

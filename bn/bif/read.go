package bif

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"strconv"

	"github.com/tendo-health/tendo/bn"
)

// MaxInputSize is the largest input Read accepts, in bytes after
// decompression. A larger input is an error, not an allocation.
const MaxInputSize = 256 << 20

// MaxDefaultEntries is the largest number of table entries that default lines
// may fill in one network. Explicit values are bounded by the input size; this
// bounds what a short default line can expand to.
const MaxDefaultEntries = 1 << 22

// Read parses a Bayesian network in BIF format from r. Gzip-compressed input
// is recognised by its magic bytes and decompressed transparently.
//
// The network is Directed, with Factors[i] the CPT of Variables[i] over the
// parents (in the order of the probability header) followed by i. Columns
// that sum to 1 within bn.SumTolerance are rescaled by
// bn.Network.Renormalize, and Renormalized holds how many it changed. A
// rescaled column whose sum in floating point is still not exactly 1 then has
// its largest entry moved by a few units in the last place so that it sums to
// exactly 1; this makes the result a fixed point, so that writing it with
// Write and reading it back yields the same numbers.
//
// Errors in the text are *SyntaxError values. A column outside the tolerance
// is a *bn.ColumnError and a cycle a *bn.CycleError; other problems found by
// bn.Network.Validate are returned as it reports them.
func Read(r io.Reader) (*bn.Network, error) {
	br := bufio.NewReader(r)
	var src io.Reader = br
	compressed := false
	magic, err := br.Peek(2)
	if err != nil && err != io.EOF {
		return nil, fmt.Errorf("bif: reading input: %w", err)
	}
	if len(magic) == 2 && magic[0] == 0x1f && magic[1] == 0x8b {
		zr, err := gzip.NewReader(br)
		if err != nil {
			return nil, fmt.Errorf("bif: gzip: %w", err)
		}
		defer zr.Close()
		src = zr
		compressed = true
	}
	data, err := io.ReadAll(io.LimitReader(src, MaxInputSize+1))
	if err != nil {
		if compressed {
			return nil, fmt.Errorf("bif: gzip: %w", err)
		}
		return nil, fmt.Errorf("bif: reading input: %w", err)
	}
	if len(data) > MaxInputSize {
		return nil, fmt.Errorf("bif: input is larger than %d bytes (after decompression)", MaxInputSize)
	}
	return parse(data)
}

// ReadFile reads the BIF file at path (which may be gzip-compressed) with
// Read. Errors other than those of os.Open are prefixed with the path.
func ReadFile(path string) (*bn.Network, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	net, err := Read(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return net, nil
}

// parser holds the state of one Read.
type parser struct {
	lx  lexer
	tok token // the current token
	net *bn.Network

	vars     map[string]int   // variable name -> index
	varPos   []pos            // where each variable is declared
	states   []map[string]int // per variable: state name -> index
	cptPos   []pos            // where each variable's probability block is; zero if none yet
	sawNet   bool             // a network block has been read
	deferred []lexState       // probability blocks that mention variables not yet declared
	defLeft  int              // how many more entries default lines may fill
	scratch  []float64        // reused buffer for table values
	names    []token          // reused buffer for the names in a probability header
	resolved []int            // reused buffer for resolved variable indices
	seen     []bool           // reused buffer: which parent configurations have a column
	defVals  []float64        // reused buffer for default values
}

func parse(src []byte) (*bn.Network, error) {
	src = bytes.TrimPrefix(src, []byte("\ufeff")) // a UTF-8 byte order mark
	p := &parser{
		lx:      newLexer(src),
		net:     &bn.Network{Directed: true},
		vars:    make(map[string]int),
		defLeft: MaxDefaultEntries,
	}
	if err := p.next(); err != nil {
		return nil, err
	}
	if p.tok.kind == tEOF {
		return nil, p.errAt(p.tok.pos, "empty input: no network, variable or probability block")
	}
	if err := p.file(); err != nil {
		return nil, err
	}
	eof := p.tok.pos
	for _, st := range p.deferred {
		// probability starts by reading the token after "probability".
		p.lx.lexState = st
		if err := p.probability(true); err != nil {
			return nil, err
		}
	}
	net := p.net
	if len(net.Variables) == 0 {
		return nil, p.errAt(eof, "the input declares no variables")
	}
	for v, at := range p.cptPos {
		if at.line == 0 {
			return nil, p.errAt(p.varPos[v], fmt.Sprintf("variable %s has no probability block", quote(net.Variables[v].Name)))
		}
	}
	n, err := net.Renormalize()
	if err != nil {
		return nil, err
	}
	net.Renormalized = n
	makeExact(net)
	if err := net.Validate(); err != nil {
		return nil, err
	}
	return net, nil
}

// next reads the next token into p.tok.
func (p *parser) next() error {
	t, err := p.lx.next()
	if err != nil {
		return err
	}
	p.tok = t
	return nil
}

func (p *parser) errAt(at pos, msg string) error {
	return &SyntaxError{Line: at.line, Col: at.col, Msg: msg}
}

// unexpected reports that the current token is not what was expected.
func (p *parser) unexpected(what string) error {
	return p.errAt(p.tok.pos, "expected "+what+", found "+describe(p.tok))
}

// expect consumes the punctuation c, or reports what it found instead;
// context says where, e.g. "after the table".
func (p *parser) expect(c byte, context string) error {
	if !p.tok.is(c) {
		what := strconv.Quote(string(c))
		if context != "" {
			what += " " + context
		}
		return p.unexpected(what)
	}
	return p.next()
}

// remaining is how many bytes of input follow the current token.
func (p *parser) remaining() int {
	return len(p.lx.src) - p.lx.off
}

// file parses the blocks up to the end of the input.
func (p *parser) file() error {
	for {
		var err error
		switch {
		case p.tok.kind == tEOF:
			return nil
		case p.tok.isWord("network"):
			err = p.network()
		case p.tok.isWord("variable"):
			err = p.variable()
		case p.tok.isWord("probability"):
			err = p.probability(false)
		default:
			return p.unexpected(`"network", "variable" or "probability"`)
		}
		if err != nil {
			return err
		}
	}
}

// property skips a property statement; the current token is "property".
func (p *parser) property() error {
	if err := p.next(); err != nil {
		return err
	}
	for !p.tok.is(';') {
		if p.tok.kind == tEOF || p.tok.is('}') || p.tok.is('{') {
			return p.unexpected(`";" after the property`)
		}
		if err := p.next(); err != nil {
			return err
		}
	}
	return p.next()
}

// network parses "network NAME { property ...; }".
func (p *parser) network() error {
	if p.sawNet {
		return p.errAt(p.tok.pos, "a second network block")
	}
	p.sawNet = true
	if err := p.next(); err != nil {
		return err
	}
	if !p.tok.isName() {
		return p.unexpected("the network name")
	}
	p.net.Name = string(p.tok.text)
	if err := p.next(); err != nil {
		return err
	}
	if err := p.expect('{', "after the network name"); err != nil {
		return err
	}
	for !p.tok.is('}') {
		if !p.tok.isWord("property") {
			return p.unexpected(`"property" or "}" in the network block`)
		}
		if err := p.property(); err != nil {
			return err
		}
	}
	return p.next()
}

// variable parses "variable NAME { type discrete [ N ] { states }; }".
func (p *parser) variable() error {
	if err := p.next(); err != nil {
		return err
	}
	if !p.tok.isName() {
		return p.unexpected("a variable name")
	}
	nameTok := p.tok
	name := string(nameTok.text)
	if name == "" {
		return p.errAt(nameTok.pos, "a variable name cannot be empty")
	}
	if v, ok := p.vars[name]; ok {
		return p.errAt(nameTok.pos, fmt.Sprintf("variable %s is declared twice (first at line %d)", quote(name), p.varPos[v].line))
	}
	if err := p.next(); err != nil {
		return err
	}
	if err := p.expect('{', "after the variable name"); err != nil {
		return err
	}
	var states []string
	var index map[string]int
	typed := false
	for !p.tok.is('}') {
		switch {
		case p.tok.isWord("property"):
			if err := p.property(); err != nil {
				return err
			}
			continue
		case p.tok.isWord("type"):
		default:
			return p.unexpected(`"type", "property" or "}" in the variable block`)
		}
		if typed {
			return p.errAt(p.tok.pos, fmt.Sprintf("variable %s has a second type declaration", quote(name)))
		}
		typed = true
		if err := p.next(); err != nil {
			return err
		}
		if !p.tok.isWord("discrete") {
			return p.unexpected(`"discrete" (only discrete variables are supported)`)
		}
		if err := p.next(); err != nil {
			return err
		}
		if err := p.expect('[', `after "discrete"`); err != nil {
			return err
		}
		nTok := p.tok
		n, ok := parseCount(nTok)
		if !ok {
			return p.unexpected("the number of states")
		}
		if n == 0 {
			return p.errAt(nTok.pos, fmt.Sprintf("variable %s must have at least one state", quote(name)))
		}
		// Each state takes at least one byte and all but the last a separator.
		if n > (p.remaining()+1)/2 || n > bn.MaxTableSize {
			return p.errAt(nTok.pos, fmt.Sprintf("variable %s declares %d states, more than the rest of the input could hold", quote(name), n))
		}
		if err := p.next(); err != nil {
			return err
		}
		if err := p.expect(']', "after the number of states"); err != nil {
			return err
		}
		if err := p.expect('{', "before the list of states"); err != nil {
			return err
		}
		index = make(map[string]int, min(n, 64))
		for !p.tok.is('}') {
			if len(states) > 0 && p.tok.is(',') {
				if err := p.next(); err != nil {
					return err
				}
			}
			if !p.tok.isName() {
				if len(states) > 0 && p.tok.kind != tEOF {
					return p.unexpected(`a state name or "}"`)
				}
				return p.unexpected("a state name")
			}
			s := string(p.tok.text)
			if _, dup := index[s]; dup {
				return p.errAt(p.tok.pos, fmt.Sprintf("variable %s lists state %s twice", quote(name), quote(s)))
			}
			index[s] = len(states)
			states = append(states, s)
			if err := p.next(); err != nil {
				return err
			}
		}
		if err := p.next(); err != nil {
			return err
		}
		if len(states) != n {
			return p.errAt(nTok.pos, fmt.Sprintf("variable %s declares %d states but lists %d", quote(name), n, len(states)))
		}
		if err := p.expect(';', "after the list of states"); err != nil {
			return err
		}
	}
	if !typed {
		return p.errAt(p.tok.pos, fmt.Sprintf("variable %s has no type declaration", quote(name)))
	}
	if err := p.next(); err != nil {
		return err
	}
	p.vars[name] = len(p.net.Variables)
	p.net.Variables = append(p.net.Variables, bn.Variable{Name: name, States: states})
	p.net.Factors = append(p.net.Factors, bn.Factor{})
	p.varPos = append(p.varPos, nameTok.pos)
	p.states = append(p.states, index)
	p.cptPos = append(p.cptPos, pos{})
	return nil
}

// parseCount parses a decimal count such as the N of "[ N ]".
func parseCount(t token) (int, bool) {
	if t.kind != tWord || len(t.text) == 0 {
		return 0, false
	}
	n := 0
	for _, b := range t.text {
		if b < '0' || b > '9' {
			return 0, false
		}
		if n < 1<<40 { // saturate: any count this large is rejected anyway
			n = n*10 + int(b-'0')
		}
	}
	return n, true
}

// probability parses a probability block; the current token is
// "probability". In the first pass (final false) a block that mentions a
// variable not yet declared is checked for syntax only and queued; in the
// final pass every variable must be known.
func (p *parser) probability(final bool) error {
	resume := p.lx.lexState
	if err := p.next(); err != nil {
		return err
	}
	if err := p.expect('(', `after "probability"`); err != nil {
		return err
	}
	// Header: CHILD [|] P1 [,] P2 ... )
	names := p.names[:0]
	bar := false // saw "|"
	sep := false // the last token was "|" or ","
	for !p.tok.is(')') {
		t := p.tok
		switch {
		case t.isName():
			names = append(names, t)
			sep = false
		case t.is('|') && len(names) == 1 && !bar && !sep:
			bar, sep = true, true
		case t.is(',') && len(names) >= 1 && !sep:
			sep = true
		case len(names) == 0:
			return p.unexpected("the name of the child variable")
		case sep:
			return p.unexpected("a parent name")
		default:
			return p.unexpected(`a variable name or ")"`)
		}
		if err := p.next(); err != nil {
			return err
		}
	}
	if len(names) == 0 {
		return p.unexpected("the name of the child variable")
	}
	if sep {
		return p.unexpected("a parent name")
	}
	p.names = names
	if err := p.next(); err != nil {
		return err
	}
	// Resolve the names.
	ids := p.resolved[:0]
	known := true
	for _, t := range names {
		v, ok := p.vars[string(t.text)]
		if !ok {
			if final {
				return p.errAt(t.pos, fmt.Sprintf("unknown variable %s", quote(string(t.text))))
			}
			known = false
			break
		}
		ids = append(ids, v)
	}
	p.resolved = ids
	if !known {
		p.deferred = append(p.deferred, resume)
		return p.body(nil)
	}
	child := ids[0]
	childTok := names[0]
	if at := p.cptPos[child]; at.line != 0 {
		return p.errAt(childTok.pos, fmt.Sprintf("variable %s has a second probability block (the other is at line %d)", quote(p.net.Variables[child].Name), at.line))
	}
	// Factor variables: parents in header order, then the child.
	vars := make([]int, 0, len(ids))
	vars = append(vars, ids[1:]...)
	vars = append(vars, child)
	for i, v := range ids {
		for _, w := range ids[:i] {
			if v == w {
				return p.errAt(names[i].pos, fmt.Sprintf("variable %s appears twice in the probability header", quote(p.net.Variables[v].Name)))
			}
		}
	}
	size, err := p.net.TableSize(vars)
	if err != nil {
		return p.errAt(childTok.pos, fmt.Sprintf("the table of %s would have more than %d entries", quote(p.net.Variables[child].Name), bn.MaxTableSize))
	}
	// Each explicit value takes at least one byte and a separator; default
	// lines can fill at most p.defLeft more.
	if size > (p.remaining()+1)/2+p.defLeft {
		return p.errAt(childTok.pos, fmt.Sprintf("the table of %s has %d entries, more than the rest of the input could hold", quote(p.net.Variables[child].Name), size))
	}
	c := &cpt{
		child:   child,
		vars:    vars,
		card:    p.net.Card(child),
		table:   make([]float64, size),
		parents: ids[1:],
	}
	c.configs = size / c.card
	if err := p.body(c); err != nil {
		return err
	}
	p.net.Factors[child] = bn.Factor{Vars: vars, Table: c.table}
	p.cptPos[child] = childTok.pos
	return nil
}

// cpt is the table under construction in a probability block.
type cpt struct {
	child   int
	parents []int // in header order
	vars    []int
	card    int // states of the child
	configs int // parent configurations
	table   []float64
}

// body parses "{ statements }" of a probability block into c, or, when c is
// nil, checks only its syntax.
func (p *parser) body(c *cpt) error {
	if err := p.expect('{', "after the probability header"); err != nil {
		return err
	}
	var seen []bool
	if c != nil {
		if cap(p.seen) >= c.configs {
			seen = p.seen[:c.configs]
			clear(seen)
		} else {
			seen = make([]bool, c.configs)
			p.seen = seen
		}
	}
	nseen := 0
	rows, hasTable := false, false
	var defTok token
	hasDefault := false
	def := p.defVals[:0]
	for !p.tok.is('}') {
		stmt := p.tok
		switch {
		case p.tok.isWord("property"):
			if err := p.property(); err != nil {
				return err
			}
		case p.tok.is('('):
			if hasTable {
				return p.errAt(stmt.pos, "a row after the table: use either rows or a table")
			}
			rows = true
			cfg, err := p.row(c)
			if err != nil {
				return err
			}
			var dst []float64
			if c != nil {
				if seen[cfg] {
					return p.errAt(stmt.pos, fmt.Sprintf("duplicate row %s in the table of %s", showRow(p.configStates(c, cfg)), quote(p.net.Variables[c.child].Name)))
				}
				seen[cfg] = true
				nseen++
				dst = c.table[cfg*c.card : (cfg+1)*c.card]
			}
			if err := p.values(dst, c, "the row", cfg); err != nil {
				return err
			}
		case p.tok.isWord("table"):
			if hasTable {
				return p.errAt(stmt.pos, "a second table")
			}
			if rows {
				return p.errAt(stmt.pos, "a table after rows: use either rows or a table")
			}
			if hasDefault {
				return p.errAt(stmt.pos, "a table after a default: use either a table or rows and a default")
			}
			hasTable = true
			if err := p.next(); err != nil {
				return err
			}
			if c == nil {
				if err := p.values(nil, nil, "the table", -1); err != nil {
					return err
				}
				break
			}
			// The table lists the child's state slowest and the parent
			// configuration fastest; bn.Factor wants the child fastest.
			if c.configs == 1 {
				if err := p.values(c.table, c, "the table", -1); err != nil {
					return err
				}
			} else {
				if cap(p.scratch) < len(c.table) {
					p.scratch = make([]float64, len(c.table))
				}
				buf := p.scratch[:len(c.table)]
				if err := p.values(buf, c, "the table", -1); err != nil {
					return err
				}
				for s := 0; s < c.card; s++ {
					for cfg := 0; cfg < c.configs; cfg++ {
						c.table[cfg*c.card+s] = buf[s*c.configs+cfg]
					}
				}
			}
			for i := range seen {
				seen[i] = true
			}
			nseen = len(seen)
		case p.tok.isWord("default"):
			if hasDefault {
				return p.errAt(stmt.pos, "a second default")
			}
			if hasTable {
				return p.errAt(stmt.pos, "a default after the table: use either a table or rows and a default")
			}
			hasDefault = true
			defTok = stmt
			if err := p.next(); err != nil {
				return err
			}
			if c != nil {
				if cap(def) < c.card {
					def = make([]float64, c.card)
					p.defVals = def
				}
				def = def[:c.card]
			}
			if err := p.values(def, c, "the default", -1); err != nil {
				return err
			}
		default:
			return p.unexpected(`a row "(...)", "table", "default", "property" or "}"`)
		}
	}
	if c != nil && nseen < c.configs {
		if !hasDefault {
			missing := 0
			for i := range seen {
				if !seen[i] {
					missing = i
					break
				}
			}
			more := ""
			if n := c.configs - nseen; n > 1 {
				more = fmt.Sprintf(" (and %d more)", n-1)
			}
			what := "no table"
			if rows {
				what = fmt.Sprintf("no row for %s%s", showRow(p.configStates(c, missing)), more)
			}
			return p.errAt(p.tok.pos, fmt.Sprintf("the probability block of %s has %s and no default", quote(p.net.Variables[c.child].Name), what))
		}
		fill := (c.configs - nseen) * c.card
		if fill > p.defLeft {
			return p.errAt(defTok.pos, fmt.Sprintf("the default fills %d entries; default lines may fill at most %d in a network", fill, MaxDefaultEntries))
		}
		p.defLeft -= fill
		for cfg, ok := range seen {
			if !ok {
				copy(c.table[cfg*c.card:], def)
			}
		}
	}
	return p.next()
}

// row parses the "(s1, s2, ...)" of a row and returns the index of the
// parent configuration (first parent slowest). With c nil it checks syntax
// only.
func (p *parser) row(c *cpt) (int, error) {
	if err := p.next(); err != nil {
		return 0, err
	}
	n := 0
	cfg := 0
	for !p.tok.is(')') {
		if n > 0 && p.tok.is(',') {
			if err := p.next(); err != nil {
				return 0, err
			}
			if !p.tok.isName() {
				return 0, p.unexpected("a state name")
			}
		}
		if !p.tok.isName() {
			return 0, p.unexpected(`a state name or ")"`)
		}
		if c != nil {
			if n >= len(c.parents) {
				return 0, p.errAt(p.tok.pos, fmt.Sprintf("too many states in a row of %s, which has %d parents", quote(p.net.Variables[c.child].Name), len(c.parents)))
			}
			v := c.parents[n]
			s, ok := p.states[v][string(p.tok.text)]
			if !ok {
				return 0, p.errAt(p.tok.pos, fmt.Sprintf("unknown state %s of variable %s", quote(string(p.tok.text)), quote(p.net.Variables[v].Name)))
			}
			cfg = cfg*p.net.Card(v) + s
		}
		n++
		if err := p.next(); err != nil {
			return 0, err
		}
	}
	if c != nil && n < len(c.parents) {
		return 0, p.errAt(p.tok.pos, fmt.Sprintf("a row of %s needs %d states, one per parent, but lists %d", quote(p.net.Variables[c.child].Name), len(c.parents), n))
	}
	return cfg, p.next()
}

// configStates returns the parent states of configuration cfg of c.
func (p *parser) configStates(c *cpt, cfg int) []string {
	out := make([]string, len(c.parents))
	for i := len(c.parents) - 1; i >= 0; i-- {
		v := c.parents[i]
		k := p.net.Card(v)
		out[i] = p.net.Variables[v].States[cfg%k]
		cfg /= k
	}
	return out
}

// label names a list of values for error messages, e.g. `the row (yes, no)
// of "dysp"`; cfg is the parent configuration of a row, or -1.
func (p *parser) label(what string, c *cpt, cfg int) string {
	if c == nil {
		return what
	}
	if cfg >= 0 {
		what += " " + showRow(p.configStates(c, cfg))
	}
	return what + " of " + quote(p.net.Variables[c.child].Name)
}

// values parses a list of probabilities ending in ";". With c not nil the
// list must have exactly len(dst) values, which it stores in dst; with c nil
// only the syntax is checked. what, c and cfg describe the list for error
// messages (see label).
func (p *parser) values(dst []float64, c *cpt, what string, cfg int) error {
	n := 0
	comma := false
	for {
		t := p.tok
		if t.is(';') && !comma && n > 0 {
			break
		}
		if t.is(',') && !comma && n > 0 {
			comma = true
			if err := p.next(); err != nil {
				return err
			}
			continue
		}
		v, err := 0.0, error(nil)
		if t.kind == tWord {
			v, err = strconv.ParseFloat(string(t.text), 64)
			if errors.Is(err, strconv.ErrRange) {
				err = nil // overflow is caught below; underflow to 0 is fine
			}
		}
		if t.kind != tWord || err != nil {
			if comma || n == 0 {
				return p.unexpected("a probability")
			}
			if c != nil && cfg >= 0 {
				what += " " + showRow(p.configStates(c, cfg))
			}
			return p.unexpected(`";" after ` + what)
		}
		switch {
		case math.IsNaN(v) || math.IsInf(v, 0):
			return p.errAt(t.pos, fmt.Sprintf("probability %s is not a finite number", quote(string(t.text))))
		case math.Signbit(v):
			return p.errAt(t.pos, fmt.Sprintf("probability %s is negative", quote(string(t.text))))
		}
		if c != nil {
			if n >= len(dst) {
				return p.errAt(t.pos, fmt.Sprintf("too many values in %s: want %d", p.label(what, c, cfg), len(dst)))
			}
			dst[n] = v
		}
		n++
		comma = false
		if err := p.next(); err != nil {
			return err
		}
	}
	if c != nil && n < len(dst) {
		return p.errAt(p.tok.pos, fmt.Sprintf("too few values in %s: found %d, want %d", p.label(what, c, cfg), n, len(dst)))
	}
	return p.next()
}

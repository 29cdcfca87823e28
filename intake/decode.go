package intake

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/tendo-health/tendo"
)

// MaxSize is the largest document Parse and Read accept, and the longest
// line NewLineReader accepts: 1 MiB. An assessment is a few kilobytes.
const MaxSize = 1 << 20

// Parse reads one assessment from JSON or YAML. A document whose first
// byte other than white space (and a UTF-8 byte-order mark) is '{' is
// read as JSON, anything else as YAML.
//
// It returns the assessment, or nil and an Errors listing every problem
// found (see the package documentation for the rules).
func Parse(data []byte) (*tendo.Assessment, error) {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	if t := bytes.TrimLeft(data, " \t\r\n"); len(t) > 0 && t[0] == '{' {
		return ParseJSON(data)
	}
	return ParseYAML(data)
}

// ParseJSON reads one assessment from JSON. Like Parse, it returns nil
// and an Errors when the document is not a valid assessment.
func ParseJSON(data []byte) (*tendo.Assessment, error) {
	if err := checkSize(len(data)); err != nil {
		return nil, err
	}
	return parseJSON(data, func(pos int) string {
		line, col := jsonPosition(data, pos)
		return fmt.Sprintf("line %d, column %d", line, col)
	})
}

// parseJSON is ParseJSON with where, which names the position of a syntax
// error in its message.
func parseJSON(data []byte, where func(pos int) string) (*tendo.Assessment, error) {
	tree, err := jsonTree(data)
	d := &decoder{line: jsonLines(data), where: where}
	return d.run(tree, err)
}

// jsonPosition returns the 1-based line and column of byte offset pos. The
// column counts characters (UTF-8 code points), not bytes, so it matches
// what an editor shows. issue 10: small.
func jsonPosition(data []byte, pos int) (line, col int) {
	pos = min(max(pos, 0), len(data))
	start := bytes.LastIndexByte(data[:pos], '\n') + 1
	return bytes.Count(data[:pos], []byte{'\n'}) + 1, utf8.RuneCount(data[start:pos]) + 1
}

// ParseYAML reads one assessment from YAML (one document). Like Parse,
// it returns nil and an Errors when the document is not a valid
// assessment.
func ParseYAML(data []byte) (*tendo.Assessment, error) {
	if err := checkSize(len(data)); err != nil {
		return nil, err
	}
	tree, err := yamlTree(data)
	d := &decoder{line: func(pos int) int { return pos }, where: func(line int) string {
		if line <= 0 {
			return ""
		}
		return fmt.Sprintf("line %d", line)
	}}
	return d.run(tree, err)
}

// Read reads one assessment, JSON or YAML, from r, as Parse does. Input
// larger than MaxSize is an error; at most MaxSize+1 bytes are read. A
// failure of r is returned as is, not as an Errors.
func Read(r io.Reader) (*tendo.Assessment, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxSize+1))
	if err != nil {
		return nil, err
	}
	return Parse(data)
}

// jsonLines returns a function from byte offset to 1-based line. The
// index of line starts is built on the first call, that is, only when
// there is an error to report.
func jsonLines(data []byte) func(pos int) int {
	var starts []int // offsets just after each newline
	return func(pos int) int {
		if starts == nil {
			starts = make([]int, 0, 64)
			for i, c := range data {
				if c == '\n' {
					starts = append(starts, i+1)
				}
			}
		}
		n, _ := slices.BinarySearch(starts, pos+1)
		return n + 1
	}
}

func checkSize(n int) error {
	if n > MaxSize {
		return Errors{invalid("", nil, "", "input is larger than 1 MiB", 0)}
	}
	return nil
}

// maxErrors bounds the problems listed for one document. A real
// assessment has about a hundred fields; a document with more problems
// than this is not one, and listing them all would let hostile input cost
// unbounded time and memory.
const maxErrors = 1000

// A decoder walks one document's tree against the schema.
type decoder struct {
	a    *tendo.Assessment
	errs Errors
	line func(pos int) int
	// where names a syntax error's position for its message ("line 3,
	// column 14"), "" when not known.
	where func(pos int) string
	m     measure // scratch for the outcome measure being decoded
}

// full reports whether maxErrors problems have been found; decoding stops.
func (d *decoder) full() bool { return len(d.errs) > maxErrors }

// measure is what a PROM's fields leave for its post hook.
type measure struct {
	item8   tendo.VISAAItem8
	bad     []bool // answers that failed type checks (and hold a placeholder)
	anyBad  bool
	partBad bool  // answers or score was present but unusable
	pos     []int // where each answer was written
}

func (m *measure) reset() { *m = measure{} }

func (m *measure) markBad(i int) {
	for len(m.bad) <= i {
		m.bad = append(m.bad, false)
	}
	m.bad[i], m.anyBad = true, true
}

func (d *decoder) run(tree node, err error) (*tendo.Assessment, error) {
	if err != nil {
		var se *syntaxError
		if errors.As(err, &se) {
			// A syntax error has no field to name, so its message says
			// where it is (the README promises line and column for JSON).
			msg := se.msg
			if w := d.where(se.pos); w != "" && msg != "empty document" {
				msg = w + ": " + msg
			}
			return nil, Errors{invalid("", nil, "", msg, d.line(se.pos))}
		}
		return nil, Errors{invalid("", nil, "", err.Error(), 0)}
	}
	d.a = new(tendo.Assessment)
	switch tree.kind {
	case nInvalid:
		d.failPath(tree.pos, "", show(&tree), tree.msg)
	case nObject:
		d.object(root, &tree, "", reflect.ValueOf(d.a).Elem())
		d.rules(&tree)
	default:
		d.failPath(tree.pos, "", show(&tree), "is not an assessment; the document must be an object")
	}
	if len(d.errs) > 0 {
		return nil, d.errs
	}
	return d.a, nil
}

// loc is where a value sits: the path of its parent and its name, or its
// index in its parent array. The full path is built only for errors.
type loc struct {
	parent string
	name   string
	index  int // -1 for a named field
}

func at(parent, name string) loc { return loc{parent: parent, name: name, index: -1} }

func (l loc) String() string {
	if l.index >= 0 {
		return l.parent + "[" + strconv.Itoa(l.index) + "]"
	}
	return join(l.parent, l.name)
}

func (d *decoder) fail(pos int, l loc, value, msg string) {
	d.failPath(pos, l.String(), value, msg)
}

func (d *decoder) failPath(pos int, path, value, msg string) {
	d.add(invalid(path, nil, value, msg, d.line(pos)))
}

// add records a problem, up to maxErrors and a last one saying so.
func (d *decoder) add(e *FieldError) {
	switch {
	case len(d.errs) < maxErrors:
		d.errs = append(d.errs, e)
	case len(d.errs) == maxErrors:
		d.errs = append(d.errs, invalid("", nil, "", fmt.Sprintf("too many problems; only the first %d are listed", maxErrors), 0))
	}
}

// wrongType reports a value of the wrong type; for a value YAML could not
// give (an alias, a hexadecimal number) it reports why.
func (d *decoder) wrongType(n *node, l loc, msg string) {
	if n.kind == nInvalid {
		d.fail(n.pos, l, show(n), n.msg)
		return
	}
	d.fail(n.pos, l, show(n), msg)
}

// show renders a value for a message: strings quoted (and cut at 40
// characters), numbers as written.
func show(n *node) string {
	switch n.kind {
	case nString:
		s := n.text
		if utf8.RuneCountInString(s) > 40 {
			r := []rune(s)
			s = string(r[:40]) + "…"
		}
		return strconv.Quote(s)
	case nNumber:
		return n.text
	case nBool:
		return strconv.FormatBool(n.b)
	case nNull:
		return "null"
	case nObject:
		return "{…}"
	case nArray:
		return "[…]"
	}
	if len(n.text) > 40 {
		return n.text[:40] + "…"
	}
	return n.text
}

// object decodes an object against f into v, the object's struct value
// (invalid for the parts of an outcome measure, which have setters of
// their own): every member is a known field at most once; null means
// absent; required fields are present.
func (d *decoder) object(f *field, n *node, path string, v reflect.Value) {
	if f.open != nil {
		f.open(d)
	}
	var seen, present uint64
	for i := range n.members {
		if d.full() {
			return
		}
		m := &n.members[i]
		c := f.byName[m.key]
		if c == nil {
			d.unknown(f, path, m)
			continue
		}
		bit := uint64(1) << c.index
		if seen&bit != 0 {
			d.failPath(m.pos, join(path, m.key), "", "duplicate key")
			continue
		}
		seen |= bit
		if m.val.kind == nNull && !c.nullable {
			continue // absent
		}
		present |= bit
		var cv reflect.Value
		if v.IsValid() && c.sf >= 0 {
			cv = v.Field(c.sf)
		}
		switch {
		case c.set != nil:
			c.set(d, &m.val, at(path, m.key), cv)
		case m.val.kind != nObject:
			d.wrongType(&m.val, at(path, m.key), "must be an object")
		default:
			if c.open != nil {
				cv = reflect.Value{}
			} else if cv.IsValid() && cv.Kind() == reflect.Pointer {
				if cv.IsNil() {
					cv.Set(reflect.New(cv.Type().Elem()))
				}
				cv = cv.Elem()
			}
			d.object(c, &m.val, join(path, m.key), cv)
		}
	}
	for _, c := range f.children {
		if c.required && present&(uint64(1)<<c.index) == 0 {
			msg := "required"
			if c.want != "" {
				msg += "; " + c.want
			}
			d.failPath(n.pos, join(path, c.name), "", msg)
		}
	}
	if f.post != nil {
		f.post(d, n, path)
	}
}

// unknown reports a member that is not a field of f, suggesting the
// nearest field at that level, or the field of that name at another level.
func (d *decoder) unknown(f *field, path string, m *member) {
	msg := "unknown field"
	// In a small object (heelRaiseReps) the allowed names say more than a
	// field of that name elsewhere (left is exam.neuro.left).
	if s := suggest(f, path, m.key, len(f.children) > 3); s != "" {
		msg += "; did you mean " + s + "?"
	} else if len(f.children) <= 3 {
		names := make([]string, len(f.children))
		for i, c := range f.children {
			names[i] = c.name
		}
		msg += "; allowed " + strings.Join(names, ", ")
	}
	d.failPath(m.pos, join(path, m.key), "", msg)
}

// suggest returns the path of the known field nearest to key, or "";
// elsewhere allows a field of that name at another level.
func suggest(f *field, path, key string, elsewhere bool) string {
	if len(key) > 40 {
		return ""
	}
	lk := strings.ToLower(key)
	best, bestD, ties := "", 1<<30, 0
	for _, c := range f.children {
		dist := editDistance(lk, strings.ToLower(c.name))
		switch {
		case dist < bestD:
			best, bestD, ties = join(path, c.name), dist, 0
		case dist == bestD:
			ties++
		}
	}
	if best != "" && ties == 0 && bestD <= closeEnough(len(lk)) {
		return best
	}
	// A unique field name that starts with what was written
	// ("royalLondon" for royalLondonTest).
	if len(lk) >= 4 {
		var hit string
		for _, c := range f.children {
			if strings.HasPrefix(strings.ToLower(c.name), lk) {
				if hit != "" {
					hit = ""
					break
				}
				hit = join(path, c.name)
			}
		}
		if hit != "" {
			return hit
		}
	}
	// The same name at another level ("ageYears" at the top).
	if elsewhere {
		return shallowest(byLeafName[lk])
	}
	return ""
}

// shallowest returns the path of the one field of fs nearest the top
// ("exam.ankleReflex" rather than "exam.neuro.left.ankleReflex"), or ""
// when there is no such field or two at that depth.
func shallowest(fs []*field) string {
	best, bestDepth, ties := "", 1<<30, 0
	for _, f := range fs {
		if f.path == "" || strings.Contains(f.path, "[") {
			continue
		}
		switch depth := strings.Count(f.path, "."); {
		case depth < bestDepth:
			best, bestDepth, ties = f.path, depth, 0
		case depth == bestDepth:
			ties++
		}
	}
	if ties > 0 {
		return ""
	}
	return best
}

// closeEnough is the largest edit distance still taken for a typo.
func closeEnough(n int) int {
	switch {
	case n <= 4:
		return 1
	case n <= 10:
		return 2
	}
	return 3
}

// editDistance is the optimal-string-alignment distance between a and b:
// insertions, deletions, substitutions and transpositions of adjacent
// bytes each cost 1.
func editDistance(a, b string) int {
	prev2 := make([]int, len(b)+1)
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(b)]
}

// number decodes a finite number within [lo, hi] (nil for no bound).
func (d *decoder) number(n *node, l loc, lo, hi *float64) (float64, bool) {
	if n.kind != nNumber {
		d.wrongType(n, l, "must be a number")
		return 0, false
	}
	if !finite(n.num) {
		d.fail(n.pos, l, show(n), "is out of range"+allowed(lo, hi))
		return 0, false
	}
	if (lo != nil && n.num < *lo) || (hi != nil && n.num > *hi) {
		d.fail(n.pos, l, show(n), "is out of range"+allowed(lo, hi))
		return 0, false
	}
	return n.num, true
}

// maxInt bounds integers with no range of their own, so that conversion
// to int is exact.
const maxInt = 1 << 31

// integer decodes a whole number within [lo, hi]. A number written with a
// zero fraction (45.0) is whole.
func (d *decoder) integer(n *node, l loc, lo, hi *float64) (int, bool) {
	if n.kind != nNumber {
		d.wrongType(n, l, "must be an integer")
		return 0, false
	}
	if finite(n.num) && n.num != math.Trunc(n.num) {
		d.fail(n.pos, l, show(n), "must be an integer")
		return 0, false
	}
	if !finite(n.num) || (lo != nil && n.num < *lo) || (hi != nil && n.num > *hi) || math.Abs(n.num) > maxInt {
		d.fail(n.pos, l, show(n), "is out of range"+allowed(lo, hi))
		return 0, false
	}
	return int(n.num), true
}

func allowed(lo, hi *float64) string {
	switch {
	case lo != nil && hi != nil:
		return "; allowed " + ftoa(*lo) + "–" + ftoa(*hi)
	case lo != nil:
		return "; allowed ≥ " + ftoa(*lo)
	case hi != nil:
		return "; allowed ≤ " + ftoa(*hi)
	}
	return ""
}

func ftoa(f float64) string { return strconv.FormatFloat(f, 'g', -1, 64) }

// enum decodes a string that must be one of values.
func (d *decoder) enum(n *node, l loc, values []string) (string, bool) {
	if n.kind != nString {
		d.wrongType(n, l, "must be one of "+strings.Join(values, ", "))
		return "", false
	}
	for _, v := range values {
		if n.text == v {
			return v, true
		}
	}
	d.fail(n.pos, l, show(n), "is not allowed; allowed "+strings.Join(values, ", "))
	return "", false
}

// date decodes a calendar date written YYYY-MM-DD.
func (d *decoder) date(n *node, l loc) (string, bool) {
	if n.kind != nString {
		d.wrongType(n, l, "must be a date written YYYY-MM-DD")
		return "", false
	}
	if _, err := time.Parse(time.DateOnly, n.text); len(n.text) != 10 || err != nil {
		d.fail(n.pos, l, show(n), "is not a valid date; want YYYY-MM-DD")
		return "", false
	}
	return n.text, true
}

// array checks that n is an array, for the answers of a measure.
func (d *decoder) array(n *node, l loc) bool {
	if n.kind != nArray {
		d.wrongType(n, l, "must be an array")
		d.m.partBad = true
		return false
	}
	d.m.pos = make([]int, len(n.items))
	for i := range n.items {
		d.m.pos[i] = n.items[i].pos
	}
	return true
}

// visaAAnswers decodes the VISA-A answers: numbers, or an item-8 object.
// Which item must be which, ranges and branch points are checked by
// tendo.ScoreVISAA in the measure's post hook.
func (d *decoder) visaAAnswers(n *node, l loc, item8 *field) {
	if !d.array(n, l) {
		return
	}
	path := l.String()
	answers := make([]tendo.VISAAAnswer, len(n.items))
	for i := range n.items {
		it := &n.items[i]
		il := loc{parent: path, index: i}
		switch it.kind {
		case nNumber:
			if v, ok := d.integer(it, il, nil, nil); ok {
				answers[i] = tendo.VISAAAnswer{Points: v}
				continue
			}
		case nObject:
			before := len(d.errs)
			d.m.item8 = tendo.VISAAItem8{}
			d.object(item8, it, il.String(), reflect.Value{})
			if len(d.errs) == before {
				it8 := d.m.item8
				answers[i] = tendo.VISAAAnswer{Item8: &it8}
				continue
			}
		default:
			d.wrongType(it, il, `must be a number, or for item 8 an object {"branch", "points"}`)
		}
		d.m.markBad(i)
		if i == tendo.VISAAItems-1 {
			answers[i] = tendo.VISAAAnswer{Item8: &tendo.VISAAItem8{Branch: tendo.VISAABranchA}}
		}
	}
	d.a.PROMs.VISAA.Answers = answers
}

// odiAnswers decodes the ODI answers: integers, or null for an unanswered
// section.
func (d *decoder) odiAnswers(n *node, l loc) {
	if !d.array(n, l) {
		return
	}
	path := l.String()
	answers := make([]*int, len(n.items))
	for i := range n.items {
		it := &n.items[i]
		if it.kind == nNull {
			continue
		}
		if v, ok := d.integer(it, loc{parent: path, index: i}, nil, nil); ok {
			answers[i] = &v
			continue
		}
		d.m.markBad(i)
		answers[i] = new(int)
	}
	d.a.PROMs.ODI.Answers = answers
}

// lefsAnswers decodes the LEFS answers, all integers.
func (d *decoder) lefsAnswers(n *node, l loc) {
	if !d.array(n, l) {
		return
	}
	path := l.String()
	answers := make([]int, len(n.items))
	for i := range n.items {
		if v, ok := d.integer(&n.items[i], loc{parent: path, index: i}, nil, nil); ok {
			answers[i] = v
			continue
		}
		d.m.markBad(i)
	}
	d.a.PROMs.LEFS.Answers = answers
}

// scoreErrors turns what a scoring function found into field errors under
// path, leaving out what the decoder has already reported: problems with
// answers that failed their type check (and hold placeholders), and the
// "needs answers or a score" of a measure whose parts were unusable.
func (d *decoder) scoreErrors(n *node, path string, err error) {
	if err == nil {
		return
	}
	var se tendo.ScoreErrors
	if !errors.As(err, &se) {
		d.failPath(n.pos, path, "", err.Error())
		return
	}
	for _, e := range se {
		if e.Item >= 0 && e.Item < len(d.m.bad) && d.m.bad[e.Item] {
			continue
		}
		if e.Field == "" && d.m.partBad {
			continue
		}
		pos := n.pos
		if e.Item >= 0 && e.Item < len(d.m.pos) {
			pos = d.m.pos[e.Item]
		} else if e.Field != "" {
			for _, m := range n.members {
				if m.key == e.Field {
					pos = m.pos
				}
			}
		}
		p := path
		if e.Field != "" {
			p = join(path, e.Field)
		}
		d.failPath(pos, p, e.Value, e.Msg)
	}
}

// rules checks the cross-field rules of the contract (v1.1) on what was
// decoded, and reports each broken rule at its first path, naming the
// others in the message and in Paths.
func (d *decoder) rules(tree *node) {
	for _, c := range d.a.Conflicts() {
		if d.full() {
			return
		}
		pos, value := locate(tree, c.Paths[0])
		d.add(invalid(c.Paths[0], c.Paths, value, c.Msg, d.line(pos)))
	}
}

// locate finds where the value at path ("exam.neuro.left.ankleReflex",
// "history.legPainAreas[1]") was written, and shows it; for a path not in
// the document it gives the position of the nearest enclosing value.
func locate(n *node, path string) (int, string) {
	pos := n.pos
	for seg := range strings.SplitSeq(path, ".") {
		name, idx, hasIdx := strings.Cut(seg, "[")
		var next *node
		for i := range n.members {
			if n.members[i].key == name {
				next = &n.members[i].val
				pos = n.members[i].pos
			}
		}
		if next == nil {
			return pos, ""
		}
		n = next
		if hasIdx {
			i, err := strconv.Atoi(strings.TrimSuffix(idx, "]"))
			if err != nil || i < 0 || i >= len(n.items) {
				return pos, ""
			}
			n = &n.items[i]
			pos = n.pos
		}
	}
	if n.kind == nObject || n.kind == nArray {
		return pos, ""
	}
	return pos, show(n)
}

package intake

// This file turns JSON and YAML text into one generic tree of nodes, so
// that a single walker (decode.go) can check both against the schema. The
// tree keeps every object member in document order, duplicates included,
// and where each value was written.

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
)

// maxDepth bounds the nesting of input documents. The contract nests four
// levels (proms.visaA.answers[7].points); anything much deeper is not an
// assessment, and the bound keeps hostile input from exhausting the stack.
const maxDepth = 64

type nodeKind uint8

const (
	nNull nodeKind = iota
	nBool
	nNumber
	nString
	nObject
	nArray
	// nInvalid is a YAML value tendo does not accept (an alias, an
	// unsupported tag, a number not written in decimal); msg says why.
	nInvalid
)

// A node is one value of the input.
type node struct {
	kind nodeKind
	// pos locates the value: a byte offset for JSON, a line for YAML
	// (see decoder.line).
	pos     int
	b       bool
	num     float64
	text    string // string value, number as written, or invalid value as written
	msg     string // for nInvalid
	members []member
	items   []node
}

// A member is one key and value of an object.
type member struct {
	key string
	pos int // where the key was written
	val node
}

// syntaxError is a document that cannot be read at all. It becomes a
// FieldError with an empty path.
type syntaxError struct {
	pos int
	msg string
}

func (e *syntaxError) Error() string { return e.msg }

// jsonTree reads one JSON value (RFC 8259). It is a small recursive
// parser rather than encoding/json's Decoder.Token, which is several times
// slower, and it records where each value was written. Strings must be
// valid UTF-8 (see strSlow).
func jsonTree(data []byte) (node, error) {
	p := jsonParser{data: data}
	p.space()
	n, err := p.value(0)
	if err != nil {
		return node{}, err
	}
	p.space()
	if p.i < len(p.data) {
		return node{}, p.errorf("invalid JSON: unexpected %s after the top-level value", p.quoteChar())
	}
	return n, nil
}

type jsonParser struct {
	data []byte
	i    int
}

func (p *jsonParser) errorf(format string, args ...any) error {
	return &syntaxError{p.i, fmt.Sprintf(format, args...)}
}

func (p *jsonParser) quoteChar() string {
	if p.i >= len(p.data) {
		return "end of input"
	}
	r, _ := utf8.DecodeRune(p.data[p.i:])
	return "character " + strconv.QuoteRune(r)
}

func (p *jsonParser) space() {
	for p.i < len(p.data) {
		switch p.data[p.i] {
		case ' ', '\t', '\n', '\r':
			p.i++
		default:
			return
		}
	}
}

func (p *jsonParser) value(depth int) (node, error) {
	if p.i >= len(p.data) {
		return node{}, p.errorf("invalid JSON: unexpected end of input")
	}
	pos := p.i
	switch c := p.data[p.i]; {
	case c == '{':
		if depth >= maxDepth {
			return node{}, p.errorf("document is nested too deeply")
		}
		p.i++
		n := node{kind: nObject, pos: pos}
		p.space()
		if p.i < len(p.data) && p.data[p.i] == '}' {
			p.i++
			return n, nil
		}
		for {
			p.space()
			if p.i >= len(p.data) || p.data[p.i] != '"' {
				return node{}, p.errorf("invalid JSON: unexpected %s; want a field name in double quotes", p.quoteChar())
			}
			kpos := p.i
			key, err := p.str()
			if err != nil {
				return node{}, err
			}
			p.space()
			if p.i >= len(p.data) || p.data[p.i] != ':' {
				return node{}, p.errorf("invalid JSON: unexpected %s after a field name; want ':'", p.quoteChar())
			}
			p.i++
			p.space()
			v, err := p.value(depth + 1)
			if err != nil {
				return node{}, err
			}
			n.members = append(n.members, member{key: key, pos: kpos, val: v})
			p.space()
			if p.i < len(p.data) && p.data[p.i] == ',' {
				p.i++
				continue
			}
			if p.i < len(p.data) && p.data[p.i] == '}' {
				p.i++
				return n, nil
			}
			return node{}, p.errorf("invalid JSON: unexpected %s in an object; want ',' or '}'", p.quoteChar())
		}
	case c == '[':
		if depth >= maxDepth {
			return node{}, p.errorf("document is nested too deeply")
		}
		p.i++
		n := node{kind: nArray, pos: pos}
		p.space()
		if p.i < len(p.data) && p.data[p.i] == ']' {
			p.i++
			return n, nil
		}
		for {
			p.space()
			v, err := p.value(depth + 1)
			if err != nil {
				return node{}, err
			}
			n.items = append(n.items, v)
			p.space()
			if p.i < len(p.data) && p.data[p.i] == ',' {
				p.i++
				continue
			}
			if p.i < len(p.data) && p.data[p.i] == ']' {
				p.i++
				return n, nil
			}
			return node{}, p.errorf("invalid JSON: unexpected %s in an array; want ',' or ']'", p.quoteChar())
		}
	case c == '"':
		s, err := p.str()
		return node{kind: nString, pos: pos, text: s}, err
	case c == '-' || (c >= '0' && c <= '9'):
		return p.number()
	case p.literal("true"):
		return node{kind: nBool, pos: pos, b: true}, nil
	case p.literal("false"):
		return node{kind: nBool, pos: pos}, nil
	case p.literal("null"):
		return node{kind: nNull, pos: pos}, nil
	}
	return node{}, p.errorf("invalid JSON: unexpected %s; want a value", p.quoteChar())
}

func (p *jsonParser) literal(s string) bool {
	if bytes.HasPrefix(p.data[p.i:], []byte(s)) {
		p.i += len(s)
		return true
	}
	return false
}

// number reads -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
func (p *jsonParser) number() (node, error) {
	start := p.i
	digits := func() int {
		j := p.i
		for p.i < len(p.data) && p.data[p.i] >= '0' && p.data[p.i] <= '9' {
			p.i++
		}
		return p.i - j
	}
	if p.data[p.i] == '-' {
		p.i++
	}
	intStart := p.i
	if n := digits(); n == 0 || (n > 1 && p.data[intStart] == '0') {
		p.i = intStart
		return node{}, p.errorf("invalid JSON: bad number")
	}
	if p.i < len(p.data) && p.data[p.i] == '.' {
		p.i++
		if digits() == 0 {
			return node{}, p.errorf("invalid JSON: bad number; want a digit after '.'")
		}
	}
	if p.i < len(p.data) && (p.data[p.i] == 'e' || p.data[p.i] == 'E') {
		p.i++
		if p.i < len(p.data) && (p.data[p.i] == '+' || p.data[p.i] == '-') {
			p.i++
		}
		if digits() == 0 {
			return node{}, p.errorf("invalid JSON: bad number; want a digit in the exponent")
		}
	}
	t := string(p.data[start:p.i])
	// An overflowing literal parses to ±Inf; the walker reports it.
	f, _ := strconv.ParseFloat(t, 64)
	return node{kind: nNumber, pos: start, num: f, text: t}, nil
}

// str reads a string whose opening quote is at p.i.
func (p *jsonParser) str() (string, error) {
	p.i++
	start := p.i
	for p.i < len(p.data) {
		c := p.data[p.i]
		switch {
		case c == '"':
			s := string(p.data[start:p.i])
			p.i++
			return s, nil
		case c == '\\' || c >= utf8.RuneSelf:
			return p.strSlow(start)
		case c < ' ':
			return "", p.errorf("invalid JSON: control character in a string")
		}
		p.i++
	}
	return "", p.errorf("invalid JSON: unexpected end of input in a string")
}

// strSlow finishes a string that has escapes or non-ASCII bytes. Unlike
// encoding/json, which replaces them with U+FFFD, it rejects invalid UTF-8
// and lone UTF-16 surrogates, as the YAML reader does: an identifier
// must not change silently.
func (p *jsonParser) strSlow(start int) (string, error) {
	b := append(make([]byte, 0, p.i-start+16), p.data[start:p.i]...)
	for p.i < len(p.data) {
		c := p.data[p.i]
		switch {
		case c == '"':
			p.i++
			return string(b), nil
		case c < ' ':
			return "", p.errorf("invalid JSON: control character in a string")
		case c >= utf8.RuneSelf:
			r, size := utf8.DecodeRune(p.data[p.i:])
			if r == utf8.RuneError && size == 1 {
				return "", p.errorf("invalid JSON: invalid UTF-8 in a string")
			}
			b = append(b, p.data[p.i:p.i+size]...)
			p.i += size
		case c != '\\':
			b = append(b, c)
			p.i++
		default:
			p.i++
			if p.i >= len(p.data) {
				return "", p.errorf("invalid JSON: unexpected end of input in a string")
			}
			e := p.data[p.i]
			p.i++
			switch e {
			case '"', '\\', '/':
				b = append(b, e)
			case 'b':
				b = append(b, '\b')
			case 'f':
				b = append(b, '\f')
			case 'n':
				b = append(b, '\n')
			case 'r':
				b = append(b, '\r')
			case 't':
				b = append(b, '\t')
			case 'u':
				r, ok := p.hex4()
				if !ok {
					return "", p.errorf("invalid JSON: bad \\u escape in a string")
				}
				if utf16.IsSurrogate(r) {
					var r2 rune
					if p.i+1 < len(p.data) && p.data[p.i] == '\\' && p.data[p.i+1] == 'u' {
						p.i += 2
						r2, ok = p.hex4()
					}
					if r = utf16.DecodeRune(r, r2); !ok || r == utf8.RuneError {
						return "", p.errorf("invalid JSON: lone surrogate in a string")
					}
				}
				b = utf8.AppendRune(b, r)
			default:
				p.i--
				return "", p.errorf("invalid JSON: bad escape \\%c in a string", e)
			}
		}
	}
	return "", p.errorf("invalid JSON: unexpected end of input in a string")
}

func (p *jsonParser) hex4() (rune, bool) {
	if p.i+4 > len(p.data) {
		return 0, false
	}
	var r rune
	for _, c := range p.data[p.i : p.i+4] {
		switch {
		case c >= '0' && c <= '9':
			c -= '0'
		case c >= 'a' && c <= 'f':
			c = c - 'a' + 10
		case c >= 'A' && c <= 'F':
			c = c - 'A' + 10
		default:
			return 0, false
		}
		r = r<<4 | rune(c)
	}
	p.i += 4
	return r, true
}

var yamlLineRE = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

// yamlTree reads one YAML document through yaml.Node, which keeps line
// numbers and the tag of every scalar.
func yamlTree(data []byte) (n node, err error) {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		if err == io.EOF {
			return node{}, &syntaxError{0, "empty document"}
		}
		return node{}, yamlError(err)
	}
	var next yaml.Node
	switch err := dec.Decode(&next); {
	case err == io.EOF:
	case err != nil:
		return node{}, yamlError(err)
	default:
		return node{}, &syntaxError{next.Line, "invalid YAML: more than one document"}
	}
	return yamlValue(&doc, 0), nil
}

func yamlError(err error) error {
	msg := err.Error()
	if m := yamlLineRE.FindStringSubmatch(msg); m != nil {
		line, _ := strconv.Atoi(m[1])
		return &syntaxError{line, "invalid YAML: " + m[2]}
	}
	return &syntaxError{0, "invalid YAML: " + strings.TrimPrefix(msg, "yaml: ")}
}

func yamlValue(y *yaml.Node, depth int) node {
	if depth >= maxDepth {
		return node{kind: nInvalid, pos: y.Line, text: "", msg: "is nested too deeply"}
	}
	switch y.Kind {
	case yaml.DocumentNode:
		if len(y.Content) == 0 {
			return node{kind: nNull, pos: y.Line}
		}
		return yamlValue(y.Content[0], depth)
	case yaml.AliasNode:
		return node{kind: nInvalid, pos: y.Line, text: "*" + y.Value, msg: "is a YAML alias; aliases are not supported"}
	case yaml.MappingNode:
		if tag := y.ShortTag(); tag != "!!map" {
			return node{kind: nInvalid, pos: y.Line, text: tag, msg: "is not a supported YAML tag"}
		}
		n := node{kind: nObject, pos: y.Line, members: make([]member, 0, len(y.Content)/2)}
		for i := 0; i+1 < len(y.Content); i += 2 {
			k, v := y.Content[i], y.Content[i+1]
			if k.Kind != yaml.ScalarNode {
				return node{kind: nInvalid, pos: k.Line, text: "{…}", msg: "has a key that is not a plain name"}
			}
			n.members = append(n.members, member{key: k.Value, pos: k.Line, val: yamlValue(v, depth+1)})
		}
		return n
	case yaml.SequenceNode:
		if tag := y.ShortTag(); tag != "!!seq" {
			return node{kind: nInvalid, pos: y.Line, text: tag, msg: "is not a supported YAML tag"}
		}
		n := node{kind: nArray, pos: y.Line, items: make([]node, 0, len(y.Content))}
		for _, c := range y.Content {
			n.items = append(n.items, yamlValue(c, depth+1))
		}
		return n
	case yaml.ScalarNode:
		return yamlScalar(y)
	}
	return node{kind: nInvalid, pos: y.Line, msg: "is not a YAML value tendo understands"}
}

// yamlScalar types a scalar by its YAML 1.2 core-schema tag, as yaml.v3
// resolves it: only true/false (in three spellings) are booleans, so yes,
// no, on and off stay strings and fail as the wrong type.
func yamlScalar(y *yaml.Node) node {
	n := node{pos: y.Line, text: y.Value}
	switch tag := y.ShortTag(); tag {
	case "!!null":
		n.kind = nNull
	case "!!bool":
		switch y.Value {
		case "true", "True", "TRUE":
			n.kind, n.b = nBool, true
		case "false", "False", "FALSE":
			n.kind, n.b = nBool, false
		default:
			n.kind, n.msg = nInvalid, "is not a boolean; write true or false"
		}
	case "!!int", "!!float":
		// YAML also reads 0x1F, 0o17, 1_000, .inf and the YAML 1.1
		// octal 017 as numbers; a clinical record has no use for those,
		// and 017 meaning 15 would be a silent error. Accept the JSON
		// number syntax (with an optional leading +) only.
		if !decimal(y.Value) {
			n.kind, n.msg = nInvalid, "must be a plain decimal number"
			break
		}
		f, err := strconv.ParseFloat(y.Value, 64)
		if err != nil && !errors.Is(err, strconv.ErrRange) {
			n.kind, n.msg = nInvalid, "must be a plain decimal number"
			break
		}
		n.kind, n.num = nNumber, f
	case "!!str", "!!timestamp":
		// A date written bare (2026-10-02) is a YAML timestamp; its text
		// is the value.
		n.kind = nString
	default:
		n.kind, n.text, n.msg = nInvalid, tag+" "+y.Value, "has an unsupported YAML tag"
	}
	return n
}

// decimal reports whether s is a number in JSON syntax, optionally with a
// leading plus sign: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
func decimal(s string) bool {
	i := 0
	if i < len(s) && (s[i] == '-' || s[i] == '+') {
		i++
	}
	digits := func() int {
		j := i
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
		}
		return i - j
	}
	start := i
	n := digits()
	if n == 0 || (n > 1 && s[start] == '0') {
		return false
	}
	if i < len(s) && s[i] == '.' {
		i++
		if digits() == 0 {
			return false
		}
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '-' || s[i] == '+') {
			i++
		}
		if digits() == 0 {
			return false
		}
	}
	return i == len(s)
}

// finite reports whether f is neither infinite nor NaN.
func finite(f float64) bool { return !math.IsInf(f, 0) && !math.IsNaN(f) }

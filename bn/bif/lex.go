package bif

import "unicode/utf8"

// tokKind is the kind of a lexical token.
type tokKind uint8

const (
	tEOF    tokKind = iota
	tPunct          // one of { } ( ) [ ] , ; |
	tWord           // a run of characters other than space, punctuation and '"'
	tString         // a double-quoted string; text excludes the quotes
)

// token is one lexical token. text points into the input.
type token struct {
	kind tokKind
	text []byte
	pos  pos
}

// is reports whether t is the punctuation character c.
func (t token) is(c byte) bool {
	return t.kind == tPunct && t.text[0] == c
}

// isWord reports whether t is the unquoted word w (a keyword).
func (t token) isWord(w string) bool {
	return t.kind == tWord && string(t.text) == w
}

// isName reports whether t can be a name: a word or a quoted string.
func (t token) isName() bool {
	return t.kind == tWord || t.kind == tString
}

// pos is a position in the input.
type pos struct {
	line, col int
}

// byte classes for the lexer.
const (
	cOther = iota
	cSpace
	cPunct
	cQuote
	cSlash
)

var class = func() (c [256]uint8) {
	for _, b := range []byte(" \t\n\r\v\f") {
		c[b] = cSpace
	}
	for _, b := range []byte("{}()[],;|") {
		c[b] = cPunct
	}
	c['"'] = cQuote
	c['/'] = cSlash
	return c
}()

// isPlain reports whether s can be written as a bare word: it is not empty
// and contains no white space, punctuation, double quote or comment opener.
func isPlain(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		switch class[s[i]] {
		case cSpace, cPunct, cQuote:
			return false
		case cSlash:
			if i+1 < len(s) && (s[i+1] == '/' || s[i+1] == '*') {
				return false
			}
		}
	}
	return true
}

// lexState is where the lexer is: enough to resume lexing from there.
type lexState struct {
	off int
	pos pos
}

// lexer splits BIF text into tokens.
type lexer struct {
	src []byte
	lexState
}

func newLexer(src []byte) lexer {
	return lexer{src: src, lexState: lexState{pos: pos{1, 1}}}
}

// advance moves past src[l.off:end], which contains no newline except
// possibly as its last byte, updating the position.
func (l *lexer) advance(end int) {
	for _, b := range l.src[l.off:end] {
		if b == '\n' {
			l.pos.line++
			l.pos.col = 1
		} else if utf8.RuneStart(b) {
			l.pos.col++
		}
	}
	l.off = end
}

// next returns the next token, or a *SyntaxError for an unterminated
// comment or string.
func (l *lexer) next() (token, error) {
	src := l.src
	// Skip white space and comments.
	for l.off < len(src) {
		b := src[l.off]
		switch {
		case b == '\n':
			l.off++
			l.pos.line++
			l.pos.col = 1
			continue
		case class[b] == cSpace:
			l.off++
			l.pos.col++
			continue
		case b == '/' && l.off+1 < len(src) && src[l.off+1] == '/':
			end := l.off + 2
			for end < len(src) && src[end] != '\n' {
				end++
			}
			l.advance(end)
			continue
		case b == '/' && l.off+1 < len(src) && src[l.off+1] == '*':
			start := l.pos
			end := l.off + 2
			for end+1 < len(src) && !(src[end] == '*' && src[end+1] == '/') {
				end++
			}
			if end+1 >= len(src) {
				return token{}, &SyntaxError{start.line, start.col, `unterminated comment: "/*" without "*/"`}
			}
			l.advance(end + 2)
			continue
		}
		break
	}
	start := l.pos
	if l.off >= len(src) {
		return token{kind: tEOF, pos: start}, nil
	}
	switch class[src[l.off]] {
	case cPunct:
		t := token{kind: tPunct, text: src[l.off : l.off+1], pos: start}
		l.off++
		l.pos.col++
		return t, nil
	case cQuote:
		end := l.off + 1
		for end < len(src) && src[end] != '"' && src[end] != '\n' {
			end++
		}
		if end >= len(src) || src[end] != '"' {
			return token{}, &SyntaxError{start.line, start.col, "unterminated string: no closing \" on the same line"}
		}
		t := token{kind: tString, text: src[l.off+1 : end], pos: start}
		l.advance(end + 1)
		return t, nil
	}
	end := l.off + 1
	for end < len(src) {
		c := class[src[end]]
		if c == cOther {
			end++
			continue
		}
		if c == cSlash {
			if end+1 < len(src) && (src[end+1] == '/' || src[end+1] == '*') {
				break
			}
			end++
			continue
		}
		break
	}
	t := token{kind: tWord, text: src[l.off:end], pos: start}
	l.advance(end)
	return t, nil
}

package sqlstore

import (
	"cmp"
	"net/url"
	"regexp"
	"slices"
	"strings"
)

// redacted stands in for a password, as in url.URL.Redacted.
const redacted = "xxxxx"

// Redact returns dsn fit for messages and logs: every password in it is
// replaced by "xxxxx". It understands URLs (postgres://user:password@host/db,
// and password= or sslpassword= query parameters) and key=value strings
// ("host=db user=tendo password=secret", values quoted or not); anything
// else, such as a SQLite path, comes back unchanged. When a URL's user
// information does not parse (a password with an unescaped '/', '?' or
// '#'), everything from the first ':' of the user information to the last
// '@' is hidden: more than the password, never less.
func Redact(dsn string) string {
	out, _ := redact(dsn)
	return out
}

// redact is Redact, and also returns the passwords it hid, each as written
// in dsn and as decoded.
func redact(dsn string) (string, []string) {
	if i := strings.Index(dsn, "://"); i >= 0 {
		return redactURL(dsn, i+len("://"))
	}
	return redactKeyValues(dsn)
}

// queryPassword matches a password or sslpassword query parameter.
var queryPassword = regexp.MustCompile(`(?i)([?&](?:ssl)?password=)([^&#]*)`)

// redactURL redacts the URL dsn whose authority begins at offset start.
func redactURL(dsn string, start int) (string, []string) {
	var secrets []string
	rest := dsn[start:]
	at := strings.LastIndex(rest, "@")
	u, err := url.Parse(dsn)
	if err == nil && u.User != nil {
		if pw, ok := u.User.Password(); ok {
			secrets = append(secrets, pw)
		}
	}
	out := dsn
	// The parse is sound when no '@' lies beyond the authority: otherwise a
	// '/', '?' or '#' in the password ended the authority early.
	authority := rest
	if end := strings.IndexAny(rest, "/?#"); end >= 0 {
		authority = rest[:end]
	}
	switch sound := err == nil && at < len(authority); {
	case sound && u.User != nil:
		out = u.Redacted()
	case !sound && at >= 0:
		userinfo := rest[:at]
		if c := strings.Index(userinfo, ":"); c >= 0 {
			secrets = append(secrets, userinfo[c+1:])
			out = dsn[:start] + userinfo[:c+1] + redacted + rest[at:]
		}
	}
	for _, m := range queryPassword.FindAllStringSubmatch(out, -1) {
		secrets = append(secrets, m[2])
		if v, err := url.QueryUnescape(m[2]); err == nil {
			secrets = append(secrets, v)
		}
	}
	out = queryPassword.ReplaceAllString(out, "${1}"+redacted)
	return out, secrets
}

// redactKeyValues redacts the password and sslpassword values of a
// key=value connection string, whose values may be single-quoted and may
// hold backslash escapes. Text that is not key=value is copied, except
// that after a key=value pair, everything from a word "password" on is
// hidden.
func redactKeyValues(s string) (string, []string) {
	var b strings.Builder
	var secrets []string
	i := 0
	for i < len(s) {
		j := skipSpace(s, i)
		k := j
		for k < len(s) && s[k] != '=' && !isSpace(s[k]) {
			k++
		}
		key := s[j:k]
		e := skipSpace(s, k)
		if e == len(s) || s[e] != '=' {
			// Not key=value. After some pairs, this is a malformed
			// connection string; before any, a file name or the like.
			tail := s[i:]
			if p := strings.Index(strings.ToLower(tail), "password"); p >= 0 && i > 0 {
				b.WriteString(tail[:p+len("password")] + " " + redacted)
			} else {
				b.WriteString(tail)
			}
			break
		}
		v := skipSpace(s, e+1)
		end := v
		if end < len(s) && s[end] == '\'' {
			end++
			for end < len(s) && s[end] != '\'' {
				if s[end] == '\\' {
					end++
				}
				end++
			}
			end = min(end+1, len(s)) // the closing quote
		} else {
			for end < len(s) && !isSpace(s[end]) {
				if s[end] == '\\' {
					end++
				}
				end++
			}
			end = min(end, len(s))
		}
		b.WriteString(s[i:v])
		if strings.EqualFold(key, "password") || strings.EqualFold(key, "sslpassword") {
			b.WriteString(redacted)
			val := s[v:end]
			secrets = append(secrets, val, unquoteValue(val))
		} else {
			b.WriteString(s[v:end])
		}
		i = end
	}
	return b.String(), secrets
}

func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'
}

func skipSpace(s string, i int) int {
	for i < len(s) && isSpace(s[i]) {
		i++
	}
	return i
}

// unquoteValue removes the quotes and backslash escapes of a key=value
// connection string value.
func unquoteValue(v string) string {
	v = strings.TrimPrefix(v, "'")
	if strings.HasSuffix(v, "'") && !strings.HasSuffix(v, `\'`) {
		v = v[:len(v)-1]
	}
	var b strings.Builder
	for i := 0; i < len(v); i++ {
		if v[i] == '\\' && i+1 < len(v) {
			i++
		}
		b.WriteByte(v[i])
	}
	return b.String()
}

// redactError hides a DSN's passwords in the message of the error it
// wraps; errors.Is and errors.As see through it.
type redactError struct {
	err     error
	dsn     string // the DSN as given, and
	safe    string // as shown
	secrets []string
}

// redactErr returns err with every password of dsn, and dsn itself, hidden
// from its message; err unchanged when dsn has no password.
func redactErr(err error, dsn string) error {
	if err == nil {
		return nil
	}
	safe, found := redact(dsn)
	var secrets []string
	for _, s := range found {
		if s == "" {
			continue
		}
		secrets = append(secrets, s, url.PathEscape(s), url.QueryEscape(s))
		// A driver that splits a malformed URL elsewhere than url.Parse
		// may show the pieces (of three bytes or more) of a password around
		// an '@', '/', '?' or '#'.
		for _, piece := range strings.FieldsFunc(s, func(r rune) bool { return strings.ContainsRune("@/?#", r) }) {
			if piece != s && len(piece) >= 3 {
				secrets = append(secrets, piece)
			}
		}
	}
	if len(secrets) == 0 {
		return err
	}
	// The longest first, so that no part of a longer one is left.
	slices.SortFunc(secrets, func(a, b string) int {
		return cmp.Or(cmp.Compare(len(b), len(a)), strings.Compare(a, b))
	})
	return &redactError{err: err, dsn: dsn, safe: safe, secrets: slices.Compact(secrets)}
}

func (e *redactError) Error() string {
	msg := strings.ReplaceAll(e.err.Error(), e.dsn, e.safe)
	for _, s := range e.secrets {
		msg = strings.ReplaceAll(msg, s, redacted)
	}
	return msg
}

func (e *redactError) Unwrap() error { return e.err }

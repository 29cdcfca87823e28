package web

import (
	"context"
	"crypto/subtle"
	"errors"
	"mime"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"time"
	"unicode"

	"github.com/tendo-health/tendo"
	"github.com/tendo-health/tendo/clinic"
)

// Cookies: the session (the whole site, ends with the session's absolute
// lifetime) and the device (sent to the login form only; it makes this
// browser a known device for the account that logged in).
const (
	sessionCookie = "tendo_session"
	deviceCookie  = "tendo_device"
)

// authServices are the services the authentication and account pages
// call.
type authServices interface {
	tendo.AuthService
	tendo.TokenService
	tendo.UserService
}

// Clinic returns the services the server calls, for the command's
// settings (idle timeout) and housekeeping (Prune).
func (s *Server) Clinic() *clinic.Service { return s.svc }

// ParseTrustedProxies parses a comma-separated list of addresses and
// CIDR prefixes ("10.0.0.1, 192.168.0.0/16").
func ParseTrustedProxies(list string) ([]netip.Prefix, error) {
	var ps []netip.Prefix
	for _, f := range strings.Split(list, ",") {
		f = strings.TrimSpace(f)
		if f == "" {
			continue
		}
		if strings.Contains(f, "/") {
			p, err := netip.ParsePrefix(f)
			if err != nil {
				return nil, err
			}
			ps = append(ps, p.Masked())
			continue
		}
		a, err := netip.ParseAddr(f)
		if err != nil {
			return nil, err
		}
		a = a.Unmap()
		ps = append(ps, netip.PrefixFrom(a, a.BitLen()))
	}
	return ps, nil
}

// trusted reports whether a is one of the trusted proxies.
func (s *Server) trusted(a netip.Addr) bool {
	a = a.Unmap()
	for _, p := range s.TrustedProxies {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// clientAddr is the client's address: the peer's, unless the peer is a
// trusted proxy; then the right-most address of X-Forwarded-For that is
// not a trusted proxy (the entries left of it are whatever the client
// chose to send, and are not believed).
func (s *Server) clientAddr(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	peer, err := netip.ParseAddr(host)
	if err != nil || len(s.TrustedProxies) == 0 || !s.trusted(peer) {
		return host
	}
	client := peer.Unmap()
	hops := r.Header.Values("X-Forwarded-For")
	for i := len(hops) - 1; i >= 0; i-- {
		fields := strings.Split(hops[i], ",")
		for j := len(fields) - 1; j >= 0; j-- {
			a, ok := parseHop(fields[j])
			if !ok {
				// Unreadable: believe no further; the last hop that
				// was read is the client as far as we know.
				return client.String()
			}
			client = a
			if !s.trusted(a) {
				return a.String()
			}
		}
	}
	return client.String()
}

// parseHop reads one X-Forwarded-For entry: an address, possibly with a
// port.
func parseHop(f string) (netip.Addr, bool) {
	f = strings.TrimSpace(f)
	if a, err := netip.ParseAddr(f); err == nil {
		return a.Unmap(), true
	}
	if ap, err := netip.ParseAddrPort(f); err == nil {
		return ap.Addr().Unmap(), true
	}
	return netip.Addr{}, false
}

// maxUserAgent bounds the User-Agent kept in the audit log.
const maxUserAgent = 256

// actor is the anonymous actor of a request: where it came from.
func (s *Server) actor(r *http.Request) tendo.Actor {
	ua := r.UserAgent()
	if len(ua) > maxUserAgent {
		ua = strings.ToValidUTF8(ua[:maxUserAgent], "")
	}
	return tendo.Actor{Addr: s.clientAddr(r), UserAgent: ua}
}

// withActor returns r with the request's anonymous actor in its context,
// unless an earlier wrapper put one there.
func (s *Server) withActor(r *http.Request) *http.Request {
	if a := tendo.ActorFrom(r.Context()); a.Addr != "" || a.User != nil {
		return r
	}
	return r.WithContext(tendo.NewContext(r.Context(), s.actor(r)))
}

// recordDenied writes a refused request (no or an invalid session or
// token, a bad form token) to the audit log; a failure to write is
// logged and the refusal stands.
func (s *Server) recordDenied(r *http.Request, detail string) {
	err := s.svc.Record(context.WithoutCancel(r.Context()), tendo.ActionDenied, detail+": "+r.Method+" "+r.URL.Path)
	if err != nil {
		s.Logger.Error("audit a denied request", "err", err)
	}
}

// page wraps a handler for the logged-in application: it authenticates
// the session cookie (redirecting to the login page without a valid
// one), puts the actor in the context and, for every request that
// changes something, checks the session's CSRF token.
func (s *Server) page(h func(w http.ResponseWriter, r *http.Request)) http.Handler {
	return s.pageWith(h, 0)
}

// upload is page for a form that sends a file: after the session is
// checked (never before), a multipart body of at most maxBody bytes is
// read into memory (never to temporary files), with time for a slow
// line, and its csrf field checked as any form's.
func (s *Server) upload(maxBody int64, h func(w http.ResponseWriter, r *http.Request)) http.Handler {
	return s.pageWith(h, maxBody)
}

// pageWith is page, reading a multipart body of at most maxBody bytes
// when maxBody is positive.
func (s *Server) pageWith(h func(w http.ResponseWriter, r *http.Request), maxBody int64) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r = s.withActor(r)
		u, sess, err := s.sessionUser(r)
		if err != nil {
			if tendo.ErrorCode(err) == tendo.EUNAUTHORIZED {
				s.recordDenied(r, "no valid session")
				if r.Method == http.MethodGet || r.Method == http.MethodHead {
					http.Redirect(w, r, "/login?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
					return
				}
			}
			s.htmlError(w, r, err)
			return
		}
		a := tendo.ActorFrom(r.Context())
		a.User, a.SessionID = &u, sess.ID
		ctx := withUser(tendo.NewContext(r.Context(), a), u, &sess)
		r = r.WithContext(ctx)
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			if err := s.parseForm(w, r, maxBody); err != nil {
				s.htmlError(w, r, err)
				return
			}
			if subtle.ConstantTimeCompare([]byte(r.PostForm.Get("csrf")), []byte(sess.CSRF)) != 1 {
				s.recordDenied(r, "bad form (CSRF) token")
				s.htmlError(w, r, tendo.Errorf(tendo.EFORBIDDEN, "The form has expired or did not come from this site. Go back, reload the page and try again."))
				return
			}
		}
		h(w, r)
	})
}

// parseForm reads a page's form: URL-encoded, or, when maxBody is
// positive, multipart too (see upload).
func (s *Server) parseForm(w http.ResponseWriter, r *http.Request, maxBody int64) error {
	if maxBody > 0 && isMultipart(r) {
		return readMultipart(w, r, maxBody)
	}
	if err := r.ParseForm(); err != nil {
		return tendo.Errorf(tendo.EINVALID, "The form could not be read.")
	}
	return nil
}

// uploadTime is how long a request with a file may take to arrive and be
// answered (the server's own timeouts are for ordinary requests).
const uploadTime = 5 * time.Minute

func isMultipart(r *http.Request) bool {
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	return mt == "multipart/form-data"
}

// readMultipart reads a multipart body of at most maxBody bytes into
// r.MultipartForm and r.PostForm, in memory. A larger body is EINVALID
// on the field "file" (the only large part a form has).
func readMultipart(w http.ResponseWriter, r *http.Request, maxBody int64) error {
	tooLarge := tendo.Invalid("file", "The file is larger than %d MiB.", tendo.MaxGaitTrialSize>>20)
	if r.ContentLength > maxBody {
		return tooLarge // said so before it is sent
	}
	rc := http.NewResponseController(w)
	_ = rc.SetReadDeadline(time.Now().Add(uploadTime)) // not every writer supports deadlines
	_ = rc.SetWriteDeadline(time.Now().Add(uploadTime))
	r.Body = http.MaxBytesReader(w, r.Body, maxBody)
	// Parts up to maxBody stay in memory; the body cannot be larger.
	if err := r.ParseMultipartForm(maxBody); err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return tooLarge
		}
		return tendo.Errorf(tendo.EINVALID, "The form could not be read.")
	}
	return nil
}

// api wraps a JSON API handler: it requires a valid bearer token (not
// revoked or expired, of a user who is not disabled) and puts the actor
// in the context.
func (s *Server) api(h func(w http.ResponseWriter, r *http.Request)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r = s.withActor(r)
		token, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		token = strings.TrimSpace(token)
		if !ok || token == "" {
			s.recordDenied(r, "no API token")
			w.Header().Set("WWW-Authenticate", `Bearer realm="tendo"`)
			s.apiError(w, r, tendo.Errorf(tendo.EUNAUTHORIZED, "An API token is required: Authorization: Bearer <token>."))
			return
		}
		u, t, err := s.Auth.AuthenticateToken(r.Context(), token)
		if err != nil {
			if tendo.ErrorCode(err) == tendo.EUNAUTHORIZED {
				s.recordDenied(r, "invalid API token ("+tendo.ErrorMessage(err)+")")
				w.Header().Set("WWW-Authenticate", `Bearer realm="tendo", error="invalid_token"`)
			}
			s.apiError(w, r, err)
			return
		}
		a := tendo.ActorFrom(r.Context())
		a.User, a.TokenID = &u, t.ID
		h(w, r.WithContext(withUser(tendo.NewContext(r.Context(), a), u, nil)))
	})
}

// sessionUser returns the logged-in user and session, or EUNAUTHORIZED.
func (s *Server) sessionUser(r *http.Request) (tendo.User, tendo.Session, error) {
	c, err := r.Cookie(sessionCookie)
	if err != nil || c.Value == "" {
		return tendo.User{}, tendo.Session{}, tendo.Errorf(tendo.EUNAUTHORIZED, "Please log in.")
	}
	return s.Auth.AuthenticateSession(r.Context(), c.Value)
}

type loginData struct {
	Email string
	Next  string
	Error string
}

func (s *Server) loginPage(w http.ResponseWriter, r *http.Request) {
	r = s.withActor(r)
	if c, err := r.Cookie(sessionCookie); err == nil && c.Value != "" {
		if _, _, err := s.sessionUser(r); err == nil {
			http.Redirect(w, r, "/", http.StatusSeeOther)
			return
		}
	}
	s.render(w, r, http.StatusOK, "login", "Log in", loginData{Next: safeNext(r.URL.Query().Get("next"))})
}

// maxLoginForm bounds the login form's body: the e-mail and password
// limits, the next path and the form's encoding.
const maxLoginForm = 16 << 10

func (s *Server) login(w http.ResponseWriter, r *http.Request) {
	r = s.withActor(r)
	r.Body = http.MaxBytesReader(w, r.Body, maxLoginForm)
	if err := r.ParseForm(); err != nil {
		s.render(w, r, http.StatusRequestEntityTooLarge, "login", "Log in", loginData{Error: "The form is too large or could not be read."})
		return
	}
	email, password := r.PostForm.Get("email"), r.PostForm.Get("password")
	data := loginData{Next: safeNext(r.PostForm.Get("next"))}
	if len(email) <= tendo.MaxEmailLength {
		data.Email = email
	}
	cred := tendo.Credentials{Email: email, Password: password}
	if c, err := r.Cookie(deviceCookie); err == nil {
		cred.Device = c.Value
	}
	login, err := s.Auth.Login(r.Context(), cred)
	if err != nil {
		code := statusOf(err)
		switch tendo.ErrorCode(err) {
		case tendo.EINVALID, tendo.EUNAUTHORIZED, tendo.ETOOMANY:
			data.Error = tendo.ErrorMessage(err)
		default:
			s.htmlError(w, r, err)
			return
		}
		if tendo.ErrorCode(err) == tendo.ETOOMANY {
			w.Header().Set("Retry-After", "60")
		}
		s.render(w, r, code, "login", "Log in", data)
		return
	}
	http.SetCookie(w, &http.Cookie{
		Name: sessionCookie, Value: login.Token, Path: "/", HttpOnly: true, Secure: s.SecureCookies,
		SameSite: http.SameSiteLaxMode, Expires: login.Session.ExpiresAt,
	})
	http.SetCookie(w, &http.Cookie{
		Name: deviceCookie, Value: login.Device, Path: "/login", HttpOnly: true, Secure: s.SecureCookies,
		SameSite: http.SameSiteStrictMode, MaxAge: int(tendo.DefaultDeviceTTL.Seconds()),
	})
	next := data.Next
	if next == "" {
		next = "/"
	}
	http.Redirect(w, r, next, http.StatusSeeOther)
}

// clearSession tells the browser to forget its session cookie.
func (s *Server) clearSession(w http.ResponseWriter) {
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: "", Path: "/", HttpOnly: true, Secure: s.SecureCookies, SameSite: http.SameSiteLaxMode, MaxAge: -1})
}

func (s *Server) logout(w http.ResponseWriter, r *http.Request) {
	if err := s.Auth.Logout(r.Context()); err != nil {
		s.htmlError(w, r, err)
		return
	}
	s.clearSession(w)
	http.Redirect(w, r, "/login", http.StatusSeeOther)
}

// safeNext keeps only local paths as redirect targets: "/" followed by
// a character that is not "/", "\\", a space or a control character,
// with no backslash or control character anywhere, and the same again
// after each of up to three rounds of percent-decoding (so "/%2F%2Fevil"
// and "/%5Cevil" are refused). Anything else is "" (go home).
func safeNext(next string) string {
	if len(next) > 2048 {
		return ""
	}
	s := next
	for range 3 {
		if !localPath(s) {
			return ""
		}
		dec, err := url.PathUnescape(s)
		if err != nil {
			return ""
		}
		if dec == s {
			return next
		}
		s = dec
	}
	return ""
}

// localPath reports whether s, as it stands, is a path on this site.
func localPath(s string) bool {
	if s == "/" {
		return true
	}
	if len(s) < 2 || s[0] != '/' {
		return false
	}
	if c := rune(s[1]); c == '/' || c == '\\' || unicode.IsSpace(c) {
		return false
	}
	for _, c := range s {
		if c == '\\' || unicode.IsControl(c) {
			return false
		}
	}
	return true
}

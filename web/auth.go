package web

import (
	"crypto/subtle"
	"errors"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/tendo-health/tendo"
	"github.com/tendo-health/tendo/passwd"
)

const sessionCookie = "tendo_session"

// Login rate limits: failures allowed within the window, per account and
// per client address. Failures are kept in the store, so several
// instances share the count.
const (
	loginWindow     = 15 * time.Minute
	maxFailsAccount = 5
	maxFailsAddress = 20
)

// page wraps a handler for the logged-in application: it loads the session
// (redirecting to the login page without one) and, for every request that
// changes something, checks the session's CSRF token.
func (s *Server) page(h func(w http.ResponseWriter, r *http.Request)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		u, sess, err := s.sessionUser(r)
		if err != nil {
			if tendo.ErrorCode(err) == tendo.EUNAUTHORIZED {
				if r.Method == http.MethodGet {
					http.Redirect(w, r, "/login?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
					return
				}
			}
			s.htmlError(w, r, err)
			return
		}
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			if err := r.ParseForm(); err != nil {
				s.htmlError(w, r, tendo.Errorf(tendo.EINVALID, "The form could not be read."))
				return
			}
			if subtle.ConstantTimeCompare([]byte(r.PostForm.Get("csrf")), []byte(sess.CSRF)) != 1 {
				s.htmlError(w, r, tendo.Errorf(tendo.EFORBIDDEN, "The form has expired or did not come from this site. Go back, reload the page and try again."))
				return
			}
		}
		h(w, r.WithContext(withUser(r.Context(), u, &sess)))
	})
}

// api wraps a JSON API handler: it requires a bearer token.
func (s *Server) api(h func(w http.ResponseWriter, r *http.Request)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		auth := r.Header.Get("Authorization")
		token, ok := strings.CutPrefix(auth, "Bearer ")
		if !ok || token == "" {
			w.Header().Set("WWW-Authenticate", `Bearer realm="tendo"`)
			s.apiError(w, r, tendo.Errorf(tendo.EUNAUTHORIZED, "An API token is required: Authorization: Bearer <token>."))
			return
		}
		u, err := s.Store.UserByAPIToken(r.Context(), passwd.TokenHash(strings.TrimSpace(token)), s.Now())
		if err != nil {
			if tendo.ErrorCode(err) == tendo.ENOTFOUND {
				err = tendo.Errorf(tendo.EUNAUTHORIZED, "The API token is not valid.")
			}
			s.apiError(w, r, err)
			return
		}
		h(w, r.WithContext(withUser(r.Context(), u, nil)))
	})
}

// sessionUser returns the logged-in user and session, or EUNAUTHORIZED.
func (s *Server) sessionUser(r *http.Request) (tendo.User, tendo.Session, error) {
	c, err := r.Cookie(sessionCookie)
	if err != nil || c.Value == "" {
		return tendo.User{}, tendo.Session{}, tendo.Errorf(tendo.EUNAUTHORIZED, "Please log in.")
	}
	sess, err := s.Store.Session(r.Context(), passwd.TokenHash(c.Value), s.Now())
	if err != nil {
		if tendo.ErrorCode(err) == tendo.ENOTFOUND {
			err = tendo.Errorf(tendo.EUNAUTHORIZED, "Your session has ended; please log in again.")
		}
		return tendo.User{}, tendo.Session{}, err
	}
	u, err := s.Store.User(r.Context(), sess.UserID)
	if err != nil {
		if tendo.ErrorCode(err) == tendo.ENOTFOUND {
			err = tendo.Errorf(tendo.EUNAUTHORIZED, "Please log in.")
		}
		return tendo.User{}, tendo.Session{}, err
	}
	return u, sess, nil
}

type loginData struct {
	Email string
	Next  string
	Error string
}

func (s *Server) loginPage(w http.ResponseWriter, r *http.Request) {
	if _, _, err := s.sessionUser(r); err == nil {
		http.Redirect(w, r, "/", http.StatusSeeOther)
		return
	}
	s.render(w, r, http.StatusOK, "login", "Log in", loginData{Next: safeNext(r.URL.Query().Get("next"))})
}

// clientAddr is the request's remote address without the port.
func clientAddr(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

func (s *Server) login(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		s.htmlError(w, r, tendo.Errorf(tendo.EINVALID, "The form could not be read."))
		return
	}
	email := strings.ToLower(strings.TrimSpace(r.PostForm.Get("email")))
	password := r.PostForm.Get("password")
	data := loginData{Email: email, Next: safeNext(r.PostForm.Get("next"))}
	ctx := r.Context()
	now := s.Now()
	accountKey, addrKey := "email:"+email, "addr:"+clientAddr(r)
	for key, limit := range map[string]int{accountKey: maxFailsAccount, addrKey: maxFailsAddress} {
		n, err := s.Store.LoginFailures(ctx, key, now.Add(-loginWindow))
		if err != nil {
			s.htmlError(w, r, err)
			return
		}
		if n >= limit {
			data.Error = "Too many failed attempts. Wait 15 minutes and try again."
			s.render(w, r, http.StatusTooManyRequests, "login", "Log in", data)
			return
		}
	}
	u, err := s.Store.UserByEmail(ctx, email)
	if err == nil {
		err = passwd.Check(u.PasswordHash, password)
	} else if tendo.ErrorCode(err) == tendo.ENOTFOUND {
		// Spend the same time as a real check so timing does not tell
		// which e-mail addresses exist.
		_ = passwd.Check(dummyHash(), password)
		err = passwd.ErrMismatch
	}
	if err != nil {
		if !errors.Is(err, passwd.ErrMismatch) && tendo.ErrorCode(err) != tendo.ENOTFOUND {
			s.Logger.Error("login", "err", err)
		}
		_ = s.Store.RecordLoginFailure(ctx, accountKey, now)
		_ = s.Store.RecordLoginFailure(ctx, addrKey, now)
		data.Error = "The e-mail address or the password is wrong."
		s.render(w, r, http.StatusUnauthorized, "login", "Log in", data)
		return
	}
	token := passwd.Token()
	sess := tendo.Session{ID: passwd.TokenHash(token), UserID: u.ID, CSRF: passwd.Token(), CreatedAt: now, ExpiresAt: now.Add(s.SessionTTL)}
	if err := s.Store.CreateSession(ctx, sess); err != nil {
		s.htmlError(w, r, err)
		return
	}
	http.SetCookie(w, &http.Cookie{
		Name: sessionCookie, Value: token, Path: "/", HttpOnly: true, Secure: s.SecureCookies,
		SameSite: http.SameSiteLaxMode, Expires: sess.ExpiresAt,
	})
	next := data.Next
	if next == "" {
		next = "/"
	}
	http.Redirect(w, r, next, http.StatusSeeOther)
}

func (s *Server) logout(w http.ResponseWriter, r *http.Request) {
	if sess, ok := sessionFrom(r.Context()); ok {
		if err := s.Store.DeleteSession(r.Context(), sess.ID); err != nil {
			s.htmlError(w, r, err)
			return
		}
	}
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: "", Path: "/", HttpOnly: true, Secure: s.SecureCookies, SameSite: http.SameSiteLaxMode, MaxAge: -1})
	http.Redirect(w, r, "/login", http.StatusSeeOther)
}

// safeNext keeps only local paths as redirect targets.
func safeNext(next string) string {
	if strings.HasPrefix(next, "/") && !strings.HasPrefix(next, "//") && !strings.Contains(next, "\\") {
		return next
	}
	return ""
}

// dummyHash is checked against when the e-mail address is unknown; it is
// made on first use, not when the program starts.
var dummyHash = sync.OnceValue(func() string {
	h, err := passwd.Hash("not a real password, only for timing")
	if err != nil {
		panic(err)
	}
	return h
})

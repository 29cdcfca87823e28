package web

// issue 11: smart. The SMART App Launch (EHR launch) of the clinic UI:
// GET /smart/launch from the EHR, GET /smart/callback from its
// authorization server. Both need a signed-in tendo user; without one
// the login page brings the clinician back to the launch.

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"html/template"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/tendo-health/tendo"
	"github.com/tendo-health/tendo/smart"
)

// smartCookie binds a launch in flight to the browser that began it
// (sent only to /smart/, for the launch's ten minutes).
const smartCookie = "tendo_smart"

// Limits of the SMART pages.
const (
	maxSmartQuery    = 16 << 10 // bytes of a launch or callback query
	maxSmartSessions = 10000    // sessions with a SMART context kept at once
	smartSessionTTL  = 12 * time.Hour
)

// smartSession is what a browser session keeps of its latest EHR launch,
// on the server only: the access token never reaches a page.
type smartSession struct {
	ctx       *smart.Context
	patientID int64
	expires   time.Time
}

// smartSessions holds the SMART context of each session that launched.
type smartSessions struct {
	mu sync.Mutex
	m  map[string]smartSession // by session ID
}

func (ss *smartSessions) put(sessionID string, s smartSession, now time.Time) {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	if ss.m == nil {
		ss.m = map[string]smartSession{}
	}
	if len(ss.m) >= maxSmartSessions {
		for k, v := range ss.m {
			if !now.Before(v.expires) {
				delete(ss.m, k)
			}
		}
		for k := range ss.m { // still full: forget any one
			if len(ss.m) < maxSmartSessions {
				break
			}
			delete(ss.m, k)
		}
	}
	ss.m[sessionID] = s
}

func (ss *smartSessions) get(sessionID string, now time.Time) (smartSession, bool) {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	s, ok := ss.m[sessionID]
	if ok && !now.Before(s.expires) {
		delete(ss.m, sessionID)
		return smartSession{}, false
	}
	return s, ok
}

// hidePatientBanner reports whether the patient page leaves out tendo's
// own banner: the session was launched by an EHR for this patient, and
// the EHR said need_patient_banner false (it shows the banner itself).
func (s *Server) hidePatientBanner(r *http.Request, patientID int64) bool {
	sess, ok := sessionFrom(r.Context())
	if !ok {
		return false
	}
	ss, ok := s.smartSessions.get(sess.ID, s.Now())
	return ok && ss.patientID == patientID && !ss.ctx.ShowBanner()
}

// smartPage is the data of the page that explains a refused launch.
type smartPage struct {
	Message string
	Field   string
}

// smartError shows why a launch stopped: bad input from the EHR or the
// browser (400, naming the field), else as any error.
func (s *Server) smartError(w http.ResponseWriter, r *http.Request, err error) {
	var te *tendo.Error
	if tendo.ErrorCode(err) != tendo.EINVALID || !asError(err, &te) {
		s.Error(w, r, err)
		return
	}
	s.render(w, r, http.StatusBadRequest, "smart", "The EHR launch was refused", smartPage{Message: te.Message, Field: te.Field})
}

// smartUpstream answers a launch that failed at the EHR (it could not be
// reached, or answered badly: an EINTERNAL error of package smart) with
// 502 and a page that says so; the detail goes to the log only.
func (s *Server) smartUpstream(w http.ResponseWriter, r *http.Request, err error) {
	if tendo.ErrorCode(err) != tendo.EINTERNAL {
		s.smartError(w, r, err)
		return
	}
	s.Logger.Error("SMART launch: the EHR failed", "path", r.URL.Path, "err", err)
	s.render(w, r, http.StatusBadGateway, "smart", "The EHR did not answer", smartPage{Message: "tendo could not reach your EHR, or did not understand its answer. Try again in a moment."})
}

// binding is what a launch is bound to: the browser's SMART cookie and
// the tendo session.
func binding(cookie string, r *http.Request) string {
	sess, _ := sessionFrom(r.Context())
	return cookie + "|" + sess.ID
}

// smartLaunch begins an EHR launch: /smart/launch?iss=…&launch=….
func (s *Server) smartLaunch(w http.ResponseWriter, r *http.Request) {
	if s.SMART == nil {
		s.Error(w, r, tendo.Errorf(tendo.ENOTFOUND, "SMART launch is not configured on this server."))
		return
	}
	if len(r.URL.RawQuery) > maxSmartQuery {
		s.smartError(w, r, tendo.Invalid("launch", "The launch address is longer than %d KiB.", maxSmartQuery>>10))
		return
	}
	q := r.URL.Query()
	iss := q.Get("iss")
	if _, err := s.SMART.Issuer(iss); err != nil {
		s.recordDenied(r, "SMART launch from an EHR not on the allow-list ("+clipText(iss, 200)+")")
		s.smartError(w, r, err)
		return
	}
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	cookie := base64.RawURLEncoding.EncodeToString(b)
	authURL, _, err := s.SMART.Begin(r.Context(), iss, q.Get("launch"), binding(cookie, r))
	if err != nil {
		s.smartUpstream(w, r, err)
		return
	}
	http.SetCookie(w, &http.Cookie{
		Name: smartCookie, Value: cookie, Path: "/smart/", HttpOnly: true, Secure: s.SecureCookies,
		// Lax: the cookie comes back on the authorization server's
		// top-level redirect to the callback.
		SameSite: http.SameSiteLaxMode, MaxAge: int(smart.StateTTL.Seconds()),
	})
	// Not a redirect: a launch that follows the login form is still that
	// form's navigation, and the pages' CSP (form-action 'self') stops a
	// redirect to the EHR. A refresh is a new navigation; the page links
	// to the EHR too.
	w.Header().Set("Refresh", "0;url="+authURL)
	s.render(w, r, http.StatusOK, "smart_go", "Opening your EHR's sign-in", smartGo{URL: template.URL(authURL)})
}

// smartGo is the page that sends the browser on to the EHR.
type smartGo struct {
	URL template.URL // checked: https, or http on loopback (smart.Discover)
}

// smartCallback ends an EHR launch: /smart/callback?code=…&state=… (or
// error=…), and opens the patient in context.
func (s *Server) smartCallback(w http.ResponseWriter, r *http.Request) {
	if s.SMART == nil {
		s.Error(w, r, tendo.Errorf(tendo.ENOTFOUND, "SMART launch is not configured on this server."))
		return
	}
	if len(r.URL.RawQuery) > maxSmartQuery {
		s.smartError(w, r, tendo.Invalid("code", "The callback address is longer than %d KiB.", maxSmartQuery>>10))
		return
	}
	q := r.URL.Query()
	http.SetCookie(w, &http.Cookie{Name: smartCookie, Value: "", Path: "/smart/", HttpOnly: true, Secure: s.SecureCookies, SameSite: http.SameSiteLaxMode, MaxAge: -1})
	if e := q.Get("error"); e != "" {
		s.SMART.Forget(q.Get("state"))
		msg := "The EHR did not authorise tendo: " + clipText(e, 100)
		if d := q.Get("error_description"); d != "" {
			msg += " (" + clipText(d, 300) + ")"
		}
		s.smartError(w, r, tendo.Invalid("error", "%s.", msg))
		return
	}
	var cookie string
	if c, err := r.Cookie(smartCookie); err == nil {
		cookie = c.Value
	}
	c, err := s.SMART.Complete(r.Context(), q.Get("state"), q.Get("code"), binding(cookie, r))
	if err != nil {
		if tendo.ErrorCode(err) == tendo.EINVALID {
			s.recordDenied(r, "SMART callback refused ("+tendo.ErrorMessage(err)+")")
		}
		s.smartUpstream(w, r, err)
		return
	}
	var fetchErr error
	p, err := s.svc.LaunchPatient(r.Context(), tendo.EHRLaunch{
		ClinicID: c.ClinicID, ISS: c.ISS, FHIRPatientID: c.Patient,
		Fetch: func(ctx context.Context) (tendo.EHRPatient, error) {
			ep, err := s.SMART.FetchPatient(ctx, c)
			fetchErr = err
			return ep, err
		},
	})
	switch {
	case err != nil && err == fetchErr:
		s.smartUpstream(w, r, err) // the EHR's failure, not tendo's
		return
	case err != nil:
		s.smartError(w, r, err)
		return
	}
	if sess, ok := sessionFrom(r.Context()); ok {
		exp := s.Now().Add(smartSessionTTL)
		if !c.Token.Expiry.IsZero() && c.Token.Expiry.Before(exp) {
			exp = c.Token.Expiry
		}
		s.smartSessions.put(sess.ID, smartSession{ctx: c, patientID: p.ID, expires: exp}, s.Now())
	}
	http.Redirect(w, r, "/patients/"+strconv.FormatInt(p.ID, 10), http.StatusSeeOther)
}

// clipText shortens text from a request for a page or the audit log.
func clipText(s string, n int) string {
	r := []rune(s)
	if len(r) > n {
		r = r[:n]
	}
	return string(r)
}

// end issue 11: smart

package web

import (
	"bytes"
	"net/http"
	"strconv"

	"github.com/tendo-health/tendo"
)

// view is what every page template receives.
type view struct {
	Title string
	User  *tendo.User
	CSRF  string
	Flash string
	Data  any
}

// flashes are the messages a redirect may ask the next page to show, by
// code: ?flash=CODE. Text from the query is never shown (F14).
var flashes = map[string]string{
	"clinic-created":     "Clinic created.",
	"user-created":       "User created.",
	"clinics-changed":    "Clinics changed.",
	"user-enabled":       "User enabled.",
	"user-disabled":      "User disabled; their sessions have ended and their tokens no longer work.",
	"password-reset":     "Password reset; the user's sessions have ended.",
	"password-changed":   "Password changed; your other sessions have ended.",
	"token-revoked":      "Token revoked.",
	"logged-out-all":     "Every other session has ended.",
	"assessment-replay":  "This assessment had been saved already; here it is.",
	"questionnaire-sent": "Questionnaire link created.",
	"link-revoked":       "Questionnaire link revoked; it no longer works.", // issue 10: questionnaires
	"gait-created":       "Gait trial analysed and saved.",
	"gait-applied":       "The gait trial's values were added to the assessment and saved as a new assessment of the same date: this one.",
}

// render executes a page template inside the layout.
func (s *Server) render(w http.ResponseWriter, r *http.Request, code int, page, title string, data any) {
	t, ok := s.pages[page]
	if !ok {
		s.Logger.Error("no such page template", "page", page)
		http.Error(w, "Internal error.", http.StatusInternalServerError)
		return
	}
	v := view{Title: title, Data: data, Flash: flashes[r.URL.Query().Get("flash")]}
	if u, ok := userFrom(r.Context()); ok {
		v.User = &u
	}
	if sess, ok := sessionFrom(r.Context()); ok {
		v.CSRF = sess.CSRF
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout", v); err != nil {
		s.Logger.Error("render", "page", page, "err", err)
		http.Error(w, "Internal error.", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(code)
	_, _ = w.Write(buf.Bytes())
}

// pathID is the public ID in a path segment; 0 (which names nothing) when
// it is not a positive number.
func pathID(r *http.Request, name string) int64 {
	id, err := strconv.ParseInt(r.PathValue(name), 10, 64)
	if err != nil || id <= 0 {
		return 0
	}
	return id
}

// shortClass is a compact classification label for tables.
func shortClass(c tendo.Classification) string {
	switch c {
	case tendo.UrgentReferral:
		return "urgent referral"
	case tendo.LocalTendinopathy:
		return "local tendinopathy"
	case tendo.LumbarReferred:
		return "lumbar referred"
	case tendo.Mixed:
		return "mixed"
	case tendo.OtherCause:
		return "other cause"
	case tendo.Uncertain:
		return "uncertain"
	}
	return string(c)
}

package web

import (
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/tendo-health/tendo"
)

type accountData struct {
	Tokens   []tendo.APIToken
	NewToken string
	Now      time.Time
	Values   map[string]string
	Errors   map[string]string
}

// renderAccount shows the account page with the user's tokens.
func (s *Server) renderAccount(w http.ResponseWriter, r *http.Request, code int, d accountData) {
	tokens, err := s.Auth.FindTokens(r.Context(), 0)
	if err != nil {
		s.htmlError(w, r, err)
		return
	}
	d.Tokens, d.Now = tokens, s.Now()
	if d.Values == nil {
		d.Values = map[string]string{}
	}
	if d.Errors == nil {
		d.Errors = map[string]string{}
	}
	s.render(w, r, code, "account", "Account", d)
}

func (s *Server) accountPage(w http.ResponseWriter, r *http.Request) {
	s.renderAccount(w, r, http.StatusOK, accountData{})
}

// fieldError shows an EINVALID error next to its field (as named in
// the form) and reports whether it did.
func fieldError(err error, errs map[string]string, rename map[string]string) bool {
	if tendo.ErrorCode(err) != tendo.EINVALID {
		return false
	}
	var es tendo.Errors
	if errors.As(err, &es) {
		for _, e := range es {
			f := e.Field
			if n, ok := rename[f]; ok {
				f = n
			}
			errs[f] = e.Message
		}
		return true
	}
	var e *tendo.Error
	if !errors.As(err, &e) {
		return false
	}
	f := e.Field
	if n, ok := rename[f]; ok {
		f = n
	}
	errs[f] = tendo.ErrorMessage(err)
	return true
}

// tokenDays reads a token lifetime in days ("" is the default).
func tokenDays(v string) (time.Duration, error) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n <= 0 || time.Duration(n)*24*time.Hour > tendo.MaxTokenTTL {
		return 0, tendo.Invalid("days", "A token lasts from 1 to %d days.", int(tendo.MaxTokenTTL/(24*time.Hour)))
	}
	return time.Duration(n) * 24 * time.Hour, nil
}

func (s *Server) createToken(w http.ResponseWriter, r *http.Request) {
	d := accountData{Values: map[string]string{"tokenName": r.PostForm.Get("tokenName"), "days": r.PostForm.Get("days")}, Errors: map[string]string{}}
	ttl, err := tokenDays(r.PostForm.Get("days"))
	if err == nil {
		var secret string
		_, secret, err = s.Auth.CreateToken(r.Context(), 0, r.PostForm.Get("tokenName"), ttl)
		if err == nil {
			s.renderAccount(w, r, http.StatusOK, accountData{NewToken: secret})
			return
		}
	}
	if !fieldError(err, d.Errors, map[string]string{"name": "tokenName"}) {
		s.htmlError(w, r, err)
		return
	}
	s.renderAccount(w, r, http.StatusUnprocessableEntity, d)
}

func (s *Server) revokeToken(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		s.htmlError(w, r, tendo.Errorf(tendo.ENOTFOUND, "No such token."))
		return
	}
	if err := s.Auth.RevokeToken(r.Context(), id); err != nil {
		s.htmlError(w, r, err)
		return
	}
	http.Redirect(w, r, "/account?flash=token-revoked", http.StatusSeeOther)
}

func (s *Server) changePassword(w http.ResponseWriter, r *http.Request) {
	f := r.PostForm
	d := accountData{Errors: map[string]string{}}
	if f.Get("password") != f.Get("confirm") {
		d.Errors["confirm"] = "The two new passwords differ."
		s.renderAccount(w, r, http.StatusUnprocessableEntity, d)
		return
	}
	err := s.Auth.ChangePassword(r.Context(), f.Get("current"), f.Get("password"))
	if err == nil {
		http.Redirect(w, r, "/account?flash=password-changed", http.StatusSeeOther)
		return
	}
	if !fieldError(err, d.Errors, nil) {
		s.htmlError(w, r, err)
		return
	}
	s.renderAccount(w, r, http.StatusUnprocessableEntity, d)
}

func (s *Server) logoutEverywhere(w http.ResponseWriter, r *http.Request) {
	if err := s.Auth.LogoutEverywhere(r.Context()); err != nil {
		s.htmlError(w, r, err)
		return
	}
	s.clearSession(w)
	http.Redirect(w, r, "/login", http.StatusSeeOther)
}

// JSON API: tokens.

// apiTokens lists the caller's tokens, or (an admin) another user's with
// ?user=ID.
func (s *Server) apiTokens(w http.ResponseWriter, r *http.Request) {
	var uid int64
	if v := r.URL.Query().Get("user"); v != "" {
		var err error
		if uid, err = strconv.ParseInt(v, 10, 64); err != nil || uid <= 0 {
			s.apiError(w, r, tendo.Invalid("user", "must be a user ID"))
			return
		}
	}
	ts, err := s.Auth.FindTokens(r.Context(), uid)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"tokens": ts})
}

// apiCreateToken issues a token for the caller: {"name": "...", "days":
// 30} (days optional, 90 by default). The secret is in the answer only.
func (s *Server) apiCreateToken(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Name string `json:"name"`
		Days int    `json:"days"`
	}
	if err := readJSON(r, &in); err != nil {
		s.apiError(w, r, err)
		return
	}
	if in.Days < 0 || time.Duration(in.Days)*24*time.Hour > tendo.MaxTokenTTL {
		s.apiError(w, r, tendo.Invalid("days", "A token lasts from 1 to %d days.", int(tendo.MaxTokenTTL/(24*time.Hour))))
		return
	}
	t, secret, err := s.Auth.CreateToken(r.Context(), 0, in.Name, time.Duration(in.Days)*24*time.Hour)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, map[string]any{"token": t, "secret": secret})
}

func (s *Server) apiRevokeToken(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		s.apiError(w, r, tendo.Errorf(tendo.ENOTFOUND, "No such token."))
		return
	}
	if err := s.Auth.RevokeToken(r.Context(), id); err != nil {
		s.apiError(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// Live reports whether a token still authenticates at the page's time.
func (d accountData) Live(t tendo.APIToken) bool {
	return t.RevokedAt == nil && d.Now.Before(t.ExpiresAt)
}

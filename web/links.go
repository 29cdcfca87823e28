package web

import (
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/tendo-health/tendo"
	"github.com/tendo-health/tendo/questionnaire"
)

// linkBase is the external address questionnaire links start with:
// --base-url, or, only when the server is reached at a loopback address
// (a clinician trying tendo on their own machine), the request's host.
// Otherwise a Host header chosen by a client would end up in the link a
// patient is sent (F11), so link creation is refused.
func (s *Server) linkBase(r *http.Request) (string, error) {
	if s.BaseURL != "" {
		return strings.TrimSuffix(s.BaseURL, "/"), nil
	}
	host := r.Host
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	ip := net.ParseIP(strings.Trim(host, "[]"))
	if host != "localhost" && (ip == nil || !ip.IsLoopback()) {
		return "", tendo.Errorf(tendo.EFORBIDDEN, "Questionnaire links need the server's public address: start tendo serve with --base-url.")
	}
	scheme := "http"
	if r.TLS != nil || s.SecureCookies {
		scheme = "https"
	}
	return scheme + "://" + r.Host, nil
}

// newLink creates a link and returns it with its URL (shown once).
func (s *Server) newLink(r *http.Request, inst tendo.Instrument, days int) (tendo.QuestionnaireLink, string, error) {
	base, err := s.linkBase(r)
	if err != nil {
		return tendo.QuestionnaireLink{}, "", err
	}
	l, token, err := s.svc.CreateLink(r.Context(), pathID(r, "id"), inst, time.Duration(days)*24*time.Hour)
	if err != nil {
		return l, "", err
	}
	return l, base + "/q/" + token, nil
}

func (s *Server) createLink(w http.ResponseWriter, r *http.Request) {
	days := 0
	if v := strings.TrimSpace(r.PostForm.Get("days")); v != "" {
		var err error
		if days, err = strconv.Atoi(v); err != nil || days == 0 {
			days = -1
		}
	}
	l, link, err := s.newLink(r, tendo.Instrument(r.PostForm.Get("instrument")), days)
	if err != nil && tendo.ErrorCode(err) != tendo.EINVALID {
		s.Error(w, r, err)
		return
	}
	d, derr := s.patientData(r)
	if derr != nil {
		s.Error(w, r, derr)
		return
	}
	if err != nil {
		m, _ := fieldMessages(err)
		for k, v := range m {
			d.Errors[k] = v
		}
		s.render(w, r, http.StatusUnprocessableEntity, "patient", d.Patient.Name, d)
		return
	}
	d.NewLink, d.NewLinkTill = link, l.ExpiresAt
	s.render(w, r, http.StatusOK, "patient", d.Patient.Name, d)
}

type newLinkRequest struct {
	Instrument tendo.Instrument `json:"instrument"`
	Days       int              `json:"days"`
}

func (s *Server) apiCreateLink(w http.ResponseWriter, r *http.Request) {
	var req newLinkRequest
	if err := readJSON(r, &req); err != nil {
		s.Error(w, r, err)
		return
	}
	if req.Days < 0 {
		req.Days = -1
	}
	l, url, err := s.newLink(r, req.Instrument, req.Days)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, map[string]any{"link": l, "url": url})
}

type questionnaireData struct {
	Form   *questionnaire.Form
	Values url.Values
	Errors map[string]string
	Token  string
	Done   bool
	Score  *tendo.Score
}

// linkError answers a patient holding a link: a used, expired or unknown
// link gets a plain heading, not an HTTP status.
func (s *Server) linkError(w http.ResponseWriter, r *http.Request, err error) {
	switch tendo.ErrorCode(err) {
	case tendo.ENOTFOUND, tendo.ECONFLICT:
		s.render(w, r, statusOf(err), "error", "This link cannot be used", tendo.ErrorMessage(err))
	default:
		s.Error(w, r, err)
	}
}

func (s *Server) questionnairePage(w http.ResponseWriter, r *http.Request) {
	ctx := s.anonymous(r)
	l, err := s.svc.FindLink(ctx, r.PathValue("token"))
	if err != nil {
		s.linkError(w, r, err)
		return
	}
	form, ok := questionnaire.For(l.Instrument)
	if !ok {
		s.Error(w, r, fmt.Errorf("link %d: unknown instrument %q", l.ID, l.Instrument))
		return
	}
	s.render(w, r, http.StatusOK, "questionnaire", form.Title, questionnaireData{Form: form, Values: url.Values{}, Errors: map[string]string{}, Token: r.PathValue("token")})
}

func (s *Server) submitQuestionnaire(w http.ResponseWriter, r *http.Request) {
	ctx := s.anonymous(r)
	if err := r.ParseForm(); err != nil {
		s.Error(w, r, tendo.Errorf(tendo.EINVALID, "The form could not be read."))
		return
	}
	resp, score, err := s.svc.SubmitResponse(ctx, r.PathValue("token"), r.PostForm)
	if err != nil {
		m, ok := fieldMessages(err)
		if !ok {
			s.linkError(w, r, err)
			return
		}
		l, lerr := s.svc.FindLink(ctx, r.PathValue("token"))
		if lerr != nil {
			s.linkError(w, r, lerr)
			return
		}
		form, _ := questionnaire.For(l.Instrument)
		s.render(w, r, http.StatusUnprocessableEntity, "questionnaire", form.Title, questionnaireData{Form: form, Values: r.PostForm, Errors: m, Token: r.PathValue("token")})
		return
	}
	form, _ := questionnaire.For(resp.Instrument)
	s.render(w, r, http.StatusOK, "questionnaire", "Thank you", questionnaireData{Form: form, Done: true, Score: &score})
}

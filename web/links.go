package web

import (
	"encoding/json"
	"fmt"
	"html/template"
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

// newLink creates a link (or, with from set, resends link from) and
// returns it with its URL (shown once).
func (s *Server) newLink(r *http.Request, insts []tendo.Instrument, days int, from int64) (tendo.QuestionnaireLink, string, error) {
	base, err := s.linkBase(r)
	if err != nil {
		return tendo.QuestionnaireLink{}, "", err
	}
	ttl := time.Duration(days) * 24 * time.Hour
	var l tendo.QuestionnaireLink
	var token string
	if from != 0 {
		l, token, err = s.svc.ResendLink(r.Context(), pathID(r, "id"), from, ttl)
	} else {
		l, token, err = s.svc.CreateLink(r.Context(), pathID(r, "id"), insts, ttl)
	}
	if err != nil {
		return l, "", err
	}
	return l, base + "/q/" + token, nil
}

// formDays is the form's "days": 0 when blank (the default), -1 (refused
// by the service) when it is not a positive number.
func formDays(r *http.Request) int {
	v := strings.TrimSpace(r.PostForm.Get("days"))
	if v == "" {
		return 0
	}
	days, err := strconv.Atoi(v)
	if err != nil || days <= 0 {
		return -1
	}
	return days
}

// linkPageData is the clinician's page of a new link: its URL to copy,
// as a QR code, and the actions on it.
type linkPageData struct {
	Patient tendo.PatientRecord
	Clinic  string
	Link    tendo.QuestionnaireLink
	URL     string
	QR      template.HTML
	Resent  bool
}

// showLink renders the page of a link just created or resent.
func (s *Server) showLink(w http.ResponseWriter, r *http.Request, l tendo.QuestionnaireLink, link string, resent bool) {
	d, err := s.patientData(r)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	qr, err := qrSVG(link, "QR code of the questionnaire link")
	if err != nil {
		s.Error(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "link", "Questionnaire link for "+d.Patient.Name,
		linkPageData{Patient: d.Patient, Clinic: d.Clinic, Link: l, URL: link, QR: qr, Resent: resent})
}

func (s *Server) createLink(w http.ResponseWriter, r *http.Request) {
	var insts []tendo.Instrument
	for _, v := range r.PostForm["instrument"] {
		insts = append(insts, tendo.Instrument(v))
	}
	l, link, err := s.newLink(r, insts, formDays(r), 0)
	if err != nil && tendo.ErrorCode(err) != tendo.EINVALID {
		s.Error(w, r, err)
		return
	}
	if err != nil {
		d, derr := s.patientData(r)
		if derr != nil {
			s.Error(w, r, derr)
			return
		}
		m, _ := fieldMessages(err)
		for k, v := range m {
			d.Errors[k] = v
		}
		if v, ok := d.Errors["instruments"]; ok {
			d.Errors["instrument"] = v
		}
		s.render(w, r, http.StatusUnprocessableEntity, "patient", d.Patient.Name, d)
		return
	}
	s.showLink(w, r, l, link, false)
}

// resendLink makes a new link for the questionnaires of an old one not
// yet answered, and revokes the old one.
func (s *Server) resendLink(w http.ResponseWriter, r *http.Request) {
	l, link, err := s.newLink(r, nil, formDays(r), pathID(r, "lid"))
	if err != nil {
		s.Error(w, r, err)
		return
	}
	s.showLink(w, r, l, link, true)
}

func (s *Server) revokeLink(w http.ResponseWriter, r *http.Request) {
	if err := s.svc.RevokeLink(r.Context(), pathID(r, "id"), pathID(r, "lid")); err != nil {
		s.Error(w, r, err)
		return
	}
	http.Redirect(w, r, fmt.Sprintf("/patients/%d?flash=link-revoked#questionnaires", pathID(r, "id")), http.StatusSeeOther)
}

// responseData is the page of one questionnaire response, answer by
// answer.
type responseData struct {
	PatientID int64
	Response  tendo.QuestionnaireResponse
	Name      string
	Answers   []questionnaire.Answer
}

func (s *Server) responsePage(w http.ResponseWriter, r *http.Request) {
	resp, err := s.svc.FindResponse(r.Context(), pathID(r, "id"), pathID(r, "rid"))
	if err != nil {
		s.Error(w, r, err)
		return
	}
	answers, err := questionnaire.Answers(resp.Instrument, resp.Answers)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	name := string(resp.Instrument)
	if f, ok := questionnaire.For(resp.Instrument); ok {
		name = f.Name
	}
	s.render(w, r, http.StatusOK, "response", name+" answers", responseData{PatientID: pathID(r, "id"), Response: resp, Name: name, Answers: answers})
}

type newLinkRequest struct {
	Instrument  tendo.Instrument   `json:"instrument"`
	Instruments []tendo.Instrument `json:"instruments"`
	Days        int                `json:"days"`
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
	insts := req.Instruments
	if len(insts) == 0 {
		insts = []tendo.Instrument{req.Instrument}
	} else if req.Instrument != "" && req.Instrument != insts[0] {
		s.Error(w, r, tendo.Invalid("instrument", "Give the questionnaires as instruments, or one as instrument."))
		return
	}
	l, url, err := s.newLink(r, insts, req.Days, 0)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, map[string]any{"link": l, "url": url})
}

// questionnaireData is what a patient holding a link sees: the next
// questionnaire (Step of Steps), the thank-you, or why the link cannot be
// used (Problem).
type questionnaireData struct {
	Form    *questionnaire.Form
	Values  url.Values
	Errors  map[string]string
	Token   string
	Clinic  string
	Step    int
	Steps   int
	Saved   bool // the previous questionnaire of the link was just saved
	Done    bool
	Problem string
}

// linkError answers a patient holding a link: a used, expired or unknown
// link gets a plain heading in the patient's layout.
func (s *Server) linkError(w http.ResponseWriter, r *http.Request, err error) {
	switch tendo.ErrorCode(err) {
	case tendo.ENOTFOUND, tendo.ECONFLICT:
		s.render(w, r, statusOf(err), "questionnaire", "This link cannot be used", questionnaireData{Problem: tendo.ErrorMessage(err)})
	default:
		s.Error(w, r, err)
	}
}

// questionnaireStep is the page of a link's next questionnaire.
func questionnaireStep(l tendo.QuestionnaireLink, token string) (questionnaireData, error) {
	next := l.Next()
	form, ok := questionnaire.For(next)
	if !ok {
		return questionnaireData{}, fmt.Errorf("link %d: unknown instrument %q", l.ID, next)
	}
	return questionnaireData{Form: form, Values: url.Values{}, Errors: map[string]string{}, Token: token, Clinic: l.Clinic,
		Step: len(l.Answered) + 1, Steps: len(l.Instruments)}, nil
}

func (s *Server) questionnairePage(w http.ResponseWriter, r *http.Request) {
	ctx := s.anonymous(r)
	l, err := s.svc.FindLink(ctx, r.PathValue("token"))
	if err != nil {
		s.linkError(w, r, err)
		return
	}
	d, err := questionnaireStep(l, r.PathValue("token"))
	if err != nil {
		s.Error(w, r, err)
		return
	}
	d.Saved = r.URL.Query().Get("saved") == "1" && d.Step > 1
	s.render(w, r, http.StatusOK, "questionnaire", d.Form.Title, d)
}

func (s *Server) submitQuestionnaire(w http.ResponseWriter, r *http.Request) {
	ctx := s.anonymous(r)
	if err := r.ParseForm(); err != nil {
		s.Error(w, r, tendo.Errorf(tendo.EINVALID, "The form could not be read."))
		return
	}
	token := r.PathValue("token")
	again := "/q/" + url.PathEscape(token)
	_, _, err := s.svc.SubmitResponse(ctx, token, tendo.Instrument(r.PostForm.Get("instrument")), r.PostForm)
	if err != nil {
		m, ok := fieldMessages(err)
		l, lerr := s.svc.FindLink(ctx, token)
		switch {
		case lerr != nil:
			s.linkError(w, r, lerr)
		case !ok: // answers sent twice, or to a questionnaire already answered: show the next one
			http.Redirect(w, r, again, http.StatusSeeOther)
		default:
			d, derr := questionnaireStep(l, token)
			if derr != nil {
				s.Error(w, r, derr)
				return
			}
			d.Values, d.Errors = r.PostForm, m
			s.render(w, r, http.StatusUnprocessableEntity, "questionnaire", d.Form.Title, d)
		}
		return
	}
	l, err := s.svc.FindLink(ctx, token)
	switch {
	case err == nil: // more to answer
		http.Redirect(w, r, again+"?saved=1", http.StatusSeeOther)
	case tendo.ErrorCode(err) == tendo.ECONFLICT: // answered in full
		s.render(w, r, http.StatusOK, "questionnaire", "Thank you", questionnaireData{Done: true, Clinic: l.Clinic})
	default:
		s.linkError(w, r, err)
	}
}

// newLinkRow is a link as the patient page lists it, with its status and
// the responses sent through it; dates are in loc, the clinic's zone.
func newLinkRow(l tendo.QuestionnaireLink, rs []tendo.QuestionnaireResponse, now time.Time, loc *time.Location) linkRow {
	row := linkRow{QuestionnaireLink: l, Status: "waiting"}
	for _, r := range rs {
		if r.LinkID == l.ID {
			row.Responses = append(row.Responses, r)
		}
	}
	switch {
	case l.UsedAt != nil:
		row.Status = "answered " + l.UsedAt.In(loc).Format(time.DateOnly)
	case l.RevokedAt != nil:
		row.Status = "revoked"
	case !now.Before(l.ExpiresAt):
		row.Status = "expired"
	default:
		row.Open = true
	}
	if len(l.Instruments) > 1 && l.UsedAt == nil {
		row.Status += fmt.Sprintf(" (%d of %d answered)", len(l.Answered), len(l.Instruments))
	}
	return row
}

// apiResponse is one questionnaire response with its answers item by
// item.
func (s *Server) apiResponse(w http.ResponseWriter, r *http.Request) {
	resp, err := s.svc.FindResponse(r.Context(), pathID(r, "id"), pathID(r, "rid"))
	if err != nil {
		s.Error(w, r, err)
		return
	}
	answers, err := questionnaire.Answers(resp.Instrument, resp.Answers)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	items := make([]map[string]any, len(answers))
	for n, a := range answers {
		items[n] = map[string]any{"number": a.Number, "title": a.Title, "text": a.Text, "answer": a.Answer, "points": a.Points}
	}
	writeJSON(w, http.StatusOK, map[string]any{"response": map[string]any{
		"id": resp.ID, "patientId": resp.PatientID, "linkId": resp.LinkID, "instrument": resp.Instrument,
		"answers": json.RawMessage(resp.Answers), "score": resp.Score, "band": resp.Band, "submittedAt": resp.SubmittedAt,
	}, "items": items})
}

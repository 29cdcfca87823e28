package web

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/tendo-health/tendo"
	"github.com/tendo-health/tendo/chart"
	"github.com/tendo-health/tendo/intake"
	"github.com/tendo-health/tendo/passwd"
	"github.com/tendo-health/tendo/questionnaire"
	"github.com/tendo-health/tendo/report"
)

// view is what every page template receives.
type view struct {
	Title string
	User  *tendo.User
	CSRF  string
	Flash string
	Data  any
}

// render executes a page template inside the layout.
func (s *Server) render(w http.ResponseWriter, r *http.Request, code int, page, title string, data any) {
	t, ok := s.pages[page]
	if !ok {
		s.Logger.Error("no such page template", "page", page)
		http.Error(w, "Internal error.", http.StatusInternalServerError)
		return
	}
	v := view{Title: title, Data: data, Flash: r.URL.Query().Get("flash")}
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

// htmlError shows an error page with a message safe for the user.
func (s *Server) htmlError(w http.ResponseWriter, r *http.Request, err error) {
	code := statusOf(err)
	s.render(w, r, code, "error", http.StatusText(code), s.publicMessage(r, err))
}

// linkError is htmlError for a patient holding a questionnaire link: a
// used, expired or unknown link gets a plain heading, not an HTTP status.
func (s *Server) linkError(w http.ResponseWriter, r *http.Request, err error) {
	switch tendo.ErrorCode(err) {
	case tendo.ENOTFOUND, tendo.ECONFLICT:
		s.render(w, r, statusOf(err), "error", "This link cannot be used", s.publicMessage(r, err))
	default:
		s.htmlError(w, r, err)
	}
}

// audit records an access; a failure to audit fails the request (an
// access that is not recorded must not happen).
func (s *Server) audit(r *http.Request, u tendo.User, clinicID, patientID int64, action, detail string) error {
	return s.Store.Audit(r.Context(), tendo.AuditEntry{
		At: s.Now(), UserID: u.ID, Actor: fmt.Sprintf("user %d (%s)", u.ID, u.Email),
		ClinicID: clinicID, PatientID: patientID, Action: action, Detail: detail,
	})
}

// visiblePatient loads a patient the user may see. A patient of another
// clinic is reported as not found, so its existence does not leak.
func (s *Server) visiblePatient(r *http.Request, u tendo.User) (tendo.PatientRecord, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return tendo.PatientRecord{}, tendo.Errorf(tendo.ENOTFOUND, "No such patient.")
	}
	p, err := s.Store.Patient(r.Context(), id)
	if err != nil {
		if tendo.ErrorCode(err) == tendo.ENOTFOUND {
			return p, tendo.Errorf(tendo.ENOTFOUND, "No such patient.")
		}
		return p, err
	}
	if !u.CanSee(p.ClinicID) {
		return tendo.PatientRecord{}, tendo.Errorf(tendo.ENOTFOUND, "No such patient.")
	}
	return p, nil
}

// visibleAssessment loads an assessment of a visible patient.
func (s *Server) visibleAssessment(r *http.Request, p tendo.PatientRecord) (tendo.StoredAssessment, error) {
	id, err := strconv.ParseInt(r.PathValue("aid"), 10, 64)
	if err != nil || id <= 0 {
		return tendo.StoredAssessment{}, tendo.Errorf(tendo.ENOTFOUND, "No such assessment.")
	}
	a, err := s.Store.Assessment(r.Context(), id)
	if err != nil || a.PatientID != p.ID {
		if err == nil || tendo.ErrorCode(err) == tendo.ENOTFOUND {
			return a, tendo.Errorf(tendo.ENOTFOUND, "No such assessment.")
		}
		return a, err
	}
	return a, nil
}

func (s *Server) userClinics(r *http.Request, u tendo.User) ([]tendo.Clinic, error) {
	all, err := s.Store.Clinics(r.Context())
	if err != nil {
		return nil, err
	}
	var out []tendo.Clinic
	for _, c := range all {
		if u.CanSee(c.ID) {
			out = append(out, c)
		}
	}
	return out, nil
}

func scopeOf(u tendo.User) []int64 {
	if u.Role == tendo.RoleAdmin {
		return nil
	}
	if u.ClinicIDs == nil {
		return []int64{}
	}
	return u.ClinicIDs
}

type dashboardData struct {
	Patients []tendo.PatientRecord
	Clinics  map[int64]string
}

func (s *Server) dashboard(w http.ResponseWriter, r *http.Request) {
	u, _ := userFrom(r.Context())
	ps, err := s.Store.Patients(r.Context(), scopeOf(u))
	if err != nil {
		s.htmlError(w, r, err)
		return
	}
	clinics, err := s.userClinics(r, u)
	if err != nil {
		s.htmlError(w, r, err)
		return
	}
	names := map[int64]string{}
	for _, c := range clinics {
		names[c.ID] = c.Name
	}
	s.render(w, r, http.StatusOK, "dashboard", "Patients", dashboardData{Patients: ps, Clinics: names})
}

type patientFormData struct {
	Clinics []tendo.Clinic
	Values  map[string]string
	Errors  map[string]string
}

func (s *Server) newPatientPage(w http.ResponseWriter, r *http.Request) {
	u, _ := userFrom(r.Context())
	clinics, err := s.userClinics(r, u)
	if err != nil {
		s.htmlError(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "patient_new", "New patient", patientFormData{Clinics: clinics, Values: map[string]string{}, Errors: map[string]string{}})
}

// patientInput validates a new patient's fields (from a form or the API).
func patientInput(u tendo.User, clinicID, name, externalID, birthYear string, now time.Time) (tendo.PatientRecord, map[string]string) {
	errs := map[string]string{}
	p := tendo.PatientRecord{Name: strings.TrimSpace(name), ExternalID: strings.TrimSpace(externalID), CreatedBy: u.ID}
	if p.Name == "" {
		errs["name"] = "Enter the patient's name."
	} else if len(p.Name) > 200 {
		errs["name"] = "The name is longer than 200 characters."
	}
	if len(p.ExternalID) > 100 {
		errs["externalId"] = "The identifier is longer than 100 characters."
	}
	id, err := strconv.ParseInt(strings.TrimSpace(clinicID), 10, 64)
	if err != nil || !u.CanSee(id) {
		errs["clinicId"] = "Choose one of your clinics."
	}
	p.ClinicID = id
	if by := strings.TrimSpace(birthYear); by != "" {
		y, err := strconv.Atoi(by)
		if err != nil || y < now.Year()-120 || y > now.Year() {
			errs["birthYear"] = fmt.Sprintf("Enter a year between %d and %d, or leave it empty.", now.Year()-120, now.Year())
		}
		p.BirthYear = y
	}
	return p, errs
}

func (s *Server) createPatient(w http.ResponseWriter, r *http.Request) {
	u, _ := userFrom(r.Context())
	f := r.PostForm
	p, errs := patientInput(u, f.Get("clinicId"), f.Get("name"), f.Get("externalId"), f.Get("birthYear"), s.Now())
	if len(errs) > 0 {
		clinics, _ := s.userClinics(r, u)
		vals := map[string]string{"clinicId": f.Get("clinicId"), "name": f.Get("name"), "externalId": f.Get("externalId"), "birthYear": f.Get("birthYear")}
		s.render(w, r, http.StatusUnprocessableEntity, "patient_new", "New patient", patientFormData{Clinics: clinics, Values: vals, Errors: errs})
		return
	}
	p, err := s.Store.CreatePatient(r.Context(), p)
	if err != nil {
		s.htmlError(w, r, err)
		return
	}
	if err := s.audit(r, u, p.ClinicID, p.ID, "patient.create", ""); err != nil {
		s.htmlError(w, r, err)
		return
	}
	http.Redirect(w, r, fmt.Sprintf("/patients/%d", p.ID), http.StatusSeeOther)
}

type timelineRow struct {
	Date           string
	Kind           string // "assessment" or "questionnaire"
	AssessmentID   int64
	Classification tendo.Classification
	VISAA, ODI     *float64
	NPRS, LEFS     *float64
	ModelVersion   string
}

type linkRow struct {
	tendo.QuestionnaireLink
	Status string
}

type patientData struct {
	Patient     tendo.PatientRecord
	Clinic      string
	Rows        []timelineRow
	Links       []linkRow
	NewLink     string
	NewLinkTill time.Time
	Instruments []tendo.Instrument
	Errors      map[string]string
}

func (s *Server) patientPage(w http.ResponseWriter, r *http.Request) {
	u, _ := userFrom(r.Context())
	p, err := s.visiblePatient(r, u)
	if err != nil {
		s.htmlError(w, r, err)
		return
	}
	data, err := s.patientData(r, p)
	if err != nil {
		s.htmlError(w, r, err)
		return
	}
	if err := s.audit(r, u, p.ClinicID, p.ID, "patient.read", ""); err != nil {
		s.htmlError(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "patient", p.Name, data)
}

func (s *Server) patientData(r *http.Request, p tendo.PatientRecord) (patientData, error) {
	ctx := r.Context()
	d := patientData{Patient: p, Instruments: []tendo.Instrument{tendo.InstrumentVISAA, tendo.InstrumentODI, tendo.InstrumentNPRS, tendo.InstrumentLEFS}, Errors: map[string]string{}}
	if c, err := s.Store.Clinic(ctx, p.ClinicID); err == nil {
		d.Clinic = c.Name
	}
	rows, err := s.timelineRows(r, p)
	if err != nil {
		return d, err
	}
	d.Rows = rows
	links, err := s.Store.Links(ctx, p.ID)
	if err != nil {
		return d, err
	}
	now := s.Now()
	for i := len(links) - 1; i >= 0; i-- {
		l := links[i]
		st := "waiting"
		switch {
		case l.UsedAt != nil:
			st = "answered " + l.UsedAt.UTC().Format("2006-01-02")
		case !now.Before(l.ExpiresAt):
			st = "expired"
		}
		d.Links = append(d.Links, linkRow{l, st})
	}
	return d, nil
}

// timelineRows merges assessments and questionnaire responses by date.
func (s *Server) timelineRows(r *http.Request, p tendo.PatientRecord) ([]timelineRow, error) {
	as, err := s.Store.Assessments(r.Context(), p.ID)
	if err != nil {
		return nil, err
	}
	rs, err := s.Store.Responses(r.Context(), p.ID)
	if err != nil {
		return nil, err
	}
	var rows []timelineRow
	for _, a := range as {
		rows = append(rows, timelineRow{Date: a.Date, Kind: "assessment", AssessmentID: a.ID, Classification: a.Classification,
			VISAA: a.VISAA, ODI: a.ODI, NPRS: a.NPRS, LEFS: a.LEFS, ModelVersion: a.ModelVersion})
	}
	for _, q := range rs {
		row := timelineRow{Date: q.SubmittedAt.UTC().Format("2006-01-02"), Kind: "questionnaire"}
		v := q.Score
		switch q.Instrument {
		case tendo.InstrumentVISAA:
			row.VISAA = &v
		case tendo.InstrumentODI:
			row.ODI = &v
		case tendo.InstrumentNPRS:
			row.NPRS = &v
		case tendo.InstrumentLEFS:
			row.LEFS = &v
		}
		rows = append(rows, row)
	}
	sort.SliceStable(rows, func(i, j int) bool { return rows[i].Date < rows[j].Date })
	return rows, nil
}

func (s *Server) timelineSVG(w http.ResponseWriter, r *http.Request) {
	u, _ := userFrom(r.Context())
	p, err := s.visiblePatient(r, u)
	if err != nil {
		s.htmlError(w, r, err)
		return
	}
	as, err := s.Store.Assessments(r.Context(), p.ID)
	if err != nil {
		s.htmlError(w, r, err)
		return
	}
	rs, err := s.Store.Responses(r.Context(), p.ID)
	if err != nil {
		s.htmlError(w, r, err)
		return
	}
	var buf bytes.Buffer
	if err := chart.Timeline(&buf, as, rs, chart.Options{}); err != nil {
		s.htmlError(w, r, err)
		return
	}
	if err := s.audit(r, u, p.ClinicID, p.ID, "timeline.read", ""); err != nil {
		s.htmlError(w, r, err)
		return
	}
	// The chart styles its own elements; it has no script and loads nothing.
	w.Header().Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'")
	w.Header().Set("Content-Type", "image/svg+xml")
	_, _ = w.Write(buf.Bytes())
}

type assessmentFormData struct {
	Patient  tendo.PatientRecord
	Sections []formSection
	Values   formValues
	Errors   fieldErrors
	Problems []formProblem
}

func (s *Server) newAssessmentPage(w http.ResponseWriter, r *http.Request) {
	u, _ := userFrom(r.Context())
	p, err := s.visiblePatient(r, u)
	if err != nil {
		s.htmlError(w, r, err)
		return
	}
	vals := formValues{"date": {s.Now().UTC().Format("2006-01-02")}}
	if p.BirthYear > 0 {
		vals.Set("patient.ageYears", strconv.Itoa(s.Now().Year()-p.BirthYear))
	}
	s.render(w, r, http.StatusOK, "assessment_form", "New assessment — "+p.Name, assessmentFormData{Patient: p, Sections: s.form, Values: vals, Errors: fieldErrors{}})
}

// saveAssessment runs and stores an assessment: its input, the full result
// and the model version, in one record.
func (s *Server) saveAssessment(r *http.Request, u tendo.User, p tendo.PatientRecord, a *tendo.Assessment) (tendo.StoredAssessment, *tendo.Result, error) {
	res, err := s.Assessor.Assess(a)
	if err != nil {
		return tendo.StoredAssessment{}, nil, tendo.Errorf(tendo.EINVALID, "%v", err)
	}
	input, err := intake.Marshal(a)
	if err != nil {
		return tendo.StoredAssessment{}, nil, err
	}
	date := a.Date
	if date == "" {
		date = s.Now().UTC().Format("2006-01-02")
	}
	st := tendo.NewStoredAssessment(p, date, u.ID, input, res)
	st, err = s.Store.SaveAssessment(r.Context(), st)
	if err != nil {
		return st, nil, err
	}
	if err := s.audit(r, u, p.ClinicID, p.ID, "assessment.create", fmt.Sprintf("assessment %d, %s", st.ID, res.Classification)); err != nil {
		return st, nil, err
	}
	return st, res, nil
}

func (s *Server) createAssessment(w http.ResponseWriter, r *http.Request) {
	u, _ := userFrom(r.Context())
	p, err := s.visiblePatient(r, u)
	if err != nil {
		s.htmlError(w, r, err)
		return
	}
	a, vals, errs := s.parseAssessmentForm(r.PostForm, p)
	if errs != nil {
		s.render(w, r, http.StatusUnprocessableEntity, "assessment_form", "New assessment — "+p.Name, assessmentFormData{Patient: p, Sections: s.form, Values: vals, Errors: errs, Problems: s.problems(errs)})
		return
	}
	st, _, err := s.saveAssessment(r, u, p, a)
	if err != nil {
		if tendo.ErrorCode(err) == tendo.EINVALID {
			s.render(w, r, http.StatusUnprocessableEntity, "assessment_form", "New assessment — "+p.Name, assessmentFormData{Patient: p, Sections: s.form, Values: vals, Errors: fieldErrors{"": s.publicMessage(r, err)}})
			return
		}
		s.htmlError(w, r, err)
		return
	}
	http.Redirect(w, r, fmt.Sprintf("/patients/%d/assessments/%d", p.ID, st.ID), http.StatusSeeOther)
}

type resultData struct {
	Patient    tendo.PatientRecord
	Assessment tendo.StoredAssessment
	Result     *tendo.Result
	Current    string // the model version running now, when it differs
}

func (s *Server) loadResult(w http.ResponseWriter, r *http.Request, action string) (resultData, bool) {
	u, _ := userFrom(r.Context())
	p, err := s.visiblePatient(r, u)
	if err != nil {
		s.htmlError(w, r, err)
		return resultData{}, false
	}
	st, err := s.visibleAssessment(r, p)
	if err != nil {
		s.htmlError(w, r, err)
		return resultData{}, false
	}
	var res tendo.Result
	if err := json.Unmarshal(st.Result, &res); err != nil {
		s.htmlError(w, r, fmt.Errorf("stored result %d: %w", st.ID, err))
		return resultData{}, false
	}
	if err := s.audit(r, u, p.ClinicID, p.ID, action, fmt.Sprintf("assessment %d", st.ID)); err != nil {
		s.htmlError(w, r, err)
		return resultData{}, false
	}
	d := resultData{Patient: p, Assessment: st, Result: &res}
	if cur := s.Assessor.ModelVersion(); cur != st.ModelVersion {
		d.Current = cur
	}
	return d, true
}

func (s *Server) assessmentPage(w http.ResponseWriter, r *http.Request) {
	d, ok := s.loadResult(w, r, "assessment.read")
	if !ok {
		return
	}
	s.render(w, r, http.StatusOK, "result", "Assessment — "+d.Patient.Name, d)
}

// reportPage is the standalone printable report. Its stylesheet is
// inline, allowed by the policy through its hash only.
func (s *Server) reportPage(w http.ResponseWriter, r *http.Request) {
	d, ok := s.loadResult(w, r, "report.read")
	if !ok {
		return
	}
	var buf bytes.Buffer
	if err := report.HTML(&buf, d.Result); err != nil {
		s.htmlError(w, r, err)
		return
	}
	w.Header().Set("Content-Security-Policy", "default-src 'none'; style-src "+s.reportHash+"; img-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'")
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	_, _ = w.Write(buf.Bytes())
}

// newLink creates a questionnaire link and returns its URL (shown once).
func (s *Server) newLink(r *http.Request, u tendo.User, p tendo.PatientRecord, inst tendo.Instrument, days int) (tendo.QuestionnaireLink, string, error) {
	if !inst.Valid() {
		return tendo.QuestionnaireLink{}, "", &tendo.Error{Code: tendo.EINVALID, Field: "instrument", Message: "Choose one of visaA, odi, nprs, lefs."}
	}
	ttl := s.LinkTTL
	if days != 0 {
		if days < 1 || days > 30 {
			return tendo.QuestionnaireLink{}, "", &tendo.Error{Code: tendo.EINVALID, Field: "days", Message: "A link may be valid for 1 to 30 days."}
		}
		ttl = time.Duration(days) * 24 * time.Hour
	}
	token := passwd.Token()
	now := s.Now()
	l, err := s.Store.CreateLink(r.Context(), tendo.QuestionnaireLink{PatientID: p.ID, ClinicID: p.ClinicID, Instrument: inst, CreatedBy: u.ID, CreatedAt: now, ExpiresAt: now.Add(ttl)}, passwd.TokenHash(token))
	if err != nil {
		return l, "", err
	}
	if err := s.audit(r, u, p.ClinicID, p.ID, "link.create", fmt.Sprintf("link %d, %s", l.ID, inst)); err != nil {
		return l, "", err
	}
	return l, s.baseURL(r) + "/q/" + token, nil
}

func (s *Server) baseURL(r *http.Request) string {
	if s.BaseURL != "" {
		return strings.TrimSuffix(s.BaseURL, "/")
	}
	scheme := "http"
	if r.TLS != nil || s.SecureCookies {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

func (s *Server) createLink(w http.ResponseWriter, r *http.Request) {
	u, _ := userFrom(r.Context())
	p, err := s.visiblePatient(r, u)
	if err != nil {
		s.htmlError(w, r, err)
		return
	}
	days := 0
	if v := strings.TrimSpace(r.PostForm.Get("days")); v != "" {
		if days, err = strconv.Atoi(v); err != nil {
			days = -1
		}
	}
	l, link, err := s.newLink(r, u, p, tendo.Instrument(r.PostForm.Get("instrument")), days)
	d, derr := s.patientData(r, p)
	if derr != nil {
		s.htmlError(w, r, derr)
		return
	}
	if err != nil {
		var e *tendo.Error
		if errors.As(err, &e) && e.Field != "" {
			d.Errors[e.Field] = e.Message
			s.render(w, r, http.StatusUnprocessableEntity, "patient", p.Name, d)
			return
		}
		s.htmlError(w, r, err)
		return
	}
	d.NewLink, d.NewLinkTill = link, l.ExpiresAt
	s.render(w, r, http.StatusOK, "patient", p.Name, d)
}

type questionnaireData struct {
	Form   *questionnaire.Form
	Values url.Values
	Errors map[string]string
	Token  string
	Done   bool
	Score  *tendo.Score
}

// linkFor checks a questionnaire link: it must exist, be unused and not
// have expired. The patient sees a plain message otherwise.
func (s *Server) linkFor(r *http.Request) (tendo.QuestionnaireLink, error) {
	token := r.PathValue("token")
	if len(token) < 20 || len(token) > 100 {
		return tendo.QuestionnaireLink{}, tendo.Errorf(tendo.ENOTFOUND, "This questionnaire link is not valid. Ask your clinician for a new one.")
	}
	l, err := s.Store.LinkByToken(r.Context(), passwd.TokenHash(token))
	switch {
	case tendo.ErrorCode(err) == tendo.ENOTFOUND:
		return l, tendo.Errorf(tendo.ENOTFOUND, "This questionnaire link is not valid. Ask your clinician for a new one.")
	case err != nil:
		return l, err
	case l.UsedAt != nil:
		return l, tendo.Errorf(tendo.ECONFLICT, "This questionnaire has already been answered. Thank you.")
	case !s.Now().Before(l.ExpiresAt):
		return l, tendo.Errorf(tendo.ECONFLICT, "This questionnaire link has expired. Ask your clinician for a new one.")
	}
	return l, nil
}

func (s *Server) questionnairePage(w http.ResponseWriter, r *http.Request) {
	l, err := s.linkFor(r)
	if err != nil {
		s.linkError(w, r, err)
		return
	}
	form, ok := questionnaire.For(l.Instrument)
	if !ok {
		s.htmlError(w, r, fmt.Errorf("link %d: unknown instrument %q", l.ID, l.Instrument))
		return
	}
	s.render(w, r, http.StatusOK, "questionnaire", form.Title, questionnaireData{Form: form, Values: url.Values{}, Errors: map[string]string{}, Token: r.PathValue("token")})
}

func (s *Server) submitQuestionnaire(w http.ResponseWriter, r *http.Request) {
	l, err := s.linkFor(r)
	if err != nil {
		s.linkError(w, r, err)
		return
	}
	form, ok := questionnaire.For(l.Instrument)
	if !ok {
		s.htmlError(w, r, fmt.Errorf("link %d: unknown instrument %q", l.ID, l.Instrument))
		return
	}
	if err := r.ParseForm(); err != nil {
		s.htmlError(w, r, tendo.Errorf(tendo.EINVALID, "The form could not be read."))
		return
	}
	answers, score, errs := questionnaire.Parse(l.Instrument, r.PostForm)
	if len(errs) > 0 {
		s.render(w, r, http.StatusUnprocessableEntity, "questionnaire", form.Title, questionnaireData{Form: form, Values: r.PostForm, Errors: errs, Token: r.PathValue("token")})
		return
	}
	now := s.Now()
	resp, err := s.Store.SubmitResponse(r.Context(), tendo.QuestionnaireResponse{
		PatientID: l.PatientID, ClinicID: l.ClinicID, LinkID: l.ID, Instrument: l.Instrument,
		Answers: answers, Score: score.Rounded, Band: score.Band, SubmittedAt: now,
	}, now)
	if err != nil {
		s.htmlError(w, r, err)
		return
	}
	if err := s.Store.Audit(r.Context(), tendo.AuditEntry{At: now, Actor: fmt.Sprintf("questionnaire link %d", l.ID), ClinicID: l.ClinicID, PatientID: l.PatientID, Action: "response.submit", Detail: fmt.Sprintf("response %d, %s %.1f", resp.ID, l.Instrument, resp.Score)}); err != nil {
		s.htmlError(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "questionnaire", "Thank you", questionnaireData{Form: form, Done: true, Score: &score})
}

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

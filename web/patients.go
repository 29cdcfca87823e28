package web

import (
	"bytes"
	"fmt"
	"html"
	"html/template"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/tendo-health/tendo"
	"github.com/tendo-health/tendo/chart"
)

// issue 10: safety. The dashboard answers "who needs me today": a
// search by name or identifier (?q=), each patient's last visit, its
// classification and red flags, the questionnaire links still waiting
// and the measures not improved by the MCID at 12 weeks.
type dashboardData struct {
	Patients []tendo.PatientSummary
	// Rows are the patients' rows of the table (dashboardRow).
	Rows    []template.HTML
	More    bool
	Search  string
	Clinics map[int64]string
	Errors  map[string]string
}

func (s *Server) dashboard(w http.ResponseWriter, r *http.Request) {
	search := r.URL.Query().Get("q")
	d := dashboardData{Search: search, Errors: map[string]string{}}
	sum, err := s.svc.FindPatientSummaries(r.Context(), tendo.PatientQuery{Search: search})
	if err != nil {
		m, ok := fieldMessages(err)
		if !ok {
			s.Error(w, r, err)
			return
		}
		d.Errors = m
	}
	clinics, err := s.svc.FindClinics(r.Context())
	if err != nil {
		s.Error(w, r, err)
		return
	}
	names := map[int64]string{}
	for _, c := range clinics {
		names[c.ID] = c.Name
	}
	d.Patients, d.More, d.Clinics = sum.Patients, sum.More, names
	d.Rows = make([]template.HTML, len(d.Patients))
	var b strings.Builder
	for i, p := range d.Patients {
		b.Reset()
		dashboardRow(&b, p, names[p.ClinicID])
		d.Rows[i] = template.HTML(b.String()) //nolint:gosec // every value is escaped by dashboardRow
	}
	code := http.StatusOK
	if len(d.Errors) > 0 {
		code = http.StatusUnprocessableEntity
	}
	s.render(w, r, code, "dashboard", "Patients", d)
}

// dashboardRow writes one patient's row of the dashboard. It is written
// here rather than in the template because with 1,000 patients the
// template's escaping of each value took most of the page's time
// (BenchmarkDashboard); every value from the record is escaped with
// html.EscapeString, and the rest are numbers and fixed words.
func dashboardRow(b *strings.Builder, p tendo.PatientSummary, clinic string) {
	esc := html.EscapeString
	id := strconv.FormatInt(p.ID, 10)
	b.WriteString(`<tr id="patient-` + id + `"`)
	if p.Urgent() {
		b.WriteString(` class="urgent"`)
	}
	b.WriteString(`><td><a href="/patients/` + id + `">` + esc(p.Name) + `</a></td><td>` + esc(p.ExternalID) + `</td><td>` + esc(clinic) + `</td><td>`)
	if p.LastVisitID != 0 {
		b.WriteString(`<a href="/patients/` + id + `/assessments/` + strconv.FormatInt(p.LastVisitID, 10) + `">` + esc(p.LastVisit) + `</a></td><td>` + esc(shortClass(p.Classification)))
	} else {
		b.WriteString(`<span class="muted">none yet</span></td><td>`)
	}
	b.WriteString(`</td><td class="flags-cell">`)
	for _, f := range p.RedFlags {
		u := esc(string(f.Urgency))
		b.WriteString(`<span class="badge flag-` + u + `" title="Red flag, ` + u + `">` + esc(f.Name()) + ` (` + u + `)</span> `)
	}
	b.WriteString(`</td><td>`)
	if p.OpenLinks > 0 {
		b.WriteString(strconv.Itoa(p.OpenLinks) + ` waiting`)
	}
	b.WriteString(`</td><td>`)
	if len(p.NotImproved) > 0 {
		b.WriteString(`<span class="badge not-improved">not improved by the MCID: ` + esc(strings.Join(p.NotImproved, ", ")) + `</span>`)
	}
	b.WriteString("</td></tr>\n")
}

type patientFormData struct {
	Clinics []tendo.Clinic
	Values  map[string]string
	Errors  map[string]string
}

func (s *Server) newPatientPage(w http.ResponseWriter, r *http.Request) {
	clinics, err := s.svc.FindClinics(r.Context())
	if err != nil {
		s.Error(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "patient_new", "New patient", patientFormData{Clinics: clinics, Values: map[string]string{}, Errors: map[string]string{}})
}

// fieldMessages turns field errors into messages by field name; an error
// without a field goes under "".
func fieldMessages(err error) (map[string]string, bool) {
	var es tendo.Errors
	var one *tendo.Error
	switch {
	case asErrors(err, &es):
	case asError(err, &one) && one.Code == tendo.EINVALID:
		es = tendo.Errors{one}
	default:
		return nil, false
	}
	m := map[string]string{}
	for _, e := range es {
		if _, dup := m[e.Field]; !dup {
			m[e.Field] = e.Message
		}
	}
	return m, true
}

func (s *Server) createPatient(w http.ResponseWriter, r *http.Request) {
	f := r.PostForm
	np := tendo.NewPatient{Name: f.Get("name"), ExternalID: f.Get("externalId"), BirthDate: strings.TrimSpace(f.Get("birthDate"))}
	errs := map[string]string{}
	if id, err := strconv.ParseInt(strings.TrimSpace(f.Get("clinicId")), 10, 64); err == nil {
		np.ClinicID = id
	}
	if by := strings.TrimSpace(f.Get("birthYear")); by != "" && np.BirthDate == "" { // a date of birth gives the year
		y, err := strconv.Atoi(by)
		if err != nil || y == 0 {
			y = -1 // out of range: the service says which years are allowed
		}
		np.BirthYear = y
	}
	p, err := s.svc.CreatePatient(r.Context(), np)
	if err != nil {
		m, ok := fieldMessages(err)
		if !ok {
			s.Error(w, r, err)
			return
		}
		for k, v := range m {
			errs[k] = v
		}
		clinics, _ := s.svc.FindClinics(r.Context())
		vals := map[string]string{"clinicId": f.Get("clinicId"), "name": f.Get("name"), "externalId": f.Get("externalId"), "birthYear": f.Get("birthYear"), "birthDate": f.Get("birthDate")}
		s.render(w, r, http.StatusUnprocessableEntity, "patient_new", "New patient", patientFormData{Clinics: clinics, Values: vals, Errors: errs})
		return
	}
	http.Redirect(w, r, fmt.Sprintf("/patients/%d", p.ID), http.StatusSeeOther)
}

type timelineRow struct {
	Date           string
	Kind           string // "assessment" or "questionnaire"
	AssessmentID   int64
	Classification tendo.Classification
	RedFlags       []tendo.RedFlagMark // issue 10: safety
	VISAA, ODI     *float64
	NPRS, LEFS     *float64
	ModelVersion   string
}

type linkRow struct {
	tendo.QuestionnaireLink
	Status string
	// issue 10: questionnaires. Responses are the answers sent through
	// the link; Open says it can still be answered (so resent or revoked).
	Responses []tendo.QuestionnaireResponse
	Open      bool
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
	Programmes  []programmeRow // issue 10: programme
	// Corrected are the visits left off the timeline: amended since, or
	// entered in error (issue 10: records).
	Corrected []tendo.StoredAssessment
	// HideBanner leaves out tendo's patient banner: an EHR launched this
	// session for the patient with need_patient_banner false (issue 11:
	// smart).
	HideBanner bool
}

func (s *Server) patientPage(w http.ResponseWriter, r *http.Request) {
	d, err := s.patientData(r)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	d.HideBanner = s.hidePatientBanner(r, d.Patient.ID) // issue 11: smart
	s.render(w, r, http.StatusOK, "patient", d.Patient.Name, d)
}

// patientData is the patient page's data, read (and audited) as the
// patient's timeline.
func (s *Server) patientData(r *http.Request) (patientData, error) {
	t, err := s.svc.FindTimeline(r.Context(), pathID(r, "id"))
	if err != nil {
		return patientData{}, err
	}
	d := patientData{Patient: t.Patient, Clinic: t.Clinic.Name, Rows: timelineRows(t, s.loc()), Errors: map[string]string{},
		Instruments: []tendo.Instrument{tendo.InstrumentVISAA, tendo.InstrumentODI, tendo.InstrumentNPRS, tendo.InstrumentLEFS}}
	d.Corrected = t.Corrected // issue 10: records
	now := s.Now()
	for i := len(t.Links) - 1; i >= 0; i-- {
		d.Links = append(d.Links, newLinkRow(t.Links[i], t.Responses, now, s.loc())) // issue 10: questionnaires
	}
	// issue 10: programme
	if d.Programmes, err = s.programmeRows(r, t.Patient.ID); err != nil {
		return patientData{}, err
	}
	return d, nil
}

// timelineRows merges assessments and questionnaire responses by date.
func timelineRows(t tendo.Timeline, loc *time.Location) []timelineRow {
	var rows []timelineRow
	for _, a := range t.Assessments {
		rows = append(rows, timelineRow{Date: a.Date, Kind: "assessment", AssessmentID: a.ID, Classification: a.Classification,
			RedFlags: a.RedFlags, VISAA: a.VISAA, ODI: a.ODI, NPRS: a.NPRS, LEFS: a.LEFS, ModelVersion: a.ModelVersion})
	}
	for _, q := range t.Responses {
		row := timelineRow{Date: q.SubmittedAt.In(loc).Format(time.DateOnly), Kind: "questionnaire"}
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
	return rows
}

func (s *Server) timelineSVG(w http.ResponseWriter, r *http.Request) {
	t, err := s.svc.FindTimeline(r.Context(), pathID(r, "id"))
	if err != nil {
		s.Error(w, r, err)
		return
	}
	var buf bytes.Buffer
	if err := chart.Timeline(&buf, t.Assessments, t.Responses, chart.Options{Location: s.loc()}); err != nil {
		s.Error(w, r, err)
		return
	}
	// The chart styles its own elements; it has no script and loads nothing.
	w.Header().Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'")
	w.Header().Set("Content-Type", "image/svg+xml")
	_, _ = w.Write(buf.Bytes())
}

// The JSON API.

func (s *Server) apiPatients(w http.ResponseWriter, r *http.Request) {
	ps, err := s.svc.FindPatients(r.Context())
	if err != nil {
		s.Error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"patients": ps})
}

// apiDashboard is the dashboard's list (issue 10: safety): ?q= searches
// names and identifiers, ?limit= bounds the list.
func (s *Server) apiDashboard(w http.ResponseWriter, r *http.Request) {
	q := tendo.PatientQuery{Search: r.URL.Query().Get("q")}
	if l := r.URL.Query().Get("limit"); l != "" {
		n, err := strconv.Atoi(l)
		if err != nil {
			s.Error(w, r, &tendo.Error{Code: tendo.EINVALID, Field: "limit", Value: l, Message: "Give the limit as a whole number."})
			return
		}
		q.Limit = n
	}
	sum, err := s.svc.FindPatientSummaries(r.Context(), q)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, sum)
}

type newPatientRequest struct {
	ClinicID   int64  `json:"clinicId"`
	Name       string `json:"name"`
	ExternalID string `json:"externalId"`
	BirthYear  int    `json:"birthYear"`
	BirthDate  string `json:"birthDate"`
}

func (s *Server) apiCreatePatient(w http.ResponseWriter, r *http.Request) {
	var req newPatientRequest
	if err := readJSON(r, &req); err != nil {
		s.Error(w, r, err)
		return
	}
	p, err := s.svc.CreatePatient(r.Context(), tendo.NewPatient(req))
	if err != nil {
		s.Error(w, r, err)
		return
	}
	w.Header().Set("Location", fmt.Sprintf("/api/patients/%d", p.ID))
	writeJSON(w, http.StatusCreated, p)
}

func (s *Server) apiPatient(w http.ResponseWriter, r *http.Request) {
	p, err := s.svc.FindPatient(r.Context(), pathID(r, "id"))
	if err != nil {
		s.Error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, p)
}

func (s *Server) apiTimeline(w http.ResponseWriter, r *http.Request) {
	t, err := s.svc.FindTimeline(r.Context(), pathID(r, "id"))
	if err != nil {
		s.Error(w, r, err)
		return
	}
	type point struct {
		Date           string               `json:"date"`
		Kind           string               `json:"kind"`
		AssessmentID   int64                `json:"assessmentId,omitempty"`
		Classification tendo.Classification `json:"classification,omitempty"`
		RedFlags       []tendo.RedFlagMark  `json:"redFlags,omitempty"`
		VISAA          *float64             `json:"visaA,omitempty"`
		ODI            *float64             `json:"odi,omitempty"`
		NPRS           *float64             `json:"nprs,omitempty"`
		LEFS           *float64             `json:"lefs,omitempty"`
		ModelVersion   string               `json:"modelVersion,omitempty"`
	}
	rows := timelineRows(t, s.loc())
	pts := make([]point, len(rows))
	for i, row := range rows {
		pts[i] = point(row)
	}
	writeJSON(w, http.StatusOK, map[string]any{"patientId": t.Patient.ID, "points": pts})
}

package web

import (
	"bytes"
	"fmt"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/tendo-health/tendo"
	"github.com/tendo-health/tendo/chart"
)

type dashboardData struct {
	Patients []tendo.PatientRecord
	Clinics  map[int64]string
}

func (s *Server) dashboard(w http.ResponseWriter, r *http.Request) {
	ps, err := s.svc.FindPatients(r.Context())
	if err != nil {
		s.Error(w, r, err)
		return
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
	s.render(w, r, http.StatusOK, "dashboard", "Patients", dashboardData{Patients: ps, Clinics: names})
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
	np := tendo.NewPatient{Name: f.Get("name"), ExternalID: f.Get("externalId")}
	errs := map[string]string{}
	if id, err := strconv.ParseInt(strings.TrimSpace(f.Get("clinicId")), 10, 64); err == nil {
		np.ClinicID = id
	}
	if by := strings.TrimSpace(f.Get("birthYear")); by != "" {
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
		vals := map[string]string{"clinicId": f.Get("clinicId"), "name": f.Get("name"), "externalId": f.Get("externalId"), "birthYear": f.Get("birthYear")}
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
	d, err := s.patientData(r)
	if err != nil {
		s.Error(w, r, err)
		return
	}
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
	now := s.Now()
	for i := len(t.Links) - 1; i >= 0; i-- {
		l := t.Links[i]
		st := "waiting"
		switch {
		case l.UsedAt != nil:
			st = "answered " + s.dateOf(*l.UsedAt)
		case !now.Before(l.ExpiresAt):
			st = "expired"
		}
		d.Links = append(d.Links, linkRow{l, st})
	}
	return d, nil
}

// timelineRows merges assessments and questionnaire responses by date.
func timelineRows(t tendo.Timeline, loc *time.Location) []timelineRow {
	var rows []timelineRow
	for _, a := range t.Assessments {
		rows = append(rows, timelineRow{Date: a.Date, Kind: "assessment", AssessmentID: a.ID, Classification: a.Classification,
			VISAA: a.VISAA, ODI: a.ODI, NPRS: a.NPRS, LEFS: a.LEFS, ModelVersion: a.ModelVersion})
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

type newPatientRequest struct {
	ClinicID   int64  `json:"clinicId"`
	Name       string `json:"name"`
	ExternalID string `json:"externalId"`
	BirthYear  int    `json:"birthYear"`
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

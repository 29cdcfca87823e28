package web

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/tendo-health/tendo"
	"github.com/tendo-health/tendo/intake"
)

// apiErrorBody is the JSON API's error shape.
type apiErrorBody struct {
	Error apiErrorDetail `json:"error"`
}

type apiErrorDetail struct {
	Code    string `json:"code"`
	Message string `json:"message"`
	Field   string `json:"field,omitempty"`
	// Fields lists every field problem when there are several.
	Fields []apiFieldError `json:"fields,omitempty"`
}

type apiFieldError struct {
	Field   string `json:"field"`
	Message string `json:"message"`
}

func (s *Server) apiError(w http.ResponseWriter, r *http.Request, err error) {
	body := apiErrorBody{Error: apiErrorDetail{Code: tendo.ErrorCode(err)}}
	var e *tendo.Error
	if errors.As(err, &e) {
		body.Error.Field = e.Field
	}
	var fe intake.Errors
	if !errors.As(err, &fe) {
		body.Error.Message = s.publicMessage(r, err)
	} else {
		body.Error.Code = tendo.EINVALID
		body.Error.Message = fe.Error()
		for _, f := range fe {
			msg := f.Msg
			if f.Value != "" {
				msg = f.Value + " " + msg
			}
			body.Error.Fields = append(body.Error.Fields, apiFieldError{Field: f.Path, Message: msg})
		}
		if len(fe) > 0 {
			body.Error.Field = fe[0].Path
		}
	}
	code := statusOf(err)
	if body.Error.Code == tendo.EINVALID {
		code = http.StatusUnprocessableEntity
	}
	writeJSON(w, code, body)
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	_ = enc.Encode(v)
}

// readJSON decodes a request body of at most 1 MiB strictly (unknown
// fields are errors naming the field).
func readJSON(r *http.Request, v any) error {
	body := http.MaxBytesReader(nil, r.Body, 1<<20)
	dec := json.NewDecoder(body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var ute *json.UnmarshalTypeError
		switch {
		case errors.As(err, &ute):
			return &tendo.Error{Code: tendo.EINVALID, Field: ute.Field, Message: fmt.Sprintf("must be a %s", ute.Type)}
		case strings.HasPrefix(err.Error(), "json: unknown field "):
			f := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
			return &tendo.Error{Code: tendo.EINVALID, Field: f, Message: "unknown field"}
		case errors.Is(err, io.EOF):
			return tendo.Errorf(tendo.EINVALID, "The request body is empty; send JSON.")
		}
		return tendo.Errorf(tendo.EINVALID, "The request body is not valid JSON: %v", err)
	}
	return nil
}

func (s *Server) apiMe(w http.ResponseWriter, r *http.Request) {
	u, _ := userFrom(r.Context())
	writeJSON(w, http.StatusOK, u)
}

func (s *Server) apiPatients(w http.ResponseWriter, r *http.Request) {
	u, _ := userFrom(r.Context())
	ps, err := s.Store.Patients(r.Context(), scopeOf(u))
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	if ps == nil {
		ps = []tendo.PatientRecord{}
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
	u, _ := userFrom(r.Context())
	var req newPatientRequest
	if err := readJSON(r, &req); err != nil {
		s.apiError(w, r, err)
		return
	}
	by := ""
	if req.BirthYear != 0 {
		by = strconv.Itoa(req.BirthYear)
	}
	p, errs := patientInput(u, strconv.FormatInt(req.ClinicID, 10), req.Name, req.ExternalID, by, s.Now())
	if len(errs) > 0 {
		for _, f := range []string{"clinicId", "name", "externalId", "birthYear"} {
			if msg, ok := errs[f]; ok {
				s.apiError(w, r, &tendo.Error{Code: tendo.EINVALID, Field: f, Message: msg})
				return
			}
		}
	}
	p, err := s.Store.CreatePatient(r.Context(), p)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	if err := s.audit(r, u, p.ClinicID, p.ID, "patient.create", "api"); err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, p)
}

func (s *Server) apiPatient(w http.ResponseWriter, r *http.Request) {
	u, _ := userFrom(r.Context())
	p, err := s.visiblePatient(r, u)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	if err := s.audit(r, u, p.ClinicID, p.ID, "patient.read", "api"); err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, p)
}

func (s *Server) apiAssessments(w http.ResponseWriter, r *http.Request) {
	u, _ := userFrom(r.Context())
	p, err := s.visiblePatient(r, u)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	as, err := s.Store.Assessments(r.Context(), p.ID)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	if as == nil {
		as = []tendo.StoredAssessment{}
	}
	if err := s.audit(r, u, p.ClinicID, p.ID, "assessment.list", "api"); err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"assessments": as})
}

// storedResponse is one stored assessment with its input and result.
type storedResponse struct {
	Assessment tendo.StoredAssessment `json:"assessment"`
	Input      json.RawMessage        `json:"input"`
	Result     json.RawMessage        `json:"result"`
}

func (s *Server) apiCreateAssessment(w http.ResponseWriter, r *http.Request) {
	u, _ := userFrom(r.Context())
	p, err := s.visiblePatient(r, u)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	a, err := intake.Read(http.MaxBytesReader(nil, r.Body, intake.MaxSize+1))
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	st, _, err := s.saveAssessment(r, u, p, a)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	w.Header().Set("Location", fmt.Sprintf("/api/patients/%d/assessments/%d", p.ID, st.ID))
	writeJSON(w, http.StatusCreated, storedResponse{Assessment: st, Input: st.Input, Result: st.Result})
}

func (s *Server) apiAssessment(w http.ResponseWriter, r *http.Request) {
	u, _ := userFrom(r.Context())
	p, err := s.visiblePatient(r, u)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	st, err := s.visibleAssessment(r, p)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	if err := s.audit(r, u, p.ClinicID, p.ID, "assessment.read", fmt.Sprintf("assessment %d, api", st.ID)); err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, storedResponse{Assessment: st, Input: st.Input, Result: st.Result})
}

func (s *Server) apiTimeline(w http.ResponseWriter, r *http.Request) {
	u, _ := userFrom(r.Context())
	p, err := s.visiblePatient(r, u)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	rows, err := s.timelineRows(r, p)
	if err != nil {
		s.apiError(w, r, err)
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
	pts := make([]point, len(rows))
	for i, row := range rows {
		pts[i] = point(row)
	}
	if err := s.audit(r, u, p.ClinicID, p.ID, "timeline.read", "api"); err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"patientId": p.ID, "points": pts})
}

type newLinkRequest struct {
	Instrument tendo.Instrument `json:"instrument"`
	Days       int              `json:"days"`
}

func (s *Server) apiCreateLink(w http.ResponseWriter, r *http.Request) {
	u, _ := userFrom(r.Context())
	p, err := s.visiblePatient(r, u)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	var req newLinkRequest
	if err := readJSON(r, &req); err != nil {
		s.apiError(w, r, err)
		return
	}
	l, url, err := s.newLink(r, u, p, req.Instrument, req.Days)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, map[string]any{"link": l, "url": url})
}

// apiAssess assesses without storing anything (for EHR integrations that
// keep their own records).
func (s *Server) apiAssess(w http.ResponseWriter, r *http.Request) {
	a, err := intake.Read(http.MaxBytesReader(nil, r.Body, intake.MaxSize+1))
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	res, err := s.Assessor.Assess(a)
	if err != nil {
		s.apiError(w, r, tendo.Errorf(tendo.EINVALID, "%v", err))
		return
	}
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write(res.AppendJSON(nil))
}

func (s *Server) apiAudit(w http.ResponseWriter, r *http.Request) {
	u, _ := userFrom(r.Context())
	if u.Role != tendo.RoleAdmin {
		s.apiError(w, r, tendo.Errorf(tendo.EFORBIDDEN, "Only an administrator may read the audit log."))
		return
	}
	var f tendo.AuditFilter
	if v := r.URL.Query().Get("patientId"); v != "" {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			s.apiError(w, r, &tendo.Error{Code: tendo.EINVALID, Field: "patientId", Message: "must be a number"})
			return
		}
		f.PatientID = id
	}
	entries, err := s.Store.AuditLog(r.Context(), f)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	if entries == nil {
		entries = []tendo.AuditEntry{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"entries": entries})
}

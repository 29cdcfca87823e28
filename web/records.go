package web

// Issue 10: records that can be corrected, with an audit trail: the
// edit-patient form, the admin's delete, the amendment of an assessment
// (the assessment form prefilled with the visit's input, and a reason)
// and the "entered in error" action; and their JSON API.

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/tendo-health/tendo"
	"github.com/tendo-health/tendo/intake"
	"github.com/tendo-health/tendo/passwd"
)

func init() {
	flashes["patient-updated"] = "Patient details saved."
	flashes["patient-deleted"] = "Patient deleted. The record is kept, hidden, and the reason is in the audit log."
	flashes["assessment-amended"] = "Amendment saved: this is the new version; the earlier one is kept, marked as amended."
	flashes["assessment-error"] = "Assessment marked entered in error: it is kept in the record and left off the timeline."
}

// amendForm makes the assessment form an amendment of a stored visit.
type amendForm struct {
	Of     tendo.StoredAssessment
	Action string
	Reason string
}

// correctionForm is the "entered in error" form of the result page when
// it comes back with an error.
type correctionForm struct {
	Reason string
	Error  string
}

// patientEditData is the edit-patient page.
type patientEditData struct {
	Patient tendo.PatientRecord
	Values  map[string]string
	Errors  map[string]string
}

func (s *Server) editPatientPage(w http.ResponseWriter, r *http.Request) {
	p, err := s.svc.FindPatient(r.Context(), pathID(r, "id"))
	if err != nil {
		s.Error(w, r, err)
		return
	}
	vals := map[string]string{"name": p.Name, "externalId": p.ExternalID}
	vals["birthDate"] = p.BirthDate
	if p.BirthYear != 0 {
		vals["birthYear"] = strconv.Itoa(p.BirthYear)
	}
	s.render(w, r, http.StatusOK, "patient_edit", "Edit — "+p.Name, patientEditData{Patient: p, Values: vals, Errors: map[string]string{}})
}

// birthYearOf reads a year-of-birth input: 0 for empty, -1 (which the
// service refuses, saying which years it takes) for anything else that
// is not a year.
func birthYearOf(v string) int {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0
	}
	y, err := strconv.Atoi(v)
	if err != nil || y == 0 {
		return -1
	}
	return y
}

func (s *Server) updatePatient(w http.ResponseWriter, r *http.Request) {
	f := r.PostForm
	name, ext, year := f.Get("name"), f.Get("externalId"), birthYearOf(f.Get("birthYear"))
	date := strings.TrimSpace(f.Get("birthDate"))
	c := tendo.PatientChanges{Name: &name, ExternalID: &ext, BirthYear: &year, BirthDate: &date}
	if date != "" {
		c.BirthYear = nil // the date of birth gives the year
	}
	p, err := s.svc.UpdatePatient(r.Context(), pathID(r, "id"), c)
	if err != nil {
		m, ok := fieldMessages(err)
		if !ok {
			if c := tendo.ErrorCode(err); c == tendo.ECONFLICT {
				m, ok = map[string]string{"externalId": "Another patient of the clinic has this identifier."}, true
			}
		}
		if !ok {
			s.Error(w, r, err)
			return
		}
		p, ferr := s.svc.FindPatient(r.Context(), pathID(r, "id"))
		if ferr != nil {
			s.Error(w, r, ferr)
			return
		}
		vals := map[string]string{"name": name, "externalId": ext, "birthYear": f.Get("birthYear"), "birthDate": f.Get("birthDate")}
		s.render(w, r, http.StatusUnprocessableEntity, "patient_edit", "Edit — "+p.Name, patientEditData{Patient: p, Values: vals, Errors: m})
		return
	}
	http.Redirect(w, r, fmt.Sprintf("/patients/%d?flash=patient-updated", p.ID), http.StatusSeeOther)
}

func (s *Server) deletePatient(w http.ResponseWriter, r *http.Request) {
	id := pathID(r, "id")
	err := s.svc.DeletePatient(r.Context(), id, r.PostForm.Get("reason"))
	if m, ok := fieldMessages(err); ok && m["reason"] != "" {
		p, ferr := s.svc.FindPatient(r.Context(), id)
		if ferr != nil {
			s.Error(w, r, ferr)
			return
		}
		vals := map[string]string{"name": p.Name, "externalId": p.ExternalID, "birthYear": strconv.Itoa(p.BirthYear), "reason": r.PostForm.Get("reason")}
		if p.BirthYear == 0 {
			vals["birthYear"] = ""
		}
		s.render(w, r, http.StatusUnprocessableEntity, "patient_edit", "Edit — "+p.Name, patientEditData{Patient: p, Values: vals, Errors: m})
		return
	}
	if err != nil {
		s.Error(w, r, err)
		return
	}
	http.Redirect(w, r, "/?flash=patient-deleted", http.StatusSeeOther)
}

// amendable reads the visit to amend (audited as a read) and its
// patient; a version amended since or entered in error is ECONFLICT.
func (s *Server) amendable(r *http.Request) (tendo.PatientRecord, tendo.StoredAssessment, error) {
	ctx := r.Context()
	st, err := s.svc.FindVisit(ctx, pathID(r, "id"), pathID(r, "aid"), false)
	if err != nil {
		return tendo.PatientRecord{}, st, err
	}
	p, err := s.svc.FindPatient(ctx, st.PatientID)
	if err != nil {
		return p, st, err
	}
	switch {
	case st.SupersededBy != 0:
		return p, st, tendo.Errorf(tendo.ECONFLICT, "This assessment has been amended since: amend the latest version.")
	case st.ErrorAt != nil:
		return p, st, tendo.Errorf(tendo.ECONFLICT, "This assessment has been marked entered in error and cannot be amended.")
	}
	return p, st, nil
}

func amendAction(p tendo.PatientRecord, st tendo.StoredAssessment) string {
	return fmt.Sprintf("/patients/%d/assessments/%d/amend", p.ID, st.ID)
}

func (s *Server) amendAssessmentPage(w http.ResponseWriter, r *http.Request) {
	p, st, err := s.amendable(r)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	vals, err := storedFormValues(s.form, st)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "assessment_form", "Amend assessment — "+p.Name,
		assessmentFormData{Patient: p, Sections: s.form, Values: vals, Errors: fieldErrors{}, Key: passwd.Token(),
			Amend: &amendForm{Of: st, Action: amendAction(p, st)}})
}

func (s *Server) amendAssessment(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	p, st, err := s.amendable(r)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	key := strings.TrimSpace(r.PostForm.Get("idempotencyKey"))
	if len(key) > tendo.MaxIdempotencyKeyLength {
		key = ""
	}
	why := r.PostForm.Get("reason")
	a, vals, errs := s.parseAssessmentForm(r.PostForm, p)
	again := func(errs fieldErrors) {
		s.render(w, r, http.StatusUnprocessableEntity, "assessment_form", "Amend assessment — "+p.Name,
			assessmentFormData{Patient: p, Sections: s.form, Values: vals, Errors: errs, Problems: s.problems(errs), Key: key,
				Amend: &amendForm{Of: st, Action: amendAction(p, st), Reason: why}})
	}
	if strings.TrimSpace(why) == "" {
		if errs == nil {
			errs = fieldErrors{}
		}
		errs.add("reason", "Say why the assessment is amended.")
	}
	if errs != nil {
		again(errs)
		return
	}
	input, err := intake.Marshal(a)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	next, _, err := s.svc.AmendVisit(ctx, st.ID, tendo.NewVisit{PatientID: p.ID, Assessment: a, Input: input, IdempotencyKey: key}, why)
	if err != nil {
		if m, ok := fieldMessages(err); ok {
			errs := fieldErrors{}
			for k, v := range m {
				if k != "reason" {
					k = s.errorKey(k, nil)
				}
				errs.add(k, v)
			}
			again(errs)
			return
		}
		s.Error(w, r, err)
		return
	}
	http.Redirect(w, r, fmt.Sprintf("/patients/%d/assessments/%d?flash=assessment-amended", p.ID, next.ID), http.StatusSeeOther)
}

func (s *Server) markAssessmentError(w http.ResponseWriter, r *http.Request) {
	why := r.PostForm.Get("reason")
	st, err := s.svc.MarkVisitError(r.Context(), pathID(r, "id"), pathID(r, "aid"), why)
	if m, ok := fieldMessages(err); ok && m["reason"] != "" {
		d, lerr := s.loadResult(r, false)
		if lerr == nil {
			d.Gait, lerr = s.gaitSectionOf(r, d.Patient.ID, d.Assessment.ID)
		}
		if lerr != nil {
			s.Error(w, r, lerr)
			return
		}
		d.Correction = &correctionForm{Reason: why, Error: m["reason"]}
		s.render(w, r, http.StatusUnprocessableEntity, "result", "Assessment — "+d.Patient.Name, d)
		return
	}
	if err != nil {
		s.Error(w, r, err)
		return
	}
	http.Redirect(w, r, fmt.Sprintf("/patients/%d/assessments/%d?flash=assessment-error", st.PatientID, st.ID), http.StatusSeeOther)
}

// storedFormValues are the form's values for a stored visit: its input
// document, input by input (formDocument's inverse), with the outcome
// scores of the stored result where the document gave the answers
// rather than the score.
func storedFormValues(sections []formSection, st tendo.StoredAssessment) (formValues, error) {
	dec := json.NewDecoder(bytes.NewReader(st.Input))
	dec.UseNumber()
	var doc map[string]any
	if err := dec.Decode(&doc); err != nil {
		return nil, fmt.Errorf("stored input of assessment %d: %w", st.ID, err)
	}
	vals := formValues{}
	for _, f := range inputs(sections) {
		v, ok := lookupPath(doc, f.Path)
		if !ok || v == nil {
			continue
		}
		switch f.Type {
		case "areas", "roots":
			list, _ := v.([]any)
			if len(list) == 0 {
				vals[f.Path] = []string{noneValue}
				continue
			}
			for _, el := range list {
				switch el := el.(type) {
				case string:
					vals.Add(f.Path, el)
				case map[string]any:
					root, _ := el["root"].(string)
					vals.Add(f.Path, root)
					if side, _ := el["side"].(string); side != "" {
						vals.Set(rootSideName(f.Path, root), side)
					}
				}
			}
		default:
			switch v := v.(type) {
			case bool:
				vals.Set(f.Path, strconv.FormatBool(v))
			case json.Number:
				vals.Set(f.Path, v.String())
			case string:
				vals.Set(f.Path, v)
			}
		}
	}
	for path, score := range map[string]*float64{"proms.visaA.score": st.VISAA, "proms.odi.percent": st.ODI, "proms.nprs": st.NPRS, "proms.lefs.score": st.LEFS} {
		if score != nil && vals.Get(path) == "" {
			vals.Set(path, strconv.FormatFloat(*score, 'f', -1, 64))
		}
	}
	return vals, nil
}

// lookupPath is doc[a][b][c] for the path "a.b.c".
func lookupPath(doc map[string]any, path string) (any, bool) {
	var cur any = doc
	for _, p := range strings.Split(path, ".") {
		m, ok := cur.(map[string]any)
		if !ok {
			return nil, false
		}
		if cur, ok = m[p]; !ok {
			return nil, false
		}
	}
	return cur, true
}

// The JSON API.

func (s *Server) apiUpdatePatient(w http.ResponseWriter, r *http.Request) {
	var c tendo.PatientChanges
	if err := readJSON(r, &c); err != nil {
		s.Error(w, r, err)
		return
	}
	p, err := s.svc.UpdatePatient(r.Context(), pathID(r, "id"), c)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, p)
}

// reasonRequest is the body of a deletion or an "entered in error".
type reasonRequest struct {
	Reason string `json:"reason"`
}

func (s *Server) apiDeletePatient(w http.ResponseWriter, r *http.Request) {
	var req reasonRequest
	if err := readJSON(r, &req); err != nil {
		s.Error(w, r, err)
		return
	}
	if err := s.svc.DeletePatient(r.Context(), pathID(r, "id"), req.Reason); err != nil {
		s.Error(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// apiAmendAssessment saves {"reason": "...", "assessment": {...}} as a
// new version of the visit. Errors in the document name its fields as
// for a new assessment ("history.painSite"). An Idempotency-Key works as
// for a new assessment.
func (s *Server) apiAmendAssessment(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	body, err := io.ReadAll(http.MaxBytesReader(nil, r.Body, intake.MaxSize+maxJSONBody))
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		s.Error(w, r, tendo.Errorf(tendo.EINVALID, "The request body is larger than %d bytes.", intake.MaxSize+maxJSONBody))
		return
	}
	if err != nil {
		s.Error(w, r, err)
		return
	}
	var req struct {
		Reason     string          `json:"reason"`
		Assessment json.RawMessage `json:"assessment"`
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&req); err != nil {
		s.Error(w, r, tendo.Errorf(tendo.EINVALID, "The request body must be {\"reason\": \"...\", \"assessment\": {...}}: %v", err))
		return
	}
	if len(req.Assessment) == 0 {
		s.Error(w, r, tendo.Invalid("assessment", "is required"))
		return
	}
	a, err := intake.ParseJSON(req.Assessment)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	input, err := intake.Marshal(a)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	st, replayed, err := s.svc.AmendVisit(ctx, pathID(r, "aid"),
		tendo.NewVisit{PatientID: pathID(r, "id"), Assessment: a, Input: input, IdempotencyKey: r.Header.Get("Idempotency-Key")}, req.Reason)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	writeSaved(w, st, replayed)
}

func (s *Server) apiMarkAssessmentError(w http.ResponseWriter, r *http.Request) {
	var req reasonRequest
	if err := readJSON(r, &req); err != nil {
		s.Error(w, r, err)
		return
	}
	st, err := s.svc.MarkVisitError(r.Context(), pathID(r, "id"), pathID(r, "aid"), req.Reason)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"assessment": st})
}

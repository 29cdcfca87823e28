package web

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/tendo-health/tendo"
	"github.com/tendo-health/tendo/intake"
	"github.com/tendo-health/tendo/passwd"
	"github.com/tendo-health/tendo/report"
)

type assessmentFormData struct {
	Patient  tendo.PatientRecord
	Sections []formSection
	Values   formValues
	Errors   fieldErrors
	Problems []formProblem
	// Start says what a form started from the last visit carried over
	// (nil for a blank form).
	Start *formStart
	// Key is the form's idempotency key: a retried submission (a double
	// click, a reload after a lost answer) returns the first save.
	Key string
	// Amend, when set, makes the form an amendment of a stored visit
	// (issue 10: records).
	Amend *amendForm
	// Import, when set, says what a FHIR Bundle filled in (issue 11:
	// fhir-import).
	Import *fhirImportNotice
}

func (s *Server) newAssessmentPage(w http.ResponseWriter, r *http.Request) {
	p, err := s.svc.FindPatient(r.Context(), pathID(r, "id"))
	if err != nil {
		s.Error(w, r, err)
		return
	}
	vals := formValues{"date": {s.dateOf(s.Now())}}
	if p.BirthYear > 0 {
		vals.Set("patient.ageYears", strconv.Itoa(s.Now().Year()-p.BirthYear))
	}
	var start *formStart
	if r.URL.Query().Get("from") == "last" {
		// Start from the last visit (issue 10: form).
		vs, err := s.svc.StartVisit(r.Context(), p.ID)
		if err != nil {
			s.Error(w, r, err)
			return
		}
		start = s.startFrom(vs, vals)
	}
	s.render(w, r, http.StatusOK, "assessment_form", "New assessment — "+p.Name,
		assessmentFormData{Patient: p, Sections: s.form, Values: vals, Errors: fieldErrors{}, Start: start, Key: passwd.Token()})
}

func (s *Server) createAssessment(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	p, err := s.svc.FindPatient(ctx, pathID(r, "id"))
	if err != nil {
		s.Error(w, r, err)
		return
	}
	key := strings.TrimSpace(r.PostForm.Get("idempotencyKey"))
	if len(key) > tendo.MaxIdempotencyKeyLength {
		key = ""
	}
	a, vals, errs := s.parseAssessmentForm(r.PostForm, p)
	note := formNote(r.PostForm.Get(notePath))
	if note != "" {
		vals.Set(notePath, note)
	}
	again := func(errs fieldErrors) {
		s.render(w, r, http.StatusUnprocessableEntity, "assessment_form", "New assessment — "+p.Name,
			assessmentFormData{Patient: p, Sections: s.form, Values: vals, Errors: errs, Problems: s.problems(errs), Key: key})
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
	st, replayed, err := s.svc.CreateVisit(ctx, tendo.NewVisit{PatientID: p.ID, Assessment: a, Input: input, IdempotencyKey: key, Note: note})
	if err != nil {
		if m, ok := fieldMessages(err); ok {
			errs := fieldErrors{}
			var one *tendo.Error
			for k, v := range m {
				if asError(err, &one) && one.Field == k && one.Value != "" {
					v = one.Value + " " + v // "2031-01-01 is in the future"
				}
				errs.add(s.errorKey(k, nil), v)
			}
			again(errs)
			return
		}
		s.Error(w, r, err)
		return
	}
	to := fmt.Sprintf("/patients/%d/assessments/%d", p.ID, st.ID)
	if replayed {
		to += "?flash=assessment-replay"
	}
	http.Redirect(w, r, to, http.StatusSeeOther)
}

type resultData struct {
	Patient    tendo.PatientRecord
	Assessment tendo.StoredAssessment
	Result     *tendo.Result
	Current    string // the model version running now, when it differs
	// Gait is the visit's gait trials (on the result page only).
	Gait *gaitSection
	// Header names the patient, the side and the visit (issue 10: report).
	Header report.Header
	// Correction is the "entered in error" form back with an error
	// (issue 10: records).
	Correction *correctionForm
	// issue 10: safety. Screen lists the red flags whose screening
	// questions the visit left unanswered (those not raised);
	// ScreenUnread is true when the stored input could not be read.
	Screen       []tendo.ScreenGap
	ScreenUnread bool
	// ScreenFirst puts the screen above the result: when no emergency or
	// urgent flag was raised (otherwise the red flags come first).
	ScreenFirst bool
}

// redFlagScreen is the result page's red-flag screen: the flags the
// result did not raise whose questions the stored input left empty.
func redFlagScreen(input []byte, res *tendo.Result) ([]tendo.ScreenGap, bool) {
	a, err := intake.Parse(input)
	if err != nil {
		return nil, true
	}
	raised := map[string]bool{}
	for _, f := range res.RedFlags {
		raised[f.Code] = true
	}
	var out []tendo.ScreenGap
	for _, g := range tendo.RedFlagScreen(a) {
		if !raised[g.Code] {
			out = append(out, g)
		}
	}
	return out, false
}

// loadResult reads a stored visit and its patient (audited as the visit
// or the report read).
func (s *Server) loadResult(r *http.Request, report bool) (resultData, error) {
	ctx := r.Context()
	st, err := s.svc.FindVisit(ctx, pathID(r, "id"), pathID(r, "aid"), report)
	if err != nil {
		return resultData{}, err
	}
	p, err := s.svc.FindPatient(ctx, st.PatientID)
	if err != nil {
		return resultData{}, err
	}
	var res tendo.Result
	if err := json.Unmarshal(st.Result, &res); err != nil {
		return resultData{}, fmt.Errorf("stored result %d: %w", st.ID, err)
	}
	d := resultData{Patient: p, Assessment: st, Result: &res}
	d.Header = s.reportHeader(r, p, st, storedAssessment(st)) // issue 10: report
	d.Screen, d.ScreenUnread = redFlagScreen(st.Input, &res)
	d.ScreenFirst = res.Classification != tendo.UrgentReferral
	if cur := s.Assessor.ModelVersion(); cur != st.ModelVersion {
		d.Current = cur
	}
	return d, nil
}

func (s *Server) assessmentPage(w http.ResponseWriter, r *http.Request) {
	d, err := s.loadResult(r, false)
	if err == nil {
		d.Gait, err = s.gaitSectionOf(r, d.Patient.ID, d.Assessment.ID)
	}
	if err != nil {
		s.Error(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "result", "Assessment — "+d.Patient.Name, d)
}

// reportPage is the standalone printable report. Its heading names the
// stored patient and the visit's date, never the document's own id (F15).
// Its stylesheet is inline, allowed by the policy through its hash only.
func (s *Server) reportPage(w http.ResponseWriter, r *http.Request) {
	d, err := s.loadResult(r, true)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	d.Result.ID = d.Patient.Name + ", " + d.Assessment.Date
	// issue 10: report: a clinical document, whose page style (the header
	// and footer of every printed page) is allowed by its hash too.
	doc := reportDocument(d)
	// issue 10: records: a corrected version says so on every page.
	switch {
	case d.Assessment.ErrorAt != nil:
		doc.Header.Status = "ENTERED IN ERROR, not valid: " + d.Assessment.ErrorReason
	case d.Assessment.SupersededBy != 0:
		doc.Header.Status = "AMENDED: replaced by a later version"
	}
	var buf bytes.Buffer
	if err := report.Print(&buf, doc); err != nil {
		s.Error(w, r, err)
		return
	}
	w.Header().Set("Content-Security-Policy", "default-src 'none'; style-src "+s.reportHash+" "+styleHash(report.PageStyle(doc))+"; img-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'")
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	_, _ = w.Write(buf.Bytes())
}

// The JSON API.

func (s *Server) apiAssessments(w http.ResponseWriter, r *http.Request) {
	as, err := s.svc.FindVisits(r.Context(), pathID(r, "id"))
	if err != nil {
		s.Error(w, r, err)
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

// readAssessment reads an assessment document from the request body (at
// most intake.MaxSize).
func readAssessment(r *http.Request) (*tendo.Assessment, error) {
	return intake.Read(http.MaxBytesReader(nil, r.Body, intake.MaxSize+1))
}

// apiCreateAssessment saves an assessment. With an Idempotency-Key
// header, a retry by the same user for the same patient returns the
// first save (200, Idempotency-Replayed: true) and stores nothing.
func (s *Server) apiCreateAssessment(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	key := r.Header.Get("Idempotency-Key")
	a, err := readAssessment(r)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	input, err := intake.Marshal(a)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	st, replayed, err := s.svc.CreateVisit(ctx, tendo.NewVisit{PatientID: pathID(r, "id"), Assessment: a, Input: input, IdempotencyKey: key})
	if err != nil {
		s.Error(w, r, err)
		return
	}
	writeSaved(w, st, replayed)
}

// writeSaved answers an API save: 201 with the new assessment and its
// Location, or 200 and Idempotency-Replayed when an earlier save with the
// same key is returned.
func writeSaved(w http.ResponseWriter, st tendo.StoredAssessment, replayed bool) {
	w.Header().Set("Location", fmt.Sprintf("/api/patients/%d/assessments/%d", st.PatientID, st.ID))
	code := http.StatusCreated
	if replayed {
		w.Header().Set("Idempotency-Replayed", "true")
		code = http.StatusOK
	}
	writeJSON(w, code, storedResponse{Assessment: st, Input: st.Input, Result: st.Result})
}

func (s *Server) apiAssessment(w http.ResponseWriter, r *http.Request) {
	st, err := s.svc.FindVisit(r.Context(), pathID(r, "id"), pathID(r, "aid"), false)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, storedResponse{Assessment: st, Input: st.Input, Result: st.Result})
}

// apiAssess assesses without storing anything (for EHR integrations that
// keep their own records).
func (s *Server) apiAssess(w http.ResponseWriter, r *http.Request) {
	a, err := readAssessment(r)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	res, err := s.svc.Assess(r.Context(), a)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, res)
}

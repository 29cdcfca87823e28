package web

// Issue 11: FHIR R4 over the JSON API. A patient's record goes out as a
// Bundle, every visible patient's as NDJSON (a synchronous simplification
// of Bulk Data $export), and a Bundle from an EHR comes in as an
// assessment draft, which is not saved.

import (
	"encoding/json"
	"errors"
	"net/http"
	"time"

	"github.com/tendo-health/tendo"
	"github.com/tendo-health/tendo/fhir"
	"github.com/tendo-health/tendo/fhirmap"
	"github.com/tendo-health/tendo/passwd"
)

// FHIR's media types.
const (
	fhirJSON   = "application/fhir+json"
	fhirNDJSON = "application/fhir+ndjson"
)

// writeFHIR answers with one FHIR resource.
func (s *Server) writeFHIR(w http.ResponseWriter, code int, res fhir.Resource) {
	b, err := fhir.Marshal(res)
	if err != nil {
		s.Logger.Error("write a FHIR resource", "err", err)
		code, b = http.StatusInternalServerError, []byte(`{"resourceType":"OperationOutcome","issue":[{"severity":"error","code":"exception","diagnostics":"Internal error."}]}`)
	}
	w.Header().Set("Content-Type", fhirJSON+"; charset=utf-8")
	w.WriteHeader(code)
	_, _ = w.Write(b)
	_, _ = w.Write([]byte("\n"))
}

// fhirProblem answers a request whose FHIR content could not be read with
// an OperationOutcome naming the FHIRPath: 413 for a body over
// fhir.MaxBytes, 400 otherwise.
func (s *Server) fhirProblem(w http.ResponseWriter, err error) {
	code := http.StatusBadRequest
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		code, err = http.StatusRequestEntityTooLarge, &fhir.Error{Msg: "resource over 4194304 bytes (4 MiB)"}
	}
	s.writeFHIR(w, code, fhirmap.OperationOutcome(err))
}

// importResponse is the answer to a Bundle import: the assessment draft
// (the contract's JSON), who the Bundle's Patient is, what was not read
// (each with its FHIRPath) and remarks. Nothing is saved.
type importResponse struct {
	Assessment *tendo.Assessment    `json:"assessment"`
	Patient    *fhirmap.PatientInfo `json:"patient"`
	Unmapped   []fhirmap.Unmapped   `json:"unmapped"`
	Notes      []string             `json:"notes"`
}

// apiImportFHIR reads a Bundle (at most fhir.MaxBytes) into an assessment
// draft for the patient: POST /api/patients/{id}/fhir[?date=YYYY-MM-DD].
// The patient must be one the user may see; the import is audited
// ("fhir.import" with the counts), the draft is not saved.
func (s *Server) apiImportFHIR(w http.ResponseWriter, r *http.Request) {
	p, err := s.svc.FindPatient(r.Context(), pathID(r, "id"))
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	date := r.URL.Query().Get("date")
	if date == "" {
		date = s.Now().In(s.loc()).Format(time.DateOnly)
	}
	res, err := fhir.Decode(http.MaxBytesReader(w, r.Body, fhir.MaxBytes))
	if err != nil {
		s.fhirProblem(w, err)
		return
	}
	b, ok := res.(*fhir.Bundle)
	if !ok {
		s.fhirProblem(w, &fhir.Error{Path: "resourceType", Msg: "want a Bundle, got " + res.ResourceType()})
		return
	}
	d, err := fhirmap.Import(b, fhirmap.ImportOptions{Date: date, Now: s.Now})
	if err != nil {
		var te *tendo.Error
		if errors.As(err, &te) && te.Field == "date" {
			te.Field = "date (query)"
			s.apiError(w, r, te)
			return
		}
		s.fhirProblem(w, err)
		return
	}
	if err := s.svc.RecordImport(r.Context(), p.ID, d.Mapped, len(d.Unmapped)); err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, importResponse{Assessment: &d.Assessment, Patient: d.Patient, Unmapped: d.Unmapped, Notes: d.Notes})
}

// apiPatientFHIR answers GET /api/patients/{id}/fhir with the patient's
// record as a Bundle of type collection (application/fhir+json): the
// Patient, each current visit's findings, answers, scores and
// conclusions, and the questionnaire responses sent by link. Audited
// "fhir.export".
func (s *Server) apiPatientFHIR(w http.ResponseWriter, r *http.Request) {
	x, err := s.svc.ExportPatient(r.Context(), pathID(r, "id"))
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	rec, err := fhirmap.RecordOf(x)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	b, err := fhirmap.Export(rec, fhirmap.Options{})
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	s.writeFHIR(w, http.StatusOK, b)
}

// apiExportFHIR answers GET /api/fhir/export with every resource of every
// patient the user may see, one resource per line
// (application/fhir+ndjson), patient after patient: a synchronous
// simplification of the Bulk Data $export (no kick-off, status polling or
// one file per type; tendo fhir export --ndjson writes those files).
// References are relative ("Patient/p-…"). Audited "fhir.export" with the
// patients' IDs; at most tendo.MaxExportPatients patients.
func (s *Server) apiExportFHIR(w http.ResponseWriter, r *http.Request) {
	xs, err := s.svc.ExportPatients(r.Context())
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	started := false
	for _, x := range xs {
		var lines [][]byte
		rec, err := fhirmap.RecordOf(x)
		if err == nil {
			var rs []fhir.Resource
			rs, err = fhirmap.Resources(rec, fhirmap.Options{})
			for _, res := range rs {
				if err != nil {
					break
				}
				var line []byte
				line, err = fhir.Marshal(res)
				lines = append(lines, line)
			}
		}
		if err != nil {
			if !started {
				s.apiError(w, r, err)
				return
			}
			// Half the file is out: end the response so that the client
			// sees a broken transfer, not a short file.
			s.Logger.Error("fhir export", "patient", x.Patient.ID, "err", err)
			panic(http.ErrAbortHandler)
		}
		if !started {
			w.Header().Set("Content-Type", fhirNDJSON)
			w.WriteHeader(http.StatusOK)
			started = true
		}
		for _, line := range lines {
			_, _ = w.Write(line)
			_, _ = w.Write([]byte("\n"))
		}
	}
	if !started {
		w.Header().Set("Content-Type", fhirNDJSON)
		w.WriteHeader(http.StatusOK)
	}
}

// maxFHIRUpload bounds the new-assessment form's Bundle upload: a Bundle
// of fhir.MaxBytes and the form's other fields.
const maxFHIRUpload = fhir.MaxBytes + 64<<10

// fhirImportNotice says, above the new-assessment form, what an imported
// FHIR Bundle filled in and what it did not.
type fhirImportNotice struct {
	File     string
	Mapped   int
	Unmapped []fhirmap.Unmapped
	Notes    []string
	// Error says why the Bundle could not be read ("" when it was).
	Error string
}

// importAssessmentPage reads a FHIR Bundle uploaded from the
// new-assessment page (POST /patients/{id}/assessments/fhir, the file in
// "file") and shows the form filled in from the draft, with what was not
// read; nothing is saved until the clinician saves the form. Audited
// "fhir.import" with the counts.
func (s *Server) importAssessmentPage(w http.ResponseWriter, r *http.Request) {
	defer removeMultipart(r)
	p, err := s.svc.FindPatient(r.Context(), pathID(r, "id"))
	if err != nil {
		s.Error(w, r, err)
		return
	}
	date := s.dateOf(s.Now())
	notice := &fhirImportNotice{}
	data := assessmentFormData{Patient: p, Sections: s.form, Values: formValues{"date": {date}}, Errors: fieldErrors{},
		Key: passwd.Token(), Import: notice}
	title := "New assessment — " + p.Name
	failed := func(msg string) {
		notice.Error = msg
		s.render(w, r, http.StatusUnprocessableEntity, "assessment_form", title, data)
	}
	f, hdr, err := r.FormFile("file")
	if err != nil {
		failed("choose a FHIR Bundle (a JSON file) to import.")
		return
	}
	defer f.Close()
	notice.File = hdr.Filename
	res, err := fhir.Decode(f)
	if err == nil {
		if _, ok := res.(*fhir.Bundle); !ok {
			err = &fhir.Error{Path: "resourceType", Msg: "want a Bundle, got " + res.ResourceType()}
		}
	}
	if err != nil {
		failed(fhirmap.OperationOutcome(err).Issue[0].Diagnostics)
		return
	}
	d, err := fhirmap.Import(res.(*fhir.Bundle), fhirmap.ImportOptions{Date: date, Now: s.Now})
	if err != nil {
		failed(fhirmap.OperationOutcome(err).Issue[0].Diagnostics)
		return
	}
	if err := s.svc.RecordImport(r.Context(), p.ID, d.Mapped, len(d.Unmapped)); err != nil {
		s.Error(w, r, err)
		return
	}
	notice.Mapped, notice.Unmapped, notice.Notes = d.Mapped, d.Unmapped, d.Notes
	// The form takes the outcome measures as scores: the draft's answers
	// are scored as tendo assess scores them.
	st := tendo.StoredAssessment{}
	if st.Input, err = json.Marshal(&d.Assessment); err != nil {
		s.Error(w, r, err)
		return
	}
	if scores, err := d.Assessment.PROMs.Scores(); err == nil {
		for _, sc := range scores {
			v := sc.Rounded
			switch sc.Measure {
			case tendo.MeasureVISAA:
				st.VISAA = &v
			case tendo.MeasureODI:
				st.ODI = &v
			case tendo.MeasureNPRS:
				st.NPRS = &v
			case tendo.MeasureLEFS:
				st.LEFS = &v
			}
		}
	}
	vals, err := storedFormValues(s.form, st)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	vals.Set("date", date)
	data.Values = vals
	s.render(w, r, http.StatusOK, "assessment_form", title, data)
}

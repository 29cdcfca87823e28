package web

// Issue 11: FHIR R4 over the JSON API. A patient's record goes out as a
// Bundle, every visible patient's as NDJSON (a synchronous simplification
// of Bulk Data $export), and a Bundle from an EHR comes in as an
// assessment draft, which is not saved.

import (
	"errors"
	"net/http"
	"time"

	"github.com/tendo-health/tendo"
	"github.com/tendo-health/tendo/fhir"
	"github.com/tendo-health/tendo/fhirmap"
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

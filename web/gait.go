package web

import (
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/tendo-health/tendo"
)

// maxGaitUpload bounds the body of a trial upload: the largest file and
// room for the form's other fields and the multipart encoding.
const maxGaitUpload = tendo.MaxGaitTrialSize + 1<<20

// gaitSection is the result page's "Gait trial" section.
type gaitSection struct {
	// Available is false when the server has no gait analysis; Plot when
	// it draws the curves.
	Available, Plot bool
	Trials          []gaitTrialView
	// The upload form as sent, and its problems, after a refused upload.
	MassKg, Side string
	Errors       fieldErrors
	Problem      string
}

// gaitTrialView is one trial as the page shows it.
type gaitTrialView struct {
	tendo.GaitTrial
	// Evidence lists what "Add to assessment" would set, in words.
	Evidence []gaitValue
}

type gaitValue struct{ Label, Value string }

// evidenceRows says in words what a trial adds to an assessment.
func evidenceRows(g tendo.Gait) []gaitValue {
	var rows []gaitValue
	for _, f := range []struct {
		label, unit string
		v           *float64
	}{
		{"Cadence", "steps/min", g.CadenceStepsPerMin},
		{"Stance time asymmetry", "%", g.StanceTimeAsymmetryPct},
		{"Peak ankle plantarflexor moment", "N·m/kg", g.PeakAnklePlantarflexorMomentNmPerKg},
		{"Peak Achilles tendon force", "× body weight", g.PeakAchillesForceBW},
		{"Pelvic rotation range", "°", g.PelvicRotationRangeDeg},
	} {
		if f.v != nil {
			rows = append(rows, gaitValue{f.label, gaitNumber(*f.v) + " " + f.unit})
		}
	}
	return rows
}

// gaitNumber writes a measured value with at most two decimals and no
// trailing zeros.
func gaitNumber(v float64) string {
	s := strconv.FormatFloat(v, 'f', 2, 64)
	if strings.Contains(s, ".") {
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	}
	if s == "-0" {
		s = "0"
	}
	return s
}

// gaitWords writes a report's method codes ("force-plates",
// "inverse-dynamics", "not-computed") in words.
var gaitWords = strings.NewReplacer("force-plates", "force plates", "inverse-dynamics", "inverse dynamics", "not-computed", "not computed").Replace

// gaitNum is the template's num: a float64 or *float64 as gaitNumber
// writes it, "—" for nil.
func gaitNum(v any) string {
	switch v := v.(type) {
	case float64:
		return gaitNumber(v)
	case *float64:
		if v != nil {
			return gaitNumber(*v)
		}
	}
	return "—"
}

// gaitSectionOf loads the section of a visit (audited "gait.list").
func (s *Server) gaitSectionOf(r *http.Request, patientID, visitID int64) (*gaitSection, error) {
	ts, err := s.svc.FindGaitTrials(r.Context(), patientID, visitID)
	if err != nil {
		return nil, err
	}
	g := &gaitSection{Available: s.svc.GaitAnalyzer != nil, Plot: s.GaitPlot != nil, Errors: fieldErrors{}}
	for _, t := range ts {
		v := gaitTrialView{GaitTrial: t}
		if t.Report != nil {
			v.Evidence = evidenceRows(t.Report.Evidence)
		}
		g.Trials = append(g.Trials, v)
	}
	return g, nil
}

// readGaitUpload reads a trial from a multipart form read already: the
// file (field "file"), the body mass in kg ("massKg", optional) and the
// affected side ("side", optional).
func readGaitUpload(r *http.Request, patientID, visitID int64) (tendo.NewGaitTrial, error) {
	nt := tendo.NewGaitTrial{PatientID: patientID, VisitID: visitID, Side: strings.TrimSpace(r.PostFormValue("side"))}
	if m := strings.TrimSpace(r.PostFormValue("massKg")); m != "" {
		v, err := strconv.ParseFloat(strings.Replace(m, ",", ".", 1), 64)
		if err != nil {
			return nt, &tendo.Error{Code: tendo.EINVALID, Field: "massKg", Value: strconv.Quote(m), Message: "Enter the body mass as a number of kg, or leave it empty."}
		}
		nt.MassKg = v
	}
	if r.MultipartForm == nil || len(r.MultipartForm.File["file"]) == 0 {
		return nt, tendo.Invalid("file", "Choose a C3D file to upload.")
	}
	fh := r.MultipartForm.File["file"][0]
	f, err := fh.Open()
	if err != nil {
		return nt, fmt.Errorf("open the uploaded file: %w", err)
	}
	defer f.Close()
	// One byte more than the limit lets the service tell a file over it.
	data, err := io.ReadAll(io.LimitReader(f, tendo.MaxGaitTrialSize+1))
	if err != nil {
		return nt, fmt.Errorf("read the uploaded file: %w", err)
	}
	nt.File, nt.Data = fh.Filename, data
	return nt, nil
}

// uploadGaitTrial analyses and saves a trial sent from the result page,
// then shows it there; a refused file shows the page again with the
// reason by the form.
func (s *Server) uploadGaitTrial(w http.ResponseWriter, r *http.Request) {
	defer removeMultipart(r)
	pid, aid := pathID(r, "id"), pathID(r, "aid")
	nt, err := readGaitUpload(r, pid, aid)
	var t tendo.GaitTrial
	if err == nil {
		t, err = s.svc.UploadGaitTrial(r.Context(), nt)
	}
	if err != nil {
		if tendo.ErrorCode(err) != tendo.EINVALID {
			s.Error(w, r, err)
			return
		}
		d, lerr := s.loadResult(r, false)
		if lerr == nil {
			d.Gait, lerr = s.gaitSectionOf(r, pid, aid)
		}
		if lerr != nil {
			s.Error(w, r, lerr)
			return
		}
		d.Gait.MassKg, d.Gait.Side = r.PostFormValue("massKg"), r.PostFormValue("side")
		if m, ok := fieldMessages(err); ok {
			for k, v := range m {
				if k == "file" || k == "massKg" || k == "side" {
					d.Gait.Errors.add(k, v)
				} else {
					d.Gait.Problem = v
				}
			}
		} else {
			d.Gait.Problem = tendo.ErrorMessage(err)
		}
		s.render(w, r, http.StatusUnprocessableEntity, "result", "Assessment — "+d.Patient.Name, d)
		return
	}
	http.Redirect(w, r, fmt.Sprintf("/patients/%d/assessments/%d?flash=gait-created#gait-%d", pid, aid, t.ID), http.StatusSeeOther)
}

// removeMultipart frees what a multipart form kept (nothing on disk:
// uploads are read into memory).
func removeMultipart(r *http.Request) {
	if r.MultipartForm != nil {
		_ = r.MultipartForm.RemoveAll()
	}
}

// trialOfVisit returns the trial named in the path (audited
// "gait.read"): ENOTFOUND unless it is a trial of the visit named there.
func (s *Server) trialOfVisit(r *http.Request, data bool) (tendo.GaitTrial, error) {
	t, err := s.svc.FindGaitTrial(r.Context(), pathID(r, "id"), pathID(r, "tid"), data)
	if err != nil {
		return tendo.GaitTrial{}, err
	}
	if t.VisitID != pathID(r, "aid") {
		return tendo.GaitTrial{}, tendo.Errorf(tendo.ENOTFOUND, "No such gait trial.")
	}
	return t, nil
}

// gaitPlot draws a trial's curves over the gait cycle, as SVG.
func (s *Server) gaitPlot(w http.ResponseWriter, r *http.Request) {
	t, err := s.trialOfVisit(r, false)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	if s.GaitPlot == nil || t.Report == nil {
		s.Error(w, r, tendo.Errorf(tendo.ENOTFOUND, "This server draws no gait plots."))
		return
	}
	b, err := s.GaitPlot(t.Report)
	if err != nil {
		s.Error(w, r, fmt.Errorf("plot gait trial %d: %w", t.ID, err))
		return
	}
	// The plot styles its own elements; it has no script and loads nothing.
	w.Header().Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'")
	w.Header().Set("Content-Type", "image/svg+xml")
	_, _ = w.Write(b)
}

// applyGaitTrial adds a trial's values to its visit's assessment, saved
// as a new visit, and shows that visit.
func (s *Server) applyGaitTrial(w http.ResponseWriter, r *http.Request) {
	t, err := s.trialOfVisit(r, false)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	st, err := s.svc.ApplyGaitTrial(r.Context(), t.PatientID, t.ID)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	http.Redirect(w, r, fmt.Sprintf("/patients/%d/assessments/%d?flash=gait-applied", st.PatientID, st.ID), http.StatusSeeOther)
}

// The JSON API.

// apiGaitTrials lists a visit's trials with their reports.
func (s *Server) apiGaitTrials(w http.ResponseWriter, r *http.Request) {
	ts, err := s.svc.FindGaitTrials(r.Context(), pathID(r, "id"), pathID(r, "aid"))
	if err != nil {
		s.Error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"trials": ts})
}

// apiUploadGaitTrial analyses and saves a trial sent as
// multipart/form-data: file, and optionally massKg and side.
func (s *Server) apiUploadGaitTrial(w http.ResponseWriter, r *http.Request) {
	if !isMultipart(r) {
		s.Error(w, r, tendo.Invalid("file", "Send the trial as multipart/form-data with the C3D file in the field \"file\"."))
		return
	}
	if err := readMultipart(w, r, maxGaitUpload); err != nil {
		s.Error(w, r, err)
		return
	}
	defer removeMultipart(r)
	nt, err := readGaitUpload(r, pathID(r, "id"), pathID(r, "aid"))
	if err != nil {
		s.Error(w, r, err)
		return
	}
	t, err := s.svc.UploadGaitTrial(r.Context(), nt)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	w.Header().Set("Location", fmt.Sprintf("/api/patients/%d/assessments/%d/gait/%d", t.PatientID, t.VisitID, t.ID))
	writeJSON(w, http.StatusCreated, map[string]any{"trial": t})
}

// apiGaitTrial returns a trial with its report.
func (s *Server) apiGaitTrial(w http.ResponseWriter, r *http.Request) {
	t, err := s.trialOfVisit(r, false)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"trial": t})
}

// apiApplyGaitTrial adds a trial's values to its visit's assessment and
// returns the new visit, as saving an assessment does.
func (s *Server) apiApplyGaitTrial(w http.ResponseWriter, r *http.Request) {
	t, err := s.trialOfVisit(r, false)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	st, err := s.svc.ApplyGaitTrial(r.Context(), t.PatientID, t.ID)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	w.Header().Set("Location", fmt.Sprintf("/api/patients/%d/assessments/%d", st.PatientID, st.ID))
	writeJSON(w, http.StatusCreated, storedResponse{Assessment: st, Input: st.Input, Result: st.Result})
}

package clinic

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/tendo-health/tendo"
)

var _ tendo.GaitTrialService = (*Service)(nil)

// Limits on an uploaded trial.
const (
	maxGaitFileName = 255 // bytes
	maxBodyMassKg   = 500
)

// UploadGaitTrial analyses a trial file of a visit the actor may see and
// stores it with its report and audit entry, in one transaction.
func (s *Service) UploadGaitTrial(ctx context.Context, nt tendo.NewGaitTrial) (tendo.GaitTrial, error) {
	p, err := s.visiblePatient(ctx, nt.PatientID)
	if err != nil {
		return tendo.GaitTrial{}, err
	}
	v, err := s.visibleVisit(ctx, p, nt.VisitID)
	if err != nil {
		return tendo.GaitTrial{}, err
	}
	name := gaitFileName(nt.File)
	var errs tendo.Errors
	switch n := len(nt.Data); {
	case n == 0:
		errs = append(errs, tendo.Invalid("file", "Choose a C3D file; the file sent is empty."))
	case n > tendo.MaxGaitTrialSize:
		errs = append(errs, &tendo.Error{Code: tendo.EINVALID, Field: "file", Value: strconv.Itoa(n) + " bytes",
			Message: fmt.Sprintf("The file is larger than %d MiB.", tendo.MaxGaitTrialSize>>20)})
	}
	if m := nt.MassKg; math.IsNaN(m) || m < 0 || m > maxBodyMassKg {
		errs = append(errs, &tendo.Error{Code: tendo.EINVALID, Field: "massKg", Value: strconv.FormatFloat(m, 'g', -1, 64),
			Message: fmt.Sprintf("Enter the body mass in kg, more than 0 and at most %d, or leave it empty.", maxBodyMassKg)})
	}
	switch nt.Side {
	case "", "left", "right":
	default:
		errs = append(errs, &tendo.Error{Code: tendo.EINVALID, Field: "side", Value: strconv.Quote(nt.Side), Message: `Choose "left", "right" or none.`})
	}
	if len(errs) > 0 {
		return tendo.GaitTrial{}, errs
	}
	if s.GaitAnalyzer == nil {
		return tendo.GaitTrial{}, tendo.Errorf(tendo.EINTERNAL, "gait analysis is not available")
	}
	release, err := s.assessSlot(ctx)
	if err != nil {
		return tendo.GaitTrial{}, err
	}
	report, err := s.analyze(name, nt)
	release()
	if err != nil {
		return tendo.GaitTrial{}, err
	}
	t := tendo.GaitTrial{PatientID: p.ID, ClinicID: p.ClinicID, VisitID: v.ID, CreatedBy: tendo.ActorFrom(ctx).UserID(),
		File: name, Data: nt.Data, Report: report}
	err = s.Store.InTx(ctx, func(tx tendo.Store) error {
		var err error
		if t, err = tx.CreateGaitTrial(ctx, t); err != nil {
			return err
		}
		e := entry(ctx, tendo.ActionGaitCreate)
		e.ClinicID, e.PatientID = p.ClinicID, p.ID
		e.Detail = fmt.Sprintf("gait trial %d of assessment %d, %d bytes, sha256 %s", t.ID, v.ID, t.Size, t.SHA256)
		return s.audit(ctx, tx, e)
	})
	if err != nil {
		return tendo.GaitTrial{}, err
	}
	return t, nil
}

// analyze runs the analyzer. Its refusal of the file is EINVALID on the
// field "file" with its message; a panic (a file the analyzer did not
// expect) is a refusal too, and is logged.
func (s *Service) analyze(name string, nt tendo.NewGaitTrial) (r *tendo.GaitReport, err error) {
	defer func() {
		if v := recover(); v != nil {
			s.Logger.Error("gait analysis panicked", "file", name, "size", len(nt.Data), "panic", v)
			r, err = nil, tendo.Invalid("file", "The file could not be analysed.")
		}
	}()
	r, err = s.GaitAnalyzer.AnalyzeGait(name, nt.Data, nt.MassKg, nt.Side)
	if err != nil {
		var te *tendo.Error
		var tes tendo.Errors
		switch {
		case errors.As(err, &te):
			if te.Code == tendo.EINVALID && te.Field == "" {
				c := *te
				c.Field = "file"
				return nil, &c
			}
			return nil, err
		case errors.As(err, &tes):
			return nil, err
		}
		return nil, tendo.Invalid("file", "%s", err.Error())
	}
	if r == nil {
		return nil, errors.New("gait analysis returned no report")
	}
	return r, nil
}

// gaitFileName is the name of an uploaded file as kept: its last path
// element (browsers may send a path), valid UTF-8 without control
// characters, at most maxGaitFileName bytes; "trial.c3d" when nothing is
// left.
func gaitFileName(name string) string {
	if i := strings.LastIndexAny(name, `/\`); i >= 0 {
		name = name[i+1:]
	}
	name = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || r == utf8.RuneError {
			return -1
		}
		return r
	}, strings.ToValidUTF8(name, ""))
	name = strings.TrimSpace(name)
	for len(name) > maxGaitFileName {
		_, size := utf8.DecodeLastRuneInString(name)
		name = name[:len(name)-size]
	}
	if name == "" || name == "." || name == ".." {
		return "trial.c3d"
	}
	return name
}

// visibleVisit loads a visit of the patient (whom the actor may see);
// one of another patient is ENOTFOUND, and the attempt a denial.
func (s *Service) visibleVisit(ctx context.Context, p tendo.PatientRecord, id int64) (tendo.StoredAssessment, error) {
	notFound := tendo.Errorf(tendo.ENOTFOUND, "No such assessment.")
	if id <= 0 {
		return tendo.StoredAssessment{}, notFound
	}
	v, err := s.Store.Assessment(ctx, id)
	if tendo.ErrorCode(err) == tendo.ENOTFOUND {
		return tendo.StoredAssessment{}, notFound
	}
	if err != nil {
		return tendo.StoredAssessment{}, err
	}
	if v.PatientID != p.ID {
		s.denied(ctx, p.ClinicID, p.ID, fmt.Sprintf("assessment %d of another patient", id))
		return tendo.StoredAssessment{}, notFound
	}
	return v, nil
}

// visibleTrial loads a trial of the patient (whom the actor may see);
// one of another patient is ENOTFOUND, and the attempt a denial.
func (s *Service) visibleTrial(ctx context.Context, p tendo.PatientRecord, id int64, data bool) (tendo.GaitTrial, error) {
	notFound := tendo.Errorf(tendo.ENOTFOUND, "No such gait trial.")
	if id <= 0 {
		return tendo.GaitTrial{}, notFound
	}
	t, err := s.Store.GaitTrial(ctx, id, data)
	if tendo.ErrorCode(err) == tendo.ENOTFOUND {
		return tendo.GaitTrial{}, notFound
	}
	if err != nil {
		return tendo.GaitTrial{}, err
	}
	if t.PatientID != p.ID {
		s.denied(ctx, p.ClinicID, p.ID, fmt.Sprintf("gait trial %d of another patient", id))
		return tendo.GaitTrial{}, notFound
	}
	return t, nil
}

// FindGaitTrial returns a trial of a patient the actor may see, with its
// report (and its file when data is true).
func (s *Service) FindGaitTrial(ctx context.Context, patientID, id int64, data bool) (tendo.GaitTrial, error) {
	p, err := s.visiblePatient(ctx, patientID)
	if err != nil {
		return tendo.GaitTrial{}, err
	}
	t, err := s.visibleTrial(ctx, p, id, data)
	if err != nil {
		return tendo.GaitTrial{}, err
	}
	detail := fmt.Sprintf("gait trial %d of assessment %d", t.ID, t.VisitID)
	if data {
		detail += ", with its file"
	}
	if err := s.read(ctx, p, tendo.ActionGaitRead, detail); err != nil {
		return tendo.GaitTrial{}, err
	}
	return t, nil
}

// FindGaitTrials lists the trials of a visit of a patient the actor may
// see, with their reports, oldest first.
func (s *Service) FindGaitTrials(ctx context.Context, patientID, visitID int64) ([]tendo.GaitTrial, error) {
	p, err := s.visiblePatient(ctx, patientID)
	if err != nil {
		return nil, err
	}
	v, err := s.visibleVisit(ctx, p, visitID)
	if err != nil {
		return nil, err
	}
	ts, err := s.Store.GaitTrials(ctx, v.ID)
	if err != nil {
		return nil, err
	}
	if err := s.read(ctx, p, tendo.ActionGaitList, fmt.Sprintf("%d gait trials of assessment %d", len(ts), v.ID)); err != nil {
		return nil, err
	}
	return ts, nil
}

// ApplyGaitTrial saves, as a new visit of the same date, the trial's
// visit with the trial's instrumented gait values (the observed ones are
// kept). The save uses an idempotency key of the trial: applying it again
// returns the first visit it made for the actor.
func (s *Service) ApplyGaitTrial(ctx context.Context, patientID, id int64) (tendo.StoredAssessment, error) {
	p, err := s.visiblePatient(ctx, patientID)
	if err != nil {
		return tendo.StoredAssessment{}, err
	}
	t, err := s.visibleTrial(ctx, p, id, false)
	if err != nil {
		return tendo.StoredAssessment{}, err
	}
	v, err := s.visibleVisit(ctx, p, t.VisitID)
	if err != nil {
		return tendo.StoredAssessment{}, err
	}
	// issue 10: records: a corrected visit is not brought back.
	if !v.Current() {
		s.denied(ctx, p.ClinicID, p.ID, fmt.Sprintf("apply gait trial %d to assessment %d, amended or entered in error", t.ID, v.ID))
		return tendo.StoredAssessment{}, tendo.Errorf(tendo.ECONFLICT, "The trial's assessment has been amended or marked entered in error since; upload the trial to the latest version.")
	}
	var a tendo.Assessment
	if err := json.Unmarshal(v.Input, &a); err != nil {
		return tendo.StoredAssessment{}, fmt.Errorf("apply gait trial %d: stored input of assessment %d: %w", t.ID, v.ID, err)
	}
	if err := withGait(&a, t.Report); err != nil {
		return tendo.StoredAssessment{}, err
	}
	if a.Schema == "" {
		a.Schema = tendo.SchemaV1
	}
	a.Date = v.Date
	input, err := json.Marshal(&a)
	if err != nil {
		return tendo.StoredAssessment{}, fmt.Errorf("apply gait trial %d: %w", t.ID, err)
	}
	detail := func(st tendo.StoredAssessment) string {
		return fmt.Sprintf("gait trial %d of assessment %d into assessment %d", t.ID, v.ID, st.ID)
	}
	st, replayed, err := s.createVisit(ctx, p, tendo.NewVisit{PatientID: p.ID, Assessment: &a, Input: input, IdempotencyKey: fmt.Sprintf("gait-trial-%d", t.ID), Note: v.Note},
		func(tx tendo.Store, st tendo.StoredAssessment) error {
			e := entry(ctx, tendo.ActionGaitApply)
			e.ClinicID, e.PatientID, e.Detail = p.ClinicID, p.ID, detail(st)
			return s.audit(ctx, tx, e)
		})
	if err != nil {
		return tendo.StoredAssessment{}, err
	}
	if replayed {
		if err := s.read(ctx, p, tendo.ActionGaitApply, detail(st)+" (applied before)"); err != nil {
			return tendo.StoredAssessment{}, err
		}
	}
	return st, nil
}

// instrumented are the gait section's fields a trial sets, by contract
// name.
func instrumented(g *tendo.Gait) map[string]**float64 {
	return map[string]**float64{
		"cadenceStepsPerMin":                  &g.CadenceStepsPerMin,
		"stanceTimeAsymmetryPct":              &g.StanceTimeAsymmetryPct,
		"peakAnklePlantarflexorMomentNmPerKg": &g.PeakAnklePlantarflexorMomentNmPerKg,
		"peakAchillesForceBw":                 &g.PeakAchillesForceBW,
		"pelvicRotationRangeDeg":              &g.PelvicRotationRangeDeg,
	}
}

// withGait replaces a's instrumented gait values with the report's
// evidence (a value the trial did not give is removed: the values come
// from one trial) and marks the source instrumented; the observed
// findings (antalgic, reduced push-off, trunk lean) stay as they were.
// A value outside the contract's range is EINVALID, naming the field.
func withGait(a *tendo.Assessment, r *tendo.GaitReport) error {
	if r == nil {
		return errors.New("gait trial without a report")
	}
	from, to := instrumented(&r.Evidence), instrumented(&a.Gait)
	for name, src := range from {
		path := "gait." + name
		if v := *src; v != nil {
			f, ok := tendo.LookupField(path)
			if math.IsNaN(*v) || math.IsInf(*v, 0) || (ok && f.Min != nil && *v < *f.Min) || (ok && f.Max != nil && *v > *f.Max) {
				return &tendo.Error{Code: tendo.EINVALID, Field: path, Value: strconv.FormatFloat(*v, 'g', 4, 64),
					Message: "The trial's value is outside the range an assessment accepts."}
			}
			x := *v
			*to[name] = &x
		} else {
			*to[name] = nil
		}
	}
	src := tendo.GaitInstrumented
	a.Gait.Source = &src
	return nil
}

package tendo

import (
	"context"
	"time"
)

// GaitReport is what one gait-lab trial shows: each metric per side with
// the normal walking range it is compared against, the curves over the
// normalised gait cycle for the plot, and the contract's gait section
// (source instrumented) ready to merge into an assessment.
//
// A GaitAnalyzer produces it; it is stored with the trial as JSON, so a
// stored report is never recomputed with a newer analysis.
type GaitReport struct {
	// File is the trial's file name as uploaded or given.
	File string `json:"file"`
	// Format is "c3d" or "opensim".
	Format string `json:"format"`
	// BodyMassKg is the body mass used, in kg; MassFrom says where it came
	// from: "file" (the C3D's subject parameters) or "given".
	BodyMassKg float64 `json:"bodyMassKg"`
	MassFrom   string  `json:"massFrom"`
	// DurationS is the length of the recording, in seconds.
	DurationS float64 `json:"durationS"`
	// Events says how foot strikes and foot offs were found:
	// "force-plates", "markers" or "force-plates and markers".
	Events string `json:"events"`
	// AnkleMethod is "quasi-static", "inverse-dynamics" or "not-computed".
	AnkleMethod string `json:"ankleMethod"`
	// AchillesMomentArmM is the Achilles tendon moment arm used, in metres.
	AchillesMomentArmM float64 `json:"achillesMomentArmM"`

	// Metrics are the figures, each per side where it has one.
	Metrics []GaitMetric `json:"metrics"`
	// Curves are the per-side curves over the normalised gait cycle.
	Curves []GaitCurve `json:"curves"`
	// Notes state the methods, their known errors and what could not be
	// computed, in plain words.
	Notes []string `json:"notes,omitempty"`

	// Evidence is the contract's gait section built from the metrics
	// (source instrumented), for the affected side given to the analyzer
	// or, when none was given, the side with the lower peak Achilles force.
	Evidence Gait `json:"evidence"`
	// EvidenceSide is the side Evidence's per-side values come from.
	EvidenceSide string `json:"evidenceSide,omitempty"`
}

// GaitMetric is one figure of a gait report.
type GaitMetric struct {
	// Key names the metric, in the contract's spelling where the contract
	// has it (cadenceStepsPerMin, stanceTimeAsymmetryPct, ...).
	Key string `json:"key"`
	// Label is the metric in plain words.
	Label string `json:"label"`
	// Side is "left", "right", or "" for a figure of both feet.
	Side string `json:"side,omitempty"`
	// Value is nil when the trial did not allow the figure; Note then says
	// why.
	Value *float64 `json:"value"`
	Unit  string   `json:"unit"`
	Note  string   `json:"note,omitempty"`
	// Normal is the normal walking range compared against; nil when there
	// is none.
	Normal *GaitBand `json:"normal,omitempty"`
	// Outside is "below" or "above" when Value lies outside Normal, else "".
	Outside string `json:"outside,omitempty"`
}

// GaitBand is a normal range with its source.
type GaitBand struct {
	Low  float64 `json:"low"`
	High float64 `json:"high"`
	// Source cites where the range comes from, or says it is an estimate
	// and why.
	Source string `json:"source"`
}

// GaitCurve is one quantity over one side's normalised gait cycle: 101
// values from foot strike (0 %) to the next foot strike of the same foot
// (100 %), with the normal band at the same points when there is one.
type GaitCurve struct {
	// Key is "vertical-force", "ankle-moment" or "achilles-force".
	Key   string `json:"key"`
	Label string `json:"label"`
	Side  string `json:"side"`
	Unit  string `json:"unit"`
	// Values has 101 entries; NaN is not allowed (JSON), so a sample that
	// could not be computed is null.
	Values []*float64 `json:"values"`
	// Low and High bound the normal band (101 entries each), or are nil.
	Low        []float64 `json:"low,omitempty"`
	High       []float64 `json:"high,omitempty"`
	BandSource string    `json:"bandSource,omitempty"`
}

// GaitAnalyzer turns a trial file into a report (the gaitlab package
// implements it). It is safe for concurrent use.
type GaitAnalyzer interface {
	// AnalyzeGait reads a C3D file. massKg is the body mass in kg, used
	// when the file has none (0: none given); side is the affected side
	// ("left", "right" or "") the evidence is taken from. An error for a
	// bad file is a *Error with code EINVALID and a one-line message.
	AnalyzeGait(name string, data []byte, massKg float64, side string) (*GaitReport, error)
}

// MaxGaitTrialSize bounds an uploaded C3D file, in bytes (32 MiB: a
// 10-minute 100-marker trial at 100 Hz is about 24 MiB in float storage).
const MaxGaitTrialSize = 32 << 20

// GaitTrial is one uploaded trial, kept with the visit it belongs to.
type GaitTrial struct {
	// ID is the trial's public identifier: random, not sequential.
	ID        int64     `json:"id"`
	PatientID int64     `json:"patientId"`
	ClinicID  int64     `json:"clinicId"`
	VisitID   int64     `json:"visitId"`
	CreatedAt time.Time `json:"createdAt"`
	CreatedBy int64     `json:"createdBy"`
	// File is the uploaded file's name; Size its length in bytes and
	// SHA256 its hex digest.
	File   string `json:"file"`
	Size   int64  `json:"size"`
	SHA256 string `json:"sha256"`
	// Data is the file itself; empty in lists.
	Data []byte `json:"-"`
	// Report is the analysis as it was made at upload.
	Report *GaitReport `json:"report,omitempty"`
}

// NewGaitTrial is what UploadGaitTrial needs.
type NewGaitTrial struct {
	PatientID, VisitID int64
	File               string
	Data               []byte
	// MassKg is the body mass in kg when the file has none (0: not given).
	MassKg float64
	// Side is the affected side the evidence is taken from ("" to let the
	// analysis choose).
	Side string
}

// GaitTrialService keeps gait-lab trials with the visits they belong to.
//
// Who may call: as for VisitService (a clinician for the patients of
// their clinics, an admin or the system for all). Every read of a trial
// is audited, and a read whose audit entry cannot be written is refused;
// a save and its audit entry are one transaction.
type GaitTrialService interface {
	// UploadGaitTrial analyses the file and stores it with its report
	// (audited "gait.create"). ENOTFOUND for a visit the actor may not
	// see; EINVALID (Field "file") for a file over MaxGaitTrialSize or one
	// the analysis refuses, with the analysis's message.
	UploadGaitTrial(ctx context.Context, t NewGaitTrial) (GaitTrial, error)
	// FindGaitTrial returns one trial with its report (audited
	// "gait.read"); with data true, the file too. ENOTFOUND for an
	// unknown trial or one the actor may not see.
	FindGaitTrial(ctx context.Context, patientID, id int64, data bool) (GaitTrial, error)
	// FindGaitTrials lists a visit's trials with their reports, oldest
	// first (audited "gait.list").
	FindGaitTrials(ctx context.Context, patientID, visitID int64) ([]GaitTrial, error)
	// ApplyGaitTrial adds the trial's evidence to its visit's assessment:
	// the visit's input with its gait section's instrumented values
	// replaced by the trial's, assessed and saved as a new visit of the
	// same date (visits are never changed), audited "gait.apply" and
	// "assessment.create". ENOTFOUND as for FindGaitTrial.
	ApplyGaitTrial(ctx context.Context, patientID, id int64) (StoredAssessment, error)
}

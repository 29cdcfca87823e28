package tendo

// This file declares the assessment: the one input every part of tendo
// speaks (../shared/spec/assessment-v1.md). The JSON names in the struct
// tags are the contract's field names; the package intake reads and
// validates documents into these types.

import (
	"bytes"
	"encoding/json"
)

// SchemaV1 is the value of Assessment.Schema for version 1 of the contract.
const SchemaV1 = "tendo/assessment/v1"

// An Assessment is one clinical assessment of posterior heel or Achilles
// pain: who the patient is, their history, the examination, the
// patient-reported outcome measures and gait.
//
// Every field except Schema is optional. A nil pointer (or nil slice) means
// "not assessed", never "negative": a clinician who examined and found
// nothing records the negative value. The five sections are plain structs
// (not pointers): an absent section and an empty one mean the same thing,
// every field of it not assessed, and both are omitted when encoded.
//
// Units are in the field names (Cm, Kg, Deg, Weeks, Minutes). BMI is
// derived (see BMI), never entered.
type Assessment struct {
	// Schema names the contract version; always SchemaV1 for now.
	Schema string `json:"schema"`
	// ID is the caller's identifier, echoed in the output.
	ID string `json:"id,omitempty"`
	// Date is the date of assessment as YYYY-MM-DD (a valid calendar date).
	Date string `json:"date,omitempty"`
	// Side is the side of the heel/Achilles symptoms.
	Side *Side `json:"side,omitempty"`

	Patient Patient `json:"patient,omitzero"`
	History History `json:"history,omitzero"`
	Exam    Exam    `json:"exam,omitzero"`
	PROMs   PROMs   `json:"proms,omitzero"`
	Gait    Gait    `json:"gait,omitzero"`
}

// BMI returns the body-mass index in kg/m², computed from Patient.HeightCm
// and Patient.WeightKg. It reports false when either is absent or the
// height is not positive.
func (a *Assessment) BMI() (float64, bool) {
	if a == nil || a.Patient.HeightCm == nil || a.Patient.WeightKg == nil || *a.Patient.HeightCm <= 0 {
		return 0, false
	}
	m := *a.Patient.HeightCm / 100
	return *a.Patient.WeightKg / (m * m), true
}

// Patient describes the patient.
type Patient struct {
	// ID is the caller's patient identifier.
	ID string `json:"id,omitempty"`
	// AgeYears is the age in whole years, 10–110.
	AgeYears *int `json:"ageYears,omitempty"`
	Sex      *Sex `json:"sex,omitempty"`
	// HeightCm is the height in centimetres, 100–250.
	HeightCm *float64 `json:"heightCm,omitempty"`
	// WeightKg is the body mass in kilograms, 25–300.
	WeightKg      *float64       `json:"weightKg,omitempty"`
	ActivityLevel *ActivityLevel `json:"activityLevel,omitempty"`
	// Runner is true when the patient runs regularly.
	Runner *bool `json:"runner,omitempty"`
}

// History is the history of the presenting complaint, the lumbar
// screen, risk factors and red-flag questions.
type History struct {
	Onset *Onset `json:"onset,omitempty"`
	// SymptomWeeks is the duration of heel/Achilles symptoms in weeks, ≥ 0.
	SymptomWeeks *float64 `json:"symptomWeeks,omitempty"`
	// PopOrKickSensation: felt a snap, or as if kicked in the calf, at onset.
	PopOrKickSensation *bool `json:"popOrKickSensation,omitempty"`
	// PainSite is where the heel/Achilles pain is.
	PainSite         *PainSite `json:"painSite,omitempty"`
	MorningStiffness *bool     `json:"morningStiffness,omitempty"`
	// MorningStiffnessMinutes is the duration of morning stiffness, ≥ 0.
	MorningStiffnessMinutes *float64 `json:"morningStiffnessMinutes,omitempty"`
	// PainWithLoading: pain with running, hopping, stairs.
	PainWithLoading *bool `json:"painWithLoading,omitempty"`
	// LowBackPain: current low back pain.
	LowBackPain *bool `json:"lowBackPain,omitempty"`
	// LowBackPainWeeks is the duration of low back pain in weeks, ≥ 0.
	LowBackPainWeeks *float64 `json:"lowBackPainWeeks,omitempty"`
	// LegPainBelowKnee: radiating pain below the knee.
	LegPainBelowKnee         *bool `json:"legPainBelowKnee,omitempty"`
	LegPainWorseThanBackPain *bool `json:"legPainWorseThanBackPain,omitempty"`
	// Paresthesia is numbness or tingling and where.
	Paresthesia                *Paresthesia `json:"paresthesia,omitempty"`
	PainWorseSittingOrCoughing *bool        `json:"painWorseSittingOrCoughing,omitempty"`
	// NightPain: pain at night or at rest.
	NightPain *bool `json:"nightPain,omitempty"`
	// TrainingLoadIncrease: a clear rise in training load (distance,
	// intensity, frequency) in the last 4–6 weeks.
	TrainingLoadIncrease *bool `json:"trainingLoadIncrease,omitempty"`
	// FootwearChange: new or different shoes (e.g. lower drop, minimalist)
	// in the last 3 months.
	FootwearChange               *bool `json:"footwearChange,omitempty"`
	PreviousAchillesTendinopathy *bool `json:"previousAchillesTendinopathy,omitempty"`
	FluoroquinoloneLast6Months   *bool `json:"fluoroquinoloneLast6Months,omitempty"`
	// SystemicCorticosteroids: oral or systemic corticosteroid use in the
	// last 6 months.
	SystemicCorticosteroids         *bool `json:"systemicCorticosteroids,omitempty"`
	CorticosteroidInjectionAchilles *bool `json:"corticosteroidInjectionAchilles,omitempty"`
	Diabetes                        *bool `json:"diabetes,omitempty"`
	Hypercholesterolemia            *bool `json:"hypercholesterolemia,omitempty"`
	// InflammatoryArthritis: spondyloarthritis, psoriatic or rheumatoid
	// arthritis, or psoriasis with joint symptoms.
	InflammatoryArthritis *bool `json:"inflammatoryArthritis,omitempty"`
	// BladderOrBowelDysfunction: new retention, incontinence or change in
	// control.
	BladderOrBowelDysfunction *bool `json:"bladderOrBowelDysfunction,omitempty"`
	// SaddleAnesthesia: numbness in the saddle or perineal area.
	SaddleAnesthesia *bool `json:"saddleAnesthesia,omitempty"`
	// BilateralLegSymptoms: radicular pain, numbness or weakness in both legs.
	BilateralLegSymptoms *bool `json:"bilateralLegSymptoms,omitempty"`
	// ProgressiveWeakness: weakness that is getting worse.
	ProgressiveWeakness     *bool `json:"progressiveWeakness,omitempty"`
	HistoryOfCancer         *bool `json:"historyOfCancer,omitempty"`
	UnexplainedWeightLoss   *bool `json:"unexplainedWeightLoss,omitempty"`
	Fever                   *bool `json:"fever,omitempty"`
	RecentSignificantTrauma *bool `json:"recentSignificantTrauma,omitempty"`
	// RecentImmobilisationOrSurgery: bedridden ≥ 3 days, major surgery
	// within 12 weeks, or a cast.
	RecentImmobilisationOrSurgery *bool `json:"recentImmobilisationOrSurgery,omitempty"`
	PreviousDVT                   *bool `json:"previousDvt,omitempty"`
}

// Exam is the physical examination.
type Exam struct {
	// Tenderness is the site of Achilles/calf tenderness on palpation.
	Tenderness               *Tenderness `json:"tenderness,omitempty"`
	TendonThickeningOrNodule *bool       `json:"tendonThickeningOrNodule,omitempty"`
	ArcSign                  *TestResult `json:"arcSign,omitempty"`
	RoyalLondonTest          *TestResult `json:"royalLondonTest,omitempty"`
	Crepitus                 *bool       `json:"crepitus,omitempty"`
	// CalfSqueezeTest is the Thompson/Simmonds test: abnormal = no
	// plantarflexion.
	CalfSqueezeTest *SqueezeResult `json:"calfSqueezeTest,omitempty"`
	PalpableGap     *bool          `json:"palpableGap,omitempty"`
	// HeelRaiseReps counts single-leg heel raises to fatigue.
	HeelRaiseReps *HeelRaiseReps `json:"heelRaiseReps,omitempty"`
	HeelRaisePain *bool          `json:"heelRaisePain,omitempty"`
	// AnkleReflex is the ankle (S1) reflex on the symptomatic side.
	AnkleReflex *ReflexGrade `json:"ankleReflex,omitempty"`
	// StraightLegRaise: reproduces leg pain.
	StraightLegRaise *TestResult `json:"straightLegRaise,omitempty"`
	// StraightLegRaiseDeg is the angle at which symptoms appear, 0–110°.
	StraightLegRaiseDeg *float64 `json:"straightLegRaiseDeg,omitempty"`
	// CrossedStraightLegRaise is recorded only as positive or negative.
	CrossedStraightLegRaise *DichotomousResult `json:"crossedStraightLegRaise,omitempty"`
	Slump                   *TestResult        `json:"slump,omitempty"`
	// S1SensoryDeficit: reduced sensation in the S1 dermatome (lateral
	// foot, sole).
	S1SensoryDeficit *bool `json:"s1SensoryDeficit,omitempty"`
	// PlantarflexionStrengthMRC is the MRC grade, 0–5.
	PlantarflexionStrengthMRC *int `json:"plantarflexionStrengthMrc,omitempty"`
	// KneeToWallCm is the weight-bearing dorsiflexion lunge, 0–25 cm.
	KneeToWallCm                *float64     `json:"kneeToWallCm,omitempty"`
	FootPosture                 *FootPosture `json:"footPosture,omitempty"`
	CalfSwellingWarmthOrRedness *bool        `json:"calfSwellingWarmthOrRedness,omitempty"`
	// CalfCircumferenceDifferenceCm is affected minus unaffected, 10 cm
	// below the tibial tuberosity, 0–15 cm.
	CalfCircumferenceDifferenceCm *float64 `json:"calfCircumferenceDifferenceCm,omitempty"`
	PittingEdema                  *bool    `json:"pittingEdema,omitempty"`
	// HeelSqueezePain: pain on medial–lateral compression of the calcaneus.
	HeelSqueezePain *bool `json:"heelSqueezePain,omitempty"`
}

// HeelRaiseReps counts single-leg heel raises to fatigue on each side,
// 0–200 each.
type HeelRaiseReps struct {
	Affected   *int `json:"affected,omitempty"`
	Unaffected *int `json:"unaffected,omitempty"`
}

// PROMs holds the patient-reported outcome measures. Score them with
// ScoreVISAA, ScoreODI, ScoreNPRS and ScoreLEFS, or all at once with
// Scores.
type PROMs struct {
	VISAA *VISAA `json:"visaA,omitempty"`
	ODI   *ODI   `json:"odi,omitempty"`
	// NPRS is current pain on the 0–10 numeric rating scale.
	NPRS *int  `json:"nprs,omitempty"`
	LEFS *LEFS `json:"lefs,omitempty"`
}

// VISAA is the Victorian Institute of Sport Assessment – Achilles
// questionnaire: either the eight answers or a score already computed
// (0–100). When both are given they must agree.
type VISAA struct {
	// Answers are the eight items in order: items 1–7 as plain points,
	// item 8 as a VISAAItem8.
	Answers []VISAAAnswer `json:"answers,omitempty"`
	// Score is a total computed elsewhere, 0–100.
	Score *int `json:"score,omitempty"`
}

// A VISAAAnswer is one answer of the VISA-A. Items 1–7 are plain points
// (Item8 nil): items 1–6 score 0–10 and item 7 one of 0, 4, 7, 10. Item 8
// is the object form (Item8 non-nil, Points unused). In JSON an answer is a
// number or an object {"branch", "points"}.
type VISAAAnswer struct {
	Points int
	Item8  *VISAAItem8
}

// VISAAItem8 is the answer to VISA-A item 8: the patient answers only one
// branch (A: no pain during Achilles-loading sport; B: pain but completes
// it; C: pain stops completion) and its points, which depend on the branch
// (see VISAAItem8Points).
type VISAAItem8 struct {
	Branch VISAABranch `json:"branch"`
	Points int         `json:"points"`
}

// ODI is the Oswestry Disability Index v2.1a: either the ten section
// answers or a percentage already computed (0–100). When both are given
// they must agree.
type ODI struct {
	// Answers are the ten sections in order, each 0–5; nil is an
	// unanswered section (null in JSON).
	Answers []*int `json:"answers,omitempty"`
	// Percent is a score computed elsewhere, 0–100.
	Percent *float64 `json:"percent,omitempty"`
}

// LEFS is the Lower Extremity Functional Scale: either the twenty answers
// (each 0–4) or a score already computed (0–80). When both are given they
// must agree.
type LEFS struct {
	Answers []int `json:"answers,omitempty"`
	Score   *int  `json:"score,omitempty"`
}

// Gait holds instrumented or observed gait findings. Instrumented values
// come from `tendo gait` and carry their own uncertainty; they are soft
// evidence.
type Gait struct {
	Source *GaitSource `json:"source,omitempty"`
	// Antalgic is observed.
	Antalgic *bool `json:"antalgic,omitempty"`
	// ReducedPushOff is observed or derived.
	ReducedPushOff *bool `json:"reducedPushOff,omitempty"`
	// TrunkLean is an observed lateral trunk shift or lean.
	TrunkLean *bool `json:"trunkLean,omitempty"`
	// CadenceStepsPerMin is the cadence in steps per minute.
	CadenceStepsPerMin *float64 `json:"cadenceStepsPerMin,omitempty"`
	// StanceTimeAsymmetryPct is |L−R| / mean × 100.
	StanceTimeAsymmetryPct *float64 `json:"stanceTimeAsymmetryPct,omitempty"`
	// PeakAnklePlantarflexorMomentNmPerKg is on the affected side, in
	// stance, in N·m/kg.
	PeakAnklePlantarflexorMomentNmPerKg *float64 `json:"peakAnklePlantarflexorMomentNmPerKg,omitempty"`
	// PeakAchillesForceBW is on the affected side, in body weights.
	PeakAchillesForceBW *float64 `json:"peakAchillesForceBw,omitempty"`
	// PelvicRotationRangeDeg is the transverse-plane range over a gait
	// cycle, in degrees.
	PelvicRotationRangeDeg *float64 `json:"pelvicRotationRangeDeg,omitempty"`
}

// Enumerations. Each is a string type whose values are the contract's
// lower-case kebab-case strings; Valid reports whether a value is one of
// them and the XValues function lists them in contract order.

// Side is the side of the heel/Achilles symptoms.
type Side string

// Sides.
const (
	SideLeft      Side = "left"
	SideRight     Side = "right"
	SideBilateral Side = "bilateral"
)

// SideValues returns the allowed values of Side.
func SideValues() []Side { return []Side{SideLeft, SideRight, SideBilateral} }

// Valid reports whether s is an allowed value.
func (s Side) Valid() bool { return oneOf(s, SideValues()) }

// Sex is the patient's sex.
type Sex string

// Sexes.
const (
	SexFemale  Sex = "female"
	SexMale    Sex = "male"
	SexOther   Sex = "other"
	SexUnknown Sex = "unknown"
)

// SexValues returns the allowed values of Sex.
func SexValues() []Sex { return []Sex{SexFemale, SexMale, SexOther, SexUnknown} }

// Valid reports whether s is an allowed value.
func (s Sex) Valid() bool { return oneOf(s, SexValues()) }

// ActivityLevel is the patient's usual level of physical activity.
type ActivityLevel string

// Activity levels.
const (
	ActivitySedentary    ActivityLevel = "sedentary"
	ActivityRecreational ActivityLevel = "recreational"
	ActivityCompetitive  ActivityLevel = "competitive"
)

// ActivityLevelValues returns the allowed values of ActivityLevel.
func ActivityLevelValues() []ActivityLevel {
	return []ActivityLevel{ActivitySedentary, ActivityRecreational, ActivityCompetitive}
}

// Valid reports whether l is an allowed value.
func (l ActivityLevel) Valid() bool { return oneOf(l, ActivityLevelValues()) }

// Onset is how the symptoms began.
type Onset string

// Onsets.
const (
	OnsetGradual Onset = "gradual"
	OnsetSudden  Onset = "sudden"
)

// OnsetValues returns the allowed values of Onset.
func OnsetValues() []Onset { return []Onset{OnsetGradual, OnsetSudden} }

// Valid reports whether o is an allowed value.
func (o Onset) Valid() bool { return oneOf(o, OnsetValues()) }

// PainSite is where the heel/Achilles pain is. Midportion is 2–6 cm above
// the insertion.
type PainSite string

// Pain sites.
const (
	PainSiteMidportion  PainSite = "midportion"
	PainSiteInsertion   PainSite = "insertion"
	PainSiteCalf        PainSite = "calf"
	PainSiteDiffuse     PainSite = "diffuse"
	PainSitePlantarHeel PainSite = "plantar-heel"
)

// PainSiteValues returns the allowed values of PainSite.
func PainSiteValues() []PainSite {
	return []PainSite{PainSiteMidportion, PainSiteInsertion, PainSiteCalf, PainSiteDiffuse, PainSitePlantarHeel}
}

// Valid reports whether s is an allowed value.
func (s PainSite) Valid() bool { return oneOf(s, PainSiteValues()) }

// Paresthesia is numbness or tingling, and where.
type Paresthesia string

// Paresthesia sites.
const (
	ParesthesiaNone        Paresthesia = "none"
	ParesthesiaLateralFoot Paresthesia = "lateral-foot"
	ParesthesiaSole        Paresthesia = "sole"
	ParesthesiaOther       Paresthesia = "other"
)

// ParesthesiaValues returns the allowed values of Paresthesia.
func ParesthesiaValues() []Paresthesia {
	return []Paresthesia{ParesthesiaNone, ParesthesiaLateralFoot, ParesthesiaSole, ParesthesiaOther}
}

// Valid reports whether p is an allowed value.
func (p Paresthesia) Valid() bool { return oneOf(p, ParesthesiaValues()) }

// Tenderness is the site of Achilles/calf tenderness on palpation.
type Tenderness string

// Tenderness sites.
const (
	TendernessNone       Tenderness = "none"
	TendernessMidportion Tenderness = "midportion"
	TendernessInsertion  Tenderness = "insertion"
	TendernessCalf       Tenderness = "calf"
)

// TendernessValues returns the allowed values of Tenderness.
func TendernessValues() []Tenderness {
	return []Tenderness{TendernessNone, TendernessMidportion, TendernessInsertion, TendernessCalf}
}

// Valid reports whether t is an allowed value.
func (t Tenderness) Valid() bool { return oneOf(t, TendernessValues()) }

// TestResult is the result of a clinical test that may be recorded as
// equivocal (arc sign, Royal London test, straight-leg raise, slump).
// Equivocal is soft evidence, a likelihood between positive and negative;
// it must not be dropped.
type TestResult string

// Test results.
const (
	Positive  TestResult = "positive"
	Negative  TestResult = "negative"
	Equivocal TestResult = "equivocal"
)

// TestResultValues returns the allowed values of TestResult.
func TestResultValues() []TestResult { return []TestResult{Positive, Negative, Equivocal} }

// Valid reports whether r is an allowed value.
func (r TestResult) Valid() bool { return oneOf(r, TestResultValues()) }

// DichotomousResult is the result of a test the contract records only as
// positive or negative, with no equivocal (the crossed straight-leg
// raise).
type DichotomousResult string

// Dichotomous results.
const (
	DichotomousPositive DichotomousResult = "positive"
	DichotomousNegative DichotomousResult = "negative"
)

// DichotomousResultValues returns the allowed values of DichotomousResult.
func DichotomousResultValues() []DichotomousResult {
	return []DichotomousResult{DichotomousPositive, DichotomousNegative}
}

// Valid reports whether r is an allowed value.
func (r DichotomousResult) Valid() bool { return oneOf(r, DichotomousResultValues()) }

// TestResult returns r as a TestResult (Positive or Negative), so code
// that weighs test results can treat every test alike.
func (r DichotomousResult) TestResult() TestResult { return TestResult(r) }

// SqueezeResult is the result of the calf squeeze (Thompson/Simmonds)
// test.
type SqueezeResult string

// Calf squeeze results.
const (
	// SqueezeNormal: the foot plantarflexes when the calf is squeezed.
	SqueezeNormal SqueezeResult = "normal"
	// SqueezeAbnormal: no plantarflexion.
	SqueezeAbnormal SqueezeResult = "abnormal"
)

// SqueezeResultValues returns the allowed values of SqueezeResult.
func SqueezeResultValues() []SqueezeResult { return []SqueezeResult{SqueezeNormal, SqueezeAbnormal} }

// Valid reports whether r is an allowed value.
func (r SqueezeResult) Valid() bool { return oneOf(r, SqueezeResultValues()) }

// ReflexGrade grades a tendon reflex.
type ReflexGrade string

// Reflex grades.
const (
	ReflexNormal  ReflexGrade = "normal"
	ReflexReduced ReflexGrade = "reduced"
	ReflexAbsent  ReflexGrade = "absent"
)

// ReflexGradeValues returns the allowed values of ReflexGrade.
func ReflexGradeValues() []ReflexGrade {
	return []ReflexGrade{ReflexNormal, ReflexReduced, ReflexAbsent}
}

// Valid reports whether g is an allowed value.
func (g ReflexGrade) Valid() bool { return oneOf(g, ReflexGradeValues()) }

// FootPosture is the standing foot posture.
type FootPosture string

// Foot postures.
const (
	FootPronated  FootPosture = "pronated"
	FootNeutral   FootPosture = "neutral"
	FootSupinated FootPosture = "supinated"
)

// FootPostureValues returns the allowed values of FootPosture.
func FootPostureValues() []FootPosture {
	return []FootPosture{FootPronated, FootNeutral, FootSupinated}
}

// Valid reports whether p is an allowed value.
func (p FootPosture) Valid() bool { return oneOf(p, FootPostureValues()) }

// GaitSource says how the gait findings were obtained.
type GaitSource string

// Gait sources.
const (
	GaitObserved     GaitSource = "observed"
	GaitInstrumented GaitSource = "instrumented"
)

// GaitSourceValues returns the allowed values of GaitSource.
func GaitSourceValues() []GaitSource { return []GaitSource{GaitObserved, GaitInstrumented} }

// Valid reports whether s is an allowed value.
func (s GaitSource) Valid() bool { return oneOf(s, GaitSourceValues()) }

// VISAABranch is the branch of VISA-A item 8 the patient answered.
type VISAABranch string

// VISA-A item 8 branches.
const (
	// VISAABranchA: no pain while undertaking Achilles-loading sport.
	VISAABranchA VISAABranch = "A"
	// VISAABranchB: pain while undertaking it, but able to complete it.
	VISAABranchB VISAABranch = "B"
	// VISAABranchC: pain that stops completion.
	VISAABranchC VISAABranch = "C"
)

// VISAABranchValues returns the allowed values of VISAABranch.
func VISAABranchValues() []VISAABranch {
	return []VISAABranch{VISAABranchA, VISAABranchB, VISAABranchC}
}

// Valid reports whether b is an allowed value.
func (b VISAABranch) Valid() bool { return oneOf(b, VISAABranchValues()) }

func oneOf[T comparable](v T, list []T) bool {
	for _, x := range list {
		if v == x {
			return true
		}
	}
	return false
}

// MarshalJSON encodes an answer as the contract writes it: a number for
// items 1–7, an object {"branch", "points"} for item 8.
func (v VISAAAnswer) MarshalJSON() ([]byte, error) {
	if v.Item8 != nil {
		return json.Marshal(v.Item8)
	}
	return json.Marshal(v.Points)
}

// UnmarshalJSON decodes a number or an item-8 object. It checks only the
// JSON shape; the package intake validates documents strictly.
func (v *VISAAAnswer) UnmarshalJSON(data []byte) error {
	data = bytes.TrimSpace(data)
	if len(data) > 0 && data[0] == '{' {
		var it VISAAItem8
		if err := json.Unmarshal(data, &it); err != nil {
			return err
		}
		*v = VISAAAnswer{Item8: &it}
		return nil
	}
	var n int
	if err := json.Unmarshal(data, &n); err != nil {
		return err
	}
	*v = VISAAAnswer{Points: n}
	return nil
}

package tendo

// This file declares the assessment: the one input every part of tendo
// speaks (../shared/spec/assessment-v1.md, v1 and its v1.1 additions). The
// JSON names in the struct tags are the contract's field names. The
// tendo and doc tags describe each field (range, unit, meaning) for the
// field index (field.go), from which the package intake derives its
// decoder and the package kb its finding access.
//
// Tags:
//
//	json:"name,omitempty"      the contract name
//	tendo:"min=0,max=5,unit=cm" inclusive bounds and unit of a number
//	tendo:"required"           the field must be present
//	tendo:"date"               a string written YYYY-MM-DD
//	tendo:"scored"             an outcome measure scored by the root package
//	tendo:"custom"             decoded by code of its own (PROM answers)
//	tendo:"since=1.1"          added in contract v1.1
//	doc:"..."                  what the field means (no double quotes)
//
// Every v1.1 field is optional and nil when absent. The area lists
// (History.LegPainAreas, History.ParesthesiaAreas) and
// LumbarMRI.RootCompression distinguish nil (not assessed, absent in
// JSON) from an empty non-nil slice (assessed, none: [] in JSON); omitzero
// keeps that distinction when encoding.

import (
	"bytes"
	"encoding/json"
)

// SchemaV1 is the value of Assessment.Schema for version 1 of the contract
// (v1.1 only adds optional fields and keeps this value).
const SchemaV1 = "tendo/assessment/v1"

// An Assessment is one clinical assessment of posterior heel or Achilles
// pain: who the patient is, their history, the examination, the
// patient-reported outcome measures, gait and imaging.
//
// Every field except Schema is optional. A nil pointer (or nil slice) means
// "not assessed", never "negative": a clinician who examined and found
// nothing records the negative value. The six sections are plain structs
// (not pointers): an absent section and an empty one mean the same thing,
// every field of it not assessed, and both are omitted when encoded.
//
// Units are in the field names (Cm, Kg, Deg, Weeks, Minutes, Mm, M). BMI is
// derived (see BMI), never entered.
type Assessment struct {
	// Schema names the contract version; always SchemaV1 for now.
	Schema string `json:"schema" tendo:"required" doc:"contract version; required"`
	// ID is the caller's identifier, echoed in the output.
	ID string `json:"id,omitempty" doc:"caller's identifier, echoed in the output"`
	// Date is the date of assessment as YYYY-MM-DD (a valid calendar date).
	Date string `json:"date,omitempty" tendo:"date" doc:"date of assessment, YYYY-MM-DD"`
	// Side is the side of the heel/Achilles symptoms.
	Side *Side `json:"side,omitempty" doc:"side of the heel/Achilles symptoms"`

	Patient Patient `json:"patient,omitzero" doc:"the patient"`
	History History `json:"history,omitzero" doc:"history of the complaint, lumbar screen, risk factors and red-flag questions"`
	Exam    Exam    `json:"exam,omitzero" doc:"physical examination"`
	PROMs   PROMs   `json:"proms,omitzero" doc:"patient-reported outcome measures"`
	Gait    Gait    `json:"gait,omitzero" doc:"instrumented or observed gait"`
	// Imaging holds results of imaging already done, of the symptomatic
	// side (v1.1).
	Imaging Imaging `json:"imaging,omitzero" tendo:"since=1.1" doc:"results of imaging already done, of the symptomatic side"`
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
	ID string `json:"id,omitempty" doc:"caller's patient identifier"`
	// AgeYears is the age in whole years, 10–110.
	AgeYears *int `json:"ageYears,omitempty" tendo:"min=10,max=110,unit=years" doc:"age in whole years"`
	// Sex is the patient's sex.
	Sex *Sex `json:"sex,omitempty" doc:"sex"`
	// HeightCm is the height in centimetres, 100–250.
	HeightCm *float64 `json:"heightCm,omitempty" tendo:"min=100,max=250,unit=cm" doc:"height"`
	// WeightKg is the body mass in kilograms, 25–300.
	WeightKg *float64 `json:"weightKg,omitempty" tendo:"min=25,max=300,unit=kg" doc:"body mass"`
	// ActivityLevel is the usual level of physical activity.
	ActivityLevel *ActivityLevel `json:"activityLevel,omitempty" doc:"usual level of physical activity"`
	// Runner is true when the patient runs regularly.
	Runner *bool `json:"runner,omitempty" doc:"runs regularly"`

	// SkeletallyImmature: the calcaneal apophysis is not yet fused
	// (clinical judgement or imaging). Where a rule needs it and it is
	// absent, AgeYears < 14 counts as immature (v1.1).
	SkeletallyImmature *bool `json:"skeletallyImmature,omitempty" tendo:"since=1.1" doc:"calcaneal apophysis not yet fused (clinical judgement or imaging); when absent, age under 14 counts as immature"`
	// EndRangePlantarflexionSport: dance, football, fast bowling or another
	// activity with repeated forced full plantarflexion (v1.1).
	EndRangePlantarflexionSport *bool `json:"endRangePlantarflexionSport,omitempty" tendo:"since=1.1" doc:"dance (relevé, pointe), football (kicking), fast bowling or another activity with repeated forced full plantarflexion"`
	// Smoking is tobacco smoking (v1.1).
	Smoking *Smoking `json:"smoking,omitempty" tendo:"since=1.1" doc:"tobacco smoking"`
}

// History is the history of the presenting complaint, the lumbar
// screen, risk factors and red-flag questions.
type History struct {
	// Onset is how the symptoms began.
	Onset *Onset `json:"onset,omitempty" doc:"how the symptoms began"`
	// SymptomWeeks is the duration of heel/Achilles symptoms in weeks, ≥ 0.
	SymptomWeeks *float64 `json:"symptomWeeks,omitempty" tendo:"min=0,unit=weeks" doc:"duration of heel/Achilles symptoms"`
	// PopOrKickSensation: felt a snap, or as if kicked in the calf, at onset.
	PopOrKickSensation *bool `json:"popOrKickSensation,omitempty" doc:"felt a snap, or as if kicked in the calf, at onset"`
	// PainSite is where the heel/Achilles pain is.
	PainSite *PainSite `json:"painSite,omitempty" doc:"where the heel/Achilles pain is; midportion = 2–6 cm above the insertion"`
	// MorningStiffness: stiffness on getting up.
	MorningStiffness *bool `json:"morningStiffness,omitempty" doc:"morning stiffness"`
	// MorningStiffnessMinutes is the duration of morning stiffness, ≥ 0.
	MorningStiffnessMinutes *float64 `json:"morningStiffnessMinutes,omitempty" tendo:"min=0,unit=minutes" doc:"duration of morning stiffness"`
	// PainWithLoading: pain with running, hopping, stairs.
	PainWithLoading *bool `json:"painWithLoading,omitempty" doc:"pain with running, hopping, stairs"`
	// LowBackPain: current low back pain.
	LowBackPain *bool `json:"lowBackPain,omitempty" doc:"current low back pain"`
	// LowBackPainWeeks is the duration of low back pain in weeks, ≥ 0.
	LowBackPainWeeks *float64 `json:"lowBackPainWeeks,omitempty" tendo:"min=0,unit=weeks" doc:"duration of low back pain"`
	// LegPainBelowKnee: radiating pain below the knee. When LegPainAreas
	// is given it must agree: true if and only if the list holds a
	// below-knee area.
	LegPainBelowKnee *bool `json:"legPainBelowKnee,omitempty" doc:"radiating pain below the knee"`
	// LegPainWorseThanBackPain: the leg pain is worse than the back pain.
	LegPainWorseThanBackPain *bool `json:"legPainWorseThanBackPain,omitempty" doc:"leg pain worse than back pain"`
	// Paresthesia is numbness or tingling and where. When ParesthesiaAreas
	// is given it must agree (see the contract's v1.1 rules).
	Paresthesia *Paresthesia `json:"paresthesia,omitempty" doc:"numbness or tingling and where"`
	// PainWorseSittingOrCoughing: pain worse sitting or coughing.
	PainWorseSittingOrCoughing *bool `json:"painWorseSittingOrCoughing,omitempty" doc:"pain worse sitting or coughing"`
	// NightPain: pain at night or at rest.
	NightPain *bool `json:"nightPain,omitempty" doc:"pain at night or at rest"`
	// TrainingLoadIncrease: a clear rise in training load (distance,
	// intensity, frequency) in the last 4–6 weeks.
	TrainingLoadIncrease *bool `json:"trainingLoadIncrease,omitempty" doc:"a clear rise in training load (distance, intensity, frequency) in the last 4–6 weeks"`
	// FootwearChange: new or different shoes (e.g. lower drop, minimalist)
	// in the last 3 months.
	FootwearChange *bool `json:"footwearChange,omitempty" doc:"new or different shoes (e.g. lower drop, minimalist) in the last 3 months"`
	// PreviousAchillesTendinopathy: an earlier episode.
	PreviousAchillesTendinopathy *bool `json:"previousAchillesTendinopathy,omitempty" doc:"previous Achilles tendinopathy"`
	// FluoroquinoloneLast6Months: a fluoroquinolone antibiotic in the last
	// 6 months.
	FluoroquinoloneLast6Months *bool `json:"fluoroquinoloneLast6Months,omitempty" doc:"fluoroquinolone antibiotic in the last 6 months"`
	// SystemicCorticosteroids: oral or systemic corticosteroid use in the
	// last 6 months.
	SystemicCorticosteroids *bool `json:"systemicCorticosteroids,omitempty" doc:"oral or systemic corticosteroid use in the last 6 months"`
	// CorticosteroidInjectionAchilles: an injection at the Achilles.
	CorticosteroidInjectionAchilles *bool `json:"corticosteroidInjectionAchilles,omitempty" doc:"corticosteroid injection at the Achilles"`
	// Diabetes: diabetes mellitus.
	Diabetes *bool `json:"diabetes,omitempty" doc:"diabetes"`
	// Hypercholesterolemia: raised cholesterol.
	Hypercholesterolemia *bool `json:"hypercholesterolemia,omitempty" doc:"hypercholesterolaemia"`
	// InflammatoryArthritis: spondyloarthritis, psoriatic or rheumatoid
	// arthritis, or psoriasis with joint symptoms.
	InflammatoryArthritis *bool `json:"inflammatoryArthritis,omitempty" doc:"spondyloarthritis, psoriatic or rheumatoid arthritis, or psoriasis with joint symptoms"`
	// BladderOrBowelDysfunction: new retention, incontinence or change in
	// control.
	BladderOrBowelDysfunction *bool `json:"bladderOrBowelDysfunction,omitempty" doc:"new retention, incontinence or change in control"`
	// SaddleAnesthesia: numbness in the saddle or perineal area.
	SaddleAnesthesia *bool `json:"saddleAnesthesia,omitempty" doc:"numbness in the saddle or perineal area"`
	// BilateralLegSymptoms: radicular pain, numbness or weakness in both legs.
	BilateralLegSymptoms *bool `json:"bilateralLegSymptoms,omitempty" doc:"radicular pain, numbness or weakness in both legs"`
	// ProgressiveWeakness: weakness that is getting worse.
	ProgressiveWeakness *bool `json:"progressiveWeakness,omitempty" doc:"weakness that is getting worse"`
	// HistoryOfCancer: any history of cancer.
	HistoryOfCancer *bool `json:"historyOfCancer,omitempty" doc:"history of cancer"`
	// UnexplainedWeightLoss: weight loss without a reason.
	UnexplainedWeightLoss *bool `json:"unexplainedWeightLoss,omitempty" doc:"unexplained weight loss"`
	// Fever: a raised temperature.
	Fever *bool `json:"fever,omitempty" doc:"fever"`
	// RecentSignificantTrauma: a recent fall, blow or accident.
	RecentSignificantTrauma *bool `json:"recentSignificantTrauma,omitempty" doc:"recent significant trauma"`
	// RecentImmobilisationOrSurgery: bedridden ≥ 3 days, major surgery
	// within 12 weeks, or a cast.
	RecentImmobilisationOrSurgery *bool `json:"recentImmobilisationOrSurgery,omitempty" doc:"bedridden ≥ 3 days, major surgery within 12 weeks, or a cast"`
	// PreviousDVT: a previous deep-vein thrombosis.
	PreviousDVT *bool `json:"previousDvt,omitempty" doc:"previous deep-vein thrombosis"`

	// OnsetDuringLoading: the symptoms began, or abruptly worsened, at a
	// definite moment during a loading activity (v1.1).
	OnsetDuringLoading *bool `json:"onsetDuringLoading,omitempty" tendo:"since=1.1" doc:"the symptoms began, or abruptly worsened, at a definite moment during a loading activity (sprint, jump, lunge, push-off); independent of popOrKickSensation"`
	// LegPainAreas is where the radiating leg pain is felt (not the local
	// heel pain): nil = not assessed, empty = no radiating leg pain (v1.1).
	LegPainAreas []Area `json:"legPainAreas,omitzero" tendo:"since=1.1" doc:"where the radiating leg pain is felt (not the local heel pain); [] = no radiating leg pain; must agree with legPainBelowKnee"`
	// ParesthesiaAreas is where numbness or tingling is felt: nil = not
	// assessed, empty = none (v1.1).
	ParesthesiaAreas []Area `json:"paresthesiaAreas,omitzero" tendo:"since=1.1" doc:"where numbness or tingling is felt; [] = none; must agree with paresthesia"`
	// ParesthesiaBothFeet: symmetrical, length-dependent numbness,
	// tingling or burning in both feet (v1.1).
	ParesthesiaBothFeet *bool `json:"paresthesiaBothFeet,omitempty" tendo:"since=1.1" doc:"numbness, tingling or burning in both feet, symmetrical, starting in the toes or soles (length-dependent), not in a root distribution"`
	// DiabetesYears is the time since diabetes was diagnosed, in years,
	// 0–100; requires Diabetes true (v1.1).
	DiabetesYears *float64 `json:"diabetesYears,omitempty" tendo:"min=0,max=100,unit=years,since=1.1" doc:"years since diabetes was diagnosed; requires diabetes: true"`
	// ShoeCounterPain: posterior heel pain provoked by the heel counter of
	// shoes and eased barefoot (v1.1).
	ShoeCounterPain *bool `json:"shoeCounterPain,omitempty" tendo:"since=1.1" doc:"posterior heel pain provoked by the heel counter of shoes and eased barefoot or in backless shoes"`
	// PainOnEndRangePlantarflexion: posterior ankle pain when an activity
	// forces full plantarflexion (v1.1).
	PainOnEndRangePlantarflexion *bool `json:"painOnEndRangePlantarflexion,omitempty" tendo:"since=1.1" doc:"posterior ankle pain when an activity forces full plantarflexion (relevé, pointe, kicking, downhill)"`
	// FirstStepPain: plantar heel pain worst on the first steps (v1.1).
	FirstStepPain *bool `json:"firstStepPain,omitempty" tendo:"since=1.1" doc:"plantar heel pain worst on the first steps in the morning or after sitting"`
	// GoutOrCrystalArthritis: gout or calcium pyrophosphate arthritis
	// diagnosed before (v1.1).
	GoutOrCrystalArthritis *bool `json:"goutOrCrystalArthritis,omitempty" tendo:"since=1.1" doc:"gout or calcium pyrophosphate arthritis diagnosed before (a flare, tophi or crystals); not part of inflammatoryArthritis"`
	// MaximalPainWithin24Hours: the episode peaked within 24 hours of
	// onset (v1.1).
	MaximalPainWithin24Hours *bool `json:"maximalPainWithin24Hours,omitempty" tendo:"since=1.1" doc:"the current episode reached its worst within 24 hours of onset"`
	// HeelSkinBreachOrProcedure: a wound, blister, ulcer, puncture,
	// injection or surgery at the heel or Achilles in the last 3 months
	// (v1.1).
	HeelSkinBreachOrProcedure *bool `json:"heelSkinBreachOrProcedure,omitempty" tendo:"since=1.1" doc:"wound, blister, ulcer, puncture, injection or surgery at the heel or Achilles in the last 3 months"`
	// Immunosuppression: immunosuppressive drugs other than
	// corticosteroids, chemotherapy, or an immunodeficiency (v1.1).
	Immunosuppression *bool `json:"immunosuppression,omitempty" tendo:"since=1.1" doc:"immunosuppressive drugs other than corticosteroids (e.g. methotrexate, biologics, transplant drugs), chemotherapy, or an immunodeficiency"`
	// LongTermCorticosteroids: oral glucocorticoid for ≥ 3 months, current
	// or stopped within 6 months; true with SystemicCorticosteroids false
	// is an error (v1.1).
	LongTermCorticosteroids *bool `json:"longTermCorticosteroids,omitempty" tendo:"since=1.1" doc:"oral glucocorticoid for ≥ 3 months, current or stopped within the last 6 months; true implies systemicCorticosteroids: true"`
	// OsteoporosisOrFragilityFracture: osteoporosis (DXA T-score ≤ −2.5)
	// or a previous low-trauma fracture (v1.1).
	OsteoporosisOrFragilityFracture *bool `json:"osteoporosisOrFragilityFracture,omitempty" tendo:"since=1.1" doc:"osteoporosis diagnosed (DXA T-score ≤ −2.5) or a previous low-trauma fracture"`
	// ExertionalCalfPain: calf pain that comes on with walking, every
	// time, and is absent at rest (v1.1).
	ExertionalCalfPain *bool `json:"exertionalCalfPain,omitempty" tendo:"since=1.1" doc:"calf pain that comes on with walking, every time, and is absent at rest"`
	// ClaudicationDistanceM is the walking distance in metres at which the
	// exertional calf pain starts, 1–10000; requires ExertionalCalfPain
	// true (v1.1).
	ClaudicationDistanceM *float64 `json:"claudicationDistanceM,omitempty" tendo:"min=1,max=10000,unit=m,since=1.1" doc:"walking distance at which the exertional calf pain starts; requires exertionalCalfPain: true"`
	// ReliefOnStandingStill: the exertional pain goes within 10 minutes of
	// standing still (v1.1).
	ReliefOnStandingStill *bool `json:"reliefOnStandingStill,omitempty" tendo:"since=1.1" doc:"the exertional pain goes within 10 minutes of standing still"`
	// ReliefNeedsSittingOrBendingForward: the exertional leg pain eases
	// only on sitting down or bending forward (v1.1).
	ReliefNeedsSittingOrBendingForward *bool `json:"reliefNeedsSittingOrBendingForward,omitempty" tendo:"since=1.1" doc:"the exertional leg pain eases only on sitting down or bending forward"`
	// IschaemicRestPain: foot pain at rest or at night that eases when the
	// leg hangs down (v1.1).
	IschaemicRestPain *bool `json:"ischaemicRestPain,omitempty" tendo:"since=1.1" doc:"foot pain at rest or at night that eases when the leg hangs down"`
}

// Exam is the physical examination. Findings are on the symptomatic side
// unless the field says otherwise.
type Exam struct {
	// Tenderness is the site of Achilles/calf tenderness on palpation.
	Tenderness *Tenderness `json:"tenderness,omitempty" doc:"site of Achilles/calf tenderness on palpation"`
	// TendonThickeningOrNodule: fusiform thickening or a nodule.
	TendonThickeningOrNodule *bool `json:"tendonThickeningOrNodule,omitempty" doc:"tendon thickening or nodule"`
	// ArcSign: the painful swelling moves with the tendon.
	ArcSign *TestResult `json:"arcSign,omitempty" doc:"arc sign"`
	// RoyalLondonTest: tenderness that lessens in dorsiflexion.
	RoyalLondonTest *TestResult `json:"royalLondonTest,omitempty" doc:"Royal London Hospital test"`
	// Crepitus: palpable crepitus along the tendon.
	Crepitus *bool `json:"crepitus,omitempty" doc:"crepitus"`
	// CalfSqueezeTest is the Thompson/Simmonds test: abnormal = no
	// plantarflexion.
	CalfSqueezeTest *SqueezeResult `json:"calfSqueezeTest,omitempty" doc:"Thompson/Simmonds test: abnormal = no plantarflexion"`
	// PalpableGap: a gap felt in the tendon.
	PalpableGap *bool `json:"palpableGap,omitempty" doc:"palpable gap in the tendon"`
	// HeelRaiseReps counts single-leg heel raises to fatigue.
	HeelRaiseReps *HeelRaiseReps `json:"heelRaiseReps,omitempty" doc:"single-leg heel raises to fatigue"`
	// HeelRaisePain: pain on heel raising.
	HeelRaisePain *bool `json:"heelRaisePain,omitempty" doc:"pain on heel raising"`
	// AnkleReflex is the ankle (S1) reflex on the symptomatic side. With
	// Neuro given it must agree with the side named by Assessment.Side
	// (see EffectiveAnkleReflex).
	AnkleReflex *ReflexGrade `json:"ankleReflex,omitempty" doc:"ankle reflex on the symptomatic side"`
	// StraightLegRaise: reproduces leg pain.
	StraightLegRaise *TestResult `json:"straightLegRaise,omitempty" doc:"straight-leg raise reproduces leg pain"`
	// StraightLegRaiseDeg is the angle at which symptoms appear, 0–110°.
	StraightLegRaiseDeg *float64 `json:"straightLegRaiseDeg,omitempty" tendo:"min=0,max=110,unit=deg" doc:"angle at which symptoms appear"`
	// CrossedStraightLegRaise is recorded only as positive or negative.
	CrossedStraightLegRaise *DichotomousResult `json:"crossedStraightLegRaise,omitempty" doc:"crossed straight-leg raise (no equivocal)"`
	// Slump is the slump test.
	Slump *TestResult `json:"slump,omitempty" doc:"slump test"`
	// S1SensoryDeficit: reduced sensation in the S1 dermatome (lateral
	// foot, sole). With Neuro given it must agree (see
	// EffectiveS1SensoryDeficit).
	S1SensoryDeficit *bool `json:"s1SensoryDeficit,omitempty" doc:"reduced sensation in the S1 dermatome (lateral foot, sole)"`
	// PlantarflexionStrengthMRC is the MRC grade, 0–5. With Neuro given it
	// must agree (see EffectivePlantarflexionMRC).
	PlantarflexionStrengthMRC *int `json:"plantarflexionStrengthMrc,omitempty" tendo:"min=0,max=5" doc:"plantarflexion strength, MRC grade"`
	// KneeToWallCm is the weight-bearing dorsiflexion lunge, 0–25 cm.
	KneeToWallCm *float64 `json:"kneeToWallCm,omitempty" tendo:"min=0,max=25,unit=cm" doc:"weight-bearing dorsiflexion lunge"`
	// FootPosture is the standing foot posture.
	FootPosture *FootPosture `json:"footPosture,omitempty" doc:"standing foot posture"`
	// CalfSwellingWarmthOrRedness: any of the three in the calf.
	CalfSwellingWarmthOrRedness *bool `json:"calfSwellingWarmthOrRedness,omitempty" doc:"calf swelling, warmth or redness"`
	// CalfCircumferenceDifferenceCm is affected minus unaffected, 10 cm
	// below the tibial tuberosity, 0–15 cm.
	CalfCircumferenceDifferenceCm *float64 `json:"calfCircumferenceDifferenceCm,omitempty" tendo:"min=0,max=15,unit=cm" doc:"affected minus unaffected, 10 cm below the tibial tuberosity"`
	// PittingEdema: pitting oedema.
	PittingEdema *bool `json:"pittingEdema,omitempty" doc:"pitting oedema"`
	// HeelSqueezePain: pain on medial–lateral compression of the calcaneus.
	HeelSqueezePain *bool `json:"heelSqueezePain,omitempty" doc:"pain on medial–lateral compression of the calcaneus"`

	// Neuro is the neurological examination of each leg (v1.1). It
	// requires Assessment.Side.
	Neuro *Neuro `json:"neuro,omitempty" tendo:"since=1.1" doc:"neurological examination of each leg; either side may be absent; requires the top-level side"`
	// StockingSensoryLoss: symmetrical loss of light touch, pinprick or
	// vibration in both feet, graded distal to proximal (v1.1).
	StockingSensoryLoss *bool `json:"stockingSensoryLoss,omitempty" tendo:"since=1.1" doc:"symmetrical loss of light touch, pinprick or vibration in both feet, graded from distal to proximal"`
	// FocalTendonSwelling: a localised, tender swelling at one level of
	// the tendon that appeared with the current episode (v1.1).
	FocalTendonSwelling *bool `json:"focalTendonSwelling,omitempty" tendo:"since=1.1" doc:"a localised, tender swelling at one level of the tendon that appeared with the current episode; long-standing fusiform thickening stays in tendonThickeningOrNodule"`
	// RetrocalcanealSqueezePain: two-finger squeeze test of the
	// retrocalcaneal bursa (v1.1).
	RetrocalcanealSqueezePain *bool `json:"retrocalcanealSqueezePain,omitempty" tendo:"since=1.1" doc:"two-finger squeeze test: pain on medial–lateral compression of the soft tissue just anterior to the Achilles insertion (retrocalcaneal bursa)"`
	// PosterosuperiorCalcanealProminence: a Haglund prominence (v1.1).
	PosterosuperiorCalcanealProminence *bool `json:"posterosuperiorCalcanealProminence,omitempty" tendo:"since=1.1" doc:"visible or palpable bony prominence at the posterosuperior calcaneus (Haglund)"`
	// PosteriorHeelSwelling: soft-tissue swelling around the insertion
	// (v1.1).
	PosteriorHeelSwelling *bool `json:"posteriorHeelSwelling,omitempty" tendo:"since=1.1" doc:"soft-tissue swelling around the insertion (bursal or peri-insertional), not tendon thickening"`
	// PosteriorHeelWarmth: warmer than the other side (v1.1).
	PosteriorHeelWarmth *bool `json:"posteriorHeelWarmth,omitempty" tendo:"since=1.1" doc:"the posterior heel is warmer than the other side"`
	// PosteriorHeelRedness: erythema over the posterior heel (v1.1).
	PosteriorHeelRedness *bool `json:"posteriorHeelRedness,omitempty" tendo:"since=1.1" doc:"erythema over the posterior heel or insertion"`
	// ForcedPlantarflexionTest: posterior ankle pain on forced passive
	// plantarflexion (v1.1).
	ForcedPlantarflexionTest *TestResult `json:"forcedPlantarflexionTest,omitempty" tendo:"since=1.1" doc:"posterior ankle pain reproduced by forced passive plantarflexion"`
	// PosterolateralTenderness: behind the lateral malleolus, anterior to
	// the Achilles (v1.1).
	PosterolateralTenderness *bool `json:"posterolateralTenderness,omitempty" tendo:"since=1.1" doc:"tenderness behind the lateral malleolus and anterior to the Achilles (posterior talar process)"`
	// PosteromedialMass: a soft posteromedial mass that firms with
	// plantarflexion (accessory soleus) (v1.1).
	PosteromedialMass *bool `json:"posteromedialMass,omitempty" tendo:"since=1.1" doc:"soft mass between the medial malleolus and the Achilles that grows or firms with plantarflexion (accessory soleus)"`
	// PlantarHeelTenderness: at the plantar medial calcaneal tubercle
	// (v1.1).
	PlantarHeelTenderness *bool `json:"plantarHeelTenderness,omitempty" tendo:"since=1.1" doc:"tenderness at the plantar medial calcaneal tubercle (proximal plantar fascia)"`
	// TarsalTunnelTinel: tapping the tibial nerve sends tingling into the
	// sole (v1.1).
	TarsalTunnelTinel *TestResult `json:"tarsalTunnelTinel,omitempty" tendo:"since=1.1" doc:"tapping the tibial nerve behind the medial malleolus sends tingling into the sole"`
	// DorsiflexionEversionTest: the tarsal tunnel provocation test (v1.1).
	DorsiflexionEversionTest *TestResult `json:"dorsiflexionEversionTest,omitempty" tendo:"since=1.1" doc:"passive maximal ankle dorsiflexion and eversion with the toes extended, held 5–10 s, reproduces plantar symptoms (tarsal tunnel)"`
	// SuralNerveTinel: tapping the sural nerve sends tingling into the
	// lateral heel or foot (v1.1).
	SuralNerveTinel *TestResult `json:"suralNerveTinel,omitempty" tendo:"since=1.1" doc:"tapping the sural nerve (lateral to the Achilles, behind the lateral malleolus) sends tingling into the lateral heel or foot"`
	// DorsalisPedisPulse is the dorsalis pedis pulse (v1.1).
	DorsalisPedisPulse *PulseGrade `json:"dorsalisPedisPulse,omitempty" tendo:"since=1.1" doc:"dorsalis pedis pulse"`
	// PosteriorTibialPulse is the posterior tibial pulse (v1.1).
	PosteriorTibialPulse *PulseGrade `json:"posteriorTibialPulse,omitempty" tendo:"since=1.1" doc:"posterior tibial pulse"`
	// ABPI is the ankle–brachial pressure index, a ratio (no unit),
	// 0.00–3.00. Above 1.30 the arteries are likely incompressible (v1.1).
	ABPI *float64 `json:"abpi,omitempty" tendo:"min=0,max=3,since=1.1" doc:"ankle–brachial pressure index: higher ankle systolic pressure on that side ÷ higher brachial systolic pressure; above 1.30 incompressible arteries are likely"`
}

// HeelRaiseReps counts single-leg heel raises to fatigue on each side,
// 0–200 each.
type HeelRaiseReps struct {
	// Affected is the count on the affected side.
	Affected *int `json:"affected,omitempty" tendo:"min=0,max=200" doc:"repetitions on the affected side"`
	// Unaffected is the count on the other side.
	Unaffected *int `json:"unaffected,omitempty" tendo:"min=0,max=200" doc:"repetitions on the unaffected side"`
}

// Neuro is the neurological examination of each leg (v1.1). Either side
// may be absent.
type Neuro struct {
	// Left is the left leg.
	Left *NeuroSide `json:"left,omitempty" tendo:"since=1.1" doc:"the left leg"`
	// Right is the right leg.
	Right *NeuroSide `json:"right,omitempty" tendo:"since=1.1" doc:"the right leg"`
}

// Of returns the given side's examination: Left for SideLeft, Right for
// SideRight, nil otherwise (or when n is nil).
func (n *Neuro) Of(s Side) *NeuroSide {
	switch {
	case n == nil:
		return nil
	case s == SideLeft:
		return n.Left
	case s == SideRight:
		return n.Right
	}
	return nil
}

// NeuroSide is the neurological examination of one leg (v1.1).
type NeuroSide struct {
	// AnkleReflex is the ankle (S1) reflex.
	AnkleReflex *ReflexGrade `json:"ankleReflex,omitempty" tendo:"since=1.1" doc:"ankle reflex (S1)"`
	// KneeReflex is the knee (L4, L3) reflex.
	KneeReflex *ReflexGrade `json:"kneeReflex,omitempty" tendo:"since=1.1" doc:"knee reflex (L4, L3)"`
	// PlantarflexionMRC is plantarflexion strength (S1,
	// gastrocnemius–soleus), MRC grade 0–5.
	PlantarflexionMRC *int `json:"plantarflexionMrc,omitempty" tendo:"min=0,max=5,since=1.1" doc:"plantarflexion strength (S1, gastrocnemius–soleus), MRC grade"`
	// AnkleDorsiflexionMRC is ankle dorsiflexion strength (L4–L5,
	// tibialis anterior), MRC grade 0–5.
	AnkleDorsiflexionMRC *int `json:"ankleDorsiflexionMrc,omitempty" tendo:"min=0,max=5,since=1.1" doc:"ankle dorsiflexion strength (L4–L5, tibialis anterior), MRC grade"`
	// GreatToeExtensionMRC is great-toe extension strength (L5, extensor
	// hallucis longus), MRC grade 0–5.
	GreatToeExtensionMRC *int `json:"greatToeExtensionMrc,omitempty" tendo:"min=0,max=5,since=1.1" doc:"great-toe extension strength (L5, extensor hallucis longus), MRC grade"`
	// Sensation is light touch or pinprick by area.
	Sensation *Sensation `json:"sensation,omitempty" tendo:"since=1.1" doc:"light touch or pinprick in each area (key = the area in camelCase); a missing key = not tested"`
	// HalluxVibration is vibration sense (128-Hz tuning fork) on the great
	// toe.
	HalluxVibration *SensoryGrade `json:"halluxVibration,omitempty" tendo:"since=1.1" doc:"128-Hz tuning fork on the great toe"`
}

// Sensation grades light touch or pinprick in each Area below the knee
// (v1.1); a nil field was not tested. See Grade and SensationKey.
type Sensation struct {
	MedialShin    *SensoryGrade `json:"medialShin,omitempty" tendo:"since=1.1" doc:"medial leg down to the medial ankle (L4, saphenous)"`
	LateralShin   *SensoryGrade `json:"lateralShin,omitempty" tendo:"since=1.1" doc:"anterolateral leg (L5, superficial fibular)"`
	PosteriorCalf *SensoryGrade `json:"posteriorCalf,omitempty" tendo:"since=1.1" doc:"back of the calf (S1–S2, medial sural cutaneous)"`
	DorsalFoot    *SensoryGrade `json:"dorsalFoot,omitempty" tendo:"since=1.1" doc:"dorsum of the foot, first web space, dorsum of the great toe (L5, fibular)"`
	LateralFoot   *SensoryGrade `json:"lateralFoot,omitempty" tendo:"since=1.1" doc:"lateral heel, lateral border of the foot, little toe (S1, sural)"`
	Sole          *SensoryGrade `json:"sole,omitempty" tendo:"since=1.1" doc:"plantar surface of the foot (S1, plantar nerves)"`
	MedialHeel    *SensoryGrade `json:"medialHeel,omitempty" tendo:"since=1.1" doc:"medial and plantar-medial heel (S1, medial calcaneal branch)"`
}

// Grade returns the sensation recorded for an area, or nil when it was
// not tested or the area has no key (the thighs).
func (s *Sensation) Grade(a Area) *SensoryGrade {
	if s == nil {
		return nil
	}
	switch a {
	case AreaMedialShin:
		return s.MedialShin
	case AreaLateralShin:
		return s.LateralShin
	case AreaPosteriorCalf:
		return s.PosteriorCalf
	case AreaDorsalFoot:
		return s.DorsalFoot
	case AreaLateralFoot:
		return s.LateralFoot
	case AreaSole:
		return s.Sole
	case AreaMedialHeel:
		return s.MedialHeel
	}
	return nil
}

// SensationKey returns the key of exam.neuro.*.sensation for an area
// (the area in camelCase: "lateralFoot"), or "" for an area without one.
func SensationKey(a Area) string {
	switch a {
	case AreaMedialShin:
		return "medialShin"
	case AreaLateralShin:
		return "lateralShin"
	case AreaPosteriorCalf:
		return "posteriorCalf"
	case AreaDorsalFoot:
		return "dorsalFoot"
	case AreaLateralFoot:
		return "lateralFoot"
	case AreaSole:
		return "sole"
	case AreaMedialHeel:
		return "medialHeel"
	}
	return ""
}

// PROMs holds the patient-reported outcome measures. Score them with
// ScoreVISAA, ScoreODI, ScoreNPRS and ScoreLEFS, or all at once with
// Scores.
type PROMs struct {
	// VISAA is the VISA-A questionnaire.
	VISAA *VISAA `json:"visaA,omitempty" tendo:"scored" doc:"VISA-A (Victorian Institute of Sport Assessment – Achilles): answers or score; 0–100, higher is better"`
	// ODI is the Oswestry Disability Index.
	ODI *ODI `json:"odi,omitempty" tendo:"scored" doc:"Oswestry Disability Index v2.1a: answers or percent; 0–100, higher is worse"`
	// NPRS is current pain on the 0–10 numeric rating scale.
	NPRS *int `json:"nprs,omitempty" tendo:"min=0,max=10" doc:"current pain, numeric rating scale 0–10"`
	// LEFS is the Lower Extremity Functional Scale.
	LEFS *LEFS `json:"lefs,omitempty" tendo:"scored" doc:"Lower Extremity Functional Scale: answers or score; 0–80, higher is better"`
}

// VISAA is the Victorian Institute of Sport Assessment – Achilles
// questionnaire: either the eight answers or a score already computed
// (0–100). When both are given they must agree.
type VISAA struct {
	// Answers are the eight items in order: items 1–7 as plain points,
	// item 8 as a VISAAItem8.
	Answers []VISAAAnswer `json:"answers,omitempty" tendo:"custom" doc:"the 8 VISA-A items: items 1–6 are 0–10, item 7 is 0, 4, 7 or 10, item 8 is {branch, points}; all 8 are required"`
	// Score is a total computed elsewhere, 0–100.
	Score *int `json:"score,omitempty" tendo:"min=0,max=100" doc:"VISA-A total computed elsewhere; must equal the sum of the answers when both are given"`
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
	Answers []*int `json:"answers,omitempty" tendo:"custom" doc:"the 10 ODI sections, each 0–5 or null if unanswered; at most 2 may be unanswered"`
	// Percent is a score computed elsewhere, 0–100.
	Percent *float64 `json:"percent,omitempty" tendo:"min=0,max=100,unit=%" doc:"ODI percentage computed elsewhere; must be within 0.05 of the answers' score when both are given"`
}

// LEFS is the Lower Extremity Functional Scale: either the twenty answers
// (each 0–4) or a score already computed (0–80). When both are given they
// must agree.
type LEFS struct {
	// Answers are the twenty items in order, each 0–4.
	Answers []int `json:"answers,omitempty" tendo:"custom" doc:"the 20 LEFS items, each 0–4; all 20 are required"`
	// Score is a total computed elsewhere, 0–80.
	Score *int `json:"score,omitempty" tendo:"min=0,max=80" doc:"LEFS total computed elsewhere; must equal the sum of the answers when both are given"`
}

// Gait holds instrumented or observed gait findings. Instrumented values
// come from `tendo gait` and carry their own uncertainty; they are soft
// evidence. Where the contract gives no range, the bounds are tendo's
// physical plausibility limits.
type Gait struct {
	// Source says how the gait findings were obtained.
	Source *GaitSource `json:"source,omitempty" doc:"how the gait findings were obtained"`
	// Antalgic is observed.
	Antalgic *bool `json:"antalgic,omitempty" doc:"antalgic gait (observed)"`
	// ReducedPushOff is observed or derived.
	ReducedPushOff *bool `json:"reducedPushOff,omitempty" doc:"reduced push-off (observed or derived)"`
	// TrunkLean is an observed lateral trunk shift or lean.
	TrunkLean *bool `json:"trunkLean,omitempty" doc:"observed lateral trunk shift or lean"`
	// CadenceStepsPerMin is the cadence in steps per minute, 0–300.
	CadenceStepsPerMin *float64 `json:"cadenceStepsPerMin,omitempty" tendo:"min=0,max=300,unit=steps/min" doc:"cadence (range is tendo's plausibility bound)"`
	// StanceTimeAsymmetryPct is |L−R| / mean × 100, 0–200.
	StanceTimeAsymmetryPct *float64 `json:"stanceTimeAsymmetryPct,omitempty" tendo:"min=0,max=200,unit=%" doc:"|L−R| / mean × 100 (200 is the arithmetic maximum)"`
	// PeakAnklePlantarflexorMomentNmPerKg is on the affected side, in
	// stance, in N·m/kg, 0–10.
	PeakAnklePlantarflexorMomentNmPerKg *float64 `json:"peakAnklePlantarflexorMomentNmPerKg,omitempty" tendo:"min=0,max=10,unit=N·m/kg" doc:"affected side, stance (range is tendo's plausibility bound)"`
	// PeakAchillesForceBW is on the affected side, in body weights, 0–20.
	PeakAchillesForceBW *float64 `json:"peakAchillesForceBw,omitempty" tendo:"min=0,max=20,unit=body weights" doc:"affected side (range is tendo's plausibility bound)"`
	// PelvicRotationRangeDeg is the transverse-plane range over a gait
	// cycle, in degrees, 0–90.
	PelvicRotationRangeDeg *float64 `json:"pelvicRotationRangeDeg,omitempty" tendo:"min=0,max=90,unit=deg" doc:"transverse plane, over a gait cycle (range is tendo's plausibility bound)"`
}

// Imaging holds the results of imaging already done, of the symptomatic
// side (v1.1). Imaging findings are soft evidence weighted by their
// accuracy; a nil object was not done.
type Imaging struct {
	// Ultrasound is an Achilles ultrasound.
	Ultrasound *Ultrasound `json:"ultrasound,omitempty" tendo:"since=1.1" doc:"Achilles ultrasound"`
	// AnkleMRI is an ankle MRI.
	AnkleMRI *AnkleMRI `json:"ankleMri,omitempty" tendo:"since=1.1" doc:"ankle MRI"`
	// LumbarMRI is a lumbar spine MRI.
	LumbarMRI *LumbarMRI `json:"lumbarMri,omitempty" tendo:"since=1.1" doc:"lumbar spine MRI"`
	// Radiograph is a lateral ankle/heel radiograph.
	Radiograph *Radiograph `json:"radiograph,omitempty" tendo:"since=1.1" doc:"lateral ankle/heel radiograph"`
}

// Ultrasound is an Achilles ultrasound (v1.1).
type Ultrasound struct {
	// TendonThicknessMm is the anteroposterior thickness at the thickest
	// point, in millimetres.
	TendonThicknessMm *TendonThickness `json:"tendonThicknessMm,omitempty" tendo:"since=1.1" doc:"anteroposterior tendon thickness at the thickest point; unaffected may be absent"`
	// HypoechoicArea: a focal hypoechoic area or loss of the fibrillar
	// pattern.
	HypoechoicArea *bool `json:"hypoechoicArea,omitempty" tendo:"since=1.1" doc:"focal hypoechoic area or loss of the fibrillar pattern in the tendon"`
	// Neovascularisation: Doppler flow inside the tendon.
	Neovascularisation *bool `json:"neovascularisation,omitempty" tendo:"since=1.1" doc:"Doppler flow inside the tendon"`
	// Tear is fibre discontinuity through part or all of the
	// cross-section.
	Tear *TearGrade `json:"tear,omitempty" tendo:"since=1.1" doc:"fibre discontinuity through part of the cross-section, or all of it"`
	// RetrocalcanealBursalFluid: a distended retrocalcaneal bursa.
	RetrocalcanealBursalFluid *bool `json:"retrocalcanealBursalFluid,omitempty" tendo:"since=1.1" doc:"distended retrocalcaneal bursa"`
	// UrateDeposits: tophus, hyperechoic aggregates or double contour
	// (OMERACT definitions).
	UrateDeposits *bool `json:"urateDeposits,omitempty" tendo:"since=1.1" doc:"tophus, hyperechoic aggregates or double contour at the tendon or enthesis (OMERACT definitions)"`
}

// TendonThickness is the Achilles thickness on each side, in millimetres,
// 1.0–30.0 each (v1.1).
type TendonThickness struct {
	// Affected is the symptomatic side, in mm.
	Affected *float64 `json:"affected,omitempty" tendo:"min=1,max=30,unit=mm,since=1.1" doc:"thickness on the affected side"`
	// Unaffected is the other side, in mm.
	Unaffected *float64 `json:"unaffected,omitempty" tendo:"min=1,max=30,unit=mm,since=1.1" doc:"thickness on the unaffected side"`
}

// AnkleMRI is an ankle MRI (v1.1).
type AnkleMRI struct {
	// Tendon is the Achilles tendon.
	Tendon *MRITendon `json:"tendon,omitempty" tendo:"since=1.1" doc:"Achilles tendon"`
	// CalcanealBoneOedema: bone marrow oedema in the calcaneus.
	CalcanealBoneOedema *bool `json:"calcanealBoneOedema,omitempty" tendo:"since=1.1" doc:"bone marrow oedema in the calcaneus"`
	// CalcanealFractureLine: a fracture line in the calcaneus.
	CalcanealFractureLine *bool `json:"calcanealFractureLine,omitempty" tendo:"since=1.1" doc:"fracture line in the calcaneus"`
	// PosteriorTalarOedema: oedema of the posterior talar process or os
	// trigonum.
	PosteriorTalarOedema *bool `json:"posteriorTalarOedema,omitempty" tendo:"since=1.1" doc:"oedema of the posterior talar process or os trigonum"`
	// RetrocalcanealBursitis: fluid or synovitis in the bursa.
	RetrocalcanealBursitis *bool `json:"retrocalcanealBursitis,omitempty" tendo:"since=1.1" doc:"fluid or synovitis in the retrocalcaneal bursa"`
	// AccessorySoleus: an accessory soleus muscle in Kager's fat pad.
	AccessorySoleus *bool `json:"accessorySoleus,omitempty" tendo:"since=1.1" doc:"accessory soleus muscle in Kager's fat pad"`
}

// LumbarMRI is a lumbar spine MRI (v1.1).
type LumbarMRI struct {
	// RootCompression lists the nerve roots contacted, displaced or
	// compressed: nil = not reported, empty = MRI done, no root
	// compression.
	RootCompression []RootCompression `json:"rootCompression,omitzero" tendo:"since=1.1" doc:"nerve roots contacted, displaced or compressed (disc or stenosis); [] = MRI done, no root compression"`
}

// RootCompression is one nerve root compressed on lumbar MRI (v1.1).
type RootCompression struct {
	// Root is the nerve root.
	Root Root `json:"root" tendo:"required,since=1.1" doc:"the nerve root"`
	// Side is the side of the compression.
	Side RootSide `json:"side" tendo:"required,since=1.1" doc:"the side of the compression"`
}

// Radiograph is a lateral ankle/heel radiograph (v1.1).
type Radiograph struct {
	// CalcanealFractureLine: a sclerotic band or fracture line.
	CalcanealFractureLine *bool `json:"calcanealFractureLine,omitempty" tendo:"since=1.1" doc:"sclerotic band or fracture line in the calcaneus"`
	// OsTrigonumOrStiedaProcess: os trigonum or an enlarged posterolateral
	// talar process.
	OsTrigonumOrStiedaProcess *bool `json:"osTrigonumOrStiedaProcess,omitempty" tendo:"since=1.1" doc:"os trigonum or enlarged posterolateral talar process"`
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

// SensoryGrade grades sensation or vibration sense (v1.1): the same
// values as ReflexGrade (normal, reduced, absent), of which it is an alias.
type SensoryGrade = ReflexGrade

// Area is a place on the leg (v1.1). An area is evidence for a root or a
// nerve, never proof of it: dermatomes overlap and vary.
type Area string

// Areas, in contract order, with their root (dermatome) and peripheral
// nerve.
const (
	AreaAnteriorThigh  Area = "anterior-thigh"  // L2–L4, femoral branches
	AreaPosteriorThigh Area = "posterior-thigh" // S1–S2, posterior femoral cutaneous
	AreaMedialShin     Area = "medial-shin"     // L4, saphenous
	AreaLateralShin    Area = "lateral-shin"    // L5, superficial fibular
	AreaPosteriorCalf  Area = "posterior-calf"  // S1–S2, medial sural cutaneous
	AreaDorsalFoot     Area = "dorsal-foot"     // L5, superficial and deep fibular
	AreaLateralFoot    Area = "lateral-foot"    // S1, sural
	AreaSole           Area = "sole"            // S1, medial and lateral plantar
	AreaMedialHeel     Area = "medial-heel"     // S1, medial calcaneal branch
)

// AreaValues returns the allowed values of Area.
func AreaValues() []Area {
	return []Area{AreaAnteriorThigh, AreaPosteriorThigh, AreaMedialShin, AreaLateralShin, AreaPosteriorCalf,
		AreaDorsalFoot, AreaLateralFoot, AreaSole, AreaMedialHeel}
}

// Valid reports whether a is an allowed value.
func (a Area) Valid() bool { return oneOf(a, AreaValues()) }

// BelowKnee reports whether the area is below the knee: every area but
// the thighs.
func (a Area) BelowKnee() bool {
	return a.Valid() && a != AreaAnteriorThigh && a != AreaPosteriorThigh
}

// Smoking is tobacco smoking (v1.1).
type Smoking string

// Smoking statuses.
const (
	SmokingNever   Smoking = "never"
	SmokingFormer  Smoking = "former"
	SmokingCurrent Smoking = "current"
)

// SmokingValues returns the allowed values of Smoking.
func SmokingValues() []Smoking { return []Smoking{SmokingNever, SmokingFormer, SmokingCurrent} }

// Valid reports whether s is an allowed value.
func (s Smoking) Valid() bool { return oneOf(s, SmokingValues()) }

// PulseGrade grades a palpated foot pulse (v1.1).
type PulseGrade string

// Pulse grades.
const (
	PulsePresent PulseGrade = "present"
	PulseReduced PulseGrade = "reduced"
	PulseAbsent  PulseGrade = "absent"
)

// PulseGradeValues returns the allowed values of PulseGrade.
func PulseGradeValues() []PulseGrade { return []PulseGrade{PulsePresent, PulseReduced, PulseAbsent} }

// Valid reports whether g is an allowed value.
func (g PulseGrade) Valid() bool { return oneOf(g, PulseGradeValues()) }

// TearGrade is an Achilles tear seen on ultrasound (v1.1).
type TearGrade string

// Tear grades.
const (
	TearNone          TearGrade = "none"
	TearPartial       TearGrade = "partial"
	TearFullThickness TearGrade = "full-thickness"
)

// TearGradeValues returns the allowed values of TearGrade.
func TearGradeValues() []TearGrade { return []TearGrade{TearNone, TearPartial, TearFullThickness} }

// Valid reports whether g is an allowed value.
func (g TearGrade) Valid() bool { return oneOf(g, TearGradeValues()) }

// MRITendon is the Achilles tendon on ankle MRI (v1.1).
type MRITendon string

// MRI tendon findings.
const (
	MRITendonNormal            MRITendon = "normal"
	MRITendonTendinopathy      MRITendon = "tendinopathy"
	MRITendonPartialTear       MRITendon = "partial-tear"
	MRITendonFullThicknessTear MRITendon = "full-thickness-tear"
)

// MRITendonValues returns the allowed values of MRITendon.
func MRITendonValues() []MRITendon {
	return []MRITendon{MRITendonNormal, MRITendonTendinopathy, MRITendonPartialTear, MRITendonFullThicknessTear}
}

// Valid reports whether t is an allowed value.
func (t MRITendon) Valid() bool { return oneOf(t, MRITendonValues()) }

// Root is a lumbosacral nerve root (v1.1).
type Root string

// Roots.
const (
	RootL4 Root = "L4"
	RootL5 Root = "L5"
	RootS1 Root = "S1"
)

// RootValues returns the allowed values of Root.
func RootValues() []Root { return []Root{RootL4, RootL5, RootS1} }

// Valid reports whether r is an allowed value.
func (r Root) Valid() bool { return oneOf(r, RootValues()) }

// RootSide is the side of a nerve-root compression on lumbar MRI (v1.1).
type RootSide string

// Root sides.
const (
	RootSideLeft      RootSide = "left"
	RootSideRight     RootSide = "right"
	RootSideBilateral RootSide = "bilateral"
)

// RootSideValues returns the allowed values of RootSide.
func RootSideValues() []RootSide { return []RootSide{RootSideLeft, RootSideRight, RootSideBilateral} }

// Valid reports whether s is an allowed value.
func (s RootSide) Valid() bool { return oneOf(s, RootSideValues()) }

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

package fhir

// RiskAssessment is an estimate of the likely outcomes for a patient (R4
// RiskAssessment): tendo's probabilities of each diagnosis with their
// ranges. contained stays in Extra.
//
// R4 does not settle whether probabilityDecimal is a fraction (0–1) or a
// percentage: its definition and invariant ras-2 (at most 100) say
// percentage, while the official examples write fractions (0.02). Invariant
// ras-1 is firm for probabilityRange: low and high are percentages, code %
// in UCUM (http://unitsofmeasure.org). The package writes what it is given;
// the mapping chooses, and percentages throughout meet both invariants.
type RiskAssessment struct {
	ID                 string                     `json:"id"`
	Meta               *Meta                      `json:"meta"`
	ImplicitRules      string                     `json:"implicitRules"`
	Language           string                     `json:"language"`
	Text               *Narrative                 `json:"text"`
	Extension          []Extension                `json:"extension"`
	ModifierExtension  []Extension                `json:"modifierExtension"`
	Identifier         []Identifier               `json:"identifier"`
	BasedOn            *Reference                 `json:"basedOn"`
	Parent             *Reference                 `json:"parent"`
	Status             string                     `json:"status"` // registered | preliminary | final | amended | corrected | cancelled | entered-in-error | unknown
	Method             *CodeableConcept           `json:"method"`
	Code               *CodeableConcept           `json:"code"`
	Subject            *Reference                 `json:"subject"`
	Encounter          *Reference                 `json:"encounter"`
	OccurrenceDateTime string                     `json:"occurrenceDateTime"`
	OccurrencePeriod   *Period                    `json:"occurrencePeriod"`
	Condition          *Reference                 `json:"condition"`
	Performer          *Reference                 `json:"performer"`
	ReasonCode         []CodeableConcept          `json:"reasonCode"`
	ReasonReference    []Reference                `json:"reasonReference"`
	Basis              []Reference                `json:"basis"`
	Prediction         []RiskAssessmentPrediction `json:"prediction"`
	Mitigation         string                     `json:"mitigation"`
	Note               []Annotation               `json:"note"`
	Extra              Extra
}

// RiskAssessmentPrediction is one possible outcome with its likelihood (R4
// RiskAssessment.prediction).
type RiskAssessmentPrediction struct {
	ID                 string           `json:"id"`
	Extension          []Extension      `json:"extension"`
	ModifierExtension  []Extension      `json:"modifierExtension"`
	Outcome            *CodeableConcept `json:"outcome"`
	ProbabilityDecimal Decimal          `json:"probabilityDecimal"`
	ProbabilityRange   *Range           `json:"probabilityRange"`
	QualitativeRisk    *CodeableConcept `json:"qualitativeRisk"`
	RelativeRisk       Decimal          `json:"relativeRisk"`
	WhenPeriod         *Period          `json:"whenPeriod"`
	WhenRange          *Range           `json:"whenRange"`
	Rationale          string           `json:"rationale"`
	Extra              Extra
}

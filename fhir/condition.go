package fhir

// Condition is a clinical condition, problem or diagnosis (R4 Condition):
// tendo's classification, provisional until confirmed. contained stays in
// Extra.
type Condition struct {
	ID                 string              `json:"id"`
	Meta               *Meta               `json:"meta"`
	ImplicitRules      string              `json:"implicitRules"`
	Language           string              `json:"language"`
	Text               *Narrative          `json:"text"`
	Extension          []Extension         `json:"extension"`
	ModifierExtension  []Extension         `json:"modifierExtension"`
	Identifier         []Identifier        `json:"identifier"`
	ClinicalStatus     *CodeableConcept    `json:"clinicalStatus"`
	VerificationStatus *CodeableConcept    `json:"verificationStatus"`
	Category           []CodeableConcept   `json:"category"`
	Severity           *CodeableConcept    `json:"severity"`
	Code               *CodeableConcept    `json:"code"`
	BodySite           []CodeableConcept   `json:"bodySite"`
	Subject            *Reference          `json:"subject"`
	Encounter          *Reference          `json:"encounter"`
	OnsetDateTime      string              `json:"onsetDateTime"`
	OnsetAge           *Quantity           `json:"onsetAge"`
	OnsetPeriod        *Period             `json:"onsetPeriod"`
	OnsetRange         *Range              `json:"onsetRange"`
	OnsetString        string              `json:"onsetString"`
	AbatementDateTime  string              `json:"abatementDateTime"`
	AbatementAge       *Quantity           `json:"abatementAge"`
	AbatementPeriod    *Period             `json:"abatementPeriod"`
	AbatementRange     *Range              `json:"abatementRange"`
	AbatementString    string              `json:"abatementString"`
	RecordedDate       string              `json:"recordedDate"` // FHIR dateTime
	Recorder           *Reference          `json:"recorder"`
	Asserter           *Reference          `json:"asserter"`
	Stage              []ConditionStage    `json:"stage"`
	Evidence           []ConditionEvidence `json:"evidence"`
	Note               []Annotation        `json:"note"`
	Extra              Extra
}

// ConditionStage is a stage or grade of a condition (R4 Condition.stage).
type ConditionStage struct {
	ID                string           `json:"id"`
	Extension         []Extension      `json:"extension"`
	ModifierExtension []Extension      `json:"modifierExtension"`
	Summary           *CodeableConcept `json:"summary"`
	Assessment        []Reference      `json:"assessment"`
	Type              *CodeableConcept `json:"type"`
	Extra             Extra
}

// ConditionEvidence is what supports the condition: manifestations, symptoms
// or findings (R4 Condition.evidence).
type ConditionEvidence struct {
	ID                string            `json:"id"`
	Extension         []Extension       `json:"extension"`
	ModifierExtension []Extension       `json:"modifierExtension"`
	Code              []CodeableConcept `json:"code"`
	Detail            []Reference       `json:"detail"`
	Extra             Extra
}

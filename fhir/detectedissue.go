package fhir

// DetectedIssue is a clinical issue found with an action for a patient, such
// as a drug interaction (R4 DetectedIssue): tendo's fluoroquinolone warning.
// contained stays in Extra.
type DetectedIssue struct {
	ID                 string                    `json:"id"`
	Meta               *Meta                     `json:"meta"`
	ImplicitRules      string                    `json:"implicitRules"`
	Language           string                    `json:"language"`
	Text               *Narrative                `json:"text"`
	Extension          []Extension               `json:"extension"`
	ModifierExtension  []Extension               `json:"modifierExtension"`
	Identifier         []Identifier              `json:"identifier"`
	Status             string                    `json:"status"` // registered | preliminary | final | amended | …
	Code               *CodeableConcept          `json:"code"`
	Severity           string                    `json:"severity"` // high | moderate | low
	Patient            *Reference                `json:"patient"`
	IdentifiedDateTime string                    `json:"identifiedDateTime"`
	IdentifiedPeriod   *Period                   `json:"identifiedPeriod"`
	Author             *Reference                `json:"author"`
	Implicated         []Reference               `json:"implicated"`
	Evidence           []DetectedIssueEvidence   `json:"evidence"`
	Detail             string                    `json:"detail"`
	Reference          string                    `json:"reference"` // URI of the authority for the issue
	Mitigation         []DetectedIssueMitigation `json:"mitigation"`
	Extra              Extra
}

// DetectedIssueEvidence is what supports the issue (R4
// DetectedIssue.evidence).
type DetectedIssueEvidence struct {
	ID                string            `json:"id"`
	Extension         []Extension       `json:"extension"`
	ModifierExtension []Extension       `json:"modifierExtension"`
	Code              []CodeableConcept `json:"code"`
	Detail            []Reference       `json:"detail"`
	Extra             Extra
}

// DetectedIssueMitigation is an action taken or proposed to reduce the risk
// (R4 DetectedIssue.mitigation).
type DetectedIssueMitigation struct {
	ID                string           `json:"id"`
	Extension         []Extension      `json:"extension"`
	ModifierExtension []Extension      `json:"modifierExtension"`
	Action            *CodeableConcept `json:"action"`
	Date              string           `json:"date"` // FHIR dateTime
	Author            *Reference       `json:"author"`
	Extra             Extra
}

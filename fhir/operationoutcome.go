package fhir

// OperationOutcome reports the errors, warnings and information of an
// operation (R4 OperationOutcome).
type OperationOutcome struct {
	ID                string                  `json:"id"`
	Meta              *Meta                   `json:"meta"`
	ImplicitRules     string                  `json:"implicitRules"`
	Language          string                  `json:"language"`
	Text              *Narrative              `json:"text"`
	Extension         []Extension             `json:"extension"`
	ModifierExtension []Extension             `json:"modifierExtension"`
	Issue             []OperationOutcomeIssue `json:"issue"`
	Extra             Extra
}

// OperationOutcomeIssue is one error, warning or note (R4
// OperationOutcome.issue). Expression locates it by FHIRPath.
type OperationOutcomeIssue struct {
	ID                string           `json:"id"`
	Extension         []Extension      `json:"extension"`
	ModifierExtension []Extension      `json:"modifierExtension"`
	Severity          string           `json:"severity"` // fatal | error | warning | information
	Code              string           `json:"code"`     // invalid | structure | required | value | …
	Details           *CodeableConcept `json:"details"`
	Diagnostics       string           `json:"diagnostics"`
	Location          []string         `json:"location"` // deprecated XPath
	Expression        []string         `json:"expression"`
	Extra             Extra
}

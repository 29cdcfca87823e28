package fhir

// Flag is a warning about a patient for those who care for them (R4 Flag):
// each of tendo's red flags. contained stays in Extra.
type Flag struct {
	ID                string            `json:"id"`
	Meta              *Meta             `json:"meta"`
	ImplicitRules     string            `json:"implicitRules"`
	Language          string            `json:"language"`
	Text              *Narrative        `json:"text"`
	Extension         []Extension       `json:"extension"`
	ModifierExtension []Extension       `json:"modifierExtension"`
	Identifier        []Identifier      `json:"identifier"`
	Status            string            `json:"status"` // active | inactive | entered-in-error
	Category          []CodeableConcept `json:"category"`
	Code              *CodeableConcept  `json:"code"`
	Subject           *Reference        `json:"subject"`
	Period            *Period           `json:"period"`
	Encounter         *Reference        `json:"encounter"`
	Author            *Reference        `json:"author"`
	Extra             Extra
}

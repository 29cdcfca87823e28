package fhir

// Patient is a person receiving care (R4 Patient). Elements without a field
// (telecom, address, deceased[x], contact, communication, contained, …) are
// kept in Extra.
type Patient struct {
	ID                   string       `json:"id"`
	Meta                 *Meta        `json:"meta"`
	ImplicitRules        string       `json:"implicitRules"`
	Language             string       `json:"language"`
	Text                 *Narrative   `json:"text"`
	Extension            []Extension  `json:"extension"`
	ModifierExtension    []Extension  `json:"modifierExtension"`
	Identifier           []Identifier `json:"identifier"`
	Active               *bool        `json:"active"`
	Name                 []HumanName  `json:"name"`
	Gender               string       `json:"gender"`    // male | female | other | unknown
	BirthDate            string       `json:"birthDate"` // FHIR date: YYYY, YYYY-MM or YYYY-MM-DD
	GeneralPractitioner  []Reference  `json:"generalPractitioner"`
	ManagingOrganization *Reference   `json:"managingOrganization"`
	Extra                Extra
}

package fhir

// QuestionnaireResponse is a completed or partial set of answers to a
// questionnaire (R4 QuestionnaireResponse).
type QuestionnaireResponse struct {
	ID                string                      `json:"id"`
	Meta              *Meta                       `json:"meta"`
	ImplicitRules     string                      `json:"implicitRules"`
	Language          string                      `json:"language"`
	Text              *Narrative                  `json:"text"`
	Extension         []Extension                 `json:"extension"`
	ModifierExtension []Extension                 `json:"modifierExtension"`
	Identifier        *Identifier                 `json:"identifier"`
	BasedOn           []Reference                 `json:"basedOn"`
	PartOf            []Reference                 `json:"partOf"`
	Questionnaire     string                      `json:"questionnaire"` // canonical URL of the Questionnaire
	Status            string                      `json:"status"`        // in-progress | completed | amended | entered-in-error | stopped
	Subject           *Reference                  `json:"subject"`
	Encounter         *Reference                  `json:"encounter"`
	Authored          string                      `json:"authored"` // FHIR dateTime
	Author            *Reference                  `json:"author"`
	Source            *Reference                  `json:"source"`
	Item              []QuestionnaireResponseItem `json:"item"`
	Extra             Extra
}

// QuestionnaireResponseItem is a group or question with its answers (R4
// QuestionnaireResponse.item).
type QuestionnaireResponseItem struct {
	ID                string                        `json:"id"`
	Extension         []Extension                   `json:"extension"`
	ModifierExtension []Extension                   `json:"modifierExtension"`
	LinkID            string                        `json:"linkId"`
	Definition        string                        `json:"definition"`
	Text              string                        `json:"text"`
	Answer            []QuestionnaireResponseAnswer `json:"answer"`
	Item              []QuestionnaireResponseItem   `json:"item"`
	Extra             Extra
}

// QuestionnaireResponseAnswer is one answer to a question (R4
// QuestionnaireResponse.item.answer); valueAttachment stays in Extra.
type QuestionnaireResponseAnswer struct {
	ID                string                      `json:"id"`
	Extension         []Extension                 `json:"extension"`
	ModifierExtension []Extension                 `json:"modifierExtension"`
	ValueBoolean      *bool                       `json:"valueBoolean"`
	ValueDecimal      Decimal                     `json:"valueDecimal"`
	ValueInteger      *int64                      `json:"valueInteger"`
	ValueDate         string                      `json:"valueDate"`
	ValueDateTime     string                      `json:"valueDateTime"`
	ValueTime         string                      `json:"valueTime"`
	ValueString       string                      `json:"valueString"`
	ValueURI          string                      `json:"valueUri"`
	ValueCoding       *Coding                     `json:"valueCoding"`
	ValueQuantity     *Quantity                   `json:"valueQuantity"`
	ValueReference    *Reference                  `json:"valueReference"`
	Item              []QuestionnaireResponseItem `json:"item"`
	Extra             Extra
}

package fhir

// Questionnaire is a structured set of questions (R4 Questionnaire): the
// forms tendo asks (VISA-A, ODI, NPRS, LEFS). contact, useContext and
// contained stay in Extra.
type Questionnaire struct {
	ID                string              `json:"id"`
	Meta              *Meta               `json:"meta"`
	ImplicitRules     string              `json:"implicitRules"`
	Language          string              `json:"language"`
	Text              *Narrative          `json:"text"`
	Extension         []Extension         `json:"extension"`
	ModifierExtension []Extension         `json:"modifierExtension"`
	URL               string              `json:"url"` // canonical URL
	Identifier        []Identifier        `json:"identifier"`
	Version           string              `json:"version"`
	Name              string              `json:"name"`
	Title             string              `json:"title"`
	DerivedFrom       []string            `json:"derivedFrom"` // canonical URLs
	Status            string              `json:"status"`      // draft | active | retired | unknown
	Experimental      *bool               `json:"experimental"`
	SubjectType       []string            `json:"subjectType"` // resource type names
	Date              string              `json:"date"`        // FHIR dateTime
	Publisher         string              `json:"publisher"`
	Description       string              `json:"description"` // markdown
	Jurisdiction      []CodeableConcept   `json:"jurisdiction"`
	Purpose           string              `json:"purpose"`   // markdown
	Copyright         string              `json:"copyright"` // markdown
	ApprovalDate      string              `json:"approvalDate"`
	LastReviewDate    string              `json:"lastReviewDate"`
	EffectivePeriod   *Period             `json:"effectivePeriod"`
	Code              []Coding            `json:"code"`
	Item              []QuestionnaireItem `json:"item"`
	Extra             Extra
}

// QuestionnaireItem is a question or a group of questions (R4
// Questionnaire.item); groups nest.
type QuestionnaireItem struct {
	ID                string                      `json:"id"`
	Extension         []Extension                 `json:"extension"`
	ModifierExtension []Extension                 `json:"modifierExtension"`
	LinkID            string                      `json:"linkId"`
	Definition        string                      `json:"definition"`
	Code              []Coding                    `json:"code"`
	Prefix            string                      `json:"prefix"`
	Text              string                      `json:"text"`
	Type              string                      `json:"type"` // group | display | boolean | decimal | integer | date | dateTime | time | string | text | url | choice | open-choice | attachment | reference | quantity
	EnableWhen        []QuestionnaireEnableWhen   `json:"enableWhen"`
	EnableBehavior    string                      `json:"enableBehavior"` // all | any
	Required          *bool                       `json:"required"`
	Repeats           *bool                       `json:"repeats"`
	ReadOnly          *bool                       `json:"readOnly"`
	MaxLength         *int64                      `json:"maxLength"`
	AnswerValueSet    string                      `json:"answerValueSet"` // canonical URL of a ValueSet
	AnswerOption      []QuestionnaireAnswerOption `json:"answerOption"`
	Initial           []QuestionnaireInitial      `json:"initial"`
	Item              []QuestionnaireItem         `json:"item"`
	Extra             Extra
}

// QuestionnaireEnableWhen shows an item only when another question has a
// given answer (R4 Questionnaire.item.enableWhen).
type QuestionnaireEnableWhen struct {
	ID                string      `json:"id"`
	Extension         []Extension `json:"extension"`
	ModifierExtension []Extension `json:"modifierExtension"`
	Question          string      `json:"question"` // linkId of the question
	Operator          string      `json:"operator"` // exists | = | != | > | < | >= | <=
	AnswerBoolean     *bool       `json:"answerBoolean"`
	AnswerDecimal     Decimal     `json:"answerDecimal"`
	AnswerInteger     *int64      `json:"answerInteger"`
	AnswerDate        string      `json:"answerDate"`
	AnswerDateTime    string      `json:"answerDateTime"`
	AnswerTime        string      `json:"answerTime"`
	AnswerString      string      `json:"answerString"`
	AnswerCoding      *Coding     `json:"answerCoding"`
	AnswerQuantity    *Quantity   `json:"answerQuantity"`
	AnswerReference   *Reference  `json:"answerReference"`
	Extra             Extra
}

// QuestionnaireAnswerOption is one permitted answer (R4
// Questionnaire.item.answerOption).
type QuestionnaireAnswerOption struct {
	ID                string      `json:"id"`
	Extension         []Extension `json:"extension"`
	ModifierExtension []Extension `json:"modifierExtension"`
	ValueInteger      *int64      `json:"valueInteger"`
	ValueDate         string      `json:"valueDate"`
	ValueTime         string      `json:"valueTime"`
	ValueString       string      `json:"valueString"`
	ValueCoding       *Coding     `json:"valueCoding"`
	ValueReference    *Reference  `json:"valueReference"`
	InitialSelected   *bool       `json:"initialSelected"`
	Extra             Extra
}

// QuestionnaireInitial is an answer given before the user answers (R4
// Questionnaire.item.initial); valueAttachment stays in Extra.
type QuestionnaireInitial struct {
	ID                string      `json:"id"`
	Extension         []Extension `json:"extension"`
	ModifierExtension []Extension `json:"modifierExtension"`
	ValueBoolean      *bool       `json:"valueBoolean"`
	ValueDecimal      Decimal     `json:"valueDecimal"`
	ValueInteger      *int64      `json:"valueInteger"`
	ValueDate         string      `json:"valueDate"`
	ValueDateTime     string      `json:"valueDateTime"`
	ValueTime         string      `json:"valueTime"`
	ValueString       string      `json:"valueString"`
	ValueURI          string      `json:"valueUri"`
	ValueCoding       *Coding     `json:"valueCoding"`
	ValueQuantity     *Quantity   `json:"valueQuantity"`
	ValueReference    *Reference  `json:"valueReference"`
	Extra             Extra
}

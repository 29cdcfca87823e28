package fhir

// ServiceRequest is a request for a service such as imaging or a referral
// (R4 ServiceRequest): what a CDS Hooks suggestion of tendo creates.
// contained stays in Extra.
type ServiceRequest struct {
	ID                      string            `json:"id"`
	Meta                    *Meta             `json:"meta"`
	ImplicitRules           string            `json:"implicitRules"`
	Language                string            `json:"language"`
	Text                    *Narrative        `json:"text"`
	Extension               []Extension       `json:"extension"`
	ModifierExtension       []Extension       `json:"modifierExtension"`
	Identifier              []Identifier      `json:"identifier"`
	InstantiatesCanonical   []string          `json:"instantiatesCanonical"`
	InstantiatesURI         []string          `json:"instantiatesUri"`
	BasedOn                 []Reference       `json:"basedOn"`
	Replaces                []Reference       `json:"replaces"`
	Requisition             *Identifier       `json:"requisition"`
	Status                  string            `json:"status"` // draft | active | on-hold | revoked | completed | entered-in-error | unknown
	Intent                  string            `json:"intent"` // proposal | plan | directive | order | original-order | reflex-order | filler-order | instance-order | option
	Category                []CodeableConcept `json:"category"`
	Priority                string            `json:"priority"` // routine | urgent | asap | stat
	DoNotPerform            *bool             `json:"doNotPerform"`
	Code                    *CodeableConcept  `json:"code"`
	OrderDetail             []CodeableConcept `json:"orderDetail"`
	QuantityQuantity        *Quantity         `json:"quantityQuantity"`
	QuantityRatio           *Ratio            `json:"quantityRatio"`
	QuantityRange           *Range            `json:"quantityRange"`
	Subject                 *Reference        `json:"subject"`
	Encounter               *Reference        `json:"encounter"`
	OccurrenceDateTime      string            `json:"occurrenceDateTime"`
	OccurrencePeriod        *Period           `json:"occurrencePeriod"`
	OccurrenceTiming        *Timing           `json:"occurrenceTiming"`
	AsNeededBoolean         *bool             `json:"asNeededBoolean"`
	AsNeededCodeableConcept *CodeableConcept  `json:"asNeededCodeableConcept"`
	AuthoredOn              string            `json:"authoredOn"` // FHIR dateTime
	Requester               *Reference        `json:"requester"`
	PerformerType           *CodeableConcept  `json:"performerType"`
	Performer               []Reference       `json:"performer"`
	LocationCode            []CodeableConcept `json:"locationCode"`
	LocationReference       []Reference       `json:"locationReference"`
	ReasonCode              []CodeableConcept `json:"reasonCode"`
	ReasonReference         []Reference       `json:"reasonReference"`
	Insurance               []Reference       `json:"insurance"`
	SupportingInfo          []Reference       `json:"supportingInfo"`
	Specimen                []Reference       `json:"specimen"`
	BodySite                []CodeableConcept `json:"bodySite"`
	Note                    []Annotation      `json:"note"`
	PatientInstruction      string            `json:"patientInstruction"`
	RelevantHistory         []Reference       `json:"relevantHistory"`
	Extra                   Extra
}

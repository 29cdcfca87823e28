package fhir

// CarePlan is the plan of care for a patient (R4 CarePlan): tendo's
// management plan with its activities. contained stays in Extra.
type CarePlan struct {
	ID                    string             `json:"id"`
	Meta                  *Meta              `json:"meta"`
	ImplicitRules         string             `json:"implicitRules"`
	Language              string             `json:"language"`
	Text                  *Narrative         `json:"text"`
	Extension             []Extension        `json:"extension"`
	ModifierExtension     []Extension        `json:"modifierExtension"`
	Identifier            []Identifier       `json:"identifier"`
	InstantiatesCanonical []string           `json:"instantiatesCanonical"`
	InstantiatesURI       []string           `json:"instantiatesUri"`
	BasedOn               []Reference        `json:"basedOn"`
	Replaces              []Reference        `json:"replaces"`
	PartOf                []Reference        `json:"partOf"`
	Status                string             `json:"status"` // draft | active | on-hold | revoked | completed | entered-in-error | unknown
	Intent                string             `json:"intent"` // proposal | plan | order | option
	Category              []CodeableConcept  `json:"category"`
	Title                 string             `json:"title"`
	Description           string             `json:"description"`
	Subject               *Reference         `json:"subject"`
	Encounter             *Reference         `json:"encounter"`
	Period                *Period            `json:"period"`
	Created               string             `json:"created"` // FHIR dateTime
	Author                *Reference         `json:"author"`
	Contributor           []Reference        `json:"contributor"`
	CareTeam              []Reference        `json:"careTeam"`
	Addresses             []Reference        `json:"addresses"`
	SupportingInfo        []Reference        `json:"supportingInfo"`
	Goal                  []Reference        `json:"goal"`
	Activity              []CarePlanActivity `json:"activity"`
	Note                  []Annotation       `json:"note"`
	Extra                 Extra
}

// CarePlanActivity is one action of the plan, given by a reference to a
// request or inline in Detail (R4 CarePlan.activity).
type CarePlanActivity struct {
	ID                     string                  `json:"id"`
	Extension              []Extension             `json:"extension"`
	ModifierExtension      []Extension             `json:"modifierExtension"`
	OutcomeCodeableConcept []CodeableConcept       `json:"outcomeCodeableConcept"`
	OutcomeReference       []Reference             `json:"outcomeReference"`
	Progress               []Annotation            `json:"progress"`
	Reference              *Reference              `json:"reference"`
	Detail                 *CarePlanActivityDetail `json:"detail"`
	Extra                  Extra
}

// CarePlanActivityDetail is an activity described inline (R4
// CarePlan.activity.detail): what, when, how much.
type CarePlanActivityDetail struct {
	ID                     string            `json:"id"`
	Extension              []Extension       `json:"extension"`
	ModifierExtension      []Extension       `json:"modifierExtension"`
	Kind                   string            `json:"kind"` // Appointment | CommunicationRequest | DeviceRequest | MedicationRequest | NutritionOrder | Task | ServiceRequest | VisionPrescription
	InstantiatesCanonical  []string          `json:"instantiatesCanonical"`
	InstantiatesURI        []string          `json:"instantiatesUri"`
	Code                   *CodeableConcept  `json:"code"`
	ReasonCode             []CodeableConcept `json:"reasonCode"`
	ReasonReference        []Reference       `json:"reasonReference"`
	Goal                   []Reference       `json:"goal"`
	Status                 string            `json:"status"` // not-started | scheduled | in-progress | on-hold | completed | cancelled | stopped | unknown | entered-in-error
	StatusReason           *CodeableConcept  `json:"statusReason"`
	DoNotPerform           *bool             `json:"doNotPerform"`
	ScheduledTiming        *Timing           `json:"scheduledTiming"`
	ScheduledPeriod        *Period           `json:"scheduledPeriod"`
	ScheduledString        string            `json:"scheduledString"`
	Location               *Reference        `json:"location"`
	Performer              []Reference       `json:"performer"`
	ProductCodeableConcept *CodeableConcept  `json:"productCodeableConcept"`
	ProductReference       *Reference        `json:"productReference"`
	DailyAmount            *Quantity         `json:"dailyAmount"` // SimpleQuantity
	Quantity               *Quantity         `json:"quantity"`    // SimpleQuantity
	Description            string            `json:"description"`
	Extra                  Extra
}

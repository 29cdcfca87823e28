package fhir

// Observation is a measurement or assertion about a patient (R4
// Observation). Of value[x] it models the variants below; the others
// (valueRange, valueRatio, valueSampledData, valueTime, …) stay in Extra, as
// do effectiveTiming and effectiveInstant.
type Observation struct {
	ID                   string                      `json:"id"`
	Meta                 *Meta                       `json:"meta"`
	ImplicitRules        string                      `json:"implicitRules"`
	Language             string                      `json:"language"`
	Text                 *Narrative                  `json:"text"`
	Extension            []Extension                 `json:"extension"`
	ModifierExtension    []Extension                 `json:"modifierExtension"`
	Identifier           []Identifier                `json:"identifier"`
	BasedOn              []Reference                 `json:"basedOn"`
	PartOf               []Reference                 `json:"partOf"`
	Status               string                      `json:"status"` // registered | preliminary | final | amended | …
	Category             []CodeableConcept           `json:"category"`
	Code                 *CodeableConcept            `json:"code"`
	Subject              *Reference                  `json:"subject"`
	Focus                []Reference                 `json:"focus"`
	Encounter            *Reference                  `json:"encounter"`
	EffectiveDateTime    string                      `json:"effectiveDateTime"`
	EffectivePeriod      *Period                     `json:"effectivePeriod"`
	Issued               string                      `json:"issued"` // FHIR instant
	Performer            []Reference                 `json:"performer"`
	ValueQuantity        *Quantity                   `json:"valueQuantity"`
	ValueCodeableConcept *CodeableConcept            `json:"valueCodeableConcept"`
	ValueString          string                      `json:"valueString"`
	ValueBoolean         *bool                       `json:"valueBoolean"`
	ValueInteger         *int64                      `json:"valueInteger"`
	ValueDateTime        string                      `json:"valueDateTime"`
	ValuePeriod          *Period                     `json:"valuePeriod"`
	DataAbsentReason     *CodeableConcept            `json:"dataAbsentReason"`
	Interpretation       []CodeableConcept           `json:"interpretation"`
	Note                 []Annotation                `json:"note"`
	BodySite             *CodeableConcept            `json:"bodySite"`
	Method               *CodeableConcept            `json:"method"`
	Specimen             *Reference                  `json:"specimen"`
	Device               *Reference                  `json:"device"`
	ReferenceRange       []ObservationReferenceRange `json:"referenceRange"`
	HasMember            []Reference                 `json:"hasMember"`
	DerivedFrom          []Reference                 `json:"derivedFrom"`
	Component            []ObservationComponent      `json:"component"`
	Extra                Extra
}

// ObservationReferenceRange is a range of normal or recommended values (R4
// Observation.referenceRange).
type ObservationReferenceRange struct {
	ID                string            `json:"id"`
	Extension         []Extension       `json:"extension"`
	ModifierExtension []Extension       `json:"modifierExtension"`
	Low               *Quantity         `json:"low"`
	High              *Quantity         `json:"high"`
	Type              *CodeableConcept  `json:"type"`
	AppliesTo         []CodeableConcept `json:"appliesTo"`
	Age               *Range            `json:"age"`
	Text              string            `json:"text"`
	Extra             Extra
}

// ObservationComponent is one part of a multi-part observation, such as the
// systolic pressure of a blood pressure (R4 Observation.component).
type ObservationComponent struct {
	ID                   string                      `json:"id"`
	Extension            []Extension                 `json:"extension"`
	ModifierExtension    []Extension                 `json:"modifierExtension"`
	Code                 *CodeableConcept            `json:"code"`
	ValueQuantity        *Quantity                   `json:"valueQuantity"`
	ValueCodeableConcept *CodeableConcept            `json:"valueCodeableConcept"`
	ValueString          string                      `json:"valueString"`
	ValueBoolean         *bool                       `json:"valueBoolean"`
	ValueInteger         *int64                      `json:"valueInteger"`
	ValueDateTime        string                      `json:"valueDateTime"`
	ValuePeriod          *Period                     `json:"valuePeriod"`
	DataAbsentReason     *CodeableConcept            `json:"dataAbsentReason"`
	Interpretation       []CodeableConcept           `json:"interpretation"`
	ReferenceRange       []ObservationReferenceRange `json:"referenceRange"`
	Extra                Extra
}

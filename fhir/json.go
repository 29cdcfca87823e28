package fhir

// The JSON methods of the resources: resourceType is checked and written.

// ResourceType returns "Patient".
func (*Patient) ResourceType() string { return "Patient" }

// UnmarshalJSON reads a Patient, keeping the members it does not model in Extra.
func (x *Patient) UnmarshalJSON(b []byte) error { return decodeObject(b, x, "Patient") }

// MarshalJSON writes x with resourceType and its Extra members.
func (x Patient) MarshalJSON() ([]byte, error) { return encodeObject(&x, "Patient") }

// ResourceType returns "Observation".
func (*Observation) ResourceType() string { return "Observation" }

// UnmarshalJSON reads a Observation, keeping the members it does not model in Extra.
func (x *Observation) UnmarshalJSON(b []byte) error { return decodeObject(b, x, "Observation") }

// MarshalJSON writes x with resourceType and its Extra members.
func (x Observation) MarshalJSON() ([]byte, error) { return encodeObject(&x, "Observation") }

// ResourceType returns "QuestionnaireResponse".
func (*QuestionnaireResponse) ResourceType() string { return "QuestionnaireResponse" }

// UnmarshalJSON reads a QuestionnaireResponse, keeping the members it does not model in Extra.
func (x *QuestionnaireResponse) UnmarshalJSON(b []byte) error {
	return decodeObject(b, x, "QuestionnaireResponse")
}

// MarshalJSON writes x with resourceType and its Extra members.
func (x QuestionnaireResponse) MarshalJSON() ([]byte, error) {
	return encodeObject(&x, "QuestionnaireResponse")
}

// ResourceType returns "OperationOutcome".
func (*OperationOutcome) ResourceType() string { return "OperationOutcome" }

// UnmarshalJSON reads a OperationOutcome, keeping the members it does not model in Extra.
func (x *OperationOutcome) UnmarshalJSON(b []byte) error {
	return decodeObject(b, x, "OperationOutcome")
}

// MarshalJSON writes x with resourceType and its Extra members.
func (x OperationOutcome) MarshalJSON() ([]byte, error) { return encodeObject(&x, "OperationOutcome") }

// ResourceType returns "Bundle".
func (*Bundle) ResourceType() string { return "Bundle" }

// UnmarshalJSON reads a Bundle, keeping the members it does not model in Extra.
func (x *Bundle) UnmarshalJSON(b []byte) error { return decodeObject(b, x, "Bundle") }

// MarshalJSON writes x with resourceType and its Extra members.
func (x Bundle) MarshalJSON() ([]byte, error) { return encodeObject(&x, "Bundle") }

// The JSON methods of the datatypes and backbone elements.

// UnmarshalJSON reads a Coding, keeping the members it does not model in Extra.
func (x *Coding) UnmarshalJSON(b []byte) error { return decodeObject(b, x, "") }

// MarshalJSON writes x with its Extra members.
func (x Coding) MarshalJSON() ([]byte, error) { return encodeObject(&x, "") }

// UnmarshalJSON reads a CodeableConcept, keeping the members it does not model in Extra.
func (x *CodeableConcept) UnmarshalJSON(b []byte) error { return decodeObject(b, x, "") }

// MarshalJSON writes x with its Extra members.
func (x CodeableConcept) MarshalJSON() ([]byte, error) { return encodeObject(&x, "") }

// UnmarshalJSON reads a Identifier, keeping the members it does not model in Extra.
func (x *Identifier) UnmarshalJSON(b []byte) error { return decodeObject(b, x, "") }

// MarshalJSON writes x with its Extra members.
func (x Identifier) MarshalJSON() ([]byte, error) { return encodeObject(&x, "") }

// UnmarshalJSON reads a Reference, keeping the members it does not model in Extra.
func (x *Reference) UnmarshalJSON(b []byte) error { return decodeObject(b, x, "") }

// MarshalJSON writes x with its Extra members.
func (x Reference) MarshalJSON() ([]byte, error) { return encodeObject(&x, "") }

// UnmarshalJSON reads a Quantity, keeping the members it does not model in Extra.
func (x *Quantity) UnmarshalJSON(b []byte) error { return decodeObject(b, x, "") }

// MarshalJSON writes x with its Extra members.
func (x Quantity) MarshalJSON() ([]byte, error) { return encodeObject(&x, "") }

// UnmarshalJSON reads a Range, keeping the members it does not model in Extra.
func (x *Range) UnmarshalJSON(b []byte) error { return decodeObject(b, x, "") }

// MarshalJSON writes x with its Extra members.
func (x Range) MarshalJSON() ([]byte, error) { return encodeObject(&x, "") }

// UnmarshalJSON reads a Period, keeping the members it does not model in Extra.
func (x *Period) UnmarshalJSON(b []byte) error { return decodeObject(b, x, "") }

// MarshalJSON writes x with its Extra members.
func (x Period) MarshalJSON() ([]byte, error) { return encodeObject(&x, "") }

// UnmarshalJSON reads a Meta, keeping the members it does not model in Extra.
func (x *Meta) UnmarshalJSON(b []byte) error { return decodeObject(b, x, "") }

// MarshalJSON writes x with its Extra members.
func (x Meta) MarshalJSON() ([]byte, error) { return encodeObject(&x, "") }

// UnmarshalJSON reads a Narrative, keeping the members it does not model in Extra.
func (x *Narrative) UnmarshalJSON(b []byte) error { return decodeObject(b, x, "") }

// MarshalJSON writes x with its Extra members.
func (x Narrative) MarshalJSON() ([]byte, error) { return encodeObject(&x, "") }

// UnmarshalJSON reads a Extension, keeping the members it does not model in Extra.
func (x *Extension) UnmarshalJSON(b []byte) error { return decodeObject(b, x, "") }

// MarshalJSON writes x with its Extra members.
func (x Extension) MarshalJSON() ([]byte, error) { return encodeObject(&x, "") }

// UnmarshalJSON reads a HumanName, keeping the members it does not model in Extra.
func (x *HumanName) UnmarshalJSON(b []byte) error { return decodeObject(b, x, "") }

// MarshalJSON writes x with its Extra members.
func (x HumanName) MarshalJSON() ([]byte, error) { return encodeObject(&x, "") }

// UnmarshalJSON reads a Annotation, keeping the members it does not model in Extra.
func (x *Annotation) UnmarshalJSON(b []byte) error { return decodeObject(b, x, "") }

// MarshalJSON writes x with its Extra members.
func (x Annotation) MarshalJSON() ([]byte, error) { return encodeObject(&x, "") }

// UnmarshalJSON reads a ObservationReferenceRange, keeping the members it does not model in Extra.
func (x *ObservationReferenceRange) UnmarshalJSON(b []byte) error { return decodeObject(b, x, "") }

// MarshalJSON writes x with its Extra members.
func (x ObservationReferenceRange) MarshalJSON() ([]byte, error) { return encodeObject(&x, "") }

// UnmarshalJSON reads a ObservationComponent, keeping the members it does not model in Extra.
func (x *ObservationComponent) UnmarshalJSON(b []byte) error { return decodeObject(b, x, "") }

// MarshalJSON writes x with its Extra members.
func (x ObservationComponent) MarshalJSON() ([]byte, error) { return encodeObject(&x, "") }

// UnmarshalJSON reads a QuestionnaireResponseItem, keeping the members it does not model in Extra.
func (x *QuestionnaireResponseItem) UnmarshalJSON(b []byte) error { return decodeObject(b, x, "") }

// MarshalJSON writes x with its Extra members.
func (x QuestionnaireResponseItem) MarshalJSON() ([]byte, error) { return encodeObject(&x, "") }

// UnmarshalJSON reads a QuestionnaireResponseAnswer, keeping the members it does not model in Extra.
func (x *QuestionnaireResponseAnswer) UnmarshalJSON(b []byte) error { return decodeObject(b, x, "") }

// MarshalJSON writes x with its Extra members.
func (x QuestionnaireResponseAnswer) MarshalJSON() ([]byte, error) { return encodeObject(&x, "") }

// UnmarshalJSON reads a OperationOutcomeIssue, keeping the members it does not model in Extra.
func (x *OperationOutcomeIssue) UnmarshalJSON(b []byte) error { return decodeObject(b, x, "") }

// MarshalJSON writes x with its Extra members.
func (x OperationOutcomeIssue) MarshalJSON() ([]byte, error) { return encodeObject(&x, "") }

// UnmarshalJSON reads a BundleLink, keeping the members it does not model in Extra.
func (x *BundleLink) UnmarshalJSON(b []byte) error { return decodeObject(b, x, "") }

// MarshalJSON writes x with its Extra members.
func (x BundleLink) MarshalJSON() ([]byte, error) { return encodeObject(&x, "") }

// UnmarshalJSON reads a BundleEntry, keeping the members it does not model in Extra.
func (x *BundleEntry) UnmarshalJSON(b []byte) error { return decodeObject(b, x, "") }

// MarshalJSON writes x with its Extra members.
func (x BundleEntry) MarshalJSON() ([]byte, error) { return encodeObject(&x, "") }

// UnmarshalJSON reads a BundleEntrySearch, keeping the members it does not model in Extra.
func (x *BundleEntrySearch) UnmarshalJSON(b []byte) error { return decodeObject(b, x, "") }

// MarshalJSON writes x with its Extra members.
func (x BundleEntrySearch) MarshalJSON() ([]byte, error) { return encodeObject(&x, "") }

// UnmarshalJSON reads a BundleEntryRequest, keeping the members it does not model in Extra.
func (x *BundleEntryRequest) UnmarshalJSON(b []byte) error { return decodeObject(b, x, "") }

// MarshalJSON writes x with its Extra members.
func (x BundleEntryRequest) MarshalJSON() ([]byte, error) { return encodeObject(&x, "") }

// UnmarshalJSON reads a BundleEntryResponse, keeping the members it does not model in Extra.
func (x *BundleEntryResponse) UnmarshalJSON(b []byte) error { return decodeObject(b, x, "") }

// MarshalJSON writes x with its Extra members.
func (x BundleEntryResponse) MarshalJSON() ([]byte, error) { return encodeObject(&x, "") }

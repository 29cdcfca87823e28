package fhir

// The JSON methods of the resources added for issue 11's output (Questionnaire,
// RiskAssessment, Condition, Flag, DetectedIssue, CarePlan, ServiceRequest)
// and of their datatypes and backbone elements.

// ResourceType returns "Questionnaire".
func (*Questionnaire) ResourceType() string { return "Questionnaire" }

// UnmarshalJSON reads a Questionnaire, keeping the members it does not model in Extra.
func (x *Questionnaire) UnmarshalJSON(b []byte) error { return decodeObject(b, x, "Questionnaire") }

// MarshalJSON writes x with resourceType and its Extra members.
func (x Questionnaire) MarshalJSON() ([]byte, error) { return encodeObject(&x, "Questionnaire") }

// ResourceType returns "RiskAssessment".
func (*RiskAssessment) ResourceType() string { return "RiskAssessment" }

// UnmarshalJSON reads a RiskAssessment, keeping the members it does not model in Extra.
func (x *RiskAssessment) UnmarshalJSON(b []byte) error { return decodeObject(b, x, "RiskAssessment") }

// MarshalJSON writes x with resourceType and its Extra members.
func (x RiskAssessment) MarshalJSON() ([]byte, error) { return encodeObject(&x, "RiskAssessment") }

// ResourceType returns "Condition".
func (*Condition) ResourceType() string { return "Condition" }

// UnmarshalJSON reads a Condition, keeping the members it does not model in Extra.
func (x *Condition) UnmarshalJSON(b []byte) error { return decodeObject(b, x, "Condition") }

// MarshalJSON writes x with resourceType and its Extra members.
func (x Condition) MarshalJSON() ([]byte, error) { return encodeObject(&x, "Condition") }

// ResourceType returns "Flag".
func (*Flag) ResourceType() string { return "Flag" }

// UnmarshalJSON reads a Flag, keeping the members it does not model in Extra.
func (x *Flag) UnmarshalJSON(b []byte) error { return decodeObject(b, x, "Flag") }

// MarshalJSON writes x with resourceType and its Extra members.
func (x Flag) MarshalJSON() ([]byte, error) { return encodeObject(&x, "Flag") }

// ResourceType returns "DetectedIssue".
func (*DetectedIssue) ResourceType() string { return "DetectedIssue" }

// UnmarshalJSON reads a DetectedIssue, keeping the members it does not model in Extra.
func (x *DetectedIssue) UnmarshalJSON(b []byte) error { return decodeObject(b, x, "DetectedIssue") }

// MarshalJSON writes x with resourceType and its Extra members.
func (x DetectedIssue) MarshalJSON() ([]byte, error) { return encodeObject(&x, "DetectedIssue") }

// ResourceType returns "CarePlan".
func (*CarePlan) ResourceType() string { return "CarePlan" }

// UnmarshalJSON reads a CarePlan, keeping the members it does not model in Extra.
func (x *CarePlan) UnmarshalJSON(b []byte) error { return decodeObject(b, x, "CarePlan") }

// MarshalJSON writes x with resourceType and its Extra members.
func (x CarePlan) MarshalJSON() ([]byte, error) { return encodeObject(&x, "CarePlan") }

// ResourceType returns "ServiceRequest".
func (*ServiceRequest) ResourceType() string { return "ServiceRequest" }

// UnmarshalJSON reads a ServiceRequest, keeping the members it does not model in Extra.
func (x *ServiceRequest) UnmarshalJSON(b []byte) error { return decodeObject(b, x, "ServiceRequest") }

// MarshalJSON writes x with resourceType and its Extra members.
func (x ServiceRequest) MarshalJSON() ([]byte, error) { return encodeObject(&x, "ServiceRequest") }

// UnmarshalJSON reads a Ratio, keeping the members it does not model in Extra.
func (x *Ratio) UnmarshalJSON(b []byte) error { return decodeObject(b, x, "") }

// MarshalJSON writes x with its Extra members.
func (x Ratio) MarshalJSON() ([]byte, error) { return encodeObject(&x, "") }

// UnmarshalJSON reads a Timing, keeping the members it does not model in Extra.
func (x *Timing) UnmarshalJSON(b []byte) error { return decodeObject(b, x, "") }

// MarshalJSON writes x with its Extra members.
func (x Timing) MarshalJSON() ([]byte, error) { return encodeObject(&x, "") }

// UnmarshalJSON reads a TimingRepeat, keeping the members it does not model in Extra.
func (x *TimingRepeat) UnmarshalJSON(b []byte) error { return decodeObject(b, x, "") }

// MarshalJSON writes x with its Extra members.
func (x TimingRepeat) MarshalJSON() ([]byte, error) { return encodeObject(&x, "") }

// UnmarshalJSON reads a QuestionnaireItem, keeping the members it does not model in Extra.
func (x *QuestionnaireItem) UnmarshalJSON(b []byte) error { return decodeObject(b, x, "") }

// MarshalJSON writes x with its Extra members.
func (x QuestionnaireItem) MarshalJSON() ([]byte, error) { return encodeObject(&x, "") }

// UnmarshalJSON reads a QuestionnaireEnableWhen, keeping the members it does not model in Extra.
func (x *QuestionnaireEnableWhen) UnmarshalJSON(b []byte) error { return decodeObject(b, x, "") }

// MarshalJSON writes x with its Extra members.
func (x QuestionnaireEnableWhen) MarshalJSON() ([]byte, error) { return encodeObject(&x, "") }

// UnmarshalJSON reads a QuestionnaireAnswerOption, keeping the members it does not model in Extra.
func (x *QuestionnaireAnswerOption) UnmarshalJSON(b []byte) error { return decodeObject(b, x, "") }

// MarshalJSON writes x with its Extra members.
func (x QuestionnaireAnswerOption) MarshalJSON() ([]byte, error) { return encodeObject(&x, "") }

// UnmarshalJSON reads a QuestionnaireInitial, keeping the members it does not model in Extra.
func (x *QuestionnaireInitial) UnmarshalJSON(b []byte) error { return decodeObject(b, x, "") }

// MarshalJSON writes x with its Extra members.
func (x QuestionnaireInitial) MarshalJSON() ([]byte, error) { return encodeObject(&x, "") }

// UnmarshalJSON reads a RiskAssessmentPrediction, keeping the members it does not model in Extra.
func (x *RiskAssessmentPrediction) UnmarshalJSON(b []byte) error { return decodeObject(b, x, "") }

// MarshalJSON writes x with its Extra members.
func (x RiskAssessmentPrediction) MarshalJSON() ([]byte, error) { return encodeObject(&x, "") }

// UnmarshalJSON reads a ConditionStage, keeping the members it does not model in Extra.
func (x *ConditionStage) UnmarshalJSON(b []byte) error { return decodeObject(b, x, "") }

// MarshalJSON writes x with its Extra members.
func (x ConditionStage) MarshalJSON() ([]byte, error) { return encodeObject(&x, "") }

// UnmarshalJSON reads a ConditionEvidence, keeping the members it does not model in Extra.
func (x *ConditionEvidence) UnmarshalJSON(b []byte) error { return decodeObject(b, x, "") }

// MarshalJSON writes x with its Extra members.
func (x ConditionEvidence) MarshalJSON() ([]byte, error) { return encodeObject(&x, "") }

// UnmarshalJSON reads a DetectedIssueEvidence, keeping the members it does not model in Extra.
func (x *DetectedIssueEvidence) UnmarshalJSON(b []byte) error { return decodeObject(b, x, "") }

// MarshalJSON writes x with its Extra members.
func (x DetectedIssueEvidence) MarshalJSON() ([]byte, error) { return encodeObject(&x, "") }

// UnmarshalJSON reads a DetectedIssueMitigation, keeping the members it does not model in Extra.
func (x *DetectedIssueMitigation) UnmarshalJSON(b []byte) error { return decodeObject(b, x, "") }

// MarshalJSON writes x with its Extra members.
func (x DetectedIssueMitigation) MarshalJSON() ([]byte, error) { return encodeObject(&x, "") }

// UnmarshalJSON reads a CarePlanActivity, keeping the members it does not model in Extra.
func (x *CarePlanActivity) UnmarshalJSON(b []byte) error { return decodeObject(b, x, "") }

// MarshalJSON writes x with its Extra members.
func (x CarePlanActivity) MarshalJSON() ([]byte, error) { return encodeObject(&x, "") }

// UnmarshalJSON reads a CarePlanActivityDetail, keeping the members it does not model in Extra.
func (x *CarePlanActivityDetail) UnmarshalJSON(b []byte) error { return decodeObject(b, x, "") }

// MarshalJSON writes x with its Extra members.
func (x CarePlanActivityDetail) MarshalJSON() ([]byte, error) { return encodeObject(&x, "") }

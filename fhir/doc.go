// Package fhir is the FHIR R4 JSON representation of the resources tendo
// exchanges with an EHR: typed Go structs, written by hand, for the
// datatypes (Coding, CodeableConcept, Identifier, Reference, Quantity, Range,
// Ratio, Period, Timing, Meta, Narrative, Extension, HumanName, Annotation,
// Decimal) and the resources
//
//   - Patient, Observation, QuestionnaireResponse (read from an EHR);
//   - Questionnaire (the forms), Observation (scores and findings),
//     RiskAssessment (the probabilities), Condition (the classification),
//     Flag (each red flag), DetectedIssue (a drug interaction), CarePlan
//     (the plan, its activities scheduled by Timing) and ServiceRequest (what
//     a CDS Hooks suggestion orders), which tendo writes;
//   - OperationOutcome (errors) and Bundle, whose entries hold resources of
//     any type.
//
// Their backbone elements are types of their own, named after the path:
// QuestionnaireItem, QuestionnaireEnableWhen, QuestionnaireAnswerOption,
// QuestionnaireInitial, RiskAssessmentPrediction, ConditionStage,
// ConditionEvidence, DetectedIssueEvidence, DetectedIssueMitigation,
// CarePlanActivity, CarePlanActivityDetail, TimingRepeat, and so on. A
// choice element (value[x], onset[x]) has one field per modelled variant
// (OnsetDateTime, OnsetAge, …); Age, Duration and SimpleQuantity are
// Quantity. Every field's JSON name, repetition and JSON type is checked
// against the official R4 JSON schema, and the elements left to Extra are
// listed there (fields_test.go): contained everywhere, Patient's telecom and
// address, Questionnaire's contact and useContext, valueAttachment, and a
// few value[x] variants of Observation.
//
// # Overview
//
// Decode (from an io.Reader) and Unmarshal (from bytes) read one resource
// of any type and return it as its Go type; a type the package does not
// model comes back as *RawResource. Marshal writes one. Each type also
// implements json.Marshaler and json.Unmarshaler, so a resource can sit in a
// larger JSON document.
//
//	r, err := fhir.Decode(req.Body)
//	if p, ok := r.(*fhir.Patient); ok { … p.BirthDate … }
//	out, err := fhir.Marshal(r)
//
// # Nothing is lost
//
// A resource read from an EHR may have to be written back, so every object
// keeps the members its Go type does not model in its Extra field, as raw
// JSON, and writes them back unchanged: elements without a field (Patient's
// telecom, Observation's valueSampledData), contained resources (contained)
// and primitive extensions (_birthDate, _family), at whatever level they
// occur. Member names match exactly (JSON names are case-sensitive). Decimals
// keep their text (1.50 stays 1.50). A repeating primitive ([]string:
// Timing.event, Questionnaire.subjectType, HumanName.given) may hold null
// where its extension array (_event) has an entry, as FHIR's JSON format
// allows; it reads as "" and is written back as null, and "" without such
// an entry is an error both ways. (The R4 JSON schema rejects that null, so
// tendo should not write one of its own.) Every official R4 example of a
// modelled type, and the official Bundle, reads and writes back to the same
// JSON value (roundtrip_test.go: 116 files of 11 types), and what the
// package writes validates against the official R4 JSON schema
// (schema_test.go).
//
// # Strict and bounded reading
//
// A modelled element of the wrong JSON type (a string for a boolean, a
// string holding a number for a decimal, a fraction for an integer), null,
// an empty string, an empty array and a member named twice are errors,
// since FHIR's JSON format forbids them. Input over MaxBytes (4 MiB) or
// nested deeper than MaxDepth (64) is refused before it is decoded, and
// resources nested in resources more than MaxNesting (4) deep are refused
// too. Objects are read from one stream and duplicate names found with a
// map, so the time taken grows with the input's size, not with size times
// depth or the square of an object's members: the worst 4 MiB measured (one
// object of 400,000 members) reads in about 2 s on a 2-core machine, a
// Bundle of 60,000 entries in 1 s. A server should still bound request
// bodies well below MaxBytes where it can. Errors are *Error, whose Path locates the element by FHIRPath
// (Patient.name[1].given[0]) for an OperationOutcome's expression. Hostile
// input gives an error, never a panic (FuzzDecode). Apply json.Unmarshal to
// these types only on trusted input: only Decode and Unmarshal check the
// limits.
//
// The package checks structure and JSON types, not FHIR's cardinalities,
// value sets or invariants (an Observation without status reads, and a
// RiskAssessment's probabilityDecimal may be a fraction or a percentage:
// R4's definition says percentage, its examples use fractions, and the
// mapping chooses; see RiskAssessment); those belong to the validation that
// comes with the mapping.
//
// # Dependencies
//
// fhir owns the wire format and nothing else: it does not map resources to
// tendo's assessments, scores or patients (a later step of issue 11 does,
// in a package of its own or in cmd/tendo and web), it performs no HTTP and
// knows no SMART or CDS Hooks. It imports only the standard library and
// must not import the root package tendo or any other package of this
// module, nor any third-party package (deps_test.go).
package fhir

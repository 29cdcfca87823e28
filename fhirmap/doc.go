// Package fhirmap maps tendo's assessments, results, patients and
// questionnaire responses to FHIR R4 resources (package fhir) and back.
//
// # Export
//
// Export turns a patient's record (the patient, their visits with each
// visit's assessment and result, and their stored questionnaire
// responses) into a Bundle of type collection; Resources gives the same
// resources as a list, one per line of a Bulk Data NDJSON file. Per visit
// it writes:
//
//   - one Observation per finding the assessment gives (ObservationFor,
//     generic over the field index tendo.Fields: the code is the field's
//     path in tendo's CodeSystem/field, with LOINC or SNOMED CT alongside
//     only where the code was confirmed; the value by the field's kind);
//   - a QuestionnaireResponse per outcome measure answered item by item,
//     and one score Observation per scored measure (VISA-A, ODI, NPRS,
//     LEFS) with its band as interpretation;
//   - a RiskAssessment with the probabilities and the differential, as
//     fractions 0–1 (see RiskAssessmentFor for the choice);
//   - a Condition for the classification (provisional), a Flag per red
//     flag, a DetectedIssue for the fluoroquinolone (or systemic
//     corticosteroid) tendon risk, a CarePlan for the plan and a
//     ServiceRequest per imaging or referral step the plan proposes.
//
// Ids are deterministic (from the patient, the visit and the element), so
// the same record exports to the same Bundle, and every reference
// resolves inside it.
//
// FieldFromObservation is the inverse of ObservationFor: it reads an
// Observation back into the field of an assessment. The import side of
// the package (Import, OperationOutcome) builds on it.
//
// # Codes
//
// codes.go lists every code system and code the package writes. tendo's
// own CodeSystems live under Base; a LOINC or SNOMED CT code appears only
// where it was confirmed (docs/ehr/fhir-export.md records by
// what), never invented. Quantities carry UCUM units.
//
// # Dependencies
//
// fhirmap imports the root package tendo, fhir, questionnaire and the
// standard library. It must not import assess, kb, clinic, web or
// sqlstore: it maps data, it does not compute results, read a store or
// serve HTTP (deps_test.go). Its tests may import assess to compute
// results.
package fhirmap

// Package fhircheck validates FHIR R4 JSON resources, from tests, by three
// independent checks that no one on the team wrote:
//
//   - the official R4 JSON schema (../shared/data/fhir/r4-schema), with
//     the npm package ajv;
//   - the npm package fhir (FHIR.js) validator;
//   - the R4 core StructureDefinitions (../shared/data/fhir/
//     r4-core-structuredefinitions): every invariant of severity "error",
//     evaluated with the npm package fhirpath on every instance of the
//     element it sits on, plus cardinality and Reference target types.
//
// The checks run in node (testtools/check-fhir.mjs, installed by
// `npm ci --prefix testtools`); Check runs node once per call, for any
// number of resources. Without node or the npm packages a test skips,
// except under TENDO_CI, where it fails.
//
// It is a test helper: nothing in the binary imports it. It imports only
// the standard library, testing and internal/shared.
package fhircheck

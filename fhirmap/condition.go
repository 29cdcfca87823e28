package fhirmap

import (
	"github.com/tendo-health/tendo"
	"github.com/tendo-health/tendo/fhir"
)

// ConditionFor returns the Condition of a result's classification: code
// from tendo's CodeSystem classification (no SNOMED CT code was confirmed
// for these groupings), clinicalStatus active, verificationStatus
// provisional (tendo proposes, the clinician decides), category
// encounter-diagnosis, recordedDate the visit date, and the reason in
// words as a note. For a tendinopathy the site and for a lumbar source
// the nerve root are in the code's text. Export adds the evidence: the
// Observations of the findings that moved the probabilities.
func ConditionFor(r *tendo.Result, subject fhir.Reference, date string) *fhir.Condition {
	c := ClassificationCoding(r.Classification)
	text := c.Display
	if r.TendinopathySite != nil && *r.TendinopathySite != "" {
		text += " (" + *r.TendinopathySite + ")"
	}
	if r.NerveRoot != nil && *r.NerveRoot != "" {
		text += " (nerve root " + *r.NerveRoot + ")"
	}
	cond := &fhir.Condition{
		ClinicalStatus: codeable(fhir.Coding{System: ConditionClinical, Code: "active", Display: "Active"}, ""),
		VerificationStatus: codeable(fhir.Coding{System: ConditionVerStatus, Code: "provisional", Display: "Provisional"},
			""),
		Category: []fhir.CodeableConcept{*codeable(fhir.Coding{System: ConditionCategory, Code: "encounter-diagnosis",
			Display: "Encounter Diagnosis"}, "")},
		Code:         codeable(c, text),
		Subject:      &subject,
		RecordedDate: date,
	}
	words := text + ", proposed by tendo (provisional)."
	if r.ClassificationReason != "" {
		cond.Note = []fhir.Annotation{{Text: r.ClassificationReason}}
		words += " " + r.ClassificationReason
	}
	cond.Text = narrative(words)
	return cond
}

package fhirmap

import (
	"github.com/tendo-health/tendo"
	"github.com/tendo-health/tendo/fhir"
)

// The tendon-risk figures a DetectedIssue cites, from
// ../shared/evidence/clinical-evidence.md (Morales et al. 2019, Clin Drug
// Investig: adjusted incidence rate ratios of Achilles rupture).
const (
	fqRisk     = "A fluoroquinolone in current use is linked to Achilles rupture (adjusted incidence rate ratio 3.14, 95% CI 2.11–4.65)."
	csRisk     = "Oral corticosteroids are linked to Achilles rupture (adjusted incidence rate ratio 4.59, 95% CI 3.43–6.14)."
	fqCSRisk   = "A fluoroquinolone taken with oral corticosteroids is linked to a much higher rate of Achilles rupture (adjusted incidence rate ratio 19.36, 95% CI 7.78–48.19)."
	riskSource = "Morales et al. 2019, Clin Drug Investig (via tendo's clinical evidence file)."
)

// DetectedIssueFor returns the DetectedIssue of a tendon-risk medicine in
// an assessment, or nil when there is none: a fluoroquinolone in the last
// 6 months and/or oral or systemic corticosteroids in the last 6 months
// (history.fluoroquinoloneLast6Months, history.systemicCorticosteroids).
// The code is HL7's v3-ActCode DRG (Drug Interaction Alert, as the R4
// example DetectedIssue-ddi uses it) beside tendo's own; severity is high
// for both together (the combined rate ratio 19.36) and moderate for
// either alone (tendo's grading of the cited rate ratios); the detail
// says the risk in plain words with its source. When the result raised
// the fluoroquinolone-tendon-risk red flag, its action is the
// mitigation. Export adds the evidence (the history Observations).
func DetectedIssueFor(a *tendo.Assessment, r *tendo.Result, patient fhir.Reference, date string) *fhir.DetectedIssue {
	fq := a.History.FluoroquinoloneLast6Months != nil && *a.History.FluoroquinoloneLast6Months
	cs := a.History.SystemicCorticosteroids != nil && *a.History.SystemicCorticosteroids
	if !fq && !cs {
		return nil
	}
	var code, name, detail, severity string
	switch {
	case fq && cs:
		code, name, severity = "fluoroquinolone-corticosteroid-tendon-risk", "Fluoroquinolone with corticosteroids: Achilles tendon risk", "high"
		detail = fqCSRisk
	case fq:
		code, name, severity = "fluoroquinolone-tendon-risk", "Fluoroquinolone: Achilles tendon risk", "moderate"
		detail = fqRisk
	default:
		code, name, severity = "corticosteroid-tendon-risk", "Systemic corticosteroids: Achilles tendon risk", "moderate"
		detail = csRisk
	}
	detail += " Source: " + riskSource
	di := &fhir.DetectedIssue{
		Status: "final",
		Code: &fhir.CodeableConcept{Coding: []fhir.Coding{
			{System: SystemDetectedIssue, Code: code, Display: name},
			{System: ActCode, Code: "DRG", Display: "Drug Interaction Alert"},
		}, Text: name},
		Severity:           severity,
		Patient:            &patient,
		IdentifiedDateTime: date,
		Detail:             detail,
	}
	if r != nil {
		for _, rf := range r.RedFlags {
			if rf.Code == "fluoroquinolone-tendon-risk" && rf.Action != "" {
				di.Mitigation = []fhir.DetectedIssueMitigation{{
					Action: &fhir.CodeableConcept{Text: rf.Action},
					Date:   date,
				}}
			}
		}
	}
	di.Text = narrative(name + " (severity " + severity + "). " + detail)
	return di
}

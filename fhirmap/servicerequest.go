package fhirmap

import (
	"github.com/tendo-health/tendo"
	"github.com/tendo-health/tendo/fhir"
)

// SNOMED CT's "Imaging" (363679005), as the R4 example value set
// servicerequest-category lists it.
const SNOMEDImaging = "363679005"

// requestKinds are the plan elements that ask for a test or a referral,
// each a ServiceRequest; the other elements are advice and exercise
// (CarePlan activities only).
var requestKinds = map[string]string{
	"imaging-spine":        "imaging",
	"imaging-tendon":       "imaging",
	"next-partial-tear":    "imaging",
	"next-stress-fracture": "imaging",
	"rheumatology":         "referral",
	"next-enthesitis":      "referral",
	"non-response":         "referral",
}

// serviceRequest is a ServiceRequest with what it answers: a plan
// element (PlanItem) or a red flag (RedFlag).
type serviceRequest struct {
	SR       *fhir.ServiceRequest
	PlanItem string
	RedFlag  string
}

// ServiceRequests returns the imaging and referrals a result proposes,
// each a ServiceRequest with status draft and intent proposal, for the
// clinician to confirm: one referral per emergency or urgent red flag
// (priority stat or urgent, the flag's action as the note), then one per
// plan element that asks for imaging (category SNOMED CT Imaging) or a
// referral (lumbar MRI, tendon ultrasound, rheumatology, referral on
// non-response, …), priority routine, the element's dosage and
// rationale as notes. A CDS Hooks suggestion can create them as they are;
// Export adds ids and the reasons' references.
func ServiceRequests(r *tendo.Result, patient fhir.Reference) []*fhir.ServiceRequest {
	var out []*fhir.ServiceRequest
	for _, s := range serviceRequests(r, patient) {
		out = append(out, s.SR)
	}
	return out
}

func serviceRequests(r *tendo.Result, patient fhir.Reference) []serviceRequest {
	var out []serviceRequest
	for _, rf := range r.RedFlags {
		if !tendo.UrgentFlag(rf.Urgency) {
			continue
		}
		name := tendo.RedFlagName(rf.Code)
		priority := "urgent"
		if rf.Urgency == tendo.Emergency {
			priority = "stat"
		}
		sr := &fhir.ServiceRequest{
			Status:     "draft",
			Intent:     "proposal",
			Category:   []fhir.CodeableConcept{{Text: "Referral"}},
			Priority:   priority,
			Code:       &fhir.CodeableConcept{Text: "Referral for " + name},
			Subject:    &patient,
			AuthoredOn: r.Date,
			ReasonCode: []fhir.CodeableConcept{*codeable(fhir.Coding{System: SystemRedFlag, Code: rf.Code, Display: name}, name)},
		}
		if rf.Action != "" {
			sr.Note = []fhir.Annotation{{Text: rf.Action}}
		}
		sr.Text = narrative("Proposed " + priority + " referral for " + name + ". " + rf.Action)
		out = append(out, serviceRequest{SR: sr, RedFlag: rf.Code})
	}
	for _, it := range planItems(r) {
		kind, ok := requestKinds[it.ID]
		if !ok {
			continue
		}
		sr := &fhir.ServiceRequest{
			Status:     "draft",
			Intent:     "proposal",
			Priority:   "routine",
			Code:       codeable(fhir.Coding{System: SystemPlan, Code: it.ID, Display: it.Title}, it.Title),
			Subject:    &patient,
			AuthoredOn: r.Date,
			ReasonCode: []fhir.CodeableConcept{*codeable(ClassificationCoding(r.Classification), "")},
		}
		if kind == "imaging" {
			sr.Category = []fhir.CodeableConcept{*codeable(fhir.Coding{System: SNOMED, Code: SNOMEDImaging, Display: "Imaging"}, "Imaging")}
		} else {
			sr.Category = []fhir.CodeableConcept{{Text: "Referral"}}
		}
		for _, n := range []string{it.Dosage, it.Rationale, sourceText(it.Source)} {
			if n != "" {
				sr.Note = append(sr.Note, fhir.Annotation{Text: n})
			}
		}
		sr.Text = narrative("Proposed (" + kind + "): " + it.Title + ". " + it.Dosage)
		out = append(out, serviceRequest{SR: sr, PlanItem: it.ID})
	}
	return out
}

// planItems are the plan's elements, the referral list first, then the
// phases' components, each once.
func planItems(r *tendo.Result) []tendo.PlanItem {
	seen := map[string]bool{}
	var out []tendo.PlanItem
	add := func(it tendo.PlanItem) {
		if !seen[it.ID] {
			seen[it.ID] = true
			out = append(out, it)
		}
	}
	for _, it := range r.Plan.Referral {
		add(it)
	}
	for _, ph := range r.Plan.Phases {
		for _, it := range ph.Components {
			add(it)
		}
	}
	return out
}

func sourceText(s string) string {
	if s == "" {
		return ""
	}
	return "Source: " + s + "."
}

package fhirmap

import (
	"github.com/tendo-health/tendo"
	"github.com/tendo-health/tendo/fhir"
)

// FlagsFor returns one Flag per red flag of a result, most urgent first:
// status active, category clinical, code from tendo's CodeSystem red-flag
// with the flag's name as display and, as text, what triggered it and
// what to do; the period starts on the visit date. The narrative adds
// the urgency and the rule's source.
func FlagsFor(r *tendo.Result, subject fhir.Reference, date string) []*fhir.Flag {
	var out []*fhir.Flag
	for _, rf := range r.RedFlags {
		name := tendo.RedFlagName(rf.Code)
		f := &fhir.Flag{
			Status: "active",
			Category: []fhir.CodeableConcept{*codeable(fhir.Coding{System: FlagCategory, Code: "clinical", Display: "Clinical"},
				"")},
			Code:    codeable(fhir.Coding{System: SystemRedFlag, Code: rf.Code, Display: name}, redFlagText(rf)),
			Subject: &subject,
		}
		if date != "" {
			f.Period = &fhir.Period{Start: date}
		}
		words := "Red flag (" + string(rf.Urgency) + "): " + name + ". " + redFlagText(rf)
		if rf.Source != "" {
			words += " Source: " + rf.Source + "."
		}
		f.Text = narrative(words)
		out = append(out, f)
	}
	return out
}

// redFlagText is a red flag's reason and action in words.
func redFlagText(rf tendo.RedFlag) string {
	s := ""
	if rf.Reason != "" {
		s = "Why: " + rf.Reason + "."
	}
	if rf.Action != "" {
		if s != "" {
			s += " "
		}
		s += "What to do: " + rf.Action
	}
	return s
}

package cdshooks

import (
	"encoding/json"

	"github.com/tendo-health/tendo"
	"github.com/tendo-health/tendo/fhir"
	"github.com/tendo-health/tendo/fhirmap"
)

// The cards' suggestions create the resources package fhirmap makes for
// a result: the ServiceRequests (a referral per urgent red flag, then the
// imaging and referrals the plan asks for) and the CarePlan, each with
// status draft for the clinician to confirm.

// reference is a FHIR Reference as the package reads it from JSON.
type reference struct {
	Reference string `json:"reference"`
}

// proposals are a result's ServiceRequests as JSON: those answering a red
// flag, by the flag's code, and the others in order.
type proposals struct {
	byFlag map[string]requestJSON
	plan   []requestJSON
}

type requestJSON struct {
	text string // what is requested, in words
	json json.RawMessage
}

func requestsFor(res *tendo.Result, patientID string) proposals {
	p := proposals{byFlag: map[string]requestJSON{}}
	for _, sr := range fhirmap.ServiceRequests(res, patientRef(patientID)) {
		b, err := fhir.Marshal(sr)
		if err != nil {
			continue // a ServiceRequest fhirmap cannot write is not suggested
		}
		r := requestJSON{json: b}
		if sr.Code != nil {
			r.text = sr.Code.Text
		}
		flag := ""
		for _, rc := range sr.ReasonCode {
			for _, c := range rc.Coding {
				if c.System == fhirmap.SystemRedFlag {
					flag = c.Code
				}
			}
		}
		if flag != "" {
			p.byFlag[flag] = r
		} else {
			p.plan = append(p.plan, r)
		}
	}
	return p
}

// carePlan is the result's CarePlan as JSON, nil when there is none.
func carePlan(res *tendo.Result, patientID string) json.RawMessage {
	cp := fhirmap.CarePlanFor(res, patientRef(patientID))
	if cp == nil {
		return nil
	}
	b, err := fhir.Marshal(cp)
	if err != nil {
		return nil
	}
	return b
}

func priorityWord(u tendo.Urgency) string {
	switch u {
	case tendo.Emergency:
		return "same-day (stat)"
	case tendo.Urgent:
		return "urgent"
	}
	return "routine"
}

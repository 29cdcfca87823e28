package cdshooks

import (
	"encoding/json"
	"fmt"

	"github.com/tendo-health/tendo"
)

// Minimal R4 resources for the cards' suggestions, written as JSON with
// R4's required elements (ServiceRequest: status, intent, subject;
// CarePlan: status, intent, subject, activity.detail.status). They carry
// tendo's own codes only (CodeSystem/red-flag), with code.text.

type coding struct {
	System  string `json:"system,omitempty"`
	Code    string `json:"code,omitempty"`
	Display string `json:"display,omitempty"`
}

type concept struct {
	Coding []coding `json:"coding,omitempty"`
	Text   string   `json:"text,omitempty"`
}

type reference struct {
	Reference string `json:"reference"`
}

type annotation struct {
	Text string `json:"text"`
}

type serviceRequestJSON struct {
	ResourceType string       `json:"resourceType"`
	Status       string       `json:"status"`
	Intent       string       `json:"intent"`
	Priority     string       `json:"priority,omitempty"`
	Code         *concept     `json:"code,omitempty"`
	Subject      reference    `json:"subject"`
	ReasonCode   []concept    `json:"reasonCode,omitempty"`
	Note         []annotation `json:"note,omitempty"`
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

func priorityCode(u tendo.Urgency) string {
	switch u {
	case tendo.Emergency:
		return "stat"
	case tendo.Urgent:
		return "urgent"
	}
	return "routine"
}

// serviceRequest is the draft request (status draft, intent proposal) for
// a red flag's action: the referral or imaging the action names.
func serviceRequest(f tendo.RedFlag, patientID string) json.RawMessage {
	name := tendo.RedFlagName(f.Code)
	sr := serviceRequestJSON{
		ResourceType: "ServiceRequest",
		Status:       "draft",
		Intent:       "proposal",
		Priority:     priorityCode(f.Urgency),
		Code:         &concept{Text: f.Action},
		Subject:      reference{"Patient/" + patientID},
		ReasonCode: []concept{{
			Coding: []coding{{System: Base + "/CodeSystem/red-flag", Code: f.Code, Display: name}},
			Text:   name,
		}},
		Note: []annotation{{Text: "Suggested by tendo: " + f.Reason}},
	}
	b, err := json.Marshal(sr)
	if err != nil {
		panic(fmt.Sprintf("cdshooks: ServiceRequest: %v", err)) // plain structs of strings always marshal
	}
	return b
}

type carePlanJSON struct {
	ResourceType string         `json:"resourceType"`
	Status       string         `json:"status"`
	Intent       string         `json:"intent"`
	Title        string         `json:"title,omitempty"`
	Description  string         `json:"description,omitempty"`
	Subject      reference      `json:"subject"`
	Activity     []activityJSON `json:"activity,omitempty"`
	Note         []annotation   `json:"note,omitempty"`
}

type activityJSON struct {
	Detail activityDetail `json:"detail"`
}

type activityDetail struct {
	Status      string `json:"status"`
	Description string `json:"description"`
}

// carePlan is the draft plan: one activity per component of each phase
// (title, dosage, when to progress) and one per referral item; nil when
// the plan is empty.
func carePlan(res *tendo.Result, patientID string) json.RawMessage {
	p := res.Plan
	cp := carePlanJSON{
		ResourceType: "CarePlan",
		Status:       "draft",
		Intent:       "proposal",
		Title:        "Posterior heel pain plan (tendo)",
		Description:  p.Summary,
		Subject:      reference{"Patient/" + patientID},
	}
	for _, ph := range p.Phases {
		for _, c := range ph.Components {
			d := ph.Title + " (" + ph.Weeks + "): " + c.Title
			if c.Dosage != "" {
				d += ". Dose: " + c.Dosage
			}
			if c.Progression != "" {
				d += ". Progress when: " + c.Progression
			}
			cp.Activity = append(cp.Activity, activityJSON{activityDetail{Status: "not-started", Description: d}})
		}
	}
	for _, r := range p.Referral {
		cp.Activity = append(cp.Activity, activityJSON{activityDetail{Status: "not-started", Description: "Referral or imaging: " + r.Title}})
	}
	if p.Reassessment.Schedule != "" {
		cp.Note = []annotation{{Text: "Review: " + p.Reassessment.Schedule}}
	}
	if p.Summary == "" && len(cp.Activity) == 0 {
		return nil
	}
	b, err := json.Marshal(cp)
	if err != nil {
		panic(fmt.Sprintf("cdshooks: CarePlan: %v", err))
	}
	return b
}

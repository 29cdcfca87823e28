package fhirmap

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/tendo-health/tendo"
	"github.com/tendo-health/tendo/fhir"
)

// CarePlanFor returns the CarePlan of a result's plan: status draft (the
// clinician adopts it), intent plan, the plan's summary as description,
// created and starting on the visit date. Each element of the referral
// list and of each phase is one activity whose detail has the element's
// code (tendo's CodeSystem plan), its dosage, progression and rationale
// as description, and when to do it: the phase's weeks as a period from
// the visit date ("weeks 2–6"), or, for a loading element with a single
// protocol (tendo.Protocols), the protocol's starting dose as
// scheduledTiming (sessions per week, bounded by the phase) and the
// repetitions per exercise per session as quantity. The reassessment
// schedule, the outcome targets and the differentials to consider are
// notes. Export adds what the plan addresses (the Condition) and replaces
// the detail of an element that is a ServiceRequest with a reference to
// it.
func CarePlanFor(r *tendo.Result, patient fhir.Reference) *fhir.CarePlan {
	return carePlan(r, patient, nil)
}

// carePlan is CarePlanFor with the ServiceRequests' references by plan
// element (nil: none).
func carePlan(r *tendo.Result, patient fhir.Reference, requests map[string]fhir.Reference) *fhir.CarePlan {
	cp := &fhir.CarePlan{
		Status:      "draft",
		Intent:      "plan",
		Title:       "Management plan for posterior heel or Achilles pain",
		Description: r.Plan.Summary,
		Subject:     &patient,
		Created:     r.Date,
	}
	if r.Date != "" {
		cp.Period = &fhir.Period{Start: r.Date}
	}
	activity := func(it tendo.PlanItem, phase *tendo.Phase) fhir.CarePlanActivity {
		if ref, ok := requests[it.ID]; ok {
			return fhir.CarePlanActivity{Reference: &ref}
		}
		d := &fhir.CarePlanActivityDetail{
			Code:        codeable(fhir.Coding{System: SystemPlan, Code: it.ID, Display: it.Title}, it.Title),
			Status:      "not-started",
			Description: itemDescription(it, phase),
		}
		if phase != nil {
			schedule(d, it, phase, r.Date)
		}
		return fhir.CarePlanActivity{Detail: d}
	}
	seen := map[string]bool{}
	for _, it := range r.Plan.Referral {
		seen[it.ID] = true
		cp.Activity = append(cp.Activity, activity(it, nil))
	}
	for i := range r.Plan.Phases {
		ph := &r.Plan.Phases[i]
		for _, it := range ph.Components {
			if seen[it.ID] {
				continue
			}
			seen[it.ID] = true
			cp.Activity = append(cp.Activity, activity(it, ph))
		}
	}
	if s := r.Plan.Reassessment.Schedule; s != "" {
		cp.Note = append(cp.Note, fhir.Annotation{Text: "Reassessment: " + s})
	}
	for _, t := range r.Plan.Reassessment.Targets {
		n := fmt.Sprintf("Target: %s %s by %s", t.Measure, t.Target, t.By)
		if t.Baseline != nil {
			n += fmt.Sprintf(" (baseline %s)", strconv.FormatFloat(*t.Baseline, 'f', -1, 64))
		}
		if t.Source != "" {
			n += "; source: " + t.Source
		}
		cp.Note = append(cp.Note, fhir.Annotation{Text: n + "."})
	}
	if len(r.Plan.Differentials) > 0 {
		cp.Note = append(cp.Note, fhir.Annotation{Text: "Consider: " + strings.Join(r.Plan.Differentials, "; ") + "."})
	}
	cp.Text = narrative(fmt.Sprintf("%s. %d activities. %s", cp.Title, len(cp.Activity), r.Plan.Summary))
	return cp
}

// itemDescription is a plan element in words: the phase, what and how
// much, when to progress, why and the source.
func itemDescription(it tendo.PlanItem, phase *tendo.Phase) string {
	var parts []string
	if phase != nil {
		parts = append(parts, phase.Title+" ("+phase.Weeks+").")
	}
	for _, s := range []string{it.Dosage, prefixed("Progression: ", it.Progression), prefixed("Why: ", it.Rationale), sourceText(it.Source)} {
		if s != "" {
			parts = append(parts, s)
		}
	}
	return strings.Join(parts, " ")
}

func prefixed(p, s string) string {
	if s == "" {
		return ""
	}
	return p + s
}

// weeksPattern reads a phase's weeks: "weeks 0–2", "weeks 2–6", "week 12
// on".
var weeksPattern = regexp.MustCompile(`^weeks? (\d{1,2})(?:\s*[–-]\s*(\d{1,2}))?`)

// phaseWeeks returns the first and last week of a phase; last is -1 for
// an open end; ok false when the text does not read.
func phaseWeeks(s string) (first, last int, ok bool) {
	m := weeksPattern.FindStringSubmatch(s)
	if m == nil {
		return 0, 0, false
	}
	first, _ = strconv.Atoi(m[1])
	last = -1
	if m[2] != "" {
		last, _ = strconv.Atoi(m[2])
	}
	return first, last, true
}

// schedule sets when an element of phase happens, counted from the
// visit date.
func schedule(d *fhir.CarePlanActivityDetail, it tendo.PlanItem, phase *tendo.Phase, date string) {
	first, last, ok := phaseWeeks(phase.Weeks)
	start, err := time.Parse(time.DateOnly, date)
	if !ok || err != nil {
		d.ScheduledString = phase.Weeks
		return
	}
	period := &fhir.Period{Start: start.AddDate(0, 0, 7*first).Format(time.DateOnly)}
	if last >= 0 {
		period.End = start.AddDate(0, 0, 7*last).Format(time.DateOnly)
	}
	var protos []tendo.Protocol
	for _, p := range tendo.Protocols {
		if p.PlanItem == it.ID {
			protos = append(protos, p)
		}
	}
	if len(protos) != 1 {
		d.ScheduledPeriod = period
		return
	}
	dose := protos[0].Start
	freq := int64(dose.PerWeek)
	d.ScheduledTiming = &fhir.Timing{Repeat: &fhir.TimingRepeat{
		BoundsPeriod: period, Frequency: &freq, Period: "1", PeriodUnit: "wk",
	}}
	d.Quantity = &fhir.Quantity{Value: fhir.DecimalOf(float64(dose.Sets * dose.Reps)), Unit: "repetitions per exercise per session",
		System: UCUM, Code: "{repetitions}"}
	d.Description += fmt.Sprintf(" Starting dose (%s): %d sets of %d, %d sessions a week.", protos[0].Title, dose.Sets, dose.Reps, dose.PerWeek)
}

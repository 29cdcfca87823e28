package fhirmap

// This file lists every code system and code the package writes. tendo's
// own CodeSystems live under Base; an external code (LOINC, SNOMED CT,
// HL7 terminology) appears only where it was confirmed, and the note
// docs/ehr/fhir-export.md records by what. Nothing here is
// invented: a finding with no confirmed external code carries tendo's
// code and the field's meaning as code.text.

import (
	"html"
	"reflect"
	"strings"
	"unicode"

	"github.com/tendo-health/tendo"
	"github.com/tendo-health/tendo/fhir"
)

// Base is the root of tendo's canonical URLs.
const Base = "https://tendo-health.github.io/fhir"

// tendo's CodeSystems.
const (
	// SystemField has one code per contract field path of the field index
	// (tendo.Fields): "exam.arcSign", "history.legPainAreas[]".
	SystemField = Base + "/CodeSystem/field"
	// SystemClassification has the six classifications of a result.
	SystemClassification = Base + "/CodeSystem/classification"
	// SystemProbability has the keys of Result.Probabilities.
	SystemProbability = Base + "/CodeSystem/probability"
	// SystemDifferential has the contract's differential codes.
	SystemDifferential = Base + "/CodeSystem/differential"
	// SystemRedFlag has the red-flag codes.
	SystemRedFlag = Base + "/CodeSystem/red-flag"
	// SystemInstrument has the outcome measures: visaA, odi, nprs, lefs.
	SystemInstrument = Base + "/CodeSystem/instrument"
	// SystemPlan has the plan elements' ids (kb/plan.yaml: "education",
	// "loading-midportion", "imaging-spine").
	SystemPlan = Base + "/CodeSystem/plan"
	// SystemDetectedIssue has the tendon-risk issues tendo detects.
	SystemDetectedIssue = Base + "/CodeSystem/detected-issue"
	// SystemPatient identifies a patient by tendo's own patient id.
	SystemPatient = Base + "/sid/patient"
	// SystemVisit identifies a visit (an assessment) by tendo's id.
	SystemVisit = Base + "/sid/visit"
)

// ValueSystem returns the CodeSystem of the values of one of the
// contract's enumerations, named after its Go type: TestResult →
// Base/CodeSystem/test-result. SensoryGrade is an alias of ReflexGrade,
// so both use reflex-grade.
func ValueSystem(t reflect.Type) string {
	for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice {
		t = t.Elem()
	}
	return Base + "/CodeSystem/" + kebab(t.Name())
}

// kebab writes a Go type name in lower-case kebab case: "TestResult" →
// "test-result", "MRITendon" → "mri-tendon", "VISAABranch" →
// "visaa-branch".
func kebab(name string) string {
	rs := []rune(name)
	var b strings.Builder
	for i, r := range rs {
		if unicode.IsUpper(r) && i > 0 {
			prevLower := unicode.IsLower(rs[i-1])
			nextLower := i+1 < len(rs) && unicode.IsLower(rs[i+1])
			if prevLower || (nextLower && unicode.IsUpper(rs[i-1])) {
				b.WriteByte('-')
			}
		}
		b.WriteRune(unicode.ToLower(r))
	}
	return b.String()
}

// Canonical URLs of the four Questionnaires (Questionnaire.url); their
// version is Version.
const (
	QuestionnaireVISAA = Base + "/Questionnaire/visa-a"
	QuestionnaireODI   = Base + "/Questionnaire/odi"
	QuestionnaireNPRS  = Base + "/Questionnaire/nprs"
	QuestionnaireLEFS  = Base + "/Questionnaire/lefs"
)

// Version is the version of tendo's canonical resources (the
// Questionnaires): the assessment contract they belong to.
const Version = "1.1"

// External code systems, as FHIR names them.
const (
	LOINC               = "http://loinc.org"
	SNOMED              = "http://snomed.info/sct"
	UCUM                = "http://unitsofmeasure.org"
	ObservationCategory = "http://terminology.hl7.org/CodeSystem/observation-category"
	ConditionCategory   = "http://terminology.hl7.org/CodeSystem/condition-category"
	ConditionClinical   = "http://terminology.hl7.org/CodeSystem/condition-clinical"
	ConditionVerStatus  = "http://terminology.hl7.org/CodeSystem/condition-ver-status"
	FlagCategory        = "http://terminology.hl7.org/CodeSystem/flag-category"
	ActCode             = "http://terminology.hl7.org/CodeSystem/v3-ActCode"
	Interpretation      = "http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation"
)

// LOINC codes, each confirmed (see the note).
const (
	LOINCBodyHeight = "8302-2"  // Body height (R4 example Observation-body-height)
	LOINCBodyWeight = "29463-7" // Body weight (R4 example Observation-example)
	LOINCODIPanel   = "97908-8" // Oswestry Disability Index (panel)
	LOINCODIScore   = "97909-6" // Oswestry disability index score ODI
	LOINCNPRS       = "72514-3" // Pain severity - 0-10 verbal numeric rating [Score] - Reported
)

// SNOMED CT codes, each confirmed (see the note).
const (
	SNOMEDLowBackPain = "279039007" // Low back pain (finding)
)

// externalCodings are the confirmed LOINC and SNOMED CT codings of
// contract fields, written beside tendo's own code. The key is the field
// path.
var externalCodings = map[string][]fhir.Coding{
	"patient.heightCm":    {{System: LOINC, Code: LOINCBodyHeight, Display: "Body height"}},
	"patient.weightKg":    {{System: LOINC, Code: LOINCBodyWeight, Display: "Body weight"}},
	"history.lowBackPain": {{System: SNOMED, Code: SNOMEDLowBackPain, Display: "Low back pain"}},
	"proms.odi.percent":   {{System: LOINC, Code: LOINCODIScore, Display: "Oswestry disability index score ODI"}},
	"proms.nprs":          {{System: LOINC, Code: LOINCNPRS, Display: "Pain severity - 0-10 verbal numeric rating [Score] - Reported"}},
}

// ucumUnit is a UCUM code with the unit as people write it.
type ucumUnit struct{ Code, Unit string }

// ucumUnits maps the field index's units (FieldInfo.Unit) to UCUM. A
// number without a unit (the ABPI, a ratio) is UCUM "1". Body weights
// (a force divided by the body's weight) are a ratio too.
var ucumUnits = map[string]ucumUnit{
	"years":        {"a", "years"},
	"cm":           {"cm", "cm"},
	"kg":           {"kg", "kg"},
	"weeks":        {"wk", "weeks"},
	"minutes":      {"min", "minutes"},
	"m":            {"m", "m"},
	"deg":          {"deg", "degrees"},
	"%":            {"%", "%"},
	"steps/min":    {"/min", "steps/min"},
	"N·m/kg":       {"N.m/kg", "N·m/kg"},
	"body weights": {"1", "body weights"},
	"mm":           {"mm", "mm"},
	"":             {"1", "ratio"},
}

// scoreFields are the contract fields that hold an outcome measure's
// score, by instrument, and the UCUM unit of the score.
var scoreFields = []struct {
	Instrument tendo.Instrument
	Path       string
	Unit       ucumUnit
}{
	{tendo.InstrumentVISAA, "proms.visaA.score", ucumUnit{"{score}", "score"}},
	{tendo.InstrumentODI, "proms.odi.percent", ucumUnit{"%", "%"}},
	{tendo.InstrumentNPRS, "proms.nprs", ucumUnit{"{score}", "score"}},
	{tendo.InstrumentLEFS, "proms.lefs.score", ucumUnit{"{score}", "score"}},
}

// scoreField returns the entry of scoreFields for path, or false.
func scoreField(path string) (tendo.Instrument, ucumUnit, bool) {
	for _, s := range scoreFields {
		if s.Path == path {
			return s.Instrument, s.Unit, true
		}
	}
	return "", ucumUnit{}, false
}

// instrumentNames are the measures in words, for code displays.
var instrumentNames = map[tendo.Instrument]string{
	tendo.InstrumentVISAA: "VISA-A (Victorian Institute of Sport Assessment – Achilles)",
	tendo.InstrumentODI:   "Oswestry Disability Index v2.1a",
	tendo.InstrumentNPRS:  "Numeric pain rating scale, 0–10",
	tendo.InstrumentLEFS:  "Lower Extremity Functional Scale",
}

// InstrumentCoding returns tendo's code of an outcome measure.
func InstrumentCoding(i tendo.Instrument) fhir.Coding {
	return fhir.Coding{System: SystemInstrument, Code: string(i), Display: instrumentNames[i]}
}

// notObservations are the contract fields that are not findings: the
// contract version, identifiers and the visit date (the Observation's
// effectiveDateTime).
var notObservations = map[string]bool{
	"schema": true, "id": true, "date": true, "patient.id": true,
}

// category returns the observation-category code of a field: vital signs
// for height and weight; social history for the other facts about the
// patient (activity, smoking, age, sex); survey for the structured
// history and the outcome scores; imaging for imaging; exam for the
// examination, gait and the side.
func category(path string) string {
	switch {
	case path == "patient.heightCm" || path == "patient.weightKg":
		return "vital-signs"
	case path == "patient.skeletallyImmature":
		return "exam"
	case strings.HasPrefix(path, "patient."):
		return "social-history"
	case strings.HasPrefix(path, "history."), strings.HasPrefix(path, "proms."):
		return "survey"
	case strings.HasPrefix(path, "imaging."):
		return "imaging"
	}
	return "exam"
}

// categoryDisplay are the displays of the observation-category codes
// used (R4 CodeSystem observation-category).
var categoryDisplay = map[string]string{
	"vital-signs":    "Vital Signs",
	"social-history": "Social History",
	"survey":         "Survey",
	"imaging":        "Imaging",
	"exam":           "Exam",
}

// classificationNames are the classifications in plain words.
var classificationNames = map[tendo.Classification]string{
	tendo.UrgentReferral:    "Urgent referral",
	tendo.LocalTendinopathy: "Local Achilles tendinopathy",
	tendo.LumbarReferred:    "Referred from the lumbar spine",
	tendo.Mixed:             "Mixed: tendon and lumbar spine (kinetic chain)",
	tendo.OtherCause:        "Another cause is likely",
	tendo.Uncertain:         "Uncertain: more tests needed",
}

// ClassificationCoding returns tendo's code of a classification.
func ClassificationCoding(c tendo.Classification) fhir.Coding {
	name := classificationNames[c]
	if name == "" {
		name = string(c)
	}
	return fhir.Coding{System: SystemClassification, Code: string(c), Display: name}
}

// probabilityNames are the keys of Result.Probabilities in words, in the
// order of the struct.
var probabilityNames = []struct{ Key, Name string }{
	{"achillesTendinopathy", "Achilles tendinopathy"},
	{"s1Radiculopathy", "S1 radiculopathy"},
	{"lumbarContribution", "A contribution from the lumbar spine"},
	{"achillesRupture", "Achilles rupture"},
	{"midportionTendinopathy", "Midportion Achilles tendinopathy"},
	{"insertionalTendinopathy", "Insertional Achilles tendinopathy"},
	{"compensatoryGait", "Compensatory gait (biomechanical route of a lumbar contribution)"},
	{"calfWeakness", "Calf weakness (neurological route of a lumbar contribution)"},
	{"tendonOverload", "Tendon overload"},
	{"tendonVulnerability", "Tendon vulnerability"},
	{"otherHeelPathology", "Another heel condition"},
}

// probabilities returns the probabilities and ranges of r in the order of
// probabilityNames.
func probabilities(r *tendo.Result) []struct {
	Key, Name string
	P         float64
	Range     tendo.Range
} {
	p, g := &r.Probabilities, &r.ProbabilityRanges
	vals := []float64{p.AchillesTendinopathy, p.S1Radiculopathy, p.LumbarContribution, p.AchillesRupture,
		p.MidportionTendinopathy, p.InsertionalTendinopathy, p.CompensatoryGait, p.CalfWeakness,
		p.TendonOverload, p.TendonVulnerability, p.OtherHeelPathology}
	rs := []tendo.Range{g.AchillesTendinopathy, g.S1Radiculopathy, g.LumbarContribution, g.AchillesRupture,
		g.MidportionTendinopathy, g.InsertionalTendinopathy, g.CompensatoryGait, g.CalfWeakness,
		g.TendonOverload, g.TendonVulnerability, g.OtherHeelPathology}
	out := make([]struct {
		Key, Name string
		P         float64
		Range     tendo.Range
	}, len(probabilityNames))
	for i, n := range probabilityNames {
		out[i].Key, out[i].Name, out[i].P, out[i].Range = n.Key, n.Name, vals[i], rs[i]
	}
	return out
}

// codeable returns a CodeableConcept of one coding and a text.
func codeable(c fhir.Coding, text string) *fhir.CodeableConcept {
	return &fhir.CodeableConcept{Coding: []fhir.Coding{c}, Text: text}
}

// FieldConcept returns the code of a contract field: tendo's code (the
// path) with the field's meaning as display and text, and the confirmed
// LOINC or SNOMED CT codings after it.
func FieldConcept(f tendo.FieldInfo) *fhir.CodeableConcept {
	cc := &fhir.CodeableConcept{
		Coding: []fhir.Coding{{System: SystemField, Code: f.Path, Display: f.Doc}},
		Text:   f.Doc,
	}
	if i, _, ok := scoreField(f.Path); ok {
		cc.Text = instrumentNames[i] + " score"
		cc.Coding[0].Display = cc.Text
	}
	cc.Coding = append(cc.Coding, externalCodings[f.Path]...)
	return cc
}

// narrative returns a resource's text: the plain words s, escaped, in an
// XHTML div (status generated).
func narrative(s string) *fhir.Narrative {
	return &fhir.Narrative{Status: "generated", Div: `<div xmlns="http://www.w3.org/1999/xhtml"><p>` + html.EscapeString(s) + `</p></div>`}
}

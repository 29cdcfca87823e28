package fhirmap

// This file writes the four questionnaires tendo asks (package
// questionnaire's forms) as FHIR Questionnaires, and a patient's answers
// as QuestionnaireResponses: from a stored response of a questionnaire
// link and from an assessment's outcome-measure answers.

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/tendo-health/tendo"
	"github.com/tendo-health/tendo/fhir"
	"github.com/tendo-health/tendo/questionnaire"
)

// SystemAnswer has the answers of tendo's questionnaires, coded as the
// form sends them (questionnaire.Choice.FormValue): the points ("7"), a
// VISA-A item 8 branch and points ("B:10"), or "skip" (the ODI's "prefer
// not to answer"). The display is the answer's wording for its item.
const SystemAnswer = Base + "/CodeSystem/answer"

// ExtOrdinalValue is FHIR's extension for the score of an answer option
// (R4 core extension ordinalValue).
const ExtOrdinalValue = "http://hl7.org/fhir/StructureDefinition/ordinalValue"

// instruments are the four questionnaires, in the order tendo lists them,
// with their Questionnaire id and canonical URL.
var instruments = []struct {
	Instrument tendo.Instrument
	ID, URL    string
	Name       string // computable name
}{
	{tendo.InstrumentVISAA, "visa-a", QuestionnaireVISAA, "VISAA"},
	{tendo.InstrumentODI, "odi", QuestionnaireODI, "ODI"},
	{tendo.InstrumentNPRS, "nprs", QuestionnaireNPRS, "NPRS"},
	{tendo.InstrumentLEFS, "lefs", QuestionnaireLEFS, "LEFS"},
}

// QuestionnaireURL returns the canonical URL of an instrument's
// Questionnaire, or "" for an unknown instrument.
func QuestionnaireURL(i tendo.Instrument) string {
	for _, in := range instruments {
		if in.Instrument == i {
			return in.URL
		}
	}
	return ""
}

// InstrumentForURL returns the instrument of a Questionnaire's canonical
// URL, with or without a version ("…/Questionnaire/odi|1.1"); false for
// any other URL.
func InstrumentForURL(canonical string) (tendo.Instrument, bool) {
	u, _, _ := strings.Cut(canonical, "|")
	for _, in := range instruments {
		if in.URL == u {
			return in.Instrument, true
		}
	}
	return "", false
}

// wordingNotice is the copyright element of every Questionnaire: the
// wording is tendo's paraphrase, not the original's.
const wordingNotice = "The questions and answers are tendo's own plain-language paraphrase of what each item of the " +
	"original questionnaire asks; they are not the official wording and have not been validated against it. " +
	"The scoring (the points behind each answer) is the published scoring, so totals are comparable with the originals."

// copyrights say, per instrument, whose the original is. The ODI's is the
// owner's statement as LOINC and the distributor (Mapi Research Trust,
// ePROVIDE) publish it; for the others tendo cites the publication only.
var copyrights = map[tendo.Instrument]string{
	tendo.InstrumentVISAA: "Original: the VISA-A questionnaire, Robinson JM et al. 2001, Br J Sports Med 35(5):335–41.",
	tendo.InstrumentODI: "Original: ODI © Jeremy Fairbank, 1980. All Rights Reserved. Version 2.1a (Fairbank & Pynsent 2000, Spine 25(22):2940–52) " +
		"is distributed by Mapi Research Trust (ePROVIDE), whose conditions of use apply to the official form; " +
		"tendo does not reproduce its wording.",
	tendo.InstrumentNPRS: "A 0–10 numeric pain rating scale, a generic format.",
	tendo.InstrumentLEFS: "Original: the Lower Extremity Functional Scale, Binkley JM et al. 1999, Phys Ther 79(4):371–83.",
}

// Questionnaires returns the four questionnaires tendo asks, VISA-A, ODI,
// NPRS and LEFS, built from package questionnaire's forms: one choice
// item per form item, linkId = the form's key ("q1"), an answerOption per
// choice coded in SystemAnswer with its points as ordinalValue, and the
// ODI panel's LOINC code (97908-8) and the NPRS item's (72514-3) beside
// tendo's instrument code. The copyright element says the wording is a
// paraphrase.
func Questionnaires() []*fhir.Questionnaire {
	out := make([]*fhir.Questionnaire, 0, len(instruments))
	for _, in := range instruments {
		q, err := QuestionnaireFor(in.Instrument)
		if err != nil {
			panic(err) // the forms are the package's own: a test covers every one
		}
		out = append(out, q)
	}
	return out
}

// QuestionnaireFor returns one instrument's Questionnaire (see
// Questionnaires).
func QuestionnaireFor(i tendo.Instrument) (*fhir.Questionnaire, error) {
	form, ok := questionnaire.For(i)
	if !ok {
		return nil, fmt.Errorf("fhirmap: no questionnaire %q", i)
	}
	var id, url, name string
	for _, in := range instruments {
		if in.Instrument == i {
			id, url, name = in.ID, in.URL, in.Name
		}
	}
	q := &fhir.Questionnaire{
		ID:          id,
		URL:         url,
		Version:     Version,
		Name:        name,
		Title:       form.Name + ": " + form.Title,
		Status:      "active",
		SubjectType: []string{"Patient"},
		Publisher:   "tendo",
		Description: form.Intro + " " + form.Note,
		Copyright:   wordingNotice + " " + copyrights[i],
		Code:        []fhir.Coding{InstrumentCoding(i)},
	}
	if i == tendo.InstrumentODI {
		q.Code = append(q.Code, fhir.Coding{System: LOINC, Code: LOINCODIPanel, Display: "Oswestry Disability Index"})
	}
	if form.MaxMissing > 0 {
		q.Description += fmt.Sprintf(" At most %d sections may be left unanswered.", form.MaxMissing)
	}
	for n, it := range form.Items {
		qi := fhir.QuestionnaireItem{
			LinkID: it.Key,
			Prefix: strconv.Itoa(n+1) + ".",
			Text:   itemText(&it),
			Type:   "choice",
		}
		if i == tendo.InstrumentNPRS {
			qi.Code = []fhir.Coding{{System: LOINC, Code: LOINCNPRS, Display: "Pain severity - 0-10 verbal numeric rating [Score] - Reported"}}
		}
		req := !it.Optional
		qi.Required = &req
		for _, c := range it.Choices {
			opt := fhir.QuestionnaireAnswerOption{ValueCoding: &fhir.Coding{System: SystemAnswer, Code: c.FormValue(), Display: choiceText(&it, c)}}
			if !c.Skip {
				opt.Extension = []fhir.Extension{ordinal(c.Value)}
			}
			qi.AnswerOption = append(qi.AnswerOption, opt)
		}
		q.Item = append(q.Item, qi)
	}
	q.Text = narrative(q.Title + ". " + q.Description + " " + q.Copyright)
	return q, nil
}

// ordinal is the ordinalValue extension holding an answer's points.
func ordinal(points int) fhir.Extension {
	return fhir.Extension{URL: ExtOrdinalValue, Extra: fhir.Extra{"valueDecimal": json.RawMessage(strconv.Itoa(points))}}
}

// itemText is an item's question, after its short title when it has one.
func itemText(it *questionnaire.Item) string {
	if it.Title != "" {
		return it.Title + ": " + it.Text
	}
	return it.Text
}

// choiceText is a choice's wording as the patient reads it: a scale's
// ends with their anchors ("0 (No pain)"), a grouped choice after its
// group's statement.
func choiceText(it *questionnaire.Item, c questionnaire.Choice) string {
	if c.Skip {
		return c.Label
	}
	if it.Scale() {
		switch c.Value {
		case it.Choices[0].Value:
			return c.Label + " (" + it.Low + ")"
		case it.Choices[len(it.Choices)-1].Value:
			return c.Label + " (" + it.High + ")"
		}
		return c.Label
	}
	if c.Group != "" {
		for _, g := range it.Groups {
			if g.Key == c.Group {
				return g.Text + " " + c.Label
			}
		}
	}
	return c.Label
}

// formValues returns the form value of each item of instrument i in the
// answers JSON (as stored by a link and as under "proms" in an
// assessment): "" for an item left unanswered.
func formValues(i tendo.Instrument, answersJSON []byte) ([]string, error) {
	var vals []string
	switch i {
	case tendo.InstrumentVISAA:
		var m tendo.VISAA
		if err := json.Unmarshal(answersJSON, &m); err != nil {
			return nil, err
		}
		for _, a := range m.Answers {
			if a.Item8 != nil {
				vals = append(vals, string(a.Item8.Branch)+":"+strconv.Itoa(a.Item8.Points))
			} else {
				vals = append(vals, strconv.Itoa(a.Points))
			}
		}
	case tendo.InstrumentODI:
		var m tendo.ODI
		if err := json.Unmarshal(answersJSON, &m); err != nil {
			return nil, err
		}
		for _, a := range m.Answers {
			if a == nil {
				vals = append(vals, "")
			} else {
				vals = append(vals, strconv.Itoa(*a))
			}
		}
	case tendo.InstrumentNPRS:
		var n int
		if err := json.Unmarshal(answersJSON, &n); err != nil {
			return nil, err
		}
		vals = []string{strconv.Itoa(n)}
	case tendo.InstrumentLEFS:
		var m tendo.LEFS
		if err := json.Unmarshal(answersJSON, &m); err != nil {
			return nil, err
		}
		for _, a := range m.Answers {
			vals = append(vals, strconv.Itoa(a))
		}
	default:
		return nil, fmt.Errorf("unknown instrument %q", i)
	}
	return vals, nil
}

// ResponseFor returns the QuestionnaireResponse of instrument i's answers
// (the answers JSON as a link stores it and as "proms" holds it: {"answers":
// [...]} for VISA-A, ODI and LEFS, a number for NPRS), for subject,
// authored at authored (a FHIR dateTime). Each answered item is one item
// with its linkId and one valueCoding in SystemAnswer; an item left
// unanswered (an ODI section) is left out, as FHIR asks. The answers must
// fit the form: as many as it has items, each one of the item's choices.
func ResponseFor(i tendo.Instrument, answersJSON []byte, subject fhir.Reference, authored string) (*fhir.QuestionnaireResponse, error) {
	form, ok := questionnaire.For(i)
	if !ok {
		return nil, fmt.Errorf("fhirmap: no questionnaire %q", i)
	}
	vals, err := formValues(i, answersJSON)
	if err != nil {
		return nil, fmt.Errorf("fhirmap: %s answers: %w", form.Name, err)
	}
	if len(vals) != len(form.Items) {
		return nil, fmt.Errorf("fhirmap: %s answers: %d answers, the form has %d items", form.Name, len(vals), len(form.Items))
	}
	qr := &fhir.QuestionnaireResponse{
		Questionnaire: QuestionnaireURL(i) + "|" + Version,
		Status:        "completed",
		Subject:       &subject,
		Authored:      authored,
	}
	answered := 0
	for n, it := range form.Items {
		v := vals[n]
		if v == "" {
			continue
		}
		var choice *questionnaire.Choice
		for _, c := range it.Choices {
			if c.FormValue() == v {
				choice = &c
				break
			}
		}
		if choice == nil {
			return nil, fmt.Errorf("fhirmap: %s item %d: %q is none of its answers", form.Name, n+1, v)
		}
		answered++
		qr.Item = append(qr.Item, fhir.QuestionnaireResponseItem{
			LinkID: it.Key,
			Text:   itemText(&it),
			Answer: []fhir.QuestionnaireResponseAnswer{{
				ValueCoding: &fhir.Coding{System: SystemAnswer, Code: v, Display: choiceText(&it, *choice)},
			}},
		})
	}
	qr.Text = narrative(fmt.Sprintf("%s answered by the patient: %d of %d items.", form.Name, answered, len(form.Items)))
	return qr, nil
}

// StoredResponse returns the QuestionnaireResponse of a response a
// patient sent by questionnaire link, identified by tendo's response id
// and authored when it was submitted (UTC).
func StoredResponse(r tendo.QuestionnaireResponse, subject fhir.Reference) (*fhir.QuestionnaireResponse, error) {
	qr, err := ResponseFor(r.Instrument, r.Answers, subject, r.SubmittedAt.UTC().Format(time.RFC3339))
	if err != nil {
		return nil, err
	}
	qr.Identifier = &fhir.Identifier{System: Base + "/sid/questionnaire-response", Value: strconv.FormatInt(r.ID, 10)}
	return qr, nil
}

// PROMResponses returns a QuestionnaireResponse per outcome measure the
// assessment gives item by item (VISA-A, ODI and LEFS answers, and the
// NPRS, a one-item questionnaire), authored on the visit date, in the
// order VISA-A, ODI, NPRS, LEFS, each with its instrument. A measure
// given only as a score has none: its score Observation says it all.
func PROMResponses(a *tendo.Assessment, subject fhir.Reference, authored string) ([]tendo.Instrument, []*fhir.QuestionnaireResponse, error) {
	var insts []tendo.Instrument
	var out []*fhir.QuestionnaireResponse
	add := func(i tendo.Instrument, v any) error {
		b, err := json.Marshal(v)
		if err != nil {
			return err
		}
		qr, err := ResponseFor(i, b, subject, authored)
		if err != nil {
			return err
		}
		insts, out = append(insts, i), append(out, qr)
		return nil
	}
	p := &a.PROMs
	if p.VISAA != nil && len(p.VISAA.Answers) > 0 {
		if err := add(tendo.InstrumentVISAA, tendo.VISAA{Answers: p.VISAA.Answers}); err != nil {
			return nil, nil, err
		}
	}
	if p.ODI != nil && len(p.ODI.Answers) > 0 {
		if err := add(tendo.InstrumentODI, tendo.ODI{Answers: p.ODI.Answers}); err != nil {
			return nil, nil, err
		}
	}
	if p.NPRS != nil {
		if err := add(tendo.InstrumentNPRS, *p.NPRS); err != nil {
			return nil, nil, err
		}
	}
	if p.LEFS != nil && len(p.LEFS.Answers) > 0 {
		if err := add(tendo.InstrumentLEFS, tendo.LEFS{Answers: p.LEFS.Answers}); err != nil {
			return nil, nil, err
		}
	}
	return insts, out, nil
}

// ScoreAnswers scores instrument i's answers JSON (as ResponseFor takes
// it) with the root package's scoring, as `tendo assess` scores them.
func ScoreAnswers(i tendo.Instrument, answersJSON []byte) (tendo.Score, error) {
	switch i {
	case tendo.InstrumentVISAA:
		var m tendo.VISAA
		if err := json.Unmarshal(answersJSON, &m); err != nil {
			return tendo.Score{}, err
		}
		return tendo.ScoreVISAA(&m)
	case tendo.InstrumentODI:
		var m tendo.ODI
		if err := json.Unmarshal(answersJSON, &m); err != nil {
			return tendo.Score{}, err
		}
		return tendo.ScoreODI(&m)
	case tendo.InstrumentNPRS:
		var n int
		if err := json.Unmarshal(answersJSON, &n); err != nil {
			return tendo.Score{}, err
		}
		return tendo.ScoreNPRS(n)
	case tendo.InstrumentLEFS:
		var m tendo.LEFS
		if err := json.Unmarshal(answersJSON, &m); err != nil {
			return tendo.Score{}, err
		}
		return tendo.ScoreLEFS(&m)
	}
	return tendo.Score{}, fmt.Errorf("fhirmap: unknown instrument %q", i)
}

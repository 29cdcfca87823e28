package fhirmap

import (
	"encoding/json"
	"fmt"
	"net/url"
	"sort"
	"strconv"
	"strings"

	"github.com/tendo-health/tendo"
	"github.com/tendo-health/tendo/fhir"
	"github.com/tendo-health/tendo/questionnaire"
)

// promItem splits a contract path under proms into the instrument and the
// form item it names ("proms.visaA.answers[7].points" → visaA, "q8"); item
// is "" for the measure as a whole.
func promItem(path string) (tendo.Instrument, string, bool) {
	rest, ok := strings.CutPrefix(path, "proms.")
	if !ok {
		return "", "", false
	}
	name, rest, _ := strings.Cut(rest, ".")
	inst := tendo.Instrument(name)
	if !inst.Valid() {
		return "", "", false
	}
	if inst == tendo.InstrumentNPRS {
		return inst, "q1", true
	}
	if a, ok := strings.CutPrefix(rest, "answers["); ok {
		if n, _, ok := strings.Cut(a, "]"); ok {
			if k, err := strconv.Atoi(n); err == nil && k >= 0 && k < 100 {
				return inst, "q" + strconv.Itoa(k+1), true
			}
		}
	}
	return inst, "", true
}

// questionnaireResponse reads a response to one of tendo's questionnaires
// into the contract's PROM answers, scored by the root package exactly as
// `tendo assess` scores them (questionnaire.Parse builds the same
// structures the form does).
//
// Items are matched by linkId (q1, q2 … as the form's items); nested
// group items are walked. An answer is read from valueCoding in
// SystemAnswer (its code is the form value: the points, "B:10" for VISA-A
// item 8, "skip" for ODI's prefer-not-to-answer) or valueInteger (the
// points of an item without branches).
func (im *importer) questionnaireResponse(q *fhir.QuestionnaireResponse, path string) {
	res := resName(q)
	switch q.Status {
	case "completed", "amended":
	case "in-progress":
		defer im.note("%s (%s) is in progress: check the answers.", path, res)
	case "":
		im.unmapped(path+".status", res, "the response has no status", IssueRequired)
		return
	default:
		im.unmapped(path+".status", res, fmt.Sprintf("the response's status is %q: only completed, amended and in-progress responses are read", q.Status), IssueNotSupported)
		return
	}
	inst, ok := InstrumentForURL(q.Questionnaire)
	if !ok {
		reason := "the response is not to one of tendo's questionnaires (VISA-A, ODI, NPRS, LEFS by their canonical URLs)"
		if q.Questionnaire != "" {
			reason = fmt.Sprintf("questionnaire %q is not one of tendo's (VISA-A, ODI, NPRS, LEFS by their canonical URLs)", q.Questionnaire)
		}
		im.unmapped(path+".questionnaire", res, reason, IssueNotSupported)
		return
	}
	form, _ := questionnaire.For(inst)
	known := map[string]bool{}
	for _, it := range form.Items {
		known[it.Key] = true
	}
	values := url.Values{}
	where := map[string]string{} // linkId → FHIRPath of its item
	var bad bool
	var walk func(items []fhir.QuestionnaireResponseItem, p string)
	walk = func(items []fhir.QuestionnaireResponseItem, p string) {
		for n, it := range items {
			ip := fmt.Sprintf("%s.item[%d]", p, n)
			switch {
			case len(it.Item) > 0 && len(it.Answer) == 0:
				walk(it.Item, ip)
				continue
			case !known[it.LinkID]:
				im.unmapped(ip, res, fmt.Sprintf("linkId %q is not an item of tendo's %s", it.LinkID, form.Name), IssueNotSupported)
				bad = true
				continue
			case where[it.LinkID] != "":
				im.unmapped(ip, res, fmt.Sprintf("item %s is answered twice (also at %s)", it.LinkID, where[it.LinkID]), IssueInvalid)
				bad = true
				continue
			}
			where[it.LinkID] = ip
			if len(it.Item) > 0 {
				im.unmapped(ip+".item", res, "items nested under a question are not read", IssueNotSupported)
			}
			switch len(it.Answer) {
			case 0:
				continue // unanswered: Parse decides whether it may be
			case 1:
			default:
				im.unmapped(ip+".answer", res, fmt.Sprintf("item %s has %d answers; it takes one", it.LinkID, len(it.Answer)), IssueInvalid)
				bad = true
				continue
			}
			v, ok := answerValue(it.Answer[0])
			if !ok {
				im.unmapped(ip+".answer[0]", res, fmt.Sprintf("item %s: the answer is not a valueCoding or valueInteger tendo reads", it.LinkID), IssueValue)
				bad = true
				continue
			}
			values.Set(it.LinkID, v)
		}
	}
	walk(q.Item, path)
	if bad {
		im.unmapped(path, res, fmt.Sprintf("the %s response is not read: see its items", form.Name), IssueInvalid)
		return
	}
	answers, _, errs := questionnaire.Parse(inst, values)
	if len(errs) > 0 {
		keys := make([]string, 0, len(errs))
		for k := range errs {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			if k == questionnaire.FormErrorKey {
				continue
			}
			p := where[k]
			if p == "" {
				p = path + ".item"
			}
			im.unmapped(p, res, fmt.Sprintf("%s item %s: %s", form.Name, k, answerMessage(errs[k])), IssueValue)
		}
		reason := fmt.Sprintf("the %s response is not read: see its items", form.Name)
		if m := errs[questionnaire.FormErrorKey]; m != "" {
			reason = fmt.Sprintf("the %s response is not read: %s", form.Name, m)
		}
		im.unmapped(path, res, reason, IssueValue)
		return
	}
	im.set("proms."+string(inst), json.RawMessage(answers), path, res, "")
}

// answerMessage turns the patient-facing message of the form into one for
// the clinician reading an import.
func answerMessage(m string) string {
	switch m {
	case questionnaire.MsgRequired:
		return "not answered"
	case questionnaire.MsgInvalid:
		return "the answer is none of the item's choices"
	case questionnaire.MsgOnlyOne:
		return "more than one answer"
	}
	return m
}

// answerValue is the form value of an answer.
func answerValue(a fhir.QuestionnaireResponseAnswer) (string, bool) {
	switch {
	case a.ValueCoding != nil && a.ValueCoding.Code != "" && (a.ValueCoding.System == "" || a.ValueCoding.System == SystemAnswer):
		return a.ValueCoding.Code, true
	case a.ValueInteger != nil:
		return strconv.FormatInt(*a.ValueInteger, 10), true
	}
	return "", false
}

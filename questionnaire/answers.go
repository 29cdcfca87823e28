package questionnaire

import (
	"encoding/json"
	"fmt"
	"strconv"

	"github.com/tendo-health/tendo"
)

// An Answer is one item of a stored response as a clinician reads it: the
// item's text and the answer the patient chose.
type Answer struct {
	// Number is the item's number on the form, from 1.
	Number int
	// Title is the item's short title ("Pain intensity"), or "".
	Title string
	// Text is the question as the patient read it.
	Text string
	// Answer is the chosen answer's label, with a scale's anchors
	// ("3 (0 = Very strong pain, 10 = No pain)"); "Not answered" for an
	// item left blank.
	Answer string
	// Points is what the answer scored; nil for an item left blank.
	Points *int
}

// notAnswered is the Answer of an item left blank.
const notAnswered = "Not answered"

// Answers reads a stored response's answers (the JSON Parse returned) of
// instrument i back into its items, in the form's order. It fails for an
// unknown instrument, a document that does not fit the form, or a value
// that is none of an item's choices.
func Answers(i tendo.Instrument, answersJSON []byte) ([]Answer, error) {
	f, ok := forms[i]
	if !ok {
		return nil, fmt.Errorf("questionnaire: unknown instrument %q", i)
	}
	// points[n] is item n's points, nil when blank; group[n] a grouped
	// choice's group.
	points := make([]*int, len(f.Items))
	group := make([]string, len(f.Items))
	var err error
	switch i {
	case tendo.InstrumentVISAA:
		var m tendo.VISAA
		if err = json.Unmarshal(answersJSON, &m); err == nil && len(m.Answers) == len(f.Items) {
			for n, a := range m.Answers {
				p := a.Points
				if a.Item8 != nil {
					p, group[n] = a.Item8.Points, string(a.Item8.Branch)
				}
				points[n] = &p
			}
		}
	case tendo.InstrumentODI:
		var m tendo.ODI
		if err = json.Unmarshal(answersJSON, &m); err == nil && len(m.Answers) == len(f.Items) {
			copy(points, m.Answers)
		}
	case tendo.InstrumentNPRS:
		var n int
		if err = json.Unmarshal(answersJSON, &n); err == nil {
			points[0] = &n
		}
	case tendo.InstrumentLEFS:
		var m tendo.LEFS
		if err = json.Unmarshal(answersJSON, &m); err == nil && len(m.Answers) == len(f.Items) {
			for n := range m.Answers {
				points[n] = &m.Answers[n]
			}
		}
	}
	if err != nil {
		return nil, fmt.Errorf("questionnaire: %s answers: %w", f.Name, err)
	}
	out := make([]Answer, len(f.Items))
	for n := range f.Items {
		it := &f.Items[n]
		a := Answer{Number: n + 1, Title: it.Title, Text: it.Text, Answer: notAnswered, Points: points[n]}
		if p := points[n]; p != nil {
			c, ok := it.chosen(*p, group[n])
			if !ok {
				return nil, fmt.Errorf("questionnaire: %s item %d: %d points is none of its answers", f.Name, n+1, *p)
			}
			a.Answer = c.Label
			if grp := it.group(c.Group); grp != "" {
				a.Answer = grp + " " + c.Label
			}
			if it.Scale() {
				a.Answer = fmt.Sprintf("%s (0 = %s, %s = %s)", c.Label, it.Low, strconv.Itoa(it.Choices[len(it.Choices)-1].Value), it.High)
			}
		} else if !it.Optional && f.MaxMissing == 0 {
			return nil, fmt.Errorf("questionnaire: %s item %d is not answered", f.Name, n+1)
		}
		out[n] = a
	}
	return out, nil
}

// chosen returns the item's (non-skip) choice with the points and group.
func (it *Item) chosen(points int, group string) (Choice, bool) {
	for _, c := range it.Choices {
		if !c.Skip && c.Value == points && c.Group == group {
			return c, true
		}
	}
	return Choice{}, false
}

// group returns the text of the item's group with the key; "" for none.
func (it *Item) group(key string) string {
	for _, g := range it.Groups {
		if g.Key == key && key != "" {
			return g.Text
		}
	}
	return ""
}

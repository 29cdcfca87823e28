package questionnaire

import (
	"strconv"

	"github.com/tendo-health/tendo"
)

// A Form is one questionnaire as a patient sees it.
type Form struct {
	Instrument tendo.Instrument
	// Name is the questionnaire's usual short name ("VISA-A").
	Name string
	// Title is the heading shown to the patient.
	Title string
	// Intro tells the patient how to fill the form.
	Intro string
	// Note says where the wording comes from, for the foot of the page.
	Note string
	// Items are the questions, in order.
	Items []Item
	// MaxMissing is how many Optional items may be left unanswered (ODI:
	// 2); 0 when every item is required.
	MaxMissing int
}

// An Item is one question: a radio group named Key.
//
// How to lay it out follows from its fields: an item with Low and High is
// a numeric scale (a row of numbered choices with the two anchors at its
// ends); an item with Groups shows its choices under the groups' headings
// (VISA-A item 8); any other item is a list of statements.
type Item struct {
	// Key is the form field name ("q1").
	Key string
	// Title is a short heading ("Walking"), or "".
	Title string
	// Text is the question.
	Text string
	// Low and High describe the two ends of a numeric scale ("No pain",
	// "Worst pain you can imagine"); both "" for other items.
	Low, High string
	// Choices are the answers, in the order to show them.
	Choices []Choice
	// Groups, when not nil, are headings the choices sit under: each
	// Choice's Group is the Key of one of them.
	Groups []Group
	// Optional is true when the item may be left unanswered (ODI
	// sections; see Form.MaxMissing).
	Optional bool
}

// A Group is a heading over some of an item's choices: for VISA-A item 8,
// the branch statement A, B or C.
type Group struct {
	// Key is "A", "B" or "C".
	Key string
	// Text is the statement the patient picks.
	Text string
}

// A Choice is one answer.
type Choice struct {
	// Value is the points the answer scores. It is meaningless for a Skip
	// choice.
	Value int
	// Label is the answer as the patient reads it.
	Label string
	// Group is the Key of the Group the choice belongs to, or "".
	Group string
	// Skip marks an explicit "prefer not to answer": the item counts as
	// unanswered.
	Skip bool
}

// SkipValue is the form value of a Skip choice.
const SkipValue = "skip"

// FormValue returns the value the choice's radio button sends: the points
// ("7"), the group and points for a grouped choice ("B:10"), or SkipValue.
func (c Choice) FormValue() string {
	switch {
	case c.Skip:
		return SkipValue
	case c.Group != "":
		return c.Group + ":" + strconv.Itoa(c.Value)
	}
	return strconv.Itoa(c.Value)
}

// ChoicesIn returns the item's choices that sit under the group with the
// given key, in order; with key "" it returns the ungrouped ones.
func (it *Item) ChoicesIn(key string) []Choice {
	var out []Choice
	for _, c := range it.Choices {
		if c.Group == key {
			out = append(out, c)
		}
	}
	return out
}

// Scale reports whether the item is a numeric scale (it has anchors).
func (it *Item) Scale() bool { return it.Low != "" || it.High != "" }

// choice returns the choice whose form value is v.
func (it *Item) choice(v string) (Choice, bool) {
	for _, c := range it.Choices {
		if c.FormValue() == v {
			return c, true
		}
	}
	return Choice{}, false
}

// forms holds the definitions; For hands out copies.
var forms = map[tendo.Instrument]*Form{
	tendo.InstrumentVISAA: visaA(),
	tendo.InstrumentODI:   odi(),
	tendo.InstrumentNPRS:  nprs(),
	tendo.InstrumentLEFS:  lefs(),
}

// For returns the form of an instrument, or false for an unknown one. The
// form is the caller's to change.
func For(i tendo.Instrument) (*Form, bool) {
	f, ok := forms[i]
	if !ok {
		return nil, false
	}
	c := *f
	c.Items = make([]Item, len(f.Items))
	for n, it := range f.Items {
		it.Choices = append([]Choice(nil), it.Choices...)
		if it.Groups != nil {
			it.Groups = append([]Group(nil), it.Groups...)
		}
		c.Items[n] = it
	}
	return &c, true
}

// scale returns the choices 0..max labelled with their numbers.
func scale(max int) []Choice {
	out := make([]Choice, max+1)
	for i := range out {
		out[i] = Choice{Value: i, Label: strconv.Itoa(i)}
	}
	return out
}

// statements returns choices scored 0, 1, 2, ... in the order given.
func statements(labels ...string) []Choice {
	out := make([]Choice, len(labels))
	for i, l := range labels {
		out[i] = Choice{Value: i, Label: l}
	}
	return out
}

// key returns the form field name of the n-th item (0-based).
func key(n int) string { return "q" + strconv.Itoa(n+1) }

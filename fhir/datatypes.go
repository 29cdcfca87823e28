package fhir

import (
	"strconv"
)

// Decimal is a FHIR decimal kept as its JSON text, so that its precision
// survives a round trip (1.50 stays 1.50, as FHIR requires). The zero value
// means absent.
type Decimal string

// DecimalOf returns the shortest decimal that reads back as f.
func DecimalOf(f float64) Decimal { return Decimal(strconv.FormatFloat(f, 'f', -1, 64)) }

// Float64 returns d as a float64.
func (d Decimal) Float64() (float64, error) { return strconv.ParseFloat(string(d), 64) }

// MarshalJSON writes d as a JSON number.
func (d Decimal) MarshalJSON() ([]byte, error) {
	if d == "" || !isJSONNumber([]byte(d)) {
		return nil, &Error{Msg: "not a decimal: " + strconv.Quote(string(d))}
	}
	return []byte(d), nil
}

// UnmarshalJSON takes a JSON number (not a string holding one).
func (d *Decimal) UnmarshalJSON(b []byte) error {
	if !isJSONNumber(b) {
		return &Error{Msg: "want a number, got " + jsonKind(b)}
	}
	*d = Decimal(b)
	return nil
}

// isJSONNumber reports whether b is exactly one JSON number.
func isJSONNumber(b []byte) bool {
	i := 0
	if i < len(b) && b[i] == '-' {
		i++
	}
	digits := func() int {
		n := 0
		for i < len(b) && b[i] >= '0' && b[i] <= '9' {
			i++
			n++
		}
		return n
	}
	start := i
	if n := digits(); n == 0 || (n > 1 && b[start] == '0') {
		return false
	}
	if i < len(b) && b[i] == '.' {
		i++
		if digits() == 0 {
			return false
		}
	}
	if i < len(b) && (b[i] == 'e' || b[i] == 'E') {
		i++
		if i < len(b) && (b[i] == '+' || b[i] == '-') {
			i++
		}
		if digits() == 0 {
			return false
		}
	}
	return i == len(b)
}

// Coding is a code from a code system (R4 Coding).
type Coding struct {
	ID           string      `json:"id"`
	Extension    []Extension `json:"extension"`
	System       string      `json:"system"`
	Version      string      `json:"version"`
	Code         string      `json:"code"`
	Display      string      `json:"display"`
	UserSelected *bool       `json:"userSelected"`
	Extra        Extra
}

// CodeableConcept is a concept given by codings and/or text (R4
// CodeableConcept).
type CodeableConcept struct {
	ID        string      `json:"id"`
	Extension []Extension `json:"extension"`
	Coding    []Coding    `json:"coding"`
	Text      string      `json:"text"`
	Extra     Extra
}

// Identifier is a business identifier such as a medical record number (R4
// Identifier).
type Identifier struct {
	ID        string           `json:"id"`
	Extension []Extension      `json:"extension"`
	Use       string           `json:"use"` // usual | official | temp | secondary | old
	Type      *CodeableConcept `json:"type"`
	System    string           `json:"system"`
	Value     string           `json:"value"`
	Period    *Period          `json:"period"`
	Assigner  *Reference       `json:"assigner"`
	Extra     Extra
}

// Reference points to another resource (R4 Reference).
type Reference struct {
	ID         string      `json:"id"`
	Extension  []Extension `json:"extension"`
	Reference  string      `json:"reference"` // literal: relative, absolute or #contained
	Type       string      `json:"type"`
	Identifier *Identifier `json:"identifier"`
	Display    string      `json:"display"`
	Extra      Extra
}

// Quantity is a measured amount (R4 Quantity; also SimpleQuantity, Duration
// and Age, which share its elements).
type Quantity struct {
	ID         string      `json:"id"`
	Extension  []Extension `json:"extension"`
	Value      Decimal     `json:"value"`
	Comparator string      `json:"comparator"` // < | <= | >= | >
	Unit       string      `json:"unit"`
	System     string      `json:"system"` // usually http://unitsofmeasure.org (UCUM)
	Code       string      `json:"code"`
	Extra      Extra
}

// Range is a set of ordered quantities between a low and a high limit (R4
// Range).
type Range struct {
	ID        string      `json:"id"`
	Extension []Extension `json:"extension"`
	Low       *Quantity   `json:"low"`
	High      *Quantity   `json:"high"`
	Extra     Extra
}

// Period is a time range with a start and/or an end (R4 Period; FHIR
// dateTime strings).
type Period struct {
	ID        string      `json:"id"`
	Extension []Extension `json:"extension"`
	Start     string      `json:"start"`
	End       string      `json:"end"`
	Extra     Extra
}

// Meta is a resource's metadata (R4 Meta).
type Meta struct {
	ID          string      `json:"id"`
	Extension   []Extension `json:"extension"`
	VersionID   string      `json:"versionId"`
	LastUpdated string      `json:"lastUpdated"` // FHIR instant
	Source      string      `json:"source"`
	Profile     []string    `json:"profile"`
	Security    []Coding    `json:"security"`
	Tag         []Coding    `json:"tag"`
	Extra       Extra
}

// Narrative is a resource's human-readable summary (R4 Narrative): Div is
// XHTML in a <div xmlns="http://www.w3.org/1999/xhtml">, kept as text.
type Narrative struct {
	ID        string      `json:"id"`
	Extension []Extension `json:"extension"`
	Status    string      `json:"status"` // generated | extensions | additional | empty
	Div       string      `json:"div"`
	Extra     Extra
}

// Extension is an extension of an element (R4 Extension). Its value[x]
// (valueString, valueCodeableConcept, …) is kept in Extra.
type Extension struct {
	ID        string      `json:"id"`
	Extension []Extension `json:"extension"`
	URL       string      `json:"url"`
	Extra     Extra
}

// HumanName is a person's name (R4 HumanName).
type HumanName struct {
	ID        string      `json:"id"`
	Extension []Extension `json:"extension"`
	Use       string      `json:"use"` // usual | official | temp | nickname | anonymous | old | maiden
	Text      string      `json:"text"`
	Family    string      `json:"family"`
	Given     []string    `json:"given"`
	Prefix    []string    `json:"prefix"`
	Suffix    []string    `json:"suffix"`
	Period    *Period     `json:"period"`
	Extra     Extra
}

// Annotation is a note with its author and time (R4 Annotation).
type Annotation struct {
	ID              string      `json:"id"`
	Extension       []Extension `json:"extension"`
	AuthorReference *Reference  `json:"authorReference"`
	AuthorString    string      `json:"authorString"`
	Time            string      `json:"time"`
	Text            string      `json:"text"` // markdown
	Extra           Extra
}

// Ratio is a relationship of two quantities (R4 Ratio).
type Ratio struct {
	ID          string      `json:"id"`
	Extension   []Extension `json:"extension"`
	Numerator   *Quantity   `json:"numerator"`
	Denominator *Quantity   `json:"denominator"`
	Extra       Extra
}

// Timing is when an event happens: given times and/or a repeating schedule
// (R4 Timing), such as "twice a day for 12 weeks".
type Timing struct {
	ID                string           `json:"id"`
	Extension         []Extension      `json:"extension"`
	ModifierExtension []Extension      `json:"modifierExtension"`
	Event             []string         `json:"event"` // FHIR dateTimes
	Repeat            *TimingRepeat    `json:"repeat"`
	Code              *CodeableConcept `json:"code"` // BID | TID | QID | AM | PM | …
	Extra             Extra
}

// TimingRepeat is the repeating schedule of a Timing (R4 Timing.repeat):
// Frequency times per Period PeriodUnit, within the bounds.
type TimingRepeat struct {
	ID                string      `json:"id"`
	Extension         []Extension `json:"extension"`
	ModifierExtension []Extension `json:"modifierExtension"`
	BoundsDuration    *Quantity   `json:"boundsDuration"` // Duration
	BoundsRange       *Range      `json:"boundsRange"`
	BoundsPeriod      *Period     `json:"boundsPeriod"`
	Count             *int64      `json:"count"`
	CountMax          *int64      `json:"countMax"`
	Duration          Decimal     `json:"duration"`
	DurationMax       Decimal     `json:"durationMax"`
	DurationUnit      string      `json:"durationUnit"` // s | min | h | d | wk | mo | a (UCUM)
	Frequency         *int64      `json:"frequency"`
	FrequencyMax      *int64      `json:"frequencyMax"`
	Period            Decimal     `json:"period"`
	PeriodMax         Decimal     `json:"periodMax"`
	PeriodUnit        string      `json:"periodUnit"` // s | min | h | d | wk | mo | a (UCUM)
	DayOfWeek         []string    `json:"dayOfWeek"`  // mon | tue | …
	TimeOfDay         []string    `json:"timeOfDay"`  // FHIR time
	When              []string    `json:"when"`       // MORN | AFT | EVE | … (event timing)
	Offset            *int64      `json:"offset"`     // minutes from the event
	Extra             Extra
}

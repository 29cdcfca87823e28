package fhirmap

// This file maps the findings of an assessment to Observations and back,
// generically over the field index (tendo.Fields): a new field of the
// contract is exported and imported without a line of code here, its
// kind deciding the value's type.

import (
	"errors"
	"fmt"
	"math"
	"reflect"
	"strconv"
	"sync"

	"github.com/tendo-health/tendo"
	"github.com/tendo-health/tendo/fhir"
)

// ErrNotAField reports an Observation whose code names no contract field
// tendo reads: the importer lists it as unmapped rather than failing.
var ErrNotAField = errors.New("fhirmap: the Observation's code names no field of the assessment")

// Observable reports whether field f becomes an Observation of its own:
// every leaf field and every list of the contract except the identifiers,
// the contract version and the visit date, the fields inside a list (they
// are the list's components) and the outcome measures' item answers
// (those are QuestionnaireResponses).
func Observable(f tendo.FieldInfo) bool {
	switch {
	case notObservations[f.Path], f.InArray, f.Custom:
		return false
	case f.Kind == tendo.KindObject:
		return false
	}
	return true
}

// children lists, for each field path, its direct children in the index.
var children = sync.OnceValue(func() map[string][]tendo.FieldInfo {
	fs := tendo.Fields()
	out := map[string][]tendo.FieldInfo{}
	for _, f := range fs {
		if f.Parent >= 0 {
			p := fs[f.Parent].Path
			out[p] = append(out[p], f)
		}
	}
	return out
})

// ObservationFor returns the Observation that records field f of a (see
// Observable), or nil when a does not give it. The Observation has no id;
// its subject is subject and its effectiveDateTime effective (the visit
// date, YYYY-MM-DD).
//
// The value follows the field's kind: valueBoolean, valueInteger,
// valueQuantity with a UCUM unit (a number, an integer with a unit, an
// outcome score), valueCodeableConcept for an enumeration (the value in
// the CodeSystem ValueSystem of its type), valueDateTime for a date. A
// list (history.legPainAreas, imaging.lumbarMri.rootCompression) is one
// Observation whose valueBoolean says whether the list holds anything
// (an empty list is "assessed, none") and whose components are its
// elements, in order; an element that is an object gives one component
// per field, its fields in the index's order.
func ObservationFor(f tendo.FieldInfo, a *tendo.Assessment, subject fhir.Reference, effective string) (*fhir.Observation, error) {
	if !Observable(f) {
		return nil, fmt.Errorf("fhirmap: %s is not recorded as an Observation", f.Path)
	}
	v, ok := f.Get(a)
	if !ok {
		return nil, nil
	}
	o := &fhir.Observation{
		Status:            "final",
		Category:          []fhir.CodeableConcept{categoryConcept(category(f.Path))},
		Code:              FieldConcept(f),
		Subject:           &subject,
		EffectiveDateTime: effective,
	}
	if f.Kind == tendo.KindArray {
		some := v.Len() > 0
		o.ValueBoolean = &some
		elem, ok := tendo.LookupField(f.Path + "[]")
		if !ok {
			return nil, fmt.Errorf("fhirmap: %s: no element in the field index", f.Path)
		}
		for i := range v.Len() {
			ev := v.Index(i)
			if elem.Kind != tendo.KindObject {
				c := fhir.ObservationComponent{Code: FieldConcept(elem)}
				if err := setComponentValue(&c, elem, ev); err != nil {
					return nil, err
				}
				o.Component = append(o.Component, c)
				continue
			}
			for _, cf := range children()[elem.Path] {
				fv := ev.FieldByIndex(cf.Index)
				if fv.Kind() == reflect.Pointer {
					if fv.IsNil() {
						continue
					}
					fv = fv.Elem()
				}
				c := fhir.ObservationComponent{Code: FieldConcept(cf)}
				if err := setComponentValue(&c, cf, fv); err != nil {
					return nil, err
				}
				o.Component = append(o.Component, c)
			}
		}
		o.Text = narrative(fmt.Sprintf("%s: %s", f.Doc, listText(o)))
		return o, nil
	}
	val, err := valueOf(f, v)
	if err != nil {
		return nil, err
	}
	val.applyObservation(o)
	o.Text = narrative(f.Doc + ": " + val.text())
	return o, nil
}

// Observations returns the Observations of every observable field a gives,
// in the order of the field index, without ids. The outcome scores come
// from the assessment as given (proms.visaA.score …); Export uses
// ScoreObservation with the scores of the result instead, which also
// covers scores computed from answers.
func Observations(a *tendo.Assessment, subject fhir.Reference, effective string) ([]*fhir.Observation, error) {
	var out []*fhir.Observation
	for _, f := range tendo.Fields() {
		if !Observable(f) {
			continue
		}
		o, err := ObservationFor(f, a, subject, effective)
		if err != nil {
			return nil, err
		}
		if o != nil {
			out = append(out, o)
		}
	}
	return out, nil
}

// scoreMeasures maps Score.Measure to the instrument.
var scoreMeasures = map[string]tendo.Instrument{
	tendo.MeasureVISAA: tendo.InstrumentVISAA,
	tendo.MeasureODI:   tendo.InstrumentODI,
	tendo.MeasureNPRS:  tendo.InstrumentNPRS,
	tendo.MeasureLEFS:  tendo.InstrumentLEFS,
}

// ScoreObservation returns the Observation of an outcome score: the code
// of the contract's score field (proms.visaA.score, proms.odi.percent
// with LOINC 97909-6, proms.nprs with LOINC 72514-3, proms.lefs.score),
// the score as reported (Score.Rounded) in valueQuantity, the band and
// its range as interpretation, where the bands come from as a note, and
// derivedFrom (when not nil: the QuestionnaireResponse it was scored
// from). It reads back with FieldFromObservation as the score field.
func ScoreObservation(s *tendo.Score, subject fhir.Reference, effective string, derivedFrom *fhir.Reference) (*fhir.Observation, error) {
	inst, ok := scoreMeasures[s.Measure]
	if !ok {
		return nil, fmt.Errorf("fhirmap: unknown outcome measure %q", s.Measure)
	}
	var path string
	var unit ucumUnit
	for _, sf := range scoreFields {
		if sf.Instrument == inst {
			path, unit = sf.Path, sf.Unit
		}
	}
	f, ok := tendo.LookupField(path)
	if !ok {
		return nil, fmt.Errorf("fhirmap: %s is not in the field index", path)
	}
	o := &fhir.Observation{
		Status:            "final",
		Category:          []fhir.CodeableConcept{categoryConcept("survey")},
		Code:              FieldConcept(f),
		Subject:           &subject,
		EffectiveDateTime: effective,
		ValueQuantity:     &fhir.Quantity{Value: fhir.DecimalOf(s.Rounded), Unit: unit.Unit, System: UCUM, Code: unit.Code},
	}
	text := fmt.Sprintf("%s: %s of %s", s.Name, strconv.FormatFloat(s.Rounded, 'f', -1, 64), strconv.FormatFloat(s.Max, 'f', -1, 64))
	if s.Band != "" {
		band := s.Band
		if s.BandRange != "" {
			band += " (" + s.BandRange + ")"
		}
		o.Interpretation = []fhir.CodeableConcept{{Text: band}}
		text += ", " + band
	}
	higher := "higher is better"
	if s.Higher == tendo.HigherWorse {
		higher = "higher is worse"
	}
	text += "; " + higher
	note := "Range 0–" + strconv.FormatFloat(s.Max, 'f', -1, 64) + ", " + higher + "."
	if s.BandNote != "" {
		note += " Bands: " + s.BandNote + "."
	}
	if s.Source != "" {
		note += " Source: " + s.Source + "."
	}
	o.Note = []fhir.Annotation{{Text: note}}
	if derivedFrom != nil {
		o.DerivedFrom = []fhir.Reference{*derivedFrom}
	}
	o.Text = narrative(text)
	return o, nil
}

func categoryConcept(code string) fhir.CodeableConcept {
	return fhir.CodeableConcept{Coding: []fhir.Coding{{System: ObservationCategory, Code: code, Display: categoryDisplay[code]}}}
}

// obsValue is one value[x] of an Observation or a component.
type obsValue struct {
	Bool     *bool
	Int      *int64
	Qty      *fhir.Quantity
	Concept  *fhir.CodeableConcept
	DateTime string
	String   string
}

func (v obsValue) applyObservation(o *fhir.Observation) {
	o.ValueBoolean, o.ValueInteger, o.ValueQuantity = v.Bool, v.Int, v.Qty
	o.ValueCodeableConcept, o.ValueDateTime, o.ValueString = v.Concept, v.DateTime, v.String
}

func (v obsValue) text() string {
	switch {
	case v.Bool != nil:
		if *v.Bool {
			return "yes"
		}
		return "no"
	case v.Int != nil:
		return strconv.FormatInt(*v.Int, 10)
	case v.Qty != nil:
		return string(v.Qty.Value) + " " + v.Qty.Unit
	case v.Concept != nil:
		return v.Concept.Text
	case v.DateTime != "":
		return v.DateTime
	}
	return v.String
}

func setComponentValue(c *fhir.ObservationComponent, f tendo.FieldInfo, v reflect.Value) error {
	val, err := valueOf(f, v)
	if err != nil {
		return err
	}
	c.ValueBoolean, c.ValueInteger, c.ValueQuantity = val.Bool, val.Int, val.Qty
	c.ValueCodeableConcept, c.ValueDateTime, c.ValueString = val.Concept, val.DateTime, val.String
	return nil
}

func listText(o *fhir.Observation) string {
	if len(o.Component) == 0 {
		return "none"
	}
	s := ""
	for i, c := range o.Component {
		if i > 0 {
			s += ", "
		}
		if c.ValueCodeableConcept != nil {
			s += c.ValueCodeableConcept.Text
		}
	}
	return s
}

// quantityUnit returns the UCUM unit of field f's quantity and whether f
// is written as a Quantity.
func quantityUnit(f tendo.FieldInfo) (ucumUnit, bool) {
	if _, u, ok := scoreField(f.Path); ok {
		return u, true
	}
	switch f.Kind {
	case tendo.KindNumber:
		u, ok := ucumUnits[f.Unit]
		return u, ok
	case tendo.KindInteger:
		if f.Unit == "" {
			return ucumUnit{}, false
		}
		u, ok := ucumUnits[f.Unit]
		return u, ok
	}
	return ucumUnit{}, false
}

// valueOf is the value[x] of field f holding v (pointers followed).
func valueOf(f tendo.FieldInfo, v reflect.Value) (obsValue, error) {
	var out obsValue
	switch f.Kind {
	case tendo.KindBool:
		b := v.Bool()
		out.Bool = &b
	case tendo.KindInteger:
		n := v.Int()
		if u, ok := quantityUnit(f); ok {
			out.Qty = &fhir.Quantity{Value: fhir.DecimalOf(float64(n)), Unit: u.Unit, System: UCUM, Code: u.Code}
		} else {
			out.Int = &n
		}
	case tendo.KindNumber:
		u, ok := quantityUnit(f)
		if !ok {
			return out, fmt.Errorf("fhirmap: %s: unit %q has no UCUM code", f.Path, f.Unit)
		}
		x := v.Float()
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return out, fmt.Errorf("fhirmap: %s: %v is not a number", f.Path, x)
		}
		out.Qty = &fhir.Quantity{Value: fhir.DecimalOf(x), Unit: u.Unit, System: UCUM, Code: u.Code}
	case tendo.KindEnum:
		s := v.String()
		out.Concept = codeable(fhir.Coding{System: ValueSystem(f.Type), Code: s, Display: s}, s)
	case tendo.KindDate:
		out.DateTime = v.String()
	case tendo.KindString:
		out.String = v.String()
	default:
		return out, fmt.Errorf("fhirmap: %s: a %s has no Observation value", f.Path, f.Kind)
	}
	return out, nil
}

// FieldFromObservation reads an Observation back into the assessment a:
// it sets the field the Observation's code names (tendo's code, or a
// confirmed LOINC or SNOMED CT code of a field) to its value and returns
// the field. An Observation whose code names no field gives an error
// wrapping ErrNotAField; a value of the wrong type, unit or range gives a
// *fhir.Error whose Path is the element's FHIRPath
// ("Observation.valueQuantity.code", "Observation.component[1]"). Height
// and weight in other UCUM units (m, [in_i], g, [lb_av]) are converted.
// A field a already holds is overwritten.
func FieldFromObservation(o *fhir.Observation, a *tendo.Assessment) (tendo.FieldInfo, error) {
	f, err := observationField(o.Code)
	if err != nil {
		return f, err
	}
	if f.Kind == tendo.KindArray {
		return f, readList(o, f, a)
	}
	val := obsValue{Bool: o.ValueBoolean, Int: o.ValueInteger, Qty: o.ValueQuantity,
		Concept: o.ValueCodeableConcept, DateTime: o.ValueDateTime, String: o.ValueString}
	rv, err := readValue(f, val, "Observation")
	if err != nil {
		return f, err
	}
	setField(a, f, rv)
	return f, nil
}

// observationField finds the field an Observation's code names.
func observationField(code *fhir.CodeableConcept) (tendo.FieldInfo, error) {
	if code == nil {
		return tendo.FieldInfo{}, &fhir.Error{Path: "Observation.code", Msg: "missing"}
	}
	for _, c := range code.Coding {
		if c.System != SystemField {
			continue
		}
		f, ok := tendo.LookupField(c.Code)
		if ok && Observable(f) {
			return f, nil
		}
	}
	for _, c := range code.Coding {
		for path, cs := range externalCodings {
			for _, x := range cs {
				if c.System == x.System && c.Code == x.Code {
					f, _ := tendo.LookupField(path)
					return f, nil
				}
			}
		}
	}
	text := code.Text
	if text == "" && len(code.Coding) > 0 {
		text = code.Coding[0].System + "|" + code.Coding[0].Code
	}
	return tendo.FieldInfo{}, fmt.Errorf("%w: %q", ErrNotAField, text)
}

// unitFactors convert a quantity in another UCUM unit to the field's
// unit: factors[want][got].
var unitFactors = map[string]map[string]float64{
	"cm": {"m": 100, "[in_i]": 2.54, "mm": 0.1},
	"kg": {"g": 0.001, "[lb_av]": 0.45359237},
}

// readValue reads value[x] as field f's Go value; at is the FHIRPath of
// the element holding it.
func readValue(f tendo.FieldInfo, v obsValue, at string) (reflect.Value, error) {
	t := f.Type
	for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice {
		t = t.Elem()
	}
	bad := func(elem, msg string) error { return &fhir.Error{Path: at + "." + elem, Msg: msg} }
	switch f.Kind {
	case tendo.KindBool:
		if v.Bool == nil {
			return reflect.Value{}, bad("valueBoolean", "missing: "+f.Path+" is a yes/no finding")
		}
		return reflect.ValueOf(*v.Bool).Convert(t), nil
	case tendo.KindInteger, tendo.KindNumber:
		x, err := readNumber(f, v, at)
		if err != nil {
			return reflect.Value{}, err
		}
		if f.Kind == tendo.KindInteger {
			if x != math.Trunc(x) || math.Abs(x) > 1e9 {
				return reflect.Value{}, bad(numberElem(v), fmt.Sprintf("%v is not a whole number", x))
			}
			return reflect.ValueOf(int(x)).Convert(t), nil
		}
		return reflect.ValueOf(x).Convert(t), nil
	case tendo.KindEnum:
		if v.Concept == nil {
			return reflect.Value{}, bad("valueCodeableConcept", "missing: "+f.Path+" takes one of "+fmt.Sprint(f.Values))
		}
		sys := ValueSystem(f.Type)
		for i, c := range v.Concept.Coding {
			if c.System != sys {
				continue
			}
			for _, allowed := range f.Values {
				if c.Code == allowed {
					return reflect.ValueOf(c.Code).Convert(t), nil
				}
			}
			return reflect.Value{}, bad(fmt.Sprintf("valueCodeableConcept.coding[%d].code", i),
				fmt.Sprintf("%q is not one of %v", c.Code, f.Values))
		}
		return reflect.Value{}, bad("valueCodeableConcept", "no coding of "+sys)
	case tendo.KindDate:
		if v.DateTime == "" {
			return reflect.Value{}, bad("valueDateTime", "missing")
		}
		if len(v.DateTime) < 10 {
			return reflect.Value{}, bad("valueDateTime", "not a full date: "+v.DateTime)
		}
		return reflect.ValueOf(v.DateTime[:10]).Convert(t), nil
	case tendo.KindString:
		if v.String == "" {
			return reflect.Value{}, bad("valueString", "missing")
		}
		return reflect.ValueOf(v.String).Convert(t), nil
	}
	return reflect.Value{}, &fhir.Error{Path: at, Msg: f.Path + " cannot be read from an Observation"}
}

func numberElem(v obsValue) string {
	if v.Qty != nil {
		return "valueQuantity.value"
	}
	return "valueInteger"
}

// readNumber reads an integer or number field from valueInteger (an
// integer without a unit) or valueQuantity, checking the unit and the
// field's bounds.
func readNumber(f tendo.FieldInfo, v obsValue, at string) (float64, error) {
	bad := func(elem, msg string) error { return &fhir.Error{Path: at + "." + elem, Msg: msg} }
	var x float64
	switch {
	case v.Int != nil:
		if _, isQty := quantityUnit(f); isQty {
			return 0, bad("valueInteger", f.Path+" needs a valueQuantity with its unit")
		}
		x = float64(*v.Int)
	case v.Qty != nil:
		if v.Qty.Value == "" {
			return 0, bad("valueQuantity.value", "missing")
		}
		var err error
		if x, err = v.Qty.Value.Float64(); err != nil || math.IsInf(x, 0) || math.IsNaN(x) {
			return 0, bad("valueQuantity.value", "not a number: "+string(v.Qty.Value))
		}
		if v.Qty.Comparator != "" {
			return 0, bad("valueQuantity.comparator", "a bound ("+v.Qty.Comparator+") is not a value")
		}
		want, isQty := quantityUnit(f)
		if !isQty {
			want = ucumUnit{Code: "1"}
		}
		got := v.Qty.Code
		if got == "" && !isQty {
			got = "1"
		}
		if v.Qty.System != "" && v.Qty.System != UCUM {
			return 0, bad("valueQuantity.system", "want "+UCUM+", got "+v.Qty.System)
		}
		if got != want.Code {
			k, ok := unitFactors[want.Code][got]
			if !ok {
				return 0, bad("valueQuantity.code", fmt.Sprintf("%s is in %s (UCUM), got %q", f.Path, want.Code, got))
			}
			x *= k
		}
	default:
		elem := "valueQuantity"
		if _, isQty := quantityUnit(f); !isQty && f.Kind == tendo.KindInteger {
			elem = "valueInteger"
		}
		return 0, bad(elem, "missing: "+f.Path+" is a number")
	}
	if (f.Min != nil && x < *f.Min) || (f.Max != nil && x > *f.Max) {
		lo, hi := "", ""
		if f.Min != nil {
			lo = strconv.FormatFloat(*f.Min, 'f', -1, 64)
		}
		if f.Max != nil {
			hi = strconv.FormatFloat(*f.Max, 'f', -1, 64)
		}
		return 0, bad(numberElem(v), fmt.Sprintf("%v is outside %s–%s", x, lo, hi))
	}
	return x, nil
}

// readList reads a list Observation's components into the list field f.
func readList(o *fhir.Observation, f tendo.FieldInfo, a *tendo.Assessment) error {
	elem, ok := tendo.LookupField(f.Path + "[]")
	if !ok {
		return &fhir.Error{Path: "Observation.code", Msg: f.Path + " has no element"}
	}
	if o.ValueBoolean != nil && !*o.ValueBoolean && len(o.Component) > 0 {
		return &fhir.Error{Path: "Observation.valueBoolean", Msg: "false (none) but the list has components"}
	}
	if o.ValueBoolean != nil && *o.ValueBoolean && len(o.Component) == 0 {
		return &fhir.Error{Path: "Observation.valueBoolean", Msg: "true but the list has no components"}
	}
	if len(o.Component) > maxListElements {
		return &fhir.Error{Path: "Observation.component", Msg: fmt.Sprintf("%d components, over %d", len(o.Component), maxListElements)}
	}
	list := reflect.MakeSlice(f.Type, 0, len(o.Component))
	et := f.Type.Elem()
	compValue := func(c *fhir.ObservationComponent) obsValue {
		return obsValue{Bool: c.ValueBoolean, Int: c.ValueInteger, Qty: c.ValueQuantity,
			Concept: c.ValueCodeableConcept, DateTime: c.ValueDateTime, String: c.ValueString}
	}
	compField := func(i int, c *fhir.ObservationComponent, want []tendo.FieldInfo) (tendo.FieldInfo, error) {
		at := fmt.Sprintf("Observation.component[%d].code", i)
		if c.Code == nil {
			return tendo.FieldInfo{}, &fhir.Error{Path: at, Msg: "missing"}
		}
		for _, cd := range c.Code.Coding {
			if cd.System != SystemField {
				continue
			}
			for _, w := range want {
				if cd.Code == w.Path {
					return w, nil
				}
			}
		}
		return tendo.FieldInfo{}, &fhir.Error{Path: at, Msg: "not a part of " + f.Path}
	}
	if elem.Kind != tendo.KindObject {
		for i := range o.Component {
			c := &o.Component[i]
			if _, err := compField(i, c, []tendo.FieldInfo{elem}); err != nil {
				return err
			}
			rv, err := readValue(elem, compValue(c), fmt.Sprintf("Observation.component[%d]", i))
			if err != nil {
				return err
			}
			list = reflect.Append(list, rv.Convert(et))
		}
	} else {
		parts := children()[elem.Path]
		var cur reflect.Value // the element being filled
		seen := map[string]bool{}
		flush := func(at string) error {
			if !cur.IsValid() {
				return nil
			}
			for _, p := range parts {
				if p.Required && !seen[p.Path] {
					return &fhir.Error{Path: at, Msg: "an element of " + f.Path + " has no " + p.Name}
				}
			}
			list = reflect.Append(list, cur)
			return nil
		}
		for i := range o.Component {
			c := &o.Component[i]
			at := fmt.Sprintf("Observation.component[%d]", i)
			p, err := compField(i, c, parts)
			if err != nil {
				return err
			}
			if !cur.IsValid() || seen[p.Path] {
				if err := flush(at); err != nil {
					return err
				}
				cur, seen = reflect.New(et).Elem(), map[string]bool{}
			}
			seen[p.Path] = true
			rv, err := readValue(p, compValue(c), at)
			if err != nil {
				return err
			}
			setIn(cur.FieldByIndex(p.Index), rv)
		}
		if err := flush(fmt.Sprintf("Observation.component[%d]", len(o.Component)-1)); err != nil {
			return err
		}
	}
	setField(a, f, list)
	return nil
}

// maxListElements bounds the components of a list Observation (the
// contract's lists hold at most 9 areas or a few roots).
const maxListElements = 64

// setField sets field f of a to v (a value of the field's type, or of
// its pointer's element type), allocating the objects on the way.
func setField(a *tendo.Assessment, f tendo.FieldInfo, v reflect.Value) {
	x := reflect.ValueOf(a).Elem()
	for _, i := range f.Index {
		if x.Kind() == reflect.Pointer {
			if x.IsNil() {
				x.Set(reflect.New(x.Type().Elem()))
			}
			x = x.Elem()
		}
		x = x.Field(i)
	}
	setIn(x, v)
}

// setIn stores v in the struct field x: through a new pointer when x is
// a pointer.
func setIn(x, v reflect.Value) {
	if x.Kind() == reflect.Pointer {
		p := reflect.New(x.Type().Elem())
		p.Elem().Set(v.Convert(x.Type().Elem()))
		x.Set(p)
		return
	}
	x.Set(v.Convert(x.Type()))
}

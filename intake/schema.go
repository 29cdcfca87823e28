package intake

// This file is the schema tree the decoder walks. It is derived from the
// root package's field index (tendo.Fields, built once from the struct
// tags of tendo.Assessment): every field's path, type, range or allowed
// values, unit and meaning, and where its value goes. Only what the index
// cannot say is written here: the version check of schema, and the
// outcome measures, whose answers are scored together (visaA, odi,
// lefs).

import (
	"fmt"
	"reflect"
	"strconv"
	"strings"

	"github.com/tendo-health/tendo"
)

// A Field describes one field of the assessment contract.
type Field struct {
	// Path names the field as errors do: "exam.arcSign",
	// "proms.visaA.answers[7].points". Elements of the fixed-length answer
	// arrays are listed one by one with their index; the element of a
	// variable-length array once, with "[]": "history.legPainAreas[]",
	// "imaging.lumbarMri.rootCompression[].root".
	Path string `json:"path"`
	// Type is one of "object", "array", "string", "date" (YYYY-MM-DD),
	// "bool", "integer", "number" and "enum" (a string from Values).
	Type string `json:"type"`
	// Required is true for schema, for the branch and points of VISA-A
	// item 8 when that item is given, and for the root and side of a root
	// compression. Every other field may be left out, which means "not
	// assessed".
	Required bool `json:"required,omitempty"`
	// Values lists the allowed values: the strings of an enum, or the
	// numbers allowed for an item scored in steps (VISA-A item 7).
	Values []string `json:"values,omitempty"`
	// Min and Max bound a number or integer (inclusive); nil is unbounded.
	Min *float64 `json:"min,omitempty"`
	Max *float64 `json:"max,omitempty"`
	// Length is the number of elements an array must have.
	Length int `json:"length,omitempty"`
	// Nullable is true where null is a value of its own rather than
	// "absent": an unanswered ODI section.
	Nullable bool `json:"nullable,omitempty"`
	// Unit is the unit of a quantity ("cm", "kg", "weeks"), or "".
	Unit string `json:"unit,omitempty"`
	// Description says what the field means.
	Description string `json:"description"`
	// Since is the contract version that added the field, "1.0" or "1.1".
	Since string `json:"since,omitempty"`
}

// Fields returns the schema table in contract order, objects before their
// fields. The result is a fresh copy on each call.
func Fields() []Field {
	out := make([]Field, len(fieldList))
	for i, f := range fieldList {
		f.Values = append([]string(nil), f.Values...)
		out[i] = f
	}
	return out
}

// Lookup returns the field with the given path ("exam.arcSign").
func Lookup(path string) (Field, bool) {
	for _, f := range fieldList {
		if f.Path == path {
			f.Values = append([]string(nil), f.Values...)
			return f, true
		}
	}
	return Field{}, false
}

type kind uint8

const (
	kindObject kind = iota + 1
	kindArray
	kindString
	kindDate
	kindBool
	kindInteger
	kindNumber
	kindEnum
)

var kindNames = [...]string{
	kindObject: "object", kindArray: "array", kindString: "string", kindDate: "date",
	kindBool: "bool", kindInteger: "integer", kindNumber: "number", kindEnum: "enum",
}

var kindOf = map[tendo.FieldKind]kind{
	tendo.KindObject: kindObject, tendo.KindArray: kindArray, tendo.KindString: kindString,
	tendo.KindDate: kindDate, tendo.KindBool: kindBool, tendo.KindInteger: kindInteger,
	tendo.KindNumber: kindNumber, tendo.KindEnum: kindEnum,
}

// A field is one node of the schema tree.
type field struct {
	name     string
	kind     kind
	desc     string
	unit     string
	since    string
	min, max *float64
	values   []string
	required bool
	// want is added to the "required" message ("want \"tendo/...\"").
	want     string
	nullable bool
	length   int

	children []*field          // fields of an object, in contract order
	byName   map[string]*field // children by name
	index    int               // position among its siblings
	elems    []*field          // elements of a fixed-length array (descriptive, except VISA-A item 8)
	elem     *field            // the element of a variable-length array
	path     string            // full path, set by init

	// sf is the field's position in its parent struct (reflect), or -1
	// for the hand-written parts of the outcome measures, which find
	// their place themselves.
	sf int

	// set decodes a present, non-null value of a leaf (or of a field with
	// its own decoding, like arrays) into v, the field's reflect value in
	// the assessment (invalid under an outcome measure).
	set func(d *decoder, n *node, at loc, v reflect.Value)
	// open is called when an object is present, before its fields; post
	// after them. An object with open decodes without reflect values.
	open func(d *decoder)
	post func(d *decoder, n *node, path string)
}

func ptr(f float64) *float64 { return &f }

func object(name, desc string, children ...*field) *field {
	return &field{name: name, kind: kindObject, desc: desc, children: children, sf: -1}
}

func strs[T ~string](v []T) []string {
	out := make([]string, len(v))
	for i, s := range v {
		out[i] = string(s)
	}
	return out
}

func ints(v []int) []string {
	out := make([]string, len(v))
	for i, n := range v {
		out[i] = strconv.Itoa(n)
	}
	return out
}

var (
	// root is the schema tree; fieldList is it flattened for Fields.
	root      *field
	fieldList []Field
	// byLeafName indexes every field by lower-cased name, to suggest a
	// field written at the wrong level ("ageYears" at the top).
	byLeafName map[string][]*field
)

func init() {
	root = schema()
	byLeafName = map[string][]*field{}
	prepare(root, "")
}

// prepare fills in paths and lookup maps, and flattens the tree.
func prepare(f *field, path string) {
	f.path = path
	if path != "" {
		fieldList = append(fieldList, f.export())
	}
	if len(f.children) > 64 {
		panic("intake: an object has more than 64 fields") // the decoder tracks them in a uint64
	}
	if f.children != nil {
		f.byName = make(map[string]*field, len(f.children))
	}
	for i, c := range f.children {
		if c.since == "" {
			c.since = f.since
		}
		if _, dup := f.byName[c.name]; dup {
			panic("intake: duplicate field " + join(path, c.name))
		}
		c.index = i
		f.byName[c.name] = c
		key := strings.ToLower(c.name)
		byLeafName[key] = append(byLeafName[key], c)
		prepare(c, join(path, c.name))
	}
	for i, e := range f.elems {
		if e.since == "" {
			e.since = f.since
		}
		prepare(e, path+"["+strconv.Itoa(i)+"]")
	}
	if f.elem != nil {
		prepare(f.elem, path+"[]")
	}
}

func (f *field) export() Field {
	return Field{
		Path: f.path, Type: kindNames[f.kind], Required: f.required, Values: f.values,
		Min: f.min, Max: f.max, Length: f.length, Nullable: f.nullable, Unit: f.unit, Description: f.desc,
		Since: f.since,
	}
}

func join(parent, name string) string {
	if parent == "" {
		return name
	}
	return parent + "." + name
}

// special are the fields decoded by code of their own, by path.
var special = map[string]func() *field{
	"proms.visaA": visaASchema,
	"proms.odi":   odiSchema,
	"proms.lefs":  lefsSchema,
}

// schema builds the tree from the field index.
func schema() *field {
	infos := tendo.Fields()
	nodes := make([]*field, len(infos))
	top := object("", "an assessment")
	for i := range infos {
		fi := &infos[i]
		parent := top
		if fi.Parent >= 0 {
			parent = nodes[fi.Parent]
		}
		if parent == nil {
			continue // inside a field with its own decoding
		}
		var f *field
		if mk, ok := special[fi.Path]; ok {
			f = mk()
			f.since = fi.Since
			f.sf = fi.Index[len(fi.Index)-1]
		} else {
			f = fromIndex(fi)
			nodes[i] = f
		}
		if parent.kind == kindArray {
			parent.elem = f
			parent.set = arraySetter(parent, f)
			continue
		}
		parent.children = append(parent.children, f)
	}
	schemaField := top.children[0]
	if schemaField.name != "schema" {
		panic("intake: the first field of the index is not schema")
	}
	schemaField.want = fmt.Sprintf("want %q", tendo.SchemaV1)
	schemaField.values = []string{tendo.SchemaV1}
	schemaField.set = func(d *decoder, n *node, at loc, v reflect.Value) {
		if n.kind != nString {
			d.wrongType(n, at, fmt.Sprintf("must be the string %q", tendo.SchemaV1))
			return
		}
		if n.text != tendo.SchemaV1 {
			d.fail(n.pos, at, show(n), fmt.Sprintf("is not supported; want %q", tendo.SchemaV1))
			return
		}
		d.a.Schema = n.text
	}
	return top
}

// fromIndex makes the schema node of one indexed field, with the setter
// of its kind.
func fromIndex(fi *tendo.FieldInfo) *field {
	f := &field{
		name: fi.Name, kind: kindOf[fi.Kind], desc: fi.Doc, unit: fi.Unit, since: fi.Since,
		min: fi.Min, max: fi.Max, values: fi.Values, required: fi.Required, sf: -1,
	}
	if len(fi.Index) > 0 {
		f.sf = fi.Index[len(fi.Index)-1]
	}
	switch f.kind {
	case kindBool:
		f.set = func(d *decoder, n *node, at loc, v reflect.Value) {
			if n.kind != nBool {
				d.wrongType(n, at, "must be true or false")
				return
			}
			b := n.b
			*v.Addr().Interface().(**bool) = &b
		}
	case kindInteger:
		f.set = func(d *decoder, n *node, at loc, v reflect.Value) {
			if x, ok := d.integer(n, at, f.min, f.max); ok {
				*v.Addr().Interface().(**int) = &x
			}
		}
	case kindNumber:
		f.set = func(d *decoder, n *node, at loc, v reflect.Value) {
			if x, ok := d.number(n, at, f.min, f.max); ok {
				*v.Addr().Interface().(**float64) = &x
			}
		}
	case kindString:
		f.set = func(d *decoder, n *node, at loc, v reflect.Value) {
			if n.kind != nString {
				d.wrongType(n, at, "must be a string")
				return
			}
			v.SetString(n.text)
		}
	case kindDate:
		f.set = func(d *decoder, n *node, at loc, v reflect.Value) {
			if s, ok := d.date(n, at); ok {
				v.SetString(s)
			}
		}
	case kindEnum:
		f.set = func(d *decoder, n *node, at loc, v reflect.Value) {
			if s, ok := d.enum(n, at, f.values); ok {
				setString(v, s)
			}
		}
	}
	return f
}

// setString sets a string-typed value, or a pointer to one.
func setString(v reflect.Value, s string) {
	if v.Kind() == reflect.Pointer {
		p := reflect.New(v.Type().Elem())
		p.Elem().SetString(s)
		v.Set(p)
		return
	}
	v.SetString(s)
}

// arraySetter decodes a variable-length array whose elements are elem: an
// enum or an object. The slice is set only when every element is valid, so
// that the cross-field rules never see a list with an element left out.
// An empty array is an empty, non-nil slice: "assessed, none".
func arraySetter(arr, elem *field) func(d *decoder, n *node, at loc, v reflect.Value) {
	return func(d *decoder, n *node, at loc, v reflect.Value) {
		if n.kind != nArray {
			d.wrongType(n, at, "must be an array")
			return
		}
		path := at.String()
		s := reflect.MakeSlice(v.Type(), len(n.items), len(n.items))
		ok := true
		for i := range n.items {
			it := &n.items[i]
			il := loc{parent: path, index: i}
			ev := s.Index(i)
			switch {
			case elem.kind == kindObject && it.kind == nObject:
				before := len(d.errs)
				d.object(elem, it, il.String(), ev)
				ok = ok && len(d.errs) == before
			case elem.kind == kindObject:
				d.wrongType(it, il, "must be an object")
				ok = false
			default:
				if str, good := d.enum(it, il, elem.values); good {
					ev.SetString(str)
				} else {
					ok = false
				}
			}
			if d.full() {
				return
			}
		}
		if ok {
			v.Set(s)
		}
	}
}

// VISA-A item content, paraphrased from the evidence file (to be checked
// against the official form).
var visaAItems = [tendo.VISAAItems]string{
	"item 1: duration of morning stiffness",
	"item 2: pain stretching the tendon over a step edge",
	"item 3: pain after about 30 min of walking on flat ground",
	"item 4: pain walking down stairs",
	"item 5: pain with 10 single-leg heel raises",
	"item 6: number of pain-free single-leg hops",
	"item 7: current sport or physical activity participation",
	"item 8: Achilles-loading sport: training duration and pain",
}

func visaASchema() *field {
	elems := make([]*field, tendo.VISAAItems)
	for i := range 6 {
		elems[i] = &field{sf: -1, kind: kindInteger, min: ptr(0), max: ptr(tendo.VISAAItemMax), desc: visaAItems[i] + " (10 = best)"}
	}
	elems[6] = &field{sf: -1, kind: kindInteger, values: ints(tendo.VISAAItem7Points()), desc: visaAItems[6] + " (10 = best)"}
	branches := make([]string, 0, 3)
	for _, b := range tendo.VISAABranchValues() {
		branches = append(branches, string(b)+": "+strings.Join(ints(tendo.VISAAItem8Points(b)), ", "))
	}
	item8 := object("", visaAItems[7]+"; answer one branch",
		&field{sf: -1, name: "branch", kind: kindEnum, required: true, values: strs(tendo.VISAABranchValues()),
			desc: "A: no pain during Achilles-loading sport; B: pain but completes it; C: pain stops completion",
			set: func(d *decoder, n *node, at loc, _ reflect.Value) {
				if s, ok := d.enum(n, at, strs(tendo.VISAABranchValues())); ok {
					d.m.item8.Branch = tendo.VISAABranch(s)
				}
			}},
		&field{sf: -1, name: "points", kind: kindInteger, required: true, min: ptr(0), max: ptr(30),
			desc: "points for training duration nil, 1–10, 11–20, 21–30, > 30 min; by branch " + strings.Join(branches, "; "),
			set: func(d *decoder, n *node, at loc, _ reflect.Value) {
				if v, ok := d.integer(n, at, nil, nil); ok {
					d.m.item8.Points = v
				}
			}},
	)
	elems[7] = item8
	answers := &field{sf: -1, name: "answers", kind: kindArray, length: tendo.VISAAItems, elems: elems,
		desc: "the 8 VISA-A items: items 1–6 are 0–10, item 7 is 0, 4, 7 or 10, item 8 is {branch, points}; all 8 are required"}
	answers.set = func(d *decoder, n *node, at loc, _ reflect.Value) { d.visaAAnswers(n, at, item8) }
	score := &field{sf: -1, name: "score", kind: kindInteger, min: ptr(0), max: ptr(tendo.VISAAMax),
		desc: "VISA-A total computed elsewhere; must equal the sum of the answers when both are given"}
	score.set = func(d *decoder, n *node, at loc, _ reflect.Value) {
		if v, ok := d.integer(n, at, score.min, score.max); ok {
			d.a.PROMs.VISAA.Score = &v
		} else {
			d.m.partBad = true
		}
	}
	f := object("visaA", "VISA-A (Victorian Institute of Sport Assessment – Achilles): answers or score; 0–100, higher is better", answers, score)
	f.open = func(d *decoder) { d.a.PROMs.VISAA = &tendo.VISAA{}; d.m.reset() }
	f.post = func(d *decoder, n *node, path string) {
		v := *d.a.PROMs.VISAA
		if d.m.anyBad {
			v.Score = nil
		}
		_, err := tendo.ScoreVISAA(&v)
		d.scoreErrors(n, path, err)
	}
	return f
}

// ODI v2.1a sections, from the evidence file.
var odiSections = [tendo.ODISections]string{
	"pain intensity", "personal care", "lifting", "walking", "sitting",
	"standing", "sleeping", "sex life (if applicable)", "social life", "travelling",
}

func odiSchema() *field {
	elems := make([]*field, tendo.ODISections)
	for i, s := range odiSections {
		elems[i] = &field{sf: -1, kind: kindInteger, min: ptr(0), max: ptr(tendo.ODISectionMax), nullable: true,
			desc: fmt.Sprintf("section %d: %s (0–5, higher worse; null if unanswered)", i+1, s)}
	}
	answers := &field{sf: -1, name: "answers", kind: kindArray, length: tendo.ODISections, elems: elems,
		desc: "the 10 ODI sections, each 0–5 or null if unanswered; at most 2 may be unanswered"}
	answers.set = func(d *decoder, n *node, at loc, _ reflect.Value) { d.odiAnswers(n, at) }
	percent := &field{sf: -1, name: "percent", kind: kindNumber, unit: "%", min: ptr(0), max: ptr(100),
		desc: "ODI percentage computed elsewhere; must be within 0.05 of the answers' score when both are given"}
	percent.set = func(d *decoder, n *node, at loc, _ reflect.Value) {
		if v, ok := d.number(n, at, percent.min, percent.max); ok {
			d.a.PROMs.ODI.Percent = &v
		} else {
			d.m.partBad = true
		}
	}
	f := object("odi", "Oswestry Disability Index v2.1a: answers or percent; 0–100, higher is worse", answers, percent)
	f.open = func(d *decoder) { d.a.PROMs.ODI = &tendo.ODI{}; d.m.reset() }
	f.post = func(d *decoder, n *node, path string) {
		v := *d.a.PROMs.ODI
		if d.m.anyBad {
			v.Percent = nil
		}
		_, err := tendo.ScoreODI(&v)
		d.scoreErrors(n, path, err)
	}
	return f
}

func lefsSchema() *field {
	elems := make([]*field, tendo.LEFSItems)
	for i := range elems {
		elems[i] = &field{sf: -1, kind: kindInteger, min: ptr(0), max: ptr(tendo.LEFSItemMax),
			desc: fmt.Sprintf("item %d: 0 = extreme difficulty or unable, 4 = no difficulty", i+1)}
	}
	answers := &field{sf: -1, name: "answers", kind: kindArray, length: tendo.LEFSItems, elems: elems,
		desc: "the 20 LEFS items, each 0–4; all 20 are required"}
	answers.set = func(d *decoder, n *node, at loc, _ reflect.Value) { d.lefsAnswers(n, at) }
	score := &field{sf: -1, name: "score", kind: kindInteger, min: ptr(0), max: ptr(tendo.LEFSMax),
		desc: "LEFS total computed elsewhere; must equal the sum of the answers when both are given"}
	score.set = func(d *decoder, n *node, at loc, _ reflect.Value) {
		if v, ok := d.integer(n, at, score.min, score.max); ok {
			d.a.PROMs.LEFS.Score = &v
		} else {
			d.m.partBad = true
		}
	}
	f := object("lefs", "Lower Extremity Functional Scale: answers or score; 0–80, higher is better", answers, score)
	f.open = func(d *decoder) { d.a.PROMs.LEFS = &tendo.LEFS{}; d.m.reset() }
	f.post = func(d *decoder, n *node, path string) {
		v := *d.a.PROMs.LEFS
		if d.m.anyBad {
			v.Score = nil
		}
		_, err := tendo.ScoreLEFS(&v)
		d.scoreErrors(n, path, err)
	}
	return f
}

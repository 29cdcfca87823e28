package fhir

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"reflect"
	"slices"
	"strings"
	"sync"
)

// Extra holds the members of a JSON object that its Go type does not model,
// by name, as raw JSON: elements of the resource the package has no field for,
// primitive extensions (_birthDate), contained resources (contained) and
// value[x] variants without a field. Decoding fills it; encoding writes each
// member back unchanged. A name must not also be a modelled member (encoding
// fails).
type Extra map[string]json.RawMessage

// fieldInfo is one modelled member of a struct: its JSON name and its index.
type fieldInfo struct {
	name  string
	index int
}

// structInfo lists a struct type's modelled members in declaration order and
// the index of its Extra field.
type structInfo struct {
	fields []fieldInfo
	byName map[string]int // JSON name -> position in fields
	extra  int
}

var structInfos sync.Map // reflect.Type -> *structInfo

var (
	extraType    = reflect.TypeFor[Extra]()
	resourceType = reflect.TypeFor[Resource]()
)

// infoOf returns the members of the struct type t. Every exported field but
// Extra carries a json tag with the member's name; a type without an Extra
// field is a programming error and panics.
func infoOf(t reflect.Type) *structInfo {
	if si, ok := structInfos.Load(t); ok {
		return si.(*structInfo)
	}
	si := &structInfo{byName: map[string]int{}, extra: -1}
	for i := range t.NumField() {
		f := t.Field(i)
		if f.Type == extraType {
			si.extra = i
			continue
		}
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "" || name == "-" {
			panic("fhir: field " + t.Name() + "." + f.Name + " has no json name")
		}
		si.byName[name] = len(si.fields)
		si.fields = append(si.fields, fieldInfo{name: name, index: i})
	}
	if si.extra < 0 {
		panic("fhir: type " + t.Name() + " has no Extra field")
	}
	structInfos.Store(t, si)
	return si
}

// member is one name/value pair of a JSON object, in input order.
type member struct {
	name  string
	value json.RawMessage
}

// members splits a JSON object into its members. It rejects anything but an
// object and a name that occurs twice (JSON leaves duplicates undefined and
// FHIR forbids them).
func members(data []byte) ([]member, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	tok, err := dec.Token()
	if err != nil {
		return nil, &Error{Msg: trimJSON(err)}
	}
	if d, ok := tok.(json.Delim); !ok || d != '{' {
		return nil, &Error{Msg: "want an object, got " + jsonKind(data)}
	}
	var out []member
	seen := map[string]bool{}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, &Error{Msg: trimJSON(err)}
		}
		name, ok := tok.(string)
		if !ok { // the tokenizer refuses anything else; kept for safety
			return nil, &Error{Msg: "want a member name"}
		}
		var v json.RawMessage
		if err := dec.Decode(&v); err != nil {
			return nil, &Error{Msg: trimJSON(err)}
		}
		if seen[name] {
			return nil, &Error{Path: name, Msg: "duplicate member"}
		}
		seen[name] = true
		out = append(out, member{name: name, value: v})
	}
	if _, err := dec.Token(); err != nil {
		return nil, &Error{Msg: trimJSON(err)}
	}
	return out, nil
}

// decodeObject fills the struct *v from the JSON object data: modelled
// members into their fields (strictly: a value of the wrong JSON type, null,
// an empty string and an empty array are errors, as FHIR forbids them), the
// others into its Extra. A non-empty rt is the resourceType data must carry.
//
// It reads data in one pass, nested objects from the same stream, so its
// cost grows with the size of data, not with size times depth.
func decodeObject(data []byte, v any, rt string) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	return streamObject(dec, reflect.ValueOf(v).Elem(), rt, 0)
}

// streamObject reads the next JSON value of dec, which must be an object,
// into the struct rv. nest counts the resources that enclose it (see
// MaxNesting).
func streamObject(dec *json.Decoder, rv reflect.Value, rt string, nest int) error {
	si := infoOf(rv.Type())
	tok, err := dec.Token()
	if err != nil {
		return &Error{Msg: trimJSON(err)}
	}
	if d, ok := tok.(json.Delim); !ok || d != '{' {
		return &Error{Msg: "want an object, got " + tokenKind(tok)}
	}
	rv.SetZero()
	var extra Extra
	seen := map[string]bool{} // a map: a slice would make an object of many members quadratic
	sawType := false
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return &Error{Msg: trimJSON(err)}
		}
		name, ok := tok.(string)
		if !ok { // the tokenizer refuses anything else; kept for safety
			return &Error{Msg: "want a member name"}
		}
		if seen[name] {
			return &Error{Path: name, Msg: "duplicate member"}
		}
		seen[name] = true
		if rt != "" && name == "resourceType" {
			var raw json.RawMessage
			var s string
			if err := dec.Decode(&raw); err != nil {
				return &Error{Msg: trimJSON(err)}
			}
			if err := json.Unmarshal(raw, &s); err != nil || s != rt {
				return &Error{Path: "resourceType", Msg: fmt.Sprintf("want %q, got %s", rt, raw)}
			}
			sawType = true
			continue
		}
		i, ok := si.byName[name]
		if !ok {
			var raw json.RawMessage
			if err := dec.Decode(&raw); err != nil {
				return &Error{Msg: trimJSON(err)}
			}
			if extra == nil {
				extra = Extra{}
			}
			extra[name] = raw
			continue
		}
		if err := streamField(dec, rv.Field(si.fields[i].index), nest); err != nil {
			return prefix(name, err)
		}
	}
	if _, err := dec.Token(); err != nil {
		return &Error{Msg: trimJSON(err)}
	}
	if rt != "" && !sawType {
		return &Error{Path: "resourceType", Msg: "missing"}
	}
	for _, fi := range si.fields {
		if f := rv.Field(fi.index); f.Type() == stringsType {
			if err := checkNulls(fi.name, f.Interface().([]string), extra); err != nil {
				return err
			}
		}
	}
	rv.Field(si.extra).Set(reflect.ValueOf(extra))
	return nil
}

var stringsType = reflect.TypeFor[[]string]()

// checkNulls checks the null entries of a repeating primitive, held as ""
// in vals: FHIR's JSON format allows null in such an array only where the
// array of its extensions, the member "_"+name, has a value at the same
// position (given: ["A", null] with _given: [null, {"extension": …}]).
func checkNulls(name string, vals []string, extra Extra) error {
	var ext []json.RawMessage
	parsed := false
	for i, v := range vals {
		if v != "" {
			continue
		}
		if !parsed {
			parsed = true
			if raw, ok := extra["_"+name]; ok {
				_ = json.Unmarshal(raw, &ext) // not an array: no extensions
			}
		}
		if i >= len(ext) || string(ext[i]) == "null" {
			return &Error{Path: fmt.Sprintf("%s[%d]", name, i), Msg: "null or empty, and _" + name + " has no extension for it (FHIR allows null in an array only beside one)"}
		}
	}
	return nil
}

// streamField reads one modelled member's value from dec into the field f:
// an array for a repeating element, else one value.
func streamField(dec *json.Decoder, f reflect.Value, nest int) error {
	if f.Kind() != reflect.Slice {
		return streamValue(dec, f, nest)
	}
	tok, err := dec.Token()
	if err != nil {
		return &Error{Msg: trimJSON(err)}
	}
	if d, ok := tok.(json.Delim); !ok || d != '[' {
		return &Error{Msg: "want an array, got " + tokenKind(tok)}
	}
	s := reflect.MakeSlice(f.Type(), 0, 1)
	for i := 0; dec.More(); i++ {
		s = reflect.Append(s, reflect.Zero(f.Type().Elem()))
		if f.Type() == stringsType {
			// A repeating primitive may hold null, kept as "" and checked
			// against its extensions by streamObject.
			if err := streamPrimitiveString(dec, s.Index(i)); err != nil {
				return prefix(fmt.Sprintf("[%d]", i), err)
			}
			continue
		}
		if err := streamValue(dec, s.Index(i), nest); err != nil {
			return prefix(fmt.Sprintf("[%d]", i), err)
		}
	}
	if _, err := dec.Token(); err != nil {
		return &Error{Msg: trimJSON(err)}
	}
	if s.Len() == 0 {
		return &Error{Msg: "empty array (FHIR omits an element with no value)"}
	}
	f.Set(s)
	return nil
}

// streamValue reads one JSON value (not an array of a repeating element)
// from dec into f: a string, bool, integer, Decimal, struct of this package,
// pointer to one of these, or a Resource.
func streamValue(dec *json.Decoder, f reflect.Value, nest int) error {
	if f.Kind() == reflect.Pointer {
		f.Set(reflect.New(f.Type().Elem()))
		f = f.Elem()
	}
	if f.Kind() == reflect.Struct {
		err := streamObject(dec, f, "", nest)
		if e, ok := err.(*Error); ok && e.Msg == "want an object, got null" {
			return &Error{Msg: nullMsg}
		}
		return err
	}
	var raw json.RawMessage
	if err := dec.Decode(&raw); err != nil {
		return &Error{Msg: trimJSON(err)}
	}
	if string(raw) == "null" {
		return &Error{Msg: nullMsg}
	}
	if f.Type() == resourceType {
		r, err := decodeResource(raw, nest+1)
		if err != nil {
			return err
		}
		f.Set(reflect.ValueOf(r))
		return nil
	}
	if err := json.Unmarshal(raw, f.Addr().Interface()); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) {
			return &Error{Msg: "want " + goKind(f.Type()) + ", got " + jsonKind(raw)}
		}
		return err
	}
	if f.Kind() == reflect.String && f.Len() == 0 {
		return &Error{Msg: "empty string (FHIR omits an element with no value)"}
	}
	return nil
}

// streamPrimitiveString reads one entry of a repeating string primitive
// into f: a non-empty string, or null as "".
func streamPrimitiveString(dec *json.Decoder, f reflect.Value) error {
	var raw json.RawMessage
	if err := dec.Decode(&raw); err != nil {
		return &Error{Msg: trimJSON(err)}
	}
	if string(raw) == "null" {
		return nil
	}
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		return &Error{Msg: "want a string, got " + jsonKind(raw)}
	}
	if s == "" {
		return &Error{Msg: "empty string (FHIR omits an element with no value)"}
	}
	f.SetString(s)
	return nil
}

const nullMsg = "null (FHIR omits an element with no value)"

// tokenKind names the JSON type of the token that starts a value.
func tokenKind(tok json.Token) string {
	switch tok := tok.(type) {
	case json.Delim:
		if tok == '[' {
			return "an array"
		}
		return "an object"
	case string:
		return "a string"
	case bool:
		return "a boolean"
	case nil:
		return "null"
	}
	return "a number"
}

// encodeObject writes the struct *v as a JSON object: resourceType first when
// rt is not empty, then the modelled members that have a value in
// declaration order, then the Extra members sorted by name.
func encodeObject(v any, rt string) ([]byte, error) {
	rv := reflect.ValueOf(v).Elem()
	si := infoOf(rv.Type())
	var b bytes.Buffer
	b.WriteByte('{')
	sep := func() {
		if b.Len() > 1 {
			b.WriteByte(',')
		}
	}
	if rt != "" {
		b.WriteString(`"resourceType":`)
		writeJSON(&b, rt)
	}
	extra := rv.Field(si.extra).Interface().(Extra)
	for _, fi := range si.fields {
		f := rv.Field(fi.index)
		if f.IsZero() || (f.Kind() == reflect.Slice && f.Len() == 0) {
			continue
		}
		sep()
		writeJSON(&b, fi.name)
		b.WriteByte(':')
		if f.Type() == stringsType {
			vals := f.Interface().([]string)
			if err := checkNulls(fi.name, vals, extra); err != nil {
				return nil, err
			}
			writeStrings(&b, vals)
			continue
		}
		if err := writeJSON(&b, f.Interface()); err != nil {
			return nil, prefix(fi.name, err)
		}
	}
	for _, name := range slices.Sorted(maps.Keys(extra)) {
		if _, ok := si.byName[name]; ok || (rt != "" && name == "resourceType") {
			return nil, &Error{Path: name, Msg: "member is both modelled and in Extra"}
		}
		sep()
		writeJSON(&b, name)
		b.WriteByte(':')
		if err := writeJSON(&b, extra[name]); err != nil {
			return nil, prefix(name, err)
		}
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

// writeJSON appends the JSON encoding of v to b without escaping <, > and &
// (a narrative's XHTML stays readable).
func writeJSON(b *bytes.Buffer, v any) error {
	enc := json.NewEncoder(b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return err
	}
	b.Truncate(b.Len() - 1) // Encode's newline
	return nil
}

// writeStrings appends the repeating primitive vals to b as a JSON array,
// "" as null (see checkNulls).
func writeStrings(b *bytes.Buffer, vals []string) {
	b.WriteByte('[')
	for i, v := range vals {
		if i > 0 {
			b.WriteByte(',')
		}
		if v == "" {
			b.WriteString("null")
			continue
		}
		writeJSON(b, v)
	}
	b.WriteByte(']')
}

// jsonKind names the JSON type of a valid JSON value.
func jsonKind(raw []byte) string {
	raw = bytes.TrimLeft(raw, " \t\r\n")
	if len(raw) == 0 {
		return "nothing"
	}
	switch raw[0] {
	case '{':
		return "an object"
	case '[':
		return "an array"
	case '"':
		return "a string"
	case 't', 'f':
		return "a boolean"
	case 'n':
		return "null"
	}
	return "a number"
}

// goKind names the JSON type a Go field takes.
func goKind(t reflect.Type) string {
	switch {
	case t == reflect.TypeFor[Decimal]():
		return "a number"
	case t.Kind() == reflect.String:
		return "a string"
	case t.Kind() == reflect.Bool:
		return "a boolean"
	case t.Kind() >= reflect.Int && t.Kind() <= reflect.Int64:
		return "an integer"
	case t.Kind() == reflect.Struct:
		return "an object"
	}
	return t.String()
}

package tendo

// This file is the field index: one description of every field of the
// assessment contract, built once by reflection over Assessment and its
// struct tags (see the tag grammar at the top of assessment.go), the way
// encoding/json caches the fields of a type. The package intake derives
// its decoder and its exported schema from it, the package kb its access
// to findings, and a form can be derived from it as well; nothing else
// lists the fields.

import (
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"
)

// FieldKind is the JSON shape of a contract field.
type FieldKind string

// Field kinds.
const (
	KindObject  FieldKind = "object"
	KindArray   FieldKind = "array"
	KindString  FieldKind = "string"
	KindDate    FieldKind = "date" // a string written YYYY-MM-DD
	KindBool    FieldKind = "bool"
	KindInteger FieldKind = "integer"
	KindNumber  FieldKind = "number"
	KindEnum    FieldKind = "enum" // a string from Values
)

// A FieldInfo describes one field of the assessment contract.
type FieldInfo struct {
	// Path names the field as the contract and errors do, with dots
	// between levels: "exam.neuro.left.ankleReflex". The element of a
	// variable-length array is listed once, with "[]" after the array's
	// path: "history.legPainAreas[]", "imaging.lumbarMri.rootCompression[].root".
	Path string
	// Name is the JSON name, the last segment of Path ("" for an array
	// element).
	Name string
	// Kind is the JSON shape.
	Kind FieldKind
	// Values lists the allowed values of an enum, in contract order.
	Values []string
	// Min and Max bound a number or integer (inclusive); nil is unbounded.
	Min, Max *float64
	// Unit is the unit of a quantity ("cm", "years", "mm"), or "".
	Unit string
	// Doc says what the field means.
	Doc string
	// Required is true for a field that must be present when its parent
	// is (schema, and root and side of a root compression).
	Required bool
	// Since is the contract version that added the field: "1.0" or "1.1".
	Since string
	// Scored marks an outcome measure (proms.visaA, proms.odi, proms.lefs)
	// whose parts are scored together by the root package.
	Scored bool
	// Custom marks a field with a JSON form of its own (the answers of the
	// outcome measures): the index does not describe its elements.
	Custom bool
	// Type is the Go type of the struct field (a pointer for an optional
	// scalar or object, a slice for an array).
	Type reflect.Type
	// Index is the reflect field index of the field from Assessment,
	// through pointers (see Get); for a field inside an array element it
	// is relative to the element's type. Nil for an array element itself.
	Index []int
	// Parent is the position in Fields of the enclosing object or array,
	// or -1 for a top-level field.
	Parent int
	// InArray is true for an array element and the fields inside one.
	InArray bool
}

// Leaf reports whether the field holds one value (not an object or an
// array).
func (f *FieldInfo) Leaf() bool { return f.Kind != KindObject && f.Kind != KindArray }

// Get returns the field's value in a, with pointers followed: a bool, an
// int, a float64, a string type, a struct or a slice. It reports false when
// the field is absent: a nil pointer on the way or at the field, a nil
// slice, or an empty string. It panics for a field inside an array
// element.
func (f *FieldInfo) Get(a *Assessment) (reflect.Value, bool) {
	if f.InArray {
		panic("tendo: FieldInfo.Get of a field inside an array: " + f.Path)
	}
	if a == nil {
		return reflect.Value{}, false
	}
	v := reflect.ValueOf(a).Elem()
	for _, i := range f.Index {
		if v.Kind() == reflect.Pointer {
			if v.IsNil() {
				return reflect.Value{}, false
			}
			v = v.Elem()
		}
		v = v.Field(i)
	}
	switch v.Kind() {
	case reflect.Pointer, reflect.Slice:
		if v.IsNil() {
			return reflect.Value{}, false
		}
		if v.Kind() == reflect.Pointer {
			v = v.Elem()
		}
	case reflect.String:
		if v.Len() == 0 {
			return reflect.Value{}, false
		}
	}
	return v, true
}

// Fields returns the field index: every field of the contract, objects
// before their fields, in the order of the struct declarations (the
// contract's order, v1.1 additions after the v1 fields of each object).
// The slice is a copy; the Values and Index slices are shared and must
// not be modified.
func Fields() []FieldInfo { return slices.Clone(index().list) }

// LookupField returns the field with the given path ("exam.arcSign",
// "history.legPainAreas[]").
func LookupField(path string) (FieldInfo, bool) {
	ix := index()
	if i, ok := ix.byPath[path]; ok {
		return ix.list[i], true
	}
	return FieldInfo{}, false
}

// EnumValues returns the allowed values of an enumeration type of the
// contract (Side, Area, ...), in contract order, or nil for another type.
func EnumValues(t reflect.Type) []string { return slices.Clone(enumValues[t]) }

// enumValues is the registry of the contract's enumerations: every string
// type of the assessment must be listed here (the index panics otherwise).
var enumValues = map[reflect.Type][]string{
	reflect.TypeFor[Side]():              strs(SideValues()),
	reflect.TypeFor[Sex]():               strs(SexValues()),
	reflect.TypeFor[ActivityLevel]():     strs(ActivityLevelValues()),
	reflect.TypeFor[Onset]():             strs(OnsetValues()),
	reflect.TypeFor[PainSite]():          strs(PainSiteValues()),
	reflect.TypeFor[Paresthesia]():       strs(ParesthesiaValues()),
	reflect.TypeFor[Tenderness]():        strs(TendernessValues()),
	reflect.TypeFor[TestResult]():        strs(TestResultValues()),
	reflect.TypeFor[DichotomousResult](): strs(DichotomousResultValues()),
	reflect.TypeFor[SqueezeResult]():     strs(SqueezeResultValues()),
	reflect.TypeFor[ReflexGrade]():       strs(ReflexGradeValues()),
	reflect.TypeFor[FootPosture]():       strs(FootPostureValues()),
	reflect.TypeFor[GaitSource]():        strs(GaitSourceValues()),
	reflect.TypeFor[VISAABranch]():       strs(VISAABranchValues()),
	reflect.TypeFor[Area]():              strs(AreaValues()),
	reflect.TypeFor[Smoking]():           strs(SmokingValues()),
	reflect.TypeFor[PulseGrade]():        strs(PulseGradeValues()),
	reflect.TypeFor[TearGrade]():         strs(TearGradeValues()),
	reflect.TypeFor[MRITendon]():         strs(MRITendonValues()),
	reflect.TypeFor[Root]():              strs(RootValues()),
	reflect.TypeFor[RootSide]():          strs(RootSideValues()),
}

func strs[T ~string](v []T) []string {
	out := make([]string, len(v))
	for i, s := range v {
		out[i] = string(s)
	}
	return out
}

type fieldIndex struct {
	list   []FieldInfo
	byPath map[string]int
}

var index = sync.OnceValue(func() *fieldIndex {
	ix := &fieldIndex{byPath: map[string]int{}}
	ix.walk(reflect.TypeFor[Assessment](), "", nil, -1, "1.0", false)
	return ix
})

// walk adds the fields of the struct type t.
func (ix *fieldIndex) walk(t reflect.Type, prefix string, index []int, parent int, since string, inArray bool) {
	for i := range t.NumField() {
		sf := t.Field(i)
		name, _, _ := strings.Cut(sf.Tag.Get("json"), ",")
		if name == "" || name == "-" || !sf.IsExported() {
			panic("tendo: field index: " + t.Name() + "." + sf.Name + " has no JSON name")
		}
		f := FieldInfo{
			Path: join(prefix, name), Name: name, Doc: sf.Tag.Get("doc"), Since: since,
			Type: sf.Type, Index: append(slices.Clip(index), i), Parent: parent, InArray: inArray,
		}
		parseTag(&f, sf.Tag.Get("tendo"))
		if f.Doc == "" {
			panic("tendo: field index: " + f.Path + " has no doc tag")
		}
		ix.add(&f)
	}
}

func (ix *fieldIndex) add(f *FieldInfo) {
	t := f.Type
	if t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	pos := len(ix.list)
	var walkStruct reflect.Type
	var elem *FieldInfo
	switch {
	case f.Custom:
		f.Kind = KindArray
	case t.Kind() == reflect.Struct:
		f.Kind = KindObject
		walkStruct = t
	case t.Kind() == reflect.Slice:
		f.Kind = KindArray
		et := t.Elem()
		elem = &FieldInfo{Path: f.Path + "[]", Doc: "one element of " + f.Name, Since: f.Since, Type: et,
			Parent: pos, InArray: true}
		if et.Kind() == reflect.Struct {
			elem.Kind = KindObject
		} else {
			elem.Kind, elem.Values = scalarKind(et, f.Path+"[]")
		}
	case f.Kind == KindDate:
		if t.Kind() != reflect.String {
			panic("tendo: field index: date " + f.Path + " is not a string")
		}
	default:
		f.Kind, f.Values = scalarKind(t, f.Path)
	}
	if _, dup := ix.byPath[f.Path]; dup {
		panic("tendo: field index: duplicate path " + f.Path)
	}
	ix.byPath[f.Path] = pos
	ix.list = append(ix.list, *f)
	if walkStruct != nil {
		ix.walk(walkStruct, f.Path, f.Index, pos, f.Since, f.InArray)
	}
	if elem != nil {
		epos := len(ix.list)
		ix.byPath[elem.Path] = epos
		ix.list = append(ix.list, *elem)
		if elem.Kind == KindObject {
			ix.walk(elem.Type, elem.Path, nil, epos, f.Since, true)
		}
	}
}

// scalarKind is the kind of a scalar Go type: an enum (with its values)
// for a registered string type.
func scalarKind(t reflect.Type, path string) (FieldKind, []string) {
	switch t.Kind() {
	case reflect.Bool:
		return KindBool, nil
	case reflect.Int:
		return KindInteger, nil
	case reflect.Float64:
		return KindNumber, nil
	case reflect.String:
		if v, ok := enumValues[t]; ok {
			return KindEnum, v
		}
		if t == reflect.TypeFor[string]() {
			return KindString, nil
		}
	}
	panic(fmt.Sprintf("tendo: field index: %s has type %v, which the index does not know (register an enumeration in enumValues)", path, t))
}

// parseTag reads the tendo tag: comma-separated flags and key=value pairs.
func parseTag(f *FieldInfo, tag string) {
	if tag == "" {
		return
	}
	for part := range strings.SplitSeq(tag, ",") {
		key, val, _ := strings.Cut(part, "=")
		num := func() *float64 {
			x, err := strconv.ParseFloat(val, 64)
			if err != nil {
				panic("tendo: field index: " + f.Path + ": bad " + key + " " + strconv.Quote(val))
			}
			return &x
		}
		switch key {
		case "min":
			f.Min = num()
		case "max":
			f.Max = num()
		case "unit":
			f.Unit = val
		case "since":
			f.Since = val
		case "required":
			f.Required = true
		case "date":
			f.Kind = KindDate
		case "scored":
			f.Scored = true
		case "custom":
			f.Custom = true
		default:
			panic("tendo: field index: " + f.Path + ": unknown tag " + strconv.Quote(part))
		}
	}
}

func join(parent, name string) string {
	if parent == "" {
		return name
	}
	return parent + "." + name
}

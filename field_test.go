package tendo

import (
	"encoding/json"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// TestFieldIndexCoversAssessment checks that every JSON name of
// Assessment is in the index once, with a kind, a doc and a version.
func TestFieldIndexCoversAssessment(t *testing.T) {
	t.Parallel()
	want := map[string]bool{}
	var walk func(reflect.Type, string)
	walk = func(typ reflect.Type, prefix string) {
		for i := range typ.NumField() {
			f := typ.Field(i)
			name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			path := join(prefix, name)
			want[path] = true
			ft := f.Type
			if ft.Kind() == reflect.Pointer {
				ft = ft.Elem()
			}
			if ft.Kind() == reflect.Slice && f.Tag.Get("tendo") != "custom" {
				path += "[]"
				want[path] = true
				ft = ft.Elem()
			}
			if ft.Kind() == reflect.Struct {
				walk(ft, path)
			}
		}
	}
	walk(reflect.TypeFor[Assessment](), "")
	fields := Fields()
	got := map[string]bool{}
	for i, f := range fields {
		if got[f.Path] {
			t.Errorf("%s listed twice", f.Path)
		}
		got[f.Path] = true
		if f.Kind == "" || f.Doc == "" || (f.Since != "1.0" && f.Since != "1.1") {
			t.Errorf("%s: kind %q doc %q since %q", f.Path, f.Kind, f.Doc, f.Since)
		}
		if f.Parent >= i || (f.Parent >= 0 && !strings.HasPrefix(f.Path, fields[f.Parent].Path)) {
			t.Errorf("%s: parent %d", f.Path, f.Parent)
		}
		if l, ok := LookupField(f.Path); !ok || l.Path != f.Path {
			t.Errorf("LookupField(%q) = %v", f.Path, ok)
		}
	}
	for p := range want {
		if !got[p] {
			t.Errorf("%s is not in the index", p)
		}
	}
	for p := range got {
		if !want[p] {
			t.Errorf("index lists %s, which Assessment does not have", p)
		}
	}
	// Every v1.1 section and field says so; v1 fields are 1.0.
	for _, p := range []string{"imaging", "imaging.lumbarMri.rootCompression[].root", "exam.neuro.left.sensation.sole", "history.legPainAreas[]", "patient.smoking", "exam.abpi"} {
		if f, _ := LookupField(p); f.Since != "1.1" {
			t.Errorf("%s since %q", p, f.Since)
		}
	}
	for _, p := range []string{"exam.heelRaiseReps.affected", "proms.visaA.score", "side", "gait.source"} {
		if f, _ := LookupField(p); f.Since != "1.0" {
			t.Errorf("%s since %q", p, f.Since)
		}
	}
}

// TestFieldIndexValues checks kinds, enumerations, ranges and units of
// the index against the contract.
func TestFieldIndexValues(t *testing.T) {
	t.Parallel()
	type want struct {
		kind     FieldKind
		values   []string
		min, max float64 // both 0: unbounded
		unit     string
	}
	for path, w := range map[string]want{
		"schema":                                        {kind: KindString},
		"date":                                          {kind: KindDate},
		"patient.ageYears":                              {kind: KindInteger, min: 10, max: 110, unit: "years"},
		"patient.smoking":                               {kind: KindEnum, values: []string{"never", "former", "current"}},
		"history.legPainAreas":                          {kind: KindArray},
		"history.legPainAreas[]":                        {kind: KindEnum, values: strs(AreaValues())},
		"history.diabetesYears":                         {kind: KindNumber, min: 0, max: 100, unit: "years"},
		"history.claudicationDistanceM":                 {kind: KindNumber, min: 1, max: 10000, unit: "m"},
		"exam.neuro.left.ankleReflex":                   {kind: KindEnum, values: []string{"normal", "reduced", "absent"}},
		"exam.neuro.right.plantarflexionMrc":            {kind: KindInteger, min: 0, max: 5},
		"exam.neuro.left.ankleDorsiflexionMrc":          {kind: KindInteger, min: 0, max: 5},
		"exam.neuro.left.greatToeExtensionMrc":          {kind: KindInteger, min: 0, max: 5},
		"exam.neuro.left.sensation.lateralFoot":         {kind: KindEnum, values: []string{"normal", "reduced", "absent"}},
		"exam.dorsalisPedisPulse":                       {kind: KindEnum, values: []string{"present", "reduced", "absent"}},
		"exam.abpi":                                     {kind: KindNumber, min: 0, max: 3},
		"exam.tarsalTunnelTinel":                        {kind: KindEnum, values: []string{"positive", "negative", "equivocal"}},
		"imaging.ultrasound.tendonThicknessMm.affected": {kind: KindNumber, min: 1, max: 30, unit: "mm"},
		"imaging.ultrasound.tear":                       {kind: KindEnum, values: []string{"none", "partial", "full-thickness"}},
		"imaging.ankleMri.tendon":                       {kind: KindEnum, values: []string{"normal", "tendinopathy", "partial-tear", "full-thickness-tear"}},
		"imaging.lumbarMri.rootCompression[]":           {kind: KindObject},
		"imaging.lumbarMri.rootCompression[].root":      {kind: KindEnum, values: []string{"L4", "L5", "S1"}},
		"imaging.lumbarMri.rootCompression[].side":      {kind: KindEnum, values: []string{"left", "right", "bilateral"}},
		"proms.visaA":                                   {kind: KindObject},
		"proms.visaA.answers":                           {kind: KindArray},
		"proms.odi.percent":                             {kind: KindNumber, min: 0, max: 100, unit: "%"},
		"exam.heelRaiseReps.unaffected":                 {kind: KindInteger, min: 0, max: 200},
	} {
		f, ok := LookupField(path)
		if !ok {
			t.Errorf("%s: not found", path)
			continue
		}
		if f.Kind != w.kind || !slices.Equal(f.Values, w.values) || f.Unit != w.unit {
			t.Errorf("%s: %s %v %q; want %s %v %q", path, f.Kind, f.Values, f.Unit, w.kind, w.values, w.unit)
		}
		if w.min != 0 || w.max != 0 {
			if f.Min == nil || f.Max == nil || *f.Min != w.min || *f.Max != w.max {
				t.Errorf("%s: range %v–%v; want %v–%v", path, f.Min, f.Max, w.min, w.max)
			}
		}
	}
	if f, _ := LookupField("proms.visaA"); !f.Scored {
		t.Error("proms.visaA is not scored")
	}
	if f, _ := LookupField("imaging.lumbarMri.rootCompression[].root"); !f.Required || !f.InArray {
		t.Errorf("root = %+v", f)
	}
	if f, _ := LookupField("schema"); !f.Required {
		t.Error("schema is not required")
	}
	if EnumValues(reflect.TypeFor[RootSide]()) == nil || EnumValues(reflect.TypeFor[string]()) != nil {
		t.Error("EnumValues")
	}
}

// TestEnumValuesValid checks every enumeration: its values are valid,
// kebab-case (roots and VISA-A branches are upper case), and a value
// outside the list is not.
func TestEnumValuesValid(t *testing.T) {
	t.Parallel()
	check := func(name string, values []string, valid func(string) bool) {
		if len(values) == 0 {
			t.Errorf("%s has no values", name)
		}
		for _, v := range values {
			if !valid(v) {
				t.Errorf("%s: %q is not Valid", name, v)
			}
		}
		if valid("not-a-value") || valid("") {
			t.Errorf("%s accepts a value outside its list", name)
		}
	}
	check("Area", strs(AreaValues()), func(s string) bool { return Area(s).Valid() })
	check("Smoking", strs(SmokingValues()), func(s string) bool { return Smoking(s).Valid() })
	check("PulseGrade", strs(PulseGradeValues()), func(s string) bool { return PulseGrade(s).Valid() })
	check("TearGrade", strs(TearGradeValues()), func(s string) bool { return TearGrade(s).Valid() })
	check("MRITendon", strs(MRITendonValues()), func(s string) bool { return MRITendon(s).Valid() })
	check("Root", strs(RootValues()), func(s string) bool { return Root(s).Valid() })
	check("RootSide", strs(RootSideValues()), func(s string) bool { return RootSide(s).Valid() })
	below := 0
	for _, a := range AreaValues() {
		if a.BelowKnee() {
			below++
		}
		if k := SensationKey(a); (k == "") != (a == AreaAnteriorThigh || a == AreaPosteriorThigh) {
			t.Errorf("SensationKey(%s) = %q", a, k)
		}
	}
	if below != 7 || Area("knee").BelowKnee() {
		t.Errorf("%d areas below the knee; want 7", below)
	}
	// Every sensation key is a field of Sensation, in the same order.
	st := reflect.TypeFor[Sensation]()
	var keys []string
	for _, a := range AreaValues() {
		if k := SensationKey(a); k != "" {
			keys = append(keys, k)
		}
	}
	for i := range st.NumField() {
		name, _, _ := strings.Cut(st.Field(i).Tag.Get("json"), ",")
		if i >= len(keys) || keys[i] != name {
			t.Errorf("Sensation field %d is %s; SensationKey order %v", i, name, keys)
		}
	}
}

// TestV11JSONRoundTrip checks that encoding/json keeps the difference
// between an absent list and an empty one, and between an absent object
// and an empty one.
func TestV11JSONRoundTrip(t *testing.T) {
	t.Parallel()
	for _, doc := range []string{
		`{"schema":"tendo/assessment/v1"}`,
		`{"schema":"tendo/assessment/v1","history":{"legPainAreas":[],"paresthesiaAreas":["sole"]}}`,
		`{"schema":"tendo/assessment/v1","exam":{"neuro":{}}}`,
		`{"schema":"tendo/assessment/v1","side":"left","exam":{"neuro":{"left":{"sensation":{}}}}}`,
		`{"schema":"tendo/assessment/v1","imaging":{"lumbarMri":{"rootCompression":[]}}}`,
		`{"schema":"tendo/assessment/v1","imaging":{"lumbarMri":{}}}`,
		`{"schema":"tendo/assessment/v1","imaging":{"lumbarMri":{"rootCompression":[{"root":"S1","side":"bilateral"}]},"radiograph":{"calcanealFractureLine":false}}}`,
		`{"schema":"tendo/assessment/v1","patient":{"smoking":"current"},"exam":{"dorsalisPedisPulse":"absent","abpi":0.85}}`,
	} {
		var a Assessment
		if err := json.Unmarshal([]byte(doc), &a); err != nil {
			t.Fatal(err)
		}
		out, err := json.Marshal(&a)
		if err != nil {
			t.Fatal(err)
		}
		if string(out) != doc {
			t.Errorf("round trip:\n got %s\nwant %s", out, doc)
		}
	}
}

// TestFieldGet checks reading fields through the index.
func TestFieldGet(t *testing.T) {
	t.Parallel()
	left, reduced, mrc := SideLeft, ReflexReduced, 4
	a := &Assessment{Side: &left, Exam: Exam{Neuro: &Neuro{Left: &NeuroSide{KneeReflex: &reduced, PlantarflexionMRC: &mrc}}}}
	get := func(path string) (reflect.Value, bool) {
		f, ok := LookupField(path)
		if !ok {
			t.Fatalf("no field %s", path)
		}
		return f.Get(a)
	}
	if v, ok := get("exam.neuro.left.kneeReflex"); !ok || v.String() != "reduced" {
		t.Errorf("kneeReflex = %v, %v", v, ok)
	}
	if v, ok := get("exam.neuro.left.plantarflexionMrc"); !ok || v.Int() != 4 {
		t.Errorf("plantarflexionMrc = %v, %v", v, ok)
	}
	for _, p := range []string{"exam.neuro.right.kneeReflex", "exam.neuro.left.sensation.sole", "history.legPainAreas", "id", "imaging.lumbarMri"} {
		if _, ok := get(p); ok {
			t.Errorf("%s is present", p)
		}
	}
	if v, ok := get("side"); !ok || v.String() != "left" {
		t.Errorf("side = %v", v)
	}
	a.History.LegPainAreas = []Area{}
	if v, ok := get("history.legPainAreas"); !ok || v.Len() != 0 {
		t.Errorf("an empty list is absent")
	}
}

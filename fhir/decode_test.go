package fhir_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/tendo-health/tendo/fhir"
)

// TestUnmarshalRejects checks that invalid and hostile input gives an *Error
// that locates the fault, never a resource.
func TestUnmarshalRejects(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		input string
		path  string // want Error.Path
		msg   string // want in Error.Msg
	}{
		{"not JSON", `{"resourceType":"Patient",`, "", "not JSON"},
		{"a second value after the resource", `{"resourceType":"Patient"} {}`, "", "not JSON"},
		{"an array, not a resource", `[{"resourceType":"Patient"}]`, "", "want an object, got an array"},
		{"no resourceType", `{"id":"x"}`, "resourceType", "missing"},
		{"resourceType not a string", `{"resourceType":7}`, "resourceType", "want a resource type name"},
		{"resourceType in another case only", `{"ResourceType":"Patient"}`, "resourceType", "missing"},
		{"a boolean given as a string", `{"resourceType":"Patient","active":"yes"}`, "Patient.active", "want a boolean, got a string"},
		{"a string given as a number, deep in an array", `{"resourceType":"Patient","name":[{"family":"A"},{"given":["B",7]}]}`, "Patient.name[1].given[1]", "want a string, got a number"},
		{"an object where an array belongs", `{"resourceType":"Patient","name":{"family":"A"}}`, "Patient.name", "want an array, got an object"},
		{"an array where an object belongs", `{"resourceType":"Observation","code":[{"text":"x"}]}`, "Observation.code", "want an object, got an array"},
		{"null", `{"resourceType":"Patient","gender":null}`, "Patient.gender", "null"},
		{"null in an array", `{"resourceType":"Patient","name":[null]}`, "Patient.name[0]", "null"},
		{"an empty string", `{"resourceType":"Patient","id":""}`, "Patient.id", "empty string"},
		{"null in a repeating primitive with no extension for it", `{"resourceType":"Patient","name":[{"given":["A",null]}]}`, "Patient.name[0].given[1]", "_given has no extension"},
		{"null in a repeating primitive beside a null extension", `{"resourceType":"Patient","name":[{"given":["A",null],"_given":[{"id":"a"},null]}]}`, "Patient.name[0].given[1]", "_given has no extension"},
		{"null in a repeating primitive beyond its extensions", `{"resourceType":"CarePlan","activity":[{"detail":{"scheduledTiming":{"event":["2026-12-01",null],"_event":[null]}}}]}`, "CarePlan.activity[0].detail.scheduledTiming.event[1]", "_event has no extension"},
		{"an empty string in a repeating primitive", `{"resourceType":"Patient","name":[{"given":["A",""],"_given":[null,{"id":"b"}]}]}`, "Patient.name[0].given[1]", "empty string"},
		{"a number in a repeating primitive", `{"resourceType":"Questionnaire","subjectType":["Patient",7]}`, "Questionnaire.subjectType[1]", "want a string, got a number"},
		{"an empty array", `{"resourceType":"Patient","identifier":[]}`, "Patient.identifier", "empty array"},
		{"a member twice", `{"resourceType":"Patient","gender":"male","gender":"female"}`, "Patient.gender", "duplicate member"},
		{"a member twice among the unmodelled", `{"resourceType":"Patient","telecom":[],"telecom":[]}`, "Patient.telecom", "duplicate member"},
		{"a decimal given as a string", `{"resourceType":"Observation","valueQuantity":{"value":"1.5"}}`, "Observation.valueQuantity.value", "want a number, got a string"},
		{"an integer with a fraction", `{"resourceType":"Observation","valueInteger":1.5}`, "Observation.valueInteger", "want an integer"},
		{"an integer out of range", `{"resourceType":"Observation","valueInteger":1e400}`, "Observation.valueInteger", "want an integer"},
		{"a bad member of a resource in a bundle entry", `{"resourceType":"Bundle","entry":[{"resource":{"resourceType":"Patient"}},{"resource":{"resourceType":"Patient","active":1}}]}`, "Bundle.entry[1].resource.active", "want a boolean"},
		{"a bundle entry's resource without a type", `{"resourceType":"Bundle","entry":[{"resource":{"id":"x"}}]}`, "Bundle.entry[0].resource.resourceType", "missing"},
		{"a resource where a datatype's wrong member is", `{"resourceType":"QuestionnaireResponse","item":[{"linkId":"1","answer":[{"valueCoding":{"userSelected":"true"}}]}]}`, "QuestionnaireResponse.item[0].answer[0].valueCoding.userSelected", "want a boolean"},
		{"nested too deep", `{"resourceType":"Patient","x":` + strings.Repeat("[", fhir.MaxDepth) + strings.Repeat("]", fhir.MaxDepth) + `}`, "", "nested 65 deep"},
		{"resources nested too deep", strings.Repeat(`{"resourceType":"Bundle","entry":[{"resource":`, fhir.MaxNesting+1) + `{"resourceType":"Patient"}` + strings.Repeat(`}]}`, fhir.MaxNesting+1),
			"Bundle" + strings.Repeat(".entry[0].resource", fhir.MaxNesting+1), "resources nested over 4 deep"},
		{"too large", `{"resourceType":"Patient","x":"` + strings.Repeat("a", fhir.MaxBytes) + `"}`, "", "resource over"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r, err := fhir.Unmarshal([]byte(tt.input))
			if err == nil {
				t.Fatalf("read %#v, want an error", r)
			}
			var fe *fhir.Error
			if !errors.As(err, &fe) {
				t.Fatalf("error %T (%v), want *fhir.Error", err, err)
			}
			if fe.Path != tt.path || !strings.Contains(fe.Msg, tt.msg) {
				t.Fatalf("error %q at %q, want %q at %q", fe.Msg, fe.Path, tt.msg, tt.path)
			}
		})
	}
}

// TestUnmarshalKeepsUnknownMembers checks where members without a field go:
// to the Extra of the object that holds them, names matched exactly (JSON
// names are case-sensitive; encoding/json alone would fill BirthDate from
// "BIRTHDATE").
func TestUnmarshalKeepsUnknownMembers(t *testing.T) {
	t.Parallel()
	in := `{"resourceType":"Patient","birthDate":"1974-12-25","_birthDate":{"extension":[{"url":"http://example.org/time","valueDateTime":"1974-12-25T14:35:45-05:00"}]},
		"BIRTHDATE":"1900","contained":[{"resourceType":"Organization","id":"o1"}],"name":[{"family":"Chalmers","_family":{"id":"f"}}],
		"managingOrganization":{"reference":"#o1"}}`
	r, err := fhir.Unmarshal([]byte(in))
	if err != nil {
		t.Fatal(err)
	}
	p, ok := r.(*fhir.Patient)
	if !ok {
		t.Fatalf("read %T, want *fhir.Patient", r)
	}
	tests := []struct {
		name string
		got  string
		want string
	}{
		{"birthDate", p.BirthDate, "1974-12-25"},
		{"_birthDate kept", string(p.Extra["_birthDate"]), `{"extension":[{"url":"http://example.org/time","valueDateTime":"1974-12-25T14:35:45-05:00"}]}`},
		{"BIRTHDATE kept apart", string(p.Extra["BIRTHDATE"]), `"1900"`},
		{"contained kept", string(p.Extra["contained"]), `[{"resourceType":"Organization","id":"o1"}]`},
		{"name's family", p.Name[0].Family, "Chalmers"},
		{"name's _family kept in the name", string(p.Name[0].Extra["_family"]), `{"id":"f"}`},
		{"reference", p.ManagingOrganization.Reference, "#o1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if tt.got != tt.want {
				t.Fatalf("got %s, want %s", tt.got, tt.want)
			}
		})
	}
	out, err := fhir.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	if d := diff("", generic(t, []byte(in)), generic(t, out)); d != "" {
		t.Fatalf("written back differs at %s\n%s", d, out)
	}
}

// TestUnmarshalNesting checks that resources nested up to MaxNesting deep
// are read.
func TestUnmarshalNesting(t *testing.T) {
	t.Parallel()
	in := strings.Repeat(`{"resourceType":"Bundle","entry":[{"resource":`, fhir.MaxNesting) + `{"resourceType":"Patient","gender":"other"}` + strings.Repeat(`}]}`, fhir.MaxNesting)
	r, err := fhir.Unmarshal([]byte(in))
	if err != nil {
		t.Fatal(err)
	}
	for range fhir.MaxNesting {
		r = r.(*fhir.Bundle).Entry[0].Resource
	}
	if p, ok := r.(*fhir.Patient); !ok || p.Gender != "other" {
		t.Fatalf("innermost resource %#v, want the Patient", r)
	}
}

// TestRawResource checks that a resource type the package does not model is
// read as *RawResource, in a Bundle entry or alone, and written back whole.
func TestRawResource(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		input string
	}{
		{"alone", `{"resourceType":"Goal","id":"g1","lifecycleStatus":"active","description":{"text":"Walk without pain"},"subject":{"reference":"Patient/1"}}`},
		{"in a bundle entry", `{"resourceType":"Bundle","type":"collection","entry":[{"fullUrl":"urn:uuid:1","resource":{"resourceType":"Encounter","status":"finished","class":{"code":"AMB"},"length":{"value":0.50}}}]}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r, err := fhir.Unmarshal([]byte(tt.input))
			if err != nil {
				t.Fatal(err)
			}
			if b, ok := r.(*fhir.Bundle); ok {
				r = b.Entry[0].Resource
			}
			if _, ok := r.(*fhir.RawResource); !ok {
				t.Fatalf("read %T, want *fhir.RawResource", r)
			}
			out, err := fhir.Marshal(r)
			if err != nil {
				t.Fatal(err)
			}
			var whole any = generic(t, []byte(tt.input))
			if m := whole.(map[string]any); m["resourceType"] == "Bundle" {
				whole = m["entry"].([]any)[0].(map[string]any)["resource"]
			}
			if d := diff("", whole, generic(t, out)); d != "" {
				t.Fatalf("written back differs at %s\n%s", d, out)
			}
		})
	}
}

// TestRepeatingPrimitiveNull checks FHIR's JSON rule for a repeating
// primitive with extensions: null fills the value array where only the
// extension is given; it reads as "" and is written back as null.
func TestRepeatingPrimitiveNull(t *testing.T) {
	t.Parallel()
	in := `{"resourceType":"CarePlan","status":"active","intent":"plan","subject":{"reference":"Patient/1"},` +
		`"activity":[{"detail":{"status":"scheduled","scheduledTiming":{"event":["2026-12-01",null,"2026-12-15"],` +
		`"_event":[null,{"extension":[{"url":"http://hl7.org/fhir/StructureDefinition/data-absent-reason","valueCode":"unknown"}]},null]}}}]}`
	r, err := fhir.Unmarshal([]byte(in))
	if err != nil {
		t.Fatal(err)
	}
	timing := r.(*fhir.CarePlan).Activity[0].Detail.ScheduledTiming
	if got, want := strings.Join(timing.Event, "|"), "2026-12-01||2026-12-15"; got != want {
		t.Errorf("Event = %q, want %q", got, want)
	}
	if _, ok := timing.Extra["_event"]; !ok {
		t.Errorf("_event not kept in Extra: %v", timing.Extra)
	}
	out, err := fhir.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	if d := diff("", generic(t, []byte(in)), generic(t, out)); d != "" {
		t.Fatalf("written back differs at %s\n%s", d, out)
	}
}

// TestMarshalRejects checks that values FHIR JSON cannot carry are errors.
func TestMarshalRejects(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		r    fhir.Resource
		msg  string
	}{
		{"a member both modelled and in Extra", &fhir.Patient{Gender: "male", Extra: fhir.Extra{"gender": json.RawMessage(`"female"`)}}, "both modelled and in Extra"},
		{"resourceType in Extra", &fhir.Patient{Extra: fhir.Extra{"resourceType": json.RawMessage(`"Flag"`)}}, "both modelled and in Extra"},
		{"an Extra member that is not JSON", &fhir.Patient{Extra: fhir.Extra{"telecom": json.RawMessage(`[`)}}, "telecom"},
		{"an empty repeating primitive with no extension for it", &fhir.Patient{Name: []fhir.HumanName{{Given: []string{"A", ""}}}}, "given[1]"},
		{"a decimal that is not a number", &fhir.Observation{ValueQuantity: &fhir.Quantity{Value: "1,5"}}, "not a decimal"},
		{"a raw resource without a type", &fhir.RawResource{}, "resourceType"},
		{"no resource", nil, "no resource to write"},
		{"a nil patient", (*fhir.Patient)(nil), "no resource to write"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			out, err := fhir.Marshal(tt.r)
			if err == nil {
				t.Fatalf("wrote %s, want an error", out)
			}
			if !strings.Contains(err.Error(), tt.msg) {
				t.Fatalf("error %q, want it to contain %q", err, tt.msg)
			}
		})
	}
}

// TestDecode checks the io.Reader entry: a resource reads, and input over
// MaxBytes is refused however it is shaped.
func TestDecode(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		input string
		want  string // "" for success, else in the error
	}{
		{"a patient", `{"resourceType":"Patient","gender":"unknown"}` + "\n", ""},
		{"over MaxBytes of white space after it", `{"resourceType":"Patient"}` + strings.Repeat(" ", fhir.MaxBytes), "resource over"},
		{"empty input", "", "not JSON"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r, err := fhir.Decode(strings.NewReader(tt.input))
			switch {
			case tt.want == "" && err != nil:
				t.Fatal(err)
			case tt.want == "" && r.(*fhir.Patient).Gender != "unknown":
				t.Fatalf("read %#v", r)
			case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
				t.Fatalf("error %v, want one containing %q", err, tt.want)
			}
		})
	}
}

// TestUnmarshalManyMembers guards against a cost quadratic in an object's
// members (the duplicate check): a 1 MiB object of 100,000 distinct members
// took 50 s with a list and takes under a second with a map.
func TestUnmarshalManyMembers(t *testing.T) {
	t.Parallel()
	var b strings.Builder
	b.WriteString(`{"resourceType":"Patient"`)
	n := 0
	for ; b.Len() < 1<<20; n++ {
		fmt.Fprintf(&b, `,"m%d":0`, n)
	}
	b.WriteString("}")
	start := time.Now()
	r, err := fhir.Unmarshal([]byte(b.String()))
	if err != nil {
		t.Fatal(err)
	}
	if got := len(r.(*fhir.Patient).Extra); got != n {
		t.Fatalf("%d members kept, want %d", got, n)
	}
	if d := time.Since(start); d > 10*time.Second {
		t.Fatalf("reading %d members took %v; the duplicate check is quadratic again", n, d)
	}
}

// TestRawResourceUnmarshalJSON checks that a RawResource takes any resource,
// even of a modelled type, through encoding/json, and requires resourceType.
func TestRawResourceUnmarshalJSON(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		input string
		typ   string // "" when an error is wanted
	}{
		{"a modelled type", `{"resourceType":"Patient","gender":"male"}`, "Patient"},
		{"no resourceType", `{"gender":"male"}`, ""},
		{"an empty resourceType", `{"resourceType":""}`, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var r fhir.RawResource
			err := json.Unmarshal([]byte(tt.input), &r)
			switch {
			case tt.typ == "" && err == nil:
				t.Fatalf("read %#v, want an error", r)
			case tt.typ != "" && err != nil:
				t.Fatal(err)
			case r.Type != tt.typ:
				t.Fatalf("type %q, want %q", r.Type, tt.typ)
			}
		})
	}
}

// TestUnmarshalJSONBroken calls the UnmarshalJSON methods directly, as
// encoding/json never would, with bytes that are not JSON: an error, never
// a panic.
func TestUnmarshalJSONBroken(t *testing.T) {
	t.Parallel()
	inputs := []struct {
		name  string
		input string
	}{
		{"empty", ``},
		{"a key that is not a string", `{1:2}`},
		{"a missing colon", `{"resourceType" "Patient"}`},
		{"unclosed", `{"resourceType":"Patient","name":[{"family":"A"`},
		{"a bracket closing an object", `{"resourceType":"Patient"]`},
	}
	targets := []struct {
		name string
		v    func() json.Unmarshaler
	}{
		{"Patient", func() json.Unmarshaler { return new(fhir.Patient) }},
		{"Bundle", func() json.Unmarshaler { return new(fhir.Bundle) }},
		{"Coding", func() json.Unmarshaler { return new(fhir.Coding) }},
		{"RawResource", func() json.Unmarshaler { return new(fhir.RawResource) }},
	}
	for _, in := range inputs {
		for _, tg := range targets {
			t.Run(in.name+" into "+tg.name, func(t *testing.T) {
				t.Parallel()
				if err := tg.v().UnmarshalJSON([]byte(in.input)); err == nil {
					t.Fatalf("read %q, want an error", in.input)
				}
			})
		}
	}
}

package fhir

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"reflect"
)

// Limits on the input Decode and Unmarshal accept. They bound the memory and
// time one resource can take (reading costs about its size times its depth):
// a Bundle of one patient's assessment is far smaller, and the deepest
// official R4 example (QuestionnaireResponse-ussg-fht-answers, nested
// questionnaire groups) nests 21 levels.
const (
	MaxBytes = 4 << 20 // bytes of JSON in one resource (4 MiB)
	MaxDepth = 64      // nested arrays and objects, the resource's own object counting 1
	// MaxNesting bounds resources inside resources (a Bundle in a Bundle
	// entry, an entry's response.outcome): each level is read in two passes
	// over its JSON, so the limit keeps reading linear in the input's size.
	MaxNesting = 4
)

// Resource is a FHIR resource: *Patient, *Observation, *Questionnaire,
// *QuestionnaireResponse, *RiskAssessment, *Condition, *Flag,
// *DetectedIssue, *CarePlan, *ServiceRequest, *OperationOutcome, *Bundle,
// or *RawResource for any other type.
type Resource interface {
	// ResourceType returns the value of the resource's resourceType member.
	ResourceType() string
}

// newResource makes an empty resource of each modelled type.
var newResource = map[string]func() Resource{
	"Patient":               func() Resource { return new(Patient) },
	"Observation":           func() Resource { return new(Observation) },
	"QuestionnaireResponse": func() Resource { return new(QuestionnaireResponse) },
	"OperationOutcome":      func() Resource { return new(OperationOutcome) },
	"Bundle":                func() Resource { return new(Bundle) },
	"Questionnaire":         func() Resource { return new(Questionnaire) },
	"RiskAssessment":        func() Resource { return new(RiskAssessment) },
	"Condition":             func() Resource { return new(Condition) },
	"Flag":                  func() Resource { return new(Flag) },
	"DetectedIssue":         func() Resource { return new(DetectedIssue) },
	"CarePlan":              func() Resource { return new(CarePlan) },
	"ServiceRequest":        func() Resource { return new(ServiceRequest) },
}

// Modelled reports whether the package has a Go type for resources of type rt
// (otherwise they are read as *RawResource).
func Modelled(rt string) bool {
	_, ok := newResource[rt]
	return ok
}

// RawResource is a resource of a type the package does not model, kept as its
// members so that it is written back unchanged (a Bundle entry, say).
type RawResource struct {
	Type  string // resourceType
	Extra Extra  // every other member
}

// ResourceType returns r.Type.
func (r *RawResource) ResourceType() string { return r.Type }

// MarshalJSON writes resourceType and the members.
func (r RawResource) MarshalJSON() ([]byte, error) {
	if r.Type == "" {
		return nil, &Error{Path: "resourceType", Msg: "missing"}
	}
	return encodeObject(&struct{ Extra Extra }{r.Extra}, r.Type)
}

// UnmarshalJSON reads any resource as raw members, modelled type or not.
func (r *RawResource) UnmarshalJSON(b []byte) error {
	ms, err := members(b)
	if err != nil {
		return err
	}
	*r = RawResource{}
	for _, m := range ms {
		if m.name == "resourceType" {
			if json.Unmarshal(m.value, &r.Type) != nil || r.Type == "" {
				return &Error{Path: "resourceType", Msg: "want a resource type name, got " + string(m.value)}
			}
			continue
		}
		if r.Extra == nil {
			r.Extra = Extra{}
		}
		r.Extra[m.name] = m.value
	}
	if r.Type == "" {
		return &Error{Path: "resourceType", Msg: "missing"}
	}
	return nil
}

// Decode reads one resource of any type from r, at most MaxBytes long, and
// returns it as its Go type (*RawResource for a type not modelled). It reads
// r to its end or to MaxBytes+1 bytes; anything but white space after the
// resource is an error. Errors are *Error, except one from r itself.
func Decode(r io.Reader) (Resource, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxBytes+1))
	if err != nil {
		return nil, fmt.Errorf("fhir: read: %w", err)
	}
	return Unmarshal(data)
}

// Unmarshal is Decode on a byte slice. Input over MaxBytes, nested deeper
// than MaxDepth or not JSON is an error; so is a modelled element of the
// wrong JSON type, null, an empty string or an empty array, and a member
// that occurs twice in an object. Members the Go types do not model go to
// the Extra of the object that holds them.
//
// Use Unmarshal, not json.Unmarshal, on untrusted input: only it checks the
// limits.
func Unmarshal(data []byte) (Resource, error) {
	if len(data) > MaxBytes {
		return nil, &Error{Msg: fmt.Sprintf("resource over %d bytes", MaxBytes)}
	}
	if !json.Valid(data) {
		var v any
		err := json.Unmarshal(data, &v)
		return nil, &Error{Msg: "not JSON: " + trimJSON(err)}
	}
	if d := depth(data); d > MaxDepth {
		return nil, &Error{Msg: fmt.Sprintf("nested %d deep, over %d", d, MaxDepth)}
	}
	r, err := decodeResource(data, 0)
	if err != nil {
		if rt := peekType(data); rt != "" {
			return nil, prefix(rt, err)
		}
		return nil, err
	}
	return r, nil
}

// Marshal writes r as JSON: resourceType first, then the modelled elements in
// the order of the Go fields, then the Extra members by name.
func Marshal(r Resource) ([]byte, error) {
	if r == nil || reflect.ValueOf(r).IsNil() {
		return nil, &Error{Msg: "no resource to write"}
	}
	var b bytes.Buffer
	if err := writeJSON(&b, r); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// decodeResource decodes the resource object data by its resourceType; nest
// resources enclose it.
func decodeResource(data []byte, nest int) (Resource, error) {
	if nest > MaxNesting {
		return nil, &Error{Msg: fmt.Sprintf("resources nested over %d deep", MaxNesting)}
	}
	raw := new(RawResource)
	if err := raw.UnmarshalJSON(data); err != nil {
		return nil, err
	}
	mk, ok := newResource[raw.Type]
	if !ok {
		return raw, nil
	}
	r := mk()
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	if err := streamObject(dec, reflect.ValueOf(r).Elem(), raw.Type, nest); err != nil {
		return nil, err
	}
	return r, nil
}

// peekType returns data's resourceType, or "" if it has none.
func peekType(data []byte) string {
	var m map[string]json.RawMessage // exact names, unlike a struct
	var s string
	if json.Unmarshal(data, &m) != nil || json.Unmarshal(m["resourceType"], &s) != nil {
		return ""
	}
	return s
}

// depth returns the deepest nesting of arrays and objects in the valid JSON
// data.
func depth(data []byte) int {
	d, max, inString, escaped := 0, 0, false, false
	for _, c := range data {
		switch {
		case inString:
			switch {
			case escaped:
				escaped = false
			case c == '\\':
				escaped = true
			case c == '"':
				inString = false
			}
		case c == '"':
			inString = true
		case c == '{' || c == '[':
			d++
			if d > max {
				max = d
			}
		case c == '}' || c == ']':
			d--
		}
	}
	return max
}

func trimJSON(err error) string {
	if err == nil {
		return "invalid"
	}
	s := err.Error()
	if len(s) > 5 && s[:6] == "json: " {
		return s[6:]
	}
	return s
}

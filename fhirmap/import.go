package fhirmap

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/tendo-health/tendo"
	"github.com/tendo-health/tendo/fhir"
	"github.com/tendo-health/tendo/intake"
)

// Canonical URLs the import side reads (the same as the export side
// writes; see codes.go).
const (
	importBase        = "https://tendo-health.github.io/fhir"
	importFieldSystem = importBase + "/CodeSystem/field"
)

// MaxUnmapped bounds the unmapped items a draft lists; past it a note says
// how many more there were.
const MaxUnmapped = 1000

// Unmapped is content of the imported resources that the draft assessment
// does not hold: a resource tendo does not read, an observation with an
// unknown code or a withdrawn status, conflicting values for one field, a
// value out of the contract's range. Nothing is dropped silently.
type Unmapped struct {
	// Path locates the content by FHIRPath: "Bundle.entry[3].resource",
	// "Bundle.entry[1].resource.valueQuantity", or for ImportResources
	// from the resource's type: "Observation.component[1]".
	Path string `json:"path"`
	// Resource names the resource it is in as Type/id ("Observation/bp"),
	// or its type alone when it has no id.
	Resource string `json:"resource,omitempty"`
	// Reason says in plain words why it is not in the draft.
	Reason string `json:"reason"`
	// Code is the R4 issue type that fits (not-supported, value,
	// conflict, required, invalid, processing), for an OperationOutcome.
	Code string `json:"code"`
}

func (u Unmapped) String() string { return u.Path + ": " + u.Reason }

// PatientInfo is who the imported Patient is: what a clinician needs to
// find or create the patient in tendo. Name is the official (else usual,
// else first) name as text.
type PatientInfo struct {
	Name        string            `json:"name,omitempty"`
	BirthDate   string            `json:"birthDate,omitempty"` // FHIR date: YYYY, YYYY-MM or YYYY-MM-DD
	Gender      string            `json:"gender,omitempty"`    // male | female | other | unknown
	Identifiers []fhir.Identifier `json:"identifiers,omitempty"`
	FHIRID      string            `json:"fhirId,omitempty"` // Patient.id in the EHR
}

// Draft is an assessment read from FHIR resources, for a clinician to check
// and complete: nothing is saved. Assessment passes the same validation as
// `tendo assess` input; whatever could not go into it is in Unmapped.
type Draft struct {
	Assessment tendo.Assessment `json:"assessment"`
	// Patient is the Patient resource's identity, nil when there was none.
	Patient *PatientInfo `json:"patient,omitempty"`
	// Unmapped lists what was not read, in the order found (at most
	// MaxUnmapped items).
	Unmapped []Unmapped `json:"unmapped"`
	// Notes are remarks on what was read (a preliminary observation, a
	// score checked against the answers).
	Notes []string `json:"notes,omitempty"`
	// Mapped counts the assessment fields and questionnaire responses the
	// draft holds.
	Mapped int `json:"mapped"`
}

// ImportOptions controls Import.
type ImportOptions struct {
	// Date is the assessment's date, YYYY-MM-DD, at which the age is
	// computed from the birth date; "" is today by Now.
	Date string
	// Now is the clock; nil is time.Now.
	Now func() time.Time
}

// Import reads the Patient, Observations and QuestionnaireResponses of a
// Bundle (of any type) into a draft assessment. Every other entry, and
// every part of those it cannot map, is listed in Draft.Unmapped with its
// FHIRPath from "Bundle". It fails only for a nil bundle or a bad
// opt.Date (*fhir.Error or *tendo.Error).
func Import(b *fhir.Bundle, opt ImportOptions) (*Draft, error) {
	if b == nil {
		return nil, &fhir.Error{Path: "Bundle", Msg: "no bundle"}
	}
	im, err := newImporter(opt)
	if err != nil {
		return nil, err
	}
	var rs []located
	for i, e := range b.Entry {
		p := fmt.Sprintf("Bundle.entry[%d]", i)
		if e.Resource == nil || isNil(e.Resource) {
			im.unmapped(p, "", "the entry holds no resource", IssueNotSupported)
			continue
		}
		rs = append(rs, located{r: e.Resource, path: p + ".resource", fullURL: e.FullURL})
	}
	return im.run(rs)
}

// ImportResources is Import for resources that do not come in a Bundle (a
// CDS Hooks prefetch, Bulk Data NDJSON lines): each path starts at the
// resource's type, and Unmapped.Resource tells the resources apart.
func ImportResources(rs []fhir.Resource, opt ImportOptions) (*Draft, error) {
	im, err := newImporter(opt)
	if err != nil {
		return nil, err
	}
	var ls []located
	for i, r := range rs {
		if r == nil || isNil(r) {
			im.unmapped(fmt.Sprintf("%%resources[%d]", i), "", "no resource", IssueNotSupported)
			continue
		}
		ls = append(ls, located{r: r, path: r.ResourceType()})
	}
	return im.run(ls)
}

func isNil(r fhir.Resource) bool {
	v := reflect.ValueOf(r)
	return v.Kind() == reflect.Pointer && v.IsNil()
}

// located is a resource with its FHIRPath and its Bundle fullUrl.
type located struct {
	r       fhir.Resource
	path    string
	fullURL string
}

// candidate is one value read for a contract field, with where it was
// read.
type candidate struct {
	value json.RawMessage // JSON of the value
	path  string          // FHIRPath of its source
	res   string          // Type/id
	note  string          // said in the draft's notes when kept
}

type importer struct {
	d        *Draft
	date     string
	dropped  int
	fields   map[string][]candidate // contract path → values read for it
	order    []string               // contract paths in the order first read
	subject  map[string]bool        // references that name the patient
	haveSubj bool
}

func newImporter(opt ImportOptions) (*importer, error) {
	date := opt.Date
	if date == "" {
		now := time.Now
		if opt.Now != nil {
			now = opt.Now
		}
		date = now().Format(time.DateOnly)
	} else if _, err := time.Parse(time.DateOnly, date); err != nil {
		return nil, &tendo.Error{Code: tendo.EINVALID, Field: "date", Value: strconv.Quote(date), Message: "is not a date written YYYY-MM-DD"}
	}
	return &importer{
		d:       &Draft{Unmapped: []Unmapped{}},
		date:    date,
		fields:  map[string][]candidate{},
		subject: map[string]bool{},
	}, nil
}

func (im *importer) unmapped(path, res, reason, code string) {
	if len(im.d.Unmapped) >= MaxUnmapped {
		im.dropped++
		return
	}
	im.d.Unmapped = append(im.d.Unmapped, Unmapped{Path: path, Resource: res, Reason: reason, Code: code})
}

func (im *importer) note(format string, args ...any) {
	if len(im.d.Notes) < MaxUnmapped {
		im.d.Notes = append(im.d.Notes, fmt.Sprintf(format, args...))
	}
}

// set records a value read for the contract field path.
func (im *importer) set(field string, v any, path, res, note string) {
	b, err := json.Marshal(v)
	if err != nil {
		im.unmapped(path, res, "the value cannot be written as JSON", IssueValue)
		return
	}
	if _, ok := im.fields[field]; !ok {
		im.order = append(im.order, field)
	}
	im.fields[field] = append(im.fields[field], candidate{value: b, path: path, res: res, note: note})
}

func resName(r fhir.Resource) string {
	id := ""
	switch x := r.(type) {
	case *fhir.Patient:
		id = x.ID
	case *fhir.Observation:
		id = x.ID
	case *fhir.QuestionnaireResponse:
		id = x.ID
	case *fhir.OperationOutcome:
		id = x.ID
	case *fhir.Bundle:
		id = x.ID
	case *fhir.RawResource:
		if raw, ok := x.Extra["id"]; ok {
			_ = json.Unmarshal(raw, &id)
		}
	}
	if id == "" {
		return r.ResourceType()
	}
	return r.ResourceType() + "/" + id
}

// run maps the resources and validates the draft.
func (im *importer) run(rs []located) (*Draft, error) {
	// The first Patient is the patient; the references to it are the
	// subject the other resources must have.
	var patient *located
	for i := range rs {
		if p, ok := rs[i].r.(*fhir.Patient); ok {
			if patient != nil {
				im.unmapped(rs[i].path, resName(p), "a second Patient resource: only the first ("+patient.path+") is read", IssueNotSupported)
				continue
			}
			patient = &rs[i]
			im.haveSubj = true
			if p.ID != "" {
				im.subject["Patient/"+p.ID] = true
			}
			if rs[i].fullURL != "" {
				im.subject[rs[i].fullURL] = true
			}
			im.patient(p, rs[i].path)
		}
	}
	for _, l := range rs {
		switch r := l.r.(type) {
		case *fhir.Patient:
		case *fhir.Observation:
			if im.aboutPatient(r.Subject, l.path, resName(r)) {
				im.observation(r, l.path)
			}
		case *fhir.QuestionnaireResponse:
			if im.aboutPatient(r.Subject, l.path, resName(r)) {
				im.questionnaireResponse(r, l.path)
			}
		case *fhir.Bundle:
			im.unmapped(l.path, resName(r), "a Bundle inside a Bundle is not read: send its entries in the outer Bundle", IssueNotSupported)
		default:
			im.unmapped(l.path, resName(r), "tendo does not read "+r.ResourceType()+" resources", IssueNotSupported)
		}
	}
	if err := im.finish(); err != nil {
		return nil, err
	}
	if im.dropped > 0 {
		im.note("%d more items were not mapped and are not listed.", im.dropped)
	}
	return im.d, nil
}

// aboutPatient reports whether a resource with subject s is about the
// patient, and lists it as unmapped when it is not. A resource without a
// subject is taken to be about the patient of the Bundle.
func (im *importer) aboutPatient(s *fhir.Reference, path, res string) bool {
	if s == nil || s.Reference == "" {
		return true
	}
	ref := s.Reference
	if !im.haveSubj {
		im.haveSubj = true
		im.subject[ref] = true
		return true
	}
	if im.subject[ref] {
		return true
	}
	// An absolute reference to Patient/id, or a relative one to an
	// absolute fullUrl.
	if i := strings.LastIndex(ref, "/Patient/"); i >= 0 && im.subject[ref[i+1:]] {
		return true
	}
	for k := range im.subject {
		if strings.HasSuffix(k, "/"+ref) && strings.HasPrefix(ref, "Patient/") {
			return true
		}
	}
	im.unmapped(path+".subject", res, "about another patient ("+ref+") than the Bundle's", IssueNotSupported)
	return false
}

// patient reads the patient's identity, sex and age.
func (im *importer) patient(p *fhir.Patient, path string) {
	res := resName(p)
	info := &PatientInfo{Name: patientName(p.Name), BirthDate: p.BirthDate, Gender: p.Gender, Identifiers: p.Identifier, FHIRID: p.ID}
	im.d.Patient = info
	if p.Gender != "" {
		if slices.Contains(tendo.SexValues(), tendo.Sex(p.Gender)) {
			im.set("patient.sex", p.Gender, path+".gender", res, "")
		} else {
			im.unmapped(path+".gender", res, fmt.Sprintf("gender %q is not one of male, female, other, unknown", p.Gender), IssueValue)
		}
	}
	if p.BirthDate != "" {
		lo, hi, ok := ageAt(p.BirthDate, im.date)
		switch {
		case !ok:
			im.unmapped(path+".birthDate", res, fmt.Sprintf("birth date %q is not a FHIR date on or before the assessment date %s", p.BirthDate, im.date), IssueValue)
		case lo != hi:
			im.unmapped(path+".birthDate", res, fmt.Sprintf("birth date %q gives an age of %d or %d on %s: enter the age", p.BirthDate, lo, hi, im.date), IssueValue)
		default:
			im.set("patient.ageYears", lo, path+".birthDate", res, "")
		}
	}
}

// patientName is the official name (else the usual, else the first) as
// text.
func patientName(ns []fhir.HumanName) string {
	if len(ns) == 0 {
		return ""
	}
	n := ns[0]
	for _, use := range []string{"usual", "official"} {
		for _, x := range ns {
			if x.Use == use {
				n = x
			}
		}
	}
	if n.Text != "" {
		return n.Text
	}
	return strings.TrimSpace(strings.Join(append(slices.Clone(n.Given), n.Family), " "))
}

// ageAt returns the least and greatest age in whole years on date of a
// person born on birth (a FHIR date YYYY, YYYY-MM or YYYY-MM-DD): equal
// for a full date. It reports false for a malformed birth date or one after
// date.
func ageAt(birth, date string) (lo, hi int, ok bool) {
	d, err := time.Parse(time.DateOnly, date)
	if err != nil {
		return 0, 0, false
	}
	var first, last time.Time
	switch len(birth) {
	case 4:
		t, err := time.Parse("2006", birth)
		if err != nil {
			return 0, 0, false
		}
		first, last = t, t.AddDate(1, 0, -1)
	case 7:
		t, err := time.Parse("2006-01", birth)
		if err != nil {
			return 0, 0, false
		}
		first, last = t, t.AddDate(0, 1, -1)
	case 10:
		t, err := time.Parse(time.DateOnly, birth)
		if err != nil {
			return 0, 0, false
		}
		first, last = t, t
	default:
		return 0, 0, false
	}
	if first.After(d) {
		return 0, 0, false
	}
	if last.After(d) {
		last = d
	}
	// The latest birth gives the least age.
	return age(last, d), age(first, d), true
}

func age(birth, on time.Time) int {
	y := on.Year() - birth.Year()
	if on.Month() < birth.Month() || (on.Month() == birth.Month() && on.Day() < birth.Day()) {
		y--
	}
	return y
}

// observation reads one Observation into contract fields.
func (im *importer) observation(o *fhir.Observation, path string) {
	res := resName(o)
	switch o.Status {
	case "final", "amended", "corrected":
	case "preliminary":
		defer im.note("%s (%s) is preliminary: check its value.", path, res)
	case "":
		im.unmapped(path+".status", res, "the observation has no status", IssueRequired)
		return
	default:
		im.unmapped(path+".status", res, fmt.Sprintf("the observation's status is %q: only final, amended, corrected and preliminary observations are read", o.Status), IssueNotSupported)
		return
	}
	fs, bad := observationFields(o, path)
	for _, u := range bad {
		u.Resource = res
		im.unmapped(u.Path, u.Resource, u.Reason, u.Code)
	}
	for _, f := range fs {
		im.set(f.field, f.value, f.path, res, "")
	}
}

// obsField is one contract field an observation gives.
type obsField struct {
	field string // contract path
	value any    // its JSON value
	path  string // FHIRPath of the element it was read from
}

// observationFields maps an observation to the contract fields it carries,
// and lists the parts it cannot map.
//
// TODO(fhir-import): wire to fhir-export's FieldFromObservation once it
// lands; until then no observation is mapped and each is reported.
func observationFields(o *fhir.Observation, path string) ([]obsField, []Unmapped) {
	return nil, []Unmapped{{Path: path + ".code", Reason: "observation codes are not mapped yet", Code: IssueNotSupported}}
}

// finish settles conflicts, builds the assessment and validates it as
// `tendo assess` does, moving every field it refuses to Unmapped.
func (im *importer) finish() error {
	// One value per field: conflicting values are all unmapped.
	chosen := map[string]candidate{}
	var fields []string
	for _, f := range im.order {
		cs := im.fields[f]
		same := true
		for _, c := range cs[1:] {
			if !jsonEqual(c.value, cs[0].value) {
				same = false
			}
		}
		if !same {
			var vals []string
			for _, c := range cs {
				vals = append(vals, string(c.value)+" at "+c.path)
			}
			for _, c := range cs {
				im.unmapped(c.path, c.res, fmt.Sprintf("conflicting values for %s: %s", f, strings.Join(vals, ", ")), IssueConflict)
			}
			continue
		}
		chosen[f] = cs[0]
		fields = append(fields, f)
	}
	for {
		doc, err := buildDocument(im.date, fields, chosen)
		if err != nil {
			return err
		}
		a, err := intake.ParseJSON(doc)
		if err == nil {
			im.d.Assessment = *a
			im.d.Mapped = len(fields)
			for _, f := range fields {
				if n := chosen[f].note; n != "" {
					im.note("%s", n)
				}
			}
			return nil
		}
		var es tendo.Errors
		if !errors.As(err, &es) {
			return fmt.Errorf("fhirmap: draft: %w", err)
		}
		removed := false
		for _, e := range es {
			paths := e.Paths
			if len(paths) == 0 {
				paths = []string{e.Field}
			}
			for _, p := range paths {
				f := owner(fields, p)
				if f == "" {
					continue
				}
				c := chosen[f]
				im.unmapped(c.path, c.res, fmt.Sprintf("%s: %s", f, strings.TrimPrefix(e.Error(), e.Field+": ")), IssueValue)
				fields = slices.DeleteFunc(fields, func(x string) bool { return x == f })
				removed = true
			}
		}
		if !removed {
			return fmt.Errorf("fhirmap: draft: %w", err)
		}
	}
}

// owner returns the field of fields that the error path p is in.
func owner(fields []string, p string) string {
	best := ""
	for _, f := range fields {
		if (p == f || strings.HasPrefix(p, f+".") || strings.HasPrefix(p, f+"[")) && len(f) > len(best) {
			best = f
		}
	}
	return best
}

// buildDocument writes the assessment document of the chosen fields.
func buildDocument(date string, fields []string, chosen map[string]candidate) ([]byte, error) {
	root := map[string]any{"schema": tendo.SchemaV1, "date": date}
	for _, f := range fields {
		parts := strings.Split(f, ".")
		m := root
		for _, p := range parts[:len(parts)-1] {
			sub, ok := m[p].(map[string]any)
			if !ok {
				sub = map[string]any{}
				m[p] = sub
			}
			m = sub
		}
		m[parts[len(parts)-1]] = chosen[f].value
	}
	return json.Marshal(root)
}

func jsonEqual(a, b []byte) bool {
	var x, y any
	if json.Unmarshal(a, &x) != nil || json.Unmarshal(b, &y) != nil {
		return bytes.Equal(a, b)
	}
	return reflect.DeepEqual(x, y)
}

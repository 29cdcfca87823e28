package fhirmap

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/tendo-health/tendo"
	"github.com/tendo-health/tendo/fhir"
	"github.com/tendo-health/tendo/questionnaire"
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
	if x, ok := r.(*fhir.RawResource); ok {
		if raw, ok := x.Extra["id"]; ok {
			_ = json.Unmarshal(raw, &id)
		}
	} else if v := reflect.ValueOf(r); v.Kind() == reflect.Pointer && !v.IsNil() && v.Elem().Kind() == reflect.Struct {
		if f := v.Elem().FieldByName("ID"); f.IsValid() && f.Kind() == reflect.String {
			id = f.String()
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

// observation reads one Observation into the contract field its code
// names (FieldFromObservation: tendo's field code, or a confirmed LOINC or
// SNOMED CT code).
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
	if o.DataAbsentReason != nil {
		im.unmapped(path+".dataAbsentReason", res, "the observation has no value (dataAbsentReason)", IssueNotSupported)
		return
	}
	var scratch tendo.Assessment
	f, err := FieldFromObservation(o, &scratch)
	if err != nil {
		var fe *fhir.Error
		switch {
		case errors.Is(err, ErrNotAField):
			im.unmapped(path+".code", res, "the code names no finding tendo reads: "+codeText(o.Code), IssueNotSupported)
		case errors.As(err, &fe):
			im.unmapped(rebase(fe.Path, "Observation", path), res, fe.Msg, IssueValue)
		default:
			im.unmapped(path, res, err.Error(), IssueValue)
		}
		return
	}
	v, ok := f.Get(&scratch)
	if !ok {
		im.unmapped(path, res, "the observation gives no value for "+f.Path, IssueValue)
		return
	}
	im.set(f.Path, v.Interface(), path, res, "")
	if len(o.Component) > 0 && f.Kind != tendo.KindArray {
		im.unmapped(path+".component", res, "the components of a single finding are not read", IssueNotSupported)
	}
}

// codeText names a code for a message: its text, else its first coding.
func codeText(c *fhir.CodeableConcept) string {
	switch {
	case c == nil:
		return "none"
	case c.Text != "":
		return strconv.Quote(c.Text)
	case len(c.Coding) > 0:
		return c.Coding[0].System + "|" + c.Coding[0].Code
	}
	return "none"
}

// rebase puts the FHIRPath p, which starts at the resource type rt, under
// the path at which the resource was found.
func rebase(p, rt, at string) string {
	if rest, ok := strings.CutPrefix(p, rt); ok && (rest == "" || rest[0] == '.' || rest[0] == '[') {
		return at + rest
	}
	if p == "" {
		return at
	}
	return at + "." + p
}

// finish settles conflicts, builds the assessment and validates it as
// `tendo assess` does (validate), moving every field it refuses to
// Unmapped.
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
	fields = im.settleScores(fields, chosen)
	for range len(fields) + 1 {
		a, errs := validate(im.date, fields, chosen)
		if len(errs) == 0 {
			im.d.Assessment = *a
			im.d.Mapped = len(fields)
			return nil
		}
		removed := false
		for _, e := range errs {
			for _, p := range e.paths {
				f := owner(fields, p)
				if f == "" {
					continue
				}
				c := chosen[f]
				im.unmapped(c.path, c.res, e.msg, IssueValue)
				fields = slices.DeleteFunc(fields, func(x string) bool { return x == f })
				removed = true
			}
		}
		if !removed {
			break
		}
	}
	return fmt.Errorf("fhirmap: the draft assessment cannot be made valid")
}

// settleScores handles a score Observation beside the answers of the same
// measure (a QuestionnaireResponse): the answers are what the patient
// gave, so a score that agrees with them is left out (with a note) and one
// that does not is unmapped, as is a score beside conflicting answers.
// NPRS is its own score and needs nothing here.
func (im *importer) settleScores(fields []string, chosen map[string]candidate) []string {
	for _, sf := range scoreFields {
		if sf.Instrument == tendo.InstrumentNPRS {
			continue
		}
		measure := "proms." + string(sf.Instrument)
		sc, ok := chosen[sf.Path]
		if !ok {
			continue
		}
		_, answered := im.fields[measure]
		if !answered {
			continue
		}
		ans, ok := chosen[measure]
		drop := func(reason string) {
			im.unmapped(sc.path, sc.res, reason, IssueConflict)
		}
		name := instrumentShort(sf.Instrument)
		switch {
		case !ok:
			drop(fmt.Sprintf("the %s responses conflict, so their score is not read alone", name))
		default:
			if err := scoreAgrees(sf.Instrument, ans.value, sc.value); err != nil {
				drop(fmt.Sprintf("the %s score %s disagrees with the answers at %s: %v", name, sc.value, ans.path, err))
			} else {
				im.note("The %s score at %s agrees with the answers at %s; the answers are kept.", name, sc.path, ans.path)
			}
		}
		fields = slices.DeleteFunc(fields, func(x string) bool { return x == sf.Path })
	}
	return fields
}

func instrumentShort(i tendo.Instrument) string {
	if f, ok := questionnaire.For(i); ok {
		return f.Name
	}
	return string(i)
}

// scoreAgrees scores the measure's answers together with the score, as the
// contract does when both are given (they must agree).
func scoreAgrees(i tendo.Instrument, answers, score json.RawMessage) error {
	var err error
	switch i {
	case tendo.InstrumentVISAA:
		var m tendo.VISAA
		if err = json.Unmarshal(answers, &m); err == nil {
			if err = json.Unmarshal(score, &m.Score); err == nil {
				_, err = tendo.ScoreVISAA(&m)
			}
		}
	case tendo.InstrumentODI:
		var m tendo.ODI
		if err = json.Unmarshal(answers, &m); err == nil {
			if err = json.Unmarshal(score, &m.Percent); err == nil {
				_, err = tendo.ScoreODI(&m)
			}
		}
	case tendo.InstrumentLEFS:
		var m tendo.LEFS
		if err = json.Unmarshal(answers, &m); err == nil {
			if err = json.Unmarshal(score, &m.Score); err == nil {
				_, err = tendo.ScoreLEFS(&m)
			}
		}
	}
	return err
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

// problem is a field the draft cannot hold: the contract paths involved
// and why.
type problem struct {
	paths []string
	msg   string
}

// validate builds the assessment of the chosen fields and checks it by the
// rules `tendo assess` applies to its input (package intake): the JSON
// types, the ranges, enumerations and dates of the field index, the
// required fields of list elements, the outcome measures' scoring and
// the contract's cross-field rules. The tests check that every draft
// passes intake itself.
func validate(date string, fields []string, chosen map[string]candidate) (*tendo.Assessment, []problem) {
	doc, err := buildDocument(date, fields, chosen)
	if err != nil {
		return nil, []problem{{msg: err.Error()}}
	}
	a, err := decodeStrict(doc)
	if err != nil {
		// Find the fields that do not decode, one by one.
		var ps []problem
		for _, f := range fields {
			d, err := buildDocument(date, []string{f}, chosen)
			if err == nil {
				_, err = decodeStrict(d)
			}
			if err != nil {
				ps = append(ps, problem{paths: []string{f}, msg: f + ": " + strings.TrimPrefix(err.Error(), "json: ")})
			}
		}
		return nil, ps
	}
	var ps []problem
	add := func(path, msg string) { ps = append(ps, problem{paths: []string{path}, msg: path + ": " + msg}) }
	for _, f := range tendo.Fields() {
		if f.InArray || f.Kind == tendo.KindObject || f.Custom {
			continue
		}
		v, ok := f.Get(a)
		if !ok {
			continue
		}
		if f.Kind != tendo.KindArray {
			if msg := checkValue(f, v); msg != "" {
				add(f.Path, msg)
			}
			continue
		}
		elem, ok := tendo.LookupField(f.Path + "[]")
		if !ok {
			continue
		}
		for i := range v.Len() {
			ev, at := v.Index(i), fmt.Sprintf("%s[%d]", f.Path, i)
			if elem.Kind != tendo.KindObject {
				if msg := checkValue(elem, ev); msg != "" {
					add(at, msg)
				}
				continue
			}
			for _, cf := range children()[elem.Path] {
				fv := ev.FieldByIndex(cf.Index)
				switch {
				case fv.Kind() == reflect.Pointer && fv.IsNil(), fv.Kind() == reflect.String && fv.Len() == 0:
					if cf.Required {
						add(at+"."+cf.Name, "is required")
					}
					continue
				case fv.Kind() == reflect.Pointer:
					fv = fv.Elem()
				}
				if cf.Leaf() {
					if msg := checkValue(cf, fv); msg != "" {
						add(at+"."+cf.Name, msg)
					}
				}
			}
		}
	}
	if _, err := a.PROMs.Scores(); err != nil {
		var se tendo.ScoreErrors
		if errors.As(err, &se) {
			for _, e := range se {
				p := "proms." + e.Measure
				if e.Field != "" {
					p += "." + e.Field
				}
				add(p, strings.TrimPrefix(e.Error(), e.Measure+": "))
			}
		} else {
			add("proms", err.Error())
		}
	}
	for _, c := range a.Conflicts() {
		if len(c.Paths) > 0 {
			ps = append(ps, problem{paths: c.Paths, msg: c.Paths[0] + ": " + c.Msg})
		}
	}
	return a, ps
}

// decodeStrict decodes an assessment document, refusing unknown members.
func decodeStrict(doc []byte) (*tendo.Assessment, error) {
	dec := json.NewDecoder(bytes.NewReader(doc))
	dec.DisallowUnknownFields()
	var a tendo.Assessment
	if err := dec.Decode(&a); err != nil {
		return nil, err
	}
	return &a, nil
}

// checkValue checks one value v of field f (pointers followed) against
// the field index: "" when it is allowed, else what is wrong.
func checkValue(f tendo.FieldInfo, v reflect.Value) string {
	bounds := func(x float64) string {
		if math.IsNaN(x) || math.IsInf(x, 0) || (f.Min != nil && x < *f.Min) || (f.Max != nil && x > *f.Max) {
			lo, hi := "", ""
			if f.Min != nil {
				lo = strconv.FormatFloat(*f.Min, 'g', -1, 64)
			}
			if f.Max != nil {
				hi = strconv.FormatFloat(*f.Max, 'g', -1, 64)
			}
			return fmt.Sprintf("%v is out of range; allowed %s–%s", x, lo, hi)
		}
		return ""
	}
	switch f.Kind {
	case tendo.KindNumber:
		return bounds(v.Float())
	case tendo.KindInteger:
		if x := v.Int(); x > 1<<31 || x < -(1<<31) {
			return fmt.Sprintf("%d is out of range", x)
		}
		return bounds(float64(v.Int()))
	case tendo.KindEnum:
		if !slices.Contains(f.Values, v.String()) {
			return fmt.Sprintf("%q is not allowed; allowed %s", v.String(), strings.Join(f.Values, ", "))
		}
	case tendo.KindDate:
		if _, err := time.Parse(time.DateOnly, v.String()); err != nil || v.Len() != 10 {
			return fmt.Sprintf("%q is not a valid date; want YYYY-MM-DD", v.String())
		}
	case tendo.KindString:
		if !utf8.ValidString(v.String()) {
			return "is not valid UTF-8 text"
		}
	}
	return ""
}

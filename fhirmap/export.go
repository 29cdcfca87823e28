package fhirmap

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"

	"github.com/tendo-health/tendo"
	"github.com/tendo-health/tendo/fhir"
)

// Visit is one assessment of a patient with its result.
type Visit struct {
	// ID is tendo's id of the visit; it makes the ids of the visit's
	// resources.
	ID string
	// Date is the visit date, YYYY-MM-DD (the assessment's date when "").
	Date       string
	Assessment *tendo.Assessment
	Result     *tendo.Result
}

// Record is what Export writes for one patient.
type Record struct {
	Patient tendo.PatientRecord
	// Visits are the patient's assessments, in the order to write them.
	Visits []Visit
	// Responses are questionnaire responses the patient sent by link.
	Responses []tendo.QuestionnaireResponse
}

// Options control Export.
type Options struct {
	// Base, when not "", is the FHIR server base URL of the entries'
	// fullUrl (Base/Patient/id) and references are relative
	// ("Patient/id"). When "", each fullUrl is a urn:uuid: derived from the
	// resource's type and id, and references are those URNs, as FHIR asks
	// of a Bundle whose resources have no server.
	Base string
}

// MaxVisits bounds the visits one export writes, and so its size.
const MaxVisits = 500

// MaxResponses bounds the stored questionnaire responses one export
// writes.
const MaxResponses = 2000

// Export writes a patient's record as a Bundle of type collection: the
// Patient, then per visit the finding Observations, the outcome
// measures' QuestionnaireResponses and score Observations, the
// RiskAssessment, the Condition, a Flag per red flag, the DetectedIssue of
// a tendon-risk medicine, the ServiceRequests and the CarePlan; then each
// response sent by link with its score Observation (scored again from its
// answers; a stored score that disagrees is an error). Ids are
// deterministic (the same record gives the same Bundle) and every
// reference resolves inside the Bundle.
func Export(rec Record, opt Options) (*fhir.Bundle, error) {
	ex := &exporter{opt: opt, bundle: true}
	if err := ex.record(rec); err != nil {
		return nil, err
	}
	b := &fhir.Bundle{Type: "collection"}
	for _, r := range ex.out {
		b.Entry = append(b.Entry, fhir.BundleEntry{FullURL: ex.fullURL(r), Resource: r})
	}
	return b, nil
}

// Resources returns the resources Export writes, in the same order, for
// Bulk Data NDJSON (one resource per line): their references are always
// relative ("Patient/id"), as Bulk Data files hold them, whatever
// opt.Base.
func Resources(rec Record, opt Options) ([]fhir.Resource, error) {
	ex := &exporter{opt: opt}
	if err := ex.record(rec); err != nil {
		return nil, err
	}
	return ex.out, nil
}

// exporter builds one record's resources.
type exporter struct {
	opt     Options
	bundle  bool // references are fullUrls (urn:uuid) when opt.Base is ""
	out     []fhir.Resource
	patient fhir.Reference
	pid     string
}

// idPattern is FHIR's id: 1–64 of A–Z, a–z, 0–9, - and .
var idPattern = regexp.MustCompile(`^[A-Za-z0-9\-.]{1,64}$`)

// makeID returns a readable id from parts joined by "-" when it is a
// valid FHIR id, else the kind and a hash of the parts.
func makeID(kind string, parts ...string) string {
	id := kind + "-" + strings.Join(parts, "-")
	if idPattern.MatchString(id) {
		return id
	}
	h := sha256.Sum256([]byte(strings.Join(append([]string{kind}, parts...), "\x00")))
	return kind + "-" + hex.EncodeToString(h[:16])
}

// resourceID returns a resource's type and id.
func resourceID(r fhir.Resource) (string, string) {
	switch x := r.(type) {
	case *fhir.Patient:
		return "Patient", x.ID
	case *fhir.Observation:
		return "Observation", x.ID
	case *fhir.QuestionnaireResponse:
		return "QuestionnaireResponse", x.ID
	case *fhir.RiskAssessment:
		return "RiskAssessment", x.ID
	case *fhir.Condition:
		return "Condition", x.ID
	case *fhir.Flag:
		return "Flag", x.ID
	case *fhir.DetectedIssue:
		return "DetectedIssue", x.ID
	case *fhir.CarePlan:
		return "CarePlan", x.ID
	case *fhir.ServiceRequest:
		return "ServiceRequest", x.ID
	}
	return r.ResourceType(), ""
}

// fullURL is an entry's fullUrl.
func (ex *exporter) fullURL(r fhir.Resource) string {
	t, id := resourceID(r)
	if ex.opt.Base != "" {
		return strings.TrimSuffix(ex.opt.Base, "/") + "/" + t + "/" + id
	}
	return "urn:uuid:" + uuidOf(t+"/"+id)
}

// uuidOf is a name-based UUID of s: the first 16 bytes of its SHA-256,
// with the version (8, RFC 9562's custom) and variant bits set.
func uuidOf(s string) string {
	h := sha256.Sum256([]byte(s))
	h[6] = h[6]&0x0f | 0x80
	h[8] = h[8]&0x3f | 0x80
	x := hex.EncodeToString(h[:16])
	return x[0:8] + "-" + x[8:12] + "-" + x[12:16] + "-" + x[16:20] + "-" + x[20:32]
}

// ref is the reference to a resource of type t and id.
func (ex *exporter) ref(t, id string) fhir.Reference {
	if ex.bundle && ex.opt.Base == "" {
		return fhir.Reference{Reference: "urn:uuid:" + uuidOf(t+"/"+id)}
	}
	return fhir.Reference{Reference: t + "/" + id}
}

func (ex *exporter) refOf(r fhir.Resource) fhir.Reference {
	t, id := resourceID(r)
	return ex.ref(t, id)
}

func (ex *exporter) record(rec Record) error {
	if len(rec.Visits) > MaxVisits {
		return fmt.Errorf("fhirmap: %d visits, over %d", len(rec.Visits), MaxVisits)
	}
	if len(rec.Responses) > MaxResponses {
		return fmt.Errorf("fhirmap: %d questionnaire responses, over %d", len(rec.Responses), MaxResponses)
	}
	ex.pid = strconv.FormatInt(rec.Patient.ID, 10)
	p := patientResource(rec)
	p.ID = makeID("p", ex.pid)
	ex.patient = ex.refOf(p)
	ex.out = append(ex.out, p)
	seen := map[string]bool{}
	for i, v := range rec.Visits {
		vid := v.ID
		if vid == "" {
			vid = "v" + strconv.Itoa(i+1)
		}
		if seen[vid] {
			return fmt.Errorf("fhirmap: visit %q twice", vid)
		}
		seen[vid] = true
		if err := ex.visit(vid, v); err != nil {
			return fmt.Errorf("fhirmap: visit %s: %w", vid, err)
		}
	}
	for _, r := range rec.Responses {
		qr, err := StoredResponse(r, ex.patient)
		if err != nil {
			return fmt.Errorf("fhirmap: questionnaire response %d: %w", r.ID, err)
		}
		rid := "r" + strconv.FormatInt(r.ID, 10)
		qr.ID = makeID("qr", ex.pid, rid)
		ex.out = append(ex.out, qr)
		s, err := ScoreAnswers(r.Instrument, r.Answers)
		if err != nil {
			return fmt.Errorf("fhirmap: questionnaire response %d: %w", r.ID, err)
		}
		if math.Abs(s.Value-r.Score) > 0.05 {
			return fmt.Errorf("fhirmap: questionnaire response %d: stored score %v, its answers score %v", r.ID, r.Score, s.Value)
		}
		from := ex.refOf(qr)
		o, err := ScoreObservation(&s, ex.patient, qr.Authored, &from)
		if err != nil {
			return err
		}
		o.ID = makeID("score", ex.pid, rid)
		ex.out = append(ex.out, o)
	}
	return nil
}

// patientResource is the Patient of a record: tendo's id and the
// clinic's MRN as identifiers, the name as text (tendo keeps one name
// field, so it is not split into given and family; a record without a
// name is written as anonymous), the birth date or year, and the gender
// from the latest assessment that gives the sex.
func patientResource(rec Record) *fhir.Patient {
	pr := rec.Patient
	p := &fhir.Patient{
		Identifier: []fhir.Identifier{{Use: "secondary", System: SystemPatient, Value: strconv.FormatInt(pr.ID, 10)}},
	}
	if pr.ExternalID != "" {
		p.Identifier = append(p.Identifier, fhir.Identifier{
			Use:    "usual",
			Type:   codeable(fhir.Coding{System: "http://terminology.hl7.org/CodeSystem/v2-0203", Code: "MR", Display: "Medical record number"}, ""),
			System: fmt.Sprintf("%s/sid/clinic/%d/mrn", Base, pr.ClinicID),
			Value:  pr.ExternalID,
		})
	}
	if name := strings.TrimSpace(pr.Name); name != "" {
		p.Name = []fhir.HumanName{{Use: "usual", Text: name}}
	} else {
		p.Name = []fhir.HumanName{{Use: "anonymous", Text: "No name recorded"}}
	}
	switch {
	case pr.BirthDate != "":
		p.BirthDate = pr.BirthDate
	case pr.BirthYear > 0:
		p.BirthDate = fmt.Sprintf("%04d", pr.BirthYear)
	}
	for i := len(rec.Visits) - 1; i >= 0; i-- {
		if a := rec.Visits[i].Assessment; a != nil && a.Patient.Sex != nil {
			p.Gender = string(*a.Patient.Sex) // female | male | other | unknown, as FHIR's AdministrativeGender
			break
		}
	}
	p.Text = narrative("Patient " + p.Name[0].Text)
	return p
}

// visit adds one visit's resources.
func (ex *exporter) visit(vid string, v Visit) error {
	a, r := v.Assessment, v.Result
	if a == nil {
		return errors.New("no assessment")
	}
	date := v.Date
	if date == "" {
		date = a.Date
	}
	if date == "" && r != nil {
		date = r.Date
	}
	id := func(kind string, parts ...string) string {
		return makeID(kind, append([]string{ex.pid, vid}, parts...)...)
	}
	// Findings.
	obsByPath := map[string]fhir.Reference{}
	var findings []fhir.Reference
	for _, f := range tendo.Fields() {
		if !Observable(f) || strings.HasPrefix(f.Path, "proms.") {
			continue
		}
		o, err := ObservationFor(f, a, ex.patient, date)
		if err != nil {
			return err
		}
		if o == nil {
			continue
		}
		o.ID = id("o", f.Path)
		ex.out = append(ex.out, o)
		obsByPath[f.Path] = ex.refOf(o)
		findings = append(findings, ex.refOf(o))
	}
	// Outcome measures: the answers, then the scores.
	insts, qrs, err := PROMResponses(a, ex.patient, date)
	if err != nil {
		return err
	}
	qrByInst := map[tendo.Instrument]fhir.Reference{}
	for i, qr := range qrs {
		qr.ID = id("qr", string(insts[i]))
		ex.out = append(ex.out, qr)
		qrByInst[insts[i]] = ex.refOf(qr)
		findings = append(findings, ex.refOf(qr))
	}
	if r == nil {
		return nil
	}
	for _, s := range []*tendo.Score{r.Scores.VISAA, r.Scores.ODI, r.Scores.NPRS, r.Scores.LEFS} {
		if s == nil {
			continue
		}
		var from *fhir.Reference
		if q, ok := qrByInst[scoreMeasures[s.Measure]]; ok && s.FromAnswers {
			from = &q
		}
		o, err := ScoreObservation(s, ex.patient, date, from)
		if err != nil {
			return err
		}
		o.ID = id("score", s.Measure)
		ex.out = append(ex.out, o)
		findings = append(findings, ex.refOf(o))
	}
	// The conclusions.
	ra, err := RiskAssessmentFor(r, ex.patient, date)
	if err != nil {
		return err
	}
	ra.ID = id("risk")
	ra.Basis = findings
	cond := ConditionFor(r, ex.patient, date)
	cond.ID = id("cond")
	ra.Condition = ptr(ex.refOf(cond))
	var evidence []fhir.Reference
	for _, e := range r.Explanation {
		if ref, ok := obsByPath[e.Finding]; ok {
			evidence = append(evidence, ref)
		}
	}
	if len(evidence) > 0 {
		cond.Evidence = []fhir.ConditionEvidence{{Detail: evidence}}
	}
	ex.out = append(ex.out, ra, cond)
	flagRef := map[string]fhir.Reference{}
	for _, f := range FlagsFor(r, ex.patient, date) {
		f.ID = id("flag", f.Code.Coding[0].Code)
		ex.out = append(ex.out, f)
		flagRef[f.Code.Coding[0].Code] = ex.refOf(f)
	}
	if di := DetectedIssueFor(a, r, ex.patient, date); di != nil {
		di.ID = id("issue")
		for _, p := range []string{"history.fluoroquinoloneLast6Months", "history.systemicCorticosteroids"} {
			if ref, ok := obsByPath[p]; ok {
				di.Implicated = append(di.Implicated, ref)
			}
		}
		if len(di.Implicated) > 0 {
			di.Evidence = []fhir.DetectedIssueEvidence{{Detail: di.Implicated}}
		}
		ex.out = append(ex.out, di)
	}
	requests := map[string]fhir.Reference{}
	for _, s := range serviceRequests(r, ex.patient) {
		if s.RedFlag != "" {
			s.SR.ID = id("sr", "flag", s.RedFlag)
			// reasonReference may not point to a Flag: the Flag is
			// supporting information, the reason the Condition.
			s.SR.ReasonReference = []fhir.Reference{ex.refOf(cond)}
			if ref, ok := flagRef[s.RedFlag]; ok {
				s.SR.SupportingInfo = []fhir.Reference{ref}
			}
		} else {
			s.SR.ID = id("sr", s.PlanItem)
			s.SR.ReasonReference = []fhir.Reference{ex.refOf(cond)}
			requests[s.PlanItem] = ex.refOf(s.SR)
		}
		ex.out = append(ex.out, s.SR)
	}
	cp := carePlan(r, ex.patient, requests)
	cp.ID = id("plan")
	cp.Addresses = []fhir.Reference{ex.refOf(cond)}
	ex.out = append(ex.out, cp)
	return nil
}

func ptr[T any](v T) *T { return &v }

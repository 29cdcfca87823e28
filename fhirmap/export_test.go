package fhirmap_test

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tendo-health/tendo"
	"github.com/tendo-health/tendo/assess"
	"github.com/tendo-health/tendo/fhir"
	"github.com/tendo-health/tendo/fhirmap"
	"github.com/tendo-health/tendo/intake"
	"github.com/tendo-health/tendo/internal/fhircheck"
	"github.com/tendo-health/tendo/internal/shared"
)

var update = flag.Bool("update", false, "update the golden files in testdata")

// engine is the assessment engine, built once.
var engine = sync.OnceValues(assess.New)

// exportCase is one assessment to export: a public case or a vignette.
type exportCase struct {
	Name string
	A    *tendo.Assessment
	R    *tendo.Result
}

// loadCases reads every public case (../shared/cases) and every vignette
// (assess/testdata/vignettes) and assesses each with the engine, once;
// the tests only read them.
func loadCases(t *testing.T) []exportCase {
	t.Helper()
	casesOnce.Do(func() { allCases, casesErr = readCases(t) })
	if casesErr != nil {
		t.Fatal(casesErr)
	}
	return allCases
}

var (
	casesOnce sync.Once
	allCases  []exportCase
	casesErr  error
)

func readCases(t *testing.T) ([]exportCase, error) {
	e, err := engine()
	if err != nil {
		return nil, err
	}
	var files []string
	for _, dir := range []string{shared.Path(t, "cases"), filepath.Join("..", "assess", "testdata", "vignettes")} {
		fs, err := filepath.Glob(filepath.Join(dir, "*.json"))
		if err != nil {
			return nil, err
		}
		for _, f := range fs {
			if filepath.Base(f) != "expected.json" {
				files = append(files, f)
			}
		}
	}
	var out []exportCase
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			return nil, err
		}
		a, err := intake.Parse(b)
		if err != nil {
			return nil, fmt.Errorf("%s: %v", f, err)
		}
		r, err := e.Assess(a)
		if err != nil {
			return nil, fmt.Errorf("%s: %v", f, err)
		}
		name := filepath.Base(filepath.Dir(f)) + "/" + strings.TrimSuffix(filepath.Base(f), ".json")
		out = append(out, exportCase{name, a, r})
	}
	if len(out) < 50 {
		return nil, fmt.Errorf("only %d cases and vignettes found", len(out))
	}
	return out, nil
}

// linkAnswers are answers a patient may send by questionnaire link, one
// set per instrument.
var linkAnswers = []struct {
	Instrument tendo.Instrument
	Answers    string
}{
	{tendo.InstrumentVISAA, `{"answers":[5,6,4,7,3,2,4,{"branch":"B","points":14}]}`},
	{tendo.InstrumentODI, `{"answers":[2,3,1,2,3,2,1,null,2,3]}`},
	{tendo.InstrumentNPRS, `6`},
	{tendo.InstrumentLEFS, `{"answers":[4,3,2,1,0,4,3,2,1,0,4,3,2,1,0,4,3,2,1,0]}`},
}

// recordOf is a patient record holding one case as its only visit and a
// questionnaire response sent by link.
func recordOf(i int, c exportCase) fhirmap.Record {
	la := linkAnswers[i%len(linkAnswers)]
	s, err := fhirmap.ScoreAnswers(la.Instrument, []byte(la.Answers))
	if err != nil {
		panic(err)
	}
	return fhirmap.Record{
		Patient: tendo.PatientRecord{ID: int64(9000 + i), ClinicID: 3, Name: "Test patient " + strconv.Itoa(i),
			ExternalID: "MRN-" + strconv.Itoa(1000+i), BirthYear: 1970 + i%40},
		Visits: []fhirmap.Visit{{ID: "v1", Assessment: c.A, Result: c.R}},
		Responses: []tendo.QuestionnaireResponse{{ID: int64(100 + i), Instrument: la.Instrument, Answers: []byte(la.Answers),
			Score: s.Value, Band: s.Band, SubmittedAt: time.Date(2026, 2, 1+i%28, 9, 0, 0, 0, time.UTC)}},
	}
}

// TestExportValid exports every public case and every vignette and
// checks every resource: each reads back with package fhir, each id and
// fullUrl is unique, every reference resolves inside the Bundle, and all
// of them pass the three checks of internal/fhircheck (R4 JSON schema,
// FHIR.js, StructureDefinition invariants) with zero errors. The
// resources are checked as Resources gives them (relative references, so
// the invariant check also checks each reference's target type); the
// Bundles of the public cases are checked whole as well.
func TestExportValid(t *testing.T) {
	t.Parallel()
	cases := loadCases(t)
	toCheck := map[string][]byte{}
	perType := map[string]int{}
	bundles := 0
	for i, c := range cases {
		rec := recordOf(i, c)
		b, err := fhirmap.Export(rec, fhirmap.Options{})
		if err != nil {
			t.Fatalf("%s: %v", c.Name, err)
		}
		checkBundle(t, c.Name, b)
		if strings.HasPrefix(c.Name, "cases/") {
			data, err := fhir.Marshal(b)
			if err != nil {
				t.Fatalf("%s: %v", c.Name, err)
			}
			toCheck[c.Name+"/Bundle"] = data
			bundles++
		}
		rs, err := fhirmap.Resources(rec, fhirmap.Options{})
		if err != nil {
			t.Fatalf("%s: %v", c.Name, err)
		}
		for n, r := range rs {
			rb, err := fhir.Marshal(r)
			if err != nil {
				t.Fatalf("%s resource %d: %v", c.Name, n, err)
			}
			toCheck[fmt.Sprintf("%s/%03d-%s", c.Name, n, r.ResourceType())] = rb
			perType[r.ResourceType()]++
		}
	}
	for _, q := range fhirmap.Questionnaires() {
		b, err := fhir.Marshal(q)
		if err != nil {
			t.Fatal(err)
		}
		toCheck["Questionnaire/"+q.ID] = b
		perType["Questionnaire"]++
	}
	for _, rt := range []string{"Patient", "Observation", "QuestionnaireResponse", "RiskAssessment", "Condition", "Flag",
		"DetectedIssue", "CarePlan", "ServiceRequest", "Questionnaire"} {
		if perType[rt] == 0 {
			t.Errorf("no %s exported by any case", rt)
		}
	}
	rep := checkAll(t, toCheck)
	rep.Require(t)
	if len(rep.Resources) != len(toCheck) {
		t.Errorf("%d resources checked of %d", len(rep.Resources), len(toCheck))
	}
	types := make([]string, 0, len(perType))
	for k := range perType {
		types = append(types, fmt.Sprintf("%s %d", k, perType[k]))
	}
	sort.Strings(types)
	t.Logf("%d cases and vignettes: %d resources (%s) and %d Bundles checked, %d errors; tools %v; skipped %v",
		len(cases), len(toCheck)-bundles, strings.Join(types, ", "), bundles, len(rep.Errors()), rep.Tools, rep.Skipped)
}

// checkBatch is how many resources one run of the checks takes (one
// run here: starting node and compiling the schema is the slow part).
const checkBatch = 4000

// checkAll runs fhircheck.Check on resources in batches and merges the
// reports.
func checkAll(t *testing.T, resources map[string][]byte) fhircheck.Report {
	t.Helper()
	names := make([]string, 0, len(resources))
	for n := range resources {
		names = append(names, n)
	}
	sort.Strings(names)
	all := fhircheck.Report{Resources: map[string]fhircheck.Result{}}
	for len(names) > 0 {
		n := min(checkBatch, len(names))
		batch := map[string][]byte{}
		for _, name := range names[:n] {
			batch[name] = resources[name]
		}
		names = names[n:]
		rep := fhircheck.Check(t, batch)
		all.Tools = rep.Tools
		for _, sk := range rep.Skipped {
			merged := false
			for i := range all.Skipped {
				if all.Skipped[i].Key == sk.Key {
					all.Skipped[i].Instances += sk.Instances
					merged = true
				}
			}
			if !merged {
				all.Skipped = append(all.Skipped, sk)
			}
		}
		for k, v := range rep.Resources {
			all.Resources[k] = v
		}
	}
	return all
}

// checkBundle checks a Bundle's structure: it reads back, ids and
// fullUrls are unique, and every reference in it resolves to an entry.
func checkBundle(t *testing.T, name string, b *fhir.Bundle) {
	t.Helper()
	if b.Type != "collection" {
		t.Errorf("%s: type %s", name, b.Type)
	}
	data, err := fhir.Marshal(b)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	if _, err := fhir.Unmarshal(data); err != nil {
		t.Fatalf("%s: the Bundle does not read back: %v", name, err)
	}
	full := map[string]bool{}
	ids := map[string]bool{}
	for _, e := range b.Entry {
		if full[e.FullURL] {
			t.Errorf("%s: fullUrl %s twice", name, e.FullURL)
		}
		full[e.FullURL] = true
		var m struct{ ID string }
		rb, _ := fhir.Marshal(e.Resource)
		_ = json.Unmarshal(rb, &m)
		key := e.Resource.ResourceType() + "/" + m.ID
		if m.ID == "" || ids[key] {
			t.Errorf("%s: id %q missing or twice", name, key)
		}
		ids[key] = true
	}
	refs := 0
	var walk func(v any)
	walk = func(v any) {
		switch x := v.(type) {
		case map[string]any:
			if r, ok := x["reference"].(string); ok {
				refs++
				if !full[r] {
					t.Errorf("%s: reference %s does not resolve in the Bundle", name, r)
				}
			}
			for _, y := range x {
				walk(y)
			}
		case []any:
			for _, y := range x {
				walk(y)
			}
		}
	}
	var doc any
	_ = json.Unmarshal(data, &doc)
	walk(doc)
	if refs < len(b.Entry)-1 {
		t.Errorf("%s: only %d references for %d entries", name, refs, len(b.Entry))
	}
}

// TestExportDeterministic: the same record gives the same bytes, and
// Resources gives the same resources as the Bundle, with relative
// references that resolve among them.
func TestExportDeterministic(t *testing.T) {
	t.Parallel()
	cases := loadCases(t)
	for i, c := range cases[:3] {
		rec := recordOf(i, c)
		b1, err := fhirmap.Export(rec, fhirmap.Options{})
		if err != nil {
			t.Fatal(err)
		}
		b2, _ := fhirmap.Export(rec, fhirmap.Options{})
		j1, _ := fhir.Marshal(b1)
		j2, _ := fhir.Marshal(b2)
		if !bytes.Equal(j1, j2) {
			t.Errorf("%s: two exports differ", c.Name)
		}
		rs, err := fhirmap.Resources(rec, fhirmap.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if len(rs) != len(b1.Entry) {
			t.Fatalf("%s: %d resources, %d entries", c.Name, len(rs), len(b1.Entry))
		}
		// With a base, fullUrls are RESTful and references relative; so
		// are the NDJSON resources.
		b3, err := fhirmap.Export(rec, fhirmap.Options{Base: "https://ehr.example/fhir/"})
		if err != nil {
			t.Fatal(err)
		}
		ids := map[string]bool{}
		for n, e := range b3.Entry {
			rel := strings.TrimPrefix(e.FullURL, "https://ehr.example/fhir/")
			if rel == e.FullURL {
				t.Errorf("fullUrl %s", e.FullURL)
			}
			ids[rel] = true
			rj, _ := fhir.Marshal(rs[n])
			ej, _ := fhir.Marshal(e.Resource)
			if !bytes.Equal(rj, ej) {
				t.Errorf("%s: resource %d differs between Resources and Export with a base", c.Name, n)
			}
		}
		for _, r := range rs {
			rj, _ := fhir.Marshal(r)
			for _, ref := range referencesIn(rj) {
				if !ids[ref] {
					t.Errorf("%s: NDJSON reference %s does not resolve", c.Name, ref)
				}
			}
		}
	}
}

func referencesIn(data []byte) []string {
	var out []string
	for _, part := range bytes.Split(data, []byte(`"reference":"`))[1:] {
		end := bytes.IndexByte(part, '"')
		out = append(out, string(part[:end]))
	}
	return out
}

// TestExportGolden compares the Bundle of one public case with
// testdata/mixed-kinetic-chain.golden.json (go test -update rewrites it).
func TestExportGolden(t *testing.T) {
	t.Parallel()
	var c exportCase
	for _, x := range loadCases(t) {
		if x.Name == "cases/mixed-kinetic-chain" {
			c = x
		}
	}
	if c.A == nil {
		t.Fatal("case mixed-kinetic-chain not found")
	}
	rec := fhirmap.Record{
		Patient: tendo.PatientRecord{ID: 4711, ClinicID: 1, Name: "Alex Example", ExternalID: "MRN-0042", BirthDate: "1979-05-17"},
		Visits:  []fhirmap.Visit{{ID: "17", Date: "2026-03-04", Assessment: c.A, Result: c.R}},
		Responses: []tendo.QuestionnaireResponse{{ID: 5, Instrument: tendo.InstrumentNPRS, Answers: []byte(`4`), Score: 4,
			Band: "moderate", SubmittedAt: time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)}},
	}
	b, err := fhirmap.Export(rec, fhirmap.Options{})
	if err != nil {
		t.Fatal(err)
	}
	data, err := fhir.Marshal(b)
	if err != nil {
		t.Fatal(err)
	}
	var pretty bytes.Buffer
	if err := json.Indent(&pretty, data, "", "  "); err != nil {
		t.Fatal(err)
	}
	pretty.WriteByte('\n')
	golden := filepath.Join("testdata", "mixed-kinetic-chain.golden.json")
	if *update {
		if err := os.WriteFile(golden, pretty.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test -update)", err)
	}
	if !bytes.Equal(pretty.Bytes(), want) {
		t.Errorf("the Bundle differs from %s (go test ./fhirmap -run TestExportGolden -update, then review the diff)", golden)
	}
}

// TestRiskAssessmentFractions: every prediction's probabilityDecimal is
// a fraction 0–1 equal to the result's probability (to 4 places), so
// ras-2 (≤ 100) holds; its interval extension is a Range of fractions
// with low ≤ high; the text says fractions.
func TestRiskAssessmentFractions(t *testing.T) {
	t.Parallel()
	for _, c := range loadCases(t) {
		ra, err := fhirmap.RiskAssessmentFor(c.R, fhir.Reference{Reference: "Patient/p"}, "2026-01-01")
		if err != nil {
			t.Fatal(err)
		}
		if want := 11 + len(c.R.Differential); len(ra.Prediction) != want {
			t.Errorf("%s: %d predictions, want %d", c.Name, len(ra.Prediction), want)
		}
		if !strings.Contains(ra.Text.Div, "fractions from 0 to 1") {
			t.Errorf("%s: text does not state the fraction choice", c.Name)
		}
		want := map[string]float64{}
		for _, d := range c.R.Differential {
			want[d.Code] = d.Probability
		}
		want["achillesTendinopathy"] = c.R.Probabilities.AchillesTendinopathy
		want["lumbarContribution"] = c.R.Probabilities.LumbarContribution
		for _, p := range ra.Prediction {
			x, err := p.ProbabilityDecimal.Float64()
			if err != nil || x < 0 || x > 1 || x > 100 {
				t.Errorf("%s: %s probability %s", c.Name, p.Outcome.Coding[0].Code, p.ProbabilityDecimal)
			}
			if w, ok := want[p.Outcome.Coding[0].Code]; ok && math.Abs(w-x) > 0.00005 {
				t.Errorf("%s: %s = %v, result says %v", c.Name, p.Outcome.Coding[0].Code, x, w)
			}
			if p.ProbabilityRange != nil {
				t.Errorf("probabilityRange set beside probabilityDecimal")
			}
			if len(p.Extension) != 1 || p.Extension[0].URL != fhirmap.ExtProbabilityRange {
				t.Fatalf("%s: extensions %+v", c.Name, p.Extension)
			}
			var r fhir.Range
			if err := json.Unmarshal(p.Extension[0].Extra["valueRange"], &r); err != nil {
				t.Fatal(err)
			}
			lo, _ := r.Low.Value.Float64()
			hi, _ := r.High.Value.Float64()
			if lo < 0 || hi > 1 || lo > hi || r.Low.Code != "1" {
				t.Errorf("%s: range %v–%v %s", c.Name, lo, hi, r.Low.Code)
			}
		}
	}
}

// TestExportContents checks what each kind of case brings: the red
// flags as Flags and urgent ServiceRequests, the fluoroquinolone issue,
// the CarePlan's scheduled loading, the scores with their LOINC codes.
func TestExportContents(t *testing.T) {
	t.Parallel()
	byName := map[string]exportCase{}
	for _, c := range loadCases(t) {
		byName[c.Name] = c
	}
	count := func(b *fhir.Bundle, rt string) int {
		n := 0
		for _, e := range b.Entry {
			if e.Resource.ResourceType() == rt {
				n++
			}
		}
		return n
	}
	find := func(b *fhir.Bundle, rt string) []fhir.Resource {
		var out []fhir.Resource
		for _, e := range b.Entry {
			if e.Resource.ResourceType() == rt {
				out = append(out, e.Resource)
			}
		}
		return out
	}
	tests := []struct {
		name  string
		check func(t *testing.T, c exportCase, b *fhir.Bundle)
	}{
		{"cases/rupture-after-ciprofloxacin", func(t *testing.T, c exportCase, b *fhir.Bundle) {
			if got, want := count(b, "Flag"), len(c.R.RedFlags); got != want || got < 2 {
				t.Errorf("%d Flags, %d red flags", got, want)
			}
			di := find(b, "DetectedIssue")
			if len(di) != 1 {
				t.Fatalf("%d DetectedIssues", len(di))
			}
			d := di[0].(*fhir.DetectedIssue)
			if d.Code.Coding[1].Code != "DRG" || len(d.Implicated) == 0 || len(d.Mitigation) != 1 || !strings.Contains(d.Detail, "3.14") {
				t.Errorf("DetectedIssue %+v", d)
			}
			urgent := 0
			for _, r := range find(b, "ServiceRequest") {
				sr := r.(*fhir.ServiceRequest)
				if sr.Priority == "urgent" || sr.Priority == "stat" {
					urgent++
					if sr.Status != "draft" || sr.Intent != "proposal" || len(sr.ReasonReference) != 1 || len(sr.SupportingInfo) != 1 {
						t.Errorf("ServiceRequest %+v", sr)
					}
				}
			}
			if urgent == 0 {
				t.Error("no urgent referral for the rupture")
			}
			cond := find(b, "Condition")[0].(*fhir.Condition)
			if cond.Code.Coding[0].Code != "urgent-referral" || cond.VerificationStatus.Coding[0].Code != "provisional" {
				t.Errorf("Condition %+v", cond.Code)
			}
		}},
		{"cases/mixed-kinetic-chain", func(t *testing.T, c exportCase, b *fhir.Bundle) {
			if count(b, "Flag") != 0 || count(b, "DetectedIssue") != 0 {
				t.Error("flags or issues without a red flag")
			}
			var odi *fhir.Observation
			for _, r := range find(b, "Observation") {
				o := r.(*fhir.Observation)
				for _, cd := range o.Code.Coding {
					if cd.Code == fhirmap.LOINCODIScore {
						odi = o
					}
				}
			}
			if odi == nil || odi.ValueQuantity.Value != "34" || len(odi.Interpretation) != 1 || len(odi.DerivedFrom) != 1 {
				t.Fatalf("ODI score %+v", odi)
			}
			cp := find(b, "CarePlan")[0].(*fhir.CarePlan)
			refs, periods := 0, 0
			for _, a := range cp.Activity {
				switch {
				case a.Reference != nil:
					refs++
				case a.Detail.ScheduledPeriod != nil:
					periods++
				}
			}
			// imaging-spine and non-response are ServiceRequests; every
			// phase element has a period (loading-midportion offers two
			// protocols, so a period rather than one protocol's timing).
			if refs != 2 || periods == 0 || len(cp.Addresses) != 1 || len(cp.Note) == 0 {
				t.Errorf("CarePlan: %d references, %d periods, addresses %v, notes %d", refs, periods, cp.Addresses, len(cp.Note))
			}
		}},
		{"cases/runner-midportion", func(t *testing.T, c exportCase, b *fhir.Bundle) {
			qrs := find(b, "QuestionnaireResponse")
			if len(c.A.PROMs.VISAA.Answers) > 0 && len(qrs) == 0 {
				t.Error("VISA-A answers but no QuestionnaireResponse")
			}
			cond := find(b, "Condition")[0].(*fhir.Condition)
			if cond.Code.Coding[0].Code != "local-tendinopathy" || !strings.Contains(cond.Code.Text, "midportion") || len(cond.Evidence) == 0 {
				t.Errorf("Condition %+v evidence %d", cond.Code, len(cond.Evidence))
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, ok := byName[tt.name]
			if !ok {
				t.Fatalf("no case %s", tt.name)
			}
			b, err := fhirmap.Export(recordOf(0, c), fhirmap.Options{})
			if err != nil {
				t.Fatal(err)
			}
			tt.check(t, c, b)
		})
	}
}

// TestCarePlanTiming: a loading element with one protocol gets the
// protocol's sessions a week as scheduledTiming, bounded by its phase.
func TestCarePlanTiming(t *testing.T) {
	t.Parallel()
	r := &tendo.Result{Date: "2026-03-02", Classification: tendo.LocalTendinopathy, Plan: tendo.Plan{
		Phases: []tendo.Phase{{ID: "load", Title: "Load", Weeks: "weeks 2–6", Components: []tendo.PlanItem{
			{ID: "loading-insertional", Title: "Tendon loading", Dosage: "floor level"},
			{ID: "education", Title: "Explain"},
		}}, {ID: "return", Title: "Return", Weeks: "week 12 on", Components: []tendo.PlanItem{{ID: "return-activity", Title: "Return"}}}},
	}}
	cp := fhirmap.CarePlanFor(r, fhir.Reference{Reference: "Patient/p"})
	if len(cp.Activity) != 3 {
		t.Fatalf("%d activities", len(cp.Activity))
	}
	d := cp.Activity[0].Detail
	tm := d.ScheduledTiming
	if tm == nil || *tm.Repeat.Frequency != 14 || tm.Repeat.PeriodUnit != "wk" || tm.Repeat.BoundsPeriod.Start != "2026-03-16" ||
		tm.Repeat.BoundsPeriod.End != "2026-04-13" || d.Quantity == nil || d.Quantity.Value != "45" {
		t.Errorf("timing %+v quantity %+v", tm, d.Quantity)
	}
	if p := cp.Activity[1].Detail.ScheduledPeriod; p == nil || p.Start != "2026-03-16" || p.End != "2026-04-13" {
		t.Errorf("period %+v", p)
	}
	if p := cp.Activity[2].Detail.ScheduledPeriod; p == nil || p.Start != "2026-05-25" || p.End != "" {
		t.Errorf("open period %+v", p)
	}
}

// TestExportLimits: a record over the limits, a visit without an
// assessment and a visit id used twice are refused.
func TestExportLimits(t *testing.T) {
	t.Parallel()
	a := &tendo.Assessment{Schema: tendo.SchemaV1}
	tests := []struct {
		name string
		rec  fhirmap.Record
	}{
		{"too many visits", fhirmap.Record{Visits: make([]fhirmap.Visit, fhirmap.MaxVisits+1)}},
		{"too many responses", fhirmap.Record{Responses: make([]tendo.QuestionnaireResponse, fhirmap.MaxResponses+1)}},
		{"no assessment", fhirmap.Record{Visits: []fhirmap.Visit{{ID: "1"}}}},
		{"visit twice", fhirmap.Record{Visits: []fhirmap.Visit{{ID: "1", Assessment: a}, {ID: "1", Assessment: a}}}},
		{"bad response", fhirmap.Record{Responses: []tendo.QuestionnaireResponse{{Instrument: "sf36"}}}},
		{"stored score disagrees", fhirmap.Record{Responses: []tendo.QuestionnaireResponse{{Instrument: tendo.InstrumentNPRS,
			Answers: []byte(`4`), Score: 5}}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if _, err := fhirmap.Export(tt.rec, fhirmap.Options{}); err == nil {
				t.Error("no error")
			}
		})
	}
}

// TestExportAnonymous: a record without a name or a result still gives a
// valid Patient (pat-1 wants a name) and the findings.
func TestExportAnonymous(t *testing.T) {
	t.Parallel()
	yes := true
	a := &tendo.Assessment{Schema: tendo.SchemaV1, Date: "2026-02-02", History: tendo.History{NightPain: &yes}}
	b, err := fhirmap.Export(fhirmap.Record{Visits: []fhirmap.Visit{{Assessment: a}}}, fhirmap.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(b.Entry) != 2 {
		t.Fatalf("%d entries", len(b.Entry))
	}
	p := b.Entry[0].Resource.(*fhir.Patient)
	if len(p.Name) != 1 || p.Name[0].Use != "anonymous" {
		t.Errorf("name %+v", p.Name)
	}
	checkBundle(t, "anonymous", b)
}

// BenchmarkExport writes one public case's record (the golden test's) as
// a Bundle and marshals it, as GET /api/patients/{id}/fhir does.
func BenchmarkExport(b *testing.B) {
	e, err := engine()
	if err != nil {
		b.Fatal(err)
	}
	data, err := os.ReadFile(shared.Path(b, "cases", "mixed-kinetic-chain.json"))
	if err != nil {
		b.Fatal(err)
	}
	a, err := intake.Parse(data)
	if err != nil {
		b.Fatal(err)
	}
	r, err := e.Assess(a)
	if err != nil {
		b.Fatal(err)
	}
	rec := fhirmap.Record{Patient: tendo.PatientRecord{ID: 1, Name: "x"}, Visits: []fhirmap.Visit{{ID: "1", Assessment: a, Result: r}}}
	b.ReportAllocs()
	for b.Loop() {
		bundle, err := fhirmap.Export(rec, fhirmap.Options{})
		if err != nil {
			b.Fatal(err)
		}
		if _, err := fhir.Marshal(bundle); err != nil {
			b.Fatal(err)
		}
	}
}

// TestDetectedIssue: a fluoroquinolone, a systemic corticosteroid, both or
// neither; the red flag's action becomes the mitigation.
func TestDetectedIssue(t *testing.T) {
	t.Parallel()
	yes, no := true, false
	flagged := &tendo.Result{RedFlags: []tendo.RedFlag{{Code: "fluoroquinolone-tendon-risk", Urgency: tendo.Soon, Action: "Review with the prescriber."}}}
	tests := []struct {
		name        string
		fq, cs      *bool
		result      *tendo.Result
		code, sev   string
		cites       string
		mitigations int
	}{
		{"neither", &no, &no, nil, "", "", "", 0},
		{"not asked", nil, nil, nil, "", "", "", 0},
		{"fluoroquinolone", &yes, nil, flagged, "fluoroquinolone-tendon-risk", "moderate", "3.14", 1},
		{"corticosteroid", &no, &yes, &tendo.Result{}, "corticosteroid-tendon-risk", "moderate", "4.59", 0},
		{"both", &yes, &yes, flagged, "fluoroquinolone-corticosteroid-tendon-risk", "high", "19.36", 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			a := &tendo.Assessment{History: tendo.History{FluoroquinoloneLast6Months: tt.fq, SystemicCorticosteroids: tt.cs}}
			di := fhirmap.DetectedIssueFor(a, tt.result, fhir.Reference{Reference: "Patient/p"}, "2026-01-01")
			if tt.code == "" {
				if di != nil {
					t.Fatalf("an issue: %+v", di.Code)
				}
				return
			}
			if di == nil {
				t.Fatal("no issue")
			}
			if di.Code.Coding[0].Code != tt.code || di.Code.Coding[1].Code != "DRG" || di.Severity != tt.sev || di.Status != "final" {
				t.Errorf("code %+v severity %s", di.Code.Coding, di.Severity)
			}
			if !strings.Contains(di.Detail, tt.cites) || !strings.Contains(di.Detail, "Morales") {
				t.Errorf("detail %q does not cite %s", di.Detail, tt.cites)
			}
			if len(di.Mitigation) != tt.mitigations {
				t.Errorf("%d mitigations", len(di.Mitigation))
			}
		})
	}
}

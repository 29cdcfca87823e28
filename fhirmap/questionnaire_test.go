package fhirmap_test

import (
	"encoding/json"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/tendo-health/tendo"
	"github.com/tendo-health/tendo/fhir"
	"github.com/tendo-health/tendo/fhirmap"
	"github.com/tendo-health/tendo/questionnaire"
)

// TestQuestionnaires: each Questionnaire has the form's items and
// choices, with linkId = the form key and the points as ordinalValue.
func TestQuestionnaires(t *testing.T) {
	t.Parallel()
	qs := fhirmap.Questionnaires()
	insts := []tendo.Instrument{tendo.InstrumentVISAA, tendo.InstrumentODI, tendo.InstrumentNPRS, tendo.InstrumentLEFS}
	if len(qs) != len(insts) {
		t.Fatalf("%d questionnaires", len(qs))
	}
	for n, q := range qs {
		i := insts[n]
		t.Run(string(i), func(t *testing.T) {
			form, _ := questionnaire.For(i)
			if q.URL != fhirmap.QuestionnaireURL(i) || q.Version != fhirmap.Version || q.Status != "active" {
				t.Errorf("url %s version %s status %s", q.URL, q.Version, q.Status)
			}
			if got, ok := fhirmap.InstrumentForURL(q.URL + "|" + q.Version); !ok || got != i {
				t.Errorf("InstrumentForURL: %s %v", got, ok)
			}
			if !strings.Contains(q.Copyright, "paraphrase") {
				t.Errorf("copyright %q does not say the wording is a paraphrase", q.Copyright)
			}
			if len(q.Item) != len(form.Items) {
				t.Fatalf("%d items, form has %d", len(q.Item), len(form.Items))
			}
			for k, it := range form.Items {
				qi := q.Item[k]
				if qi.LinkID != it.Key || qi.Type != "choice" || qi.Required == nil || *qi.Required == it.Optional {
					t.Errorf("item %d: linkId %s type %s required %v", k, qi.LinkID, qi.Type, qi.Required)
				}
				if len(qi.AnswerOption) != len(it.Choices) {
					t.Fatalf("item %s: %d options, %d choices", it.Key, len(qi.AnswerOption), len(it.Choices))
				}
				for c, ch := range it.Choices {
					opt := qi.AnswerOption[c]
					if opt.ValueCoding.Code != ch.FormValue() || opt.ValueCoding.System != fhirmap.SystemAnswer || opt.ValueCoding.Display == "" {
						t.Errorf("item %s option %d: %+v", it.Key, c, opt.ValueCoding)
					}
					if ch.Skip {
						if len(opt.Extension) != 0 {
							t.Errorf("skip option has points")
						}
						continue
					}
					if len(opt.Extension) != 1 || opt.Extension[0].URL != fhirmap.ExtOrdinalValue ||
						string(opt.Extension[0].Extra["valueDecimal"]) != ch.FormValue()[strings.Index(ch.FormValue(), ":")+1:] {
						t.Errorf("item %s option %d: ordinal %+v, points %d", it.Key, c, opt.Extension, ch.Value)
					}
				}
			}
		})
	}
	odi := qs[1]
	if len(odi.Code) != 2 || odi.Code[1].Code != fhirmap.LOINCODIPanel {
		t.Errorf("ODI codes %+v", odi.Code)
	}
	if !strings.Contains(odi.Copyright, "Fairbank") {
		t.Errorf("ODI copyright %q", odi.Copyright)
	}
	if c := qs[2].Item[0].Code; len(c) != 1 || c[0].Code != fhirmap.LOINCNPRS {
		t.Errorf("NPRS item code %+v", c)
	}
}

// TestResponseScoresAsTendo: a QuestionnaireResponse, its answers read
// back as form values (linkId → valueCoding.code), scores exactly as the
// root package scores the answers it came from.
func TestResponseScoresAsTendo(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		inst    tendo.Instrument
		answers string
		items   int // answered items in the response
	}{
		{"visaA", tendo.InstrumentVISAA, `{"answers":[5,6,4,7,3,2,4,{"branch":"B","points":14}]}`, 8},
		{"visaA item 8 C", tendo.InstrumentVISAA, `{"answers":[0,0,0,0,0,0,0,{"branch":"C","points":0}]}`, 8},
		{"odi", tendo.InstrumentODI, `{"answers":[2,3,1,2,3,2,1,null,2,3]}`, 9},
		{"nprs", tendo.InstrumentNPRS, `7`, 1},
		{"lefs", tendo.InstrumentLEFS, `{"answers":[4,3,2,1,0,4,3,2,1,0,4,3,2,1,0,4,3,2,1,0]}`, 20},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			qr, err := fhirmap.ResponseFor(tt.inst, []byte(tt.answers), fhir.Reference{Reference: "Patient/p"}, "2026-03-04")
			if err != nil {
				t.Fatal(err)
			}
			if len(qr.Item) != tt.items {
				t.Fatalf("%d items, want %d", len(qr.Item), tt.items)
			}
			b, err := fhir.Marshal(qr)
			if err != nil {
				t.Fatal(err)
			}
			r, err := fhir.Unmarshal(b)
			if err != nil {
				t.Fatal(err)
			}
			back := r.(*fhir.QuestionnaireResponse)
			vals := url.Values{}
			for _, it := range back.Item {
				vals.Set(it.LinkID, it.Answer[0].ValueCoding.Code)
			}
			_, got, errs := questionnaire.Parse(tt.inst, vals)
			if len(errs) > 0 {
				t.Fatalf("parse: %v", errs)
			}
			want := scoreOf(t, tt.inst, tt.answers)
			if got.Value != want.Value || got.Band != want.Band {
				t.Errorf("score %v %s, want %v %s", got.Value, got.Band, want.Value, want.Band)
			}
		})
	}
}

func scoreOf(t *testing.T, i tendo.Instrument, answers string) tendo.Score {
	t.Helper()
	var (
		s   tendo.Score
		err error
	)
	switch i {
	case tendo.InstrumentVISAA:
		var m tendo.VISAA
		_ = json.Unmarshal([]byte(answers), &m)
		s, err = tendo.ScoreVISAA(&m)
	case tendo.InstrumentODI:
		var m tendo.ODI
		_ = json.Unmarshal([]byte(answers), &m)
		s, err = tendo.ScoreODI(&m)
	case tendo.InstrumentNPRS:
		var n int
		_ = json.Unmarshal([]byte(answers), &n)
		s, err = tendo.ScoreNPRS(n)
	case tendo.InstrumentLEFS:
		var m tendo.LEFS
		_ = json.Unmarshal([]byte(answers), &m)
		s, err = tendo.ScoreLEFS(&m)
	}
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestResponseForErrors: answers that do not fit the form are refused.
func TestResponseForErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		inst    tendo.Instrument
		answers string
	}{
		{"unknown instrument", "sf36", `{}`},
		{"too few", tendo.InstrumentLEFS, `{"answers":[1,2,3]}`},
		{"not a choice", tendo.InstrumentVISAA, `{"answers":[5,6,4,7,3,2,5,{"branch":"B","points":14}]}`},
		{"wrong branch points", tendo.InstrumentVISAA, `{"answers":[5,6,4,7,3,2,4,{"branch":"C","points":30}]}`},
		{"out of range", tendo.InstrumentNPRS, `11`},
		{"not JSON", tendo.InstrumentODI, `{`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if _, err := fhirmap.ResponseFor(tt.inst, []byte(tt.answers), fhir.Reference{}, ""); err == nil {
				t.Error("no error")
			}
		})
	}
}

// TestStoredResponse: a link's stored response keeps its id and time.
func TestStoredResponse(t *testing.T) {
	t.Parallel()
	r := tendo.QuestionnaireResponse{ID: 42, Instrument: tendo.InstrumentNPRS, Answers: []byte(`3`),
		SubmittedAt: time.Date(2026, 3, 4, 10, 30, 0, 0, time.FixedZone("x", 3600))}
	qr, err := fhirmap.StoredResponse(r, fhir.Reference{Reference: "Patient/p"})
	if err != nil {
		t.Fatal(err)
	}
	if qr.Identifier == nil || qr.Identifier.Value != "42" || qr.Authored != "2026-03-04T09:30:00Z" {
		t.Errorf("identifier %+v authored %s", qr.Identifier, qr.Authored)
	}
	if qr.Questionnaire != fhirmap.QuestionnaireNPRS+"|"+fhirmap.Version || qr.Item[0].Answer[0].ValueCoding.Code != "3" {
		t.Errorf("questionnaire %s item %+v", qr.Questionnaire, qr.Item)
	}
}

package questionnaire_test

import (
	"encoding/json"
	"maps"
	"math"
	"net/url"
	"strconv"
	"testing"

	"github.com/tendo-health/tendo"
	"github.com/tendo-health/tendo/questionnaire"
)

// answers builds form values q1, q2, ... from the given strings; "" leaves
// the field out.
func answers(vs ...string) url.Values {
	out := url.Values{}
	for i, v := range vs {
		if v != "" {
			out.Set("q"+strconv.Itoa(i+1), v)
		}
	}
	return out
}

// with returns a copy of v with key set to vals (none: deleted).
func with(v url.Values, key string, vals ...string) url.Values {
	out := url.Values{}
	for k, vs := range v {
		out[k] = append([]string(nil), vs...)
	}
	if len(vals) == 0 {
		out.Del(key)
	} else {
		out[key] = vals
	}
	return out
}

func repeat(v string, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = v
	}
	return out
}

var (
	visaA50 = answers("6", "5", "7", "6", "4", "5", "7", "B:10")
	odi467  = answers("3", "1", "3", "2", "3", "2", "2", "", "2", "3")
	lefs46  = answers("3", "2", "4", "4", "3", "1", "2", "3", "1", "3", "4", "2", "3", "2", "3", "1", "0", "0", "1", "4")
	nprs7   = answers("7")
)

// TestParse_RoundTrip parses valid submissions, checks the score against
// a hand computation and the JSON against the contract's form, and checks
// that the JSON decodes back to a structure that scores the same.
func TestParse_RoundTrip(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		inst     tendo.Instrument
		values   url.Values
		wantJSON string
		// wantRounded is the score as reported.
		wantRounded float64
		wantBand    string
		wantMissing int
	}{
		{
			name:     "VISA-A 50 with branch B",
			inst:     tendo.InstrumentVISAA,
			values:   visaA50,
			wantJSON: `{"answers":[6,5,7,6,4,5,7,{"branch":"B","points":10}]}`,
			// 6+5+7+6+4+5+7+10
			wantRounded: 50, wantBand: "moderate",
		},
		{
			name:     "VISA-A all best (A:30)",
			inst:     tendo.InstrumentVISAA,
			values:   answers("10", "10", "10", "10", "10", "10", "10", "A:30"),
			wantJSON: `{"answers":[10,10,10,10,10,10,10,{"branch":"A","points":30}]}`,
			// 6×10 + 10 + 30
			wantRounded: 100, wantBand: "near normal/recovered",
		},
		{
			name:        "VISA-A all worst (C:0)",
			inst:        tendo.InstrumentVISAA,
			values:      answers("0", "0", "0", "0", "0", "0", "0", "C:0"),
			wantJSON:    `{"answers":[0,0,0,0,0,0,0,{"branch":"C","points":0}]}`,
			wantRounded: 0, wantBand: "severe",
		},
		{
			name:     "VISA-A spaces around values are ignored",
			inst:     tendo.InstrumentVISAA,
			values:   answers(" 6", "5 ", "7", "6", "4", "5", "7", " B:10 "),
			wantJSON: `{"answers":[6,5,7,6,4,5,7,{"branch":"B","points":10}]}`,
			// as the first case
			wantRounded: 50, wantBand: "moderate",
		},
		{
			name:     "VISA-A extra fields are ignored",
			inst:     tendo.InstrumentVISAA,
			values:   with(with(visaA50, "csrf", "abc"), "q9", "junk"),
			wantJSON: `{"answers":[6,5,7,6,4,5,7,{"branch":"B","points":10}]}`,
			// as the first case
			wantRounded: 50, wantBand: "moderate",
		},
		{
			name:     "ODI one section blank",
			inst:     tendo.InstrumentODI,
			values:   odi467,
			wantJSON: `{"answers":[3,1,3,2,3,2,2,null,2,3]}`,
			// (3+1+3+2+3+2+2+2+3) / (5×9) × 100 = 21/45 × 100 = 46.67
			wantRounded: 46.7, wantBand: "severe disability", wantMissing: 1,
		},
		{
			name:     "ODI sex life declined",
			inst:     tendo.InstrumentODI,
			values:   with(odi467, "q8", questionnaire.SkipValue),
			wantJSON: `{"answers":[3,1,3,2,3,2,2,null,2,3]}`,
			// as above
			wantRounded: 46.7, wantBand: "severe disability", wantMissing: 1,
		},
		{
			name:     "ODI sex life declined and one more blank",
			inst:     tendo.InstrumentODI,
			values:   with(with(odi467, "q8", questionnaire.SkipValue), "q1"),
			wantJSON: `{"answers":[null,1,3,2,3,2,2,null,2,3]}`,
			// 18 / 40 × 100
			wantRounded: 45, wantBand: "severe disability", wantMissing: 2,
		},
		{
			name:     "ODI all answered",
			inst:     tendo.InstrumentODI,
			values:   answers("1", "0", "1", "0", "2", "1", "0", "0", "1", "1"),
			wantJSON: `{"answers":[1,0,1,0,2,1,0,0,1,1]}`,
			// 7 × 2
			wantRounded: 14, wantBand: "minimal disability",
		},
		{
			name:        "ODI all worst",
			inst:        tendo.InstrumentODI,
			values:      answers(repeat("5", 10)...),
			wantJSON:    `{"answers":[5,5,5,5,5,5,5,5,5,5]}`,
			wantRounded: 100, wantBand: "bed-bound or exaggerating",
		},
		{
			name:        "NPRS 7",
			inst:        tendo.InstrumentNPRS,
			values:      nprs7,
			wantJSON:    `7`,
			wantRounded: 7, wantBand: "severe",
		},
		{
			name:        "NPRS 0",
			inst:        tendo.InstrumentNPRS,
			values:      answers("0"),
			wantJSON:    `0`,
			wantRounded: 0, wantBand: "no pain",
		},
		{
			name:     "LEFS mixed",
			inst:     tendo.InstrumentLEFS,
			values:   lefs46,
			wantJSON: `{"answers":[3,2,4,4,3,1,2,3,1,3,4,2,3,2,3,1,0,0,1,4]}`,
			// 3+2+4+4+3 + 1+2+3+1+3 + 4+2+3+2+3 + 1+0+0+1+4 = 16+10+14+6
			wantRounded: 46, wantBand: "below healthy norms",
		},
		{
			name:        "LEFS all no difficulty",
			inst:        tendo.InstrumentLEFS,
			values:      answers(repeat("4", 20)...),
			wantJSON:    `{"answers":[4,4,4,4,4,4,4,4,4,4,4,4,4,4,4,4,4,4,4,4]}`,
			wantRounded: 80, wantBand: "at or above the healthy median",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			js, s, errs := questionnaire.Parse(tt.inst, tt.values)
			if len(errs) > 0 {
				t.Fatalf("errs = %v, want none", errs)
			}
			if got := string(js); got != tt.wantJSON {
				t.Errorf("JSON = %s, want %s", got, tt.wantJSON)
			}
			if math.Abs(s.Rounded-tt.wantRounded) > 1e-9 {
				t.Errorf("Rounded = %v, want %v", s.Rounded, tt.wantRounded)
			}
			if s.Band != tt.wantBand {
				t.Errorf("Band = %q, want %q", s.Band, tt.wantBand)
			}
			if s.Missing != tt.wantMissing {
				t.Errorf("Missing = %d, want %d", s.Missing, tt.wantMissing)
			}
			if !s.FromAnswers || s.Measure != string(tt.inst) {
				t.Errorf("Measure = %q, FromAnswers = %v; want %q, true", s.Measure, s.FromAnswers, tt.inst)
			}
			if again := rescore(t, tt.inst, js); again.Value != s.Value {
				t.Errorf("decoded JSON scores %v, parse scored %v", again.Value, s.Value)
			}
		})
	}
}

// rescore decodes answers JSON as the contract's structure and scores it.
func rescore(t testing.TB, inst tendo.Instrument, js []byte) tendo.Score {
	t.Helper()
	var (
		s   tendo.Score
		err error
	)
	switch inst {
	case tendo.InstrumentVISAA:
		var m tendo.VISAA
		if err := json.Unmarshal(js, &m); err != nil {
			t.Fatalf("decode %s: %v", js, err)
		}
		s, err = tendo.ScoreVISAA(&m)
	case tendo.InstrumentODI:
		var m tendo.ODI
		if err := json.Unmarshal(js, &m); err != nil {
			t.Fatalf("decode %s: %v", js, err)
		}
		s, err = tendo.ScoreODI(&m)
	case tendo.InstrumentNPRS:
		var n int
		if err := json.Unmarshal(js, &n); err != nil {
			t.Fatalf("decode %s: %v", js, err)
		}
		s, err = tendo.ScoreNPRS(n)
	case tendo.InstrumentLEFS:
		var m tendo.LEFS
		if err := json.Unmarshal(js, &m); err != nil {
			t.Fatalf("decode %s: %v", js, err)
		}
		s, err = tendo.ScoreLEFS(&m)
	default:
		t.Fatalf("unknown instrument %q", inst)
	}
	if err != nil {
		t.Fatalf("score %s: %v", js, err)
	}
	return s
}

// TestParse_Errors checks that bad submissions are refused with a message
// on exactly the offending fields.
func TestParse_Errors(t *testing.T) {
	t.Parallel()
	tooMany := "Please answer this section: no more than 2 sections may be left blank."
	tests := []struct {
		name   string
		inst   tendo.Instrument
		values url.Values
		want   map[string]string
	}{
		{"VISA-A item 3 out of range", tendo.InstrumentVISAA, with(visaA50, "q3", "11"),
			map[string]string{"q3": questionnaire.MsgInvalid}},
		{"VISA-A item 1 negative", tendo.InstrumentVISAA, with(visaA50, "q1", "-1"),
			map[string]string{"q1": questionnaire.MsgInvalid}},
		{"VISA-A item 2 letters", tendo.InstrumentVISAA, with(visaA50, "q2", "five"),
			map[string]string{"q2": questionnaire.MsgInvalid}},
		{"VISA-A item 2 leading zero", tendo.InstrumentVISAA, with(visaA50, "q2", "05"),
			map[string]string{"q2": questionnaire.MsgInvalid}},
		{"VISA-A item 2 plus sign", tendo.InstrumentVISAA, with(visaA50, "q2", "+5"),
			map[string]string{"q2": questionnaire.MsgInvalid}},
		{"VISA-A item 2 decimal", tendo.InstrumentVISAA, with(visaA50, "q2", "5.0"),
			map[string]string{"q2": questionnaire.MsgInvalid}},
		{"VISA-A item 5 missing", tendo.InstrumentVISAA, with(visaA50, "q5"),
			map[string]string{"q5": questionnaire.MsgRequired}},
		{"VISA-A item 5 empty", tendo.InstrumentVISAA, with(visaA50, "q5", " "),
			map[string]string{"q5": questionnaire.MsgRequired}},
		{"VISA-A item 7 not an allowed score", tendo.InstrumentVISAA, with(visaA50, "q7", "5"),
			map[string]string{"q7": questionnaire.MsgInvalid}},
		{"VISA-A item 8 points from the wrong branch", tendo.InstrumentVISAA, with(visaA50, "q8", "C:30"),
			map[string]string{"q8": questionnaire.MsgInvalid}},
		{"VISA-A item 8 branch A with B's points", tendo.InstrumentVISAA, with(visaA50, "q8", "A:10"),
			map[string]string{"q8": questionnaire.MsgInvalid}},
		{"VISA-A item 8 without a branch", tendo.InstrumentVISAA, with(visaA50, "q8", "10"),
			map[string]string{"q8": questionnaire.MsgInvalid}},
		{"VISA-A item 8 unknown branch", tendo.InstrumentVISAA, with(visaA50, "q8", "D:10"),
			map[string]string{"q8": questionnaire.MsgInvalid}},
		{"VISA-A item 8 lower-case branch", tendo.InstrumentVISAA, with(visaA50, "q8", "b:10"),
			map[string]string{"q8": questionnaire.MsgInvalid}},
		{"VISA-A item 8 two branches", tendo.InstrumentVISAA, with(visaA50, "q8", "A:7", "B:10"),
			map[string]string{"q8": questionnaire.MsgOnlyOne}},
		{"VISA-A item 8 skip is not offered", tendo.InstrumentVISAA, with(visaA50, "q8", "skip"),
			map[string]string{"q8": questionnaire.MsgInvalid}},
		{"VISA-A item 4 sent twice", tendo.InstrumentVISAA, with(visaA50, "q4", "6", "6"),
			map[string]string{"q4": questionnaire.MsgOnlyOne}},
		{"VISA-A nothing sent", tendo.InstrumentVISAA, nil, map[string]string{
			"q1": questionnaire.MsgRequired, "q2": questionnaire.MsgRequired, "q3": questionnaire.MsgRequired,
			"q4": questionnaire.MsgRequired, "q5": questionnaire.MsgRequired, "q6": questionnaire.MsgRequired,
			"q7": questionnaire.MsgRequired, "q8": questionnaire.MsgRequired,
		}},
		{"ODI three sections blank", tendo.InstrumentODI, with(with(odi467, "q2"), "q5"), map[string]string{
			"q2": tooMany, "q5": tooMany, "q8": tooMany,
			questionnaire.FormErrorKey: "Please answer at least 8 of the 10 sections; 3 were left blank.",
		}},
		{"ODI two blank and sex life declined", tendo.InstrumentODI, with(with(with(odi467, "q8", "skip"), "q1"), "q2"),
			map[string]string{
				"q1": tooMany, "q2": tooMany,
				questionnaire.FormErrorKey: "Please answer at least 8 of the 10 sections; 3 were left blank.",
			}},
		{"ODI nothing sent", tendo.InstrumentODI, url.Values{}, map[string]string{
			"q1": tooMany, "q2": tooMany, "q3": tooMany, "q4": tooMany, "q5": tooMany,
			"q6": tooMany, "q7": tooMany, "q8": tooMany, "q9": tooMany, "q10": tooMany,
			questionnaire.FormErrorKey: "Please answer at least 8 of the 10 sections; 10 were left blank.",
		}},
		{"ODI section out of range", tendo.InstrumentODI, with(odi467, "q3", "6"),
			map[string]string{"q3": questionnaire.MsgInvalid}},
		{"ODI skip only on sex life", tendo.InstrumentODI, with(odi467, "q3", "skip"),
			map[string]string{"q3": questionnaire.MsgInvalid}},
		{"NPRS 11", tendo.InstrumentNPRS, answers("11"), map[string]string{"q1": questionnaire.MsgInvalid}},
		{"NPRS missing", tendo.InstrumentNPRS, url.Values{"nprs": {"4"}}, map[string]string{"q1": questionnaire.MsgRequired}},
		{"NPRS letters", tendo.InstrumentNPRS, answers("x"), map[string]string{"q1": questionnaire.MsgInvalid}},
		{"LEFS item 20 out of range", tendo.InstrumentLEFS, with(lefs46, "q20", "5"),
			map[string]string{"q20": questionnaire.MsgInvalid}},
		{"LEFS item 11 missing", tendo.InstrumentLEFS, with(lefs46, "q11"),
			map[string]string{"q11": questionnaire.MsgRequired}},
		{"LEFS several problems", tendo.InstrumentLEFS, with(with(with(lefs46, "q1", "4", "3"), "q2", "-0"), "q19"),
			map[string]string{"q1": questionnaire.MsgOnlyOne, "q2": questionnaire.MsgInvalid, "q19": questionnaire.MsgRequired}},
		{"unknown instrument", "faam", answers("1"),
			map[string]string{questionnaire.FormErrorKey: "This questionnaire is not known."}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			js, s, errs := questionnaire.Parse(tt.inst, tt.values)
			if js != nil || s != (tendo.Score{}) {
				t.Errorf("got JSON %s and score %v with errors; want nil and zero", js, s.Value)
			}
			if !maps.Equal(errs, tt.want) {
				t.Errorf("errs = %q\nwant   %q", errs, tt.want)
			}
		})
	}
}

// TestParse_EveryChoice submits every choice of every item (the rest of
// the form answered with each item's first choice) and checks that each is
// accepted and changes the score by its points.
func TestParse_EveryChoice(t *testing.T) {
	t.Parallel()
	for _, inst := range instruments {
		t.Run(string(inst), func(t *testing.T) {
			t.Parallel()
			f, _ := questionnaire.For(inst)
			base := url.Values{}
			for _, it := range f.Items {
				base.Set(it.Key, it.Choices[0].FormValue())
			}
			_, s0, errs := questionnaire.Parse(inst, base)
			if len(errs) > 0 {
				t.Fatalf("base: %v", errs)
			}
			for _, it := range f.Items {
				for _, c := range it.Choices {
					if c.Skip {
						continue
					}
					_, s, errs := questionnaire.Parse(inst, with(base, it.Key, c.FormValue()))
					if len(errs) > 0 {
						t.Fatalf("%s=%s: %v", it.Key, c.FormValue(), errs)
					}
					// ODI: 10 sections answered, percent = sum × 2.
					want := s0.Value + float64(c.Value-it.Choices[0].Value)
					if inst == tendo.InstrumentODI {
						want = s0.Value + 2*float64(c.Value-it.Choices[0].Value)
					}
					if math.Abs(s.Value-want) > 1e-9 {
						t.Errorf("%s=%s: score %v, want %v", it.Key, c.FormValue(), s.Value, want)
					}
				}
			}
		})
	}
}

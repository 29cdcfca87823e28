package questionnaire_test

import (
	"net/url"
	"strings"
	"testing"

	"github.com/tendo-health/tendo"
	"github.com/tendo-health/tendo/questionnaire"
)

// TestAnswersRoundTrip fills each form with the last answer of every item,
// parses it and reads the stored answers back, item by item.
func TestAnswersRoundTrip(t *testing.T) {
	t.Parallel()
	for _, inst := range []tendo.Instrument{tendo.InstrumentVISAA, tendo.InstrumentODI, tendo.InstrumentNPRS, tendo.InstrumentLEFS} {
		t.Run(string(inst), func(t *testing.T) {
			t.Parallel()
			f, _ := questionnaire.For(inst)
			vals := url.Values{}
			var want []string
			for _, it := range f.Items {
				c := it.Choices[len(it.Choices)-1]
				if c.Skip {
					c = it.Choices[len(it.Choices)-2]
				}
				vals.Set(it.Key, c.FormValue())
				want = append(want, c.Label)
			}
			doc, _, errs := questionnaire.Parse(inst, vals)
			if len(errs) > 0 {
				t.Fatalf("parse: %v", errs)
			}
			got, err := questionnaire.Answers(inst, doc)
			if err != nil {
				t.Fatalf("answers of %s: %v", doc, err)
			}
			if len(got) != len(f.Items) {
				t.Fatalf("%d answers, want %d", len(got), len(f.Items))
			}
			for n, a := range got {
				if a.Number != n+1 || a.Text != f.Items[n].Text || !strings.Contains(a.Answer, want[n]) || a.Points == nil {
					t.Errorf("answer %d: %+v, want item %q answered %q", n+1, a, f.Items[n].Text, want[n])
				}
			}
		})
	}
}

func TestAnswersDetails(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name   string
		inst   tendo.Instrument
		doc    string
		item   int // 0-based
		answer string
	}{
		{"a VISA-A scale shows its anchors", tendo.InstrumentVISAA, `{"answers":[3,10,10,10,10,10,10,{"branch":"B","points":14}]}`, 0,
			"3 (0 = 100 minutes or longer, 10 = Not stiff at all)"},
		{"VISA-A item 8 shows its statement", tendo.InstrumentVISAA, `{"answers":[3,10,10,10,10,10,10,{"branch":"B","points":14}]}`, 7,
			"B. It hurts while I do it, but I can finish. I can keep going for:"},
		{"an ODI section left blank", tendo.InstrumentODI, `{"answers":[0,1,2,3,4,5,0,null,1,2]}`, 7, "Not answered"},
		{"NPRS", tendo.InstrumentNPRS, `6`, 0, "6 (0 = "},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, err := questionnaire.Answers(tc.inst, []byte(tc.doc))
			if err != nil {
				t.Fatal(err)
			}
			if !strings.HasPrefix(got[tc.item].Answer, tc.answer) {
				t.Errorf("item %d: %q, want it to start %q", tc.item+1, got[tc.item].Answer, tc.answer)
			}
		})
	}
}

func TestAnswersInvalid(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		inst tendo.Instrument
		doc  string
	}{
		{"unknown instrument", "sf36", `{}`},
		{"not JSON", tendo.InstrumentLEFS, `{`},
		{"too few items", tendo.InstrumentLEFS, `{"answers":[1,2]}`},
		{"points no answer has", tendo.InstrumentODI, `{"answers":[0,1,2,3,4,9,0,1,1,2]}`},
		{"a required item blank", tendo.InstrumentVISAA, `{"answers":[]}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if got, err := questionnaire.Answers(tc.inst, []byte(tc.doc)); err == nil {
				t.Errorf("answers %+v, want an error", got)
			}
		})
	}
}

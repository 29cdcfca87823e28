package questionnaire_test

import (
	"encoding/json"
	"net/url"
	"testing"

	"github.com/tendo-health/tendo"
	"github.com/tendo-health/tendo/questionnaire"
)

// FuzzParse builds form values from the fuzz input and checks that Parse
// never panics, that it either fails with messages or succeeds with a
// score in range, and that a success round-trips: its JSON decodes to a
// structure that scores the same.
//
// The values come from two sources, so the fuzzer reaches both hostile
// input and deep, nearly valid forms: raw is parsed as a query string, and
// then each byte of picks sets one item of the form: to one of its choices,
// to nothing, to a repeated value or to a junk string.
func FuzzParse(f *testing.F) {
	f.Add(uint8(0), "q1=6&q2=5&q3=7&q4=6&q5=4&q6=5&q7=7&q8=B%3A10", []byte(nil))
	f.Add(uint8(1), "q1=3&q2=1&q3=3&q4=2&q5=3&q6=2&q7=2&q9=2&q10=3", []byte(nil))
	f.Add(uint8(1), "q8=skip", []byte{1, 2, 3, 4, 5, 6, 7, 8, 9, 10})
	f.Add(uint8(2), "q1=7", []byte(nil))
	f.Add(uint8(3), "", []byte{0, 8, 16, 24, 32, 40, 48, 56, 64, 72, 80, 88, 96, 104, 112, 120, 128, 136, 144, 152})
	f.Add(uint8(4), "q1=%FF%00&q1=1", []byte{255, 254, 253})
	f.Add(uint8(0), "q8=C%3A30&q7=5", []byte{7, 15, 23})

	f.Fuzz(func(t *testing.T, which uint8, raw string, picks []byte) {
		inst := tendo.Instrument("unknown")
		if int(which)%5 < len(instruments) {
			inst = instruments[int(which)%5]
		}
		values, _ := url.ParseQuery(raw) // keeps what parsed
		if values == nil {
			values = url.Values{}
		}
		if form, ok := questionnaire.For(inst); ok {
			for n, p := range picks {
				if n >= len(form.Items) {
					break
				}
				it := form.Items[n]
				switch p % 8 {
				case 0:
					values.Del(it.Key)
				case 1:
					values[it.Key] = []string{"1", "1"}
				case 2:
					values.Set(it.Key, string(picks))
				default:
					values.Set(it.Key, it.Choices[int(p/8)%len(it.Choices)].FormValue())
				}
			}
		}

		js, s, errs := questionnaire.Parse(inst, values)
		if len(errs) > 0 {
			if js != nil || s != (tendo.Score{}) {
				t.Fatalf("errors %v came with JSON %q and score %v", errs, js, s.Value)
			}
			for k, msg := range errs {
				if msg == "" {
					t.Fatalf("empty message for %q", k)
				}
			}
			return
		}
		if !json.Valid(js) {
			t.Fatalf("invalid JSON %q", js)
		}
		if s.Value < 0 || s.Value > s.Max || s.Measure != string(inst) {
			t.Fatalf("score %v of %q out of range 0–%v", s.Value, s.Measure, s.Max)
		}
		if again := rescore(t, inst, js); again.Value != s.Value {
			t.Fatalf("JSON %s scores %v, parse scored %v", js, again.Value, s.Value)
		}
	})
}

package questionnaire_test

import (
	"regexp"
	"slices"
	"testing"

	"github.com/tendo-health/tendo"
	"github.com/tendo-health/tendo/questionnaire"
)

var instruments = []tendo.Instrument{
	tendo.InstrumentVISAA, tendo.InstrumentODI, tendo.InstrumentNPRS, tendo.InstrumentLEFS,
}

// TestFor_UniqueKeys checks every form's field names and, within each
// item, its form values.
func TestFor_UniqueKeys(t *testing.T) {
	t.Parallel()
	keyRE := regexp.MustCompile(`^q[1-9][0-9]?$`)
	for _, inst := range instruments {
		t.Run(string(inst), func(t *testing.T) {
			t.Parallel()
			f, ok := questionnaire.For(inst)
			if !ok {
				t.Fatal("no form")
			}
			if f.Instrument != inst || f.Title == "" || f.Intro == "" || f.Name == "" || f.Note == "" {
				t.Errorf("form header incomplete: %+v", f)
			}
			keys := map[string]bool{}
			for _, it := range f.Items {
				if !keyRE.MatchString(it.Key) {
					t.Errorf("key %q is not a plain field name", it.Key)
				}
				if keys[it.Key] {
					t.Errorf("key %q used twice", it.Key)
				}
				keys[it.Key] = true
				if it.Text == "" || len(it.Choices) == 0 {
					t.Errorf("%s: no text or no choices", it.Key)
				}
				if (it.Low == "") != (it.High == "") {
					t.Errorf("%s: a scale needs both anchors", it.Key)
				}
				values := map[string]bool{}
				for _, c := range it.Choices {
					if c.Label == "" {
						t.Errorf("%s: choice %q has no label", it.Key, c.FormValue())
					}
					if values[c.FormValue()] {
						t.Errorf("%s: form value %q used twice", it.Key, c.FormValue())
					}
					values[c.FormValue()] = true
					if c.Group != "" && !slices.ContainsFunc(it.Groups, func(g questionnaire.Group) bool { return g.Key == c.Group }) {
						t.Errorf("%s: choice %q names unknown group %q", it.Key, c.FormValue(), c.Group)
					}
					if c.Skip && !it.Optional {
						t.Errorf("%s: a required item offers a skip", it.Key)
					}
				}
			}
		})
	}
}

// TestFor_Structure checks each form against the published scoring.
func TestFor_Structure(t *testing.T) {
	t.Parallel()
	values := func(cs []questionnaire.Choice) []int {
		var out []int
		for _, c := range cs {
			if !c.Skip {
				out = append(out, c.Value)
			}
		}
		return out
	}
	seq := func(n int) []int {
		out := make([]int, n+1)
		for i := range out {
			out[i] = i
		}
		return out
	}

	t.Run("VISA-A", func(t *testing.T) {
		t.Parallel()
		f, _ := questionnaire.For(tendo.InstrumentVISAA)
		if len(f.Items) != tendo.VISAAItems {
			t.Fatalf("%d items, want %d", len(f.Items), tendo.VISAAItems)
		}
		for _, it := range f.Items[:6] {
			if !it.Scale() || !slices.Equal(values(it.Choices), seq(10)) {
				t.Errorf("%s: want a 0–10 scale, got %v", it.Key, values(it.Choices))
			}
		}
		if got := values(f.Items[6].Choices); !slices.Equal(got, tendo.VISAAItem7Points()) {
			t.Errorf("q7 = %v, want %v", got, tendo.VISAAItem7Points())
		}
		q8 := f.Items[7]
		if len(q8.Groups) != 3 {
			t.Fatalf("q8 has %d groups, want 3", len(q8.Groups))
		}
		for _, b := range tendo.VISAABranchValues() {
			if got, want := values(q8.ChoicesIn(string(b))), tendo.VISAAItem8Points(b); !slices.Equal(got, want) {
				t.Errorf("q8 branch %s = %v, want %v", b, got, want)
			}
		}
		if n := len(q8.ChoicesIn("")); n != 0 {
			t.Errorf("q8 has %d ungrouped choices", n)
		}
	})
	t.Run("ODI", func(t *testing.T) {
		t.Parallel()
		f, _ := questionnaire.For(tendo.InstrumentODI)
		if len(f.Items) != tendo.ODISections || f.MaxMissing != tendo.ODIMaxMissing {
			t.Fatalf("%d sections, MaxMissing %d", len(f.Items), f.MaxMissing)
		}
		for i, it := range f.Items {
			if !it.Optional || it.Title == "" || !slices.Equal(values(it.Choices), seq(5)) {
				t.Errorf("%s: Optional %v, title %q, values %v", it.Key, it.Optional, it.Title, values(it.Choices))
			}
			skips := len(it.Choices) - len(values(it.Choices))
			if want := map[bool]int{true: 1, false: 0}[i == 7]; skips != want {
				t.Errorf("%s: %d skip choices, want %d", it.Key, skips, want)
			}
		}
	})
	t.Run("NPRS", func(t *testing.T) {
		t.Parallel()
		f, _ := questionnaire.For(tendo.InstrumentNPRS)
		if len(f.Items) != 1 || !f.Items[0].Scale() || !slices.Equal(values(f.Items[0].Choices), seq(10)) {
			t.Errorf("want one 0–10 scale, got %+v", f.Items)
		}
	})
	t.Run("LEFS", func(t *testing.T) {
		t.Parallel()
		f, _ := questionnaire.For(tendo.InstrumentLEFS)
		if len(f.Items) != tendo.LEFSItems {
			t.Fatalf("%d items, want %d", len(f.Items), tendo.LEFSItems)
		}
		for _, it := range f.Items {
			if it.Optional || !slices.Equal(values(it.Choices), seq(4)) {
				t.Errorf("%s: Optional %v, values %v", it.Key, it.Optional, values(it.Choices))
			}
		}
	})
}

// TestFor_Copies checks that a caller changing a form does not change
// the next one, nor parsing.
func TestFor_Copies(t *testing.T) {
	t.Parallel()
	f, _ := questionnaire.For(tendo.InstrumentVISAA)
	f.Items[0].Key = "changed"
	f.Items[7].Choices[0].Value = 99
	f.Items[7].Groups[0].Text = "changed"
	g, _ := questionnaire.For(tendo.InstrumentVISAA)
	if g.Items[0].Key != "q1" || g.Items[7].Choices[0].Value != 0 || g.Items[7].Groups[0].Text == "changed" {
		t.Error("a change to one form showed in the next")
	}
	if _, _, errs := questionnaire.Parse(tendo.InstrumentVISAA, visaA50); len(errs) > 0 {
		t.Errorf("parse after change: %v", errs)
	}
}

func TestFor_Unknown(t *testing.T) {
	t.Parallel()
	for _, inst := range []tendo.Instrument{"", "faam", "VISAA"} {
		if f, ok := questionnaire.For(inst); ok || f != nil {
			t.Errorf("For(%q) = %v, %v; want nil, false", inst, f, ok)
		}
	}
}

func TestChoice_FormValue(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		c    questionnaire.Choice
		want string
	}{
		{"points", questionnaire.Choice{Value: 7}, "7"},
		{"zero", questionnaire.Choice{}, "0"},
		{"grouped", questionnaire.Choice{Value: 10, Group: "B"}, "B:10"},
		{"skip", questionnaire.Choice{Skip: true, Value: 3}, "skip"},
	}
	for _, tt := range tests {
		if got := tt.c.FormValue(); got != tt.want {
			t.Errorf("%s: FormValue = %q, want %q", tt.name, got, tt.want)
		}
	}
}

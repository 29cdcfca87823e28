package web

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tendo-health/tendo"
	"github.com/tendo-health/tendo/intake"
	"github.com/tendo-health/tendo/internal/shared"
)

// TestStoredFormValuesRoundTrip: the amend form prefilled from each
// shared case, submitted unchanged, gives the case back: every value the
// form holds survives (issue 10: records).
func TestStoredFormValuesRoundTrip(t *testing.T) {
	t.Parallel()
	s := &Server{form: buildForm()}
	s.keys = errorKeys(s.form)
	files, err := filepath.Glob(shared.Path(t, "cases", "*.json"))
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, f := range files {
		if filepath.Base(f) == "expected.json" {
			continue
		}
		t.Run(strings.TrimSuffix(filepath.Base(f), ".json"), func(t *testing.T) {
			t.Parallel()
			b, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			a, err := intake.ParseJSON(b)
			if err != nil {
				t.Fatal(err)
			}
			a.ID, a.Patient.ID = "", ""
			input, err := intake.Marshal(a)
			if err != nil {
				t.Fatal(err)
			}
			// The stored visit's scores, as CreateVisit keeps them.
			st := tendo.StoredAssessment{Input: input}
			scores, err := a.PROMs.Scores()
			if err != nil {
				t.Fatal(err)
			}
			rounded := map[string]float64{}
			for _, sc := range scores {
				v := sc.Rounded
				rounded[sc.Measure] = v
				switch sc.Measure {
				case tendo.MeasureVISAA:
					st.VISAA = &v
				case tendo.MeasureODI:
					st.ODI = &v
				case tendo.MeasureNPRS:
					st.NPRS = &v
				case tendo.MeasureLEFS:
					st.LEFS = &v
				}
			}
			vals, err := storedFormValues(s.form, st)
			if err != nil {
				t.Fatal(err)
			}
			again, _, errs := s.parseAssessmentForm(vals, tendo.PatientRecord{ID: 1, Name: "P"})
			if errs != nil {
				t.Fatalf("the prefilled form is refused: %v", errs)
			}
			again.ID = ""
			got, err := intake.Marshal(again)
			if err != nil {
				t.Fatal(err)
			}
			if got, want := withScores(t, got, nil), withScores(t, input, rounded); string(got) != string(want) {
				t.Errorf("round trip through the amend form:\n got %s\nwant %s", got, want)
			}
		})
		n++
	}
	if n < 5 {
		t.Fatalf("only %d cases", n)
	}
}

// withScores is the document, keys in order, with each questionnaire
// that was given by its answers given by its stored score instead: the
// form takes scores and leaves the answers to the patient's links.
func withScores(t *testing.T, doc []byte, rounded map[string]float64) []byte {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(doc, &m); err != nil {
		t.Fatal(err)
	}
	if proms, ok := m["proms"].(map[string]any); ok {
		for measure, key := range map[string]string{tendo.MeasureVISAA: "score", tendo.MeasureODI: "percent", tendo.MeasureLEFS: "score"} {
			if inst, ok := proms[measure].(map[string]any); ok {
				if _, given := inst[key]; !given {
					proms[measure] = map[string]any{key: rounded[measure]}
				}
			}
		}
	}
	out, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

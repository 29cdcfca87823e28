package intake_test

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/tendo-health/tendo/intake"
)

// Parse reads YAML (or JSON) and reports every problem at once, each with
// its field path and line.
func ExampleParse() {
	doc := `schema: tendo/assessment/v1
id: example
patient:
  ageYears: 7
history:
  diabetes: yes
exam:
  slupm: positive
  arcSign: maybe
proms:
  visaA:
    answers: [6, 5, 7, 6, 4, 5, 7, {branch: B, points: 6}]
`
	_, err := intake.Parse([]byte(doc))
	var es intake.Errors
	if errors.As(err, &es) {
		for _, e := range es {
			fmt.Printf("example.yaml:%d: %v\n", e.Line, e)
		}
	}
	// Output:
	// example.yaml:4: patient.ageYears: 7 is out of range; allowed 10–110
	// example.yaml:6: history.diabetes: "yes" must be true or false
	// example.yaml:8: exam.slupm: unknown field; did you mean exam.slump?
	// example.yaml:9: exam.arcSign: "maybe" is not allowed; allowed positive, negative, equivocal
	// example.yaml:12: proms.visaA.answers[7].points: 6 is not allowed for branch B; allowed 0, 4, 10, 14, 20
}

// A parsed assessment is ready to score.
func ExampleParse_scores() {
	a, err := intake.Parse([]byte(`{
	  "schema": "tendo/assessment/v1",
	  "id": "s1-mimic",
	  "proms": {"odi": {"answers": [3, 1, 3, 2, 3, 2, 2, null, 2, 3]}, "nprs": 6}
	}`))
	if err != nil {
		fmt.Println(err)
		return
	}
	scores, err := a.PROMs.Scores()
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, s := range scores {
		fmt.Printf("%s %v (%s)\n", s.Name, s.Rounded, s.Band)
	}
	// Output:
	// ODI 46.7 (severe disability)
	// NPRS 6 (moderate)
}

// NewLineReader reads one assessment per line; a bad line does not stop
// the batch.
func ExampleNewLineReader() {
	input := `{"schema": "tendo/assessment/v1", "id": "a"}
{"schema": "tendo/assessment/v1", "id": "b", "side": "up"}
{"schema": "tendo/assessment/v1", "id": "c"}
`
	lr := intake.NewLineReader(strings.NewReader(input))
	for {
		line, a, err := lr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			fmt.Printf("line %d: %v\n", line, err)
			continue
		}
		fmt.Printf("line %d: %s\n", line, a.ID)
	}
	// Output:
	// line 1: a
	// line 2: side: "up" is not allowed; allowed left, right, bilateral
	// line 3: c
}

// Fields lists the contract, for documentation and forms.
func ExampleFields() {
	for _, f := range intake.Fields() {
		if strings.HasPrefix(f.Path, "exam.heelRaiseReps") {
			fmt.Printf("%s %s %v–%v\n", f.Path, f.Type, deref(f.Min), deref(f.Max))
		}
	}
	// Output:
	// exam.heelRaiseReps object <nil>–<nil>
	// exam.heelRaiseReps.affected integer 0–200
	// exam.heelRaiseReps.unaffected integer 0–200
}

func deref(p *float64) any {
	if p == nil {
		return nil
	}
	return *p
}

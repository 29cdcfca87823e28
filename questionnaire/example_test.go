package questionnaire_test

import (
	"fmt"
	"net/url"

	"github.com/tendo-health/tendo"
	"github.com/tendo-health/tendo/questionnaire"
)

func ExampleParse() {
	// As a browser posts the VISA-A form: item 8 is one radio group whose
	// value names the branch and the points.
	form := url.Values{
		"q1": {"6"}, "q2": {"5"}, "q3": {"7"}, "q4": {"6"},
		"q5": {"4"}, "q6": {"5"}, "q7": {"7"}, "q8": {"B:10"},
	}
	answers, score, errs := questionnaire.Parse(tendo.InstrumentVISAA, form)
	fmt.Println(string(answers), score.Value, score.Band, len(errs))

	form.Set("q8", "C:30") // 30 points belong to branch A
	_, _, errs = questionnaire.Parse(tendo.InstrumentVISAA, form)
	fmt.Println(errs)
	// Output:
	// {"answers":[6,5,7,6,4,5,7,{"branch":"B","points":10}]} 50 moderate 0
	// map[q8:Please choose one of the answers shown.]
}

func ExampleItem_ChoicesIn() {
	f, _ := questionnaire.For(tendo.InstrumentVISAA)
	q8 := f.Items[7]
	for _, g := range q8.Groups {
		fmt.Println(g.Text)
		for _, c := range q8.ChoicesIn(g.Key) {
			fmt.Printf("  <input type=radio name=%s value=%s> %s\n", q8.Key, c.FormValue(), c.Label)
		}
	}
	// Output:
	// A. It does not hurt while I do it. I can keep going for:
	//   <input type=radio name=q8 value=A:0> Not at all
	//   <input type=radio name=q8 value=A:7> 1 to 10 minutes
	//   <input type=radio name=q8 value=A:14> 11 to 20 minutes
	//   <input type=radio name=q8 value=A:21> 21 to 30 minutes
	//   <input type=radio name=q8 value=A:30> More than 30 minutes
	// B. It hurts while I do it, but I can finish. I can keep going for:
	//   <input type=radio name=q8 value=B:0> Not at all
	//   <input type=radio name=q8 value=B:4> 1 to 10 minutes
	//   <input type=radio name=q8 value=B:10> 11 to 20 minutes
	//   <input type=radio name=q8 value=B:14> 21 to 30 minutes
	//   <input type=radio name=q8 value=B:20> More than 30 minutes
	// C. It hurts so much that I have to stop. I can keep going for:
	//   <input type=radio name=q8 value=C:0> Not at all
	//   <input type=radio name=q8 value=C:2> 1 to 10 minutes
	//   <input type=radio name=q8 value=C:5> 11 to 20 minutes
	//   <input type=radio name=q8 value=C:7> 21 to 30 minutes
	//   <input type=radio name=q8 value=C:10> More than 30 minutes
}

package tendo_test

import (
	"encoding/json"
	"math"
	"regexp"
	"slices"
	"testing"

	"github.com/tendo-health/tendo"
	"github.com/tendo-health/tendo/internal/deptest"
)

// TestAssessmentImportsOnlyStdlib keeps the domain root free of adapters
// and third-party code.
func TestAssessmentImportsOnlyStdlib(t *testing.T) {
	t.Parallel()
	deptest.Check(t, deptest.Module)
}

// enumCase checks one enumeration type through its values function.
type enumCase struct {
	name   string
	values []string
	want   []string
	valid  func(string) bool
}

func enumOf[T interface {
	~string
	Valid() bool
}](name string, values []T, want ...string) enumCase {
	s := make([]string, len(values))
	for i, v := range values {
		s[i] = string(v)
	}
	return enumCase{name: name, values: s, want: want, valid: func(v string) bool { return T(v).Valid() }}
}

func TestEnumerations(t *testing.T) {
	t.Parallel()
	tests := []enumCase{
		enumOf("Side", tendo.SideValues(), "left", "right", "bilateral"),
		enumOf("Sex", tendo.SexValues(), "female", "male", "other", "unknown"),
		enumOf("ActivityLevel", tendo.ActivityLevelValues(), "sedentary", "recreational", "competitive"),
		enumOf("Onset", tendo.OnsetValues(), "gradual", "sudden"),
		enumOf("PainSite", tendo.PainSiteValues(), "midportion", "insertion", "calf", "diffuse", "plantar-heel"),
		enumOf("Paresthesia", tendo.ParesthesiaValues(), "none", "lateral-foot", "sole", "other"),
		enumOf("Tenderness", tendo.TendernessValues(), "none", "midportion", "insertion", "calf"),
		enumOf("TestResult", tendo.TestResultValues(), "positive", "negative", "equivocal"),
		enumOf("DichotomousResult", tendo.DichotomousResultValues(), "positive", "negative"),
		enumOf("SqueezeResult", tendo.SqueezeResultValues(), "normal", "abnormal"),
		enumOf("ReflexGrade", tendo.ReflexGradeValues(), "normal", "reduced", "absent"),
		enumOf("FootPosture", tendo.FootPostureValues(), "pronated", "neutral", "supinated"),
		enumOf("GaitSource", tendo.GaitSourceValues(), "observed", "instrumented"),
		enumOf("VISAABranch", tendo.VISAABranchValues(), "A", "B", "C"),
	}
	kebab := regexp.MustCompile(`^[a-z]+(-[a-z]+)*$`)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if !slices.Equal(tt.values, tt.want) {
				t.Errorf("values = %v, want %v", tt.values, tt.want)
			}
			for _, v := range tt.values {
				if !tt.valid(v) {
					t.Errorf("%q is not Valid", v)
				}
				if tt.name != "VISAABranch" && !kebab.MatchString(v) {
					t.Errorf("%q is not lower-case kebab-case", v)
				}
			}
			for _, v := range []string{"", "maybe", "Positive", " left", "lateral_foot"} {
				if tt.valid(v) {
					t.Errorf("%q is Valid", v)
				}
			}
		})
	}
}

func TestDichotomousResultHasNoEquivocal(t *testing.T) {
	t.Parallel()
	if tendo.DichotomousResult("equivocal").Valid() {
		t.Error("equivocal is a valid DichotomousResult")
	}
	if got := tendo.DichotomousPositive.TestResult(); got != tendo.Positive {
		t.Errorf("TestResult() = %q, want %q", got, tendo.Positive)
	}
}

func ptr[T any](v T) *T { return &v }

func TestBMI(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		height *float64
		weight *float64
		want   float64
		ok     bool
	}{
		{"both present", ptr(180.0), ptr(81.0), 25, true},
		{"mixed-kinetic-chain", ptr(176.0), ptr(82.0), 82 / (1.76 * 1.76), true},
		{"no height", nil, ptr(70.0), 0, false},
		{"no weight", ptr(170.0), nil, 0, false},
		{"neither", nil, nil, 0, false},
		{"zero height", ptr(0.0), ptr(70.0), 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			a := &tendo.Assessment{Patient: tendo.Patient{HeightCm: tt.height, WeightKg: tt.weight}}
			got, ok := a.BMI()
			if ok != tt.ok || math.Abs(got-tt.want) > 1e-12 {
				t.Errorf("BMI() = %v, %v; want %v, %v", got, ok, tt.want, tt.ok)
			}
		})
	}
	var nilA *tendo.Assessment
	if _, ok := nilA.BMI(); ok {
		t.Error("BMI of a nil assessment reports ok")
	}
}

func TestVISAAAnswerJSON(t *testing.T) {
	t.Parallel()
	v := tendo.VISAA{Answers: []tendo.VISAAAnswer{
		{Points: 6}, {Points: 5}, {Points: 7}, {Points: 6}, {Points: 4}, {Points: 5}, {Points: 7},
		{Item8: &tendo.VISAAItem8{Branch: tendo.VISAABranchB, Points: 10}},
	}}
	data, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := string(data), `{"answers":[6,5,7,6,4,5,7,{"branch":"B","points":10}]}`; got != want {
		t.Errorf("Marshal = %s, want %s", got, want)
	}
	var back tendo.VISAA
	if err := json.Unmarshal(data, &back); err != nil {
		t.Fatal(err)
	}
	if back.Answers[7].Item8 == nil || *back.Answers[7].Item8 != *v.Answers[7].Item8 || back.Answers[2].Points != 7 {
		t.Errorf("Unmarshal = %+v", back)
	}
	if err := json.Unmarshal([]byte(`{"answers":["x"]}`), &back); err == nil {
		t.Error("Unmarshal accepted a string answer")
	}
}

func TestAssessmentJSONOmitsAbsent(t *testing.T) {
	t.Parallel()
	data, err := json.Marshal(tendo.Assessment{Schema: tendo.SchemaV1, Exam: tendo.Exam{PalpableGap: ptr(false)}})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := string(data), `{"schema":"tendo/assessment/v1","exam":{"palpableGap":false}}`; got != want {
		t.Errorf("Marshal = %s, want %s", got, want)
	}
}

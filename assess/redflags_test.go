package assess_test

import (
	"sync"
	"testing"

	"github.com/tendo-health/tendo"
)

func ptr[T any](v T) *T { return &v }

// TestRedFlagRules checks each rule on its trigger and on near misses.
func TestRedFlagRules(t *testing.T) {
	t.Parallel()
	e := mustEngine(t)
	tests := []struct {
		name string
		edit func(a *tendo.Assessment)
		code string // "" when no flag may fire
		cls  tendo.Classification
	}{
		{"saddle anaesthesia", func(a *tendo.Assessment) { a.History.SaddleAnesthesia = ptr(true) }, "cauda-equina-syndrome", tendo.UrgentReferral},
		{"bladder dysfunction", func(a *tendo.Assessment) { a.History.BladderOrBowelDysfunction = ptr(true) }, "cauda-equina-syndrome", tendo.UrgentReferral},
		{"bilateral leg symptoms", func(a *tendo.Assessment) { a.History.BilateralLegSymptoms = ptr(true) }, "cauda-equina-syndrome", tendo.UrgentReferral},
		{"two Wells criteria", func(a *tendo.Assessment) {
			a.Exam.CalfSwellingWarmthOrRedness = ptr(true)
			a.Exam.CalfCircumferenceDifferenceCm = ptr(3.5)
		}, "suspected-dvt", tendo.UrgentReferral},
		{"one Wells criterion only", func(a *tendo.Assessment) { a.Exam.PittingEdema = ptr(true) }, "", tendo.LocalTendinopathy},
		{"circumference under 3 cm", func(a *tendo.Assessment) {
			a.Exam.CalfSwellingWarmthOrRedness = ptr(true)
			a.Exam.CalfCircumferenceDifferenceCm = ptr(2.5)
		}, "", tendo.LocalTendinopathy},
		{"abnormal calf squeeze", func(a *tendo.Assessment) { a.Exam.CalfSqueezeTest = ptr(tendo.SqueezeAbnormal) }, "suspected-achilles-rupture", tendo.UrgentReferral},
		{"palpable gap", func(a *tendo.Assessment) { a.Exam.PalpableGap = ptr(true) }, "suspected-achilles-rupture", tendo.UrgentReferral},
		{"sudden pop with no heel raise", func(a *tendo.Assessment) {
			a.History.Onset = ptr(tendo.OnsetSudden)
			a.History.PopOrKickSensation = ptr(true)
			a.Exam.HeelRaiseReps = &tendo.HeelRaiseReps{Affected: ptr(0), Unaffected: ptr(20)}
		}, "suspected-achilles-rupture", tendo.UrgentReferral},
		{"sudden pop with push-off kept", func(a *tendo.Assessment) {
			a.History.Onset = ptr(tendo.OnsetSudden)
			a.History.PopOrKickSensation = ptr(true)
		}, "", ""},
		{"progressive weakness", func(a *tendo.Assessment) { a.History.ProgressiveWeakness = ptr(true) }, "progressive-neurological-deficit", tendo.UrgentReferral},
		{"MRC 3 with a positive slump", func(a *tendo.Assessment) {
			a.Exam.PlantarflexionStrengthMRC = ptr(3)
			a.Exam.Slump = ptr(tendo.Positive)
		}, "progressive-neurological-deficit", tendo.UrgentReferral},
		{"cancer with back pain", func(a *tendo.Assessment) {
			a.History.HistoryOfCancer = ptr(true)
			a.History.LowBackPain = ptr(true)
		}, "serious-spinal-pathology", tendo.UrgentReferral},
		{"fever without back or leg pain", func(a *tendo.Assessment) { a.History.Fever = ptr(true) }, "", tendo.LocalTendinopathy},
		{"heel squeeze after a load rise", func(a *tendo.Assessment) { a.Exam.HeelSqueezePain = ptr(true) }, "calcaneal-stress-fracture", tendo.UrgentReferral},
		{"long morning stiffness", func(a *tendo.Assessment) { a.History.MorningStiffnessMinutes = ptr(45.0) }, "inflammatory-enthesitis", tendo.LocalTendinopathy},
		{"fluoroquinolone", func(a *tendo.Assessment) { a.History.FluoroquinoloneLast6Months = ptr(true) }, "fluoroquinolone-tendon-risk", tendo.LocalTendinopathy},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			a := loadCase(t, "runner-midportion") // trainingLoadIncrease is true
			tt.edit(a)
			res, err := e.Assess(a)
			if err != nil {
				t.Fatal(err)
			}
			codes := map[string]bool{}
			for _, f := range res.RedFlags {
				codes[f.Code] = true
				if f.Reason == "" || f.Action == "" || f.Source == "" {
					t.Errorf("%s lacks a reason, action or source", f.Code)
				}
			}
			if tt.code == "" && len(res.RedFlags) > 0 {
				t.Errorf("flags %v fired", res.RedFlags)
			}
			if tt.code != "" && !codes[tt.code] {
				t.Errorf("%s did not fire (got %v)", tt.code, res.RedFlags)
			}
			if tt.cls != "" && res.Classification != tt.cls {
				t.Errorf("classification %s, want %s", res.Classification, tt.cls)
			}
		})
	}
}

// TestConcurrentAssess runs assessments from many goroutines on one
// engine and checks they agree with a sequential run (run with -race).
func TestConcurrentAssess(t *testing.T) {
	t.Parallel()
	e := mustEngine(t)
	names := []string{"runner-midportion", "s1-mimic", "mixed-kinetic-chain", "insertional-older", "cauda-equina", "rupture-after-ciprofloxacin"}
	want := map[string]tendo.Probabilities{}
	for _, n := range names {
		res, err := e.Assess(loadCase(t, n))
		if err != nil {
			t.Fatal(err)
		}
		want[n] = res.Probabilities
	}
	var wg sync.WaitGroup
	for g := 0; g < 6; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for r := 0; r < 10; r++ {
				n := names[(g+r)%len(names)]
				res, err := e.Assess(loadCase(t, n))
				if err != nil {
					t.Error(err)
					return
				}
				if res.Probabilities != want[n] {
					t.Errorf("%s: concurrent %+v, sequential %+v", n, res.Probabilities, want[n])
					return
				}
			}
		}(g)
	}
	wg.Wait()
}

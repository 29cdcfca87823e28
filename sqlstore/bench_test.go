package sqlstore

import (
	"encoding/json"
	"fmt"
	"sync"
	"testing"

	"github.com/tendo-health/tendo"
)

// benchDocs returns an assessment input of about 3 KB and a result of
// about 23 KB, shaped like the contract's documents.
var benchDocs = sync.OnceValues(func() ([]byte, []byte) {
	type kv = map[string]any
	input := kv{
		"schema": "tendo/assessment/v1", "id": "bench-case", "date": "2031-10-09", "side": "right",
		"patient": kv{"ageYears": 45, "sex": "male", "heightCm": 176, "weightKg": 82, "activityLevel": "recreational", "runner": true},
		"history": kv{
			"onset": "gradual", "symptomWeeks": 14, "painSite": "midportion", "morningStiffness": true,
			"morningStiffnessMinutes": 20, "painWithLoading": true, "lowBackPain": true, "lowBackPainWeeks": 30,
			"legPainBelowKnee": true, "legPainWorseThanBackPain": false, "paresthesia": "none",
			"painWorseSittingOrCoughing": true, "trainingLoadIncrease": false, "footwearChange": false,
			"bladderOrBowelDysfunction": false, "saddleAnesthesia": false, "progressiveWeakness": false,
			"medications":       []string{"ibuprofen 400 mg as needed", "no fluoroquinolones in the last 6 months", "no corticosteroid injections", "vitamin D 1000 IU daily"},
			"previousTreatment": []string{"eccentric loading, 3 weeks", "heel lift, 2 weeks", "massage of the calf, 4 sessions"},
			"notes": "Pain on the first steps in the morning, easing after 20 minutes; worse after hill runs. " +
				"Low back ache since a long drive in spring, with a deep ache in the right calf when sitting. Läuft 30 km/Woche. " +
				"Tried eccentric heel drops for three weeks from an online video without improvement; stopped because of pain the next morning. " +
				"No previous Achilles injury; a right ankle sprain at 19. Works at a desk, about 9 hours a day; cycles to work (6 km). " +
				"Sleeps well; no night pain, no weight loss, no fever. Wants to run a half marathon in spring.",
		},
		"exam": kv{
			"tenderness": "midportion", "tendonThickeningOrNodule": true, "arcSign": "positive", "royalLondonTest": "equivocal",
			"calfSqueezeTest": "normal", "heelRaiseReps": kv{"affected": 9, "unaffected": 24}, "heelRaisePain": true,
			"ankleReflex": "reduced", "straightLegRaise": "positive", "straightLegRaiseDeg": 55, "slump": "positive",
			"s1SensoryDeficit": false, "plantarflexionStrengthMrc": 4, "kneeToWallCm": 9,
		},
		"gait": kv{"source": "observed", "antalgic": true, "reducedPushOff": true, "trunkLean": true},
		"proms": kv{
			"visaA": kv{"answers": []int{5, 4, 6, 3, 5, 4, 3, 0}},
			"odi":   kv{"answers": []int{2, 1, 2, 1, 3, 2, 2, 1, 1, 2}},
			"lefs":  kv{"answers": []int{3, 2, 4, 3, 2, 1, 3, 2, 4, 3, 2, 3, 4, 2, 1, 3, 2, 4, 3, 2}},
			"nprs":  5,
		},
	}
	var nodes []kv
	for i := range 94 {
		nodes = append(nodes, kv{
			"node":   fmt.Sprintf("finding_%02d_s1_or_tendon", i),
			"states": []string{"absent", "present", "uncertain"},
			"prior":  []float64{0.61234, 0.28765, 0.10001},
			"post":   []float64{0.412345678, 0.487654321, 0.1},
			"why":    "likelihood ratio from the knowledge base entry for this finding, adjusted for age",
		})
	}
	result := kv{
		"schema": "tendo/result/v1", "classification": "mixed",
		"classificationReason": "Both a midportion Achilles tendinopathy and an S1 radiculopathy are probable (posterior 0.71 and 0.64).",
		"tendinopathySite":     "midportion", "redFlags": []string{},
		"scores":     kv{"visaA": 48, "odi": 34, "nprs": 5, "lefs": 53},
		"posteriors": nodes,
		"recommendations": []string{
			"Progressive tendon loading (isometric, then heavy slow resistance) for 12 weeks.",
			"Lumbar assessment and neural mobility work; review in 6 weeks.",
			"Return to running guided by pain under 3/10 during and the morning after.",
		},
		"modelVersion": "bn-2031.10+bench",
	}
	in, err := json.MarshalIndent(input, "", "  ")
	if err != nil {
		panic(err)
	}
	out, err := json.Marshal(result)
	if err != nil {
		panic(err)
	}
	return in, out
})

// BenchmarkSaveAssessment saves assessments (3 KB input, 23 KB result) to
// a SQLite file, each a durable (fsynced) commit.
//
//	go test -run '^$' -bench SaveAssessment -benchmem ./sqlstore
func BenchmarkSaveAssessment(b *testing.B) {
	d := openSQLite(b)
	benchSave(b, d)
}

// BenchmarkSaveAssessmentParallel saves from GOMAXPROCS goroutines.
func BenchmarkSaveAssessmentParallel(b *testing.B) {
	d := openSQLite(b)
	a := benchSetup(b, d)
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, err := d.SaveAssessment(b.Context(), a); err != nil {
				b.Error(err)
				return
			}
		}
	})
}

// BenchmarkSaveAssessmentPostgres is BenchmarkSaveAssessment on Postgres.
func BenchmarkSaveAssessmentPostgres(b *testing.B) {
	d := openPostgres(b)
	benchSave(b, d)
}

func benchSetup(b *testing.B, d *DB) tendo.StoredAssessment {
	c, err := d.CreateClinic(b.Context(), "C")
	if err != nil {
		b.Fatal(err)
	}
	p, err := d.CreatePatient(b.Context(), tendo.PatientRecord{ClinicID: c.ID, Name: "P"})
	if err != nil {
		b.Fatal(err)
	}
	in, res := benchDocs()
	b.Logf("input %d bytes, result %d bytes", len(in), len(res))
	b.SetBytes(int64(len(in) + len(res)))
	b.ReportAllocs()
	visa, odi := 48.0, 34.0
	return tendo.StoredAssessment{
		PatientID: p.ID, Date: "2031-10-09", Input: in, Result: res,
		ModelVersion: "bn-2031.10+bench", Classification: tendo.Mixed, VISAA: &visa, ODI: &odi,
	}
}

func benchSave(b *testing.B, d *DB) {
	a := benchSetup(b, d)
	for b.Loop() {
		if _, err := d.SaveAssessment(b.Context(), a); err != nil {
			b.Fatal(err)
		}
	}
}

func TestBenchDocs(t *testing.T) {
	in, res := benchDocs()
	if len(in) < 2700 || len(in) > 3300 || len(res) < 21000 || len(res) > 25000 {
		t.Errorf("input %d bytes (want about 3 KB), result %d bytes (want about 23 KB)", len(in), len(res))
	}
	if !json.Valid(in) || !json.Valid(res) {
		t.Errorf("not JSON")
	}
}

package kb

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/tendo-health/tendo"
)

// TestEvidenceLabelsReadRight checks that each finding's label and value
// read right together, as the explanation shows them ("Age: 47 years",
// not "Age group: 47"; issue 10: small).
func TestEvidenceLabelsReadRight(t *testing.T) {
	t.Parallel()
	m, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	mp, err := m.NewMapping()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name      string
		doc       string // members of the assessment object
		field     string // the evidence's field
		wantLabel string
		wantValue string
	}{
		{"age in years", `"patient":{"ageYears":47}`, "patient.ageYears", "Age", "47 years"},
		{"body-mass index", `"patient":{"heightCm":180,"weightKg":81}`, "patient.heightCm", "Body-mass index", "25.0 kg/m²"},
		{"MRC grade is strength", `"exam":{"plantarflexionStrengthMrc":5}`, "exam.plantarflexionStrengthMrc", "Plantarflexion strength (MRC 0–5)", "5"},
		{"MRC grade from the neuro table", `"side":"left","exam":{"neuro":{"left":{"ankleDorsiflexionMrc":4}}}`, "exam.neuro.affected.ankleDorsiflexionMrc", "Ankle dorsiflexion strength (MRC 0–5)", "4"},
		{"great-toe extension", `"side":"right","exam":{"neuro":{"right":{"greatToeExtensionMrc":2}}}`, "exam.neuro.affected.greatToeExtensionMrc", "Great-toe extension strength (MRC 0–5)", "2"},
		{"heel raises with a deficit", `"exam":{"heelRaiseReps":{"affected":9,"unaffected":24}}`, "exam.heelRaiseReps", "Heel raises, affected of other side", "9 of 24 (38%)"},
		{"heel raises more on the affected side", `"exam":{"heelRaiseReps":{"affected":30,"unaffected":10}}`, "exam.heelRaiseReps", "Heel raises, affected of other side", "30 of 10 (300%)"},
		{"no heel raise on the affected side", `"exam":{"heelRaiseReps":{"affected":0,"unaffected":20}}`, "exam.heelRaiseReps", "Heel raises, affected of other side", "0 of 20 (0%)"},
		{"knee to wall in cm", `"exam":{"kneeToWallCm":6}`, "exam.kneeToWallCm", "Knee-to-wall distance", "6 cm"},
		{"calf difference in cm", `"exam":{"calfCircumferenceDifferenceCm":3.5}`, "exam.calfCircumferenceDifferenceCm", "Calf circumference, affected − other", "3.5 cm"},
		{"ankle-brachial index", `"exam":{"abpi":0.7}`, "exam.abpi", "Ankle–brachial index", "0.7"},
		{"tendon thickness in mm", `"imaging":{"ultrasound":{"tendonThicknessMm":{"affected":7.4}}}`, "imaging.ultrasound.tendonThicknessMm", "Tendon thickness on ultrasound", "7.4 mm"},
		{"sensation grade", `"side":"left","exam":{"neuro":{"left":{"sensation":{"lateralFoot":"reduced"}}}}`, "exam.neuro.affected.sensation.lateralFoot", "Sensation, lateral foot, symptomatic side", "reduced"},
		{"yes, not true", `"gait":{"trunkLean":true}`, "gait.trunkLean", "Lateral trunk lean", "yes"},
		{"no, not false", `"history":{"lowBackPain":false}`, "history.lowBackPain", "Low back pain", "no"},
		{"enumeration value in words", `"history":{"paresthesia":"lateral-foot"}`, "history.paresthesia", "Numbness or tingling", "lateral foot"},
		{"pain site named", `"history":{"painSite":"midportion"}`, "history.painSite", "Pain at the midportion", "yes"},
		{"pain site not named", `"history":{"painSite":"midportion"}`, "history.painSite", "Pain at the insertion", "no (midportion)"},
		{"no tenderness", `"exam":{"tenderness":"none"}`, "exam.tenderness", "Tender insertion", "no"},
		{"leg pain area group not ticked", `"history":{"legPainAreas":["sole"]}`, "history.legPainAreas", "Radiating pain in the L4 area (front of thigh, medial shin)", "no"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var a tendo.Assessment
			if err := json.Unmarshal([]byte(`{"schema":"tendo/assessment/v1",`+tt.doc+`}`), &a); err != nil {
				t.Fatal(err)
			}
			ev, _ := mp.Evidence(&a, nil)
			var got []string
			for _, e := range ev {
				if e.Field != tt.field {
					continue
				}
				if e.Label == tt.wantLabel {
					if e.Value != tt.wantValue {
						t.Errorf("%s: value %q, want %q", e.Label, e.Value, tt.wantValue)
					}
					return
				}
				got = append(got, e.Label+": "+e.Value)
			}
			t.Errorf("no evidence %q on %s; got %s", tt.wantLabel, tt.field, strings.Join(got, "; "))
		})
	}
}

// TestNumericFindingsHaveOwnLabels checks that every finding whose value is
// a number names the quantity measured, not the node's state: the node of
// patient.ageYears is an age group, so the finding's label is "Age".
func TestNumericFindingsHaveOwnLabels(t *testing.T) {
	t.Parallel()
	m, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range m.Findings {
		switch f.Kind {
		case "bins", "lsi", "bmi", "logistic":
			if f.Label == "" {
				t.Errorf("%s (kind %s): no label of its own; the node's label %q names a state, not the value", f.Field, f.Kind, m.Node(f.Node).Label)
			}
		}
	}
}

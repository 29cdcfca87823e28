package tendo

import (
	"encoding/json"
	"testing"
)

func mustAssessment(t *testing.T, doc string) *Assessment {
	t.Helper()
	var a Assessment
	if err := json.Unmarshal([]byte(`{"schema":"tendo/assessment/v1",`+doc+`}`), &a); err != nil {
		t.Fatal(err)
	}
	return &a
}

// TestDerivedValues checks the values derived from the v1.1 fields: the
// effective v1 neurological findings (the contract's mapping table), the
// affected and the other leg, and root compression, each with the path it
// was read from.
func TestDerivedValues(t *testing.T) {
	t.Parallel()
	type got struct {
		val  any
		path string
		ok   bool
	}
	tests := []struct {
		name string
		doc  string
		read func(a *Assessment) got
		want got
	}{
		{"v1 ankle reflex wins", `"side":"left","exam":{"ankleReflex":"reduced","neuro":{"left":{"ankleReflex":"reduced"}}}`,
			func(a *Assessment) got { g, p, ok := a.EffectiveAnkleReflex(); return got{g, p, ok} },
			got{ReflexReduced, "exam.ankleReflex", true}},
		{"ankle reflex from the named side", `"side":"right","exam":{"neuro":{"left":{"ankleReflex":"absent"},"right":{"ankleReflex":"normal"}}}`,
			func(a *Assessment) got { g, p, ok := a.EffectiveAnkleReflex(); return got{g, p, ok} },
			got{ReflexNormal, "exam.neuro.right.ankleReflex", true}},
		{"ankle reflex bilateral: more abnormal", `"side":"bilateral","exam":{"neuro":{"left":{"ankleReflex":"reduced"},"right":{"ankleReflex":"absent"}}}`,
			func(a *Assessment) got { g, p, ok := a.EffectiveAnkleReflex(); return got{g, p, ok} },
			got{ReflexAbsent, "exam.neuro.right.ankleReflex", true}},
		{"ankle reflex: only the other side given", `"side":"left","exam":{"neuro":{"right":{"ankleReflex":"absent"}}}`,
			func(a *Assessment) got { g, p, ok := a.EffectiveAnkleReflex(); return got{g, p, ok} },
			got{ReflexGrade(""), "", false}},
		{"ankle reflex: no side", `"exam":{"neuro":{"left":{"ankleReflex":"absent"}}}`,
			func(a *Assessment) got { g, p, ok := a.EffectiveAnkleReflex(); return got{g, p, ok} },
			got{ReflexGrade(""), "", false}},
		{"plantarflexion bilateral: the lower", `"side":"bilateral","exam":{"neuro":{"left":{"plantarflexionMrc":3},"right":{"plantarflexionMrc":5}}}`,
			func(a *Assessment) got { n, p, ok := a.EffectivePlantarflexionMRC(); return got{n, p, ok} },
			got{3, "exam.neuro.left.plantarflexionMrc", true}},
		{"plantarflexion v1", `"exam":{"plantarflexionStrengthMrc":4}`,
			func(a *Assessment) got { n, p, ok := a.EffectivePlantarflexionMRC(); return got{n, p, ok} },
			got{4, "exam.plantarflexionStrengthMrc", true}},
		{"S1 deficit from the sole", `"side":"right","exam":{"neuro":{"right":{"sensation":{"sole":"reduced","lateralFoot":"normal"}}}}`,
			func(a *Assessment) got { b, p, ok := a.EffectiveS1SensoryDeficit(); return got{b, p, ok} },
			got{true, "exam.neuro.right.sensation.sole", true}},
		{"S1 no deficit: both normal", `"side":"left","exam":{"neuro":{"left":{"sensation":{"sole":"normal","lateralFoot":"normal"}}}}`,
			func(a *Assessment) got { b, p, ok := a.EffectiveS1SensoryDeficit(); return got{b, p, ok} },
			got{false, "exam.neuro.left.sensation", true}},
		{"S1 undecided: one key normal", `"side":"left","exam":{"neuro":{"left":{"sensation":{"sole":"normal"}}}}`,
			func(a *Assessment) got { b, p, ok := a.EffectiveS1SensoryDeficit(); return got{b, p, ok} },
			got{false, "", false}},
		{"S1 bilateral: a deficit on either side", `"side":"bilateral","exam":{"neuro":{"left":{"sensation":{"sole":"normal","lateralFoot":"normal"}},"right":{"sensation":{"lateralFoot":"absent"}}}}`,
			func(a *Assessment) got { b, p, ok := a.EffectiveS1SensoryDeficit(); return got{b, p, ok} },
			got{true, "exam.neuro.right.sensation.lateralFoot", true}},
		{"S1 v1", `"exam":{"s1SensoryDeficit":false}`,
			func(a *Assessment) got { b, p, ok := a.EffectiveS1SensoryDeficit(); return got{b, p, ok} },
			got{false, "exam.s1SensoryDeficit", true}},
		{"affected knee reflex", `"side":"left","exam":{"neuro":{"left":{"kneeReflex":"reduced"},"right":{"kneeReflex":"normal"}}}`,
			func(a *Assessment) got { v, ok := a.NeuroAffected("kneeReflex"); return got{v.Grade, v.Path, ok} },
			got{ReflexReduced, "exam.neuro.left.kneeReflex", true}},
		{"other knee reflex", `"side":"left","exam":{"neuro":{"left":{"kneeReflex":"reduced"},"right":{"kneeReflex":"normal"}}}`,
			func(a *Assessment) got { v, ok := a.NeuroOther("kneeReflex"); return got{v.Grade, v.Path, ok} },
			got{ReflexNormal, "exam.neuro.right.kneeReflex", true}},
		{"bilateral other: the less abnormal", `"side":"bilateral","exam":{"neuro":{"left":{"greatToeExtensionMrc":5},"right":{"greatToeExtensionMrc":2}}}`,
			func(a *Assessment) got { v, ok := a.NeuroOther("greatToeExtensionMrc"); return got{v.MRC, v.Path, ok} },
			got{5, "exam.neuro.left.greatToeExtensionMrc", true}},
		{"bilateral affected: the more abnormal", `"side":"bilateral","exam":{"neuro":{"left":{"greatToeExtensionMrc":5},"right":{"greatToeExtensionMrc":2}}}`,
			func(a *Assessment) got {
				v, ok := a.NeuroAffected("greatToeExtensionMrc")
				return got{v.MRC, v.Path, ok}
			},
			got{2, "exam.neuro.right.greatToeExtensionMrc", true}},
		{"bilateral tie: left is affected", `"side":"bilateral","exam":{"neuro":{"left":{"halluxVibration":"reduced"},"right":{"halluxVibration":"reduced"}}}`,
			func(a *Assessment) got { v, ok := a.NeuroAffected("halluxVibration"); return got{v.Grade, v.Path, ok} },
			got{ReflexReduced, "exam.neuro.left.halluxVibration", true}},
		{"bilateral, one leg: no other", `"side":"bilateral","exam":{"neuro":{"left":{"kneeReflex":"absent"}}}`,
			func(a *Assessment) got { v, ok := a.NeuroOther("kneeReflex"); return got{v.Grade, v.Path, ok} },
			got{ReflexGrade(""), "", false}},
		{"affected sensation key", `"side":"right","exam":{"neuro":{"right":{"sensation":{"dorsalFoot":"absent"}}}}`,
			func(a *Assessment) got {
				v, ok := a.NeuroAffected("sensation.dorsalFoot")
				return got{v.Grade, v.Path, ok}
			},
			got{ReflexAbsent, "exam.neuro.right.sensation.dorsalFoot", true}},
		{"unknown neuro field", `"side":"right","exam":{"neuro":{"right":{"kneeReflex":"absent"}}}`,
			func(a *Assessment) got {
				v, ok := a.NeuroAffected("sensation.anteriorThigh")
				return got{v.Grade, v.Path, ok}
			},
			got{ReflexGrade(""), "", false}},
		{"root compressed on the symptomatic side", `"side":"left","imaging":{"lumbarMri":{"rootCompression":[{"root":"L5","side":"right"},{"root":"S1","side":"left"}]}}`,
			func(a *Assessment) got { b, p, ok := a.RootCompressed(RootS1); return got{b, p, ok} },
			got{true, "imaging.lumbarMri.rootCompression[1]", true}},
		{"root compressed on the other side only", `"side":"left","imaging":{"lumbarMri":{"rootCompression":[{"root":"S1","side":"right"}]}}`,
			func(a *Assessment) got { b, p, ok := a.RootCompressed(RootS1); return got{b, p, ok} },
			got{false, "imaging.lumbarMri.rootCompression", true}},
		{"root compressed bilaterally", `"side":"right","imaging":{"lumbarMri":{"rootCompression":[{"root":"L4","side":"bilateral"}]}}`,
			func(a *Assessment) got { b, p, ok := a.RootCompressed(RootL4); return got{b, p, ok} },
			got{true, "imaging.lumbarMri.rootCompression[0]", true}},
		{"root compression with bilateral symptoms", `"side":"bilateral","imaging":{"lumbarMri":{"rootCompression":[{"root":"L5","side":"left"}]}}`,
			func(a *Assessment) got { b, p, ok := a.RootCompressed(RootL5); return got{b, p, ok} },
			got{true, "imaging.lumbarMri.rootCompression[0]", true}},
		{"no root compression", `"side":"left","imaging":{"lumbarMri":{"rootCompression":[]}}`,
			func(a *Assessment) got { b, p, ok := a.RootCompressed(RootS1); return got{b, p, ok} },
			got{false, "imaging.lumbarMri.rootCompression", true}},
		{"lumbar MRI not given", `"side":"left"`,
			func(a *Assessment) got { b, p, ok := a.RootCompressed(RootS1); return got{b, p, ok} },
			got{false, "", false}},
		{"area listed", `"history":{"legPainAreas":["sole"]}`,
			func(a *Assessment) got {
				in, ok := AreaListed(a.History.LegPainAreas, AreaSole)
				return got{in, "", ok}
			},
			got{true, "", true}},
		{"area not listed", `"history":{"legPainAreas":[]}`,
			func(a *Assessment) got {
				in, ok := AreaListed(a.History.LegPainAreas, AreaSole)
				return got{in, "", ok}
			},
			got{false, "", true}},
		{"area list absent", `"history":{}`,
			func(a *Assessment) got {
				in, ok := AreaListed(a.History.ParesthesiaAreas, AreaSole)
				return got{in, "", ok}
			},
			got{false, "", false}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if g := tt.read(mustAssessment(t, tt.doc)); g != tt.want {
				t.Errorf("got %v; want %v", g, tt.want)
			}
		})
	}
}

// TestConflictsNil checks that an empty assessment breaks no rule.
func TestConflictsNil(t *testing.T) {
	t.Parallel()
	if c := (&Assessment{}).Conflicts(); len(c) != 0 {
		t.Errorf("Conflicts = %v", c)
	}
	var a *Assessment
	if _, _, ok := a.EffectiveAnkleReflex(); ok {
		t.Error("a nil assessment has an ankle reflex")
	}
}

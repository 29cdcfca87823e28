package kb

import (
	"encoding/json"
	"slices"
	"testing"

	"github.com/tendo-health/tendo"
)

// TestAccessors checks reading contract fields and derived paths, with the
// contract path each value was read from (empty: the field's own path).
func TestAccessors(t *testing.T) {
	t.Parallel()
	const neuro = `"side":"left","exam":{"neuro":{"left":{"ankleReflex":"absent","kneeReflex":"reduced","plantarflexionMrc":4,"sensation":{"sole":"reduced","lateralFoot":"normal"}},"right":{"ankleReflex":"normal","kneeReflex":"normal","plantarflexionMrc":5}}}`
	tests := []struct {
		name, doc, path string
		want            string // value.String(); "" = absent
		from            string // the path it was read from ("" = its own)
	}{
		{"v1 bool", `"history":{"diabetes":true}`, "history.diabetes", "true", ""},
		{"v1 enum", `"exam":{"slump":"equivocal"}`, "exam.slump", "equivocal", ""},
		{"v1 number", `"patient":{"heightCm":172.5}`, "patient.heightCm", "172.5", ""},
		{"v1 integer", `"patient":{"ageYears":40}`, "patient.ageYears", "40", ""},
		{"v1 string", `"id":"x1"`, "id", "x1", ""},
		{"v1 absent", `"exam":{}`, "exam.slump", "", ""},
		{"heel raise pair", `"exam":{"heelRaiseReps":{"affected":9,"unaffected":24}}`, "exam.heelRaiseReps", "9 of 24", ""},
		{"heel raise half", `"exam":{"heelRaiseReps":{"affected":9}}`, "exam.heelRaiseReps", "", ""},
		{"scored PROM", `"proms":{"lefs":{"score":40}}`, "proms.lefs", "given", ""},
		{"v1.1 leaf", `"exam":{"abpi":0.8}`, "exam.abpi", "0.8", ""},
		{"v1.1 nested leaf", `"imaging":{"ultrasound":{"tendonThicknessMm":{"affected":8.2}}}`, "imaging.ultrasound.tendonThicknessMm.affected", "8.2", ""},
		{"v1.1 array given", `"history":{"legPainAreas":[]}`, "history.legPainAreas", "given", ""},
		{"v1.1 side leaf", neuro, "exam.neuro.right.kneeReflex", "normal", ""},
		{"effective ankle reflex from neuro", neuro, "exam.ankleReflex", "absent", "exam.neuro.left.ankleReflex"},
		{"effective ankle reflex v1", `"exam":{"ankleReflex":"normal"}`, "exam.ankleReflex", "normal", "exam.ankleReflex"},
		{"effective plantarflexion from neuro", neuro, "exam.plantarflexionStrengthMrc", "4", "exam.neuro.left.plantarflexionMrc"},
		{"effective S1 deficit from neuro", neuro, "exam.s1SensoryDeficit", "true", "exam.neuro.left.sensation.sole"},
		{"affected knee reflex", neuro, "exam.neuro.affected.kneeReflex", "reduced", "exam.neuro.left.kneeReflex"},
		{"other knee reflex", neuro, "exam.neuro.other.kneeReflex", "normal", "exam.neuro.right.kneeReflex"},
		{"affected MRC", neuro, "exam.neuro.affected.plantarflexionMrc", "4", "exam.neuro.left.plantarflexionMrc"},
		{"affected sensation", neuro, "exam.neuro.affected.sensation.sole", "reduced", "exam.neuro.left.sensation.sole"},
		{"other sensation not tested", neuro, "exam.neuro.other.sensation.sole", "", ""},
		{"affected without side", `"exam":{"neuro":{"left":{"kneeReflex":"reduced"}}}`, "exam.neuro.affected.kneeReflex", "", ""},
		{"bilateral affected", `"side":"bilateral","exam":{"neuro":{"left":{"kneeReflex":"reduced"},"right":{"kneeReflex":"absent"}}}`, "exam.neuro.affected.kneeReflex", "absent", "exam.neuro.right.kneeReflex"},
		{"bilateral other", `"side":"bilateral","exam":{"neuro":{"left":{"kneeReflex":"reduced"},"right":{"kneeReflex":"absent"}}}`, "exam.neuro.other.kneeReflex", "reduced", "exam.neuro.left.kneeReflex"},
		{"leg pain area listed", `"history":{"legPainAreas":["medial-shin"]}`, "history.legPainAreas.medial-shin", "true", "history.legPainAreas"},
		{"leg pain area not listed", `"history":{"legPainAreas":["medial-shin"]}`, "history.legPainAreas.sole", "false", "history.legPainAreas"},
		{"leg pain areas none", `"history":{"legPainAreas":[]}`, "history.legPainAreas.sole", "false", "history.legPainAreas"},
		{"leg pain areas absent", `"history":{}`, "history.legPainAreas.sole", "", ""},
		{"paresthesia area", `"history":{"paresthesiaAreas":["lateral-foot"]}`, "history.paresthesiaAreas.lateral-foot", "true", "history.paresthesiaAreas"},
		{"root compressed", `"side":"right","imaging":{"lumbarMri":{"rootCompression":[{"root":"S1","side":"right"}]}}`, "imaging.lumbarMri.rootCompression.S1", "true", "imaging.lumbarMri.rootCompression[0]"},
		{"root on the other side", `"side":"right","imaging":{"lumbarMri":{"rootCompression":[{"root":"S1","side":"left"}]}}`, "imaging.lumbarMri.rootCompression.S1", "false", "imaging.lumbarMri.rootCompression"},
		{"another root", `"side":"right","imaging":{"lumbarMri":{"rootCompression":[{"root":"S1","side":"right"}]}}`, "imaging.lumbarMri.rootCompression.L5", "false", "imaging.lumbarMri.rootCompression"},
		{"lumbar MRI not given", `"side":"right"`, "imaging.lumbarMri.rootCompression.L4", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var a tendo.Assessment
			if err := json.Unmarshal([]byte(`{"schema":"tendo/assessment/v1",`+tt.doc+`}`), &a); err != nil {
				t.Fatal(err)
			}
			get, ok := accessors[tt.path]
			if !ok {
				t.Fatalf("no accessor for %s", tt.path)
			}
			v := get(&a)
			switch {
			case tt.want == "" && v.ok:
				t.Errorf("%s = %v; want absent", tt.path, v)
			case tt.want != "" && (!v.ok || v.String() != tt.want):
				t.Errorf("%s = %v (ok %v); want %s", tt.path, v, v.ok, tt.want)
			case tt.want != "" && v.path != tt.from:
				t.Errorf("%s read from %q; want %q", tt.path, v.path, tt.from)
			}
			if Observed(&a, tt.path) != (tt.want != "") || Present(tt.path)(&a) != (tt.want != "") {
				t.Errorf("Observed/Present(%s) disagree with the accessor", tt.path)
			}
		})
	}
}

// TestFieldPathsV11 checks that FieldPaths lists the v1 accessors as
// before and every v1.1 leaf, and DerivedPaths the virtual paths.
func TestFieldPathsV11(t *testing.T) {
	t.Parallel()
	paths := FieldPaths()
	if !slices.IsSorted(paths) {
		t.Error("FieldPaths is not sorted")
	}
	for _, f := range tendo.Fields() {
		inScored := false
		for p := f.Parent; p >= 0; p = tendo.Fields()[p].Parent {
			inScored = inScored || tendo.Fields()[p].Scored
		}
		if f.Leaf() && !f.InArray && !inScored && !slices.Contains(paths, f.Path) {
			t.Errorf("FieldPaths lacks %s", f.Path)
		}
	}
	for _, p := range []string{"exam.heelRaiseReps", "proms.visaA", "proms.odi", "proms.lefs", "schema", "gait.peakAchillesForceBw",
		"exam.neuro.left.sensation.medialHeel", "imaging.radiograph.calcanealFractureLine", "history.legPainAreas"} {
		if !slices.Contains(paths, p) {
			t.Errorf("FieldPaths lacks %s", p)
		}
	}
	derived := DerivedPaths()
	if len(derived) != 2*len(tendo.NeuroFieldNames())+2*len(tendo.AreaValues())+len(tendo.RootValues()) {
		t.Errorf("%d derived paths", len(derived))
	}
	for _, p := range derived {
		if slices.Contains(paths, p) {
			t.Errorf("%s is both a field and a derived path", p)
		}
	}
	for _, p := range []string{"exam.neuro.affected.greatToeExtensionMrc", "exam.neuro.other.sensation.lateralShin", "history.paresthesiaAreas.medial-heel", "imaging.lumbarMri.rootCompression.L4"} {
		if !slices.Contains(derived, p) {
			t.Errorf("DerivedPaths lacks %s", p)
		}
	}
}

// TestEvidencePath checks that evidence keeps the finding's field as its
// key and shows the contract path the value was read from.
func TestEvidencePath(t *testing.T) {
	t.Parallel()
	m, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	mp, err := m.NewMapping()
	if err != nil {
		t.Fatal(err)
	}
	var a tendo.Assessment
	doc := `{"schema":"tendo/assessment/v1","side":"right","exam":{"slump":"positive","neuro":{"right":{"ankleReflex":"absent"}}}}`
	if err := json.Unmarshal([]byte(doc), &a); err != nil {
		t.Fatal(err)
	}
	ev, _ := mp.Evidence(&a, nil)
	found := map[string]string{}
	for _, e := range ev {
		found[e.Field] = e.Path
	}
	if found["exam.slump"] != "exam.slump" {
		t.Errorf("exam.slump read from %q", found["exam.slump"])
	}
	if p := found["exam.ankleReflex"]; p != "exam.neuro.right.ankleReflex" {
		t.Errorf("exam.ankleReflex read from %q; want exam.neuro.right.ankleReflex", p)
	}
}

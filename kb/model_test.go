package kb_test

import (
	"bytes"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/tendo-health/tendo/bn"
	"github.com/tendo-health/tendo/bn/bif"
	"github.com/tendo-health/tendo/intake"
	"github.com/tendo-health/tendo/kb"
)

func mustModel(tb testing.TB) *kb.Model {
	tb.Helper()
	m, err := kb.Load()
	if err != nil {
		tb.Fatal(err)
	}
	return m
}

func TestModelChecks(t *testing.T) {
	t.Parallel()
	m := mustModel(t)
	if err := m.Check(); err != nil {
		t.Fatal(err)
	}
	if _, err := m.Build(); err != nil {
		t.Fatal(err)
	}
}

// TestCheckFindsProblems breaks a copy of the model in named ways and
// checks that Check names each problem.
func TestCheckFindsProblems(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		edit  func(s string) string
		where string
		what  string
	}{
		{"a number without provenance", func(s string) string {
			return strings.Replace(s, `prior: {p: 0.25, estimate: "share of a heel-pain clinic with BMI of 30 or more; not reported"}`, `prior: {p: 0.25}`, 1)
		}, "node obesity, prior", "neither a source nor an estimate"},
		{"an unknown source", func(s string) string {
			return strings.Replace(s, `source: maffulli1998, n: 202, note: "specificity 0.93"`, `source: maffulli1999, n: 202, note: "specificity 0.93"`, 1)
		}, "node calfSqueeze, leak", `unknown source "maffulli1999"`},
		{"a distribution that does not sum to 1", func(s string) string {
			return strings.Replace(s, "p: [0.05, 0.30, 0.45, 0.20]", "p: [0.05, 0.30, 0.45, 0.30]", 1)
		}, "node ageGroup, prior", "sum to 1.1"},
		{"a finding on an unknown state", func(s string) string {
			return strings.Replace(s, "{positive: positive, negative: negative}", "{positive: positive, negative: negatve}", 1)
		}, "finding exam.arcSign", `not a state of arcSign`},
		{"an accuracy tolerance above 0.1", func(s string) string {
			return strings.Replace(s, "sens: 0.96, spec: 0.93, tolerance: 0.02", "sens: 0.96, spec: 0.93, tolerance: 0.2", 1)
		}, "node calfSqueeze, accuracy 1", "at most 0.1"},
		{"a field mapped twice", func(s string) string {
			return strings.Replace(s, "  - {field: id, kind: none,", "  - {field: schema, kind: none, use: x}\n  - {field: id, kind: none,", 1)
		}, "finding schema", "mapped twice"},
		{"a measurement error without a spread", func(s string) string {
			return strings.Replace(s, `unit: "%", spread: 3, measurementSD: 2}`, `unit: "%", measurementSD: 2}`, 1)
		}, "finding gait.stanceTimeAsymmetryPct", "both be positive"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			src := string(kb.ModelYAML())
			edited := tt.edit(src)
			if edited == src {
				t.Fatal("the edit did not apply")
			}
			m, err := kb.Parse([]byte(edited))
			if err != nil {
				t.Fatal(err)
			}
			err = m.Check()
			if err == nil || !strings.Contains(err.Error(), tt.where+": ") || !strings.Contains(err.Error(), tt.what) {
				t.Fatalf("got %v, want a problem at %q containing %q", err, tt.where, tt.what)
			}
		})
	}
	if _, err := kb.Parse([]byte("schema: tendo/model/v1\nnodez: []\n")); err == nil {
		t.Fatal("an unknown key was accepted")
	}
}

// TestImpliedAccuracy computes, by inference on the model with no other
// evidence, each finding's sensitivity and specificity for its target
// condition, and compares them with the figures cited from the literature
// (within each target's documented tolerance, at most 0.1).
func TestImpliedAccuracy(t *testing.T) {
	t.Parallel()
	checks, err := mustModel(t).ImpliedAccuracy()
	if err != nil {
		t.Fatal(err)
	}
	if len(checks) < 10 {
		t.Fatalf("only %d accuracy targets in the model", len(checks))
	}
	for _, c := range checks {
		a := c.Accuracy
		if a.Sens != nil && math.Abs(c.Sens-*a.Sens) > a.Tolerance {
			t.Errorf("%s: implied sensitivity %.3f, cited %.3f (%s), tolerance %.2f", c.Node, c.Sens, *a.Sens, a.Source, a.Tolerance)
		}
		if a.Spec != nil && math.Abs(c.Spec-*a.Spec) > a.Tolerance {
			t.Errorf("%s: implied specificity %.3f, cited %.3f (%s), tolerance %.2f", c.Node, c.Spec, *a.Spec, a.Source, a.Tolerance)
		}
	}
}

// TestChainedEqualsCompact checks that parent divorcing changes nothing:
// the chained network (used for inference) and the compact one (exported)
// give the same marginals on the model's nodes under random evidence.
func TestChainedEqualsCompact(t *testing.T) {
	t.Parallel()
	m := mustModel(t)
	compact, err := m.Build()
	if err != nil {
		t.Fatal(err)
	}
	chained, err := m.BuildChained()
	if err != nil {
		t.Fatal(err)
	}
	jc, err := bn.Compile(compact, bn.CompileOptions{})
	if err != nil {
		t.Fatal(err)
	}
	jh, err := bn.Compile(chained, bn.CompileOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(chained.Variables) <= len(compact.Variables) {
		t.Fatalf("chaining added no nodes (%d vs %d)", len(chained.Variables), len(compact.Variables))
	}
	rng := rand.New(rand.NewPCG(4, 2))
	qc, qh := jc.NewQuery(), jh.NewQuery()
	for round := 0; round < 40; round++ {
		qc.Clear()
		qh.Clear()
		x := compact.Sample(rng)
		for _, v := range rng.Perm(len(x))[:rng.IntN(20)] {
			_ = qc.Observe(v, x[v])
			_ = qh.Observe(v, x[v])
		}
		if err := qc.Propagate(); err != nil {
			t.Fatal(err)
		}
		if err := qh.Propagate(); err != nil {
			t.Fatal(err)
		}
		if d := math.Abs(qc.LogPEvidence() - qh.LogPEvidence()); d > 1e-9 {
			t.Fatalf("round %d: log P(e) %v vs %v", round, qc.LogPEvidence(), qh.LogPEvidence())
		}
		for v := range compact.Variables {
			a, b := qc.Marginal(v), qh.Marginal(v)
			for s := range a {
				if math.Abs(a[s]-b[s]) > 1e-10 {
					t.Fatalf("round %d: P(%s=%d) compact %v, chained %v", round, compact.Variables[v].Name, s, a[s], b[s])
				}
			}
		}
	}
}

// TestExportRoundTrip writes the model as BIF and reads it back with the
// BIF reader: same network.
func TestExportRoundTrip(t *testing.T) {
	t.Parallel()
	net, err := mustModel(t).Build()
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := bif.Write(&buf, net); err != nil {
		t.Fatal(err)
	}
	back, err := bif.Read(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if len(back.Variables) != len(net.Variables) {
		t.Fatalf("%d variables, want %d", len(back.Variables), len(net.Variables))
	}
	for i, f := range net.Factors {
		g := back.Factors[back.Index(net.Variables[i].Name)]
		for j := range f.Table {
			if math.Abs(f.Table[j]-g.Table[j]) > 1e-12 {
				t.Fatalf("%s entry %d: %v vs %v", net.Variables[i].Name, j, f.Table[j], g.Table[j])
			}
		}
	}
}

// TestEveryContractField checks that each field of the assessment contract
// v1 (the intake schema) is mapped exactly once — to a node, or to what
// reads it instead — and that the mapping names only contract fields or
// derived paths. A mapping of exam.neuro.affected.X or exam.neuro.other.X
// covers exam.neuro.left.X and exam.neuro.right.X; objects are covered by
// their fields.
func TestEveryContractField(t *testing.T) {
	t.Parallel()
	m := mustModel(t)
	mapped := map[string]bool{}
	derived := map[string]bool{}
	for _, p := range kb.DerivedPaths() {
		derived[p] = true
	}
	for _, f := range m.Findings {
		if _, ok := intake.Lookup(f.Field); !ok && !derived[f.Field] {
			t.Errorf("finding %q is not a contract field or a derived path", f.Field)
		}
		mapped[f.Field] = true
		for _, which := range []string{"affected", "other"} {
			if rest, ok := strings.CutPrefix(f.Field, "exam.neuro."+which+"."); ok {
				mapped["exam.neuro.left."+rest] = true
				mapped["exam.neuro.right."+rest] = true
			}
		}
		if strings.HasPrefix(f.Field, "imaging.lumbarMri.rootCompression.") {
			mapped["imaging.lumbarMri.rootCompression"] = true // read per root on the symptomatic side
		}
	}
	covered := func(path string) bool {
		for p := range mapped {
			if path == p || strings.HasPrefix(path, p+".") || strings.HasPrefix(path, p+"[") {
				return true
			}
		}
		return false
	}
	sections := map[string]bool{"patient": true, "history": true, "exam": true, "proms": true, "gait": true}
	for _, f := range intake.Fields() {
		if sections[f.Path] || f.Type == "object" {
			continue
		}
		if !covered(f.Path) {
			t.Errorf("contract field %s is not mapped", f.Path)
		}
	}
	if _, err := m.NewMapping(); err != nil {
		t.Fatal(err)
	}
}

// TestEffectiveSlope checks the attenuation of a logistic finding's slope
// by measurement error: Slope·Spread²/(Spread² + MeasurementSD²), the
// slope of the log likelihood ratio between two normal distributions of
// equal variance once a normal measurement error is added to each.
func TestEffectiveSlope(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		l    kb.Logistic
		want float64
	}{
		{"no measurement error", kb.Logistic{Slope: 0.35}, 0.35},
		{"error equal to the spread halves the slope", kb.Logistic{Slope: -6, Spread: 0.2, MeasurementSD: 0.2}, -3},
		{"stance asymmetry as in the model", kb.Logistic{Slope: 0.35, Spread: 3, MeasurementSD: 2}, 0.35 * 9 / 13},
		{"only one of the two set is ignored", kb.Logistic{Slope: 1, Spread: 2}, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := tt.l.EffectiveSlope(); math.Abs(got-tt.want) > 1e-12 {
				t.Errorf("EffectiveSlope() = %v, want %v", got, tt.want)
			}
		})
	}
}

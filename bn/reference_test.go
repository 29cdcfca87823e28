package bn_test

import (
	"encoding/json"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/tendo-health/tendo/bn"
	"github.com/tendo-health/tendo/bn/bif"
	"github.com/tendo-health/tendo/bn/uai"
	"github.com/tendo-health/tendo/internal/shared"
)

// referenceFile is one file of ../shared/data/bayesnet/reference: marginals
// computed by pgmpy (an independent engine) on the renormalised networks.
type referenceFile struct {
	Network string `json:"network"`
	Engine  string `json:"engine"`
	Cases   []struct {
		Evidence  map[string]string             `json:"evidence"`
		Marginals map[string]map[string]float64 `json:"marginals"`
	} `json:"cases"`
	SecondsPerCase float64 `json:"seconds_per_case_pgmpy"`
}

func loadBIF(tb testing.TB, name string) *bn.Network {
	tb.Helper()
	net, err := bif.ReadFile(shared.Path(tb, "data", "bayesnet", "bnlearn-bif", name+".bif.gz"))
	if err != nil {
		tb.Fatal(err)
	}
	return net
}

func loadReference(tb testing.TB, path string) referenceFile {
	tb.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		tb.Fatal(err)
	}
	var ref referenceFile
	if err := json.Unmarshal(data, &ref); err != nil {
		tb.Fatalf("%s: %v", path, err)
	}
	return ref
}

// TestReferenceMarginals checks every case of every reference file: each
// marginal must equal pgmpy's within 1e-9, and evidence variables must have
// probability 1 on the observed state.
func TestReferenceMarginals(t *testing.T) {
	t.Parallel()
	files, err := filepath.Glob(shared.Path(t, "data", "bayesnet", "reference", "*.json"))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatal("no reference files found")
	}
	const tol = 1e-9
	for _, path := range files {
		name := strings.TrimSuffix(filepath.Base(path), ".json")
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			ref := loadReference(t, path)
			net := loadBIF(t, ref.Network)
			jt, err := bn.Compile(net, bn.CompileOptions{})
			if err != nil {
				t.Fatal(err)
			}
			q := jt.NewQuery()
			checked := 0
			worst := 0.0
			for ci, c := range ref.Cases {
				q.Clear()
				for vn, sn := range c.Evidence {
					v := net.Index(vn)
					if v < 0 {
						t.Fatalf("case %d: unknown variable %q", ci, vn)
					}
					if err := q.Observe(v, net.StateIndex(v, sn)); err != nil {
						t.Fatalf("case %d: %v", ci, err)
					}
				}
				if err := q.Propagate(); err != nil {
					t.Fatalf("case %d: %v", ci, err)
				}
				for vn, want := range c.Marginals {
					v := net.Index(vn)
					if v < 0 {
						t.Fatalf("case %d: unknown variable %q", ci, vn)
					}
					got := q.Marginal(v)
					if len(want) != len(got) {
						t.Fatalf("case %d: %s has %d states, reference %d", ci, vn, len(got), len(want))
					}
					for sn, p := range want {
						s := net.StateIndex(v, sn)
						if s < 0 {
							t.Fatalf("case %d: %s has no state %q", ci, vn, sn)
						}
						d := math.Abs(got[s] - p)
						worst = math.Max(worst, d)
						if d > tol {
							t.Errorf("case %d: P(%s=%s | e) = %.15g, pgmpy %.15g (diff %.3g)", ci, vn, sn, got[s], p, d)
						}
						checked++
					}
				}
				for vn, sn := range c.Evidence {
					v := net.Index(vn)
					if got := q.Marginal(v)[net.StateIndex(v, sn)]; got != 1 {
						t.Errorf("case %d: observed %s=%s has probability %v", ci, vn, sn, got)
					}
				}
			}
			t.Logf("%s: %d cases, %d probabilities, largest difference from pgmpy %.3g", name, len(ref.Cases), checked, worst)
		})
	}
}

// TestPromedus reproduces the UAI 2014 Promedus MAR files to the digits
// they carry: |a − b| ≤ 1e-6 + 1e-5·|b|.
func TestPromedus(t *testing.T) {
	t.Parallel()
	models, err := filepath.Glob(shared.Path(t, "data", "bayesnet", "uai2014-promedus", "*.uai"))
	if err != nil {
		t.Fatal(err)
	}
	if len(models) == 0 {
		t.Fatal("no Promedus problems found")
	}
	for _, path := range models {
		name := strings.TrimSuffix(filepath.Base(path), ".uai")
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			net, err := uai.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			ef, err := os.Open(path + ".evid")
			if err != nil {
				t.Fatal(err)
			}
			ev, err := uai.ReadEvidence(ef, net)
			ef.Close()
			if err != nil {
				t.Fatal(err)
			}
			mf, err := os.Open(path + ".MAR")
			if err != nil {
				t.Fatal(err)
			}
			want, err := uai.ReadMAR(mf)
			mf.Close()
			if err != nil {
				t.Fatal(err)
			}
			jt, err := bn.Compile(net, bn.CompileOptions{})
			if err != nil {
				t.Fatal(err)
			}
			q := jt.NewQuery()
			for v, s := range ev {
				if err := q.Observe(v, s); err != nil {
					t.Fatal(err)
				}
			}
			if err := q.Propagate(); err != nil {
				t.Fatal(err)
			}
			if len(want) != len(net.Variables) {
				t.Fatalf("MAR has %d variables, network %d", len(want), len(net.Variables))
			}
			for v := range want {
				got := q.Marginal(v)
				for s, b := range want[v] {
					if d := math.Abs(got[s] - b); d > 1e-6+1e-5*math.Abs(b) {
						t.Errorf("P(v%d=%d) = %.9g, MAR file %.9g", v, s, got[s], b)
					}
				}
			}
		})
	}
}

// benchCase is one evidence case as parallel slices, so entering it costs
// no map iteration.
type benchCase struct{ vars, states []int }

// benchNetworks are the networks of the engine benchmark, with libDAI's
// junction-tree time per query (µs) measured on this kind of machine, as
// given in the engine issue, and tendo's target (4× faster).
var benchNetworks = []struct {
	name          string
	libdai, limit float64
}{
	{"asia", 11.3, 3}, {"child", 55.7, 14}, {"alarm", 90.6, 22}, {"insurance", 1235, 300},
	{"hepar2", 293, 70}, {"win95pts", 447, 110}, {"hailfinder", 373, 90},
	{"pathfinder", 14234, 3500}, {"andes", 10330, 2500},
}

// benchCases returns the evidence cases for a network: the reference
// file's cases where there is one; otherwise 20 forward-sampled cases with
// 1 to n/5 evidence variables and one empty case, as the reference files
// were drawn.
func benchCases(tb testing.TB, name string, net *bn.Network) []benchCase {
	path := shared.Path(tb, "data", "bayesnet", "reference", name+".json")
	var cases []benchCase
	if _, err := os.Stat(path); err == nil {
		ref := loadReference(tb, path)
		for _, c := range ref.Cases {
			var bc benchCase
			names := make([]string, 0, len(c.Evidence))
			for vn := range c.Evidence {
				names = append(names, vn)
			}
			sort.Strings(names)
			for _, vn := range names {
				v := net.Index(vn)
				bc.vars = append(bc.vars, v)
				bc.states = append(bc.states, net.StateIndex(v, c.Evidence[vn]))
			}
			cases = append(cases, bc)
		}
		return cases
	}
	rng := rand.New(rand.NewPCG(829, 1))
	for i := 0; i < 20; i++ {
		ev := net.SampleEvidence(rng, 1+rng.IntN(max(1, len(net.Variables)/5)))
		var bc benchCase
		for v := range net.Variables {
			if s, ok := ev[v]; ok {
				bc.vars = append(bc.vars, v)
				bc.states = append(bc.states, s)
			}
		}
		cases = append(cases, bc)
	}
	return append(cases, benchCase{})
}

// BenchmarkQuery measures one all-marginals query (enter the evidence,
// propagate, read every marginal) per iteration, cycling through the
// evidence cases, on one goroutine with a warm Query.
func BenchmarkQuery(b *testing.B) {
	for _, bnet := range benchNetworks {
		b.Run(bnet.name, func(b *testing.B) {
			net := loadBIF(b, bnet.name)
			jt, err := bn.Compile(net, bn.CompileOptions{})
			if err != nil {
				b.Fatal(err)
			}
			cases := benchCases(b, bnet.name, net)
			q := jt.NewQuery()
			run := func(c benchCase) {
				q.Clear()
				for i, v := range c.vars {
					if err := q.Observe(v, c.states[i]); err != nil {
						b.Fatal(err)
					}
				}
				if err := q.Propagate(); err != nil {
					b.Fatal(err)
				}
			}
			for _, c := range cases { // warm up
				run(c)
			}
			st := jt.Stats()
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				run(cases[i%len(cases)])
				i++
			}
			b.ReportMetric(float64(st.TableEntries), "entries")
			b.ReportMetric(float64(st.Bytes)/(1<<20), "treeMiB")
		})
	}
}

// BenchmarkCompile measures compiling a network (triangulation trials,
// tables, index maps).
func BenchmarkCompile(b *testing.B) {
	for _, name := range []string{"alarm", "hepar2", "pathfinder", "andes"} {
		b.Run(name, func(b *testing.B) {
			net := loadBIF(b, name)
			b.ReportAllocs()
			for b.Loop() {
				if _, err := bn.Compile(net, bn.CompileOptions{}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

package main

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tendo-health/tendo/internal/shared"
)

func gaitRef(t *testing.T, elem ...string) string {
	return shared.Path(t, append([]string{"data", "gait-reference", "opensim-models", "Gait10dof18musc"}, elem...)...)
}

// TestGaitSubject01 runs tendo gait on OpenSim's subject01 walk with its
// inverse-dynamics results and checks the issue 9 figures (the same as the
// gait package's tests): cadence 97.7 ± 0.5 steps/min, stance-time
// asymmetry 2.56 ± 0.1 %, peak right plantarflexor moment 1.79 ± 0.01
// N·m/kg, and a peak right Achilles force of 3.66 ± 0.05 body weights at a
// 5 cm moment arm.
func TestGaitSubject01(t *testing.T) {
	t.Parallel()
	trc := gaitRef(t, "ExperimentalData", "subject01_walk.trc")
	grf := gaitRef(t, "ExperimentalData", "subject01_walk_grf.mot")
	id := gaitRef(t, "OutputReference", "ID", "Results", "subject01_walk_ID.sto")
	code, out, errOut := run(t, "", "gait", "--trc", trc, "--grf", grf, "--id", id, "--mass", "72.6", "--moment-arm", "0.05", "--json")
	if code != 0 {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
	var res GaitResult
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatalf("%v in %s", err, out)
	}
	// The contract's names must be present as such.
	for _, key := range []string{`"cadenceStepsPerMin"`, `"stanceTimeAsymmetryPct"`, `"peakAnklePlantarflexorMomentNmPerKg"`, `"peakAchillesForceBw"`} {
		if !strings.Contains(out, key) {
			t.Errorf("JSON lacks %s", key)
		}
	}
	check := func(name string, got *float64, want, tol float64) {
		t.Helper()
		if got == nil {
			t.Errorf("%s: null, want %v ± %v", name, want, tol)
			return
		}
		t.Logf("%s = %.4f (issue 9: %v ± %v)", name, *got, want, tol)
		if math.Abs(*got-want) > tol {
			t.Errorf("%s = %.4f, want %v ± %v", name, *got, want, tol)
		}
	}
	check("cadenceStepsPerMin", res.CadenceStepsPerMin, 97.7, 0.5)
	check("stanceTimeAsymmetryPct", res.StanceTimeAsymmetryPct, 2.56, 0.1)
	check("right.peakAnklePlantarflexorMomentNmPerKg", res.Right.PeakAnklePlantarflexorMomentNmPerKg, 1.79, 0.01)
	check("right.peakAchillesForceBw", res.Right.PeakAchillesForceBw, 3.66, 0.05)
	if res.AnkleMethod != "inverse-dynamics" {
		t.Errorf("ankleMethod %q, want inverse-dynamics", res.AnkleMethod)
	}
	if r := res.Right.AchillesLoadingRateBwPerS; r == nil || !(*r > 0) {
		t.Errorf("right loading rate %v, want > 0", r)
	} else {
		t.Logf("right Achilles loading rate %.1f BW/s at 5 cm", *r)
	}
	for _, s := range []GaitSide{res.Right, res.Left} {
		if len(s.Contacts) == 0 || s.StanceTimeS == nil || s.StancePct == nil {
			t.Errorf("side %q: contacts %v, stance %v, stance %% %v", s.ForcePrefix, s.Contacts, s.StanceTimeS, s.StancePct)
		}
	}

	// Text: aligned lines with units, and the closing line.
	code, out, errOut = run(t, "", "gait", "--trc", trc, "--grf", grf, "--id", id, "--mass", "72.6")
	if code != 0 {
		t.Fatalf("text: exit %d, stderr %q", code, errOut)
	}
	t.Logf("text output:\n%s", out)
	for _, want := range []string{"97.7 steps/min", "2.56 %", "1.79 N·m/kg", "body weights", "supports clinical judgement", "inverse dynamics"} {
		if !strings.Contains(out, want) {
			t.Errorf("text output lacks %q", want)
		}
	}

	// Without --id the ankle figures are not computed, and say why.
	code, out, errOut = run(t, "", "gait", "--trc", trc, "--grf", grf, "--mass", "72.6", "--json")
	if code != 0 {
		t.Fatalf("no --id: exit %d, stderr %q", code, errOut)
	}
	res = GaitResult{}
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatal(err)
	}
	if res.AnkleMethod != "not-computed" || res.AnkleNote != "needs --id or malleolus markers" || res.Right.PeakAchillesForceBw != nil {
		t.Errorf("no --id: method %q, note %q, Achilles %v", res.AnkleMethod, res.AnkleNote, res.Right.PeakAchillesForceBw)
	}
	if res.CadenceStepsPerMin == nil {
		t.Errorf("no --id: cadence missing")
	}
}

// TestGaitBadInput checks that bad arguments and files exit 2 with one line
// naming the problem.
func TestGaitBadInput(t *testing.T) {
	t.Parallel()
	trc := gaitRef(t, "ExperimentalData", "subject01_walk.trc")
	grf := gaitRef(t, "ExperimentalData", "subject01_walk_grf.mot")
	dir := t.TempDir()
	badTRC := filepath.Join(dir, "bad.trc")
	if err := os.WriteFile(badTRC, []byte("PathFileType\t4\t(X/Y/Z)\tbad.trc\nDataRate\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	missing := filepath.Join(dir, "missing.trc")
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"no mass", []string{"--trc", trc, "--grf", grf}, "--mass is required"},
		{"missing file", []string{"--trc", missing, "--grf", grf, "--mass", "70"}, "missing.trc: no such file"},
		{"not trc", []string{"--trc", grf, "--grf", grf, "--mass", "70"}, "not a .trc file"},
		{"bad trc", []string{"--trc", badTRC, "--grf", grf, "--mass", "70"}, "bad.trc:"},
		{"trc as grf", []string{"--trc", trc, "--grf", trc, "--mass", "70"}, "subject01_walk.trc:"},
		{"no prefix", []string{"--trc", trc, "--grf", grf, "--mass", "70", "--left-prefix", "2_"}, `"2_ground_force_vy"`},
		{"bad moment arm", []string{"--trc", trc, "--grf", grf, "--mass", "70", "--moment-arm", "-1"}, "--moment-arm"},
	}
	for _, tt := range tests {
		code, out, errOut := run(t, "", append([]string{"gait"}, tt.args...)...)
		if code != 2 || out != "" || strings.Count(errOut, "\n") != 1 || !strings.Contains(errOut, tt.want) {
			t.Errorf("%s: exit %d, stdout %q, stderr %q; want exit 2 and one line with %q", tt.name, code, out, errOut, tt.want)
		} else {
			t.Logf("%s: %s", tt.name, strings.TrimSpace(errOut))
		}
	}
	code, out, _ := run(t, "", "gait", "--help")
	if code != 0 || !strings.Contains(out, "Usage: tendo gait") || !strings.Contains(out, "--left-prefix") {
		t.Errorf("gait --help: exit %d, %q", code, out)
	}
}

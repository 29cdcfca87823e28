package uai_test

import (
	"errors"
	"fmt"
	"math"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/tendo-health/tendo/bn"
	"github.com/tendo-health/tendo/bn/uai"
)

// promedusDir holds the UAI 2014 Promedus networks, evidence and marginals
// (read-only, shared; never copied into the repository).
const promedusDir = "../../../shared/data/bayesnet/uai2014-promedus/"

// promedusFiles returns the paths of the Promedus model files.
func promedusFiles(t testing.TB) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(promedusDir, "Promedus_*.uai"))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatalf("no Promedus_*.uai files in %s", promedusDir)
	}
	return files
}

// diffNetworks describes the first difference between a and b in what a UAI
// file can carry (direction, cardinalities and names, scopes, tables bit for
// bit), or returns "" when there is none.
func diffNetworks(a, b *bn.Network) string {
	if a.Directed != b.Directed {
		return fmt.Sprintf("Directed %v vs %v", a.Directed, b.Directed)
	}
	if len(a.Variables) != len(b.Variables) {
		return fmt.Sprintf("%d vs %d variables", len(a.Variables), len(b.Variables))
	}
	for i := range a.Variables {
		va, vb := a.Variables[i], b.Variables[i]
		if va.Name != vb.Name || strings.Join(va.States, ",") != strings.Join(vb.States, ",") {
			return fmt.Sprintf("variable %d: %s%v vs %s%v", i, va.Name, va.States, vb.Name, vb.States)
		}
	}
	if len(a.Factors) != len(b.Factors) {
		return fmt.Sprintf("%d vs %d factors", len(a.Factors), len(b.Factors))
	}
	for i := range a.Factors {
		fa, fb := a.Factors[i], b.Factors[i]
		if fmt.Sprint(fa.Vars) != fmt.Sprint(fb.Vars) {
			return fmt.Sprintf("factor %d: scope %v vs %v", i, fa.Vars, fb.Vars)
		}
		if len(fa.Table) != len(fb.Table) {
			return fmt.Sprintf("factor %d: %d vs %d entries", i, len(fa.Table), len(fb.Table))
		}
		for j := range fa.Table {
			if math.Float64bits(fa.Table[j]) != math.Float64bits(fb.Table[j]) {
				return fmt.Sprintf("factor %d entry %d: %v vs %v", i, j, fa.Table[j], fb.Table[j])
			}
		}
	}
	return ""
}

// diffMarginals is diffNetworks for marginals.
func diffMarginals(a, b [][]float64) string {
	if len(a) != len(b) {
		return fmt.Sprintf("%d vs %d variables", len(a), len(b))
	}
	for v := range a {
		if len(a[v]) != len(b[v]) {
			return fmt.Sprintf("variable %d: %d vs %d states", v, len(a[v]), len(b[v]))
		}
		for i := range a[v] {
			if math.Float64bits(a[v][i]) != math.Float64bits(b[v][i]) {
				return fmt.Sprintf("variable %d state %d: %v vs %v", v, i, a[v][i], b[v][i])
			}
		}
	}
	return ""
}

// checkSyntaxError checks that err is a *SyntaxError at line:col (unless
// line is 0) whose message contains want.
func checkSyntaxError(t *testing.T, err error, want string, line, col int) {
	t.Helper()
	if err == nil {
		t.Fatalf("no error, want one containing %q", want)
	}
	if !strings.Contains(err.Error(), want) {
		t.Errorf("error %q does not contain %q", err, want)
	}
	if strings.Contains(err.Error(), "\n") {
		t.Errorf("error %q spans several lines", err)
	}
	if line == 0 {
		return
	}
	var se *uai.SyntaxError
	if !errors.As(err, &se) {
		t.Fatalf("error %q (%T) is not a *uai.SyntaxError", err, err)
	}
	if se.Line != line || se.Col != col {
		t.Errorf("error %q at line %d, column %d, want line %d, column %d", err, se.Line, se.Col, line, col)
	}
	prefix := "uai: line " + strconv.Itoa(line) + ", column " + strconv.Itoa(col) + ": "
	if !strings.HasPrefix(err.Error(), prefix) {
		t.Errorf("error %q does not start with %q", err, prefix)
	}
}

// header returns the preamble, the number of variables and the number of
// functions of a UAI model file, read independently of package uai.
func header(t *testing.T, text string) (preamble string, n, m int) {
	t.Helper()
	f := strings.Fields(text)
	atoi := func(s string) int {
		v, err := strconv.Atoi(s)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	n = atoi(f[1])
	return f[0], n, atoi(f[2+n])
}

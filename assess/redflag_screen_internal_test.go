package assess

// issue 10: safety. The root's red-flag table (tendo.RedFlagInfos: names,
// urgencies, screening questions) and its list of plan elements an
// urgent flag contradicts are derived from the rules and the plan
// library; these tests keep them in step.

import (
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/tendo-health/tendo"
	"github.com/tendo-health/tendo/intake"
	"github.com/tendo-health/tendo/internal/shared"
)

// TestRedFlagInfosMatchRules checks that the root's table names every
// rule, in order, with the rule's name and urgency, and that every
// screening question is a field of the contract.
func TestRedFlagInfosMatchRules(t *testing.T) {
	t.Parallel()
	infos := tendo.RedFlagInfos()
	if len(infos) != len(rules) {
		t.Fatalf("%d red-flag infos for %d rules", len(infos), len(rules))
	}
	for i, r := range rules {
		t.Run(r.Code, func(t *testing.T) {
			t.Parallel()
			f := infos[i]
			if f.Code != r.Code || f.Name != r.Name || f.Urgency != r.Urgency {
				t.Errorf("info %d is %s %q %s; the rule is %s %q %s", i, f.Code, f.Name, f.Urgency, r.Code, r.Name, r.Urgency)
			}
			if len(f.Screen) == 0 {
				t.Error("no screening questions")
			}
			for _, p := range f.Screen {
				fi, ok := tendo.LookupField(p)
				if !ok || !fi.Leaf() || fi.InArray {
					t.Errorf("screening question %s is not a field the contract can hold one value in", p)
				}
			}
			for _, q := range tendo.RedFlagScreen(&tendo.Assessment{})[i].Unanswered {
				if strings.ContainsAny(q, "[]{}") || strings.Contains(q, "popOrKick") || q == "" {
					t.Errorf("screening question %q is not in plain words", q)
				}
			}
			if got := tendo.RedFlagName(r.Code); got != r.Name {
				t.Errorf("RedFlagName(%s) = %q", r.Code, got)
			}
		})
	}
}

// clearField removes the value at a contract path from a.
func clearField(a *tendo.Assessment, path string) {
	fi, ok := tendo.LookupField(path)
	if !ok {
		return
	}
	v := reflect.ValueOf(a).Elem()
	for _, i := range fi.Index {
		if v.Kind() == reflect.Pointer {
			if v.IsNil() {
				return
			}
			v = v.Elem()
		}
		v = v.Field(i)
	}
	v.Set(reflect.Zero(v.Type()))
}

// TestScreenSufficient checks, over every shared case, v1.1 case and
// vignette, that each rule that fires stops firing once its screening
// questions are all removed: the questions cover what the rule needs, so
// that "not asked" on the result page is true.
func TestScreenSufficient(t *testing.T) {
	t.Parallel()
	var files []string
	for _, dir := range []string{shared.Path(t, "cases"), shared.Path(t, "cases-v11"), filepath.Join("testdata", "vignettes")} {
		fs, err := filepath.Glob(filepath.Join(dir, "*.json"))
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, fs...)
	}
	screen := map[string][]string{}
	for _, f := range tendo.RedFlagInfos() {
		screen[f.Code] = f.Screen
	}
	fired := map[string]int{}
	for _, file := range files {
		if filepath.Base(file) == "expected.json" {
			continue
		}
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range rules {
			a, err := intake.Parse(data)
			if err != nil {
				continue // the sets hold deliberately invalid inputs too
			}
			if len(r.check(a)) == 0 {
				continue
			}
			fired[r.Code]++
			for _, p := range screen[r.Code] {
				clearField(a, p)
			}
			if got := r.check(a); len(got) > 0 {
				t.Errorf("%s: %s still fires with its screening questions removed: %s", filepath.Base(file), r.Code, strings.Join(got, "; "))
			}
		}
	}
	if len(fired) < 5 {
		t.Errorf("only %d rules fired over %d files: the test checks little", len(fired), len(files))
	}
}

// TestContradictedElementsAreTheTagged checks the root's list of plan
// elements an urgent flag contradicts against the plan library's tags.
func TestContradictedElementsAreTheTagged(t *testing.T) {
	t.Parallel()
	e, err := New()
	if err != nil {
		t.Fatal(err)
	}
	contradicting := []string{"no-routine-imaging", "late-referral", "loading", "heavy", "stretch", "keep-running", "return-to-running", "continues-loading"}
	var want, got []string
	for id, tags := range e.tags {
		tagged := false
		for _, tag := range tags {
			tagged = tagged || slices.Contains(contradicting, tag)
		}
		if tagged {
			want = append(want, id)
		}
		if tendo.ContradictedByUrgentFlag(id) {
			got = append(got, id)
		}
	}
	sort.Strings(want)
	sort.Strings(got)
	if !slices.Equal(got, want) {
		t.Errorf("contradicted by an urgent flag: root lists %v, the library tags %v", got, want)
	}
}

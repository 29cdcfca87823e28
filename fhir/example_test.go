package fhir_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"testing"

	"github.com/tendo-health/tendo/fhir"
	"github.com/tendo-health/tendo/internal/shared"
)

// official is one official R4 example the package models.
type official struct {
	name string // file name
	data []byte
}

// officialExamples returns the official R4 examples in
// ../shared/data/fhir/r4-examples whose resourceType the package models
// (every Bundle included, whatever its entries), and how many files it read.
func officialExamples(tb testing.TB) ([]official, int) {
	tb.Helper()
	dir := shared.Path(tb, "data", "fhir", "r4-examples")
	names, err := filepath.Glob(filepath.Join(dir, "*-*.json"))
	if err != nil {
		tb.Fatal(err)
	}
	var out []official
	for _, p := range names {
		b, err := os.ReadFile(p)
		if err != nil {
			tb.Fatal(err)
		}
		var head struct {
			ResourceType string `json:"resourceType"`
		}
		if err := json.Unmarshal(b, &head); err != nil {
			tb.Fatalf("%s: %v", p, err)
		}
		if fhir.Modelled(head.ResourceType) {
			out = append(out, official{name: filepath.Base(p), data: b})
		}
	}
	return out, len(names)
}

// generic decodes JSON to maps, slices and json.Number (so 1.50 and 1.5
// differ, as FHIR decimals do).
func generic(tb testing.TB, b []byte) any {
	tb.Helper()
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		tb.Fatalf("not JSON: %v\n%s", err, b)
	}
	return v
}

// diff names the first JSON pointer where a and b differ, or "" when they
// are equal.
func diff(path string, a, b any) string {
	switch a := a.(type) {
	case map[string]any:
		bm, ok := b.(map[string]any)
		if !ok {
			return path + " (object vs " + fmt.Sprintf("%T", b) + ")"
		}
		keys := slices.Collect(maps.Keys(a))
		for k := range bm {
			if _, ok := a[k]; !ok {
				keys = append(keys, k)
			}
		}
		slices.Sort(keys)
		for _, k := range keys {
			if d := diff(path+"/"+k, a[k], bm[k]); d != "" {
				return d
			}
		}
		return ""
	case []any:
		bs, ok := b.([]any)
		if !ok || len(a) != len(bs) {
			return path + " (array lengths or types differ)"
		}
		for i := range a {
			if d := diff(path+"/"+strconv.Itoa(i), a[i], bs[i]); d != "" {
				return d
			}
		}
		return ""
	}
	if !reflect.DeepEqual(a, b) {
		return fmt.Sprintf("%s (%v vs %v)", path, a, b)
	}
	return ""
}

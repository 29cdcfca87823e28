package gaitlab

import (
	_ "embed"
	"encoding/json"
	"sync"

	"github.com/tendo-health/tendo"
)

// referenceCurvesJSON holds the band drawn behind each curve of the plot:
// at each of the 101 points of the gait cycle, the lowest and highest value
// of the healthy reference walks in ../shared (OpenSim's subject01 with its
// inverse dynamics, and Vicon's PiG_Motion3_FF through this package), both
// feet. It is generated, not written: `go test ./gaitlab -run
// TestReferenceCurves -update` rebuilds it from those files, and the test
// fails when the committed copy differs.
//
//go:embed reference_curves.json
var referenceCurvesJSON []byte

// ReferenceCurves is the file's shape: per curve key, the band and its
// source.
type ReferenceCurves map[string]ReferenceCurve

// ReferenceCurve is one band over the gait cycle.
type ReferenceCurve struct {
	Low    []float64 `json:"low"`
	High   []float64 `json:"high"`
	Source string    `json:"source"`
}

var refCurves = sync.OnceValue(func() ReferenceCurves {
	var r ReferenceCurves
	if err := json.Unmarshal(referenceCurvesJSON, &r); err != nil {
		panic("gaitlab: reference_curves.json: " + err.Error()) // embedded, checked by the tests
	}
	return r
})

// withBand adds the reference band of c's key to c.
func withBand(c tendo.GaitCurve) tendo.GaitCurve {
	if b, ok := refCurves()[c.Key]; ok && len(b.Low) == len(c.Values) && len(b.High) == len(c.Values) {
		c.Low, c.High, c.BandSource = b.Low, b.High, b.Source
	}
	return c
}

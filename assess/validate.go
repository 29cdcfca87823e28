package assess

import (
	"embed"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strings"

	"github.com/tendo-health/tendo"
	"github.com/tendo-health/tendo/intake"
	"github.com/tendo-health/tendo/kb"
)

// Vignettes is the vignette set over which the model's validation (tendo
// model validate, and the model card's Validation section) measures the
// share of extreme probabilities: assessments of the contract, one per .json
// file at any depth, read with intake.Parse; files that do not parse are
// skipped and counted. nil means there is no set: the row is reported as
// skipped, not passed. It is tendo's own vignette set
// (testdata/vignettes, embedded; its expected.json is counted as a file
// that does not parse).
var Vignettes fs.FS = mustSub(vignetteFiles, "testdata/vignettes")

//go:embed testdata/vignettes/*.json
var vignetteFiles embed.FS

func mustSub(f fs.FS, dir string) fs.FS {
	sub, err := fs.Sub(f, dir)
	if err != nil {
		panic(err) // the pattern above guarantees the directory
	}
	return sub
}

// VignetteSet is a parsed vignette set.
type VignetteSet struct {
	Assessments []*tendo.Assessment
	Names       []string // file names (slash-separated paths), in the order of Assessments
	Skipped     []string // files that did not parse, with the first line of the error
}

// ReadVignettes reads every .json file of fsys, in lexical order, with
// intake.Parse. A file that does not parse is listed in Skipped; an error
// reading the file system is returned.
func ReadVignettes(fsys fs.FS) (*VignetteSet, error) {
	var names []string
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() && strings.EqualFold(path.Ext(p), ".json") {
			names = append(names, p)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("assess: vignettes: %w", err)
	}
	sort.Strings(names)
	set := &VignetteSet{}
	for _, name := range names {
		data, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, fmt.Errorf("assess: vignettes: %w", err)
		}
		a, err := intake.Parse(data)
		if err != nil {
			msg, _, _ := strings.Cut(err.Error(), "\n")
			if first, _, more := strings.Cut(msg, "; "); more {
				msg = first + "; …"
			}
			set.Skipped = append(set.Skipped, name+" ("+msg+")")
			continue
		}
		set.Assessments = append(set.Assessments, a)
		set.Names = append(set.Names, name)
	}
	return set, nil
}

// ExtremeCount is the share of extreme probabilities over a set of
// assessments.
type ExtremeCount struct {
	Assessed int // assessments run
	Urgent   int // of which excluded for an emergency or urgent red flag
	Failed   int // assessments the engine refused (findings impossible under the model, scoring errors)
	// Probabilities counts the four main probabilities of the others, and
	// Extreme those outside [low, high].
	Probabilities, Extreme int
	// ByKey counts the extreme ones per probability: tendinopathy, S1
	// radiculopathy, lumbar contribution, rupture.
	ByKey [4]int
}

// Share is Extreme / Probabilities (0 when there are none).
func (c ExtremeCount) Share() float64 {
	if c.Probabilities == 0 {
		return 0
	}
	return float64(c.Extreme) / float64(c.Probabilities)
}

// ExtremeShare assesses each assessment and counts, over the four main
// probabilities (achillesTendinopathy, s1Radiculopathy, lumbarContribution,
// achillesRupture) of every one without an emergency or urgent red flag,
// those below low or above high. An assessment the engine refuses is
// counted in Failed and otherwise left out.
func (e *Engine) ExtremeShare(as []*tendo.Assessment, low, high float64) ExtremeCount {
	var c ExtremeCount
	for _, a := range as {
		c.Assessed++
		res, err := e.Assess(a)
		if err != nil {
			c.Failed++
			continue
		}
		urgent := false
		for _, f := range res.RedFlags {
			urgent = urgent || f.Urgency == tendo.Emergency || f.Urgency == tendo.Urgent
		}
		if urgent {
			c.Urgent++
			continue
		}
		p := res.Probabilities
		for k, x := range []float64{p.AchillesTendinopathy, p.S1Radiculopathy, p.LumbarContribution, p.AchillesRupture} {
			c.Probabilities++
			if x < low || x > high {
				c.Extreme++
				c.ByKey[k]++
			}
		}
	}
	return c
}

// Validate computes the model's validation table: v.Run's figures (cited
// accuracy, effects, likelihood ratios, AUCs) and, when v has an extremes
// row, the share of extreme probabilities over the vignettes (nil: no set,
// the row is skipped). v must have been loaded against e's model.
func (e *Engine) Validate(v *kb.Validation, vignettes fs.FS) (*kb.ValidationReport, error) {
	figs, err := v.Run()
	if err != nil {
		return nil, err
	}
	r := &kb.ValidationReport{Model: e.ModelVersion(), Figures: figs}
	if n := v.AUCNote(); n != "" {
		r.Notes = append(r.Notes, n)
	}
	if x := v.Extremes; x != nil {
		if vignettes == nil {
			r.Figures = append(r.Figures, v.ExtremesFigure(0, 0, false))
			r.Notes = append(r.Notes, "Extremes row: no vignette set was given, so it is skipped, not passed.")
		} else {
			set, err := ReadVignettes(vignettes)
			if err != nil {
				return nil, err
			}
			c := e.ExtremeShare(set.Assessments, x.Low, x.High)
			r.Figures = append(r.Figures, v.ExtremesFigure(c.Extreme, c.Probabilities, true))
			note := fmt.Sprintf("Extremes row: %d vignette file(s) parsed, %d excluded for an emergency or urgent red flag", len(set.Assessments), c.Urgent)
			if c.Failed > 0 {
				note += fmt.Sprintf(", %d refused by the engine", c.Failed)
			}
			n := c.Probabilities / 4
			note += fmt.Sprintf("; extreme: tendinopathy %d, S1 radiculopathy %d, lumbar contribution %d, rupture %d of %d each", c.ByKey[0], c.ByKey[1], c.ByKey[2], c.ByKey[3], n)
			note += fmt.Sprintf("; %d file(s) skipped because they did not parse", len(set.Skipped))
			if len(set.Skipped) > 0 {
				note += ": " + strings.Join(set.Skipped, "; ")
			}
			r.Notes = append(r.Notes, note+".")
			if fig := r.Figures[len(r.Figures)-1]; fig.Status == kb.StatusNotMet {
				r.Notes = append(r.Notes, "Extremes row: "+x.Why+".")
			}
		}
	}
	return r, nil
}

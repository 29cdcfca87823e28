package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/tendo-health/tendo"
	"github.com/tendo-health/tendo/chart"
	"github.com/tendo-health/tendo/gait"
	"github.com/tendo-health/tendo/gaitlab"
	"github.com/tendo-health/tendo/osim"
)

const gaitUsage = `Usage: tendo gait [--mass KG] [--side left|right] [--json | --assessment] [--plot OUT.svg|OUT.png] FILE.c3d
       tendo gait --trc MARKERS.trc --grf FORCES.mot [--id ID.sto] --mass KG [--json | --assessment]

Turns a walking trial into gait figures and the evidence an assessment can
use.

From a C3D file (the format gait labs export): the foot strikes and foot
offs from the heel, toe and pelvis markers (Zeni 2008) and the force
plates; cadence, walking speed, stance, swing, stride and step times, step
length and left/right asymmetry; the peak vertical force, the ankle
plantarflexor moment in stance (quasi-static: the ground reaction about the
ankle joint centre from the malleolus markers) and the Achilles tendon force
and its loading rate for each foot wholly on a plate; the pelvic rotation
range. Each figure is shown against its normal walking range. The body mass
comes from the file when it records one, else from --mass.

From OpenSim files (--trc, --grf, --id): the contacts and timing from the
vertical ground reaction forces, and with an inverse-dynamics table the peak
ankle plantarflexor moment and Achilles force (see the OpenSim notes below).

--json prints the whole report (C3D) or the figures (OpenSim) as JSON.
--assessment prints an assessment document holding only the "gait" section
(source "instrumented"): cadenceStepsPerMin, stanceTimeAsymmetryPct,
pelvicRotationRangeDeg, and the peak ankle moment and Achilles force of the
affected side (--side, else the side with the lower Achilles force). Merge
its "gait" object into a case; tendo assess weighs the values as soft
evidence. --plot draws the vertical force, ankle moment and Achilles force
over the gait cycle of each foot (C3D only), as SVG or PNG by the file's
extension.

OpenSim notes: force columns follow OpenSim's convention:
ground_force_vx/vy/vz (force, N), ground_force_px/py/pz (centre of pressure,
m) and ground_torque_x/y/z (free moment, N·m), with Y vertical. As in
OpenSim's subject01_walk_grf.xml, the unprefixed columns act on the right
foot (calcn_r) and those prefixed "1_" on the left (calcn_l); --right-prefix
and --left-prefix change that. The inverse-dynamics table must have
ankle_angle_r_moment and ankle_angle_l_moment (N·m, dorsiflexion positive,
as OpenSim writes them). Without --id the ankle figures are not computed.

tendo supports clinical judgement; it does not replace it.

Exit codes: 0 done; 2 bad input (the message names the file and line); 1 other errors.`

func gaitCommand() *command {
	return &command{
		name:    "gait",
		summary: "gait figures and evidence from a C3D walk or OpenSim files",
		usage:   gaitUsage,
		run:     (&GaitCommand{}).Run,
	}
}

// GaitCommand is tendo gait: spatiotemporal parameters and ankle loading
// from OpenSim files (.trc markers, .mot forces, .sto inverse dynamics).
type GaitCommand struct {
	trc, grf, id            string
	mass, momentArm         float64
	json, assessment        bool
	plot, side              string
	leftPrefix, rightPrefix string
}

// GaitContact is one foot contact: the times of the foot strike and the
// foot off, in seconds; null when the event lies outside the recording.
type GaitContact struct {
	StrikeS *float64 `json:"strikeS"`
	OffS    *float64 `json:"offS"`
}

// GaitSide holds one foot's figures. Times are in seconds.
type GaitSide struct {
	ForcePrefix string        `json:"forcePrefix"`
	Contacts    []GaitContact `json:"contacts"`
	StanceTimeS *float64      `json:"stanceTimeS"`
	SwingTimeS  *float64      `json:"swingTimeS"`
	StrideTimeS *float64      `json:"strideTimeS"`
	StancePct   *float64      `json:"stancePctOfStride"`

	PeakAnklePlantarflexorMomentNm      *float64 `json:"peakAnklePlantarflexorMomentNm"`
	PeakAnklePlantarflexorMomentNmPerKg *float64 `json:"peakAnklePlantarflexorMomentNmPerKg"`
	PeakAchillesForceN                  *float64 `json:"peakAchillesForceN"`
	PeakAchillesForceBw                 *float64 `json:"peakAchillesForceBw"`
	PeakAchillesForceTimeS              *float64 `json:"peakAchillesForceTimeS"`
	AchillesLoadingRateBwPerS           *float64 `json:"achillesLoadingRateBwPerS"`
}

// GaitResult is the output of tendo gait (--json).
type GaitResult struct {
	MarkersFile string `json:"markersFile"`
	ForcesFile  string `json:"forcesFile"`
	IDFile      string `json:"inverseDynamicsFile,omitempty"`

	BodyMassKg       float64 `json:"bodyMassKg"`
	ForceRateHz      float64 `json:"forceRateHz"`
	MarkerRateHz     float64 `json:"markerRateHz"`
	ContactThreshold float64 `json:"contactThresholdN"`

	Right GaitSide `json:"right"`
	Left  GaitSide `json:"left"`

	CadenceStepsPerMin     *float64 `json:"cadenceStepsPerMin"`
	StanceTimeAsymmetryPct *float64 `json:"stanceTimeAsymmetryPct"`
	// PelvicRotationRangeDeg is the range of the line between the
	// anterior superior iliac spine markers (R.ASIS, L.ASIS, or RASI,
	// LASI) about the vertical over the first whole right gait cycle.
	PelvicRotationRangeDeg *float64 `json:"pelvicRotationRangeDeg"`

	// AnkleMethod is "inverse-dynamics", or "not-computed" with the reason
	// in AnkleNote.
	AnkleMethod        string  `json:"ankleMethod"`
	AnkleNote          string  `json:"ankleNote,omitempty"`
	AchillesMomentArmM float64 `json:"achillesMomentArmM"`
}

// Run runs the command on its arguments.
func (c *GaitCommand) Run(ctx context.Context, m *Main, args []string) error {
	fs := newFlagSet("gait")
	fs.StringVar(&c.trc, "trc", "", "marker trajectories, an OpenSim `.trc` file")
	fs.StringVar(&c.grf, "grf", "", "ground reaction forces, an OpenSim `.mot` (or .sto) table")
	fs.StringVar(&c.id, "id", "", "inverse-dynamics results, an OpenSim `.sto` table (optional)")
	fs.Float64Var(&c.mass, "mass", 0, "body mass in `kg` (required for OpenSim files, and for a C3D file that records none)")
	fs.Float64Var(&c.momentArm, "moment-arm", gait.DefaultMomentArm, "Achilles tendon moment arm in `metres`")
	fs.BoolVar(&c.json, "json", false, "print JSON instead of text")
	fs.BoolVar(&c.assessment, "assessment", false, "print an assessment document with the gait section only")
	fs.StringVar(&c.plot, "plot", "", "draw the gait cycle curves to `FILE` (.svg or .png; C3D only)")
	fs.StringVar(&c.side, "side", "", "the affected `side` (left or right) whose ankle figures become evidence")
	fs.StringVar(&c.rightPrefix, "right-prefix", "", "`prefix` of the right foot's force columns (OpenSim)")
	fs.StringVar(&c.leftPrefix, "left-prefix", "1_", "`prefix` of the left foot's force columns (OpenSim)")
	pos, err := parseArgs(m, fs, gaitUsage, args)
	if err != nil {
		return err
	}
	switch {
	case c.json && c.assessment:
		return badInputf("gait: --json and --assessment: choose one")
	case c.side != "" && c.side != "left" && c.side != "right":
		return badInputf("gait: --side %q: want left or right", c.side)
	case c.mass < 0 || math.IsNaN(c.mass) || math.IsInf(c.mass, 0):
		return badInputf("gait: --mass %v: want a positive body mass in kg", c.mass)
	case !(c.momentArm > 0) || math.IsInf(c.momentArm, 0):
		return badInputf("gait: --moment-arm %v: want a positive length in metres", c.momentArm)
	}
	if len(pos) > 0 {
		if len(pos) > 1 {
			return badInputf("gait: one C3D file at a time (got %d)", len(pos))
		}
		if c.trc != "" || c.grf != "" || c.id != "" {
			return badInputf("gait: give either a C3D file or --trc and --grf, not both")
		}
		return c.runC3D(m, pos[0])
	}
	if c.plot != "" {
		return badInputf("gait: --plot needs a C3D file")
	}
	switch {
	case c.trc == "":
		return badInputf("gait: give a C3D file, or --trc and --grf (see 'tendo gait --help')")
	case c.grf == "":
		return badInputf("gait: --grf is required (see 'tendo gait --help')")
	case c.mass == 0:
		return badInputf("gait: --mass is required: the body mass in kg (see 'tendo gait --help')")
	case c.leftPrefix == c.rightPrefix:
		return badInputf("gait: --left-prefix and --right-prefix are both %q", c.leftPrefix)
	}
	if !strings.EqualFold(filepath.Ext(c.trc), ".trc") {
		return badInputf("gait: --trc %s: not a .trc file", c.trc)
	}

	res, err := c.compute()
	if err != nil {
		return err
	}
	if c.assessment {
		src := tendo.GaitInstrumented
		g := tendo.Gait{Source: &src, CadenceStepsPerMin: res.CadenceStepsPerMin, StanceTimeAsymmetryPct: res.StanceTimeAsymmetryPct, PelvicRotationRangeDeg: res.PelvicRotationRangeDeg}
		side := &res.Right
		switch {
		case c.side == "left":
			side = &res.Left
		case c.side == "" && res.Left.PeakAchillesForceBw != nil && (res.Right.PeakAchillesForceBw == nil || *res.Left.PeakAchillesForceBw < *res.Right.PeakAchillesForceBw):
			side = &res.Left
		}
		g.PeakAnklePlantarflexorMomentNmPerKg, g.PeakAchillesForceBW = side.PeakAnklePlantarflexorMomentNmPerKg, side.PeakAchillesForceBw
		return writeJSON(m.Stdout, gaitAssessment{Gait: g})
	}
	if c.json {
		return writeJSON(m.Stdout, res)
	}
	return writeGaitText(m.Stdout, res)
}

// gaitAssessment is the --assessment output: an assessment document with
// only its gait section.
type gaitAssessment struct {
	Gait tendo.Gait `json:"gait"`
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// runC3D analyses a C3D file.
func (c *GaitCommand) runC3D(m *Main, path string) error {
	if !strings.EqualFold(filepath.Ext(path), ".c3d") {
		return badInputf("gait: %s: not a .c3d file (OpenSim files are given with --trc and --grf)", path)
	}
	plotFormat := ""
	if c.plot != "" {
		switch strings.ToLower(filepath.Ext(c.plot)) {
		case ".svg":
			plotFormat = "svg"
		case ".png":
			plotFormat = "png"
		default:
			return badInputf("gait: --plot %s: want a .svg or .png file", c.plot)
		}
	}
	f, err := openInput(path)
	if err != nil {
		return err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return err
	}
	if st.Size() > tendo.MaxGaitTrialSize {
		return badInputf("%s: %d bytes; the largest trial tendo reads is %d MiB", path, st.Size(), tendo.MaxGaitTrialSize>>20)
	}
	data, err := io.ReadAll(io.LimitReader(f, tendo.MaxGaitTrialSize+1))
	if err != nil {
		return err
	}
	a := &gaitlab.Analyzer{MomentArm: c.momentArm}
	r, err := a.AnalyzeGait(filepath.Base(path), data, c.mass, c.side)
	if err != nil {
		var te *tendo.Error
		// The analysis names the file by its base name; name it as given.
		dir := filepath.Dir(path) + string(filepath.Separator)
		if dir == "."+string(filepath.Separator) {
			dir = ""
		}
		if errors.As(err, &te) && te.Field == "massKg" {
			return badInputf("%s%s (--mass KG)", dir, te.Message)
		}
		if errors.As(err, &te) && te.Field == "file" {
			return badInputf("%s%s", dir, te.Message)
		}
		if errors.As(err, &te) {
			return badInputf("%s", te.Message)
		}
		return err
	}
	if plotFormat != "" {
		img, err := chart.GaitCycles(r, plotFormat)
		if err != nil {
			return badInputf("gait: --plot: %v", err)
		}
		if err := os.WriteFile(c.plot, img, 0o644); err != nil {
			return err
		}
	}
	switch {
	case c.assessment:
		return writeJSON(m.Stdout, gaitAssessment{Gait: r.Evidence})
	case c.json:
		return writeJSON(m.Stdout, r)
	}
	return writeReportText(m.Stdout, r)
}

// writeReportText prints a C3D gait report: each figure with its normal
// range, then the notes.
func writeReportText(w io.Writer, r *tendo.GaitReport) error {
	var b strings.Builder
	fmt.Fprintf(&b, "Gait: %s\n", r.File)
	fmt.Fprintf(&b, "  %-40s %.1f kg (%s)\n", "body mass", r.BodyMassKg, map[string]string{"file": "from the file", "given": "given"}[r.MassFrom])
	fmt.Fprintf(&b, "  %-40s %.2f s\n", "recording", r.DurationS)
	fmt.Fprintf(&b, "  %-40s %s\n", "events from", r.Events)
	group := "-"
	for _, mt := range r.Metrics {
		if mt.Side != group {
			group = mt.Side
			switch group {
			case "":
				fmt.Fprintln(&b, "\nBoth feet")
			default:
				fmt.Fprintf(&b, "\n%s foot\n", strings.ToUpper(group[:1])+group[1:])
			}
		}
		val := "not computed"
		if mt.Value != nil {
			val = formatValue(*mt.Value) + " " + mt.Unit
		} else if mt.Note != "" {
			val += " (" + mt.Note + ")"
		}
		normal := ""
		if mt.Normal != nil {
			normal = fmt.Sprintf("   normal %s–%s %s", formatValue(mt.Normal.Low), formatValue(mt.Normal.High), mt.Unit)
			if mt.Outside != "" {
				normal += ", " + strings.ToUpper(mt.Outside)
			}
		}
		fmt.Fprintf(&b, "  %-40s %s%s\n", mt.Label, val, normal)
	}
	if r.EvidenceSide != "" {
		fmt.Fprintf(&b, "\nEvidence for an assessment (--assessment) takes the ankle figures of the %s foot.\n", r.EvidenceSide)
	}
	if len(r.Notes) > 0 {
		fmt.Fprintln(&b, "\nNotes")
		for _, n := range r.Notes {
			fmt.Fprintf(&b, "  - %s\n", n)
		}
	}
	sources := map[string]bool{}
	var list []string
	for _, mt := range r.Metrics {
		if mt.Normal != nil && !sources[mt.Normal.Source] {
			sources[mt.Normal.Source] = true
			list = append(list, mt.Normal.Source)
		}
	}
	if len(list) > 0 {
		fmt.Fprintln(&b, "\nNormal ranges")
		for _, s := range list {
			fmt.Fprintf(&b, "  - %s\n", s)
		}
	}
	fmt.Fprintln(&b, "\ntendo supports clinical judgement; it does not replace it.")
	_, err := io.WriteString(w, b.String())
	return err
}

// formatValue prints a figure with three significant digits.
func formatValue(v float64) string {
	return strconv.FormatFloat(v, 'g', 3, 64)
}

// openInput opens path for reading; a missing file is bad input.
func openInput(path string) (*os.File, error) {
	f, err := os.Open(path)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, badInputf("%s: no such file", path)
		}
		return nil, badInput(err)
	}
	return f, nil
}

// fileError names the file (and line, for a format error) of a read error.
func fileError(path string, err error) error {
	var fe *osim.FormatError
	if errors.As(err, &fe) {
		return badInputf("%s:%d: %s", path, fe.Line, fe.Msg)
	}
	return badInputf("%s: %v", path, err)
}

func readTable(path string) (*osim.Table, error) {
	f, err := openInput(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	t, err := osim.ReadTable(f)
	if err != nil {
		return nil, fileError(path, err)
	}
	return t, nil
}

// tableRate returns a table's time column and its sampling rate in hertz,
// taken from the span (OpenSim rounds the time column).
func tableRate(path string, t *osim.Table) ([]float64, float64, error) {
	time := t.Time()
	if len(time) < 2 {
		return nil, 0, badInputf("%s: want a time column and at least two rows", path)
	}
	span := time[len(time)-1] - time[0]
	if !(span > 0) {
		return nil, 0, badInputf("%s: the time column does not increase", path)
	}
	return time, math.Round(float64(len(time)-1) / span), nil
}

func (c *GaitCommand) compute() (*GaitResult, error) {
	f, err := openInput(c.trc)
	if err != nil {
		return nil, err
	}
	trc, err := osim.ReadTRC(f)
	f.Close()
	if err != nil {
		return nil, fileError(c.trc, err)
	}

	grf, err := readTable(c.grf)
	if err != nil {
		return nil, err
	}
	time, rate, err := tableRate(c.grf, grf)
	if err != nil {
		return nil, err
	}
	vertical := func(prefix, flagName string) ([]float64, error) {
		name := prefix + "ground_force_vy"
		col, ok := grf.Column(name)
		if !ok {
			return nil, badInputf("%s: no column %q (see --%s)", c.grf, name, flagName)
		}
		return col, nil
	}
	fzR, err := vertical(c.rightPrefix, "right-prefix")
	if err != nil {
		return nil, err
	}
	fzL, err := vertical(c.leftPrefix, "left-prefix")
	if err != nil {
		return nil, err
	}
	cr := gait.ContactEvents(fzR, rate, gait.DefaultContactThreshold, gait.DefaultContactHysteresis)
	cl := gait.ContactEvents(fzL, rate, gait.DefaultContactThreshold, gait.DefaultContactHysteresis)
	tm := gait.Spatiotemporal(cr, cl, rate)

	res := &GaitResult{
		MarkersFile: c.trc, ForcesFile: c.grf, IDFile: c.id,
		BodyMassKg: c.mass, ForceRateHz: rate, MarkerRateHz: trc.DataRate,
		ContactThreshold:       gait.DefaultContactThreshold,
		Right:                  gaitSide(c.rightPrefix, cr, tm.Right, time),
		Left:                   gaitSide(c.leftPrefix, cl, tm.Left, time),
		CadenceStepsPerMin:     num(tm.Cadence),
		StanceTimeAsymmetryPct: num(tm.StanceAsymmetry),
		AchillesMomentArmM:     c.momentArm,
	}

	res.PelvicRotationRangeDeg = num(pelvisOpenSim(trc, cr, time))

	if c.id == "" {
		res.AnkleMethod = "not-computed"
		res.AnkleNote = "needs --id or malleolus markers"
		return res, nil
	}
	id, err := readTable(c.id)
	if err != nil {
		return nil, err
	}
	idTime, idRate, err := tableRate(c.id, id)
	if err != nil {
		return nil, err
	}
	for _, s := range []struct {
		col  string
		side *GaitSide
	}{{"ankle_angle_r_moment", &res.Right}, {"ankle_angle_l_moment", &res.Left}} {
		col, ok := id.Column(s.col)
		if !ok {
			return nil, badInputf("%s: no column %q", c.id, s.col)
		}
		c.ankle(s.side, gait.PlantarflexorFromID(col), idTime, idRate)
	}
	res.AnkleMethod = "inverse-dynamics"
	return res, nil
}

// pelvisOpenSim returns the pelvic rotation range (degrees) over the
// first whole right gait cycle of the force-plate contacts cr (sampled at
// the times of the force table), from the iliac spine markers filtered at
// gait.MarkerCutoff; NaN without them or without a whole cycle.
func pelvisOpenSim(trc *osim.TRC, cr []gait.Contact, time []float64) float64 {
	var l, r [][3]float64
	for _, names := range [][2]string{{"L.ASIS", "R.ASIS"}, {"LASI", "RASI"}} {
		if lm, ok := trc.Marker(names[0]); ok {
			if rm, ok := trc.Marker(names[1]); ok {
				l, r = lm, rm
				break
			}
		}
	}
	if l == nil || len(trc.Times) == 0 {
		return math.NaN()
	}
	if f, err := gait.Butterworth(gait.MarkerFilterOrder, gait.MarkerCutoff, trc.DataRate); err == nil {
		l, r = f.FiltFilt3(l), f.FiltFilt3(r)
	}
	var strikes []int
	for _, c := range cr {
		if c.Start >= 0 && c.Start < len(time) {
			strikes = append(strikes, int(math.Round((time[c.Start]-trc.Times[0])*trc.DataRate)))
		}
	}
	if len(strikes) < 2 || strikes[1] >= len(l) {
		return math.NaN()
	}
	return gait.PelvicRotationRange(l, r, strikes[0], strikes[1]+1, gait.AxisY)
}

// ankle fills the ankle figures of one side from its plantarflexor moment
// (N·m) sampled at times t, rate hertz.
func (c *GaitCommand) ankle(s *GaitSide, moment, t []float64, rate float64) {
	i, peak := gait.Peak(moment, 0, len(moment))
	if i < 0 {
		return
	}
	s.PeakAnklePlantarflexorMomentNm = num(peak)
	s.PeakAnklePlantarflexorMomentNmPerKg = num(peak / c.mass)
	force := gait.AchillesForce(moment, c.momentArm)
	bw := gait.BodyWeights(force, c.mass)
	ip, peakBW := gait.Peak(bw, 0, len(bw))
	if ip < 0 {
		return
	}
	s.PeakAchillesForceN = num(force[ip])
	s.PeakAchillesForceBw = num(peakBW)
	s.PeakAchillesForceTimeS = num(t[ip])
	// The rise is taken from the last sample before the peak with no
	// plantarflexor load (moment ≤ 0), or the first sample.
	start := 0
	for j := ip; j >= 0; j-- {
		if moment[j] <= 0 {
			start = j
			break
		}
	}
	s.AchillesLoadingRateBwPerS = num(gait.LoadingRate(bw, rate, start, ip))
}

func gaitSide(prefix string, cs []gait.Contact, s gait.Side, time []float64) GaitSide {
	g := GaitSide{
		ForcePrefix: prefix,
		Contacts:    []GaitContact{},
		StanceTimeS: num(s.StanceTime), SwingTimeS: num(s.SwingTime),
		StrideTimeS: num(s.StrideTime), StancePct: num(s.StancePct),
	}
	at := func(i int) *float64 {
		if i < 0 || i >= len(time) {
			return nil
		}
		return num(time[i])
	}
	for _, c := range cs {
		g.Contacts = append(g.Contacts, GaitContact{StrikeS: at(c.Start), OffS: at(c.End)})
	}
	return g
}

// num returns a pointer to v, or nil when v is NaN or infinite (JSON null).
func num(v float64) *float64 {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return nil
	}
	return &v
}

func writeGaitText(w io.Writer, r *GaitResult) error {
	var b strings.Builder
	line := func(label, format string, args ...any) {
		fmt.Fprintf(&b, "  %-34s "+format+"\n", append([]any{label}, args...)...)
	}
	val := func(v *float64, format, unit string) string {
		if v == nil {
			return "not observed"
		}
		return fmt.Sprintf(format, *v) + unit
	}
	fmt.Fprintln(&b, "Gait")
	line("markers", "%s", r.MarkersFile)
	line("forces", "%s", r.ForcesFile)
	if r.IDFile != "" {
		line("inverse dynamics", "%s", r.IDFile)
	}
	line("body mass", "%.1f kg", r.BodyMassKg)
	line("force sampling rate", "%.0f Hz", r.ForceRateHz)
	line("marker sampling rate", "%.0f Hz", r.MarkerRateHz)
	line("contact threshold", "%.0f N vertical force", r.ContactThreshold)
	for _, s := range []struct {
		name string
		side *GaitSide
	}{{"Right", &r.Right}, {"Left", &r.Left}} {
		g := s.side
		fmt.Fprintf(&b, "\n%s foot (force columns %q)\n", s.name, g.ForcePrefix+"ground_force_*")
		if len(g.Contacts) == 0 {
			line("contacts", "none")
		}
		for i, c := range g.Contacts {
			line(fmt.Sprintf("contact %d", i+1), "strike %s, foot off %s",
				val(c.StrikeS, "%.3f", " s"), val(c.OffS, "%.3f", " s"))
		}
		line("stance time", "%s", val(g.StanceTimeS, "%.3f", " s"))
		line("swing time", "%s", val(g.SwingTimeS, "%.3f", " s"))
		line("stride time", "%s", val(g.StrideTimeS, "%.3f", " s"))
		line("stance", "%s", val(g.StancePct, "%.1f", " % of stride"))
		if r.AnkleMethod != "inverse-dynamics" {
			line("peak ankle plantarflexor moment", "not computed (%s)", r.AnkleNote)
			line("peak Achilles tendon force", "not computed (%s)", r.AnkleNote)
			continue
		}
		line("peak ankle plantarflexor moment", "%s (%s)",
			val(g.PeakAnklePlantarflexorMomentNm, "%.1f", " N·m"),
			val(g.PeakAnklePlantarflexorMomentNmPerKg, "%.2f", " N·m/kg"))
		line("peak Achilles tendon force", "%s (%s) at %s",
			val(g.PeakAchillesForceN, "%.0f", " N"),
			val(g.PeakAchillesForceBw, "%.2f", " body weights"),
			val(g.PeakAchillesForceTimeS, "%.3f", " s"))
		line("Achilles force loading rate", "%s", val(g.AchillesLoadingRateBwPerS, "%.1f", " body weights/s"))
	}
	fmt.Fprintln(&b, "\nBoth feet")
	line("cadence", "%s", val(r.CadenceStepsPerMin, "%.1f", " steps/min"))
	line("stance time asymmetry", "%s", val(r.StanceTimeAsymmetryPct, "%.2f", " % (Robinson symmetry index)"))
	line("pelvic rotation range", "%s", val(r.PelvicRotationRangeDeg, "%.1f", "° over the first right gait cycle"))
	line("Achilles tendon moment arm", "%.3f m", r.AchillesMomentArmM)
	fmt.Fprintln(&b)
	if r.AnkleMethod == "inverse-dynamics" {
		fmt.Fprintln(&b, "tendo supports clinical judgement; it does not replace it. The ankle figures come from inverse dynamics (the --id table); the Achilles force takes the triceps surae to carry the whole plantarflexor moment.")
	} else {
		fmt.Fprintln(&b, "tendo supports clinical judgement; it does not replace it. The timing figures come from the force plates; the ankle figures were not computed (needs --id or malleolus markers).")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

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
	"strings"

	"github.com/tendo-health/tendo/gait"
	"github.com/tendo-health/tendo/osim"
)

const gaitUsage = `Usage: tendo gait --trc MARKERS.trc --grf FORCES.mot [--id ID.sto] --mass KG [--moment-arm M] [--json]

Derives instrumented gait figures from OpenSim files: the foot contacts,
stance, swing and stride times and stance percentage of each foot from the
vertical ground reaction forces; the cadence and the stance-time asymmetry
(Robinson symmetry index); and, with an inverse-dynamics table (--id), the
peak ankle plantarflexor moment of each foot and the peak Achilles tendon
force and its loading rate at the given moment arm.

Force columns follow OpenSim's convention: ground_force_vx/vy/vz (force, N),
ground_force_px/py/pz (centre of pressure, m) and ground_torque_x/y/z (free
moment, N·m), with Y vertical. As in OpenSim's subject01_walk_grf.xml, the
unprefixed columns act on the right foot (calcn_r) and those prefixed "1_"
on the left (calcn_l); --right-prefix and --left-prefix change that.
The inverse-dynamics table must have ankle_angle_r_moment and
ankle_angle_l_moment (N·m, dorsiflexion positive, as OpenSim writes them).
Without --id the ankle figures are not computed (the quasi-static estimate
from malleolus markers is not wired in yet).

--json prints one object whose field names carry their units; the names
cadenceStepsPerMin, stanceTimeAsymmetryPct,
peakAnklePlantarflexorMomentNmPerKg and peakAchillesForceBw are those of the
assessment contract's gait section. Figures that cannot be computed are null.

tendo supports clinical judgement; it does not replace it.

Exit codes: 0 done; 2 bad input (the message names the file and line); 1 other errors.`

func gaitCommand() *command {
	return &command{
		name:    "gait",
		summary: "gait figures from OpenSim marker, force and inverse-dynamics files",
		usage:   gaitUsage,
		run:     (&GaitCommand{}).Run,
	}
}

// GaitCommand is tendo gait: spatiotemporal parameters and ankle loading
// from OpenSim files (.trc markers, .mot forces, .sto inverse dynamics).
type GaitCommand struct {
	trc, grf, id            string
	mass, momentArm         float64
	json                    bool
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
	fs.Float64Var(&c.mass, "mass", 0, "body mass in `kg` (required)")
	fs.Float64Var(&c.momentArm, "moment-arm", gait.DefaultMomentArm, "Achilles tendon moment arm in `metres`")
	fs.BoolVar(&c.json, "json", false, "print JSON instead of text")
	fs.StringVar(&c.rightPrefix, "right-prefix", "", "`prefix` of the right foot's force columns")
	fs.StringVar(&c.leftPrefix, "left-prefix", "1_", "`prefix` of the left foot's force columns")
	pos, err := parseArgs(m, fs, gaitUsage, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return badInputf("gait: unexpected argument %q (files are given with --trc, --grf and --id)", pos[0])
	}
	switch {
	case c.trc == "":
		return badInputf("gait: --trc is required (see 'tendo gait --help')")
	case c.grf == "":
		return badInputf("gait: --grf is required (see 'tendo gait --help')")
	case c.mass == 0:
		return badInputf("gait: --mass is required: the body mass in kg (see 'tendo gait --help')")
	case !(c.mass > 0) || math.IsInf(c.mass, 0):
		return badInputf("gait: --mass %v: want a positive body mass in kg", c.mass)
	case !(c.momentArm > 0) || math.IsInf(c.momentArm, 0):
		return badInputf("gait: --moment-arm %v: want a positive length in metres", c.momentArm)
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
	if c.json {
		enc := json.NewEncoder(m.Stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(res)
	}
	return writeGaitText(m.Stdout, res)
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

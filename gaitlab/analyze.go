package gaitlab

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/tendo-health/tendo"
	"github.com/tendo-health/tendo/c3d"
	"github.com/tendo-health/tendo/gait"
)

// Options are the choices of an analysis.
type Options struct {
	// File names the trial in the report.
	File string
	// MassKg is the body mass in kg, used when the file has none (0: none
	// given). A mass in the file wins.
	MassKg float64
	// Side is the affected side ("left" or "right") whose figures become
	// evidence; "" lets the analysis choose (the side with the lower peak
	// Achilles force).
	Side string
	// MomentArm is the Achilles tendon moment arm in metres; 0 means
	// gait.DefaultMomentArm.
	MomentArm float64
}

// Analyzer implements tendo.GaitAnalyzer with the default options.
type Analyzer struct {
	// MomentArm is the Achilles tendon moment arm in metres; 0 means
	// gait.DefaultMomentArm.
	MomentArm float64
}

// New returns an Analyzer with the default Achilles moment arm.
func New() *Analyzer { return &Analyzer{} }

// AnalyzeGait reads a C3D file from data and analyses it. Errors for a bad
// file are *tendo.Error with code EINVALID, field "file".
func (a *Analyzer) AnalyzeGait(name string, data []byte, massKg float64, side string) (*tendo.GaitReport, error) {
	if len(data) > tendo.MaxGaitTrialSize {
		return nil, invalid("%s: %d bytes; the largest trial tendo reads is %d MiB", name, len(data), tendo.MaxGaitTrialSize>>20)
	}
	f, err := c3d.Read(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, invalid("%s: %v", name, err)
	}
	return Analyze(f, Options{File: name, MassKg: massKg, Side: side, MomentArm: a.MomentArm})
}

func invalid(format string, args ...any) error {
	return &tendo.Error{Code: tendo.EINVALID, Field: "file", Message: fmt.Sprintf(format, args...)}
}

// Contact detection on the plates: the gait package's defaults.
const (
	contactThreshold  = gait.DefaultContactThreshold
	contactHysteresis = gait.DefaultContactHysteresis
	// minProgression is the least distance, in metres, the pelvis must
	// travel for the walking direction to be taken from it.
	minProgression = 0.5
)

// trial is a C3D file prepared for analysis: markers in metres, the lab's
// axes, and the plates.
type trial struct {
	f          *c3d.File
	m          *markers
	up, fwd    [3]float64 // unit vectors, lab frame
	right      [3]float64 // fwd × up
	vertical   int        // index of the lab axis nearest to up
	ratio      int        // analog samples per marker frame
	analogRate float64
	plates     []c3d.ForcePlate
	momentSI   float64 // plate moment unit → N·m
	massKg     float64
	notes      []string
}

// Analyze analyses a decoded C3D file.
func Analyze(f *c3d.File, o Options) (*tendo.GaitReport, error) {
	if o.MomentArm == 0 {
		o.MomentArm = gait.DefaultMomentArm
	}
	if !(o.MomentArm > 0) || math.IsInf(o.MomentArm, 0) {
		return nil, &tendo.Error{Code: tendo.EINVALID, Field: "momentArm", Message: fmt.Sprintf("Achilles moment arm %v m: want a positive length", o.MomentArm)}
	}
	switch o.Side {
	case "", "left", "right":
	default:
		return nil, &tendo.Error{Code: tendo.EINVALID, Field: "side", Message: fmt.Sprintf("side %q: want left, right or empty", o.Side)}
	}
	t, err := prepare(f, o)
	if err != nil {
		return nil, err
	}
	r := &tendo.GaitReport{
		File: o.File, Format: "c3d", BodyMassKg: t.massKg, MassFrom: "given",
		DurationS:          float64(len(f.Points)) / f.FrameRate,
		AchillesMomentArmM: o.MomentArm,
	}
	if fileMass(f) > 0 {
		r.MassFrom = "file"
	}
	t.analyse(r, o)
	r.Notes = append(r.Notes, t.notes...)
	return r, nil
}

// fileMass returns the body mass the file records, in kg, or 0.
func fileMass(f *c3d.File) float64 {
	for _, p := range [][2]string{{"PROCESSING", "Bodymass"}, {"SUBJECTS", "WEIGHT"}, {"SUBJECTS", "MASS"}, {"SUBJECT", "WEIGHT"}, {"SUBJECT", "MASS"}} {
		if prm := f.Param(p[0], p[1]); prm != nil {
			if v := prm.Floats(); len(v) > 0 && v[0] > 0 && v[0] < 500 {
				return v[0]
			}
		}
	}
	return 0
}

// lengthScale returns the factor from a unit of length to metres.
func lengthScale(unit string) (float64, bool) {
	switch strings.ToLower(strings.TrimSpace(unit)) {
	case "mm", "":
		return 0.001, true
	case "cm":
		return 0.01, true
	case "m":
		return 1, true
	}
	return 0, false
}

func prepare(f *c3d.File, o Options) (*trial, error) {
	if len(f.Points) < 2 || !(f.FrameRate > 0) {
		return nil, invalid("%s: no marker frames", o.File)
	}
	unit := ""
	if p := f.Param("POINT", "UNITS"); p != nil {
		if s := p.Strings(); len(s) > 0 {
			unit = s[0]
		}
	}
	scale, ok := lengthScale(unit)
	if !ok {
		return nil, invalid("%s: POINT:UNITS %q: want mm, cm or m", o.File, unit)
	}
	t := &trial{f: f, m: newMarkers(f, scale), analogRate: f.AnalogRate, ratio: max(f.AnalogSamples, 1)}
	if unit == "" {
		t.notes = append(t.notes, "The file does not give its length unit; millimetres were assumed.")
	}
	t.massKg = fileMass(f)
	if t.massKg == 0 {
		t.massKg = o.MassKg
	}
	if !(t.massKg > 0) || math.IsInf(t.massKg, 0) {
		return nil, &tendo.Error{Code: tendo.EINVALID, Field: "massKg", Message: fmt.Sprintf("%s: the file records no body mass; give it in kg", o.File)}
	}

	plates, err := f.ForcePlates()
	switch {
	case errors.Is(err, c3d.ErrNoForcePlates):
		t.notes = append(t.notes, "The file has no force plates: events come from the markers, and forces, moments and the Achilles force are not computed.")
	case err != nil:
		return nil, invalid("%s: force plates: %v", o.File, err)
	default:
		for _, p := range plates {
			if len(p.Force) > 0 {
				t.plates = append(t.plates, p)
			}
		}
	}

	// Up: against the plates' normal (their z axis points into the
	// plate), else the C3D convention of a vertical Z.
	t.up = [3]float64{0, 0, 1}
	if len(t.plates) > 0 {
		t.up = scale3(t.plates[0].Axes[2], -1)
	}
	t.vertical = 0
	for k := 1; k < 3; k++ {
		if math.Abs(t.up[k]) > math.Abs(t.up[t.vertical]) {
			t.vertical = k
		}
	}
	t.momentSI = scale
	if len(t.plates) > 0 && len(t.plates[0].Channels) >= 4 {
		if s, ok := momentScale(f, t.plates[0].Channels[3]); ok {
			t.momentSI = s
		}
	}

	// Forward: the direction the pelvis travels, in the horizontal plane.
	t.fwd = [3]float64{math.NaN(), math.NaN(), math.NaN()}
	if s := t.sacrum(); s != nil {
		a, b := firstLast(s)
		if a >= 0 {
			d := sub(s[b], s[a])
			d = sub(d, scale3(t.up, dot(d, t.up)))
			if n := norm(d); n >= minProgression {
				t.fwd = scale3(d, 1/n)
			}
		}
	}
	if !finite3(t.fwd) {
		// Treadmill or standing: the lab's first horizontal axis.
		h := 0
		if t.vertical == 0 {
			h = 1
		}
		t.fwd = [3]float64{}
		t.fwd[h] = 1
		t.notes = append(t.notes, "The pelvis travels less than 0.5 m, so the walking direction was taken as the lab's first horizontal axis; the step lengths, the speed and the ankle moments assume it.")
	}
	t.right = cross(t.fwd, t.up)
	return t, nil
}

// momentScale returns the factor from the unit of analog channel ch (a
// moment) to N·m.
func momentScale(f *c3d.File, ch int) (float64, bool) {
	p := f.Param("ANALOG", "UNITS")
	if p == nil {
		return 0, false
	}
	u := p.Strings()
	if ch >= len(u) {
		return 0, false
	}
	switch strings.ToLower(strings.NewReplacer(" ", "", ".", "", "*", "", "·", "").Replace(u[ch])) {
	case "nmm":
		return 0.001, true
	case "nm":
		return 1, true
	}
	return 0, false
}

// sacrum returns the sacrum marker or the midpoint of the posterior
// superior iliac spines.
func (t *trial) sacrum() [][3]float64 {
	if s := t.m.get("SACR"); s != nil {
		return s
	}
	return mid(t.m.get("RPSI"), t.m.get("LPSI"))
}

// firstLast returns the first and last frames where p is finite, or −1.
func firstLast(p [][3]float64) (int, int) {
	a, b := -1, -1
	for i := range p {
		if finite3(p[i]) {
			if a < 0 {
				a = i
			}
			b = i
		}
	}
	return a, b
}

// os returns v in OpenSim's frame (X forward, Y up, Z right), the frame of
// gait.PlantarflexorMoment.
func (t *trial) os(v [3]float64) [3]float64 {
	return [3]float64{dot(v, t.fwd), dot(v, t.up), dot(v, t.right)}
}

// sides are the two feet in report order.
var sides = []string{"right", "left"}

func prefix(side string) string { return strings.ToUpper(side[:1]) }

// event is a foot strike or foot off at an analog sample.
type event struct {
	at     int
	strike bool
	plate  bool
}

// foot is one side's events and the plate contacts under it.
type foot struct {
	side     string
	events   []event
	contacts []gait.Contact // from the merged events, at the analog rate
	plate    []plateContact
}

type plateContact struct {
	plate int
	c     gait.Contact
}

func (t *trial) analyse(r *tendo.GaitReport, o Options) {
	feet := map[string]*foot{}
	usedPlates := false
	for _, s := range sides {
		ft := &foot{side: s}
		feet[s] = ft
		heel, toe, sac := t.m.get(prefix(s)+"HEE"), t.m.get(prefix(s)+"TOE"), t.sacrum()
		if heel == nil || toe == nil || sac == nil {
			continue
		}
		strikes, offs, err := gait.MarkerEvents(heel, toe, sac, t.m.rate, t.vertical, t.fwd)
		if err != nil {
			t.notes = append(t.notes, fmt.Sprintf("No %s foot events from the markers: %v.", s, err))
			continue
		}
		for _, i := range strikes {
			ft.events = append(ft.events, event{at: i * t.ratio, strike: true})
		}
		for _, i := range offs {
			ft.events = append(ft.events, event{at: i * t.ratio})
		}
	}

	// Plate contacts, each given to the foot whose heel is nearer the
	// centre of pressure in mid-contact.
	fz := make([][]float64, len(t.plates))
	for pi, p := range t.plates {
		fz[pi] = make([]float64, len(p.Force))
		for i, v := range p.Force {
			fz[pi][i] = dot(v, t.up)
		}
		for _, c := range gait.ContactEvents(fz[pi], t.analogRate, contactThreshold, contactHysteresis) {
			if !c.Complete() {
				continue
			}
			s := t.footOn(p, c)
			if s == "" {
				t.notes = append(t.notes, fmt.Sprintf("A contact on force plate %d (%.2f–%.2f s) could not be given to a foot: no heel marker near it.", pi+1, float64(c.Start)/t.analogRate, float64(c.End)/t.analogRate))
				continue
			}
			if !t.whollyOn(p, s, c) {
				t.notes = append(t.notes, fmt.Sprintf("The %s foot was not wholly on force plate %d (%.2f–%.2f s): that contact gives no forces or moments.", s, pi+1, float64(c.Start)/t.analogRate, float64(c.End)/t.analogRate))
				continue
			}
			usedPlates = true
			feet[s].plate = append(feet[s].plate, plateContact{pi, c})
		}
	}
	// Timing comes from one method for both feet, so that a difference
	// between the methods is not read as an asymmetry: the markers when
	// they give both feet's events (the plates hold only a step or two),
	// else the plates. Stance times come from the plates when both feet
	// have a clean contact.
	markersBoth := len(feet["right"].events) > 0 && len(feet["left"].events) > 0
	platesBoth := len(feet["right"].plate) > 0 && len(feet["left"].plate) > 0
	for _, s := range sides {
		ft := feet[s]
		if !markersBoth {
			ft.events = nil
			for _, pc := range ft.plate {
				ft.events = append(ft.events, event{at: pc.c.Start, strike: true, plate: true}, event{at: pc.c.End, plate: true})
			}
		}
		slices.SortFunc(ft.events, func(a, b event) int { return a.at - b.at })
		ft.contacts = contactsOf(ft.events)
	}
	rate := t.analogRateOr()
	tm := gait.Spatiotemporal(feet["right"].contacts, feet["left"].contacts, rate)
	switch {
	case markersBoth && usedPlates:
		r.Events = "markers (timing) and force plates (loading)"
		t.notes = append(t.notes, "Foot strikes and foot offs come from the heel and toe markers (Zeni 2008), which find foot strikes a few hundredths of a second early; the force plates give each foot's loading.")
	case markersBoth:
		r.Events = "markers"
		t.notes = append(t.notes, "Foot strikes and foot offs come from the heel and toe markers (Zeni 2008), which find foot strikes a few hundredths of a second early.")
	case usedPlates:
		r.Events = "force plates"
		t.notes = append(t.notes, "Foot strikes and foot offs come from the force plates alone, which hold only a few steps: the timing figures rest on them.")
	default:
		r.Events = "none"
		t.notes = append(t.notes, "No foot strikes were found: the file needs heel, toe and pelvis markers for both feet, or force plates.")
	}
	if platesBoth && markersBoth {
		pt := gait.Spatiotemporal(plateContacts(feet["right"]), plateContacts(feet["left"]), rate)
		tm.StanceAsymmetry = pt.StanceAsymmetry
		for _, x := range []struct{ dst, src *gait.Side }{{&tm.Right, &pt.Right}, {&tm.Left, &pt.Left}} {
			x.dst.StanceTime = x.src.StanceTime
			x.dst.StancePct = 100 * x.dst.StanceTime / x.dst.StrideTime
		}
		t.notes = append(t.notes, "Stance times and their asymmetry come from the force plates.")
	}

	add := func(key, label, side string, v float64, unit, note string) {
		mt := tendo.GaitMetric{Key: key, Label: label, Side: side, Unit: unit, Value: num(v), Note: note}
		if mt.Value == nil && mt.Note == "" {
			mt.Note = "not observed in this trial"
		}
		mt.Normal = band(key)
		if mt.Value != nil && mt.Normal != nil {
			switch {
			case *mt.Value < mt.Normal.Low:
				mt.Outside = "below"
			case *mt.Value > mt.Normal.High:
				mt.Outside = "above"
			}
		}
		r.Metrics = append(r.Metrics, mt)
	}

	// Both feet.
	add("cadenceStepsPerMin", "Cadence", "", tm.Cadence, "steps/min", "")
	add("speedMPerS", "Walking speed", "", t.speed(), "m/s", "")
	add("stanceTimeAsymmetryPct", "Stance-time asymmetry", "", tm.StanceAsymmetry, "%", "")
	steps := t.steps(feet)
	add("stepTimeAsymmetryPct", "Step-time asymmetry", "", gait.SymmetryIndex(steps["right"].time, steps["left"].time), "%", "")
	add("stepLengthAsymmetryPct", "Step-length asymmetry", "", gait.SymmetryIndex(steps["right"].length, steps["left"].length), "%", "")
	pelvis, pelvisNote := t.pelvicRotation(feet)
	add("pelvicRotationRangeDeg", "Pelvic rotation range", "", pelvis, "°", pelvisNote)
	trunk, trunkNote := t.trunkRotation(feet)
	add("trunkRotationRangeDeg", "Trunk rotation range", "", trunk, "°", trunkNote)

	// Each foot.
	kin := map[string]kinetics{}
	for _, s := range sides {
		ts := tm.Right
		if s == "left" {
			ts = tm.Left
		}
		add("stanceTimeS", "Stance time", s, ts.StanceTime, "s", "")
		add("swingTimeS", "Swing time", s, ts.SwingTime, "s", "")
		add("strideTimeS", "Stride time", s, ts.StrideTime, "s", "")
		add("stancePct", "Stance", s, ts.StancePct, "% of stride", "")
		add("stepTimeS", "Step time", s, steps[s].time, "s", "")
		add("stepLengthM", "Step length", s, steps[s].length, "m", "")
		k := t.kinetics(feet[s], fz, o.MomentArm, ts.StrideTime)
		if k.cycleEstimated {
			t.notes = append(t.notes, fmt.Sprintf("The recording ends before the %s foot's next strike: its gait cycle in the plot ends at its mean stride time.", s))
		}
		kin[s] = k
		add("peakVerticalForceBw", "Peak vertical ground reaction force", s, k.peakFzBW, "body weights", k.note)
		add("peakAnklePlantarflexorMomentNmPerKg", "Peak ankle plantarflexor moment", s, k.peakMomentNmPerKg, "N·m/kg", k.note)
		add("peakAchillesForceBw", "Peak Achilles tendon force", s, k.peakAchillesBW, "body weights", k.note)
		add("achillesLoadingRateBwPerS", "Achilles tendon loading rate", s, k.achillesRate, "body weights/s", k.note)
		add("verticalLoadingRateBwPerS", "Vertical loading rate", s, k.loadingRate, "body weights/s", k.note)
		strikeNote := k.note
		if k.strikePattern != "" {
			strikeNote = string(k.strikePattern) + " strike"
		}
		add("strikeIndexPct", "Strike index", s, k.strikeIndex, "% of foot length", strikeNote)
		if k.curves != nil {
			r.Curves = append(r.Curves, k.curves...)
		}
	}
	if len(t.plates) > 0 {
		r.AnkleMethod = "quasi-static"
		r.Notes = append(r.Notes, fmt.Sprintf("The ankle moment is quasi-static: the moment of the ground reaction force about the ankle joint centre, ignoring the weight and inertia of the foot. On OpenSim's reference walk it is within 2 %% of inverse dynamics at its peak; it is not computed in swing. The Achilles force is that moment divided by a moment arm of %.1f cm, taking the calf muscles to carry the whole moment; over moment arms of 3.5–5 cm the force changes by a factor of 1.4.", o.MomentArm*100))
	} else {
		r.AnkleMethod = "not-computed"
	}
	r.Notes = append(r.Notes, "Markers are low-pass filtered at 6 Hz (zero-lag Butterworth) before events and angles; forces are filtered at the same cut-off before the ankle moment.")
	r.Evidence, r.EvidenceSide = evidence(tm, pelvis, kin, o.Side)
}

// footOn returns the side whose foot stays nearer the plate's centre of
// pressure through contact c: the mean, over nine instants from 10 % to
// 90 % of the contact, of the 3D distance from the centre of pressure to
// the midpoint of the foot's heel and toe markers. The foot on the plate
// stays within a foot's length of it; the swinging foot passes over it
// briefly and higher up. It returns "" when neither foot was seen or both
// stay more than 0.3 m away on average.
func (t *trial) footOn(p c3d.ForcePlate, c gait.Contact) string {
	best, bestD := "", 0.3
	for _, s := range sides {
		foot := mid(t.m.get(prefix(s)+"HEE"), t.m.get(prefix(s)+"TOE"))
		if foot == nil {
			continue
		}
		var sum float64
		n := 0
		for k := 1; k <= 9; k++ {
			a := c.Start + k*(c.End-c.Start)/10
			cop := p.COP[a]
			f := foot[min(a/t.ratio, t.m.n-1)]
			if !finite3(cop) || !finite3(f) {
				continue
			}
			sum += norm(sub(f, scale3(cop, t.m.scale)))
			n++
		}
		if n >= 5 && sum/float64(n) < bestD {
			best, bestD = s, sum/float64(n)
		}
	}
	return best
}

// plateMargin is how far, in metres, the heel marker at foot strike and
// the toe marker at foot off may lie outside a plate's edges for the foot
// to count as wholly on it. An estimate: the heel marker sits on the back
// of the calcaneus, 2–4 cm behind the point that touches down, and the toe
// marker on the forefoot, behind the tip of the toes.
const plateMargin = 0.05

// whollyOn reports whether the side's heel at the strike of contact c and
// its toe at the foot off lie over plate p (within plateMargin): a foot
// partly off the plate gives a force that is not the whole ground
// reaction.
func (t *trial) whollyOn(p c3d.ForcePlate, side string, c gait.Contact) bool {
	heel, toe := t.m.get(prefix(side)+"HEE"), t.m.get(prefix(side)+"TOE")
	if heel == nil || toe == nil {
		return false
	}
	on := func(q [3]float64) bool {
		if !finite3(q) {
			return false
		}
		centre := scale3(p.Centre, t.m.scale)
		d := sub(q, centre)
		for k := range 2 {
			ax := p.Axes[k]
			var half float64
			for _, corner := range p.Corners {
				half = max(half, math.Abs(dot(sub(scale3(corner, t.m.scale), centre), ax)))
			}
			if math.Abs(dot(d, ax)) > half+plateMargin {
				return false
			}
		}
		return true
	}
	return on(heel[min(c.Start/t.ratio, t.m.n-1)]) && on(toe[min((c.End-1)/t.ratio, t.m.n-1)])
}

// plateContacts returns the foot's clean force-plate contacts in time
// order.
func plateContacts(ft *foot) []gait.Contact {
	var cs []gait.Contact
	for _, pc := range ft.plate {
		cs = append(cs, pc.c)
	}
	slices.SortFunc(cs, func(a, b gait.Contact) int { return a.Start - b.Start })
	return cs
}

// contactsOf pairs sorted strikes and offs into contacts.
// Two strikes in a row (a missed foot off) end the first contact unseen.
func contactsOf(events []event) []gait.Contact {
	var cs []gait.Contact
	open := -2 // no contact started
	for _, e := range events {
		switch {
		case e.strike:
			if open != -2 {
				cs = append(cs, gait.Contact{Start: open, End: -1})
			}
			open = e.at
		case open != -2:
			cs = append(cs, gait.Contact{Start: open, End: e.at})
			open = -2
		case len(cs) == 0:
			cs = append(cs, gait.Contact{Start: -1, End: e.at}) // in contact from the start
		}
	}
	if open != -2 {
		cs = append(cs, gait.Contact{Start: open, End: -1})
	}
	return cs
}

// speed returns the pelvis's mean speed along the walking direction, in
// m/s, over the frames where it was seen.
func (t *trial) speed() float64 {
	s := t.sacrum()
	if s == nil {
		return math.NaN()
	}
	a, b := firstLast(s)
	if a < 0 || b <= a {
		return math.NaN()
	}
	d := dot(sub(s[b], s[a]), t.fwd)
	if math.Abs(d) < minProgression {
		return math.NaN() // treadmill: the pelvis does not travel
	}
	return math.Abs(d) / (float64(b-a) / t.m.rate)
}

type stepFigures struct{ time, length float64 }

// steps returns each foot's mean step time (from the other foot's strike
// to its own) and step length (the distance along the walking direction
// between the heels at its strike).
func (t *trial) steps(feet map[string]*foot) map[string]stepFigures {
	type strike struct {
		at   int
		side string
	}
	var all []strike
	for _, s := range sides {
		for _, e := range feet[s].events {
			if e.strike {
				all = append(all, strike{e.at, s})
			}
		}
	}
	slices.SortFunc(all, func(a, b strike) int { return a.at - b.at })
	out := map[string]stepFigures{}
	for _, s := range sides {
		var times, lengths []float64
		other := "left"
		if s == "left" {
			other = "right"
		}
		own, oth := t.m.get(prefix(s)+"HEE"), t.m.get(prefix(other)+"HEE")
		for i := 1; i < len(all); i++ {
			if all[i].side != s || all[i-1].side == s {
				continue
			}
			times = append(times, float64(all[i].at-all[i-1].at)/t.analogRateOr())
			if own != nil && oth != nil {
				f := min(all[i].at/t.ratio, t.m.n-1)
				if finite3(own[f]) && finite3(oth[f]) {
					lengths = append(lengths, math.Abs(dot(sub(own[f], oth[f]), t.fwd)))
				}
			}
		}
		out[s] = stepFigures{mean(times), mean(lengths)}
	}
	return out
}

func (t *trial) analogRateOr() float64 {
	if t.analogRate > 0 {
		return t.analogRate
	}
	return t.m.rate * float64(t.ratio)
}

func mean(x []float64) float64 {
	if len(x) == 0 {
		return math.NaN()
	}
	var s float64
	for _, v := range x {
		s += v
	}
	return s / float64(len(x))
}

// cycles lists every whole gait cycle of the timing events, right foot
// first: the marker frames of two strikes of one foot and the side's
// index.
func (t *trial) cycles(feet map[string]*foot) [][3]int {
	var out [][3]int // from, to, side index
	for si, s := range sides {
		var strikes []int
		for _, e := range feet[s].events {
			if e.strike {
				strikes = append(strikes, e.at/t.ratio)
			}
		}
		for i := 1; i < len(strikes); i++ {
			out = append(out, [3]int{strikes[i-1], strikes[i], si})
		}
	}
	return out
}

// overCycle applies rng to the first whole gait cycle (right foot first)
// that gives a finite value, and says which cycle it was.
func (t *trial) overCycle(feet map[string]*foot, rng func(from, to int) float64) (float64, string) {
	for _, c := range t.cycles(feet) {
		if v := rng(c[0], c[1]+1); finite(v) {
			return v, fmt.Sprintf("over the %s gait cycle %.2f–%.2f s", sides[c[2]], float64(c[0])/t.m.rate, float64(c[1])/t.m.rate)
		}
	}
	return math.NaN(), "needs a whole gait cycle with the markers seen throughout"
}

// pelvicRotation returns the pelvis's range of rotation about the vertical
// over a whole gait cycle (see overCycle).
func (t *trial) pelvicRotation(feet map[string]*foot) (float64, string) {
	l, r := t.m.get("LASI"), t.m.get("RASI")
	if l == nil || r == nil {
		return math.NaN(), "needs both anterior superior iliac spine markers"
	}
	return t.overCycle(feet, func(from, to int) float64 { return gait.PelvicRotationRange(l, r, from, to, t.vertical) })
}

// trunkRotation returns the thorax's range of rotation about the vertical
// over a whole gait cycle: from the shoulder markers, else from the spine
// (C7, T10) and sternum (CLAV, STRN) markers.
func (t *trial) trunkRotation(feet map[string]*foot) (float64, string) {
	if l, r := t.m.get("LSHO"), t.m.get("RSHO"); l != nil && r != nil {
		v, note := t.overCycle(feet, func(from, to int) float64 { return gait.SegmentRotationRange(r, l, from, to, t.vertical) })
		return v, note + " (shoulder markers)"
	}
	c7, t10, clav, strn := t.m.get("C7"), t.m.get("T10"), t.m.get("CLAV"), t.m.get("STRN")
	if c7 == nil || t10 == nil || clav == nil || strn == nil {
		return math.NaN(), "needs shoulder markers, or C7, T10, CLAV and STRN"
	}
	v, note := t.overCycle(feet, func(from, to int) float64 {
		return gait.ThoraxRotationRange(c7, t10, clav, strn, from, to, t.vertical)
	})
	return v, note + " (spine and sternum markers)"
}

// num returns a pointer to v, or nil when v is not finite.
func num(v float64) *float64 {
	if !finite(v) {
		return nil
	}
	return &v
}

// evidence builds the contract's gait section: cadence, stance-time
// asymmetry and pelvic rotation of the walk, and the ankle moment and
// Achilles force of the chosen side.
func evidence(tm gait.Timing, pelvis float64, kin map[string]kinetics, side string) (tendo.Gait, string) {
	src := tendo.GaitInstrumented
	g := tendo.Gait{Source: &src, CadenceStepsPerMin: num(tm.Cadence), StanceTimeAsymmetryPct: num(tm.StanceAsymmetry), PelvicRotationRangeDeg: num(pelvis)}
	if side == "" {
		r, l := kin["right"].peakAchillesBW, kin["left"].peakAchillesBW
		switch {
		case finite(r) && finite(l) && l < r:
			side = "left"
		case finite(r):
			side = "right"
		case finite(l):
			side = "left"
		}
	}
	if side != "" {
		g.PeakAnklePlantarflexorMomentNmPerKg = num(kin[side].peakMomentNmPerKg)
		g.PeakAchillesForceBW = num(kin[side].peakAchillesBW)
	}
	return g, side
}

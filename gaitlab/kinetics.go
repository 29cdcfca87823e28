package gaitlab

import (
	"math"

	"github.com/tendo-health/tendo"
	"github.com/tendo-health/tendo/c3d"
	"github.com/tendo-health/tendo/gait"
)

// kinetics are one foot's loading figures from its first clean force-plate
// contact; NaN when not computed, with the reason in note.
type kinetics struct {
	peakFzBW, peakMomentNmPerKg, peakAchillesBW, achillesRate float64
	loadingRate, strikeIndex                                  float64
	strikePattern                                             gait.StrikePattern
	note                                                      string
	// cycleEstimated is true when the curves' cycle ends at the mean
	// stride time rather than at an observed strike.
	cycleEstimated bool
	curves         []tendo.GaitCurve
}

// ankle returns the side's ankle joint centre in metres: the lab's own
// joint centre when the file has one, else the midpoint of the malleoli,
// else the lateral malleolus alone. The note says which was used when it
// is not the joint centre.
func (t *trial) ankle(side string) ([][3]float64, string) {
	p := prefix(side)
	if a := t.m.get(p + "AJC"); a != nil {
		return a, ""
	}
	lat, med := t.m.get(p+"LMAL"), t.m.get(p+"MMAL")
	if a := mid(lat, med); a != nil {
		return a, ""
	}
	if lat != nil {
		return lat, "The ankle joint centre is taken at the lateral malleolus marker (no medial marker): in the sagittal plane, which alone sets the plantarflexor moment, the two lie close together."
	}
	return nil, ""
}

func (t *trial) kinetics(ft *foot, fz [][]float64, arm, strideS float64) kinetics {
	nan := math.NaN()
	k := kinetics{peakFzBW: nan, peakMomentNmPerKg: nan, peakAchillesBW: nan, achillesRate: nan, loadingRate: nan, strikeIndex: nan}
	if len(ft.plate) == 0 {
		k.note = "no clean force-plate contact of this foot in the trial"
		return k
	}
	pc := ft.plate[0]
	p := t.plates[pc.plate]
	lo, hi := pc.c.Start, pc.c.End
	rate := t.analogRate
	bw := t.massKg * gait.Gravity

	_, peakFz := gait.Peak(fz[pc.plate], lo, hi)
	k.peakFzBW = peakFz / bw
	if lr, _, err := gait.VerticalLoadingRate(fz[pc.plate], rate, pc.c, bw); err == nil {
		k.loadingRate = lr
	}
	// The strike index: the centre of pressure at first contact along the
	// foot, from the heel and toe markers at the strike.
	heel, toe := t.m.get(prefix(ft.side)+"HEE"), t.m.get(prefix(ft.side)+"TOE")
	if cop, err := gait.InitialCOP(p.COP, rate, pc.c, gait.InitialCOPWindow); err == nil && heel != nil && toe != nil {
		f := min(lo/t.ratio, t.m.n-1)
		if si, pat, err := gait.StrikeIndex(scale3(cop, t.m.scale), heel[f], toe[f], t.vertical); err == nil {
			k.strikeIndex, k.strikePattern = si, pat
		}
	}

	// The end of this gait cycle: the foot's next strike.
	next := -1
	for _, e := range ft.events {
		if e.strike && e.at > lo {
			next = e.at
			break
		}
	}

	ankle, note := t.ankle(ft.side)
	if note != "" {
		t.notes = appendOnce(t.notes, note)
	}
	var moment []float64 // plantarflexor moment over [lo, hi), N·m
	if ankle == nil {
		k.note = "needs ankle markers (malleoli or a joint centre)"
	} else {
		moment = t.plantarflexor(p, ankle, lo, hi)
		i, peak := gait.Peak(moment, 0, len(moment))
		if i >= 0 {
			k.peakMomentNmPerKg = peak / t.massKg
			force := gait.AchillesForce(moment, arm)
			fbw := gait.BodyWeights(force, t.massKg)
			ip, peakBW := gait.Peak(fbw, 0, len(fbw))
			k.peakAchillesBW = peakBW
			// The rise runs from the last sample before the peak with no
			// plantarflexor load (moment ≤ 0), or the strike.
			start := 0
			for j := ip; j >= 0; j-- {
				if moment[j] <= 0 {
					start = j
					break
				}
			}
			k.achillesRate = gait.LoadingRate(fbw, rate, start, ip)
		}
	}

	if next < 0 && finite(strideS) {
		// The recording ends before the next strike: the cycle's end is
		// estimated from the foot's mean stride time.
		next = lo + int(math.Round(strideS*rate))
		k.cycleEstimated = true
	}
	if next <= hi {
		return k
	}
	cycle := func(key, label, unit string, stance func(x float64) float64, swing float64) tendo.GaitCurve {
		c := tendo.GaitCurve{Key: key, Label: label, Side: ft.side, Unit: unit, Values: make([]*float64, 101)}
		for pct := range 101 {
			x := float64(lo) + float64(pct)/100*float64(next-lo)
			v := swing
			if x < float64(hi) {
				v = stance(x - float64(lo))
			}
			c.Values[pct] = num(v)
		}
		return withBand(c)
	}
	raw := fz[pc.plate][lo:hi]
	k.curves = append(k.curves, cycle("vertical-force", "Vertical ground reaction force", "body weights",
		func(x float64) float64 { return interp(raw, x) / bw }, 0))
	if moment != nil {
		k.curves = append(k.curves,
			cycle("ankle-moment", "Ankle plantarflexor moment", "N·m/kg",
				func(x float64) float64 { return interp(moment, x) / t.massKg }, nan),
			cycle("achilles-force", "Achilles tendon force", "body weights",
				func(x float64) float64 { return interp(moment, x) / arm / bw }, nan))
	}
	return k
}

// plantarflexor returns the quasi-static plantarflexor moment (N·m) of
// plate p's ground reaction about the ankle over analog samples [lo, hi).
// Force and moment are low-pass filtered at the markers' cut-off
// (Kristianslund 2012, see gait.ForceCutoff) over the contact and 0.1 s on
// each side. The moment about the plate's centre is used rather than the
// centre of pressure, which is undefined at the edges of contact:
// (cop − ankle) × F + free = (centre − ankle) × F + M_centre.
func (t *trial) plantarflexor(p c3d.ForcePlate, ankle [][3]float64, lo, hi int) []float64 {
	pad := int(0.1 * t.analogRate)
	a, b := max(lo-pad, 0), min(hi+pad, len(p.Force))
	force, mom := p.Force[a:b], p.Moment[a:b]
	if lp, err := gait.Butterworth(gait.MarkerFilterOrder, gait.MarkerCutoff, t.analogRate); err == nil && b-a >= minFilterRun {
		force, mom = lp.FiltFilt3(force), lp.FiltFilt3(mom)
	}
	n := hi - lo
	grf, centre, free, ank := make([][3]float64, n), make([][3]float64, n), make([][3]float64, n), make([][3]float64, n)
	c := t.os(scale3(p.Centre, t.m.scale))
	for i := range n {
		j := lo + i
		grf[i] = t.os(force[j-a])
		free[i] = t.os(scale3(mom[j-a], t.momentSI))
		centre[i] = c
		ank[i] = t.os(t.ankleAt(ankle, j))
	}
	return gait.PlantarflexorMoment(grf, centre, free, ank)
}

// ankleAt interpolates the marker trajectory at analog sample j.
func (t *trial) ankleAt(p [][3]float64, j int) [3]float64 {
	x := float64(j) / float64(t.ratio)
	i := int(x)
	if i >= len(p)-1 {
		return p[len(p)-1]
	}
	w := x - float64(i)
	var out [3]float64
	for k := range 3 {
		out[k] = p[i][k] + w*(p[i+1][k]-p[i][k])
	}
	return out
}

// interp returns x linearly interpolated at fractional index f.
func interp(x []float64, f float64) float64 {
	if len(x) == 0 {
		return math.NaN()
	}
	i := int(f)
	if i >= len(x)-1 {
		return x[len(x)-1]
	}
	w := f - float64(i)
	return x[i] + w*(x[i+1]-x[i])
}

func appendOnce(s []string, v string) []string {
	for _, x := range s {
		if x == v {
			return s
		}
	}
	return append(s, v)
}

// band returns the normal walking range of a metric, from gait.Reference,
// or nil when it has none.
func band(key string) *tendo.GaitBand {
	b, ok := gait.Reference(key)
	if !ok {
		return nil
	}
	return &tendo.GaitBand{Low: b.Low, High: b.High, Source: b.Source}
}

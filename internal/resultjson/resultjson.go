// Package resultjson is the fast JSON encoder of tendo.Result that batch
// mode (tendo assess --batch) writes its output with. Everything else
// encodes a Result with encoding/json.
//
// Append writes the same bytes as an encoding/json Encoder with HTML
// escaping off (same keys, order, omitted fields and numbers), several
// times faster; the tests check the two agree byte for byte on the shared
// cases and on awkward hand-made values. It writes each exported field by
// name, so a field added to tendo.Result needs a line here too (the tests
// catch one the shared cases fill in).
//
// It imports the tendo root package and the standard library only.
package resultjson

import (
	"math"
	"strconv"
	"unicode/utf8"

	"github.com/tendo-health/tendo"
)

// Append appends r's JSON encoding to dst. It writes what encoding/json
// writes with SetEscapeHTML(false), without the trailing newline: it does
// not escape <, > and & (the output is data, not HTML). Non-finite
// numbers, which the engine never produces, are written as null.
func Append(dst []byte, r *tendo.Result) []byte {
	j := jw{b: dst}
	j.open('{')
	j.str("id", r.ID)
	if r.Date != "" {
		j.str("date", r.Date)
	}
	j.str("modelVersion", r.ModelVersion)
	j.str("disclaimer", r.Disclaimer)
	j.str("classification", string(r.Classification))
	j.str("classificationReason", r.ClassificationReason)
	j.key("tendinopathySite")
	if r.TendinopathySite == nil {
		j.raw("null")
	} else {
		j.quote(*r.TendinopathySite)
	}
	j.key("probabilities")
	p := r.Probabilities
	j.open('{')
	j.num("achillesTendinopathy", p.AchillesTendinopathy)
	j.num("s1Radiculopathy", p.S1Radiculopathy)
	j.num("lumbarContribution", p.LumbarContribution)
	j.num("achillesRupture", p.AchillesRupture)
	j.num("midportionTendinopathy", p.MidportionTendinopathy)
	j.num("insertionalTendinopathy", p.InsertionalTendinopathy)
	j.num("compensatoryGait", p.CompensatoryGait)
	j.num("calfWeakness", p.CalfWeakness)
	j.num("tendonOverload", p.TendonOverload)
	j.num("tendonVulnerability", p.TendonVulnerability)
	j.num("otherHeelPathology", p.OtherHeelPathology)
	j.close('}')
	j.key("probabilityRanges")
	pr := &r.ProbabilityRanges
	j.open('{')
	j.rng("achillesTendinopathy", pr.AchillesTendinopathy)
	j.rng("s1Radiculopathy", pr.S1Radiculopathy)
	j.rng("lumbarContribution", pr.LumbarContribution)
	j.rng("achillesRupture", pr.AchillesRupture)
	j.rng("midportionTendinopathy", pr.MidportionTendinopathy)
	j.rng("insertionalTendinopathy", pr.InsertionalTendinopathy)
	j.rng("compensatoryGait", pr.CompensatoryGait)
	j.rng("calfWeakness", pr.CalfWeakness)
	j.rng("tendonOverload", pr.TendonOverload)
	j.rng("tendonVulnerability", pr.TendonVulnerability)
	j.rng("otherHeelPathology", pr.OtherHeelPathology)
	j.close('}')
	j.key("differential")
	if r.Differential == nil {
		j.raw("null")
	} else {
		j.open('[')
		for _, d := range r.Differential {
			j.elem()
			j.open('{')
			j.str("code", d.Code)
			j.num("probability", d.Probability)
			j.rng("range", d.Range)
			j.close('}')
		}
		j.close(']')
	}
	j.key("nerveRoot")
	if r.NerveRoot == nil {
		j.raw("null")
	} else {
		j.quote(*r.NerveRoot)
	}
	j.key("redFlags")
	if r.RedFlags == nil {
		j.raw("null")
	} else {
		j.open('[')
		for _, f := range r.RedFlags {
			j.elem()
			j.open('{')
			j.str("code", f.Code)
			j.str("urgency", string(f.Urgency))
			j.str("reason", f.Reason)
			j.str("action", f.Action)
			j.str("source", f.Source)
			j.close('}')
		}
		j.close(']')
	}
	j.key("scores")
	j.open('{')
	for _, s := range []struct {
		k string
		v *tendo.Score
	}{{"visaA", r.Scores.VISAA}, {"odi", r.Scores.ODI}, {"nprs", r.Scores.NPRS}, {"lefs", r.Scores.LEFS}} {
		if s.v != nil {
			j.key(s.k)
			j.score(s.v)
		}
	}
	j.close('}')
	j.key("explanation")
	if r.Explanation == nil {
		j.raw("null")
	} else {
		j.open('[')
		for _, x := range r.Explanation {
			j.elem()
			j.open('{')
			j.str("finding", x.Finding)
			j.str("label", x.Label)
			j.str("value", x.Value)
			j.effects("effects", &x.Effects)
			j.effects("alone", &x.Alone)
			j.close('}')
		}
		j.close(']')
	}
	j.key("nextTests")
	if r.NextTests == nil {
		j.raw("null")
	} else {
		j.open('[')
		for _, t := range r.NextTests {
			j.elem()
			j.open('{')
			j.str("finding", t.Finding)
			j.str("label", t.Label)
			j.num("bits", t.Bits)
			j.num("expectedChange", t.ExpectedChange)
			j.num("decisionChange", t.DecisionChange)
			j.str("why", t.Why)
			j.close('}')
		}
		j.close(']')
	}
	j.key("plan")
	j.plan(&r.Plan)
	if len(r.Notes) > 0 {
		j.key("notes")
		j.strings(r.Notes)
	}
	j.close('}')
	return j.b
}

// jw writes JSON, tracking whether a comma is due.
type jw struct {
	b    []byte
	more bool // the current object or array already has a member
}

func (j *jw) open(c byte) { j.b = append(j.b, c); j.more = false }
func (j *jw) close(c byte) {
	j.b = append(j.b, c)
	j.more = true
}
func (j *jw) raw(s string) { j.b = append(j.b, s...); j.more = true }

// elem starts an array element.
func (j *jw) elem() {
	if j.more {
		j.b = append(j.b, ',')
	}
}

func (j *jw) key(k string) {
	if j.more {
		j.b = append(j.b, ',')
	}
	j.b = append(j.b, '"')
	j.b = append(j.b, k...)
	j.b = append(j.b, '"', ':')
	j.more = false
}

func (j *jw) str(k, v string) { j.key(k); j.quote(v) }

func (j *jw) num(k string, v float64) { j.key(k); j.float(v) }

// effects writes a finding's effects on the four main probabilities.
func (j *jw) effects(k string, e *tendo.Effects) {
	j.key(k)
	j.open('{')
	j.effect("achillesTendinopathy", e.AchillesTendinopathy)
	j.effect("s1Radiculopathy", e.S1Radiculopathy)
	j.effect("lumbarContribution", e.LumbarContribution)
	j.effect("achillesRupture", e.AchillesRupture)
	j.close('}')
}

// rng writes a Range as a two-element array.
func (j *jw) rng(k string, r tendo.Range) {
	j.key(k)
	j.open('[')
	j.float(r[0])
	j.b = append(j.b, ',')
	j.float(r[1])
	j.close(']')
}

func (j *jw) quote(s string) {
	j.b = appendQuoted(j.b, s)
	j.more = true
}

func (j *jw) float(v float64) {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		j.raw("null")
		return
	}
	// Fast path for values with at most four decimals (the explanation's
	// rounded log-odds and ratios): v is the double nearest k/10⁴ for an
	// integer k well inside float64's exact range, so its shortest
	// round-tripping decimal is k/10⁴ with trailing zeros dropped — what
	// encoding/json writes.
	if k := math.Round(v * 1e4); k/1e4 == v && math.Abs(k) < 1e15 && v != 0 {
		n := int64(k)
		if n < 0 {
			j.b = append(j.b, '-')
			n = -n
		}
		j.b = strconv.AppendInt(j.b, n/10000, 10)
		if frac := n % 10000; frac != 0 {
			var d [5]byte
			d[0] = '.'
			for i := 4; i >= 1; i-- {
				d[i] = byte('0' + frac%10)
				frac /= 10
			}
			end := 5
			for d[end-1] == '0' {
				end--
			}
			j.b = append(j.b, d[:end]...)
		}
		j.more = true
		return
	}
	// encoding/json's format: 'f' unless the exponent is very small or
	// large, then 'e' with a two-digit exponent where possible.
	abs := math.Abs(v)
	fmt := byte('f')
	if abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		fmt = 'e'
	}
	n := len(j.b)
	j.b = strconv.AppendFloat(j.b, v, fmt, -1, 64)
	if fmt == 'e' {
		// clean up e-09 to e-9
		m := len(j.b)
		if m-n >= 4 && j.b[m-4] == 'e' && j.b[m-3] == '-' && j.b[m-2] == '0' {
			j.b[m-2] = j.b[m-1]
			j.b = j.b[:m-1]
		}
	}
	j.more = true
}

func (j *jw) boolean(k string, v bool) {
	j.key(k)
	if v {
		j.raw("true")
	} else {
		j.raw("false")
	}
}

func (j *jw) integer(k string, v int) {
	j.key(k)
	j.b = strconv.AppendInt(j.b, int64(v), 10)
	j.more = true
}

func (j *jw) strings(xs []string) {
	if xs == nil {
		j.raw("null")
		return
	}
	j.open('[')
	for _, x := range xs {
		j.elem()
		j.quote(x)
	}
	j.close(']')
}

func (j *jw) effect(k string, e tendo.Effect) {
	j.key(k)
	j.open('{')
	j.num("logOdds", e.LogOdds)
	j.num("likelihoodRatio", e.LikelihoodRatio)
	j.close('}')
}

func (j *jw) score(s *tendo.Score) {
	j.open('{')
	j.str("measure", s.Measure)
	j.str("name", s.Name)
	j.num("value", s.Value)
	j.num("rounded", s.Rounded)
	j.num("max", s.Max)
	j.num("percentOfMax", s.PercentOfMax)
	j.str("higher", s.Higher)
	j.str("band", s.Band)
	j.str("bandRange", s.BandRange)
	j.str("bandNote", s.BandNote)
	j.num("mcid", s.MCID)
	if s.MCIDPercent != 0 {
		j.num("mcidPercent", s.MCIDPercent)
	}
	j.str("mcidNote", s.MCIDNote)
	j.str("source", s.Source)
	j.boolean("fromAnswers", s.FromAnswers)
	j.integer("items", s.Items)
	j.integer("missing", s.Missing)
	j.close('}')
}

func (j *jw) item(it *tendo.PlanItem) {
	j.open('{')
	j.str("id", it.ID)
	j.str("title", it.Title)
	if it.Dosage != "" {
		j.str("dosage", it.Dosage)
	}
	if it.Progression != "" {
		j.str("progression", it.Progression)
	}
	j.str("rationale", it.Rationale)
	j.str("source", it.Source)
	j.close('}')
}

func (j *jw) items(xs []tendo.PlanItem) {
	if xs == nil {
		j.raw("null")
		return
	}
	j.open('[')
	for i := range xs {
		j.elem()
		j.item(&xs[i])
	}
	j.close(']')
}

func (j *jw) plan(p *tendo.Plan) {
	j.open('{')
	j.str("summary", p.Summary)
	j.key("phases")
	if p.Phases == nil {
		j.raw("null")
	} else {
		j.open('[')
		for i := range p.Phases {
			ph := &p.Phases[i]
			j.elem()
			j.open('{')
			j.str("id", ph.ID)
			j.str("title", ph.Title)
			j.str("weeks", ph.Weeks)
			j.str("goal", ph.Goal)
			j.key("components")
			j.items(ph.Components)
			j.close('}')
		}
		j.close(']')
	}
	j.key("referral")
	j.items(p.Referral)
	j.key("reassessment")
	j.open('{')
	j.str("schedule", p.Reassessment.Schedule)
	j.key("targets")
	if p.Reassessment.Targets == nil {
		j.raw("null")
	} else {
		j.open('[')
		for _, t := range p.Reassessment.Targets {
			j.elem()
			j.open('{')
			j.str("measure", t.Measure)
			if t.Baseline != nil {
				j.num("baseline", *t.Baseline)
			}
			j.str("target", t.Target)
			j.str("by", t.By)
			j.str("source", t.Source)
			j.close('}')
		}
		j.close(']')
	}
	j.close('}')
	if len(p.Differentials) > 0 {
		j.key("differentials")
		j.strings(p.Differentials)
	}
	j.close('}')
}

const hexDigits = "0123456789abcdef"

const (
	lo = 0x0101010101010101
	hi = 0x8080808080808080
)

// hasZero reports whether any byte of x is zero.
func hasZero(x uint64) bool { return (x-lo)&^x&hi != 0 }

// appendQuoted appends s as a JSON string. Invalid UTF-8 becomes U+FFFD,
// as in encoding/json.
func appendQuoted(dst []byte, s string) []byte {
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); {
		// Skip eight plain ASCII bytes at a time: none below 0x20, no '"'
		// or '\\', none at 0x80 or above.
		for i+8 <= len(s) {
			x := uint64(s[i]) | uint64(s[i+1])<<8 | uint64(s[i+2])<<16 | uint64(s[i+3])<<24 |
				uint64(s[i+4])<<32 | uint64(s[i+5])<<40 | uint64(s[i+6])<<48 | uint64(s[i+7])<<56
			if (x-lo*0x20)&^x&hi != 0 || hasZero(x^(lo*'"')) || hasZero(x^(lo*'\\')) || x&hi != 0 {
				break
			}
			i += 8
		}
		if i >= len(s) {
			break
		}
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
			dst = append(dst, s[start:i]...)
			switch c {
			case '"', '\\':
				dst = append(dst, '\\', c)
			case '\n':
				dst = append(dst, '\\', 'n')
			case '\r':
				dst = append(dst, '\\', 'r')
			case '\t':
				dst = append(dst, '\\', 't')
			default:
				dst = append(dst, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			dst = append(dst, s[start:i]...)
			dst = append(dst, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			dst = append(dst, s[start:i]...)
			dst = append(dst, '\\', 'u', '2', '0', '2', hexDigits[r&0xf])
			i += size
			start = i
			continue
		}
		i += size
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}

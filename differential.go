package tendo

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// differentialNames are the contract's differential codes, in the order
// of its table (the order that breaks ties), with the condition in plain
// words as a heading or table cell would write it.
var differentialNames = [...]struct{ code, name string }{
	{"partial-achilles-tear", "Partial Achilles tear"},
	{"retrocalcaneal-bursitis", "Retrocalcaneal or Achilles bursitis"},
	{"posterior-impingement", "Posterior ankle impingement"},
	{"calcaneal-apophysitis", "Calcaneal apophysitis (Sever's disease)"},
	{"calcaneal-stress-fracture", "Calcaneal stress fracture"},
	{"plantar-heel-pain", "Plantar heel pain (plantar fasciitis)"},
	{"inflammatory-enthesitis", "Inflammatory Achilles enthesitis (spondyloarthritis)"},
	{"crystal-arthropathy", "Gout or calcium pyrophosphate disease"},
	{"infection", "Infection (septic bursitis, osteomyelitis or cellulitis)"},
	{"sural-neuropathy", "Sural nerve entrapment"},
	{"tarsal-tunnel", "Tarsal tunnel syndrome"},
	{"peripheral-neuropathy", "Peripheral neuropathy"},
	{"l5-radiculopathy", "L5 radiculopathy"},
	{"l4-radiculopathy", "L4 radiculopathy"},
	{"accessory-soleus", "Accessory soleus muscle"},
	{"calf-muscle-strain", "Calf muscle strain"},
	{"peripheral-arterial-disease", "Peripheral arterial disease"},
	{"dvt", "Deep vein thrombosis"},
}

// DifferentialCodes returns the contract's differential codes in the
// order of its table.
func DifferentialCodes() []string {
	out := make([]string, len(differentialNames))
	for i, d := range differentialNames {
		out[i] = d.code
	}
	return out
}

// DifferentialName returns a differential code's condition in plain words,
// capitalised as a heading or table cell ("tarsal-tunnel" → "Tarsal tunnel
// syndrome"), or the code itself when it is not one of the contract's.
func DifferentialName(code string) string {
	for _, d := range differentialNames {
		if d.code == code {
			return d.name
		}
	}
	return code
}

// DifferentialPhrase returns DifferentialName as it reads inside a
// sentence: the first letter in lower case unless it begins an
// abbreviation ("tarsal tunnel syndrome", "L5 radiculopathy").
func DifferentialPhrase(code string) string {
	name := DifferentialName(code)
	r, n := utf8.DecodeRuneInString(name)
	if n == 0 || name == code {
		return name
	}
	if next, _ := utf8.DecodeRuneInString(name[n:]); unicode.IsUpper(next) || unicode.IsDigit(next) {
		return name
	}
	return string(unicode.ToLower(r)) + name[n:]
}

// Known reports whether the range was computed: the zero Range is what a
// result without ranges holds (one stored before contract v1.1).
func (r Range) Known() bool { return r != Range{} }

// Percent writes a probability as a whole percentage ("82%").
func Percent(p float64) string { return fmt.Sprintf("%.0f%%", 100*p) }

// PercentRange writes a probability with its 90% credible interval, each
// as a whole percentage: "82% (70–90%)". The interval is written even when
// it rounds to the point ("3% (3–3%)"); an unknown (zero) range is left
// out: "82%".
func PercentRange(p float64, r Range) string {
	if !r.Known() {
		return Percent(p)
	}
	return fmt.Sprintf("%s (%.0f–%.0f%%)", Percent(p), 100*r[0], 100*r[1])
}

// LeadingDifferential returns the first entry of the differential that is
// not a lumbar source (L4 or L5 radiculopathy): under other-cause, the
// leading alternative the plan and the reports name. ok is false when
// there is none.
func (r *Result) LeadingDifferential() (d DifferentialEntry, ok bool) {
	for _, d := range r.Differential {
		if !strings.HasSuffix(d.Code, "-radiculopathy") {
			return d, true
		}
	}
	return DifferentialEntry{}, false
}

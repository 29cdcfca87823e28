package cdshooks

import (
	"crypto/rand"
	"encoding/json"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/tendo-health/tendo"
)

// SourceLabel is every card's source.label.
const SourceLabel = "tendo"

// disclaimer is written into every card's detail when the result carries
// none of its own.
const disclaimer = "tendo supports, and does not replace, clinical judgement."

// CardOptions are what ResultCards needs beyond the result.
type CardOptions struct {
	PatientID      string        // the patient's FHIR id (context.patientId)
	SMARTLaunchURL string        // the smart link's URL; empty: no link
	NewUUID        func() string // nil: random UUIDs
	Notes          []string      // shown under the classification (prefetch notes)
}

// ResultCards turns an assessment's result into cards:
//
//   - each red flag of emergency or urgent urgency becomes a critical card
//     whose detail gives the reason and the action and whose suggestion
//     creates the referral fhirmap.ServiceRequests proposes for it
//     (priority stat or urgent); a flag of "soon" urgency (which tendo
//     reports without changing the classification, and for which fhirmap
//     proposes no request) becomes a warning card with the same content;
//   - the classification becomes an info card whose detail gives the
//     reason, the main probabilities and the leading differential with
//     their 90% ranges as percentages, and the next tests, with
//     suggestions that create the CarePlan (fhirmap.CarePlanFor) and each
//     imaging or referral the plan asks for (fhirmap.ServiceRequests);
//   - when opt.SMARTLaunchURL is set, every card links (type smart) to
//     tendo with appContext naming the patient.
//
// Every detail ends with the disclaimer that tendo supports clinical
// judgement.
func ResultCards(res *tendo.Result, opt CardOptions) []Card {
	if opt.NewUUID == nil {
		opt.NewUUID = newUUID
	}
	reqs := requestsFor(res, opt.PatientID)
	var cards []Card
	for _, f := range res.RedFlags {
		cards = append(cards, redFlagCard(res, f, reqs, opt))
	}
	cards = append(cards, classificationCard(res, reqs, opt))
	return cards
}

func source() Source {
	return Source{Label: SourceLabel}
}

func disclaimerOf(res *tendo.Result) string {
	if res != nil && res.Disclaimer != "" {
		return res.Disclaimer
	}
	return disclaimer
}

func links(opt CardOptions, label string) []Link {
	if opt.SMARTLaunchURL == "" {
		return nil
	}
	ac, _ := json.Marshal(map[string]string{"patient": opt.PatientID})
	return []Link{{Label: label, URL: opt.SMARTLaunchURL, Type: Smart, AppContext: string(ac)}}
}

func redFlagCard(res *tendo.Result, f tendo.RedFlag, reqs proposals, opt CardOptions) Card {
	name := tendo.RedFlagName(f.Code)
	when := "act now"
	switch f.Urgency {
	case tendo.Emergency:
		when = "emergency, same day"
	case tendo.Urgent:
		when = "urgent"
	default:
		// A "soon" flag (inflammatory enthesitis, the fluoroquinolone
		// tendon risk) does not change the classification, but issue 11
		// makes every red flag a critical card: the EHR shows it to the
		// clinician before the chart, and the summary says how soon.
		when = "arrange soon"
	}
	var d strings.Builder
	fmt.Fprintf(&d, "**Red flag: %s** (%s).\n\n", md(name), md(string(f.Urgency)))
	if f.Reason != "" {
		fmt.Fprintf(&d, "**Why:** %s\n\n", md(f.Reason))
	}
	fmt.Fprintf(&d, "**What to do:** %s\n\n", md(f.Action))
	if f.Source != "" {
		fmt.Fprintf(&d, "Source: %s\n\n", md(f.Source))
	}
	fmt.Fprintf(&d, "_%s_", md(disclaimerOf(res)))
	c := Card{
		UUID:      opt.NewUUID(),
		Summary:   summary("Red flag: " + name + " — " + when),
		Detail:    d.String(),
		Indicator: Critical,
		Source:    source(),
		Links:     links(opt, "Open the assessment in tendo"),
	}
	if sr, ok := reqs.byFlag[f.Code]; ok {
		c.Suggestions = []Suggestion{{
			Label:         clip("Request: "+sr.text, 100),
			UUID:          opt.NewUUID(),
			IsRecommended: true,
			Actions:       []Action{{Type: Create, Description: "Create a " + priorityWord(f.Urgency) + " request: " + sr.text + ". " + f.Action, Resource: sr.json}},
		}}
		c.SelectionBehavior = "at-most-one"
	}
	return c
}

// classPhrase says a classification in plain words.
func classPhrase(res *tendo.Result) string {
	switch res.Classification {
	case tendo.LocalTendinopathy:
		return "Achilles tendinopathy, local to the tendon, is most likely"
	case tendo.LumbarReferred:
		return "pain referred from the lower back (S1 nerve root) is most likely"
	case tendo.Mixed:
		return "Achilles tendinopathy with a contribution from the lower back"
	case tendo.UrgentReferral:
		return "a red flag needs urgent referral"
	case tendo.OtherCause:
		if d, ok := res.LeadingDifferential(); ok {
			return "another cause is more likely: " + tendo.DifferentialPhrase(d.Code)
		}
		return "another cause than the tendon or the back is more likely"
	case tendo.Uncertain:
		return "the source is uncertain; more findings are needed"
	}
	return "classification " + string(res.Classification)
}

// mainProbabilities are the four the contract's decision reads, in words.
func mainProbabilities(res *tendo.Result) [][3]string {
	p, r := res.Probabilities, res.ProbabilityRanges
	return [][3]string{
		{"Achilles tendinopathy", tendo.PercentRange(p.AchillesTendinopathy, r.AchillesTendinopathy)},
		{"S1 nerve root irritation (radiculopathy)", tendo.PercentRange(p.S1Radiculopathy, r.S1Radiculopathy)},
		{"A contribution from the lower back", tendo.PercentRange(p.LumbarContribution, r.LumbarContribution)},
		{"Achilles tendon rupture", tendo.PercentRange(p.AchillesRupture, r.AchillesRupture)},
	}
}

func classificationCard(res *tendo.Result, reqs proposals, opt CardOptions) Card {
	var d strings.Builder
	fmt.Fprintf(&d, "**Assessment:** %s.\n\n", md(capitalise(classPhrase(res))))
	if res.ClassificationReason != "" {
		fmt.Fprintf(&d, "%s\n\n", md(res.ClassificationReason))
	}
	d.WriteString("**Probabilities** (in brackets, the range that holds the probability with 90% certainty):\n\n")
	for _, p := range mainProbabilities(res) {
		fmt.Fprintf(&d, "- %s: %s\n", p[0], md(p[1]))
	}
	if n := min(len(res.Differential), 3); n > 0 {
		d.WriteString("\n**Also consider:**\n\n")
		for _, e := range res.Differential[:n] {
			fmt.Fprintf(&d, "- %s: %s\n", md(tendo.DifferentialName(e.Code)), md(tendo.PercentRange(e.Probability, e.Range)))
		}
	}
	if n := min(len(res.NextTests), 3); n > 0 {
		d.WriteString("\n**Next tests** (most likely to change the decision first):\n\n")
		for _, t := range res.NextTests[:n] {
			if t.Why != "" {
				fmt.Fprintf(&d, "- %s: %s\n", md(t.Label), md(t.Why))
			} else {
				fmt.Fprintf(&d, "- %s\n", md(t.Label))
			}
		}
	}
	if n := len(res.RedFlags); n > 0 {
		fmt.Fprintf(&d, "\n**Red flags:** %d, shown on their own cards.\n", n)
	}
	for _, n := range opt.Notes {
		fmt.Fprintf(&d, "\nNote: %s\n", md(n))
	}
	if res.ModelVersion != "" {
		fmt.Fprintf(&d, "\nModel: %s.\n", md(res.ModelVersion))
	}
	fmt.Fprintf(&d, "\n_%s_", md(disclaimerOf(res)))
	c := Card{
		UUID:      opt.NewUUID(),
		Summary:   summary("Heel pain: " + classPhrase(res) + " (tendinopathy " + tendo.Percent(res.Probabilities.AchillesTendinopathy) + ")"),
		Detail:    d.String(),
		Indicator: Info,
		Source:    source(),
		Links:     links(opt, "Open the assessment in tendo"),
	}
	if cp := carePlan(res, opt.PatientID); cp != nil {
		c.Suggestions = append(c.Suggestions, Suggestion{
			Label:   "Add tendo's plan as a draft care plan",
			UUID:    opt.NewUUID(),
			Actions: []Action{{Type: Create, Description: "Create a draft CarePlan: " + clip(res.Plan.Summary, 200), Resource: cp}},
		})
	}
	for _, r := range reqs.plan {
		c.Suggestions = append(c.Suggestions, Suggestion{
			Label:   clip("Request: "+r.text, 100),
			UUID:    opt.NewUUID(),
			Actions: []Action{{Type: Create, Description: "Create a draft request: " + r.text, Resource: r.json}},
		})
	}
	if len(c.Suggestions) > 0 {
		c.SelectionBehavior = "any"
	}
	return c
}

// summary cuts s to the spec's limit (under 140 characters) at a word.
func summary(s string) string { return clip(s, MaxSummary) }

// clip cuts s to at most n runes, at a space where it can, ending "…".
func clip(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)[:n-1]
	cut := string(r)
	if i := strings.LastIndex(cut, " "); i > len(cut)/2 {
		cut = cut[:i]
	}
	return strings.TrimRight(cut, " ,;:—-") + "…"
}

func capitalise(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if n == 0 {
		return s
	}
	return strings.ToUpper(string(r)) + s[n:]
}

// md escapes the characters Markdown would read as markup, so that text
// from the result (or the record) shows as written.
func md(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch r {
		case '\\', '`', '*', '_', '[', ']', '<', '>', '#', '|', '~':
			b.WriteByte('\\')
		case '\n', '\r':
			r = ' '
		}
		b.WriteRune(r)
	}
	return b.String()
}

// newUUID returns a random (version 4) UUID.
func newUUID() string {
	var u [16]byte
	rand.Read(u[:])
	u[6] = u[6]&0x0f | 0x40
	u[8] = u[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", u[0:4], u[4:6], u[6:8], u[8:10], u[10:])
}

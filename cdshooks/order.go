package cdshooks

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/tendo-health/tendo"
	"github.com/tendo-health/tendo/fhir"
	"github.com/tendo-health/tendo/fhirmap"
)

// OrderRule documents when tendo-tendon-drug-risk fires: a draft
// MedicationRequest (among context.selections when the client names
// them) is a fluoroquinolone or a systemic corticosteroid, and the patient
// has Achilles tendinopathy.
//
// The drug is recognised by its medicationCodeableConcept: an ATC coding
// (system http://www.whocc.no/atc) under J01MA (fluoroquinolones) or H02AB
// (glucocorticoids for systemic use), or the name of one of those drugs in
// a coding's display or the text. No RxNorm codes are used: none were
// confirmed. A corticosteroid named with a topical, inhaled, eye, ear or
// nasal form or route is not systemic and does not fire.
//
// The patient has Achilles tendinopathy when an active Condition in the
// prefetch carries tendo's classification code local-tendinopathy or
// mixed (CodeSystem/classification) or names Achilles tendinopathy,
// tendinitis or tendinosis in its text, or else when tendo's assessment of
// the prefetched findings gives P(Achilles tendinopathy) of 0.5 or more.
//
// The risk (../shared/evidence/clinical-evidence.md §3 and §9.7):
// current fluoroquinolone use, Achilles rupture aIRR 3.14 (2.11–4.65);
// oral corticosteroid alone 4.59 (3.43–6.14); both together 19.36
// (7.78–48.19) (Morales et al. 2019, Clin Drug Investig); fluoroquinolone
// and Achilles tendinitis OR 3.95 (3.11–5.01) (Alves, Mendes, Batel
// Marques 2019, Eur J Clin Pharmacol); age 60–79 OR 6.4 (3.0–13.7) for
// rupture with a fluoroquinolone (van der Linden et al. 2003, Arch Intern
// Med). The card is a warning, critical when both kinds of drug are
// among the draft orders.
const OrderRule = "fluoroquinolone or systemic corticosteroid ordered for a patient with Achilles tendinopathy"

// Drug classes the rule recognises.
const (
	Fluoroquinolone = "fluoroquinolone"
	Corticosteroid  = "systemic corticosteroid"
)

const atcSystem = "http://www.whocc.no/atc"

// fluoroquinolone names; the INN stem -floxacin covers the class.
var corticosteroidNames = []string{
	"prednisolone", "prednisone", "methylprednisolone", "hydrocortisone", "dexamethasone",
	"betamethasone", "deflazacort", "cortisone", "triamcinolone", "budesonide",
}

var nonSystemicWords = []string{
	"cream", "ointment", "gel", "lotion", "topical", "cutaneous", "inhal", "nasal", "spray",
	"eye", "ophthalmic", "ear drop", "otic", "drops", "enema", "rectal foam", "suppositor", "mouthwash",
}

// medication is the part of a MedicationRequest the rule reads.
type medication struct {
	ResourceType              string    `json:"resourceType"`
	ID                        string    `json:"id"`
	Status                    string    `json:"status"`
	MedicationCodeableConcept *concept  `json:"medicationCodeableConcept"`
	DosageInstruction         []dosage  `json:"dosageInstruction"`
	Subject                   reference `json:"subject"`
}

type dosage struct {
	Text  string   `json:"text"`
	Route *concept `json:"route"`
}

// DrugClass returns the class of drug a MedicationRequest orders under
// OrderRule (Fluoroquinolone, Corticosteroid) and the drug's name, or ""
// when it is neither.
func DrugClass(r fhir.Resource) (class, name string) {
	var m medication
	if !as(r, &m) || m.ResourceType != "MedicationRequest" || m.MedicationCodeableConcept == nil {
		return "", ""
	}
	c := m.MedicationCodeableConcept
	name = c.Text
	words := []string{strings.ToLower(c.Text)}
	for _, cd := range c.Coding {
		if name == "" {
			name = cd.Display
		}
		words = append(words, strings.ToLower(cd.Display))
		if cd.System == atcSystem {
			switch code := strings.ToUpper(cd.Code); {
			case strings.HasPrefix(code, "J01MA"):
				return Fluoroquinolone, nameOr(name, cd.Code)
			case strings.HasPrefix(code, "H02AB"):
				return Corticosteroid, nameOr(name, cd.Code)
			}
		}
	}
	for _, d := range m.DosageInstruction {
		words = append(words, strings.ToLower(d.Text))
		if d.Route != nil {
			words = append(words, strings.ToLower(d.Route.Text))
			for _, cd := range d.Route.Coding {
				words = append(words, strings.ToLower(cd.Display))
			}
		}
	}
	all := strings.Join(words, " ")
	if strings.Contains(all, "floxacin") {
		return Fluoroquinolone, nameOr(name, "a fluoroquinolone")
	}
	for _, s := range corticosteroidNames {
		if strings.Contains(all, s) {
			for _, w := range nonSystemicWords {
				if strings.Contains(all, w) {
					return "", ""
				}
			}
			return Corticosteroid, nameOr(name, s)
		}
	}
	return "", ""
}

func nameOr(name, alt string) string {
	if strings.TrimSpace(name) == "" {
		return alt
	}
	return name
}

// as converts a resource to v through its JSON.
func as(r fhir.Resource, v any) bool {
	b, err := fhir.Marshal(r)
	if err != nil {
		return false
	}
	return json.Unmarshal(b, v) == nil
}

type condition struct {
	ResourceType       string   `json:"resourceType"`
	ClinicalStatus     *concept `json:"clinicalStatus"`
	VerificationStatus *concept `json:"verificationStatus"`
	Code               *concept `json:"code"`
}

func hasCode(c *concept, codes ...string) bool {
	if c == nil {
		return false
	}
	for _, cd := range c.Coding {
		if slices.Contains(codes, cd.Code) {
			return true
		}
	}
	return false
}

// TendinopathyCondition reports whether r is a Condition that says the
// patient has Achilles tendinopathy now (see OrderRule).
func TendinopathyCondition(r fhir.Resource) bool {
	var c condition
	if !as(r, &c) || c.ResourceType != "Condition" || c.Code == nil {
		return false
	}
	if hasCode(c.ClinicalStatus, "inactive", "resolved", "remission") || hasCode(c.VerificationStatus, "refuted", "entered-in-error") {
		return false
	}
	for _, cd := range c.Code.Coding {
		if cd.System == fhirmap.SystemClassification && (cd.Code == string(tendo.LocalTendinopathy) || cd.Code == string(tendo.Mixed)) {
			return true
		}
	}
	text := strings.ToLower(c.Code.Text)
	for _, cd := range c.Code.Coding {
		text += " " + strings.ToLower(cd.Display)
	}
	if !strings.Contains(text, "achilles") {
		return false
	}
	for _, w := range []string{"tendinopathy", "tendinitis", "tendonitis", "tendinosis"} {
		if strings.Contains(text, w) {
			return true
		}
	}
	return false
}

type drugOrder struct {
	class, name, id string
}

// draftOrders reads context.draftOrders (a Bundle) and returns the orders
// the rule recognises, among context.selections when it is given.
func draftOrders(req *Request) ([]drugOrder, error) {
	raw, ok := req.Context["draftOrders"]
	if !ok {
		return nil, badField("context.draftOrders", "missing")
	}
	r, err := fhir.Unmarshal(raw)
	if err != nil {
		return nil, badField("context.draftOrders", "%v", err)
	}
	b, ok := r.(*fhir.Bundle)
	if !ok {
		return nil, badField("context.draftOrders", "want a Bundle, got %s", r.ResourceType())
	}
	var sel []string
	if s, ok := req.Context["selections"]; ok {
		if err := json.Unmarshal(s, &sel); err != nil {
			return nil, badField("context.selections", "want an array of strings")
		}
	}
	var out []drugOrder
	for _, e := range b.Entry {
		if e.Resource == nil {
			continue
		}
		var m medication
		as(e.Resource, &m)
		if len(sel) > 0 && !slices.Contains(sel, e.Resource.ResourceType()+"/"+m.ID) {
			continue
		}
		if class, name := DrugClass(e.Resource); class != "" {
			out = append(out, drugOrder{class, name, m.ID})
		}
	}
	return out, nil
}

func runOrderSelect(h *Handler, ctx context.Context, client *Client, req *Request, g *gathered, patientID string) (*Response, error) {
	orders, err := draftOrders(req)
	if err != nil || len(orders) == 0 {
		return &Response{Cards: []Card{}}, err
	}
	why := ""
	for _, r := range g.resources {
		if TendinopathyCondition(r) {
			why = "The record has an active Achilles tendinopathy condition."
			break
		}
	}
	if why == "" {
		res, err := h.assess(ctx, client, g)
		if err != nil {
			return nil, err
		}
		p := res.Probabilities.AchillesTendinopathy
		if p < 0.5 {
			return &Response{Cards: []Card{}}, nil
		}
		why = "tendo's assessment of the findings in the record gives Achilles tendinopathy a probability of " +
			tendo.PercentRange(p, res.ProbabilityRanges.AchillesTendinopathy) + "."
	}
	return &Response{Cards: []Card{drugCard(orders, why, h.cfg.NewUUID)}}, nil
}

func drugCard(orders []drugOrder, why string, uuid func() string) Card {
	fq, cs := false, false
	var names []string
	for _, o := range orders {
		fq = fq || o.class == Fluoroquinolone
		cs = cs || o.class == Corticosteroid
		if !slices.Contains(names, o.name) {
			names = append(names, o.name)
		}
	}
	ind := Warning
	var d strings.Builder
	fmt.Fprintf(&d, "**%s** raises the risk of Achilles tendon rupture in a patient with Achilles tendinopathy. %s\n\n", md(capitalise(strings.Join(names, " and "))), md(why))
	d.WriteString("**The evidence:**\n\n")
	if fq {
		d.WriteString("- Current fluoroquinolone use: Achilles rupture about 3 times as likely (adjusted incidence rate ratio 3.14, 95% CI 2.11–4.65; Morales et al. 2019); Achilles tendinitis about 4 times (odds ratio 3.95, 3.11–5.01; Alves et al. 2019).\n")
		d.WriteString("- Age 60 to 79 with a fluoroquinolone: rupture odds ratio 6.4 (3.0–13.7) (van der Linden et al. 2003).\n")
	}
	if cs {
		d.WriteString("- Oral corticosteroid alone: Achilles rupture about 4.6 times as likely (adjusted incidence rate ratio 4.59, 3.43–6.14; Morales et al. 2019).\n")
	}
	d.WriteString("- A fluoroquinolone and an oral corticosteroid together: about 19 times (adjusted incidence rate ratio 19.36, 7.78–48.19; Morales et al. 2019).\n\n")
	if fq && cs {
		ind = Critical
		d.WriteString("**Both are being ordered together.**\n\n")
	}
	d.WriteString("**What to do:** prefer an alternative where one is suitable. If the drug is needed, tell the patient to stop loading and report tendon pain or swelling at once, and keep a low threshold for assessing a rupture.\n\n")
	d.WriteString("_" + md(disclaimer) + "_")
	c := Card{
		UUID:              uuid(),
		Summary:           summary("Tendon risk: " + strings.Join(names, " and ") + " with Achilles tendinopathy"),
		Detail:            d.String(),
		Indicator:         ind,
		Source:            source(),
		SelectionBehavior: "any",
		OverrideReasons: []Coding{
			{System: Base + "/CodeSystem/override-reason", Code: "benefit-outweighs-risk", Display: "Benefit outweighs the tendon risk"},
			{System: Base + "/CodeSystem/override-reason", Code: "no-alternative", Display: "No suitable alternative"},
			{System: Base + "/CodeSystem/override-reason", Code: "patient-counselled", Display: "Patient told to stop and report tendon pain"},
		},
	}
	for _, o := range orders {
		if o.id == "" {
			continue
		}
		c.Suggestions = append(c.Suggestions, Suggestion{
			Label:   "Remove the draft order for " + clip(o.name, 60),
			UUID:    uuid(),
			Actions: []Action{{Type: Delete, Description: "Remove the draft order for " + o.name, ResourceID: "MedicationRequest/" + o.id}},
		})
	}
	if len(c.Suggestions) == 0 {
		c.SelectionBehavior = ""
	}
	return c
}

// coding and concept are FHIR Coding and CodeableConcept as the rule
// reads them from any resource's JSON.
type coding struct {
	System  string `json:"system,omitempty"`
	Code    string `json:"code,omitempty"`
	Display string `json:"display,omitempty"`
}

type concept struct {
	Coding []coding `json:"coding,omitempty"`
	Text   string   `json:"text,omitempty"`
}

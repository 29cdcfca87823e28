package cdshooks

import (
	"context"
	"fmt"
	"net/http"

	"github.com/tendo-health/tendo"
	"github.com/tendo-health/tendo/fhir"
	"github.com/tendo-health/tendo/fhirmap"
)

// The ids of tendo's CDS services and the hooks they answer.
const (
	HeelPainID     = "tendo-heel-pain"
	TendonDrugRisk = "tendo-tendon-drug-risk"
	PatientView    = "patient-view"
	OrderSelect    = "order-select"
)

// Base is the base of tendo's canonical URLs (its CodeSystems and
// Questionnaires): package fhirmap's.
const Base = fhirmap.Base

// Prefetch templates: the patient, the Observations tendo maps (every
// Observation package fhirmap writes carries a code of tendo's field
// CodeSystem; the LOINC codes of the ODI score 97909-6 and NPRS 72514-3
// named in issue 11 are asked for too), the completed
// QuestionnaireResponses and the active Conditions. A token search of
// "system|" matches every code of that system (FHIR R4 search, token).
var prefetchTemplates = map[string]string{
	"patient": "Patient/{{context.patientId}}",
	"observations": "Observation?patient={{context.patientId}}&code=" +
		fhirmap.SystemField + "|,http://loinc.org|97909-6,http://loinc.org|72514-3",
	"questionnaireResponses": "QuestionnaireResponse?patient={{context.patientId}}&status=completed",
	"conditions":             "Condition?patient={{context.patientId}}&clinical-status=active",
}

var prefetchKeys = []string{"patient", "observations", "questionnaireResponses", "conditions"}

// service is one CDS service: its discovery entry, its prefetch keys in
// order, and what it does with a call.
type service struct {
	Service
	keys []string
	run  func(h *Handler, ctx context.Context, client *Client, req *Request, g *gathered, patientID string) (*Response, error)
}

func patientViewService() *service {
	return &service{
		Service: Service{
			Hook:  PatientView,
			ID:    HeelPainID,
			Title: "tendo: posterior heel and Achilles pain",
			Description: "Assesses posterior heel pain from tendo's findings and questionnaires in the record: " +
				"red flags as critical cards with the urgent referral, the likely source (Achilles tendon, " +
				"lower back or both) with probabilities and the next tests, and a plan. Supports, not replaces, clinical judgement.",
			Prefetch:          prefetchTemplates,
			UsageRequirements: "Needs the patient's tendo Observations or QuestionnaireResponses; without them the answer rests on age and sex alone.",
		},
		keys: prefetchKeys,
		run:  runPatientView,
	}
}

func orderSelectService() *service {
	return &service{
		Service: Service{
			Hook:  OrderSelect,
			ID:    TendonDrugRisk,
			Title: "tendo: tendon risk of fluoroquinolones and corticosteroids",
			Description: "Warns when a fluoroquinolone or a systemic corticosteroid is being ordered for a patient " +
				"with Achilles tendinopathy, since both raise the risk of Achilles rupture.",
			Prefetch: prefetchTemplates,
		},
		keys: prefetchKeys,
		run:  runOrderSelect,
	}
}

// Call answers a verified client's hook request to service id: it
// gathers the prefetch (fetching what is missing), runs the service and
// returns its cards, each checked by Card.Validate, and the patient's FHIR
// id (context.patientId) for the audit. A call whose context names no
// patient gets no cards. ServeHTTP calls it after the JWT
// and the body are checked.
func (h *Handler) Call(ctx context.Context, client *Client, id string, req *Request) (*Response, string, error) {
	s := h.service(id)
	if s == nil {
		return nil, "", &Error{Status: http.StatusNotFound, Msg: "no CDS service " + strconvQuote(id)}
	}
	if req.Hook != s.Hook {
		return nil, "", badField("hook", "service %s answers %s, got %q", s.ID, s.Hook, req.Hook)
	}
	patientID, ok, err := req.ContextString("patientId")
	if err != nil {
		return nil, "", err
	}
	if !ok {
		// Both hooks require a patient; a call without one (the spec's
		// extension example) gets no guidance rather than an error.
		return &Response{Cards: []Card{}}, "", nil
	}
	g, err := h.gather(ctx, client, s, req, patientID)
	if err != nil {
		return nil, patientID, err
	}
	if g.patient != nil && g.patient.ID != "" && g.patient.ID != patientID {
		return nil, patientID, badField("prefetch.patient.id", "%q is not context.patientId %q", g.patient.ID, patientID)
	}
	resp, err := s.run(h, ctx, client, req, g, patientID)
	if err != nil {
		return nil, patientID, err
	}
	for i := range resp.Cards {
		if err := resp.Cards[i].Validate(); err != nil {
			return nil, patientID, fmt.Errorf("cdshooks: card %d made by %s is invalid: %w", i, s.ID, err)
		}
	}
	return resp, patientID, nil
}

// assess runs the Assess port on the gathered resources, dated today by
// the clock (UTC).
func (h *Handler) assess(ctx context.Context, client *Client, g *gathered) (*tendo.Result, error) {
	date := h.cfg.Clock().UTC().Format("2006-01-02")
	_, res, err := h.cfg.Assess(ctx, client.Principal, g.resources, date)
	if err != nil {
		return nil, err
	}
	if res == nil {
		return nil, fmt.Errorf("cdshooks: Assess returned no result")
	}
	return res, nil
}

func runPatientView(h *Handler, ctx context.Context, client *Client, req *Request, g *gathered, patientID string) (*Response, error) {
	res, err := h.assess(ctx, client, g)
	if err != nil {
		return nil, err
	}
	cards := ResultCards(res, CardOptions{
		PatientID:      patientID,
		SMARTLaunchURL: h.cfg.SMARTLaunchURL,
		NewUUID:        h.cfg.NewUUID,
		Notes:          g.notes,
	})
	return &Response{Cards: cards}, nil
}

func patientRef(patientID string) fhir.Reference {
	return fhir.Reference{Reference: "Patient/" + patientID}
}

func strconvQuote(s string) string {
	if len(s) > 64 {
		s = s[:64] + "…"
	}
	return fmt.Sprintf("%q", s)
}

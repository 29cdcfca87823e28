package cdshooks_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"

	"github.com/tendo-health/tendo"
	"github.com/tendo-health/tendo/cdshooks"
	"github.com/tendo-health/tendo/fhir"
)

func ExampleExpand() {
	ctx := map[string]json.RawMessage{
		"patientId": json.RawMessage(`"123&_include=*"`),
		"userId":    json.RawMessage(`"Practitioner/example"`),
	}
	q, _ := cdshooks.Expand("Observation?patient={{context.patientId}}&performer={{userPractitionerId}}", ctx)
	fmt.Println(q)
	// Output: Observation?patient=123%26_include%3D%2A&performer=example
}

// ExampleNewHandler mounts the service with its ports. A real server
// fills them with the clinic services: the allow-list of CDS clients, the
// mapping of the resources to an assessment and the engine, the feedback
// store and the audit.
func ExampleNewHandler() {
	h, err := cdshooks.NewHandler(cdshooks.Config{
		BaseURL:        "https://tendo.example/cds-services",
		SMARTLaunchURL: "https://tendo.example/smart/launch",
		Clients: func(ctx context.Context, iss string) (*cdshooks.Client, error) {
			if iss != "https://ehr.example.org/" {
				return nil, cdshooks.ErrUnknownClient
			}
			return &cdshooks.Client{
				Principal:   "ehr",
				JKU:         []string{"https://ehr.example.org/.well-known/jwks.json"},
				FHIRServers: []string{"https://ehr.example.org/fhir"},
			}, nil
		},
		Assess: func(ctx context.Context, principal any, rs []fhir.Resource, date string) (*tendo.Assessment, *tendo.Result, error) {
			return nil, nil, fmt.Errorf("map rs with fhirmap.ImportResources and assess them")
		},
	})
	if err != nil {
		panic(err)
	}
	mux := http.NewServeMux()
	mux.Handle("/cds-services/", h)
	mux.Handle("/cds-services", h)
	fmt.Println(len(h.Discovery().Services), "services")
	// Output: 2 services
}

package cdshooks

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/tendo-health/tendo/fhir"
)

// MaxResources bounds the FHIR resources one hook call gathers from its
// prefetch and fetches, search Bundles' entries counted one by one.
const MaxResources = 2000

// MaxFetchBytes bounds one FHIR response fetched from a client's server.
const MaxFetchBytes = fhir.MaxBytes

// userTokens are the prefetch tokens naming the user, with the resource
// type context.userId must have for each.
var userTokens = map[string]string{
	"userPractitionerId":     "Practitioner",
	"userPractitionerRoleId": "PractitionerRole",
	"userPatientId":          "Patient",
	"userRelatedPersonId":    "RelatedPerson",
}

// Expand replaces the prefetch tokens of template with values from a hook
// request's context: {{context.name}} by the root-level primitive member
// name (a string, number or boolean; an object, array, null or missing
// member is an error naming it), and {{userPractitionerId}},
// {{userPractitionerRoleId}}, {{userPatientId}} and
// {{userRelatedPersonId}} by the id in context.userId when it references
// a resource of that type. Each value is percent-encoded except for
// RFC 3986's unreserved characters, so a value cannot add a path segment,
// a parameter or a fragment to the query.
func Expand(template string, ctxMembers map[string]json.RawMessage) (string, error) {
	var b strings.Builder
	rest := template
	for {
		i := strings.Index(rest, "{{")
		if i < 0 {
			b.WriteString(rest)
			return b.String(), nil
		}
		j := strings.Index(rest[i:], "}}")
		if j < 0 {
			return "", fmt.Errorf("cdshooks: template %q: unclosed {{", template)
		}
		b.WriteString(rest[:i])
		tok := strings.TrimSpace(rest[i+2 : i+j])
		v, err := tokenValue(tok, ctxMembers)
		if err != nil {
			return "", err
		}
		b.WriteString(escapeValue(v))
		rest = rest[i+j+2:]
	}
}

func tokenValue(tok string, ctxMembers map[string]json.RawMessage) (string, error) {
	if name, ok := strings.CutPrefix(tok, "context."); ok {
		if strings.Contains(name, ".") || name == "" {
			return "", badField("context."+name, "not a root-level context member")
		}
		raw, ok := ctxMembers[name]
		if !ok {
			return "", badField("context."+name, "missing, and a prefetch template needs it")
		}
		return primitive(raw, "context."+name)
	}
	rt, ok := userTokens[tok]
	if !ok {
		return "", fmt.Errorf("cdshooks: unknown prefetch token %q", tok)
	}
	raw, ok := ctxMembers["userId"]
	if !ok {
		return "", badField("context.userId", "missing, and a prefetch template needs %s", tok)
	}
	u, err := primitive(raw, "context.userId")
	if err != nil {
		return "", err
	}
	id, ok := strings.CutPrefix(u, rt+"/")
	if !ok || id == "" {
		return "", badField("context.userId", "%q is not a %s reference, and a prefetch template needs %s", u, rt, tok)
	}
	return id, nil
}

func primitive(raw json.RawMessage, field string) (string, error) {
	var v any
	if err := json.Unmarshal(raw, &v); err != nil {
		return "", badField(field, "not JSON")
	}
	switch v := v.(type) {
	case string:
		if v == "" {
			return "", badField(field, "empty")
		}
		return v, nil
	case float64:
		return strings.TrimSpace(string(raw)), nil
	case bool:
		return strconv.FormatBool(v), nil
	}
	return "", badField(field, "want a string, number or boolean for a prefetch token")
}

// escapeValue percent-encodes every byte but the unreserved characters
// A–Z a–z 0–9 - . _ ~.
func escapeValue(s string) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9', c == '-', c == '.', c == '_', c == '~':
			b.WriteByte(c)
		default:
			b.WriteByte('%')
			b.WriteByte(hex[c>>4])
			b.WriteByte(hex[c&15])
		}
	}
	return b.String()
}

// gathered is what the prefetch and fetches of one call gave.
type gathered struct {
	patientID string // context.patientId
	resources []fhir.Resource
	patient   *fhir.Patient
	notes     []string
}

// subjectOf is the part of a resource that names its patient.
type subjectOf struct {
	Subject *reference `json:"subject"`
	Patient *reference `json:"patient"`
}

// otherPatient returns the reference of r's subject (or patient) when it
// names a Patient other than id: a prefetch must hold one patient's data.
func otherPatient(r fhir.Resource, id string) (string, bool) {
	var s subjectOf
	switch r := r.(type) {
	case *fhir.Patient:
		return "", false
	case *fhir.Observation:
		if r.Subject != nil {
			s.Subject = &reference{r.Subject.Reference}
		}
	case *fhir.QuestionnaireResponse:
		if r.Subject != nil {
			s.Subject = &reference{r.Subject.Reference}
		}
	default:
		as(r, &s)
	}
	for _, ref := range []*reference{s.Subject, s.Patient} {
		if ref == nil {
			continue
		}
		i := strings.LastIndex(ref.Reference, "Patient/")
		if i < 0 || (i > 0 && ref.Reference[i-1] != '/') {
			continue
		}
		if got := ref.Reference[i+len("Patient/"):]; got != id {
			return ref.Reference, true
		}
	}
	return "", false
}

func (g *gathered) add(key string, r fhir.Resource) error {
	switch r := r.(type) {
	case *fhir.Bundle:
		for _, e := range r.Entry {
			if e.Resource == nil {
				continue
			}
			if e.Resource.ResourceType() == "OperationOutcome" {
				g.notes = append(g.notes, "prefetch "+key+": the client's search reported an OperationOutcome")
				continue
			}
			if err := g.add(key, e.Resource); err != nil {
				return err
			}
		}
		for _, l := range r.Link {
			if l.Relation == "next" {
				g.notes = append(g.notes, "prefetch "+key+": only the first page of the search was read")
			}
		}
		return nil
	case *fhir.Patient:
		if g.patient == nil {
			g.patient = r
		}
	}
	if ref, ok := otherPatient(r, g.patientID); ok {
		return badField("prefetch."+key, "a %s for %s, not for context.patientId %q", r.ResourceType(), ref, g.patientID)
	}
	if len(g.resources) >= MaxResources {
		return &Error{Status: http.StatusRequestEntityTooLarge, Field: "prefetch." + key, Msg: fmt.Sprintf("over %d resources", MaxResources)}
	}
	g.resources = append(g.resources, r)
	return nil
}

// gather satisfies each of s's prefetch templates from the request's
// prefetch or, for a key left out (or answered by an OperationOutcome),
// from the client's FHIR server; when neither can, the call fails with
// 412. A resource whose subject (or patient) is another Patient than
// patientID fails the call with 400.
func (h *Handler) gather(ctx context.Context, client *Client, s *service, req *Request, patientID string) (*gathered, error) {
	g := &gathered{patientID: patientID}
	for _, key := range s.keys {
		raw, ok := req.Prefetch[key]
		if ok && string(raw) == "null" {
			continue // the client has no data for this key
		}
		if ok {
			r, err := fhir.Unmarshal(raw)
			if err != nil {
				return nil, badField("prefetch."+key, "%v", err)
			}
			if r.ResourceType() != "OperationOutcome" {
				if err := g.add(key, r); err != nil {
					return nil, err
				}
				continue
			}
			g.notes = append(g.notes, "prefetch "+key+": the client sent an OperationOutcome; fetched instead")
		}
		r, err := h.fetch(ctx, client, req, key, s.Prefetch[key])
		if err != nil {
			return nil, err
		}
		if r != nil {
			if err := g.add(key, r); err != nil {
				return nil, err
			}
		}
	}
	return g, nil
}

func preconditionFailed(key, format string, args ...any) *Error {
	return &Error{Status: http.StatusPreconditionFailed, Field: "prefetch." + key, Msg: fmt.Sprintf(format, args...)}
}

// fetch runs one prefetch template against the request's fhirServer. A
// read that finds nothing (404) gives nil.
func (h *Handler) fetch(ctx context.Context, client *Client, req *Request, key, template string) (fhir.Resource, error) {
	if req.FHIRServer == "" {
		return nil, preconditionFailed(key, "missing, and the request names no fhirServer to fetch it from")
	}
	base, ok := allowedServer(client, req.FHIRServer)
	if !ok {
		return nil, preconditionFailed(key, "missing, and fhirServer %q is not a server this client may have tendo read", req.FHIRServer)
	}
	rel, err := Expand(template, req.Context)
	if err != nil {
		return nil, err
	}
	hr, err := http.NewRequestWithContext(ctx, http.MethodGet, base+"/"+rel, nil)
	if err != nil {
		return nil, preconditionFailed(key, "bad FHIR URL: %v", err)
	}
	hr.Header.Set("Accept", "application/fhir+json")
	if a := req.FHIRAuthorization; a != nil {
		hr.Header.Set("Authorization", "Bearer "+a.AccessToken)
	}
	resp, err := h.fetcher.client.Do(hr)
	if err != nil {
		return nil, preconditionFailed(key, "fetching from the FHIR server: %v", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode == http.StatusNotFound && !strings.Contains(rel, "?") {
		return nil, nil
	}
	if resp.StatusCode != http.StatusOK {
		return nil, preconditionFailed(key, "the FHIR server answered %d", resp.StatusCode)
	}
	b, err := io.ReadAll(io.LimitReader(resp.Body, MaxFetchBytes+1))
	if err != nil {
		return nil, preconditionFailed(key, "reading the FHIR server's answer: %v", err)
	}
	if len(b) > MaxFetchBytes {
		return nil, preconditionFailed(key, "the FHIR server's answer is over %d bytes", MaxFetchBytes)
	}
	r, err := fhir.Unmarshal(b)
	if err != nil {
		return nil, preconditionFailed(key, "the FHIR server's answer: %v", err)
	}
	if r.ResourceType() == "OperationOutcome" {
		return nil, preconditionFailed(key, "the FHIR server answered an OperationOutcome")
	}
	return r, nil
}

// allowedServer returns fhirServer without a trailing slash when it is one
// of the client's FHIR servers.
func allowedServer(c *Client, fhirServer string) (string, bool) {
	s := strings.TrimSuffix(fhirServer, "/")
	for _, a := range c.FHIRServers {
		if strings.TrimSuffix(a, "/") == s && s != "" {
			return s, true
		}
	}
	return "", false
}

// fetcher holds the HTTP client of the FHIR fetches.
type fetcher struct {
	client *http.Client
}

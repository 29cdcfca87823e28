package web

// issue 11: cds-clinic. The CDS Hooks service (package cdshooks) mounted
// at /cds-services, its ports implemented through the clinic services,
// and the feedback list for safety review (GET /api/cds/feedback).

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/tendo-health/tendo"
	"github.com/tendo-health/tendo/cdshooks"
	"github.com/tendo-health/tendo/fhir"
	"github.com/tendo-health/tendo/fhirmap"
)

// cdsPath is where the CDS Hooks discovery endpoint is served; the
// services are under it.
const cdsPath = "/cds-services"

// CDSOptions configures the CDS Hooks service.
type CDSOptions struct {
	// PublicURL is tendo's external address as CDS clients call it
	// ("https://tendo.example", required). The discovery endpoint is
	// PublicURL+"/cds-services", and a client's JWT must carry the
	// service's full URL, PublicURL+"/cds-services/{id}", as aud; it is
	// never taken from the request's Host header, which the caller
	// chooses.
	PublicURL string
	// SMARTLaunchURL is the SMART App Launch URL the cards link to; ""
	// gives cards without the link.
	SMARTLaunchURL string
	// AllowedOrigins are the web origins ("https://sandbox.example")
	// whose browser-based CDS clients may call the services (CORS); the
	// JWT is required all the same. Empty: server-to-server calls only.
	AllowedOrigins []string
	// HTTPClient fetches missing prefetch data from a client's allowed
	// FHIR server and key sets from its allowed jku URLs; nil is a
	// client with cdshooks' timeout.
	HTTPClient *http.Client
}

// cdsState is the mounted handler.
type cdsState struct {
	handler  *cdshooks.Handler
	basePath string // the public URL's path, "" at the root
}

// cdsPrincipal is what the Clients port hands the other ports: the
// client and its user, the actor of the call.
type cdsPrincipal struct {
	client tendo.CDSClient
	user   tendo.User
}

func (s *Server) cdsState() *cdsState { return s.cds.Load() }

// EnableCDS mounts the CDS Hooks service at /cds-services. Call it once,
// before the server serves; until then /cds-services answers 404.
func (s *Server) EnableCDS(opt CDSOptions) error {
	u, err := url.Parse(opt.PublicURL)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" || u.User != nil {
		return fmt.Errorf("web: CDS Hooks needs the public URL (https://host), got %q", opt.PublicURL)
	}
	base := strings.TrimSuffix(u.Scheme+"://"+u.Host+u.Path, "/")
	h, err := cdshooks.NewHandler(cdshooks.Config{
		BaseURL:        base + cdsPath,
		SMARTLaunchURL: opt.SMARTLaunchURL,
		Clock:          func() time.Time { return s.Now() },
		Clients:        s.cdsClients,
		Assess:         s.cdsAssess,
		Feedback:       s.cdsFeedback,
		Called:         s.cdsCalled,
		HTTPClient:     opt.HTTPClient,
		AllowedOrigins: opt.AllowedOrigins,
	})
	if err != nil {
		return err
	}
	s.cds.Store(&cdsState{handler: h, basePath: strings.TrimSuffix(u.Path, "/")})
	return nil
}

// cdsHooks serves /cds-services and below: the request's anonymous actor
// (address, user agent) goes into the context for the ports, which add
// the client's user once its JWT is verified; a refused JWT is audited
// as a denial.
func (s *Server) cdsHooks(w http.ResponseWriter, r *http.Request) {
	st := s.cdsState()
	if st == nil {
		s.apiError(w, r, tendo.Errorf(tendo.ENOTFOUND, "CDS Hooks is not enabled on this server (tendo serve --base-url)."))
		return
	}
	r = s.withActor(r)
	if st.basePath != "" {
		// Behind a proxy that serves tendo under a path: the handler
		// knows the public path.
		r = r.Clone(r.Context())
		r.URL.Path = st.basePath + r.URL.Path
		r.URL.RawPath = ""
	}
	call := &cdsCall{}
	r = r.WithContext(context.WithValue(r.Context(), cdsCallKey{}, call))
	rec := &recorder{ResponseWriter: w} // accesslog.go
	st.handler.ServeHTTP(rec, r)
	switch {
	case rec.status == http.StatusUnauthorized:
		s.recordDenied(r, "CDS Hooks: no valid JWT")
	case rec.status >= 400 && call.principal != nil && !call.recorded:
		// A verified client's call that was refused after its JWT was
		// checked (a bad request, missing prefetch, overload): no card
		// left, but data may have been fetched for it; it is recorded
		// as the client.
		ctx, err := cdsContext(context.WithoutCancel(r.Context()), call.principal)
		if err == nil {
			err = s.svc.Record(ctx, tendo.ActionCDSCall, fmt.Sprintf("refused %d: %s %s", rec.status, r.Method, r.URL.Path))
		}
		if err != nil {
			s.Logger.Error("audit a refused CDS call", "err", err)
		}
	}
}

// cdsCall follows one request through the ports: the verified client,
// and whether its call was recorded (Called).
type cdsCall struct {
	principal any
	recorded  bool
}

type cdsCallKey struct{}

// cdsClients is the Clients port: the allow-list is the registered,
// enabled clients (CDSService.CDSClientByIssuer).
func (s *Server) cdsClients(ctx context.Context, iss string) (*cdshooks.Client, error) {
	c, u, err := s.svc.CDSClientByIssuer(ctx, iss)
	if tendo.ErrorCode(err) == tendo.EUNAUTHORIZED {
		return nil, cdshooks.ErrUnknownClient
	}
	if err != nil {
		return nil, err
	}
	p := &cdsPrincipal{client: c, user: u}
	cl := &cdshooks.Client{Principal: p, JKU: c.JWKSURLs, FHIRServers: c.FHIRServers}
	if call, ok := ctx.Value(cdsCallKey{}).(*cdsCall); ok {
		// The verifier goes on to check the signature: the principal
		// counts only once a port is reached, or the answer is not 401.
		call.principal = p
	}
	if len(c.JWKS) > 0 {
		cl.JWKS = []byte(c.JWKS)
	}
	return cl, nil
}

// cdsContext is ctx acting as the client's user, as an API token's
// user acts (web/auth.go's api).
func cdsContext(ctx context.Context, principal any) (context.Context, error) {
	p, ok := principal.(*cdsPrincipal)
	if !ok || p == nil {
		return nil, errors.New("web: CDS port called without a client")
	}
	a := tendo.ActorFrom(ctx)
	u := p.user
	a.User = &u
	return withUser(tendo.NewContext(ctx, a), u, nil), nil
}

// cdsError turns a service's error into the CDS Hooks answer: the
// status of its code, the field it names.
func cdsError(err error) error {
	code := tendo.ErrorCode(err)
	if code == tendo.EINTERNAL {
		return err
	}
	var field string
	var te *tendo.Error
	var tes tendo.Errors
	switch {
	case errors.As(err, &te):
		field = te.Field
	case errors.As(err, &tes) && len(tes) > 0:
		field = tes[0].Field
	}
	status := statusOf(err)
	if code == tendo.EINVALID {
		status = http.StatusBadRequest // as cdshooks answers a bad field
	}
	return &cdshooks.Error{Status: status, Field: field, Msg: tendo.ErrorMessage(err)}
}

// cdsAssess is the Assess port: the prefetched resources become an
// assessment through fhirmap.ImportResources (what it cannot map is left
// out, as `tendo fhir import` reports it) and the clinic's engine
// assesses it, as VisitService.Assess does for `tendo assess` and the
// API.
func (s *Server) cdsAssess(ctx context.Context, principal any, rs []fhir.Resource, date string) (*tendo.Assessment, *tendo.Result, error) {
	ctx, err := cdsContext(ctx, principal)
	if err != nil {
		return nil, nil, err
	}
	d, err := fhirmap.ImportResources(rs, fhirmap.ImportOptions{Date: date, Now: s.Now})
	if err != nil {
		var fe *fhir.Error
		if errors.As(err, &fe) {
			return nil, nil, &cdshooks.Error{Status: http.StatusBadRequest, Field: "prefetch", Msg: fe.Error()}
		}
		return nil, nil, cdsError(err)
	}
	a := d.Assessment
	res, err := s.svc.Assess(ctx, &a)
	if err != nil {
		e := cdsError(err)
		var ce *cdshooks.Error
		if errors.As(e, &ce) && ce.Field != "" {
			ce.Field = "prefetch (assessment field " + ce.Field + ")"
		}
		return nil, nil, e
	}
	return &a, res, nil
}

// cdsCalled is the Called port: CDSService.RecordCDSCall, as the
// client's user.
func (s *Server) cdsCalled(ctx context.Context, principal any, serviceID, hookInstance, patientID string, cards int) error {
	ctx, err := cdsContext(ctx, principal)
	if err != nil {
		return err
	}
	err = s.svc.RecordCDSCall(ctx, tendo.CDSCall{ServiceID: serviceID, HookInstance: hookInstance, PatientID: patientID, Cards: cards})
	if err != nil {
		return cdsError(err) // the refusal is recorded by cdsHooks
	}
	if call, ok := ctx.Value(cdsCallKey{}).(*cdsCall); ok {
		call.recorded = true
	}
	return nil
}

// cdsFeedback is the Feedback port: CDSService.SaveCDSFeedback, as the
// client's user.
func (s *Server) cdsFeedback(ctx context.Context, principal any, serviceID string, fb []cdshooks.Feedback) error {
	ctx, err := cdsContext(ctx, principal)
	if err != nil {
		return err
	}
	items := make([]tendo.CDSFeedback, len(fb))
	for i, f := range fb {
		at, err := time.Parse(time.RFC3339Nano, f.OutcomeTimestamp)
		if err != nil {
			return &cdshooks.Error{Status: http.StatusBadRequest, Field: fmt.Sprintf("feedback[%d].outcomeTimestamp", i), Msg: "want an RFC 3339 time"}
		}
		item := tendo.CDSFeedback{Card: f.Card, Outcome: f.Outcome, OutcomeTimestamp: at}
		for _, sg := range f.AcceptedSuggestions {
			item.AcceptedSuggestions = append(item.AcceptedSuggestions, sg.ID)
		}
		if r := f.OverrideReason; r != nil {
			item.UserComment = r.UserComment
			if r.Reason != nil {
				item.OverrideReason = &tendo.CDSCoding{Code: r.Reason.Code, System: r.Reason.System, Display: r.Reason.Display}
			}
		}
		items[i] = item
	}
	if _, err := s.svc.SaveCDSFeedback(ctx, serviceID, items); err != nil {
		return cdsError(err)
	}
	return nil
}

// cdsFeedbackPage is the answer of GET /api/cds/feedback.
type cdsFeedbackPage struct {
	Feedback []tendo.CDSFeedback `json:"feedback"`
	// Next is the before of the next page, 0 on the last.
	Next int64 `json:"next,omitempty"`
}

// apiCDSFeedback lists CDS feedback for safety review (an admin: every
// clinic; a clinician: their clinics), newest first, filtered by the
// query's clinic, client, service, outcome (accepted, overridden),
// before and limit (1 to 1,000; 100). The read is audited.
func (s *Server) apiCDSFeedback(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	var f tendo.CDSFeedbackFilter
	for _, p := range []struct {
		name string
		dst  *int64
	}{{"clinic", &f.ClinicID}, {"client", &f.ClientID}, {"before", &f.Before}} {
		if v := q.Get(p.name); v != "" {
			n, err := strconv.ParseInt(v, 10, 64)
			if err != nil || n <= 0 {
				s.apiError(w, r, &tendo.Error{Code: tendo.EINVALID, Field: p.name, Value: strconv.Quote(shorten(v)), Message: "must be a positive whole number"})
				return
			}
			*p.dst = n
		}
	}
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n <= 0 {
			s.apiError(w, r, &tendo.Error{Code: tendo.EINVALID, Field: "limit", Value: strconv.Quote(shorten(v)), Message: fmt.Sprintf("must be 1 to %d", tendo.MaxCDSFeedbackPage)})
			return
		}
		f.Limit = n
	}
	f.ServiceID, f.Outcome = q.Get("service"), q.Get("outcome")
	limit := f.Limit
	if limit == 0 {
		limit = 100
	}
	if limit < tendo.MaxCDSFeedbackPage {
		f.Limit = limit + 1 // one more tells whether there is a next page
	}
	items, err := s.svc.FindCDSFeedback(r.Context(), f)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	page := cdsFeedbackPage{Feedback: items}
	if len(items) > limit {
		page.Feedback = items[:limit]
		page.Next = items[limit-1].ID
	}
	writeJSON(w, http.StatusOK, page)
}

// shorten cuts a query value for an error message.
func shorten(v string) string {
	if len(v) > 40 {
		return strings.ToValidUTF8(v[:40], "") + "…"
	}
	return v
}

// end issue 11: cds-clinic

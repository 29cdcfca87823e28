package clinic

// issue 11: cds-clinic. CDS Hooks clients: registration, the audit of
// their calls, and the feedback they send for safety review.

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net"
	"net/url"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/tendo-health/tendo"
)

var _ tendo.CDSService = (*Service)(nil)

// cdsPasswordHash is stored as a CDS client user's password hash: no
// password matches it (it is not an argon2id hash), and Login refuses
// the role before any check anyway.
const cdsPasswordHash = "!cds-client"

// CreateCDSClient registers a client and its user; see tendo.CDSService.
func (s *Service) CreateCDSClient(ctx context.Context, nc tendo.NewCDSClient) (tendo.CDSClient, error) {
	if err := s.requireAdmin(ctx, "register a CDS client"); err != nil {
		return tendo.CDSClient{}, err
	}
	c, err := checkCDSClient(nc)
	if err != nil {
		return tendo.CDSClient{}, err
	}
	var b [8]byte
	if _, err := rand.Read(b[:]); err != nil {
		return tendo.CDSClient{}, err
	}
	u := tendo.User{
		// A reserved domain (RFC 2606): the address can receive nothing.
		Email: "cds-client-" + hex.EncodeToString(b[:]) + "@cds-client.invalid",
		Name:  c.Name, Role: tendo.RoleCDSClient, PasswordHash: cdsPasswordHash, ClinicIDs: []int64{c.ClinicID},
	}
	err = s.Store.InTx(ctx, func(st tendo.Store) error {
		if _, err := st.Clinic(ctx, c.ClinicID); err != nil {
			if tendo.ErrorCode(err) == tendo.ENOTFOUND {
				return tendo.Invalid("clinic", "There is no clinic %d.", c.ClinicID)
			}
			return err
		}
		var err error
		c, err = st.CreateCDSClient(ctx, c, u)
		switch tendo.ErrorCode(err) {
		case "":
		case tendo.ECONFLICT:
			return &tendo.Error{Code: tendo.ECONFLICT, Field: "issuer", Value: c.Issuer, Message: "A CDS client with this issuer is registered already."}
		default:
			return err
		}
		e := entry(ctx, tendo.ActionCDSClientCreate)
		e.ClinicID = c.ClinicID
		e.Detail = fmt.Sprintf("CDS client %d (%s), user %d, issuer %s, %d jku URLs, %d FHIR servers, JWKS %t",
			c.ID, c.Name, c.UserID, c.Issuer, len(c.JWKSURLs), len(c.FHIRServers), len(c.JWKS) > 0)
		return s.audit(ctx, st, e)
	})
	if err != nil {
		return tendo.CDSClient{}, err
	}
	return c, nil
}

// checkCDSClient validates a new client's configuration and returns it
// cleaned (names trimmed, the JWKS compacted).
func checkCDSClient(nc tendo.NewCDSClient) (tendo.CDSClient, error) {
	var errs tendo.Errors
	c := tendo.CDSClient{ClinicID: nc.ClinicID, Name: strings.TrimSpace(nc.Name), Issuer: strings.TrimSpace(nc.Issuer)}
	if c.ClinicID <= 0 {
		errs = append(errs, tendo.Invalid("clinic", "Name the clinic the client works for."))
	}
	if c.Name == "" || utf8.RuneCountInString(c.Name) > tendo.MaxCDSNameLength || !printable(c.Name) {
		errs = append(errs, tendo.Invalid("name", "Name the client (up to %d characters), e.g. the EHR's name.", tendo.MaxCDSNameLength))
	}
	if err := checkIssuer(c.Issuer); err != nil {
		errs = append(errs, err)
	}
	if len(nc.JWKS) > 0 {
		jwks, err := checkJWKS(nc.JWKS)
		if err != nil {
			errs = append(errs, err)
		}
		c.JWKS = jwks
	}
	var err *tendo.Error
	if c.JWKSURLs, err = checkURLs("jku", nc.JWKSURLs); err != nil {
		errs = append(errs, err)
	}
	if c.FHIRServers, err = checkURLs("fhirServer", nc.FHIRServers); err != nil {
		errs = append(errs, err)
	}
	if len(nc.JWKS) == 0 && len(nc.JWKSURLs) == 0 {
		errs = append(errs, tendo.Invalid("jwks", "Give the client's public keys: a JWKS, or at least one jku URL it may use."))
	}
	if len(errs) > 0 {
		return tendo.CDSClient{}, errs
	}
	return c, nil
}

// checkIssuer accepts an absolute URI without spaces or control
// characters: the iss a client's JWTs carry (CDS Hooks 2.0: "The URI of
// the issuer of this JWT").
func checkIssuer(iss string) *tendo.Error {
	if iss == "" || len(iss) > tendo.MaxCDSURLLength || !printable(iss) || strings.ContainsRune(iss, ' ') {
		return tendo.Invalid("issuer", "Give the issuer (iss) the client's tokens carry: a URI of up to %d characters.", tendo.MaxCDSURLLength)
	}
	u, err := url.Parse(iss)
	if err != nil || u.Scheme == "" {
		return &tendo.Error{Code: tendo.EINVALID, Field: "issuer", Value: quoteShort(iss), Message: "is not an absolute URI."}
	}
	return nil
}

// checkURLs accepts up to MaxCDSURLs URLs that tendo may reach: https,
// or http to a loopback address (a test server on this machine), with
// no user name or fragment. field is "jku" or "fhirServer".
func checkURLs(field string, urls []string) ([]string, *tendo.Error) {
	if len(urls) > tendo.MaxCDSURLs {
		return nil, tendo.Invalid(field, "Give at most %d URLs.", tendo.MaxCDSURLs)
	}
	out := []string{}
	for i, raw := range urls {
		f := fmt.Sprintf("%s[%d]", field, i)
		raw = strings.TrimSpace(raw)
		if raw == "" || len(raw) > tendo.MaxCDSURLLength || !printable(raw) || strings.ContainsRune(raw, ' ') {
			return nil, tendo.Invalid(f, "Give a URL of up to %d characters.", tendo.MaxCDSURLLength)
		}
		u, err := url.Parse(raw)
		switch {
		case err != nil || u.Host == "" || u.Opaque != "":
			return nil, &tendo.Error{Code: tendo.EINVALID, Field: f, Value: quoteShort(raw), Message: "is not an absolute URL."}
		case u.User != nil || u.Fragment != "":
			return nil, &tendo.Error{Code: tendo.EINVALID, Field: f, Value: quoteShort(raw), Message: "must not carry a user name or a fragment."}
		case u.Scheme == "https":
		case u.Scheme == "http" && loopback(u.Hostname()):
		default:
			return nil, &tendo.Error{Code: tendo.EINVALID, Field: f, Value: quoteShort(raw), Message: "must be https (http only to this machine's loopback address)."}
		}
		out = append(out, raw)
	}
	return out, nil
}

// loopback reports whether host is localhost or a loopback address.
func loopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// Private or symmetric key members: a configured key set holds public
// keys only (RFC 7518 §6.2.2, §6.3.2, §6.4.1).
var privateMembers = []string{"d", "p", "q", "dp", "dq", "qi", "oth", "k"}

// checkJWKS accepts a JSON Web Key Set of 1 to MaxCDSJWKSKeys public EC
// or RSA keys (the verifier accepts ES384 and RS384 only), each with a
// kid, and returns it compacted.
func checkJWKS(raw json.RawMessage) (json.RawMessage, *tendo.Error) {
	bad := func(format string, args ...any) *tendo.Error { return tendo.Invalid("jwks", format, args...) }
	if len(raw) > tendo.MaxCDSJWKSSize {
		return nil, bad("The key set is larger than %d KiB.", tendo.MaxCDSJWKSSize>>10)
	}
	var set struct {
		Keys []map[string]json.RawMessage `json:"keys"`
	}
	if err := json.Unmarshal(raw, &set); err != nil {
		return nil, bad("The key set is not a JSON Web Key Set: %v.", err)
	}
	if len(set.Keys) == 0 || len(set.Keys) > tendo.MaxCDSJWKSKeys {
		return nil, bad("A key set holds 1 to %d keys under \"keys\".", tendo.MaxCDSJWKSKeys)
	}
	for i, k := range set.Keys {
		var kty, kid string
		_ = json.Unmarshal(k["kty"], &kty)
		_ = json.Unmarshal(k["kid"], &kid)
		if kty != "EC" && kty != "RSA" {
			return nil, &tendo.Error{Code: tendo.EINVALID, Field: fmt.Sprintf("jwks.keys[%d].kty", i), Value: quoteShort(kty), Message: "must be EC or RSA (tendo accepts ES384 and RS384 only)."}
		}
		if kid == "" {
			return nil, tendo.Invalid(fmt.Sprintf("jwks.keys[%d].kid", i), "Every key needs a kid: the JWT header's kid selects the key.")
		}
		for _, m := range privateMembers {
			if _, ok := k[m]; ok {
				return nil, tendo.Invalid(fmt.Sprintf("jwks.keys[%d].%s", i, m), "This is private key material: configure the client's public keys only.")
			}
		}
	}
	var buf bytes.Buffer
	if err := json.Compact(&buf, raw); err != nil {
		return nil, bad("The key set is not valid JSON.")
	}
	return buf.Bytes(), nil
}

// printable reports whether s is valid UTF-8 without control characters.
func printable(s string) bool {
	if !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		if unicode.IsControl(r) {
			return false
		}
	}
	return true
}

// quoteShort quotes a value for an error message, cut to 80 bytes.
func quoteShort(s string) string {
	if len(s) > 80 {
		s = strings.ToValidUTF8(s[:80], "") + "…"
	}
	return fmt.Sprintf("%q", s)
}

// CDSClients lists every client (admins only).
func (s *Service) CDSClients(ctx context.Context) ([]tendo.CDSClient, error) {
	if err := s.requireAdmin(ctx, "list CDS clients"); err != nil {
		return nil, err
	}
	return s.Store.CDSClients(ctx)
}

// SetCDSClientDisabled disables or enables a client and its user (admins
// only), audited.
func (s *Service) SetCDSClientDisabled(ctx context.Context, id int64, disabled bool) (tendo.CDSClient, error) {
	if err := s.requireAdmin(ctx, "change a CDS client"); err != nil {
		return tendo.CDSClient{}, err
	}
	var c tendo.CDSClient
	err := s.Store.InTx(ctx, func(st tendo.Store) error {
		var err error
		if c, err = st.CDSClient(ctx, id); err != nil {
			return err
		}
		var at = c.DisabledAt
		word := "enabled"
		if disabled {
			word = "disabled"
			if at == nil {
				now := s.now()
				at = &now
			}
		} else {
			at = nil
		}
		if err := st.SetCDSClientDisabled(ctx, id, at); err != nil {
			return err
		}
		e := entry(ctx, tendo.ActionCDSClientUpdate)
		e.ClinicID = c.ClinicID
		e.Detail = fmt.Sprintf("CDS client %d (%s): %s", c.ID, c.Name, word)
		return s.audit(ctx, st, e)
	})
	if err != nil {
		return tendo.CDSClient{}, err
	}
	return s.Store.CDSClient(ctx, id)
}

// errUnknownClient is the one answer to an unknown and a disabled
// client.
var errUnknownClient = tendo.Errorf(tendo.EUNAUTHORIZED, "The token's issuer is not a registered, enabled CDS client.")

// CDSClientByIssuer returns the enabled client of an issuer and its
// user; see tendo.CDSService.
func (s *Service) CDSClientByIssuer(ctx context.Context, iss string) (tendo.CDSClient, tendo.User, error) {
	if iss == "" || len(iss) > tendo.MaxCDSURLLength {
		return tendo.CDSClient{}, tendo.User{}, errUnknownClient
	}
	c, err := s.Store.CDSClientByIssuer(ctx, iss)
	if tendo.ErrorCode(err) == tendo.ENOTFOUND {
		return tendo.CDSClient{}, tendo.User{}, errUnknownClient
	}
	if err != nil {
		return tendo.CDSClient{}, tendo.User{}, err
	}
	u, err := s.Store.User(ctx, c.UserID)
	if tendo.ErrorCode(err) == tendo.ENOTFOUND {
		return tendo.CDSClient{}, tendo.User{}, errUnknownClient
	}
	if err != nil {
		return tendo.CDSClient{}, tendo.User{}, err
	}
	if c.DisabledAt != nil || u.DisabledAt != nil || u.Role != tendo.RoleCDSClient {
		return tendo.CDSClient{}, tendo.User{}, errUnknownClient
	}
	return c, u, nil
}

// cdsActor returns the acting CDS client's user and clinic, EFORBIDDEN
// (audited) for any other actor, EUNAUTHORIZED for nobody.
func (s *Service) cdsActor(ctx context.Context, what string) (tendo.User, int64, error) {
	a := tendo.ActorFrom(ctx)
	if a.User == nil {
		if a.System == "" {
			return tendo.User{}, 0, tendo.Errorf(tendo.EUNAUTHORIZED, "A CDS client's signed token is required.")
		}
	} else if a.User.Role == tendo.RoleCDSClient && len(a.User.ClinicIDs) == 1 {
		return *a.User, a.User.ClinicIDs[0], nil
	}
	s.denied(ctx, 0, 0, what+" (not a CDS client)")
	return tendo.User{}, 0, tendo.Errorf(tendo.EFORBIDDEN, "Only a CDS client may %s.", what)
}

// checkToken accepts a service id, hook instance, card uuid or
// suggestion id: 1 to max bytes, printable, without spaces.
func checkToken(field, v string, max int, required bool) *tendo.Error {
	if v == "" {
		if required {
			return tendo.Invalid(field, "is required.")
		}
		return nil
	}
	if len(v) > max || !printable(v) || strings.ContainsFunc(v, unicode.IsSpace) {
		return &tendo.Error{Code: tendo.EINVALID, Field: field, Value: quoteShort(v), Message: fmt.Sprintf("must be up to %d printable characters without spaces.", max)}
	}
	return nil
}

// RecordCDSCall audits one hook call of the acting client; see
// tendo.CDSService.
func (s *Service) RecordCDSCall(ctx context.Context, c tendo.CDSCall) error {
	_, clinicID, err := s.cdsActor(ctx, "record a CDS call")
	if err != nil {
		return err
	}
	var errs tendo.Errors
	for _, e := range []*tendo.Error{
		checkToken("serviceId", c.ServiceID, tendo.MaxCDSServiceIDLength, true),
		checkToken("hookInstance", c.HookInstance, tendo.MaxCDSIDLength, true),
		checkToken("context.patientId", c.PatientID, tendo.MaxCDSPatientIDLength, false),
	} {
		if e != nil {
			errs = append(errs, e)
		}
	}
	if c.Cards < 0 || c.Cards > tendo.MaxCDSCards {
		errs = append(errs, tendo.Invalid("cards", "must be 0 to %d.", tendo.MaxCDSCards))
	}
	if len(errs) > 0 {
		return errs
	}
	e := entry(ctx, tendo.ActionCDSCall)
	e.ClinicID = clinicID
	patient := c.PatientID
	if patient == "" {
		patient = "none"
	}
	e.Detail = fmt.Sprintf("service %s, hookInstance %s, patient %s, %d cards", c.ServiceID, c.HookInstance, patient, c.Cards)
	return s.audit(ctx, s.Store, e)
}

// SaveCDSFeedback stores the acting client's feedback with its audit
// entry; see tendo.CDSService.
func (s *Service) SaveCDSFeedback(ctx context.Context, serviceID string, fb []tendo.CDSFeedback) ([]tendo.CDSFeedback, error) {
	u, clinicID, err := s.cdsActor(ctx, "send CDS feedback")
	if err != nil {
		return nil, err
	}
	if e := checkToken("serviceId", serviceID, tendo.MaxCDSServiceIDLength, true); e != nil {
		return nil, e
	}
	if len(fb) == 0 || len(fb) > tendo.MaxCDSFeedbackItems {
		return nil, tendo.Invalid("feedback", "Send 1 to %d feedback items.", tendo.MaxCDSFeedbackItems)
	}
	var errs tendo.Errors
	for i := range fb {
		errs = append(errs, checkFeedback(fmt.Sprintf("feedback[%d]", i), &fb[i])...)
	}
	if len(errs) > 0 {
		return nil, errs
	}
	now := s.now()
	var out []tendo.CDSFeedback
	err = s.Store.InTx(ctx, func(st tendo.Store) error {
		c, err := st.CDSClientByUser(ctx, u.ID)
		if err != nil {
			return err
		}
		items := make([]tendo.CDSFeedback, len(fb))
		accepted := 0
		cards := make([]string, 0, len(fb))
		for i, f := range fb {
			f.ID, f.ClientID, f.ClinicID, f.ServiceID, f.ReceivedAt = 0, c.ID, clinicID, serviceID, now
			items[i] = f
			if f.Outcome == tendo.CDSAccepted {
				accepted++
			}
			cards = append(cards, f.Card)
		}
		if out, err = st.SaveCDSFeedback(ctx, items); err != nil {
			return err
		}
		e := entry(ctx, tendo.ActionCDSFeedback)
		e.ClinicID = clinicID
		e.Detail = fmt.Sprintf("service %s, %d items (%d accepted, %d overridden), cards %s",
			serviceID, len(items), accepted, len(items)-accepted, strings.Join(cards, " "))
		return s.audit(ctx, st, e)
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// checkFeedback checks one item and trims its texts; field is its
// place ("feedback[0]").
func checkFeedback(field string, f *tendo.CDSFeedback) tendo.Errors {
	var errs tendo.Errors
	add := func(e *tendo.Error) {
		if e != nil {
			errs = append(errs, e)
		}
	}
	add(checkToken(field+".card", f.Card, tendo.MaxCDSIDLength, true))
	switch f.Outcome {
	case tendo.CDSAccepted:
		if f.OverrideReason != nil || f.UserComment != "" {
			add(tendo.Invalid(field+".overrideReason", "An accepted card has no override reason."))
		}
	case tendo.CDSOverridden:
		if len(f.AcceptedSuggestions) > 0 {
			add(tendo.Invalid(field+".acceptedSuggestions", "An overridden card has no accepted suggestions."))
		}
	default:
		add(&tendo.Error{Code: tendo.EINVALID, Field: field + ".outcome", Value: quoteShort(f.Outcome), Message: "must be accepted or overridden."})
	}
	if len(f.AcceptedSuggestions) > tendo.MaxCDSSuggestions {
		add(tendo.Invalid(field+".acceptedSuggestions", "At most %d suggestions.", tendo.MaxCDSSuggestions))
	} else {
		for j, id := range f.AcceptedSuggestions {
			add(checkToken(fmt.Sprintf("%s.acceptedSuggestions[%d].id", field, j), id, tendo.MaxCDSIDLength, true))
		}
	}
	if r := f.OverrideReason; r != nil {
		rf := field + ".overrideReason.reason"
		r.Display = strings.TrimSpace(r.Display)
		add(checkToken(rf+".code", r.Code, tendo.MaxCDSCodeLength, true))
		if r.System != "" && (len(r.System) > tendo.MaxCDSURLLength || !printable(r.System) || strings.ContainsRune(r.System, ' ')) {
			add(tendo.Invalid(rf+".system", "must be a URI of up to %d characters.", tendo.MaxCDSURLLength))
		}
		if utf8.RuneCountInString(r.Display) > tendo.MaxCDSDisplayLength || !printable(r.Display) {
			add(tendo.Invalid(rf+".display", "must be up to %d characters of text.", tendo.MaxCDSDisplayLength))
		}
	}
	f.UserComment = strings.TrimSpace(f.UserComment)
	if !utf8.ValidString(f.UserComment) || strings.IndexByte(f.UserComment, 0) >= 0 || utf8.RuneCountInString(f.UserComment) > tendo.MaxCDSCommentLength {
		add(tendo.Invalid(field+".overrideReason.userComment", "must be up to %d characters of text.", tendo.MaxCDSCommentLength))
	}
	if f.OutcomeTimestamp.IsZero() {
		add(tendo.Invalid(field+".outcomeTimestamp", "is required."))
	}
	return errs
}

// FindCDSFeedback lists feedback for safety review; see
// tendo.CDSService.
func (s *Service) FindCDSFeedback(ctx context.Context, f tendo.CDSFeedbackFilter) ([]tendo.CDSFeedback, error) {
	a := tendo.ActorFrom(ctx)
	switch {
	case a.User == nil && a.System == "":
		return nil, tendo.Errorf(tendo.EUNAUTHORIZED, "Please log in.")
	case a.Admin():
		f.ClinicIDs = nil
	case a.User.Role == tendo.RoleClinician:
		if f.ClinicID != 0 && !a.User.CanSee(f.ClinicID) {
			s.denied(ctx, f.ClinicID, 0, fmt.Sprintf("read the CDS feedback of clinic %d", f.ClinicID))
			return nil, tendo.Errorf(tendo.EFORBIDDEN, "You may read the CDS feedback of your own clinics only.")
		}
		f.ClinicIDs = append([]int64{}, a.User.ClinicIDs...)
	default:
		s.denied(ctx, 0, 0, "read CDS feedback")
		return nil, tendo.Errorf(tendo.EFORBIDDEN, "Only an administrator or a clinician may read CDS feedback.")
	}
	switch {
	case f.Limit < 0 || f.Limit > tendo.MaxCDSFeedbackPage:
		return nil, &tendo.Error{Code: tendo.EINVALID, Field: "limit", Value: fmt.Sprint(f.Limit), Message: fmt.Sprintf("must be 1 to %d", tendo.MaxCDSFeedbackPage)}
	case f.Before < 0:
		return nil, &tendo.Error{Code: tendo.EINVALID, Field: "before", Value: fmt.Sprint(f.Before), Message: "must be positive"}
	case f.Outcome != "" && f.Outcome != tendo.CDSAccepted && f.Outcome != tendo.CDSOverridden:
		return nil, &tendo.Error{Code: tendo.EINVALID, Field: "outcome", Value: quoteShort(f.Outcome), Message: "must be accepted or overridden"}
	}
	if e := checkToken("service", f.ServiceID, tendo.MaxCDSServiceIDLength, false); e != nil {
		return nil, e
	}
	items, err := s.Store.CDSFeedback(ctx, f)
	if err != nil {
		return nil, err
	}
	e := entry(ctx, tendo.ActionCDSFeedbackRead)
	e.ClinicID = f.ClinicID
	e.Detail = fmt.Sprintf("%d items; clinic %d, client %d, service %q, outcome %q, before %d", len(items), f.ClinicID, f.ClientID, f.ServiceID, f.Outcome, f.Before)
	if err := s.audit(ctx, s.Store, e); err != nil {
		return nil, fmt.Errorf("audit the CDS feedback read: %w", err)
	}
	return items, nil
}

// clinicScope is the clinics whose stored patients a (non-admin) user
// may list: a clinician's own, none for a CDS client (which sends the
// data it asks about and reads none of the clinic's records).
func clinicScope(u *tendo.User) []int64 {
	if u.Role == tendo.RoleCDSClient {
		return []int64{}
	}
	return append([]int64{}, u.ClinicIDs...)
}

// end issue 11: cds-clinic

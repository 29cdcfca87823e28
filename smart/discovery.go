package smart

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/tendo-health/tendo"
)

// Limits of the discovery client.
const (
	// MaxConfigurationBytes bounds the body of a smart-configuration
	// document (the specification's examples are about 2 KiB).
	MaxConfigurationBytes = 64 << 10
	// DiscoveryTimeout bounds one discovery request, when the caller's
	// context has no earlier deadline.
	DiscoveryTimeout = 10 * time.Second
	// MaxISSLength bounds an iss, in bytes.
	MaxISSLength = 2048
	// maxListItems bounds each list of the configuration.
	maxListItems = 1000
)

// Configuration is the part of an EHR's .well-known/smart-configuration
// document (SMART App Launch 2.x, section "Conformance") tendo reads.
type Configuration struct {
	Issuer                        string   `json:"issuer,omitempty"`
	AuthorizationEndpoint         string   `json:"authorization_endpoint"`
	TokenEndpoint                 string   `json:"token_endpoint"`
	Capabilities                  []string `json:"capabilities,omitempty"`
	CodeChallengeMethodsSupported []string `json:"code_challenge_methods_supported,omitempty"`
	ScopesSupported               []string `json:"scopes_supported,omitempty"`
	GrantTypesSupported           []string `json:"grant_types_supported,omitempty"`
	ResponseTypesSupported        []string `json:"response_types_supported,omitempty"`
	TokenEndpointAuthMethods      []string `json:"token_endpoint_auth_methods_supported,omitempty"`
}

// invalid is an EINVALID error about a field of the EHR's answer or of
// the launch.
func invalid(field, format string, args ...any) *tendo.Error {
	return &tendo.Error{Code: tendo.EINVALID, Field: field, Message: fmt.Sprintf(format, args...)}
}

// Check refuses a configuration tendo cannot launch with safely: an
// authorization or token endpoint missing or not https (http only on a
// loopback address), and PKCE without S256. The error names the field:
// code_challenge_methods_supported missing or empty, without "S256", or
// offering only "plain".
func (c *Configuration) Check() error {
	const f = "code_challenge_methods_supported"
	switch {
	case len(c.CodeChallengeMethodsSupported) == 0:
		return invalid(f, "is missing or empty: the EHR does not say it supports PKCE, and tendo launches only with PKCE S256")
	case !slices.Contains(c.CodeChallengeMethodsSupported, "S256"):
		if slices.Contains(c.CodeChallengeMethodsSupported, "plain") {
			return invalid(f, "offers only %q: tendo launches only with PKCE S256, never plain", strings.Join(c.CodeChallengeMethodsSupported, ", "))
		}
		return invalid(f, "does not list S256 (it lists %q): tendo launches only with PKCE S256", strings.Join(c.CodeChallengeMethodsSupported, ", "))
	}
	if err := checkURL("authorization_endpoint", c.AuthorizationEndpoint); err != nil {
		return err
	}
	if err := checkURL("token_endpoint", c.TokenEndpoint); err != nil {
		return err
	}
	if len(c.ResponseTypesSupported) > 0 && !slices.Contains(c.ResponseTypesSupported, "code") {
		return invalid("response_types_supported", "does not list \"code\"")
	}
	return nil
}

// checkURL requires an absolute https URL without user information or
// fragment; http is allowed only for a loopback host (tests, a local EHR
// simulator).
func checkURL(field, raw string) error {
	if raw == "" {
		return invalid(field, "is missing")
	}
	if len(raw) > MaxISSLength {
		return invalid(field, "is longer than %d bytes", MaxISSLength)
	}
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" || !u.IsAbs() {
		return invalid(field, "is not an absolute URL")
	}
	if u.User != nil || u.Fragment != "" {
		return invalid(field, "must not carry user information or a fragment")
	}
	switch u.Scheme {
	case "https":
		return nil
	case "http":
		if loopback(u.Hostname()) {
			return nil
		}
		return invalid(field, "must use https (http only on a loopback address)")
	}
	return invalid(field, "must use https")
}

// loopback reports whether host is localhost or a loopback address.
func loopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// NormalizeISS is the form of an iss the allow-list is keyed by: the URL
// as given, without a trailing slash.
func NormalizeISS(iss string) string { return strings.TrimRight(strings.TrimSpace(iss), "/") }

// Discover reads {iss}/.well-known/smart-configuration with client (nil:
// http.DefaultClient) and checks it (Configuration.Check). The iss must
// be https (http only on loopback); the request times out after
// DiscoveryTimeout and the body may be at most MaxConfigurationBytes.
// Errors are *tendo.Error: EINVALID naming the field for a bad iss or a
// refused configuration, EINTERNAL for an EHR that cannot be reached or
// answers other than 200 with JSON.
func Discover(ctx context.Context, client *http.Client, iss string) (*Configuration, error) {
	iss = NormalizeISS(iss)
	if err := checkURL("iss", iss); err != nil {
		return nil, err
	}
	if client == nil {
		client = http.DefaultClient
	}
	ctx, cancel := context.WithTimeout(ctx, DiscoveryTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, iss+"/.well-known/smart-configuration", nil)
	if err != nil {
		return nil, invalid("iss", "is not a URL tendo can request")
	}
	req.Header.Set("Accept", "application/json")
	resp, err := client.Do(req)
	if err != nil {
		return nil, tendo.Errorf(tendo.EINTERNAL, "The EHR's SMART configuration could not be read: %v", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, tendo.Errorf(tendo.EINTERNAL, "The EHR's SMART configuration answered %s.", resp.Status)
	}
	if mt, _, _ := mime.ParseMediaType(resp.Header.Get("Content-Type")); mt != "application/json" && !strings.HasSuffix(mt, "+json") {
		return nil, tendo.Errorf(tendo.EINTERNAL, "The EHR's SMART configuration is not JSON (Content-Type %q).", mt)
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, MaxConfigurationBytes+1))
	if err != nil {
		return nil, tendo.Errorf(tendo.EINTERNAL, "The EHR's SMART configuration could not be read: %v", err)
	}
	if len(body) > MaxConfigurationBytes {
		return nil, tendo.Errorf(tendo.EINTERNAL, "The EHR's SMART configuration is larger than %d KiB.", MaxConfigurationBytes>>10)
	}
	c, err := ParseConfiguration(body)
	if err != nil {
		return nil, err
	}
	return c, c.Check()
}

// ParseConfiguration reads a smart-configuration document (at most
// MaxConfigurationBytes, lists of at most 1,000 items) without checking
// it. A member of the wrong JSON type is EINVALID naming the member.
func ParseConfiguration(body []byte) (*Configuration, error) {
	if len(body) > MaxConfigurationBytes {
		return nil, invalid("", "the SMART configuration is larger than %d KiB", MaxConfigurationBytes>>10)
	}
	var c Configuration
	if err := json.Unmarshal(body, &c); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) && te.Field != "" {
			return nil, invalid(te.Field, "has the wrong JSON type (%s, want %s)", te.Value, te.Type)
		}
		return nil, invalid("", "the SMART configuration is not a JSON object: %v", err)
	}
	for name, list := range map[string][]string{
		"capabilities": c.Capabilities, "code_challenge_methods_supported": c.CodeChallengeMethodsSupported,
		"scopes_supported": c.ScopesSupported, "grant_types_supported": c.GrantTypesSupported,
		"response_types_supported": c.ResponseTypesSupported, "token_endpoint_auth_methods_supported": c.TokenEndpointAuthMethods,
	} {
		if len(list) > maxListItems {
			return nil, invalid(name, "has more than %d items", maxListItems)
		}
	}
	return &c, nil
}

// CheckISS checks an iss for the allow-list: an absolute https URL (http
// only on a loopback address), without user information or fragment.
func CheckISS(iss string) error { return checkURL("iss", NormalizeISS(iss)) }

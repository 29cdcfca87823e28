package main

// issue 11: smart. serve's SMART App Launch flags.

import (
	"context"
	"flag"
	"fmt"
	"net/url"
	"os"
	"strconv"
	"strings"

	"github.com/tendo-health/tendo"
	"github.com/tendo-health/tendo/smart"
)

// smartSecretEnv names the environment variable holding tendo's client
// secret at the EHRs, for a confidential client (kept out of ps).
const smartSecretEnv = "TENDO_SMART_CLIENT_SECRET"

const smartUsage = `
SMART App Launch (EHR launch): --smart-iss URL=CLINIC (repeatable) allows
launches from the EHR whose FHIR base URL is URL, opening its patients in
the tendo clinic CLINIC (its ID or its exact name). --smart-client-id is
tendo's client_id at the EHR; --smart-scope the scopes asked for (default
"launch openid fhirUser patient/*.read"; an EHR on SMART v2 scopes only
takes "launch openid fhirUser patient/*.rs"). The EHR registers tendo with
the launch URL BASE/smart/launch and the redirect URL BASE/smart/callback,
BASE being --base-url (required with --smart-iss). tendo is a public client
using PKCE (S256 only); for a confidential one put the client secret in
$TENDO_SMART_CLIENT_SECRET.`

// smartFlags are the SMART flags of serve.
type smartFlags struct {
	clientID string
	scope    string
	issuers  []string
}

func addSmartFlags(fs *flag.FlagSet) *smartFlags {
	f := &smartFlags{}
	fs.StringVar(&f.clientID, "smart-client-id", "", "tendo's SMART `client_id` at the EHRs of --smart-iss")
	fs.StringVar(&f.scope, "smart-scope", strings.Join(smart.DefaultScopes, " "), "SMART `scopes` to ask for, space-separated")
	fs.Func("smart-iss", "allow SMART launches from an EHR, as `URL=CLINIC`: its FHIR base URL, and the ID or name of the clinic its patients open in; repeatable", func(v string) error {
		f.issuers = append(f.issuers, v)
		return nil
	})
	return f
}

// launcher returns the SMART launcher the flags describe, nil without
// --smart-iss. Errors are bad input, naming the flag.
func (f *smartFlags) launcher(ctx context.Context, store tendo.Store, baseURL string) (*smart.Launcher, error) {
	if len(f.issuers) == 0 {
		if f.clientID != "" {
			return nil, badInputf("serve: --smart-client-id needs at least one --smart-iss")
		}
		return nil, nil
	}
	if f.clientID == "" {
		return nil, badInputf("serve: --smart-iss needs --smart-client-id (tendo's client_id at the EHR)")
	}
	redirect, err := smartRedirect(baseURL)
	if err != nil {
		return nil, err
	}
	scopes := strings.Fields(f.scope)
	if len(scopes) == 0 {
		return nil, badInputf("serve: --smart-scope is empty")
	}
	clinics, err := store.Clinics(ctx)
	if err != nil {
		return nil, fmt.Errorf("serve: --smart-iss: list the clinics: %w", err)
	}
	l := &smart.Launcher{}
	seen := map[string]bool{}
	for _, v := range f.issuers {
		iss, clinic, ok := strings.Cut(v, "=")
		if !ok || iss == "" || clinic == "" {
			return nil, badInputf("serve: --smart-iss %q: give URL=CLINIC (the EHR's FHIR base URL and a clinic's ID or name)", v)
		}
		if err := smart.CheckISS(iss); err != nil {
			return nil, badInputf("serve: --smart-iss %q: %v", iss, err)
		}
		n := smart.NormalizeISS(iss)
		if seen[n] {
			return nil, badInputf("serve: --smart-iss %q is given twice", n)
		}
		seen[n] = true
		id, err := findClinic(clinics, clinic)
		if err != nil {
			return nil, badInputf("serve: --smart-iss %q: %v", v, err)
		}
		l.Issuers = append(l.Issuers, smart.Issuer{ISS: n, ClinicID: id, ClientID: f.clientID, ClientSecret: os.Getenv(smartSecretEnv), Scopes: scopes, RedirectURL: redirect})
	}
	return l, nil
}

// smartRedirect is tendo's SMART redirect URL, BASE/smart/callback.
func smartRedirect(baseURL string) (string, error) {
	if baseURL == "" {
		return "", badInputf("serve: --smart-iss needs --base-url: the redirect URL registered with the EHR is BASE/smart/callback")
	}
	u, err := url.Parse(baseURL)
	if err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") {
		return "", badInputf("serve: --base-url %q is not an http(s) URL", baseURL)
	}
	if u.Scheme == "http" && u.Hostname() != "localhost" && u.Hostname() != "127.0.0.1" && u.Hostname() != "::1" {
		return "", badInputf("serve: --base-url %q: SMART launches need https (http only on localhost)", baseURL)
	}
	return strings.TrimRight(baseURL, "/") + "/smart/callback", nil
}

// findClinic finds a clinic by ID or by exact name.
func findClinic(clinics []tendo.Clinic, s string) (int64, error) {
	if id, err := strconv.ParseInt(s, 10, 64); err == nil {
		for _, c := range clinics {
			if c.ID == id {
				return id, nil
			}
		}
		return 0, fmt.Errorf("no clinic has ID %d", id)
	}
	for _, c := range clinics {
		if c.Name == s {
			return c.ID, nil
		}
	}
	return 0, fmt.Errorf("no clinic is named %q", s)
}

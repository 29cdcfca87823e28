package main

// issue 11: cds-clinic. tendo cds-client: register the EHRs (CDS Hooks
// clients) allowed to call tendo's CDS services.

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/tendo-health/tendo"
	"github.com/tendo-health/tendo/clinic"
)

func cdsClientCommand() *command {
	return &command{
		name:    "cds-client",
		summary: "register, list, disable and enable CDS Hooks clients (EHRs)",
		usage: `tendo cds-client manages the CDS Hooks clients (EHRs) allowed to call
tendo's CDS services, which tendo serve answers at --base-url +
/cds-services. A client is recognised by the iss of the JWT it signs
(ES384 or RS384), checked against its keys: a JWK Set configured here
(--jwks) or fetched from a jku URL it is allowed (--jku). Each client
acts as a user of its own kind, of one clinic, that cannot log in or hold
API tokens. Every change is written to the audit log as the system
("system (cli)").

Usage:
  tendo cds-client <command> [flags]`,
		subs: []*command{cdsClientAddCommand(), cdsClientListCommand(), cdsClientEnableCommand("disable", true), cdsClientEnableCommand("enable", false)},
	}
}

const cdsClientAddUsage = `Usage: tendo cds-client add --clinic ID|NAME --name NAME --iss URL
                           [--jwks FILE] [--jku URL]... [--fhir-server URL]...
                           [--db DSN]

Registers a CDS Hooks client for one clinic (which must exist):

  --iss         the iss its JWTs carry (an absolute URI), unique
  --jwks        a file holding its JSON Web Key Set: public EC or RSA keys,
                each with a kid (private key members are refused)
  --jku         a JWK Set URL it may name in a JWT's jku header (https, or
                http to this machine's loopback address); repeatable
  --fhir-server a FHIR server base URL tendo may read missing prefetch
                data from, with the request's fhirAuthorization token (a
                request's fhirServer must equal one); repeatable

At least one of --jwks and --jku is required. The client's JWTs must
carry as aud the full URL of the service called, e.g.
https://tendo.example/cds-services/tendo-heel-pain (tendo serve's
--base-url + /cds-services/ + the service id).`

func cdsClientAddCommand() *command {
	return &command{
		name:    "add",
		summary: "register a CDS client for a clinic",
		usage:   cdsClientAddUsage,
		run: func(ctx context.Context, m *Main, args []string) error {
			fs := newFlagSet("cds-client add")
			clinicArg := fs.String("clinic", "", "the clinic's `ID or name`")
			name := fs.String("name", "", "the client's `name` (e.g. the EHR's)")
			iss := fs.String("iss", "", "the `URL` (iss) its JWTs carry")
			jwksFile := fs.String("jwks", "", "a `file` with its JSON Web Key Set (public keys)")
			var jku, servers listFlag
			fs.Var(&jku, "jku", "a JWK Set `URL` it may name in jku (repeatable)")
			fs.Var(&servers, "fhir-server", "a FHIR server base `URL` tendo may read from (repeatable)")
			dsn := dbFlag(fs)
			pos, err := parseArgs(m, fs, cdsClientAddUsage, args)
			if err != nil {
				return err
			}
			switch {
			case len(pos) > 0:
				return badInputf("cds-client add takes no arguments (see 'tendo cds-client add --help')")
			case *clinicArg == "":
				return badInputf("cds-client add: --clinic is required")
			case strings.TrimSpace(*name) == "":
				return badInputf("cds-client add: --name is required")
			case *iss == "":
				return badInputf("cds-client add: --iss is required")
			case *jwksFile == "" && len(jku) == 0:
				return badInputf("cds-client add: give the client's keys: --jwks FILE or --jku URL")
			}
			var jwks json.RawMessage
			if *jwksFile != "" {
				if jwks, err = readJWKS(*jwksFile); err != nil {
					return err
				}
			}
			ctx, svc, done, err := openService(ctx, *dsn)
			if err != nil {
				return err
			}
			defer done()
			cl, err := cdsClinic(ctx, svc, *clinicArg)
			if err != nil {
				return err
			}
			c, err := svc.CreateCDSClient(ctx, tendo.NewCDSClient{
				ClinicID: cl.ID, Name: *name, Issuer: *iss, JWKS: jwks, JWKSURLs: jku, FHIRServers: servers,
			})
			if err != nil {
				return cdsServiceError(err)
			}
			fmt.Fprintf(m.Stdout, "registered CDS client %d (%s) for clinic %d (%s)\n  iss %s\n  keys: %s\n  FHIR servers: %s\n  acts as user %d\n",
				c.ID, c.Name, cl.ID, cl.Name, c.Issuer, keysWords(c), listWords(c.FHIRServers), c.UserID)
			return nil
		},
	}
}

// readJWKS reads a key set file of at most tendo.MaxCDSJWKSSize bytes.
func readJWKS(path string) (json.RawMessage, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, badInputf("cds-client add: --jwks: %v", err)
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, tendo.MaxCDSJWKSSize+1))
	if err != nil {
		return nil, badInputf("cds-client add: --jwks: %v", err)
	}
	if len(b) > tendo.MaxCDSJWKSSize {
		return nil, badInputf("cds-client add: --jwks: %s is larger than %d KiB", path, tendo.MaxCDSJWKSSize>>10)
	}
	return b, nil
}

// cdsClinic finds a clinic by ID or (case-insensitive) name.
func cdsClinic(ctx context.Context, svc *clinic.Service, arg string) (tendo.Clinic, error) {
	cs, err := svc.FindClinics(ctx)
	if err != nil {
		return tendo.Clinic{}, err
	}
	id, idErr := strconv.ParseInt(arg, 10, 64)
	for _, c := range cs {
		if (idErr == nil && c.ID == id) || strings.EqualFold(c.Name, strings.TrimSpace(arg)) {
			return c, nil
		}
	}
	return tendo.Clinic{}, badInputf("cds-client add: --clinic: no clinic %q (create it with 'tendo user add --clinic NAME' or on the Administration page)", arg)
}

// cdsServiceError is serviceError with the flags of cds-client add as
// the fields' names.
func cdsServiceError(err error) error {
	var e *tendo.Error
	var es tendo.Errors
	switch {
	case tendo.ErrorCode(err) != tendo.EINVALID && tendo.ErrorCode(err) != tendo.ECONFLICT:
		return err
	case asError(err, &e):
		es = tendo.Errors{e}
	case asErrors(err, &es):
	}
	flags := map[string]string{"issuer": "iss", "fhirServer": "fhir-server", "clinic": "clinic", "name": "name", "jwks": "jwks", "jku": "jku"}
	var msgs []string
	for _, x := range es {
		f := x.Field
		i := strings.IndexAny(f, ".[")
		if i < 0 {
			i = len(f)
		}
		if flag, ok := flags[f[:i]]; ok {
			// "jwks.keys[0].d" is --jwks keys[0].d, "jku[1]" --jku[1].
			f = flag + strings.Replace(f[i:], ".", " ", 1)
		}
		msg := x.Message
		if x.Value != "" {
			msg = x.Value + " " + msg
		}
		msgs = append(msgs, "--"+f+": "+msg)
	}
	if len(msgs) == 0 {
		return badInputf("cds-client add: %s", tendo.ErrorMessage(err))
	}
	return badInputf("cds-client add: %s", strings.Join(msgs, "; "))
}

func asError(err error, e **tendo.Error) bool {
	x, ok := err.(*tendo.Error)
	if ok {
		*e = x
	}
	return ok
}

func asErrors(err error, es *tendo.Errors) bool {
	x, ok := err.(tendo.Errors)
	if ok {
		*es = x
	}
	return ok
}

// keysWords says where a client's keys come from.
func keysWords(c tendo.CDSClient) string {
	var parts []string
	if len(c.JWKS) > 0 {
		var set struct {
			Keys []json.RawMessage `json:"keys"`
		}
		_ = json.Unmarshal(c.JWKS, &set)
		parts = append(parts, fmt.Sprintf("a JWK Set of %d keys", len(set.Keys)))
	}
	if len(c.JWKSURLs) > 0 {
		parts = append(parts, "jku "+strings.Join(c.JWKSURLs, ", "))
	}
	return strings.Join(parts, "; ")
}

func listWords(l []string) string {
	if len(l) == 0 {
		return "none (missing prefetch data is answered 412)"
	}
	return strings.Join(l, ", ")
}

const cdsClientListUsage = `Usage: tendo cds-client list [--db DSN]

Lists the registered CDS clients: their clinic, iss, keys, FHIR servers
and whether they are disabled.`

func cdsClientListCommand() *command {
	return &command{
		name:    "list",
		summary: "list the registered CDS clients",
		usage:   cdsClientListUsage,
		run: func(ctx context.Context, m *Main, args []string) error {
			fs := newFlagSet("cds-client list")
			dsn := dbFlag(fs)
			pos, err := parseArgs(m, fs, cdsClientListUsage, args)
			if err != nil {
				return err
			}
			if len(pos) > 0 {
				return badInputf("cds-client list takes no arguments")
			}
			ctx, svc, done, err := openService(ctx, *dsn)
			if err != nil {
				return err
			}
			defer done()
			cs, err := svc.CDSClients(ctx)
			if err != nil {
				return err
			}
			if len(cs) == 0 {
				fmt.Fprintln(m.Stdout, "no CDS clients (register one with 'tendo cds-client add')")
				return nil
			}
			tw := tabwriter.NewWriter(m.Stdout, 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "ID\tCLINIC\tNAME\tISS\tKEYS\tFHIR SERVERS\tSTATUS")
			for _, c := range cs {
				status := "enabled"
				if c.DisabledAt != nil {
					status = "disabled " + c.DisabledAt.UTC().Format(time.DateOnly)
				}
				fmt.Fprintf(tw, "%d\t%d\t%s\t%s\t%s\t%d\t%s\n", c.ID, c.ClinicID, c.Name, c.Issuer, keysWords(c), len(c.FHIRServers), status)
			}
			return tw.Flush()
		},
	}
}

// cdsClientEnableCommand is "cds-client disable" (disable true) or
// "cds-client enable".
func cdsClientEnableCommand(name string, disable bool) *command {
	usage := `Usage: tendo cds-client ` + name + ` --iss URL [--db DSN]

`
	summary := "enable a disabled CDS client"
	if disable {
		usage += `Disables a CDS client: its calls are refused (401) at once, until it is
enabled again.`
		summary = "disable a CDS client (its calls are refused at once)"
	} else {
		usage += `Enables a disabled CDS client again.`
	}
	return &command{
		name:    name,
		summary: summary,
		usage:   usage,
		run: func(ctx context.Context, m *Main, args []string) error {
			fs := newFlagSet("cds-client " + name)
			iss := fs.String("iss", "", "the client's iss `URL`")
			dsn := dbFlag(fs)
			pos, err := parseArgs(m, fs, usage, args)
			if err != nil {
				return err
			}
			if len(pos) > 0 || *iss == "" {
				return badInputf("cds-client %s: --iss is required (see 'tendo cds-client %s --help')", name, name)
			}
			ctx, svc, done, err := openService(ctx, *dsn)
			if err != nil {
				return err
			}
			defer done()
			cs, err := svc.CDSClients(ctx)
			if err != nil {
				return err
			}
			for _, c := range cs {
				if c.Issuer == *iss {
					c, err = svc.SetCDSClientDisabled(ctx, c.ID, disable)
					if err != nil {
						return err
					}
					fmt.Fprintf(m.Stdout, "%sd CDS client %d (%s)\n", name, c.ID, c.Name)
					return nil
				}
			}
			return badInputf("cds-client %s: no CDS client with iss %q", name, *iss)
		},
	}
}

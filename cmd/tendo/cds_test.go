package main

// issue 11: cds-clinic

import (
	"bufio"
	"context"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tendo-health/tendo"
	"github.com/tendo-health/tendo/sqlstore"
)

// TestCDSClientCommand registers, lists, disables and enables a CDS
// client through the command, and checks the refusals: one line on
// stderr naming the flag, exit code 2.
func TestCDSClientCommand(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	db := filepath.Join(dir, "tendo.db")
	jwks := filepath.Join(dir, "jwks.json")
	if err := os.WriteFile(jwks, []byte(`{"keys":[{"kty":"EC","crv":"P-384","kid":"k1","x":"AAAA","y":"BBBB"}]}`), 0o600); err != nil {
		t.Fatal(err)
	}
	private := filepath.Join(dir, "private.json")
	if err := os.WriteFile(private, []byte(`{"keys":[{"kty":"EC","crv":"P-384","kid":"k1","x":"AAAA","y":"BBBB","d":"CCCC"}]}`), 0o600); err != nil {
		t.Fatal(err)
	}
	if code, out, errOut := run(t, "", "user", "add", "--db", db, "--email", "admin@clinic.test", "--name", "Admin", "--role", "admin", "--clinic", "Heel Clinic"); code != exitOK {
		t.Fatalf("user add: %d %s %s", code, out, errOut)
	}
	code, out, errOut := run(t, "", "cds-client", "add", "--db", db, "--clinic", "Heel Clinic", "--name", "Test EHR",
		"--iss", "https://ehr.test", "--jwks", jwks, "--jku", "https://ehr.test/jwks", "--fhir-server", "https://ehr.test/fhir")
	if code != exitOK || !strings.Contains(out, "registered CDS client 1 (Test EHR) for clinic 1 (Heel Clinic)") || errOut != "" {
		t.Fatalf("cds-client add: exit %d, stdout %q, stderr %q", code, out, errOut)
	}
	if !strings.Contains(out, "a JWK Set of 1 keys; jku https://ehr.test/jwks") {
		t.Errorf("keys not described: %q", out)
	}

	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"no clinic", []string{"--name", "X", "--iss", "https://x.test", "--jwks", jwks}, "--clinic is required"},
		{"unknown clinic", []string{"--clinic", "99", "--name", "X", "--iss", "https://x.test", "--jwks", jwks}, `--clinic: no clinic "99"`},
		{"no keys", []string{"--clinic", "1", "--name", "X", "--iss", "https://x.test"}, "--jwks FILE or --jku URL"},
		{"issuer in use", []string{"--clinic", "1", "--name", "X", "--iss", "https://ehr.test", "--jwks", jwks}, "--iss:"},
		{"issuer not a URI", []string{"--clinic", "1", "--name", "X", "--iss", "ehr", "--jwks", jwks}, "--iss:"},
		{"private key", []string{"--clinic", "1", "--name", "X", "--iss", "https://x.test", "--jwks", private}, "--jwks keys[0].d:"},
		{"jku over http", []string{"--clinic", "1", "--name", "X", "--iss", "https://x.test", "--jku", "http://x.test/jwks"}, "--jku[0]:"},
		{"missing JWKS file", []string{"--clinic", "1", "--name", "X", "--iss", "https://x.test", "--jwks", filepath.Join(dir, "none.json")}, "--jwks:"},
	} {
		code, out, errOut := run(t, "", append([]string{"cds-client", "add", "--db", db}, tc.args...)...)
		if code != exitBadInput || !strings.Contains(errOut, tc.want) || strings.Count(strings.TrimSpace(errOut), "\n") != 0 || out != "" {
			t.Errorf("%s: exit %d, stdout %q, stderr %q, want exit 2 with %q", tc.name, code, out, errOut, tc.want)
		}
	}

	code, out, _ = run(t, "", "cds-client", "list", "--db", db)
	if code != exitOK || !strings.Contains(out, "https://ehr.test") || !strings.Contains(out, "enabled") || strings.Count(out, "\n") != 2 {
		t.Errorf("list: %d %q", code, out)
	}
	if code, out, errOut := run(t, "", "cds-client", "disable", "--db", db, "--iss", "https://ehr.test"); code != exitOK || out != "disabled CDS client 1 (Test EHR)\n" {
		t.Errorf("disable: %d %q %q", code, out, errOut)
	}
	if _, out, _ = run(t, "", "cds-client", "list", "--db", db); !strings.Contains(out, "disabled 20") {
		t.Errorf("list after disable: %q", out)
	}
	if code, _, errOut := run(t, "", "cds-client", "enable", "--db", db, "--iss", "https://nobody.test"); code != exitBadInput || !strings.Contains(errOut, "no CDS client") {
		t.Errorf("enable unknown: %d %q", code, errOut)
	}

	// What the command stored: the client, its user, and the audit.
	store, err := sqlstore.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	c, err := store.CDSClientByIssuer(context.Background(), "https://ehr.test")
	if err != nil || c.DisabledAt == nil || len(c.FHIRServers) != 1 {
		t.Fatalf("stored client %+v %v", c, err)
	}
	u, err := store.User(context.Background(), c.UserID)
	if err != nil || u.Role != tendo.RoleCDSClient || u.DisabledAt == nil {
		t.Errorf("its user %+v %v", u, err)
	}
	es, err := store.AuditLog(context.Background(), tendo.AuditFilter{Action: tendo.ActionCDSClientCreate})
	if err != nil || len(es) != 1 || es[0].Actor != "system (cli)" {
		t.Errorf("audit %+v %v", es, err)
	}
}

// TestServeCDSHooks runs serve with and without --base-url: the CDS
// Hooks discovery answers only with it; --smart-launch-url alone is
// refused before the port is bound.
func TestServeCDSHooks(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		args []string
		want int
	}{
		{"with --base-url", []string{"--base-url", "https://tendo.test"}, http.StatusOK},
		{"without", nil, http.StatusNotFound},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			addr, stop := startServe(t, tc.args...)
			defer stop()
			resp, err := http.Get("http://" + addr + "/cds-services")
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != tc.want {
				t.Fatalf("GET /cds-services: %d %s", resp.StatusCode, body)
			}
			if tc.want == http.StatusOK && !strings.Contains(string(body), `"id":"tendo-heel-pain"`) {
				t.Errorf("discovery: %s", body)
			}
		})
	}
	db := filepath.Join(t.TempDir(), "x.db")
	code, out, errOut := run(t, "", "serve", "--smart-launch-url", "https://tendo.test/smart/launch", "--addr", "127.0.0.1:0", "--db", db, "--ranges", "off")
	if code != exitBadInput || out != "" || !strings.Contains(errOut, "--smart-launch-url and --cds-allowed-origin need --base-url") {
		t.Errorf("--smart-launch-url alone: exit %d, %q, %q", code, out, errOut)
	}
}

// startServe runs tendo serve on a free port with extra flags and
// returns its address and a function that stops it.
func startServe(t *testing.T, extra ...string) (string, func()) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	var stderr syncBuffer
	m := &Main{Stdin: strings.NewReader(""), Stdout: pw, Stderr: &stderr}
	db := filepath.Join(t.TempDir(), "serve.db")
	done := make(chan int, 1)
	go func() {
		done <- m.Run(ctx, append([]string{"serve", "--ranges", "off", "--addr", "127.0.0.1:0", "--db", db}, extra...))
		pw.Close()
	}()
	sc := bufio.NewScanner(pr)
	addr := ""
	for sc.Scan() {
		if line := sc.Text(); strings.Contains(line, "tendo is serving on") {
			addr = strings.Fields(strings.TrimPrefix(line, "tendo is serving on http://"))[0]
			break
		}
	}
	go io.Copy(io.Discard, pr)
	if addr == "" {
		cancel()
		t.Fatalf("serve did not start: exit %d, stderr %q", <-done, stderr.String())
	}
	return addr, func() {
		cancel()
		if code := <-done; code != exitOK {
			t.Errorf("serve exit %d; stderr %q", code, stderr.String())
		}
	}
}

// Package servetest runs the real tendo binary for end-to-end tests: it
// builds cmd/tendo, seeds a database with the binary's own 'tendo user'
// commands, and starts 'tendo serve' as a child process on a free loopback
// port, which a test can stop gracefully or kill with SIGKILL.
//
// It imports only the standard library and testing, and only tests import
// it.
package servetest

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// Package is the import path of the command built by Build.
const Package = "github.com/tendo-health/tendo/cmd/tendo"

// Build compiles the tendo command into a temporary directory of tb and
// returns the binary's path. It uses the go command on PATH (the build
// cache makes a second build fast).
func Build(tb testing.TB) string {
	tb.Helper()
	gobin, err := exec.LookPath("go")
	if err != nil {
		tb.Fatalf("servetest: the go command is needed to build tendo: %v", err)
	}
	bin := filepath.Join(tb.TempDir(), "tendo")
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, gobin, "build", "-o", bin, Package)
	if out, err := cmd.CombinedOutput(); err != nil {
		tb.Fatalf("servetest: go build %s: %v\n%s", Package, err, out)
	}
	return bin
}

// Account is a seeded clinician: a login and an API token.
type Account struct {
	Email, Name, Password, Clinic string
	Token                         string
}

// Seed creates a clinician of a new clinic in the database db (a SQLite
// file or a postgres:// URL, as for --db) with 'tendo user add' and an API
// token with 'tendo user token'.
func Seed(tb testing.TB, bin, db string) Account {
	tb.Helper()
	a := Account{Email: "clinician@e2e.test", Name: "E2E Clinician", Password: "correct horse battery staple", Clinic: "E2E Clinic"}
	runTendo(tb, bin, a.Password+"\n", "user", "add", "--db", db, "--email", a.Email, "--name", a.Name,
		"--role", "clinician", "--clinic", a.Clinic, "--password-stdin")
	a.Token = strings.TrimSpace(runTendo(tb, bin, "", "user", "token", "--db", db, "--email", a.Email))
	if a.Token == "" || strings.ContainsAny(a.Token, " \n") {
		tb.Fatalf("servetest: tendo user token printed %q, not one token", a.Token)
	}
	return a
}

func runTendo(tb testing.TB, bin, stdin string, args ...string) string {
	tb.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Stdin = strings.NewReader(stdin)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		tb.Fatalf("servetest: tendo %s: %v\nstdout: %s\nstderr: %s", strings.Join(args, " "), err, stdout.String(), stderr.String())
	}
	return stdout.String()
}

// Server is a running 'tendo serve' process.
type Server struct {
	// URL is the address it printed ("http://127.0.0.1:PORT").
	URL string
	cmd *exec.Cmd

	mu     sync.Mutex
	stderr bytes.Buffer
	done   chan struct{}
	err    error // from Wait, once done is closed
}

var servingRE = regexp.MustCompile(`tendo is serving on (https?://\S+)`)

// Start runs 'tendo serve --addr 127.0.0.1:0 --db db', with the extra
// arguments after those (e.g. "--ranges", "off"), and waits until it
// prints its address and answers /healthz. The process is killed when the
// test ends, if it is still running.
func Start(tb testing.TB, bin, db string, extra ...string) *Server {
	tb.Helper()
	args := append([]string{"serve", "--addr", "127.0.0.1:0", "--db", db}, extra...)
	cmd := exec.Command(bin, args...)
	s := &Server{cmd: cmd, done: make(chan struct{})}
	cmd.Stderr = writerFunc(func(p []byte) (int, error) {
		s.mu.Lock()
		defer s.mu.Unlock()
		return s.stderr.Write(p)
	})
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		tb.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		tb.Fatalf("servetest: start tendo serve: %v", err)
	}
	tb.Cleanup(func() {
		_ = s.Kill()
	})
	addr := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		sent := false
		for sc.Scan() {
			if m := servingRE.FindStringSubmatch(sc.Text()); m != nil && !sent {
				addr <- m[1]
				sent = true
			}
		}
		_, _ = io.Copy(io.Discard, stdout)
		s.err = cmd.Wait()
		close(s.done)
	}()
	select {
	case s.URL = <-addr:
	case <-s.done:
		tb.Fatalf("servetest: tendo serve exited before serving: %v\nstderr: %s", s.err, s.Stderr())
	case <-time.After(30 * time.Second):
		tb.Fatalf("servetest: tendo serve printed no address in 30 s\nstderr: %s", s.Stderr())
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		resp, err := http.Get(s.URL + "/healthz")
		if err == nil {
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				break
			}
		}
		if time.Now().After(deadline) {
			tb.Fatalf("servetest: %s/healthz does not answer: %v", s.URL, err)
		}
		time.Sleep(20 * time.Millisecond)
	}
	return s
}

type writerFunc func([]byte) (int, error)

func (f writerFunc) Write(p []byte) (int, error) { return f(p) }

// Stderr returns what the server wrote to its standard error so far.
func (s *Server) Stderr() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.stderr.String()
}

// Kill sends SIGKILL (no graceful stop) and waits for the process to end.
func (s *Server) Kill() error {
	select {
	case <-s.done:
		return nil
	default:
	}
	if err := s.cmd.Process.Signal(syscall.SIGKILL); err != nil && !errors.Is(err, os.ErrProcessDone) {
		return err
	}
	<-s.done
	return nil
}

// Stop sends SIGTERM, waits up to timeout for a clean exit, and returns
// the exit error (nil for exit status 0).
func (s *Server) Stop(timeout time.Duration) error {
	if err := s.cmd.Process.Signal(syscall.SIGTERM); err != nil && !errors.Is(err, os.ErrProcessDone) {
		return err
	}
	select {
	case <-s.done:
		return s.err
	case <-time.After(timeout):
		_ = s.Kill()
		return fmt.Errorf("servetest: tendo serve did not stop within %v after SIGTERM", timeout)
	}
}

// PID is the server's process id.
func (s *Server) PID() int { return s.cmd.Process.Pid }

// Exited is closed when the process has ended.
func (s *Server) Exited() <-chan struct{} { return s.done }

// Client is a JSON API client for one server and token.
type Client struct {
	URL   string
	Token string
	HTTP  *http.Client
}

// NewClient returns a client with its own keep-alive transport.
func NewClient(base, token string) *Client {
	return &Client{URL: base, Token: token, HTTP: &http.Client{
		Timeout:   30 * time.Second,
		Transport: &http.Transport{MaxIdleConnsPerHost: 64, IdleConnTimeout: time.Minute},
	}}
}

// Do sends a request with the token and returns the status and body.
func (c *Client) Do(ctx context.Context, method, path string, body []byte) (int, []byte, error) {
	resp, err := c.Send(ctx, method, path, nil, body)
	return resp.Status, resp.Body, err
}

// Response is a whole answer to Send.
type Response struct {
	Status int
	Header http.Header
	Body   []byte
}

// Send sends a request with the token and the headers in header (nil for
// none; they replace the client's own) and returns the whole answer. A
// body is sent as application/json.
func (c *Client) Send(ctx context.Context, method, path string, header http.Header, body []byte) (Response, error) {
	var r io.Reader
	if body != nil {
		r = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.URL+path, r)
	if err != nil {
		return Response{}, err
	}
	req.Header.Set("Authorization", "Bearer "+c.Token)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	for k, v := range header {
		req.Header[http.CanonicalHeaderKey(k)] = v
	}
	resp, err := c.HTTP.Do(req)
	if err != nil {
		return Response{}, err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	return Response{Status: resp.StatusCode, Header: resp.Header, Body: data}, err
}

// JSON sends v (nil for no body) and decodes a response with the wanted
// status into out (nil to ignore it); anything else fails the test.
func (c *Client) JSON(tb testing.TB, method, path string, v any, want int, out any) {
	tb.Helper()
	var body []byte
	if v != nil {
		switch v := v.(type) {
		case []byte:
			body = v
		default:
			var err error
			if body, err = json.Marshal(v); err != nil {
				tb.Fatal(err)
			}
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	code, data, err := c.Do(ctx, method, path, body)
	if err != nil {
		tb.Fatalf("%s %s: %v", method, path, err)
	}
	if code != want {
		tb.Fatalf("%s %s: status %d, want %d: %s", method, path, code, want, data)
	}
	if out != nil {
		if err := json.Unmarshal(data, out); err != nil {
			tb.Fatalf("%s %s: decode %s: %v", method, path, data, err)
		}
	}
}

// ClinicID returns the first clinic of the token's user (GET /api/me).
func (c *Client) ClinicID(tb testing.TB) int64 {
	tb.Helper()
	var me struct {
		ClinicIDs []int64 `json:"clinicIds"`
	}
	c.JSON(tb, http.MethodGet, "/api/me", nil, http.StatusOK, &me)
	if len(me.ClinicIDs) == 0 {
		tb.Fatal("GET /api/me: the user has no clinic")
	}
	return me.ClinicIDs[0]
}

// CreatePatient creates a patient through the API and returns its id.
func (c *Client) CreatePatient(tb testing.TB, clinicID int64, name string) int64 {
	tb.Helper()
	var p struct {
		ID int64 `json:"id"`
	}
	c.JSON(tb, http.MethodPost, "/api/patients", map[string]any{"clinicId": clinicID, "name": name}, http.StatusCreated, &p)
	if p.ID <= 0 {
		tb.Fatalf("POST /api/patients: no id")
	}
	return p.ID
}

// Login logs in through the login form and returns an HTTP client whose
// cookie jar holds the session.
func Login(tb testing.TB, base, email, password string) *http.Client {
	tb.Helper()
	jar, err := cookiejar.New(nil)
	if err != nil {
		tb.Fatal(err)
	}
	hc := &http.Client{Jar: jar, Timeout: 30 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}}
	resp, err := hc.PostForm(base+"/login", url.Values{"email": {email}, "password": {password}})
	if err != nil {
		tb.Fatalf("POST /login: %v", err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		tb.Fatalf("POST /login: status %d, want 303: %s", resp.StatusCode, body)
	}
	u, _ := url.Parse(base)
	if len(jar.Cookies(u)) == 0 {
		tb.Fatal("POST /login: no session cookie")
	}
	hc.CheckRedirect = nil
	return hc
}

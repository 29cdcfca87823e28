package main

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
)

// TestServeDemoPortTaken checks that serve --demo on a port already in
// use fails with one line and exit code 2 before it opens the database:
// no demo login is printed and no database file is made (issue 10: the
// logins were printed before the port was known to be free).
func TestServeDemoPortTaken(t *testing.T) {
	t.Parallel()
	taken, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer taken.Close()
	db := filepath.Join(t.TempDir(), "demo.db")
	code, out, errOut := run(t, "", "serve", "--demo", "--ranges", "off", "--addr", taken.Addr().String(), "--db", db)
	if code != exitBadInput {
		t.Errorf("exit code %d, want %d", code, exitBadInput)
	}
	if out != "" {
		t.Errorf("stdout %q, want nothing (no demo logins)", out)
	}
	if want := "tendo: serve: listen tcp " + taken.Addr().String() + ": "; !strings.HasPrefix(errOut, want) || strings.Count(errOut, "\n") != 1 {
		t.Errorf("stderr %q, want one line starting %q", errOut, want)
	}
	if _, err := os.Stat(db); !os.IsNotExist(err) {
		t.Errorf("the database file was made (stat: %v); serve should fail before opening it", err)
	}
}

// TestServeDemoBindsFirst runs serve --demo on a free port: the logins are
// printed once the port is bound, and work there. It reads stdout through
// a pipe up to the "serving on" line, then stops the server.
func TestServeDemoBindsFirst(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	pr, pw := io.Pipe()
	var stderr syncBuffer
	m := &Main{Stdin: strings.NewReader(""), Stdout: pw, Stderr: &stderr}
	db := filepath.Join(t.TempDir(), "demo.db")
	done := make(chan int, 1)
	go func() {
		done <- m.Run(ctx, []string{"serve", "--demo", "--ranges", "off", "--addr", "127.0.0.1:0", "--db", db})
		pw.Close()
	}()
	var lines []string
	sc := bufio.NewScanner(pr)
	for sc.Scan() {
		lines = append(lines, sc.Text())
		if strings.Contains(sc.Text(), "tendo is serving on") {
			break
		}
	}
	go io.Copy(io.Discard, pr) // whatever serve writes after
	out := strings.Join(lines, "\n")
	pwds := demoPasswords(t, out)
	last := lines[len(lines)-1]
	addr := strings.Fields(strings.TrimPrefix(last, "tendo is serving on http://"))[0]
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatalf("the printed address %s does not answer: %v", addr, err)
	}
	conn.Close()
	cancel()
	if code := <-done; code != exitOK {
		t.Errorf("exit code %d after Ctrl-C, want 0; stderr %q", code, stderr.String())
	}
	if len(pwds) != 2 {
		t.Errorf("logins %v, want two", pwds)
	}
}

// syncBuffer is a bytes.Buffer safe for the server's goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// TestServeTimeZoneFlag checks that --time-zone takes only an IANA name,
// and fails before the port is bound or the database opened.
func TestServeTimeZoneFlag(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, zone string
	}{
		{"unknown zone", "Mars/Olympus"},
		{"not a name", "+02:00"},
		{"the word Local", "Local"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			db := filepath.Join(t.TempDir(), "tz.db")
			code, out, errOut := run(t, "", "serve", "--time-zone", tt.zone, "--addr", "127.0.0.1:0", "--db", db)
			want := "tendo: serve: --time-zone: " + strconv.Quote(tt.zone) + " is not a time zone; give an IANA name such as Europe/London or UTC\n"
			if code != exitBadInput || out != "" || errOut != want {
				t.Errorf("exit %d, stdout %q, stderr %q; want %d, nothing, %q", code, out, errOut, exitBadInput, want)
			}
			if _, err := os.Stat(db); !os.IsNotExist(err) {
				t.Errorf("the database was opened (stat: %v)", err)
			}
		})
	}
}

package web_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/tendo-health/tendo"
	"github.com/tendo-health/tendo/web"
)

// F11: without --base-url, a questionnaire link is made only for a
// loopback host; a Host header chosen by a client never ends up in the
// link a patient is sent.
func TestLinkNeedsBaseURL(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	tests := []struct {
		name, host string
		want       int
	}{
		{"a forged public host", "evil.example", http.StatusForbidden},
		{"a forged host with a port", "evil.example:8080", http.StatusForbidden},
		{"a private address", "10.0.0.7:8080", http.StatusForbidden},
		{"loopback IPv4", "127.0.0.1:8080", http.StatusCreated},
		{"loopback IPv6", "[::1]:8080", http.StatusCreated},
		{"localhost", "localhost:8080", http.StatusCreated},
	}
	for _, tt := range tests {
		req, err := http.NewRequest("POST", a.srv.URL+"/api/patients/"+itoa(a.patA.ID)+"/links", strings.NewReader(`{"instrument":"nprs"}`))
		if err != nil {
			t.Fatal(err)
		}
		req.Host = tt.host
		req.Header.Set("Authorization", "Bearer "+a.tokens["clinicianA"])
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != tt.want {
			t.Errorf("%s: %d, want %d: %s", tt.name, resp.StatusCode, tt.want, body)
		}
		if bytes.Contains(body, []byte("evil.example")) {
			t.Errorf("%s: the forged host is in the answer: %s", tt.name, body)
		}
	}
}

// F14: a flash message is chosen by code; text in the query is never
// shown.
func TestFlashByCodeOnly(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	b := a.login("admin")
	_, page, _ := b.get("/admin?flash=" + "Your+account+is+suspended.+Call+0800+555")
	if strings.Contains(page, "suspended") || strings.Contains(page, `class="flash"`) {
		t.Errorf("free text from ?flash= is shown")
	}
	_, page, _ = b.get("/admin?flash=clinic-created")
	if !strings.Contains(page, "Clinic created.") {
		t.Errorf("the flash code clinic-created shows no message")
	}
}

// F15: the printed report is headed by the stored patient and the visit's
// date, not by the id the API client put in the document.
func TestReportHeadingFromStoredPatient(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	var doc map[string]any
	if err := json.Unmarshal(caseJSON(t, "runner-midportion"), &doc); err != nil {
		t.Fatal(err)
	}
	doc["id"] = "<b>Somebody Else</b> RECALL NOTICE"
	body, _ := json.Marshal(doc)
	code, out := a.api("clinicianA", "POST", "/api/patients/"+itoa(a.patA.ID)+"/assessments", body)
	if code != http.StatusCreated {
		t.Fatalf("save: %d %s", code, out)
	}
	var saved struct {
		Assessment tendo.StoredAssessment `json:"assessment"`
	}
	if err := json.Unmarshal(out, &saved); err != nil {
		t.Fatal(err)
	}
	b := a.login("clinicianA")
	_, page, _ := b.get("/patients/" + itoa(a.patA.ID) + "/assessments/" + itoa(saved.Assessment.ID) + "/report")
	h1 := page[strings.Index(page, "<h1>"):]
	h1 = h1[:strings.Index(h1, "</h1>")]
	if !strings.Contains(h1, a.patA.Name) || strings.Contains(page, "RECALL NOTICE") {
		t.Errorf("report heading %q: want the stored patient %q and not the document's id", h1, a.patA.Name)
	}
}

// Retrying a save with the same Idempotency-Key returns the first save
// and stores nothing more.
func TestIdempotencyKeyAPI(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	path := "/api/patients/" + itoa(a.patA.ID) + "/assessments"
	save := func(key string) (int, string, int64) {
		req, _ := http.NewRequest("POST", a.srv.URL+path, bytes.NewReader(caseJSON(t, "s1-mimic")))
		req.Header.Set("Authorization", "Bearer "+a.tokens["clinicianA"])
		if key != "" {
			req.Header.Set("Idempotency-Key", key)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var out struct {
			Assessment tendo.StoredAssessment `json:"assessment"`
		}
		_ = json.NewDecoder(resp.Body).Decode(&out)
		return resp.StatusCode, resp.Header.Get("Idempotency-Replayed"), out.Assessment.ID
	}
	count := func() int {
		as, err := a.store.Assessments(t.Context(), a.patA.ID)
		if err != nil {
			t.Fatal(err)
		}
		return len(as)
	}
	before := count()
	c1, r1, id1 := save("retry-me-1")
	c2, r2, id2 := save("retry-me-1")
	if c1 != http.StatusCreated || r1 != "" || c2 != http.StatusOK || r2 != "true" || id1 != id2 {
		t.Errorf("first %d %q %d, retry %d %q %d: want 201 then 200 replayed with the same id", c1, r1, id1, c2, r2, id2)
	}
	if n := count() - before; n != 1 {
		t.Errorf("%d assessments stored for one key, want 1", n)
	}
	if c, _, _ := save(strings.Repeat("k", 129)); c != http.StatusUnprocessableEntity {
		t.Errorf("a 129-character key: %d, want 422", c)
	}
}

// brokenAssessor fails as a program fault would.
type brokenAssessor struct{}

func (brokenAssessor) Assess(*tendo.Assessment) (*tendo.Result, error) {
	return nil, errors.New("junction tree: table 17 has 0 entries")
}
func (brokenAssessor) ModelVersion() string { return "broken 0" }

// An internal failure is a 500 "Internal error." without its text, never
// a 422 with internal detail.
func TestInternalErrorsAreNotInvalidInput(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	broken, err := web.New(a.store, brokenAssessor{}, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(broken)
	defer ts.Close()
	for _, path := range []string{"/api/assess", "/api/patients/" + itoa(a.patA.ID) + "/assessments"} {
		req, _ := http.NewRequest("POST", ts.URL+path, bytes.NewReader(caseJSON(t, "s1-mimic")))
		req.Header.Set("Authorization", "Bearer "+a.tokens["clinicianA"])
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		code := resp.StatusCode
		if code != http.StatusInternalServerError || bytes.Contains(body, []byte("junction")) || !bytes.Contains(body, []byte("Internal error.")) {
			t.Errorf("%s: %d %s; want 500 Internal error. with no detail", path, code, body)
		}
	}
}

package web_test

import (
	"bufio"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/tendo-health/tendo/web"
)

// steppingClock returns a clock that advances by step at each reading.
func steppingClock(step time.Duration) func() time.Time {
	t0 := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	var n atomic.Int64
	return func() time.Time { return t0.Add(time.Duration(n.Add(1)) * step) }
}

// newLoggedServer is a server logging JSON lines to the returned buffer.
func newLoggedServer(t *testing.T) (*web.Server, *syncBuffer) {
	t.Helper()
	var logs syncBuffer
	srv, err := web.New(openHealthStore(t), engine(t), slog.New(slog.NewJSONHandler(&logs, nil)))
	if err != nil {
		t.Fatal(err)
	}
	srv.Now = steppingClock(3 * time.Millisecond)
	return srv, &logs
}

// TestAccessLog checks the access log (issue 10: small): one structured
// line per request with the method, route, path, status, bytes and
// duration, and never a query string, a questionnaire token or anything
// the visitor typed beyond a path's first segment.
func TestAccessLog(t *testing.T) {
	t.Parallel()
	const token = "Zq8secretTOKENvalue"
	tests := []struct {
		name, method, target string
		body                 string
		wantRoute, wantPath  string
		wantStatus           int
		wantDuration         time.Duration // 0: not checked (the handler reads the clock too)
		never                []string
	}{
		{"static file", "GET", "/static/app.css", "", "GET /static/", "/static/app.css", 200, 3 * time.Millisecond, nil},
		{"page with an ID and a query", "GET", "/patients/4242?flash=user-created&q=Jane+Smith", "", "GET /patients/{id}", "/patients/4242", http.StatusSeeOther, 0, []string{"Jane", "flash", "?"}},
		{"questionnaire link", "GET", "/q/" + token + "?lang=en", "", "GET /q/{token}", "/q/{token}", 0, 0, []string{token, "lang"}},
		{"unknown path", "GET", "/no/such/Jane-Smith?x=1", "", "", "/no/…", 404, 3 * time.Millisecond, []string{"Jane", "x=1"}},
		{"unknown API route", "GET", "/api/patients/42/notes/Jane-Smith", "", "/api/", "/api/…", 404, 3 * time.Millisecond, []string{"Jane", "42"}},
		{"login form", "POST", "/login", "email=jane%40clinic.example&password=hunter2hunter2", "POST /login", "/login", 0, 0, []string{"jane", "hunter2"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv, logs := newLoggedServer(t)
			req := httptest.NewRequest(tt.method, tt.target, strings.NewReader(tt.body))
			if tt.body != "" {
				req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
				req.Header.Set("Sec-Fetch-Site", "same-origin")
			}
			rec := httptest.NewRecorder()
			srv.ServeHTTP(rec, req)

			var lines []map[string]any
			sc := bufio.NewScanner(strings.NewReader(logs.String()))
			for sc.Scan() {
				var m map[string]any
				if err := json.Unmarshal(sc.Bytes(), &m); err != nil {
					t.Fatalf("log line %q is not JSON: %v", sc.Text(), err)
				}
				if m["msg"] == "request" {
					lines = append(lines, m)
				}
			}
			if len(lines) != 1 {
				t.Fatalf("%d access log lines, want 1:\n%s", len(lines), logs.String())
			}
			l := lines[0]
			if l["level"] != "INFO" || l["method"] != tt.method || l["route"] != tt.wantRoute || l["path"] != tt.wantPath {
				t.Errorf("logged level %v method %v route %v path %v; want INFO %s %q %q", l["level"], l["method"], l["route"], l["path"], tt.method, tt.wantRoute, tt.wantPath)
			}
			if got := int(l["status"].(float64)); got != rec.Code || (tt.wantStatus != 0 && got != tt.wantStatus) {
				t.Errorf("logged status %d; the response's is %d (want %d)", got, rec.Code, tt.wantStatus)
			}
			if got := int(l["bytes"].(float64)); got != rec.Body.Len() {
				t.Errorf("logged %d bytes; the body has %d", got, rec.Body.Len())
			}
			d := time.Duration(l["duration"].(float64))
			if d <= 0 || (tt.wantDuration != 0 && d != tt.wantDuration) {
				t.Errorf("logged duration %v, want %v (a positive one)", d, tt.wantDuration)
			}
			for _, never := range tt.never {
				if strings.Contains(logs.String(), never) {
					t.Errorf("the log holds %q:\n%s", never, logs.String())
				}
			}
		})
	}
}

// TestNotFoundPage checks that an address the application does not serve
// gets the application's styled page (HTML, with its stylesheet and
// security headers), JSON for the API or a client asking for JSON, and
// that a method a route does not take gets a styled 405.
func TestNotFoundPage(t *testing.T) {
	t.Parallel()
	srv, _ := newLoggedServer(t)
	tests := []struct {
		name, method, target, accept string
		wantCode                     int
		wantType                     string
		want                         []string
	}{
		{"browser", "GET", "/no-such-page", "text/html", 404, "text/html; charset=utf-8",
			[]string{"<title>Page not found · tendo</title>", `href="/static/app.css"`, "There is no page at this address.", `href="/"`}},
		{"deep path", "GET", "/patients/1/no/such/thing", "", 404, "text/html; charset=utf-8",
			[]string{"Page not found"}},
		{"client asking for JSON", "GET", "/no-such-page", "application/json", 404, "application/json",
			[]string{`"code": "not_found"`, "There is no page at this address."}},
		{"API", "GET", "/api/no-such-route", "", 404, "application/json",
			[]string{`"code": "not_found"`}},
		{"wrong method", "DELETE", "/login", "text/html", 405, "text/html; charset=utf-8",
			[]string{"<title>Not allowed · tendo</title>", "This address does not take a DELETE request."}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			req := httptest.NewRequest(tt.method, tt.target, nil)
			if tt.accept != "" {
				req.Header.Set("Accept", tt.accept)
			}
			rec := httptest.NewRecorder()
			srv.ServeHTTP(rec, req)
			if rec.Code != tt.wantCode || rec.Header().Get("Content-Type") != tt.wantType {
				t.Errorf("%d %q, want %d %q", rec.Code, rec.Header().Get("Content-Type"), tt.wantCode, tt.wantType)
			}
			body := rec.Body.String()
			for _, w := range tt.want {
				if !strings.Contains(body, w) {
					t.Errorf("body lacks %q:\n%s", w, body)
				}
			}
			if strings.Contains(body, "404 page not found") || strings.Contains(body, "Method Not Allowed\n") {
				t.Errorf("the mux's plain answer leaked:\n%s", body)
			}
			if rec.Header().Get("Content-Security-Policy") == "" {
				t.Error("no Content-Security-Policy header")
			}
			if tt.wantCode == 405 && !strings.Contains(rec.Header().Get("Allow"), "POST") {
				t.Errorf("Allow %q, want the route's methods", rec.Header().Get("Allow"))
			}
		})
	}
}

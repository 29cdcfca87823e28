package web

// Issue 10: small: an access log, and a styled page for an address the
// application does not serve.

import (
	"log/slog"
	"net/http"
	"strings"

	"github.com/tendo-health/tendo"
)

// accessLog logs one line per request with s.Logger, at level Info:
// "request" with the method, the route (the pattern that matched, e.g.
// "GET /patients/{id}"), the path, the status, the bytes of the body and
// the duration. It logs no query string (a search or a flash), no header,
// no address and no name; a path segment that holds a credential (a
// questionnaire link's token) is logged as its wildcard ("/q/{token}"),
// and a path no route matches (or only the API's catch-all) up to its
// first segment ("/wp-admin/…"), since it may be anything a visitor typed.
func (s *Server) accessLog(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := s.Now()
		rec := &recorder{ResponseWriter: w}
		defer func() {
			route := r.Pattern // set by the mux on this request
			s.Logger.LogAttrs(r.Context(), slog.LevelInfo, "request",
				slog.String("method", r.Method),
				slog.String("route", route),
				slog.String("path", logPath(route, r.URL.Path)),
				slog.Int("status", rec.code()),
				slog.Int64("bytes", rec.bytes),
				slog.Duration("duration", s.Now().Sub(start)),
			)
		}()
		next.ServeHTTP(rec, r)
	})
}

// logPath is the path as the access log shows it: credentials replaced
// by their wildcard's name, and a path that matched no route, or only a
// catch-all without a method ("/api/"), cut after its first segment.
func logPath(pattern, path string) string {
	if !strings.Contains(pattern, " ") {
		first, rest, _ := strings.Cut(strings.TrimPrefix(path, "/"), "/")
		if rest != "" || strings.HasSuffix(path, "/") && first != "" {
			return "/" + first + "/…"
		}
		return "/" + first
	}
	if _, p, ok := strings.Cut(pattern, " "); ok {
		pattern = p
	}
	pat := strings.Split(pattern, "/")
	segs := strings.Split(path, "/")
	for i, p := range pat {
		if i < len(segs) && strings.HasPrefix(p, "{") && strings.Contains(strings.ToLower(p), "token") {
			segs[i] = p
		}
	}
	return strings.Join(segs, "/")
}

// recorder notes a response's status and body size.
type recorder struct {
	http.ResponseWriter
	status int
	bytes  int64
}

func (r *recorder) WriteHeader(code int) {
	if r.status == 0 {
		r.status = code
	}
	r.ResponseWriter.WriteHeader(code)
}

func (r *recorder) Write(b []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	n, err := r.ResponseWriter.Write(b)
	r.bytes += int64(n)
	return n, err
}

func (r *recorder) code() int {
	if r.status == 0 {
		return http.StatusOK
	}
	return r.status
}

// Unwrap lets http.ResponseController reach the connection's writer.
func (r *recorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }

// styledNotFound serves mux, but answers a path that no route matches (404)
// or a method a route does not take (405) with the application's error
// page, or JSON for the API, instead of the mux's plain text.
func (s *Server) styledNotFound(mux *http.ServeMux) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if _, pattern := mux.Handler(r); pattern != "" {
			mux.ServeHTTP(w, r)
			return
		}
		iw := &interceptor{ResponseWriter: w}
		mux.ServeHTTP(iw, r)
		switch iw.status {
		case http.StatusNotFound:
			s.notFoundPage(w, r)
		case http.StatusMethodNotAllowed:
			if wantsJSON(r) {
				writeJSON(w, http.StatusMethodNotAllowed, apiErrorBody{apiErrorDetail{Code: "method_not_allowed", Message: "This address does not take a " + r.Method + " request."}})
				return
			}
			s.render(w, r, http.StatusMethodNotAllowed, "error", "Not allowed", "This address does not take a "+r.Method+" request.")
		}
	})
}

// notFoundPage answers an address that names nothing.
func (s *Server) notFoundPage(w http.ResponseWriter, r *http.Request) {
	const msg = "There is no page at this address. Check the link, or go back to the start."
	if wantsJSON(r) {
		s.Error(w, r, tendo.Errorf(tendo.ENOTFOUND, "%s", msg))
		return
	}
	s.render(w, r, http.StatusNotFound, "error", "Page not found", msg)
}

// interceptor holds back the mux's own 404 and 405 answers, noting their
// status, so that styledNotFound can answer instead; it passes anything
// else through.
type interceptor struct {
	http.ResponseWriter
	status int
}

func (i *interceptor) WriteHeader(code int) {
	i.status = code
	if code != http.StatusNotFound && code != http.StatusMethodNotAllowed {
		i.ResponseWriter.WriteHeader(code)
	}
}

func (i *interceptor) Write(b []byte) (int, error) {
	if i.status == 0 {
		i.WriteHeader(http.StatusOK)
	}
	if i.status == http.StatusNotFound || i.status == http.StatusMethodNotAllowed {
		return len(b), nil
	}
	return i.ResponseWriter.Write(b)
}

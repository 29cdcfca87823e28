package web

import (
	"context"
	"net/http"
	"time"
)

// healthTimeout bounds the database ping of /healthz and /readyz.
const healthTimeout = 2 * time.Second

// healthz is the liveness probe: the process answers and reaches its
// database. It answers 200 "ok", or 503 "database unavailable" when the
// store does not answer a ping within 2 s. The cause goes to the log, never
// to the prober.
func (s *Server) healthz(w http.ResponseWriter, r *http.Request) {
	if !s.pingStore(r) {
		healthAnswer(w, http.StatusServiceUnavailable, "database unavailable")
		return
	}
	healthAnswer(w, http.StatusOK, "ok")
}

// readyz is the readiness probe: the server may be sent traffic. A request
// reaches it only once the listener is serving, and New has parsed the
// templates by then, so what is left to check is that the server has what
// it needs: a store that answers a ping within 2 s, and an assessor. It
// answers 200 "ready", or 503 "database unavailable" or "not ready".
func (s *Server) readyz(w http.ResponseWriter, r *http.Request) {
	if s.Assessor == nil {
		healthAnswer(w, http.StatusServiceUnavailable, "not ready")
		return
	}
	if !s.pingStore(r) {
		healthAnswer(w, http.StatusServiceUnavailable, "database unavailable")
		return
	}
	healthAnswer(w, http.StatusOK, "ready")
}

// pingStore reports whether the store answers a ping within healthTimeout,
// and logs why not.
func (s *Server) pingStore(r *http.Request) bool {
	if s.Store == nil {
		s.Logger.Error("health check: no store")
		return false
	}
	ctx, cancel := context.WithTimeout(r.Context(), healthTimeout)
	defer cancel()
	if err := s.Store.Ping(ctx); err != nil {
		s.Logger.Error("health check: database unavailable", "path", r.URL.Path, "err", err)
		return false
	}
	return true
}

// healthAnswer writes a probe's answer: a status and one line of text.
func healthAnswer(w http.ResponseWriter, status int, text string) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, _ = w.Write([]byte(text + "\n"))
}

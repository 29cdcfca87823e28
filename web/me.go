package web

import "net/http"

// apiMe is the token's user.
func (s *Server) apiMe(w http.ResponseWriter, r *http.Request) {
	u, _ := userFrom(r.Context())
	writeJSON(w, http.StatusOK, u)
}

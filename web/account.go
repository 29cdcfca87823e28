package web

import (
	"net/http"
	"strings"

	"github.com/tendo-health/tendo/passwd"
)

type accountData struct {
	NewToken string
	Errors   map[string]string
}

func (s *Server) accountPage(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, "account", "Account", accountData{Errors: map[string]string{}})
}

func (s *Server) createToken(w http.ResponseWriter, r *http.Request) {
	u, _ := userFrom(r.Context())
	name := strings.TrimSpace(r.PostForm.Get("tokenName"))
	if name == "" || len(name) > 100 {
		s.render(w, r, http.StatusUnprocessableEntity, "account", "Account", accountData{Errors: map[string]string{"tokenName": "Name the token (up to 100 characters), e.g. the system that will use it."}})
		return
	}
	token := passwd.Token()
	if _, err := s.Store.CreateAPIToken(r.Context(), u.ID, name, passwd.TokenHash(token)); err != nil {
		s.htmlError(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "account", "Account", accountData{NewToken: token, Errors: map[string]string{}})
}

package web

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/tendo-health/tendo"
	"github.com/tendo-health/tendo/passwd"
)

type adminData struct {
	Clinics []tendo.Clinic
	Users   []tendo.User
	Audit   []tendo.AuditEntry
	Values  map[string]string
	Errors  map[string]string
}

func (s *Server) requireAdmin(w http.ResponseWriter, r *http.Request) (tendo.User, bool) {
	u, _ := userFrom(r.Context())
	if u.Role != tendo.RoleAdmin {
		s.htmlError(w, r, tendo.Errorf(tendo.EFORBIDDEN, "Only an administrator may do this."))
		return u, false
	}
	return u, true
}

func (s *Server) adminData(r *http.Request) (adminData, error) {
	d := adminData{Values: map[string]string{}, Errors: map[string]string{}}
	var err error
	if d.Clinics, err = s.Store.Clinics(r.Context()); err != nil {
		return d, err
	}
	if d.Users, err = s.Store.Users(r.Context()); err != nil {
		return d, err
	}
	if d.Audit, err = s.Store.AuditLog(r.Context(), tendo.AuditFilter{Limit: 50}); err != nil {
		return d, err
	}
	return d, nil
}

func (s *Server) adminPage(w http.ResponseWriter, r *http.Request) {
	if _, ok := s.requireAdmin(w, r); !ok {
		return
	}
	d, err := s.adminData(r)
	if err != nil {
		s.htmlError(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "admin", "Administration", d)
}

func (s *Server) createClinic(w http.ResponseWriter, r *http.Request) {
	if _, ok := s.requireAdmin(w, r); !ok {
		return
	}
	name := strings.TrimSpace(r.PostForm.Get("clinicName"))
	if name == "" || len(name) > 200 {
		d, err := s.adminData(r)
		if err != nil {
			s.htmlError(w, r, err)
			return
		}
		d.Values["clinicName"] = r.PostForm.Get("clinicName")
		d.Errors["clinicName"] = "Enter a clinic name (up to 200 characters)."
		s.render(w, r, http.StatusUnprocessableEntity, "admin", "Administration", d)
		return
	}
	if _, err := s.Store.CreateClinic(r.Context(), name); err != nil {
		s.htmlError(w, r, err)
		return
	}
	http.Redirect(w, r, "/admin?flash=clinic-created", http.StatusSeeOther)
}

func (s *Server) createUser(w http.ResponseWriter, r *http.Request) {
	if _, ok := s.requireAdmin(w, r); !ok {
		return
	}
	f := r.PostForm
	errs := map[string]string{}
	email := strings.ToLower(strings.TrimSpace(f.Get("email")))
	if !strings.Contains(email, "@") || len(email) > 200 {
		errs["email"] = "Enter an e-mail address."
	}
	name := strings.TrimSpace(f.Get("name"))
	if name == "" {
		errs["name"] = "Enter the person's name."
	}
	role := tendo.Role(f.Get("role"))
	if !role.Valid() {
		errs["role"] = "Choose admin or clinician."
	}
	pw := f.Get("password")
	if len(pw) < passwd.MinLength {
		errs["password"] = fmt.Sprintf("Use at least %d characters.", passwd.MinLength)
	}
	var clinics []int64
	for _, v := range f["clinics"] {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			errs["clinics"] = "Choose clinics from the list."
			continue
		}
		clinics = append(clinics, id)
	}
	if role == tendo.RoleClinician && len(clinics) == 0 {
		errs["clinics"] = "A clinician needs at least one clinic."
	}
	if len(errs) == 0 {
		hash, err := passwd.Hash(pw)
		if err != nil {
			s.htmlError(w, r, err)
			return
		}
		_, err = s.Store.CreateUser(r.Context(), tendo.User{Email: email, Name: name, Role: role, PasswordHash: hash, ClinicIDs: clinics})
		if err == nil {
			http.Redirect(w, r, "/admin?flash=user-created", http.StatusSeeOther)
			return
		}
		switch tendo.ErrorCode(err) {
		case tendo.ECONFLICT:
			errs["email"] = "A user with this e-mail address exists."
		case tendo.EINVALID:
			errs["clinics"] = tendo.ErrorMessage(err)
		default:
			s.htmlError(w, r, err)
			return
		}
	}
	d, err := s.adminData(r)
	if err != nil {
		s.htmlError(w, r, err)
		return
	}
	d.Values = map[string]string{"email": f.Get("email"), "name": f.Get("name"), "role": f.Get("role")}
	d.Errors = errs
	s.render(w, r, http.StatusUnprocessableEntity, "admin", "Administration", d)
}

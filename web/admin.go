package web

import (
	"net/http"
	"strconv"

	"github.com/tendo-health/tendo"
)

type adminData struct {
	Clinics []tendo.Clinic
	Users   []tendo.User
	Audit   []tendo.AuditEntry
	Values  map[string]string
	Errors  map[string]string
	// UserErrors are the problems of a change to one user, by user ID.
	UserErrors map[int64]string
}

// requireAdmin refuses a non-admin before any work (the services refuse
// them too).
func (s *Server) requireAdmin(w http.ResponseWriter, r *http.Request) (tendo.User, bool) {
	u, _ := userFrom(r.Context())
	if u.Role != tendo.RoleAdmin {
		s.recordDenied(r, "not an administrator")
		s.htmlError(w, r, tendo.Errorf(tendo.EFORBIDDEN, "Only an administrator may do this."))
		return u, false
	}
	return u, true
}

func (s *Server) adminData(r *http.Request) (adminData, error) {
	d := adminData{Values: map[string]string{}, Errors: map[string]string{}, UserErrors: map[int64]string{}}
	var err error
	if d.Clinics, err = s.Auth.FindClinics(r.Context()); err != nil {
		return d, err
	}
	if d.Users, err = s.Auth.FindUsers(r.Context()); err != nil {
		return d, err
	}
	page, err := s.svc.FindAuditEntries(r.Context(), tendo.AuditFilter{Limit: 50})
	if err != nil {
		return d, err
	}
	d.Audit = page.Entries
	return d, nil
}

// renderAdmin shows the admin page, with d's values and errors.
func (s *Server) renderAdmin(w http.ResponseWriter, r *http.Request, code int, d adminData) {
	full, err := s.adminData(r)
	if err != nil {
		s.htmlError(w, r, err)
		return
	}
	for k, v := range d.Values {
		full.Values[k] = v
	}
	for k, v := range d.Errors {
		full.Errors[k] = v
	}
	for k, v := range d.UserErrors {
		full.UserErrors[k] = v
	}
	s.render(w, r, code, "admin", "Administration", full)
}

func (s *Server) adminPage(w http.ResponseWriter, r *http.Request) {
	if _, ok := s.requireAdmin(w, r); !ok {
		return
	}
	s.renderAdmin(w, r, http.StatusOK, adminData{})
}

func (s *Server) createClinic(w http.ResponseWriter, r *http.Request) {
	if _, ok := s.requireAdmin(w, r); !ok {
		return
	}
	_, err := s.Auth.CreateClinic(r.Context(), r.PostForm.Get("clinicName"))
	if err == nil {
		http.Redirect(w, r, "/admin?flash=clinic-created", http.StatusSeeOther)
		return
	}
	d := adminData{Values: map[string]string{"clinicName": r.PostForm.Get("clinicName")}, Errors: map[string]string{}}
	if !fieldError(err, d.Errors, map[string]string{"name": "clinicName"}) {
		s.htmlError(w, r, err)
		return
	}
	s.renderAdmin(w, r, http.StatusUnprocessableEntity, d)
}

// formClinics reads the clinics checked in a form.
func formClinics(vs []string) ([]int64, error) {
	ids := []int64{}
	for _, v := range vs {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return nil, tendo.Invalid("clinics", "Choose clinics from the list.")
		}
		ids = append(ids, id)
	}
	return ids, nil
}

func (s *Server) createUser(w http.ResponseWriter, r *http.Request) {
	if _, ok := s.requireAdmin(w, r); !ok {
		return
	}
	f := r.PostForm
	d := adminData{Values: map[string]string{"email": f.Get("email"), "name": f.Get("name"), "role": f.Get("role")}, Errors: map[string]string{}}
	clinics, err := formClinics(f["clinics"])
	if err == nil {
		_, err = s.Auth.CreateUser(r.Context(), tendo.NewUser{
			Email: f.Get("email"), Name: f.Get("name"), Role: tendo.Role(f.Get("role")), Password: f.Get("password"), ClinicIDs: clinics,
		})
		if err == nil {
			http.Redirect(w, r, "/admin?flash=user-created", http.StatusSeeOther)
			return
		}
	}
	if tendo.ErrorCode(err) == tendo.ECONFLICT {
		d.Errors["email"] = tendo.ErrorMessage(err)
	} else if !fieldError(err, d.Errors, nil) {
		s.htmlError(w, r, err)
		return
	}
	s.renderAdmin(w, r, http.StatusUnprocessableEntity, d)
}

// pathUser reads the user ID of an admin route.
func pathUser(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, tendo.Errorf(tendo.ENOTFOUND, "No such user.")
	}
	return id, nil
}

// updateUser applies an admin's change to a user from a form, showing a
// refused change beside the user.
func (s *Server) updateUser(w http.ResponseWriter, r *http.Request, upd tendo.UserUpdate, flash string) {
	if _, ok := s.requireAdmin(w, r); !ok {
		return
	}
	id, err := pathUser(r)
	if err == nil {
		if _, err = s.Auth.UpdateUser(r.Context(), id, upd); err == nil {
			http.Redirect(w, r, "/admin?flash="+flash, http.StatusSeeOther)
			return
		}
	}
	switch tendo.ErrorCode(err) {
	case tendo.EINVALID, tendo.ECONFLICT:
		s.renderAdmin(w, r, statusOf(err), adminData{UserErrors: map[int64]string{id: tendo.ErrorMessage(err)}})
	default:
		s.htmlError(w, r, err)
	}
}

func (s *Server) setUserClinics(w http.ResponseWriter, r *http.Request) {
	ids, err := formClinics(r.PostForm["clinics"])
	if err != nil {
		s.htmlError(w, r, err)
		return
	}
	s.updateUser(w, r, tendo.UserUpdate{ClinicIDs: &ids}, "clinics-changed")
}

func (s *Server) setUserDisabled(w http.ResponseWriter, r *http.Request) {
	disabled := r.PostForm.Get("disabled") == "true"
	flash := "user-enabled"
	if disabled {
		flash = "user-disabled"
	}
	s.updateUser(w, r, tendo.UserUpdate{Disabled: &disabled}, flash)
}

func (s *Server) resetPassword(w http.ResponseWriter, r *http.Request) {
	if _, ok := s.requireAdmin(w, r); !ok {
		return
	}
	id, err := pathUser(r)
	if err == nil {
		if err = s.Auth.SetPassword(r.Context(), id, r.PostForm.Get("newPassword")); err == nil {
			http.Redirect(w, r, "/admin?flash=password-reset", http.StatusSeeOther)
			return
		}
	}
	if tendo.ErrorCode(err) == tendo.EINVALID {
		s.renderAdmin(w, r, http.StatusUnprocessableEntity, adminData{UserErrors: map[int64]string{id: tendo.ErrorMessage(err)}})
		return
	}
	s.htmlError(w, r, err)
}

// apiUpdateUser lets an admin disable or enable a user and set their
// clinics: {"disabled": true, "clinicIds": [1, 2]} (either optional).
func (s *Server) apiUpdateUser(w http.ResponseWriter, r *http.Request) {
	id, err := pathUser(r)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	var in struct {
		Disabled  *bool    `json:"disabled"`
		ClinicIDs *[]int64 `json:"clinicIds"`
	}
	if err := readJSON(r, &in); err != nil {
		s.apiError(w, r, err)
		return
	}
	u, err := s.Auth.UpdateUser(r.Context(), id, tendo.UserUpdate{Disabled: in.Disabled, ClinicIDs: in.ClinicIDs})
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, u)
}

// Member reports whether the user belongs to the clinic (for the admin
// page's check boxes).
func (d adminData) Member(u tendo.User, clinicID int64) bool {
	for _, id := range u.ClinicIDs {
		if id == clinicID {
			return true
		}
	}
	return false
}

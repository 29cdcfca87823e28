package clinic

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/tendo-health/tendo"
	"github.com/tendo-health/tendo/passwd"
)

var _ tendo.UserService = (*Service)(nil)

// Limits on names.
const (
	maxClinicName = 200
	maxUserName   = 200
)

// CreateClinic creates a clinic; see tendo.UserService.
func (s *Service) CreateClinic(ctx context.Context, name string) (tendo.Clinic, error) {
	if err := s.requireAdmin(ctx, "create a clinic"); err != nil {
		return tendo.Clinic{}, err
	}
	name = strings.TrimSpace(name)
	if name == "" || utf8.RuneCountInString(name) > maxClinicName {
		return tendo.Clinic{}, tendo.Invalid("name", "Enter a clinic name (up to %d characters).", maxClinicName)
	}
	var c tendo.Clinic
	err := s.Store.InTx(ctx, func(st tendo.Store) error {
		var err error
		if c, err = st.CreateClinic(ctx, name); err != nil {
			return err
		}
		e := entry(ctx, tendo.ActionClinicCreate)
		e.ClinicID, e.Detail = c.ID, c.Name
		return s.audit(ctx, st, e)
	})
	return c, err
}

// FindClinics lists the clinics the actor may see: every clinic for an
// admin or the system, a clinician's own otherwise.
func (s *Service) FindClinics(ctx context.Context) ([]tendo.Clinic, error) {
	a := tendo.ActorFrom(ctx)
	if a.User == nil && a.System == "" {
		return nil, tendo.Errorf(tendo.EUNAUTHORIZED, "Please log in.")
	}
	all, err := s.Store.Clinics(ctx)
	if err != nil || a.Admin() {
		return all, err
	}
	mine := []tendo.Clinic{}
	for _, c := range all {
		if a.CanSee(c.ID) {
			mine = append(mine, c)
		}
	}
	return mine, nil
}

// checkPassword says what is wrong with a new password, for field.
func checkPassword(field, password string) *tendo.Error {
	switch {
	case utf8.RuneCountInString(password) < passwd.MinLength:
		return tendo.Invalid(field, "Use at least %d characters.", passwd.MinLength)
	case len(password) > tendo.MaxPasswordLength:
		return tendo.Invalid(field, "Use at most %d characters.", tendo.MaxPasswordLength)
	}
	return nil
}

// CreateUser creates a user; see tendo.UserService.
func (s *Service) CreateUser(ctx context.Context, nu tendo.NewUser) (tendo.User, error) {
	if err := s.requireAdmin(ctx, "create a user"); err != nil {
		return tendo.User{}, err
	}
	email := normEmail(nu.Email)
	name := strings.TrimSpace(nu.Name)
	var errs tendo.Errors
	if !strings.Contains(email, "@") || len(email) > tendo.MaxEmailLength {
		errs = append(errs, tendo.Invalid("email", "Enter an e-mail address (up to %d characters).", tendo.MaxEmailLength))
	}
	if name == "" || utf8.RuneCountInString(name) > maxUserName {
		errs = append(errs, tendo.Invalid("name", "Enter the person's name (up to %d characters).", maxUserName))
	}
	if !nu.Role.Valid() {
		errs = append(errs, tendo.Invalid("role", "Choose admin or clinician."))
	}
	if nu.Role == tendo.RoleClinician && len(nu.ClinicIDs) == 0 {
		errs = append(errs, tendo.Invalid("clinics", "A clinician needs at least one clinic."))
	}
	if err := checkPassword("password", nu.Password); err != nil {
		errs = append(errs, err)
	}
	if len(errs) > 0 {
		return tendo.User{}, errs
	}
	hash, err := s.hash(ctx, nu.Password)
	if err != nil {
		return tendo.User{}, err
	}
	var u tendo.User
	err = s.Store.InTx(ctx, func(st tendo.Store) error {
		var err error
		u, err = st.CreateUser(ctx, tendo.User{Email: email, Name: name, Role: nu.Role, PasswordHash: hash, ClinicIDs: nu.ClinicIDs})
		switch tendo.ErrorCode(err) {
		case "":
		case tendo.ECONFLICT:
			return &tendo.Error{Code: tendo.ECONFLICT, Field: "email", Message: "A user with this e-mail address exists."}
		case tendo.EINVALID:
			return &tendo.Error{Code: tendo.EINVALID, Field: "clinics", Message: tendo.ErrorMessage(err)}
		default:
			return err
		}
		e := entry(ctx, tendo.ActionUserCreate)
		e.Detail = fmt.Sprintf("user %d (%s), %s, clinics %v", u.ID, u.Email, u.Role, u.ClinicIDs)
		return s.audit(ctx, st, e)
	})
	if err != nil {
		return tendo.User{}, err
	}
	return u, nil
}

// FindUser returns a user: any for an admin, only themself for anyone
// else.
func (s *Service) FindUser(ctx context.Context, id int64) (tendo.User, error) {
	a := tendo.ActorFrom(ctx)
	if a.User == nil && a.System == "" {
		return tendo.User{}, tendo.Errorf(tendo.EUNAUTHORIZED, "Please log in.")
	}
	if !a.Admin() && a.UserID() != id {
		return tendo.User{}, tendo.Errorf(tendo.ENOTFOUND, "No such user.")
	}
	return s.Store.User(ctx, id)
}

// FindUsers lists every user (admins only).
func (s *Service) FindUsers(ctx context.Context) ([]tendo.User, error) {
	if err := s.requireAdmin(ctx, "list users"); err != nil {
		return nil, err
	}
	return s.Store.Users(ctx)
}

// UpdateUser changes a user; see tendo.UserService. Disabling ends the
// user's sessions in the same transaction (their tokens stop at once,
// being refused for a disabled user).
func (s *Service) UpdateUser(ctx context.Context, id int64, upd tendo.UserUpdate) (tendo.User, error) {
	if err := s.requireAdmin(ctx, "change a user"); err != nil {
		return tendo.User{}, err
	}
	a := tendo.ActorFrom(ctx)
	if upd.Name != nil {
		n := strings.TrimSpace(*upd.Name)
		if n == "" || utf8.RuneCountInString(n) > maxUserName {
			return tendo.User{}, tendo.Invalid("name", "Enter the person's name (up to %d characters).", maxUserName)
		}
		upd.Name = &n
	}
	if upd.Role != nil && !upd.Role.Valid() {
		return tendo.User{}, tendo.Invalid("role", "Choose admin or clinician.")
	}
	if upd.Disabled != nil && *upd.Disabled && a.UserID() == id {
		return tendo.User{}, tendo.Errorf(tendo.ECONFLICT, "You cannot disable yourself.")
	}
	var u tendo.User
	err := s.Store.InTx(ctx, func(st tendo.Store) error {
		var err error
		if u, err = st.User(ctx, id); err != nil {
			return err
		}
		var changes []string
		if upd.Name != nil && *upd.Name != u.Name {
			u.Name = *upd.Name
			changes = append(changes, "name")
		}
		if upd.Role != nil && *upd.Role != u.Role {
			u.Role = *upd.Role
			changes = append(changes, "role "+string(u.Role))
		}
		if upd.Disabled != nil && *upd.Disabled != (u.DisabledAt != nil) {
			if *upd.Disabled {
				now := s.now()
				u.DisabledAt = &now
				changes = append(changes, "disabled")
			} else {
				u.DisabledAt = nil
				changes = append(changes, "enabled")
			}
		}
		if len(changes) > 0 {
			if err := st.UpdateUser(ctx, u); err != nil {
				return err
			}
		}
		if upd.ClinicIDs != nil {
			ids := slices.Clone(*upd.ClinicIDs)
			slices.Sort(ids)
			ids = slices.Compact(ids)
			if u.Role == tendo.RoleClinician && len(ids) == 0 {
				return tendo.Invalid("clinicIds", "A clinician needs at least one clinic.")
			}
			if !slices.Equal(ids, u.ClinicIDs) {
				if err := st.SetClinics(ctx, id, ids); err != nil {
					if tendo.ErrorCode(err) == tendo.EINVALID {
						return tendo.Invalid("clinicIds", "%s", tendo.ErrorMessage(err))
					}
					return err
				}
				changes = append(changes, fmt.Sprintf("clinics %v", ids))
			}
		}
		if u.DisabledAt != nil && upd.Disabled != nil && *upd.Disabled {
			n, err := st.DeleteUserSessions(ctx, id, "")
			if err != nil {
				return err
			}
			changes = append(changes, fmt.Sprintf("%d sessions ended", n))
		}
		if len(changes) == 0 {
			changes = append(changes, "no change") // the attempt is recorded all the same
		}
		e := entry(ctx, tendo.ActionUserUpdate)
		e.Detail = fmt.Sprintf("user %d (%s): %s", u.ID, u.Email, strings.Join(changes, ", "))
		return s.audit(ctx, st, e)
	})
	if err != nil {
		return tendo.User{}, err
	}
	return s.Store.User(ctx, id)
}

// SetPassword resets another user's password and ends their sessions.
func (s *Service) SetPassword(ctx context.Context, id int64, password string) error {
	if err := s.requireAdmin(ctx, "reset a password"); err != nil {
		return err
	}
	if err := checkPassword("password", password); err != nil {
		return err
	}
	hash, err := s.hash(ctx, password)
	if err != nil {
		return err
	}
	return s.Store.InTx(ctx, func(st tendo.Store) error {
		u, err := st.User(ctx, id)
		if err != nil {
			return err
		}
		if err := st.SetPassword(ctx, id, hash); err != nil {
			return err
		}
		n, err := st.DeleteUserSessions(ctx, id, "")
		if err != nil {
			return err
		}
		e := entry(ctx, tendo.ActionUserPassword)
		e.Detail = fmt.Sprintf("user %d (%s): reset by an administrator, %d sessions ended", u.ID, u.Email, n)
		return s.audit(ctx, st, e)
	})
}

// maxPasswordChangeFails is how many wrong current passwords a user may
// give within LoginWindow.
const maxPasswordChangeFails = 5

// ChangePassword changes the actor's own password and ends their other
// sessions. Wrong current passwords are limited like logins.
func (s *Service) ChangePassword(ctx context.Context, current, password string) error {
	me, err := user(ctx)
	if err != nil {
		return err
	}
	if len(current) > tendo.MaxPasswordLength {
		return tendo.Invalid("current", "The current password is wrong.")
	}
	if err := checkPassword("password", password); err != nil {
		return err
	}
	u, err := s.Store.User(ctx, me.ID)
	if err != nil {
		return err
	}
	now := s.now()
	limits := []tendo.LoginLimit{{Key: fmt.Sprintf("password-change:%d", u.ID), Max: maxPasswordChangeFails}}
	reservation, err := s.Store.ReserveLoginAttempt(ctx, limits, now.Add(-LoginWindow), now)
	if err != nil {
		return err
	}
	if err := s.check(ctx, u.PasswordHash, current); err != nil {
		if tendo.ErrorCode(err) == tendo.ETOOMANY {
			_ = s.Store.ReleaseLoginAttempt(context.WithoutCancel(ctx), reservation)
			return err
		}
		s.denied(ctx, 0, 0, "password change with a wrong current password")
		return tendo.Invalid("current", "The current password is wrong.")
	}
	if err := s.Store.ReleaseLoginAttempt(ctx, reservation); err != nil {
		return err
	}
	hash, err := s.hash(ctx, password)
	if err != nil {
		return err
	}
	keep := tendo.ActorFrom(ctx).SessionID
	return s.Store.InTx(ctx, func(st tendo.Store) error {
		if err := st.SetPassword(ctx, u.ID, hash); err != nil {
			return err
		}
		n, err := st.DeleteUserSessions(ctx, u.ID, keep)
		if err != nil {
			return err
		}
		e := entry(ctx, tendo.ActionUserPassword)
		e.Detail = fmt.Sprintf("user %d (%s): changed by the user, %d other sessions ended", u.ID, u.Email, n)
		return s.audit(ctx, st, e)
	})
}

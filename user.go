package tendo

import (
	"context"
	"time"
)

// Role is what a user may do.
type Role string

// Roles. A clinician works with the patients of the clinics they belong
// to. An admin manages clinics and users and may see every clinic.
const (
	RoleAdmin     Role = "admin"
	RoleClinician Role = "clinician"
	// issue 11: cds-clinic
	// RoleCDSClient is the user of a registered CDS Hooks client (an
	// EHR): it belongs to exactly one clinic, cannot log in, cannot hold
	// API tokens, sees no stored patient, and is accepted only by the CDS
	// Hooks routes. Only CDSService.CreateCDSClient creates one.
	RoleCDSClient Role = "cds-client"
	// end issue 11: cds-clinic
)

// Valid reports whether r is a role a person can be given: admin or
// clinician (issue 11: RoleCDSClient is not; it is given only with a CDS
// client).
func (r Role) Valid() bool { return r == RoleAdmin || r == RoleClinician }

// User is a person who logs in.
type User struct {
	ID    int64  `json:"id"`
	Email string `json:"email"` // unique, stored lower-case
	Name  string `json:"name"`
	Role  Role   `json:"role"`
	// PasswordHash is the argon2id hash in PHC string form; never shown.
	PasswordHash string    `json:"-"`
	CreatedAt    time.Time `json:"createdAt"`
	// DisabledAt is when an admin disabled the user, nil while enabled. A
	// disabled user cannot log in, and their sessions and tokens stop
	// working at once.
	DisabledAt *time.Time `json:"disabledAt,omitempty"`
	// ClinicIDs are the clinics the user belongs to, in increasing order.
	ClinicIDs []int64 `json:"clinicIds"`
}

// CanSee reports whether the user may see the patients of a clinic.
func (u User) CanSee(clinicID int64) bool {
	if u.Role == RoleAdmin {
		return true
	}
	// issue 11: cds-clinic: a CDS client sends the data it asks about and
	// reads none of the clinic's stored patients.
	if u.Role == RoleCDSClient {
		return false
	}
	// end issue 11: cds-clinic
	for _, id := range u.ClinicIDs {
		if id == clinicID {
			return true
		}
	}
	return false
}

// Limits on what a user types at login; longer input is refused before
// any work is done.
const (
	MaxEmailLength    = 254 // RFC 5321's path limit
	MaxPasswordLength = 1024
)

// NewUser is what CreateUser needs.
type NewUser struct {
	Email     string
	Name      string
	Role      Role // required
	ClinicIDs []int64
	// Password is the password in clear (at least passwd.MinLength
	// characters); it is hashed before it is stored.
	Password string
}

// UserUpdate changes a user; nil fields are left as they are.
type UserUpdate struct {
	Name      *string
	Role      *Role
	ClinicIDs *[]int64
	// Disabled disables (true) or enables (false) the user. Disabling
	// ends their sessions and revokes nothing but stops every token at
	// once (tokens of a disabled user do not authenticate).
	Disabled *bool
}

// UserService manages clinics and the people who log in.
//
// Who may call: an administrator (or the system) for everything but
// ChangePassword and FindClinics; ChangePassword is the logged-in user's
// own. Every change is audited.
type UserService interface {
	// CreateClinic creates a clinic. EFORBIDDEN for a non-admin, EINVALID
	// for an empty name.
	CreateClinic(ctx context.Context, name string) (Clinic, error)
	// FindClinics lists the clinics the actor may see, by name.
	// EUNAUTHORIZED without a user.
	FindClinics(ctx context.Context) ([]Clinic, error)

	// CreateUser creates a user with a hashed password. EFORBIDDEN for a
	// non-admin; EINVALID (Field names it) for a bad e-mail, name, role,
	// clinic or password; ECONFLICT for an e-mail address in use.
	CreateUser(ctx context.Context, u NewUser) (User, error)
	// FindUser returns a user. A non-admin may find only themself;
	// ENOTFOUND otherwise.
	FindUser(ctx context.Context, id int64) (User, error)
	// FindUsers lists every user. EFORBIDDEN for a non-admin.
	FindUsers(ctx context.Context) ([]User, error)
	// UpdateUser changes a user's name, role, clinics or disabled state.
	// Disabling ends the user's sessions in the same transaction.
	// EFORBIDDEN for a non-admin; ENOTFOUND; EINVALID; ECONFLICT when an
	// admin would disable themself.
	UpdateUser(ctx context.Context, id int64, upd UserUpdate) (User, error)
	// SetPassword sets another user's password (an admin resetting it) and
	// ends that user's sessions. EFORBIDDEN for a non-admin.
	SetPassword(ctx context.Context, id int64, password string) error
	// ChangePassword changes the actor's own password, checking the
	// current one, and ends every other session of theirs.
	// EUNAUTHORIZED without a user; EINVALID (Field "current" or
	// "password") for a wrong current password or a weak new one.
	ChangePassword(ctx context.Context, current, password string) error
}

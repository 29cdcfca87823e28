package tendo

import (
	"context"
	"time"
)

// Session is a logged-in browser session. ID is a hash of the cookie's
// token; the token itself is never stored.
type Session struct {
	ID        string
	UserID    int64
	CSRF      string // the token forms must echo
	CreatedAt time.Time
	// ExpiresAt is the absolute end (12 hours after login by default);
	// LastSeenAt is the last request, and a session idle longer than the
	// idle timeout (30 minutes by default) has ended too.
	ExpiresAt  time.Time
	LastSeenAt time.Time
}

// Session lifetimes, the defaults.
const (
	DefaultSessionTTL  = 12 * time.Hour
	DefaultIdleTimeout = 30 * time.Minute
)

// Credentials is what a person types to log in, with the device cookie
// of an earlier successful login from this browser ("" when none).
type Credentials struct {
	Email    string
	Password string
	Device   string
}

// Login is a successful login: the session, the cookie token that names
// it (shown once), and the device token to keep in the browser.
type Login struct {
	User    User
	Session Session
	Token   string
	Device  string
}

// AuthService logs people in and out.
//
// Who may call: anyone for Login (it is rate limited and its concurrency
// is bounded); AuthenticateSession for the web server's session middleware;
// Logout and LogoutEverywhere the logged-in user; Prune the server's
// housekeeping. Logins (succeeded, failed or refused as too many) and
// logouts are audited.
//
// Login limits failures within a window per account and per client
// address. A browser that has logged in before (its Device) is limited
// under its own key instead, so that failures by others cannot lock the
// account's owner out of a device they have used.
type AuthService interface {
	// Login checks the credentials and starts a session. EINVALID for an
	// e-mail or password longer than MaxEmailLength or MaxPasswordLength;
	// EUNAUTHORIZED for a wrong e-mail, password or a disabled user (one
	// message for all three); ETOOMANY when too many attempts failed
	// recently or too many password checks are running.
	Login(ctx context.Context, c Credentials) (Login, error)
	// AuthenticateSession returns the user and session of a cookie token and
	// records the request as the session's last activity. EUNAUTHORIZED
	// for an unknown, expired or idle session, or a disabled user.
	AuthenticateSession(ctx context.Context, token string) (User, Session, error)
	// Logout ends the actor's session.
	Logout(ctx context.Context) error
	// LogoutEverywhere ends every session of the actor. EUNAUTHORIZED
	// without a user.
	LogoutEverywhere(ctx context.Context) error
	// Prune deletes login failures older than the window and sessions
	// that have expired or been idle too long, and forgets expired
	// devices. EFORBIDDEN unless the actor is the system or an admin.
	Prune(ctx context.Context) error
}

// LoginLimit is a budget of login attempts: at most Max failures (and
// attempts still being checked) under Key within the window the caller
// counts over. Keys name what is limited: an account, a client address,
// a known device.
type LoginLimit struct {
	Key string
	Max int
}

// DefaultDeviceTTL is how long a browser that logged in stays a known
// device (its device cookie and record).
const DefaultDeviceTTL = 90 * 24 * time.Hour

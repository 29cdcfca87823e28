package tendo

import (
	"context"
	"strconv"
)

// Actor is who makes a request of a service: a user (logged in by a
// session or an API token), a patient holding a questionnaire link, or
// the system itself (the command line, the demo seed). The web server
// and the commands put it in the context with NewContext; the services
// read it with ActorFrom and decide from it what the request may do.
type Actor struct {
	// User is the acting user, nil for a link holder or the system.
	User *User
	// SessionID is the hash of the session's cookie token, when the user
	// came by a browser session.
	SessionID string
	// TokenID is the API token used, 0 when none.
	TokenID int64
	// System names a trusted caller that is not a person ("cli",
	// "demo"); it may do what an administrator may, and is audited by
	// that name.
	System string
	// Addr is the client's address (from the trusted proxy's header when
	// one is configured), UserAgent its User-Agent header; both go into
	// the audit log.
	Addr      string
	UserAgent string
}

// Name names the actor in words for the audit log: "user 3
// (a@b.example)", "system (cli)", "anonymous".
func (a Actor) Name() string {
	switch {
	case a.User != nil:
		return "user " + strconv.FormatInt(a.User.ID, 10) + " (" + a.User.Email + ")"
	case a.System != "":
		return "system (" + a.System + ")"
	}
	return "anonymous"
}

// UserID is the acting user's ID, 0 when there is none.
func (a Actor) UserID() int64 {
	if a.User == nil {
		return 0
	}
	return a.User.ID
}

// Admin reports whether the actor may do what an administrator may: an
// admin user or the system.
func (a Actor) Admin() bool {
	return a.System != "" || (a.User != nil && a.User.Role == RoleAdmin)
}

// CanSee reports whether the actor may see the patients of a clinic.
func (a Actor) CanSee(clinicID int64) bool {
	if a.System != "" {
		return true
	}
	return a.User != nil && a.User.CanSee(clinicID)
}

type actorKey struct{}

// NewContext returns ctx carrying the actor.
func NewContext(ctx context.Context, a Actor) context.Context {
	return context.WithValue(ctx, actorKey{}, a)
}

// ActorFrom returns the actor in ctx, the zero Actor (anonymous) when
// there is none.
func ActorFrom(ctx context.Context) Actor {
	a, _ := ctx.Value(actorKey{}).(Actor)
	return a
}

// SystemContext is ctx acting as the system under a name ("cli",
// "demo"), for callers that are not people.
func SystemContext(ctx context.Context, name string) context.Context {
	return NewContext(ctx, Actor{System: name})
}

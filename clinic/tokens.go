package clinic

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/tendo-health/tendo"
	"github.com/tendo-health/tendo/passwd"
)

var _ tendo.TokenService = (*Service)(nil)

// maxTokenName is the longest token name, in characters.
const maxTokenName = 100

// tokenOwner resolves the user whose tokens a call concerns (0: the
// actor): EUNAUTHORIZED without a user (the system must name one),
// EFORBIDDEN for another user's unless admin.
func (s *Service) tokenOwner(ctx context.Context, userID int64, what string) (int64, error) {
	a := tendo.ActorFrom(ctx)
	if userID == 0 {
		if a.User == nil {
			if a.System != "" {
				return 0, tendo.Invalid("user", "Name the user whose tokens to %s.", what)
			}
			return 0, tendo.Errorf(tendo.EUNAUTHORIZED, "Please log in.")
		}
		return a.User.ID, nil
	}
	if userID != a.UserID() {
		if err := s.requireAdmin(ctx, what+" another user's tokens"); err != nil {
			return 0, err
		}
	}
	return userID, nil
}

// CreateToken issues a token; see tendo.TokenService.
func (s *Service) CreateToken(ctx context.Context, userID int64, name string, ttl time.Duration) (tendo.APIToken, string, error) {
	uid, err := s.tokenOwner(ctx, userID, "create")
	if err != nil {
		return tendo.APIToken{}, "", err
	}
	name = strings.TrimSpace(name)
	if name == "" || utf8.RuneCountInString(name) > maxTokenName {
		return tendo.APIToken{}, "", tendo.Invalid("name", "Name the token (up to %d characters), e.g. the system that will use it.", maxTokenName)
	}
	if ttl == 0 {
		ttl = tendo.DefaultTokenTTL
	}
	if ttl < 0 || ttl > tendo.MaxTokenTTL {
		return tendo.APIToken{}, "", tendo.Invalid("days", "A token lasts from 1 to %d days.", int(tendo.MaxTokenTTL/(24*time.Hour)))
	}
	secret := passwd.Token()
	now := s.now()
	var t tendo.APIToken
	err = s.Store.InTx(ctx, func(st tendo.Store) error {
		u, err := st.User(ctx, uid)
		if err != nil {
			return err
		}
		// issue 11: cds-clinic
		if u.Role == tendo.RoleCDSClient {
			return tendo.Invalid("user", "A CDS client cannot hold API tokens: it signs its calls with its own keys.")
		}
		// end issue 11: cds-clinic
		t, err = st.IssueAPIToken(ctx, tendo.APIToken{UserID: uid, Name: name, CreatedAt: now, ExpiresAt: now.Add(ttl)}, passwd.TokenHash(secret))
		if err != nil {
			return err
		}
		e := entry(ctx, tendo.ActionTokenCreate)
		e.Detail = fmt.Sprintf("token %d (%s) for user %d (%s), expires %s", t.ID, t.Name, u.ID, u.Email, t.ExpiresAt.Format(time.RFC3339))
		return s.audit(ctx, st, e)
	})
	if err != nil {
		return tendo.APIToken{}, "", err
	}
	return t, secret, nil
}

// FindTokens lists a user's tokens; see tendo.TokenService.
func (s *Service) FindTokens(ctx context.Context, userID int64) ([]tendo.APIToken, error) {
	uid, err := s.tokenOwner(ctx, userID, "list")
	if err != nil {
		return nil, err
	}
	return s.Store.APITokens(ctx, uid)
}

// RevokeToken revokes a token; see tendo.TokenService.
func (s *Service) RevokeToken(ctx context.Context, id int64) error {
	a := tendo.ActorFrom(ctx)
	if a.User == nil && a.System == "" {
		return tendo.Errorf(tendo.EUNAUTHORIZED, "Please log in.")
	}
	notFound := tendo.Errorf(tendo.ENOTFOUND, "No such token.")
	err := s.Store.InTx(ctx, func(st tendo.Store) error {
		t, err := st.APITokenByID(ctx, id)
		if tendo.ErrorCode(err) == tendo.ENOTFOUND {
			return notFound
		}
		if err != nil {
			return err
		}
		if t.UserID != a.UserID() && !a.Admin() {
			return notFound
		}
		if err := st.RevokeAPIToken(ctx, id, s.now()); err != nil {
			return err
		}
		e := entry(ctx, tendo.ActionTokenRevoke)
		e.Detail = fmt.Sprintf("token %d (%s) of user %d", t.ID, t.Name, t.UserID)
		return s.audit(ctx, st, e)
	})
	if err == notFound {
		// An unknown token, or another user's: a refused request.
		s.denied(ctx, 0, 0, fmt.Sprintf("revoke token %d", id))
	}
	return err
}

// AuthenticateToken returns the user and token of a secret; see
// tendo.TokenService.
func (s *Service) AuthenticateToken(ctx context.Context, secret string) (tendo.User, tendo.APIToken, error) {
	invalid := tendo.Errorf(tendo.EUNAUTHORIZED, "The API token is not valid.")
	if secret == "" || len(secret) > maxTokenLength {
		return tendo.User{}, tendo.APIToken{}, invalid
	}
	now := s.now()
	t, u, err := s.Store.APITokenByHash(ctx, passwd.TokenHash(secret), now)
	switch {
	case tendo.ErrorCode(err) == tendo.ENOTFOUND:
		return tendo.User{}, tendo.APIToken{}, invalid
	case err != nil:
		return tendo.User{}, tendo.APIToken{}, err
	case t.RevokedAt != nil:
		return tendo.User{}, tendo.APIToken{}, tendo.Errorf(tendo.EUNAUTHORIZED, "The API token has been revoked.")
	case !now.Before(t.ExpiresAt):
		return tendo.User{}, tendo.APIToken{}, tendo.Errorf(tendo.EUNAUTHORIZED, "The API token has expired.")
	case u.DisabledAt != nil:
		return tendo.User{}, tendo.APIToken{}, invalid
	case u.Role == tendo.RoleCDSClient: // issue 11: cds-clinic: a CDS client holds no token
		return tendo.User{}, tendo.APIToken{}, invalid
	}
	return u, t, nil
}

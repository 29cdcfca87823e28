package tendo

import (
	"context"
	"time"
)

// APIToken authorises JSON API calls as a user. Only a hash is stored.
type APIToken struct {
	ID         int64      `json:"id"`
	UserID     int64      `json:"userId"`
	Name       string     `json:"name"`
	CreatedAt  time.Time  `json:"createdAt"`
	ExpiresAt  time.Time  `json:"expiresAt"`
	LastUsedAt *time.Time `json:"lastUsedAt,omitempty"`
	RevokedAt  *time.Time `json:"revokedAt,omitempty"`
}

// Token lifetimes: the default and the longest allowed.
const (
	DefaultTokenTTL = 90 * 24 * time.Hour
	MaxTokenTTL     = 366 * 24 * time.Hour
)

// TokenService issues and revokes API tokens.
//
// Who may call: a logged-in user for their own tokens; an admin (or the
// system) for anyone's. Creation and revocation are audited.
type TokenService interface {
	// CreateToken issues a token for the user (0: the actor) valid for ttl
	// (0: DefaultTokenTTL) and returns it with its secret, shown once.
	// EUNAUTHORIZED without a user; EFORBIDDEN for another user's token
	// unless admin; EINVALID (Field "name" or "days").
	CreateToken(ctx context.Context, userID int64, name string, ttl time.Duration) (APIToken, string, error)
	// FindTokens lists a user's tokens (0: the actor's), newest first,
	// revoked and expired ones included. EFORBIDDEN for another user's
	// unless admin.
	FindTokens(ctx context.Context, userID int64) ([]APIToken, error)
	// RevokeToken revokes a token at once. ENOTFOUND for an unknown token
	// or another user's unless admin.
	RevokeToken(ctx context.Context, id int64) error
	// AuthenticateToken returns the user and token of a secret, recording its
	// use. EUNAUTHORIZED for an unknown, expired or revoked token, or a
	// disabled user.
	AuthenticateToken(ctx context.Context, secret string) (User, APIToken, error)
}

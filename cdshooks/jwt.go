package cdshooks

import (
	"container/list"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"sync"
	"time"

	jose "github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"
)

// Algorithms are the only JWT signature algorithms accepted: the two the
// CDS Hooks 2.0 specification recommends. none and every symmetric (HS*)
// algorithm are refused, as the spec requires, and so is every other
// asymmetric one.
var Algorithms = []jose.SignatureAlgorithm{jose.ES384, jose.RS384}

// Limits of the verifier.
const (
	MaxTokenBytes = 8 << 10  // bytes of one JWT
	MaxJWKSBytes  = 64 << 10 // bytes of a JWK Set fetched from a jku
	jwksCacheSize = 64       // JWK Sets kept, by URL
	jwksCacheTTL  = 10 * time.Minute
)

// Claims are the JWT claims CDS Hooks defines.
type Claims struct {
	jwt.Claims
	Tenant string `json:"tenant,omitempty"`
}

// Verifier checks a CDS Client's JWT:
//
//   - the signature algorithm is ES384 or RS384 (Algorithms), the header
//     names its key (kid) and typ, when present, is JWT;
//   - iss is on the allow-list (the Clients port);
//   - the key is the one kid names in the client's configured JWK Set, or,
//     for a client without one, in the JWK Set at the header's jku when
//     that URL is one the client allows (fetched with a timeout and
//     MaxJWKSBytes, kept 10 minutes);
//   - aud holds one of the URLs the caller expects (the service's URL);
//   - exp is present and not passed, iat is present and not in the future,
//     nbf when present is passed, each with Leeway (30 s by default) on the
//     injected Clock; exp is at most MaxTokenLifetime (1 h) away;
//   - jti is present and not seen before from the same iss while its
//     token lives (a cache of at most ReplayCacheSize entries, each
//     dropped at its exp; when full of live entries, tokens are refused).
//
// A Verifier is safe for concurrent use. Errors are *Error with status
// 401.
type Verifier struct {
	Clients          func(ctx context.Context, iss string) (*Client, error)
	Clock            func() time.Time
	HTTPClient       *http.Client
	Leeway           time.Duration
	MaxTokenLifetime time.Duration
	ReplayCacheSize  int

	once   sync.Once
	replay *replayCache
	jwks   *jwksCache
}

func (v *Verifier) init() {
	v.once.Do(func() {
		if v.Clock == nil {
			v.Clock = time.Now
		}
		if v.Leeway <= 0 {
			v.Leeway = 30 * time.Second
		}
		if v.MaxTokenLifetime <= 0 {
			v.MaxTokenLifetime = time.Hour
		}
		if v.ReplayCacheSize <= 0 {
			v.ReplayCacheSize = 100_000
		}
		if v.HTTPClient == nil {
			v.HTTPClient = noRedirects(nil, 5*time.Second)
		}
		v.replay = &replayCache{max: v.ReplayCacheSize, seen: map[string]time.Time{}}
		v.jwks = &jwksCache{entries: map[string]*list.Element{}, order: list.New()}
	})
}

func unauthorized(field, format string, args ...any) *Error {
	return &Error{Status: http.StatusUnauthorized, Field: field, Msg: fmt.Sprintf(format, args...)}
}

// Verify checks token for a call whose URL is one of auds and returns the
// client and the verified claims.
func (v *Verifier) Verify(ctx context.Context, token string, auds ...string) (*Client, *Claims, error) {
	v.init()
	if len(token) > MaxTokenBytes {
		return nil, nil, unauthorized("Authorization", "JWT over %d bytes", MaxTokenBytes)
	}
	tok, err := jwt.ParseSigned(token, Algorithms)
	if err != nil {
		return nil, nil, unauthorized("Authorization", "not a JWT signed with ES384 or RS384: %v", err)
	}
	if len(tok.Headers) != 1 {
		return nil, nil, unauthorized("Authorization", "want one signature")
	}
	hdr := tok.Headers[0]
	if hdr.KeyID == "" {
		return nil, nil, unauthorized("kid", "missing from the JWT header")
	}
	if typ, ok := hdr.ExtraHeaders[jose.HeaderType]; ok && typ != "JWT" {
		return nil, nil, unauthorized("typ", "want JWT, got %v", typ)
	}
	var unsafe Claims
	if err := tok.UnsafeClaimsWithoutVerification(&unsafe); err != nil {
		return nil, nil, unauthorized("Authorization", "claims: %v", err)
	}
	if unsafe.Issuer == "" {
		return nil, nil, unauthorized("iss", "missing")
	}
	client, err := v.Clients(ctx, unsafe.Issuer)
	if errors.Is(err, ErrUnknownClient) || (err == nil && client == nil) {
		return nil, nil, unauthorized("iss", "issuer %q is not an allowed CDS client", unsafe.Issuer)
	}
	if err != nil {
		return nil, nil, fmt.Errorf("cdshooks: client %q: %w", unsafe.Issuer, err)
	}
	keys, err := v.keySet(ctx, client, hdr)
	if err != nil {
		return nil, nil, err
	}
	found := keys.Key(hdr.KeyID)
	if len(found) == 0 {
		return nil, nil, unauthorized("kid", "no key %q in the client's key set", hdr.KeyID)
	}
	var claims Claims
	var verr error
	for _, k := range found {
		if _, sym := k.Key.([]byte); sym || !k.Valid() {
			verr = errors.New("not an asymmetric key")
			continue
		}
		if k.Algorithm != "" && k.Algorithm != hdr.Algorithm {
			verr = fmt.Errorf("key is for %s, token uses %s", k.Algorithm, hdr.Algorithm)
			continue
		}
		if verr = tok.Claims(k.Public().Key, &claims); verr == nil {
			break
		}
	}
	if verr != nil {
		return nil, nil, unauthorized("Authorization", "signature: %v", verr)
	}
	now := v.Clock()
	switch {
	case claims.Expiry == nil:
		return nil, nil, unauthorized("exp", "missing")
	case claims.IssuedAt == nil:
		return nil, nil, unauthorized("iat", "missing")
	case claims.ID == "":
		return nil, nil, unauthorized("jti", "missing")
	case len(claims.ID) > 256:
		return nil, nil, unauthorized("jti", "over 256 characters")
	}
	err = claims.ValidateWithLeeway(jwt.Expected{Issuer: unsafe.Issuer, AnyAudience: jwt.Audience(auds), Time: now}, v.Leeway)
	switch {
	case errors.Is(err, jwt.ErrExpired):
		return nil, nil, unauthorized("exp", "token expired at %s", claims.Expiry.Time().UTC().Format(time.RFC3339))
	case errors.Is(err, jwt.ErrInvalidAudience):
		return nil, nil, unauthorized("aud", "want %q, got %q", auds[0], []string(claims.Audience))
	case errors.Is(err, jwt.ErrNotValidYet):
		return nil, nil, unauthorized("nbf", "token not valid yet")
	case errors.Is(err, jwt.ErrIssuedInTheFuture):
		return nil, nil, unauthorized("iat", "issued in the future")
	case err != nil:
		return nil, nil, unauthorized("Authorization", "%v", err)
	}
	exp := claims.Expiry.Time()
	if exp.Sub(now) > v.MaxTokenLifetime {
		return nil, nil, unauthorized("exp", "more than %s ahead", v.MaxTokenLifetime)
	}
	if err := v.replay.add(unsafe.Issuer+"\x00"+claims.ID, exp.Add(v.Leeway), now); err != nil {
		return nil, nil, err
	}
	return client, &claims, nil
}

// keySet returns the keys to check hdr against: the client's configured
// JWK Set when it has one (a jku header is then not followed), else the
// set at the header's jku when the client allows that URL.
func (v *Verifier) keySet(ctx context.Context, c *Client, hdr jose.Header) (*jose.JSONWebKeySet, error) {
	if c.JWKS != nil {
		return parseJWKS(c.JWKS)
	}
	jku, ok := hdr.ExtraHeaders["jku"]
	if !ok {
		return nil, unauthorized("jku", "missing, and the client has no configured key set")
	}
	u, _ := jku.(string)
	if !slices.Contains(c.JKU, u) {
		return nil, unauthorized("jku", "%q is not an allowed key set URL for this client", u)
	}
	return v.jwks.get(ctx, v.HTTPClient, u, v.Clock())
}

func parseJWKS(b []byte) (*jose.JSONWebKeySet, error) {
	var ks jose.JSONWebKeySet
	if err := json.Unmarshal(b, &ks); err != nil {
		return nil, fmt.Errorf("cdshooks: JWK Set: %w", err)
	}
	return &ks, nil
}

// replayCache remembers (iss, jti) pairs until their token expires.
type replayCache struct {
	mu   sync.Mutex
	max  int
	seen map[string]time.Time
}

func (c *replayCache) add(key string, until, now time.Time) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if t, ok := c.seen[key]; ok && now.Before(t) {
		return unauthorized("jti", "already used (a replayed token)")
	}
	if len(c.seen) >= c.max {
		for k, t := range c.seen {
			if !now.Before(t) {
				delete(c.seen, k)
			}
		}
		if len(c.seen) >= c.max {
			return &Error{Status: http.StatusServiceUnavailable, Msg: "too many live tokens; try again later"}
		}
	}
	c.seen[key] = until
	return nil
}

// jwksCache keeps fetched JWK Sets by URL, least recently used out.
type jwksCache struct {
	mu      sync.Mutex
	entries map[string]*list.Element
	order   *list.List
}

type jwksEntry struct {
	url     string
	keys    *jose.JSONWebKeySet
	fetched time.Time
}

func (c *jwksCache) get(ctx context.Context, hc *http.Client, u string, now time.Time) (*jose.JSONWebKeySet, error) {
	c.mu.Lock()
	if e, ok := c.entries[u]; ok {
		ent := e.Value.(*jwksEntry)
		if now.Sub(ent.fetched) < jwksCacheTTL && !now.Before(ent.fetched) {
			c.order.MoveToFront(e)
			c.mu.Unlock()
			return ent.keys, nil
		}
		c.order.Remove(e)
		delete(c.entries, u)
	}
	c.mu.Unlock()
	ks, err := fetchJWKS(ctx, hc, u)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.entries[u]; ok {
		c.order.Remove(e)
	}
	c.entries[u] = c.order.PushFront(&jwksEntry{url: u, keys: ks, fetched: now})
	for c.order.Len() > jwksCacheSize {
		last := c.order.Back()
		c.order.Remove(last)
		delete(c.entries, last.Value.(*jwksEntry).url)
	}
	return ks, nil
}

func fetchJWKS(ctx context.Context, hc *http.Client, u string) (*jose.JSONWebKeySet, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, unauthorized("jku", "bad URL: %v", err)
	}
	req.Header.Set("Accept", "application/json")
	resp, err := hc.Do(req)
	if err != nil {
		return nil, unauthorized("jku", "fetching the key set: %v", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, unauthorized("jku", "fetching the key set: status %d", resp.StatusCode)
	}
	b, err := io.ReadAll(io.LimitReader(resp.Body, MaxJWKSBytes+1))
	if err != nil {
		return nil, unauthorized("jku", "reading the key set: %v", err)
	}
	if len(b) > MaxJWKSBytes {
		return nil, unauthorized("jku", "key set over %d bytes", MaxJWKSBytes)
	}
	ks, err := parseJWKS(b)
	if err != nil {
		return nil, unauthorized("jku", "%v", err)
	}
	return ks, nil
}

package cdshooks_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"errors"
	"net/http"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	jose "github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"

	"github.com/tendo-health/tendo/cdshooks"
	"github.com/tendo-health/tendo/internal/shared"
)

// specJWT is the signed example JWT of the CDS Hooks 2.0.1 specification
// (spec-index.md, "Trusting CDS Clients", Example): header
// 22-jwt-header.json, payload 23-jwt-payload.json, signed with the key
// whose public half is 24-jwks.json.
const specJWT = "eyJhbGciOiJFUzM4NCIsInR5cCI6IkpXVCIsImtpZCI6ImV4YW1wbGUta2lkIiwiamt1IjoiaHR0cHM6Ly9maGlyLWVoci5leGFtcGxlLmNvbS9qd2tfdXJpIn0" +
	".eyJpc3MiOiJodHRwczovL2ZoaXItZWhyLmV4YW1wbGUuY29tLyIsImF1ZCI6Imh0dHBzOi8vY2RzLmV4YW1wbGUub3JnL2Nkcy1zZXJ2aWNlcy9zb21lLXNlcnZpY2UiLCJleHAiOjE0MjI1Njg4NjAsImlhdCI6MTMxMTI4MDk3MCwianRpIjoiZWUyMmIwMjEtZTFiNy00NjExLWJhNWItOGVlYzZhMzNhYzFlIiwidGVuYW50IjoiMmRkZDZjM2EtOGU5YS00NGM2LWEzMDUtNTIxMTFhZDMwMmEyIn0" +
	".d1WfLjGRKlcWB94l9do4cM8REXeYJLL6SGUBO8VHZhfM8mwKYP70EMxJ67War4TQblEpaQrp11wx5p7oPFm2ETYgCicS84vXWEIYTdjooZdooCSDf2L8-i4awdoUwiEb"

const (
	specISS = "https://fhir-ehr.example.com/"
	specAUD = "https://cds.example.org/cds-services/some-service"
	specJKU = "https://fhir-ehr.example.com/jwk_uri"
	specIAT = 1311280970
	specEXP = 1422568860
)

// inSpecValidity is a time between the example's iat and exp, within the
// verifier's default maximum token lifetime (1 h) of exp.
var inSpecValidity = time.Unix(specEXP-600, 0)

func specJWKS(tb testing.TB) []byte {
	tb.Helper()
	b, err := os.ReadFile(shared.Path(tb, "data", "fhir", "cds-hooks", "examples", "24-jwks.json"))
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

func b64(s string) string { return base64.RawURLEncoding.EncodeToString([]byte(s)) }

// unsigned builds an alg "none" token with the spec's payload.
func unsigned() string {
	parts := strings.Split(specJWT, ".")
	return b64(`{"alg":"none","typ":"JWT","kid":"example-kid"}`) + "." + parts[1] + "."
}

// tampered is the spec's token with its jti changed and its signature
// kept.
func tampered() string {
	parts := strings.Split(specJWT, ".")
	p, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		panic(err)
	}
	p = []byte(strings.Replace(string(p), "ee22b021", "ee22b022", 1))
	return parts[0] + "." + base64.RawURLEncoding.EncodeToString(p) + "." + parts[2]
}

// TestVerifySpecLifetime checks that with a maximum token lifetime
// raised above the example's 3.5 years, the spec's example JWT verifies
// just after its iat too.
func TestVerifySpecLifetime(t *testing.T) {
	t.Parallel()
	v := &cdshooks.Verifier{
		Clients: func(context.Context, string) (*cdshooks.Client, error) {
			return &cdshooks.Client{JWKS: specJWKS(t)}, nil
		},
		Clock:            func() time.Time { return time.Unix(specIAT+1, 0) },
		MaxTokenLifetime: 4 * 365 * 24 * time.Hour,
	}
	_, c, err := v.Verify(context.Background(), specJWT, specAUD)
	if err != nil {
		t.Fatal(err)
	}
	if c.Tenant != "2ddd6c3a-8e9a-44c6-a305-52111ad302a2" || c.ID != "ee22b021-e1b7-4611-ba5b-8eec6a33ac1e" {
		t.Errorf("claims %+v", c)
	}
}

func TestVerify(t *testing.T) {
	t.Parallel()
	rsaKey, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	p256, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	hmacKey := []byte("a shared secret of thirty-two bytes!")
	claims := func(mod func(map[string]any)) map[string]any {
		c := map[string]any{"iss": testISS, "aud": testBase + "/tendo-heel-pain", "iat": now.Unix(), "exp": now.Add(5 * time.Minute).Unix(), "jti": "fixed-jti"}
		if mod != nil {
			mod(c)
		}
		return c
	}
	jwksWith := func(keys ...jose.JSONWebKey) []byte {
		b, err := jose.JSONWebKeySet{Keys: keys}.Keys[0].MarshalJSON()
		if err != nil {
			t.Fatal(err)
		}
		out := `{"keys":[` + string(b)
		for _, k := range keys[1:] {
			kb, err := k.MarshalJSON()
			if err != nil {
				t.Fatal(err)
			}
			out += "," + string(kb)
		}
		return []byte(out + "]}")
	}
	specClient := &cdshooks.Client{Principal: "ehr", JWKS: specJWKS(t)}
	testClient := &cdshooks.Client{Principal: "test", JWKS: publicJWKS(t)}
	rsaClient := &cdshooks.Client{Principal: "rsa", JWKS: jwksWith(jose.JSONWebKey{Key: &rsaKey.PublicKey, KeyID: testKID, Algorithm: "RS384"})}
	p256Client := &cdshooks.Client{Principal: "p256", JWKS: jwksWith(jose.JSONWebKey{Key: &p256.PublicKey, KeyID: testKID})}
	hmacClient := &cdshooks.Client{Principal: "hmac", JWKS: jwksWith(jose.JSONWebKey{Key: hmacKey, KeyID: testKID})}
	jkuClient := &cdshooks.Client{Principal: "jku", JKU: []string{specJKU}}
	otherJKUClient := &cdshooks.Client{Principal: "jku2", JKU: []string{"https://other.example/jwks"}}

	tests := []struct {
		name   string
		client *cdshooks.Client // returned for any iss; nil: unknown
		token  string
		aud    string
		clock  time.Time
		field  string // "" = verifies
	}{
		{"spec example inside its validity", specClient, specJWT, specAUD, inSpecValidity, ""},
		{"spec example just after iat", specClient, specJWT, specAUD, time.Unix(specIAT+1, 0), "exp"}, // exp 3.5 years ahead: over the 1 h lifetime
		{"spec example at the real time (expired)", specClient, specJWT, specAUD, time.Now(), "exp"},
		{"spec example with a wrong aud", specClient, specJWT, "https://cds.example.org/cds-services/other-service", inSpecValidity, "aud"},
		{"spec example from an unknown iss", nil, specJWT, specAUD, inSpecValidity, "iss"},
		{"spec example through its allowed jku", jkuClient, specJWT, specAUD, inSpecValidity, ""},
		{"spec example through a jku not allowed", otherJKUClient, specJWT, specAUD, inSpecValidity, "jku"},
		{"spec example with another key set", testClient, specJWT, specAUD, inSpecValidity, "kid"},
		{"alg none", specClient, unsigned(), specAUD, inSpecValidity, "Authorization"},
		{"HS256 with the key in the set", hmacClient, signClaims(t, jose.HS256, hmacKey, claims(nil)), testBase + "/tendo-heel-pain", now, "Authorization"},
		{"ES256 (asymmetric, not allowed)", p256Client, signClaims(t, jose.ES256, p256, claims(nil)), testBase + "/tendo-heel-pain", now, "Authorization"},
		{"RS384", rsaClient, signClaims(t, jose.RS384, rsaKey, claims(nil)), testBase + "/tendo-heel-pain", now, ""},
		{"ES384", testClient, signClaims(t, jose.ES384, signingKey(t), claims(nil)), testBase + "/tendo-heel-pain", now, ""},
		{"aud as an array", testClient, signClaims(t, jose.ES384, signingKey(t), claims(func(c map[string]any) { c["aud"] = []string{"x", testBase + "/tendo-heel-pain"} })), testBase + "/tendo-heel-pain", now, ""},
		{"signed by another key", testClient, signClaims(t, jose.ES384, mustP384(t), claims(nil)), testBase + "/tendo-heel-pain", now, "Authorization"},
		{"no exp", testClient, signClaims(t, jose.ES384, signingKey(t), claims(func(c map[string]any) { delete(c, "exp") })), testBase + "/tendo-heel-pain", now, "exp"},
		{"no iat", testClient, signClaims(t, jose.ES384, signingKey(t), claims(func(c map[string]any) { delete(c, "iat") })), testBase + "/tendo-heel-pain", now, "iat"},
		{"no jti", testClient, signClaims(t, jose.ES384, signingKey(t), claims(func(c map[string]any) { delete(c, "jti") })), testBase + "/tendo-heel-pain", now, "jti"},
		{"iat in the future", testClient, signClaims(t, jose.ES384, signingKey(t), claims(func(c map[string]any) { c["iat"] = now.Add(5 * time.Minute).Unix() })), testBase + "/tendo-heel-pain", now, "iat"},
		{"nbf in the future", testClient, signClaims(t, jose.ES384, signingKey(t), claims(func(c map[string]any) { c["nbf"] = now.Add(5 * time.Minute).Unix() })), testBase + "/tendo-heel-pain", now, "nbf"},
		{"expired within the leeway", testClient, signClaims(t, jose.ES384, signingKey(t), claims(func(c map[string]any) { c["exp"] = now.Add(-10 * time.Second).Unix() })), testBase + "/tendo-heel-pain", now, ""},
		{"expired beyond the leeway", testClient, signClaims(t, jose.ES384, signingKey(t), claims(func(c map[string]any) { c["exp"] = now.Add(-time.Minute).Unix() })), testBase + "/tendo-heel-pain", now, "exp"},
		{"not a JWT", testClient, "abc.def", testBase, now, "Authorization"},
		{"spec example with another jti (payload changed, signature kept)", specClient, tampered(), specAUD, inSpecValidity, "Authorization"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var fetches atomic.Int32
			v := &cdshooks.Verifier{
				Clients: func(_ context.Context, iss string) (*cdshooks.Client, error) {
					if tt.client == nil {
						return nil, cdshooks.ErrUnknownClient
					}
					return tt.client, nil
				},
				Clock: func() time.Time { return tt.clock },
				HTTPClient: &http.Client{Transport: routeTo{http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					fetches.Add(1)
					if r.URL.String() != specJKU {
						http.NotFound(w, r)
						return
					}
					w.Write(specJWKS(t))
				})}},
			}
			c, claims, err := v.Verify(context.Background(), tt.token, tt.aud)
			if tt.field == "" {
				if err != nil {
					t.Fatalf("Verify: %v", err)
				}
				if c != tt.client || claims.ID == "" {
					t.Errorf("client %v, claims %+v", c, claims)
				}
				if tt.client == jkuClient && fetches.Load() != 1 {
					t.Errorf("%d jku fetches, want 1", fetches.Load())
				}
				return
			}
			var e *cdshooks.Error
			if !errors.As(err, &e) {
				t.Fatalf("Verify: %v, want an *Error on %s", err, tt.field)
			}
			if e.Status != http.StatusUnauthorized || e.Field != tt.field {
				t.Errorf("Verify: %d %s: %v, want 401 on %s", e.Status, e.Field, err, tt.field)
			}
			t.Logf("refused: %v", err)
			if tt.client != jkuClient && fetches.Load() != 0 {
				t.Errorf("%d jku fetches, want none", fetches.Load())
			}
		})
	}
}

func mustP384(tb testing.TB) *ecdsa.PrivateKey {
	k, err := ecdsa.GenerateKey(elliptic.P384(), rand.Reader)
	if err != nil {
		tb.Fatal(err)
	}
	return k
}

// TestVerifyReplay checks that the spec's example JWT verifies once and is
// refused when replayed, also from another goroutine's view of the same
// verifier, and that a full replay cache refuses new tokens rather than
// forgetting live ones.
func TestVerifyReplay(t *testing.T) {
	t.Parallel()
	clock := inSpecValidity
	v := &cdshooks.Verifier{
		Clients: func(context.Context, string) (*cdshooks.Client, error) {
			return &cdshooks.Client{JWKS: specJWKS(t)}, nil
		},
		Clock:           func() time.Time { return clock },
		ReplayCacheSize: 2,
	}
	if _, _, err := v.Verify(context.Background(), specJWT, specAUD); err != nil {
		t.Fatalf("first use: %v", err)
	}
	_, _, err := v.Verify(context.Background(), specJWT, specAUD)
	var e *cdshooks.Error
	if !errors.As(err, &e) || e.Field != "jti" || e.Status != http.StatusUnauthorized {
		t.Fatalf("replay: %v, want 401 on jti", err)
	}

	// The test client's tokens: with the spec's jti taking one of the two
	// places, one more fits and the next is refused (503), until the
	// first ones expire.
	v2 := &cdshooks.Verifier{
		Clients: func(context.Context, string) (*cdshooks.Client, error) {
			return &cdshooks.Client{JWKS: publicJWKS(t)}, nil
		},
		Clock:           func() time.Time { return clock },
		ReplayCacheSize: 2,
	}
	clock = now
	for i, want := range []int{0, 0, http.StatusServiceUnavailable} {
		_, _, err := v2.Verify(context.Background(), token(t, testBase), testBase)
		if want == 0 && err != nil {
			t.Fatalf("token %d: %v", i, err)
		}
		if want != 0 && cdshooks.StatusOf(err) != want {
			t.Fatalf("token %d: %v, want status %d", i, err, want)
		}
	}
	clock = now.Add(6 * time.Minute) // the tokens (5 min + 30 s leeway) have expired
	if _, _, err := v2.Verify(context.Background(), signClaims(t, jose.ES384, signingKey(t), map[string]any{
		"iss": testISS, "aud": testBase, "iat": clock.Unix(), "exp": clock.Add(time.Minute).Unix(), "jti": "later",
	}), testBase); err != nil {
		t.Fatalf("after expiry: %v", err)
	}
}

// TestJKUCache checks that a client's jku key set is fetched once and
// reused for 10 minutes, then fetched again.
func TestJKUCache(t *testing.T) {
	t.Parallel()
	var fetches atomic.Int32
	clock := now
	v := &cdshooks.Verifier{
		Clients: func(context.Context, string) (*cdshooks.Client, error) {
			return &cdshooks.Client{JKU: []string{"https://ehr.example.org/jwks"}}, nil
		},
		Clock: func() time.Time { return clock },
		HTTPClient: &http.Client{Transport: routeTo{http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			fetches.Add(1)
			w.Write(publicJWKS(t))
		})}},
	}
	sign := func() string {
		s, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.ES384, Key: signingKey(t)},
			(&jose.SignerOptions{}).WithType("JWT").WithHeader("kid", testKID).WithHeader("jku", "https://ehr.example.org/jwks"))
		if err != nil {
			t.Fatal(err)
		}
		tok, err := jwt.Signed(s).Claims(map[string]any{"iss": testISS, "aud": testBase, "iat": clock.Unix(), "exp": clock.Add(time.Minute).Unix(), "jti": nextJTI()}).Serialize()
		if err != nil {
			t.Fatal(err)
		}
		return tok
	}
	for i, step := range []struct {
		advance time.Duration
		fetches int32
	}{{0, 1}, {time.Minute, 1}, {11 * time.Minute, 2}} {
		clock = clock.Add(step.advance)
		if _, _, err := v.Verify(context.Background(), sign(), testBase); err != nil {
			t.Fatalf("call %d: %v", i, err)
		}
		if got := fetches.Load(); got != step.fetches {
			t.Errorf("call %d: %d fetches, want %d", i, got, step.fetches)
		}
	}
}

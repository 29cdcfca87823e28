package smart

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
)

// verifierBytes is the randomness of a code verifier: 64 bytes (512
// bits), written as 86 base64url characters, within RFC 7636's 43–128.
const verifierBytes = 64

// NewVerifier returns a new PKCE code verifier (RFC 7636 section 4.1): 86
// characters of the unreserved set, from 64 bytes of crypto/rand.
func NewVerifier() string {
	// crypto/rand.Read never returns an error (Go 1.24 and later); it
	// crashes the program rather than return predictable bytes.
	b := make([]byte, verifierBytes)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// Challenge is the S256 code challenge of a verifier:
// BASE64URL(SHA256(ASCII(verifier))) without padding (RFC 7636 section
// 4.2). tendo never uses the "plain" method.
func Challenge(verifier string) string {
	sum := sha256.Sum256([]byte(verifier))
	return base64.RawURLEncoding.EncodeToString(sum[:])
}

// ValidVerifier reports whether v is a code verifier RFC 7636 allows:
// 43 to 128 characters of A–Z a–z 0–9 - . _ ~.
func ValidVerifier(v string) bool {
	if len(v) < 43 || len(v) > 128 {
		return false
	}
	for i := 0; i < len(v); i++ {
		c := v[i]
		switch {
		case 'A' <= c && c <= 'Z', 'a' <= c && c <= 'z', '0' <= c && c <= '9', c == '-', c == '.', c == '_', c == '~':
		default:
			return false
		}
	}
	return true
}

// Package passwd hashes and checks passwords with argon2id, and makes the
// random tokens tendo uses for sessions, API tokens and questionnaire links
// (stored only as SHA-256 hashes).
//
// It imports golang.org/x/crypto/argon2 and the standard library.
package passwd

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"golang.org/x/crypto/argon2"
)

// Parameters of new hashes: the RFC 9106 second recommended option
// (t=3, m=64 MiB, p=4 lanes), 16-byte salt, 32-byte key.
const (
	Time    = 3
	Memory  = 64 * 1024 // KiB
	Threads = 4
	KeyLen  = 32
	SaltLen = 16
)

// MinLength is the shortest password accepted.
const MinLength = 10

// ErrMismatch is returned by Check for a wrong password.
var ErrMismatch = errors.New("passwd: wrong password")

// Hash returns the argon2id hash of password in PHC string form:
// $argon2id$v=19$m=65536,t=3,p=4$<salt>$<key> (base64, no padding).
func Hash(password string) (string, error) {
	salt := make([]byte, SaltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("passwd: salt: %w", err)
	}
	key := argon2.IDKey([]byte(password), salt, Time, Memory, Threads, KeyLen)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, Memory, Time, Threads, b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

// Check reports whether password matches the PHC-form hash: nil for a
// match, ErrMismatch for a wrong password, another error for a malformed
// hash. The comparison takes constant time.
func Check(hash, password string) error {
	parts := strings.Split(hash, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return errors.New("passwd: not an argon2id hash")
	}
	if parts[2] != fmt.Sprintf("v=%d", argon2.Version) {
		return errors.New("passwd: unsupported argon2 version")
	}
	var m, t uint32
	var p uint8
	for _, kv := range strings.Split(parts[3], ",") {
		k, v, ok := strings.Cut(kv, "=")
		if !ok {
			return errors.New("passwd: malformed parameters")
		}
		n, err := strconv.ParseUint(v, 10, 32)
		if err != nil {
			return errors.New("passwd: malformed parameters")
		}
		switch k {
		case "m":
			m = uint32(n)
		case "t":
			t = uint32(n)
		case "p":
			if n > 255 {
				return errors.New("passwd: malformed parameters")
			}
			p = uint8(n)
		}
	}
	if m == 0 || t == 0 || p == 0 || m > 1<<22 || t > 100 {
		return errors.New("passwd: unreasonable parameters")
	}
	b64 := base64.RawStdEncoding
	salt, err := b64.DecodeString(parts[4])
	if err != nil {
		return errors.New("passwd: malformed salt")
	}
	want, err := b64.DecodeString(parts[5])
	if err != nil || len(want) == 0 || len(want) > 128 {
		return errors.New("passwd: malformed key")
	}
	got := argon2.IDKey([]byte(password), salt, t, m, p, uint32(len(want)))
	if subtle.ConstantTimeCompare(got, want) != 1 {
		return ErrMismatch
	}
	return nil
}

// Token returns a random 32-byte token, base64url-encoded (43 characters).
func Token() string {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		panic("passwd: crypto/rand failed: " + err.Error()) // cannot happen on supported systems
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

// TokenHash is the SHA-256 of a token, hex-encoded: what the store keeps.
func TokenHash(token string) string {
	h := sha256.Sum256([]byte(token))
	return hex.EncodeToString(h[:])
}

// Generate returns a random password of 20 characters from an
// unambiguous alphabet, for printed one-time passwords.
func Generate() string {
	const alphabet = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
	b := make([]byte, 20)
	if _, err := rand.Read(b); err != nil {
		panic("passwd: crypto/rand failed: " + err.Error())
	}
	for i := range b {
		b[i] = alphabet[int(b[i])%len(alphabet)]
	}
	return string(b)
}

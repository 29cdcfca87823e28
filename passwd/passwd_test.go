package passwd_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/tendo-health/tendo/passwd"
)

func TestHashAndCheck(t *testing.T) {
	t.Parallel()
	h, err := passwd.Hash("correct horse battery")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=65536,t=3,p=4$") {
		t.Fatalf("hash %q is not in PHC form", h)
	}
	if err := passwd.Check(h, "correct horse battery"); err != nil {
		t.Fatalf("right password: %v", err)
	}
	if err := passwd.Check(h, "correct horse batterY"); !errors.Is(err, passwd.ErrMismatch) {
		t.Fatalf("wrong password: %v", err)
	}
	h2, _ := passwd.Hash("correct horse battery")
	if h == h2 {
		t.Fatal("two hashes of one password are equal: no salt?")
	}
	tests := []struct{ name, hash string }{
		{"empty", ""},
		{"bcrypt", "$2a$10$abcdefghijklmnopqrstuu"},
		{"bad version", "$argon2id$v=18$m=65536,t=3,p=4$c2FsdHNhbHQ$a2V5"},
		{"huge memory", "$argon2id$v=19$m=99999999,t=3,p=4$c2FsdHNhbHQ$a2V5"},
		{"bad base64", "$argon2id$v=19$m=65536,t=3,p=4$!!!$a2V5"},
		{"missing parts", "$argon2id$v=19$m=65536,t=3,p=4"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := passwd.Check(tt.hash, "x"); err == nil || errors.Is(err, passwd.ErrMismatch) {
				t.Fatalf("malformed hash %q: got %v", tt.hash, err)
			}
		})
	}
}

func TestTokens(t *testing.T) {
	t.Parallel()
	a, b := passwd.Token(), passwd.Token()
	if a == b || len(a) != 43 {
		t.Fatalf("tokens %q %q", a, b)
	}
	if passwd.TokenHash(a) == passwd.TokenHash(b) || len(passwd.TokenHash(a)) != 64 {
		t.Fatal("token hashes")
	}
	if g := passwd.Generate(); len(g) != 20 {
		t.Fatalf("generated %q", g)
	}
}

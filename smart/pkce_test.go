package smart_test

import (
	"testing"

	"github.com/tendo-health/tendo/smart"
)

// TestChallengeKnownAnswers reproduces published verifier/challenge
// pairs.
func TestChallengeKnownAnswers(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name, verifier, challenge string
	}{
		// RFC 7636, Appendix B.
		{"RFC 7636 Appendix B", "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk", "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"},
		// SMART App Launch 2.x, "Example SMART App Launch for Confidential
		// Client with Symmetric Client Authentication"
		// (hl7.org/fhir/smart-app-launch/example-app-launch-symmetric-auth.html):
		// the code_challenge of its authorization request and the
		// code_verifier of its token request.
		{"SMART App Launch worked example",
			"o28xyrYY7-lGYfnKwRjHEZWlFIPlzVnFPYMWbH-g_BsNnQNem-IAg9fDh92X0KtvHCPO5_C-RJd2QhApKQ-2cRp-S_W3qmTidTEPkeWyniKQSF9Q_k10Q5wMc8fGzoyF",
			"YPXe7B8ghKrj8PsT4L6ltupgI12NQJ5vblB07F4rGaw"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if !smart.ValidVerifier(tt.verifier) {
				t.Errorf("ValidVerifier(%q) = false", tt.verifier)
			}
			if got := smart.Challenge(tt.verifier); got != tt.challenge {
				t.Errorf("Challenge(%q) = %q, want %q", tt.verifier, got, tt.challenge)
			}
		})
	}
}

// TestNewVerifier makes verifiers of RFC 7636's form, each different.
func TestNewVerifier(t *testing.T) {
	t.Parallel()
	seen := map[string]bool{}
	for range 100 {
		v := smart.NewVerifier()
		if !smart.ValidVerifier(v) {
			t.Fatalf("NewVerifier() = %q: not 43–128 unreserved characters", v)
		}
		if seen[v] {
			t.Fatalf("NewVerifier() repeated %q", v)
		}
		seen[v] = true
		if c := smart.Challenge(v); len(c) != 43 {
			t.Fatalf("challenge %q is %d characters, want 43", c, len(c))
		}
	}
}

// TestValidVerifier refuses what RFC 7636 section 4.1 does not allow.
func TestValidVerifier(t *testing.T) {
	t.Parallel()
	long := func(n int, c byte) string {
		b := make([]byte, n)
		for i := range b {
			b[i] = c
		}
		return string(b)
	}
	for _, tt := range []struct {
		name string
		v    string
		want bool
	}{
		{"42 characters", long(42, 'a'), false},
		{"43 characters", long(43, 'a'), true},
		{"128 characters", long(128, '~'), true},
		{"129 characters", long(129, 'a'), false},
		{"a plus sign", long(42, 'a') + "+", false},
		{"a slash", long(42, 'a') + "/", false},
		{"padding", long(42, 'a') + "=", false},
		{"non-ASCII", long(42, 'a') + "é", false},
		{"every allowed kind", "AZaz09-._~" + long(33, 'x'), true},
	} {
		if got := smart.ValidVerifier(tt.v); got != tt.want {
			t.Errorf("%s: ValidVerifier = %v, want %v", tt.name, got, tt.want)
		}
	}
}

package web

import (
	"net/http/httptest"
	"testing"
)

// TestSafeNext tries redirect targets that lead off the site, each
// refused, beside local paths that are kept.
func TestSafeNext(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, next, want string
	}{
		{"empty", "", ""},
		{"root", "/", "/"},
		{"local path", "/patients/12", "/patients/12"},
		{"local path with query", "/patients?name=Ann%20Lee", "/patients?name=Ann%20Lee"},
		{"scheme-relative", "//evil.example", ""},
		{"backslash after slash", "/\\evil.example", ""},
		{"encoded tab then slash", "/%09/evil.example", ""},
		{"raw tab then slash", "/\t/evil.example", ""},
		{"absolute URL", "https://evil.example", ""},
		{"encoded double slash", "/%2F%2Fevil.example", ""},
		{"double-encoded double slash", "/%252F%252Fevil.example", ""},
		{"two backslashes", "\\\\evil.example", ""},
		{"leading space", " /evil.example", ""},
		{"encoded backslash", "/%5Cevil.example", ""},
		{"javascript URL", "javascript:alert(1)", ""},
		{"NUL", "/\x00", ""},
		{"encoded NUL", "/%00evil", ""},
		{"newline", "/\nevil", ""},
		{"three slashes", "///evil.example", ""},
		{"slash then encoded slash", "/%2fevil.example", ""},
		{"space after slash", "/ /evil.example", ""},
		{"backslash later", "/patients\\..\\evil", ""},
		{"relative path", "patients/1", ""},
		{"bad escape", "/%zz", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := safeNext(tc.next); got != tc.want {
				t.Errorf("safeNext(%q) = %q, want %q", tc.next, got, tc.want)
			}
		})
	}
}

// TestClientAddr: X-Forwarded-For is believed only from a trusted
// proxy, and then only its right-most untrusted address.
func TestClientAddr(t *testing.T) {
	t.Parallel()
	trusted, err := ParseTrustedProxies("10.0.0.1, 192.168.0.0/16")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name    string
		proxies bool
		remote  string
		xff     []string
		want    string
	}{
		{"no proxy configured: the peer, header ignored", false, "10.0.0.1:5000", []string{"203.0.113.9"}, "10.0.0.1"},
		{"untrusted peer: header ignored", true, "198.51.100.1:5000", []string{"203.0.113.9"}, "198.51.100.1"},
		{"trusted proxy: the client it saw", true, "10.0.0.1:5000", []string{"203.0.113.9"}, "203.0.113.9"},
		{"spoofed entries left of the real one", true, "10.0.0.1:5000", []string{"6.6.6.6, 203.0.113.9"}, "203.0.113.9"},
		{"two trusted hops", true, "10.0.0.1:5000", []string{"203.0.113.9, 192.168.4.4"}, "203.0.113.9"},
		{"several headers", true, "10.0.0.1:5000", []string{"6.6.6.6", "203.0.113.9, 192.168.1.1"}, "203.0.113.9"},
		{"garbage in the header", true, "10.0.0.1:5000", []string{"not-an-address"}, "10.0.0.1"},
		{"only proxies", true, "10.0.0.1:5000", []string{"192.168.1.1"}, "192.168.1.1"},
		{"no header", true, "10.0.0.1:5000", nil, "10.0.0.1"},
		{"IPv6 client", true, "10.0.0.1:5000", []string{"2001:db8::1"}, "2001:db8::1"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := &Server{}
			if tc.proxies {
				s.TrustedProxies = trusted
			}
			r := httptest.NewRequest("GET", "/", nil)
			r.RemoteAddr = tc.remote
			for _, v := range tc.xff {
				r.Header.Add("X-Forwarded-For", v)
			}
			if got := s.clientAddr(r); got != tc.want {
				t.Errorf("clientAddr = %q, want %q", got, tc.want)
			}
		})
	}
}

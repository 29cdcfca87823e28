package clinic

// issue 11: cds-clinic

import (
	"encoding/json"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/tendo-health/tendo"
)

// FuzzCheckJWKS feeds arbitrary bytes to the key-set check of a client's
// registration: it never panics, and what it accepts is a compact JSON
// Web Key Set of 1 to MaxCDSJWKSKeys EC or RSA keys with a kid and no
// private member.
func FuzzCheckJWKS(f *testing.F) {
	for _, s := range []string{
		`{"keys":[{"kty":"EC","crv":"P-384","kid":"k1","x":"AAAA","y":"BBBB"}]}`,
		`{"keys":[{"kty":"RSA","kid":"r","n":"AQAB","e":"AQAB"}]}`,
		`{"keys":[{"kty":"EC","kid":"k","d":"secret"}]}`,
		`{"keys":[{"kty":"oct","kid":"k","k":"c2VjcmV0"}]}`,
		`{"keys":[]}`, `{"keys":null}`, `[]`, `{`, ``, `{"keys":[1]}`, `{"keys":[{"kty":["EC"]}]}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		out, err := checkJWKS(b)
		if err != nil {
			if err.Field == "" || err.Code != tendo.EINVALID {
				t.Fatalf("error without a field: %v", err)
			}
			return
		}
		var set struct {
			Keys []map[string]any `json:"keys"`
		}
		if e := json.Unmarshal(out, &set); e != nil {
			t.Fatalf("accepted %q as %q, not JSON: %v", b, out, e)
		}
		if len(set.Keys) == 0 || len(set.Keys) > tendo.MaxCDSJWKSKeys {
			t.Fatalf("accepted %d keys", len(set.Keys))
		}
		for _, k := range set.Keys {
			if k["kty"] != "EC" && k["kty"] != "RSA" {
				t.Fatalf("accepted kty %v", k["kty"])
			}
			for _, m := range privateMembers {
				if _, ok := k[m]; ok {
					t.Fatalf("accepted the private member %s", m)
				}
			}
		}
	})
}

// FuzzCheckFeedback feeds arbitrary items to the feedback check: it
// never panics, every refusal names a field under the item, and an
// accepted item is within every limit.
func FuzzCheckFeedback(f *testing.F) {
	f.Add("4e0a3a1e-3283-4575-ab82-028d55fe2719", "accepted", "e56e1945-20b3-4393-8503-a1a20fd73152", "", "", "", "", true)
	f.Add("9368d37b", "overridden", "", "d7ecf885", "https://example.com/cds-hooks/override-reason-system", "", "A comment entered by the clinician.", true)
	f.Add("c", "ignored", "", "", "", "", "", false)
	f.Add("a b", "overridden", "x", "\x00", "sys tem", "\xff", "\x00", true)
	f.Fuzz(func(t *testing.T, card, outcome, suggestion, code, system, display, comment string, timed bool) {
		fb := tendo.CDSFeedback{Card: card, Outcome: outcome, UserComment: comment}
		if suggestion != "" {
			fb.AcceptedSuggestions = []string{suggestion}
		}
		if code != "" || system != "" || display != "" {
			fb.OverrideReason = &tendo.CDSCoding{Code: code, System: system, Display: display}
		}
		if timed {
			fb.OutcomeTimestamp = time.Date(2020, 12, 11, 0, 0, 0, 0, time.UTC)
		}
		errs := checkFeedback("feedback[0]", &fb)
		for _, e := range errs {
			if len(e.Field) < len("feedback[0].") || e.Field[:len("feedback[0].")] != "feedback[0]." {
				t.Fatalf("error field %q", e.Field)
			}
		}
		if len(errs) > 0 {
			return
		}
		if fb.Card == "" || len(fb.Card) > tendo.MaxCDSIDLength || (fb.Outcome != tendo.CDSAccepted && fb.Outcome != tendo.CDSOverridden) ||
			!utf8.ValidString(fb.UserComment) || utf8.RuneCountInString(fb.UserComment) > tendo.MaxCDSCommentLength || fb.OutcomeTimestamp.IsZero() {
			t.Fatalf("accepted %+v", fb)
		}
	})
}

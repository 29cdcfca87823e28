package clinic_test

// issue 11: cds-clinic

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/tendo-health/tendo"
	"github.com/tendo-health/tendo/internal/dbtest"
	"github.com/tendo-health/tendo/sqlstore"
)

const clinicTestJWKS = `{"keys":[{"kty":"EC","crv":"P-384","kid":"k1","alg":"ES384","x":"AAAA","y":"BBBB"}]}`

func newCDSClient(iss string, clinicID int64) tendo.NewCDSClient {
	return tendo.NewCDSClient{ClinicID: clinicID, Name: "EHR", Issuer: iss, JWKS: json.RawMessage(clinicTestJWKS),
		JWKSURLs: []string{"https://ehr.example/jwks"}, FHIRServers: []string{"https://ehr.example/fhir"}}
}

// asCDS is the context of a CDS client's user acting.
func asCDS(u tendo.User) context.Context {
	return tendo.NewContext(context.Background(), tendo.Actor{User: &u, Addr: "192.0.2.7", UserAgent: "ehr"})
}

func TestCreateCDSClient(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		w := newWorld(t, db)
		c, err := w.svc.CreateCDSClient(w.asAdmin, newCDSClient("https://ehr.example", w.clinA.ID))
		if err != nil {
			t.Fatal(err)
		}
		u, err := db.User(context.Background(), c.UserID)
		if err != nil || u.Role != tendo.RoleCDSClient || len(u.ClinicIDs) != 1 || u.ClinicIDs[0] != w.clinA.ID || !strings.HasSuffix(u.Email, "@cds-client.invalid") {
			t.Fatalf("the client's user: %+v %v", u, err)
		}
		if es := w.entries(t, tendo.ActionCDSClientCreate); len(es) != 1 || es[0].UserID != w.admin.ID || es[0].ClinicID != w.clinA.ID {
			t.Errorf("audit: %+v", es)
		}

		for _, tc := range []struct {
			name  string
			ctx   context.Context
			edit  func(*tendo.NewCDSClient)
			code  string
			field string
		}{
			{"a clinician", w.asA, nil, tendo.EFORBIDDEN, ""},
			{"nobody", w.anonymous, nil, tendo.EUNAUTHORIZED, ""},
			{"issuer in use", w.asAdmin, func(n *tendo.NewCDSClient) { n.Issuer = "https://ehr.example" }, tendo.ECONFLICT, "issuer"},
			{"unknown clinic", w.asAdmin, func(n *tendo.NewCDSClient) { n.ClinicID = w.clinB.ID + 100 }, tendo.EINVALID, "clinic"},
			{"no clinic", w.asAdmin, func(n *tendo.NewCDSClient) { n.ClinicID = 0 }, tendo.EINVALID, "clinic"},
			{"no name", w.asAdmin, func(n *tendo.NewCDSClient) { n.Name = " " }, tendo.EINVALID, "name"},
			{"long name", w.asAdmin, func(n *tendo.NewCDSClient) { n.Name = strings.Repeat("x", tendo.MaxCDSNameLength+1) }, tendo.EINVALID, "name"},
			{"issuer not a URI", w.asAdmin, func(n *tendo.NewCDSClient) { n.Issuer = "ehr" }, tendo.EINVALID, "issuer"},
			{"issuer with a newline", w.asAdmin, func(n *tendo.NewCDSClient) { n.Issuer = "https://x.example/\nadmin" }, tendo.EINVALID, "issuer"},
			{"issuer too long", w.asAdmin, func(n *tendo.NewCDSClient) {
				n.Issuer = "https://x.example/" + strings.Repeat("a", tendo.MaxCDSURLLength)
			}, tendo.EINVALID, "issuer"},
			{"no keys at all", w.asAdmin, func(n *tendo.NewCDSClient) { n.JWKS, n.JWKSURLs = nil, nil }, tendo.EINVALID, "jwks"},
			{"JWKS not JSON", w.asAdmin, func(n *tendo.NewCDSClient) { n.JWKS = json.RawMessage(`{"keys":`) }, tendo.EINVALID, "jwks"},
			{"JWKS without keys", w.asAdmin, func(n *tendo.NewCDSClient) { n.JWKS = json.RawMessage(`{"keys":[]}`) }, tendo.EINVALID, "jwks"},
			{"JWKS with a private key", w.asAdmin, func(n *tendo.NewCDSClient) {
				n.JWKS = json.RawMessage(`{"keys":[{"kty":"EC","kid":"k","crv":"P-384","x":"A","y":"B","d":"secret"}]}`)
			}, tendo.EINVALID, "jwks.keys[0].d"},
			{"JWKS with a symmetric key", w.asAdmin, func(n *tendo.NewCDSClient) {
				n.JWKS = json.RawMessage(`{"keys":[{"kty":"oct","kid":"k","k":"c2VjcmV0"}]}`)
			}, tendo.EINVALID, "jwks.keys[0].kty"},
			{"JWKS key without kid", w.asAdmin, func(n *tendo.NewCDSClient) {
				n.JWKS = json.RawMessage(`{"keys":[{"kty":"RSA","n":"AQAB","e":"AQAB"}]}`)
			}, tendo.EINVALID, "jwks.keys[0].kid"},
			{"JWKS too large", w.asAdmin, func(n *tendo.NewCDSClient) {
				n.JWKS = json.RawMessage(`{"keys":[],"pad":"` + strings.Repeat("a", tendo.MaxCDSJWKSSize) + `"}`)
			}, tendo.EINVALID, "jwks"},
			{"jku over http", w.asAdmin, func(n *tendo.NewCDSClient) { n.JWKSURLs = []string{"http://ehr.example/jwks"} }, tendo.EINVALID, "jku[0]"},
			{"jku with a user", w.asAdmin, func(n *tendo.NewCDSClient) { n.JWKSURLs = []string{"https://a:b@ehr.example/jwks"} }, tendo.EINVALID, "jku[0]"},
			{"jku relative", w.asAdmin, func(n *tendo.NewCDSClient) { n.JWKSURLs = []string{"/jwks"} }, tendo.EINVALID, "jku[0]"},
			{"too many FHIR servers", w.asAdmin, func(n *tendo.NewCDSClient) {
				n.FHIRServers = make([]string, tendo.MaxCDSURLs+1)
				for i := range n.FHIRServers {
					n.FHIRServers[i] = "https://ehr.example/fhir"
				}
			}, tendo.EINVALID, "fhirServer"},
			{"FHIR server ftp", w.asAdmin, func(n *tendo.NewCDSClient) { n.FHIRServers = []string{"ftp://ehr.example/fhir"} }, tendo.EINVALID, "fhirServer[0]"},
		} {
			n := newCDSClient("https://other.example", w.clinA.ID)
			if tc.edit != nil {
				tc.edit(&n)
			}
			_, err := w.svc.CreateCDSClient(tc.ctx, n)
			if code(err) != tc.code {
				t.Errorf("%s: %v, want code %s", tc.name, err, tc.code)
				continue
			}
			if tc.field != "" && !hasField(err, tc.field) {
				t.Errorf("%s: %v does not name the field %s", tc.name, err, tc.field)
			}
		}
		// http to the loopback address is allowed (a test server).
		n := newCDSClient("https://local.example", w.clinB.ID)
		n.JWKS, n.JWKSURLs, n.FHIRServers = nil, []string{"http://127.0.0.1:8080/jwks"}, []string{"http://localhost:9/fhir"}
		if _, err := w.svc.CreateCDSClient(w.system, n); err != nil {
			t.Errorf("loopback http: %v", err)
		}
		list, err := w.svc.CDSClients(w.asAdmin)
		if err != nil || len(list) != 2 {
			t.Errorf("list: %d clients, %v", len(list), err)
		}
		if _, err := w.svc.CDSClients(w.asA); code(err) != tendo.EFORBIDDEN {
			t.Errorf("a clinician lists clients: %v", err)
		}
	})
}

// hasField reports whether err (an *Error or Errors) names field.
func hasField(err error, field string) bool {
	switch e := err.(type) {
	case *tendo.Error:
		return e.Field == field
	case tendo.Errors:
		for _, x := range e {
			if x.Field == field {
				return true
			}
		}
	}
	return false
}

// TestCDSClientRole: the client's user cannot log in, cannot hold or
// use an API token, and sees no stored patient; disabling the client
// refuses its issuer.
func TestCDSClientRole(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		w := newWorld(t, db)
		c, err := w.svc.CreateCDSClient(w.asAdmin, newCDSClient("https://ehr.example", w.clinA.ID))
		if err != nil {
			t.Fatal(err)
		}
		cc, u, err := w.svc.CDSClientByIssuer(w.anonymous, "https://ehr.example")
		if err != nil || cc.ID != c.ID || u.ID != c.UserID {
			t.Fatalf("by issuer: %+v %+v %v", cc, u, err)
		}
		ctx := asCDS(u)

		for _, pw := range []string{"", "!cds-client", "not a real password, only for timing"} {
			if _, err := w.svc.Login(w.anonymous, tendo.Credentials{Email: u.Email, Password: pw}); code(err) != tendo.EUNAUTHORIZED {
				t.Errorf("log in as the CDS client with %q: %v", pw, err)
			}
		}
		if es := w.entries(t, tendo.ActionLoginFailure); len(es) == 0 || !strings.Contains(es[len(es)-1].Detail, "CDS client") {
			t.Errorf("the refused login is not audited as a CDS client's: %+v", es)
		}
		if _, _, err := w.svc.CreateToken(w.asAdmin, u.ID, "sneaky", 0); code(err) != tendo.EINVALID {
			t.Errorf("an admin makes the CDS client a token: %v", err)
		}
		if _, _, err := w.svc.CreateToken(ctx, 0, "mine", 0); code(err) != tendo.EINVALID {
			t.Errorf("the CDS client makes itself a token: %v", err)
		}
		// A token planted in the store (as if issued before) does not
		// authenticate.
		if _, err := db.IssueAPIToken(context.Background(), tendo.APIToken{UserID: u.ID, Name: "planted", ExpiresAt: time.Now().Add(time.Hour)}, "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"); err != nil {
			t.Fatal(err)
		}
		if _, err := w.svc.FindPatient(ctx, w.patA.ID); code(err) != tendo.ENOTFOUND {
			t.Errorf("the CDS client reads a stored patient of its clinic: %v", err)
		}
		ps, err := w.svc.FindPatients(ctx)
		if err == nil && len(ps) > 0 {
			t.Errorf("the CDS client lists %d stored patients", len(ps))
		}
		if _, err := w.svc.Assess(ctx, &tendo.Assessment{Schema: "tendo/assessment/v1"}); err != nil {
			t.Errorf("the CDS client cannot assess (the engine's path): %v", err)
		}
		// Someone else cannot act as a CDS client.
		if err := w.svc.RecordCDSCall(w.asA, tendo.CDSCall{ServiceID: "s", HookInstance: "h"}); code(err) != tendo.EFORBIDDEN {
			t.Errorf("a clinician records a CDS call: %v", err)
		}
		if _, err := w.svc.SaveCDSFeedback(w.asAdmin, "s", []tendo.CDSFeedback{{Card: "c", Outcome: tendo.CDSOverridden, OutcomeTimestamp: time.Now()}}); code(err) != tendo.EFORBIDDEN {
			t.Errorf("an admin sends feedback: %v", err)
		}

		if _, err := w.svc.SetCDSClientDisabled(w.asA, c.ID, true); code(err) != tendo.EFORBIDDEN {
			t.Errorf("a clinician disables a client: %v", err)
		}
		if _, err := w.svc.SetCDSClientDisabled(w.asAdmin, c.ID, true); err != nil {
			t.Fatal(err)
		}
		if _, _, err := w.svc.CDSClientByIssuer(w.anonymous, "https://ehr.example"); code(err) != tendo.EUNAUTHORIZED {
			t.Errorf("a disabled client's issuer: %v", err)
		}
		if _, _, err := w.svc.CDSClientByIssuer(w.anonymous, "https://unknown.example"); code(err) != tendo.EUNAUTHORIZED {
			t.Errorf("an unknown issuer: %v", err)
		}
		if _, err := w.svc.SetCDSClientDisabled(w.asAdmin, c.ID, false); err != nil {
			t.Fatal(err)
		}
		if _, _, err := w.svc.CDSClientByIssuer(w.anonymous, "https://ehr.example"); err != nil {
			t.Errorf("re-enabled: %v", err)
		}
		if es := w.entries(t, tendo.ActionCDSClientUpdate); len(es) != 2 || !strings.HasSuffix(es[0].Detail, "disabled") || !strings.HasSuffix(es[1].Detail, "enabled") {
			t.Errorf("audit of disable and enable: %+v", es)
		}
	})
}

func TestRecordCDSCall(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		w := newWorld(t, db)
		c, err := w.svc.CreateCDSClient(w.asAdmin, newCDSClient("https://ehr.example", w.clinB.ID))
		if err != nil {
			t.Fatal(err)
		}
		_, u, err := w.svc.CDSClientByIssuer(w.anonymous, c.Issuer)
		if err != nil {
			t.Fatal(err)
		}
		ctx := asCDS(u)
		err = w.svc.RecordCDSCall(ctx, tendo.CDSCall{ServiceID: "tendo-heel-pain", HookInstance: "d1577c69-dfbe-44ad-ba6d-3e05e953b2ea", PatientID: "1288992", Cards: 2})
		if err != nil {
			t.Fatal(err)
		}
		es := w.entries(t, tendo.ActionCDSCall)
		if len(es) != 1 {
			t.Fatalf("%d cds.call entries", len(es))
		}
		e := es[0]
		if e.UserID != u.ID || e.ClinicID != w.clinB.ID || e.Addr != "192.0.2.7" ||
			e.Detail != "service tendo-heel-pain, hookInstance d1577c69-dfbe-44ad-ba6d-3e05e953b2ea, patient 1288992, 2 cards" {
			t.Errorf("entry %+v", e)
		}
		for _, tc := range []struct {
			name  string
			call  tendo.CDSCall
			field string
		}{
			{"no service", tendo.CDSCall{HookInstance: "h"}, "serviceId"},
			{"no hook instance", tendo.CDSCall{ServiceID: "s"}, "hookInstance"},
			{"a newline in the patient id (log injection)", tendo.CDSCall{ServiceID: "s", HookInstance: "h", PatientID: "1\nadmin logged in"}, "context.patientId"},
			{"a long patient id", tendo.CDSCall{ServiceID: "s", HookInstance: "h", PatientID: strings.Repeat("1", 65)}, "context.patientId"},
			{"negative cards", tendo.CDSCall{ServiceID: "s", HookInstance: "h", Cards: -1}, "cards"},
		} {
			err := w.svc.RecordCDSCall(ctx, tc.call)
			if code(err) != tendo.EINVALID || !hasField(err, tc.field) {
				t.Errorf("%s: %v, want EINVALID on %s", tc.name, err, tc.field)
			}
		}
		if n := len(w.entries(t, tendo.ActionCDSCall)); n != 1 {
			t.Errorf("%d cds.call entries after refused calls", n)
		}
	})
}

func TestCDSFeedback(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		w := newWorld(t, db)
		now := time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)
		w.svc.Now = func() time.Time { return now }
		ca, err := w.svc.CreateCDSClient(w.asAdmin, newCDSClient("https://a.example", w.clinA.ID))
		if err != nil {
			t.Fatal(err)
		}
		cb, err := w.svc.CreateCDSClient(w.asAdmin, newCDSClient("https://b.example", w.clinB.ID))
		if err != nil {
			t.Fatal(err)
		}
		_, ua, _ := w.svc.CDSClientByIssuer(w.anonymous, ca.Issuer)
		_, ub, _ := w.svc.CDSClientByIssuer(w.anonymous, cb.Issuer)
		at := time.Date(2020, 12, 11, 0, 0, 0, 0, time.UTC)
		saved, err := w.svc.SaveCDSFeedback(asCDS(ua), "tendo-heel-pain", []tendo.CDSFeedback{
			{Card: "4e0a3a1e", Outcome: tendo.CDSAccepted, AcceptedSuggestions: []string{"e56e1945"}, OutcomeTimestamp: at},
			{Card: "9368d37b", Outcome: tendo.CDSOverridden, OverrideReason: &tendo.CDSCoding{Code: "d7ecf885", System: "https://example.com/x"},
				UserComment: " A comment entered by the clinician. ", OutcomeTimestamp: at},
		})
		if err != nil {
			t.Fatal(err)
		}
		if len(saved) != 2 || saved[0].ClientID != ca.ID || saved[0].ClinicID != w.clinA.ID || saved[1].UserComment != "A comment entered by the clinician." || !saved[1].ReceivedAt.Equal(now) {
			t.Errorf("saved %+v", saved)
		}
		if _, err := w.svc.SaveCDSFeedback(asCDS(ub), "tendo-tendon-drug-risk", []tendo.CDSFeedback{{Card: "f6b95768", Outcome: tendo.CDSOverridden, OutcomeTimestamp: at}}); err != nil {
			t.Fatal(err)
		}
		es := w.entries(t, tendo.ActionCDSFeedback)
		if len(es) != 2 || es[0].UserID != ua.ID || es[0].ClinicID != w.clinA.ID ||
			es[0].Detail != "service tendo-heel-pain, 2 items (1 accepted, 1 overridden), cards 4e0a3a1e 9368d37b" {
			t.Errorf("audit %+v", es)
		}

		for _, tc := range []struct {
			name    string
			service string
			fb      []tendo.CDSFeedback
			field   string
		}{
			{"no items", "s", nil, "feedback"},
			{"too many items", "s", make([]tendo.CDSFeedback, tendo.MaxCDSFeedbackItems+1), "feedback"},
			{"bad service", "a b", []tendo.CDSFeedback{{Card: "c", Outcome: tendo.CDSOverridden, OutcomeTimestamp: at}}, "serviceId"},
			{"no card", "s", []tendo.CDSFeedback{{Outcome: tendo.CDSOverridden, OutcomeTimestamp: at}}, "feedback[0].card"},
			{"unknown outcome", "s", []tendo.CDSFeedback{{Card: "c", Outcome: "ignored", OutcomeTimestamp: at}}, "feedback[0].outcome"},
			{"accepted with a reason", "s", []tendo.CDSFeedback{{Card: "c", Outcome: tendo.CDSAccepted, OverrideReason: &tendo.CDSCoding{Code: "x"}, OutcomeTimestamp: at}}, "feedback[0].overrideReason"},
			{"overridden with suggestions", "s", []tendo.CDSFeedback{{Card: "c", Outcome: tendo.CDSOverridden, AcceptedSuggestions: []string{"s"}, OutcomeTimestamp: at}}, "feedback[0].acceptedSuggestions"},
			{"too many suggestions", "s", []tendo.CDSFeedback{{Card: "c", Outcome: tendo.CDSAccepted, AcceptedSuggestions: make([]string, tendo.MaxCDSSuggestions+1), OutcomeTimestamp: at}}, "feedback[0].acceptedSuggestions"},
			{"empty suggestion id", "s", []tendo.CDSFeedback{{Card: "c", Outcome: tendo.CDSAccepted, AcceptedSuggestions: []string{""}, OutcomeTimestamp: at}}, "feedback[0].acceptedSuggestions[0].id"},
			{"reason without code", "s", []tendo.CDSFeedback{{Card: "c", Outcome: tendo.CDSOverridden, OverrideReason: &tendo.CDSCoding{System: "x"}, OutcomeTimestamp: at}}, "feedback[0].overrideReason.reason.code"},
			{"long comment", "s", []tendo.CDSFeedback{{Card: "c", Outcome: tendo.CDSOverridden, UserComment: strings.Repeat("é", tendo.MaxCDSCommentLength+1), OutcomeTimestamp: at}}, "feedback[0].overrideReason.userComment"},
			{"no timestamp", "s", []tendo.CDSFeedback{{Card: "c", Outcome: tendo.CDSOverridden}}, "feedback[0].outcomeTimestamp"},
		} {
			_, err := w.svc.SaveCDSFeedback(asCDS(ua), tc.service, tc.fb)
			if code(err) != tendo.EINVALID || !hasField(err, tc.field) {
				t.Errorf("%s: %v, want EINVALID on %s", tc.name, err, tc.field)
			}
		}

		// Reading: an admin sees all, a clinician their clinics', a CDS
		// client none; every read is audited.
		for _, tc := range []struct {
			name  string
			ctx   context.Context
			f     tendo.CDSFeedbackFilter
			cards []string
			code  string
		}{
			{"admin", w.asAdmin, tendo.CDSFeedbackFilter{}, []string{"f6b95768", "9368d37b", "4e0a3a1e"}, ""},
			{"admin, overridden", w.asAdmin, tendo.CDSFeedbackFilter{Outcome: tendo.CDSOverridden}, []string{"f6b95768", "9368d37b"}, ""},
			{"clinician A", w.asA, tendo.CDSFeedbackFilter{}, []string{"9368d37b", "4e0a3a1e"}, ""},
			{"clinician B", w.asB, tendo.CDSFeedbackFilter{ClinicID: w.clinB.ID}, []string{"f6b95768"}, ""},
			{"clinician B asks for A", w.asB, tendo.CDSFeedbackFilter{ClinicID: w.clinA.ID}, nil, tendo.EFORBIDDEN},
			{"CDS client", asCDS(ua), tendo.CDSFeedbackFilter{}, nil, tendo.EFORBIDDEN},
			{"nobody", w.anonymous, tendo.CDSFeedbackFilter{}, nil, tendo.EUNAUTHORIZED},
			{"bad limit", w.asAdmin, tendo.CDSFeedbackFilter{Limit: tendo.MaxCDSFeedbackPage + 1}, nil, tendo.EINVALID},
			{"bad outcome", w.asAdmin, tendo.CDSFeedbackFilter{Outcome: "x"}, nil, tendo.EINVALID},
		} {
			before := len(w.entries(t, tendo.ActionCDSFeedbackRead))
			got, err := w.svc.FindCDSFeedback(tc.ctx, tc.f)
			if code(err) != tc.code {
				t.Errorf("%s: %v, want code %q", tc.name, err, tc.code)
				continue
			}
			var cards []string
			for _, f := range got {
				cards = append(cards, f.Card)
			}
			if strings.Join(cards, ",") != strings.Join(tc.cards, ",") {
				t.Errorf("%s: cards %v, want %v", tc.name, cards, tc.cards)
			}
			after := len(w.entries(t, tendo.ActionCDSFeedbackRead))
			if tc.code == "" && after != before+1 {
				t.Errorf("%s: the read is not audited", tc.name)
			}
		}
	})
}

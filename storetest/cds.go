package storetest

// issue 11: cds-clinic. CDS Hooks clients and their feedback.

import (
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/tendo-health/tendo"
)

const testJWKS = `{"keys":[{"kty":"EC","crv":"P-384","kid":"k1","x":"AAAA","y":"BBBB"}]}`

// cdsClient registers a client of the clinic with its user.
func cdsClient(t *testing.T, s tendo.Store, clinicID int64, iss string) tendo.CDSClient {
	t.Helper()
	c, err := s.CreateCDSClient(t.Context(), tendo.CDSClient{
		ClinicID: clinicID, Name: "EHR " + iss, Issuer: iss, JWKS: json.RawMessage(testJWKS),
		JWKSURLs: []string{iss + "/jwks"}, FHIRServers: []string{iss + "/fhir/"},
	}, tendo.User{Email: "cds-" + fmt.Sprint(len(iss)) + "-" + iss[len(iss)-1:] + "@cds-client.invalid", Name: "EHR " + iss, Role: tendo.RoleCDSClient, PasswordHash: "!", ClinicIDs: []int64{clinicID}})
	must(t, "create CDS client "+iss, err)
	return c
}

func testCDSClientRoundTrip(t *testing.T, s tendo.Store) {
	ctx := t.Context()
	cl := clinic(t, s, "Clinic")
	c := cdsClient(t, s, cl.ID, "https://ehr.example/a")
	if c.ID <= 0 || c.UserID <= 0 {
		t.Fatalf("IDs %d, user %d", c.ID, c.UserID)
	}
	recent(t, "created at", c.CreatedAt)
	got, err := s.CDSClient(ctx, c.ID)
	must(t, "get", err)
	eq(t, "read back", got, c)
	byIss, err := s.CDSClientByIssuer(ctx, "https://ehr.example/a")
	must(t, "by issuer", err)
	eq(t, "by issuer", byIss, c)
	byUser, err := s.CDSClientByUser(ctx, c.UserID)
	must(t, "by user", err)
	eq(t, "by user", byUser, c)
	_, err = s.CDSClientByUser(ctx, c.UserID+1000)
	wantCode(t, "by unknown user", err, tendo.ENOTFOUND)
	_, err = s.CDSClientByIssuer(ctx, "https://ehr.example/A")
	wantCode(t, "issuer is exact", err, tendo.ENOTFOUND)
	_, err = s.CDSClientByIssuer(ctx, "")
	wantCode(t, "empty issuer", err, tendo.ENOTFOUND)
	_, err = s.CDSClient(ctx, c.ID+1000)
	wantCode(t, "unknown client", err, tendo.ENOTFOUND)

	u, err := s.User(ctx, c.UserID)
	must(t, "the client's user", err)
	eq(t, "role", u.Role, tendo.RoleCDSClient)
	eq(t, "clinics", u.ClinicIDs, []int64{cl.ID})

	c2 := cdsClient(t, s, cl.ID, "https://ehr.example/b")
	list, err := s.CDSClients(ctx)
	must(t, "list", err)
	eq(t, "list", list, []tendo.CDSClient{c, c2})

	// Disabling disables the user too; enabling again clears both.
	at := time.Date(2026, 11, 2, 10, 0, 0, 0, time.UTC)
	must(t, "disable", s.SetCDSClientDisabled(ctx, c.ID, &at))
	got, _ = s.CDSClient(ctx, c.ID)
	if got.DisabledAt == nil {
		t.Fatal("disabled client has no DisabledAt")
	}
	utc(t, "disabled at", *got.DisabledAt, at)
	u, _ = s.User(ctx, c.UserID)
	if u.DisabledAt == nil {
		t.Error("the disabled client's user is enabled")
	}
	must(t, "enable", s.SetCDSClientDisabled(ctx, c.ID, nil))
	got, _ = s.CDSClient(ctx, c.ID)
	u, _ = s.User(ctx, c.UserID)
	if got.DisabledAt != nil || u.DisabledAt != nil {
		t.Errorf("enabled client: disabled at %v, user at %v", got.DisabledAt, u.DisabledAt)
	}
	wantCode(t, "disable unknown", s.SetCDSClientDisabled(ctx, c.ID+1000, &at), tendo.ENOTFOUND)
}

func testCDSClientInvalid(t *testing.T, s tendo.Store) {
	ctx := t.Context()
	cl := clinic(t, s, "Clinic")
	cdsClient(t, s, cl.ID, "https://ehr.example/a")
	good := func() (tendo.CDSClient, tendo.User) {
		return tendo.CDSClient{ClinicID: cl.ID, Name: "EHR", Issuer: "https://ehr.example/new"},
			tendo.User{Email: "new@cds-client.invalid", Name: "EHR", Role: tendo.RoleCDSClient, ClinicIDs: []int64{cl.ID}}
	}
	for _, tc := range []struct {
		name string
		edit func(c *tendo.CDSClient, u *tendo.User)
		want string
	}{
		{"issuer in use", func(c *tendo.CDSClient, u *tendo.User) { c.Issuer = "https://ehr.example/a" }, tendo.ECONFLICT},
		{"e-mail in use", func(c *tendo.CDSClient, u *tendo.User) { u.Email = "cds-21-a@cds-client.invalid" }, tendo.ECONFLICT},
		{"unknown clinic", func(c *tendo.CDSClient, u *tendo.User) { c.ClinicID, u.ClinicIDs = cl.ID+1000, []int64{cl.ID + 1000} }, tendo.EINVALID},
		{"a clinician's role", func(c *tendo.CDSClient, u *tendo.User) { u.Role = tendo.RoleClinician }, tendo.EINVALID},
		{"two clinics", func(c *tendo.CDSClient, u *tendo.User) { u.ClinicIDs = []int64{cl.ID, cl.ID} }, tendo.EINVALID},
		{"another clinic than the client's", func(c *tendo.CDSClient, u *tendo.User) { u.ClinicIDs = []int64{cl.ID + 1} }, tendo.EINVALID},
		{"empty issuer", func(c *tendo.CDSClient, u *tendo.User) { c.Issuer = "" }, tendo.EINVALID},
		{"blank name", func(c *tendo.CDSClient, u *tendo.User) { c.Name = " " }, tendo.EINVALID},
		{"JWKS not JSON", func(c *tendo.CDSClient, u *tendo.User) { c.JWKS = json.RawMessage("{") }, tendo.EINVALID},
		{"NUL in a URL", func(c *tendo.CDSClient, u *tendo.User) { c.JWKSURLs = []string{"https://a\x00"} }, tendo.EINVALID},
	} {
		c, u := good()
		tc.edit(&c, &u)
		_, err := s.CreateCDSClient(ctx, c, u)
		wantCode(t, tc.name, err, tc.want)
	}
	list, err := s.CDSClients(ctx)
	must(t, "list", err)
	eq(t, "clients after refused creates", len(list), 1)
	users, err := s.Users(ctx)
	must(t, "users", err)
	eq(t, "users after refused creates (nothing half-made)", len(users), 1)
}

func testCDSFeedback(t *testing.T, s tendo.Store) {
	ctx := t.Context()
	a, b := clinic(t, s, "A"), clinic(t, s, "B")
	ca := cdsClient(t, s, a.ID, "https://ehr.example/a")
	cb := cdsClient(t, s, b.ID, "https://ehr.example/b")
	at := time.Date(2020, 12, 11, 0, 0, 0, 0, time.UTC)
	now := time.Date(2026, 11, 2, 10, 0, 0, 123456789, time.UTC)
	saved, err := s.SaveCDSFeedback(ctx, []tendo.CDSFeedback{
		{ClientID: ca.ID, ClinicID: a.ID, ServiceID: "tendo-heel-pain", Card: "card-1", Outcome: tendo.CDSAccepted,
			AcceptedSuggestions: []string{"s1", "s2"}, OutcomeTimestamp: at, ReceivedAt: now},
		{ClientID: ca.ID, ClinicID: a.ID, ServiceID: "tendo-heel-pain", Card: "card-2", Outcome: tendo.CDSOverridden,
			OverrideReason: &tendo.CDSCoding{Code: "d7ecf885", System: "https://example.com/cds-hooks/override-reason-system"},
			UserComment:    "A comment entered by the clinician.", OutcomeTimestamp: at, ReceivedAt: now},
	})
	must(t, "save", err)
	if len(saved) != 2 || saved[0].ID <= 0 || saved[1].ID <= saved[0].ID {
		t.Fatalf("saved %+v", saved)
	}
	_, err = s.SaveCDSFeedback(ctx, []tendo.CDSFeedback{{ClientID: cb.ID, ClinicID: b.ID, ServiceID: "tendo-tendon-drug-risk",
		Card: "card-3", Outcome: tendo.CDSOverridden, OutcomeTimestamp: at, ReceivedAt: now}})
	must(t, "save b", err)

	all, err := s.CDSFeedback(ctx, tendo.CDSFeedbackFilter{})
	must(t, "all", err)
	eq(t, "all, newest first", len(all), 3)
	if len(all) == 3 {
		eq(t, "newest first", all[0].Card, "card-3")
		eq(t, "read back", all[1], saved[1])
		eq(t, "read back", all[2], saved[0])
		utc(t, "received at (microseconds)", all[2].ReceivedAt, now.Truncate(time.Microsecond))
		if all[2].OverrideReason != nil {
			t.Errorf("an accepted card has the override reason %+v", all[2].OverrideReason)
		}
	}
	for _, tc := range []struct {
		name string
		f    tendo.CDSFeedbackFilter
		want []string
	}{
		{"clinic", tendo.CDSFeedbackFilter{ClinicID: a.ID}, []string{"card-2", "card-1"}},
		{"clinics", tendo.CDSFeedbackFilter{ClinicIDs: []int64{b.ID}}, []string{"card-3"}},
		{"no clinics", tendo.CDSFeedbackFilter{ClinicIDs: []int64{}}, nil},
		{"client", tendo.CDSFeedbackFilter{ClientID: cb.ID}, []string{"card-3"}},
		{"service", tendo.CDSFeedbackFilter{ServiceID: "tendo-heel-pain"}, []string{"card-2", "card-1"}},
		{"outcome", tendo.CDSFeedbackFilter{Outcome: tendo.CDSOverridden}, []string{"card-3", "card-2"}},
		{"before", tendo.CDSFeedbackFilter{Before: saved[1].ID}, []string{"card-1"}},
		{"limit", tendo.CDSFeedbackFilter{Limit: 1}, []string{"card-3"}},
	} {
		got, err := s.CDSFeedback(ctx, tc.f)
		must(t, tc.name, err)
		var cards []string
		for _, f := range got {
			cards = append(cards, f.Card)
		}
		eq(t, tc.name, cards, tc.want)
	}

	for _, tc := range []struct {
		name string
		fb   tendo.CDSFeedback
	}{
		{"unknown client", tendo.CDSFeedback{ClientID: cb.ID + 1000, ClinicID: b.ID, ServiceID: "s", Card: "c", Outcome: tendo.CDSAccepted, OutcomeTimestamp: at, ReceivedAt: now}},
		{"unknown outcome", tendo.CDSFeedback{ClientID: cb.ID, ClinicID: b.ID, ServiceID: "s", Card: "c", Outcome: "ignored", OutcomeTimestamp: at, ReceivedAt: now}},
		{"no card", tendo.CDSFeedback{ClientID: cb.ID, ClinicID: b.ID, ServiceID: "s", Outcome: tendo.CDSAccepted, OutcomeTimestamp: at, ReceivedAt: now}},
		{"no time", tendo.CDSFeedback{ClientID: cb.ID, ClinicID: b.ID, ServiceID: "s", Card: "c", Outcome: tendo.CDSAccepted, ReceivedAt: now}},
		{"bad UTF-8", tendo.CDSFeedback{ClientID: cb.ID, ClinicID: b.ID, ServiceID: "s", Card: "c", Outcome: tendo.CDSAccepted, UserComment: "\xff", OutcomeTimestamp: at, ReceivedAt: now}},
	} {
		_, err := s.SaveCDSFeedback(ctx, []tendo.CDSFeedback{tc.fb})
		wantCode(t, tc.name, err, tendo.EINVALID)
	}
	after, _ := s.CDSFeedback(ctx, tendo.CDSFeedbackFilter{})
	eq(t, "items after refused saves", len(after), 3)
}

// end issue 11: cds-clinic

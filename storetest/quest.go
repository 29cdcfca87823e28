package storetest

import (
	"testing"
	"time"

	"github.com/tendo-health/tendo"
)

// Issue 10: links that carry several questionnaires, and revoked links.

// linkSet creates a link for the instruments.
func linkSet(t *testing.T, s tendo.Store, p tendo.PatientRecord, hash string, is ...tendo.Instrument) tendo.QuestionnaireLink {
	t.Helper()
	l, err := s.CreateLink(t.Context(), tendo.QuestionnaireLink{PatientID: p.ID, Instruments: is, ExpiresAt: time.Now().Add(time.Hour)}, hash)
	must(t, "create link", err)
	return l
}

func testLinkSet(t *testing.T, s tendo.Store) {
	ctx := t.Context()
	c := clinic(t, s, "Heel & Co")
	p := patient(t, s, c.ID, "P")
	l := linkSet(t, s, p, "hset", tendo.InstrumentVISAA, tendo.InstrumentODI, tendo.InstrumentNPRS)
	eq(t, "instruments", l.Instruments, []tendo.Instrument{tendo.InstrumentVISAA, tendo.InstrumentODI, tendo.InstrumentNPRS})
	eq(t, "instrument (the first)", l.Instrument, tendo.InstrumentVISAA)
	eq(t, "clinic name", l.Clinic, "Heel & Co")
	eq(t, "answered", l.Answered, []tendo.Instrument{})
	eq(t, "next", l.Next(), tendo.InstrumentVISAA)

	now := time.Now()
	r := response(l)
	r.Instrument = tendo.InstrumentODI // out of the form's order: the store allows it
	_, err := s.SubmitResponse(ctx, r, now)
	must(t, "submit odi", err)
	_, err = s.SubmitResponse(ctx, r, now)
	wantCode(t, "odi again", err, tendo.ECONFLICT)
	r.Instrument = tendo.InstrumentLEFS
	_, err = s.SubmitResponse(ctx, r, now)
	wantCode(t, "an instrument not of the link", err, tendo.EINVALID)

	got, err := s.LinkByToken(ctx, "hset")
	must(t, "link by token", err)
	eq(t, "answered after one", got.Answered, []tendo.Instrument{tendo.InstrumentODI})
	eq(t, "next after one", got.Next(), tendo.InstrumentVISAA)
	if got.UsedAt != nil {
		t.Errorf("link used at %v after one of three", got.UsedAt)
	}

	r.Instrument = "" // the next: VISA-A
	first, err := s.SubmitResponse(ctx, r, now)
	must(t, "submit next", err)
	eq(t, "next submitted", first.Instrument, tendo.InstrumentVISAA)
	r.Instrument = tendo.InstrumentNPRS
	_, err = s.SubmitResponse(ctx, r, now.Add(time.Second))
	must(t, "submit last", err)

	got, err = s.LinkByToken(ctx, "hset")
	must(t, "link by token", err)
	eq(t, "answered in the link's order", got.Answered, l.Instruments)
	eq(t, "next when all answered", got.Next(), tendo.Instrument(""))
	if got.UsedAt == nil {
		t.Fatal("link not used after its last questionnaire")
	}
	utc(t, "used at", *got.UsedAt, now.Add(time.Second))
	_, err = s.SubmitResponse(ctx, r, now.Add(2*time.Second))
	wantCode(t, "submit to a used link", err, tendo.ECONFLICT)

	list, err := s.Links(ctx, p.ID)
	must(t, "links", err)
	eq(t, "links", list, []tendo.QuestionnaireLink{got})
	rs, err := s.Responses(ctx, p.ID)
	must(t, "responses", err)
	eq(t, "responses", len(rs), 3)
}

func testLinkSetInvalid(t *testing.T, s tendo.Store) {
	c := clinic(t, s, "C")
	p := patient(t, s, c.ID, "P")
	for _, tc := range []struct {
		name string
		is   []tendo.Instrument
	}{
		{"none", nil},
		{"twice", []tendo.Instrument{tendo.InstrumentODI, tendo.InstrumentNPRS, tendo.InstrumentODI}},
		{"unknown", []tendo.Instrument{tendo.InstrumentODI, "sf36"}},
		{"too many", []tendo.Instrument{tendo.InstrumentODI, tendo.InstrumentNPRS, tendo.InstrumentLEFS, tendo.InstrumentVISAA, tendo.InstrumentODI}},
		{"a comma", []tendo.Instrument{"odi,nprs"}},
	} {
		_, err := s.CreateLink(t.Context(), tendo.QuestionnaireLink{PatientID: p.ID, Instruments: tc.is, ExpiresAt: time.Now().Add(time.Hour)}, "h-"+tc.name)
		wantCode(t, tc.name, err, tendo.EINVALID)
	}
}

func testLinkRevoke(t *testing.T, s tendo.Store) {
	ctx := t.Context()
	c := clinic(t, s, "C")
	p := patient(t, s, c.ID, "P")
	l := linkSet(t, s, p, "hrev", tendo.InstrumentNPRS, tendo.InstrumentODI)
	used := link(t, s, p, tendo.InstrumentODI, "hused")
	_, err := s.SubmitResponse(ctx, response(used), time.Now())
	must(t, "submit", err)

	_, err = s.SubmitResponse(ctx, response(l), time.Now())
	must(t, "submit the first of two", err)
	now := time.Now()
	must(t, "revoke", s.RevokeLink(ctx, l.ID, now))
	got, err := s.LinkByToken(ctx, "hrev")
	must(t, "link by token", err)
	if got.RevokedAt == nil {
		t.Fatal("revoked link has no RevokedAt")
	}
	utc(t, "revoked at", *got.RevokedAt, now)
	eq(t, "answers kept", got.Answered, []tendo.Instrument{tendo.InstrumentNPRS})

	r := response(l)
	r.Instrument = tendo.InstrumentODI
	_, err = s.SubmitResponse(ctx, r, time.Now())
	wantCode(t, "submit to a revoked link", err, tendo.ECONFLICT)
	wantCode(t, "revoke again", s.RevokeLink(ctx, l.ID, time.Now()), tendo.ECONFLICT)
	wantCode(t, "revoke a used link", s.RevokeLink(ctx, used.ID, time.Now()), tendo.ECONFLICT)
	wantCode(t, "revoke an unknown link", s.RevokeLink(ctx, l.ID+1000, time.Now()), tendo.ENOTFOUND)
}

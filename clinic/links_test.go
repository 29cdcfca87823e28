package clinic_test

import (
	"net/url"
	"strings"
	"testing"

	"github.com/tendo-health/tendo"
	"github.com/tendo-health/tendo/internal/dbtest"
	"github.com/tendo-health/tendo/sqlstore"
)

// Issue 10: questionnaires that fit the visit.

// TestLinkSetResendRevoke walks a link of three questionnaires: answered
// in turn, resent for the two left (the old one revoked), revoked (twice:
// the second does nothing more), and read answer by answer, each step
// audited, each refused to another clinic.
func TestLinkSetResendRevoke(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		w := newWorld(t, db)
		set := []tendo.Instrument{tendo.InstrumentNPRS, tendo.InstrumentODI, tendo.InstrumentLEFS}
		l, token, err := w.svc.CreateLink(w.asA, w.patA.ID, set, 0)
		if err != nil {
			t.Fatal(err)
		}
		if _, _, err := w.svc.CreateLink(w.asB, w.patA.ID, set, 0); code(err) != tendo.ENOTFOUND {
			t.Errorf("another clinic makes a link: %v", err)
		}
		for _, tc := range []struct {
			name string
			inst tendo.Instrument
			vals url.Values
			want string
		}{
			{"out of turn", tendo.InstrumentODI, url.Values{"q1": {"0"}}, tendo.ECONFLICT},
			{"bad answer", tendo.InstrumentNPRS, url.Values{"q1": {"11"}}, tendo.EINVALID},
			{"the first", tendo.InstrumentNPRS, url.Values{"q1": {"3"}}, ""},
			{"the first again", tendo.InstrumentNPRS, url.Values{"q1": {"3"}}, tendo.ECONFLICT},
		} {
			if _, _, err := w.svc.SubmitResponse(w.anonymous, token, tc.inst, tc.vals); code(err) != tc.want {
				t.Errorf("%s: %v, want code %q", tc.name, err, tc.want)
			}
		}
		got, err := w.svc.FindLink(w.anonymous, token)
		if err != nil || got.Next() != tendo.InstrumentODI || got.Clinic != "A" {
			t.Fatalf("the link after one answer: %+v, %v", got, err)
		}

		if _, _, err := w.svc.ResendLink(w.asB, w.patA.ID, l.ID, 0); code(err) != tendo.ENOTFOUND {
			t.Errorf("another clinic resends: %v", err)
		}
		nl, newToken, err := w.svc.ResendLink(w.asA, w.patA.ID, l.ID, 0)
		if err != nil {
			t.Fatal(err)
		}
		if len(nl.Instruments) != 2 || nl.Instruments[0] != tendo.InstrumentODI || newToken == token {
			t.Errorf("resent link %+v, want ODI then LEFS with a new token", nl)
		}
		if _, err := w.svc.FindLink(w.anonymous, token); code(err) != tendo.ECONFLICT {
			t.Errorf("the old link after resend: %v, want a conflict", err)
		}
		if es := w.entries(t, tendo.ActionLinkResend); len(es) != 1 || !strings.Contains(es[0].Detail, "replacing link") || es[0].UserID != w.alice.ID {
			t.Errorf("resend entries: %+v", es)
		}

		if err := w.svc.RevokeLink(w.asB, w.patA.ID, nl.ID); code(err) != tendo.ENOTFOUND {
			t.Errorf("another clinic revokes: %v", err)
		}
		for range 2 {
			if err := w.svc.RevokeLink(w.asA, w.patA.ID, nl.ID); err != nil {
				t.Errorf("revoke: %v", err)
			}
		}
		if es := w.entries(t, tendo.ActionLinkRevoke); len(es) != 2 || !strings.Contains(es[1].Detail, "revoked already") {
			t.Errorf("revoke entries: %+v", es)
		}
		if _, err := w.svc.FindLink(w.anonymous, newToken); code(err) != tendo.ECONFLICT {
			t.Errorf("the revoked link: %v, want a conflict", err)
		}

		rs, err := db.Responses(w.asA, w.patA.ID)
		if err != nil || len(rs) != 1 {
			t.Fatalf("responses: %v %v", rs, err)
		}
		if _, err := w.svc.FindResponse(w.asB, w.patA.ID, rs[0].ID); code(err) != tendo.ENOTFOUND {
			t.Errorf("another clinic reads the answers: %v", err)
		}
		if _, err := w.svc.FindResponse(w.asAdmin, w.patB.ID, rs[0].ID); code(err) != tendo.ENOTFOUND {
			t.Errorf("the answers under another patient: %v", err)
		}
		r, err := w.svc.FindResponse(w.asA, w.patA.ID, rs[0].ID)
		if err != nil || r.Instrument != tendo.InstrumentNPRS || string(r.Answers) != "3" {
			t.Errorf("the answers: %+v %v", r, err)
		}
		if es := w.entries(t, tendo.ActionResponseRead); len(es) != 1 || es[0].PatientID != w.patA.ID {
			t.Errorf("response.read entries: %+v", es)
		}
	})
}

package web_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"
	_ "time/tzdata" // the zones, on a machine without them

	"github.com/tendo-health/tendo"
	"github.com/tendo-health/tendo/sqlstore"
	"github.com/tendo-health/tendo/web"
)

// TestTimesInClinicZone checks that pages show times in the clinic's time
// zone (web.Server.Location; issue 10: small): a questionnaire link made
// at 23:30 UTC on 2 March shows its time and the new-assessment form its
// date as they are where the clinic is.
func TestTimesInClinicZone(t *testing.T) {
	t.Parallel()
	sydney, err := time.LoadLocation("Australia/Sydney")
	if err != nil {
		t.Fatal(err)
	}
	newYork, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 3, 2, 23, 30, 0, 0, time.UTC)
	tests := []struct {
		name     string
		loc      *time.Location
		wantWhen string // the link's creation time on the patient page
		wantDate string // the form's default visit date
	}{
		{"no zone is UTC", nil, "2026-03-02 23:30 UTC", "2026-03-02"},
		{"Sydney is the next day", sydney, "2026-03-03 10:30 AEDT", "2026-03-03"},
		{"New York", newYork, "2026-03-02 18:30 EST", "2026-03-02"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			store, err := sqlstore.OpenSQLite(context.Background(), filepath.Join(t.TempDir(), "tendo.db"))
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { store.Close() })
			srv, err := web.New(store, engine(t), nil)
			if err != nil {
				t.Fatal(err)
			}
			srv.Location = tt.loc
			a := &app{t: t, store: store, users: map[string]tendo.User{}, tokens: map[string]string{}}
			srv.Now, store.Now = a.now, a.now // one clock for the server and the store
			a.srv = httptest.NewServer(srv)
			t.Cleanup(a.srv.Close)
			a.seed(testHash(t))
			// The clock is set once logged in, as the client's cookie jar
			// reads the session cookie's expiry by the machine's clock.
			b := a.login("clinicianA")
			a.setClock(now)
			patient := "/patients/" + itoa(a.patA.ID)

			code, page, _ := b.post(patient+"/links", url.Values{"instrument": {"nprs"}, "days": {"7"}})
			if code != http.StatusOK {
				t.Fatalf("make a link: %d %s", code, page[strings.Index(page, "<main>"):])
			}
			// The link page answers the form; the patient page lists the
			// link with its time.
			_, page, _ = b.get(patient)
			if !strings.Contains(page, "<td>"+tt.wantWhen+"</td>") {
				t.Errorf("the links table does not show the time %q:\n%s", tt.wantWhen, page)
			}
			_, form, _ := b.get(patient + "/assessments/new")
			if !strings.Contains(form, `value="`+tt.wantDate+`"`) {
				t.Errorf("the new assessment's date is not %s", tt.wantDate)
			}
		})
	}
}

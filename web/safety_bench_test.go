package web_test

// issue 10: safety. The dashboard with 1,000 patients.

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/tendo-health/tendo"
	"github.com/tendo-health/tendo/passwd"
	"github.com/tendo-health/tendo/sqlstore"
	"github.com/tendo-health/tendo/web"
)

// benchAssessor is never called: the benchmark stores its visits
// directly.
type benchAssessor struct{}

func (benchAssessor) Assess(*tendo.Assessment) (*tendo.Result, error) { return &tendo.Result{}, nil }
func (benchAssessor) ModelVersion() string                            { return "bench 1" }

// BenchmarkDashboard renders the dashboard of a clinician whose clinic
// has 1,000 patients, each with two visits 13 weeks apart (every tenth
// with an emergency red flag, every third not improved; each with input
// and result documents of realistic size) and a waiting
// questionnaire link every fifth: the whole request, from the session
// cookie through the one store query and the audit entry to the page.
func BenchmarkDashboard(b *testing.B) {
	ctx := context.Background()
	store, err := sqlstore.OpenSQLite(ctx, filepath.Join(b.TempDir(), "tendo.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer store.Close()
	srv, err := web.New(store, benchAssessor{}, nil)
	if err != nil {
		b.Fatal(err)
	}
	c, err := store.CreateClinic(ctx, "Clinic")
	if err != nil {
		b.Fatal(err)
	}
	hash, err := passwd.Hash(testPassword)
	if err != nil {
		b.Fatal(err)
	}
	u, err := store.CreateUser(ctx, tendo.User{Email: "c@c.test", Name: "C", Role: tendo.RoleClinician, ClinicIDs: []int64{c.ID}, PasswordHash: hash})
	if err != nil {
		b.Fatal(err)
	}
	v := func(x float64) *float64 { return &x }
	// Stored visits carry their documents: a result is about 22 kB (the
	// cauda equina case's is 21,602 bytes), an input under 1 kB.
	result := []byte(`{"notes":["` + strings.Repeat("x", 22000) + `"]}`)
	input := []byte(`{"schema":"tendo/assessment/v1","notes":"` + strings.Repeat("y", 700) + `"}`)
	err = store.InTx(ctx, func(tx tendo.Store) error {
		for i := range 1000 {
			p, err := tx.CreatePatient(ctx, tendo.PatientRecord{ClinicID: c.ID, Name: fmt.Sprintf("Patient %04d", i), ExternalID: fmt.Sprintf("MRN-%04d", i), CreatedBy: u.ID})
			if err != nil {
				return err
			}
			var flags []tendo.RedFlagMark
			class := tendo.LocalTendinopathy
			if i%10 == 0 {
				flags, class = []tendo.RedFlagMark{{Code: "cauda-equina-syndrome", Urgency: tendo.Emergency}}, tendo.UrgentReferral
			}
			last := 60.0
			if i%3 == 0 {
				last = 45
			}
			for j, visit := range []struct {
				date  string
				visaA float64
			}{{"2026-06-01", 40}, {"2026-09-01", last}} {
				st := tendo.StoredAssessment{PatientID: p.ID, ClinicID: c.ID, Date: visit.date, Input: input, Result: result,
					ModelVersion: "bench 1", Classification: tendo.LocalTendinopathy, VISAA: v(visit.visaA), CreatedBy: u.ID}
				if j == 1 {
					st.Classification, st.RedFlags = class, flags
				}
				if _, err := tx.SaveAssessment(ctx, st); err != nil {
					return err
				}
			}
			if i%5 == 0 {
				l := tendo.QuestionnaireLink{PatientID: p.ID, ClinicID: c.ID, Instrument: tendo.InstrumentVISAA, CreatedBy: u.ID, ExpiresAt: srv.Now().Add(tendo.DefaultLinkTTL)}
				if _, err := tx.CreateLink(ctx, l, passwd.TokenHash(passwd.Token())); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	// Log in once.
	form := url.Values{"email": {"c@c.test"}, "password": {testPassword}}
	req := httptest.NewRequest("POST", "/login", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	rec := httptest.NewRecorder()
	srv.ServeHTTP(rec, req)
	var session *http.Cookie
	for _, ck := range rec.Result().Cookies() {
		if ck.Name == "tendo_session" {
			session = ck
		}
	}
	if session == nil {
		b.Fatalf("login: %d, no session cookie", rec.Code)
	}
	get := func() *httptest.ResponseRecorder {
		req := httptest.NewRequest("GET", "/", nil)
		req.AddCookie(session)
		rec := httptest.NewRecorder()
		srv.ServeHTTP(rec, req)
		return rec
	}
	if rec := get(); rec.Code != http.StatusOK || strings.Count(rec.Body.String(), `class="badge flag-emergency"`) != 100 ||
		strings.Count(rec.Body.String(), "not improved by the MCID") != 334 || strings.Count(rec.Body.String(), "1 waiting") != 200 {
		b.Fatalf("dashboard: %d, %d emergency badges (want 100), %d not improved (want 334), %d waiting (want 200)", rec.Code,
			strings.Count(rec.Body.String(), `class="badge flag-emergency"`), strings.Count(rec.Body.String(), "not improved by the MCID"), strings.Count(rec.Body.String(), "1 waiting"))
	}
	b.Run("page", func(b *testing.B) {
		cpu := cpuTime()
		for b.Loop() {
			if rec := get(); rec.Code != http.StatusOK {
				b.Fatalf("dashboard: %d", rec.Code)
			}
		}
		reportCPU(b, cpu)
	})
	// The service call alone: the store's one query and the audit entry.
	u.ClinicIDs = []int64{c.ID}
	actx := tendo.NewContext(ctx, tendo.Actor{User: &u})
	b.Run("service", func(b *testing.B) {
		cpu := cpuTime()
		defer reportCPU(b, cpu)
		for b.Loop() {
			if _, err := srv.Clinic().FindPatientSummaries(actx, tendo.PatientQuery{}); err != nil {
				b.Fatal(err)
			}
		}
	})
	// The store's query alone.
	b.Run("query", func(b *testing.B) {
		cpu := cpuTime()
		defer reportCPU(b, cpu)
		for b.Loop() {
			if _, err := store.PatientSummaries(ctx, tendo.SummaryQuery{ClinicIDs: []int64{c.ID}, Limit: 1001, Now: srv.Now()}); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// cpuTime is the process's CPU time so far (user and system). On a
// machine shared with other work the wall time per operation swings with
// the load; the CPU time per operation, reported beside it as
// cpu-ns/op, does not.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func reportCPU(b *testing.B, since time.Duration) {
	if b.N > 0 {
		b.ReportMetric(float64(cpuTime()-since)/float64(b.N), "cpu-ns/op")
	}
}

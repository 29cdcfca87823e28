package main

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"time"
	_ "time/tzdata" // --time-zone on a machine without a zone database

	"github.com/tendo-health/tendo"
	"github.com/tendo-health/tendo/assess"
	"github.com/tendo-health/tendo/chart"
	"github.com/tendo-health/tendo/clinic"
	"github.com/tendo-health/tendo/gaitlab"
	"github.com/tendo-health/tendo/intake"
	"github.com/tendo-health/tendo/passwd"
	"github.com/tendo-health/tendo/sqlstore"
	"github.com/tendo-health/tendo/web"
)

const serveUsage = `Usage: tendo serve [--addr HOST:PORT] [--db DSN] [--demo] [--base-url URL]
                   [--tls-cert FILE --tls-key FILE] [--secure-cookies]
                   [--ranges reference|fast|off] [--trusted-proxy ADDRS]
                   [--idle-timeout DURATION] [--time-zone NAME]
                   [--smart-iss URL=CLINIC ... --smart-client-id ID [--smart-scope S]]

Starts the clinic web application and its JSON API. With no flags it keeps
its data in an embedded SQLite file, tendo.db, in the working directory and
listens on localhost only. A postgres:// URL uses Postgres instead (for
several instances serving one clinic); any other value is a SQLite file
path, created readable by its owner only (0600). Give a Postgres URL in the
TENDO_DB environment variable rather than --db, so that its password stays
out of ps and shell history; tendo never prints a password. Migrations run
at start.

--base-url is the clinic's public address (https://tendo.clinic.example).
Questionnaire links are made with it; without it links can be made only
when the server is reached at a loopback address, so that a forged Host
header never ends up in a link sent to a patient. With --base-url the CDS
Hooks service answers at URL/cds-services for the clients registered with
'tendo cds-client add' (their JWTs' aud is URL/cds-services/{id}); its
cards link to the SMART launch at --smart-launch-url (URL/smart/launch by
default); --cds-allowed-origin names the web origins whose browser-based
CDS clients may call it (CORS).

--demo seeds an empty database with a demo clinic: two logins (printed
here), and patients with several visits each. serve binds its address
first: on a port already in use it stops before the database is opened,
seeded or any login printed.

--ranges chooses how the 90% credible intervals are computed, as for
tendo assess: reference (the default; about 70 ms a save, so about 28 saves
a second on two cores), fast (about 3 ms, approximate) or off.

--trusted-proxy names the reverse proxies (addresses or CIDRs) in front of
tendo: the client's address, for login limits and the audit log, is then
the right-most X-Forwarded-For address that is not one of them. Without
it the peer's address is the client's and the header is ignored.

--idle-timeout ends a session unused for that long (30m by default); a
session lasts 12 hours at most in any case.

--time-zone is the clinic's time zone, an IANA name (Europe/London,
America/New_York): pages show dates and times in it, and a new
assessment's date defaults to the clinic's today. By default it is the
system's time zone ($TZ, or /etc/localtime), which is UTC on a machine
without one. The zone database is built into tendo. The JSON API keeps
RFC 3339 times in UTC.
` + smartUsage + `

Without users, create the first administrator with 'tendo user add'.`

func serveCommand() *command {
	return &command{
		name:    "serve",
		summary: "run the clinic web application (SQLite by default, Postgres with --db)",
		usage:   serveUsage,
		run: func(ctx context.Context, m *Main, args []string) error {
			fs := newFlagSet("serve")
			addr := fs.String("addr", "127.0.0.1:8080", "listen `address`")
			dsn := dbFlag(fs)
			demo := fs.Bool("demo", false, "seed an empty database with a demo clinic")
			baseURL := fs.String("base-url", "", "external `URL` for questionnaire links (default: the request's host)")
			cert := fs.String("tls-cert", "", "TLS certificate `file` (serve HTTPS)")
			key := fs.String("tls-key", "", "TLS key `file`")
			secure := fs.Bool("secure-cookies", false, "mark cookies Secure (set when a TLS proxy is in front)")
			ranges := fs.String("ranges", "reference", "credible intervals: `reference`, fast or off")
			proxies := fs.String("trusted-proxy", "", "reverse proxy `addresses` or CIDRs (comma-separated) whose X-Forwarded-For is believed")
			idle := fs.Duration("idle-timeout", tendo.DefaultIdleTimeout, "end a session unused for this `long`")
			smartF := addSmartFlags(fs) // issue 11: smart
			// issue 11: cds-clinic
			smartLaunch := fs.String("smart-launch-url", "", "the SMART launch `URL` CDS cards link to (default: --base-url + /smart/launch)")
			var cdsOrigins listFlag
			fs.Var(&cdsOrigins, "cds-allowed-origin", "a web `origin` whose browser-based CDS client may call the CDS services (CORS; repeatable)")
			// end issue 11: cds-clinic
			tz := fs.String("time-zone", "", "the clinic's time zone for times on pages: an IANA `name` such as Europe/London (default: the system's, from $TZ or /etc/localtime; UTC without one)")
			pos, err := parseArgs(m, fs, serveUsage, args)
			if err != nil {
				return err
			}
			if len(pos) > 0 {
				return badInputf("serve takes no arguments (see 'tendo serve --help')")
			}
			if (*cert == "") != (*key == "") {
				return badInputf("serve: --tls-cert and --tls-key go together")
			}
			trusted, err := web.ParseTrustedProxies(*proxies)
			if err != nil {
				return badInputf("serve: --trusted-proxy: %v", err)
			}
			if *idle <= 0 {
				return badInputf("serve: --idle-timeout must be positive")
			}
			if (*smartLaunch != "" || len(cdsOrigins) > 0) && *baseURL == "" { // issue 11: cds-clinic
				return badInputf("serve: --smart-launch-url and --cds-allowed-origin need --base-url (the CDS Hooks service is served only with it)")
			}
			// issue 10: small: times on pages in the clinic's zone.
			loc := time.Local
			if *tz != "" {
				if loc, err = time.LoadLocation(*tz); err != nil || *tz == "Local" {
					return badInputf("serve: --time-zone: %q is not a time zone; give an IANA name such as Europe/London or UTC", *tz)
				}
			}
			// issue 10: small: bind the port first, so that a port in use
			// fails before the database is opened, seeded or any demo
			// login printed.
			ln, err := net.Listen("tcp", *addr)
			if err != nil {
				return badInputf("serve: %v", err)
			}
			defer ln.Close()
			logger := slog.New(slog.NewTextHandler(m.Stderr, nil))
			store, err := sqlstore.Open(ctx, *dsn)
			if err != nil {
				return fmt.Errorf("open the database %s: %w", redact(*dsn), err)
			}
			defer store.Close()
			opts, err := rangesOptions(*ranges)
			if err != nil {
				return err
			}
			eng, err := assess.NewWithOptions(opts)
			if err != nil {
				return err
			}
			if *demo {
				if err := seedDemo(ctx, m, store, eng); err != nil {
					return fmt.Errorf("demo: %w", err)
				}
			}
			if n, err := store.CountUsers(ctx); err == nil && n == 0 {
				fmt.Fprintln(m.Stdout, "No users yet: create the first administrator with\n  tendo user add"+dbArg(*dsn)+" --email you@clinic.example --name 'Your Name' --role admin")
			}
			srv, err := web.New(store, eng, logger)
			if err != nil {
				return err
			}
			srv.BaseURL = *baseURL
			srv.SecureCookies = *secure || *cert != ""
			srv.TrustedProxies = trusted
			srv.Clinic().IdleTimeout = *idle
			// issue 11: a repeated assessment (an EHR's patient-view call
			// each time a chart opens) is answered from the cache of
			// results; the engine is deterministic, so nothing changes.
			srv.Clinic().ResultCache = clinic.DefaultResultCache
			srv.Location = loc
			// issue 11: smart
			if srv.SMART, err = smartF.launcher(ctx, store, *baseURL); err != nil {
				return err
			}
			// end issue 11: smart
			// Uploaded gait trials: the C3D analysis, and the plot of
			// their curves over the gait cycle.
			srv.Clinic().GaitAnalyzer = gaitlab.New()
			srv.GaitPlot = func(r *tendo.GaitReport) ([]byte, error) { return chart.GaitCycles(r, "svg") }
			// issue 11: cds-clinic: the CDS Hooks service, whose JWTs'
			// aud is built from the public URL (never from a Host header).
			if *baseURL != "" {
				launch := *smartLaunch
				if launch == "" {
					launch = strings.TrimSuffix(*baseURL, "/") + "/smart/launch"
				}
				if err := srv.EnableCDS(web.CDSOptions{PublicURL: *baseURL, SMARTLaunchURL: launch, AllowedOrigins: cdsOrigins}); err != nil {
					return badInputf("serve: --base-url: %v", err)
				}
			}
			// end issue 11: cds-clinic
			go prune(ctx, srv.Clinic(), logger)
			return serveOn(ctx, m, srv, ln, *cert, *key, eng.ModelVersion())
		},
	}
}

// serveOn serves h on ln, which serve bound before anything else, until
// ctx ends.
func serveOn(ctx context.Context, m *Main, h http.Handler, ln net.Listener, cert, key, model string) error {
	scheme := "http"
	if cert != "" {
		scheme = "https"
	}
	fmt.Fprintf(m.Stdout, "tendo is serving on %s://%s (model %s). Press Ctrl-C to stop.\n", scheme, ln.Addr(), model)
	hs := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    1 << 16,
	}
	errc := make(chan error, 1)
	go func() {
		if cert != "" {
			errc <- hs.ServeTLS(ln, cert, key)
		} else {
			errc <- hs.Serve(ln)
		}
	}()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
		shut, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		err := hs.Shutdown(shut)
		if errors.Is(err, context.DeadlineExceeded) {
			err = nil
		}
		return err
	}
}

// pruneEvery is how often serve deletes old login failures and ended
// sessions.
const pruneEvery = 5 * time.Minute

// prune runs the services' housekeeping every pruneEvery until ctx ends.
func prune(ctx context.Context, svc *clinic.Service, logger *slog.Logger) {
	ctx = tendo.SystemContext(ctx, "serve")
	t := time.NewTicker(pruneEvery)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if err := svc.Prune(ctx); err != nil && ctx.Err() == nil {
				logger.Error("prune sessions and login failures", "err", err)
			}
		}
	}
}

//go:embed demo/*.json
var demoFS embed.FS

// demoPatient is a demo patient and the course of their visits.
type demoPatient struct {
	name, external string
	birthYear      int
	file           string
	visits         []demoVisit
}

type demoVisit struct {
	week             int
	visaA, odi, nprs *float64
}

func f(x float64) *float64 { return &x }

// The demo logins.
const (
	demoClinician = "clinician@demo.tendo"
	demoAdmin     = "admin@demo.tendo"
)

// resetDemoLogins runs when --demo finds users already: the demo seeded
// earlier, its passwords printed once and probably lost, so the demo
// accounts (and only they) get new passwords. A database without them is
// left alone.
func resetDemoLogins(ctx context.Context, m *Main, svc *clinic.Service, users []tendo.User) error {
	found := false
	for _, u := range users {
		if u.Email != demoClinician && u.Email != demoAdmin {
			continue
		}
		pw := passwd.Generate()
		if err := svc.SetPassword(ctx, u.ID, pw); err != nil {
			return err
		}
		if !found {
			fmt.Fprintln(m.Stdout, "demo: already seeded; the demo logins have new passwords.")
			found = true
		}
		fmt.Fprintf(m.Stdout, "demo: log in as %s with password %s\n", u.Email, pw)
	}
	if !found {
		fmt.Fprintln(m.Stdout, "demo: the database has users already; nothing seeded.")
	}
	return nil
}

// seedDemo fills an empty database with a demo clinic through the
// services, acting as the system ("demo") for the clinics and users and
// as the demo clinician for the patients and visits, so that the seed is
// checked and audited like anyone's work. When users exist it seeds
// nothing and only resets the demo logins' passwords.
func seedDemo(ctx context.Context, m *Main, store tendo.Store, eng *assess.Engine) error {
	svc := clinic.New(store, eng, nil)
	sys := tendo.SystemContext(ctx, "demo")
	users, err := svc.FindUsers(sys)
	if err != nil {
		return err
	}
	if len(users) > 0 {
		return resetDemoLogins(sys, m, svc, users)
	}
	demo, err := svc.CreateClinic(sys, "Demo Physiotherapy Clinic")
	if err != nil {
		return err
	}
	other, err := svc.CreateClinic(sys, "Riverside Sports Medicine")
	if err != nil {
		return err
	}
	pw, apw := passwd.Generate(), passwd.Generate()
	clin, err := svc.CreateUser(sys, tendo.NewUser{Email: demoClinician, Name: "Dr Demo", Role: tendo.RoleClinician, Password: pw, ClinicIDs: []int64{demo.ID}})
	if err != nil {
		return err
	}
	if _, err := svc.CreateUser(sys, tendo.NewUser{Email: demoAdmin, Name: "Demo Administrator", Role: tendo.RoleAdmin, Password: apw, ClinicIDs: []int64{demo.ID, other.ID}}); err != nil {
		return err
	}
	now := time.Now().UTC()
	start := now.AddDate(0, 0, -7*12)
	patients := []demoPatient{
		{"Alex Morgan", "DEMO-001", 1990, "runner.json", []demoVisit{{week: 0, visaA: f(48), nprs: f(5)}, {week: 6, visaA: f(61), nprs: f(3)}, {week: 12, visaA: f(76), nprs: f(2)}}},
		{"Sam Okafor", "DEMO-002", 1977, "mimic.json", []demoVisit{{week: 0, odi: f(46), nprs: f(6)}, {week: 4, odi: f(38), nprs: f(5)}, {week: 10, odi: f(26), nprs: f(3)}}},
		{"Jordan Lee", "DEMO-003", 1979, "chain.json", []demoVisit{{week: 0, visaA: f(45), odi: f(36), nprs: f(5)}, {week: 6, visaA: f(52), odi: f(30), nprs: f(4)}, {week: 12, visaA: f(57), odi: f(18), nprs: f(3)}}},
		{"Pat Hughes", "DEMO-004", 1963, "insertional.json", []demoVisit{{week: 0, visaA: f(34), nprs: f(5)}, {week: 8, visaA: f(49), nprs: f(4)}}},
	}
	asClin := tendo.NewContext(ctx, tendo.Actor{User: &clin})
	for _, dp := range patients {
		p, err := svc.CreatePatient(asClin, tendo.NewPatient{ClinicID: demo.ID, Name: dp.name, ExternalID: dp.external, BirthYear: dp.birthYear})
		if err != nil {
			return err
		}
		base, err := demoFS.ReadFile("demo/" + dp.file)
		if err != nil {
			return err
		}
		for _, v := range dp.visits {
			a, err := intake.ParseJSON(base)
			if err != nil {
				return fmt.Errorf("%s: %w", dp.file, err)
			}
			date := start.AddDate(0, 0, 7*v.week)
			a.Date = date.Format("2006-01-02")
			a.ID = fmt.Sprintf("%s-week-%d", dp.external, v.week)
			if v.visaA != nil {
				s := int(*v.visaA)
				a.PROMs.VISAA = &tendo.VISAA{Score: &s}
			}
			if v.odi != nil {
				a.PROMs.ODI = &tendo.ODI{Percent: v.odi}
			}
			if v.nprs != nil {
				n := int(*v.nprs)
				a.PROMs.NPRS = &n
			}
			if a.History.SymptomWeeks != nil {
				w := *a.History.SymptomWeeks + float64(v.week)
				a.History.SymptomWeeks = &w
			}
			input, err := intake.Marshal(a)
			if err != nil {
				return err
			}
			if _, _, err := svc.CreateVisit(asClin, tendo.NewVisit{PatientID: p.ID, Assessment: a, Input: input}); err != nil {
				return err
			}
		}
	}
	fmt.Fprintf(m.Stdout, "demo: seeded %q with %d patients.\n", demo.Name, len(patients))
	fmt.Fprintf(m.Stdout, "demo: log in as clinician@demo.tendo with password %s\n", pw)
	fmt.Fprintf(m.Stdout, "demo: or as admin@demo.tendo with password %s\n", apw)
	return nil
}

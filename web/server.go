package web

import (
	"context"
	"crypto/sha256"
	"embed"
	"encoding/base64"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"net/netip"
	"strings"
	"sync/atomic"
	"time"

	"github.com/tendo-health/tendo"
	"github.com/tendo-health/tendo/clinic"
	"github.com/tendo-health/tendo/report"
	"github.com/tendo-health/tendo/smart" // issue 11: smart
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// Server is the clinic web application and its JSON API.
type Server struct {
	Store    tendo.Store
	Assessor tendo.Assessor
	Logger   *slog.Logger
	// Now returns the current time (tests replace it).
	Now func() time.Time
	// BaseURL, when set, is the external address used in questionnaire
	// links ("https://clinic.example"); otherwise the request's host.
	BaseURL string
	// SecureCookies marks cookies Secure. It is set when the server is
	// reached over TLS (directly or behind a TLS proxy).
	SecureCookies bool
	// TrustedProxies are the reverse proxies whose X-Forwarded-For is
	// believed (ParseTrustedProxies); none: the peer is the client.
	TrustedProxies []netip.Prefix
	// Auth logs people in and manages accounts and tokens (svc, unless a
	// test replaces it).
	Auth authServices
	// GaitPlot draws a gait trial's curves over the gait cycle as SVG;
	// nil, the result page shows a trial's figures without a plot. (The
	// analysis itself is Clinic().GaitAnalyzer.)
	GaitPlot func(*tendo.GaitReport) ([]byte, error)
	// Location is the clinic's time zone: pages show dates and times in
	// it, and a new assessment's date defaults to its today. Nil is UTC.
	// (issue 10: small)
	Location *time.Location
	// issue 11: smart
	// SMART runs EHR launches (SMART App Launch 2.x) for the EHRs of its
	// allow-list; nil, /smart/launch answers 404.
	SMART         *smart.Launcher
	smartSessions smartSessions
	// end issue 11: smart

	// issue 11: cds-clinic
	cds atomic.Pointer[cdsState] // the CDS Hooks service, set by EnableCDS
	// end issue 11: cds-clinic

	svc        *clinic.Service
	pages      map[string]*template.Template
	handler    http.Handler
	form       []formSection
	keys       map[string]bool // the places of the form that show an error
	reportHash string          // CSP hash of the standalone report's inline style
}

// New builds a server. Templates are parsed here, so a template error
// fails the start, not a request.
func New(store tendo.Store, assessor tendo.Assessor, logger *slog.Logger) (*Server, error) {
	if logger == nil {
		logger = slog.Default()
	}
	s := &Server{Store: store, Assessor: assessor, Logger: logger, Now: time.Now}
	s.svc = clinic.New(store, assessor, logger)
	s.svc.Now = func() time.Time { return s.Now() } // one clock: tests set s.Now
	s.Auth = s.svc
	if err := s.parseTemplates(); err != nil {
		return nil, err
	}
	s.form = buildForm()
	s.keys = errorKeys(s.form)
	sum := sha256.Sum256([]byte(report.Stylesheet()))
	s.reportHash = "'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'"
	s.handler = s.routes()
	return s, nil
}

var funcs = template.FuncMap{
	"pct": func(p float64) string { return fmt.Sprintf("%.0f%%", 100*p) },
	// date and when are Server.timeFuncs, in the clinic's time zone.
	"score": func(p *float64) string {
		if p == nil {
			return "—"
		}
		s := fmt.Sprintf("%.1f", *p)
		return strings.TrimSuffix(s, ".0")
	},
	"short": shortClass,
	// num is a gait figure: at most two decimals, "—" for none.
	"num": gaitNum,
	// words writes a gait report's method codes in words.
	"words": gaitWords,
	// instrument is an outcome measure's name for clinicians (the table
	// of facts: tendo.Facts).
	"instrument": func(i tendo.Instrument) string {
		if n := tendo.Facts(string(i)).Name; n != "" {
			return n
		}
		return string(i)
	},
}

func (s *Server) parseTemplates() error {
	names, err := fs.Glob(templateFS, "templates/*.html")
	if err != nil {
		return err
	}
	s.pages = map[string]*template.Template{}
	for _, n := range names {
		base := strings.TrimSuffix(strings.TrimPrefix(n, "templates/"), ".html")
		if base == "layout" {
			continue
		}
		t, err := report.NewTemplates()
		if err != nil {
			return err
		}
		t, err = t.Funcs(funcs).Funcs(s.timeFuncs()).Funcs(formFuncs).ParseFS(templateFS, "templates/layout.html", n)
		if err != nil {
			return fmt.Errorf("web: template %s: %w", n, err)
		}
		s.pages[base] = t
	}
	return nil
}

// ServeHTTP serves the application.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.handler.ServeHTTP(w, r) }

func (s *Server) routes() http.Handler {
	mux := http.NewServeMux()
	static, _ := fs.Sub(staticFS, "static")
	mux.Handle("GET /static/", http.StripPrefix("/static/", staticHandler(static)))
	mux.HandleFunc("GET /static/report.css", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/css; charset=utf-8")
		w.Header().Set("Cache-Control", "public, max-age=3600")
		_, _ = w.Write([]byte(report.Stylesheet()))
	})
	mux.HandleFunc("GET /healthz", s.healthz)
	mux.HandleFunc("GET /readyz", s.readyz)

	// Pages.
	mux.HandleFunc("GET /login", s.loginPage)
	mux.HandleFunc("POST /login", s.login)
	mux.Handle("POST /logout", s.page(s.logout))
	mux.Handle("GET /{$}", s.page(s.dashboard))
	mux.Handle("GET /patients/new", s.page(s.newPatientPage))
	mux.Handle("POST /patients", s.page(s.createPatient))
	mux.Handle("GET /patients/{id}", s.page(s.patientPage))
	mux.Handle("GET /patients/{id}/timeline.svg", s.page(s.timelineSVG))
	mux.Handle("GET /patients/{id}/assessments/new", s.page(s.newAssessmentPage))
	mux.Handle("POST /patients/{id}/assessments", s.page(s.createAssessment))
	mux.Handle("GET /patients/{id}/assessments/{aid}", s.page(s.assessmentPage))
	mux.Handle("GET /patients/{id}/assessments/{aid}/report", s.page(s.reportPage))
	mux.Handle("POST /patients/{id}/assessments/{aid}/gait", s.upload(maxGaitUpload, s.uploadGaitTrial))
	mux.Handle("GET /patients/{id}/assessments/{aid}/gait/{tid}/plot.svg", s.page(s.gaitPlot))
	mux.Handle("POST /patients/{id}/assessments/{aid}/gait/{tid}/apply", s.page(s.applyGaitTrial))
	mux.Handle("POST /patients/{id}/links", s.page(s.createLink))
	// issue 10: programme
	mux.Handle("GET /patients/{id}/programmes", s.page(s.programmesPage))
	mux.Handle("POST /patients/{id}/programmes", s.page(s.createProgramme))
	mux.Handle("POST /patients/{id}/programmes/{pid}/revoke", s.page(s.revokeProgramme))
	mux.Handle("GET /patients/{id}/programmes/{pid}/log.svg", s.page(s.programmeLogSVG))
	mux.Handle("GET /patients/{id}/programmes/{pid}/print", s.page(s.printProgramme))
	mux.HandleFunc("GET /h/{token}", s.homePage)
	mux.HandleFunc("POST /h/{token}", s.logHome)
	// end issue 10: programme
	// issue 10: records.
	mux.Handle("GET /patients/{id}/edit", s.page(s.editPatientPage))
	mux.Handle("POST /patients/{id}/edit", s.page(s.updatePatient))
	mux.Handle("POST /patients/{id}/delete", s.page(s.deletePatient))
	mux.Handle("GET /patients/{id}/assessments/{aid}/amend", s.page(s.amendAssessmentPage))
	mux.Handle("POST /patients/{id}/assessments/{aid}/amend", s.page(s.amendAssessment))
	mux.Handle("POST /patients/{id}/assessments/{aid}/error", s.page(s.markAssessmentError))
	mux.Handle("PATCH /api/patients/{id}", s.api(s.apiUpdatePatient))
	mux.Handle("DELETE /api/patients/{id}", s.api(s.apiDeletePatient))
	mux.Handle("POST /api/patients/{id}/assessments/{aid}/amend", s.api(s.apiAmendAssessment))
	mux.Handle("POST /api/patients/{id}/assessments/{aid}/error", s.api(s.apiMarkAssessmentError))
	// End of issue 10: records.
	// issue 10: questionnaires
	mux.Handle("POST /patients/{id}/links/{lid}/resend", s.page(s.resendLink))
	mux.Handle("POST /patients/{id}/links/{lid}/revoke", s.page(s.revokeLink))
	mux.Handle("GET /patients/{id}/responses/{rid}", s.page(s.responsePage))
	mux.Handle("GET /api/patients/{id}/responses/{rid}", s.api(s.apiResponse))
	mux.Handle("GET /admin", s.page(s.adminPage))
	mux.Handle("GET /admin/audit", s.page(s.auditPage))
	mux.Handle("GET /admin/audit.csv", s.page(s.auditCSV))
	mux.Handle("POST /admin/clinics", s.page(s.createClinic))
	mux.Handle("POST /admin/users", s.page(s.createUser))
	mux.Handle("POST /admin/users/{id}/clinics", s.page(s.setUserClinics))
	mux.Handle("POST /admin/users/{id}/disabled", s.page(s.setUserDisabled))
	mux.Handle("POST /admin/users/{id}/password", s.page(s.resetPassword))
	mux.Handle("GET /account", s.page(s.accountPage))
	mux.Handle("POST /account/tokens", s.page(s.createToken))
	mux.Handle("POST /account/tokens/{id}/revoke", s.page(s.revokeToken))
	mux.Handle("POST /account/password", s.page(s.changePassword))
	mux.Handle("POST /account/logout-everywhere", s.page(s.logoutEverywhere))

	// The patient's questionnaire: the link's token is the only credential.
	mux.HandleFunc("GET /q/{token}", s.questionnairePage)
	mux.HandleFunc("POST /q/{token}", s.submitQuestionnaire)

	// JSON API (Authorization: Bearer <token>).
	mux.Handle("GET /api/me", s.api(s.apiMe))
	mux.Handle("GET /api/patients", s.api(s.apiPatients))
	mux.Handle("POST /api/patients", s.api(s.apiCreatePatient))
	mux.Handle("GET /api/patients/{id}", s.api(s.apiPatient))
	mux.Handle("GET /api/patients/{id}/assessments", s.api(s.apiAssessments))
	mux.Handle("POST /api/patients/{id}/assessments", s.api(s.apiCreateAssessment))
	mux.Handle("GET /api/patients/{id}/assessments/{aid}", s.api(s.apiAssessment))
	mux.Handle("GET /api/patients/{id}/assessments/{aid}/gait", s.api(s.apiGaitTrials))
	mux.Handle("POST /api/patients/{id}/assessments/{aid}/gait", s.api(s.apiUploadGaitTrial))
	mux.Handle("GET /api/patients/{id}/assessments/{aid}/gait/{tid}", s.api(s.apiGaitTrial))
	mux.Handle("POST /api/patients/{id}/assessments/{aid}/gait/{tid}/apply", s.api(s.apiApplyGaitTrial))
	mux.Handle("GET /api/patients/{id}/timeline", s.api(s.apiTimeline))
	mux.Handle("POST /api/patients/{id}/links", s.api(s.apiCreateLink))
	mux.Handle("POST /api/assess", s.api(s.apiAssess))
	mux.Handle("GET /api/audit", s.api(s.apiAudit))
	mux.Handle("GET /api/tokens", s.api(s.apiTokens))
	mux.Handle("POST /api/tokens", s.api(s.apiCreateToken))
	mux.Handle("DELETE /api/tokens/{id}", s.api(s.apiRevokeToken))
	mux.Handle("PATCH /api/users/{id}", s.api(s.apiUpdateUser))
	// issue 10: safety
	mux.Handle("GET /api/dashboard", s.api(s.apiDashboard))
	// issue 11: smart
	mux.Handle("GET /smart/launch", s.page(s.smartLaunch))
	mux.Handle("GET /smart/callback", s.page(s.smartCallback))
	// end issue 11: smart
	// issue 11: fhir-import
	mux.Handle("GET /api/patients/{id}/fhir", s.api(s.apiPatientFHIR))
	mux.Handle("POST /api/patients/{id}/fhir", s.api(s.apiImportFHIR))
	mux.Handle("GET /api/fhir/export", s.api(s.apiExportFHIR))
	mux.Handle("POST /patients/{id}/assessments/fhir", s.upload(maxFHIRUpload, s.importAssessmentPage))
	// end issue 11: fhir-import
	// issue 11: cds-clinic
	mux.HandleFunc(cdsPath, s.cdsHooks)
	mux.HandleFunc(cdsPath+"/", s.cdsHooks)
	mux.Handle("GET /api/cds/feedback", s.api(s.apiCDSFeedback))
	// end issue 11: cds-clinic
	mux.HandleFunc("/api/", func(w http.ResponseWriter, r *http.Request) {
		s.Error(w, r, tendo.Errorf(tendo.ENOTFOUND, "No such API route."))
	})

	cop := http.NewCrossOriginProtection()
	// issue 11: cds-clinic: the CDS Hooks routes use no cookie (a
	// client's JWT in every call), so a cross-origin POST forges nothing;
	// browser-based CDS clients of CDSOptions.AllowedOrigins get CORS.
	cop.AddInsecureBypassPattern(cdsPath + "/")
	// end issue 11: cds-clinic
	// issue 10: small: the access log outermost; a styled 404.
	return s.accessLog(s.securityHeaders(s.recoverer(cop.Handler(s.styledNotFound(mux)))))
}

// staticHandler serves the embedded assets with cache headers.
func staticHandler(fsys fs.FS) http.Handler {
	h := http.FileServerFS(fsys)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "public, max-age=3600")
		h.ServeHTTP(w, r)
	})
}

// securityHeaders sets the headers every response carries: a content
// security policy with no inline scripts (and no scripts at all), no
// framing, no MIME sniffing, no referrer (questionnaire links carry their
// token in the URL), and no caching of pages with patient data.
func (s *Server) securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", "default-src 'none'; script-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		if s.SecureCookies {
			h.Set("Strict-Transport-Security", "max-age=31536000")
		}
		if !strings.HasPrefix(r.URL.Path, "/static/") {
			h.Set("Cache-Control", "no-store")
		}
		next.ServeHTTP(w, r)
	})
}

// recoverer turns a panic into a logged internal error.
func (s *Server) recoverer(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.Logger.Error("panic", "method", r.Method, "path", r.URL.Path, "panic", v)
				http.Error(w, "Internal error.", http.StatusInternalServerError)
			}
		}()
		next.ServeHTTP(w, r)
	})
}

type ctxKey int

const (
	userKey ctxKey = iota
	sessionKey
)

func withUser(ctx context.Context, u tendo.User, sess *tendo.Session) context.Context {
	ctx = context.WithValue(ctx, userKey, u)
	a := tendo.ActorFrom(ctx)
	a.User = &u
	if sess != nil {
		ctx = context.WithValue(ctx, sessionKey, *sess)
		a.SessionID = sess.ID
	}
	return tendo.NewContext(ctx, a)
}

// anonymous is the request's context for a caller without a login (a
// patient holding a questionnaire link): an actor with only the address
// and the user agent.
func (s *Server) anonymous(r *http.Request) context.Context {
	return tendo.NewContext(r.Context(), tendo.Actor{Addr: s.clientAddr(r), UserAgent: r.UserAgent()})
}

func userFrom(ctx context.Context) (tendo.User, bool) {
	u, ok := ctx.Value(userKey).(tendo.User)
	return u, ok
}

func sessionFrom(ctx context.Context) (tendo.Session, bool) {
	s, ok := ctx.Value(sessionKey).(tendo.Session)
	return s, ok
}

package web_test

import (
	"net/http"
	"net/url"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/tendo-health/tendo"
)

// What a route does, for the audit walk: it reads or changes patient
// data, it is a security event (logins, tokens, users, clinics, the audit
// log), or neither. Every route of the authorization matrix must be
// classified here, so a new route cannot be added without saying whether
// it is audited.
const (
	neither  = "neither"
	data     = "patient data"
	security = "security event"
)

var routeKinds = map[string]string{
	"login page (logged-in users go home)":      neither,
	"health":                                    neither,
	"readiness":                                 neither,
	"stylesheet":                                neither,
	"patient list":                              data,
	"new patient form":                          neither,
	"create patient in clinic A":                data,
	"patient page":                              data,
	"timeline chart":                            data,
	"new assessment form":                       data,
	"save assessment":                           data,
	"result page":                               data,
	"printable report":                          data,
	"upload gait trial":                         data,
	"gait trial plot":                           data,
	"apply gait trial":                          data,
	"create questionnaire link":                 data,
	"resend questionnaire link":                 data, // issue 10: questionnaires
	"revoke questionnaire link":                 data,
	"questionnaire answers":                     data,
	"API: questionnaire answers":                data,
	"admin page":                                security,
	"admin: create clinic":                      security,
	"admin: create user":                        security,
	"account page":                              neither,
	"create API token":                          security,
	"questionnaire with a valid link":           data,
	"questionnaire with a made-up link":         data,
	"API: me":                                   neither,
	"API: patients":                             data,
	"API: create patient in clinic A":           data,
	"API: patient":                              data,
	"API: assessments":                          data,
	"API: save assessment":                      data,
	"API: one assessment":                       data,
	"API: gait trials":                          data,
	"API: upload gait trial":                    data,
	"API: gait trial":                           data,
	"API: apply gait trial":                     data,
	"API: timeline":                             data,
	"API: create link":                          data,
	"API: assess without storing":               neither,
	"API: audit log":                            security,
	"API: unknown route":                        neither,
	"log in with a wrong password":              security,
	"questionnaire submitted to a made-up link": data,
	"admin: audit log page":                     security,
	"admin: audit log CSV":                      security,
	"admin: set a user's clinics":               security,
	"admin: enable a user":                      security,
	"account: revoke an unknown token":          security,
	"account: change password with a wrong current one": security,
	"API: tokens":                  neither,
	"API: create token":            security,
	"API: revoke an unknown token": security,
	"API: set a user's clinics":    security,
	"admin: reset a password":      security,
	"account: log out everywhere":  security,
	"log out":                      security,
	// issue 10: programme
	"programme page":                     data,
	"create programme":                   data,
	"programme log chart":                data,
	"printable programme":                data,
	"home programme with a valid link":   data,
	"home programme with a made-up link": data,
	"log a session with a valid link":    data,
	"log a session to a made-up link":    data,
	"revoke programme":                   data,
	// end issue 10: programme

	// issue 10: form
	"new assessment form from the last visit": data,
	// issue 10: records.
	"edit patient form":                     data,
	"edit patient":                          data,
	"delete patient (admin)":                data,
	"amend assessment form":                 data,
	"amend assessment":                      data,
	"mark assessment entered in error":      data,
	"API: edit patient":                     data,
	"API: delete patient (admin)":           data,
	"API: amend assessment":                 data,
	"API: mark assessment entered in error": data,
	// issue 10: safety
	"patient list with a search": data,
	"API: dashboard":             data,
	// issue 11: smart
	"SMART launch (not configured)":   neither,
	"SMART callback (not configured)": neither,
	// end issue 11: smart
	// issue 11: fhir-import
	"API: import FHIR bundle":          data,
	"API: patient as FHIR":             data,
	"API: FHIR export (NDJSON)":        data,
	"import FHIR bundle into the form": data,
	// end issue 11: fhir-import
	// issue 11: cds-clinic
	"CDS Hooks: discovery":              neither,
	"CDS Hooks: call without a JWT":     security,
	"CDS Hooks: feedback without a JWT": security,
	"API: CDS feedback":                 data,
	// end issue 11: cds-clinic
}

// TestEveryRouteIsAudited walks every route of the authorization matrix
// as every actor and fails when a read or change of patient data, a
// security event or a refused request leaves no entry in the audit log.
func TestEveryRouteIsAudited(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	browsers := map[string]*browser{}
	for _, actor := range actors {
		browsers[actor] = a.login(userOf(actor))
	}
	count := func() int {
		es, err := a.store.AuditLog(t.Context(), tendo.AuditFilter{Limit: 10000})
		if err != nil {
			t.Fatal(err)
		}
		return len(es)
	}
	walked := 0
	for _, rt := range routes(a) {
		kind, ok := routeKinds[rt.name]
		if !ok {
			t.Errorf("route %q is not classified for the audit walk (routeKinds)", rt.name)
			continue
		}
		for _, actor := range actors {
			if rt.fresh && !rt.api {
				browsers[actor] = a.login(userOf(actor)) // before counting: a login is audited too
			}
			before := count()
			var code int
			var loc string
			if rt.api {
				var b []byte
				if rt.body != nil {
					b = rt.body(a)
				}
				if rt.file != nil {
					code, _ = a.apiUpload(userOf(actor), rt.path, nil, rt.file(a))
				} else {
					code, _ = a.api(userOf(actor), rt.method, rt.path, b)
				}
			} else {
				br := browsers[actor]
				if rt.method == "GET" {
					code, _, loc = br.get(rt.path)
				} else {
					form := url.Values{}
					if rt.form != nil {
						form = rt.form(a)
					}
					if rt.file != nil {
						code, _, loc = br.postFile(rt.path, form, rt.file(a))
					} else {
						code, _, loc = br.post(rt.path, form)
					}
				}
			}
			walked++
			denied := code == http.StatusUnauthorized || code == http.StatusForbidden ||
				(code == http.StatusNotFound && kind != neither) ||
				(code == http.StatusSeeOther && strings.HasPrefix(loc, "/login"))
			if kind == neither && !denied {
				continue
			}
			if count() == before {
				why := kind
				if denied {
					why = "a refused request"
				}
				t.Errorf("%s (%s %s) as %s: status %d, %s, and no audit entry", rt.name, rt.method, rt.path, actor, code, why)
			}
		}
	}
	t.Logf("walked %d route × actor pairs", walked)
}

// TestMatrixCoversEveryRoute fails when server.go registers a route that
// the authorization matrix (and so the audit walk) does not request.
func TestMatrixCoversEveryRoute(t *testing.T) {
	t.Parallel()
	src, err := os.ReadFile("server.go")
	if err != nil {
		t.Fatal(err)
	}
	a := newApp(t)
	matrix := routes(a)
	registered := regexp.MustCompile(`mux\.Handle(?:Func)?\("([A-Z]+) ([^"]+)"`).FindAllStringSubmatch(string(src), -1)
	if len(registered) < 40 {
		t.Fatalf("found %d routes in server.go; the pattern no longer matches", len(registered))
	}
	for _, m := range registered {
		method, pattern := m[1], m[2]
		if strings.HasPrefix(pattern, "/static/") {
			continue // public assets: no data, no session
		}
		re := "^" + regexp.MustCompile(`\\\{[a-z]+\\\}`).ReplaceAllString(regexp.QuoteMeta(pattern), `[^/?]+`)
		re = strings.Replace(re, `\{\$\}`, "", 1) + `(\?.*)?$`
		pathRE := regexp.MustCompile(re)
		found := false
		for _, rt := range matrix {
			if rt.method == method && pathRE.MatchString(rt.path) {
				found = true
				break
			}
		}
		if !found {
			t.Errorf("%s %s is registered but not in the authorization matrix", method, pattern)
		}
	}
}

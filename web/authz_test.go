package web_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/tendo-health/tendo"
)

// The actors of the authorization test.
const (
	anon       = "anonymous"
	linkHolder = "patient-link holder"
	otherClin  = "clinician of another clinic"
	clinician  = "clinician"
	admin      = "admin"
	// issue 11: cds-clinic: the user of clinic A's CDS client, with the
	// test password and a token planted in the store. Where a route
	// gives it no expectation of its own it must be treated as anonymous:
	// it cannot log in or use a token, and sees nothing of clinic A.
	cdsClient = "CDS client"
)

var actors = []string{anon, linkHolder, otherClin, clinician, admin, cdsClient}

// userOf maps an actor to the test user it logs in as ("" for none).
func userOf(actor string) string {
	switch actor {
	case otherClin:
		return "clinicianB"
	case clinician:
		return "clinicianA"
	case admin:
		return "admin"
	case cdsClient: // issue 11: cds-clinic
		return "cdsClient"
	}
	return ""
}

// route is one request and the status each actor must get.
type route struct {
	name   string
	method string
	path   string
	api    bool                    // JSON API (bearer token) rather than a page (session)
	form   func(a *app) url.Values // page POST body
	body   func(a *app) []byte     // API body
	file   func(a *app) []byte     // when set, a multipart body: the form (pages) and this in the field "file"
	want   map[string]int
	// fresh: each actor logs in anew first (the routes that end
	// sessions come last and need one).
	fresh bool
}

// same gives every actor the same expectation.
func same(code int) map[string]int {
	m := map[string]int{}
	for _, a := range actors {
		m[a] = code
	}
	return m
}

// staff: the expectations for a patient-scoped route: no session or token
// is refused (redirect or 401), another clinic gets "not found", the
// patient's clinician and the admin get ok.
func staff(none, other, ok int) map[string]int {
	return map[string]int{anon: none, linkHolder: none, otherClin: other, clinician: ok, admin: ok}
}

func routes(a *app) []route {
	p := "/patients/" + itoa(a.patA.ID)
	ap := "/api/patients/" + itoa(a.patA.ID)
	aid := jsonNum(a.assA)
	see, unauth, notFound, forbidden := http.StatusSeeOther, http.StatusUnauthorized, http.StatusNotFound, http.StatusForbidden
	ok, created, invalid := http.StatusOK, http.StatusCreated, http.StatusUnprocessableEntity
	progID, progToken := seedProgramme(a) // issue 10: programme
	assessmentForm := func(a *app) url.Values {
		return url.Values{"date": {"2026-11-01"}, "history.painSite": {"midportion"}, "exam.arcSign": {"positive"}}
	}
	return []route{
		{name: "login page (logged-in users go home)", method: "GET", path: "/login", want: staff(ok, see, see)},
		{name: "health", method: "GET", path: "/healthz", want: same(ok)},
		{name: "readiness", method: "GET", path: "/readyz", want: same(ok)},
		{name: "stylesheet", method: "GET", path: "/static/app.css", want: same(ok)},
		{name: "patient list", method: "GET", path: "/", want: staff(see, ok, ok)},
		{name: "new patient form", method: "GET", path: "/patients/new", want: staff(see, ok, ok)},
		{name: "create patient in clinic A", method: "POST", path: "/patients",
			form: func(a *app) url.Values { return url.Values{"clinicId": {itoa(a.clinA.ID)}, "name": {"New Person"}} },
			want: staff(unauth, invalid, see)},
		{name: "patient page", method: "GET", path: p, want: staff(see, notFound, ok)},
		{name: "timeline chart", method: "GET", path: p + "/timeline.svg", want: staff(see, notFound, ok)},
		{name: "new assessment form", method: "GET", path: p + "/assessments/new", want: staff(see, notFound, ok)},
		{name: "save assessment", method: "POST", path: p + "/assessments", form: assessmentForm, want: staff(unauth, notFound, see)},
		{name: "result page", method: "GET", path: p + "/assessments/" + aid, want: staff(see, notFound, ok)},
		{name: "printable report", method: "GET", path: p + "/assessments/" + aid + "/report", want: staff(see, notFound, ok)},
		{name: "upload gait trial", method: "POST", path: p + "/assessments/" + aid + "/gait", file: gaitFile,
			form: func(a *app) url.Values { return url.Values{"side": {"left"}} }, want: staff(unauth, notFound, see)},
		{name: "gait trial plot", method: "GET", path: p + "/assessments/" + aid + "/gait/" + itoa(a.trialA) + "/plot.svg", want: staff(see, notFound, ok)},
		{name: "apply gait trial", method: "POST", path: p + "/assessments/" + aid + "/gait/" + itoa(a.trialA) + "/apply", want: staff(unauth, notFound, see)},
		// issue 10: form
		{name: "new assessment form from the last visit", method: "GET", path: p + "/assessments/new?from=last", want: staff(see, notFound, ok)},
		{name: "create questionnaire link", method: "POST", path: p + "/links",
			form: func(a *app) url.Values { return url.Values{"instrument": {"odi"}} }, want: staff(unauth, notFound, ok)},
		{name: "admin page", method: "GET", path: "/admin",
			want: map[string]int{anon: see, linkHolder: see, otherClin: forbidden, clinician: forbidden, admin: ok}},
		{name: "admin: create clinic", method: "POST", path: "/admin/clinics",
			form: func(a *app) url.Values { return url.Values{"clinicName": {"Clinic C"}} },
			want: map[string]int{anon: unauth, linkHolder: unauth, otherClin: forbidden, clinician: forbidden, admin: see}},
		{name: "admin: create user", method: "POST", path: "/admin/users",
			form: func(a *app) url.Values {
				return url.Values{"email": {"new-" + strings.ToLower(strings.ReplaceAll(a.t.Name(), "/", "-")) + "@x.test"}, "name": {"N"}, "role": {"clinician"}, "password": {"long enough password"}, "clinics": {itoa(a.clinA.ID)}}
			},
			want: map[string]int{anon: unauth, linkHolder: unauth, otherClin: forbidden, clinician: forbidden, admin: see}},
		{name: "account page", method: "GET", path: "/account", want: staff(see, ok, ok)},
		{name: "create API token", method: "POST", path: "/account/tokens",
			form: func(a *app) url.Values { return url.Values{"tokenName": {"t"}} }, want: staff(unauth, ok, ok)},
		// issue 10: questionnaires (questSeed: a link of two, one answered)
		{name: "resend questionnaire link", method: "POST", path: p + "/links/" + itoa(questSeed(a).link) + "/resend", want: staff(unauth, notFound, ok)},
		{name: "revoke questionnaire link", method: "POST", path: p + "/links/" + itoa(questSeed(a).link) + "/revoke", want: staff(unauth, notFound, see)},
		{name: "questionnaire answers", method: "GET", path: p + "/responses/" + itoa(questSeed(a).response), want: staff(see, notFound, ok)},
		{name: "API: questionnaire answers", method: "GET", path: ap + "/responses/" + itoa(questSeed(a).response), api: true, want: staff(unauth, notFound, ok)},
		{name: "questionnaire with a valid link", method: "GET", path: "/q/" + a.link, want: same(ok)},
		{name: "questionnaire with a made-up link", method: "GET", path: "/q/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", want: same(notFound)},

		{name: "API: me", method: "GET", path: "/api/me", api: true, want: staff(unauth, ok, ok)},
		{name: "API: patients", method: "GET", path: "/api/patients", api: true, want: staff(unauth, ok, ok)},
		{name: "API: create patient in clinic A", method: "POST", path: "/api/patients", api: true,
			body: func(a *app) []byte { return []byte(`{"clinicId":` + itoa(a.clinA.ID) + `,"name":"Via API"}`) },
			want: staff(unauth, invalid, created)},
		{name: "API: patient", method: "GET", path: ap, api: true, want: staff(unauth, notFound, ok)},
		{name: "API: assessments", method: "GET", path: ap + "/assessments", api: true, want: staff(unauth, notFound, ok)},
		{name: "API: save assessment", method: "POST", path: ap + "/assessments", api: true,
			body: func(a *app) []byte { return caseJSON(a.t, "s1-mimic") }, want: staff(unauth, notFound, created)},
		{name: "API: one assessment", method: "GET", path: ap + "/assessments/" + aid, api: true, want: staff(unauth, notFound, ok)},
		{name: "API: gait trials", method: "GET", path: ap + "/assessments/" + aid + "/gait", api: true, want: staff(unauth, notFound, ok)},
		{name: "API: upload gait trial", method: "POST", path: ap + "/assessments/" + aid + "/gait", api: true, file: gaitFile,
			want: staff(unauth, notFound, created)},
		{name: "API: gait trial", method: "GET", path: ap + "/assessments/" + aid + "/gait/" + itoa(a.trialA), api: true, want: staff(unauth, notFound, ok)},
		{name: "API: apply gait trial", method: "POST", path: ap + "/assessments/" + aid + "/gait/" + itoa(a.trialA) + "/apply", api: true,
			want: staff(unauth, notFound, created)},
		{name: "API: timeline", method: "GET", path: ap + "/timeline", api: true, want: staff(unauth, notFound, ok)},
		{name: "API: create link", method: "POST", path: ap + "/links", api: true,
			body: func(a *app) []byte { return []byte(`{"instrument":"nprs"}`) }, want: staff(unauth, notFound, created)},
		{name: "API: assess without storing", method: "POST", path: "/api/assess", api: true,
			body: func(a *app) []byte { return caseJSON(a.t, "mixed-kinetic-chain") }, want: staff(unauth, ok, ok)},
		{name: "API: audit log", method: "GET", path: "/api/audit", api: true,
			want: map[string]int{anon: unauth, linkHolder: unauth, otherClin: forbidden, clinician: forbidden, admin: ok}},
		{name: "API: unknown route", method: "GET", path: "/api/nothing", api: true, want: same(notFound)},

		// issue 10: programme (the revoke last: it ends the seeded link).
		{name: "programme page", method: "GET", path: p + "/programmes", want: staff(see, notFound, ok)},
		{name: "create programme", method: "POST", path: p + "/programmes",
			form: func(a *app) url.Values { return programmeForm(a, "hsr") }, want: staff(unauth, notFound, ok)},
		{name: "programme log chart", method: "GET", path: p + "/programmes/" + progID + "/log.svg", want: staff(see, notFound, ok)},
		{name: "printable programme", method: "GET", path: p + "/programmes/" + progID + "/print", want: staff(see, notFound, ok)},
		{name: "home programme with a valid link", method: "GET", path: "/h/" + progToken, want: same(ok)},
		{name: "home programme with a made-up link", method: "GET", path: "/h/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", want: same(notFound)},
		{name: "log a session with a valid link", method: "POST", path: "/h/" + progToken,
			form: func(a *app) url.Values {
				return url.Values{"date": {a.now().UTC().Format("2006-01-02")}, "during": {"2"}, "morning": {"1"}}
			}, want: same(see)},
		{name: "log a session to a made-up link", method: "POST", path: "/h/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
			form: func(a *app) url.Values { return url.Values{"date": {"2026-11-01"}, "during": {"2"}} }, want: same(notFound)},
		{name: "revoke programme", method: "POST", path: p + "/programmes/" + progID + "/revoke", want: staff(unauth, notFound, see)},
		// end issue 10: programme

		// Accounts and administration (issue 8).
		{name: "log in with a wrong password", method: "POST", path: "/login",
			form: func(a *app) url.Values {
				return url.Values{"email": {"nobody@x.test"}, "password": {"not the password"}}
			},
			// issue 11: cds-clinic: the sixth actor's is the sixth wrong
			// password for one account in the window (clinic.MaxFailsAccount 5).
			want: func() map[string]int { m := same(unauth); m[cdsClient] = http.StatusTooManyRequests; return m }()},
		{name: "questionnaire submitted to a made-up link", method: "POST", path: "/q/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
			form: func(a *app) url.Values { return url.Values{"q1": {"1"}} }, want: same(notFound)},
		{name: "admin: audit log page", method: "GET", path: "/admin/audit",
			want: map[string]int{anon: see, linkHolder: see, otherClin: forbidden, clinician: forbidden, admin: ok}},
		{name: "admin: audit log CSV", method: "GET", path: "/admin/audit.csv?patientId=" + itoa(a.patA.ID),
			want: map[string]int{anon: see, linkHolder: see, otherClin: forbidden, clinician: forbidden, admin: ok}},
		{name: "admin: set a user's clinics", method: "POST", path: "/admin/users/" + itoa(a.users["clinicianB"].ID) + "/clinics",
			form: func(a *app) url.Values { return url.Values{"clinics": {itoa(a.clinB.ID)}} },
			want: map[string]int{anon: unauth, linkHolder: unauth, otherClin: forbidden, clinician: forbidden, admin: see}},
		{name: "admin: enable a user", method: "POST", path: "/admin/users/" + itoa(a.users["clinicianB"].ID) + "/disabled",
			form: func(a *app) url.Values { return url.Values{"disabled": {"false"}} },
			want: map[string]int{anon: unauth, linkHolder: unauth, otherClin: forbidden, clinician: forbidden, admin: see}},
		{name: "account: revoke an unknown token", method: "POST", path: "/account/tokens/999999/revoke",
			want: staff(unauth, notFound, notFound)},
		{name: "account: change password with a wrong current one", method: "POST", path: "/account/password",
			form: func(a *app) url.Values {
				return url.Values{"current": {"not my password"}, "password": {"a new long password"}, "confirm": {"a new long password"}}
			},
			want: staff(unauth, invalid, invalid)},
		{name: "API: tokens", method: "GET", path: "/api/tokens", api: true, want: staff(unauth, ok, ok)},
		{name: "API: create token", method: "POST", path: "/api/tokens", api: true,
			body: func(a *app) []byte { return []byte(`{"name":"walk","days":1}`) }, want: staff(unauth, created, created)},
		{name: "API: revoke an unknown token", method: "DELETE", path: "/api/tokens/999999", api: true, want: staff(unauth, notFound, notFound)},
		{name: "API: set a user's clinics", method: "PATCH", path: "/api/users/" + itoa(a.users["clinicianB"].ID), api: true,
			body: func(a *app) []byte { return []byte(`{"clinicIds":[` + itoa(a.clinB.ID) + `]}`) },
			want: map[string]int{anon: unauth, linkHolder: unauth, otherClin: forbidden, clinician: forbidden, admin: ok}},
		// issue 10: records. Each correction has a target of its own; the
		// clinician corrects it first, so the admin's attempt after finds
		// it corrected already (409); records_test.go covers the admin's.
		{name: "edit patient form", method: "GET", path: p + "/edit", want: staff(see, notFound, ok)},
		{name: "edit patient", method: "POST", path: p + "/edit",
			form: func(a *app) url.Values {
				return url.Values{"name": {a.patA.Name}, "externalId": {a.patA.ExternalID}, "birthYear": {"1980"}}
			},
			want: staff(unauth, notFound, see)},
		{name: "delete patient (admin)", method: "POST", path: "/patients/" + itoa(a.records().deletePage) + "/delete",
			form: func(a *app) url.Values { return url.Values{"reason": {"duplicate record"}} },
			want: map[string]int{anon: unauth, linkHolder: unauth, otherClin: forbidden, clinician: forbidden, admin: see}},
		{name: "amend assessment form", method: "GET", path: p + "/assessments/" + aid + "/amend", want: staff(see, notFound, ok)},
		{name: "amend assessment", method: "POST", path: p + "/assessments/" + itoa(a.records().amendPage) + "/amend",
			form: func(a *app) url.Values { f := assessmentForm(a); f.Set("reason", "wrong side"); return f },
			want: map[string]int{anon: unauth, linkHolder: unauth, otherClin: notFound, clinician: see, admin: http.StatusConflict}},
		{name: "mark assessment entered in error", method: "POST", path: p + "/assessments/" + itoa(a.records().errorPage) + "/error",
			form: func(a *app) url.Values { return url.Values{"reason": {"wrong patient"}} },
			want: map[string]int{anon: unauth, linkHolder: unauth, otherClin: notFound, clinician: see, admin: http.StatusConflict}},
		{name: "API: edit patient", method: "PATCH", path: ap, api: true,
			body: func(a *app) []byte { return []byte(`{"birthYear":1981}`) }, want: staff(unauth, notFound, ok)},
		{name: "API: delete patient (admin)", method: "DELETE", path: "/api/patients/" + itoa(a.records().deleteAPI), api: true,
			body: func(a *app) []byte { return []byte(`{"reason":"duplicate record"}`) },
			want: map[string]int{anon: unauth, linkHolder: unauth, otherClin: forbidden, clinician: forbidden, admin: http.StatusNoContent}},
		{name: "API: amend assessment", method: "POST", path: ap + "/assessments/" + itoa(a.records().amendAPI) + "/amend", api: true,
			body: func(a *app) []byte {
				return []byte(`{"reason":"wrong side","assessment":` + string(caseJSON(a.t, "s1-mimic")) + `}`)
			},
			want: map[string]int{anon: unauth, linkHolder: unauth, otherClin: notFound, clinician: created, admin: http.StatusConflict}},
		{name: "API: mark assessment entered in error", method: "POST", path: ap + "/assessments/" + itoa(a.records().errorAPI) + "/error", api: true,
			body: func(a *app) []byte { return []byte(`{"reason":"wrong patient"}`) },
			want: map[string]int{anon: unauth, linkHolder: unauth, otherClin: notFound, clinician: ok, admin: http.StatusConflict}},
		// End of issue 10: records.
		// issue 10: safety
		{name: "patient list with a search", method: "GET", path: "/?q=alpha", want: staff(see, ok, ok)},
		{name: "API: dashboard", method: "GET", path: "/api/dashboard?q=a&limit=10", api: true, want: staff(unauth, ok, ok)},
		// issue 11: smart. Not configured in this app (404 once signed in);
		// smart_test.go walks a configured launch, its refusals and audit.
		{name: "SMART launch (not configured)", method: "GET", path: "/smart/launch?iss=https%3A%2F%2Fehr.example%2Ffhir&launch=x", want: staff(see, notFound, notFound)},
		{name: "SMART callback (not configured)", method: "GET", path: "/smart/callback?code=c&state=s", want: staff(see, notFound, notFound)},
		// end issue 11: smart
		// issue 11: fhir-import
		{name: "API: import FHIR bundle", method: "POST", path: ap + "/fhir", api: true,
			body: func(a *app) []byte { return importBundle(a.t) }, want: staff(unauth, notFound, ok)},
		{name: "API: patient as FHIR", method: "GET", path: ap + "/fhir", api: true, want: staff(unauth, notFound, ok)},
		{name: "API: FHIR export (NDJSON)", method: "GET", path: "/api/fhir/export", api: true, want: staff(unauth, ok, ok)},
		{name: "import FHIR bundle into the form", method: "POST", path: p + "/assessments/fhir",
			file: func(a *app) []byte { return importBundle(a.t) }, want: staff(unauth, notFound, ok)},
		// end issue 11: fhir-import
		// issue 11: cds-clinic. The CDS Hooks routes take only a CDS
		// client's signed JWT (cds_test.go): a session or an API token,
		// the CDS client's planted one too, is refused.
		{name: "CDS Hooks: discovery", method: "GET", path: "/cds-services", want: same(ok)},
		{name: "CDS Hooks: call without a JWT", method: "POST", path: "/cds-services/tendo-heel-pain", api: true,
			body: func(a *app) []byte { return cdsExample(a.t, "02-hook-request-patient-view.json") }, want: same(unauth)},
		{name: "CDS Hooks: feedback without a JWT", method: "POST", path: "/cds-services/tendo-heel-pain/feedback", api: true,
			body: func(a *app) []byte { return cdsExample(a.t, "19-example-suggestion-accepted.json") }, want: same(unauth)},
		{name: "API: CDS feedback", method: "GET", path: "/api/cds/feedback", api: true, want: staff(unauth, ok, ok)},
		// end issue 11: cds-clinic
		// Last: these end sessions.
		{name: "admin: reset a password", method: "POST", path: "/admin/users/" + itoa(a.users["clinicianB"].ID) + "/password",
			form: func(a *app) url.Values { return url.Values{"newPassword": {testPassword}} },
			want: map[string]int{anon: unauth, linkHolder: unauth, otherClin: forbidden, clinician: forbidden, admin: see}},
		{name: "account: log out everywhere", method: "POST", path: "/account/logout-everywhere", want: staff(unauth, see, see), fresh: true},
		{name: "log out", method: "POST", path: "/logout", want: staff(unauth, see, see), fresh: true},
	}
}

// TestAuthorization walks every route as each actor and checks the exact
// status, and that nothing of clinic A appears in what clinic B's
// clinician receives.
func TestAuthorization(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	browsers := map[string]*browser{}
	for _, actor := range actors {
		browsers[actor] = a.login(userOf(actor))
	}
	checked := 0
	for _, rt := range routes(a) {
		for _, actor := range actors {
			want, ok := rt.want[actor]
			if !ok && actor == cdsClient { // issue 11: cds-clinic: as anonymous
				want, ok = rt.want[anon]
			}
			if !ok {
				t.Fatalf("%s: no expectation for %s", rt.name, actor)
			}
			var code int
			var body string
			if rt.api {
				var b []byte
				if rt.body != nil {
					b = rt.body(a)
				}
				var got []byte
				if rt.file != nil {
					code, got = a.apiUpload(userOf(actor), rt.path, nil, rt.file(a))
				} else {
					code, got = a.api(userOf(actor), rt.method, rt.path, b)
				}
				body = string(got)
				if code >= 400 && !strings.Contains(body, `"error"`) {
					t.Errorf("%s as %s: error without the {\"error\": ...} shape: %s", rt.name, actor, body)
				}
			} else {
				if rt.fresh {
					browsers[actor] = a.login(userOf(actor))
				}
				br := browsers[actor]
				if rt.method == "GET" {
					code, body, _ = br.get(rt.path)
				} else {
					form := url.Values{}
					if rt.form != nil {
						form = rt.form(a)
					}
					if rt.file != nil {
						code, body, _ = br.postFile(rt.path, form, rt.file(a))
					} else {
						code, body, _ = br.post(rt.path, form)
					}
				}
			}
			if code != want {
				t.Errorf("%s (%s %s) as %s: status %d, want %d", rt.name, rt.method, rt.path, actor, code, want)
			}
			if actor == otherClin || actor == cdsClient { // issue 11: cds-clinic: the CDS client of clinic A sees none of it either
				for _, secret := range []string{a.patA.Name, a.patA.ExternalID} {
					if strings.Contains(body, secret) {
						t.Errorf("%s as %s: the response shows %q of clinic A", rt.name, actor, secret)
					}
				}
			}
			checked++
		}
	}
	// Listing endpoints show each clinician only their clinic's patients;
	// the admin sees both.
	_, b := a.api("clinicianB", "GET", "/api/patients", nil)
	if !strings.Contains(string(b), a.patB.Name) || strings.Contains(string(b), a.patA.Name) {
		t.Errorf("clinician B's patient list: %s", b)
	}
	_, b = a.api("admin", "GET", "/api/patients", nil)
	if !strings.Contains(string(b), a.patA.Name) || !strings.Contains(string(b), a.patB.Name) {
		t.Errorf("admin's patient list: %s", b)
	}
	_, page, _ := a.login(userOf(otherClin)).get("/")
	if strings.Contains(page, a.patA.Name) || !strings.Contains(page, a.patB.Name) {
		t.Errorf("clinician B's dashboard shows the wrong patients")
	}
	if checked < 150 {
		t.Fatalf("checked %d route × actor pairs", checked)
	}
	t.Logf("checked %d route × actor pairs", checked)
}

// TestQuestionnaireLinkIsSingleUse submits a link twice and expired.
func TestQuestionnaireLinkIsSingleUse(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	holder := a.login("")
	answers := url.Values{"q1": {"6"}, "q2": {"5"}, "q3": {"7"}, "q4": {"6"}, "q5": {"4"}, "q6": {"5"}, "q7": {"7"}, "q8": {"B:10"}}
	code, body, _ := holder.post("/q/"+a.link, answers)
	if code != http.StatusOK || !strings.Contains(body, `id="done"`) {
		t.Fatalf("first submit: %d %s", code, body)
	}
	code, body, _ = holder.post("/q/"+a.link, answers)
	if code != http.StatusConflict || !strings.Contains(body, "already been answered") {
		t.Fatalf("second submit: %d", code)
	}
	// The score reached the patient's timeline.
	_, tl := a.api("clinicianA", "GET", "/api/patients/"+itoa(a.patA.ID)+"/timeline", nil)
	if !strings.Contains(string(tl), `"visaA": 50`) {
		t.Fatalf("timeline lacks the VISA-A of 50: %s", tl)
	}
}

// TestAuthorizationRevocation checks access that has been taken away:
// clinic memberships an admin edits, a revoked token, a disabled user
// (sessions and tokens), an idle session and an expired token.
func TestAuthorizationRevocation(t *testing.T) {
	t.Parallel()
	a := newAuthApp(t, openSQLite(t), nil)
	admin, clinB := a.login("admin"), a.login("clinicianB")
	bID := itoa(a.users["clinicianB"].ID)
	patA := "/api/patients/" + itoa(a.patA.ID)
	expect := func(what string, got, want int) {
		t.Helper()
		if got != want {
			t.Errorf("%s: status %d, want %d", what, got, want)
		}
	}

	// Memberships: clinician B added to clinic A sees its patient; taken
	// out again, gets "not found".
	code, _ := a.api("clinicianB", "GET", patA, nil)
	expect("B reads A's patient before", code, http.StatusNotFound)
	code, _, _ = admin.post("/admin/users/"+bID+"/clinics", url.Values{"clinics": {itoa(a.clinA.ID), itoa(a.clinB.ID)}})
	expect("admin adds B to clinic A", code, http.StatusSeeOther)
	code, _ = a.api("clinicianB", "GET", patA, nil)
	expect("B reads A's patient as a member", code, http.StatusOK)
	code, body, _ := clinB.get("/patients/" + itoa(a.patA.ID))
	expect("B's page of A's patient as a member", code, http.StatusOK)
	if !strings.Contains(body, a.patA.Name) {
		t.Errorf("B's page lacks A's patient")
	}
	code, _ = a.api("clinicianA", "PATCH", "/api/users/"+bID, []byte(`{"clinicIds":[`+itoa(a.clinB.ID)+`]}`))
	expect("a clinician edits memberships", code, http.StatusForbidden)
	code, _ = a.api("admin", "PATCH", "/api/users/"+bID, []byte(`{"clinicIds":[`+itoa(a.clinB.ID)+`]}`))
	expect("admin takes B out of clinic A", code, http.StatusOK)
	code, _ = a.api("clinicianB", "GET", patA, nil)
	expect("B reads A's patient after", code, http.StatusNotFound)
	code, _, _ = clinB.get("/patients/" + itoa(a.patA.ID))
	expect("B's page of A's patient after", code, http.StatusNotFound)

	// A revoked token: 401 on every API route; only its owner or an
	// admin may revoke it.
	code, b := a.api("clinicianB", "POST", "/api/tokens", []byte(`{"name":"script","days":30}`))
	expect("create token", code, http.StatusCreated)
	var created struct {
		Token  tendo.APIToken `json:"token"`
		Secret string         `json:"secret"`
	}
	if err := json.Unmarshal(b, &created); err != nil {
		t.Fatal(err)
	}
	a.tokens["script"] = created.Secret
	code, _ = a.api("script", "GET", "/api/me", nil)
	expect("new token", code, http.StatusOK)
	tokenPath := "/api/tokens/" + itoa(created.Token.ID)
	code, _ = a.api("clinicianA", "DELETE", tokenPath, nil)
	expect("another clinician revokes it", code, http.StatusNotFound)
	code, _ = a.api("clinicianA", "GET", "/api/tokens?user="+bID, nil)
	expect("another clinician lists B's tokens", code, http.StatusForbidden)
	code, b = a.api("admin", "GET", "/api/tokens?user="+bID, nil)
	expect("admin lists B's tokens", code, http.StatusOK)
	if !strings.Contains(string(b), `"script"`) {
		t.Errorf("admin's list lacks the token: %s", b)
	}
	code, _ = a.api("clinicianB", "DELETE", tokenPath, nil)
	expect("owner revokes it", code, http.StatusNoContent)
	for _, path := range []string{"/api/me", "/api/patients", "/api/tokens", "/api/patients/" + itoa(a.patB.ID)} {
		code, b = a.api("script", "GET", path, nil)
		expect("revoked token: "+path, code, http.StatusUnauthorized)
	}
	if !strings.Contains(string(b), "revoked") {
		t.Errorf("revoked token's answer: %s", b)
	}
	code, page, _ := clinB.get("/account")
	if code != http.StatusOK || !strings.Contains(page, "revoked") {
		t.Errorf("account page: %d, does not list the revoked token", code)
	}

	// A disabled user: their session and token are refused at once, and
	// they cannot log in; enabled again, the token works.
	clinA := a.login("clinicianA")
	aID := itoa(a.users["clinicianA"].ID)
	code, _, _ = clinA.post("/admin/users/"+aID+"/disabled", url.Values{"disabled": {"true"}})
	expect("a clinician disables someone", code, http.StatusForbidden)
	code, _, _ = admin.post("/admin/users/"+aID+"/disabled", url.Values{"disabled": {"true"}})
	expect("admin disables A", code, http.StatusSeeOther)
	code, _, loc := clinA.get("/")
	if code != http.StatusSeeOther || !strings.HasPrefix(loc, "/login") {
		t.Errorf("disabled user's session: %d %q, want a redirect to the login page", code, loc)
	}
	code, _, _ = clinA.post("/patients", url.Values{"clinicId": {itoa(a.clinA.ID)}, "name": {"X"}})
	expect("disabled user's form", code, http.StatusUnauthorized)
	code, _ = a.api("clinicianA", "GET", "/api/me", nil)
	expect("disabled user's token", code, http.StatusUnauthorized)
	code, _ = a.api("clinicianA", "GET", patA, nil)
	expect("disabled user's token on a patient", code, http.StatusUnauthorized)
	code, _, _ = a.login("").post("/login", url.Values{"email": {"a@a.test"}, "password": {testPassword}})
	expect("disabled user logs in", code, http.StatusUnauthorized)
	code, _ = a.api("admin", "PATCH", "/api/users/"+aID, []byte(`{"disabled":false}`))
	expect("admin enables A", code, http.StatusOK)
	code, _ = a.api("clinicianA", "GET", "/api/me", nil)
	expect("enabled user's token", code, http.StatusOK)
	code, _ = a.api("admin", "PATCH", "/api/users/"+itoa(a.users["admin"].ID), []byte(`{"disabled":true}`))
	expect("admin disables themself", code, http.StatusConflict)

	// An idle session ends after 30 minutes without a request; one in use
	// lasts.
	busy, idle := a.login("clinicianA"), a.login("clinicianB")
	for range 3 {
		a.clock.Advance(20 * time.Minute)
		code, _, _ = busy.get("/")
		expect("session in use", code, http.StatusOK)
	}
	code, _, loc = idle.get("/")
	if code != http.StatusSeeOther || !strings.HasPrefix(loc, "/login") {
		t.Errorf("idle session: %d %q, want a redirect to the login page", code, loc)
	}
	code, _, _ = idle.post("/patients", url.Values{"clinicId": {itoa(a.clinB.ID)}, "name": {"X"}})
	expect("idle session's form", code, http.StatusUnauthorized)

	// An expired token: 401.
	code, b = a.api("clinicianB", "POST", "/api/tokens", []byte(`{"name":"short","days":1}`))
	expect("create a one-day token", code, http.StatusCreated)
	if err := json.Unmarshal(b, &created); err != nil {
		t.Fatal(err)
	}
	a.tokens["short"] = created.Secret
	code, _ = a.api("short", "GET", "/api/me", nil)
	expect("one-day token, fresh", code, http.StatusOK)
	a.clock.Advance(25 * time.Hour)
	code, b = a.api("short", "GET", "/api/patients", nil)
	expect("one-day token after 25 hours", code, http.StatusUnauthorized)
	if !strings.Contains(string(b), "expired") {
		t.Errorf("expired token's answer: %s", b)
	}
}

// TestAuthorizationAccount covers the account page's controls: a
// password change ends the user's other sessions, "log out everywhere"
// ends all, and an admin's reset ends the user's.
func TestAuthorizationAccount(t *testing.T) {
	t.Parallel()
	a := newAuthApp(t, openSQLite(t), nil)
	one, two := a.login("clinicianA"), a.login("clinicianA")
	code, _, _ := one.post("/account/password", url.Values{"current": {"not my password"}, "password": {"a brand new password"}, "confirm": {"a brand new password"}})
	if code != http.StatusUnprocessableEntity {
		t.Errorf("wrong current password: %d, want 422", code)
	}
	code, _, _ = one.post("/account/password", url.Values{"current": {testPassword}, "password": {"a brand new password"}, "confirm": {"a brand new password"}})
	if code != http.StatusSeeOther {
		t.Fatalf("change password: %d", code)
	}
	if code, _, _ := one.get("/account"); code != http.StatusOK {
		t.Errorf("the session that changed the password: %d, want 200", code)
	}
	if code, _, _ := two.get("/account"); code != http.StatusSeeOther {
		t.Errorf("another session after the change: %d, want 303", code)
	}
	three := a.loginWith("clinicianA", "a brand new password")
	if code, _, _ := one.post("/account/logout-everywhere", url.Values{}); code != http.StatusSeeOther {
		t.Fatalf("log out everywhere: %d", code)
	}
	for i, b := range []*browser{one, three} {
		if code, _, _ := b.get("/account"); code != http.StatusSeeOther {
			t.Errorf("session %d after logging out everywhere: %d, want 303", i+1, code)
		}
	}
	four := a.loginWith("clinicianA", "a brand new password")
	admin := a.login("admin")
	code, _, _ = admin.post("/admin/users/"+itoa(a.users["clinicianA"].ID)+"/password", url.Values{"newPassword": {"reset by the admin"}})
	if code != http.StatusSeeOther {
		t.Fatalf("admin resets the password: %d", code)
	}
	if code, _, _ := four.get("/account"); code != http.StatusSeeOther {
		t.Errorf("session after the reset: %d, want 303", code)
	}
	a.loginWith("clinicianA", "reset by the admin")
}

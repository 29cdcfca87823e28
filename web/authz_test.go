package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// The actors of the authorization test.
const (
	anon       = "anonymous"
	linkHolder = "patient-link holder"
	otherClin  = "clinician of another clinic"
	clinician  = "clinician"
	admin      = "admin"
)

var actors = []string{anon, linkHolder, otherClin, clinician, admin}

// userOf maps an actor to the test user it logs in as ("" for none).
func userOf(actor string) string {
	switch actor {
	case otherClin:
		return "clinicianB"
	case clinician:
		return "clinicianA"
	case admin:
		return "admin"
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
	want   map[string]int
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
	assessmentForm := func(a *app) url.Values {
		return url.Values{"date": {"2026-11-01"}, "history.painSite": {"midportion"}, "exam.arcSign": {"positive"}}
	}
	return []route{
		{name: "login page (logged-in users go home)", method: "GET", path: "/login", want: staff(ok, see, see)},
		{name: "health", method: "GET", path: "/healthz", want: same(ok)},
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
		{name: "API: timeline", method: "GET", path: ap + "/timeline", api: true, want: staff(unauth, notFound, ok)},
		{name: "API: create link", method: "POST", path: ap + "/links", api: true,
			body: func(a *app) []byte { return []byte(`{"instrument":"nprs"}`) }, want: staff(unauth, notFound, created)},
		{name: "API: assess without storing", method: "POST", path: "/api/assess", api: true,
			body: func(a *app) []byte { return caseJSON(a.t, "mixed-kinetic-chain") }, want: staff(unauth, ok, ok)},
		{name: "API: audit log", method: "GET", path: "/api/audit", api: true,
			want: map[string]int{anon: unauth, linkHolder: unauth, otherClin: forbidden, clinician: forbidden, admin: ok}},
		{name: "API: unknown route", method: "GET", path: "/api/nothing", api: true, want: same(notFound)},
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
				code, got = a.api(userOf(actor), rt.method, rt.path, b)
				body = string(got)
				if code >= 400 && !strings.Contains(body, `"error"`) {
					t.Errorf("%s as %s: error without the {\"error\": ...} shape: %s", rt.name, actor, body)
				}
			} else {
				br := browsers[actor]
				if rt.method == "GET" {
					code, body, _ = br.get(rt.path)
				} else {
					form := url.Values{}
					if rt.form != nil {
						form = rt.form(a)
					}
					code, body, _ = br.post(rt.path, form)
				}
			}
			if code != want {
				t.Errorf("%s (%s %s) as %s: status %d, want %d", rt.name, rt.method, rt.path, actor, code, want)
			}
			if actor == otherClin {
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
	_, page, _ := browsers[otherClin].get("/")
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

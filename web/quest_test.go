package web_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tendo-health/tendo"
	"github.com/tendo-health/tendo/passwd"
)

// Issue 10: questionnaires that fit the visit.

// questFixture is a link of patient A for NPRS then ODI, with NPRS
// answered (response).
type questFixture struct{ link, response int64 }

var (
	questMu    sync.Mutex
	questSeeds = map[*app]questFixture{}
)

// questSeed makes the app's questFixture once.
func questSeed(a *app) questFixture {
	a.t.Helper()
	questMu.Lock()
	defer questMu.Unlock()
	if f, ok := questSeeds[a]; ok {
		return f
	}
	token := passwd.Token()
	l, err := a.store.CreateLink(a.t.Context(), tendo.QuestionnaireLink{PatientID: a.patA.ID,
		Instruments: []tendo.Instrument{tendo.InstrumentNPRS, tendo.InstrumentODI}, ExpiresAt: time.Now().Add(24 * time.Hour)}, passwd.TokenHash(token))
	if err != nil {
		a.t.Fatal(err)
	}
	if code, body, _ := a.login("").post("/q/"+token, url.Values{"instrument": {"nprs"}, "q1": {"4"}}); code != http.StatusSeeOther {
		a.t.Fatalf("seed NPRS answer: %d %s", code, body)
	}
	rs, err := a.store.Responses(a.t.Context(), a.patA.ID)
	if err != nil || len(rs) == 0 {
		a.t.Fatalf("seed response: %v %v", rs, err)
	}
	f := questFixture{link: l.ID, response: rs[len(rs)-1].ID}
	questSeeds[a] = f
	a.t.Cleanup(func() {
		questMu.Lock()
		delete(questSeeds, a)
		questMu.Unlock()
	})
	return f
}

// apiLink creates a link through the API and returns its token.
func apiLink(t *testing.T, a *app, body string) (tendo.QuestionnaireLink, string) {
	t.Helper()
	code, b := a.api("clinicianA", "POST", "/api/patients/"+itoa(a.patA.ID)+"/links", []byte(body))
	if code != http.StatusCreated {
		t.Fatalf("create link %s: %d %s", body, code, b)
	}
	var got struct {
		Link tendo.QuestionnaireLink `json:"link"`
		URL  string                  `json:"url"`
	}
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatal(err)
	}
	return got.Link, got.URL[strings.LastIndex(got.URL, "/")+1:]
}

// odiAnswers answer every ODI section with its first statement.
var odiAnswers = url.Values{"instrument": {"odi"}, "q1": {"0"}, "q2": {"1"}, "q3": {"0"}, "q4": {"2"}, "q5": {"0"}, "q6": {"0"}, "q7": {"3"}, "q8": {"skip"}, "q9": {"0"}, "q10": {"1"}}

// wantPatientPage fails unless a patient's page carries the clinic's name
// and nothing that leads to the staff pages.
func wantPatientPage(t *testing.T, what, page, clinic string) {
	t.Helper()
	if !strings.Contains(page, clinic) {
		t.Errorf("%s: no clinic name %q", what, clinic)
	}
	for _, bad := range []string{`href="/login"`, `href="/"`, "clinical judgement", "Log out", "et al."} {
		if strings.Contains(page, bad) {
			t.Errorf("%s: the patient's page carries %q", what, bad)
		}
	}
}

func TestQuestionnaireSetInTurn(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	l, token := apiLink(t, a, `{"instruments":["nprs","odi"],"days":3}`)
	if len(l.Instruments) != 2 || l.Instrument != tendo.InstrumentNPRS {
		t.Fatalf("link %+v, want nprs then odi", l)
	}
	patient := a.login("")
	q := "/q/" + token

	code, page, _ := patient.get(q)
	if code != http.StatusOK || !strings.Contains(page, "Questionnaire 1 of 2") || !strings.Contains(page, `<progress id="progress" max="2" value="1"`) {
		t.Fatalf("first questionnaire: %d, want 200 with its progress\n%s", code, page)
	}
	wantPatientPage(t, "the first questionnaire", page, a.clinA.Name)

	for _, tc := range []struct {
		name    string
		form    url.Values
		code    int
		where   string // Location, or text of the page
		answers int    // responses of the link after it
	}{
		{"ODI out of turn", odiAnswers, http.StatusSeeOther, q, 0},
		{"NPRS without an answer", url.Values{"instrument": {"nprs"}}, http.StatusUnprocessableEntity, "Please choose an answer.", 0},
		{"NPRS", url.Values{"instrument": {"nprs"}, "q1": {"7"}}, http.StatusSeeOther, q + "?saved=1", 1},
		{"NPRS again (sent twice)", url.Values{"instrument": {"nprs"}, "q1": {"7"}}, http.StatusSeeOther, q, 1},
		{"ODI, the last", odiAnswers, http.StatusOK, "Your answers have been sent to " + a.clinA.Name, 2},
		{"ODI after the end", odiAnswers, http.StatusConflict, "already been answered", 2},
	} {
		code, page, loc := patient.post(q, tc.form)
		if code != tc.code || (code == http.StatusSeeOther && loc != tc.where) || (code != http.StatusSeeOther && !strings.Contains(page, tc.where)) {
			t.Errorf("%s: %d → %q, want %d and %q\n%.3000s", tc.name, code, loc, tc.code, tc.where, page)
		}
		rs, err := a.store.Responses(t.Context(), a.patA.ID)
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, r := range rs {
			if r.LinkID == l.ID {
				n++
			}
		}
		if n != tc.answers {
			t.Errorf("%s: %d responses to the link, want %d", tc.name, n, tc.answers)
		}
		if tc.name == "NPRS" {
			_, next, _ := patient.get(q + "?saved=1")
			if !strings.Contains(next, "Questionnaire 2 of 2") || !strings.Contains(next, `id="saved"`) || !strings.Contains(next, `name="instrument" value="odi"`) {
				t.Errorf("after NPRS the page is not the ODI, 2 of 2:\n%.2000s", next)
			}
		}
	}
	code, page, _ = patient.get(q)
	if code != http.StatusConflict {
		t.Errorf("the link after its last questionnaire: %d, want 409", code)
	}
	wantPatientPage(t, "a used link", page, "This link cannot be used")
}

func TestLinkInstrumentsInAPI(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	for _, tc := range []struct {
		name, body string
		code       int
	}{
		{"one, as before", `{"instrument":"lefs"}`, http.StatusCreated},
		{"three", `{"instruments":["visaA","odi","nprs"]}`, http.StatusCreated},
		{"both, agreeing", `{"instrument":"odi","instruments":["odi","nprs"]}`, http.StatusCreated},
		{"both, disagreeing", `{"instrument":"lefs","instruments":["odi","nprs"]}`, http.StatusUnprocessableEntity},
		{"twice", `{"instruments":["odi","odi"]}`, http.StatusUnprocessableEntity},
		{"unknown", `{"instruments":["odi","sf36"]}`, http.StatusUnprocessableEntity},
		{"none", `{"instruments":[]}`, http.StatusUnprocessableEntity},
	} {
		code, b := a.api("clinicianA", "POST", "/api/patients/"+itoa(a.patA.ID)+"/links", []byte(tc.body))
		if code != tc.code {
			t.Errorf("%s: %d %s, want %d", tc.name, code, b, tc.code)
		}
	}
}

func TestLinkPageResendRevoke(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	doc := a.login("clinicianA")
	p := "/patients/" + itoa(a.patA.ID)
	code, page, _ := doc.post(p+"/links", url.Values{"instrument": {"visaA", "odi", "nprs"}, "days": {"5"}})
	if code != http.StatusOK {
		t.Fatalf("create: %d\n%s", code, page)
	}
	for _, want := range []string{`id="link-qr"`, `<svg`, `id="link-copy"`, "readonly", "VISA-A", "/resend", "/revoke"} {
		if !strings.Contains(page, want) {
			t.Errorf("the link page lacks %s", want)
		}
	}
	if code, page, _ := doc.post(p+"/links", url.Values{}); code != http.StatusUnprocessableEntity || !strings.Contains(page, "Choose at least one questionnaire.") {
		t.Errorf("no questionnaire chosen: %d", code)
	}
	old := questSeed(a) // NPRS answered, ODI not
	code, page, _ = doc.post(p+"/links/"+itoa(old.link)+"/resend", url.Values{})
	if code != http.StatusOK || !strings.Contains(page, "A new link replaces the old one") {
		t.Fatalf("resend: %d\n%.2000s", code, page)
	}
	ls, err := a.store.Links(t.Context(), a.patA.ID)
	if err != nil {
		t.Fatal(err)
	}
	var oldL, newL tendo.QuestionnaireLink
	for _, l := range ls {
		switch {
		case l.ID == old.link:
			oldL = l
		case newL.ID == 0 || l.CreatedAt.After(newL.CreatedAt) || l.CreatedAt.Equal(newL.CreatedAt):
			newL = l
		}
	}
	if oldL.RevokedAt == nil {
		t.Error("the old link is not revoked after resend")
	}
	if len(newL.Instruments) != 1 || newL.Instruments[0] != tendo.InstrumentODI {
		t.Errorf("the new link is for %v, want the unanswered ODI only", newL.Instruments)
	}
	if code, _, loc := doc.post(p+"/links/"+itoa(newL.ID)+"/revoke", url.Values{}); code != http.StatusSeeOther || !strings.Contains(loc, "flash=link-revoked") {
		t.Errorf("revoke: %d → %s", code, loc)
	}
	_, page, _ = doc.get(p)
	if !strings.Contains(page, "revoked") {
		t.Error("the patient page does not show the revoked link")
	}
	for _, action := range []string{tendo.ActionLinkResend, tendo.ActionLinkRevoke} {
		es, err := a.store.AuditLog(t.Context(), tendo.AuditFilter{Action: action, PatientID: a.patA.ID})
		if err != nil || len(es) == 0 || es[0].UserID != a.users["clinicianA"].ID {
			t.Errorf("audit %s: %+v %v", action, es, err)
		}
	}
}

func TestResponsePageShowsEachAnswer(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	f := questSeed(a)
	doc := a.login("clinicianA")
	code, page, _ := doc.get("/patients/" + itoa(a.patA.ID) + "/responses/" + itoa(f.response))
	if code != http.StatusOK {
		t.Fatalf("response page: %d", code)
	}
	for _, want := range []string{"How bad is the pain that brought you to the clinic, right now?", "4 (0 = No pain, 10 = Worst pain you can imagine)", `id="answers"`} {
		if !strings.Contains(page, want) {
			t.Errorf("the response page lacks %q\n%.3000s", want, page)
		}
	}
	es, err := a.store.AuditLog(t.Context(), tendo.AuditFilter{Action: tendo.ActionResponseRead, PatientID: a.patA.ID})
	if err != nil || len(es) != 1 {
		t.Errorf("response.read entries: %+v %v", es, err)
	}
	code, b := a.api("clinicianA", "GET", "/api/patients/"+itoa(a.patA.ID)+"/responses/"+itoa(f.response), nil)
	var got struct {
		Response struct {
			Answers json.RawMessage `json:"answers"`
		} `json:"response"`
		Items []struct {
			Text, Answer string
			Points       int
		} `json:"items"`
	}
	if err := json.Unmarshal(b, &got); code != http.StatusOK || err != nil || string(got.Response.Answers) != "4" || len(got.Items) != 1 ||
		got.Items[0].Answer != "4 (0 = No pain, 10 = Worst pain you can imagine)" || got.Items[0].Points != 4 {
		t.Errorf("API answers: %d %v %s", code, err, b)
	}
	_, page, _ = doc.get("/patients/" + itoa(a.patA.ID))
	if !strings.Contains(page, "/responses/"+itoa(f.response)) {
		t.Error("the patient page does not link to the answers")
	}
	if code, _, _ := a.login("clinicianB").get("/patients/" + itoa(a.patA.ID) + "/responses/" + itoa(f.response)); code != http.StatusNotFound {
		t.Errorf("another clinic's clinician: %d, want 404", code)
	}
	if code, _, _ := doc.get("/patients/" + itoa(a.patB.ID) + "/responses/" + itoa(f.response)); code != http.StatusNotFound {
		t.Errorf("the response under another patient: %d, want 404", code)
	}
}

package web_test

import (
	"encoding/json"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

// fieldError returns the message shown next to a field: the assessment
// form marks it with id="e-PATH"; other forms put it in the field's label.
var fieldErrRe = regexp.MustCompile(`<span class="field-error" role="alert"[^>]*>([^<]*)</span>`)

// TestFormsKeepInputAndNameTheField posts bad values to every form: each
// answer names the problem next to the field and shows again everything
// that was typed.
func TestFormsKeepInputAndNameTheField(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	clin := a.login("clinicianA")
	adm := a.login("admin")
	p := "/patients/" + itoa(a.patA.ID)
	tests := []struct {
		name   string
		b      *browser
		path   string
		form   url.Values
		code   int
		errors map[string]string // field (input name or e-PATH id) → message substring
		echoed []string          // typed values that must appear again
	}{
		{"new patient: no name, bad year", clin, "/patients",
			url.Values{"clinicId": {itoa(a.clinA.ID)}, "name": {"  "}, "externalId": {"MRN-77"}, "birthYear": {"19x5"}},
			http.StatusUnprocessableEntity, map[string]string{"name": "Enter the patient's name", "birthYear": "Enter a year between"}, []string{"MRN-77", "19x5"}},
		{"new patient: another clinic", clin, "/patients",
			url.Values{"clinicId": {itoa(a.clinB.ID)}, "name": {"Carol"}},
			http.StatusUnprocessableEntity, map[string]string{"clinicId": "Choose one of your clinics"}, []string{"Carol"}},
		{"assessment: wrong types and ranges", clin, p + "/assessments",
			url.Values{"date": {"2026-11-31"}, "patient.ageYears": {"7"}, "patient.heightCm": {"abc"}, "exam.kneeToWallCm": {"30"},
				"history.symptomWeeks": {"-1"}, "exam.slump": {"maybe"}, "history.painSite": {"midportion"}, "exam.arcSign": {"positive"}},
			http.StatusUnprocessableEntity, map[string]string{
				"e-date": "date", "e-patient.ageYears": "out of range", "e-patient.heightCm": "number", "e-exam.kneeToWallCm": "out of range",
				"e-history.symptomWeeks": "", "e-exam.slump": "not allowed"},
			[]string{`value="abc"`, `value="30"`, `value="-1"`, `value="2026-11-31"`, `value="midportion" selected`, `value="positive" selected`}},
		{"assessment: a VISA-A score out of range", clin, p + "/assessments",
			url.Values{"proms.visaA.score": {"120"}, "exam.tenderness": {"midportion"}},
			http.StatusUnprocessableEntity, map[string]string{"e-proms.visaA.score": "out of range"}, []string{`value="120"`, `value="midportion" selected`}},
		{"questionnaire link: bad instrument and days", clin, p + "/links",
			url.Values{"instrument": {"sf36"}, "days": {"99"}},
			http.StatusUnprocessableEntity, map[string]string{"instrument": "Choose one of"}, nil},
		{"questionnaire link: days out of range", clin, p + "/links",
			url.Values{"instrument": {"odi"}, "days": {"99"}},
			http.StatusUnprocessableEntity, map[string]string{"days": "1 to 30 days"}, nil},
		{"account: token without a name", clin, "/account/tokens", url.Values{"tokenName": {""}},
			http.StatusUnprocessableEntity, map[string]string{"tokenName": "Name the token"}, nil},
		{"admin: clinic without a name", adm, "/admin/clinics", url.Values{"clinicName": {"   "}},
			http.StatusUnprocessableEntity, map[string]string{"clinicName": "Enter a clinic name"}, nil},
		{"admin: user with bad fields", adm, "/admin/users",
			url.Values{"email": {"not-an-address"}, "name": {"Dana"}, "role": {"boss"}, "password": {"short"}},
			http.StatusUnprocessableEntity, map[string]string{"email": "Enter an e-mail address", "role": "Choose admin or clinician", "password": "at least 10"},
			[]string{`value="not-an-address"`, `value="Dana"`}},
		{"admin: duplicate e-mail", adm, "/admin/users",
			url.Values{"email": {"a@a.test"}, "name": {"Dup"}, "role": {"admin"}, "password": {"long enough password"}},
			http.StatusUnprocessableEntity, map[string]string{"email": "exists"}, []string{`value="Dup"`}},
		{"login: wrong password", a.login(""), "/login", url.Values{"email": {"a@a.test"}, "password": {"nope nope nope"}},
			http.StatusUnauthorized, nil, []string{`value="a@a.test"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, body, _ := tt.b.post(tt.path, tt.form)
			if code != tt.code {
				t.Fatalf("status %d, want %d", code, tt.code)
			}
			for field, msg := range tt.errors {
				got := errorFor(body, field)
				if got == "" {
					t.Errorf("no message next to %s", field)
					continue
				}
				if !strings.Contains(got, msg) {
					t.Errorf("message next to %s is %q, want it to contain %q", field, got, msg)
				}
			}
			for _, v := range tt.echoed {
				if !strings.Contains(body, v) {
					t.Errorf("the typed value %s is not shown again", v)
				}
			}
		})
	}
}

// errorFor finds the field error next to a field: the span with
// id="e-PATH" (assessment form), or the field-error span inside the label
// holding the input named field.
func errorFor(body, field string) string {
	if strings.HasPrefix(field, "e-") {
		re := regexp.MustCompile(`id="` + regexp.QuoteMeta(field) + `">([^<]*)<`)
		if m := re.FindStringSubmatch(body); m != nil {
			return html.UnescapeString(m[1])
		}
		return ""
	}
	i := strings.Index(body, `name="`+field+`"`)
	if i < 0 {
		return ""
	}
	end := strings.Index(body[i:], "</label>")
	if end < 0 {
		end = len(body) - i
	}
	if m := fieldErrRe.FindStringSubmatch(body[i : i+end]); m != nil {
		return html.UnescapeString(m[1])
	}
	return ""
}

// TestAPIErrorsNameTheField sends bad input to every API route that takes
// input: each answer is {"error": {"code", "message", "field"}}.
func TestAPIErrorsNameTheField(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	ap := "/api/patients/" + itoa(a.patA.ID)
	tests := []struct {
		name, method, path, body string
		code                     int
		field, msg               string
	}{
		{"patient: no name", "POST", "/api/patients", `{"clinicId":` + itoa(a.clinA.ID) + `,"name":""}`, 422, "name", "Enter the patient's name"},
		{"patient: unknown field", "POST", "/api/patients", `{"clinicId":1,"nmae":"x"}`, 422, "nmae", "unknown field"},
		{"patient: wrong type", "POST", "/api/patients", `{"clinicId":"one","name":"x"}`, 422, "clinicId", "must be"},
		{"patient: not JSON", "POST", "/api/patients", `{{`, 422, "", "not valid JSON"},
		{"patient: empty body", "POST", "/api/patients", ``, 422, "", "empty"},
		{"assessment: unknown field", "POST", ap + "/assessments", `{"schema":"tendo/assessment/v1","exam":{"slupm":"positive"}}`, 422, "exam.slupm", "did you mean exam.slump"},
		{"assessment: out of range", "POST", ap + "/assessments", `{"schema":"tendo/assessment/v1","patient":{"ageYears":7}}`, 422, "patient.ageYears", "10–110"},
		{"assessment: ODI with three sections missing", "POST", ap + "/assessments", `{"schema":"tendo/assessment/v1","proms":{"odi":{"answers":[1,null,null,null,1,1,1,1,1,1]}}}`, 422, "proms.odi.answers", "at most 2"},
		{"assessment: no schema", "POST", ap + "/assessments", `{"id":"x"}`, 422, "schema", "required"},
		{"link: unknown instrument", "POST", ap + "/links", `{"instrument":"sf36"}`, 422, "instrument", "Choose one of"},
		{"link: days", "POST", ap + "/links", `{"instrument":"odi","days":90}`, 422, "days", "1 to 30"},
		{"assess: wrong enum", "POST", "/api/assess", `{"schema":"tendo/assessment/v1","exam":{"arcSign":"maybe"}}`, 422, "exam.arcSign", "not allowed"},
		{"audit: bad patient id", "GET", "/api/audit?patientId=abc", ``, 422, "patientId", "number"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			user := "clinicianA"
			if strings.HasPrefix(tt.path, "/api/audit") {
				user = "admin"
			}
			var body []byte
			if tt.body != "" || tt.method == "POST" {
				body = []byte(tt.body)
			}
			code, got := a.api(user, tt.method, tt.path, body)
			if code != tt.code {
				t.Fatalf("status %d, want %d: %s", code, tt.code, got)
			}
			var e struct {
				Error struct {
					Code, Message, Field string
				} `json:"error"`
			}
			if err := json.Unmarshal(got, &e); err != nil {
				t.Fatalf("not an error object: %s", got)
			}
			if e.Error.Code != "invalid" || e.Error.Field != tt.field || !strings.Contains(e.Error.Message, tt.msg) {
				t.Errorf("error %+v, want code invalid, field %q, message containing %q", e.Error, tt.field, tt.msg)
			}
		})
	}
}

// TestQuestionnaireFormKeepsAnswers submits an incomplete questionnaire:
// the missing items are named and the chosen answers stay chosen.
func TestQuestionnaireFormKeepsAnswers(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	code, body, _ := a.login("").post("/q/"+a.link, url.Values{"q1": {"6"}, "q2": {"12"}})
	if code != http.StatusUnprocessableEntity {
		t.Fatalf("status %d", code)
	}
	if !strings.Contains(body, `name="q1" value="6" checked`) {
		t.Error("the answer to q1 is not kept")
	}
	for _, q := range []string{"q2", "q3", "q8"} {
		i := strings.Index(body, `id="q-`+q+`"`)
		if i < 0 || !strings.Contains(body[i:i+600], "field-error") {
			t.Errorf("no message on %s", q)
		}
	}
	// The link was not used up by the failed attempt.
	if code, _, _ := a.login("").get("/q/" + a.link); code != http.StatusOK {
		t.Errorf("the link stopped working after a bad submit: %d", code)
	}
}

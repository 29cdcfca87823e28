package web_test

import (
	"encoding/json"
	"html"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/tendo-health/tendo"
)

// Issue 10: records that can be corrected, with an audit trail.

// recordTargets are the records the authorization matrix corrects, one
// per correcting route (a correction cannot be made twice).
type recordTargets struct {
	deletePage, deleteAPI int64 // patients of clinic A
	amendPage, amendAPI   int64 // assessments of patA
	errorPage, errorAPI   int64
}

var recordFixtures sync.Map // *app → *recordTargets

// records makes the matrix's targets, once per app.
func (a *app) records() *recordTargets {
	if r, ok := recordFixtures.Load(a); ok {
		return r.(*recordTargets)
	}
	a.t.Helper()
	r := &recordTargets{}
	for _, id := range []*int64{&r.deletePage, &r.deleteAPI} {
		p, err := a.store.CreatePatient(a.t.Context(), tendo.PatientRecord{ClinicID: a.clinA.ID, Name: "To Delete"})
		if err != nil {
			a.t.Fatal(err)
		}
		*id = p.ID
	}
	for _, id := range []*int64{&r.amendPage, &r.amendAPI, &r.errorPage, &r.errorAPI} {
		*id = a.saveVisit("clinicianA", a.patA.ID, "runner-midportion")
	}
	recordFixtures.Store(a, r)
	a.t.Cleanup(func() { recordFixtures.Delete(a) })
	return r
}

// saveVisit saves a shared case for the patient through the API.
func (a *app) saveVisit(user string, patientID int64, name string) int64 {
	a.t.Helper()
	code, body := a.api(user, "POST", "/api/patients/"+itoa(patientID)+"/assessments", caseJSON(a.t, name))
	if code != http.StatusCreated {
		a.t.Fatalf("save %s: %d %s", name, code, body)
	}
	var created struct {
		Assessment tendo.StoredAssessment `json:"assessment"`
	}
	if err := json.Unmarshal(body, &created); err != nil {
		a.t.Fatal(err)
	}
	return created.Assessment.ID
}

// lastEntry is the newest audit entry with the action.
func (a *app) lastEntry(action string) tendo.AuditEntry {
	a.t.Helper()
	es, err := a.store.AuditLog(a.t.Context(), tendo.AuditFilter{Action: action, Limit: 1})
	if err != nil {
		a.t.Fatal(err)
	}
	if len(es) == 0 {
		a.t.Fatalf("no %s entry in the audit log", action)
	}
	return es[0]
}

func TestRecordsEditPatient(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	br := a.login("clinicianA")
	p := "/patients/" + itoa(a.patA.ID)
	code, page, _ := br.get(p + "/edit")
	if code != http.StatusOK || !strings.Contains(page, `value="Alice Alpha"`) || !strings.Contains(page, `value="A-1"`) {
		t.Fatalf("edit page: %d, without the patient's values", code)
	}
	if strings.Contains(page, "delete-patient") {
		t.Errorf("a clinician's edit page offers the admin's delete")
	}
	if _, err := a.store.CreatePatient(t.Context(), tendo.PatientRecord{ClinicID: a.clinA.ID, Name: "Other", ExternalID: "A-9"}); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name     string
		form     url.Values
		code     int
		wantText string // on the page returned (422), or in the audit entry (303)
	}{
		{"a year that is not one", url.Values{"name": {"Alice Alpha"}, "externalId": {"A-1"}, "birthYear": {"19x0"}}, http.StatusUnprocessableEntity, "Enter a year between"},
		{"no name", url.Values{"name": {" "}, "externalId": {"A-1"}}, http.StatusUnprocessableEntity, "Enter the patient&#39;s name."},
		{"another patient's identifier", url.Values{"name": {"Alice Alpha"}, "externalId": {"A-9"}}, http.StatusUnprocessableEntity, "Another patient of the clinic has this identifier."},
		{"name and year", url.Values{"name": {"Alice Amended"}, "externalId": {"A-1"}, "birthYear": {"1980"}}, http.StatusSeeOther, "changed: name, birthYear"},
		{"identifier", url.Values{"name": {"Alice Amended"}, "externalId": {"A-2"}, "birthYear": {"1980"}}, http.StatusSeeOther, "changed: externalId"},
	}
	for _, tc := range tests {
		code, body, loc := br.post(p+"/edit", tc.form)
		if code != tc.code {
			t.Errorf("%s: status %d, want %d", tc.name, code, tc.code)
			continue
		}
		if code == http.StatusSeeOther {
			if loc != p+"?flash=patient-updated" {
				t.Errorf("%s: redirect to %q", tc.name, loc)
			}
			if e := a.lastEntry(tendo.ActionPatientUpdate); e.Detail != tc.wantText || e.PatientID != a.patA.ID {
				t.Errorf("%s: audit entry %+v, want detail %q", tc.name, e, tc.wantText)
			}
			continue
		}
		if !strings.Contains(body, tc.wantText) {
			t.Errorf("%s: page lacks %q", tc.name, tc.wantText)
		}
	}
	_, page, _ = br.get(p)
	if !strings.Contains(page, "Alice Amended") || !strings.Contains(page, "born 1980") || !strings.Contains(page, "A-2") {
		t.Errorf("patient page after the edit lacks the new details")
	}
	for _, e := range []string{"Alice Amended", "1980", "A-2"} {
		if d := a.lastEntry(tendo.ActionPatientUpdate).Detail; strings.Contains(d, e) {
			t.Errorf("the audit entry shows the value %q: %q", e, d)
		}
	}
	code, body := a.api("clinicianA", "PATCH", "/api/patients/"+itoa(a.patA.ID), []byte(`{"name":"Alice Via API"}`))
	if code != http.StatusOK || !strings.Contains(string(body), `"name": "Alice Via API"`) {
		t.Errorf("API edit: %d %s", code, body)
	}
	code, body = a.api("clinicianA", "PATCH", "/api/patients/"+itoa(a.patA.ID), []byte(`{"clinicId":2}`))
	if code != http.StatusUnprocessableEntity || !strings.Contains(string(body), "clinicId") {
		t.Errorf("API edit of the clinic: %d %s, want 422 naming clinicId", code, body)
	}
}

func TestRecordsAmendAndError(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	br := a.login("clinicianA")
	p := "/patients/" + itoa(a.patA.ID)
	old := p + "/assessments/" + itoa(a.assA)

	// The amend form is the assessment form prefilled with the visit.
	code, page, _ := br.get(old + "/amend")
	if code != http.StatusOK {
		t.Fatalf("amend form: %d", code)
	}
	for _, want := range []string{`action="` + old + `/amend"`, `id="amend-reason"`, `name="history.painSite"`, `<option value="midportion" selected>`} {
		if !strings.Contains(page, want) {
			t.Errorf("amend form lacks %s", want)
		}
	}
	form := url.Values{"date": {"2026-11-01"}, "history.painSite": {"insertion"}, "exam.arcSign": {"negative"}}
	code, page, _ = br.post(old+"/amend", form)
	if code != http.StatusUnprocessableEntity || !strings.Contains(page, "Say why the assessment is amended.") {
		t.Fatalf("amend without a reason: %d", code)
	}
	if !strings.Contains(page, `<option value="insertion" selected>`) {
		t.Errorf("the refused amendment lost what was typed")
	}
	form.Set("reason", "Pain site recorded wrongly")
	code, page, loc := br.post(old+"/amend", form)
	if code != http.StatusSeeOther || !strings.HasSuffix(loc, "?flash=assessment-amended") {
		t.Fatalf("amend: %d %q %s", code, loc, page)
	}
	next := strings.TrimSuffix(loc, "?flash=assessment-amended")
	e := a.lastEntry(tendo.ActionAssessmentAmend)
	if !strings.Contains(e.Detail, "reason: Pain site recorded wrongly") || !strings.Contains(e.Detail, "assessment "+itoa(a.assA)+" amended by") {
		t.Errorf("amend entry: %+v", e)
	}
	_, page, _ = br.get(next)
	if !strings.Contains(page, `id="previous-version"`) || !strings.Contains(page, "Reason: Pain site recorded wrongly") {
		t.Errorf("the new version does not say what it amends and why")
	}
	_, page, _ = br.get(old)
	if !strings.Contains(page, `id="amended"`) || !strings.Contains(page, `href="`+next+`" id="latest-version"`) || strings.Contains(page, `id="amend"`) {
		t.Errorf("the old version is not shown as amended with a link to the new one")
	}
	if _, page, _ := br.get(old + "/report"); !strings.Contains(page, "AMENDED: replaced by a later version") {
		t.Errorf("the printable report of the old version does not say it was amended")
	}
	if code, _, _ := br.post(old+"/amend", form); code != http.StatusConflict {
		t.Errorf("amend the old version again: %d, want 409", code)
	}
	_, page, _ = br.get(p)
	if strings.Contains(page, `href="`+old+`">assessment`) || !strings.Contains(page, `href="`+next+`">assessment`) {
		t.Errorf("the timeline does not hold the latest version only")
	}
	if !strings.Contains(page, `id="corrected-table"`) || !strings.Contains(page, `href="`+old+`"`) {
		t.Errorf("the patient page does not list the amended version")
	}

	// Entered in error: the reason is required; then it leaves the
	// timeline and stays readable, marked.
	code, page, _ = br.post(next+"/error", url.Values{"reason": {"  "}})
	if code != http.StatusUnprocessableEntity || !strings.Contains(page, `id="e-error-reason"`) {
		t.Fatalf("mark in error without a reason: %d", code)
	}
	code, _, loc = br.post(next+"/error", url.Values{"reason": {"Wrong patient's notes"}})
	if code != http.StatusSeeOther || loc != next+"?flash=assessment-error" {
		t.Fatalf("mark in error: %d %q", code, loc)
	}
	if e := a.lastEntry(tendo.ActionAssessmentError); !strings.Contains(e.Detail, "reason: Wrong patient's notes") {
		t.Errorf("error entry: %+v", e)
	}
	_, page, _ = br.get(next)
	if !strings.Contains(page, `id="entered-in-error"`) || !strings.Contains(page, html.EscapeString("Wrong patient's notes")) {
		t.Errorf("the page of the visit entered in error does not say so")
	}
	if _, page, _ := br.get(next + "/report"); !strings.Contains(page, "ENTERED IN ERROR, not valid") {
		t.Errorf("the printable report of the visit entered in error does not say so")
	}
	_, page, _ = br.get(p)
	if strings.Contains(page, `href="`+next+`">assessment`) {
		t.Errorf("the visit entered in error is still on the timeline")
	}
	_, tl := a.api("clinicianA", "GET", "/api/patients/"+itoa(a.patA.ID)+"/timeline", nil)
	if strings.Contains(string(tl), `"kind": "assessment"`) {
		t.Errorf("the API timeline lists a corrected visit: %s", tl)
	}
	_, list := a.api("clinicianA", "GET", "/api/patients/"+itoa(a.patA.ID)+"/assessments", nil)
	if !strings.Contains(string(list), `"assessments": []`) {
		t.Errorf("the API list holds corrected visits: %s", list)
	}
}

func TestRecordsAPI(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	ap := "/api/patients/" + itoa(a.patA.ID)
	doc := string(caseJSON(t, "s1-mimic"))
	tests := []struct {
		name, user, method, path, body string
		code                           int
		want                           string
	}{
		{"amend without a reason", "clinicianA", "POST", ap + "/assessments/" + itoa(a.assA) + "/amend", `{"assessment":` + doc + `}`, http.StatusUnprocessableEntity, `"field": "reason"`},
		{"amend without a document", "clinicianA", "POST", ap + "/assessments/" + itoa(a.assA) + "/amend", `{"reason":"x"}`, http.StatusUnprocessableEntity, `"field": "assessment"`},
		{"amend with a bad document", "clinicianA", "POST", ap + "/assessments/" + itoa(a.assA) + "/amend", `{"reason":"x","assessment":{"schema":"tendo/assessment/v1","history":{"painSite":"elbow"}}}`, http.StatusUnprocessableEntity, `"field": "history.painSite"`},
		{"a long reason", "clinicianA", "POST", ap + "/assessments/" + itoa(a.assA) + "/error", `{"reason":"` + strings.Repeat("x", tendo.MaxReasonLength+1) + `"}`, http.StatusUnprocessableEntity, `"field": "reason"`},
		{"admin amends", "admin", "POST", ap + "/assessments/" + itoa(a.assA) + "/amend", `{"reason":"wrong side","assessment":` + doc + `}`, http.StatusCreated, `"amendReason": "wrong side"`},
		{"amend the old version again", "clinicianA", "POST", ap + "/assessments/" + itoa(a.assA) + "/amend", `{"reason":"again","assessment":` + doc + `}`, http.StatusConflict, "amended since"},
		{"a clinician deletes", "clinicianA", "DELETE", ap, `{"reason":"duplicate"}`, http.StatusForbidden, "administrator"},
		{"admin deletes without a reason", "admin", "DELETE", ap, `{"reason":""}`, http.StatusUnprocessableEntity, `"field": "reason"`},
		{"admin deletes", "admin", "DELETE", ap, `{"reason":"duplicate of B-7"}`, http.StatusNoContent, ""},
		{"the deleted patient", "admin", "GET", ap, "", http.StatusNotFound, "No such patient"},
		{"the deleted patient's visit", "clinicianA", "GET", ap + "/assessments/" + itoa(a.assA), "", http.StatusNotFound, "No such patient"},
	}
	for _, tc := range tests {
		var body []byte
		if tc.body != "" {
			body = []byte(tc.body)
		}
		code, got := a.api(tc.user, tc.method, tc.path, body)
		if code != tc.code || !strings.Contains(string(got), tc.want) {
			t.Errorf("%s: %d %s, want %d with %q", tc.name, code, got, tc.code, tc.want)
		}
	}
	if e := a.lastEntry(tendo.ActionPatientDelete); e.Detail != "reason: duplicate of B-7" || e.PatientID != a.patA.ID || e.UserID != a.users["admin"].ID {
		t.Errorf("delete entry: %+v", e)
	}
	_, list := a.api("admin", "GET", "/api/patients", nil)
	if strings.Contains(string(list), a.patA.Name) {
		t.Errorf("the deleted patient is still listed")
	}
	// Its questionnaire link no longer opens.
	if code, _, _ := a.login("").get("/q/" + a.link); code == http.StatusOK {
		t.Errorf("the deleted patient's questionnaire link still opens")
	}
}

func TestRecordsAdminDeletePage(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	admin := a.login("admin")
	p := "/patients/" + itoa(a.patA.ID)
	_, page, _ := admin.get(p + "/edit")
	if !strings.Contains(page, `id="delete-patient"`) {
		t.Fatalf("the admin's edit page has no delete")
	}
	code, page, _ := admin.post(p+"/delete", url.Values{"reason": {""}})
	if code != http.StatusUnprocessableEntity || !strings.Contains(page, "Say why the patient is deleted.") {
		t.Fatalf("delete without a reason: %d", code)
	}
	code, _, loc := admin.post(p+"/delete", url.Values{"reason": {"Test record"}})
	if code != http.StatusSeeOther || loc != "/?flash=patient-deleted" {
		t.Fatalf("delete: %d %q", code, loc)
	}
	_, page, _ = admin.get("/")
	if strings.Contains(page, a.patA.Name) {
		t.Errorf("the dashboard still lists the deleted patient")
	}
	if code, _, _ := admin.get(p); code != http.StatusNotFound {
		t.Errorf("the deleted patient's page: %d, want 404", code)
	}
	if e := a.lastEntry(tendo.ActionPatientDelete); e.Detail != "reason: Test record" {
		t.Errorf("delete entry: %+v", e)
	}
}

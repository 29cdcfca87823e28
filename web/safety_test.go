package web_test

// issue 10: safety. Red flags on the dashboard, the visit list and the
// result page; the red-flag screen; the dashboard's search.

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/tendo-health/tendo"
)

// saveCase stores a visit of patient A through the API and returns it.
func saveCase(t *testing.T, a *app, body []byte) tendo.StoredAssessment {
	t.Helper()
	code, resp := a.api("clinicianA", "POST", "/api/patients/"+itoa(a.patA.ID)+"/assessments", body)
	if code != http.StatusCreated {
		t.Fatalf("save: %d %s", code, resp)
	}
	var created struct {
		Assessment tendo.StoredAssessment `json:"assessment"`
	}
	if err := json.Unmarshal(resp, &created); err != nil {
		t.Fatal(err)
	}
	return created.Assessment
}

const cesBadge = "suspected cauda equina syndrome (emergency)"

func TestSafetyEverywhere(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	ces := saveCase(t, a, caseJSON(t, "cauda-equina"))
	empty := saveCase(t, a, []byte(`{"schema":"tendo/assessment/v1","date":"2026-10-01"}`))
	if code, body := a.api("clinicianA", "POST", "/api/patients", []byte(`{"clinicId":`+itoa(a.clinA.ID)+`,"name":"<b>Eve</b> & \"Co\"","externalId":"<i>"}`)); code != http.StatusCreated {
		t.Fatalf("create patient: %d %s", code, body)
	}
	clinA, clinB := a.login("clinicianA"), a.login("clinicianB")
	patient := "/patients/" + itoa(a.patA.ID)

	tests := []struct {
		name     string
		b        *browser
		path     string
		wantCode int
		want     []string
		wantNot  []string
	}{
		{"dashboard: badge, last visit, conclusion, waiting link", clinA, "/", http.StatusOK,
			[]string{cesBadge, `class="urgent"`, "Alice Alpha", "urgent referral", ">2026-10-12<", "1 waiting"}, nil},
		{"dashboard escapes what it shows", clinA, "/", http.StatusOK, []string{"&lt;b&gt;Eve&lt;/b&gt; &amp; &#34;Co&#34;", "&lt;i&gt;"}, []string{"<b>Eve", "<i>"}},
		{"dashboard of another clinic", clinB, "/", http.StatusOK, []string{"Bob Bravo"}, []string{"Alice Alpha", cesBadge}},
		{"search by name", clinA, "/?q=" + url.QueryEscape("ALPHA"), http.StatusOK, []string{"Alice Alpha", `value="ALPHA"`}, nil},
		{"search by identifier", clinA, "/?q=a-1", http.StatusOK, []string{"Alice Alpha"}, nil},
		{"search finds nobody", clinA, "/?q=zzz", http.StatusOK, []string{"identifier contains “zzz”."}, []string{"Alice Alpha"}},
		{"search too long", clinA, "/?q=" + strings.Repeat("x", tendo.MaxPatientSearch+1), http.StatusUnprocessableEntity, []string{`aria-invalid="true"`, "at most 100 characters"}, nil},
		{"visit list: badge on the cauda equina row", clinA, patient, http.StatusOK, []string{cesBadge}, nil},
		{"result: the headline carries no site, the flag is named", clinA, patient + "/assessments/" + itoa(ces.ID), http.StatusOK,
			[]string{"Urgent referral", "suspected cauda equina syndrome", "Not part of the plan until suspected cauda equina syndrome is excluded or treated", `id="red-flag-screen"`},
			[]string{"Urgent referral — ", `<span class="code">cauda-equina-syndrome</span>`, "(cauda-equina-syndrome)", `id="screen-cauda-equina-syndrome"`}},
		{"result of an empty form: nothing screened", clinA, patient + "/assessments/" + itoa(empty.ID), http.StatusOK,
			[]string{`id="screen-cauda-equina-syndrome"`, "not screened at all", "numbness in the saddle or perineal area", `id="screen-suspected-dvt"`},
			[]string{`id="screen-complete"`}},
		{"printed report hides the contradicted plan", clinA, patient + "/assessments/" + itoa(ces.ID) + "/report", http.StatusOK,
			[]string{"Not part of the plan until suspected cauda equina syndrome"}, []string{"Urgent referral — "}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, body, _ := tt.b.get(tt.path)
			if code != tt.wantCode {
				t.Fatalf("%s: %d, want %d", tt.path, code, tt.wantCode)
			}
			for _, w := range tt.want {
				if !strings.Contains(body, w) {
					t.Errorf("%s lacks %q", tt.path, w)
				}
			}
			for _, w := range tt.wantNot {
				if strings.Contains(body, w) {
					t.Errorf("%s has %q", tt.path, w)
				}
			}
		})
	}

	// The API's dashboard: the same list, searched and limited.
	code, body := a.api("clinicianA", "GET", "/api/dashboard?q=alpha", nil)
	var dash tendo.PatientSummaries
	if err := json.Unmarshal(body, &dash); code != http.StatusOK || err != nil || len(dash.Patients) != 1 || dash.Patients[0].ID != a.patA.ID ||
		len(dash.Patients[0].RedFlags) != 1 || dash.Patients[0].RedFlags[0].Code != "cauda-equina-syndrome" || dash.Patients[0].OpenLinks != 1 {
		t.Errorf("API dashboard: %d %s", code, body)
	}
	for _, bad := range []string{"limit=abc", "limit=1001", "limit=-1"} {
		if code, body := a.api("clinicianA", "GET", "/api/dashboard?"+bad, nil); code != http.StatusUnprocessableEntity || !strings.Contains(string(body), `"field": "limit"`) {
			t.Errorf("API dashboard ?%s: %d %s, want 422 naming limit", bad, code, body)
		}
	}

	// The API's timeline carries each visit's red flags.
	code, body = a.api("clinicianA", "GET", "/api/patients/"+itoa(a.patA.ID)+"/timeline", nil)
	var tl struct {
		Points []struct {
			AssessmentID int64               `json:"assessmentId"`
			RedFlags     []tendo.RedFlagMark `json:"redFlags"`
		} `json:"points"`
	}
	_ = json.Unmarshal(body, &tl)
	found := false
	for _, p := range tl.Points {
		found = found || (p.AssessmentID == ces.ID && len(p.RedFlags) == 1 && p.RedFlags[0] == tendo.RedFlagMark{Code: "cauda-equina-syndrome", Urgency: tendo.Emergency})
	}
	if code != http.StatusOK || !found {
		t.Errorf("timeline API: %d %s", code, body)
	}
}

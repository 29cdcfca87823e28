package web_test

// The quick and forgiving form (issue 10: form): sections that fold,
// yes/no as segmented buttons, the red-flag questions first, the error
// summary, cross-field contradictions, dates, the clinical note and
// "start from the last visit".

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/tendo-health/tendo"
)

// TestFormLayout checks the blank form: each section folds (imaging and
// gait folded, the rest open), a yes/no question is three radio buttons,
// the red-flag questions come first in the history under their heading,
// and the clinical note is a text area.
func TestFormLayout(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	code, body, _ := a.login("clinicianA").get("/patients/" + itoa(a.patA.ID) + "/assessments/new")
	if code != http.StatusOK {
		t.Fatalf("status %d", code)
	}
	for _, tt := range []struct {
		section string
		open    bool
	}{{"visit", true}, {"patient", true}, {"history", true}, {"exam", true}, {"imaging", false}, {"proms", true}, {"gait", false}, {"note", true}} {
		t.Run("section "+tt.section, func(t *testing.T) {
			re := regexp.MustCompile(`<details class="section" id="section-` + tt.section + `"( open)?>\s*<summary>`)
			m := re.FindStringSubmatch(body)
			if m == nil {
				t.Fatalf("no folding section %s", tt.section)
			}
			if got := m[1] != ""; got != tt.open {
				t.Errorf("section %s open = %v, want %v", tt.section, got, tt.open)
			}
		})
	}
	t.Run("yes/no as segmented buttons", func(t *testing.T) {
		for _, v := range []string{"true", "false", ""} {
			if !strings.Contains(body, `<input type="radio" name="history.fever" value="`+v+`"`) {
				t.Errorf("no radio button history.fever = %q", v)
			}
		}
		if !strings.Contains(body, `name="history.fever" value="" checked`) {
			t.Error("a blank form does not start at \"not assessed\"")
		}
		if strings.Contains(body, `<select id="f-history.fever"`) {
			t.Error("history.fever is still a select")
		}
	})
	t.Run("red-flag questions first", func(t *testing.T) {
		hist := body[strings.Index(body, `id="section-history"`):strings.Index(body, `id="section-exam"`)]
		flags := strings.Index(hist, `id="f-history:red-flags"`)
		rest := strings.Index(hist, `id="f-history:complaint"`)
		if flags < 0 || rest < flags {
			t.Fatalf("the history's red-flag heading (%d) does not come before the rest (%d)", flags, rest)
		}
		for _, path := range []string{"history.saddleAnesthesia", "history.bladderOrBowelDysfunction", "history.bilateralLegSymptoms",
			"history.previousDvt", "history.historyOfCancer", "history.fever", "history.ischaemicRestPain"} {
			if i := strings.Index(hist, `id="f-`+path+`"`); i < flags || i > rest {
				t.Errorf("%s is not among the red-flag questions", path)
			}
		}
		if i := strings.Index(hist, `id="f-history.onset"`); i < rest {
			t.Errorf("history.onset (%d) is among the red-flag questions (before %d)", i, rest)
		}
		if !strings.Contains(hist, `<span class="flag-tag">cauda equina</span>`) {
			t.Error("a red-flag question does not name what it screens for")
		}
	})
	t.Run("note", func(t *testing.T) {
		if !strings.Contains(body, `<textarea id="f-note" name="note" rows="6" maxlength="10000"`) {
			t.Error("no clinical note")
		}
		if !strings.Contains(body, `id="start-from-last"`) {
			t.Error("no link to start from the last visit")
		}
		if strings.Contains(body, "<script") || strings.Contains(body, "autofocus") {
			t.Error("a blank form has a script or an autofocus")
		}
	})
}

// TestFormErrorSummary posts a form with an error near its bottom: the
// page opens with a summary that takes the focus and links to the field,
// the field is marked invalid and described by its message, and
// everything typed comes back, the note and the yes/no answers included.
func TestFormErrorSummary(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	b := a.login("clinicianA")
	form := url.Values{
		"date": {"2026-11-02"}, "side": {"left"}, "history.fever": {"false"}, "history.saddleAnesthesia": {"true"},
		"exam.slump": {"positive"}, "gait.cadenceStepsPerMin": {"fast"}, "note": {"Line one\r\nline two <b>"},
	}
	code, body, _ := b.post("/patients/"+itoa(a.patA.ID)+"/assessments", form)
	if code != http.StatusUnprocessableEntity {
		t.Fatalf("status %d, want 422", code)
	}
	for _, want := range []string{
		`<div class="error-summary" id="error-summary" tabindex="-1" autofocus`,
		`<a href="#f-gait.cadenceStepsPerMin">Cadence (steps/min)</a>: &#34;fast&#34;`,
		`id="f-gait.cadenceStepsPerMin" name="gait.cadenceStepsPerMin" inputmode="decimal" value="fast" aria-describedby="e-gait.cadenceStepsPerMin h-gait.cadenceStepsPerMin" aria-invalid="true"`,
		`<span class="field-error" role="alert" id="e-gait.cadenceStepsPerMin">`,
		`<details class="section" id="section-gait" open>`,
		`name="history.fever" value="false" checked`, `name="history.saddleAnesthesia" value="true" checked`,
		`value="positive" selected`, `>Line one` + "\n" + `line two &lt;b&gt;</textarea>`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("the page lacks %s", want)
		}
	}
	if strings.Count(body, "autofocus") != 1 {
		t.Errorf("%d autofocus attributes, want 1", strings.Count(body, "autofocus"))
	}
	if strings.Index(body, `id="error-summary"`) > strings.Index(body, `id="section-visit"`) {
		t.Error("the summary is not at the top of the form")
	}
}

// TestFormContradictionsAndDates posts contradictory answers and
// impossible dates: each is refused with the fields it involves named
// and marked.
func TestFormContradictionsAndDates(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	ctx := context.Background()
	born, err := a.store.CreatePatient(ctx, tendo.PatientRecord{ClinicID: a.clinA.ID, Name: "Born 1990", BirthYear: 1990})
	if err != nil {
		t.Fatal(err)
	}
	b := a.login("clinicianA")
	tomorrow := time.Now().UTC().AddDate(0, 0, 1).Format(time.DateOnly)
	tests := []struct {
		name   string
		form   url.Values
		errors map[string]string // e-KEY → message substring
	}{
		{"morning stiffness denied with 45 minutes",
			url.Values{"history.morningStiffness": {"false"}, "history.morningStiffnessMinutes": {"45"}},
			map[string]string{
				"e-history.morningStiffnessMinutes": "45 disagrees with history.morningStiffness: false",
				"e-history.morningStiffness":        "history.morningStiffnessMinutes: 45 disagrees with history.morningStiffness: false"}},
		{"back pain denied with 12 weeks of it",
			url.Values{"history.lowBackPain": {"false"}, "history.lowBackPainWeeks": {"12"}},
			map[string]string{"e-history.lowBackPainWeeks": "disagrees with history.lowBackPain", "e-history.lowBackPain": "history.lowBackPainWeeks"}},
		{"a visit tomorrow", url.Values{"date": {tomorrow}}, map[string]string{"e-date": tomorrow + " is in the future"}},
		{"a visit before the year of birth", url.Values{"date": {"1989-12-31"}}, map[string]string{"e-date": "1989-12-31 is before the patient's birth (born 1990)"}},
		{"a note too long", url.Values{"date": {"2026-11-02"}, "note": {strings.Repeat("n", tendo.MaxNoteLength+1)}},
			map[string]string{"e-note": "at most 10000 are kept"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, body, _ := b.post("/patients/"+itoa(born.ID)+"/assessments", tt.form)
			if code != http.StatusUnprocessableEntity {
				t.Fatalf("status %d, want 422", code)
			}
			for field, msg := range tt.errors {
				if got := errorFor(body, field); !strings.Contains(got, msg) {
					t.Errorf("message next to %s is %q, want it to contain %q", field, got, msg)
				}
				key := strings.TrimPrefix(field, "e-")
				if !strings.Contains(body, `href="#f-`+key+`"`) {
					t.Errorf("the summary does not link to %s", key)
				}
				if !strings.Contains(body, `aria-describedby="`+field) {
					t.Errorf("no input is described by %s", field)
				}
			}
		})
	}
}

// TestFormNoteAndStartFromLastVisit saves a visit with a note (shown on
// its result page), then starts the next visit from it: the stable facts
// and the score the patient has since sent by link are in the form, the
// complaint is not, and the read is audited.
func TestFormNoteAndStartFromLastVisit(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	ctx := context.Background()
	b := a.login("clinicianA")
	p := "/patients/" + itoa(a.patA.ID)
	first := url.Values{
		"date": {time.Now().UTC().AddDate(0, 0, -30).Format(time.DateOnly)}, "side": {"left"},
		"patient.sex": {"female"}, "patient.heightCm": {"168"}, "patient.weightKg": {"61.5"}, "patient.activityLevel": {"competitive"}, "patient.runner": {"true"},
		"history.diabetes": {"true"}, "history.diabetesYears": {"3"}, "history.systemicCorticosteroids": {"false"},
		"history.historyOfCancer": {"false"}, "history.previousDvt": {"true"},
		"history.painSite": {"insertion"}, "exam.arcSign": {"negative"}, "proms.nprs": {"6"},
		"note": {"Runs 40 km a week.\r\nGoal: the spring marathon."},
	}
	code, body, loc := b.post(p+"/assessments", first)
	if code != http.StatusSeeOther {
		t.Fatalf("save: status %d: %s", code, strings.Join(fieldErrRe.FindAllString(body, -1), "\n"))
	}
	id, _ := strconv.ParseInt(loc[strings.LastIndexByte(loc, '/')+1:], 10, 64)
	st, err := a.store.Assessment(ctx, id)
	if err != nil || st.Note != "Runs 40 km a week.\nGoal: the spring marathon." {
		t.Fatalf("stored note %q, %v", st.Note, err)
	}
	_, body, _ = b.get(loc)
	if !strings.Contains(body, `<p class="note-text">Runs 40 km a week.`+"\n"+`Goal: the spring marathon.</p>`) {
		t.Error("the result page does not show the note")
	}

	// The patient answers the VISA-A link after the visit.
	answers := url.Values{"q1": {"6"}, "q2": {"5"}, "q3": {"7"}, "q4": {"6"}, "q5": {"4"}, "q6": {"5"}, "q7": {"7"}, "q8": {"B:10"}}
	if code, _, _ := a.login("").post("/q/"+a.link, answers); code != http.StatusOK {
		t.Fatalf("questionnaire: status %d", code)
	}

	before := len(auditActions(t, a, tendo.ActionAssessmentRead))
	code, body, _ = b.get(p + "/assessments/new?from=last")
	if code != http.StatusOK {
		t.Fatalf("start from the last visit: status %d", code)
	}
	for _, tt := range []struct{ name, want string }{
		{"side", `name="side"`},
		{"sex", `value="female" selected`},
		{"height", `name="patient.heightCm" inputmode="decimal" value="168"`},
		{"weight", `name="patient.weightKg" inputmode="decimal" value="61.5"`},
		{"activity", `value="competitive" selected`},
		{"runner", `name="patient.runner" value="true" checked`},
		{"diabetes", `name="history.diabetes" value="true" checked`},
		{"diabetes years", `name="history.diabetesYears" inputmode="decimal" value="3"`},
		{"a drug denied", `name="history.systemicCorticosteroids" value="false" checked`},
		{"a past DVT", `name="history.previousDvt" value="true" checked`},
		{"no cancer is asked again", `name="history.historyOfCancer" value="" checked`},
		{"the complaint is new", `name="history.painSite"` + `[^>]*>\s*<option value="" selected`},
		{"the examination is new", `name="exam.arcSign"` + `[^>]*>\s*<option value="" selected`},
		{"the VISA-A the patient sent", `name="proms.visaA.score" inputmode="decimal" value="50"`},
		{"the clinic's NPRS is not carried", `name="proms.nprs" inputmode="decimal" value=""`},
		{"today's date", `name="date" type="date" value="` + time.Now().UTC().Format(time.DateOnly) + `"`},
		{"the notice", `Started from the visit of ` + first.Get("date")},
		{"the score's origin", `VISA-A 50 \(answered ` + time.Now().UTC().Format(time.DateOnly) + `\)`},
	} {
		if !regexp.MustCompile(tt.want).MatchString(body) {
			t.Errorf("%s: the form lacks %s", tt.name, tt.want)
		}
	}
	if !strings.Contains(body, `value="left" selected`) {
		t.Error("the side is not carried over")
	}
	if strings.Contains(body, "Runs 40 km") {
		t.Error("the last visit's note is carried over")
	}
	reads := auditActions(t, a, tendo.ActionAssessmentRead)
	if len(reads) != before+1 || !strings.Contains(reads[0].Detail, "start from the last visit: assessment "+itoa(id)) {
		t.Errorf("audit: %d reads after %d; newest %+v", len(reads), before, reads)
	}
}

// auditActions lists the audit entries with the action, newest first.
func auditActions(t *testing.T, a *app, action string) []tendo.AuditEntry {
	t.Helper()
	es, err := a.store.AuditLog(context.Background(), tendo.AuditFilter{Action: action, Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	return es
}

// TestAPIRejectsContradictionsAndDates checks that the JSON API refuses
// what the form refuses: a contradiction naming both fields, and a date
// in the future.
func TestAPIRejectsContradictionsAndDates(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	path := "/api/patients/" + itoa(a.patA.ID) + "/assessments"
	tomorrow := time.Now().UTC().AddDate(0, 0, 1).Format(time.DateOnly)
	tests := []struct {
		name   string
		doc    string
		field  string
		fields []string // every field the error names
	}{
		{"morning stiffness", `{"schema": "tendo/assessment/v1", "history": {"morningStiffness": false, "morningStiffnessMinutes": 45}}`,
			"history.morningStiffnessMinutes", []string{"history.morningStiffnessMinutes", "history.morningStiffness"}},
		{"a visit tomorrow", `{"schema": "tendo/assessment/v1", "date": "` + tomorrow + `"}`, "date", []string{"date"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, body := a.api("clinicianA", "POST", path, []byte(tt.doc))
			if code != http.StatusUnprocessableEntity {
				t.Fatalf("status %d, want 422: %s", code, body)
			}
			if !strings.Contains(string(body), `"field": "`+tt.field+`"`) && !strings.Contains(string(body), `"field":"`+tt.field+`"`) {
				t.Errorf("the error does not name %s: %s", tt.field, body)
			}
			for _, f := range tt.fields {
				if !strings.Contains(string(body), f) {
					t.Errorf("the error does not name %s: %s", f, body)
				}
			}
		})
	}
}

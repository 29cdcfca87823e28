package web_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

// Issue 10: programme.

var programmeURLRe = regexp.MustCompile(`id="programme-url">[^<]*/h/([A-Za-z0-9_-]+)<`)
var programmeIDRe = regexp.MustCompile(`id="programme-(\d+)"`)

// seededProgrammes remembers, per app, the programme the authorization
// matrix uses (one per app: routes(a) may be called more than once).
var seededProgrammes sync.Map // *app → [2]string{id, token}

// seedProgramme creates, as clinician A, an Alfredson programme of
// patient A's seeded visit, and returns its ID and token.
func seedProgramme(a *app) (string, string) {
	a.t.Helper()
	if v, ok := seededProgrammes.Load(a); ok {
		p := v.([2]string)
		return p[0], p[1]
	}
	b := a.login("clinicianA")
	code, body, _ := b.post("/patients/"+itoa(a.patA.ID)+"/programmes", programmeForm(a, "alfredson"))
	if code != http.StatusOK {
		a.t.Fatalf("seed programme: %d %s", code, body)
	}
	tok, id := programmeURLRe.FindStringSubmatch(body), programmeIDRe.FindStringSubmatch(body)
	if tok == nil || id == nil {
		a.t.Fatalf("seed programme: no link or ID in %s", body)
	}
	seededProgrammes.Store(a, [2]string{id[1], tok[1]})
	a.t.Cleanup(func() { seededProgrammes.Delete(a) })
	return id[1], tok[1]
}

func programmeForm(a *app, protocol string) url.Values {
	if protocol == "hsr" {
		return url.Values{"visit": {itoa(a.assA)}, "protocol": {protocol}, "sets": {"3"}, "reps": {"15"}, "loadKg": {"20"},
			"perWeek": {"3"}, "days": {"84"}}
	}
	return url.Values{"visit": {itoa(a.assA)}, "protocol": {protocol}, "sets": {"3"}, "reps": {"15"}, "loadKg": {"0"},
		"perWeek": {"14"}, "days": {"84"}, "elements": {"heel-lift"}}
}

func TestProgrammeForm(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	b := a.login("clinicianA")
	p := "/patients/" + itoa(a.patA.ID) + "/programmes"
	code, page, _ := b.get(p)
	if code != http.StatusOK || !strings.Contains(page, `id="protocol-hsr"`) || !strings.Contains(page, `id="protocol-alfredson"`) {
		t.Fatalf("programme page %d: want both midportion protocols offered\n%s", code, page)
	}
	for _, tc := range []struct {
		name  string
		edit  func(url.Values)
		field string // the form's error, "" for none
	}{
		{"too many repetitions", func(f url.Values) { f.Set("reps", "30") }, "reps"},
		{"not a number", func(f url.Values) { f.Set("sets", "three") }, "sets"},
		{"insertional protocol not in a midportion plan", func(f url.Values) { f.Set("protocol", "floor-level") }, "protocol"},
		{"link for a year", func(f url.Values) { f.Set("days", "365") }, "days"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := programmeForm(a, "alfredson")
			tc.edit(f)
			code, page, _ := b.post(p, f)
			if code != http.StatusUnprocessableEntity || !strings.Contains(page, `class="field-error"`) {
				t.Errorf("%d, want 422 with a field error\n%s", code, page)
			}
		})
	}
	code, page, _ = b.post(p, url.Values{"visit": {itoa(a.assA)}, "protocol": {"hsr"}})
	if code != http.StatusOK || !strings.Contains(page, "<strong>Heavy slow resistance</strong>: 3 × 15, +0 kg, 3 sessions/week") {
		t.Errorf("empty dose fields: %d, want heavy slow resistance at its start dose\n%s", code, page)
	}
	_, token := seedProgramme(a)

	patient := a.login("")
	code, page, _ = patient.get("/h/" + token)
	switch {
	case code != http.StatusOK:
		t.Fatalf("patient page %d", code)
	case strings.Contains(page, "Example") || strings.Contains(page, "alfredson1998") || strings.Contains(strings.ToLower(page), "nsaid"):
		t.Errorf("the patient page shows a surname, a citation or a medicine:\n%s", page)
	case strings.Count(page, `class="exercise-figure"`) != 2 || !strings.Contains(page, "twice a day, every day"):
		t.Errorf("want two drawings (knee straight and bent) and the dose in words:\n%s", page)
	}
	today := a.now().UTC().Format(time.DateOnly)
	code, _, loc := patient.post("/h/"+token, url.Values{"date": {today}, "during": {"3"}, "morning": {"2"}})
	if code != http.StatusSeeOther || !strings.HasPrefix(loc, "/h/") {
		t.Fatalf("log: %d → %q", code, loc)
	}
	code, page, _ = patient.post("/h/"+token, url.Values{"date": {today}, "during": {"12"}})
	if code != http.StatusUnprocessableEntity || !strings.Contains(page, "Choose a number from 0") {
		t.Errorf("pain 12: %d\n%s", code, page)
	}
	_, page, _ = b.get("/patients/" + itoa(a.patA.ID))
	if !strings.Contains(page, "<td>"+today+"</td><td class=\"num\">3</td><td class=\"num\">2</td>") || !strings.Contains(page, "Review proposal: too few sessions to judge") {
		t.Errorf("the patient page does not show the log and the proposal:\n%s", page)
	}
	id, _ := seedProgramme(a)
	if !strings.Contains(page, `id="programme-log-`+id+`"`) {
		t.Errorf("the patient page does not show programme %s", id)
	}
	code, printed, _ := b.get(p + "/" + id + "/print")
	if code != http.StatusOK || strings.Count(printed, `class="exercise-figure"`) != 2 || strings.Contains(printed, "/h/") || strings.Contains(printed, "log-session") {
		t.Errorf("printable programme %d: want the two drawings and neither the link nor the log form\n%s", code, printed)
	}
	code, svg, _ := b.get(p + "/" + id + "/log.svg")
	if code != http.StatusOK || !strings.Contains(svg, "during 3/10") {
		t.Errorf("log chart %d: %s", code, svg)
	}
}

package web_test

import (
	"bytes"
	"encoding/json"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/tendo-health/tendo"
)

// fakeGait is the web tests' gait analysis: a fixed report with two
// metrics (one below normal) and a curve per side, whatever the file.
type fakeGait struct{}

func f64(v float64) *float64 { return &v }

func (fakeGait) AnalyzeGait(name string, data []byte, massKg float64, side string) (*tendo.GaitReport, error) {
	if bytes.HasPrefix(data, []byte("not c3d")) {
		return nil, tendo.Errorf(tendo.EINVALID, "This is not a C3D file (its parameter section is missing).")
	}
	curve := func(side string) tendo.GaitCurve {
		vals := make([]*float64, 101)
		for i := range vals {
			vals[i] = f64(float64(i) / 100)
		}
		return tendo.GaitCurve{Key: "achilles-force", Label: "Achilles tendon force", Side: side, Unit: "× body weight", Values: vals}
	}
	if side == "" {
		side = "left"
	}
	return &tendo.GaitReport{
		File: name, Format: "c3d", BodyMassKg: 72.5, MassFrom: "file", DurationS: 6.25,
		Events: "force-plates", AnkleMethod: "inverse-dynamics", AchillesMomentArmM: 0.05,
		Metrics: []tendo.GaitMetric{
			{Key: "cadenceStepsPerMin", Label: "Cadence", Value: f64(104), Unit: "steps/min",
				Normal: &tendo.GaitBand{Low: 100, High: 130, Source: "Fake normal walking study"}},
			{Key: "peakAchillesForceBw", Label: "Peak Achilles tendon force", Side: "left", Value: f64(3.25), Unit: "× body weight",
				Normal: &tendo.GaitBand{Low: 4, High: 7, Source: "Fake tendon study"}, Outside: "below"},
		},
		Curves:       []tendo.GaitCurve{curve("left"), curve("right")},
		Notes:        []string{"Foot strikes found on two force plates."},
		Evidence:     tendo.Gait{CadenceStepsPerMin: f64(104), PeakAchillesForceBW: f64(3.25)},
		EvidenceSide: side,
	}, nil
}

// fakePlot stands in for chart.GaitCycles.
func fakePlot(r *tendo.GaitReport) ([]byte, error) {
	return []byte(`<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><title>` + r.File + `</title></svg>`), nil
}

// gaitFile is an upload's content (fakeGait reads nothing of it).
func gaitFile(*app) []byte { return []byte("C3D fake trial") }

// multipartBody encodes fields and a file (field "file", walk.c3d).
func multipartBody(t testing.TB, fields url.Values, file []byte) (string, []byte) {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for k, vs := range fields {
		for _, v := range vs {
			if err := mw.WriteField(k, v); err != nil {
				t.Fatal(err)
			}
		}
	}
	if file != nil {
		fw, err := mw.CreateFormFile("file", "walk.c3d")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := fw.Write(file); err != nil {
			t.Fatal(err)
		}
	}
	if err := mw.Close(); err != nil {
		t.Fatal(err)
	}
	return mw.FormDataContentType(), buf.Bytes()
}

// apiUpload posts a multipart form to the API as a user.
func (a *app) apiUpload(user, path string, fields url.Values, file []byte) (int, []byte) {
	a.t.Helper()
	ct, body := multipartBody(a.t, fields, file)
	req, err := http.NewRequest("POST", a.srv.URL+path, bytes.NewReader(body))
	if err != nil {
		a.t.Fatal(err)
	}
	if user != "" {
		req.Header.Set("Authorization", "Bearer "+a.tokens[user])
	}
	req.Header.Set("Content-Type", ct)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		a.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, b
}

// postFile sends a multipart form with a file, adding the CSRF token.
func (b *browser) postFile(path string, form url.Values, file []byte) (int, string, string) {
	b.a.t.Helper()
	if b.csrf != "" && form.Get("csrf") == "" {
		form.Set("csrf", b.csrf)
	}
	ct, body := multipartBody(b.a.t, form, file)
	resp, err := b.c.Post(b.a.srv.URL+path, ct, bytes.NewReader(body))
	if err != nil {
		b.a.t.Fatal(err)
	}
	defer resp.Body.Close()
	page, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(page), resp.Header.Get("Location")
}

// seedTrial uploads a trial of assA through the API and returns its ID.
func (a *app) seedTrial() int64 {
	a.t.Helper()
	code, body := a.apiUpload("clinicianA", "/api/patients/"+itoa(a.patA.ID)+"/assessments/"+itoa(a.assA)+"/gait", url.Values{"side": {"left"}}, gaitFile(a))
	if code != http.StatusCreated {
		a.t.Fatalf("seed gait trial: %d %s", code, body)
	}
	var got struct {
		Trial tendo.GaitTrial `json:"trial"`
	}
	if err := json.Unmarshal(body, &got); err != nil {
		a.t.Fatal(err)
	}
	return got.Trial.ID
}

// TestGaitTrialPage uploads a trial from the result page, reads its
// report, plot and JSON, and adds it to the assessment.
func TestGaitTrialPage(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	b := a.login("clinicianA")
	visit := "/patients/" + itoa(a.patA.ID) + "/assessments/" + itoa(a.assA)
	code, _, loc := b.postFile(visit+"/gait", url.Values{"side": {"right"}, "massKg": {"71,5"}}, gaitFile(a))
	if code != http.StatusSeeOther || !strings.HasPrefix(loc, visit+"?flash=gait-created#gait-") {
		t.Fatalf("upload: %d → %q", code, loc)
	}
	tid := loc[strings.LastIndex(loc, "-")+1:]
	code, page, _ := b.get(visit + "?flash=gait-created")
	if code != http.StatusOK {
		t.Fatalf("result page: %d", code)
	}
	for _, want := range []string{
		`id="gait-` + tid + `"`, "Gait trial analysed and saved.",
		"<td>Cadence</td>", "104 steps/min", "100–130 steps/min", "Fake normal walking study",
		"3.25 × body weight", "below normal", "within normal",
		"Foot strikes found on two force plates.", "72.5 kg (from the file)", "from force plates", "ankle moment: inverse dynamics",
		`src="` + visit + `/gait/` + tid + `/plot.svg"`, `id="gait-apply-` + tid + `"`,
		"the right side", "Peak Achilles tendon force: 3.25 × body weight", `id="gait-upload"`, `enctype="multipart/form-data"`,
	} {
		if !strings.Contains(page, want) {
			t.Errorf("result page lacks %q", want)
		}
	}

	// The plot.
	resp, err := b.c.Get(a.srv.URL + visit + "/gait/" + tid + "/plot.svg")
	if err != nil {
		t.Fatal(err)
	}
	svg, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "image/svg+xml" || !bytes.Contains(svg, []byte("<svg")) {
		t.Errorf("plot: %d %s %.60s", resp.StatusCode, resp.Header.Get("Content-Type"), svg)
	}
	// A trial named under another visit is not found.
	if code, _, _ := b.get("/patients/" + itoa(a.patA.ID) + "/assessments/1/gait/" + tid + "/plot.svg"); code != http.StatusNotFound {
		t.Errorf("plot under another visit: %d, want 404", code)
	}

	// The API's view of the trial.
	api := "/api" + visit + "/gait/" + tid
	code, body := a.api("clinicianA", "GET", api, nil)
	var got struct {
		Trial tendo.GaitTrial `json:"trial"`
	}
	if err := json.Unmarshal(body, &got); code != http.StatusOK || err != nil {
		t.Fatalf("API trial: %d %v %s", code, err, body)
	}
	if r := got.Trial.Report; r == nil || len(r.Metrics) != 2 || len(r.Curves) != 2 || r.EvidenceSide != "right" || got.Trial.File != "walk.c3d" {
		t.Errorf("API trial: %+v", got.Trial)
	}
	code, body = a.api("clinicianA", "GET", "/api"+visit+"/gait", nil)
	if code != http.StatusOK || strings.Count(string(body), `"sha256"`) != 2 {
		t.Errorf("API list: %d, want the seeded trial and this one: %s", code, body)
	}

	// "Add to assessment" saves a new visit with the trial's values.
	code, _, loc = b.post(visit+"/gait/"+tid+"/apply", url.Values{})
	if code != http.StatusSeeOther || !strings.HasSuffix(loc, "?flash=gait-applied") || strings.HasPrefix(loc, visit+"?") {
		t.Fatalf("apply: %d → %q", code, loc)
	}
	code, page, _ = b.get(loc)
	if code != http.StatusOK || !strings.Contains(page, "saved as a new assessment of the same date") {
		t.Errorf("new visit's page: %d", code)
	}
	newVisit := strings.TrimSuffix(loc, "?flash=gait-applied")
	code, body = a.api("clinicianA", "GET", "/api"+newVisit, nil)
	var stored struct {
		Input tendo.Assessment `json:"input"`
	}
	if err := json.Unmarshal(body, &stored); code != http.StatusOK || err != nil {
		t.Fatalf("new visit: %d %v", code, err)
	}
	g := stored.Input.Gait
	if g.Source == nil || *g.Source != tendo.GaitInstrumented || g.CadenceStepsPerMin == nil || *g.CadenceStepsPerMin != 104 ||
		g.PeakAchillesForceBW == nil || *g.PeakAchillesForceBW != 3.25 {
		t.Errorf("new visit's gait section: %+v", g)
	}
	// Over the API, it is a created assessment.
	code, body = a.api("clinicianA", "POST", api+"/apply", nil)
	if code != http.StatusCreated || !strings.Contains(string(body), `"instrumented"`) {
		t.Errorf("API apply: %d %s", code, body)
	}
}

// TestGaitTrialRefused shows a refused upload by the form, and the API's
// answers to bad requests.
func TestGaitTrialRefused(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	b := a.login("clinicianA")
	visit := "/patients/" + itoa(a.patA.ID) + "/assessments/" + itoa(a.assA)
	api := "/api" + visit + "/gait"
	tests := []struct {
		name   string
		fields url.Values
		file   []byte
		field  string // the API's error field
		text   string // on the page and in the API's message
	}{
		{"no file", url.Values{}, nil, "file", "Choose a C3D file"},
		{"empty file", url.Values{}, []byte{}, "file", "the file sent is empty"},
		{"mass not a number", url.Values{"massKg": {"heavy"}}, gaitFile(a), "massKg", "Enter the body mass as a number of kg"},
		{"mass out of range", url.Values{"massKg": {"900"}}, gaitFile(a), "massKg", "at most 500"},
		{"unknown side", url.Values{"side": {"both"}}, gaitFile(a), "side", "Choose"},
		{"not a C3D file", url.Values{}, []byte("not c3d at all"), "file", "This is not a C3D file"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			form := url.Values{}
			for k, v := range tt.fields {
				form[k] = v
			}
			code, page, _ := b.postFile(visit+"/gait", form, tt.file)
			if code != http.StatusUnprocessableEntity || !strings.Contains(page, tt.text) || !strings.Contains(page, `id="gait-upload"`) {
				t.Errorf("page: %d, want 422 with %q by the form", code, tt.text)
			}
			code, body := a.apiUpload("clinicianA", api, tt.fields, tt.file)
			var e struct {
				Error struct{ Field, Message string } `json:"error"`
			}
			if err := json.Unmarshal(body, &e); code != http.StatusUnprocessableEntity || err != nil || e.Error.Field != tt.field || !strings.Contains(e.Error.Message, tt.text) {
				t.Errorf("API: %d %s, want 422 on %q with %q", code, body, tt.field, tt.text)
			}
		})
	}
	// The API wants multipart.
	if code, body := a.api("clinicianA", "POST", api, []byte(`{"file":"x"}`)); code != http.StatusUnprocessableEntity || !strings.Contains(string(body), "multipart/form-data") {
		t.Errorf("JSON upload: %d %s", code, body)
	}
	// A body over the limit is refused before it is all read into memory.
	big := bytes.Repeat([]byte("C3D"), (tendo.MaxGaitTrialSize+2<<20)/3)
	if code, body := a.apiUpload("clinicianA", api, nil, big); code != http.StatusUnprocessableEntity || !strings.Contains(string(body), "larger than 32 MiB") {
		t.Errorf("upload over the limit: %d %.200s", code, body)
	}
	// The same without a Content-Length (chunked): refused as it arrives.
	ct, mp := multipartBody(t, nil, big)
	req, err := http.NewRequest("POST", a.srv.URL+api, io.MultiReader(bytes.NewReader(mp)))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+a.tokens["clinicianA"])
	req.Header.Set("Content-Type", ct)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	chunked, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if req.ContentLength != 0 || resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(string(chunked), "larger than 32 MiB") {
		t.Errorf("chunked upload over the limit (length %d): %d %.200s", req.ContentLength, resp.StatusCode, chunked)
	}
	// Nothing refused was stored: the seeded trial only.
	code, body := a.api("clinicianA", "GET", api, nil)
	if code != http.StatusOK || strings.Count(string(body), `"sha256"`) != 1 {
		t.Errorf("trials after refusals: %d %s", code, body)
	}
}

// TestGaitUnavailable: without an analyzer and a plot, the page says so
// and an upload is an internal error, not a crash.
func TestGaitUnavailable(t *testing.T) {
	t.Parallel()
	a := newAppGait(t, engine(t), false)
	b := a.login("clinicianA")
	visit := "/patients/" + itoa(a.patA.ID) + "/assessments/" + itoa(a.assA)
	code, page, _ := b.get(visit)
	if code != http.StatusOK || !strings.Contains(page, "Gait analysis is not available on this server.") || strings.Contains(page, `id="gait-upload"`) {
		t.Errorf("result page without gait analysis: %d", code)
	}
	code, body := a.apiUpload("clinicianA", "/api"+visit+"/gait", nil, gaitFile(a))
	if code != http.StatusInternalServerError || !strings.Contains(string(body), `"internal"`) {
		t.Errorf("upload without gait analysis: %d %s", code, body)
	}
}

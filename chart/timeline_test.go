package chart_test

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"math"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/tendo-health/tendo"
	"github.com/tendo-health/tendo/chart"
	"github.com/tendo-health/tendo/internal/golden"
)

func f64(v float64) *float64 { return &v }

func at(date string, hour int) time.Time {
	t, err := time.Parse(time.DateOnly, date)
	if err != nil {
		panic(err)
	}
	return t.Add(time.Duration(hour) * time.Hour)
}

// The cases drawn in the golden files.
var (
	oneVisit = []tendo.StoredAssessment{{
		ID: 1, Date: "2024-03-04", Classification: tendo.LocalTendinopathy,
		VISAA: f64(50), ODI: f64(46.666666666666664), NPRS: f64(6),
	}}
	threeVisits = []tendo.StoredAssessment{
		{ID: 1, Date: "2024-03-04", Classification: tendo.Mixed, VISAA: f64(42), ODI: f64(38), NPRS: f64(7)},
		{ID: 2, Date: "2024-04-15", Classification: tendo.LocalTendinopathy, VISAA: f64(55), ODI: f64(30), NPRS: f64(5)},
		{ID: 3, Date: "2024-06-03", Classification: tendo.LocalTendinopathy, VISAA: f64(71), ODI: f64(18), NPRS: f64(3), LEFS: f64(60)},
	}
	linkOnly = []tendo.QuestionnaireResponse{
		{ID: 1, Instrument: tendo.InstrumentVISAA, Score: 44, SubmittedAt: at("2024-03-04", 9)},
		{ID: 2, Instrument: tendo.InstrumentNPRS, Score: 6, SubmittedAt: at("2024-03-04", 9)},
		{ID: 3, Instrument: tendo.InstrumentVISAA, Score: 52, SubmittedAt: at("2024-03-25", 20)},
		{ID: 4, Instrument: tendo.InstrumentLEFS, Score: 50, SubmittedAt: at("2024-03-25", 20)},
		{ID: 5, Instrument: tendo.InstrumentNPRS, Score: 5, SubmittedAt: at("2024-03-25", 20)},
		{ID: 6, Instrument: tendo.InstrumentVISAA, Score: 63, SubmittedAt: at("2024-04-22", 7)},
		{ID: 7, Instrument: tendo.InstrumentNPRS, Score: 3, SubmittedAt: at("2024-04-22", 7)},
	}
	// mixed has both sources, a week with two visits and every label.
	mixedVisits = []tendo.StoredAssessment{
		{ID: 1, Date: "2024-01-08", Classification: tendo.Uncertain, ODI: f64(24), NPRS: f64(4)},
		{ID: 2, Date: "2024-01-10", Classification: tendo.LumbarReferred, ODI: f64(26)},
		{ID: 3, Date: "2024-01-12", Classification: tendo.UrgentReferral},
		{ID: 4, Date: "2024-02-19", Classification: tendo.OtherCause, VISAA: f64(88), NPRS: f64(2)},
	}
	mixedLinks = []tendo.QuestionnaireResponse{
		{ID: 1, Instrument: tendo.InstrumentODI, Score: 18, SubmittedAt: at("2024-02-01", 12)},
		{ID: 2, Instrument: tendo.InstrumentVISAA, Score: 93, SubmittedAt: at("2024-03-18", 12)},
	}
	// sameDay has, on its first day, an assessment's and a questionnaire's
	// VISA-A, and ODI, NPRS and LEFS at the same height: five markers
	// that are set side by side (issue 10: small).
	sameDay = []tendo.StoredAssessment{
		{ID: 1, Date: "2024-05-06", Classification: tendo.Mixed, VISAA: f64(50), ODI: f64(50), NPRS: f64(5), LEFS: f64(40)},
		{ID: 2, Date: "2024-06-17", Classification: tendo.LocalTendinopathy, VISAA: f64(66), ODI: f64(36), NPRS: f64(3), LEFS: f64(52)},
	}
	sameDayLinks = []tendo.QuestionnaireResponse{
		{ID: 1, Instrument: tendo.InstrumentVISAA, Score: 51, SubmittedAt: at("2024-05-06", 8)},
	}
)

type chartCase struct {
	name        string
	assessments []tendo.StoredAssessment
	responses   []tendo.QuestionnaireResponse
	// want are texts the chart must show; notWant texts it must not.
	want, notWant []string
}

var chartCases = []chartCase{
	{
		name: "one-visit", assessments: oneVisit,
		want: []string{"Outcome scores", "VISA-A (higher better)", "ODI % (lower better)", "NPRS ×10 (lower better)",
			"MCID target", "local", "Weeks since 4 Mar 2024", "Score 0–100 (ODI %, NPRS ×10)"},
		notWant: []string{"from questionnaire", chart.NoScores, "LEFS ×1.25 (higher better)"},
	},
	{
		name: "three-visits", assessments: threeVisits,
		want: []string{"VISA-A (higher better)", "ODI % (lower better)", "NPRS ×10 (lower better)", "MCID target",
			"mixed", "local", "Weeks since 4 Mar 2024", "LEFS ×1.25 (higher better)", "Score 0–100 (ODI %, NPRS ×10, LEFS ×1.25)"},
		notWant: []string{"from questionnaire"},
	},
	{
		name: "questionnaire-only", responses: linkOnly,
		want:    []string{"VISA-A (higher better)", "NPRS ×10 (lower better)", "LEFS ×1.25 (higher better)", "MCID target", "from questionnaire", "Weeks since 4 Mar 2024"},
		notWant: []string{"ODI % (lower better)", "local"},
	},
	{
		name: "same-day", assessments: sameDay, responses: sameDayLinks,
		want: []string{"VISA-A (higher better)", "ODI % (lower better)", "NPRS ×10 (lower better)", "LEFS ×1.25 (higher better)",
			"MCID target", "from questionnaire", "mixed", "local"},
	},
	{
		name: "mixed-sources", assessments: mixedVisits, responses: mixedLinks,
		want: []string{"VISA-A (higher better)", "ODI % (lower better)", "NPRS ×10 (lower better)", "MCID target",
			"from questionnaire", "uncertain", "lumbar", "urgent", "other", "Weeks since 8 Jan 2024"},
	},
	{
		name: "empty",
		want: []string{"Outcome scores", chart.NoScores}, notWant: []string{"MCID target"},
	},
}

func render(t testing.TB, a []tendo.StoredAssessment, r []tendo.QuestionnaireResponse, o chart.Options) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := chart.Timeline(&buf, a, r, o); err != nil {
		t.Fatalf("Timeline: %v", err)
	}
	return buf.Bytes()
}

// TestTimeline_Golden compares each case with testdata/<name>.svg (run
// with -update to rewrite them), checks that the SVG is well-formed XML
// showing the expected texts, and that drawing twice gives the same bytes.
func TestTimeline_Golden(t *testing.T) {
	t.Parallel()
	for _, tc := range chartCases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got := render(t, tc.assessments, tc.responses, chart.Options{})
			if again := render(t, tc.assessments, tc.responses, chart.Options{}); !bytes.Equal(got, again) {
				t.Error("two renderings differ")
			}
			texts := svgTexts(t, got)
			for _, w := range tc.want {
				if !containsText(texts, w) {
					t.Errorf("no text %q; texts: %q", w, texts)
				}
			}
			for _, w := range tc.notWant {
				if containsText(texts, w) {
					t.Errorf("unexpected text %q", w)
				}
			}

			golden.CheckFunc(t, filepath.Join("testdata", tc.name+".svg"), got, sameSVG)
		})
	}
}

// svgTexts parses an SVG document as XML and returns the text of its
// <text> elements.
func svgTexts(t testing.TB, svg []byte) []string {
	t.Helper()
	dec := xml.NewDecoder(bytes.NewReader(svg))
	var (
		texts  []string
		inText bool
		root   string
	)
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("SVG is not well-formed XML: %v", err)
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			if root == "" {
				root = tok.Name.Local
			}
			if tok.Name.Local == "text" {
				inText = true
				texts = append(texts, "")
			}
		case xml.EndElement:
			if tok.Name.Local == "text" {
				inText = false
			}
		case xml.CharData:
			if inText {
				texts[len(texts)-1] += string(tok)
			}
		}
	}
	if root != "svg" {
		t.Fatalf("root element is %q, want svg", root)
	}
	return texts
}

func containsText(texts []string, s string) bool {
	for _, t := range texts {
		if t == s {
			return true
		}
	}
	return false
}

var numberRE = regexp.MustCompile(`-?[0-9]+(\.[0-9]+)?(e[-+]?[0-9]+)?`)

// sameSVG reports whether got matches want: byte for byte, or else with
// every number within 0.01 of the golden one and all other text equal.
// The output is deterministic on one machine; the tolerance absorbs the
// last-digit differences that fused multiply-add can cause on other CPU
// architectures (arm64, ppc64, s390x).
func sameSVG(got, want []byte) error {
	if bytes.Equal(got, want) {
		return nil
	}
	g, w := string(got), string(want)
	gi, wi := numberRE.FindAllStringIndex(g, -1), numberRE.FindAllStringIndex(w, -1)
	if len(gi) != len(wi) {
		return errors.New("different structure: " + strconv.Itoa(len(gi)) + " numbers, golden has " + strconv.Itoa(len(wi)))
	}
	gp, wp := 0, 0
	for k := range gi {
		if g[gp:gi[k][0]] != w[wp:wi[k][0]] {
			return errors.New("different text near " + strconv.Quote(g[gp:gi[k][0]]))
		}
		a, _ := strconv.ParseFloat(g[gi[k][0]:gi[k][1]], 64)
		b, _ := strconv.ParseFloat(w[wi[k][0]:wi[k][1]], 64)
		if math.Abs(a-b) > 0.01 {
			return errors.New("number " + g[gi[k][0]:gi[k][1]] + " where golden has " + w[wi[k][0]:wi[k][1]])
		}
		gp, wp = gi[k][1], wi[k][1]
	}
	if g[gp:] != w[wp:] {
		return errors.New("different ending")
	}
	return nil
}

// TestSameSVG checks the golden comparison itself.
func TestSameSVG(t *testing.T) {
	t.Parallel()
	want := []byte(`<path d="M10.5,20L30,-4.25"/><text x="1.5">week 12</text>`)
	tests := []struct {
		name string
		got  string
		ok   bool
	}{
		{"identical", string(want), true},
		{"last digit", `<path d="M10.501,20L30,-4.2499"/><text x="1.5">week 12</text>`, true},
		{"number moved", `<path d="M10.6,20L30,-4.25"/><text x="1.5">week 12</text>`, false},
		{"text changed", `<path d="M10.5,20L30,-4.25"/><text x="1.5">week 13</text>`, false},
		{"element added", `<path d="M10.5,20L30,-4.25"/><path d="M1,1"/><text x="1.5">week 12</text>`, false},
		{"ending changed", `<path d="M10.5,20L30,-4.25"/><text x="1.5">week 12</text>!`, false},
	}
	for _, tt := range tests {
		if err := sameSVG([]byte(tt.got), want); (err == nil) != tt.ok {
			t.Errorf("%s: sameSVG = %v, want ok %v", tt.name, err, tt.ok)
		}
	}
}

// TestTimeline_Options checks the size, the title and the time zone.
func TestTimeline_Options(t *testing.T) {
	t.Parallel()
	// 23:30 UTC on 4 March is 5 March in Sydney.
	late := []tendo.QuestionnaireResponse{{ID: 1, Instrument: tendo.InstrumentNPRS, Score: 5, SubmittedAt: at("2024-03-04", 23).Add(30 * time.Minute)}}
	sydney := time.FixedZone("AEDT", 11*3600)

	tests := []struct {
		name      string
		responses []tendo.QuestionnaireResponse
		opts      chart.Options
		wantSize  string
		wantTexts []string
	}{
		{"defaults", late, chart.Options{}, `width="453.54pt" height="255.12pt"`, []string{"Outcome scores", "Weeks since 4 Mar 2024"}},
		{"size and title", late, chart.Options{Width: 300, Height: 200, Title: "Jane's scores"}, `width="300pt" height="200pt"`, []string{"Jane's scores"}},
		{"control characters dropped from title", late, chart.Options{Title: "A\x00B\x1b\xff"}, `height="255.12pt"`, []string{"AB\uFFFD"}},
		{"location moves the date", late, chart.Options{Location: sydney}, `height="255.12pt"`, []string{"Weeks since 5 Mar 2024"}},
		{"empty chart is small", nil, chart.Options{}, `width="453.54pt" height="85.039pt"`, []string{chart.NoScores}},
		{"empty chart no taller than asked", nil, chart.Options{Height: 60}, `height="60pt"`, []string{chart.NoScores}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			svg := render(t, nil, tt.responses, tt.opts)
			if !bytes.Contains(svg, []byte(tt.wantSize)) {
				t.Errorf("size: want %s in %.300s", tt.wantSize, svg)
			}
			texts := svgTexts(t, svg)
			for _, w := range tt.wantTexts {
				if !containsText(texts, w) {
					t.Errorf("no text %q; texts: %q", w, texts)
				}
			}
		})
	}
}

// TestTimeline_Errors checks that bad records are refused, naming the
// record.
func TestTimeline_Errors(t *testing.T) {
	t.Parallel()
	ok := at("2024-03-04", 9)
	tests := []struct {
		name        string
		assessments []tendo.StoredAssessment
		responses   []tendo.QuestionnaireResponse
		want        string
	}{
		{"date not a date", []tendo.StoredAssessment{{ID: 7, Date: "04/03/2024", VISAA: f64(50)}}, nil,
			`chart: assessment 7: date "04/03/2024" is not YYYY-MM-DD`},
		{"date missing", []tendo.StoredAssessment{{ID: 8, VISAA: f64(50)}}, nil,
			`chart: assessment 8: date "" is not YYYY-MM-DD`},
		{"VISA-A above 100", []tendo.StoredAssessment{{ID: 9, Date: "2024-03-04", VISAA: f64(101)}}, nil,
			"chart: assessment 9: visaA score 101 is outside 0–100"},
		{"ODI negative", []tendo.StoredAssessment{{ID: 10, Date: "2024-03-04", ODI: f64(-1)}}, nil,
			"chart: assessment 10: odi score -1 is outside 0–100"},
		{"NPRS NaN", []tendo.StoredAssessment{{ID: 11, Date: "2024-03-04", NPRS: f64(math.NaN())}}, nil,
			"chart: assessment 11: nprs score NaN is outside 0–10"},
		{"NPRS response 11", nil, []tendo.QuestionnaireResponse{{ID: 12, Instrument: tendo.InstrumentNPRS, Score: 11, SubmittedAt: ok}},
			"chart: questionnaire response 12: nprs score 11 is outside 0–10"},
		{"response infinite", nil, []tendo.QuestionnaireResponse{{ID: 13, Instrument: tendo.InstrumentODI, Score: math.Inf(1), SubmittedAt: ok}},
			"chart: questionnaire response 13: odi score +Inf is outside 0–100"},
		{"response without time", nil, []tendo.QuestionnaireResponse{{ID: 14, Instrument: tendo.InstrumentVISAA, Score: 50}},
			"chart: questionnaire response 14: no submission time"},
		{"LEFS above 80", []tendo.StoredAssessment{{ID: 15, Date: "2024-03-04", LEFS: f64(81)}}, nil,
			"chart: assessment 15: lefs score 81 is outside 0–80"},
		{"LEFS response 500", nil, []tendo.QuestionnaireResponse{{ID: 16, Instrument: tendo.InstrumentLEFS, Score: 500, SubmittedAt: ok}},
			"chart: questionnaire response 16: lefs score 500 is outside 0–80"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var buf bytes.Buffer
			err := chart.Timeline(&buf, tt.assessments, tt.responses, chart.Options{})
			if err == nil || err.Error() != tt.want {
				t.Errorf("err = %v, want %s", err, tt.want)
			}
			if buf.Len() != 0 {
				t.Errorf("wrote %d bytes with an error", buf.Len())
			}
		})
	}
	t.Run("ignored records", func(t *testing.T) {
		t.Parallel()
		// Unknown instruments are not drawn, so not checked.
		r := []tendo.QuestionnaireResponse{
			{ID: 2, Instrument: "faam", Score: -3},
		}
		texts := svgTexts(t, render(t, nil, r, chart.Options{}))
		if !containsText(texts, chart.NoScores) {
			t.Errorf("texts %q, want %q", texts, chart.NoScores)
		}
	})
	t.Run("size out of bounds", func(t *testing.T) {
		t.Parallel()
		for _, o := range []chart.Options{{Width: 10}, {Height: 10}, {Width: 3000}, {Height: 3000}} {
			if err := chart.Timeline(io.Discard, oneVisit, nil, o); err == nil || !strings.Contains(err.Error(), "outside 2–100 cm") {
				t.Errorf("%+v: err = %v", o, err)
			}
		}
	})
	t.Run("write error", func(t *testing.T) {
		t.Parallel()
		err := chart.Timeline(failWriter{}, oneVisit, nil, chart.Options{})
		if err == nil || !strings.Contains(err.Error(), "disk full") {
			t.Errorf("err = %v, want the writer's error", err)
		}
	})
}

// TestTimeline_FarApart draws dates thousands of years apart: the week
// ticks stay few and the SVG well-formed.
func TestTimeline_FarApart(t *testing.T) {
	t.Parallel()
	a := []tendo.StoredAssessment{
		{ID: 1, Date: "0001-01-01", VISAA: f64(0), Classification: "x\x00\x01y"},
		{ID: 2, Date: "9999-12-31", VISAA: f64(100), ODI: f64(0), NPRS: f64(10), Classification: tendo.UrgentReferral},
	}
	texts := svgTexts(t, render(t, a, nil, chart.Options{}))
	if !containsText(texts, "Weeks since 1 Jan 0001") || !containsText(texts, "xy") || !containsText(texts, "urgent") {
		t.Errorf("texts %q", texts)
	}
}

type failWriter struct{}

func (failWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

// BenchmarkTimeline draws 10 visits and 10 questionnaire responses.
func BenchmarkTimeline(b *testing.B) {
	var (
		as []tendo.StoredAssessment
		rs []tendo.QuestionnaireResponse
	)
	classes := []tendo.Classification{tendo.Mixed, tendo.LocalTendinopathy, tendo.Uncertain, tendo.LumbarReferred}
	start := at("2024-01-01", 0)
	for i := range 10 {
		day := start.AddDate(0, 0, 14*i)
		as = append(as, tendo.StoredAssessment{
			ID: int64(i + 1), Date: day.Format(time.DateOnly), Classification: classes[i%len(classes)],
			VISAA: f64(float64(40 + 4*i)), ODI: f64(float64(40 - 3*i)), NPRS: f64(float64(8 - i%8)),
		})
		rs = append(rs, tendo.QuestionnaireResponse{
			ID: int64(i + 1), Instrument: []tendo.Instrument{tendo.InstrumentVISAA, tendo.InstrumentNPRS}[i%2],
			Score: float64(5 + i/2), SubmittedAt: day.AddDate(0, 0, 7),
		})
	}
	b.ReportAllocs()
	for b.Loop() {
		if err := chart.Timeline(io.Discard, as, rs, chart.Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

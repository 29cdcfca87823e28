package report_test

// issue 10: report: the document's header, findings, signature and page
// style.

import (
	"bytes"
	"strings"
	"testing"

	"github.com/tendo-health/tendo"
	"github.com/tendo-health/tendo/report"
)

func ptr[T any](v T) *T { return &v }

// TestFindings checks the findings in words, with their units, grouped
// by part, and the header's fields left out.
func TestFindings(t *testing.T) {
	t.Parallel()
	side := tendo.SideLeft
	a := &tendo.Assessment{
		ID: "x", Date: "2026-11-02", Side: &side,
		Patient: tendo.Patient{AgeYears: ptr(47)},
		History: tendo.History{SymptomWeeks: ptr(14.0), MorningStiffness: ptr(false)},
		Exam: tendo.Exam{
			KneeToWallCm:              ptr(9.5),
			PlantarflexionStrengthMRC: ptr(4),
			HeelRaiseReps:             &tendo.HeelRaiseReps{Affected: ptr(9), Unaffected: ptr(24)},
			ArcSign:                   ptr(tendo.TestResult("positive")),
		},
	}
	groups := report.Findings(a, func(path string) string {
		if path == "exam.kneeToWallCm" {
			return "Knee-to-wall lunge"
		}
		return ""
	})
	got := map[string]string{}
	var titles []string
	for _, g := range groups {
		titles = append(titles, g.Title)
		for _, f := range g.Findings {
			got[g.Title+"/"+f.Label] = f.Value
		}
	}
	for _, tc := range []struct{ name, key, want string }{
		{"age in years", "Patient/Age", "47 years"},
		{"a duration", "History/Symptom duration", "14 weeks"},
		{"no", "History/Morning stiffness", "no"},
		{"the caller's label, in cm", "Examination/Knee-to-wall lunge", "9.5 cm"},
		{"a grade out of its scale", "Examination/Plantarflexion strength (MRC grade)", "4 of 5"},
		{"a count", "Examination/Heel raise reps, affected", "9 repetitions"},
		{"an enum", "Examination/Arc sign", "positive"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got[tc.key] != tc.want {
				t.Errorf("%s = %q, want %q (all: %v)", tc.key, got[tc.key], tc.want, got)
			}
		})
	}
	if strings.Join(titles, ",") != "Patient,History,Examination" {
		t.Errorf("groups %v, want Patient, History, Examination", titles)
	}
	for k := range got {
		if strings.Contains(strings.ToLower(k), "side") && !strings.Contains(k, "Heel raise") {
			t.Errorf("the side is in the header, not the findings: %s", k)
		}
	}
	if report.Findings(nil, nil) != nil {
		t.Error("no assessment should have no findings")
	}
}

// TestPrintDocument checks the printed document: the patient header on
// the page and in every page's margin boxes with the page number, the
// findings, the signature line, and the disclaimer in the footer.
func TestPrintDocument(t *testing.T) {
	t.Parallel()
	res := otherCause()
	doc := report.Document{
		Header: report.Header{Patient: `Jo "Quote" </style>`, Born: "1979", Identifier: "MRN-1", Side: "right",
			VisitDate: "2026-11-02", Clinic: "Main Street", Clinician: "Dr Kay"},
		Findings: []report.FindingGroup{{Title: "Examination", Findings: []report.Finding{{Label: "Knee-to-wall lunge", Value: "9 cm"}}}},
		Result:   res,
		Screen:   []tendo.ScreenGap{{Code: "cauda-equina-syndrome", Name: "suspected cauda equina syndrome", Urgency: "emergency", None: true, Unanswered: []string{"saddle numbness", "new bladder change"}}},
	}
	var buf bytes.Buffer
	if err := report.Print(&buf, doc); err != nil {
		t.Fatal(err)
	}
	page := buf.String()
	style := report.PageStyle(doc)
	for _, tc := range []struct{ name, in, want string }{
		{"the page style is in the page", page, "<style>" + style + "</style>"},
		{"page numbers", style, `"Page " counter(page) " of " counter(pages)`},
		{"the disclaimer in the footer", style, "@bottom-left { content: \"" + res.Disclaimer},
		{"the patient in the header, quoted", style, `Jo \22 Quote\22  \3c /style\3e  · born 1979 · ID MRN-1 · side: right`},
		{"the visit, clinic and clinician", style, `"visit 2026-11-02 · Main Street · Dr Kay"`},
		{"the side on the page", page, `<dd class="side">Right</dd>`},
		{"the findings", page, `<span class="finding-label">Knee-to-wall lunge:</span> 9 cm`},
		{"the red-flag questions not asked", page, `<li><strong>suspected cauda equina syndrome</strong> (emergency), not screened at all: saddle numbness; new bladder change.</li>`},
		{"the signature line", page, `<span class="sign-label">Signature</span>`},
		{"the clinician who signs", page, `<span class="sign-value">Dr Kay</span>`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if !strings.Contains(tc.in, tc.want) {
				t.Errorf("lacks %q", tc.want)
			}
		})
	}
	if strings.Count(page, "</style>") != 2 {
		t.Errorf("the patient's name ended a style element: %d </style>", strings.Count(page, "</style>"))
	}
}

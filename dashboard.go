package tendo

import (
	"strings"
	"time"
)

// issue 10: safety. The dashboard: who needs the clinician today.

// RedFlagMark is a red flag as lists show it (a visit, the dashboard):
// its code and urgency; Name gives it in words.
type RedFlagMark struct {
	Code    string  `json:"code"`
	Urgency Urgency `json:"urgency"`
}

// Name is the flag in plain words.
func (m RedFlagMark) Name() string { return RedFlagName(m.Code) }

// Urgent reports whether the flag is an emergency or urgent one.
func (m RedFlagMark) Urgent() bool { return UrgentFlag(m.Urgency) }

// RedFlagMarks are the marks of a result's red flags, most urgent first
// as the result lists them.
func RedFlagMarks(flags []RedFlag) []RedFlagMark {
	var out []RedFlagMark
	for _, f := range flags {
		out = append(out, RedFlagMark{Code: f.Code, Urgency: f.Urgency})
	}
	return out
}

// VisitScores are the outcome scores of one visit, nil when not given.
type VisitScores struct {
	Date  string   `json:"date"`
	VISAA *float64 `json:"visaA,omitempty"`
	ODI   *float64 `json:"odi,omitempty"`
	NPRS  *float64 `json:"nprs,omitempty"`
	LEFS  *float64 `json:"lefs,omitempty"`
}

func (v VisitScores) score(measure string) *float64 {
	switch measure {
	case MeasureVISAA:
		return v.VISAA
	case MeasureODI:
		return v.ODI
	case MeasureNPRS:
		return v.NPRS
	case MeasureLEFS:
		return v.LEFS
	}
	return nil
}

// ReviewWeeks is how long after the first visit a patient's scores are
// expected to have improved by the MCID: 12 weeks, the interval of the
// plan's outcome targets.
const ReviewWeeks = 12

// NotImproved lists the measures (by name) whose score at the last visit,
// ReviewWeeks or more after the first, has not reached the plan's target
// on the first visit's score: the first score improved by the MCID
// (tendo.Facts, MeasureFacts.Target: VISA-A +14 points, ODI −10 points or
// −30 %, NPRS −2 points or −30 %, whichever is nearer, LEFS +9 points). A
// measure given at only one of the two visits, or whose first score
// cannot improve by the MCID, is not listed.
func NotImproved(first, last VisitScores) []string {
	d0, err0 := time.Parse(time.DateOnly, first.Date)
	d1, err1 := time.Parse(time.DateOnly, last.Date)
	if err0 != nil || err1 != nil || d1.Sub(d0) < ReviewWeeks*7*24*time.Hour {
		return nil
	}
	var out []string
	for _, f := range AllFacts() {
		a, b := first.score(f.Measure), last.score(f.Measure)
		if a == nil || b == nil {
			continue
		}
		t, ok := f.Target(*a)
		if !ok {
			continue
		}
		if (f.Higher == HigherBetter && *b < t) || (f.Higher != HigherBetter && *b > t) {
			out = append(out, f.Name)
		}
	}
	return out
}

// PatientSummary is a patient as the dashboard lists them: the last
// visit, its classification and red flags, the questionnaire links still
// waiting, and the measures not improved by the MCID.
type PatientSummary struct {
	PatientRecord
	// Visits is how many visits the patient has had.
	Visits int `json:"visits"`
	// LastVisitID is the latest visit (by date, then as saved), 0 for
	// none; LastVisit its date and Classification its conclusion.
	LastVisitID    int64          `json:"lastVisitId,omitempty"`
	LastVisit      string         `json:"lastVisit,omitempty"`
	Classification Classification `json:"classification,omitempty"`
	// RedFlags are the latest visit's red flags, most urgent first.
	RedFlags []RedFlagMark `json:"redFlags,omitempty"`
	// OpenLinks is how many questionnaire links are neither used nor
	// expired.
	OpenLinks int `json:"openLinks"`
	// First and Last are the scores of the first and the latest visit.
	First VisitScores `json:"first"`
	Last  VisitScores `json:"last"`
	// NotImproved lists the measures not improved by the MCID at
	// ReviewWeeks or later (NotImproved(First, Last)).
	NotImproved []string `json:"notImproved,omitempty"`
}

// Urgent reports whether the latest visit has an emergency or urgent
// red flag.
func (p PatientSummary) Urgent() bool {
	for _, f := range p.RedFlags {
		if f.Urgent() {
			return true
		}
	}
	return false
}

// Dashboard limits: the patients one page lists at most, by default and
// at most, and the longest search.
const (
	DefaultDashboardLimit = 1000
	MaxDashboardLimit     = 1000
	MaxPatientSearch      = 100
)

// PatientQuery selects the dashboard's patients: Search (case-insensitive)
// matches a part of the name or of the clinic's identifier; Limit bounds
// the list (0: DefaultDashboardLimit).
type PatientQuery struct {
	Search string
	Limit  int
}

// PatientSummaries is one page of the dashboard: the patients by name,
// and whether more matched than the limit.
type PatientSummaries struct {
	Patients []PatientSummary `json:"patients"`
	More     bool             `json:"more"`
}

// SummaryQuery is what the store needs for PatientSummaries: the
// clinics (nil: every clinic), the search, the limit and the time that
// decides whether a link has expired.
type SummaryQuery struct {
	ClinicIDs []int64
	Search    string
	Limit     int
	Now       time.Time
}

// NormalizeSearch trims a search and folds its case.
func NormalizeSearch(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

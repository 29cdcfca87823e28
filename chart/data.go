package chart

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"time"
	"unicode"

	"github.com/tendo-health/tendo"
)

// A point is one score on the chart.
type point struct {
	day   int     // days since 1970-01-01
	value float64 // on the chart's 0–100 scale
	// link is true for a questionnaire response, false for an assessment.
	link bool
}

// A visit is an assessment's date and its classification label.
type visit struct {
	day   int
	label string
}

// data is what the chart shows, gathered from the records.
type data struct {
	series [len(measures)][]point // in measures order, sorted by day
	visits []visit                // sorted by day
}

// empty reports whether there is no score to draw.
func (d *data) empty() bool {
	for _, s := range d.series {
		if len(s) > 0 {
			return false
		}
	}
	return true
}

// firstDay returns the earliest day with a score or a visit.
func (d *data) firstDay() int {
	first := math.MaxInt
	for _, s := range d.series {
		if len(s) > 0 {
			first = min(first, s[0].day)
		}
	}
	if len(d.visits) > 0 {
		first = min(first, d.visits[0].day)
	}
	return first
}

// lastDay returns the latest day with a score or a visit.
func (d *data) lastDay() int {
	last := math.MinInt
	for _, s := range d.series {
		if len(s) > 0 {
			last = max(last, s[len(s)-1].day)
		}
	}
	if len(d.visits) > 0 {
		last = max(last, d.visits[len(d.visits)-1].day)
	}
	return last
}

// gather collects the points of every measure and the visits. It returns
// an error naming the record when a date cannot be read or a score is out
// of its measure's range.
func gather(assessments []tendo.StoredAssessment, responses []tendo.QuestionnaireResponse, loc *time.Location) (*data, error) {
	d := new(data)
	for _, a := range assessments {
		t, err := time.Parse(time.DateOnly, a.Date)
		if err != nil {
			return nil, fmt.Errorf("chart: assessment %d: date %q is not YYYY-MM-DD", a.ID, a.Date)
		}
		day := dayNumber(t.Date())
		for m, v := range []*float64{a.VISAA, a.ODI, a.NPRS, a.LEFS} {
			if v == nil {
				continue
			}
			if err := measures[m].check(*v); err != nil {
				return nil, fmt.Errorf("chart: assessment %d: %w", a.ID, err)
			}
			d.series[m] = append(d.series[m], point{day: day, value: *v * measures[m].scale})
		}
		if label := classLabel(a.Classification); label != "" {
			d.visits = append(d.visits, visit{day: day, label: label})
		}
	}
	for _, r := range responses {
		m := measureIndex(r.Instrument)
		if m < 0 {
			continue // unknown instruments are not drawn
		}
		if r.SubmittedAt.IsZero() {
			return nil, fmt.Errorf("chart: questionnaire response %d: no submission time", r.ID)
		}
		if err := measures[m].check(r.Score); err != nil {
			return nil, fmt.Errorf("chart: questionnaire response %d: %w", r.ID, err)
		}
		t := r.SubmittedAt
		if loc != nil {
			t = t.In(loc)
		}
		d.series[m] = append(d.series[m], point{day: dayNumber(t.Date()), value: r.Score * measures[m].scale, link: true})
	}
	// Stable: on the same day an assessment's score comes before a
	// response's, and the input order is kept within each.
	for m := range d.series {
		slices.SortStableFunc(d.series[m], func(a, b point) int { return a.day - b.day })
	}
	slices.SortStableFunc(d.visits, func(a, b visit) int { return a.day - b.day })
	return d, nil
}

// dayNumber returns the number of days from 1970-01-01 to a civil date.
func dayNumber(y int, m time.Month, d int) int {
	return int(time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix() / 86400)
}

// dayDate returns the civil date of a day number.
func dayDate(day int) time.Time {
	return time.Unix(int64(day)*86400, 0).UTC()
}

// classLabel returns the short form of a classification shown at the top
// of the chart: "" for none, and an unknown value as written (cleaned and
// cut to 16 characters), so nothing is hidden.
func classLabel(c tendo.Classification) string {
	switch c {
	case "":
		return ""
	case tendo.LocalTendinopathy:
		return "local"
	case tendo.LumbarReferred:
		return "lumbar"
	case tendo.Mixed:
		return "mixed"
	case tendo.UrgentReferral:
		return "urgent"
	case tendo.OtherCause:
		return "other"
	case tendo.Uncertain:
		return "uncertain"
	}
	return clean(string(c), 16)
}

// clean makes a caller's string safe to draw: valid UTF-8, printable
// characters only, at most max runes.
func clean(s string, max int) string {
	var b strings.Builder
	n := 0
	for _, r := range strings.ToValidUTF8(s, "\uFFFD") {
		if !unicode.IsPrint(r) {
			continue
		}
		if n == max {
			b.WriteRune('…')
			break
		}
		b.WriteRune(r)
		n++
	}
	return b.String()
}

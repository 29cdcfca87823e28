package web

import (
	"bytes"
	"encoding/json"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/tendo-health/tendo"
)

// "Start from the last visit" (issue 10: form): a new visit's form
// prefilled with the stable facts of the patient's latest visit, and the
// outcome scores the patient has sent by questionnaire link since.

// formStart says what a form started from the last visit holds.
type formStart struct {
	From    string   // the date of the visit the facts come from, "" for none
	Carried []string // the labels of the fields carried over
	Scores  []string // "VISA-A 50 (answered 2026-12-01)"
}

// carried are the stable facts a new visit takes from the last one: the
// side, the patient's build and activity, long-standing conditions and
// drugs. Age is left to the year of birth; the complaint and the
// examination are the new visit's own.
var carried = []string{
	"side",
	"patient.sex", "patient.heightCm", "patient.weightKg", "patient.activityLevel", "patient.runner",
	"patient.endRangePlantarflexionSport", "patient.smoking",
	"history.diabetes", "history.diabetesYears", "history.hypercholesterolemia", "history.inflammatoryArthritis",
	"history.goutOrCrystalArthritis", "history.immunosuppression", "history.osteoporosisOrFragilityFracture",
	"history.previousAchillesTendinopathy", "history.historyOfCancer", "history.previousDvt",
	"history.fluoroquinoloneLast6Months", "history.systemicCorticosteroids", "history.longTermCorticosteroids",
	"history.corticosteroidInjectionAchilles",
}

// carriedOnlyIfYes are red-flag questions whose "yes" stays true (a past
// cancer, a past DVT) but whose "no" must be asked again.
var carriedOnlyIfYes = map[string]bool{"history.historyOfCancer": true, "history.previousDvt": true}

// promScorePath is the form's score input for each instrument.
var promScorePath = map[tendo.Instrument]string{
	tendo.InstrumentVISAA: "proms.visaA.score",
	tendo.InstrumentODI:   "proms.odi.percent",
	tendo.InstrumentNPRS:  "proms.nprs",
	tendo.InstrumentLEFS:  "proms.lefs.score",
}

// startFrom sets in vals the facts of the last visit and the latest
// questionnaire scores, and says what it set. The years since a diabetes
// diagnosis grow by the whole years since that visit.
func (s *Server) startFrom(vs tendo.VisitStart, vals formValues) *formStart {
	st := &formStart{}
	labelOf := map[string]string{}
	for _, f := range inputs(s.form) {
		labelOf[f.Path] = f.Label
	}
	if vs.Last != nil && len(vs.Last.Input) > 0 {
		st.From = vs.Last.Date
		dec := json.NewDecoder(bytes.NewReader(vs.Last.Input))
		dec.UseNumber()
		var doc map[string]any
		if err := dec.Decode(&doc); err == nil {
			for _, path := range carried {
				v, ok := formValue(doc, path)
				if !ok || (carriedOnlyIfYes[path] && v != "true") {
					continue
				}
				if path == "history.diabetesYears" {
					v = yearsLater(v, vs.Last.Date, s.Now())
				}
				vals.Set(path, v)
				l := labelOf[path]
				if l == "" {
					l = path
				}
				st.Carried = append(st.Carried, strings.ToLower(l[:1])+l[1:])
			}
		}
	}
	for _, r := range vs.Responses {
		path, ok := promScorePath[r.Instrument]
		if !ok {
			continue
		}
		v := strconv.FormatFloat(math.Round(r.Score*10)/10, 'f', -1, 64)
		vals.Set(path, v)
		name := tendo.Facts(string(r.Instrument)).Name
		if name == "" {
			name = string(r.Instrument)
		}
		st.Scores = append(st.Scores, name+" "+v+" (answered "+r.SubmittedAt.UTC().Format(time.DateOnly)+")")
	}
	return st
}

// formValue is the value at path of a contract document as the form
// writes it ("true", "47.5", "left"), and false for an absent value or
// an object.
func formValue(doc map[string]any, path string) (string, bool) {
	var cur any = doc
	for seg := range strings.SplitSeq(path, ".") {
		m, ok := cur.(map[string]any)
		if !ok {
			return "", false
		}
		if cur, ok = m[seg]; !ok {
			return "", false
		}
	}
	switch v := cur.(type) {
	case bool:
		return strconv.FormatBool(v), true
	case json.Number:
		return v.String(), true
	case string:
		return v, true
	}
	return "", false
}

// yearsLater adds to a number of years the whole years from date to now.
func yearsLater(v, date string, now time.Time) string {
	x, err := strconv.ParseFloat(v, 64)
	d, err2 := time.Parse(time.DateOnly, date)
	if err != nil || err2 != nil {
		return v
	}
	years := now.Year() - d.Year()
	if now.YearDay() < d.YearDay() {
		years--
	}
	if years <= 0 {
		return v
	}
	return strconv.FormatFloat(x+float64(years), 'f', -1, 64)
}

// formNote is the clinical note as typed, with the browser's CRLF line
// ends made LF and the blank lines around it trimmed.
func formNote(s string) string {
	return strings.TrimSpace(strings.ReplaceAll(s, "\r\n", "\n"))
}

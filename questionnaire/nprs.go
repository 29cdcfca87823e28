package questionnaire

import (
	"github.com/tendo-health/tendo"
)

// nprs returns the 0–10 numeric pain rating scale form.
func nprs() *Form {
	return &Form{
		Instrument: tendo.InstrumentNPRS,
		Name:       "NPRS",
		Title:      "Pain right now",
		Intro:      "Choose the number that best matches your pain.",
		Note:       "A 0–10 numeric pain rating scale; higher is worse.",
		Items: []Item{{
			Key:     key(0),
			Text:    "How bad is the pain that brought you to the clinic, right now?",
			Low:     "No pain",
			High:    "Worst pain you can imagine",
			Choices: scale(tendo.NPRSMax),
		}},
	}
}

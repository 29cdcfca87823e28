package questionnaire

import (
	"github.com/tendo-health/tendo"
)

// lefs returns the Lower Extremity Functional Scale form: twenty everyday
// activities, each 0 (extreme difficulty or unable) to 4 (no difficulty).
func lefs() *Form {
	activities := []string{
		"Your normal job, schoolwork or housework",
		"Your usual pastimes, leisure activities or sport",
		"Climbing in or out of a bath",
		"Walking from one room to another",
		"Pulling on socks and shoes",
		"Squatting down",
		"Lifting something like a full shopping bag from the floor",
		"Light jobs around the home",
		"Heavy jobs around the home",
		"Climbing in or out of a car",
		"Walking a short way outdoors (about 300 m, two blocks)",
		"Walking a long way (about 1.5 km, a mile)",
		"Going up or down one flight of stairs (about 10 steps)",
		"Standing for an hour",
		"Sitting for an hour",
		"Running on flat ground",
		"Running on rough or uneven ground",
		"Turning sharply while running fast",
		"Hopping on one foot",
		"Turning over in bed",
	}
	answers := []string{
		"I can't do it, or only with extreme difficulty",
		"A lot of difficulty",
		"Some difficulty",
		"A little difficulty",
		"No difficulty",
	}
	items := make([]Item, len(activities))
	for i, a := range activities {
		items[i] = Item{Key: key(i), Text: a, Choices: statements(answers...)}
	}
	return &Form{
		Instrument: tendo.InstrumentLEFS,
		Name:       "LEFS",
		Title:      "Everyday activities",
		Intro: "Because of the problem with your leg or foot, how hard is each of these for you today? " +
			"If you don't usually do an activity, think how hard it would be. Choose one answer for every activity.",
		Note:  "Activities in tendo's own words, based on the Lower Extremity Functional Scale (Binkley et al. 1999); scored 0–80, higher is better.",
		Items: items,
	}
}

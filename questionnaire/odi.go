package questionnaire

import (
	"github.com/tendo-health/tendo"
)

// odi returns the Oswestry Disability Index v2.1a form: ten sections of
// six statements scored 0 (no trouble) to 5 (worst). Any section may be
// left blank, at most tendo.ODIMaxMissing of them; the sex-life section
// also offers "prefer not to answer".
func odi() *Form {
	items := []Item{
		{Title: "Pain", Text: "How strong is your pain right now?", Choices: statements(
			"None right now",
			"Very slight",
			"Moderate",
			"Fairly bad",
			"Very bad",
			"As bad as I can imagine",
		)},
		{Title: "Looking after yourself", Text: "Washing, dressing and similar everyday care:", Choices: statements(
			"I manage normally and it doesn't make the pain worse",
			"I manage normally, but it makes the pain worse",
			"It hurts, so I have to go slowly and carefully",
			"I need a little help but do most of it myself",
			"I need help every day with most of it",
			"I can't get dressed, washing is a struggle and I stay in bed",
		)},
		{Title: "Lifting", Text: "Lifting things:", Choices: statements(
			"I can lift heavy things and it doesn't make the pain worse",
			"I can lift heavy things, but it makes the pain worse",
			"Pain stops me lifting heavy things off the floor, but I can if they are at a handy height, such as on a table",
			"Pain stops me lifting heavy things, but I can lift light or medium things at a handy height",
			"I can only lift very light things",
			"Lifting or carrying anything is impossible for me",
		)},
		{Title: "Walking", Text: "How far can you walk?", Choices: statements(
			"Pain does not limit how far I walk",
			"Pain stops me walking more than about 1.5 km (1 mile)",
			"Pain stops me walking more than about 400 m (a quarter of a mile)",
			"Pain stops me walking more than about 100 m",
			"I can only walk with a stick or crutches",
			"I stay in bed most of the time",
		)},
		{Title: "Sitting", Text: "How long can you sit?", Choices: statements(
			"Any chair is fine, for as long as I want",
			"Only my favourite chair is comfortable for as long as I want",
			"Pain makes me get up within an hour",
			"Pain makes me get up within 30 minutes",
			"Pain makes me get up within 10 minutes",
			"Pain means I can't sit at all",
		)},
		{Title: "Standing", Text: "How long can you stand?", Choices: statements(
			"I can stay on my feet as long as I want with no extra pain",
			"I can stay on my feet as long as I want, but it hurts more",
			"Pain makes me stop standing within an hour",
			"Pain makes me stop standing within 30 minutes",
			"Pain makes me stop standing within 10 minutes",
			"Pain means I can't stand at all",
		)},
		{Title: "Sleeping", Text: "How does pain affect your sleep?", Choices: statements(
			"Pain never wakes me",
			"Pain wakes me now and then",
			"Pain cuts my sleep to under 6 hours a night",
			"Pain cuts my sleep to under 4 hours a night",
			"Pain cuts my sleep to under 2 hours a night",
			"I can't sleep at all because of pain",
		)},
		{Title: "Sex life", Text: "If this applies to you: how does pain affect your sex life?", Choices: append(statements(
			"It is normal and doesn't make the pain worse",
			"It is normal, but it makes the pain worse",
			"It is nearly normal, but very painful",
			"Pain limits it a great deal",
			"Because of pain there is hardly any",
			"Pain stops it altogether",
		), Choice{Label: "I'd rather not answer, or it doesn't apply to me", Skip: true})},
		{Title: "Social life", Text: "How does pain affect your social life?", Choices: statements(
			"It is normal and doesn't make the pain worse",
			"It is normal, but it makes the pain worse",
			"Pain makes little difference, apart from stopping more energetic things such as sport or dancing",
			"Pain limits my social life and I go out less often",
			"Because of pain I only see people at home",
			"Pain has stopped my social life altogether",
		)},
		{Title: "Travelling", Text: "How does pain affect travelling?", Choices: statements(
			"Travelling anywhere is fine, with no pain",
			"I can go anywhere, but travelling hurts more",
			"It is painful, but I can manage trips longer than 2 hours",
			"Because of pain I keep trips under an hour",
			"Because of pain I only make short trips I must make, under 30 minutes",
			"Pain stops me travelling, apart from getting treatment",
		)},
	}
	for i := range items {
		items[i].Key = key(i)
		items[i].Optional = true
	}
	return &Form{
		Instrument: tendo.InstrumentODI,
		Name:       "ODI",
		Title:      "Back pain and everyday life",
		Intro: "These questions ask how your back or leg pain affects your everyday life today. " +
			"In each section choose the one statement that describes you best; if two seem to fit, " +
			"choose the one that fits more closely. You may leave up to two sections blank if they don't apply to you.",
		Note:       "Statements in tendo's own words, based on the Oswestry Disability Index v2.1a (Fairbank & Pynsent 2000); scored 0–100%, higher is worse.",
		Items:      items,
		MaxMissing: tendo.ODIMaxMissing,
	}
}

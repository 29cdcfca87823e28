package questionnaire

import (
	"github.com/tendo-health/tendo"
)

// visaA returns the VISA-A form: items 1–6 are 0–10 scales (10 best), item
// 7 four statements scoring 0, 4, 7 or 10, item 8 one branch (A, B or C)
// and a duration whose points depend on the branch
// (tendo.VISAAItem8Points).
func visaA() *Form {
	const noPain, worstPain = "No pain", "Very strong pain"
	items := []Item{
		{
			Text: "When you get up in the morning, for how long does your Achilles tendon feel stiff?",
			Low:  "100 minutes or longer", High: "Not stiff at all",
			Choices: scale(tendo.VISAAItemMax),
		},
		{
			Text: "Later in the day, when you have been up and about for a while, stand with the ball of your foot " +
				"on the edge of a step, keep the knee straight and let the heel sink as far as it goes. How much does it hurt?",
			Low: worstPain, High: noPain,
			Choices: scale(tendo.VISAAItemMax),
		},
		{
			Text: "After you have walked on level ground for about half an hour, how much does it hurt over the " +
				"next two hours? (If pain stops you walking for half an hour, choose 0.)",
			Low: worstPain, High: noPain,
			Choices: scale(tendo.VISAAItemMax),
		},
		{
			Text: "How much does it hurt to go down a flight of stairs at your usual speed?",
			Low:  worstPain, High: noPain,
			Choices: scale(tendo.VISAAItemMax),
		},
		{
			Text: "Stand on the painful leg only and rise up onto your toes 10 times on a flat floor. " +
				"How much does it hurt while you do it or just after?",
			Low: worstPain, High: noPain,
			Choices: scale(tendo.VISAAItemMax),
		},
		{
			Text: "How many times can you hop on the painful leg without it hurting?",
			Low:  "Not once", High: "10 times or more",
			Choices: scale(tendo.VISAAItemMax),
		},
		{
			Text: "Are you doing any sport or exercise at the moment?",
			Choices: []Choice{
				{Value: 0, Label: "No, none at all"},
				{Value: 4, Label: "Yes, but I have had to cut down or change how I train or compete"},
				{Value: 7, Label: "Yes, I train or compete fully, but not as well as before this problem"},
				{Value: 10, Label: "Yes, as well as before this problem started, or better"},
			},
		},
		{
			Text: "Think of sport or exercise that loads the Achilles tendon (running, jumping, brisk hill walking). " +
				"Pick the ONE statement that fits you best, then how long you can keep going.",
			Groups: []Group{
				{Key: string(tendo.VISAABranchA), Text: "A. It does not hurt while I do it. I can keep going for:"},
				{Key: string(tendo.VISAABranchB), Text: "B. It hurts while I do it, but I can finish. I can keep going for:"},
				{Key: string(tendo.VISAABranchC), Text: "C. It hurts so much that I have to stop. I can keep going for:"},
			},
		},
	}
	durations := []string{"Not at all", "1 to 10 minutes", "11 to 20 minutes", "21 to 30 minutes", "More than 30 minutes"}
	for _, b := range tendo.VISAABranchValues() {
		for i, pts := range tendo.VISAAItem8Points(b) {
			items[7].Choices = append(items[7].Choices, Choice{Value: pts, Label: durations[i], Group: string(b)})
		}
	}
	for i := range items {
		items[i].Key = key(i)
	}
	return &Form{
		Instrument: tendo.InstrumentVISAA,
		Name:       "VISA-A",
		Title:      "Achilles tendon questionnaire",
		Intro: "These questions ask how your Achilles tendon (the cord at the back of the ankle, above the heel) " +
			"affects you. \"Hurt\" and \"pain\" mean pain in that area only. Choose one answer for every question.",
		Note:  "Questions in tendo's own words, based on the VISA-A (Robinson et al. 2001); scored 0–100, higher is better.",
		Items: items,
	}
}

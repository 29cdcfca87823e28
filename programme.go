package tendo

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// Issue 10, item 5: a home programme for the patient.
//
// From the plan of a visit the clinician chooses one loading protocol,
// its dose (within the protocol's bounds, from the plan library's
// dosage and progression), and which other elements of the plan the
// patient should do at home. The patient opens it through an expiring,
// revocable link (valid for the whole programme, since they log
// repeatedly) and logs pain during loading and the next morning.

// ProtocolID names a loading protocol of the plan library.
type ProtocolID string

// The loading protocols a programme can carry.
const (
	ProtocolHSR          ProtocolID = "hsr"          // heavy slow resistance (Beyer 2015)
	ProtocolAlfredson    ProtocolID = "alfredson"    // Alfredson eccentric (Alfredson 1998)
	ProtocolFloorLevel   ProtocolID = "floor-level"  // insertional, floor level (Jonsson 2008)
	ProtocolConservative ProtocolID = "conservative" // body weight only while the fluoroquinolone risk lasts
)

// Bounds are the lowest and highest value a clinician may set.
type Bounds struct{ Min, Max float64 }

// In reports whether v is within b.
func (b Bounds) In(v float64) bool { return v >= b.Min && v <= b.Max }

// Dose is how much of a protocol's exercises the patient does: sets of
// repetitions (or of holds, for an isometric exercise), added load in kg
// (a backpack or a machine's weight; 0 is body weight), and sessions a
// week.
type Dose struct {
	Sets    int     `json:"sets"`
	Reps    int     `json:"reps"`
	LoadKg  float64 `json:"loadKg"`
	PerWeek int     `json:"perWeek"`
}

// Exercise is one exercise of a protocol or plan element, with its words
// for the patient. Figure names the drawing (web draws one per
// exercise).
type Exercise struct {
	ID      string `json:"id"`
	Name    string `json:"name"`    // plain, for the patient
	HowTo   string `json:"howTo"`   // plain, for the patient
	Figure  string `json:"figure"`  // the drawing's key
	Timed   bool   `json:"timed"`   // holds, not repetitions
	Seconds int    `json:"seconds"` // a hold's length, when Timed
}

// Protocol is a loading protocol: the plan element it comes from, its
// exercises, its starting dose and the bounds of each part of the dose,
// and how the review moves the dose (Step: what one step of progression
// adds; a regression takes it away).
type Protocol struct {
	ID       ProtocolID `json:"id"`
	PlanItem string     `json:"planItem"` // the plan library's element (kb/plan.yaml)
	Title    string     `json:"title"`    // for clinicians
	Patient  string     `json:"patient"`  // for the patient: what and how often, plainly
	Source   string     `json:"source"`   // keys of the model's sources
	Start    Dose       `json:"start"`
	Sets     Bounds     `json:"sets"`
	Reps     Bounds     `json:"reps"`
	LoadKg   Bounds     `json:"loadKg"`
	PerWeek  Bounds     `json:"perWeek"`
	// Progress is the rule for the clinician, with units.
	Progress  string     `json:"progress"`
	Exercises []Exercise `json:"exercises"`
}

// HomeElement is another plan element a programme can carry, in words
// for the patient, with its exercises (none for advice such as heel
// lifts).
type HomeElement struct {
	PlanItem  string     `json:"planItem"`
	Title     string     `json:"title"` // for the patient
	Advice    string     `json:"advice"`
	Exercises []Exercise `json:"exercises,omitempty"`
}

// Protocols are the loading protocols, from kb/plan.yaml's loading
// elements (their dosage and progression give the bounds).
var Protocols = []Protocol{
	{
		ID: ProtocolHSR, PlanItem: "loading-midportion", Title: "Heavy slow resistance", Source: "beyer2015",
		Patient: "Slow, heavy heel raises. Take about 3 seconds to go up and 3 seconds to come down.",
		Start:   Dose{Sets: 3, Reps: 15, LoadKg: 0, PerWeek: 3},
		Sets:    Bounds{3, 4}, Reps: Bounds{6, 15}, LoadKg: Bounds{0, 200}, PerWeek: Bounds{2, 3},
		Progress: "From 15RM towards 6RM over 12 weeks: 2 repetitions fewer at a heavier load (the new RM) per step; 3 sessions a week, about 6 s per repetition (Beyer 2015).",
		Exercises: []Exercise{
			{ID: "seated-heel-raise", Name: "Seated heel raise", Figure: "seated-heel-raise",
				HowTo: "Sit with a weight on your knees, feet flat. Lift your heels as high as you can, slowly, then lower them slowly."},
			{ID: "standing-heel-raise", Name: "Standing heel raise", Figure: "standing-heel-raise",
				HowTo: "Stand with your knees straight, holding on for balance. Rise onto your toes slowly, then lower slowly."},
			{ID: "leg-press-heel-raise", Name: "Heel raise on the leg press", Figure: "leg-press-heel-raise",
				HowTo: "On the leg press, knees straight, push the plate away with the balls of your feet, then let it back slowly."},
		},
	},
	{
		ID: ProtocolAlfredson, PlanItem: "loading-midportion", Title: "Alfredson eccentric", Source: "alfredson1998",
		Patient: "Lowering exercises on a step, twice a day, every day. Rise up on the good leg and lower down slowly on the sore leg.",
		Start:   Dose{Sets: 3, Reps: 15, LoadKg: 0, PerWeek: 14},
		Sets:    Bounds{1, 3}, Reps: Bounds{5, 15}, LoadKg: Bounds{0, 60}, PerWeek: Bounds{7, 14},
		Progress: "3 × 15 knee straight and 3 × 15 knee bent, twice a day; add load (a backpack, about +5 kg per step, at most weekly) once the exercises are pain-free (Alfredson 1998).",
		Exercises: []Exercise{
			{ID: "eccentric-straight", Name: "Lowering with the knee straight", Figure: "eccentric-straight",
				HowTo: "Stand on the edge of a step on the balls of your feet. Rise up using the good leg, then lower the heel below the step slowly on the sore leg, knee straight."},
			{ID: "eccentric-bent", Name: "Lowering with the knee bent", Figure: "eccentric-bent",
				HowTo: "As before, but keep the knee of the sore leg a little bent as you lower the heel slowly."},
		},
	},
	{
		ID: ProtocolFloorLevel, PlanItem: "loading-insertional", Title: "Floor-level heel raises and lowering (insertional)", Source: "jonsson2008",
		Patient: "Heel raises and slow lowering on a flat floor, not off a step, twice a day, every day. Do not let the heel drop below the level of your toes.",
		Start:   Dose{Sets: 3, Reps: 15, LoadKg: 0, PerWeek: 14},
		Sets:    Bounds{1, 3}, Reps: Bounds{5, 15}, LoadKg: Bounds{0, 40}, PerWeek: Bounds{7, 14},
		Progress: "3 × 15 twice a day from the floor, never into dorsiflexion past neutral; add load (+5 kg per step) once pain-free, still from the floor (Jonsson 2008).",
		Exercises: []Exercise{
			{ID: "floor-heel-raise", Name: "Heel raise and slow lowering on the floor", Figure: "floor-heel-raise",
				HowTo: "Stand on a flat floor holding on for balance. Rise onto your toes, then lower slowly until your heel touches the floor. No step."},
		},
	},
	{
		ID: ProtocolConservative, PlanItem: "loading-conservative", Title: "Conservative loading (body weight only)", Source: "morales2019",
		Patient: "Gentle holds and slow heel raises with your body weight only, every other day. No weights, no hopping.",
		Start:   Dose{Sets: 5, Reps: 1, LoadKg: 0, PerWeek: 3},
		Sets:    Bounds{3, 5}, Reps: Bounds{1, 1}, LoadKg: Bounds{0, 0}, PerWeek: Bounds{3, 4},
		Progress: "Body weight only: isometric holds 5 × 30–45 s and slow heel raises, every other day; no added load for 3 months after the last fluoroquinolone dose, then progress as the usual programme (Morales 2019).",
		Exercises: []Exercise{
			{ID: "isometric-hold", Name: "Heel-raise hold", Figure: "isometric-hold", Timed: true, Seconds: 30,
				HowTo: "Rise halfway onto your toes on both feet and hold still. Breathe normally."},
		},
	},
}

// HomeElements are the plan's other elements a programme can carry.
var HomeElements = []HomeElement{
	{PlanItem: "heel-lift", Title: "Heel lifts",
		Advice: "Wear the heel lifts in both shoes every day while you do this programme."},
	{PlanItem: "load-management", Title: "Running",
		Advice: "Keep running if the pain stays within the rules below. Run a little less than usual, on flat ground, without speed work. Do not make any one run much longer than your longest recent run."},
	{PlanItem: "stretching", Title: "Calf stretches",
		Advice: "Hold each stretch for 30 seconds, 3 times, twice a day. It should feel like a stretch, not pain.",
		Exercises: []Exercise{
			{ID: "calf-stretch-straight", Name: "Calf stretch, back knee straight", Figure: "calf-stretch-straight", Timed: true, Seconds: 30,
				HowTo: "Hands on a wall, sore leg behind, knee straight and heel down. Lean forward until you feel the stretch in the calf."},
			{ID: "calf-stretch-bent", Name: "Calf stretch, back knee bent", Figure: "calf-stretch-bent", Timed: true, Seconds: 30,
				HowTo: "As before, but bend the back knee, heel still down, to stretch lower in the calf."},
		}},
	{PlanItem: "stretching-insertional", Title: "Gentle calf stretch",
		Advice: "Hold for 30 seconds, 3 times. Stop before you feel pressure at the back of the heel.",
		Exercises: []Exercise{
			{ID: "calf-stretch-straight", Name: "Calf stretch, back knee straight", Figure: "calf-stretch-straight", Timed: true, Seconds: 30,
				HowTo: "Hands on a wall, sore leg behind, knee straight and heel down. Lean forward gently, only a little."},
		}},
	{PlanItem: "neural-mobilisation", Title: "Nerve gliding",
		Advice: "2 or 3 sets of 10 slow movements, once or twice a day. Stop short of any tingling or pain down the leg.",
		Exercises: []Exercise{
			{ID: "nerve-slider", Name: "Seated nerve glide", Figure: "nerve-slider",
				HowTo: "Sit tall. Straighten the knee while you look up, then bend the knee while you look down. Move smoothly."},
		}},
	{PlanItem: "core-hip", Title: "Hip and trunk exercise",
		Advice: "Do the bridge 3 times 10, on the days you do your heel exercises.",
		Exercises: []Exercise{
			{ID: "bridge", Name: "Bridge", Figure: "bridge",
				HowTo: "Lie on your back, knees bent. Lift your hips until your body is straight from shoulders to knees, then lower slowly."},
		}},
}

// FindProtocol returns the protocol with the ID.
func FindProtocol(id ProtocolID) (Protocol, bool) {
	for _, p := range Protocols {
		if p.ID == id {
			return p, true
		}
	}
	return Protocol{}, false
}

// FindHomeElement returns the element of the plan item.
func FindHomeElement(planItem string) (HomeElement, bool) {
	for _, e := range HomeElements {
		if e.PlanItem == planItem {
			return e, true
		}
	}
	return HomeElement{}, false
}

// Check returns the dose's problems against the protocol's bounds, each
// with its Field ("sets", "reps", "loadKg", "perWeek").
func (p Protocol) Check(d Dose) Errors {
	var es Errors
	check := func(field, what string, v float64, b Bounds) {
		if !b.In(v) {
			es = append(es, &Error{Code: EINVALID, Field: field, Value: fmt.Sprint(v),
				Message: fmt.Sprintf("%s must be from %s to %s for %s.", what, num(b.Min), num(b.Max), p.Title)})
		}
	}
	check("sets", "Sets", float64(d.Sets), p.Sets)
	check("reps", "Repetitions", float64(d.Reps), p.Reps)
	check("loadKg", "Added load (kg)", d.LoadKg, p.LoadKg)
	check("perWeek", "Sessions a week", float64(d.PerWeek), p.PerWeek)
	return es
}

func num(f float64) string { return strings.TrimSuffix(fmt.Sprintf("%.1f", f), ".0") }

// Programme is a patient's home programme, chosen from a visit's plan.
type Programme struct {
	// ID is public and random, not sequential.
	ID        int64      `json:"id"`
	PatientID int64      `json:"patientId"`
	ClinicID  int64      `json:"clinicId"`
	VisitID   int64      `json:"visitId"`
	Protocol  ProtocolID `json:"protocol"`
	Dose      Dose       `json:"dose"`
	// Elements are the other plan elements chosen (plan item IDs, each in
	// HomeElements).
	Elements  []string   `json:"elements"`
	CreatedBy int64      `json:"createdBy"`
	CreatedAt time.Time  `json:"createdAt"`
	ExpiresAt time.Time  `json:"expiresAt"`
	RevokedAt *time.Time `json:"revokedAt,omitempty"`
}

// Active reports whether the programme's link can be used at now.
func (p Programme) Active(now time.Time) bool {
	return p.RevokedAt == nil && now.Before(p.ExpiresAt)
}

// ProgrammeLog is one session the patient logged: pain during loading
// and the next morning, 0–10 (Morning nil until the patient gives it).
// A session is named by its date; logging the same date again replaces
// it.
type ProgrammeLog struct {
	ID          int64     `json:"id"`
	ProgrammeID int64     `json:"programmeId"`
	PatientID   int64     `json:"patientId"`
	ClinicID    int64     `json:"clinicId"`
	Date        string    `json:"date"` // YYYY-MM-DD, the session's date
	During      int       `json:"during"`
	Morning     *int      `json:"morning,omitempty"`
	LoggedAt    time.Time `json:"loggedAt"`
}

// Programme link lifetimes: the default (the 12 weeks of a loading
// programme) and the longest.
const (
	DefaultProgrammeTTL = 12 * 7 * 24 * time.Hour
	MaxProgrammeTTL     = 26 * 7 * 24 * time.Hour
)

// NewProgramme is what a clinician chooses. A zero Dose is the
// protocol's Start; a zero TTL is DefaultProgrammeTTL.
type NewProgramme struct {
	PatientID int64      `json:"patientId"`
	VisitID   int64      `json:"visitId"`
	Protocol  ProtocolID `json:"protocol"`
	Dose      Dose       `json:"dose"`
	Elements  []string   `json:"elements"`
	TTL       time.Duration
}

// ProgrammeView is what the link holder sees: the programme, the
// patient's first name only, the clinic's name, and their log.
type ProgrammeView struct {
	Programme Programme
	FirstName string
	Clinic    string
	Log       []ProgrammeLog
}

// Pain-monitoring model (Silbernagel 2007, kb/plan.yaml pain-monitoring;
// ../shared/evidence/clinical-evidence.md): pain during loading at most
// 5/10, settled by the next morning, not rising week to week; add load
// when pain stays at 2/10 or less.
const (
	PainAllowed    = 5 // the most pain allowed during loading
	PainProgress   = 2 // pain at or below which load is added
	ReviewDays     = 7 // the window a review looks at
	ReviewSessions = 3 // the fewest sessions a review judges on
)

// Proposal kinds.
const (
	ProposeProgress = "progress"
	ProposeHold     = "hold"
	ProposeRegress  = "regress"
	ProposeTooFew   = "too-few"
)

// Proposal is the review's suggestion for the next dose.
type Proposal struct {
	Kind   string `json:"kind"`
	Reason string `json:"reason"` // for clinicians, with units and source
	Dose   Dose   `json:"dose"`   // the proposed dose (the current one for hold, too-few)
}

// ProposalSource names the rule of Propose.
const ProposalSource = "silbernagel2007 (pain-monitoring model, kb/plan.yaml pain-monitoring) and the protocol's progression"

// Propose reviews the sessions logged in the ReviewDays before today
// (YYYY-MM-DD, inclusive) by the pain-monitoring model:
//   - regress when any session's pain during loading was above 5/10, or
//     its next-morning pain was above 2/10 and higher than during it
//     (not settled by the next morning), or
//     the mean next-morning pain rose from the week before;
//   - progress when at least ReviewSessions sessions were logged, all
//     with pain during and next morning at 2/10 or less;
//   - hold otherwise; too-few with fewer than ReviewSessions sessions
//     and no reason to regress.
//
// A step is the protocol's: heavy slow resistance 2 repetitions fewer
// (towards 6RM) at a heavier load; eccentric and floor-level +5 kg; body
// weight only never adds load. A regression undoes one step.
func Propose(p Protocol, d Dose, logs []ProgrammeLog, today string) Proposal {
	end, err := time.Parse(time.DateOnly, today)
	if err != nil {
		return Proposal{Kind: ProposeTooFew, Reason: "no review date", Dose: d}
	}
	from := end.AddDate(0, 0, -(ReviewDays - 1)).Format(time.DateOnly)
	prevFrom := end.AddDate(0, 0, -(2*ReviewDays - 1)).Format(time.DateOnly)
	var n, low int
	var broke []string
	var thisSum, thisN, prevSum, prevN float64
	for _, l := range logs {
		switch {
		case l.Date > today || l.Date < prevFrom:
			continue
		case l.Date < from:
			if l.Morning != nil {
				prevSum, prevN = prevSum+float64(*l.Morning), prevN+1
			}
			continue
		}
		n++
		if l.Morning != nil {
			thisSum, thisN = thisSum+float64(*l.Morning), thisN+1
		}
		if l.During > PainAllowed {
			broke = append(broke, fmt.Sprintf("%s: pain during %d/10 (above %d/10)", l.Date, l.During, PainAllowed))
		} else if l.Morning != nil && *l.Morning > l.During && *l.Morning > PainProgress {
			broke = append(broke, fmt.Sprintf("%s: next morning %d/10, worse than during (%d/10): not settled", l.Date, *l.Morning, l.During))
		}
		if l.During <= PainProgress && l.Morning != nil && *l.Morning <= PainProgress {
			low++
		}
	}
	if thisN > 0 && prevN > 0 && thisSum/thisN > prevSum/prevN {
		broke = append(broke, fmt.Sprintf("mean next-morning pain rose from %.1f/10 to %.1f/10 week on week", prevSum/prevN, thisSum/thisN))
	}
	switch {
	case len(broke) > 0:
		return Proposal{Kind: ProposeRegress, Dose: p.step(d, -1),
			Reason: "The pain rules were broken: " + strings.Join(broke, "; ") + ". Undo one step of load (" + ProposalSource + ")."}
	case n < ReviewSessions:
		return Proposal{Kind: ProposeTooFew, Dose: d,
			Reason: fmt.Sprintf("%d session(s) logged in the last %d days; at least %d are needed to judge progression.", n, ReviewDays, ReviewSessions)}
	case low == n:
		nd := p.step(d, +1)
		if nd == d {
			return Proposal{Kind: ProposeHold, Dose: d, Reason: fmt.Sprintf("Pain stayed at %d/10 or less in all %d sessions, but %s cannot add load within its bounds (%s).", PainProgress, n, p.Title, p.Progress)}
		}
		return Proposal{Kind: ProposeProgress, Dose: nd,
			Reason: fmt.Sprintf("Pain during and next morning stayed at %d/10 or less in all %d sessions of the last %d days: add one step of load (%s; %s).", PainProgress, n, ReviewDays, ProposalSource, p.Progress)}
	}
	return Proposal{Kind: ProposeHold, Dose: d,
		Reason: fmt.Sprintf("Pain stayed within %d/10 and settled by the next morning in the last %d days, but not at %d/10 or less throughout: keep the dose (%s).", PainAllowed, ReviewDays, PainProgress, ProposalSource)}
}

// step moves the dose dir steps (+1 progress, -1 regress), kept within
// the protocol's bounds.
func (p Protocol) step(d Dose, dir int) Dose {
	clamp := func(v float64, b Bounds) float64 { return max(b.Min, min(b.Max, v)) }
	switch p.ID {
	case ProtocolHSR:
		d.Reps = int(clamp(float64(d.Reps-2*dir), p.Reps))
		d.LoadKg = clamp(d.LoadKg+5*float64(dir), p.LoadKg)
	case ProtocolConservative:
		if dir < 0 {
			d.Sets = int(clamp(float64(d.Sets-1), p.Sets))
		}
	default:
		if dir < 0 && d.LoadKg == 0 {
			d.Reps = int(clamp(float64(d.Reps-5), p.Reps))
		} else {
			d.LoadKg = clamp(d.LoadKg+5*float64(dir), p.LoadKg)
		}
	}
	return d
}

// ProgrammeService gives patients home programmes and takes their logs.
//
// Who may call: CreateProgramme, FindProgrammes and RevokeProgramme as
// for PatientService (a clinician for the patients of their clinics, an
// admin, or the system); OpenProgramme and LogProgramme anyone holding
// the programme's token, which is the only credential, until the
// programme expires or is revoked. Every call is audited.
type ProgrammeService interface {
	// CreateProgramme stores a programme chosen from the plan of one of
	// the patient's visits and returns it with its token (shown once,
	// stored hashed). EINVALID (Field "protocol", "sets", "reps",
	// "loadKg", "perWeek", "elements", "days" or "visit") when the
	// protocol or an element is not in the visit's plan or the dose is
	// out of bounds; ENOTFOUND for a patient or visit the actor may not
	// see.
	CreateProgramme(ctx context.Context, np NewProgramme) (Programme, string, error)
	// FindProgrammes lists a patient's programmes, newest first, with
	// each one's log (oldest first), keyed by programme ID.
	FindProgrammes(ctx context.Context, patientID int64) ([]Programme, map[int64][]ProgrammeLog, error)
	// RevokeProgramme ends a programme's link now. ENOTFOUND for a
	// programme not of the patient.
	RevokeProgramme(ctx context.Context, patientID, id int64) error
	// OpenProgramme returns what the holder of a token sees. ENOTFOUND
	// for an unknown token; ECONFLICT for a revoked or expired one.
	OpenProgramme(ctx context.Context, token string) (ProgrammeView, error)
	// LogProgramme records a session (date YYYY-MM-DD, not in the
	// future nor before the programme; pain 0–10; morning "" when not
	// yet known). EINVALID with Field "date", "during" or "morning".
	LogProgramme(ctx context.Context, token, date, during, morning string) (ProgrammeLog, error)
}

package tendo

// Classification is the conclusion of an assessment (see the contract).
type Classification string

// The classifications, as the contract names them.
const (
	UrgentReferral    Classification = "urgent-referral"
	LocalTendinopathy Classification = "local-tendinopathy"
	LumbarReferred    Classification = "lumbar-referred"
	Mixed             Classification = "mixed"
	OtherCause        Classification = "other-cause"
	Uncertain         Classification = "uncertain"
)

// Urgency of a red flag.
type Urgency string

// Red-flag urgencies: emergency and urgent flags make the classification
// urgent-referral; soon flags are reported but do not change it.
const (
	Emergency Urgency = "emergency"
	Urgent    Urgency = "urgent"
	Soon      Urgency = "soon"
)

// Result is what an assessment returns (the contract's output). Field
// names are the contract's keys.
type Result struct {
	// ID echoes the assessment's id.
	ID string `json:"id"`
	// Date echoes the assessment's date.
	Date string `json:"date,omitempty"`
	// ModelVersion is the knowledge base that produced the result
	// ("tendo-achilles 1.0.0").
	ModelVersion string `json:"modelVersion"`
	// Disclaimer says that tendo supports, not replaces, clinical judgement.
	Disclaimer     string         `json:"disclaimer"`
	Classification Classification `json:"classification"`
	// ClassificationReason says in words why.
	ClassificationReason string `json:"classificationReason"`
	// TendinopathySite is "midportion", "insertional" or null.
	TendinopathySite *string       `json:"tendinopathySite"`
	Probabilities    Probabilities `json:"probabilities"`
	// ProbabilityRanges holds, for every key of Probabilities, the 90%
	// credible interval of that probability from the uncertainty of the
	// model's numbers (contract v1.1).
	ProbabilityRanges ProbabilityRanges `json:"probabilityRanges"`
	// Differential lists the other conditions that may be present, each
	// with probability 0.02 or more, highest first; never null (contract
	// v1.1).
	Differential []DifferentialEntry `json:"differential"`
	// NerveRoot is "L4", "L5" or "S1": the root with the highest
	// probability when that probability is 0.5 or more; null otherwise or
	// on an exact tie (contract v1.1).
	NerveRoot *string `json:"nerveRoot"`
	// RedFlags lists every red flag raised, most urgent first; never null.
	RedFlags []RedFlag `json:"redFlags"`
	Scores   Scores    `json:"scores"`
	// Explanation lists each observed finding's effect, largest first.
	Explanation []Explanation `json:"explanation"`
	// NextTests ranks the findings not yet examined by how much they would
	// settle the source of the symptoms.
	NextTests []NextTest `json:"nextTests"`
	Plan      Plan       `json:"plan"`
	// Notes lists things the clinician should know about the input (for
	// example a finding that carried no weight, or a score that could not
	// be computed).
	Notes []string `json:"notes,omitempty"`
}

// Probabilities are posterior probabilities, 0–1.
type Probabilities struct {
	AchillesTendinopathy float64 `json:"achillesTendinopathy"`
	S1Radiculopathy      float64 `json:"s1Radiculopathy"`
	LumbarContribution   float64 `json:"lumbarContribution"`
	AchillesRupture      float64 `json:"achillesRupture"`
	// The tendinopathy split by site.
	MidportionTendinopathy  float64 `json:"midportionTendinopathy"`
	InsertionalTendinopathy float64 `json:"insertionalTendinopathy"`
	// The routes of a lumbar contribution and the mechanisms.
	CompensatoryGait    float64 `json:"compensatoryGait"`
	CalfWeakness        float64 `json:"calfWeakness"`
	TendonOverload      float64 `json:"tendonOverload"`
	TendonVulnerability float64 `json:"tendonVulnerability"`
	OtherHeelPathology  float64 `json:"otherHeelPathology"`
}

// Range is a credible interval [lo, hi], 0 ≤ lo ≤ hi ≤ 1.
type Range [2]float64

// ProbabilityRanges are the 90% credible intervals (5th–95th percentile)
// of the posterior probabilities, one per key of Probabilities.
type ProbabilityRanges struct {
	AchillesTendinopathy    Range `json:"achillesTendinopathy"`
	S1Radiculopathy         Range `json:"s1Radiculopathy"`
	LumbarContribution      Range `json:"lumbarContribution"`
	AchillesRupture         Range `json:"achillesRupture"`
	MidportionTendinopathy  Range `json:"midportionTendinopathy"`
	InsertionalTendinopathy Range `json:"insertionalTendinopathy"`
	CompensatoryGait        Range `json:"compensatoryGait"`
	CalfWeakness            Range `json:"calfWeakness"`
	TendonOverload          Range `json:"tendonOverload"`
	TendonVulnerability     Range `json:"tendonVulnerability"`
	OtherHeelPathology      Range `json:"otherHeelPathology"`
}

// DifferentialEntry is one condition of the differential: the probability
// that it is present and accounts for some of the findings, and its 90%
// credible interval.
type DifferentialEntry struct {
	// Code is a differential code of the contract ("partial-achilles-tear").
	Code        string  `json:"code"`
	Probability float64 `json:"probability"`
	Range       Range   `json:"range"`
}

// RedFlag is a rule that fired. Rules override every probability.
type RedFlag struct {
	Code    string  `json:"code"`
	Urgency Urgency `json:"urgency"`
	// Reason names the findings that triggered the rule.
	Reason string `json:"reason"`
	// Action says what to do.
	Action string `json:"action"`
	// Source cites the rule.
	Source string `json:"source"`
}

// Scores holds the scored outcome measures that were given.
type Scores struct {
	VISAA *Score `json:"visaA,omitempty"`
	ODI   *Score `json:"odi,omitempty"`
	NPRS  *Score `json:"nprs,omitempty"`
	LEFS  *Score `json:"lefs,omitempty"`
}

// Explanation is one observed finding's effect on the main probabilities:
// the change of each one's log-odds when the finding is removed from the
// evidence (natural log; positive means the finding raised it), with the
// equivalent likelihood ratio in context.
type Explanation struct {
	Finding string  `json:"finding"` // the contract field path, e.g. "exam.slump"
	Label   string  `json:"label"`
	Value   string  `json:"value"`
	Effects Effects `json:"effects"`
	// Alone is the finding's effect on its own: the change of log-odds
	// from no evidence at all when it alone is entered. Findings tied by a
	// latent node say much alone but little in context, where the others
	// already say the same.
	Alone Effects `json:"alone"`
}

// Effects are a finding's effects on the four main probabilities.
type Effects struct {
	AchillesTendinopathy Effect `json:"achillesTendinopathy"`
	S1Radiculopathy      Effect `json:"s1Radiculopathy"`
	LumbarContribution   Effect `json:"lumbarContribution"`
	AchillesRupture      Effect `json:"achillesRupture"`
}

// Effect is a change of log-odds and the likelihood ratio exp(LogOdds).
type Effect struct {
	LogOdds         float64 `json:"logOdds"`
	LikelihoodRatio float64 `json:"likelihoodRatio"`
}

// NextTest is an unobserved finding and how much observing it is expected
// to tell.
type NextTest struct {
	Finding string `json:"finding"`
	Label   string `json:"label"`
	// Bits is the expected information (mutual information, in bits) about
	// the source of the symptoms (tendon, lumbar, both, neither) plus
	// about a rupture.
	Bits float64 `json:"bits"`
	// ExpectedChange is the expected change of the probabilities the
	// decision reads (tendinopathy, a lumbar contribution, a rupture, the
	// leading differential conditions), 0–1.
	ExpectedChange float64 `json:"expectedChange"`
	// DecisionChange is the probability that the test's result changes
	// the decision: the classification, or whether a rupture, fracture,
	// infection or DVT stops loading (0–1). Tests are ranked by it.
	DecisionChange float64 `json:"decisionChange"`
	// Why says what the test looks for.
	Why string `json:"why"`
}

// Plan is the integrated management plan.
type Plan struct {
	Summary string `json:"summary"`
	// Phases are in order: settle and protect, load, strengthen, return
	// to activity. A phase may have no components (for example when
	// referral comes first).
	Phases []Phase `json:"phases"`
	// Referral lists referral and imaging triggers that apply now or to
	// watch for.
	Referral []PlanItem `json:"referral"`
	// Reassessment is the schedule and the outcome targets.
	Reassessment Reassessment `json:"reassessment"`
	// Differentials, for other-cause and uncertain, lists conditions to
	// consider.
	Differentials []string `json:"differentials,omitempty"`
}

// Phase is one phase of the plan.
type Phase struct {
	ID         string     `json:"id"`
	Title      string     `json:"title"`
	Weeks      string     `json:"weeks"`
	Goal       string     `json:"goal"`
	Components []PlanItem `json:"components"`
}

// PlanItem is one element of the plan: what, how much, when to progress,
// why, and the source.
type PlanItem struct {
	ID          string `json:"id"`
	Title       string `json:"title"`
	Dosage      string `json:"dosage,omitempty"`
	Progression string `json:"progression,omitempty"`
	Rationale   string `json:"rationale"`
	Source      string `json:"source"`
}

// Reassessment is when to review and what to aim for.
type Reassessment struct {
	Schedule string          `json:"schedule"`
	Targets  []OutcomeTarget `json:"targets"`
}

// OutcomeTarget is a score to reach at a review.
type OutcomeTarget struct {
	Measure string `json:"measure"`
	// Baseline is the current score when one was given.
	Baseline *float64 `json:"baseline,omitempty"`
	Target   string   `json:"target"`
	By       string   `json:"by"`
	Source   string   `json:"source"`
}

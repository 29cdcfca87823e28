package fhirmap

import (
	"encoding/json"
	"fmt"
	"math"
	"strconv"

	"github.com/tendo-health/tendo"
	"github.com/tendo-health/tendo/fhir"
)

// ExtProbabilityRange holds, on a RiskAssessment prediction, the 90%
// credible interval (5th–95th percentile) of the probability, as a
// valueRange whose low and high are fractions 0–1 (UCUM "1").
const ExtProbabilityRange = Base + "/StructureDefinition/probability-range"

// FractionNote is the statement, in every RiskAssessment tendo writes,
// of how it reads R4's ambiguous probabilityDecimal.
const FractionNote = "Probabilities are fractions from 0 to 1 (0.25 means 25%), not percentages: " +
	"R4 is ambiguous (the element's comment calls decimals percentages, invariant ras-2 only bounds probabilityDecimal by 100, " +
	"and the official examples use fractions), and tendo's results and CDS cards use fractions. Each prediction's 90% credible interval is in the extension " +
	ExtProbabilityRange + " (also fractions) and in words in its rationale."

// probDecimal writes a probability as a fraction rounded to 4 decimal
// places.
func probDecimal(p float64) fhir.Decimal {
	return fhir.DecimalOf(math.Round(p*1e4) / 1e4)
}

func fraction(p float64) *fhir.Quantity {
	return &fhir.Quantity{Value: probDecimal(p), Unit: "fraction", System: UCUM, Code: "1"}
}

// prediction is one RiskAssessment prediction: the outcome, the point
// estimate and its interval.
func prediction(outcome fhir.Coding, p float64, r tendo.Range) (fhir.RiskAssessmentPrediction, error) {
	rv, err := json.Marshal(fhir.Range{Low: fraction(r[0]), High: fraction(r[1])})
	if err != nil {
		return fhir.RiskAssessmentPrediction{}, err
	}
	return fhir.RiskAssessmentPrediction{
		Extension:          []fhir.Extension{{URL: ExtProbabilityRange, Extra: fhir.Extra{"valueRange": rv}}},
		Outcome:            codeable(outcome, outcome.Display),
		ProbabilityDecimal: probDecimal(p),
		Rationale: fmt.Sprintf("%s: %s, 90%% credible interval %s–%s (%s).", outcome.Display,
			strconv.FormatFloat(math.Round(p*1e4)/1e4, 'f', -1, 64),
			strconv.FormatFloat(math.Round(r[0]*1e4)/1e4, 'f', -1, 64),
			strconv.FormatFloat(math.Round(r[1]*1e4)/1e4, 'f', -1, 64),
			tendo.PercentRange(p, r)),
	}, nil
}

// RiskAssessmentFor returns the RiskAssessment of a result: one
// prediction per probability of Result.Probabilities (CodeSystem
// probability) and one per entry of the differential (CodeSystem
// differential), each with probabilityDecimal as a fraction 0–1 and its
// 90% credible interval in the extension ExtProbabilityRange — R4's
// probabilityRange cannot hold it, since probability[x] is a choice and
// tendo gives the point estimate. The choice of fractions is stated in
// the resource's text and note (FractionNote). Status final; the method
// names the model version; occurrenceDateTime is the visit date.
func RiskAssessmentFor(r *tendo.Result, subject fhir.Reference, date string) (*fhir.RiskAssessment, error) {
	ra := &fhir.RiskAssessment{
		Status:             "final",
		Method:             &fhir.CodeableConcept{Text: "tendo Bayesian network, exact inference (" + r.ModelVersion + ")"},
		Code:               &fhir.CodeableConcept{Text: "Sources of posterior heel or Achilles pain and their differential"},
		Subject:            &subject,
		OccurrenceDateTime: date,
		Note:               []fhir.Annotation{{Text: FractionNote}},
	}
	if r.Disclaimer != "" {
		ra.Note = append(ra.Note, fhir.Annotation{Text: r.Disclaimer})
	}
	for _, p := range probabilities(r) {
		pr, err := prediction(fhir.Coding{System: SystemProbability, Code: p.Key, Display: p.Name}, p.P, p.Range)
		if err != nil {
			return nil, err
		}
		ra.Prediction = append(ra.Prediction, pr)
	}
	for _, d := range r.Differential {
		pr, err := prediction(fhir.Coding{System: SystemDifferential, Code: d.Code, Display: tendo.DifferentialName(d.Code)}, d.Probability, d.Range)
		if err != nil {
			return nil, err
		}
		ra.Prediction = append(ra.Prediction, pr)
	}
	ra.Text = narrative(fmt.Sprintf("Probabilities of %d sources and %d differential conditions (model %s). %s",
		len(probabilityNames), len(r.Differential), r.ModelVersion, FractionNote))
	return ra, nil
}

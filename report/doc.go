// Package report renders an assessment result for people: as text for a
// terminal, and as a self-contained HTML page a clinician can print
// (probabilities as bars, red flags first, the explanation, the plan and
// the scores with their bands; a print stylesheet; no scripts).
//
// It imports only the domain root (tendo) and the standard library.
package report

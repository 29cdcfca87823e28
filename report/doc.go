// Package report renders for people: an assessment result as text for a
// terminal, and as a self-contained HTML page a clinician can print
// (probabilities as bars, red flags first, the explanation, the plan and
// the scores with their bands; a print stylesheet; no scripts). The model
// card is rendered by report/modelcard.
//
// It imports the domain root (tendo) and the standard library only; it
// must not import the engine (assess, kb, bn), web, sqlstore or cmd.
package report

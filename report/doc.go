// Package report renders for people: an assessment result as text for a
// terminal, and as a self-contained HTML page a clinician can print
// (probabilities as bars, red flags first, the explanation, the plan and
// the scores with their bands; a print stylesheet; no scripts); and the
// model card (tendo model doc) as Markdown or HTML (ModelCard).
//
// It imports the domain root (tendo), and for the model card assess (whose
// Engine.CardWithValidation assembles the card's data) and kb, and the
// standard library. It must not import web, sqlstore or cmd; assess must
// not import report.
package report

// Package questionnaire defines the four patient questionnaires tendo sends
// by link (VISA-A, ODI, NPRS and LEFS) for a phone-friendly web form, and
// parses the submitted form values into the contract's PROM structures,
// scored by the tendo package.
//
// It imports the tendo root package and the standard library only. It
// renders nothing: a web page walks a Form and draws one radio group per
// Item.
//
// # Wording
//
// The official questionnaires are copyrighted. Every question and answer
// here is tendo's own plain-language paraphrase of what each item asks;
// the scoring (the points behind each answer) is the published scoring, so
// totals are comparable with the originals. The paraphrases have not been
// validated against the official forms.
//
// # Form fields
//
// Each Item is one radio group whose name is Item.Key ("q1", "q2", ...) and
// whose values are Choice.FormValue: the points as a decimal ("0" ... "10").
// The form needs no JavaScript:
//
//   - VISA-A item 8 ("q8") is one radio group of fifteen choices. A patient
//     answers one branch only (A: no pain during Achilles-loading sport;
//     B: pain, but finishes; C: pain stops them finishing), and the points of
//     the duration depend on the branch, so each value names both:
//     "A:0" ... "A:30", "B:0" ... "B:20", "C:0" ... "C:10". Item.Groups gives
//     the three branch statements as headings; each Choice's Group says
//     which heading it sits under. One radio group means a patient cannot
//     answer two branches, and a value from the wrong branch ("C:30") is
//     rejected.
//   - ODI sections are Optional: a patient may leave a section blank, and the
//     ODI is scored on the sections answered, but at most Form.MaxMissing
//     (2) may be. The sex-life section also offers an explicit "prefer not
//     to answer" choice (Choice.Skip, form value "skip"), which counts as
//     unanswered; a radio group cannot be cleared once clicked, so this is
//     how a patient declines it.
//
// Parse accepts nothing else: a missing answer, a value that is not one of
// the item's form values, or a field sent twice is reported in plain words
// under the field's name, and nothing is guessed.
package questionnaire

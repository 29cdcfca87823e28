// Package modelcard renders the model card (tendo model doc) as Markdown
// or HTML: every node, its parents, its numbers and their sources; the
// classification thresholds; the red-flag rules; the accuracy the model
// reproduces; the validation table; the mapping from the assessment
// contract; the plan library.
//
// It is apart from package report so that report, which the web server
// uses to print results, does not depend on the reasoning engine: this
// package imports assess (whose Engine.CardWithValidation assembles the
// card's data) and kb. Only cmd/tendo imports it; assess must not.
package modelcard

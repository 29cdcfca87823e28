// Package intake reads assessments, the input contract every part of tendo
// speaks (../shared/spec/assessment-v1.md), from JSON or YAML into a
// tendo.Assessment, and writes them back as JSON.
//
// It owns the contract's field list: one schema table (schema.go) gives
// every field's path, type, range or allowed values, unit and meaning.
// The decoder checks documents against it, and Fields exports it for the
// knowledge-base documentation and the web form. Scoring rules for the
// outcome measures belong to the root package (tendo.ScoreVISAA and the
// others); intake calls them so that a document whose answers cannot be
// scored is rejected with the same messages.
//
// It imports tendo, go.yaml.in/yaml/v3 and the standard library.
//
// # Reading
//
//	a, err := intake.Parse(data) // JSON if it starts with '{', else YAML
//	var es intake.Errors
//	if errors.As(err, &es) {
//		for _, e := range es {
//			fmt.Printf("%s:%d: %v\n", name, e.Line, e)
//		}
//	}
//
// Read does the same from an io.Reader, and NewLineReader reads
// newline-delimited JSON (one assessment per line) for batch mode. Input is
// capped at MaxSize (1 MiB) per document or line.
//
// # Rules
//
// Validation is strict and reports every problem, not only the first, as
// an Errors of *FieldError, each naming the field path as the contract
// does ("exam.arcSign", "proms.visaA.answers[7].points"), the value as
// written, what is allowed, and the line where the field was written:
//
//   - Unknown fields are errors at every level, with the nearest known
//     field at that level (edit distance, ignoring case) suggested when it
//     is close, or the field of that name at another level.
//   - A key written twice in one object is an error.
//   - Nothing is guessed, coerced or clamped: "45" is not a number, 3 is
//     not an enumeration value, a value out of range is an error. A number
//     written with a zero fraction (45.0) is accepted as an integer.
//   - null for an optional field means absent, the same as leaving it out,
//     except in the ODI answers, where it marks an unanswered section.
//   - Dates are calendar dates written YYYY-MM-DD.
//   - A document that cannot be read at all (a syntax error) is one
//     error with no field, whose message starts with where it is: "line 3,
//     column 30: invalid JSON: ..." (the column in characters), "line 3:
//     invalid YAML: ...", or for an NDJSON record "column 10: ..." (its
//     line is the record's).
//   - Text must be valid UTF-8; invalid bytes, or a lone UTF-16 surrogate
//     escape in JSON, are errors rather than replaced.
//   - Outcome measures are scored as they are read: a VISA-A or LEFS
//     without all its items, an ODI with more than two sections
//     unanswered, an item-8 points value its branch does not allow, or a
//     given score that disagrees with the answers is an error.
//   - At most 1000 problems are listed for one document; a last error
//     says when there were more.
//
// # YAML
//
// YAML is read as YAML 1.2: only true and false are booleans, so yes, no,
// on and off are strings and fail where a boolean is wanted. Numbers must
// be written in plain decimal, as in JSON (no 0x1F, 017, 1_000 or .inf). A
// date may be written bare (date: 2026-10-02). Aliases, custom tags and
// more than one document are errors.
//
// # Writing
//
// Marshal writes JSON with the contract's names and without absent fields;
// Parse(Marshal(a)) gives back an equal assessment.
package intake

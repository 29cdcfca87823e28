package intake_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/tendo-health/tendo/intake"
)

// TestSyntaxErrorPosition checks that a document that cannot be read says
// where: JSON by line and column (in characters), YAML by line, and an
// NDJSON record by column (its line is the record's). Issue 10: small.
func TestSyntaxErrorPosition(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		input    string
		wantMsg  string // the whole message
		wantLine int
	}{
		{"trailing comma in an object", "{\n  \"schema\": \"tendo/assessment/v1\",\n  \"patient\": {\"ageYears\": 40,}\n}",
			"line 3, column 30: invalid JSON: unexpected character '}'; want a field name in double quotes", 3},
		{"missing colon on the first line", `{"schema" "tendo/assessment/v1"}`,
			"line 1, column 11: invalid JSON: unexpected character '\"' after a field name; want ':'", 1},
		{"unclosed object ends the input", "{\"schema\": \"tendo/assessment/v1\"\n",
			"line 2, column 1: invalid JSON: unexpected end of input in an object; want ',' or '}'", 2},
		{"column counts characters, not bytes", "{\n\"id\": \"Zoë\" x}",
			"line 2, column 13: invalid JSON: unexpected character 'x' in an object; want ',' or '}'", 2},
		{"tab counts as one column", "{\n\t\"id\": tendo}",
			"line 2, column 8: invalid JSON: unexpected character 't'; want a value", 2},
		{"second top-level value", "{}\n\n  {}",
			"line 3, column 3: invalid JSON: unexpected character '{' after the top-level value", 3},
		{"YAML key indented under a scalar", "schema: tendo/assessment/v1\nid: a\n  side: left\n",
			"line 3: invalid YAML: mapping values are not allowed in this context", 3},
		{"empty YAML document has no position", "",
			"empty document", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := intake.Parse([]byte(tt.input))
			var es intake.Errors
			if !errors.As(err, &es) || len(es) != 1 {
				t.Fatalf("Parse error %v, want one intake error", err)
			}
			if es[0].Message != tt.wantMsg || es[0].Line != tt.wantLine || es[0].Field != "" {
				t.Errorf("got message %q, line %d, field %q\nwant message %q, line %d, no field", es[0].Message, es[0].Line, es[0].Field, tt.wantMsg, tt.wantLine)
			}
		})
	}
}

// TestLineReaderSyntaxErrorColumn checks that an NDJSON record's syntax
// error names its column, counted from the start of the line as read
// (leading blanks included), and the record's line.
func TestLineReaderSyntaxErrorColumn(t *testing.T) {
	t.Parallel()
	lr := intake.NewLineReader(strings.NewReader("{\"schema\": \"tendo/assessment/v1\"}\n   {\"id\" 1}\n"))
	if _, _, err := lr.Next(); err != nil {
		t.Fatalf("first record: %v", err)
	}
	line, _, err := lr.Next()
	var es intake.Errors
	if !errors.As(err, &es) || len(es) != 1 {
		t.Fatalf("second record: error %v, want one intake error", err)
	}
	const want = "column 10: invalid JSON: unexpected character '1' after a field name; want ':'"
	if line != 2 || es[0].Line != 2 || es[0].Message != want {
		t.Errorf("second record: line %d (error's %d), message %q; want line 2, %q", line, es[0].Line, es[0].Message, want)
	}
}

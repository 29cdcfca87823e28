package web

import (
	"encoding/json"
	"testing"
	"time"
)

// TestFormValue reads values of a contract document as the form writes
// them (issue 10: form).
func TestFormValue(t *testing.T) {
	t.Parallel()
	doc := map[string]any{"side": "left", "patient": map[string]any{"runner": false, "heightCm": jsonNumber("172.5")}, "exam": map[string]any{}}
	tests := []struct {
		name, path, want string
		ok               bool
	}{
		{"a string", "side", "left", true},
		{"a bool", "patient.runner", "false", true},
		{"a number as written", "patient.heightCm", "172.5", true},
		{"absent", "patient.sex", "", false},
		{"an object", "exam", "", false},
		{"below a scalar", "side.x", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, ok := formValue(doc, tt.path)
			if got != tt.want || ok != tt.ok {
				t.Errorf("formValue(%s) = %q, %v; want %q, %v", tt.path, got, ok, tt.want, tt.ok)
			}
		})
	}
}

// TestYearsLater grows the years since a diagnosis by the whole years
// since the visit that recorded them.
func TestYearsLater(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 12, 3, 10, 0, 0, 0, time.UTC)
	tests := []struct {
		name, v, date, want string
	}{
		{"the same year", "3", "2026-11-02", "3"},
		{"a day short of a year", "3", "2025-12-04", "3"},
		{"a year to the day", "3", "2025-12-03", "4"},
		{"two years and a half", "0.5", "2024-06-01", "2.5"},
		{"not a number", "x", "2020-01-01", "x"},
		{"not a date", "3", "2020-13-01", "3"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := yearsLater(tt.v, tt.date, now); got != tt.want {
				t.Errorf("yearsLater(%s, %s) = %s, want %s", tt.v, tt.date, got, tt.want)
			}
		})
	}
}

// TestFormNote normalises the browser's line ends and trims the note.
func TestFormNote(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct{ name, in, want string }{
		{"empty", "  \r\n ", ""},
		{"CRLF", "a\r\nb\r\n", "a\nb"},
		{"inner blank lines kept", "a\r\n\r\nb", "a\n\nb"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := formNote(tt.in); got != tt.want {
				t.Errorf("formNote(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func jsonNumber(s string) any { return json.Number(s) }

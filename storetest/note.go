package storetest

import (
	"strings"
	"testing"

	"github.com/tendo-health/tendo"
)

// The clinical note of a visit (issue 10: form).

// testAssessmentNote keeps a visit's note as written (lines, non-ASCII,
// the longest allowed), leaves it out of the listing, and refuses one
// that is too long or not text.
func testAssessmentNote(t *testing.T, s tendo.Store) {
	ctx := t.Context()
	c := clinic(t, s, "C")
	p := patient(t, s, c.ID, "Pat")
	for _, tt := range []struct {
		name string
		note string
	}{
		{"none", ""},
		{"lines and non-ASCII", "Pain 6/10 on hopping.\r\nPlan: Alfredson — reviewed in 2 weeks. 痛み 🦶\n"},
		{"the longest allowed", strings.Repeat("é", tendo.MaxNoteLength)},
	} {
		in := assessment(p, "2031-03-01")
		in.Note = tt.note
		a, err := s.SaveAssessment(ctx, in)
		must(t, "save "+tt.name, err)
		eq(t, tt.name+": saved note", a.Note, tt.note)
		got, err := s.Assessment(ctx, a.ID)
		must(t, "read "+tt.name, err)
		eq(t, tt.name+": note read back", got.Note, tt.note)
	}
	list, err := s.Assessments(ctx, p.ID)
	must(t, "assessments", err)
	for _, a := range list {
		if a.Note != "" {
			t.Errorf("the listing carries the note of assessment %d", a.ID)
		}
	}
	for _, tt := range []struct {
		name string
		note string
	}{
		{"too long", strings.Repeat("a", tendo.MaxNoteLength+1)},
		{"a NUL", "before\x00after"},
		{"not UTF-8", "\xff\xfe"},
	} {
		in := assessment(p, "2031-03-02")
		in.Note = tt.note
		_, err := s.SaveAssessment(ctx, in)
		wantCode(t, "note "+tt.name, err, tendo.EINVALID)
	}
}

package web

// Issue 10: small: times on pages are shown in the clinic's time zone
// (Server.Location), not in UTC.

import (
	"html/template"
	"time"
)

// loc is the time zone in which pages show times: Location, or UTC.
func (s *Server) loc() *time.Location {
	if s.Location != nil {
		return s.Location
	}
	return time.UTC
}

// timeFuncs are the templates' date and time functions, in s.loc(), read
// when a page is drawn (so that Location may be set after New):
//
//	date  2026-03-03
//	when  2026-03-03 10:30 AEDT (the zone's abbreviation, or its offset)
func (s *Server) timeFuncs() template.FuncMap {
	return template.FuncMap{
		"date": func(t time.Time) string { return s.dateOf(t) },
		"when": func(t time.Time) string { return t.In(s.loc()).Format("2006-01-02 15:04 MST") },
	}
}

// dateOf is the calendar date of t in the clinic's time zone.
func (s *Server) dateOf(t time.Time) string { return t.In(s.loc()).Format(time.DateOnly) }

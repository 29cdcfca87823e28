package web

import (
	"encoding/csv"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/tendo-health/tendo"
)

// auditFilter reads the audit log's query parameters: userId,
// patientId, action, from and to (RFC 3339 or YYYY-MM-DD), before (the next page's
// cursor) and limit.
func auditFilter(q url.Values) (tendo.AuditFilter, error) {
	var f tendo.AuditFilter
	num := func(name string, dst *int64) error {
		v := strings.TrimSpace(q.Get(name))
		if v == "" {
			return nil
		}
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n < 0 {
			return &tendo.Error{Code: tendo.EINVALID, Field: name, Value: strconv.Quote(v), Message: "must be a positive whole number"}
		}
		*dst = n
		return nil
	}
	at := func(name string, dst *time.Time) error {
		v := strings.TrimSpace(q.Get(name))
		if v == "" {
			return nil
		}
		for _, layout := range []string{time.RFC3339Nano, time.DateOnly} {
			if t, err := time.Parse(layout, v); err == nil {
				*dst = t
				return nil
			}
		}
		return &tendo.Error{Code: tendo.EINVALID, Field: name, Value: strconv.Quote(v), Message: "must be a time (2026-12-03T10:00:00Z) or a date (2026-12-03)"}
	}
	var limit int64
	for _, err := range []error{
		num("userId", &f.UserID), num("patientId", &f.PatientID), num("before", &f.Before), num("limit", &limit),
		at("from", &f.From), at("to", &f.To),
	} {
		if err != nil {
			return f, err
		}
	}
	if limit > 1000 {
		return f, &tendo.Error{Code: tendo.EINVALID, Field: "limit", Value: strconv.FormatInt(limit, 10), Message: "must be at most 1000"}
	}
	f.Limit = int(limit)
	f.Action = strings.TrimSpace(q.Get("action"))
	return f, nil
}

// apiAudit pages through the audit log (admin): JSON, or CSV with
// format=csv.
func (s *Server) apiAudit(w http.ResponseWriter, r *http.Request) {
	page, ok := s.auditEntries(w, r)
	if !ok {
		return
	}
	if r.URL.Query().Get("format") == "csv" {
		writeAuditCSV(w, page)
		return
	}
	writeJSON(w, http.StatusOK, page)
}

// writeAuditCSV writes a page as CSV, with the next page's cursor in a
// Link header. Cells that a spreadsheet would run as formulas are quoted
// with a leading apostrophe.
func writeAuditCSV(w http.ResponseWriter, page tendo.AuditPage) {
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="tendo-audit.csv"`)
	if page.Next != 0 {
		w.Header().Set("X-Next-Before", strconv.FormatInt(page.Next, 10))
	}
	cw := csv.NewWriter(w)
	_ = cw.Write([]string{"id", "at", "user_id", "actor", "clinic_id", "patient_id", "action", "detail", "addr", "user_agent", "token_id"})
	id := func(n int64) string {
		if n == 0 {
			return ""
		}
		return strconv.FormatInt(n, 10)
	}
	for _, e := range page.Entries {
		_ = cw.Write([]string{id(e.ID), e.At.UTC().Format(time.RFC3339Nano), id(e.UserID), cell(e.Actor), id(e.ClinicID), id(e.PatientID),
			cell(e.Action), cell(e.Detail), cell(e.Addr), cell(e.UserAgent), id(e.TokenID)})
	}
	cw.Flush()
}

// cell defuses a text cell that a spreadsheet would take for a formula.
func cell(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

type auditData struct {
	Page   tendo.AuditPage
	Query  url.Values
	Next   string // the query of the next page
	CSV    string // the query of this page as CSV
	Errors map[string]string
}

// auditPage is the administrator's view of the log, with the filters of
// the API and a link to the next page and to the CSV.
func (s *Server) auditPage(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	d := auditData{Query: q, Errors: map[string]string{}}
	f, err := auditFilter(q)
	if err == nil {
		d.Page, err = s.svc.FindAuditEntries(r.Context(), f)
	}
	if err != nil {
		m, ok := fieldMessages(err)
		if !ok {
			s.Error(w, r, err)
			return
		}
		d.Errors = m
		s.render(w, r, http.StatusUnprocessableEntity, "audit", "Audit log", d)
		return
	}
	if d.Page.Next != 0 {
		next := url.Values{}
		for k, v := range q {
			next[k] = v
		}
		next.Set("before", strconv.FormatInt(d.Page.Next, 10))
		d.Next = next.Encode()
	}
	c := url.Values{}
	for k, v := range q {
		c[k] = v
	}
	c.Set("format", "csv")
	d.CSV = c.Encode()
	s.render(w, r, http.StatusOK, "audit", "Audit log", d)
}

// auditCSV is the page's CSV download (the session's route to the same
// export as the API's format=csv).
func (s *Server) auditCSV(w http.ResponseWriter, r *http.Request) {
	if page, ok := s.auditEntries(w, r); ok {
		writeAuditCSV(w, page)
	}
}

// auditEntries reads the page of the log the query asks for, answering
// the error itself when it cannot.
func (s *Server) auditEntries(w http.ResponseWriter, r *http.Request) (tendo.AuditPage, bool) {
	f, err := auditFilter(r.URL.Query())
	if err == nil {
		var page tendo.AuditPage
		if page, err = s.svc.FindAuditEntries(r.Context(), f); err == nil {
			return page, true
		}
	}
	s.Error(w, r, err)
	return tendo.AuditPage{}, false
}

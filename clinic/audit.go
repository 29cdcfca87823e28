package clinic

import (
	"context"
	"fmt"
	"strings"

	"github.com/tendo-health/tendo"
)

var _ tendo.AuditService = (*Service)(nil)

// maxAuditPage is the largest page FindAuditEntries returns.
const maxAuditPage = 1000

// FindAuditEntries returns one page of the audit log to an
// administrator; the read is audited with its filter.
func (s *Service) FindAuditEntries(ctx context.Context, f tendo.AuditFilter) (tendo.AuditPage, error) {
	if err := s.requireAdmin(ctx, "read the audit log"); err != nil {
		return tendo.AuditPage{}, err
	}
	switch {
	case f.Limit < 0 || f.Limit > maxAuditPage:
		return tendo.AuditPage{}, &tendo.Error{Code: tendo.EINVALID, Field: "limit", Value: fmt.Sprint(f.Limit), Message: fmt.Sprintf("must be 1 to %d", maxAuditPage)}
	case f.Before < 0:
		return tendo.AuditPage{}, &tendo.Error{Code: tendo.EINVALID, Field: "before", Value: fmt.Sprint(f.Before), Message: "must be positive"}
	case !f.From.IsZero() && !f.To.IsZero() && !f.From.Before(f.To):
		return tendo.AuditPage{}, tendo.Invalid("to", "must be after from")
	case len(f.Action) > 64:
		return tendo.AuditPage{}, tendo.Invalid("action", "is longer than 64 characters")
	}
	limit := f.Limit
	if limit == 0 {
		limit = 100
	}
	f.Limit = limit + 1 // one more tells whether there is a next page
	es, err := s.Store.AuditLog(ctx, f)
	if err != nil {
		return tendo.AuditPage{}, err
	}
	page := tendo.AuditPage{Entries: es}
	if len(es) > limit {
		page.Entries = es[:limit]
		page.Next = es[limit-1].ID
	}
	e := entry(ctx, tendo.ActionAuditRead)
	e.Detail = describe(f, len(page.Entries))
	if err := s.audit(ctx, s.Store, e); err != nil {
		return tendo.AuditPage{}, fmt.Errorf("audit the audit read: %w", err)
	}
	return page, nil
}

// describe says in the audit log what an audit read asked for.
func describe(f tendo.AuditFilter, n int) string {
	var parts []string
	if f.UserID != 0 {
		parts = append(parts, fmt.Sprintf("user %d", f.UserID))
	}
	if f.PatientID != 0 {
		parts = append(parts, fmt.Sprintf("patient %d", f.PatientID))
	}
	if f.Action != "" {
		parts = append(parts, "action "+f.Action)
	}
	if !f.From.IsZero() {
		parts = append(parts, "from "+f.From.UTC().Format("2006-01-02T15:04:05Z"))
	}
	if !f.To.IsZero() {
		parts = append(parts, "to "+f.To.UTC().Format("2006-01-02T15:04:05Z"))
	}
	if f.Before != 0 {
		parts = append(parts, fmt.Sprintf("before entry %d", f.Before))
	}
	return fmt.Sprintf("%d entries; %s", n, strings.Join(append(parts, "no filter")[:max(1, len(parts))], ", "))
}

// Record writes a security event of the actor in ctx that no service saw
// (a missing or invalid session, token or form token).
func (s *Service) Record(ctx context.Context, action, detail string) error {
	e := entry(ctx, action)
	e.Detail = detail
	return s.audit(ctx, s.Store, e)
}

package sqlstore

// issue 10: safety. The dashboard's list in one query, and the red flags
// kept with each visit.

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"

	"github.com/tendo-health/tendo"
)

// encodeFlags keeps a visit's red flags as "code:urgency" words, most
// urgent first; decodeFlags reads them back (nil for none).
func encodeFlags(fs []tendo.RedFlagMark) string {
	var b strings.Builder
	for i, f := range fs {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(f.Code)
		b.WriteByte(':')
		b.WriteString(string(f.Urgency))
	}
	return b.String()
}

func decodeFlags(s string) []tendo.RedFlagMark {
	var out []tendo.RedFlagMark
	for _, w := range strings.Fields(s) {
		code, urgency, _ := strings.Cut(w, ":")
		out = append(out, tendo.RedFlagMark{Code: code, Urgency: tendo.Urgency(urgency)})
	}
	return out
}

// likePattern is a LIKE pattern (escape character !) matching s anywhere.
func likePattern(s string) string {
	r := strings.NewReplacer("!", "!!", "%", "!%", "_", "!_")
	return "%" + r.Replace(s) + "%"
}

// PatientSummaries lists the patients q selects, with their visits and
// open links, in one query: the latest and the first visit are joined by
// their IDs (found through the assessments_patient index), the counts are
// correlated subqueries.
func (d *DB) PatientSummaries(ctx context.Context, q tendo.SummaryQuery) ([]tendo.PatientSummary, error) {
	out := []tendo.PatientSummary{}
	limit := q.Limit
	if limit <= 0 {
		limit = tendo.DefaultDashboardLimit
	}
	var where []string
	args := []any{d.ts(q.Now)}
	if q.ClinicIDs != nil {
		if len(q.ClinicIDs) == 0 {
			return out, nil
		}
		ids := slices.Compact(slices.Sorted(slices.Values(q.ClinicIDs)))
		for _, id := range ids {
			args = append(args, id)
		}
		where = append(where, "p.clinic_id IN ("+placeholders(len(ids))+")")
	}
	if s := tendo.NormalizeSearch(q.Search); s != "" {
		if err := validText("search", s); err != nil {
			return nil, err
		}
		pat := likePattern(s)
		where = append(where, "(lower(p.name) LIKE ? ESCAPE '!' OR lower(COALESCE(p.external_id, '')) LIKE ? ESCAPE '!')")
		args = append(args, pat, pat)
	}
	// SQLite reads the visits through the index that holds every column
	// read (migration 0009); Postgres keeps large documents out of line.
	indexed := ""
	if d.dialect == dialectSQLite {
		indexed = " INDEXED BY assessments_patient_order"
	}
	// Only current visits count (not amended since, not entered in
	// error), and only patients not deleted; links revoked are not open.
	const current = ` AND %[1]s.superseded_by IS NULL AND %[1]s.error_at IS NULL`
	query := `SELECT p.id, p.clinic_id, p.name, p.external_id, p.birth_year, p.created_at, p.created_by,
		(SELECT count(*) FROM assessments c` + indexed + ` WHERE c.patient_id = p.id` + fmt.Sprintf(current, "c") + `),
		(SELECT count(*) FROM questionnaire_links k WHERE k.patient_id = p.id AND k.used_at IS NULL AND k.revoked_at IS NULL AND k.expires_at > ?),
		l.id, l.date, l.classification, l.red_flags, l.visa_a, l.odi, l.nprs, l.lefs,
		f.date, f.visa_a, f.odi, f.nprs, f.lefs
	FROM patients p
	LEFT JOIN assessments l` + indexed + ` ON l.patient_id = p.id AND l.id = (SELECT a.id FROM assessments a` + indexed + ` WHERE a.patient_id = p.id` + fmt.Sprintf(current, "a") + ` ORDER BY a.date DESC, a.created_at DESC, a.id DESC LIMIT 1)
	LEFT JOIN assessments f` + indexed + ` ON f.patient_id = p.id AND f.id = (SELECT a.id FROM assessments a` + indexed + ` WHERE a.patient_id = p.id` + fmt.Sprintf(current, "a") + ` ORDER BY a.date, a.created_at, a.id LIMIT 1)`
	where = append(where, "p.deleted_at IS NULL")
	if len(where) > 0 {
		query += " WHERE " + strings.Join(where, " AND ")
	}
	query += " ORDER BY lower(p.name), p.id LIMIT ?"
	args = append(args, limit)
	rows, err := d.query(ctx, d.rq(), query, args...)
	if err != nil {
		return nil, fmt.Errorf("patient summaries: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var s tendo.PatientSummary
		var ext sql.NullString
		var by, lastID sql.NullInt64
		var at dbTime
		var lastDate, class, flags, firstDate sql.NullString
		var lv, lo, ln, ll, fv, fo, fn, fl sql.NullFloat64
		if err := rows.Scan(&s.ID, &s.ClinicID, &s.Name, &ext, &s.BirthYear, &at, &by,
			&s.Visits, &s.OpenLinks,
			&lastID, &lastDate, &class, &flags, &lv, &lo, &ln, &ll,
			&firstDate, &fv, &fo, &fn, &fl); err != nil {
			return nil, fmt.Errorf("patient summaries: %w", err)
		}
		s.ExternalID, s.CreatedAt, s.CreatedBy = ext.String, at.T, by.Int64
		s.LastVisitID, s.LastVisit, s.Classification = lastID.Int64, lastDate.String, tendo.Classification(class.String)
		s.RedFlags = decodeFlags(flags.String)
		s.Last = tendo.VisitScores{Date: lastDate.String, VISAA: floatPtr(lv), ODI: floatPtr(lo), NPRS: floatPtr(ln), LEFS: floatPtr(ll)}
		s.First = tendo.VisitScores{Date: firstDate.String, VISAA: floatPtr(fv), ODI: floatPtr(fo), NPRS: floatPtr(fn), LEFS: floatPtr(fl)}
		out = append(out, s)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("patient summaries: %w", err)
	}
	slices.SortStableFunc(out, func(a, b tendo.PatientSummary) int { return compareNames(a.Name, b.Name) })
	return out, nil
}

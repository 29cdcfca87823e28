package clinic

import (
	"context"
	"fmt"
	"maps"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/tendo-health/tendo"
	"github.com/tendo-health/tendo/passwd"
	"github.com/tendo-health/tendo/questionnaire"
)

var _ tendo.LinkService = (*Service)(nil)

// CreateLink makes a single-use questionnaire link for a patient the
// actor may see; the link and its audit entry are one transaction.
func (s *Service) CreateLink(ctx context.Context, patientID int64, insts []tendo.Instrument, ttl time.Duration) (tendo.QuestionnaireLink, string, error) {
	p, err := s.visiblePatient(ctx, patientID)
	if err != nil {
		return tendo.QuestionnaireLink{}, "", err
	}
	var l tendo.QuestionnaireLink
	var token string
	err = s.Store.InTx(ctx, func(tx tendo.Store) error {
		var err error
		l, token, err = s.createLink(ctx, tx, p, insts, ttl, tendo.ActionLinkCreate, "")
		return err
	})
	if err != nil {
		return tendo.QuestionnaireLink{}, "", err
	}
	return l, token, nil
}

// createLink stores a new link in tx with its audit entry (action, the
// detail's end more).
func (s *Service) createLink(ctx context.Context, tx tendo.Store, p tendo.PatientRecord, insts []tendo.Instrument, ttl time.Duration, action, more string) (tendo.QuestionnaireLink, string, error) {
	if err := tendo.ValidInstruments(insts); err != nil {
		return tendo.QuestionnaireLink{}, "", err
	}
	if ttl == 0 {
		ttl = tendo.DefaultLinkTTL
	}
	if ttl < 24*time.Hour || ttl > tendo.MaxLinkTTL {
		return tendo.QuestionnaireLink{}, "", tendo.Invalid("days", "A link may be valid for 1 to 30 days.")
	}
	token := passwd.Token()
	now := s.now()
	l := tendo.QuestionnaireLink{PatientID: p.ID, ClinicID: p.ClinicID, Instruments: insts, CreatedBy: tendo.ActorFrom(ctx).UserID(), CreatedAt: now, ExpiresAt: now.Add(ttl)}
	l, err := tx.CreateLink(ctx, l, passwd.TokenHash(token))
	if err != nil {
		return tendo.QuestionnaireLink{}, "", err
	}
	e := entry(ctx, action)
	e.ClinicID, e.PatientID, e.Detail = p.ClinicID, p.ID, fmt.Sprintf("link %d, %s%s", l.ID, instrumentList(l.Instruments), more)
	if err := s.audit(ctx, tx, e); err != nil {
		return tendo.QuestionnaireLink{}, "", err
	}
	return l, token, nil
}

// instrumentList is "visaA+odi+nprs".
func instrumentList(is []tendo.Instrument) string {
	ss := make([]string, len(is))
	for n, i := range is {
		ss[n] = string(i)
	}
	return strings.Join(ss, "+")
}

// patientLink returns the link linkID of a patient the actor may see.
func (s *Service) patientLink(ctx context.Context, patientID, linkID int64) (tendo.PatientRecord, tendo.QuestionnaireLink, error) {
	p, err := s.visiblePatient(ctx, patientID)
	if err != nil {
		return p, tendo.QuestionnaireLink{}, err
	}
	ls, err := s.Store.Links(ctx, p.ID)
	if err != nil {
		return p, tendo.QuestionnaireLink{}, err
	}
	for _, l := range ls {
		if l.ID == linkID {
			return p, l, nil
		}
	}
	return p, tendo.QuestionnaireLink{}, tendo.Errorf(tendo.ENOTFOUND, "Questionnaire link not found.")
}

var errLinkDone = tendo.Errorf(tendo.ECONFLICT, "Every questionnaire of this link has been answered.")

// ResendLink makes a new link for the questionnaires of an old one not
// yet answered and revokes the old one (unless it has expired), in one
// transaction.
func (s *Service) ResendLink(ctx context.Context, patientID, linkID int64, ttl time.Duration) (tendo.QuestionnaireLink, string, error) {
	p, old, err := s.patientLink(ctx, patientID, linkID)
	if err != nil {
		return tendo.QuestionnaireLink{}, "", err
	}
	var insts []tendo.Instrument
	for _, i := range old.Instruments {
		if !slices.Contains(old.Answered, i) {
			insts = append(insts, i)
		}
	}
	if old.UsedAt != nil || len(insts) == 0 {
		return tendo.QuestionnaireLink{}, "", errLinkDone
	}
	var l tendo.QuestionnaireLink
	var token string
	err = s.Store.InTx(ctx, func(tx tendo.Store) error {
		if old.RevokedAt == nil {
			if err := tx.RevokeLink(ctx, old.ID, s.now()); err != nil {
				return err
			}
		}
		var err error
		l, token, err = s.createLink(ctx, tx, p, insts, ttl, tendo.ActionLinkResend, fmt.Sprintf(", replacing link %d", old.ID))
		return err
	})
	if err != nil {
		return tendo.QuestionnaireLink{}, "", err
	}
	return l, token, nil
}

// RevokeLink ends a patient's link now, with its audit entry.
func (s *Service) RevokeLink(ctx context.Context, patientID, linkID int64) error {
	p, l, err := s.patientLink(ctx, patientID, linkID)
	if err != nil {
		return err
	}
	if l.UsedAt != nil {
		return errLinkDone
	}
	e := entry(ctx, tendo.ActionLinkRevoke)
	e.ClinicID, e.PatientID, e.Detail = p.ClinicID, p.ID, fmt.Sprintf("link %d", l.ID)
	if l.RevokedAt != nil { // revoking is idempotent; the request is still recorded
		e.Detail += ", revoked already"
		return s.audit(ctx, s.Store, e)
	}
	return s.Store.InTx(ctx, func(tx tendo.Store) error {
		if err := tx.RevokeLink(ctx, l.ID, s.now()); err != nil {
			return err
		}
		return s.audit(ctx, tx, e)
	})
}

// FindResponse returns one response of a patient the actor may see.
func (s *Service) FindResponse(ctx context.Context, patientID, responseID int64) (tendo.QuestionnaireResponse, error) {
	p, err := s.visiblePatient(ctx, patientID)
	if err != nil {
		return tendo.QuestionnaireResponse{}, err
	}
	rs, err := s.Store.Responses(ctx, p.ID)
	if err != nil {
		return tendo.QuestionnaireResponse{}, err
	}
	i := slices.IndexFunc(rs, func(r tendo.QuestionnaireResponse) bool { return r.ID == responseID })
	if i < 0 {
		return tendo.QuestionnaireResponse{}, tendo.Errorf(tendo.ENOTFOUND, "Questionnaire answers not found.")
	}
	e := entry(ctx, tendo.ActionResponseRead)
	e.ClinicID, e.PatientID, e.Detail = p.ClinicID, p.ID, fmt.Sprintf("response %d, %s", rs[i].ID, rs[i].Instrument)
	if err := s.audit(ctx, s.Store, e); err != nil {
		return tendo.QuestionnaireResponse{}, fmt.Errorf("audit response read: %w", err)
	}
	return rs[i], nil
}

// Messages for a patient holding a link that cannot be used.
var (
	errLinkInvalid  = tendo.Errorf(tendo.ENOTFOUND, "This questionnaire link is not valid. Ask your clinician for a new one.")
	errLinkAnswered = tendo.Errorf(tendo.ECONFLICT, "This questionnaire has already been answered. Thank you.")
	errLinkExpired  = tendo.Errorf(tendo.ECONFLICT, "This questionnaire link has expired. Ask your clinician for a new one.")
	errLinkRevoked  = tendo.Errorf(tendo.ECONFLICT, "This questionnaire link is no longer in use. Ask your clinician for a new one.")
	errOutOfTurn    = tendo.Errorf(tendo.ECONFLICT, "These answers are for a questionnaire that is not the next one. Please open the link again.")
)

// usableLink returns the link of a token if it exists, is unused and has
// not expired. An unknown token is audited as a denial.
func (s *Service) usableLink(ctx context.Context, token string) (tendo.QuestionnaireLink, error) {
	if len(token) < 20 || len(token) > 100 {
		s.denied(ctx, 0, 0, "malformed questionnaire link")
		return tendo.QuestionnaireLink{}, errLinkInvalid
	}
	l, err := s.Store.LinkByToken(ctx, passwd.TokenHash(token))
	switch {
	case tendo.ErrorCode(err) == tendo.ENOTFOUND:
		s.denied(ctx, 0, 0, "unknown questionnaire link")
		return l, errLinkInvalid
	case err != nil:
		return l, err
	case l.UsedAt != nil:
		return l, errLinkAnswered
	case l.RevokedAt != nil:
		return l, errLinkRevoked
	case !s.now().Before(l.ExpiresAt):
		return l, errLinkExpired
	}
	return l, nil
}

// linkEntry is an audit entry for the holder of link l.
func linkEntry(ctx context.Context, l tendo.QuestionnaireLink, action string) tendo.AuditEntry {
	e := entry(ctx, action)
	if e.UserID == 0 {
		e.Actor = fmt.Sprintf("questionnaire link %d", l.ID)
	}
	e.ClinicID, e.PatientID = l.ClinicID, l.PatientID
	return e
}

// FindLink returns a usable link (audited "link.open").
func (s *Service) FindLink(ctx context.Context, token string) (tendo.QuestionnaireLink, error) {
	l, err := s.usableLink(ctx, token)
	if err != nil {
		return l, err
	}
	e := linkEntry(ctx, l, tendo.ActionLinkOpen)
	e.Detail = fmt.Sprintf("%s, %d of %d answered", instrumentList(l.Instruments), len(l.Answered), len(l.Instruments))
	if err := s.audit(ctx, s.Store, e); err != nil {
		return tendo.QuestionnaireLink{}, fmt.Errorf("audit link open: %w", err)
	}
	return l, nil
}

// SubmitResponse scores and stores a patient's answers from a link.
func (s *Service) SubmitResponse(ctx context.Context, token string, inst tendo.Instrument, answers url.Values) (tendo.QuestionnaireResponse, tendo.Score, error) {
	l, err := s.usableLink(ctx, token)
	if err != nil {
		return tendo.QuestionnaireResponse{}, tendo.Score{}, err
	}
	if inst == "" { // a form from before links carried several questionnaires
		inst = l.Next()
	}
	if inst != l.Next() {
		return tendo.QuestionnaireResponse{}, tendo.Score{}, errOutOfTurn
	}
	doc, score, errs := questionnaire.Parse(inst, answers)
	if len(errs) > 0 {
		var es tendo.Errors
		for _, k := range slices.Sorted(maps.Keys(errs)) {
			es = append(es, tendo.Invalid(k, "%s", errs[k]))
		}
		return tendo.QuestionnaireResponse{}, tendo.Score{}, es
	}
	now := s.now()
	resp := tendo.QuestionnaireResponse{
		PatientID: l.PatientID, ClinicID: l.ClinicID, LinkID: l.ID, Instrument: inst,
		Answers: doc, Score: score.Rounded, Band: score.Band, SubmittedAt: now,
	}
	err = s.Store.InTx(ctx, func(tx tendo.Store) error {
		var err error
		if resp, err = tx.SubmitResponse(ctx, resp, now); err != nil {
			return err
		}
		e := linkEntry(ctx, l, tendo.ActionResponseSubmit)
		e.Detail = fmt.Sprintf("response %d, %s %.1f", resp.ID, inst, resp.Score)
		return s.audit(ctx, tx, e)
	})
	switch {
	case tendo.ErrorCode(err) == tendo.ECONFLICT:
		return tendo.QuestionnaireResponse{}, tendo.Score{}, errLinkAnswered
	case tendo.ErrorCode(err) == tendo.EINVALID: // expired between the check and the commit
		return tendo.QuestionnaireResponse{}, tendo.Score{}, errLinkExpired
	case err != nil:
		return tendo.QuestionnaireResponse{}, tendo.Score{}, err
	}
	return resp, score, nil
}

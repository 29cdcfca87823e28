package clinic

import (
	"context"
	"fmt"
	"maps"
	"net/url"
	"slices"
	"time"

	"github.com/tendo-health/tendo"
	"github.com/tendo-health/tendo/passwd"
	"github.com/tendo-health/tendo/questionnaire"
)

var _ tendo.LinkService = (*Service)(nil)

// CreateLink makes a single-use questionnaire link for a patient the
// actor may see; the link and its audit entry are one transaction.
func (s *Service) CreateLink(ctx context.Context, patientID int64, inst tendo.Instrument, ttl time.Duration) (tendo.QuestionnaireLink, string, error) {
	p, err := s.visiblePatient(ctx, patientID)
	if err != nil {
		return tendo.QuestionnaireLink{}, "", err
	}
	if !inst.Valid() {
		return tendo.QuestionnaireLink{}, "", &tendo.Error{Code: tendo.EINVALID, Field: "instrument", Value: string(inst), Message: "Choose one of visaA, odi, nprs, lefs."}
	}
	if ttl == 0 {
		ttl = tendo.DefaultLinkTTL
	}
	if ttl < 24*time.Hour || ttl > tendo.MaxLinkTTL {
		return tendo.QuestionnaireLink{}, "", tendo.Invalid("days", "A link may be valid for 1 to 30 days.")
	}
	token := passwd.Token()
	now := s.now()
	l := tendo.QuestionnaireLink{PatientID: p.ID, ClinicID: p.ClinicID, Instrument: inst, CreatedBy: tendo.ActorFrom(ctx).UserID(), CreatedAt: now, ExpiresAt: now.Add(ttl)}
	err = s.Store.InTx(ctx, func(tx tendo.Store) error {
		var err error
		if l, err = tx.CreateLink(ctx, l, passwd.TokenHash(token)); err != nil {
			return err
		}
		e := entry(ctx, tendo.ActionLinkCreate)
		e.ClinicID, e.PatientID, e.Detail = p.ClinicID, p.ID, fmt.Sprintf("link %d, %s", l.ID, inst)
		return s.audit(ctx, tx, e)
	})
	if err != nil {
		return tendo.QuestionnaireLink{}, "", err
	}
	return l, token, nil
}

// Messages for a patient holding a link that cannot be used.
var (
	errLinkInvalid  = tendo.Errorf(tendo.ENOTFOUND, "This questionnaire link is not valid. Ask your clinician for a new one.")
	errLinkAnswered = tendo.Errorf(tendo.ECONFLICT, "This questionnaire has already been answered. Thank you.")
	errLinkExpired  = tendo.Errorf(tendo.ECONFLICT, "This questionnaire link has expired. Ask your clinician for a new one.")
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
	e.Detail = string(l.Instrument)
	if err := s.audit(ctx, s.Store, e); err != nil {
		return tendo.QuestionnaireLink{}, fmt.Errorf("audit link open: %w", err)
	}
	return l, nil
}

// SubmitResponse scores and stores a patient's answers from a link.
func (s *Service) SubmitResponse(ctx context.Context, token string, answers url.Values) (tendo.QuestionnaireResponse, tendo.Score, error) {
	l, err := s.usableLink(ctx, token)
	if err != nil {
		return tendo.QuestionnaireResponse{}, tendo.Score{}, err
	}
	doc, score, errs := questionnaire.Parse(l.Instrument, answers)
	if len(errs) > 0 {
		var es tendo.Errors
		for _, k := range slices.Sorted(maps.Keys(errs)) {
			es = append(es, tendo.Invalid(k, "%s", errs[k]))
		}
		return tendo.QuestionnaireResponse{}, tendo.Score{}, es
	}
	now := s.now()
	resp := tendo.QuestionnaireResponse{
		PatientID: l.PatientID, ClinicID: l.ClinicID, LinkID: l.ID, Instrument: l.Instrument,
		Answers: doc, Score: score.Rounded, Band: score.Band, SubmittedAt: now,
	}
	err = s.Store.InTx(ctx, func(tx tendo.Store) error {
		var err error
		if resp, err = tx.SubmitResponse(ctx, resp, now); err != nil {
			return err
		}
		e := linkEntry(ctx, l, tendo.ActionResponseSubmit)
		e.Detail = fmt.Sprintf("response %d, %s %.1f", resp.ID, l.Instrument, resp.Score)
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

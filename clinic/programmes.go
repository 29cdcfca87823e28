package clinic

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/tendo-health/tendo"
	"github.com/tendo-health/tendo/passwd"
)

// Issue 10: programme. Home programmes chosen from a visit's plan, and
// the sessions patients log through the programme's link.

var _ tendo.ProgrammeService = (*Service)(nil)

// planItems returns the IDs of every element of a stored result's plan.
func planItems(result []byte) (map[string]bool, error) {
	var res tendo.Result
	if err := json.Unmarshal(result, &res); err != nil {
		return nil, fmt.Errorf("read the visit's plan: %w", err)
	}
	ids := map[string]bool{}
	for _, ph := range res.Plan.Phases {
		for _, c := range ph.Components {
			ids[c.ID] = true
		}
	}
	for _, c := range res.Plan.Referral {
		ids[c.ID] = true
	}
	return ids, nil
}

// CreateProgramme stores a programme chosen from a visit's plan, for a
// patient the actor may see, with its audit entry, in one transaction.
func (s *Service) CreateProgramme(ctx context.Context, np tendo.NewProgramme) (tendo.Programme, string, error) {
	p, err := s.visiblePatient(ctx, np.PatientID)
	if err != nil {
		return tendo.Programme{}, "", err
	}
	v, err := s.Store.Assessment(ctx, np.VisitID)
	if err == nil && v.PatientID != p.ID {
		s.denied(ctx, p.ClinicID, p.ID, fmt.Sprintf("assessment %d of another patient", np.VisitID))
		err = tendo.Errorf(tendo.ENOTFOUND, "No such assessment.")
	}
	if tendo.ErrorCode(err) == tendo.ENOTFOUND {
		return tendo.Programme{}, "", tendo.Errorf(tendo.ENOTFOUND, "No such assessment.")
	}
	if err != nil {
		return tendo.Programme{}, "", err
	}
	inPlan, err := planItems(v.Result)
	if err != nil {
		return tendo.Programme{}, "", err
	}
	proto, ok := tendo.FindProtocol(np.Protocol)
	switch {
	case !ok:
		return tendo.Programme{}, "", &tendo.Error{Code: tendo.EINVALID, Field: "protocol", Value: string(np.Protocol), Message: "Choose one loading protocol."}
	case !inPlan[proto.PlanItem]:
		return tendo.Programme{}, "", &tendo.Error{Code: tendo.EINVALID, Field: "protocol", Value: string(np.Protocol),
			Message: fmt.Sprintf("%s is not part of this visit's plan (its element %s is not offered).", proto.Title, proto.PlanItem)}
	}
	dose := np.Dose
	if dose == (tendo.Dose{}) {
		dose = proto.Start
	}
	errs := proto.Check(dose)
	var elements []string
	for _, id := range np.Elements {
		id = strings.TrimSpace(id)
		if _, ok := tendo.FindHomeElement(id); !ok || !inPlan[id] {
			errs = append(errs, &tendo.Error{Code: tendo.EINVALID, Field: "elements", Value: id, Message: fmt.Sprintf("%q is not an element of this visit's plan that a home programme can carry.", id)})
			continue
		}
		if !slices.Contains(elements, id) {
			elements = append(elements, id)
		}
	}
	ttl := np.TTL
	if ttl == 0 {
		ttl = tendo.DefaultProgrammeTTL
	}
	if ttl < 7*24*time.Hour || ttl > tendo.MaxProgrammeTTL {
		errs = append(errs, tendo.Invalid("days", "A programme link may be valid for 7 to %d days.", int(tendo.MaxProgrammeTTL/(24*time.Hour))))
	}
	if len(errs) > 0 {
		return tendo.Programme{}, "", errs
	}
	if elements == nil {
		elements = []string{}
	}
	token := passwd.Token()
	now := s.now()
	pr := tendo.Programme{
		PatientID: p.ID, ClinicID: p.ClinicID, VisitID: v.ID, Protocol: proto.ID, Dose: dose, Elements: elements,
		CreatedBy: tendo.ActorFrom(ctx).UserID(), CreatedAt: now, ExpiresAt: now.Add(ttl),
	}
	err = s.Store.InTx(ctx, func(tx tendo.Store) error {
		var err error
		if pr, err = tx.CreateProgramme(ctx, pr, passwd.TokenHash(token)); err != nil {
			return err
		}
		e := entry(ctx, tendo.ActionProgrammeCreate)
		e.ClinicID, e.PatientID = p.ClinicID, p.ID
		e.Detail = fmt.Sprintf("programme %d of assessment %d, %s %d×%d +%gkg %d/week", pr.ID, v.ID, proto.ID, dose.Sets, dose.Reps, dose.LoadKg, dose.PerWeek)
		return s.audit(ctx, tx, e)
	})
	if err != nil {
		return tendo.Programme{}, "", err
	}
	return pr, token, nil
}

// FindProgrammes lists a visible patient's programmes with their logs.
func (s *Service) FindProgrammes(ctx context.Context, patientID int64) ([]tendo.Programme, map[int64][]tendo.ProgrammeLog, error) {
	p, err := s.visiblePatient(ctx, patientID)
	if err != nil {
		return nil, nil, err
	}
	ps, err := s.Store.Programmes(ctx, p.ID)
	if err != nil {
		return nil, nil, err
	}
	logs := map[int64][]tendo.ProgrammeLog{}
	for _, pr := range ps {
		if logs[pr.ID], err = s.Store.ProgrammeLogs(ctx, pr.ID); err != nil {
			return nil, nil, err
		}
	}
	if err := s.read(ctx, p, tendo.ActionProgrammeList, fmt.Sprintf("%d programme(s)", len(ps))); err != nil {
		return nil, nil, err
	}
	return ps, logs, nil
}

// RevokeProgramme ends a programme's link, with its audit entry.
func (s *Service) RevokeProgramme(ctx context.Context, patientID, id int64) error {
	p, err := s.visiblePatient(ctx, patientID)
	if err != nil {
		return err
	}
	ps, err := s.Store.Programmes(ctx, p.ID)
	if err != nil {
		return err
	}
	if !slices.ContainsFunc(ps, func(pr tendo.Programme) bool { return pr.ID == id }) {
		s.denied(ctx, p.ClinicID, p.ID, fmt.Sprintf("programme %d not of this patient", id))
		return tendo.Errorf(tendo.ENOTFOUND, "No such programme.")
	}
	return s.Store.InTx(ctx, func(tx tendo.Store) error {
		if err := tx.RevokeProgramme(ctx, id, s.now()); err != nil {
			return err
		}
		e := entry(ctx, tendo.ActionProgrammeRevoke)
		e.ClinicID, e.PatientID, e.Detail = p.ClinicID, p.ID, fmt.Sprintf("programme %d", id)
		return s.audit(ctx, tx, e)
	})
}

// Messages for a patient holding a programme link that cannot be used.
var (
	errProgrammeInvalid = tendo.Errorf(tendo.ENOTFOUND, "This exercise programme link is not valid. Ask your clinician for a new one.")
	errProgrammeEnded   = tendo.Errorf(tendo.ECONFLICT, "This exercise programme has ended. Ask your clinician for a new one.")
)

// usableProgramme returns the programme of a token if it exists, is not
// revoked and has not expired. An unknown token is audited as a denial.
func (s *Service) usableProgramme(ctx context.Context, token string) (tendo.Programme, error) {
	if len(token) < 20 || len(token) > 100 {
		s.denied(ctx, 0, 0, "malformed programme link")
		return tendo.Programme{}, errProgrammeInvalid
	}
	pr, err := s.Store.ProgrammeByToken(ctx, passwd.TokenHash(token))
	switch {
	case tendo.ErrorCode(err) == tendo.ENOTFOUND:
		s.denied(ctx, 0, 0, "unknown programme link")
		return pr, errProgrammeInvalid
	case err != nil:
		return pr, err
	case !pr.Active(s.now()):
		e := programmeEntry(ctx, pr, tendo.ActionDenied)
		e.Detail = fmt.Sprintf("programme %d revoked or expired", pr.ID)
		if err := s.audit(ctx, s.Store, e); err != nil {
			s.Logger.Error("audit a denial", "err", err)
		}
		return pr, errProgrammeEnded
	}
	return pr, nil
}

// programmeEntry is an audit entry for the holder of programme pr's link.
func programmeEntry(ctx context.Context, pr tendo.Programme, action string) tendo.AuditEntry {
	e := entry(ctx, action)
	if e.UserID == 0 {
		e.Actor = fmt.Sprintf("programme link %d", pr.ID)
	}
	e.ClinicID, e.PatientID = pr.ClinicID, pr.PatientID
	return e
}

// firstName is the first word of a name: all a programme page shows.
func firstName(name string) string {
	if f := strings.Fields(name); len(f) > 0 {
		return f[0]
	}
	return ""
}

// OpenProgramme returns what the holder of a programme's link sees
// (audited "programme.open").
func (s *Service) OpenProgramme(ctx context.Context, token string) (tendo.ProgrammeView, error) {
	pr, err := s.usableProgramme(ctx, token)
	if err != nil {
		return tendo.ProgrammeView{}, err
	}
	p, err := s.Store.Patient(ctx, pr.PatientID)
	if err != nil {
		return tendo.ProgrammeView{}, err
	}
	c, err := s.Store.Clinic(ctx, pr.ClinicID)
	if err != nil {
		return tendo.ProgrammeView{}, err
	}
	logs, err := s.Store.ProgrammeLogs(ctx, pr.ID)
	if err != nil {
		return tendo.ProgrammeView{}, err
	}
	e := programmeEntry(ctx, pr, tendo.ActionProgrammeOpen)
	e.Detail = fmt.Sprintf("programme %d", pr.ID)
	if err := s.audit(ctx, s.Store, e); err != nil {
		return tendo.ProgrammeView{}, fmt.Errorf("audit programme open: %w", err)
	}
	return tendo.ProgrammeView{Programme: pr, FirstName: firstName(p.Name), Clinic: c.Name, Log: logs}, nil
}

// pain parses a 0–10 pain score for the patient.
func pain(field, v string, required bool) (*int, *tendo.Error) {
	v = strings.TrimSpace(v)
	if v == "" {
		if required {
			return nil, tendo.Invalid(field, "Choose a number from 0 (no pain) to 10 (worst pain).")
		}
		return nil, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 || n > 10 {
		return nil, &tendo.Error{Code: tendo.EINVALID, Field: field, Value: v, Message: "Choose a number from 0 (no pain) to 10 (worst pain)."}
	}
	return &n, nil
}

// MaxProgrammeLogsPerHour bounds the sessions one programme's link may
// log in an hour (in this process): a patient logs a few a day, a stolen
// link cannot flood the log and the audit trail.
const MaxProgrammeLogsPerHour = 30

// logRate counts each programme's recent logs: programme ID → times.
var logRate = struct {
	sync.Mutex
	at map[int64][]time.Time
}{at: map[int64][]time.Time{}}

// allowLog records a log of programme id at now unless the hour's
// budget is spent.
func allowLog(id int64, now time.Time) bool {
	logRate.Lock()
	defer logRate.Unlock()
	ts := slices.DeleteFunc(logRate.at[id], func(t time.Time) bool { return now.Sub(t) >= time.Hour || t.After(now) })
	if len(ts) >= MaxProgrammeLogsPerHour {
		logRate.at[id] = ts
		return false
	}
	logRate.at[id] = append(ts, now)
	return true
}

// LogProgramme records a session from the holder of a programme's link.
func (s *Service) LogProgramme(ctx context.Context, token, date, during, morning string) (tendo.ProgrammeLog, error) {
	pr, err := s.usableProgramme(ctx, token)
	if err != nil {
		return tendo.ProgrammeLog{}, err
	}
	if !allowLog(pr.ID, s.now()) {
		e := programmeEntry(ctx, pr, tendo.ActionDenied)
		e.Detail = fmt.Sprintf("programme %d: more than %d logs in an hour", pr.ID, MaxProgrammeLogsPerHour)
		if err := s.audit(ctx, s.Store, e); err != nil {
			s.Logger.Error("audit a denial", "err", err)
		}
		return tendo.ProgrammeLog{}, tendo.Errorf(tendo.ETOOMANY, "Too many entries in a short time. Please try again in an hour.")
	}
	var errs tendo.Errors
	now := s.now().UTC()
	date = strings.TrimSpace(date)
	d, perr := time.Parse(time.DateOnly, date)
	switch {
	case perr != nil:
		errs = append(errs, &tendo.Error{Code: tendo.EINVALID, Field: "date", Value: date, Message: "Give the day of the exercise session."})
	case d.After(now.AddDate(0, 0, 1)): // a day's grace for time zones
		errs = append(errs, &tendo.Error{Code: tendo.EINVALID, Field: "date", Value: date, Message: "The day cannot be in the future."})
	case d.Before(pr.CreatedAt.UTC().Truncate(24*time.Hour).AddDate(0, 0, -1)):
		errs = append(errs, &tendo.Error{Code: tendo.EINVALID, Field: "date", Value: date, Message: "The day cannot be before your programme started."})
	}
	dur, e1 := pain("during", during, true)
	if e1 != nil {
		errs = append(errs, e1)
	}
	mor, e2 := pain("morning", morning, false)
	if e2 != nil {
		errs = append(errs, e2)
	}
	if len(errs) > 0 {
		return tendo.ProgrammeLog{}, errs
	}
	l := tendo.ProgrammeLog{ProgrammeID: pr.ID, Date: date, During: *dur, Morning: mor}
	err = s.Store.InTx(ctx, func(tx tendo.Store) error {
		var err error
		if l, err = tx.LogProgramme(ctx, l); err != nil {
			return err
		}
		e := programmeEntry(ctx, pr, tendo.ActionProgrammeLog)
		e.Detail = fmt.Sprintf("programme %d, session %s", pr.ID, date)
		return s.audit(ctx, tx, e)
	})
	if err != nil {
		return tendo.ProgrammeLog{}, err
	}
	return l, nil
}

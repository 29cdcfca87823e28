package web

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/tendo-health/tendo"
	"github.com/tendo-health/tendo/chart"
)

// Issue 10: programme. The clinician chooses a home programme from a
// visit's plan (/patients/{id}/programmes), prints it or sends its link;
// the patient opens the link (/h/{token}) on a phone, does the exercises
// and logs pain during loading and the next morning; the log and the
// review's proposal show on the patient page beside the timeline.

func init() {
	flashes["programme-revoked"] = "Programme link revoked: it no longer opens."
}

// programmeRow is one programme as the clinician sees it.
type programmeRow struct {
	tendo.Programme
	Proto    tendo.Protocol
	Status   string
	Active   bool
	Log      []tendo.ProgrammeLog
	Proposal tendo.Proposal
	// Propose is the proposal's kind in words.
	Propose  string
	Elements []tendo.HomeElement
}

// proposalWords are the review's proposals in words.
var proposalWords = map[string]string{
	tendo.ProposeProgress: "progress",
	tendo.ProposeHold:     "hold the dose",
	tendo.ProposeRegress:  "regress",
	tendo.ProposeTooFew:   "too few sessions to judge",
}

// programmeRows lists a patient's programmes with their logs and the
// review's proposal at today.
func (s *Server) programmeRows(r *http.Request, patientID int64) ([]programmeRow, error) {
	ps, logs, err := s.svc.FindProgrammes(r.Context(), patientID)
	if err != nil {
		return nil, err
	}
	now := s.Now()
	today := now.UTC().Format(time.DateOnly)
	var rows []programmeRow
	for _, p := range ps {
		proto, _ := tendo.FindProtocol(p.Protocol)
		row := programmeRow{Programme: p, Proto: proto, Log: logs[p.ID], Active: p.Active(now)}
		switch {
		case p.RevokedAt != nil:
			row.Status = "revoked " + p.RevokedAt.UTC().Format(time.DateOnly)
		case !row.Active:
			row.Status = "ended " + p.ExpiresAt.UTC().Format(time.DateOnly)
		default:
			row.Status = "active until " + p.ExpiresAt.UTC().Format(time.DateOnly)
		}
		row.Proposal = tendo.Propose(proto, p.Dose, row.Log, today)
		row.Propose = proposalWords[row.Proposal.Kind]
		for _, id := range p.Elements {
			if e, ok := tendo.FindHomeElement(id); ok {
				row.Elements = append(row.Elements, e)
			}
		}
		rows = append(rows, row)
	}
	return rows, nil
}

// programmesData is the clinician's programme page.
type programmesData struct {
	Patient     tendo.PatientRecord
	Visit       tendo.StoredAssessment
	NoVisit     bool
	Protocols   []tendo.Protocol    // offered by the visit's plan
	Elements    []tendo.HomeElement // offered by the visit's plan
	Values      map[string]string
	Checked     map[string]bool
	Errors      map[string]string
	NewLink     string
	NewLinkTill time.Time
	Rows        []programmeRow
}

// programmesPageData reads the patient, the visit (?visit= or the form's
// visit, else the latest), what its plan offers, and the programmes.
func (s *Server) programmesPageData(r *http.Request, visitID int64) (programmesData, error) {
	ctx := r.Context()
	pid := pathID(r, "id")
	p, err := s.svc.FindPatient(ctx, pid)
	if err != nil {
		return programmesData{}, err
	}
	d := programmesData{Patient: p, Values: map[string]string{}, Checked: map[string]bool{}, Errors: map[string]string{}}
	if visitID == 0 {
		vs, err := s.svc.FindVisits(ctx, p.ID)
		if err != nil {
			return d, err
		}
		if len(vs) == 0 {
			d.NoVisit = true
		} else {
			visitID = vs[len(vs)-1].ID
		}
	}
	if visitID != 0 {
		if d.Visit, err = s.svc.FindVisit(ctx, p.ID, visitID, false); err != nil {
			return d, err
		}
		var res tendo.Result
		if err := json.Unmarshal(d.Visit.Result, &res); err != nil {
			return d, fmt.Errorf("visit %d: %w", visitID, err)
		}
		in := map[string]bool{}
		for _, ph := range res.Plan.Phases {
			for _, c := range ph.Components {
				in[c.ID] = true
			}
		}
		for _, pr := range tendo.Protocols {
			if in[pr.PlanItem] {
				d.Protocols = append(d.Protocols, pr)
			}
		}
		for _, e := range tendo.HomeElements {
			if in[e.PlanItem] {
				d.Elements = append(d.Elements, e)
			}
		}
	}
	if len(d.Protocols) > 0 {
		d.Values["protocol"] = string(d.Protocols[0].ID)
	}
	d.Values["days"] = "84"
	d.Rows, err = s.programmeRows(r, p.ID)
	return d, err
}

func (s *Server) programmesPage(w http.ResponseWriter, r *http.Request) {
	vid, _ := strconv.ParseInt(r.URL.Query().Get("visit"), 10, 64)
	d, err := s.programmesPageData(r, max(vid, 0))
	if err != nil {
		s.Error(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "programmes", "Home programme · "+d.Patient.Name, d)
}

func (s *Server) createProgramme(w http.ResponseWriter, r *http.Request) {
	f := r.PostForm
	vid, _ := strconv.ParseInt(f.Get("visit"), 10, 64)
	errs := map[string]string{}
	// An empty dose field is the chosen protocol's starting value.
	start, _ := tendo.FindProtocol(tendo.ProtocolID(f.Get("protocol")))
	atoi := func(k string, empty int) int {
		v := strings.TrimSpace(f.Get(k))
		if v == "" {
			return empty
		}
		n, err := strconv.Atoi(v)
		if err != nil {
			errs[k] = "Enter a whole number."
		}
		return n
	}
	np := tendo.NewProgramme{PatientID: pathID(r, "id"), VisitID: vid, Protocol: tendo.ProtocolID(f.Get("protocol")), Elements: f["elements"]}
	np.Dose.Sets, np.Dose.Reps, np.Dose.PerWeek = atoi("sets", start.Start.Sets), atoi("reps", start.Start.Reps), atoi("perWeek", start.Start.PerWeek)
	np.Dose.LoadKg = start.Start.LoadKg
	if v := strings.TrimSpace(f.Get("loadKg")); v != "" {
		load, err := strconv.ParseFloat(v, 64)
		if err != nil {
			errs["loadKg"] = "Enter the added load in kg (0 for body weight)."
		}
		np.Dose.LoadKg = load
	}
	days := atoi("days", int(tendo.DefaultProgrammeTTL/(24*time.Hour)))
	np.TTL = time.Duration(days) * 24 * time.Hour
	if days <= 0 {
		np.TTL = -1
	}
	var pr tendo.Programme
	var token string
	var base string
	var err error
	if len(errs) == 0 {
		if base, err = s.linkBase(r); err == nil {
			pr, token, err = s.svc.CreateProgramme(r.Context(), np)
		}
		if err != nil {
			m, ok := fieldMessages(err)
			if !ok {
				s.Error(w, r, err)
				return
			}
			errs = m
		}
	}
	d, derr := s.programmesPageData(r, max(vid, 0))
	if derr != nil {
		s.Error(w, r, derr)
		return
	}
	if len(errs) > 0 {
		for _, k := range []string{"protocol", "sets", "reps", "loadKg", "perWeek", "days"} {
			d.Values[k] = f.Get(k)
		}
		clear(d.Checked)
		for _, e := range f["elements"] {
			d.Checked[e] = true
		}
		d.Errors = errs
		s.render(w, r, http.StatusUnprocessableEntity, "programmes", "Home programme · "+d.Patient.Name, d)
		return
	}
	d.NewLink, d.NewLinkTill = base+"/h/"+token, pr.ExpiresAt
	s.render(w, r, http.StatusOK, "programmes", "Home programme · "+d.Patient.Name, d)
}

func (s *Server) revokeProgramme(w http.ResponseWriter, r *http.Request) {
	if err := s.svc.RevokeProgramme(r.Context(), pathID(r, "id"), pathID(r, "pid")); err != nil {
		s.Error(w, r, err)
		return
	}
	http.Redirect(w, r, fmt.Sprintf("/patients/%d/programmes?flash=programme-revoked", pathID(r, "id")), http.StatusSeeOther)
}

// programmeLogSVG is the small chart of a programme's log.
func (s *Server) programmeLogSVG(w http.ResponseWriter, r *http.Request) {
	rows, err := s.programmeRows(r, pathID(r, "id"))
	if err != nil {
		s.Error(w, r, err)
		return
	}
	i := slices.IndexFunc(rows, func(p programmeRow) bool { return p.ID == pathID(r, "pid") })
	if i < 0 {
		s.Error(w, r, tendo.Errorf(tendo.ENOTFOUND, "No such programme."))
		return
	}
	w.Header().Set("Content-Type", "image/svg+xml")
	w.Header().Set("Cache-Control", "no-store")
	_, _ = w.Write(chart.PainLog(rows[i].Log))
}

// homeData is the patient's programme page (the link) and the printed
// one (the clinician's print).
type homeData struct {
	FirstName string
	Clinic    string
	Proto     tendo.Protocol
	Dose      tendo.Dose
	DoseText  string
	Elements  []tendo.HomeElement
	Log       []tendo.ProgrammeLog
	Token     string // "" when printed by the clinician
	Until     time.Time
	Today     string
	Values    url.Values
	Errors    map[string]string
	Saved     bool
	Pain      []int
}

// doseText says a dose plainly, for the patient.
func doseText(p tendo.Protocol, d tendo.Dose) string {
	var parts []string
	if len(p.Exercises) > 0 && p.Exercises[0].Timed {
		parts = append(parts, fmt.Sprintf("%d holds of %d seconds", d.Sets, p.Exercises[0].Seconds))
	} else {
		parts = append(parts, fmt.Sprintf("%d sets of %d", d.Sets, d.Reps))
	}
	if d.LoadKg > 0 {
		parts = append(parts, fmt.Sprintf("with %s kg added", strconv.FormatFloat(d.LoadKg, 'f', -1, 64)))
	} else {
		parts = append(parts, "with your body weight")
	}
	switch d.PerWeek {
	case 14:
		parts = append(parts, "twice a day, every day")
	case 7:
		parts = append(parts, "once a day, every day")
	default:
		parts = append(parts, fmt.Sprintf("%d times a week, with a rest day between", d.PerWeek))
	}
	return strings.Join(parts, ", ")
}

func newHomeData(firstName, clinic string, p tendo.Programme, log []tendo.ProgrammeLog, now time.Time) homeData {
	proto, _ := tendo.FindProtocol(p.Protocol)
	d := homeData{FirstName: firstName, Clinic: clinic, Proto: proto, Dose: p.Dose, DoseText: doseText(proto, p.Dose),
		Log: log, Until: p.ExpiresAt, Today: now.UTC().Format(time.DateOnly), Values: url.Values{}, Errors: map[string]string{},
		Pain: []int{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10}}
	for _, id := range p.Elements {
		if e, ok := tendo.FindHomeElement(id); ok {
			d.Elements = append(d.Elements, e)
		}
	}
	return d
}

// printProgramme is the printable programme for the clinician to hand
// over: the patient's page without the log form.
func (s *Server) printProgramme(w http.ResponseWriter, r *http.Request) {
	rows, err := s.programmeRows(r, pathID(r, "id"))
	if err != nil {
		s.Error(w, r, err)
		return
	}
	i := slices.IndexFunc(rows, func(p programmeRow) bool { return p.ID == pathID(r, "pid") })
	if i < 0 {
		s.Error(w, r, tendo.Errorf(tendo.ENOTFOUND, "No such programme."))
		return
	}
	p, err := s.svc.FindPatient(r.Context(), pathID(r, "id"))
	if err != nil {
		s.Error(w, r, err)
		return
	}
	first := ""
	if f := strings.Fields(p.Name); len(f) > 0 {
		first = f[0]
	}
	s.render(w, r, http.StatusOK, "programme", "Your exercise programme", newHomeData(first, "", rows[i].Programme, nil, s.Now()))
}

func (s *Server) homePage(w http.ResponseWriter, r *http.Request) {
	ctx := s.anonymous(r)
	v, err := s.svc.OpenProgramme(ctx, r.PathValue("token"))
	if err != nil {
		s.linkError(w, r, err)
		return
	}
	d := newHomeData(v.FirstName, v.Clinic, v.Programme, v.Log, s.Now())
	d.Token = r.PathValue("token")
	d.Saved = r.URL.Query().Get("saved") == "1"
	w.Header().Set("Cache-Control", "no-store")
	s.render(w, r, http.StatusOK, "programme", "Your exercise programme", d)
}

func (s *Server) logHome(w http.ResponseWriter, r *http.Request) {
	ctx := s.anonymous(r)
	if err := r.ParseForm(); err != nil {
		s.Error(w, r, tendo.Errorf(tendo.EINVALID, "The form could not be read."))
		return
	}
	token := r.PathValue("token")
	f := r.PostForm
	_, err := s.svc.LogProgramme(ctx, token, f.Get("date"), f.Get("during"), f.Get("morning"))
	if err == nil {
		http.Redirect(w, r, "/h/"+token+"?saved=1#log", http.StatusSeeOther)
		return
	}
	m, ok := fieldMessages(err)
	if !ok {
		s.linkError(w, r, err)
		return
	}
	v, verr := s.svc.OpenProgramme(ctx, token)
	if verr != nil {
		s.linkError(w, r, verr)
		return
	}
	d := newHomeData(v.FirstName, v.Clinic, v.Programme, v.Log, s.Now())
	d.Token, d.Values, d.Errors = token, f, m
	w.Header().Set("Cache-Control", "no-store")
	s.render(w, r, http.StatusUnprocessableEntity, "programme", "Your exercise programme", d)
}

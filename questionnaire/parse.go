package questionnaire

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"strings"

	"github.com/tendo-health/tendo"
)

// FormErrorKey is the key, in the errors Parse returns, of a message about
// the form as a whole rather than one field.
const FormErrorKey = "_form"

// The messages Parse returns for one field, in plain words for the
// patient.
const (
	MsgRequired = "Please choose an answer."
	MsgInvalid  = "Please choose one of the answers shown."
	MsgOnlyOne  = "Please choose only one answer."
)

const (
	msgTooMany  = "Please answer this section: no more than %d sections may be left blank."
	msgFormMany = "Please answer at least %d of the %d sections; %d were left blank."
	msgUnknown  = "This questionnaire is not known."
	msgUnscored = "This answer could not be scored. Please check it."
	msgNoScore  = "Your answers could not be scored. Please check them and send them again."
)

// Parse reads the submitted values of instrument i's form, builds the
// contract's PROM structure from them and scores it with the tendo
// scoring functions.
//
// On success it returns the answers as the contract's JSON (json.Marshal
// of the tendo structure: {"answers":[...]} for VISA-A, ODI and LEFS, a
// bare number for NPRS, as under "proms" in an assessment), the score,
// and nil errors. Otherwise it returns nil, a zero Score and one message
// per field in plain words, keyed by the field's name ("q3"), with
// FormErrorKey for the form as a whole.
//
// Every non-optional item needs exactly one value, and the value must be
// one of the item's Choice.FormValue strings (surrounding spaces are
// ignored): a missing, unknown or repeated value is an error, and nothing
// is guessed. Fields that are not items (a CSRF token, a submit button)
// are ignored. Parse never panics, whatever the values.
func Parse(i tendo.Instrument, values url.Values) (answersJSON []byte, score tendo.Score, errs map[string]string) {
	f, ok := forms[i]
	if !ok {
		return nil, tendo.Score{}, map[string]string{FormErrorKey: msgUnknown}
	}
	errs = make(map[string]string)
	// chosen[n] is the answer to item n; nil when unanswered or skipped.
	chosen := make([]*Choice, len(f.Items))
	var blank []string // optional items left blank
	missing := 0       // optional items left blank or skipped
	for n := range f.Items {
		it := &f.Items[n]
		vs := values[it.Key]
		switch {
		case len(vs) > 1:
			errs[it.Key] = MsgOnlyOne
		case len(vs) == 0 || strings.TrimSpace(vs[0]) == "":
			if it.Optional {
				blank = append(blank, it.Key)
				missing++
			} else {
				errs[it.Key] = MsgRequired
			}
		default:
			c, ok := it.choice(strings.TrimSpace(vs[0]))
			switch {
			case !ok:
				errs[it.Key] = MsgInvalid
			case c.Skip:
				missing++
			default:
				chosen[n] = &c
			}
		}
	}
	if missing > f.MaxMissing && missing > 0 {
		for _, k := range blank {
			errs[k] = fmt.Sprintf(msgTooMany, f.MaxMissing)
		}
		errs[FormErrorKey] = fmt.Sprintf(msgFormMany, len(f.Items)-f.MaxMissing, len(f.Items), missing)
	}
	if len(errs) > 0 {
		return nil, tendo.Score{}, errs
	}

	var (
		v   any
		err error
	)
	switch i {
	case tendo.InstrumentVISAA:
		m := &tendo.VISAA{Answers: make([]tendo.VISAAAnswer, len(chosen))}
		for n, c := range chosen {
			if c.Group != "" {
				m.Answers[n].Item8 = &tendo.VISAAItem8{Branch: tendo.VISAABranch(c.Group), Points: c.Value}
			} else {
				m.Answers[n].Points = c.Value
			}
		}
		v = m
		score, err = tendo.ScoreVISAA(m)
	case tendo.InstrumentODI:
		m := &tendo.ODI{Answers: make([]*int, len(chosen))}
		for n, c := range chosen {
			if c != nil {
				p := c.Value
				m.Answers[n] = &p
			}
		}
		v = m
		score, err = tendo.ScoreODI(m)
	case tendo.InstrumentNPRS:
		n := chosen[0].Value
		v = n
		score, err = tendo.ScoreNPRS(n)
	case tendo.InstrumentLEFS:
		m := &tendo.LEFS{Answers: make([]int, len(chosen))}
		for n, c := range chosen {
			m.Answers[n] = c.Value
		}
		v = m
		score, err = tendo.ScoreLEFS(m)
	}
	if err != nil {
		return nil, tendo.Score{}, scoreErrors(f, err)
	}
	answersJSON, err = json.Marshal(v)
	if err != nil {
		return nil, tendo.Score{}, map[string]string{FormErrorKey: msgNoScore}
	}
	return answersJSON, score, nil
}

// scoreErrors turns a scoring error into messages keyed by field. The
// forms offer only scoreable answers, so this happens only if a form and
// the scoring rules disagree.
func scoreErrors(f *Form, err error) map[string]string {
	errs := map[string]string{FormErrorKey: msgNoScore}
	var list tendo.ScoreErrors
	if errors.As(err, &list) {
		for _, e := range list {
			if e != nil && e.Item >= 0 && e.Item < len(f.Items) {
				errs[f.Items[e.Item].Key] = msgUnscored
			}
		}
	}
	return errs
}

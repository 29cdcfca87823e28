package assess

import (
	"fmt"

	"github.com/tendo-health/tendo"
)

// Lint checks a result's plan against its own red flags, probabilities
// and classification, and returns one line per contradiction (none for a
// consistent plan). The rules:
//
//   - "continue loading" (tag continues-loading) needs a loading element;
//   - "no routine imaging" never stands beside an emergency or urgent red
//     flag, whose action images at once;
//   - neural mobilisation needs a lumbar contribution of at least the
//     unlikely threshold;
//   - "refer if not better after 12 weeks" (late-referral) never stands
//     beside an emergency or urgent red flag;
//   - "keep running" and "return to running" never stand together;
//   - no loading, stretching or running element with a suspected rupture
//     or partial tear, fracture, infection, DVT, critical ischaemia or
//     cauda equina syndrome;
//   - no heavy loading with the fluoroquinolone flag;
//   - a plan with a lumbar source carries cauda-equina safety-netting;
//   - an other-cause plan names the next step for its leading
//     differential;
//   - an urgent-referral plan starts with the referral.
func (e *Engine) Lint(res *tendo.Result) []string {
	tags := map[string][]string{} // tag → element ids
	present := map[string]bool{}
	add := func(it tendo.PlanItem) {
		present[it.ID] = true
		for _, t := range e.tags[it.ID] {
			tags[t] = append(tags[t], it.ID)
		}
	}
	for _, it := range res.Plan.Referral {
		add(it)
	}
	for _, ph := range res.Plan.Phases {
		for _, it := range ph.Components {
			add(it)
		}
	}
	var out []string
	problem := func(format string, args ...any) { out = append(out, fmt.Sprintf(format, args...)) }
	urgent := false
	for _, f := range res.RedFlags {
		if f.Urgency == tendo.Emergency || f.Urgency == tendo.Urgent {
			urgent = true
		}
	}
	if len(tags["continues-loading"]) > 0 && len(tags["loading"]) == 0 {
		problem("%v says to continue loading, but the plan has no loading element", tags["continues-loading"])
	}
	if urgent && len(tags["no-routine-imaging"]) > 0 {
		problem("%v advises no routine imaging beside an emergency or urgent red flag", tags["no-routine-imaging"])
	}
	if len(tags["neural"]) > 0 && res.Probabilities.LumbarContribution < e.unlike {
		problem("%v offers neural mobilisation with a lumbar contribution of %.2f", tags["neural"], res.Probabilities.LumbarContribution)
	}
	if urgent && len(tags["late-referral"]) > 0 {
		problem("%v refers only after weeks of treatment beside an emergency or urgent red flag", tags["late-referral"])
	}
	if len(tags["keep-running"]) > 0 && len(tags["return-to-running"]) > 0 {
		problem("%v says keep running and %v says return to running", tags["keep-running"], tags["return-to-running"])
	}
	f := facts{res: res, e: e}
	if f.noLoading() {
		for _, t := range []string{"loading", "heavy", "stretch", "keep-running", "return-to-running", "continues-loading"} {
			if len(tags[t]) > 0 {
				problem("%v (%s) contradicts a suspected rupture, fracture, infection, DVT, ischaemia or cauda equina syndrome", tags[t], t)
			}
		}
	}
	if f.flag("fluoroquinolone-tendon-risk") && len(tags["heavy"]) > 0 {
		problem("%v is heavy loading beside the fluoroquinolone flag", tags["heavy"])
	}
	lumbar := res.Classification == tendo.LumbarReferred || res.Classification == tendo.Mixed || res.Probabilities.LumbarContribution >= e.unlike
	if lumbar && len(tags["ces-safety-net"]) == 0 {
		problem("a lumbar source without cauda-equina safety-netting")
	}
	if res.Classification == tendo.OtherCause {
		lead, ok := res.LeadingDifferential()
		if !ok {
			problem("other-cause with an empty differential")
		} else if !anyPresent(e.leadItems[lead.Code], present) {
			problem("other-cause without a next step for the leading differential %s", lead.Code)
		}
	}
	if res.Classification == tendo.UrgentReferral && !present["urgent-referral"] {
		problem("urgent-referral without the referral element")
	}
	return out
}

func anyPresent(ids []string, present map[string]bool) bool {
	for _, id := range ids {
		if present[id] {
			return true
		}
	}
	return false
}

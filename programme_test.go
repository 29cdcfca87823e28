package tendo_test

import (
	"testing"

	"github.com/tendo-health/tendo"
)

func session(date string, during int, morning ...int) tendo.ProgrammeLog {
	l := tendo.ProgrammeLog{Date: date, During: during}
	if len(morning) > 0 {
		l.Morning = &morning[0]
	}
	return l
}

func TestPropose(t *testing.T) {
	t.Parallel()
	hsr, _ := tendo.FindProtocol(tendo.ProtocolHSR)
	alf, _ := tendo.FindProtocol(tendo.ProtocolAlfredson)
	iso, _ := tendo.FindProtocol(tendo.ProtocolConservative)
	start := tendo.Dose{Sets: 3, Reps: 15, LoadKg: 10, PerWeek: 3}
	daily := tendo.Dose{Sets: 3, Reps: 15, LoadKg: 10, PerWeek: 14}
	for _, tc := range []struct {
		name string
		p    tendo.Protocol
		dose tendo.Dose
		logs []tendo.ProgrammeLog
		kind string
		want tendo.Dose
	}{
		{"calm week progresses HSR towards 6RM", hsr, start,
			[]tendo.ProgrammeLog{session("2026-11-02", 1, 0), session("2026-11-04", 2, 2), session("2026-11-06", 0, 1)},
			tendo.ProposeProgress, tendo.Dose{Sets: 3, Reps: 13, LoadKg: 15, PerWeek: 3}},
		{"a morning at 1/10 after 0/10 during is settled", hsr, start,
			[]tendo.ProgrammeLog{session("2026-11-02", 0, 1), session("2026-11-04", 2, 2), session("2026-11-06", 1, 2)},
			tendo.ProposeProgress, tendo.Dose{Sets: 3, Reps: 13, LoadKg: 15, PerWeek: 3}},
		{"pain above 5 regresses", hsr, start,
			[]tendo.ProgrammeLog{session("2026-11-02", 6, 3), session("2026-11-04", 2, 2), session("2026-11-06", 0, 1)},
			tendo.ProposeRegress, tendo.Dose{Sets: 3, Reps: 15, LoadKg: 5, PerWeek: 3}},
		{"not settled next morning regresses", alf, daily,
			[]tendo.ProgrammeLog{session("2026-11-05", 3, 5)},
			tendo.ProposeRegress, tendo.Dose{Sets: 3, Reps: 15, LoadKg: 5, PerWeek: 14}},
		{"morning pain rising week on week regresses", alf, daily,
			[]tendo.ProgrammeLog{session("2026-10-28", 3, 1), session("2026-10-30", 3, 1), session("2026-11-03", 4, 3), session("2026-11-05", 4, 3), session("2026-11-07", 4, 3)},
			tendo.ProposeRegress, tendo.Dose{Sets: 3, Reps: 15, LoadKg: 5, PerWeek: 14}},
		{"within 5 and settled holds", alf, daily,
			[]tendo.ProgrammeLog{session("2026-11-02", 4, 3), session("2026-11-04", 3, 2), session("2026-11-06", 4, 3)},
			tendo.ProposeHold, daily},
		{"too few sessions", hsr, start,
			[]tendo.ProgrammeLog{session("2026-11-06", 1, 0)},
			tendo.ProposeTooFew, start},
		{"sessions older than a week are not judged", hsr, start,
			[]tendo.ProgrammeLog{session("2026-10-01", 9, 9), session("2026-11-06", 1, 0)},
			tendo.ProposeTooFew, start},
		{"a morning not yet given does not count as calm", hsr, start,
			[]tendo.ProgrammeLog{session("2026-11-02", 1), session("2026-11-04", 1, 1), session("2026-11-06", 1, 1)},
			tendo.ProposeHold, start},
		{"body weight only never adds load", iso, iso.Start,
			[]tendo.ProgrammeLog{session("2026-11-02", 0, 0), session("2026-11-04", 0, 0), session("2026-11-06", 0, 0)},
			tendo.ProposeHold, iso.Start},
		{"eccentric without load regresses repetitions", alf, tendo.Dose{Sets: 3, Reps: 15, PerWeek: 14},
			[]tendo.ProgrammeLog{session("2026-11-06", 7, 4)},
			tendo.ProposeRegress, tendo.Dose{Sets: 3, Reps: 10, PerWeek: 14}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got := tendo.Propose(tc.p, tc.dose, tc.logs, "2026-11-07")
			if got.Kind != tc.kind || got.Dose != tc.want {
				t.Errorf("Propose = %s %+v (%s), want %s %+v", got.Kind, got.Dose, got.Reason, tc.kind, tc.want)
			}
			if got.Reason == "" {
				t.Error("no reason given")
			}
			if errs := tc.p.Check(got.Dose); len(errs) > 0 {
				t.Errorf("proposed dose out of bounds: %v", errs)
			}
		})
	}
}

func TestProtocolCheck(t *testing.T) {
	t.Parallel()
	hsr, _ := tendo.FindProtocol(tendo.ProtocolHSR)
	for _, tc := range []struct {
		name   string
		dose   tendo.Dose
		fields []string
	}{
		{"start", hsr.Start, nil},
		{"6RM heavy", tendo.Dose{Sets: 4, Reps: 6, LoadKg: 80, PerWeek: 3}, nil},
		{"too many reps", tendo.Dose{Sets: 3, Reps: 20, PerWeek: 3}, []string{"reps"}},
		{"everything off", tendo.Dose{Sets: 9, Reps: 1, LoadKg: -1, PerWeek: 7}, []string{"sets", "reps", "loadKg", "perWeek"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			errs := hsr.Check(tc.dose)
			var got []string
			for _, e := range errs {
				got = append(got, e.Field)
			}
			if len(got) != len(tc.fields) {
				t.Fatalf("fields %v, want %v", got, tc.fields)
			}
			for i := range got {
				if got[i] != tc.fields[i] {
					t.Errorf("fields %v, want %v", got, tc.fields)
				}
			}
		})
	}
}

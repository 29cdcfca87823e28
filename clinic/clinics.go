package clinic

import (
	"context"

	"github.com/tendo-health/tendo"
)

// FindClinics lists the clinics the actor may see, by name.
func (s *Service) FindClinics(ctx context.Context) ([]tendo.Clinic, error) {
	a := tendo.ActorFrom(ctx)
	if a.User == nil && a.System == "" {
		return nil, tendo.Errorf(tendo.EUNAUTHORIZED, "Please log in.")
	}
	all, err := s.Store.Clinics(ctx)
	if err != nil {
		return nil, err
	}
	out := []tendo.Clinic{}
	for _, c := range all {
		if a.CanSee(c.ID) {
			out = append(out, c)
		}
	}
	return out, nil
}

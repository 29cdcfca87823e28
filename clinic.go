package tendo

import "time"

// Clinic is a practice whose patients its clinicians share. Clinics are
// managed through the UserService.
type Clinic struct {
	ID        int64     `json:"id"`
	Name      string    `json:"name"`
	CreatedAt time.Time `json:"createdAt"`
}

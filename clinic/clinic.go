package clinic

import (
	"context"
	"log/slog"
	"runtime"
	"sync"
	"time"

	"github.com/tendo-health/tendo"
)

// Service implements every tendo service over one store. It is safe for
// concurrent use; set its fields before the first call.
type Service struct {
	Store    tendo.Store
	Assessor tendo.Assessor
	// GaitAnalyzer analyses uploaded gait-lab trials; nil, an upload is
	// EINTERNAL ("gait analysis is not available"). A trial takes one of
	// the AssessSlots while it is analysed.
	GaitAnalyzer tendo.GaitAnalyzer
	Logger       *slog.Logger
	// Now returns the current time (tests replace it).
	Now func() time.Time

	// SessionTTL is the absolute lifetime of a login (12 hours), and
	// IdleTimeout ends a session unused for that long (30 minutes).
	SessionTTL  time.Duration
	IdleTimeout time.Duration
	// HashSlots is how many password checks (argon2id, 64 MiB each) may
	// run at once (default: the number of cores); HashWait how long a
	// login waits for a slot before it gets ETOOMANY (default 2 s).
	HashSlots int
	HashWait  time.Duration
	// CheckPassword checks a password against its hash (default
	// passwd.Check); tests count the checks through it.
	CheckPassword func(hash, password string) error
	// AssessSlots is how many assessments may run at once (default: twice
	// the number of cores; with the reference intervals one takes about
	// 70 ms of a core); AssessWait how long a request waits for a slot
	// before it gets ETOOMANY (default 3 s). An overloaded server so
	// answers the excess at once with 429 instead of letting every request
	// slow down until all time out, and never starts an assessment whose
	// client has gone.
	AssessSlots int
	AssessWait  time.Duration
	// ResultCache, when positive, keeps the results of that many recent
	// assessments and answers a repeated assessment from them, without an
	// assessment slot (resultcache.go). 0 (the zero Service and New)
	// assesses every call; tendo serve sets DefaultResultCache.
	ResultCache int

	cacheOnce sync.Once
	cache     *resultCache

	hashOnce   sync.Once
	hashes     chan struct{}
	assessOnce sync.Once
	assessing  chan struct{}
}

// DefaultResultCache is the number of results tendo serve keeps: about
// 1,024 × 20 kB of encoded results at most.
const DefaultResultCache = 1024

// New returns a Service with the default settings.
func New(store tendo.Store, assessor tendo.Assessor, logger *slog.Logger) *Service {
	if logger == nil {
		logger = slog.Default()
	}
	return &Service{
		Store: store, Assessor: assessor, Logger: logger, Now: time.Now,
		SessionTTL: tendo.DefaultSessionTTL, IdleTimeout: tendo.DefaultIdleTimeout,
		HashSlots: runtime.NumCPU(), HashWait: 2 * time.Second,
		AssessSlots: 2 * runtime.NumCPU(), AssessWait: 3 * time.Second,
	}
}

func (s *Service) now() time.Time { return s.Now() }

// entry is an audit entry for the actor in ctx, with the request's
// address, user agent and token.
func entry(ctx context.Context, action string) tendo.AuditEntry {
	a := tendo.ActorFrom(ctx)
	return tendo.AuditEntry{
		UserID: a.UserID(), Actor: a.Name(), Action: action,
		Addr: a.Addr, UserAgent: a.UserAgent, TokenID: a.TokenID,
	}
}

// audit writes an entry through st (the store, or a transaction's
// store).
func (s *Service) audit(ctx context.Context, st tendo.Store, e tendo.AuditEntry) error {
	e.At = s.now()
	return st.Audit(ctx, e)
}

// user returns the acting user, EUNAUTHORIZED when there is none (the
// system is not a user).
func user(ctx context.Context) (tendo.User, error) {
	a := tendo.ActorFrom(ctx)
	if a.User == nil {
		return tendo.User{}, tendo.Errorf(tendo.EUNAUTHORIZED, "Please log in.")
	}
	return *a.User, nil
}

// requireAdmin returns EFORBIDDEN (audited as a denial) unless the actor
// is an admin or the system, EUNAUTHORIZED for nobody.
func (s *Service) requireAdmin(ctx context.Context, what string) error {
	a := tendo.ActorFrom(ctx)
	if a.Admin() {
		return nil
	}
	if a.User == nil {
		return tendo.Errorf(tendo.EUNAUTHORIZED, "Please log in.")
	}
	s.denied(ctx, 0, 0, what)
	return tendo.Errorf(tendo.EFORBIDDEN, "Only an administrator may %s.", what)
}

// denied records a refused request; the refusal stands whether or not
// the entry could be written (a failure is logged).
func (s *Service) denied(ctx context.Context, clinicID, patientID int64, detail string) {
	e := entry(ctx, tendo.ActionDenied)
	e.ClinicID, e.PatientID, e.Detail = clinicID, patientID, detail
	if err := s.audit(ctx, s.Store, e); err != nil {
		s.Logger.Error("audit a denial", "err", err)
	}
}

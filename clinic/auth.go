package clinic

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/tendo-health/tendo"
	"github.com/tendo-health/tendo/passwd"
)

var _ tendo.AuthService = (*Service)(nil)

// Login limits: failures (and attempts still being checked) allowed
// within LoginWindow under each key. An attempt from a known device
// counts under the device only; any other under the account and the
// client's address.
const (
	LoginWindow     = 15 * time.Minute
	MaxFailsAccount = 5
	MaxFailsAddress = 20
	MaxFailsDevice  = 5
)

// touchEvery is how often a session's last activity is written: at most
// once a minute, so that page views do not each cost a committed write.
const touchEvery = time.Minute

// maxTokenLength bounds a cookie, device or API token before it is
// hashed; real ones are 43 characters.
const maxTokenLength = 128

// errBadLogin is the one answer to a wrong e-mail address, a wrong
// password and a disabled user.
var errBadLogin = tendo.Errorf(tendo.EUNAUTHORIZED, "The e-mail address or the password is wrong.")

// slots returns the semaphore of password-hashing slots.
func (s *Service) slots() chan struct{} {
	s.hashOnce.Do(func() {
		n := s.HashSlots
		if n <= 0 {
			n = runtime.NumCPU()
		}
		s.hashes = make(chan struct{}, n)
	})
	return s.hashes
}

// withHashSlot runs fn (an argon2id hash or check, 64 MiB each) holding
// one of HashSlots slots, so that memory stays bounded whatever the
// number of requests: ETOOMANY when no slot frees within HashWait.
func (s *Service) withHashSlot(ctx context.Context, fn func() error) error {
	wait := s.HashWait
	if wait <= 0 {
		wait = 2 * time.Second
	}
	slots := s.slots()
	t := time.NewTimer(wait)
	defer t.Stop()
	select {
	case slots <- struct{}{}:
	case <-t.C:
		return tendo.Errorf(tendo.ETOOMANY, "The server is busy checking passwords; try again in a moment.")
	case <-ctx.Done():
		return ctx.Err()
	}
	defer func() { <-slots }()
	return fn()
}

// check checks a password against a hash in a hashing slot.
func (s *Service) check(ctx context.Context, hash, password string) error {
	return s.withHashSlot(ctx, func() error {
		if hash == "" {
			hash = dummyHash()
		}
		f := s.CheckPassword
		if f == nil {
			f = passwd.Check
		}
		return f(hash, password)
	})
}

// hash hashes a new password in a hashing slot.
func (s *Service) hash(ctx context.Context, password string) (string, error) {
	var h string
	err := s.withHashSlot(ctx, func() error {
		var err error
		h, err = passwd.Hash(password)
		return err
	})
	return h, err
}

// dummyHash is checked against when the e-mail address is unknown, so
// that the answer takes as long as for a real account; it is made on
// first use, in the hashing slot of that use.
var dummyHash = sync.OnceValue(func() string {
	h, err := passwd.Hash("not a real password, only for timing")
	if err != nil {
		panic(err)
	}
	return h
})

// normEmail is an e-mail address as the store keeps it.
func normEmail(email string) string { return strings.ToLower(strings.TrimSpace(email)) }

// checkLengths refuses login input too long to be worth any work.
func checkLengths(email, password string) error {
	if len(email) > tendo.MaxEmailLength {
		return tendo.Invalid("email", "An e-mail address has at most %d characters.", tendo.MaxEmailLength)
	}
	if len(password) > tendo.MaxPasswordLength {
		return tendo.Invalid("password", "A password has at most %d characters.", tendo.MaxPasswordLength)
	}
	return nil
}

// Login checks the credentials and starts a session; see
// tendo.AuthService.
//
// The order of the work bounds what an attacker can make it do: input is
// length-checked first; then one store transaction counts the recent
// failures and, under the limits, reserves this attempt's place among
// them (so a hundred parallel guesses cannot all pass a check of "fewer
// than five"); only then is a password checked, in one of HashSlots
// slots. An unknown account is checked against a dummy hash the same
// way. A success deletes its reservation; a failure keeps it.
func (s *Service) Login(ctx context.Context, c tendo.Credentials) (tendo.Login, error) {
	if err := checkLengths(c.Email, c.Password); err != nil {
		return tendo.Login{}, err
	}
	email := normEmail(c.Email)
	a := tendo.ActorFrom(ctx)
	now := s.now()
	fail := func(action, detail string) {
		e := entry(ctx, action)
		e.Detail = detail
		if err := s.audit(ctx, s.Store, e); err != nil {
			s.Logger.Error("audit a login", "action", action, "err", err)
		}
	}

	// A browser that logged in to this account before is limited under
	// its own key, so that others' failures cannot lock its owner out.
	device := ""
	if c.Device != "" && len(c.Device) <= maxTokenLength {
		h := passwd.TokenHash(c.Device)
		uid, err := s.Store.DeviceUser(ctx, h, now)
		switch tendo.ErrorCode(err) {
		case "":
			if u, err := s.Store.User(ctx, uid); err == nil && u.Email == email {
				device = h
			}
		case tendo.ENOTFOUND:
		default:
			return tendo.Login{}, err
		}
	}
	var limits []tendo.LoginLimit
	if device != "" {
		limits = []tendo.LoginLimit{{Key: "device:" + device, Max: MaxFailsDevice}}
	} else {
		limits = []tendo.LoginLimit{
			{Key: "account:" + email, Max: MaxFailsAccount},
			{Key: "addr:" + a.Addr, Max: MaxFailsAddress},
		}
	}
	reservation, err := s.Store.ReserveLoginAttempt(ctx, limits, now.Add(-LoginWindow), now)
	if err != nil {
		if tendo.ErrorCode(err) == tendo.ETOOMANY {
			fail(tendo.ActionLoginLimited, "too many failures: "+email)
		}
		return tendo.Login{}, err
	}
	release := func() {
		// A background context: the release must happen even when the
		// client has gone.
		if err := s.Store.ReleaseLoginAttempt(context.WithoutCancel(ctx), reservation); err != nil {
			s.Logger.Error("release a login attempt", "err", err)
		}
	}

	u, err := s.Store.UserByEmail(ctx, email)
	known := err == nil
	if err != nil && tendo.ErrorCode(err) != tendo.ENOTFOUND {
		release()
		return tendo.Login{}, err
	}
	err = s.check(ctx, u.PasswordHash, c.Password) // "" (unknown): the dummy hash
	switch {
	case tendo.ErrorCode(err) == tendo.ETOOMANY || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded):
		// No password was checked: the attempt does not count.
		release()
		if tendo.ErrorCode(err) == tendo.ETOOMANY {
			fail(tendo.ActionLoginLimited, "no password-check slot: "+email)
		}
		return tendo.Login{}, err
	// issue 11: cds-clinic: a CDS client's user never logs in.
	case known && u.Role == tendo.RoleCDSClient:
		fail(tendo.ActionLoginFailure, "a CDS client cannot log in: "+email)
		return tendo.Login{}, errBadLogin
	// end issue 11: cds-clinic
	case err != nil && !errors.Is(err, passwd.ErrMismatch):
		s.Logger.Error("login: check password", "user", u.ID, "err", err)
		fail(tendo.ActionLoginFailure, "unusable password hash: "+email)
		return tendo.Login{}, errBadLogin
	case err != nil || !known:
		fail(tendo.ActionLoginFailure, "wrong e-mail address or password: "+email)
		return tendo.Login{}, errBadLogin
	case u.DisabledAt != nil:
		fail(tendo.ActionLoginFailure, "disabled user: "+email)
		return tendo.Login{}, errBadLogin
	}
	release()

	token := passwd.Token()
	sess := tendo.Session{
		ID: passwd.TokenHash(token), UserID: u.ID, CSRF: passwd.Token(),
		CreatedAt: now, ExpiresAt: now.Add(s.sessionTTL()), LastSeenAt: now,
	}
	login := tendo.Login{User: u, Session: sess, Token: token, Device: c.Device}
	err = s.Store.InTx(ctx, func(st tendo.Store) error {
		if err := st.CreateSession(ctx, sess); err != nil {
			return err
		}
		if device == "" {
			login.Device = passwd.Token()
			if err := st.CreateDevice(ctx, passwd.TokenHash(login.Device), u.ID, now.Add(tendo.DefaultDeviceTTL)); err != nil {
				return err
			}
		}
		e := entry(ctx, tendo.ActionLoginSuccess)
		e.UserID, e.Actor = u.ID, tendo.Actor{User: &u}.Name()
		if device != "" {
			e.Detail = "from a known device"
		}
		return s.audit(ctx, st, e)
	})
	if err != nil {
		return tendo.Login{}, fmt.Errorf("start session: %w", err)
	}
	return login, nil
}

func (s *Service) sessionTTL() time.Duration {
	if s.SessionTTL <= 0 {
		return tendo.DefaultSessionTTL
	}
	return s.SessionTTL
}

// AuthenticateSession returns the user and session of a cookie token;
// see tendo.AuthService. A session idle for IdleTimeout, or of a disabled
// user, is deleted.
func (s *Service) AuthenticateSession(ctx context.Context, token string) (tendo.User, tendo.Session, error) {
	ended := tendo.Errorf(tendo.EUNAUTHORIZED, "Your session has ended; please log in again.")
	if token == "" || len(token) > maxTokenLength {
		return tendo.User{}, tendo.Session{}, tendo.Errorf(tendo.EUNAUTHORIZED, "Please log in.")
	}
	now := s.now()
	sess, err := s.Store.Session(ctx, passwd.TokenHash(token), now)
	if err != nil {
		if tendo.ErrorCode(err) == tendo.ENOTFOUND {
			return tendo.User{}, tendo.Session{}, ended
		}
		return tendo.User{}, tendo.Session{}, err
	}
	if s.IdleTimeout > 0 && now.Sub(sess.LastSeenAt) >= s.IdleTimeout {
		if err := s.Store.DeleteSession(ctx, sess.ID); err != nil {
			return tendo.User{}, tendo.Session{}, err
		}
		return tendo.User{}, tendo.Session{}, ended
	}
	u, err := s.Store.User(ctx, sess.UserID)
	if err != nil {
		if tendo.ErrorCode(err) == tendo.ENOTFOUND {
			return tendo.User{}, tendo.Session{}, ended
		}
		return tendo.User{}, tendo.Session{}, err
	}
	if u.DisabledAt != nil || u.Role == tendo.RoleCDSClient { // issue 11: cds-clinic: no session of a CDS client
		if err := s.Store.DeleteSession(ctx, sess.ID); err != nil {
			return tendo.User{}, tendo.Session{}, err
		}
		return tendo.User{}, tendo.Session{}, ended
	}
	if now.Sub(sess.LastSeenAt) >= touchEvery || now.Before(sess.LastSeenAt) {
		if err := s.Store.TouchSession(ctx, sess.ID, now); err != nil {
			return tendo.User{}, tendo.Session{}, err
		}
		sess.LastSeenAt = now
	}
	return u, sess, nil
}

// Logout ends the actor's session.
func (s *Service) Logout(ctx context.Context) error {
	a := tendo.ActorFrom(ctx)
	if a.SessionID == "" {
		return nil
	}
	return s.Store.InTx(ctx, func(st tendo.Store) error {
		if err := st.DeleteSession(ctx, a.SessionID); err != nil {
			return err
		}
		return s.audit(ctx, st, entry(ctx, tendo.ActionLogout))
	})
}

// LogoutEverywhere ends every session of the actor.
func (s *Service) LogoutEverywhere(ctx context.Context) error {
	u, err := user(ctx)
	if err != nil {
		return err
	}
	return s.Store.InTx(ctx, func(st tendo.Store) error {
		n, err := st.DeleteUserSessions(ctx, u.ID, "")
		if err != nil {
			return err
		}
		e := entry(ctx, tendo.ActionLogoutEverywhere)
		e.Detail = fmt.Sprintf("%d sessions ended", n)
		return s.audit(ctx, st, e)
	})
}

// Prune deletes what the login machinery no longer needs: failures
// older than LoginWindow, sessions expired or idle for IdleTimeout, and
// expired devices.
func (s *Service) Prune(ctx context.Context) error {
	if !tendo.ActorFrom(ctx).Admin() {
		return tendo.Errorf(tendo.EFORBIDDEN, "Only the system may prune.")
	}
	now := s.now()
	err := errors.Join(
		s.Store.DeleteLoginFailures(ctx, now.Add(-LoginWindow)),
		s.Store.DeleteExpiredSessions(ctx, now),
		s.Store.DeleteExpiredDevices(ctx, now),
	)
	if s.IdleTimeout > 0 {
		err = errors.Join(err, s.Store.DeleteIdleSessions(ctx, now.Add(-s.IdleTimeout)))
	}
	return err
}

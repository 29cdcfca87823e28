package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/tendo-health/tendo"
	"github.com/tendo-health/tendo/clinic"
	"github.com/tendo-health/tendo/passwd"
	"github.com/tendo-health/tendo/sqlstore"
)

func userCommand() *command {
	return &command{
		name:    "user",
		summary: "create, disable and enable users; create, list and revoke API tokens",
		usage: `tendo user manages the people who log in to tendo serve. Every change is
written to the audit log as the system ("system (cli)").

Usage:
  tendo user <command> [flags]`,
		subs: []*command{userAddCommand(), userEnableCommand("disable", true), userEnableCommand("enable", false), userTokenCommand()},
	}
}

// openService opens the database and the services over it, acting as
// the command line.
func openService(ctx context.Context, dsn string) (context.Context, *clinic.Service, func(), error) {
	store, err := sqlstore.Open(ctx, dsn)
	if err != nil {
		return nil, nil, nil, fmt.Errorf("open the database %s: %w", redact(dsn), err)
	}
	svc := clinic.New(store, nil, nil)
	return tendo.SystemContext(ctx, "cli"), svc, func() { store.Close() }, nil
}

// userByEmail finds a user by e-mail address, as an input error when
// there is none.
func userByEmail(ctx context.Context, svc *clinic.Service, cmd, email string) (tendo.User, error) {
	u, err := svc.Store.UserByEmail(ctx, strings.ToLower(strings.TrimSpace(email)))
	if tendo.ErrorCode(err) == tendo.ENOTFOUND {
		return tendo.User{}, badInputf("%s: no user %s", cmd, email)
	}
	return u, err
}

// serviceError turns a service's refusal of the caller's input into an
// input error (exit code 2).
func serviceError(cmd string, err error) error {
	switch tendo.ErrorCode(err) {
	case tendo.EINVALID, tendo.ECONFLICT, tendo.ENOTFOUND:
		var e *tendo.Error
		msg := tendo.ErrorMessage(err)
		if errors.As(err, &e) && e.Field != "" {
			msg = "--" + e.Field + ": " + msg
		}
		return badInputf("%s: %s", cmd, msg)
	}
	return err
}

const userAddUsage = `Usage: tendo user add --email ADDRESS --name NAME --role admin|clinician
                      [--clinic NAME]... [--password-stdin] [--db DSN]

Creates a user (the first one is usually an administrator). --role is
required. Clinics named with --clinic are created when they do not exist.
The password is read from standard input with --password-stdin; otherwise
a random one is generated and printed once. Passwords are stored as
argon2id hashes.`

func userAddCommand() *command {
	return &command{
		name:    "add",
		summary: "create a user",
		usage:   userAddUsage,
		run: func(ctx context.Context, m *Main, args []string) error {
			fs := newFlagSet("user add")
			email := fs.String("email", "", "e-mail `address` (the login)")
			name := fs.String("name", "", "the person's `name`")
			role := fs.String("role", "", "`role`: admin or clinician (required)")
			var clinics listFlag
			fs.Var(&clinics, "clinic", "a clinic `NAME` the user belongs to (repeatable)")
			stdin := fs.Bool("password-stdin", false, "read the password from standard input")
			dsn := dbFlag(fs)
			pos, err := parseArgs(m, fs, userAddUsage, args)
			if err != nil {
				return err
			}
			if len(pos) > 0 {
				return badInputf("user add takes no arguments")
			}
			e := strings.ToLower(strings.TrimSpace(*email))
			switch {
			case !strings.Contains(e, "@"):
				return badInputf("user add: --email: %q is not an e-mail address", *email)
			case strings.TrimSpace(*name) == "":
				return badInputf("user add: --name is required")
			case *role == "":
				return badInputf("user add: --role is required: admin or clinician")
			case !tendo.Role(*role).Valid():
				return badInputf("user add: --role %q is not admin or clinician", *role)
			case *role == string(tendo.RoleClinician) && len(clinics) == 0:
				return badInputf("user add: a clinician needs at least one --clinic")
			}
			pw := ""
			if *stdin {
				line, err := bufio.NewReader(m.Stdin).ReadString('\n')
				if err != nil && line == "" {
					return badInputf("user add: no password on standard input")
				}
				pw = strings.TrimRight(line, "\r\n")
				if len(pw) < passwd.MinLength {
					return badInputf("user add: the password needs at least %d characters", passwd.MinLength)
				}
			} else {
				pw = passwd.Generate()
			}
			ctx, svc, done, err := openService(ctx, *dsn)
			if err != nil {
				return err
			}
			defer done()
			var ids []int64
			existing, err := svc.FindClinics(ctx)
			if err != nil {
				return err
			}
			for _, cn := range clinics {
				found := false
				for _, c := range existing {
					if strings.EqualFold(c.Name, cn) {
						ids, found = append(ids, c.ID), true
						break
					}
				}
				if !found {
					c, err := svc.CreateClinic(ctx, cn)
					if err != nil {
						return serviceError("user add", err)
					}
					fmt.Fprintf(m.Stdout, "created clinic %q\n", c.Name)
					ids = append(ids, c.ID)
				}
			}
			u, err := svc.CreateUser(ctx, tendo.NewUser{Email: e, Name: *name, Role: tendo.Role(*role), Password: pw, ClinicIDs: ids})
			if err != nil {
				return serviceError("user add", err)
			}
			fmt.Fprintf(m.Stdout, "created %s %s (user %d)\n", u.Role, u.Email, u.ID)
			if !*stdin {
				fmt.Fprintf(m.Stdout, "password: %s\n(shown once; an administrator can reset it on the Administration page)\n", pw)
			}
			return nil
		},
	}
}

// userEnableCommand is "user disable" (disable true) or "user enable".
func userEnableCommand(name string, disable bool) *command {
	usage := `Usage: tendo user ` + name + ` --email ADDRESS [--db DSN]

`
	summary := "enable a disabled user"
	if disable {
		usage += `Disables a user: their sessions end at once, their API tokens stop
working, and they cannot log in until enabled again.`
		summary = "disable a user (ends their sessions; their tokens stop working)"
	} else {
		usage += `Enables a disabled user again. Their sessions stay ended; their tokens
work again unless revoked or expired.`
	}
	return &command{
		name:    name,
		summary: summary,
		usage:   usage,
		run: func(ctx context.Context, m *Main, args []string) error {
			fs := newFlagSet("user " + name)
			email := fs.String("email", "", "the user's e-mail `address`")
			dsn := fs.String("db", "tendo.db", "database: a SQLite `file` or a postgres:// URL")
			pos, err := parseArgs(m, fs, usage, args)
			if err != nil {
				return err
			}
			if len(pos) > 0 || *email == "" {
				return badInputf("user %s: --email is required (see 'tendo user %s --help')", name, name)
			}
			ctx, svc, done, err := openService(ctx, *dsn)
			if err != nil {
				return err
			}
			defer done()
			u, err := userByEmail(ctx, svc, "user "+name, *email)
			if err != nil {
				return err
			}
			if u, err = svc.UpdateUser(ctx, u.ID, tendo.UserUpdate{Disabled: &disable}); err != nil {
				return serviceError("user "+name, err)
			}
			fmt.Fprintf(m.Stdout, "%sd %s (user %d)\n", name, u.Email, u.ID)
			return nil
		},
	}
}

const userTokenUsage = `Usage: tendo user token --email ADDRESS [--name NAME] [--days N] [--db DSN]
       tendo user token list --email ADDRESS [--db DSN]
       tendo user token revoke --id N [--db DSN]

The first form creates an API token for a user and prints it once; it
lasts --days days (90 by default, at most 366). Send it to the JSON API
as "Authorization: Bearer <token>". list shows a user's tokens (name,
created, expires, last used, revoked); revoke stops a token at once.`

func userTokenCommand() *command {
	return &command{
		name:    "token",
		summary: "create, list or revoke API tokens",
		usage:   userTokenUsage,
		run: func(ctx context.Context, m *Main, args []string) error {
			if len(args) > 0 {
				switch args[0] {
				case "list":
					return userTokenList(ctx, m, args[1:])
				case "revoke":
					return userTokenRevoke(ctx, m, args[1:])
				case "create":
					args = args[1:]
				}
			}
			fs := newFlagSet("user token")
			email := fs.String("email", "", "the user's e-mail `address`")
			name := fs.String("name", "cli", "a `name` for the token")
			days := fs.Int("days", 90, "how many `days` the token lasts (at most 366)")
			dsn := dbFlag(fs)
			pos, err := parseArgs(m, fs, userTokenUsage, args)
			if err != nil {
				return err
			}
			if len(pos) > 0 || *email == "" {
				return badInputf("user token: --email is required (see 'tendo user token --help')")
			}
			if *days <= 0 || time.Duration(*days)*24*time.Hour > tendo.MaxTokenTTL {
				return badInputf("user token: --days: a token lasts from 1 to 366 days")
			}
			ctx, svc, done, err := openService(ctx, *dsn)
			if err != nil {
				return err
			}
			defer done()
			u, err := userByEmail(ctx, svc, "user token", *email)
			if err != nil {
				return err
			}
			_, secret, err := svc.CreateToken(ctx, u.ID, *name, time.Duration(*days)*24*time.Hour)
			if err != nil {
				return serviceError("user token", err)
			}
			fmt.Fprintln(m.Stdout, secret)
			return nil
		},
	}
}

func userTokenList(ctx context.Context, m *Main, args []string) error {
	fs := newFlagSet("user token list")
	email := fs.String("email", "", "the user's e-mail `address`")
	dsn := fs.String("db", "tendo.db", "database: a SQLite `file` or a postgres:// URL")
	pos, err := parseArgs(m, fs, userTokenUsage, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 || *email == "" {
		return badInputf("user token list: --email is required")
	}
	ctx, svc, done, err := openService(ctx, *dsn)
	if err != nil {
		return err
	}
	defer done()
	u, err := userByEmail(ctx, svc, "user token list", *email)
	if err != nil {
		return err
	}
	ts, err := svc.FindTokens(ctx, u.ID)
	if err != nil {
		return err
	}
	when := func(t *time.Time) string {
		if t == nil {
			return "-"
		}
		return t.UTC().Format("2006-01-02 15:04")
	}
	tw := tabwriter.NewWriter(m.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tNAME\tCREATED\tEXPIRES\tLAST USED\tREVOKED")
	for _, t := range ts {
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\n", t.ID, t.Name, when(&t.CreatedAt), when(&t.ExpiresAt), when(t.LastUsedAt), when(t.RevokedAt))
	}
	return tw.Flush()
}

func userTokenRevoke(ctx context.Context, m *Main, args []string) error {
	fs := newFlagSet("user token revoke")
	id := fs.Int64("id", 0, "the token's `ID` (see tendo user token list)")
	dsn := fs.String("db", "tendo.db", "database: a SQLite `file` or a postgres:// URL")
	pos, err := parseArgs(m, fs, userTokenUsage, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 || *id <= 0 {
		return badInputf("user token revoke: --id is required")
	}
	ctx, svc, done, err := openService(ctx, *dsn)
	if err != nil {
		return err
	}
	defer done()
	if err := svc.RevokeToken(ctx, *id); err != nil {
		return serviceError("user token revoke", err)
	}
	fmt.Fprintf(m.Stdout, "revoked token %d\n", *id)
	return nil
}

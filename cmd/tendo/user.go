package main

import (
	"bufio"
	"context"
	"fmt"
	"strings"

	"github.com/tendo-health/tendo"
	"github.com/tendo-health/tendo/passwd"
	"github.com/tendo-health/tendo/sqlstore"
)

func userCommand() *command {
	return &command{
		name:    "user",
		summary: "create users and API tokens",
		usage: `tendo user manages the people who log in to tendo serve.

Usage:
  tendo user <command> [flags]`,
		subs: []*command{userAddCommand(), userTokenCommand()},
	}
}

const userAddUsage = `Usage: tendo user add --email ADDRESS --name NAME [--role admin|clinician]
                      [--clinic NAME]... [--password-stdin] [--db DSN]

Creates a user (the first one is usually an administrator). Clinics named
with --clinic are created when they do not exist. The password is read from
standard input with --password-stdin; otherwise a random one is generated
and printed once. Passwords are stored as argon2id hashes.`

func userAddCommand() *command {
	return &command{
		name:    "add",
		summary: "create a user",
		usage:   userAddUsage,
		run: func(ctx context.Context, m *Main, args []string) error {
			fs := newFlagSet("user add")
			email := fs.String("email", "", "e-mail `address` (the login)")
			name := fs.String("name", "", "the person's `name`")
			role := fs.String("role", "admin", "`role`: admin or clinician")
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
			store, err := sqlstore.Open(ctx, *dsn)
			if err != nil {
				return fmt.Errorf("open the database %s: %w", redact(*dsn), err)
			}
			defer store.Close()
			var ids []int64
			existing, err := store.Clinics(ctx)
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
					c, err := store.CreateClinic(ctx, cn)
					if err != nil {
						return err
					}
					fmt.Fprintf(m.Stdout, "created clinic %q\n", c.Name)
					ids = append(ids, c.ID)
				}
			}
			hash, err := passwd.Hash(pw)
			if err != nil {
				return err
			}
			u, err := store.CreateUser(ctx, tendo.User{Email: e, Name: strings.TrimSpace(*name), Role: tendo.Role(*role), PasswordHash: hash, ClinicIDs: ids})
			if err != nil {
				if tendo.ErrorCode(err) == tendo.ECONFLICT {
					return badInputf("user add: a user with the e-mail address %s exists", e)
				}
				return err
			}
			fmt.Fprintf(m.Stdout, "created %s %s (user %d)\n", u.Role, u.Email, u.ID)
			if !*stdin {
				fmt.Fprintf(m.Stdout, "password: %s\n(shown once; change it by creating a new user if it is lost)\n", pw)
			}
			return nil
		},
	}
}

const userTokenUsage = `Usage: tendo user token --email ADDRESS [--name NAME] [--db DSN]

Creates an API token for a user and prints it once. Send it to the JSON
API as "Authorization: Bearer <token>".`

func userTokenCommand() *command {
	return &command{
		name:    "token",
		summary: "create an API token for a user",
		usage:   userTokenUsage,
		run: func(ctx context.Context, m *Main, args []string) error {
			fs := newFlagSet("user token")
			email := fs.String("email", "", "the user's e-mail `address`")
			name := fs.String("name", "cli", "a `name` for the token")
			dsn := dbFlag(fs)
			pos, err := parseArgs(m, fs, userTokenUsage, args)
			if err != nil {
				return err
			}
			if len(pos) > 0 || *email == "" {
				return badInputf("user token: --email is required (see 'tendo user token --help')")
			}
			store, err := sqlstore.Open(ctx, *dsn)
			if err != nil {
				return fmt.Errorf("open the database %s: %w", redact(*dsn), err)
			}
			defer store.Close()
			u, err := store.UserByEmail(ctx, strings.ToLower(strings.TrimSpace(*email)))
			if err != nil {
				if tendo.ErrorCode(err) == tendo.ENOTFOUND {
					return badInputf("user token: no user %s", *email)
				}
				return err
			}
			token := passwd.Token()
			if _, err := store.CreateAPIToken(ctx, u.ID, *name, passwd.TokenHash(token)); err != nil {
				return err
			}
			fmt.Fprintln(m.Stdout, token)
			return nil
		},
	}
}

package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"techbridge/market"
)

// runAdmin handles "admin create": a platform admin, reviewer, registrar or finance account.
func runAdmin(ctx context.Context, args []string, stdout io.Writer) error {
	if len(args) == 0 || args[0] != "create" {
		return errors.New("usage: techbridge admin create --email E [--password P] [--name N] [--role admin|reviewer|registrar|finance]")
	}
	var c config
	fs := flag.NewFlagSet("admin create", flag.ContinueOnError)
	dataFlags(fs, &c)
	email := fs.String("email", "", "the admin's email")
	password := fs.String("password", env("TECHBRIDGE_ADMIN_PASSWORD", ""), "password, at least 10 characters (TECHBRIDGE_ADMIN_PASSWORD)")
	name := fs.String("name", "Administrator", "display name")
	role := fs.String("role", market.RoleAdmin, "admin, reviewer, registrar or finance")
	if err := parse(fs, args[1:], stdout); err != nil {
		return err
	}
	svc, db, err := c.openService(ctx, c.logger(os.Stderr))
	if err != nil {
		return err
	}
	defer db.Close()
	acc, err := svc.CreateAdmin(ctx, market.NewAccount{Email: *email, Password: *password, DisplayName: *name}, *role)
	if err != nil {
		return cliError(err)
	}
	fmt.Fprintf(stdout, "%s %s is now %s\n", acc.Email, acc.ID, acc.PlatformRole)
	return nil
}

// cliError spells out a market error with its fields for a terminal;
// internal errors keep their whole chain.
func cliError(err error) error {
	var me *market.Error
	if !errors.As(err, &me) {
		return err
	}
	var b strings.Builder
	b.WriteString(me.Message)
	for _, f := range me.Fields {
		fmt.Fprintf(&b, "\n  %s: %s", f.Field, f.Message)
	}
	return errors.New(b.String())
}

package main

import (
	"context"
	"flag"
	"log/slog"
	"path/filepath"
	"time"

	"techbridge/market"
	"techbridge/market/mail"
)

// mailConfig chooses where mail goes.
type mailConfig struct {
	SMTPURL string // smtp://user:pass@host:port; empty = log and data-dir folder
	From    string
	Every   time.Duration // how often the outbox is polled
}

func mailFlags(fs *flag.FlagSet, c *mailConfig) {
	fs.StringVar(&c.SMTPURL, "smtp-url", env("TECHBRIDGE_SMTP_URL", ""), "smtp://user:pass@host:port of the mail relay (STARTTLS when offered); empty = mail is written to the log and <data-dir>/mail (TECHBRIDGE_SMTP_URL)")
	fs.StringVar(&c.From, "mail-from", env("TECHBRIDGE_MAIL_FROM", "noreply@techbridge.local"), "sender address of the platform's mail (TECHBRIDGE_MAIL_FROM)")
	fs.DurationVar(&c.Every, "mail-every", envDuration("TECHBRIDGE_MAIL_EVERY", 2*time.Second), "how often the mail outbox is sent (TECHBRIDGE_MAIL_EVERY)")
}

// mailer returns the SMTP relay when one is configured, else the folder.
func (c mailConfig) mailer(dataDir string, log *slog.Logger) (market.Mailer, error) {
	if c.SMTPURL == "" {
		return mail.Folder{Dir: filepath.Join(dataDir, "mail"), Log: log}, nil
	}
	return mail.NewSMTP(c.SMTPURL, c.From)
}

// startMail sends the outbox in the background, on the one instance that
// holds the mail lease; the returned func stops it and waits.
func startMail(ctx context.Context, svc *market.Service, m market.Mailer, every time.Duration) func() {
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		svc.RunMailOutbox(ctx, m, market.NewID(), every)
	}()
	return func() { cancel(); <-done }
}

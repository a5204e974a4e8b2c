package market

import (
	"context"
	"slices"
	"time"
)

// MailLease is the lease under which one instance sends the outbox.
const MailLease = "mail"

// Outbox retry bounds: the first retry after mailRetryBase, doubling up to
// mailRetryMax; a mail is never dropped for failing, only delayed.
const (
	mailRetryBase = 15 * time.Second
	mailRetryMax  = time.Hour
)

// mailBackoff is the wait before attempt n+1 after n failures.
func mailBackoff(attempts int) time.Duration {
	d := mailRetryBase
	for i := 1; i < attempts && d < mailRetryMax; i++ {
		d *= 2
	}
	return min(d, mailRetryMax)
}

// SendDueMail sends up to limit due mails from the outbox through mailer
// and reports how many were sent. Each is marked sent in its own
// transaction right after delivery; a failure schedules a retry with
// backoff. A mail in a category its recipient switched off is closed as
// skipped instead (the preference is read at send time, so a change
// applies to mail already queued).
func (s *Service) SendDueMail(ctx context.Context, mailer Mailer, limit int) (int, error) {
	return s.sendDueMail(ctx, mailer, limit, nil)
}

// sendDueMail is SendDueMail; held, when set, is asked before each mail
// whether this instance still holds the lease (renewing it), so a slow
// batch never outlives the lease and overlaps another instance's.
func (s *Service) sendDueMail(ctx context.Context, mailer Mailer, limit int, held func() (bool, error)) (int, error) {
	var due []OutboxMail
	err := s.Store.View(ctx, func(tx Tx) (err error) {
		due, err = tx.DueMail(s.now(), limit)
		return err
	})
	if err != nil {
		return 0, err
	}
	sent := 0
	for _, m := range due {
		if ctx.Err() != nil {
			return sent, ctx.Err()
		}
		if held != nil {
			if ok, err := held(); err != nil || !ok {
				return sent, err
			}
		}
		if skip, err := s.mailOptedOut(ctx, m); err != nil {
			return sent, err
		} else if skip {
			if err := s.Store.Update(ctx, func(tx Tx) error { return tx.MarkMailSkipped(m.Key, "opted out of "+m.Category) }); err != nil {
				return sent, err
			}
			continue
		}
		if err := mailer.Send(ctx, m); err != nil {
			attempts := m.Attempts + 1
			s.Log.WarnContext(ctx, "mail not sent; will retry", "key", m.Key, "kind", m.Kind, "attempts", attempts, "err", err)
			if err := s.Store.Update(ctx, func(tx Tx) error {
				return tx.MarkMailFailed(m.Key, attempts, s.now().Add(mailBackoff(attempts)), err.Error())
			}); err != nil {
				return sent, err
			}
			continue
		}
		if err := s.Store.Update(ctx, func(tx Tx) error { return tx.MarkMailSent(m.Key, s.now()) }); err != nil {
			return sent, err
		}
		sent++
	}
	return sent, nil
}

// mailOptedOut reports whether m's recipient switched its category off.
func (s *Service) mailOptedOut(ctx context.Context, m OutboxMail) (bool, error) {
	if m.AccountID == "" || !slices.Contains(MailOptionalCategories, m.Category) {
		return false, nil
	}
	var acc *Account
	err := s.Store.View(ctx, func(tx Tx) (err error) {
		acc, err = tx.AccountByID(m.AccountID)
		return err
	})
	if isNotFound(err) {
		return true, nil
	} else if err != nil {
		return false, err
	}
	return slices.Contains(acc.MailOptOut, m.Category), nil
}

// MailBacklog is how much mail waits to be sent (a metrics gauge).
func (s *Service) MailBacklog(ctx context.Context) (int64, error) {
	var n int64
	err := s.Store.Read(ctx, func(tx Tx) (err error) {
		n, err = tx.MailBacklog()
		return err
	})
	return n, err
}

// RunMailOutbox sends due mail every period until ctx ends, on the one
// instance that holds the mail lease, renewed each period and before each
// mail, so several instances never send the same mail. The lease lasts
// at least a minute, longer than one SMTP call may take (30 s timeout),
// so a slow call never lets another instance in; a crashed sender is
// replaced within that minute.
func (s *Service) RunMailOutbox(ctx context.Context, mailer Mailer, holder string, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	defer func() {
		_ = s.Store.Update(context.WithoutCancel(ctx), func(tx Tx) error { return tx.ReleaseLease(MailLease, holder) })
	}()
	renew := func() (held bool, err error) {
		err = s.Store.Update(ctx, func(tx Tx) (err error) {
			held, err = tx.TakeLease(MailLease, holder, s.now(), max(3*every, time.Minute))
			return err
		})
		return held, err
	}
	for {
		held, err := renew()
		if err == nil && held {
			_, err = s.sendDueMail(ctx, mailer, 50, renew)
		}
		if err != nil && ctx.Err() == nil {
			s.Log.WarnContext(ctx, "mail outbox", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

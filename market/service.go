package market

import (
	"context"
	"log/slog"
	"strings"
	"time"
)

// Service carries out every market use case over a Store; the API and the
// web pages call the same methods.
type Service struct {
	Store Store
	Now   Clock
	Log   *slog.Logger
	// Payments moves milestone money (configured in cmd/techbridge); zero = disabled.
	Payments Payments
	// LinkBase is the public URL mailed links start with, e.g.
	// https://techbridge.example.cn; "" gives relative links.
	LinkBase string
	// DealIdleTTL is how long a deal before signing may stay idle; past it
	// every action is refused at once, whatever the sweeper did. 0 means
	// DefaultDealIdleTTL.
	DealIdleTTL time.Duration
	// Hashing bounds concurrent password hashing (logins, registrations);
	// nil = unbounded, for tools and tests.
	Hashing *HashGate
	// Views counts listing detail views for the funnels (stats_views.go);
	// nil counts none.
	Views *ViewCounter

	statsCache statCache // statistics answers by the rollups' position (stats_service.go)
}

// link is an absolute link to a page of the site for mail.
func (s *Service) link(path string) string { return strings.TrimRight(s.LinkBase, "/") + path }

// NewService returns a Service with the system clock.
func NewService(store Store) *Service {
	return &Service{Store: store, Now: SystemClock, Log: slog.Default()}
}

// now returns the service time in UTC.
func (s *Service) now() time.Time { return s.Now().UTC() }

// ActorFor loads an account's role and memberships; ENOTFOUND when the
// account no longer exists.
func (s *Service) ActorFor(ctx context.Context, accountID string) (Actor, error) {
	var a Actor
	err := s.Store.View(ctx, func(tx Tx) error {
		acc, err := tx.AccountByID(accountID)
		if err != nil {
			return err
		}
		ms, err := tx.Memberships(accountID)
		a = Actor{AccountID: acc.ID, PlatformRole: acc.PlatformRole, Memberships: ms, EmailVerified: acc.EmailVerified()}
		return err
	})
	return a, err
}

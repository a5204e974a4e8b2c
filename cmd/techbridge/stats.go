package main

import (
	"context"
	"log/slog"
	"time"

	"techbridge/market"
)

// Statistics intervals: the consumer catches up every few seconds (the
// dashboards lag the market by that much); view counts are buffered in
// memory and written every flush.
const (
	statsEvery      = 5 * time.Second
	viewsFlushEvery = 10 * time.Second
)

// startStats runs the statistics consumer on one instance (lease "stats")
// and each instance's view counter flush; stop flushes the last views and
// waits, before the database closes.
func startStats(ctx context.Context, svc *market.Service, singleton func(string) *market.Singleton, log *slog.Logger) (stop func()) {
	consumer := &market.StatsConsumer{Store: svc.Store}
	stopConsumer := goUntilStopped(ctx, func(ctx context.Context) {
		singleton("stats").Run(ctx, statsEvery, func(ctx context.Context) error {
			_, err := consumer.CatchUp(ctx)
			return err
		})
	})
	if svc.Views == nil {
		svc.Views = &market.ViewCounter{}
	}
	views := svc.Views
	stopFlush := goUntilStopped(ctx, func(ctx context.Context) {
		t := time.NewTicker(viewsFlushEvery)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
				if err := views.Flush(ctx, svc.Store); err != nil && ctx.Err() == nil {
					log.Warn("view counts", "err", err)
				}
			}
		}
	})
	return func() {
		stopConsumer()
		stopFlush()
		fctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		defer cancel()
		if err := views.Flush(fctx, svc.Store); err != nil {
			log.Warn("view counts at shutdown", "err", err)
		}
	}
}

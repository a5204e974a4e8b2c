package market

import (
	"context"
	"testing"
	"time"
)

// TestHashGateBoundsAndQueues: Workers run, Queue wait, the rest are
// refused with ETOOMANY and a Retry-After without running; a queued caller
// whose wait runs out is refused too.
func TestHashGateBoundsAndQueues(t *testing.T) {
	ctx := context.Background()
	g := NewHashGate(1, 1, time.Hour)
	release, held := make(chan struct{}), make(chan struct{})
	go g.Do(ctx, func() { close(held); <-release })
	<-held
	queued := make(chan error)
	ran := false
	go func() { queued <- g.Do(ctx, func() { ran = true }) }()
	for g.Stats().Waiting != 1 {
		time.Sleep(time.Millisecond)
	}
	err := g.Do(ctx, func() { t.Error("ran beyond the queue") })
	var e *Error
	if ErrorCode(err) != ETOOMANY || !asError(err, &e) || e.RetryAfterSeconds <= 0 {
		t.Fatalf("beyond the queue: %v", err)
	}
	close(release)
	if err := <-queued; err != nil || !ran {
		t.Fatalf("queued caller: %v, ran %v", err, ran)
	}
	if st := g.Stats(); st.Rejected != 1 || st.Running != 0 || st.Waiting != 0 {
		t.Fatalf("stats %+v", st)
	}

	short := NewHashGate(1, 1, time.Millisecond)
	release2, held2 := make(chan struct{}), make(chan struct{})
	go short.Do(ctx, func() { close(held2); <-release2 })
	<-held2
	defer close(release2)
	if err := short.Do(ctx, func() { t.Error("ran past its wait") }); ErrorCode(err) != ETOOMANY {
		t.Fatalf("a wait that ran out: %v", err)
	}
}

func asError(err error, target **Error) bool {
	e, ok := err.(*Error)
	*target = e
	return ok
}

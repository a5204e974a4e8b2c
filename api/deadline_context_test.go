package api

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/gin-gonic/gin"
)

type ctxKey struct{}

func TestLazyDeadlineAnswersWithoutATimer(t *testing.T) {
	parent := context.WithValue(context.Background(), ctxKey{}, "v")
	c := newLazyDeadline(parent, time.Hour)
	if d, ok := c.Deadline(); !ok || time.Until(d) < 59*time.Minute {
		t.Fatalf("Deadline() = %v, %v; want about an hour from now", d, ok)
	}
	if err := c.Err(); err != nil {
		t.Fatalf("Err() = %v before the deadline", err)
	}
	if v := c.Value(ctxKey{}); v != "v" {
		t.Fatalf("Value = %v, want the parent's", v)
	}
	if c.started.Load() {
		t.Fatal("Deadline, Err and Value made the timer context")
	}

	// A parent's earlier deadline is the one reported.
	early, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	pd, _ := early.Deadline()
	if d, _ := newLazyDeadline(early, time.Hour).Deadline(); !d.Equal(pd) {
		t.Fatalf("Deadline() = %v, want the parent's %v", d, pd)
	}
}

func TestLazyDeadlineEndsAtItsDeadlineUnwatched(t *testing.T) {
	c := newLazyDeadline(context.Background(), 5*time.Millisecond)
	time.Sleep(20 * time.Millisecond)
	expectEnded(t, c, context.DeadlineExceeded, "past the deadline")
}

func TestLazyDeadlineEndsWithItsParent(t *testing.T) {
	parent, cancel := context.WithCancel(context.Background())
	c := newLazyDeadline(parent, time.Hour)
	cancel()
	expectEnded(t, c, context.Canceled, "after the parent's cancel")
}

// expectEnded checks that ctx has ended with want: Err first (which must
// answer without Done), then a closed Done.
func expectEnded(t *testing.T, ctx context.Context, want error, when string) {
	t.Helper()
	if err := ctx.Err(); !errors.Is(err, want) {
		t.Fatalf("Err() = %v %s, want %v", err, when, want)
	}
	select {
	case <-ctx.Done():
	default:
		t.Fatalf("Done() is open %s", when)
	}
}

func TestLazyDeadlineDerivedContextsEndAtTheDeadline(t *testing.T) {
	c := newLazyDeadline(context.Background(), 20*time.Millisecond)
	defer c.stop()
	child, cancel := context.WithCancel(c) // asks Done: the timer is made
	defer cancel()
	if !c.started.Load() {
		t.Fatal("a derived context did not make the timer context")
	}
	select {
	case <-child.Done():
	case <-time.After(10 * time.Second):
		t.Fatal("the derived context did not end at the deadline")
	}
	if err := child.Err(); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("child Err() = %v, want DeadlineExceeded", err)
	}
}

// The deadline middleware gives each request a bounded context; a request
// that never watches it makes no timer, and one that does has its timer
// released when the request ends.
func TestDeadlineMiddlewareMakesATimerOnlyWhenWatched(t *testing.T) {
	gin.SetMode(gin.TestMode)
	var seen []*lazyDeadline
	e := gin.New()
	e.GET("/quiet", deadline(time.Minute), func(c *gin.Context) {
		ctx := c.Request.Context()
		if _, ok := ctx.Deadline(); !ok || ctx.Err() != nil {
			t.Error("the request's context has no deadline, or has ended")
		}
		seen = append(seen, ctx.(*lazyDeadline))
		c.Status(http.StatusNoContent)
	})
	e.GET("/watching", deadline(time.Minute), func(c *gin.Context) {
		ctx := c.Request.Context()
		select {
		case <-ctx.Done():
			t.Error("the request's context ended early")
		default:
		}
		seen = append(seen, ctx.(*lazyDeadline))
		c.Status(http.StatusNoContent)
	})
	for _, path := range []string{"/quiet", "/watching"} {
		e.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodGet, path, nil))
	}
	if len(seen) != 2 {
		t.Fatalf("handlers ran %d times, want 2", len(seen))
	}
	if seen[0].started.Load() {
		t.Error("a request that never watched its context made a timer")
	}
	if !seen[1].started.Load() || seen[1].ctx.Err() == nil {
		t.Error("a watched request's timer context was not made, or not released when the request ended")
	}
}

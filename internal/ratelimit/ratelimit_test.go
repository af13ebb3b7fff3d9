package ratelimit

import (
	"context"
	"sync"
	"testing"
	"time"
)

// clock is a manual clock for the limiter's arithmetic.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

func TestBurstThenRate(t *testing.T) {
	c := &clock{t: time.Unix(0, 0)}
	l := New(10, 5, c.now) // 10 per second, burst 5
	for i := 0; i < 5; i++ {
		if d := l.reserve(1); d != 0 {
			t.Fatalf("request %d inside the burst waits %v", i, d)
		}
	}
	if d := l.reserve(1); d != 100*time.Millisecond {
		t.Fatalf("first request past the burst waits %v, want 100ms", d)
	}
	if d := l.reserve(3); d != 400*time.Millisecond {
		t.Fatalf("a weight-3 request queued behind waits %v, want 400ms", d)
	}
	c.add(400 * time.Millisecond)
	if d := l.Delay(1); d != 100*time.Millisecond {
		t.Fatalf("after the queue drained a new request would wait %v, want 100ms", d)
	}
}

func TestPerWindow(t *testing.T) {
	c := &clock{t: time.Unix(0, 0)}
	l := PerWindow(6000, time.Minute, c.now)
	if d := l.reserve(6000); d != 0 {
		t.Fatalf("the whole quota as a burst waits %v", d)
	}
	if d := l.reserve(100); d != time.Second {
		t.Fatalf("100 more waits %v, want 1s at 100/s", d)
	}
}

func TestPauseUntil(t *testing.T) {
	c := &clock{t: time.Unix(0, 0)}
	l := New(100, 100, c.now)
	l.PauseUntil(c.now().Add(3 * time.Second))
	l.PauseUntil(c.now().Add(time.Second)) // shorter: ignored
	if d := l.Delay(1); d != 3*time.Second {
		t.Fatalf("paused limiter delay %v, want 3s", d)
	}
	unlimited := New(0, 0, c.now)
	unlimited.PauseUntil(c.now().Add(time.Second))
	if d := unlimited.reserve(1); d != time.Second {
		t.Fatalf("a pause must hold an unlimited limiter too, got %v", d)
	}
}

func TestCancelledWaitLeavesAtOnceAndGivesBack(t *testing.T) {
	l := New(1, 1, nil) // one per second
	if err := l.Wait(context.Background(), 1); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- l.Wait(ctx, 50) }() // would wait ~50 s
	time.Sleep(10 * time.Millisecond)
	cancel()
	select {
	case err := <-done:
		if err != context.Canceled {
			t.Fatalf("Wait returned %v, want context.Canceled", err)
		}
	case <-time.After(2 * time.Second):
		t.Fatal("a cancelled Wait did not return")
	}
	if d := l.Delay(1); d > 2*time.Second {
		t.Fatalf("the cancelled reservation was not given back: next waits %v", d)
	}
	if err := l.Wait(ctx, 1); err != context.Canceled {
		t.Fatalf("Wait on a done context = %v", err)
	}
}

func TestFirstComeFirstServed(t *testing.T) {
	c := &clock{t: time.Unix(0, 0)}
	l := New(1, 1, c.now)
	var prev time.Duration = -1
	for i := 0; i < 10; i++ {
		d := l.reserve(float64(1 + i%3))
		if d <= prev {
			t.Fatalf("reservation %d waits %v, not after the previous %v", i, d, prev)
		}
		prev = d
	}
}

func TestPauseHoldsCallersAlreadyWaiting(t *testing.T) {
	c := &clock{t: time.Unix(0, 0)}
	l := New(100, 1, c.now) // after the burst, a request waits 10 ms of real timer
	if err := l.Wait(context.Background(), 1); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- l.Wait(ctx, 1) }()
	// Wait until the caller holds its reservation and sleeps, then pause.
	for {
		l.mu.Lock()
		reserved := l.tokens < 0
		l.mu.Unlock()
		if reserved {
			break
		}
		time.Sleep(time.Millisecond)
	}
	l.PauseUntil(c.now().Add(time.Hour)) // the manual clock never gets there
	select {
	case err := <-done:
		t.Fatalf("Wait returned %v during a pause that began while it slept", err)
	case <-time.After(100 * time.Millisecond):
	}
	cancel()
	if err := <-done; err != context.Canceled {
		t.Fatalf("Wait = %v, want context.Canceled", err)
	}
}

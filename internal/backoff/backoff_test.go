package backoff

import (
	"context"
	"testing"
	"time"
)

func TestDefaultScheduleIsCCXTs(t *testing.T) {
	mid := func() float64 { return 0.5 } // no jitter
	b := New(Policy{}, mid)
	want := []time.Duration{1, 2, 4, 8, 16, 32, 60, 60, 60}
	for i, w := range want {
		if got := b.Next(); got != w*time.Second {
			t.Fatalf("delay %d = %v, want %v", i, got, w*time.Second)
		}
	}
	if b.Attempts() != len(want) {
		t.Fatalf("Attempts = %d", b.Attempts())
	}
}

func TestJitterBounds(t *testing.T) {
	p := Policy{Base: time.Second, Max: time.Minute, Jitter: 0.2}
	for attempt := 0; attempt < 10; attempt++ {
		lo, hi := p.Delay(attempt, 0), p.Delay(attempt, 0.9999999)
		mid := p.Delay(attempt, 0.5)
		if float64(lo) < 0.8*float64(mid)-1 || float64(hi) > 1.2*float64(mid)+1 || lo >= hi {
			t.Fatalf("attempt %d: jitter range [%v, %v] around %v is not ±20%%", attempt, lo, hi, mid)
		}
	}
	if d := (Policy{Jitter: -1}).Delay(3, 0); d != 8*time.Second {
		t.Fatalf("negative jitter must disable jitter, got %v", d)
	}
}

func TestResetAfterStableConnection(t *testing.T) {
	b := New(Policy{Jitter: -1}, nil)
	b.Next()
	b.Next()
	b.Dropped(10 * time.Second) // short-lived: keep growing
	if got := b.Next(); got != 4*time.Second {
		t.Fatalf("after a short connection the delay = %v, want 4s", got)
	}
	b.Dropped(30 * time.Second)
	if got := b.Next(); got != time.Second {
		t.Fatalf("after a stable connection the delay = %v, want 1s", got)
	}
	b.Reset()
	if b.Attempts() != 0 {
		t.Fatal("Reset did not clear the attempts")
	}
}

func TestHugeAttemptDoesNotOverflow(t *testing.T) {
	if d := (Policy{Jitter: -1}).Delay(1<<30, 0); d != time.Minute {
		t.Fatalf("delay = %v, want the 60s cap", d)
	}
}

func TestSleep(t *testing.T) {
	if err := Sleep(context.Background(), time.Nanosecond); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	for _, d := range []time.Duration{time.Hour, 0} {
		if err := Sleep(ctx, d); err != context.Canceled {
			t.Fatalf("cancelled sleep of %v returned %v", d, err)
		}
	}
}

// Package ratelimit is the request limiter every REST transport and
// WebSocket sender shares: a token bucket fed by each request's weight,
// first come first served, that a cancelled context leaves at once, and that
// a venue's "slow down" (a 429 with Retry-After) can pause as a whole.
package ratelimit

import (
	"context"
	"sync"
	"time"

	"github.com/unifex-go/unifex/internal/backoff"
)

// Limiter is a weighted token bucket. Each Wait reserves its weight at once,
// in call order, and sleeps until the bucket could pay for it; so callers are
// served in the order they asked, whatever their weights. It is safe for
// concurrent use.
type Limiter struct {
	mu     sync.Mutex
	rate   float64 // tokens per second
	burst  float64
	tokens float64 // may go negative: reserved but not yet refilled
	last   time.Time
	paused time.Time // no request starts before this
	now    func() time.Time
}

// New returns a limiter that refills perSecond tokens each second and holds
// at most burst (at least one request's worth; burst < 1 means 1). It starts
// full. now is the clock (nil: time.Now), injectable for tests.
func New(perSecond, burst float64, now func() time.Time) *Limiter {
	if now == nil {
		now = time.Now
	}
	if burst < 1 {
		burst = 1
	}
	return &Limiter{rate: perSecond, burst: burst, tokens: burst, last: now(), now: now}
}

// PerWindow returns a limiter for a venue quota of weight units per window
// (for example 6000 per minute), allowing the whole quota as a burst.
func PerWindow(weight float64, window time.Duration, now func() time.Time) *Limiter {
	return New(weight/window.Seconds(), weight, now)
}

// Wait blocks until a request of the given weight may be sent or ctx ends.
// On ctx's end it returns ctx.Err() and gives its reservation back. A
// limiter with a rate of zero or less never delays.
func (l *Limiter) Wait(ctx context.Context, weight float64) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	d := l.reserve(weight)
	for d > 0 {
		if err := backoff.Sleep(ctx, d); err != nil {
			l.release(weight)
			return err
		}
		// A pause that began while this caller slept holds it too.
		d = l.pausedFor()
	}
	return nil
}

// pausedFor is how long the current pause lasts from now.
func (l *Limiter) pausedFor() time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.paused.Sub(l.now())
}

// Delay reports how long a request of weight would wait now, without
// reserving anything.
func (l *Limiter) Delay(weight float64) time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	l.refill(now)
	return l.waitFor(now, l.tokens-weight)
}

// PauseUntil holds every request until t (a venue's Retry-After), including
// callers already waiting: they check the pause again when their turn comes.
// A pause never shortens an earlier, longer one.
func (l *Limiter) PauseUntil(t time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if t.After(l.paused) {
		l.paused = t
	}
}

func (l *Limiter) reserve(weight float64) time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	if l.rate <= 0 {
		return l.paused.Sub(now)
	}
	l.refill(now)
	l.tokens -= weight
	return l.waitFor(now, l.tokens)
}

func (l *Limiter) release(weight float64) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.refill(l.now())
	l.tokens += weight
	if l.tokens > l.burst {
		l.tokens = l.burst
	}
}

// refill adds the tokens earned since the last call.
func (l *Limiter) refill(now time.Time) {
	if l.rate <= 0 {
		return
	}
	if elapsed := now.Sub(l.last); elapsed > 0 {
		l.tokens += elapsed.Seconds() * l.rate
		if l.tokens > l.burst {
			l.tokens = l.burst
		}
		l.last = now
	}
}

// waitFor is how long until a bucket at balance is back to zero, and any
// pause is over.
func (l *Limiter) waitFor(now time.Time, balance float64) time.Duration {
	var d time.Duration
	if balance < 0 && l.rate > 0 {
		d = time.Duration(-balance / l.rate * float64(time.Second))
	}
	if p := l.paused.Sub(now); p > d {
		d = p
	}
	return d
}

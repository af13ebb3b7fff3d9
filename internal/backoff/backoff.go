// Package backoff computes reconnect and retry delays: exponential growth
// from a base, a cap, symmetric jitter, and a reset once a connection has
// stayed up long enough. Sleep waits them out.
package backoff

import (
	"context"
	"math/rand/v2"
	"time"
)

// Sleep waits d, or until ctx ends and returns its error; a ctx that has
// already ended returns at once, even with d <= 0.
func Sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Policy describes a backoff schedule. The zero Policy is CCXT's default
// (Default).
type Policy struct {
	// Base is the first delay (1 s when zero).
	Base time.Duration
	// Factor multiplies the delay after each failure (2 when < 1).
	Factor float64
	// Max caps the delay before jitter (60 s when zero).
	Max time.Duration
	// Jitter spreads each delay uniformly by ±Jitter×delay (0.2 when zero;
	// negative means none).
	Jitter float64
	// ResetAfter is how long a connection must stay up for the next failure
	// to start again from Base (30 s when zero).
	ResetAfter time.Duration
}

// Default is CCXT's reconnect schedule: 1 s, ×2, capped at 60 s, ±20 %
// jitter, reset after 30 s of stable connection.
var Default = Policy{Base: time.Second, Factor: 2, Max: time.Minute, Jitter: 0.2, ResetAfter: 30 * time.Second}

// withDefaults fills zero fields from Default.
func (p Policy) withDefaults() Policy {
	if p.Base <= 0 {
		p.Base = Default.Base
	}
	if p.Factor < 1 {
		p.Factor = Default.Factor
	}
	if p.Max <= 0 {
		p.Max = Default.Max
	}
	if p.Max < p.Base {
		p.Max = p.Base
	}
	switch {
	case p.Jitter == 0:
		p.Jitter = Default.Jitter
	case p.Jitter < 0:
		p.Jitter = 0
	case p.Jitter > 1:
		p.Jitter = 1
	}
	if p.ResetAfter <= 0 {
		p.ResetAfter = Default.ResetAfter
	}
	return p
}

// Delay returns the delay before retry number attempt (0 for the first
// retry) with jitter drawn from u, a uniform value in [0, 1).
func (p Policy) Delay(attempt int, u float64) time.Duration {
	return p.withDefaults().delay(attempt, u)
}

// delay is Delay on a policy whose defaults are already filled in.
func (p Policy) delay(attempt int, u float64) time.Duration {
	d := float64(p.Base)
	for i := 0; i < attempt && d < float64(p.Max); i++ {
		d *= p.Factor
	}
	if d > float64(p.Max) {
		d = float64(p.Max)
	}
	if p.Jitter > 0 {
		d *= 1 + p.Jitter*(2*u-1)
	}
	return time.Duration(d)
}

// Backoff is the state of one retry loop. It is not safe for concurrent use:
// each connection keeps its own.
type Backoff struct {
	policy  Policy
	attempt int
	rand    func() float64
}

// New returns a Backoff following p. rnd draws uniform values in [0, 1) for
// the jitter; nil means math/rand/v2.
func New(p Policy, rnd func() float64) *Backoff {
	if rnd == nil {
		rnd = rand.Float64
	}
	return &Backoff{policy: p.withDefaults(), rand: rnd}
}

// Next returns the delay to wait before the next attempt and counts it.
func (b *Backoff) Next() time.Duration {
	d := b.policy.delay(b.attempt, b.rand())
	b.attempt++
	return d
}

// Attempts returns how many delays Next has handed out since the last reset.
func (b *Backoff) Attempts() int { return b.attempt }

// Reset starts the schedule again from Base.
func (b *Backoff) Reset() { b.attempt = 0 }

// Dropped records that a connection which had been up for uptime was lost:
// if it had stayed up for at least ResetAfter, the schedule starts again.
func (b *Backoff) Dropped(uptime time.Duration) {
	if uptime >= b.policy.ResetAfter {
		b.attempt = 0
	}
}

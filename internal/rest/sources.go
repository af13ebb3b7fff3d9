package rest

import (
	"crypto/rand"
	"encoding/hex"
	"sync/atomic"
	"time"
)

// Sources are the clock, nonce and client-order-id sources that signers and
// adapters draw from. Tests inject fixed ones so that signed requests are
// reproducible; the zero value means the defaults below.
type Sources struct {
	// Clock returns the local wall-clock time (time.Now when nil). The
	// transport adds the server-time offset to it for signers (Client.Now)
	// and runs the default rate limiter on it.
	Clock func() time.Time
	// Nonce returns a number larger than every number it returned before
	// (MonotonicNonce(Clock, time.Millisecond) when nil).
	Nonce func() int64
	// ClientOrderID returns a fresh client order id (RandomClientOrderID
	// when nil). An adapter draws it once per order, before the first
	// attempt, so that every retry carries the same id.
	ClientOrderID func() string
}

// withDefaults fills the nil sources.
func (s Sources) withDefaults() Sources {
	if s.Clock == nil {
		s.Clock = time.Now
	}
	if s.Nonce == nil {
		s.Nonce = MonotonicNonce(s.Clock, time.Millisecond)
	}
	if s.ClientOrderID == nil {
		s.ClientOrderID = RandomClientOrderID
	}
	return s
}

// MonotonicNonce returns a nonce source that counts clock's time in units
// (time.Millisecond: Unix milliseconds) and never repeats or goes back: when
// two calls fall in the same unit, or the clock steps back, it returns the
// previous value plus one. It is safe for concurrent use.
func MonotonicNonce(clock func() time.Time, unit time.Duration) func() int64 {
	if clock == nil {
		clock = time.Now
	}
	if unit <= 0 {
		unit = time.Millisecond
	}
	var last atomic.Int64
	return func() int64 {
		n := clock().UnixNano() / int64(unit)
		for {
			prev := last.Load()
			next := n
			if next <= prev {
				next = prev + 1
			}
			if last.CompareAndSwap(prev, next) {
				return next
			}
		}
	}
}

// RandomClientOrderID returns 32 lower-case hex digits (128 random bits):
// within every listed venue's client-order-id alphabet and length.
func RandomClientOrderID() string {
	var b [16]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails (Go 1.24+)
	return hex.EncodeToString(b[:])
}

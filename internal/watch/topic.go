// Package watch is the plumbing between a connection's reader and the
// goroutines blocked in Watch* calls: topics with versions, the consumers
// that read them with cursors of their own, and the waiting itself.
//
// A topic is one live stream (one symbol's book, trades, ticker, candles of
// a timeframe, the account's orders...). Its reader side publishes events —
// data or errors — and each event raises the topic's version. A consumer
// remembers, per topic, the version it last returned: a watch returns at once
// when the topic moved on since, else blocks until the next event, its ctx
// ends or the hub closes. One event wakes every waiter; book snapshots are
// built once per event and depth and shared by every reader of that event.
//
// Outages: Interrupt records an error event on a topic (the link dropped,
// the book lost sync). Each consumer receives that error once, in order: a
// list topic first hands out the items that arrived before the outage, then
// the error, then what arrives after it, from a fresh cache — caches are never
// merged silently across an outage.
//
// The package starts no goroutines.
package watch

import (
	"context"
	"fmt"
	"sync"
)

// Kind is what a topic carries.
type Kind uint8

// The topic kinds.
const (
	Book Kind = iota + 1
	Trades
	Ticker
	OHLCV
	Balance
	Orders
	MyTrades
	Positions
	BidsAsks    // the best bid and ask with their sizes, as a ticker
	FundingRate // a contract's funding rate, mark and index price
)

var kindNames = [...]string{"", "orderbook", "trades", "ticker", "ohlcv", "balance", "orders", "myTrades", "positions", "bidsasks", "fundingRate"}

// String returns the kind's name as CCXT's message hashes spell it.
func (k Kind) String() string {
	if int(k) < len(kindNames) && k > 0 {
		return kindNames[k]
	}
	return "unknown"
}

// Key names a topic: its kind, the unified symbol ("" for account-wide
// topics) and a parameter (the OHLCV timeframe).
type Key struct {
	Kind   Kind
	Symbol string
	Param  string
}

// String returns "kind:symbol[:param]".
func (k Key) String() string {
	s := k.Kind.String() + ":" + k.Symbol
	if k.Param != "" {
		s += ":" + k.Param
	}
	return s
}

// core is what every topic shares: the version, the wake-up channel, the
// last error event and the outage generation. Its mutex also guards the
// topic's payload.
type core struct {
	key Key
	hub *Hub

	mu      sync.Mutex
	version uint64        // raised by every event, data or error
	wake    chan struct{} // closed and replaced by an event, once someone waits on it
	waited  bool          // a waiter holds wake
	errAt   uint64        // version of the last error event; 0 when none
	err     error         // that error
	readers map[*state]struct{}
}

func (c *core) init(h *Hub, k Key) {
	c.hub, c.key, c.wake = h, k, make(chan struct{})
	c.readers = map[*state]struct{}{}
}

// publishLocked records a data event and wakes every waiter.
func (c *core) publishLocked() {
	c.version++
	if c.waited { // with nobody waiting, an event costs no channel
		close(c.wake)
		c.wake, c.waited = make(chan struct{}), false
	}
}

// waitChan returns the channel the next event closes; called with the lock.
func (c *core) waitChan() <-chan struct{} {
	c.waited = true
	return c.wake
}

// failLocked records an error event and wakes every waiter.
func (c *core) failLocked(err error) {
	c.publishLocked()
	c.errAt, c.err = c.version, err
}

// Key returns the topic's key.
func (c *core) Key() Key { return c.key }

// Version returns the topic's current version.
func (c *core) Version() uint64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.version
}

// Fail records an error event that is not an outage (a book that lost
// sync): every consumer's next read returns err once.
func (c *core) Fail(err error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.failLocked(err)
}

// interrupt records an outage: every consumer's next read returns err once.
func (c *core) interrupt(err error) { c.Fail(err) }

func (c *core) attach(*state) {}
func (c *core) drop(*state)   {}

// base returns the core itself, so that Hub can hold any topic.
func (c *core) base() *core { return c }

// topic is any of the typed topics.
type topic interface {
	base() *core
	// attach prepares a new reader's state (cursors); drop releases it.
	// Both are called with the topic's lock held.
	attach(st *state)
	drop(st *state)
	// interrupt records an outage.
	interrupt(err error)
}

// state is one consumer's position in one topic.
type state struct {
	seen  uint64 // version last returned
	errAt uint64 // error event last returned
	// cursor is the consumer's cursor in a list topic's ring (a
	// *cache.Cursor[T]), nil elsewhere; prev is its cursor in the ring from
	// before an outage, until the consumer has read what was left there.
	cursor, prev any
}

// wait blocks until the topic's version moves past st.seen, ctx ends, or
// the hub closes. It returns with the topic's lock held when err is nil.
// A consumer's state is read and written only under its topic's lock.
func (c *core) wait(ctx context.Context, st *state) error {
	for {
		c.mu.Lock()
		if c.version > st.seen {
			return nil
		}
		ch := c.waitChan()
		c.mu.Unlock()
		select {
		case <-ch:
		case <-ctx.Done():
			return contextError(ctx, c.key)
		case <-c.hub.closed:
			return c.hub.closedError()
		}
	}
}

// contextError reports ctx's end. It matches context.Canceled or
// context.DeadlineExceeded and deliberately no taxonomy kind: a caller's own
// cancellation is not a NetworkError, or "retry on NetworkError" loops would
// spin on a dead context.
func contextError(ctx context.Context, k Key) error {
	return fmt.Errorf("watch %s: %w", k, ctx.Err())
}
